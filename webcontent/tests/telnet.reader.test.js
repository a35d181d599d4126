// The telnet reader (RFC 854, 855): every vector is run whole, one byte at a
// time and cut at every pair of boundaries; the events must be the same and
// the reader idle ("nothing left over") after each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TelnetReader } from '../telnet/reader.js';
import { Log } from '../core/log.js';
import { ascii, concat } from './helpers/bytes.js';

const IAC = 255, SB = 250, SE = 240, WILL = 251, WONT = 252, DO = 253, DONT = 254;
const NOP = 241, GA = 249, DM = 242, CR = 13, LF = 10, NUL = 0;
const ECHO = 1, SGA = 3, TTYPE = 24, NAWS = 31;

/** Events as plain values; consecutive data runs merged (cuts may split them). */
function recorder() {
    const events = [];
    const handler = {
        onData(view) {
            const last = events[events.length - 1];
            if (last && last[0] === 'data') {
                last[1].push(...view);
            } else {
                events.push(['data', [...view]]);
            }
        },
        onCommand: (code) => events.push(['cmd', code]),
        onNegotiation: (verb, option) => events.push(['neg', verb, option]),
        onSubnegotiation: (option, bytes) => events.push(['sb', option, [...bytes]]),
    };
    return { events, handler };
}

function readIn(bytes, cuts, options = {}) {
    const { events, handler } = recorder();
    const reader = new TelnetReader(handler, options);
    reader.binary = options.binary ?? false;
    let previous = 0;
    for (const cut of [...cuts, bytes.length]) {
        reader.receive(Uint8Array.from(bytes.subarray(previous, cut)));
        previous = cut;
    }
    return { events, idle: reader.idle };
}

/** Runs bytes whole, byte by byte, and at every pair of cut points; all must agree. */
function check(bytes, expected, options = {}) {
    const whole = readIn(bytes, [], options);
    assert.deepEqual(whole.events, expected, 'whole');
    assert.ok(whole.idle, 'idle after the whole vector');
    const bytewise = readIn(bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1), options);
    assert.deepEqual(bytewise.events, expected, 'one byte at a time');
    for (let a = 1; a < bytes.length; a++) {
        for (let b = a; b < bytes.length; b++) {
            const cut = readIn(bytes, a === b ? [a] : [a, b], options);
            assert.deepEqual(cut.events, expected, `cut at ${a}, ${b}`);
            assert.ok(cut.idle);
        }
    }
}

test('plain data passes through as views of the received chunk', () => {
    check(concat(ascii('login: ')), [['data', ascii('login: ')]]);
    const chunk = concat(ascii('abc'), IAC, NOP, ascii('def'));
    const views = [];
    new TelnetReader({ onData: (v) => views.push(v), onCommand() {} }).receive(chunk);
    assert.equal(views.length, 2);
    assert.ok(views.every((v) => v.buffer === chunk.buffer), 'no copy');
});

test('IAC IAC is one data byte 255', () => {
    // "a" IAC IAC "b" IAC IAC IAC IAC
    check(concat(0x61, IAC, IAC, 0x62, IAC, IAC, IAC, IAC), [['data', [0x61, 255, 0x62, 255, 255]]]);
});

test('negotiation commands carry verb and option', () => {
    // IAC DO TTYPE, IAC WILL ECHO, IAC WONT SGA, IAC DONT NAWS
    check(concat(IAC, DO, TTYPE, IAC, WILL, ECHO, IAC, WONT, SGA, IAC, DONT, NAWS), [
        ['neg', DO, TTYPE], ['neg', WILL, ECHO], ['neg', WONT, SGA], ['neg', DONT, NAWS],
    ]);
    // the option byte may be 255 (EXOPL): IAC WILL 255 is not an escape
    check(concat(IAC, WILL, 255, 0x78), [['neg', WILL, 255], ['data', [0x78]]]);
});

test('two-byte commands between data', () => {
    // "x" IAC NOP "y" IAC GA IAC DM "z"
    check(concat(0x78, IAC, NOP, 0x79, IAC, GA, IAC, DM, 0x7a), [
        ['data', [0x78]], ['cmd', NOP], ['data', [0x79]], ['cmd', GA], ['cmd', DM], ['data', [0x7a]],
    ]);
});

