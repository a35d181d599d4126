// Every decoder on streams built from the specification, whole and cut at
// every byte boundary (or at random ones for the larger streams).
import { test } from 'node:test';
import { concat } from './helpers/bytes.js';
import { Pixels, testPattern } from './helpers/pixels.js';
import * as enc from './helpers/encoders.js';
import { DeflateStream } from './helpers/zstream.js';
import { runDecode, cutSets, assertRegion } from './helpers/harness.js';
import { encodings } from '../core/encodings.js';

function checkAllCuts(name, { width, height, rects, bytes, expected, initial, everyBoundary = true }) {
    for (const cuts of cutSets(bytes.length, { everyBoundary })) {
        const display = runDecode({ width, height, rects, bytes, cuts, initial });
        assertRegion(display, expected, 0, 0, `${name} cut at [${cuts.slice(0, 5)}${cuts.length > 5 ? ',...' : ''}]:`);
    }
}

test('raw: rows of 4-byte pixels', () => {
    const p = testPattern(13, 7);
    checkAllCuts('raw', {
        width: 13, height: 7, bytes: enc.raw(p), expected: p,
        rects: [{ x: 0, y: 0, w: 13, h: 7, enc: encodings.raw }],
    });
});

test('raw: a rectangle inside the framebuffer and an empty one', () => {
    const base = new Pixels(20, 10);
    const p = testPattern(6, 4, 3);
    const expected = new Pixels(20, 10);
    expected.paste(p, 9, 5);
    checkAllCuts('raw offset', {
        width: 20, height: 10, bytes: enc.raw(p), expected, initial: base,
        rects: [{ x: 9, y: 5, w: 6, h: 4, enc: encodings.raw }, { x: 3, y: 3, w: 0, h: 0, enc: encodings.raw }],
    });
});

test('copyrect: overlapping copies in every direction', () => {
    const initial = testPattern(32, 32, 5);
    const expected = new Pixels(32, 32, initial.data.slice());
    const moves = [[0, 0, 4, 6, 20, 16], [8, 8, 5, 3, 12, 12], [10, 10, 10, 10, 7, 9], [6, 6, 2, 2, 25, 25]];
    const rects = [];
    const bytes = [];
    for (const [sx, sy, dx, dy, w, h] of moves) {
        expected.paste(expected.crop(sx, sy, w, h), dx, dy);
        rects.push({ x: dx, y: dy, w, h, enc: encodings.copyRect });
        bytes.push(enc.copyRect(sx, sy));
    }
    checkAllCuts('copyrect', { width: 32, height: 32, bytes: concat(bytes), expected, initial, rects });
});

test('rre: background and subrectangles', () => {
    const p = testPattern(24, 18, 9).crop(0, 4, 24, 14);
    checkAllCuts('rre', {
        width: 24, height: 14, bytes: enc.rre(p), expected: p,
        rects: [{ x: 0, y: 0, w: 24, h: 14, enc: encodings.rre }],
    });
});

test('hextile: solid, monochrome, coloured and raw tiles with carried colours', () => {
    const p = testPattern(50, 40, 11);
    checkAllCuts('hextile', {
        width: 50, height: 40, bytes: enc.hextile(p, { rawEvery: 5 }), expected: p,
        rects: [{ x: 0, y: 0, w: 50, h: 40, enc: encodings.hextile }], everyBoundary: false,
    });
    const small = testPattern(20, 18, 12);
    checkAllCuts('hextile small', {
        width: 20, height: 18, bytes: enc.hextile(small, { rawEvery: 3 }), expected: small,
        rects: [{ x: 0, y: 0, w: 20, h: 18, enc: encodings.hextile }],
    });
});

test('zlib: two rectangles through one stream', async () => {
    const stream = new DeflateStream();
    const a = testPattern(16, 9, 13);
    const b = testPattern(16, 9, 14);
    const bytes = concat(await enc.zlibRect(a, stream), await enc.zlibRect(b, stream));
    stream.close();
    const expected = new Pixels(16, 18);
    expected.paste(a, 0, 0);
    expected.paste(b, 0, 9);
    checkAllCuts('zlib', {
        width: 16, height: 18, bytes, expected,
        rects: [{ x: 0, y: 0, w: 16, h: 9, enc: encodings.zlib }, { x: 0, y: 9, w: 16, h: 9, enc: encodings.zlib }],
    });
});

