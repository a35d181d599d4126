// The full VNC client of vnc.html, embeddable in any page:
//
//   import { UI } from './app/ui.js';
//   const client = UI.load('vnc');          // or UI.load(element, options)
//
// It fills the element with a connect panel, a control bar (extra keys,
// clipboard, on-screen keyboard, drag to pan, full screen, settings) and the
// remote desktop, and drives one RFB connection at a time.
import { RFB } from '../core/rfb.js';
import { Log } from '../core/log.js';
import { buildUI, ensureStylesheet } from './template.js';
import { ControlBar } from './controlbar.js';
import { ExtraKeys } from './extrakeys.js';
import { Panner } from './pan.js';
import { DotCursor } from './dotcursor.js';
import { OnScreenKeyboard } from './osk.js';
import { SettingsForm } from './settingsform.js';
import {
    SETTINGS, SettingsStore, browserStorage, defaultSettings, parseSetting, resolveSettings, rfbOptions, targetUrl,
} from './settings.js';
import { pageParams, isTrue } from './url.js';
import { askUser, foreignHostQuestion, isTrustedHost, parseHostList, takeSecrets, trustedHostsOf } from './guard.js';
import { Reconnector, afterDisconnect } from './reconnect.js';
import { RelayLogin } from './login.js';
import { statusText, barStatusText, pageTitle } from './status.js';
import { bindClipboard, bindFullscreen } from './features.js';

const TARGET_FIELDS = ['host', 'port', 'path', 'encrypt'];

export class VncUI {
    /**
     * @param {HTMLElement} container element the UI is built in (its content is replaced)
     * @param {object} options settings (defaults of this page), query (a query string
     *   instead of the page's), storage (a Storage or null), storageKey, title (false: leave
     *   document.title alone), autoconnect, stylesheet (URL, or false when the page links it),
     *   trustedHosts (hosts the address may autoconnect to without asking; default: the page's
     *   novnc-trusted-hosts meta element), proxyAuth (false: never ask the relay's /auth/check,
     *   e.g. for a plain websockify on another origin)
     */
    constructor(container, options = {}) {
        this._doc = container.ownerDocument;
        this._win = this._doc.defaultView;
        ensureStylesheet(this._doc, options.stylesheet);
        this._ui = buildUI(container);
        this._root = container;
        this._refs = this._ui.refs;
        this._baseTitle = this._doc.title || 'VNC';
        this._setTitle = options.title !== false;

        const loc = this._win.location;
        // From the page's address a password is taken first, so it leaves the address bar at once.
        const secrets = options.query === undefined ? takeSecrets(this._win) : {};
        this._query = options.query !== undefined ? new URLSearchParams(options.query) : pageParams(loc.search, loc.hash);
        this._trusted = options.trustedHosts !== undefined ? parseHostList(options.trustedHosts) : trustedHostsOf(this._doc);
        this._store = new SettingsStore(options.storage !== undefined ? options.storage : browserStorage(this._win),
            options.storageKey);
        this._defaults = defaultSettings(loc, options.settings ?? {});
        const { values, sources } = resolveSettings({ query: this._query, stored: this._store.load(), defaults: this._defaults });
        this.settings = values;
        this.sources = sources;
        this._password = secrets.password ?? this._query.get('password');   // in memory only, never stored
        this._encodings = this._query.get('encodings')?.split(',').filter(Boolean);
        const r = this._refs;
        this._relay = options.proxyAuth === false ? null : new RelayLogin({ form: r.loginForm, username: r.loginUser,
            password: r.loginPassword, message: r.loginMessage, submit: r.loginSubmit, cancel: r.loginCancel, logout: r.logoutButton },
            { onlogin: () => this.connect(), oncancel: () => this.disconnect(), onlogout: () => this.logout() });
        r.loginUser.value = secrets.username ?? '';   // a user name from the link; a password there is the server's

        this._rfb = null;
        this._state = 'disconnected';
        this._name = '';
        this._reconnector = new Reconnector();
        this._wire();
        Log.init(values.logging);
        this._form.set(values);
        this._form.control('reconnect_delay').disabled = !values.reconnect;
        this._setState('disconnected', statusText('idle'));
        if (options.autoconnect ?? isTrue(this._query.get('autoconnect') ?? '')) {
            this._autoconnect();
        }
    }

    // -- public API --

    /** The current RFB connection (null before the first one). */
    get rfb() {
        return this._rfb;
    }

