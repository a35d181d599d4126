// vnc_auto.html: connects at once from the query string (or the fragment,
// which keeps a password out of server logs). Parameters: host, port, path
// (default "websockify"), encrypt, password, view_only, shared,
// resize (off|scale|remote), quality, compression, encodings, logging.
// A host other than the page's own (or a trusted one) is asked about first.
import { RFB } from '../core/rfb.js';
import { Log } from '../core/log.js';
import { pageParams, websocketUrl as buildUrl, defaultPort, isTrue } from './url.js';
import { askUser, foreignHostQuestion, isTrustedHost, takeSecrets, trustedHostsOf } from './guard.js';

const secrets = takeSecrets(window);   // first, so the password leaves the address bar at once
const params = pageParams(window.location.search, window.location.hash);

function param(name, fallback) {
    return params.has(name) ? params.get(name) : fallback;
}

function flag(name, fallback) {
    const v = param(name, null);
    return v === null ? fallback : isTrue(v);
}

function level(name, fallback) {
    const v = param(name, null);
    if (v === null || v === '') {
        return fallback;
    }
    return /^(lossless|-1)$/i.test(v) ? -1 : Math.max(0, Math.min(9, parseInt(v, 10) || 0));
}

const statusEl = document.getElementById('status');
const passwordForm = document.getElementById('password-form');
const passwordInput = document.getElementById('password-input');
const cadButton = document.getElementById('ctrl-alt-del');
const confirmForm = document.getElementById('confirm-form');
let rfb = null;

function showStatus(state, text) {
    document.body.dataset.state = state;
    statusEl.textContent = text;
}

function target() {
    const loc = window.location;
    return {
        host: param('host', loc.hostname),
        port: param('port', defaultPort(loc)),
        path: param('path', 'websockify'),
        encrypt: flag('encrypt', loc.protocol === 'https:'),
    };
}

Log.init(param('logging', 'warn'));

const resize = param('resize', 'off');
const options = {
    shared: flag('shared', true),
    viewOnly: flag('view_only', false),
    scaleViewport: resize === 'scale',
    resizeSession: resize === 'remote',
    qualityLevel: level('quality', 6),
    compressionLevel: level('compression', 2),
};
if (secrets.password !== undefined) {
    options.credentials = { password: secrets.password };
}
if (params.get('encodings')) {
    options.encodings = params.get('encodings').split(',').filter(Boolean);
}

function connect() {
    const url = buildUrl(target());
    showStatus('connecting', `Connecting to ${url}`);
    rfb = new RFB(document.getElementById('screen'), url, options);
    window.rfb = rfb;   // for the console and end-to-end tests
    wire(url);
}

function wire(url) {
    const secure = url.startsWith('wss:') ? ' (encrypted)' : '';
    rfb.addEventListener('connect', () => {
        showStatus('connected', `Connected${secure}`);
        passwordForm.hidden = true;
        cadButton.hidden = options.viewOnly;
        rfb.focus();
    });
    rfb.addEventListener('desktopname', (e) => {
        document.title = e.detail.name;
        if (rfb.state === 'connected') {
            statusEl.textContent = `Connected${secure} to ${e.detail.name}`;
        }
    });
    rfb.addEventListener('disconnect', (e) => {
        cadButton.hidden = true;
        passwordForm.hidden = true;
        showStatus('disconnected', e.detail.clean ? 'Disconnected' : `Disconnected: ${e.detail.reason}`);
    });
    rfb.addEventListener('securityfailure', (e) => {
        showStatus('disconnected', `Authentication failed: ${e.detail.reason}`);
    });
    rfb.addEventListener('credentialsrequired', () => {
        showStatus('connecting', 'Password required');
        passwordForm.hidden = false;
        passwordInput.focus();
    });
}

passwordForm.addEventListener('submit', (e) => {
    e.preventDefault();
    passwordForm.hidden = true;
    showStatus('connecting', 'Authenticating');
    rfb?.sendCredentials({ password: passwordInput.value });
    passwordInput.value = '';
});
cadButton.addEventListener('click', () => {
    rfb?.sendCtrlAltDel();
    rfb?.focus();
});

// Any link can name a host: only the page's own or a trusted one is connected to without asking.
const { host, port } = target();
if (isTrustedHost(host, window.location.hostname, trustedHostsOf(document))) {
    connect();
} else {
    showStatus('confirm', 'Waiting for your answer');
    document.getElementById('confirm-text').textContent = foreignHostQuestion(host, port);
    askUser(confirmForm, document.getElementById('confirm-cancel')).then((yes) => {
        if (yes) {
            connect();
        } else {
            showStatus('disconnected', 'Not connected');
        }
    });
}
