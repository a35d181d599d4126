// Normal-phase messages: FramebufferUpdate with pseudo-encodings, bell, cut
// text, fences, continuous updates, input messages, failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, u8, u16, u32 } from './helpers/bytes.js';
import * as srv from './helpers/server.js';
import * as enc from './helpers/encoders.js';
import { connected } from './helpers/session.js';
import { parseClientMessages } from './helpers/client.js';
import { testPattern } from './helpers/pixels.js';
import { assertRegion } from './helpers/harness.js';
import { encodings } from '../core/encodings.js';

const sent = (s) => parseClientMessages(s.ws.takeSent());

test('SetEncodings lists the preferred encodings and every pseudo-encoding', () => {
    const s = connected();
    s.rfb.qualityLevel = 8;
    const [m] = sent(s);
    assert.deepEqual(m.encodings, [1, 7, 16, -260, 5, 6, 2, 0, -24, -254, -223, -308, -224, -239, -307, -258, -312, 0xC0A1E5CE | 0, -313]);
});

test('an explicit encodings list and a lossless quality', () => {
    const s = connected({ encodings: ['hextile', 'raw'], qualityLevel: -1, compressionLevel: 9 });
    s.rfb.compressionLevel = 9;
    const [m] = sent(s);
    assert.deepEqual(m.encodings.slice(0, 3), [5, 0, -247]);
});

test('a FramebufferUpdate draws, then an incremental request follows', () => {
    const s = connected({}, 16, 8);
    const p = testPattern(16, 8);
    s.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(0, 0, 16, 8, encodings.raw), enc.raw(p)), [3, 9, 100]);
    assertRegion(s.rfb.display, p);
    assert.deepEqual(sent(s).map((m) => [m.name, m.incremental, m.w, m.h]), [['FramebufferUpdateRequest', 1, 16, 8]]);
});

test('LastRect ends an update announced with 65535 rectangles', () => {
    const s = connected({}, 4, 4);
    s.ws.receive(concat(srv.fbuHeader(0xffff), srv.rectHeader(0, 0, 4, 4, encodings.tight), enc.tightFill([1, 2, 3]),
        srv.rectHeader(0, 0, 0, 0, encodings.pseudoLastRect), srv.bell()));
    assert.deepEqual([...s.rfb.display.pixels.subarray(0, 4)], [1, 2, 3, 255]);
    assert.deepEqual(s.events.map((e) => e.type), ['bell']);
    assert.equal(sent(s).length, 1);
});

test('DesktopSize resizes and keeps the old contents', () => {
    const s = connected({}, 4, 4);
    s.ws.receive(concat(srv.fbuHeader(2), srv.rectHeader(0, 0, 4, 4, encodings.tight), enc.tightFill([9, 9, 9]),
        srv.rectHeader(0, 0, 6, 2, encodings.pseudoDesktopSize)));
    assert.deepEqual([s.rfb.display.width, s.rfb.display.height], [6, 2]);
    assert.deepEqual([...s.rfb.display.pixels.subarray(0, 4)], [9, 9, 9, 255]);
    assert.deepEqual([...s.rfb.display.pixels.subarray(16, 20)], [0, 0, 0, 255]);
    const [req] = sent(s);
    assert.deepEqual([req.w, req.h], [6, 2]);
});

test('ExtendedDesktopSize: resize, screens kept, SetDesktopSize refused reasons', () => {
    const s = connected({}, 4, 4);
    const screen = concat(u32(0x1234), u16(0), u16(0), u16(10), u16(12), u32(0x5));
    s.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(0, 0, 10, 12, encodings.pseudoExtendedDesktopSize),
        u8(1), [0, 0, 0], screen));
    assert.deepEqual([s.rfb.display.width, s.rfb.display.height], [10, 12]);
    assert.equal(s.rfb.capabilities.resize, true);
    assert.deepEqual(s.events.map((e) => e.type), ['capabilities']);
    // A refused request (reason 1, status 3) changes nothing.
    s.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(1, 3, 0, 0, encodings.pseudoExtendedDesktopSize), u8(0), [0, 0, 0]));
    assert.deepEqual([s.rfb.display.width, s.rfb.display.height], [10, 12]);
});

