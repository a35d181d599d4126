// Automatic reconnection with exponential back-off: the first retry waits
// the configured delay, each further one twice as long, never more than
// MAX_DELAY_MS (or the configured delay, when that is larger); and whether
// to retry at all.
import { statusText } from './status.js';

export const MAX_DELAY_MS = 30000;

/** Delay before retry number `attempt` (1, 2, ...) for a base delay in ms. */
export function backoffDelay(baseMs, attempt, { factor = 2, maxMs = MAX_DELAY_MS } = {}) {
    const base = Math.max(0, Number(baseMs) || 0);
    const n = Math.max(1, Math.floor(attempt));
    const cap = Math.max(maxMs, base);
    // Capped before it can overflow: factor ** 60 is already absurd.
    return Math.min(cap, base * factor ** Math.min(n - 1, 60));
}

/**
 * Schedules retries: schedule() arms the next one and tells its delay and
 * attempt number; countdown() ticks each second until it is due; reset()
 * after a successful connection starts over; cancel() stops a pending retry
 * and its countdown. Timers are injectable for tests.
 */
export class Reconnector {
    constructor({ setTimeout: set = (f, ms) => setTimeout(f, ms), clearTimeout: clear = (t) => clearTimeout(t) } = {}) {
        this._set = set;
        this._clear = clear;
        this._timer = null;
        this._ticker = null;
        this.attempt = 0;
        this.dueAt = 0;
    }

    get pending() {
        return this._timer !== null;
    }

    /** Arms retry number attempt+1; `retry` runs when it is due. Returns {attempt, delay}. */
    schedule(baseMs, retry, now = Date.now()) {
        this.cancel();
        this.attempt++;
        const delay = backoffDelay(baseMs, this.attempt);
        this.dueAt = now + delay;
        this._timer = this._set(() => {
            this._timer = null;
            this._stopTicks();
            retry();
        }, delay);
        return { attempt: this.attempt, delay };
    }

    /** Whole seconds until the pending retry is due. */
    secondsLeft(now = Date.now()) {
        return Math.max(0, Math.ceil((this.dueAt - now) / 1000));
    }

    /** Calls tick(secondsLeft) every second until the pending retry runs or is cancelled. */
    countdown(tick) {
        this._stopTicks();
        const next = () => {
            this._ticker = this._set(() => {
                tick(this.secondsLeft());
                next();
            }, 1000);
        };
        if (this.pending) {
            next();
        }
    }

    cancel() {
        this._stopTicks();
        if (this._timer !== null) {
            this._clear(this._timer);
            this._timer = null;
        }
    }

    _stopTicks() {
        if (this._ticker !== null) {
            this._clear(this._ticker);
            this._ticker = null;
        }
    }

    reset() {
        this.cancel();
        this.attempt = 0;
    }
}

/**
 * What the client does once a connection has ended, from what is known of
 * the end: {step: 'retry', reason}, {step: 'login', text} (the relay wants a
 * user name and password) or {step: 'stop', text, tone}. It retries only
 * after a session that had worked, never after the user's own disconnect,
 * and never when the server or the relay refused: a wrong password, a
 * missing login, an expired token or too many attempts (401, 403, 429) are
 * not cured by asking again. The relay's verdict (proxyauth.js) may be null.
 */
export function afterDisconnect({ clean, reason, securityFailure = null, userDisconnect = false, reconnect = false,
    everConnected = false, verdict = null }) {
    if (securityFailure !== null && securityFailure !== undefined) {
        return { step: 'stop', text: statusText('securityfailure', { reason: securityFailure }), tone: 'error' };
    }
    if (verdict?.kind === 'login') {
        return { step: 'login', text: statusText('login', verdict) };
    }
    const refusal = verdict?.kind === 'refused' ? statusText('refused', verdict) : null;
    if (refusal && !verdict.transient) {
        return { step: 'stop', text: refusal, tone: 'error' };
    }
    if (!userDisconnect && reconnect && everConnected) {
        return { step: 'retry', reason: refusal ?? reason };
    }
    return { step: 'stop', text: refusal ?? statusText('disconnected', { reason }), tone: clean && !refusal ? '' : 'error' };
}
