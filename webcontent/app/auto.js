// vnc_auto.html: connects at once from the query string (or the fragment,
// which keeps a password out of server logs). Parameters: host, port, path
// (default "websockify"), encrypt, password, view_only, shared,
// resize (off|scale|remote), quality, compression, encodings, logging.
import { RFB } from '../core/rfb.js';
import { Log } from '../core/log.js';
import { pageParams, websocketUrl as buildUrl, defaultPort, isTrue } from './url.js';

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

function showStatus(state, text) {
    document.body.dataset.state = state;
    statusEl.textContent = text;
}

function websocketUrl() {
    const loc = window.location;
    return buildUrl({
        host: param('host', loc.hostname),
        port: param('port', defaultPort(loc)),
        path: param('path', 'websockify'),
        encrypt: flag('encrypt', loc.protocol === 'https:'),
    });
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
if (params.has('password')) {
    options.credentials = { password: params.get('password') };
}
if (params.get('encodings')) {
    options.encodings = params.get('encodings').split(',').filter(Boolean);
}

const url = websocketUrl();
showStatus('connecting', `Connecting to ${url}`);
const rfb = new RFB(document.getElementById('screen'), url, options);
window.rfb = rfb;   // for the console and end-to-end tests

rfb.addEventListener('connect', () => {
    showStatus('connected', `Connected${url.startsWith('wss:') ? ' (encrypted)' : ''}`);
    passwordForm.hidden = true;
    cadButton.hidden = options.viewOnly;
    rfb.focus();
});
rfb.addEventListener('desktopname', (e) => {
    document.title = e.detail.name;
    if (rfb.state === 'connected') {
        statusEl.textContent = `Connected${url.startsWith('wss:') ? ' (encrypted)' : ''} to ${e.detail.name}`;
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
passwordForm.addEventListener('submit', (e) => {
    e.preventDefault();
    passwordForm.hidden = true;
    showStatus('connecting', 'Authenticating');
    rfb.sendCredentials({ password: passwordInput.value });
    passwordInput.value = '';
});
cadButton.addEventListener('click', () => {
    rfb.sendCtrlAltDel();
    rfb.focus();
});
