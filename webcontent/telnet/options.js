// Option negotiation by the Q method (RFC 1143, section 7): for each option
// two independent sides, "us" (we perform it: WILL/WONT, asked by DO/DONT)
// and "him" (the server performs it: DO/DONT, asked by WILL/WONT). Each side
// is NO, YES, WANTNO or WANTYES, plus one queued opposite request. A reply is
// sent only to change a state, never to acknowledge an acknowledgement, so
// two such machines cannot loop.
import { Log } from '../core/log.js';
import { WILL, WONT, DO, DONT, commandName, optionName } from './constants.js';

export const NO = 'no';
export const YES = 'yes';
export const WANTNO = 'wantno';
export const WANTYES = 'wantyes';

/** Which verbs belong to which side: what we receive, what we answer. */
const SIDES = {
    us: { enable: WILL, disable: WONT },   // we send WILL/WONT about our side
    him: { enable: DO, disable: DONT },    // we send DO/DONT about his side
};

export class OptionNegotiation {
    /**
     * @param {object} hooks
     *   send(verb, option)            writes IAC verb option
     *   accepts(side, option)         true when we agree to enable option on side ('us'|'him')
     *   changed(side, option, on)     called after a side came into effect or went out of
     *                                 it (a disable we ask for takes effect at once)
     */
    constructor({ send, accepts, changed }) {
        this._send = send;
        this._accepts = accepts;
        this._changed = changed;
        this._options = new Map();
    }

    /** Back to every option off: for a new connection. */
    reset() {
        this._options.clear();
    }

    /** 'no' | 'yes' | 'wantno' | 'wantyes' of one side of an option. */
    state(side, option) {
        return this._get(option)[side].state;
    }

    /** True when the option is in effect on that side. */
    enabled(side, option) {
        return this.state(side, option) === YES;
    }

    /** Handles IAC WILL|WONT|DO|DONT option from the server. */
    receive(verb, option) {
        Log.debug(`telnet: < ${commandName(verb)} ${optionName(option)}`);
        switch (verb) {
        case WILL: this._received('him', option, true); break;
        case WONT: this._received('him', option, false); break;
        case DO: this._received('us', option, true); break;
        case DONT: this._received('us', option, false); break;
        default: break;
        }
    }

    /** Asks for an option to be turned on (enable) or off on a side. */
    request(side, option, enable) {
        const q = this._get(option)[side];
        const { enable: yes, disable: no } = SIDES[side];
        if (enable) {
            switch (q.state) {
            case NO: this._out(yes, option); this._set(side, option, WANTYES); break;
            case WANTNO: q.opposite = true; break;
            case WANTYES: q.opposite = false; break;
            default: break;   // already on
            }
        } else {
            switch (q.state) {
            case YES: this._out(no, option); this._set(side, option, WANTNO); break;
            case WANTYES: q.opposite = true; break;
            case WANTNO: q.opposite = false; break;
            default: break;   // already off
            }
        }
    }

    /** RFC 1143 7: the server sent WILL/DO (positive) or WONT/DONT about a side. */
    _received(side, option, positive) {
        const q = this._get(option)[side];
        const { enable: yes, disable: no } = SIDES[side];
        if (positive) {
            switch (q.state) {
            case NO:
                if (this._accepts(side, option)) {
                    this._out(yes, option);
                    this._set(side, option, YES);
                } else {
                    this._out(no, option);
                }
                return;
            case YES:
                return;   // an acknowledgement of something already on: no answer
            case WANTNO:
                // Our disable was answered by an enable: the peer is wrong; accept the outcome.
                Log.warn(`telnet: ${optionName(option)} was not turned off as asked`);
                this._set(side, option, q.opposite ? YES : NO);
                return;
            case WANTYES:
                if (q.opposite) {
                    this._out(no, option);
                    this._set(side, option, WANTNO);
                } else {
                    this._set(side, option, YES);
                }
                return;
            }
        } else {
            switch (q.state) {
            case NO:
                return;   // already off: no answer
            case YES:
                this._out(no, option);
                this._set(side, option, NO);
                return;
            case WANTNO:
                if (q.opposite) {
                    this._out(yes, option);
                    this._set(side, option, WANTYES);
                } else {
                    this._set(side, option, NO);
                }
                return;
            case WANTYES:
                this._set(side, option, NO);   // refused; a queued disable is moot
                return;
            }
        }
    }

    _get(option) {
        let entry = this._options.get(option);
        if (!entry) {
            entry = { us: { state: NO, opposite: false }, him: { state: NO, opposite: false } };
            this._options.set(option, entry);
        }
        return entry;
    }

    /** Moves a side to state with an empty queue; tells the owner when "in effect" flips. */
    _set(side, option, state) {
        const q = this._get(option)[side];
        const was = q.state === YES;
        q.state = state;
        q.opposite = false;
        if (was !== (state === YES)) {
            this._changed(side, option, state === YES);
        }
    }

    _out(verb, option) {
        Log.debug(`telnet: > ${commandName(verb)} ${optionName(option)}`);
        this._send(verb, option);
    }
}
