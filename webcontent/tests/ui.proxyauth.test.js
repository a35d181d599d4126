// The relay's login as the pages see it: where /auth/check, /login and
// /logout are for a WebSocket URL, what an answer means, the requests sent
// (fetch is a fake), and whether the client retries after a refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relayEndpoints, verdictOf, reasonText, ProxyAuth } from '../app/proxyauth.js';
import { afterDisconnect } from '../app/reconnect.js';
import { statusText } from '../app/status.js';
import { resolveSettings, defaultSettings, targetUrl } from '../app/settings.js';
import { websocketUrl, pageParams } from '../app/url.js';

test('the endpoints sit on the WebSocket\'s host and port: ws → http, wss → https', () => {
    assert.deepEqual(relayEndpoints('ws://proxy.example:6080/websockify'), {
        check: 'http://proxy.example:6080/auth/check',
        login: 'http://proxy.example:6080/login',
        logout: 'http://proxy.example:6080/logout',
    });
    assert.deepEqual(relayEndpoints('wss://proxy.example:8443/deep/path/websockify'), {
        check: 'https://proxy.example:8443/auth/check',
        login: 'https://proxy.example:8443/login',
        logout: 'https://proxy.example:8443/logout',
    });
    assert.equal(relayEndpoints('wss://proxy.example:443/websockify').check, 'https://proxy.example/auth/check', 'the default port');
    assert.equal(relayEndpoints('ws://proxy.example:80/').check, 'http://proxy.example/auth/check');
    assert.equal(relayEndpoints('ws://proxy.example:443/').check, 'http://proxy.example:443/auth/check', '443 is not http\'s own');
});

test('IPv6 hosts keep their brackets', () => {
    assert.equal(relayEndpoints('ws://[::1]:6080/websockify').check, 'http://[::1]:6080/auth/check');
    assert.equal(relayEndpoints('wss://[fe80::1]:8443/websockify?token=t').login, 'https://[fe80::1]:8443/login');
    assert.equal(relayEndpoints(websocketUrl({ host: '2001:db8::7', port: '6080', path: 'websockify?token=abc' })).check,
        'http://[2001:db8::7]:6080/auth/check?token=abc');
});

test('the check carries the WebSocket URL\'s query: a token or a one-time link', () => {
    assert.equal(relayEndpoints('ws://h:6080/websockify?token=eyJ.a-b_c.sig').check, 'http://h:6080/auth/check?token=eyJ.a-b_c.sig');
    assert.equal(relayEndpoints('wss://h:8443/websockify?link=Zm9v%2Bbar%3D&x=1').check,
        'https://h:8443/auth/check?link=Zm9v%2Bbar%3D&x=1', 'as written, encoding included');
    assert.equal(relayEndpoints('ws://h:6080/websockify?').check, 'http://h:6080/auth/check');
    assert.equal(relayEndpoints('ws://h:6080/websockify').login, 'http://h:6080/login', 'login and logout take no query');
    assert.equal(relayEndpoints('ws://h:6080/websockify?token=t').logout, 'http://h:6080/logout');
});

test('anything but a ws(s) URL has no endpoints', () => {
    for (const url of ['http://h:80/websockify', 'not a url', '', undefined, null, 'javascript:alert(1)']) {
        assert.equal(relayEndpoints(url), null, String(url));
    }
});

test('a one-time link\'s path= reaches the WebSocket URL and the check alike', () => {
    // http://h:p/vnc.html?autoconnect=true&path=websockify%3Flink%3D<code>, as the server issues it
    const loc = { protocol: 'http:', hostname: 'proxy.example', port: '6080' };
    for (const [query, ws] of [
        ['?autoconnect=true&path=websockify%3Flink%3DAbC-123_x', 'ws://proxy.example:6080/websockify?link=AbC-123_x'],
        ['?path=websockify%3Ftoken%3Da.b.c', 'ws://proxy.example:6080/websockify?token=a.b.c'],
        ['?path=%2Fwebsockify%3Flink%3Dq%252Bw', 'ws://proxy.example:6080/websockify?link=q%2Bw'],
    ]) {
        const { values } = resolveSettings({ query: pageParams(query, ''), stored: {}, defaults: defaultSettings(loc) });
        const url = targetUrl(values);
        assert.equal(url, ws, query);
        assert.equal(new URL(url).search, new URL(relayEndpoints(url).check).search, `${query}: the same query is checked`);
    }
});

