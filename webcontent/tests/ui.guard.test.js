// The guard of vnc.html, vnc_auto.html and wstelnet.html: which hosts a link
// may connect to without asking, and a password taken out of the address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    SECRET_PARAMS, TRUSTED_HOSTS_META, normalHost, parseHostList, trustedHostsOf, isTrustedHost,
    foreignHostQuestion, withoutSecrets, takeSecrets,
} from '../app/guard.js';
import { pageParams } from '../app/url.js';

test('host names compare without case, white space or IPv6 brackets', () => {
    assert.equal(normalHost(' VNC.Example.ORG '), 'vnc.example.org');
    assert.equal(normalHost('[::1]'), '::1');
    assert.equal(normalHost('[FE80::1]'), 'fe80::1');
    assert.equal(normalHost(undefined), '');
    assert.equal(normalHost(null), '');
});

test('the page\'s own host and no host at all need no confirmation', () => {
    assert.ok(isTrustedHost('127.0.0.1', '127.0.0.1'));
    assert.ok(isTrustedHost('Proxy.Example', 'proxy.example'));
    assert.ok(isTrustedHost('::1', '[::1]'), 'location.hostname keeps the brackets of an IPv6 literal');
    assert.ok(isTrustedHost('[::1]', '[::1]'));
    assert.ok(isTrustedHost('', 'proxy.example'), 'empty means the page\'s own host');
    assert.ok(isTrustedHost('   ', 'proxy.example'));
    assert.ok(isTrustedHost(undefined, 'proxy.example'));
});

test('any other host needs one, however it is spelled', () => {
    assert.ok(!isTrustedHost('evil.example', 'proxy.example'));
    assert.ok(!isTrustedHost('localhost', '127.0.0.1'), 'another name of the same machine is still another host');
    assert.ok(!isTrustedHost('proxy.example.evil.example', 'proxy.example'));
    assert.ok(!isTrustedHost('evil.proxy.example', 'proxy.example'));
    assert.ok(!isTrustedHost('proxy.example.', 'proxy.example'), 'a trailing dot is not stripped');
    assert.ok(!isTrustedHost('proxy.example/@evil.example', 'proxy.example'));
    assert.ok(!isTrustedHost('proxy.example:1@evil.example', 'proxy.example'));
    assert.ok(!isTrustedHost('::2', '[::1]'));
    assert.ok(!isTrustedHost('evil.example', ''), 'a page without a host name (file:) trusts nothing');
});

test('the administrator\'s trusted hosts need none', () => {
    const trusted = parseHostList('vnc1.example, VNC2.example  [fe80::5],,');
    assert.deepEqual(trusted, ['vnc1.example', 'vnc2.example', 'fe80::5']);
    assert.ok(isTrustedHost('vnc2.example', 'proxy.example', trusted));
    assert.ok(isTrustedHost('[FE80::5]', 'proxy.example', trusted));
    assert.ok(!isTrustedHost('vnc3.example', 'proxy.example', trusted));
    assert.ok(!isTrustedHost('vnc1.example.evil.example', 'proxy.example', trusted));
    assert.ok(isTrustedHost('a.example', 'proxy.example', ['a.example', 'b.example']), 'an array works too');
    assert.deepEqual(parseHostList(''), []);
    assert.deepEqual(parseHostList(undefined), []);
});

test('trusted hosts come from the page\'s meta elements', () => {
    const doc = (contents) => ({
        querySelectorAll: (selector) => {
            assert.equal(selector, `meta[name="${TRUSTED_HOSTS_META}"]`);
            return contents.map((c) => ({ getAttribute: (name) => (name === 'content' ? c : null) }));
        },
    });
    assert.deepEqual(trustedHostsOf(doc(['a.example, b.example', 'C.example'])), ['a.example', 'b.example', 'c.example']);
    assert.deepEqual(trustedHostsOf(doc([''])), []);
    assert.deepEqual(trustedHostsOf(doc([null])), []);
    assert.deepEqual(trustedHostsOf(doc([])), []);
    assert.deepEqual(trustedHostsOf(undefined), []);
});

