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
import { DeflateStream } from './helpers/zstream.js';
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

test('Tight pixels behind a pending image keep their own arrays: decoded buffers are reused only when drawn at once', async () => {
    const { decode } = slowDecoder([30]);
    const s = connected({ imageDecoder: decode }, 16, 16);
    const streams = [0, 1, 2, 3].map(() => new DeflateStream());
    const img = testPattern(16, 16, 5);
    // Two colours (1 bit a pixel), several colours (a byte), copy and gradient, each twice.
    const checks = (colours) => {
        const p = new Pixels(8, 8);
        for (let y = 0; y < 8; y++) {
            for (let x = 0; x < 8; x++) {
                p.set(x, y, colours[(x * 3 + y * 5 + ((x * y) >> 2)) % colours.length]);
            }
        }
        return p;
    };
    const two = checks([[9, 9, 9], [200, 100, 50]]);
    const many = checks([[1, 2, 3], [40, 80, 120], [250, 0, 125], [7, 77, 177], [66, 6, 166]]);
    const rgb = testPattern(8, 8, 8);
    const grad = testPattern(8, 8, 9);
    const later = [[two, 0, 0], [many, 8, 0], [rgb, 0, 8], [grad, 8, 8]];
    const rects = [srv.rectHeader(0, 0, 16, 16, encodings.tight), enc.tightImage('jpeg', enc.fakeImage(img))];
    for (const [p, x, y] of later) {
        const body = p === rgb ? await enc.tightCopy(p, streams)
            : p === grad ? await enc.tightGradient(p, streams) : await enc.tightPalette(p, streams);
        rects.push(srv.rectHeader(x, y, 8, 8, encodings.tight), body);
    }
    // The same again in a second update, drawn at once: the reused buffers must not leak into the first.
    const again = [];
    for (const [p, x, y] of later) {
        const body = p === rgb ? await enc.tightCopy(p, streams)
            : p === grad ? await enc.tightGradient(p, streams) : await enc.tightPalette(p, streams);
        again.push(srv.rectHeader(x, y, 8, 8, encodings.tight), body);
    }
    s.ws.receive(concat(srv.fbuHeader(1 + later.length), ...rects));
    assert.equal(s.rfb.display.idle, false);
    await new Promise((resolve) => { s.rfb.display.ondrain = resolve; });
    const expected = new Pixels(16, 16, img.data.slice());
    for (const [p, x, y] of later) {
        expected.paste(p, x, y);
    }
    assertRegion(s.rfb.display, expected, 0, 0, 'queued behind the image');
    s.ws.receive(concat(srv.fbuHeader(later.length), ...again));
    assert.equal(s.rfb.display.idle, true);
    assertRegion(s.rfb.display, expected, 0, 0, 'drawn at once');
    streams.forEach((z) => z.close());
});
