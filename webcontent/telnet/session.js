// A telnet client session over the WebSocket transport: the reader, the
// option negotiation and the options this client performs.
//
//   const session = new TelnetSession({ cols: 80, rows: 24 });
//   session.ondata = (bytes) => terminal.write(bytes);
//   session.addEventListener('disconnect', (e) => ...);
//   session.connect('ws://host:6080/websockify');
//   session.sendInput('ls\r');  session.resize(120, 40);
//
// Events: connect; disconnect {clean, code, reason}; option {side, option, name, enabled}.
import { Log } from '../core/log.js';
import { Websock, DEFAULT_PROTOCOLS } from '../core/websock.js';
import { TelnetReader } from './reader.js';
import { OptionNegotiation } from './options.js';
import { OPT, CR, LF, TTYPE_SEND, commandName, optionName } from './constants.js';
import { encodeData, command, negotiation, windowSize, terminalType } from './writer.js';

/** Options we let the server perform (we answer DO) ... */
const SERVER_OPTIONS = new Set([OPT.BINARY, OPT.ECHO, OPT.SGA]);
/** ... and options we perform (we answer WILL). Anything else is refused once. */
const CLIENT_OPTIONS = new Set([OPT.BINARY, OPT.SGA, OPT.TTYPE, OPT.NAWS]);
/** Asked for at once: full duplex, and what a server needs to know about a terminal. */
const OFFERS = [['him', OPT.SGA], ['us', OPT.TTYPE], ['us', OPT.NAWS]];

export const DEFAULT_TERMINAL_TYPES = Object.freeze(['xterm-256color']);

export class TelnetSession extends EventTarget {
    constructor({ terminalTypes = DEFAULT_TERMINAL_TYPES, cols = 80, rows = 24 } = {}) {
        super();
        /** Called with each run of data from the server (a Uint8Array it may keep). */
        this.ondata = () => {};
        this._types = terminalTypes.length > 0 ? [...terminalTypes] : [...DEFAULT_TERMINAL_TYPES];
        this._typeIndex = 0;
        this._cols = cols;
        this._rows = rows;
        this._sentSize = null;
        this._state = 'disconnected';
        this._closing = false;
        this._pending = [];
        this._utf8 = new TextEncoder();
        this._ws = new Websock();
        this._reader = new TelnetReader({
            onData: (view) => this.ondata(view),
            onCommand: (code) => Log.debug(`telnet: < IAC ${commandName(code)}`),
            onNegotiation: (verb, option) => this._options.receive(verb, option),
            onSubnegotiation: (option, bytes) => this._subnegotiation(option, bytes),
        });
        this._options = new OptionNegotiation({
            send: (verb, option) => this._write(negotiation(verb, option)),
            accepts: (side, option) => (side === 'us' ? CLIENT_OPTIONS : SERVER_OPTIONS).has(option),
            changed: (side, option, on) => this._optionChanged(side, option, on),
        });
    }

    /** 'disconnected' | 'connecting' | 'connected'. */
    get state() {
        return this._state;
    }

    /** True while the server echoes what we type (RFC 857). */
    get remoteEcho() {
        return this._options.enabled('him', OPT.ECHO);
    }

    /** The option negotiation, for inspection: enabled('us'|'him', option). */
    get options() {
        return this._options;
    }

    /** Opens the connection: a ws:// or wss:// URL, or a WebSocket-like channel. */
    connect(target, protocols = DEFAULT_PROTOCOLS) {
        if (this._state !== 'disconnected') {
            throw new Error(`connect() while ${this._state}`);
        }
        this._reader.reset();
        this._options.reset();
        this._typeIndex = 0;
        this._sentSize = null;
        this._closing = false;
        this._pending = [];
        this._state = 'connecting';
        this._ws.onopen = () => this._opened();
        this._ws.onmessage = () => this._received();
        this._ws.onclose = (e) => this._closed(e);
        try {
            if (typeof target === 'string') {
                this._ws.open(target, protocols);
            } else {
                this._ws.attach(target);
            }
        } catch (e) {
            this._state = 'disconnected';   // e.g. a URL the WebSocket constructor rejects
            this._ws.release();
            throw e;
        }
    }

    disconnect() {
        if (this._state !== 'disconnected') {
            this._closing = true;
            this._ws.close();
        }
    }

    /**
     * Keyboard input from the terminal, a string. Enter (CR) goes out as the
     * NVT newline CR LF (RFC 854, RFC 1123 3.3.1), as a plain CR in binary mode.
     */
    sendInput(text) {
        const bytes = this._utf8.encode(text);
        this.sendData(this._binaryOut() ? bytes : crToCrLf(bytes));
    }

