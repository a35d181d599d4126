// The receive queue: reads across pushes, views without copies, compaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiveQueue } from '../core/rqueue.js';

test('integers are big endian and can be peeked at an offset', () => {
    const q = new ReceiveQueue();
    q.push(Uint8Array.of(1, 2, 3, 4, 5, 0xff, 0xff, 0xff, 0xfe));
    assert.equal(q.peekU16(1), 0x0203);
    assert.equal(q.peekU32(1), 0x02030405);
    assert.equal(q.u8(), 1);
    assert.equal(q.u32(), 0x02030405);
    assert.equal(q.s32(), -2);
    assert.equal(q.length, 0);
});

test('a message pushed into an empty queue is read in place; leftovers are kept across pushes', () => {
    const q = new ReceiveQueue();
    const big = new Uint8Array(100000).map((_, i) => i & 0xff);
    q.push(big);
    const view = q.bytes(10);
    assert.equal(view.buffer, big.buffer, 'no copy for a whole message');
    q.skip(99980);
    q.push(Uint8Array.of(1, 2, 3));
    assert.equal(q.length, 13);
    assert.deepEqual([...q.bytes(13)], [...big.subarray(99990), 1, 2, 3]);
});

test('many small pushes compact instead of growing without bound', () => {
    const q = new ReceiveQueue();
    let expected = 0;
    for (let i = 0; i < 10000; i++) {
        q.push(new Uint8Array(1000).fill(i & 0xff));
        assert.equal(q.u8(), expected);
        q.skip(999);
        expected = (expected + 1) & 0xff;
    }
    assert.ok(q._buf.length <= 64 * 1024, `buffer grew to ${q._buf.length}`);
});

test('text is Latin-1 by default, UTF-8 on request; copy outlives pushes', () => {
    const q = new ReceiveQueue();
    q.push(Uint8Array.of(0x63, 0xe9, 0xc3, 0xa9));
    assert.equal(q.text(2), 'cé');
    const c = q.copy(2);
    q.push(new Uint8Array(70000));
    assert.equal(new TextDecoder().decode(c), 'é');
});
