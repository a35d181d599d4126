// Handshake and security state machine for RFB 3.3, 3.7 and 3.8 (RFC 6143
// 7.1-7.3) and the Tight security type, each server stream delivered whole
// and cut at every byte boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ascii, concat, u8, u32 } from './helpers/bytes.js';
import * as srv from './helpers/server.js';
import { startClient } from './helpers/session.js';
import { parseClientMessages } from './helpers/client.js';
import { vncAuthResponse } from '../core/des.js';
import { negotiateVersion } from '../core/handshake.js';

const CHALLENGE = Uint8Array.from({ length: 16 }, (_, i) => i * 13 + 7);

/** Feeds `server` cut at every boundary; `check` gets the client's output and events each time. */
function everyCut(server, check, options = {}) {
    for (let k = 0; k <= server.length; k++) {
        const cuts = k === 0 || k === server.length ? [] : [k];
        const s = startClient(options);
        s.ws.receive(server, cuts);
        check(s, `cut at ${k}`);
    }
    const s = startClient(options);
    s.ws.receive(server, Array.from({ length: server.length - 1 }, (_, i) => i + 1));
    check(s, 'one byte at a time');
}

function split(sent, prefixLength) {
    return { prefix: sent.slice(0, prefixLength), messages: parseClientMessages(sent.slice(prefixLength)) };
}

function assertConnected(s, messages, why) {
    assert.deepEqual(s.events.map((e) => e.type), ['connect', 'desktopname'], why);
    assert.equal(s.rfb.state, 'connected', why);
    assert.deepEqual(messages.map((m) => m.name), ['SetPixelFormat', 'SetEncodings', 'FramebufferUpdateRequest'], why);
    assert.deepEqual(messages[0].pixelFormat, [32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0], why);
    assert.equal(messages[2].incremental, 0, why);
}

test('version numbers: 3.3, 3.7, 3.8 and the variants seen in the wild', () => {
    assert.equal(negotiateVersion(3, 3), 3.3);
    assert.equal(negotiateVersion(3, 4), 3.3);
    assert.equal(negotiateVersion(3, 5), 3.3);
    assert.equal(negotiateVersion(3, 6), 3.3);
    assert.equal(negotiateVersion(3, 7), 3.7);
    assert.equal(negotiateVersion(3, 8), 3.8);
    assert.equal(negotiateVersion(3, 889), 3.8);
    assert.equal(negotiateVersion(4, 1), 3.8);
    assert.equal(negotiateVersion(5, 0), 3.8);
    assert.throws(() => negotiateVersion(3, 2));
    assert.throws(() => negotiateVersion(2, 0));
});

for (const [offered, answered] of [['003.889', '003.008'], ['003.005', '003.003'], ['004.001', '003.008']]) {
    test(`server version ${offered} is answered with ${answered}`, () => {
        const s = startClient();
        s.ws.receive(srv.version(offered));
        assert.deepEqual(s.ws.takeSent(), Uint8Array.from(srv.version(answered)));
    });
}

test('a server that is not RFB fails with what it said', () => {
    const s = startClient();
    s.ws.receive(ascii('HTTP/1.1 400'));
    assert.equal(s.events.at(-1).type, 'disconnect');
    assert.equal(s.events.at(-1).detail.clean, false);
    assert.match(s.events.at(-1).detail.reason, /Not an RFB server/);
});

test('3.8 with None: SecurityResult, ClientInit, ServerInit, then pixel format, encodings, full update request', () => {
    const server = concat(srv.version('003.008'), u8(2), u8(2), u8(1), u32(0), srv.serverInit(40, 30, 'büro'));
    everyCut(server, (s, why) => {
        const { prefix, messages } = split(s.ws.takeSent(), 14);
        assert.deepEqual(prefix, concat(ascii('RFB 003.008\n'), u8(1), u8(1)), why);
        assertConnected(s, messages, why);
        assert.equal(s.events[1].detail.name, 'büro', why);
        assert.deepEqual([messages[2].w, messages[2].h], [40, 30], why);
        assert.equal(s.rfb.display.width, 40, why);
    });
});

