// The login form of vnc.html, wstelnet.html and login.html: its state machine
// (the relay is a fake), the form it drives (elements are fakes), the Log out
// button, and where login.html may go afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoginFlow, LoginPanel, RelayLogin, NO_USER_NAME, bindLogout, nextPage } from '../app/login.js';
import { ProxyAuth } from '../app/proxyauth.js';

/** A relay's login whose answers the test gives, one per call, when it likes. */
function fakeAuth() {
    const calls = [];
    const waiting = [];
    return {
        calls,
        login(url, username, password) {
            calls.push({ url, username, password });
            return new Promise((resolve) => waiting.push(resolve));
        },
        answer(result) {
            waiting.shift()(result);
            return new Promise((resolve) => setImmediate(resolve));   // lets the flow take the answer
        },
    };
}

test('open, send, refused: the reason is shown and the form stays; then the login succeeds', async () => {
    const auth = fakeAuth();
    const changes = [];
    const logins = [];
    const flow = new LoginFlow(auth, { onchange: (f) => changes.push([f.state, f.message]), onlogin: (u) => logins.push(u) });
    assert.equal(flow.state, 'closed');
    flow.open('http://h:6080/login');
    assert.deepEqual([flow.state, flow.message], ['open', '']);

    const first = flow.submit('alice', 'wrong');
    assert.equal(flow.state, 'sending');
    assert.deepEqual(auth.calls[0], { url: 'http://h:6080/login', username: 'alice', password: 'wrong' });
    await auth.answer({ ok: false, status: 401, reason: 'Wrong user name or password.' });
    assert.equal(await first, false);
    assert.deepEqual([flow.state, flow.message], ['open', 'Wrong user name or password.']);
    assert.deepEqual(logins, []);

    const second = flow.submit('alice', 'S3cret-right');
    assert.deepEqual([flow.state, flow.message], ['sending', ''], 'the old reason goes while the new answer is awaited');
    await auth.answer({ ok: true, user: 'alice' });
    assert.equal(await second, true);
    assert.deepEqual([flow.state, flow.message], ['closed', '']);
    assert.deepEqual(logins, ['alice']);
    assert.deepEqual(changes, [['open', ''], ['sending', ''], ['open', 'Wrong user name or password.'], ['sending', ''], ['closed', '']]);
    assert.ok(!JSON.stringify({ ...flow, _auth: null }).includes('S3cret'), 'the flow keeps no password');
});

test('no user name: asked for, nothing sent', async () => {
    const auth = fakeAuth();
    const flow = new LoginFlow(auth);
    flow.open('l');
    assert.equal(await flow.submit('', 'pw'), false);
    assert.deepEqual([flow.state, flow.message], ['open', NO_USER_NAME]);
    assert.equal(auth.calls.length, 0);
});

test('a closed form sends nothing; one sending does not send twice', async () => {
    const auth = fakeAuth();
    const flow = new LoginFlow(auth);
    assert.equal(await flow.submit('alice', 'pw'), false);
    flow.open('l');
    const pending = flow.submit('alice', 'pw');
    assert.equal(await flow.submit('alice', 'pw'), false);
    assert.equal(auth.calls.length, 1);
    await auth.answer({ ok: true, user: 'alice' });
    assert.equal(await pending, true);
});

test('an answer that comes after Cancel (or after the form opened again) changes nothing', async () => {
    const auth = fakeAuth();
    const logins = [];
    const flow = new LoginFlow(auth, { onlogin: (u) => logins.push(u) });
    flow.open('l');
    const cancelled = flow.submit('alice', 'pw');
    flow.close();
    await auth.answer({ ok: true, user: 'alice' });
    assert.equal(await cancelled, false);
    assert.deepEqual([flow.state, logins], ['closed', []]);

    flow.open('l');
    const stale = flow.submit('alice', 'pw');
    flow.open('l2', 'Log in to use this proxy.');
    await auth.answer({ ok: false, reason: 'Wrong user name or password.' });
    assert.equal(await stale, false);
    assert.deepEqual([flow.state, flow.message], ['open', 'Log in to use this proxy.']);
});

// -- the form in a page --

class FakeElement extends EventTarget {
    constructor(focusLog, name) {
        super();
        this.name = name;
        this.hidden = false;
        this.disabled = false;
        this.value = '';
        this.textContent = '';
        this.title = '';
        this.attributes = {};
        this._focusLog = focusLog;
    }

    setAttribute(name, value) {
        this.attributes[name] = String(value);
    }

    focus() {
        this._focusLog.push(this.name);
    }
}

function fakeForm() {
    const focused = [];
    const els = {};
    for (const name of ['form', 'username', 'password', 'message', 'submit', 'cancel', 'logout']) {
        els[name] = new FakeElement(focused, name);
    }
    const submit = () => {
        const e = new Event('submit', { cancelable: true });
        els.form.dispatchEvent(e);
        return e;
    };
    return { els, focused, submit };
}