    /** disconnected, connecting, password, connected or waiting (for a reconnect). */
    get state() {
        return this._state;
    }

    get element() {
        return this._root;
    }

    connect() {
        if (this._rfb && this._rfb.state !== 'disconnected') {
            return;
        }
        this._applyForm(TARGET_FIELDS);
        const s = this.settings;
        if (!s.host) {
            this._setState('disconnected', 'Enter the host to connect to', 'error');
            this._form.control('host').focus();
            return;
        }
        this._reconnector.cancel();
        this._userDisconnect = false;
        this._securityFailure = null;
        this._open(s);
    }

    disconnect() {
        this._userDisconnect = true;
        this._reconnector.cancel();
        if (this._rfb && this._rfb.state !== 'disconnected') {
            this._rfb.disconnect();
        } else if (this._state !== 'disconnected') {
            this._setState('disconnected', statusText('disconnected', {}));
        }
    }

    /** Disconnects and ends the session the relay keeps for the logged-in user. */
    async logout() {
        if (!this._relay) {
            return;
        }
        const url = this._url ?? targetUrl(this.settings);
        this.disconnect();
        const { ok, reason } = await this._relay.logout(url);
        if (this._state === 'disconnected') {
            this._setState('disconnected', statusText(ok ? 'loggedout' : 'logoutfailed', { reason }), ok ? '' : 'error');
        }
    }

    /** Changes a setting as the panel does: applied now and remembered. Returns the value taken. */
    setSetting(name, raw, { save = true } = {}) {
        const value = parseSetting(name, raw);
        if (value === undefined) {
            return undefined;
        }
        this.settings[name] = value;
        if (save) {
            this._store.save(name, value, this._defaults[name]);
        }
        this._applySetting(name, value);
        return value;
    }

    /** Forgets the remembered settings and applies the defaults (the address still overrides). */
    resetSettings() {
        this._store.clear();
        const { values, sources } = resolveSettings({ query: this._query, stored: {}, defaults: this._defaults });
        this.sources = sources;
        for (const [name, value] of Object.entries(values)) {
            this.settings[name] = value;
            this._applySetting(name, value);
        }
        this._form.set(values);
    }

    /** A host from the address (a link anyone can send), neither the page's own nor trusted, waits for a click. */
    _autoconnect() {
        const s = this.settings;
        if (this.sources.host !== 'query' || isTrustedHost(s.host, this._win.location.hostname, this._trusted)) {
            this.connect();
            return;
        }
        this._setState('confirm', foreignHostQuestion(s.host, s.port));
        askUser(this._refs.confirmForm, this._refs.confirmCancel).then((yes) => {
            if (yes && this._state === 'confirm') {   // not after a disconnect() meanwhile
                this.connect();
            } else if (this._state === 'confirm') {
                this._setState('disconnected', statusText('idle'));
            }
        });
    }

    // -- wiring --

    _wire() {
        const r = this._refs;
        this._bar = new ControlBar(this._ui, () => this._rfb?.focus());
        this._keys = new ExtraKeys(this._ui.panels.keys, () => this._rfb);
        this._pan = new Panner(r.screen);
        this._dot = new DotCursor();
        this._osk = new OnScreenKeyboard(r.osk, () => this._rfb);
        this._form = new SettingsForm([r.settingsForm, r.connectForm], (name, raw, control) => {
            const value = this.setSetting(name, raw);
            if (value === undefined) {
                control.setAttribute('aria-invalid', 'true');
            } else {
                this._form.set({ [name]: value });
            }
        });
        this._clipboard = bindClipboard(r, () => this._rfb, (text) => this._announce(text));
        bindFullscreen(this._root, r.fullscreenButton);

        r.connectForm.addEventListener('submit', (e) => {
            e.preventDefault();
            if (this._state === 'connecting' || this._state === 'waiting') {
                this.disconnect();
            } else {
                this.connect();
            }
        });
        r.passwordForm.addEventListener('submit', (e) => {
            e.preventDefault();
            this._sendPassword();
        });
        r.passwordCancel.addEventListener('click', () => this.disconnect());
        r.disconnectButton.addEventListener('click', () => this.disconnect());
        r.resetSettings.addEventListener('click', () => this.resetSettings());
        r.oskButton.hidden = !OnScreenKeyboard.wanted;
        r.oskButton.addEventListener('click', () => {
            this._bar.hide();
            this._osk.show();
        });
        r.panButton.addEventListener('click', () => this._setPan(!this._pan.enabled));
        // Working on the desktop puts the controls away.
        r.screen.addEventListener('pointerdown', () => this._bar.desktopActivity(), true);
        this._root.addEventListener('keydown', (e) => {
            if (e.target === this._rfb?.display.view?.canvas) {
                this._bar.desktopActivity();
            }
        });
        if (typeof ResizeObserver === 'function') {
            this._sizes = new ResizeObserver(() => this._updatePan());
            this._sizes.observe(r.screen);
        }
    }