test('subnegotiation: IAC SB option ... IAC SE, IAC IAC undone inside', () => {
    // IAC SB TTYPE SEND IAC SE
    check(concat(IAC, SB, TTYPE, 1, IAC, SE), [['sb', TTYPE, [1]]]);
    // IAC SB NAWS 0 255(doubled) 0 24 IAC SE, then data
    check(concat(IAC, SB, NAWS, 0, IAC, IAC, 0, 24, IAC, SE, 0x21), [['sb', NAWS, [0, 255, 0, 24]], ['data', [0x21]]]);
    // an empty subnegotiation
    check(concat(IAC, SB, 200, IAC, SE), [['sb', 200, []]]);
    // SE and SB bytes are plain data inside a subnegotiation
    check(concat(IAC, SB, TTYPE, SE, SB, IAC, SE), [['sb', TTYPE, [SE, SB]]]);
});

test('CR NUL is a bare CR: the NUL is dropped, across chunks too', () => {
    // "a" CR NUL "b" CR LF NUL CR CR NUL
    check(concat(0x61, CR, NUL, 0x62, CR, LF, NUL, CR, CR, NUL), [['data', [0x61, CR, 0x62, CR, LF, NUL, CR, CR]]]);
});

test('in binary mode CR NUL is data', () => {
    check(concat(0x61, CR, NUL, IAC, IAC, NUL), [['data', [0x61, CR, NUL, 255, NUL]]], { binary: true });
});

test('a command between CR and NUL ends the CR', () => {
    // CR IAC NOP NUL: the NUL no longer follows a CR
    check(concat(CR, IAC, NOP, NUL), [['data', [CR]], ['cmd', NOP], ['data', [NUL]]]);
});

test('a command inside a subnegotiation drops it and is itself obeyed', () => {
    Log.init('none');
    // IAC SB TTYPE 1 IAC WILL ECHO "k": broken subnegotiation, then WILL ECHO
    check(concat(IAC, SB, TTYPE, 1, IAC, WILL, ECHO, 0x6b), [['neg', WILL, ECHO], ['data', [0x6b]]]);
    // IAC SB TTYPE 1 IAC NOP "k"
    check(concat(IAC, SB, TTYPE, 1, IAC, NOP, 0x6b), [['cmd', NOP], ['data', [0x6b]]]);
    Log.init('warn');
});

test('an over-long subnegotiation is read to its end and dropped', () => {
    Log.init('none');
    check(concat(IAC, SB, TTYPE, 0, ascii('0123456789'), IAC, SE, 0x2e), [['data', [0x2e]]], { maxSubnegotiation: 8 });
    check(concat(IAC, SB, TTYPE, 0, ascii('0123456'), IAC, SE), [['sb', TTYPE, [0, ...ascii('0123456')]]],
        { maxSubnegotiation: 8 });
    Log.init('warn');
});

test('IAC SE outside a subnegotiation is ignored', () => {
    check(concat(0x61, IAC, SE, 0x62), [['data', [0x61, 0x62]]]);
});

test('a session-like stream survives every cut', () => {
    const stream = concat(
        IAC, DO, TTYPE, IAC, DO, NAWS, IAC, WILL, ECHO, IAC, WILL, SGA,   // telnetd's opening
        IAC, SB, TTYPE, 1, IAC, SE,                                          // SEND
        CR, LF, ascii('Debian login: '), IAC, GA,
        ascii('x'), IAC, IAC, CR, NUL, ascii('y'),
    );
    check(stream, [
        ['neg', DO, TTYPE], ['neg', DO, NAWS], ['neg', WILL, ECHO], ['neg', WILL, SGA],
        ['sb', TTYPE, [1]],
        ['data', [CR, LF, ...ascii('Debian login: ')]], ['cmd', GA],
        ['data', [...ascii('x'), 255, CR, ...ascii('y')]],
    ]);
});

test('a half-read command is not idle; reset forgets it', () => {
    const { handler, events } = recorder();
    const reader = new TelnetReader(handler);
    reader.receive(Uint8Array.of(IAC, SB, TTYPE, 1));
    assert.equal(reader.idle, false);
    reader.reset();
    assert.equal(reader.idle, true);
    reader.receive(Uint8Array.of(0x41));
    assert.deepEqual(events, [['data', [0x41]]]);
});
