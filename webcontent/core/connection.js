// The protocol engine under RFB: transport, display, decoders and the chain
// of phases (handshake.js, security.js, messages.js). Each phase reads from
// the receive queue and returns false when it needs more bytes; any error
// thrown ends in the one fail() path. The phases see this object as `conn`.
import { Log } from './log.js';
import { Websock, DEFAULT_PROTOCOLS } from './websock.js';
import { Display } from './display.js';
import { readVersion } from './handshake.js';
import { readServerMessage } from './messages.js';
import { encodingList } from './encodings.js';
import * as msg from './clientmessages.js';
import { ClipboardChannel } from './clipboardchannel.js';
import { createDecoders } from './decoders/index.js';

const FENCE_REQUEST = 0x80000000;
const FENCE_FLAGS_SUPPORTED = 0x7;   // BlockBefore | BlockAfter | SyncNext
const MAX_STEPS = 100000;            // phases run per turn before yielding

const DEFAULTS = {
    credentials: {},
    shared: true,
    viewOnly: false,
    scaleViewport: false,
    resizeSession: false,
    qualityLevel: 6,
    compressionLevel: 2,
    encodings: null,
    wsProtocols: DEFAULT_PROTOCOLS,
    continuousUpdates: true,
    imageDecoder: undefined,
};

export class Connection extends EventTarget {
    constructor(target, options) {
        super();
        this._options = { ...DEFAULTS, ...options };
        this._state = 'connecting';
        this._target = target ?? null;
        this._sock = new Websock();
        this.rq = this._sock.rQ;
        this.display = new Display(this._target, { imageDecoder: this._options.imageDecoder });
        this.display.ondrain = () => this._sendPendingUpdateRequest();
        this.display.onerror = (e) => this._fail(e.message);
        this.decoders = createDecoders();

        // Connection state read and written by the phases.
        this.version = 0;
        this.credentials = { ...this._options.credentials };
        this.shared = this._options.shared;
        this.securityType = 0;
        this.tightSecurity = false;
        this.fbu = null;
        this._phase = readVersion;
        this._credentialsRequested = false;

        this.capabilities = { resize: false, qemuKeys: false, fence: false, continuousUpdates: false };
        this._screens = [];
        this._cuEnabled = false;
        this._updateWanted = false;
        this.colourMap = [];
        this._clipboard = new ClipboardChannel((bytes) => this._send(bytes), (text) => this._emit('clipboard', { text }));
        this._input = null;
        this._sock.onmessage = () => this._process();
        this._sock.onclose = (e) => this._onSocketClose(e);
    }

    // -- the connection as seen by the phases --

    send(bytes) {
        this._send(bytes);
    }

    setPhase(phase) {
        this._phase = phase;
    }

    requestCredentials(types) {
        if (!this._credentialsRequested) {
            this._credentialsRequested = true;
            this._emit('credentialsrequired', { types });
        }
    }

    securityFailure(status, reason) {
        this._emit('securityfailure', { status, reason });
        this._fail(`Authentication failed: ${reason}`);
    }

    serverInit({ width, height, name }) {
        Log.info(`server init: ${width}x${height} "${name}", RFB ${this.version}`);
        this.display.resize(width, height);
        this._state = 'connected';
        this.setPhase(readServerMessage);
        this._send(msg.setPixelFormat());
        this._sendEncodings();
        this._send(msg.framebufferUpdateRequest(false, 0, 0, width, height));
        this._input?.attach();
        this._emit('connect');
        this._emit('desktopname', { name });
    }

    onFramebufferUpdateDone() {
        this.display.flip();
        if (!this._cuEnabled) {
            this._updateWanted = true;
            this._sendPendingUpdateRequest();
        }
    }

    onBell() {
        this._emit('bell');
    }

    onServerCutText(text) {
        this._emit('clipboard', { text });
    }

    onExtendedClipboard(bytes) {
        this._clipboard.receive(bytes);
    }

    onColourMap(first, colours) {
        colours.forEach((c, i) => {
            this.colourMap[first + i] = c;
        });
    }

