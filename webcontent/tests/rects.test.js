// Rectangle arithmetic behind the display's damage and ahead regions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DamageList, covers, intersection, intersects, subtract, union } from '../core/rects.js';

const r = (x, y, w, h) => ({ x, y, w, h });
const area = (list) => list.reduce((a, q) => a + q.w * q.h, 0);

test('intersection, union, covers', () => {
    assert.deepEqual(intersection(r(0, 0, 10, 10), r(5, 5, 10, 10)), r(5, 5, 5, 5));
    assert.equal(intersection(r(0, 0, 10, 10), r(10, 0, 5, 5)), null, 'touching edges do not intersect');
    assert.equal(intersects(r(0, 0, 10, 10), r(0, 10, 10, 1)), false);
    assert.deepEqual(union(r(0, 0, 2, 2), r(5, 6, 1, 1)), r(0, 0, 6, 7));
    assert.equal(covers(r(0, 0, 10, 10), r(2, 2, 8, 8)), true);
    assert.equal(covers(r(0, 0, 10, 10), r(2, 2, 9, 8)), false);
});

test('subtract leaves exactly the pixels outside the cut, without overlaps', () => {
    let seed = 7;
    const rnd = (n) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
    for (let i = 0; i < 500; i++) {
        const a = r(rnd(20), rnd(20), 1 + rnd(20), 1 + rnd(20));
        const cut = r(rnd(30), rnd(30), 1 + rnd(20), 1 + rnd(20));
        const parts = subtract(a, cut);
        for (let y = 0; y < 45; y++) {
            for (let x = 0; x < 45; x++) {
                const p = r(x, y, 1, 1);
                const want = intersects(a, p) && !intersects(cut, p) ? 1 : 0;
                assert.equal(parts.filter((q) => intersects(q, p)).length, want, `${JSON.stringify({ a, cut, x, y })}`);
            }
        }
        assert.ok(parts.length <= 4);
        assert.equal(area(parts), a.w * a.h - (intersection(a, cut) ? area([intersection(a, cut)]) : 0));
    }
});

test('damage merges into one box unless the box would reach a region to avoid', () => {
    const avoid = [];
    const d = new DamageList(avoid);
    d.add(0, 0, 4, 4);
    d.add(10, 10, 2, 2);
    assert.deepEqual(d.rects, [r(0, 0, 12, 12)]);
    avoid.push(r(20, 0, 5, 5));
    d.add(30, 0, 2, 2);
    assert.deepEqual(d.rects, [r(0, 0, 12, 12), r(30, 0, 2, 2)]);
    d.add(30, 10, 2, 2);
    assert.deepEqual(d.rects, [r(0, 0, 12, 12), r(30, 0, 2, 12)]);
    assert.deepEqual(d.take(), [r(0, 0, 12, 12), r(30, 0, 2, 12)]);
    assert.deepEqual(d.rects, []);
});