    _applyForm(names) {
        for (const [name, raw] of Object.entries(this._form.read(names))) {
            const value = raw === '' ? this._defaults[name] : parseSetting(name, raw);
            if (value !== undefined && value !== this.settings[name]) {
                this.setSetting(name, value);
            }
            this._form.set({ [name]: this.settings[name] });
        }
    }

    _applySetting(name, value) {
        const rfb = this._rfb?.state === 'connected' ? this._rfb : null;
        switch (name) {
        case 'view_only':
            if (value) {
                this._keys.releaseAll(true);
            }
            if (rfb) {
                rfb.viewOnly = value;
            }
            this._keys.disabled = value;
            this._refs.clipSend.disabled = value;
            break;
        case 'resize':
            if (rfb) {
                rfb.scaleViewport = value === 'scale';
                rfb.resizeSession = value === 'remote';
            }
            this._updatePan();
            break;
        case 'quality':
            if (rfb) {
                rfb.qualityLevel = value;
            }
            break;
        case 'compression':
            if (rfb) {
                rfb.compressionLevel = value;
            }
            break;
        case 'logging':
            Log.init(value);
            break;
        case 'dot_cursor':
            this._dot.enabled = value;
            break;
        case 'reconnect':
            this._form.control('reconnect_delay').disabled = !value;
            if (!value && this._state === 'waiting') {
                this.disconnect();
            }
            break;
        default:
            break;
        }
    }

    // -- one connection --

    _open(s) {
        // The last picture stays (dimmed) until the new connection shows its own.
        const shown = this._rfb?.display.view && !this._rfb.display.view.canvas.hidden && this._rfb.display.width > 0;
        if (shown) {
            this._dispose(this._stale);
            this._stale = this._rfb;
        } else {
            this._dispose(this._rfb);
        }
        this._rfb = null;
        Log.init(s.logging);
        this._url = targetUrl(s);
        const options = rfbOptions(s, { password: this._password, encodings: this._encodings });
        this._name = '';
        this._up = false;
        this._setState('connecting', statusText('connecting', { url: this._url }));
        const rfb = new RFB(this._refs.screen, this._url, options);
        this._rfb = rfb;
        const on = (type, fn) => rfb.addEventListener(type, (e) => rfb === this._rfb && fn(e.detail ?? {}));
        on('connect', () => this._onConnect());
        on('desktopname', ({ name }) => this._onName(name));
        on('credentialsrequired', () => this._onCredentials());
        on('securityfailure', ({ reason }) => this._onSecurityFailure(reason));
        on('disconnect', (d) => this._onDisconnect(d));
        on('clipboard', ({ text }) => this._clipboard.received(text));
        on('bell', () => this._bell());
        this._dot.attach(rfb);
        this._dot.enabled = s.dot_cursor;
        rfb.display.view.canvas.hidden = true;   // not even an empty canvas before the first picture
        this._sizes?.observe(rfb.display.view.canvas);
    }

    _dispose(rfb) {
        if (!rfb) {
            return;
        }
        if (rfb.display.view) {
            this._sizes?.unobserve(rfb.display.view.canvas);
        }
        rfb.display.dispose();
        if (rfb === this._stale) {
            this._stale = null;
        }
    }

    _onConnect() {
        this._dispose(this._stale);
        this._rfb.display.view.canvas.hidden = false;
        this._everConnected = true;
        this._up = true;
        this._relay?.explain(this._url);   // learns the user name, for Log out
        this._reconnector.reset();
        this._setState('connected', statusText('connected', { name: this._name, encrypted: this.settings.encrypt }));
        this._rfb.focus();
    }

    _onName(name) {
        this._name = name;
        if (this._state === 'connected') {
            this._setState('connected', statusText('connected', { name, encrypted: this.settings.encrypt }));
        }
    }

    _onCredentials() {
        this._setState('password', statusText('password'));
        this._refs.password.value = '';
        this._refs.password.focus();
    }