test('an answer of ok: the user (null when the proxy needs no login)', () => {
    assert.deepEqual(verdictOf({ ok: true, user: 'alice', viewOnly: false }), { kind: 'ok', user: 'alice', viewOnly: false });
    assert.deepEqual(verdictOf({ ok: true, user: null, viewOnly: false }), { kind: 'ok', user: null, viewOnly: false });
    assert.deepEqual(verdictOf({ ok: true, user: 'bob', viewOnly: true, login: true }), { kind: 'ok', user: 'bob', viewOnly: true });
    assert.deepEqual(verdictOf({ ok: true, user: '' }), { kind: 'ok', user: null, viewOnly: false });
});

test('401 with login: the login form; without: a refusal', () => {
    assert.deepEqual(verdictOf({ ok: false, status: 401, reason: 'Log in to use this proxy.', login: true }),
        { kind: 'login', status: 401, reason: 'Log in to use this proxy.' });
    const jwtOnly = verdictOf({ ok: false, status: 401, reason: 'A token is needed.', login: false });
    assert.equal(jwtOnly.kind, 'refused');
    assert.equal(jwtOnly.transient, false);
});

test('refusals keep the relay\'s reason; 5xx may pass, 401, 403 and 429 will not', () => {
    assert.deepEqual(verdictOf({ ok: false, status: 403, reason: 'The token has expired.', login: true, retryAfter: null }),
        { kind: 'refused', status: 403, reason: 'The token has expired.', retryAfter: null, transient: false });
    assert.deepEqual(verdictOf({ ok: false, status: 429, reason: 'Too many connections', retryAfter: 60 }),
        { kind: 'refused', status: 429, reason: 'Too many connections. Try again in 60 s.', retryAfter: 60, transient: false });
    assert.equal(verdictOf({ ok: false, status: 429, reason: 'Slow down!', retryAfter: 2.5 }).reason, 'Slow down! Try again in 3 s.');
    const full = verdictOf({ ok: false, status: 503, reason: 'This proxy has reached max.connections=2.' });
    assert.deepEqual([full.kind, full.transient, full.reason], ['refused', true, 'This proxy has reached max.connections=2.']);
});

test('an answer without a reason gets ours; a reason is text, trimmed', () => {
    assert.equal(verdictOf({ ok: false, status: 403 }).reason, 'Access denied.');
    assert.equal(verdictOf({ ok: false, status: 429, retryAfter: 30 }).reason, 'Too many attempts. Try again in 30 s.');
    assert.equal(verdictOf({ ok: false, status: 418, reason: '   ' }).reason, 'The proxy answered 418.');
    assert.equal(verdictOf({ ok: false }).reason, 'The proxy answered nothing usable.');
    assert.equal(verdictOf({ ok: false, status: 403, reason: { html: '<b>x</b>' } }).reason, 'Access denied.');
    assert.equal(reasonText(403, '  <b>No</b>  '), '<b>No</b>', 'shown as text by the pages, never as markup');
    assert.equal(reasonText(429, 'Wait', -5), 'Wait', 'no retry hint without a sensible time');
});

test('anything else is not the relay speaking', () => {
    for (const answer of [null, undefined, 'ok', 42, [], {}, { ok: 'true' }, { status: 401 }]) {
        assert.deepEqual(verdictOf(answer), { kind: 'unknown' }, JSON.stringify(answer));
    }
});

test('the status line words a refusal', () => {
    const v = verdictOf({ ok: false, status: 403, reason: 'The token has expired.' });
    assert.equal(statusText('refused', v), 'Refused by the proxy: The token has expired.');
    assert.equal(statusText('login', verdictOf({ ok: false, status: 401, reason: 'Log in to use this proxy.', login: true })),
        'Log in to use this proxy.');
    assert.equal(statusText('login', {}), 'Log in to use this proxy.');
    assert.equal(statusText('loggedout'), 'Logged out');
    assert.equal(statusText('waiting', { reason: 'Refused by the proxy: Full.', seconds: 2, attempt: 1 }),
        'Refused by the proxy: Full. Reconnecting in 2 s (attempt 1)…');
});

// -- after a disconnect: retry, login or stop --

const verdicts = {
    expired: verdictOf({ ok: false, status: 403, reason: 'The token has expired.' }),
    login: verdictOf({ ok: false, status: 401, reason: 'Log in to use this proxy.', login: true }),
    noLogin: verdictOf({ ok: false, status: 401, reason: 'A token is needed.', login: false }),
    tooMany: verdictOf({ ok: false, status: 429, reason: 'Too many attempts.', retryAfter: 60 }),
    full: verdictOf({ ok: false, status: 503, reason: 'The proxy is full.' }),
    ok: verdictOf({ ok: true, user: 'alice' }),
    unknown: verdictOf(null),
};
const lost = { clean: false, reason: 'Connection closed during the handshake (1006)' };
const keen = { reconnect: true, everConnected: true };

