// The relay's login, as the pages see it. A browser is told nothing about a
// refused WebSocket upgrade (the socket just closes, code 1006), so the relay
// answers the question on its own port, next to the WebSocket:
//
//   GET  /auth/check?<the WebSocket URL's query>  200 {ok:true, user, viewOnly}
//                                                 200 {ok:false, status, reason, login, retryAfter}
//   POST /login  username=…&password=…            200 {ok:true, user} + a session cookie (HttpOnly)
//                                                 401, 403, 404, 429 {ok:false, reason, retryAfter}
//   POST /logout                                  200 {ok:true}
//
// Requests carry the cookie (credentials: 'include') and no header of their
// own, so a page on another port of the same host makes only simple CORS
// requests. The page never sees the cookie and keeps no password.
import { Log } from '../core/log.js';

export const CHECK_TIMEOUT_MS = 5000;
/** A relay may answer a wrong password slowly on purpose. */
export const LOGIN_TIMEOUT_MS = 15000;

/** Words for an answer without a reason of its own. */
const CHECK_REASONS = {
    401: 'Not logged in.',
    403: 'Access denied.',
    429: 'Too many attempts.',
    503: 'The proxy cannot take the connection now.',
};
const LOGIN_REASONS = {
    401: 'Wrong user name or password.',
    403: 'Logging in is not allowed here.',
    404: 'This proxy has no login.',
    429: 'Too many attempts.',
};

const UNKNOWN = Object.freeze({ kind: 'unknown' });

/**
 * The relay's endpoints next to the WebSocket at wsUrl: {check, login, logout}
 * (ws → http, wss → https; check carries the WebSocket URL's query, which may
 * hold a token or a one-time link), or null for anything but a ws(s) URL.
 */
export function relayEndpoints(wsUrl) {
    let ws;
    try {
        ws = new URL(wsUrl);
    } catch {
        return null;
    }
    const scheme = { 'ws:': 'http:', 'wss:': 'https:' }[ws.protocol];
    if (!scheme) {
        return null;
    }
    const base = `${scheme}//${ws.host}`;
    return { check: `${base}/auth/check${ws.search}`, login: `${base}/login`, logout: `${base}/logout` };
}

/** Whole seconds from a retryAfter field, or null. */
function seconds(value) {
    const n = Number(value);
    return Number.isFinite(n) && n > 0 ? Math.ceil(n) : null;
}

/** The relay's reason (else ours for the status), with when to try again. */
export function reasonText(status, reason, retryAfter = null, defaults = CHECK_REASONS) {
    const own = typeof reason === 'string' ? reason.trim() : '';
    const text = own || defaults[status] || `The proxy answered ${status || 'nothing usable'}.`;
    const wait = seconds(retryAfter);
    return wait ? `${text}${/[.!?]$/.test(text) ? '' : '.'} Try again in ${wait} s.` : text;
}

/**
 * What an /auth/check answer means for the page:
 *   {kind: 'ok', user, viewOnly}      the relay would take the connection (user null: no login needed)
 *   {kind: 'login', status, reason}   not logged in, and the relay takes a user name and password
 *   {kind: 'refused', status, reason, retryAfter, transient}   anything else it refuses;
 *                                     transient (5xx) may pass, 401/403/429 will not by retrying
 *   {kind: 'unknown'}                 not an answer of the relay's
 */
export function verdictOf(answer) {
    if (answer?.ok === true) {
        const user = typeof answer.user === 'string' && answer.user !== '' ? answer.user : null;
        return { kind: 'ok', user, viewOnly: answer.viewOnly === true };
    }
    if (answer?.ok !== false) {
        return UNKNOWN;
    }
    const status = Number.isInteger(answer.status) ? answer.status : 0;
    if (status === 401 && answer.login === true) {
        return { kind: 'login', status, reason: reasonText(status, answer.reason) };
    }
    const retryAfter = seconds(answer.retryAfter);
    return { kind: 'refused', status, reason: reasonText(status, answer.reason, retryAfter), retryAfter, transient: status >= 500 };
}

/**
 * Talks to a relay's endpoints: check, login, logout. Remembers the user name
 * the relay last named (user), and calls onuser when it changes. fetch is
 * injectable for tests.
 */
export class ProxyAuth {
    constructor({ fetch: fetchFn = (...args) => globalThis.fetch(...args), timeoutMs = CHECK_TIMEOUT_MS,
        loginTimeoutMs = LOGIN_TIMEOUT_MS } = {}) {
        this._fetch = fetchFn;
        this._timeoutMs = timeoutMs;
        this._loginTimeoutMs = loginTimeoutMs;
        this._user = null;
        /** Called with the user name (or null) whenever it changes. */
        this.onuser = () => {};
    }

    /** The user the relay last said is logged in, or null. */
    get user() {
        return this._user;
    }

    /** Asks url (an /auth/check URL) and returns its verdict; any failure of the request is 'unknown'. */
    async check(url) {
        if (!url) {
            return UNKNOWN;
        }
        let verdict;
        try {
            const { status, body } = await this._request(url, { method: 'GET' }, this._timeoutMs);
            verdict = status === 200 ? verdictOf(body) : UNKNOWN;
        } catch (e) {
            Log.info('auth check of the proxy failed:', e.message);
            return UNKNOWN;
        }
        if (verdict.kind === 'ok') {
            this._setUser(verdict.user);
        } else if (verdict.kind === 'login') {
            this._setUser(null);
        }
        return verdict;
    }

    /** Posts the user name and password to url (a /login URL); returns {ok, user} or {ok: false, status, reason}. */
    async login(url, username, password) {
        if (!url) {
            return { ok: false, status: 0, reason: 'No proxy to log in to.' };
        }
        let answer;
        try {
            const body = new URLSearchParams({ username, password });
            answer = await this._request(url, { method: 'POST', body }, this._loginTimeoutMs);
        } catch (e) {
            return { ok: false, status: 0, reason: this._failure(e) };
        }
        const { status, body } = answer;
        if (status === 200 && body?.ok === true) {
            const user = typeof body.user === 'string' && body.user !== '' ? body.user : username;
            this._setUser(user);
            return { ok: true, user };
        }
        return { ok: false, status, reason: reasonText(status, body?.reason, body?.retryAfter, LOGIN_REASONS) };
    }

    /** Ends the session at url (a /logout URL); returns {ok} or {ok: false, reason}. */
    async logout(url) {
        if (!url) {
            return { ok: false, reason: 'No proxy to log out of.' };
        }
        try {
            const { status, body } = await this._request(url, { method: 'POST' }, this._timeoutMs);
            if (status === 200 && body?.ok === true) {
                this._setUser(null);
                return { ok: true };
            }
            return { ok: false, reason: reasonText(status, body?.reason) };
        } catch (e) {
            return { ok: false, reason: this._failure(e) };
        }
    }

    _failure(e) {
        Log.info('request to the proxy failed:', e.message);
        return e.name === 'AbortError' ? 'The proxy did not answer in time.' : 'Cannot reach the proxy.';
    }

    _setUser(user) {
        if (user !== this._user) {
            this._user = user;
            this.onuser(user);
        }
    }

    /** One request with the cookie, never from the cache, given up after ms; the body read as JSON (null if it is not). */
    async _request(url, init, ms) {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), ms);
        try {
            const res = await this._fetch(url, { ...init, credentials: 'include', cache: 'no-store', signal: abort.signal });
            let body = null;
            try {
                body = await res.json();
            } catch {
                body = null;   // a server that is not the relay (a 404 page): no verdict
            }
            return { status: res.status, body };
        } finally {
            clearTimeout(timer);
        }
    }
}
