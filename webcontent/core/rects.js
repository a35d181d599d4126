// Rectangle bookkeeping for the display: {x, y, w, h} with w, h > 0.

export function intersects(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function covers(outer, inner) {
    return outer.x <= inner.x && outer.y <= inner.y
        && outer.x + outer.w >= inner.x + inner.w && outer.y + outer.h >= inner.y + inner.h;
}

export function intersection(a, b) {
    const x = Math.max(a.x, b.x);
    const y = Math.max(a.y, b.y);
    const w = Math.min(a.x + a.w, b.x + b.w) - x;
    const h = Math.min(a.y + a.h, b.y + b.h) - y;
    return w > 0 && h > 0 ? { x, y, w, h } : null;
}

export function union(a, b) {
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** The parts of r outside cut (up to four rectangles: bands above and below, sides between). */
export function subtract(r, cut) {
    const i = intersection(r, cut);
    if (!i) {
        return [r];
    }
    const out = [];
    if (i.y > r.y) {
        out.push({ x: r.x, y: r.y, w: r.w, h: i.y - r.y });
    }
    if (i.y + i.h < r.y + r.h) {
        out.push({ x: r.x, y: i.y + i.h, w: r.w, h: r.y + r.h - i.y - i.h });
    }
    if (i.x > r.x) {
        out.push({ x: r.x, y: i.y, w: i.x - r.x, h: i.h });
    }
    if (i.x + i.w < r.x + r.w) {
        out.push({ x: i.x + i.w, y: i.y, w: r.x + r.w - i.x - i.w, h: i.h });
    }
    return out;
}

/**
 * Rectangles to repaint. A new one is merged into the last one when their
 * union stays clear of every rectangle in `avoid` (regions whose newest
 * pixels are on the canvas, not in the pixel array): with nothing to avoid
 * the list is one bounding box.
 */
export class DamageList {
    constructor(avoid) {
        this.rects = [];
        this._avoid = avoid;
    }

    add(x, y, w, h) {
        const r = { x, y, w, h };
        const last = this.rects[this.rects.length - 1];
        if (last) {
            const u = union(last, r);
            if (!this._avoid.some((a) => intersects(a, u))) {
                this.rects[this.rects.length - 1] = u;
                return;
            }
        }
        this.rects.push(r);
    }

    take() {
        const rects = this.rects;
        this.rects = [];
        return rects;
    }
}