test('zrle: every subencoding, tiles cut at 64, one stream for two rectangles', async () => {
    const stream = new DeflateStream();
    const a = testPattern(150, 140, 17);
    const b = testPattern(30, 20, 18);
    const bytes = concat(await enc.zrle(a, stream), await enc.zrle(b, stream));
    stream.close();
    const expected = new Pixels(180, 140);
    expected.paste(a, 0, 0);
    expected.paste(b, 150, 100);
    checkAllCuts('zrle', {
        width: 180, height: 140, bytes, expected, everyBoundary: false,
        rects: [{ x: 0, y: 0, w: 150, h: 140, enc: encodings.zrle }, { x: 150, y: 100, w: 30, h: 20, enc: encodings.zrle }],
    });
});

test('zrle: small rectangle at every boundary', async () => {
    const stream = new DeflateStream();
    const a = testPattern(20, 12, 19);
    const bytes = await enc.zrle(a, stream);
    stream.close();
    checkAllCuts('zrle small', {
        width: 20, height: 12, bytes, expected: a,
        rects: [{ x: 0, y: 0, w: 20, h: 12, enc: encodings.zrle }],
    });
});

test('tight: fill, copy, palette (2 and n colours), gradient, tiny data, stream resets', async () => {
    let streams = [0, 1, 2, 3].map(() => new DeflateStream());
    const rects = [];
    const parts = [];
    const expected = new Pixels(64, 64);
    const add = async (x, y, p, build) => {
        parts.push(await build(p));
        rects.push({ x, y, w: p.width, h: p.height, enc: encodings.tight });
        expected.paste(p, x, y);
    };
    const pattern = testPattern(64, 64, 21);
    const flat = new Pixels(10, 10);
    for (let i = 0; i < 100; i++) {
        flat.set(i % 10, Math.floor(i / 10), [9, 99, 199]);
    }
    await add(0, 0, flat, () => enc.tightFill([9, 99, 199]));
    await add(10, 0, pattern.crop(0, 40, 20, 10), (p) => enc.tightCopy(p, streams, { id: 0 }));
    await add(30, 0, pattern.crop(0, 16, 20, 10), (p) => enc.tightPalette(p, streams, { id: 1 }));
    await add(0, 10, pattern.crop(0, 34, 30, 12), (p) => enc.tightPalette(p, streams, { id: 1 }));
    await add(30, 10, pattern.crop(34, 40, 30, 20), (p) => enc.tightGradient(p, streams, { id: 2 }));
    await add(50, 0, pattern.crop(0, 50, 2, 1), (p) => enc.tightCopy(p, streams, { id: 3, explicitFilter: true }));
    // Reset streams 0 and 2: the encoder starts new streams too.
    streams[0].close();
    streams[2].close();
    streams = [new DeflateStream(), streams[1], new DeflateStream(), streams[3]];
    await add(0, 30, pattern.crop(30, 30, 25, 14), (p) => enc.tightCopy(p, streams, { id: 0, resets: 0b0101 }));
    await add(0, 44, pattern.crop(0, 0, 40, 20), (p) => enc.tightGradient(p, streams, { id: 2 }));
    await add(40, 44, pattern.crop(10, 20, 24, 20), (p) => enc.tightCopy(p, streams, { id: 0 }));
    streams.forEach((s) => s.close());
    checkAllCuts('tight', { width: 64, height: 64, bytes: concat(parts), expected, rects, everyBoundary: false });
});

test('tight: compact lengths of 1, 2 and 3 bytes', async () => {
    const stream = [new DeflateStream(0)];
    const big = testPattern(200, 120, 23);   // incompressible noise: length > 16383
    const bytes = await enc.tightCopy(big, stream, { id: 0 });
    stream[0].close();
    checkAllCuts('tight big', {
        width: 200, height: 120, bytes, expected: big, everyBoundary: false,
        rects: [{ x: 0, y: 0, w: 200, h: 120, enc: encodings.tight }],
    });
});

test('tight: a small rectangle at every byte boundary', async () => {
    const streams = [0, 1, 2, 3].map(() => new DeflateStream());
    const p = testPattern(12, 12, 29).crop(0, 3, 12, 6);
    const q = testPattern(12, 12, 30).crop(0, 6, 12, 6);
    const bytes = concat(await enc.tightPalette(p, streams, { id: 1 }), await enc.tightGradient(q, streams, { id: 2 }));
    streams.forEach((s) => s.close());
    const expected = new Pixels(12, 12);
    expected.paste(p, 0, 0);
    expected.paste(q, 0, 6);
    checkAllCuts('tight small', {
        width: 12, height: 12, bytes, expected,
        rects: [{ x: 0, y: 0, w: 12, h: 6, enc: encodings.tight }, { x: 0, y: 6, w: 12, h: 6, enc: encodings.tight }],
    });
});
