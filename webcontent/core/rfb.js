// The RFB client: `new RFB(target, url, options)` connects to a VNC server
// through a WebSocket and shows its desktop in `target`.
//
// Events (EventTarget, detail in CustomEvent.detail): connect, disconnect
// {clean, reason}, credentialsrequired {types}, securityfailure {status,
// reason}, clipboard {text}, desktopname {name}, bell, capabilities
// {capabilities}.
//
// This class is the public API: options, input and clipboard. The protocol
// engine underneath is Connection (connection.js).
import { Log } from './log.js';
import { Connection } from './connection.js';
import * as msg from './clientmessages.js';
import { InputBinding } from './input/binding.js';
import { XK } from './input/keysym.js';
import { scancodeFromCode } from './input/xtscancodes.js';

export class RFB extends Connection {
    /**
     * @param {Element|null} target element to show the desktop in (null: headless)
     * @param {string|object} urlOrChannel ws:// or wss:// URL, or an open WebSocket-like channel
     * @param {object} options credentials {password}, shared, viewOnly, scaleViewport,
     *   resizeSession, qualityLevel (0-9, -1: lossless), compressionLevel (0-9),
     *   encodings (names or numbers, most preferred first), wsProtocols,
     *   continuousUpdates, imageDecoder (a test seam)
     */
    constructor(target, urlOrChannel, options = {}) {
        super(target, options);
        this._input = this._target ? new InputBinding(this, this.display.view) : null;
        if (this.display.view) {
            this.display.view.scaleViewport = this._options.scaleViewport;
        }
        this._sock.onopen = () => Log.info('connected to', typeof urlOrChannel === 'string' ? urlOrChannel : 'channel');
        try {
            if (typeof urlOrChannel === 'string') {
                this._sock.open(urlOrChannel, this._options.wsProtocols);
            } else {
                this._sock.attach(urlOrChannel);
            }
        } catch (e) {
            setTimeout(() => this._fail(`Cannot open the connection: ${e.message}`), 0);
        }
    }
    // -- public API --

    /** 'connecting', 'connected' or 'disconnected'. */
    get state() {
        return this._state;
    }

    get viewOnly() {
        return this._options.viewOnly;
    }

    set viewOnly(value) {
        this._options.viewOnly = Boolean(value);
        if (value) {
            this._input?.releaseKeys();
        }
    }

    get scaleViewport() {
        return this._options.scaleViewport;
    }

    set scaleViewport(value) {
        this._options.scaleViewport = Boolean(value);
        if (this.display.view) {
            this.display.view.scaleViewport = Boolean(value);
            this.display.view.updateScale();
        }
    }

    get resizeSession() {
        return this._options.resizeSession;
    }

    set resizeSession(value) {
        this._options.resizeSession = Boolean(value);
        this.requestRemoteResize();
    }

    get qualityLevel() {
        return this._options.qualityLevel;
    }

    set qualityLevel(value) {
        this._options.qualityLevel = value;
        this._sendEncodings();
    }

    get compressionLevel() {
        return this._options.compressionLevel;
    }

    set compressionLevel(value) {
        this._options.compressionLevel = value;
        this._sendEncodings();
    }

    disconnect() {
        this._teardown(true, 'Disconnected');
    }

    /** Supplies credentials ({password}) after a credentialsrequired event. */
    sendCredentials(credentials) {
        Object.assign(this.credentials, credentials);
        this._credentialsRequested = false;
        this._process();
    }

    /** Sends a key press (down true), release (false), or both (undefined). */
    sendKey(keysym, code = '', down = undefined) {
        if (this._state !== 'connected' || this._options.viewOnly) {
            return;
        }
        if (down === undefined) {
            this.sendKey(keysym, code, true);
            this.sendKey(keysym, code, false);
            return;
        }
        const scancode = scancodeFromCode(code);
        if (this.capabilities.qemuKeys && scancode) {
            this._send(msg.qemuExtendedKeyEvent(keysym, down, scancode));
        } else {
            this._send(msg.keyEvent(keysym, down));
        }
    }

    sendCtrlAltDel() {
        this.sendKey(XK.Control_L, 'ControlLeft', true);
        this.sendKey(XK.Alt_L, 'AltLeft', true);
        this.sendKey(XK.Delete, 'Delete', true);
        this.sendKey(XK.Delete, 'Delete', false);
        this.sendKey(XK.Alt_L, 'AltLeft', false);
        this.sendKey(XK.Control_L, 'ControlLeft', false);
    }

    /** Sends a pointer position and button mask in framebuffer coordinates. */
    sendPointer(x, y, mask) {
        if (this._state !== 'connected' || this._options.viewOnly) {
            return;
        }
        x = Math.max(0, Math.min(this.display.width - 1, Math.round(x)));
        y = Math.max(0, Math.min(this.display.height - 1, Math.round(y)));
        this._send(msg.pointerEvent(x, y, mask));
    }

    /** Hands local clipboard text to the server. */
    clipboardPasteFrom(text) {
        if (this._state !== 'connected' || this._options.viewOnly) {
            return;
        }
        this._clipboard.paste(String(text));
    }

    focus() {
        this.display.view?.canvas.focus({ preventScroll: true });
    }

    blur() {
        this.display.view?.canvas.blur();
    }

    /** Asks the server to match the target's size (resizeSession, server support needed). */
    requestRemoteResize() {
        if (!this._options.resizeSession || !this.capabilities.resize || !this._target ||
            this._state !== 'connected') {
            return;
        }
        const rect = this._target.getBoundingClientRect();
        const width = Math.floor(rect.width);
        const height = Math.floor(rect.height);
        if (width <= 0 || height <= 0 || (width === this.display.width && height === this.display.height)) {
            return;
        }
        const first = this._screens[0] ?? { id: 0, flags: 0 };
        this._send(msg.setDesktopSize(width, height, [{ ...first, x: 0, y: 0, width, height }]));
    }
}
