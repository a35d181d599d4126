// wstelnet.html: a telnet terminal (xterm.js) through a WebSocket proxy.
// Query parameters (or the #fragment): host, port (default: the page's),
// path (default "websockify"), encrypt, autoconnect, logging. autoconnect
// to a host other than the page's own (or a trusted one) asks first. A
// connection that ends before the first byte asks the relay why: its login
// form when it wants a user name and password, its reason otherwise.
import { Terminal } from '../vendor/xterm.mjs';
import { FitAddon } from '../vendor/addon-fit.mjs';
import { Log } from '../core/log.js';
import { pageParams, websocketUrl, defaultPort, hostPort, isTrue } from '../app/url.js';
import { askUser, foreignHostQuestion, isTrustedHost, takeSecrets, trustedHostsOf } from '../app/guard.js';
import { RelayLogin } from '../app/login.js';
import { statusText } from '../app/status.js';
import { TelnetSession } from './session.js';

// Telnet has no use for a password in the link: it only leaves the address. A user name fills the relay's login form.
const secrets = takeSecrets(window);
const params = pageParams(window.location.search, window.location.hash);
Log.init(params.get('logging') ?? 'warn');

const $ = (id) => document.getElementById(id);
const form = $('connect-form');
const fields = { host: $('host'), port: $('port'), path: $('path'), encrypt: $('encrypt') };
const connectButton = $('connect-button');
const disconnectButton = $('disconnect-button');
const statusLine = $('status');
const relay = new RelayLogin({
    form: $('login-form'), username: $('login-user'), password: $('login-password'), message: $('login-message'),
    submit: $('login-submit'), cancel: $('login-cancel'), logout: $('logout-button'),
}, {
    onlogin: () => connect(),
    oncancel: () => showStatus('disconnected', 'Not connected'),
    onlogout: () => logout(),
});
$('login-user').value = secrets.username ?? '';

const term = new Terminal({
    cursorBlink: true,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 15,
    scrollback: 5000,
});
const fit = new FitAddon();
term.loadAddon(fit);
term.open($('terminal'));
fit.fit();

const session = new TelnetSession({ cols: term.cols, rows: term.rows });
const NOT_CONNECTED = 'Not connected. Choose a host and Connect.\r\n';
let target = '';
let url = '';
let round = 0;          // a relay's verdict counts only for the connection it was asked about
let heard = false;      // the server sent data: whatever ends the connection now, the relay had let it through
let stopped = false;    // the user disconnected

fillForm();
wireTerminal();
wireSession();
form.addEventListener('submit', (e) => {
    e.preventDefault();
    connect();
});
disconnectButton.addEventListener('click', () => stop());

window.wstelnet = { term, session, fit, connect };   // for the console and end-to-end tests

if (isTrue(params.get('autoconnect') ?? '')) {
    autoconnect();
} else {
    term.write(NOT_CONNECTED);
}

/** The panel starts from the page's own location, overridden by the query string. */
function fillForm() {
    const loc = window.location;
    fields.host.value = params.get('host') ?? loc.hostname;
    fields.port.value = params.get('port') ?? defaultPort(loc);
    fields.path.value = params.get('path') ?? 'websockify';
    fields.encrypt.checked = params.has('encrypt') ? isTrue(params.get('encrypt')) : loc.protocol === 'https:';
}

/** Any link can name a host: only the page's own or a trusted one is connected to without asking. */
function autoconnect() {
    const host = fields.host.value.trim();
    if (isTrustedHost(host, window.location.hostname, trustedHostsOf(document))) {
        connect();
        return;
    }
    showStatus('confirm', 'Waiting for your answer');
    $('confirm-text').textContent = foreignHostQuestion(host, fields.port.value.trim());
    askUser($('confirm-form'), $('confirm-cancel')).then((yes) => {
        showStatus('disconnected', 'Disconnected');
        if (yes) {
            connect();
        } else {
            term.write(NOT_CONNECTED);
        }
    });
}

function connect() {
    if (session.state !== 'disconnected') {
        return;
    }
    const host = fields.host.value.trim();
    const port = fields.port.value.trim();
    if (!host || !/^\d{1,5}$/.test(port) || Number(port) > 65535) {
        showStatus('disconnected', 'Enter a host and a port (1-65535)');
        return;
    }
    url = targetUrl();
    target = hostPort(host, port);
    round++;
    heard = false;
    stopped = false;
    term.reset();
    fit.fit();
    session.resize(term.cols, term.rows);
    showStatus('connecting', `Connecting to ${url}`);
    try {
        session.connect(url);
    } catch (e) {
        Log.error('connect failed', e);
        showStatus('disconnected', `Cannot connect: ${e.message}`);
    }
}

