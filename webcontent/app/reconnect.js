// Automatic reconnection with exponential back-off: the first retry waits
// the configured delay, each further one twice as long, never more than
// MAX_DELAY_MS (or the configured delay, when that is larger).

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
 * attempt number; reset() after a successful connection starts over;
 * cancel() stops a pending retry. Timers are injectable for tests.
 */
export class Reconnector {
    constructor({ setTimeout: set = (f, ms) => setTimeout(f, ms), clearTimeout: clear = (t) => clearTimeout(t) } = {}) {
        this._set = set;
        this._clear = clear;
        this._timer = null;
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
            retry();
        }, delay);
        return { attempt: this.attempt, delay };
    }

    cancel() {
        if (this._timer !== null) {
            this._clear(this._timer);
            this._timer = null;
        }
    }

    reset() {
        this.cancel();
        this.attempt = 0;
    }
}