test('3.7 with None: no SecurityResult', () => {
    const server = concat(srv.version('003.007'), u8(1), u8(1), srv.serverInit(8, 8));
    everyCut(server, (s, why) => {
        const { prefix, messages } = split(s.ws.takeSent(), 14);
        assert.deepEqual(prefix, concat(ascii('RFB 003.007\n'), u8(1), u8(1)), why);
        assertConnected(s, messages, why);
    });
});

test('3.3 with None: the server picks the type, no SecurityResult', () => {
    const server = concat(srv.version('003.003'), u32(1), srv.serverInit(8, 8));
    everyCut(server, (s, why) => {
        const { prefix, messages } = split(s.ws.takeSent(), 13);
        assert.deepEqual(prefix, concat(ascii('RFB 003.003\n'), u8(1)), why);
        assertConnected(s, messages, why);
    });
});

test('3.3 with VNC Authentication answers the challenge with DES of the password', () => {
    const server = concat(srv.version('003.003'), u32(2), CHALLENGE, u32(0), srv.serverInit(8, 8));
    everyCut(server, (s, why) => {
        const { prefix, messages } = split(s.ws.takeSent(), 29);
        assert.deepEqual(prefix, concat(ascii('RFB 003.003\n'), vncAuthResponse('secret', CHALLENGE), u8(1)), why);
        assertConnected(s, messages, why);
    }, { credentials: { password: 'secret' } });
});

test('3.8 VNC Authentication asks for the password and waits', () => {
    const s = startClient({ shared: false });
    s.ws.receive(concat(srv.version('003.008'), u8(1), u8(2), CHALLENGE));
    assert.deepEqual(s.events, [{ type: 'credentialsrequired', detail: { types: ['password'] } }]);
    assert.deepEqual(s.ws.takeSent(), concat(ascii('RFB 003.008\n'), u8(2)));
    s.events.length = 0;
    s.rfb.sendCredentials({ password: 'pw' });
    assert.deepEqual(s.ws.takeSent(), vncAuthResponse('pw', CHALLENGE));
    s.ws.receive(concat(u32(0), srv.serverInit(8, 8)));
    const sent = s.ws.takeSent();
    assert.equal(sent[0], 0, 'ClientInit with shared flag 0');
    assertConnected(s, parseClientMessages(sent.slice(1)), 'after credentials');
});

test('3.8 authentication failure reports the server reason', () => {
    const server = concat(srv.version('003.008'), u8(1), u8(2), CHALLENGE, u32(1), srv.reasonString('Authentication failure: bad password'));
    everyCut(server, (s, why) => {
        const types = s.events.map((e) => e.type);
        assert.deepEqual(types, ['securityfailure', 'disconnect'], why);
        assert.deepEqual(s.events[0].detail, { status: 1, reason: 'Authentication failure: bad password' }, why);
        assert.equal(s.events[1].detail.clean, false, why);
        assert.match(s.events[1].detail.reason, /bad password/, why);
        assert.equal(s.rfb.state, 'disconnected', why);
    }, { credentials: { password: 'x' } });
});

test('3.7 and 3.3 authentication failures have no reason string', () => {
    for (const [v, head] of [['003.007', concat(u8(1), u8(2))], ['003.003', u32(2)]]) {
        const s = startClient({ credentials: { password: 'x' } });
        s.ws.receive(concat(srv.version(v), head, CHALLENGE, u32(2)));
        assert.deepEqual(s.events[0].detail, { status: 2, reason: 'Too many authentication attempts' });
        const t = startClient({ credentials: { password: 'x' } });
        t.ws.receive(concat(srv.version(v), head, CHALLENGE, u32(1)));
        assert.deepEqual(t.events[0].detail, { status: 1, reason: 'Authentication failed' });
    }
});

test('connection refused: 3.7+ zero security types and 3.3 type 0 carry a reason', () => {
    for (const server of [
        concat(srv.version('003.008'), u8(0), srv.reasonString('Too many security failures')),
        concat(srv.version('003.003'), u32(0), srv.reasonString('Too many security failures')),
    ]) {
        everyCut(server, (s, why) => {
            assert.deepEqual(s.events.map((e) => e.type), ['disconnect'], why);
            assert.equal(s.events[0].detail.reason, 'Server refused the connection: Too many security failures', why);
        });
    }
});

