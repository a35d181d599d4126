// A telnet session over a fake WebSocket: the opening offers, a telnetd-like
// negotiation, TERMINAL-TYPE, NAWS on agreement and resize, Enter as CR LF,
// BINARY, data cut anywhere, base64 transport, close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TelnetSession } from '../telnet/session.js';
import { FakeWebSocket } from './helpers/fakews.js';
import { ascii, concat } from './helpers/bytes.js';

const IAC = 255, SB = 250, SE = 240, WILL = 251, WONT = 252, DO = 253, DONT = 254;
const CR = 13;
const BINARY = 0, ECHO = 1, SGA = 3, TTYPE = 24, NAWS = 31, LINEMODE = 34, NEW_ENVIRON = 39;
const hex = (bytes) => Buffer.from(bytes).toString('hex');

async function connected(options = {}, wsOptions = {}) {
    const ws = new FakeWebSocket(wsOptions);
    const session = new TelnetSession(options);
    const data = [];
    session.ondata = (bytes) => data.push(...bytes);
    const events = [];
    for (const type of ['connect', 'disconnect']) {
        session.addEventListener(type, (e) => events.push([type, e.detail]));
    }
    session.connect(ws);
    await Promise.resolve();
    return { ws, session, data, events };
}

test('on connect: DO SGA, WILL TTYPE, WILL NAWS in one message', async () => {
    const { ws, session, events } = await connected();
    assert.equal(session.state, 'connected');
    assert.deepEqual(events, [['connect', null]]);
    assert.equal(ws.sent.length, 1);
    assert.equal(hex(ws.takeSent()), 'fffd03fffb18fffb1f');
});

test('a telnetd-like opening: TTYPE IS, NAWS with the size, ECHO and SGA, the rest refused', async () => {
    const { ws, session } = await connected({ cols: 100, rows: 30 });
    ws.takeSent();
    // telnetd: DO TTYPE, DO NAWS, DO LINEMODE, DO NEW-ENVIRON, WILL ECHO, WILL SGA, SB TTYPE SEND
    ws.receive(concat(IAC, DO, TTYPE, IAC, DO, NAWS, IAC, DO, LINEMODE, IAC, DO, NEW_ENVIRON,
        IAC, WILL, ECHO, IAC, WILL, SGA, IAC, SB, TTYPE, 1, IAC, SE));
    assert.equal(hex(ws.takeSent()), [
        'fffa1f0064001efff0',                   // DO NAWS confirms our WILL: SB NAWS 100 30
        'fffc22',                               // WONT LINEMODE
        'fffc27',                               // WONT NEW-ENVIRON
        'fffd01',                               // DO ECHO (SGA confirms our DO: no answer)
        `fffa1800${hex(ascii('xterm-256color'))}fff0`,   // SB TTYPE IS xterm-256color
    ].join(''));
    assert.equal(session.remoteEcho, true);
    assert.ok(session.options.enabled('him', SGA));
    // acknowledgements of what is on get no answer
    ws.receive(concat(IAC, DO, TTYPE, IAC, WILL, ECHO, IAC, DO, NAWS));
    assert.equal(ws.sent.length, 0);
});

test('NAWS follows every resize, once per size, with 255 escaped', async () => {
    const { ws, session } = await connected({ cols: 80, rows: 24 });
    session.resize(90, 20);   // NAWS not agreed yet: nothing
    ws.takeSent();
    ws.receive(concat(IAC, DO, NAWS));
    assert.equal(hex(ws.takeSent()), 'fffa1f005a0014fff0');
    session.resize(255, 24);
    assert.equal(hex(ws.takeSent()), 'fffa1f00ffff0018fff0');
    session.resize(255, 24);
    assert.equal(ws.sent.length, 0, 'same size: nothing');
    ws.receive(concat(IAC, DONT, NAWS));
    assert.equal(hex(ws.takeSent()), 'fffc1f');
    session.resize(100, 40);
    assert.equal(ws.sent.length, 0, 'NAWS refused: no more sizes');
});

test('TERMINAL-TYPE: SEND before agreement is ignored; a list cycles as RFC 1091 says', async () => {
    const { ws } = await connected({ terminalTypes: ['xterm-256color', 'xterm'] });
    ws.takeSent();
    ws.receive(concat(IAC, DONT, TTYPE, IAC, SB, TTYPE, 1, IAC, SE));
    assert.equal(ws.sent.length, 0, 'refused TTYPE: no IS');
    ws.receive(concat(IAC, DO, TTYPE));
    assert.equal(hex(ws.takeSent()), 'fffb18');
    const is = (name) => `fffa1800${hex(ascii(name))}fff0`;
    const send = concat(IAC, SB, TTYPE, 1, IAC, SE);
    const answers = [];
    for (let i = 0; i < 4; i++) {
        ws.receive(send);
        answers.push(hex(ws.takeSent()));
    }
    assert.deepEqual(answers, [is('xterm-256color'), is('xterm'), is('xterm'), is('xterm-256color')]);
});

