// Extended Clipboard both ways, and the Latin-1 fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { concat, u32 } from './helpers/bytes.js';
import { connected } from './helpers/session.js';
import { parseClientMessages } from './helpers/client.js';

const TEXT = 1;
const CAPS = 1 << 24;
const REQUEST = 1 << 25;
const PEEK = 1 << 26;
const NOTIFY = 1 << 27;
const PROVIDE = 1 << 28;

/** ServerCutText carrying an extended message: negative length, flags, payload. */
function extended(flags, payload = []) {
    return concat(3, [0, 0, 0], u32(-(4 + payload.length) >>> 0), u32(flags >>> 0), payload);
}

function flagsOf(m) {
    const d = m.data;
    return ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
}

const sent = (s) => parseClientMessages(s.ws.takeSent());

function extendedClient() {
    const s = connected();
    s.ws.receive(extended(CAPS | REQUEST | PEEK | NOTIFY | PROVIDE | TEXT, u32(1 << 20)), [9]);
    return s;
}

test('server caps are answered with our caps: text, its size limit, our actions', () => {
    const s = extendedClient();
    const [m] = sent(s);
    assert.equal(m.extended, true);
    assert.equal(flagsOf(m), (CAPS | REQUEST | PEEK | NOTIFY | PROVIDE | TEXT) >>> 0);
    assert.deepEqual([...m.data.subarray(4)], u32(10 * 1024 * 1024));
});

test('server text: notify -> our request -> provide (zlib, UTF-8, CRLF, NUL) -> clipboard event', () => {
    const s = extendedClient();
    sent(s);
    s.ws.receive(extended(NOTIFY | TEXT));
    const [req] = sent(s);
    assert.equal(flagsOf(req), (REQUEST | TEXT) >>> 0);
    const text = new TextEncoder().encode('grüße ✓\r\nzweite Zeile\0');
    const payload = zlib.deflateSync(concat(u32(text.length), text));
    s.ws.receive(extended(PROVIDE | TEXT, payload), [5, 13]);
    assert.deepEqual(s.events.at(-1), { type: 'clipboard', detail: { text: 'grüße ✓\nzweite Zeile' } });
});

test('server text in a sync-flushed, unfinished zlib stream (as TigerVNC sends it)', () => {
    const s = extendedClient();
    sent(s);
    const text = new TextEncoder().encode('Copied ✓ äöü\0');
    const payload = zlib.deflateSync(concat(u32(text.length), text), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    s.ws.receive(extended(PROVIDE | TEXT, payload));
    assert.equal(s.rfb.state, 'connected');
    assert.deepEqual(s.events.at(-1), { type: 'clipboard', detail: { text: 'Copied ✓ äöü' } });
});

test('a failure thrown as a string still reports its reason', () => {
    const s = extendedClient();
    sent(s);
    s.ws.receive(extended(PROVIDE | TEXT, [1, 2, 3, 4, 5, 6]));
    assert.equal(s.rfb.state, 'disconnected');
    const reason = s.events.find((e) => e.type === 'disconnect').detail.reason;
    assert.ok(reason && reason !== 'undefined', reason);
});

test('client text: paste -> notify; server request -> provide with the text', () => {
    const s = extendedClient();
    sent(s);
    s.rfb.clipboardPasteFrom('çà et là ✓\nfin');
    const [notify] = sent(s);
    assert.equal(flagsOf(notify), (NOTIFY | TEXT) >>> 0);
    s.ws.receive(extended(REQUEST | TEXT));
    const [provide] = sent(s);
    assert.equal(flagsOf(provide), (PROVIDE | TEXT) >>> 0);
    const raw = zlib.inflateSync(provide.data.subarray(4));
    const size = raw.readUInt32BE(0);
    assert.equal(new TextDecoder().decode(raw.subarray(4, 4 + size)), 'çà et là ✓\r\nfin\0');
    assert.equal(raw.length, 4 + size);
});

test('a peek is answered with a notify of what we hold', () => {
    const s = extendedClient();
    sent(s);
    s.ws.receive(extended(PEEK));
    assert.equal(flagsOf(sent(s)[0]), NOTIFY >>> 0);
    s.rfb.clipboardPasteFrom('x');
    sent(s);
    s.ws.receive(extended(PEEK));
    assert.equal(flagsOf(sent(s)[0]), (NOTIFY | TEXT) >>> 0);
});

test('without the extension, paste is Latin-1 ClientCutText', () => {
    const s = connected();
    s.rfb.clipboardPasteFrom('été ✓');
    const [m] = sent(s);
    assert.equal(m.extended, false);
    assert.deepEqual([...m.data], [0xe9, 0x74, 0xe9, 0x20, 0x3f]);
});
