// The headless framebuffer: ordered asynchronous images, copies, clipping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Display } from '../core/display.js';
import { Pixels, testPattern } from './helpers/pixels.js';
import { assertRegion } from './helpers/harness.js';
import { concat } from './helpers/bytes.js';
import * as enc from './helpers/encoders.js';
import * as srv from './helpers/server.js';
import { connected } from './helpers/session.js';
import { parseClientMessages } from './helpers/client.js';
import { encodings } from '../core/encodings.js';

/** Image decoder stand-in: "images" are fakeImage() bytes; delays decide who finishes first. */
function slowDecoder(delays) {
    const calls = [];
    const decode = (bytes, mime) => {
        const delay = delays[calls.length] ?? 0;
        calls.push(mime);
        const w = (bytes[0] << 8) | bytes[1];
        const h = (bytes[2] << 8) | bytes[3];
        return new Promise((resolve) => setTimeout(() => resolve({ width: w, height: h, data: bytes.slice(4) }), delay));
    };
    return { decode, calls };
}

const solid = (w, h, c) => {
    const p = new Pixels(w, h);
    for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
            p.set(x, y, c);
        }
    }
    return p;
};

test('later rectangles never overtake an image still being decoded', async () => {
    const { decode } = slowDecoder([40, 0]);
    const d = new Display(null, { imageDecoder: decode });
    d.resize(8, 8);
    const red = solid(8, 8, [255, 0, 0]);
    const blue = solid(4, 4, [0, 0, 255]);
    d.drawImage(0, 0, 8, 8, 'image/jpeg', enc.fakeImage(red));     // slow
    d.fillRect(2, 2, 4, 4, 0, 255, 0);                              // must land on top of red
    d.drawImage(4, 4, 4, 4, 'image/png', enc.fakeImage(blue));      // fast, but after both
    const src = new Uint8Array(16).fill(7);
    d.blitRGBX(0, 0, 2, 2, src);                                    // its source buffer is reused:
    src.fill(9);                                                    // the queued copy must not see this
    assert.equal(d.idle, false);
    await new Promise((resolve) => { d.ondrain = resolve; });
    const expected = solid(8, 8, [255, 0, 0]);
    expected.paste(solid(4, 4, [0, 255, 0]), 2, 2);
    expected.paste(blue, 4, 4);
    expected.paste(solid(2, 2, [7, 7, 7]), 0, 0);
    assertRegion(d, expected);
});

test('Tight JPEG and TightPNG rectangles in one update keep their order, and the next request waits', async () => {
    const { decode, calls } = slowDecoder([30, 0]);
    const s = connected({ imageDecoder: decode }, 8, 8);
    const a = testPattern(8, 8, 3);
    const b = testPattern(4, 4, 4);
    s.ws.receive(concat(srv.fbuHeader(3),
        srv.rectHeader(0, 0, 8, 8, encodings.tight), enc.tightImage('jpeg', enc.fakeImage(a)),
        srv.rectHeader(0, 0, 4, 4, encodings.tight), enc.tightFill([1, 1, 1]),
        srv.rectHeader(4, 4, 4, 4, encodings.tightPNG), enc.tightImage('png', enc.fakeImage(b))), [10, 30]);
    assert.deepEqual(calls, ['image/jpeg', 'image/png']);
    assert.deepEqual(parseClientMessages(s.ws.takeSent()), [], 'no request while images are pending');
    await new Promise((resolve) => setTimeout(resolve, 60));
    const expected = new Pixels(8, 8, a.data.slice());
    expected.paste(solid(4, 4, [1, 1, 1]), 0, 0);
    expected.paste(b, 4, 4);
    assertRegion(s.rfb.display, expected);
    assert.deepEqual(parseClientMessages(s.ws.takeSent()).map((m) => [m.name, m.incremental]), [['FramebufferUpdateRequest', 1]]);
});

test('an image that cannot be decoded fails the connection', async () => {
    const s = connected({ imageDecoder: () => Promise.reject(new Error('corrupt')) }, 8, 8);
    s.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(0, 0, 8, 8, encodings.tight), enc.tightImage('jpeg', [1, 2, 3])));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.match(s.events.at(-1).detail.reason, /image\/jpeg rectangle could not be decoded/);
});

test('PNG outside TightPNG is a protocol error', () => {
    const s = connected({}, 8, 8);
    s.ws.receive(concat(srv.fbuHeader(1), srv.rectHeader(0, 0, 8, 8, encodings.tight), enc.tightImage('png', [1, 2, 3])));
    assert.match(s.events.at(-1).detail.reason, /Tight: illegal compression control 0xa0/);
});

test('drawing is clipped to the framebuffer', () => {
    const d = new Display(null);
    d.resize(4, 4);
    d.fillRect(2, 2, 10, 10, 1, 2, 3);
    d.copyRect(0, 0, 3, 3, 5, 5);
    assert.deepEqual([...d.pixels.subarray(60, 64)], [0, 0, 0, 255]);
    assert.deepEqual([...d.pixels.subarray(40, 44)], [1, 2, 3, 255]);
});