test('no common security type fails and names what the server offered', () => {
    const s = startClient();
    s.ws.receive(concat(srv.version('003.008'), u8(2), u8(19), u8(18)));
    assert.match(s.events[0].detail.reason, /No supported security type \(server offers 19, 18\)/);
});

const NOTUNNEL = { code: 0, vendor: 'TGHT', signature: 'NOTUNNEL' };
const NOAUTH = { code: 1, vendor: 'STDV', signature: 'NOAUTH__' };
const VNCAUTH = { code: 2, vendor: 'STDV', signature: 'VNCAUTH_' };
const caps = (...list) => concat(u32(list.length), list.map((c) => srv.capability(c.code, c.vendor, c.signature)));
const tightInit = srv.serverInit(16, 16, 'tight', {
    server: [{ code: 150, vendor: 'TGHT', signature: 'CUS_EOCU' }],
    client: [{ code: 150, vendor: 'TGHT', signature: 'CUC_ENCU' }],
    enc: [{ code: 7, vendor: 'TGHT', signature: 'TIGHT___' }, { code: -223, vendor: 'TGHT', signature: 'NEWFBSIZ' }],
});

test('Tight security: no tunnel, no authentication, extended ServerInit', () => {
    const server = concat(srv.version('003.008'), u8(1), u8(16), caps(NOTUNNEL), caps(NOAUTH, VNCAUTH), u32(0), tightInit);
    everyCut(server, (s, why) => {
        const { prefix, messages } = split(s.ws.takeSent(), 22);
        assert.deepEqual(prefix, concat(ascii('RFB 003.008\n'), u8(16), u32(0), u32(1), u8(1)), why);
        assertConnected(s, messages, why);
    });
});

test('Tight security wrapping VNC Authentication', () => {
    const server = concat(srv.version('003.008'), u8(1), u8(16), caps(NOTUNNEL), caps(VNCAUTH), CHALLENGE, u32(0), tightInit);
    everyCut(server, (s, why) => {
        const { prefix, messages } = split(s.ws.takeSent(), 38);
        assert.deepEqual(prefix, concat(ascii('RFB 003.008\n'), u8(16), u32(0), u32(2), vncAuthResponse('pw', CHALLENGE), u8(1)), why);
        assertConnected(s, messages, why);
    }, { credentials: { password: 'pw' } });
});

test('Tight security with empty tunnel and auth lists goes on as None (3.7: no SecurityResult)', () => {
    const server = concat(srv.version('003.007'), u8(1), u8(16), u32(0), u32(0), tightInit);
    everyCut(server, (s, why) => {
        const { prefix, messages } = split(s.ws.takeSent(), 14);
        assert.deepEqual(prefix, concat(ascii('RFB 003.007\n'), u8(16), u8(1)), why);
        assertConnected(s, messages, why);
    });
});

test('Tight security without a supported authentication fails', () => {
    const s = startClient();
    s.ws.receive(concat(srv.version('003.008'), u8(1), u8(16), u32(0), caps({ code: 129, vendor: 'TGHT', signature: 'ULGNAUTH' })));
    assert.match(s.events[0].detail.reason, /no supported authentication \(server offers TGHTULGNAUTH\)/);
});

test('the socket closing during the handshake is a failure with the close code', () => {
    const s = startClient();
    s.ws.receive(srv.version('003.008'));
    s.ws.serverClose(1011, 'target unreachable');
    assert.deepEqual(s.events, [{ type: 'disconnect', detail: { clean: false, reason: 'Connection closed during the handshake (1011: target unreachable)' } }]);
});

test('base64 subprotocol carries the same bytes', () => {
    const s = startClient({}, { protocol: 'base64' });
    s.ws.receive(concat(srv.version('003.008'), u8(1), u8(1), u32(0), srv.serverInit(8, 8)));
    const { prefix, messages } = split(s.ws.takeSent(), 14);
    assert.deepEqual(prefix, concat(ascii('RFB 003.008\n'), u8(1), u8(1)));
    assertConnected(s, messages, 'base64');
});