test('401, 403 and 429 stop the client, however keen it is to reconnect', () => {
    for (const name of ['expired', 'noLogin', 'tooMany']) {
        const next = afterDisconnect({ ...lost, ...keen, verdict: verdicts[name] });
        assert.equal(next.step, 'stop', name);
        assert.equal(next.tone, 'error');
        assert.match(next.text, /^Refused by the proxy: /);
    }
    assert.equal(afterDisconnect({ ...lost, ...keen, verdict: verdicts.tooMany }).text,
        'Refused by the proxy: Too many attempts. Try again in 60 s.');
});

test('401 with a login asks for it, and does not retry either', () => {
    assert.deepEqual(afterDisconnect({ ...lost, ...keen, verdict: verdicts.login }), { step: 'login', text: 'Log in to use this proxy.' });
    assert.equal(afterDisconnect({ ...lost, verdict: verdicts.login }).step, 'login');
});

test('a relay that cannot take the connection now (5xx) is retried like a lost connection', () => {
    assert.deepEqual(afterDisconnect({ ...lost, ...keen, verdict: verdicts.full }),
        { step: 'retry', reason: 'Refused by the proxy: The proxy is full.' });
    assert.deepEqual(afterDisconnect({ ...lost, verdict: verdicts.full }),
        { step: 'stop', text: 'Refused by the proxy: The proxy is full.', tone: 'error' });
});

test('no refusal: today\'s rules (retry only after a session that worked and without the user\'s disconnect)', () => {
    for (const verdict of [null, verdicts.ok, verdicts.unknown]) {
        assert.deepEqual(afterDisconnect({ ...lost, ...keen, verdict }), { step: 'retry', reason: lost.reason });
        assert.deepEqual(afterDisconnect({ ...lost, verdict }),
            { step: 'stop', text: 'Disconnected: Connection closed during the handshake (1006)', tone: 'error' });
        assert.equal(afterDisconnect({ ...lost, reconnect: true, verdict }).step, 'stop', 'never connected: no retry');
        assert.equal(afterDisconnect({ ...lost, ...keen, userDisconnect: true, verdict }).step, 'stop');
    }
    assert.deepEqual(afterDisconnect({ clean: true, reason: 'Disconnected', userDisconnect: true }),
        { step: 'stop', text: 'Disconnected', tone: '' });
});

test('the server\'s security failure wins over everything', () => {
    assert.deepEqual(afterDisconnect({ ...lost, ...keen, securityFailure: 'Authentication failure', verdict: verdicts.login }),
        { step: 'stop', text: 'Security failure: Authentication failure', tone: 'error' });
});

// -- the requests --

/** A fetch that records its calls and answers from a list (an Error is thrown, a function is called). */
function fakeFetch(...answers) {
    const calls = [];
    const fetch = async (url, init) => {
        calls.push({ url, init });
        const a = answers.shift();
        if (a instanceof Error) {
            throw a;
        }
        if (typeof a === 'function') {
            return a(url, init);
        }
        return {
            status: a.status ?? 200,
            json: async () => {
                if (a.text !== undefined) {
                    return JSON.parse(a.text);
                }
                return a.body;
            },
        };
    };
    return { fetch, calls };
}

test('a check is a GET with the cookie, never from the cache', async () => {
    const { fetch, calls } = fakeFetch({ body: { ok: true, user: 'alice', viewOnly: false } });
    const auth = new ProxyAuth({ fetch });
    const v = await auth.check('http://h:6080/auth/check?token=t');
    assert.deepEqual(v, { kind: 'ok', user: 'alice', viewOnly: false });
    assert.equal(calls.length, 1);
    assert.equal(calls[0].url, 'http://h:6080/auth/check?token=t');
    assert.equal(calls[0].init.method, 'GET');
    assert.equal(calls[0].init.credentials, 'include');
    assert.equal(calls[0].init.cache, 'no-store');
    assert.equal(calls[0].init.headers, undefined, 'no header of its own: a simple CORS request');
    assert.ok(calls[0].init.signal instanceof AbortSignal);
});

test('a check that fails in any way is unknown: the page keeps its own message', async () => {
    const { fetch } = fakeFetch(new TypeError('Failed to fetch'), { status: 404, body: { ok: false, status: 403 } },
        { text: '<html>Not found</html>' }, { body: 'ok' });
    const auth = new ProxyAuth({ fetch });
    for (let i = 0; i < 4; i++) {
        assert.deepEqual(await auth.check('http://h:1/auth/check'), { kind: 'unknown' }, `answer ${i}`);
    }
    assert.deepEqual(await auth.check(null), { kind: 'unknown' }, 'no URL: nothing asked');
});