    onEndOfContinuousUpdates() {
        if (!this.capabilities.continuousUpdates) {
            // The first one announces support: switch updates to continuous.
            this._setCapability('continuousUpdates', true);
            this._cuEnabled = true;
            this._send(msg.enableContinuousUpdates(true, 0, 0, this.display.width, this.display.height));
        } else {
            // The server stopped continuous updates: go back to requests.
            this._cuEnabled = false;
            this._updateWanted = true;
            this._sendPendingUpdateRequest();
        }
    }

    onFence(flags, payload) {
        this._setCapability('fence', true);
        if (flags & FENCE_REQUEST) {
            this._send(msg.fence(flags & FENCE_FLAGS_SUPPORTED, payload));
        }
    }

    onDesktopSize(width, height) {
        this._resize(width, height);
    }

    onExtendedDesktopSize({ reason, status, width, height, screens }) {
        const first = !this.capabilities.resize;
        this._setCapability('resize', true);
        if (reason === 1 && status !== 0) {
            const why = ['', 'resize is administratively prohibited', 'out of resources', 'invalid screen layout'];
            Log.warn(`server refused the new size: ${why[status] ?? `error ${status}`}`);
            return;
        }
        this._screens = screens;
        this._resize(width, height);
        if (first) {
            this.requestRemoteResize();
        }
    }

    onDesktopName(name) {
        this._emit('desktopname', { name });
    }

    onQEMUExtendedKeyEvent() {
        this._setCapability('qemuKeys', true);
    }

    // -- internals --

    _emit(type, detail) {
        this.dispatchEvent(new CustomEvent(type, { detail }));
    }

    _send(bytes) {
        if (this._state !== 'disconnected') {
            this._sock.send(bytes);
        }
    }

    _setCapability(name, value) {
        if (this.capabilities[name] !== value) {
            this.capabilities[name] = value;
            this._emit('capabilities', { capabilities: { ...this.capabilities } });
        }
    }

    _sendEncodings() {
        if (this._state === 'connected') {
            this._send(msg.setEncodings(encodingList(this._options)));
        }
    }

    /** Requests the next incremental update once the display has caught up. */
    _sendPendingUpdateRequest() {
        if (!this._updateWanted || !this.display.idle || this._state !== 'connected' || this._cuEnabled) {
            return;
        }
        this._updateWanted = false;
        this._send(msg.framebufferUpdateRequest(true, 0, 0, this.display.width, this.display.height));
    }

    _resize(width, height) {
        if (width === this.display.width && height === this.display.height) {
            return;
        }
        this.display.resize(width, height);
        if (this._cuEnabled) {
            this._send(msg.enableContinuousUpdates(true, 0, 0, width, height));
        }
    }

    _process() {
        if (this._state === 'disconnected' || this._processing) {
            return;
        }
        this._processing = true;
        try {
            let steps = 0;
            while (this._state !== 'disconnected' && this.rq.length > 0 && this._phase(this)) {
                if (++steps >= MAX_STEPS) {
                    setTimeout(() => this._process(), 0);  // let the page breathe
                    break;
                }
            }
        } catch (e) {
            this._fail(e instanceof Error ? e.message : String(e));   // pako throws strings
        } finally {
            this._processing = false;
        }
    }

    _onSocketClose(e) {
        if (this._state === 'disconnected') {
            return;
        }
        const detail = e.reason ? `${e.code}: ${e.reason}` : `${e.code}`;
        if (this._state === 'connecting') {
            this._fail(`Connection closed during the handshake (${detail})`);
        } else if (e.code === 1000) {
            this._teardown(true, `Server closed the connection (${detail})`);
        } else {
            this._fail(`Connection lost (${detail})`);
        }
    }

    /** The one failure path: logs, tears down, reports {clean: false, reason}. */
    _fail(reason) {
        if (this._state === 'disconnected') {
            return;
        }
        Log.error(reason);
        this._teardown(false, reason);
    }

    _teardown(clean, reason) {
        if (this._state === 'disconnected') {
            return;
        }
        this._state = 'disconnected';
        this._input?.detach();
        this._sock.close();
        this._sock.release();
        this._emit('disconnect', { clean, reason });
    }
}
