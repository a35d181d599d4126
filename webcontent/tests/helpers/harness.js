// Runs decoders over a byte stream delivered in pieces, the way a socket may cut it.
import assert from 'node:assert/strict';
import { Display } from '../../core/display.js';
import { ReceiveQueue } from '../../core/rqueue.js';
import { createDecoders } from '../../core/decoders/index.js';
import { Log } from '../../core/log.js';
import { random } from './bytes.js';

Log.init('none');

/**
 * Decodes rects (each {x, y, w, h, enc}) whose payloads, concatenated, are `bytes`,
 * pushing the bytes in pieces cut at `cuts`. Returns the display.
 */
export function runDecode({ width, height, rects, bytes, cuts = [], initial = null, imageDecoder }) {
    const display = new Display(null, { imageDecoder });
    display.resize(width, height);
    if (initial) {
        display.blitRGBA(0, 0, width, height, initial.data);
    }
    const decoders = createDecoders();
    const rq = new ReceiveQueue();
    let done = 0;
    let previous = 0;
    for (const cut of [...cuts, bytes.length]) {
        rq.push(bytes.slice(previous, cut));
        previous = cut;
        while (done < rects.length) {
            const r = rects[done];
            if (!decoders.get(r.enc).decodeRect(r.x, r.y, r.w, r.h, rq, display)) {
                break;
            }
            done++;
        }
    }
    assert.equal(done, rects.length, `${rects.length - done} rectangles left undecoded`);
    assert.equal(rq.length, 0, 'bytes left over after the last rectangle');
    return display;
}

/** Cut sets: whole, every single boundary, one byte at a time, and random splits. */
export function cutSets(length, { everyBoundary = true, randomRuns = 20, seed = 7 } = {}) {
    const sets = [[]];
    if (everyBoundary) {
        for (let k = 1; k < length; k++) {
            sets.push([k]);
        }
        sets.push(Array.from({ length: length - 1 }, (_, i) => i + 1));
    }
    const rnd = random(seed);
    for (let run = 0; run < randomRuns; run++) {
        const cuts = new Set();
        const count = 1 + Math.floor(rnd() * 12);
        for (let i = 0; i < count; i++) {
            cuts.add(1 + Math.floor(rnd() * (length - 1)));
        }
        sets.push([...cuts].sort((a, b) => a - b));
    }
    return sets;
}

/** Asserts that the display region equals the expected Pixels. */
export function assertRegion(display, expected, x0 = 0, y0 = 0, message = '') {
    for (let y = 0; y < expected.height; y++) {
        for (let x = 0; x < expected.width; x++) {
            const i = ((y0 + y) * display.width + x0 + x) * 4;
            const got = [display.pixels[i], display.pixels[i + 1], display.pixels[i + 2], display.pixels[i + 3]];
            const want = [...expected.get(x, y), 255];
            if (got.join() !== want.join()) {
                assert.fail(`${message} pixel (${x0 + x},${y0 + y}) is ${got} instead of ${want}`);
            }
        }
    }
}