test('Enter is CR LF; a bare CR in data is CR NUL; IAC is doubled; UTF-8 is sent as UTF-8', async () => {
    const { ws, session } = await connected();
    ws.takeSent();
    session.sendInput('ls\r');
    assert.equal(hex(ws.takeSent()), hex(ascii('ls\r\n')));
    session.sendInput('a\r\nb');
    assert.equal(hex(ws.takeSent()), hex(ascii('a\r\nb')), 'CR LF stays one newline');
    session.sendData(Uint8Array.of(0x61, 13, 0x62, 255));
    assert.equal(hex(ws.takeSent()), '610d0062ffff');
    session.sendInput('é');
    assert.equal(hex(ws.takeSent()), 'c3a9');
    session.sendBinaryString('\x1b[M\xff!');
    assert.equal(hex(ws.takeSent()), '1b5b4dffff21');
});

test('BINARY both ways: Enter is a plain CR, CR NUL from the server is data', async () => {
    const { ws, session, data } = await connected();
    ws.takeSent();
    ws.receive(concat(IAC, DO, BINARY, IAC, WILL, BINARY));
    assert.equal(hex(ws.takeSent()), 'fffb00fffd00');
    session.sendInput('x\r');
    assert.equal(hex(ws.takeSent()), '780d');
    ws.receive(Uint8Array.of(13, 0, 255, 255));
    assert.deepEqual(data, [13, 0, 255]);
    // the server leaves BINARY: NVT rules again
    ws.receive(concat(IAC, WONT, BINARY, IAC, DONT, BINARY, 13, 0));
    assert.equal(hex(ws.takeSent()), 'fffe00fffc00');   // DONT BINARY, WONT BINARY
    session.sendInput('\r');
    assert.equal(hex(ws.takeSent()), '0d0a');
    assert.deepEqual(data, [13, 0, 255, 13]);
});

test('data with commands cut at every frame boundary arrives whole', async () => {
    const stream = concat(ascii('lo'), IAC, IAC, CR, 0, ascii('gin:'), IAC, WILL, ECHO, IAC, SB, TTYPE, 1, IAC, SE, ascii(' '));
    const { ws, data } = await connected();
    ws.receive(concat(IAC, DO, TTYPE));
    ws.takeSent();
    for (let cut = 1; cut < stream.length; cut++) {
        data.length = 0;
        ws.receive(stream, [cut]);
        assert.deepEqual(data, [...ascii('lo'), 255, 13, ...ascii('gin: ')], `cut at ${cut}`);
        const sent = hex(ws.takeSent());
        assert.ok(sent.endsWith(`fffa1800${hex(ascii('xterm-256color'))}fff0`), `IS after cut ${cut}`);
    }
});

test('the base64 subprotocol carries the same bytes', async () => {
    const { ws, session, data } = await connected({}, { protocol: 'base64' });
    assert.equal(hex(ws.takeSent()), 'fffd03fffb18fffb1f');
    ws.receive(concat(ascii('ok'), IAC, IAC));
    assert.deepEqual(data, [...ascii('ok'), 255]);
    session.sendInput('\r');
    assert.equal(hex(ws.takeSent()), '0d0a');
});

test('close: by the server, by us; nothing is sent afterwards; a new connection starts over', async () => {
    const first = await connected();
    first.ws.serverClose(1000, 'Target closed');
    assert.equal(first.session.state, 'disconnected');
    assert.deepEqual(first.events[1], ['disconnect', { clean: true, code: 1000, reason: 'Target closed' }]);
    first.session.sendInput('x');
    first.session.resize(1, 1);

    const second = await connected();
    second.ws.receive(concat(IAC, WILL, ECHO));
    second.session.disconnect();
    assert.equal(second.events[1][1].clean, true);

    const lost = await connected();
    lost.ws.serverClose(1006, '');
    assert.deepEqual(lost.events[1][1], { clean: false, code: 1006, reason: 'connection lost (code 1006)' });

    // the same session object connects again with fresh option states
    const ws = new FakeWebSocket();
    second.session.connect(ws);
    await Promise.resolve();
    assert.equal(second.session.remoteEcho, false);
    assert.equal(hex(ws.takeSent()), 'fffd03fffb18fffb1f');
});

test('a connection that never opens is reported as such', async () => {
    const ws = new FakeWebSocket();
    ws.readyState = 0;
    const session = new TelnetSession();
    let detail = null;
    session.addEventListener('disconnect', (e) => {
        detail = e.detail;
    });
    session.connect(ws);
    ws.serverClose(1006, '');
    assert.deepEqual(detail, { clean: false, code: 1006, reason: 'could not connect' });
});

test('a URL the WebSocket constructor rejects leaves the session free to connect again', () => {
    const saved = globalThis.WebSocket;
    globalThis.WebSocket = class {
        constructor(url) {
            throw new SyntaxError(`bad url ${url}`);
        }
    };
    try {
        const session = new TelnetSession();
        assert.throws(() => session.connect('ws://[bad'), /bad url/);
        assert.equal(session.state, 'disconnected');
    } finally {
        globalThis.WebSocket = saved;
    }
});
