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

test('the countdown ticks each second until the retry runs, and stops with cancel', () => {
    const timers = fakeTimers();
    const r = new Reconnector(timers);
    const ticks = [];
    let retries = 0;
    r.countdown(() => ticks.push('early'));
    assert.equal(timers.pending.size, 0, 'nothing to count down to yet');
    r.schedule(2500, () => retries++, Date.now());
    assert.equal(r.secondsLeft(r.dueAt - 2500), 3);
    assert.equal(r.secondsLeft(r.dueAt + 10), 0);
    r.countdown((s) => ticks.push(s));
    assert.equal(timers.pending.size, 2, 'the retry and the next tick');
    const tick = [...timers.pending.entries()].find(([, t]) => t.ms === 1000);
    timers.pending.delete(tick[0]);
    tick[1].fn();
    assert.equal(ticks.length, 1);
    assert.equal(timers.pending.size, 2, 'the next tick is armed');
    r.cancel();
    assert.equal(timers.pending.size, 0, 'cancel stops both');
    assert.equal(retries, 0);

    r.schedule(100, () => retries++);
    r.countdown((s) => ticks.push(s));
    const retry = [...timers.pending.entries()].find(([, t]) => t.ms === 200);
    timers.pending.delete(retry[0]);
    retry[1].fn();
    assert.equal(retries, 1);
    assert.equal(timers.pending.size, 0, 'the retry stops the countdown');
});