test('Cursor: pixels, mask and hotspot exactly', () => {
    const s = connected({}, 8, 8);
    const w = 10;
    const h = 2;
    const pixels = [];
    for (let i = 0; i < w * h; i++) {
        pixels.push(i, 255 - i, 7, 0);
    }
    // Row 0: 1010101010 ; row 1: 0000000001, each row padded to 2 bytes.
    const mask = [0b10101010, 0b10000000, 0b00000000, 0b01000000];
    s.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(3, 1, w, h, encodings.pseudoCursor), pixels, mask));
    const c = s.rfb.display.cursor;
    assert.deepEqual([c.width, c.height, c.hotX, c.hotY], [10, 2, 3, 1]);
    const alpha = Array.from({ length: w * h }, (_, i) => c.rgba[i * 4 + 3]);
    assert.deepEqual(alpha, [255, 0, 255, 0, 255, 0, 255, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255]);
    assert.deepEqual([...c.rgba.subarray(4 * 19, 4 * 20)], [19, 236, 7, 255]);
});

test('DesktopName, Bell and Latin-1 ServerCutText become events', () => {
    const s = connected();
    const name = new TextEncoder().encode('ünïcode ✓');
    s.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(0, 0, 0, 0, encodings.pseudoDesktopName), u32(name.length), name,
        srv.bell(), 3, [0, 0, 0], u32(3), [0x63, 0xe9, 0x0a]), [5, 20]);
    assert.deepEqual(s.events, [
        { type: 'desktopname', detail: { name: 'ünïcode ✓' } },
        { type: 'bell', detail: null },
        { type: 'clipboard', detail: { text: 'cé\n' } },
    ]);
});

test('SetColourMapEntries is read whole', () => {
    const s = connected();
    s.ws.receive(concat(1, 0, u16(5), u16(2), u16(0xffff), u16(0x8000), u16(0), u16(0), u16(0x1000), u16(0x2000), srv.bell()), [7]);
    assert.deepEqual(s.rfb.colourMap[5], [255, 128, 0]);
    assert.deepEqual(s.rfb.colourMap[6], [0, 16, 32]);
    assert.deepEqual(s.events.map((e) => e.type), ['bell']);
});

test('a fence request is answered with the same payload and the request bit cleared', () => {
    const s = connected();
    s.ws.receive(srv.fence(0x80000000 | 0x3 | 0x8, [1, 2, 3]), [4]);
    assert.deepEqual(sent(s).map((m) => [m.name, m.flags, m.payload]), [['Fence', 0x3, [1, 2, 3]]]);
    s.ws.receive(srv.fence(0x1, []));
    assert.deepEqual(sent(s), []);
});

test('continuous updates replace update requests once the server announces them', () => {
    const s = connected({}, 8, 6);
    s.ws.receive(Uint8Array.of(150));
    assert.deepEqual(sent(s).map((m) => [m.name, m.enable, m.w, m.h]), [['EnableContinuousUpdates', 1, 8, 6]]);
    s.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(0, 0, 8, 6, encodings.tight), enc.tightFill([5, 5, 5])));
    assert.deepEqual(sent(s), []);
    s.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(0, 0, 9, 7, encodings.pseudoDesktopSize)));
    assert.deepEqual(sent(s).map((m) => [m.name, m.w, m.h]), [['EnableContinuousUpdates', 9, 7]]);
    // A second EndOfContinuousUpdates means they stopped: back to requests.
    s.ws.receive(Uint8Array.of(150));
    assert.deepEqual(sent(s).map((m) => [m.name, m.incremental]), [['FramebufferUpdateRequest', 1]]);
});