    _sendPassword() {
        const password = this._refs.password.value;
        this._refs.password.value = '';
        this._password = password;   // kept in memory for reconnects of this page only
        this._setState('connecting', statusText('authenticating'));
        this._rfb?.sendCredentials({ password });
    }

    _onSecurityFailure(reason) {
        this._securityFailure = reason;
        this._password = null;
    }

    _onDisconnect(d) {
        this._keys.releaseAll(false);
        this._setPan(false);
        // A relay's refusal reaches the browser as a bare close before the session: ask the relay why.
        const early = !this._up && !this._userDisconnect && (this._securityFailure ?? null) === null;
        if (!early || !this._relay) {
            this._settle(d, null);
            return;
        }
        const rfb = this._rfb;
        this._relay.explain(this._url).then((verdict) => {
            if (rfb === this._rfb && !this._userDisconnect) {   // not after a click or a new connection meanwhile
                this._settle(d, verdict);
            }
        });
    }

    _settle({ clean, reason }, verdict) {
        const next = afterDisconnect({ clean, reason, verdict, securityFailure: this._securityFailure,
            userDisconnect: this._userDisconnect, reconnect: this.settings.reconnect, everConnected: this._everConnected });
        if (next.step === 'retry') {
            this._scheduleReconnect(next.reason);
            return;
        }
        this._everConnected = false;
        this._setState(next.step === 'login' ? 'login' : 'disconnected', next.text, next.tone);
        if (next.step === 'login') {
            this._relay.ask(this._url);
        }
    }

    _scheduleReconnect(reason) {
        const { attempt } = this._reconnector.schedule(this.settings.reconnect_delay, () => this._open(this.settings));
        const text = (seconds) => statusText('waiting', { reason, seconds, attempt });
        this._setState('waiting', text(this._reconnector.secondsLeft()));
        this._reconnector.countdown((seconds) => {
            this._refs.status.textContent = text(seconds);
        });
    }

    // -- presentation --

    /** tone: error for a failure; otherwise it follows the state. */
    _setState(state, text, tone = undefined) {
        this._state = state;
        const r = this._refs;
        this._root.dataset.state = state;
        this._root.dataset.tone = tone ?? (state === 'connected' ? 'ok' : state === 'disconnected' ? '' : 'busy');
        r.status.textContent = text;
        r.barStatus.textContent = barStatusText(state, this._name);
        r.barStatus.title = text;
        r.lock.hidden = !(state === 'connected' && this.settings.encrypt);
        this._announce(text);
        const busy = state === 'connecting' || state === 'waiting';
        for (const name of TARGET_FIELDS) {
            this._form.control(name).disabled = busy;
        }
        r.connectButton.textContent = busy ? 'Cancel' : 'Connect';
        r.connectForm.hidden = state === 'password' || state === 'confirm' || state === 'login';
        if (state !== 'login') {
            this._relay?.close();
        }
        r.passwordForm.hidden = state !== 'password';
        r.confirmForm.hidden = state !== 'confirm';
        r.overlay.hidden = state === 'connected';
        if (state !== 'connected' && this._bar.openPanel && this._bar.openPanel !== 'settings') {
            this._bar.closePanels();   // extra keys and clipboard need a connection
        }
        this._bar.autoHide = state === 'connected';
        if (state === 'connected') {
            this._bar.show();
        }
        this._keys.disabled = this.settings.view_only;
        this._updatePan();
        if (this._setTitle) {
            this._doc.title = pageTitle(this._baseTitle, state, this._name);
        }
    }

    _announce(text) {
        this._refs.announce.textContent = text;
    }

    _updatePan() {
        const possible = this._state === 'connected' && this.settings.resize !== 'scale' && this._pan.needed;
        this._refs.panButton.hidden = !possible;
        if (!possible && this._pan.enabled) {
            this._setPan(false);
        }
    }

    _setPan(on) {
        this._pan.enabled = on;
        this._root.dataset.pan = on ? 'on' : 'off';
        this._refs.panButton.setAttribute('aria-pressed', String(on));
    }

    _bell() {
        this._root.classList.remove('nvp-bell');
        void this._root.offsetWidth;   // restarts the animation
        this._root.classList.add('nvp-bell');
    }
}

/** Builds the UI in an element (or the element with that id) and returns the VncUI. */
function load(target, options = {}) {
    const element = typeof target === 'string' ? document.getElementById(target) : target;
    if (!element) {
        throw new Error(`UI.load: no element with id "${target}"`);
    }
    return new VncUI(element, options);
}

export const UI = { load, VncUI, SETTINGS };
export default UI;
