// The persistent zlib stream: header handling, sync-flushed chunks, exact sizes, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { Inflator } from '../core/inflator.js';
import { DeflateStream } from './helpers/zstream.js';

const bytes = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * seed + (i >> 7)) & 0xff);

test('sync-flushed chunks of one stream inflate one by one, each to a new array of the exact size', async () => {
    const stream = new DeflateStream();
    const inflator = new Inflator();
    const seen = [];
    for (const [n, seed] of [[3000, 7], [200_000, 13], [17, 1], [65536, 3]]) {
        const plain = bytes(n, seed);
        const out = inflator.inflate(await stream.chunk(plain), n);
        assert.deepEqual(out, plain);
        assert.equal(out.byteOffset, 0);
        assert.equal(out.buffer.byteLength, n);
        seen.push(out);
    }
    assert.deepEqual(seen[0], bytes(3000, 7), 'an earlier result is not overwritten by later ones');
});

test('the zlib header may arrive split from the data, and without a known size the output is whole', async () => {
    const stream = new DeflateStream();
    const plain = bytes(100_000, 5);
    const z = await stream.chunk(plain);
    const inflator = new Inflator();
    assert.equal(inflator.inflate(z.subarray(0, 1)).length, 0);
    assert.deepEqual(inflator.inflate(z.subarray(1)), plain);
});

test('a finished stream (an Extended Clipboard payload) inflates; its trailer is not data', () => {
    const plain = new TextEncoder().encode('clipboard text\0');
    assert.deepEqual(new Inflator().inflate(zlib.deflateSync(plain)), plain);
});

test('a reset stream expects a new header (Tight resets streams by control bits)', async () => {
    const inflator = new Inflator();
    const first = new DeflateStream();
    assert.deepEqual(inflator.inflate(await first.chunk(bytes(300, 3)), 300), bytes(300, 3));
    inflator.reset();
    const second = new DeflateStream();
    assert.deepEqual(inflator.inflate(await second.chunk(bytes(500, 9)), 500), bytes(500, 9));
    assert.deepEqual(inflator.inflate(await second.chunk(bytes(700, 11)), 700), bytes(700, 11));
});

test('bad input is refused with a zlib error', async () => {
    assert.throws(() => new Inflator().inflate(Uint8Array.of(0x78, 0x9a, 1, 2, 3)), /zlib: incorrect header check/);
    assert.throws(() => new Inflator().inflate(Uint8Array.of(0x78, 0xbb, 0, 0, 0, 1)), /zlib: preset dictionaries/);
    assert.throws(() => new Inflator().inflate(Uint8Array.of(0x78, 0x9c, 0xff, 0xff, 0xff, 0xff)), /zlib: /);
    const z = await new DeflateStream().chunk(bytes(1000, 3));
    assert.throws(() => new Inflator().inflate(z, 2000), /zlib: 1000 bytes inflated, 2000 expected/);
});