test('keys: KeyEvent, or QEMU Extended Key Event with the XT scancode once supported', () => {
    const s = connected();
    s.rfb.sendKey(0x61, 'KeyA', true);
    s.rfb.sendKey(0x61, 'KeyA', false);
    assert.deepEqual(sent(s).map((m) => [m.name, m.down, m.keysym]), [['KeyEvent', 1, 0x61], ['KeyEvent', 0, 0x61]]);
    s.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(0, 0, 0, 0, encodings.pseudoQEMUExtendedKeyEvent)));
    sent(s);
    s.rfb.sendKey(0xffe4, 'ControlRight', true);
    s.rfb.sendKey(0x1008ff14, 'NoSuchCode', true);
    assert.deepEqual(sent(s).map((m) => [m.name, m.down, m.keysym, m.keycode]), [
        ['QEMUExtendedKeyEvent', 1, 0xffe4, 0x9d],
        ['KeyEvent', 1, 0x1008ff14, undefined],
    ]);
    s.rfb.sendCtrlAltDel();
    assert.deepEqual(sent(s).map((m) => [m.down, m.keycode]), [[1, 0x1d], [1, 0x38], [1, 0xd3], [0, 0xd3], [0, 0x38], [0, 0x1d]]);
});

test('pointer events are clamped to the framebuffer', () => {
    const s = connected({}, 100, 50);
    s.rfb.sendPointer(10.4, 20.6, 1);
    s.rfb.sendPointer(500, -3, 0);
    assert.deepEqual(sent(s).map((m) => [m.mask, m.x, m.y]), [[1, 10, 21], [0, 99, 0]]);
});

test('view-only sends no input and no clipboard', () => {
    const s = connected({ viewOnly: true });
    s.rfb.sendKey(0x61, 'KeyA');
    s.rfb.sendPointer(1, 1, 1);
    s.rfb.sendCtrlAltDel();
    s.rfb.clipboardPasteFrom('x');
    assert.deepEqual(sent(s), []);
    s.rfb.viewOnly = false;
    s.rfb.sendKey(0x61, 'KeyA');
    assert.equal(sent(s).length, 2);
});

test('an unknown message type or a rectangle outside the framebuffer fails the connection', () => {
    const s = connected();
    s.ws.receive(Uint8Array.of(77));
    assert.deepEqual(s.events, [{ type: 'disconnect', detail: { clean: false, reason: 'Unknown server message type 77' } }]);
    const t = connected({}, 4, 4);
    t.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(2, 2, 4, 4, encodings.raw)));
    assert.match(t.events[0].detail.reason, /outside the 4x4 framebuffer/);
    const u = connected({}, 4, 4);
    u.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(0, 0, 4, 4, 12345)));
    assert.match(u.events[0].detail.reason, /Unsupported encoding 12345/);
});

test('disconnect() is clean and sends nothing afterwards; a server close 1000 is clean too', () => {
    const s = connected();
    s.rfb.disconnect();
    assert.deepEqual(s.events, [{ type: 'disconnect', detail: { clean: true, reason: 'Disconnected' } }]);
    s.rfb.sendKey(0x61, 'KeyA');
    assert.equal(s.ws.sent.length, 0);
    const t = connected();
    t.ws.serverClose(1000);
    assert.deepEqual(t.events[0].detail, { clean: true, reason: 'Server closed the connection (1000)' });
    const u = connected();
    u.ws.serverClose(1006);
    assert.deepEqual(u.events[0].detail, { clean: false, reason: 'Connection lost (1006)' });
});

test('SetDesktopSize keeps the screen id and flags and asks for the new size', async () => {
    const { setDesktopSize } = await import('../core/clientmessages.js');
    const [m] = parseClientMessages(setDesktopSize(1024, 700, [{ id: 0x1234, x: 0, y: 0, width: 1024, height: 700, flags: 5 }]));
    assert.deepEqual(m, {
        type: 251, name: 'SetDesktopSize', width: 1024, height: 700,
        screens: [{ id: 0x1234, x: 0, y: 0, width: 1024, height: 700, flags: 5 }],
    });
    assert.equal(setDesktopSize(1, 1, []).length, 8);
});
