// Reads the server's byte stream: data, commands, option negotiation and
// subnegotiations (RFC 854, 855). An explicit state machine: a command or
// subnegotiation cut by a frame boundary is kept and finished by the next
// chunk; nothing here throws or blocks.
//
// The handler is called with:
//   onData(view)                  data bytes, a view into the chunk given to receive()
//   onCommand(code)               IAC <code> other than negotiation and SB
//   onNegotiation(verb, option)   IAC WILL|WONT|DO|DONT <option>
//   onSubnegotiation(option, bytes)  IAC SB <option> <bytes> IAC SE, IAC IAC undone
import { Log } from '../core/log.js';
import { IAC, WILL, WONT, DO, DONT, SB, SE, CR, NUL, commandName } from './constants.js';

const State = Object.freeze({
    DATA: 0,         // plain data
    IAC: 1,          // after IAC
    OPTION: 2,       // after IAC WILL|WONT|DO|DONT, waiting for the option byte
    SB_OPTION: 3,    // after IAC SB, waiting for the option byte
    SB_DATA: 4,      // inside a subnegotiation
    SB_IAC: 5,       // IAC inside a subnegotiation
});

/** Longest subnegotiation kept; longer ones are read to their end and dropped. */
export const MAX_SUBNEGOTIATION = 4096;

export class TelnetReader {
    constructor(handler, { maxSubnegotiation = MAX_SUBNEGOTIATION } = {}) {
        this._handler = handler;
        this._max = maxSubnegotiation;
        /** True while the server sends in BINARY (RFC 856): no CR NUL rule. */
        this.binary = false;
        this.reset();
    }

    /** Forgets any partial command: for a new connection. */
    reset() {
        this._state = State.DATA;
        this._verb = 0;
        this._cr = false;            // the last data byte was a CR (its NUL may follow)
        this._sbOption = 0;
        this._sb = [];
        this._sbOverflow = false;
    }

    /** True when no command or subnegotiation is half read. */
    get idle() {
        return this._state === State.DATA;
    }

    /** Parses one chunk; data is handed out as views into it, so do not reuse it. */
    receive(chunk) {
        const end = chunk.length;
        let start = 0;   // first byte of the data run not handed out yet
        for (let i = 0; i < end; i++) {
            const b = chunk[i];
            switch (this._state) {
            case State.DATA:
                if (b === IAC) {
                    this._emit(chunk, start, i);
                    this._state = State.IAC;
                    this._cr = false;
                } else if (b === NUL && this._cr && !this.binary) {
                    // RFC 854: CR NUL is a bare carriage return; the NUL is padding.
                    this._emit(chunk, start, i);
                    start = i + 1;
                    this._cr = false;
                } else {
                    this._cr = b === CR;
                }
                continue;
            case State.IAC:
                this._command(b);
                if (this._state === State.DATA) {
                    // IAC IAC is one data byte 255: it starts the next run.
                    start = b === IAC ? i : i + 1;
                }
                continue;
            case State.OPTION:
                this._state = State.DATA;
                start = i + 1;
                this._handler.onNegotiation(this._verb, b);
                continue;
            case State.SB_OPTION:
                this._sbOption = b;
                this._sb = [];
                this._sbOverflow = false;
                this._state = State.SB_DATA;
                continue;
            case State.SB_DATA:
                if (b === IAC) {
                    this._state = State.SB_IAC;
                } else {
                    this._sbPush(b);
                }
                continue;
            case State.SB_IAC:
                if (b === IAC) {
                    this._sbPush(IAC);
                    this._state = State.SB_DATA;
                } else if (b === SE) {
                    this._state = State.DATA;
                    start = i + 1;
                    this._subnegotiationDone();
                } else {
                    // RFC 855 allows only IAC IAC and IAC SE here: drop the
                    // subnegotiation and read this byte as the command it names.
                    Log.warn(`telnet: IAC ${commandName(b)} inside subnegotiation ${this._sbOption}; dropped`);
                    this._command(b);
                    if (this._state === State.DATA) {
                        start = i + 1;
                    }
                }
                continue;
            }
        }
        if (this._state === State.DATA) {
            this._emit(chunk, start, end);
        }
    }

    /** The byte after an IAC (outside a subnegotiation's data). */
    _command(b) {
        switch (b) {
        case IAC:
            this._state = State.DATA;
            return;
        case WILL:
        case WONT:
        case DO:
        case DONT:
            this._verb = b;
            this._state = State.OPTION;
            return;
        case SB:
            this._state = State.SB_OPTION;
            return;
        case SE:
            this._state = State.DATA;
            Log.debug('telnet: IAC SE outside a subnegotiation ignored');
            return;
        default:
            this._state = State.DATA;
            this._handler.onCommand(b);
        }
    }

    _sbPush(b) {
        if (this._sb.length < this._max) {
            this._sb.push(b);
        } else {
            this._sbOverflow = true;
        }
    }

    _subnegotiationDone() {
        const option = this._sbOption;
        const bytes = Uint8Array.from(this._sb);
        this._sb = [];
        if (this._sbOverflow) {
            Log.warn(`telnet: subnegotiation ${option} longer than ${this._max} bytes dropped`);
            return;
        }
        this._handler.onSubnegotiation(option, bytes);
    }

    _emit(chunk, from, to) {
        if (to > from) {
            this._handler.onData(chunk.subarray(from, to));
        }
    }
}