test('a check that takes too long is given up', async () => {
    const hanging = (url, init) => new Promise((resolve, reject) => {
        init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
    const { fetch } = fakeFetch(hanging);
    const auth = new ProxyAuth({ fetch, timeoutMs: 20 });
    const started = Date.now();
    assert.deepEqual(await auth.check('http://h:1/auth/check'), { kind: 'unknown' });
    assert.ok(Date.now() - started < 2000);
});

test('the user name follows the relay: named by a check or a login, gone with a 401 or a logout', async () => {
    const { fetch } = fakeFetch(
        { body: { ok: true, user: null } },
        { body: { ok: true, user: 'alice' } },
        { body: { ok: false, status: 403, reason: 'The token has expired.' } },
        { body: { ok: false, status: 401, reason: 'Log in.', login: true } },
        { body: { ok: true, user: 'bob' } },
        { body: { ok: true } },
    );
    const seen = [];
    const auth = new ProxyAuth({ fetch });
    auth.onuser = (user) => seen.push(user);
    await auth.check('c');
    assert.equal(auth.user, null);
    await auth.check('c');
    assert.equal(auth.user, 'alice');
    await auth.check('c');
    assert.equal(auth.user, 'alice', 'a refused token says nothing about the login');
    await auth.check('c');
    assert.equal(auth.user, null);
    await auth.login('l', 'bob', 'pw');
    assert.equal(auth.user, 'bob');
    await auth.logout('o');
    assert.equal(auth.user, null);
    assert.deepEqual(seen, ['alice', null, 'bob', null], 'called on changes only');
});

test('a login posts a form (a simple CORS request) with the cookie', async () => {
    const { fetch, calls } = fakeFetch({ body: { ok: true, user: 'alice' } });
    const auth = new ProxyAuth({ fetch });
    assert.deepEqual(await auth.login('http://h:6080/login', 'alice', 'p&ss=w ord'), { ok: true, user: 'alice' });
    const { url, init } = calls[0];
    assert.equal(url, 'http://h:6080/login');
    assert.equal(init.method, 'POST');
    assert.equal(init.credentials, 'include');
    assert.equal(init.headers, undefined);
    assert.ok(init.body instanceof URLSearchParams, 'sent as application/x-www-form-urlencoded');
    assert.equal(init.body.toString(), 'username=alice&password=p%26ss%3Dw+ord');
    assert.ok(!JSON.stringify(auth).includes('p&ss'), 'the password is not kept');
});

test('a refused login says why', async () => {
    const { fetch } = fakeFetch(
        { status: 401, body: { ok: false, reason: 'Wrong user name or password.' } },
        { status: 429, body: { ok: false, reason: 'Too many failed attempts from this address; try again later.', retryAfter: 60 } },
        { status: 404, body: { ok: false, reason: 'This proxy has no user login.' } },
        { status: 401, text: 'nope' },
        { status: 502, text: '<html>' },
        new TypeError('Failed to fetch'),
    );
    const auth = new ProxyAuth({ fetch });
    const reasons = [];
    for (let i = 0; i < 6; i++) {
        const r = await auth.login('l', 'alice', 'x');
        assert.equal(r.ok, false);
        reasons.push(r.reason);
    }
    assert.deepEqual(reasons, [
        'Wrong user name or password.',
        'Too many failed attempts from this address; try again later. Try again in 60 s.',
        'This proxy has no user login.',
        'Wrong user name or password.',
        'The proxy answered 502.',
        'Cannot reach the proxy.',
    ]);
    assert.equal(auth.user, null);
});

test('a login that takes too long is given up, with its own words', async () => {
    const hanging = (url, init) => new Promise((resolve, reject) => {
        init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
    const auth = new ProxyAuth({ fetch: fakeFetch(hanging).fetch, loginTimeoutMs: 20 });
    assert.deepEqual(await auth.login('l', 'alice', 'x'), { ok: false, status: 0, reason: 'The proxy did not answer in time.' });
});

test('a logout posts nothing but the cookie', async () => {
    const { fetch, calls } = fakeFetch({ body: { ok: true } }, { status: 404, body: { ok: false, reason: 'This proxy has no user login.' } });
    const auth = new ProxyAuth({ fetch });
    assert.deepEqual(await auth.logout('http://h:6080/logout'), { ok: true });
    assert.deepEqual([calls[0].init.method, calls[0].init.credentials, calls[0].init.body], ['POST', 'include', undefined]);
    assert.deepEqual(await auth.logout('http://h:6080/logout'), { ok: false, reason: 'This proxy has no user login.' });
    assert.equal((await auth.logout(null)).ok, false);
    assert.equal(calls.length, 2);
});