test('the panel shows the flow: hidden while closed, the reason as text, the button off while sending', async () => {
    const auth = fakeAuth();
    const { els, focused, submit } = fakeForm();
    const logins = [];
    const panel = new LoginPanel(els, { auth, onlogin: (u) => logins.push(u) });
    assert.equal(els.form.hidden, true);
    assert.equal(els.message.hidden, true);

    panel.open('http://h:6080/login');
    assert.equal(els.form.hidden, false);
    assert.deepEqual(focused, ['username'], 'the first empty field');

    els.username.value = ' alice ';
    els.password.value = 'S3cret';
    const e = submit();
    assert.ok(e.defaultPrevented, 'the browser does not submit the form itself');
    assert.equal(els.password.value, '', 'the password field is emptied as it is read');
    assert.deepEqual(auth.calls, [{ url: 'http://h:6080/login', username: 'alice', password: 'S3cret' }]);
    assert.equal(els.submit.disabled, true);
    assert.equal(els.form.attributes['aria-busy'], 'true');

    await auth.answer({ ok: false, reason: '<b>Wrong</b> user name or password.' });
    assert.equal(els.form.hidden, false);
    assert.equal(els.message.hidden, false);
    assert.equal(els.message.textContent, '<b>Wrong</b> user name or password.', 'text, not markup');
    assert.equal(els.submit.disabled, false);
    assert.equal(focused.at(-1), 'password', 'ready for the password again');

    els.password.value = 'S3cret!';
    submit();
    await auth.answer({ ok: true, user: 'alice' });
    assert.equal(els.form.hidden, true);
    assert.equal(els.password.value, '');
    assert.deepEqual(logins, ['alice']);
});

test('Cancel is the page\'s to handle; close() puts the form away', () => {
    const { els } = fakeForm();
    let cancels = 0;
    const panel = new LoginPanel(els, { auth: fakeAuth(), oncancel: () => cancels++ });
    panel.open('l', 'Log in to use this proxy.');
    assert.equal(els.message.textContent, 'Log in to use this proxy.');
    els.cancel.dispatchEvent(new Event('click'));
    assert.equal(cancels, 1);
    panel.close();
    assert.equal(els.form.hidden, true);
    assert.equal(panel.state, 'closed');
});

test('Log out shows while the relay names a user', async () => {
    const button = new FakeElement([], 'logout');
    const answers = [{ ok: true, user: 'alice' }, { ok: true }];
    const auth = new ProxyAuth({ fetch: async () => ({ status: 200, json: async () => answers.shift() }) });
    let clicks = 0;
    bindLogout(button, auth, () => clicks++);
    assert.equal(button.hidden, true);
    await auth.login('l', 'alice', 'pw');
    assert.equal(button.hidden, false);
    assert.equal(button.title, 'Log out alice');
    button.dispatchEvent(new Event('click'));
    assert.equal(clicks, 1);
    await auth.logout('o');
    assert.equal(button.hidden, true);
});

test('RelayLogin asks the relay behind a WebSocket URL', async () => {
    const { els } = fakeForm();
    const urls = [];
    const answers = [
        { ok: false, status: 401, reason: 'Log in to use this proxy.', login: true },
        { ok: true, user: 'alice' },
        { ok: true },
    ];
    const fetch = async (url) => {
        urls.push(url);
        return { status: 200, json: async () => answers.shift() };
    };
    const logins = [];
    const relay = new RelayLogin(els, { auth: new ProxyAuth({ fetch }), onlogin: (u) => logins.push(u), onlogout: () => {} });
    const verdict = await relay.explain('wss://[::1]:8443/websockify?token=abc');
    assert.equal(verdict.kind, 'login');
    relay.ask('wss://[::1]:8443/websockify?token=abc', verdict.reason);
    assert.equal(els.form.hidden, false);
    els.username.value = 'alice';
    els.password.value = 'pw';
    els.form.dispatchEvent(new Event('submit', { cancelable: true }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(logins, ['alice']);
    assert.equal(els.logout.hidden, false);
    assert.deepEqual(await relay.logout('wss://[::1]:8443/websockify?token=abc'), { ok: true });
    assert.equal(els.logout.hidden, true);
    assert.deepEqual(urls, ['https://[::1]:8443/auth/check?token=abc', 'https://[::1]:8443/login', 'https://[::1]:8443/logout']);
});

// -- login.html?next= --

const PAGE = 'http://proxy.example:6080/novnc/login.html?next=x';

test('next= may name a page of this site by a relative path', () => {
    assert.equal(nextPage('vnc.html', PAGE), 'http://proxy.example:6080/novnc/vnc.html');
    assert.equal(nextPage('vnc.html?autoconnect=true&path=websockify%3Flink%3Dabc', PAGE),
        'http://proxy.example:6080/novnc/vnc.html?autoconnect=true&path=websockify%3Flink%3Dabc');
    assert.equal(nextPage('/wstelnet.html#host=h', PAGE), 'http://proxy.example:6080/wstelnet.html#host=h');
    assert.equal(nextPage('../vnc.html', PAGE), 'http://proxy.example:6080/vnc.html');
    assert.equal(nextPage('?autoconnect=1', PAGE), 'http://proxy.example:6080/novnc/login.html?autoconnect=1');
    assert.equal(nextPage('/%2F%2Fevil.example/', PAGE), 'http://proxy.example:6080/%2F%2Fevil.example/', 'an encoded slash stays a path');
});

test('anything else goes to vnc.html', () => {
    const home = 'http://proxy.example:6080/novnc/vnc.html';
    for (const next of [
        null, undefined, '', 42,
        'https://evil.example/', 'http://proxy.example:6080/novnc/vnc.html', 'HTTP://evil.example',
        '//evil.example/vnc.html', '///evil.example', '/\\evil.example', '\\\\evil.example', '\\/evil.example',
        'javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)',
        'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'mailto:a@b', 'ftp:x',
        ' /vnc.html', '/vnc.html ', '\t//evil.example', '/\t/evil.example', '\u0000/vnc.html',
    ]) {
        assert.equal(nextPage(next, PAGE), home, JSON.stringify(next));
    }
    assert.equal(nextPage('', 'http://h:1/login.html', 'wstelnet.html'), 'http://h:1/wstelnet.html', 'another fallback');
});