    /** Input given as a string of byte values 0-255 (xterm.js onBinary). */
    sendBinaryString(text) {
        this.sendData(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff));
    }

    /** Data bytes as they are: IAC doubled, and a bare CR as CR NUL unless binary. */
    sendData(bytes) {
        if (bytes.length > 0) {
            this._write(encodeData(bytes, this._binaryOut()));
            this._flush();
        }
    }

    /** A telnet command such as AYT, IP, BRK or AO. */
    sendCommand(code) {
        this._write(command(code));
        this._flush();
    }

    /** The terminal's size in characters; sent (NAWS) whenever it is agreed and changes. */
    resize(cols, rows) {
        this._cols = cols;
        this._rows = rows;
        this._sendWindowSize();
        this._flush();
    }

    _binaryOut() {
        return this._options.enabled('us', OPT.BINARY);
    }

    _opened() {
        this._state = 'connected';
        Log.info('telnet: connected');
        for (const [side, option] of OFFERS) {
            this._options.request(side, option, true);
        }
        this._flush();
        this.dispatchEvent(new CustomEvent('connect'));
    }

    _received() {
        const rq = this._ws.rQ;
        // A copy: data views are handed to the terminal, which may keep them.
        const chunk = rq.copy(rq.length);
        this._reader.receive(chunk);
        this._flush();
    }

    _closed(e) {
        const wasConnecting = this._state === 'connecting';
        this._state = 'disconnected';
        this._pending = [];
        this._ws.release();
        const clean = this._closing || e.code === 1000;
        let reason = e.reason || '';
        if (wasConnecting && !this._closing) {
            reason = reason || 'could not connect';
        } else if (!clean) {
            reason = reason || `connection lost (code ${e.code})`;
        }
        Log.info('telnet: disconnected', e.code, reason);
        this.dispatchEvent(new CustomEvent('disconnect', { detail: { clean, code: e.code, reason } }));
    }

    _optionChanged(side, option, on) {
        Log.debug(`telnet: ${side} ${optionName(option)} ${on ? 'on' : 'off'}`);
        if (side === 'us' && option === OPT.NAWS) {
            this._sentSize = null;
            this._sendWindowSize();
        } else if (side === 'us' && option === OPT.TTYPE) {
            this._typeIndex = 0;
        } else if (side === 'him' && option === OPT.BINARY) {
            this._reader.binary = on;
        }
        this.dispatchEvent(new CustomEvent('option', {
            detail: { side, option, name: optionName(option), enabled: on },
        }));
    }

    _subnegotiation(option, bytes) {
        if (option === OPT.TTYPE && bytes[0] === TTYPE_SEND && this._options.enabled('us', OPT.TTYPE)) {
            this._write(terminalType(this._nextTerminalType()));
            return;
        }
        Log.debug(`telnet: < SB ${optionName(option)} (${bytes.length} bytes) ignored`);
    }

    /**
     * RFC 1091: each SEND gets the next type; the last one is sent twice to
     * mark the end of the list, and the SEND after that starts over.
     */
    _nextTerminalType() {
        const n = this._types.length;
        const name = this._types[Math.min(this._typeIndex, n - 1)];
        this._typeIndex = this._typeIndex >= n ? 0 : this._typeIndex + 1;
        Log.debug(`telnet: > SB TTYPE IS ${name}`);
        return name;
    }

    _sendWindowSize() {
        if (!this._options.enabled('us', OPT.NAWS)) {
            return;
        }
        const size = `${this._cols}x${this._rows}`;
        if (size !== this._sentSize) {
            this._sentSize = size;
            Log.debug(`telnet: > SB NAWS ${size}`);
            this._write(windowSize(this._cols, this._rows));
        }
    }

    /** Queues bytes while connected; _flush() sends everything queued as one message. */
    _write(bytes) {
        if (this._state === 'connected') {
            this._pending.push(bytes);
        }
    }

    _flush() {
        if (this._pending.length === 0) {
            return;
        }
        const parts = this._pending;
        this._pending = [];
        this._ws.send(parts.length === 1 ? parts[0] : concat(parts));
    }
}

/** Every CR not already followed by LF gets one: Enter as the NVT newline. */
function crToCrLf(bytes) {
    let extra = 0;
    for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === CR && bytes[i + 1] !== LF) {
            extra++;
        }
    }
    if (extra === 0) {
        return bytes;
    }
    const out = new Uint8Array(bytes.length + extra);
    let j = 0;
    for (let i = 0; i < bytes.length; i++) {
        out[j++] = bytes[i];
        if (bytes[i] === CR && bytes[i + 1] !== LF) {
            out[j++] = LF;
        }
    }
    return out;
}

function concat(parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
        out.set(p, offset);
        offset += p.length;
    }
    return out;
}
