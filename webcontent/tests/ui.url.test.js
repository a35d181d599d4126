// WebSocket URLs of vnc.html and vnc_auto.html, and reading the page address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { websocketUrl, pageParams, defaultPort, isTrue, isFalse } from '../app/url.js';
import { statusText, barStatusText, pageTitle } from '../app/status.js';

test('ws and wss URLs from host, port, path', () => {
    assert.equal(websocketUrl({ host: 'example.org', port: '6080', path: 'websockify', encrypt: false }),
        'ws://example.org:6080/websockify');
    assert.equal(websocketUrl({ host: 'example.org', port: 443, path: '/ws/token', encrypt: true }),
        'wss://example.org:443/ws/token');
    assert.equal(websocketUrl({ host: '127.0.0.1', port: '5959', path: '', encrypt: false }), 'ws://127.0.0.1:5959/');
});

test('an IPv6 literal gets brackets once', () => {
    assert.equal(websocketUrl({ host: '::1', port: '6080', path: 'websockify' }), 'ws://[::1]:6080/websockify');
    assert.equal(websocketUrl({ host: '[fe80::1]', port: '6080', path: 'websockify' }), 'ws://[fe80::1]:6080/websockify');
});

test('the default port is the page\'s own, else the scheme\'s', () => {
    assert.equal(defaultPort({ protocol: 'http:', port: '6080' }), '6080');
    assert.equal(defaultPort({ protocol: 'http:', port: '' }), '80');
    assert.equal(defaultPort({ protocol: 'https:', port: '' }), '443');
});

test('query and fragment are read together, the fragment wins', () => {
    const p = pageParams('?host=a&port=1&password=fromquery', '#password=secret&path=x');
    assert.equal(p.get('host'), 'a');
    assert.equal(p.get('password'), 'secret');
    assert.equal(p.get('path'), 'x');
    assert.equal(pageParams('', '').toString(), '');
});

test('truth words', () => {
    for (const w of ['1', 'true', 'YES', 'on']) {
        assert.ok(isTrue(w) && !isFalse(w), w);
    }
    for (const w of ['0', 'false', 'No', 'off']) {
        assert.ok(isFalse(w) && !isTrue(w), w);
    }
    assert.ok(!isTrue('maybe') && !isFalse('maybe'));
});

test('status line words', () => {
    assert.equal(statusText('connecting', { url: 'ws://h:1/p' }), 'Connecting to ws://h:1/p…');
    assert.equal(statusText('connected', { name: 'desk', encrypted: true }), 'Connected to “desk” (encrypted)');
    assert.equal(statusText('disconnected', { reason: 'Disconnected' }), 'Disconnected');
    assert.equal(statusText('disconnected', { reason: 'Connection lost (1006)' }), 'Disconnected: Connection lost (1006)');
    assert.equal(statusText('securityfailure', { reason: 'Authentication failure' }), 'Security failure: Authentication failure');
    assert.equal(statusText('waiting', { reason: 'Connection lost (1001)', seconds: 4, attempt: 2 }),
        'Connection lost (1001). Reconnecting in 4 s (attempt 2)…');
    assert.equal(statusText('idle'), 'Not connected');
});

test('the page title shows the desktop name while connected', () => {
    assert.equal(pageTitle('VNC', 'connected', 'build-box:1'), 'build-box:1');
    assert.equal(pageTitle('VNC', 'disconnected', 'build-box:1'), 'VNC');
    assert.equal(pageTitle('VNC', 'connecting', ''), 'Connecting… – VNC');
});

test('the bar\'s short words', () => {
    assert.equal(barStatusText('connected', 'desk'), 'desk');
    assert.equal(barStatusText('connected', ''), 'Connected');
    assert.equal(barStatusText('login'), 'Log in required');
    assert.equal(barStatusText('disconnected'), 'Not connected');
    assert.equal(barStatusText('confirm'), 'Confirm the server');
    assert.equal(pageTitle('VNC', 'login', ''), 'VNC');
});