function targetUrl() {
    return websocketUrl({ host: fields.host.value.trim(), port: fields.port.value.trim(), path: fields.path.value.trim(),
        encrypt: fields.encrypt.checked });
}

function wireSession() {
    session.ondata = (bytes) => {
        heard = true;
        term.write(bytes);
    };
    session.addEventListener('connect', () => {
        const secure = fields.encrypt.checked ? ' (encrypted)' : '';
        showStatus('connected', `Connected to ${target}${secure}`);
        document.title = `${target} - wstelnet`;
        relay.explain(url);   // learns the user name, for Log out
        term.focus();
    });
    session.addEventListener('disconnect', (e) => {
        document.title = 'wstelnet';
        if (heard || stopped) {
            ended(e.detail);
            return;
        }
        // A relay's refusal reaches the browser as a bare close: ask the relay why.
        const asked = round;
        relay.explain(url).then((verdict) => {
            if (asked !== round || stopped) {
                return;
            }
            if (verdict.kind === 'login') {
                showStatus('login', statusText('login', verdict));
                term.write('\r\n\x1b[2m[The proxy asks you to log in]\x1b[0m\r\n');
                relay.ask(url);
            } else {
                ended(e.detail, verdict.kind === 'refused' ? statusText('refused', verdict) : null);
            }
        });
    });
}

/** The end of a connection on the status line and in the terminal (as plain text: a reason is the server's). */
function ended({ clean, reason }, refusal = null) {
    showStatus('disconnected', refusal ?? (clean ? 'Disconnected' : `Disconnected: ${reason}`));
    const note = refusal ?? (clean ? 'Connection closed' : reason);
    // eslint-disable-next-line no-control-regex
    term.write(`\r\n\x1b[2m[${note.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')}]\x1b[0m\r\n`);
}

/** Ends the connection (or a pending look at why it ended); resolves once it is closed. */
function stop() {
    stopped = true;
    if (session.state === 'disconnected') {
        showStatus('disconnected', 'Disconnected');
        return Promise.resolve();
    }
    const closed = new Promise((resolve) => session.addEventListener('disconnect', resolve, { once: true }));
    session.disconnect();
    return closed;
}

async function logout() {
    const of = url || targetUrl();
    await stop();
    const { ok, reason } = await relay.logout(of);
    showStatus('disconnected', statusText(ok ? 'loggedout' : 'logoutfailed', { reason }));
}

function wireTerminal() {
    term.onData((text) => session.sendInput(text));
    term.onBinary((text) => session.sendBinaryString(text));
    term.onResize(({ cols, rows }) => session.resize(cols, rows));
    term.onTitleChange((title) => {
        document.title = title || 'wstelnet';
    });
    term.attachCustomKeyEventHandler(clipboardKeys);
    // The terminal follows its box: window resizes, the panel wrapping, zoom.
    let pending = 0;
    new ResizeObserver(() => {
        cancelAnimationFrame(pending);
        pending = requestAnimationFrame(() => fit.fit());
    }).observe($('terminal'));
}

/**
 * Ctrl+Shift+C / Ctrl+Insert copy the selection; Ctrl+Shift+V / Shift+Insert
 * are left to the browser, whose paste event xterm.js turns into input.
 * Plain Ctrl+C and Ctrl+V stay control characters for the remote side.
 */
function clipboardKeys(e) {
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const copy = (e.ctrlKey && e.shiftKey && key === 'c') || (e.ctrlKey && !e.shiftKey && key === 'Insert');
    const paste = (e.ctrlKey && e.shiftKey && key === 'v') || (e.shiftKey && !e.ctrlKey && key === 'Insert');
    if (copy) {
        e.preventDefault();
        if (e.type === 'keydown') {
            copySelection();
        }
        return false;
    }
    return !paste;
}

async function copySelection() {
    const text = term.getSelection();
    if (!text) {
        return;
    }
    try {
        await navigator.clipboard.writeText(text);
    } catch {
        // No async clipboard (a plain http page on another host): the copy
        // event goes to the terminal, which puts its selection in it.
        document.execCommand('copy');
    }
}

function showStatus(state, text) {
    document.body.dataset.state = state;
    statusLine.textContent = text;
    const busy = state === 'connecting' || state === 'connected';
    const idle = state === 'disconnected' || state === 'login';
    for (const input of Object.values(fields)) {
        input.disabled = !idle;
    }
    connectButton.hidden = !idle;
    disconnectButton.hidden = !busy;
    if (state !== 'login') {
        relay.close();
    }
}