test('the question names host and port', () => {
    assert.equal(foreignHostQuestion('evil.example', '443'),
        'Connect to evil.example:443? This link asks to connect to a server other than the one that served this page.');
    assert.match(foreignHostQuestion('fe80::1', 5900), /^Connect to \[fe80::1\]:5900\? /);
    assert.match(foreignHostQuestion('[fe80::1]', 5900), /^Connect to \[fe80::1\]:5900\? /);
});

test('password and username leave the query; everything else stays as written', () => {
    const { secrets, href } = withoutSecrets('http://proxy.example:6080/vnc.html?host=h&password=s%20e+cret&port=5901&username=bob&x=a%2Bb');
    assert.deepEqual(secrets, { password: 's e cret', username: 'bob' });
    assert.equal(href, 'http://proxy.example:6080/vnc.html?host=h&port=5901&x=a%2Bb');
});

test('password leaves the fragment; the query and the rest of the fragment stay', () => {
    const { secrets, href } = withoutSecrets('https://p.example/deep/vnc_auto.html?host=h#password=fr%26g&view_only=1');
    assert.deepEqual(secrets, { password: 'fr&g' });
    assert.equal(href, 'https://p.example/deep/vnc_auto.html?host=h#view_only=1');
});

test('both places and every repetition are cleaned; the fragment\'s value wins, as pageParams reads it', () => {
    const { secrets, href } = withoutSecrets('http://p/vnc.html?password=q1&password=q2&a=1#b=2&password=f');
    assert.deepEqual(secrets, { password: 'f' });
    assert.equal(href, 'http://p/vnc.html?a=1#b=2');
});

test('nothing but secrets: no empty ? or # is left', () => {
    assert.equal(withoutSecrets('http://p/vnc.html?password=x').href, 'http://p/vnc.html');
    assert.equal(withoutSecrets('http://p/vnc.html#password=x').href, 'http://p/vnc.html');
    assert.equal(withoutSecrets('http://p/vnc.html?password=x#username=y').href, 'http://p/vnc.html');
    assert.equal(withoutSecrets('http://p/vnc.html?password').href, 'http://p/vnc.html', 'a name without a value');
});

test('encoded names are secrets too, as URLSearchParams decodes them', () => {
    const { secrets, href } = withoutSecrets('http://p/vnc.html?pass%77ord=x&host=h#%75sername=y');
    assert.deepEqual(secrets, { password: 'x', username: 'y' });
    assert.equal(href, 'http://p/vnc.html?host=h');
});

test('an address without secrets is left alone, token included', () => {
    const url = 'http://p/vnc.html?host=h&token=t0k3n&passwords=1#not-params';
    assert.deepEqual(withoutSecrets(url), { secrets: {}, href: null });
});

test('whatever the address, no secret survives the cleaning', () => {
    const addresses = [
        'http://p/a?password=1&password=2',
        'http://p/a?a=1&&password=2&&b=3#&password=4&',
        'http://p/a#?password=x',
        'http://p/a?username=%zz&password=%F0%9F%94%91',
        'http://p/a?x=1;password=2&password=3',
    ];
    for (const address of addresses) {
        const { href } = withoutSecrets(address);
        const url = new URL(href);
        const left = pageParams(url.search, url.hash);
        assert.deepEqual(SECRET_PARAMS.filter((n) => left.has(n)), [], address);
    }
});

test('takeSecrets replaces the address in place and returns the secrets', () => {
    const calls = [];
    const win = {
        location: { href: 'http://p/vnc.html?autoconnect=true&password=pw#quality=3' },
        history: { state: { keep: 1 }, replaceState: (...args) => calls.push(args) },
    };
    assert.deepEqual(takeSecrets(win), { password: 'pw' });
    assert.deepEqual(calls, [[{ keep: 1 }, '', 'http://p/vnc.html?autoconnect=true#quality=3']]);
    calls.length = 0;
    win.location.href = 'http://p/vnc.html?autoconnect=true';
    assert.deepEqual(takeSecrets(win), {});
    assert.deepEqual(calls, [], 'an address without secrets is not touched');
});

test('a history that refuses the change does not stop the page', () => {
    const win = {
        location: { href: 'http://p/vnc.html?password=pw' },
        history: { state: null, replaceState: () => { throw new Error('SecurityError'); } },
    };
    assert.deepEqual(takeSecrets(win), { password: 'pw' });
});
