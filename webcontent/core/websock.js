// WebSocket transport: binary frames, or text frames under the 'base64'
// subprotocol. Received bytes go into a ReceiveQueue; the owner is called
// back after each message and parses as much as it can.
import { Log } from './log.js';
import { ReceiveQueue } from './rqueue.js';

export const DEFAULT_PROTOCOLS = ['binary', 'base64'];

function base64ToBytes(text) {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) {
        out[i] = bin.charCodeAt(i);
    }
    return out;
}

function bytesToBase64(bytes) {
    let bin = '';
    for (let i = 0; i < bytes.length; i += 4096) {
        bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096));
    }
    return btoa(bin);
}

export class Websock {
    constructor() {
        this.rQ = new ReceiveQueue();
        this._ws = null;
        this.onopen = () => {};
        this.onmessage = () => {};
        this.onclose = () => {};
        this.onerror = () => {};
    }

    get readyState() {
        return this._ws ? this._ws.readyState : 3;
    }

    /** True when the agreed subprotocol carries bytes as base64 text. */
    get base64() {
        return this._ws !== null && this._ws.protocol === 'base64';
    }

    /** Opens a WebSocket to url. */
    open(url, protocols = DEFAULT_PROTOCOLS) {
        this.attach(new WebSocket(url, protocols));
    }

    /** Uses an already created WebSocket-like channel. */
    attach(channel) {
        this._ws = channel;
        channel.binaryType = 'arraybuffer';
        channel.onopen = () => {
            Log.debug('websocket open, protocol', JSON.stringify(channel.protocol));
            this.onopen();
        };
        channel.onmessage = (e) => this._receive(e.data);
        channel.onclose = (e) => {
            Log.debug('websocket closed', e.code, e.reason);
            this.onclose(e);
        };
        channel.onerror = (e) => {
            Log.debug('websocket error');
            this.onerror(e);
        };
        if (channel.readyState === 1) {
            queueMicrotask(() => this.onopen());
        }
    }

    _receive(data) {
        if (typeof data === 'string') {
            this.rQ.push(base64ToBytes(data));
        } else {
            this.rQ.push(data);
        }
        this.onmessage();
    }

    /** Sends one client message. */
    send(bytes) {
        if (!this._ws || this._ws.readyState !== 1) {
            return;
        }
        this._ws.send(this.base64 ? bytesToBase64(bytes) : bytes);
    }

    close() {
        if (this._ws && (this._ws.readyState === 0 || this._ws.readyState === 1)) {
            try {
                this._ws.close();
            } catch (e) {
                Log.debug('close failed', e);
            }
        }
    }

    /** Detaches the handlers so that a dead channel calls nothing more. */
    release() {
        if (this._ws) {
            this._ws.onopen = this._ws.onmessage = this._ws.onclose = this._ws.onerror = null;
        }
        this._ws = null;
        this.rQ.clear();
    }
}
