// Reconnect back-off: base delay, doubling, capped; timers are fakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, Reconnector, MAX_DELAY_MS } from '../app/reconnect.js';

test('the delay doubles from the base and stops at the cap', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(1000, n)), [1000, 2000, 4000, 8000, 16000]);
    assert.equal(backoffDelay(1000, 6), MAX_DELAY_MS);
    assert.equal(backoffDelay(1000, 1000), MAX_DELAY_MS);
    assert.equal(backoffDelay(45000, 1), 45000, 'a base above the cap is used as it is');
    assert.equal(backoffDelay(45000, 3), 45000);
    assert.equal(backoffDelay(500, 0), 500, 'attempts count from 1');
    assert.equal(backoffDelay(-5, 2), 0);
});

function fakeTimers() {
    const pending = new Map();
    let next = 1;
    return {
        pending,
        setTimeout: (fn, ms) => {
            pending.set(next, { fn, ms });
            return next++;
        },
        clearTimeout: (id) => pending.delete(id),
        fire() {
            const [[id, t]] = pending;
            pending.delete(id);
            t.fn();
        },
    };
}

test('retries back off until a connection succeeds, then start over', () => {
    const timers = fakeTimers();
    const r = new Reconnector(timers);
    let retries = 0;
    const retry = () => retries++;
    assert.deepEqual(r.schedule(2000, retry, 0), { attempt: 1, delay: 2000 });
    assert.equal(r.dueAt, 2000);
    assert.ok(r.pending);
    timers.fire();
    assert.equal(retries, 1);
    assert.ok(!r.pending);
    assert.deepEqual(r.schedule(2000, retry), { attempt: 2, delay: 4000 });
    timers.fire();
    assert.deepEqual(r.schedule(2000, retry), { attempt: 3, delay: 8000 });
    r.reset();
    assert.equal(timers.pending.size, 0, 'reset cancels the pending retry');
    assert.deepEqual(r.schedule(2000, retry), { attempt: 1, delay: 2000 });
});

test('cancel stops a pending retry; scheduling twice keeps one timer', () => {
    const timers = fakeTimers();
    const r = new Reconnector(timers);
    let retries = 0;
    r.schedule(100, () => retries++);
    r.schedule(100, () => retries++);
    assert.equal(timers.pending.size, 1);
    r.cancel();
    assert.equal(timers.pending.size, 0);
    assert.equal(retries, 0);
    assert.ok(!r.pending);
});
