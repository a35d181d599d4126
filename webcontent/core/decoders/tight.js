// Tight encoding (7) and TightPNG (-260).
//
// A rectangle starts with a compression-control byte: the low four bits reset
// the four persistent zlib streams, the high four choose basic compression
// (stream 0-3, optional filter: copy, palette or gradient), fill, JPEG, or
// (TightPNG) PNG. The whole rectangle is measured by peeking first and is only
// consumed once all of it is queued. Pixels (TPIXEL) are 3 bytes R,G,B.
import { Inflator } from '../inflator.js';
import { rgbWord } from '../framebuffer.js';

const FILL = 8;
const JPEG = 9;
const PNG = 10;
const FILTER_COPY = 0;
const FILTER_PALETTE = 1;
const FILTER_GRADIENT = 2;
const MIN_COMPRESSED = 12;  // shorter data is sent uncompressed

/** Reads a compact length (1-3 bytes, 7 bits each, last 8) at offset, or null. */
function peekCompactLength(rq, offset) {
    let length = 0;
    for (let i = 0; i < 3; i++) {
        if (!rq.has(offset + i + 1)) {
            return null;
        }
        const b = rq.peekU8(offset + i);
        if (i === 2) {
            return { length: length | (b << 14), bytes: 3 };
        }
        length |= (b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            return { length, bytes: i + 1 };
        }
    }
    return null;
}

export class TightDecoder {
    /** @param {{png?: boolean}} options png: accept PNG rectangles (TightPNG) */
    constructor({ png = false } = {}) {
        this._png = png;
        this._streams = [0, 1, 2, 3].map(() => new Inflator());
        // Reused for data the display consumes at once (it is idle, or the
        // bytes are palette indices): no allocation per rectangle.
        this._bytes = new Uint8Array(0);
        this._words = new Uint32Array(0);
    }


    decodeRect(x, y, w, h, rq, display) {
        if (!rq.has(1)) {
            return false;
        }
        const plan = this._measure(rq, w, h);
        if (!plan || !rq.has(plan.size)) {
            return false;
        }
        const ctl = rq.u8();
        for (let i = 0; i < 4; i++) {
            if (ctl & (1 << i)) {
                this._streams[i].reset();
            }
        }
        const type = ctl >> 4;
        if (type === FILL) {
            const c = rq.bytes(3);
            display.fillRect(x, y, w, h, c[0], c[1], c[2]);
        } else if (type === JPEG || type === PNG) {
            rq.skip(plan.lengthBytes);
            display.drawImage(x, y, w, h, type === JPEG ? 'image/jpeg' : 'image/png', rq.copy(plan.dataLength));
        } else {
            this._basic(x, y, w, h, ctl, plan, rq, display);
        }
        return true;
    }

    /** Works out the size of the whole rectangle from its header, or null if not all queued. */
    _measure(rq, w, h) {
        const ctl = rq.peekU8(0);
        const type = ctl >> 4;
        if (type === FILL) {
            return { size: 4 };
        }
        if (type === JPEG || (type === PNG && this._png)) {
            const cl = peekCompactLength(rq, 1);
            return cl && { size: 1 + cl.bytes + cl.length, lengthBytes: cl.bytes, dataLength: cl.length };
        }
        if (type > FILL) {
            throw new Error(`Tight: illegal compression control 0x${ctl.toString(16)}`);
        }
        let offset = 1;
        let filter = FILTER_COPY;
        let paletteSize = 0;
        if (ctl & 0x40) {
            if (!rq.has(2)) {
                return null;
            }
            filter = rq.peekU8(1);
            offset = 2;
        }
        if (filter === FILTER_PALETTE) {
            if (!rq.has(offset + 1)) {
                return null;
            }
            paletteSize = rq.peekU8(offset) + 1;
            offset += 1 + paletteSize * 3;
        } else if (filter !== FILTER_COPY && filter !== FILTER_GRADIENT) {
            throw new Error(`Tight: unknown filter ${filter}`);
        }
        let rowBytes = w * 3;
        if (filter === FILTER_PALETTE) {
            rowBytes = paletteSize === 2 ? Math.ceil(w / 8) : w;
        }
        const rawSize = rowBytes * h;
        const plan = { filter, paletteSize, rawSize, size: offset + rawSize, lengthBytes: 0, dataLength: rawSize };
        if (rawSize >= MIN_COMPRESSED) {
            const cl = peekCompactLength(rq, offset);
            if (!cl) {
                return null;
            }
            plan.lengthBytes = cl.bytes;
            plan.dataLength = cl.length;
            plan.size = offset + cl.bytes + cl.length;
        }
        return plan;
    }

    _basic(x, y, w, h, ctl, plan, rq, display) {
        if (ctl & 0x40) {
            rq.skip(1);  // filter id, already known
        }
        let palette = null;
        if (plan.filter === FILTER_PALETTE) {
            rq.skip(1);
            palette = rq.bytes(plan.paletteSize * 3).slice();
        }
        // Pixels the display keeps (it is waiting for an image) need their own array.
        const keeps = !display.idle;
        let data;
        let owned = false;
        if (plan.rawSize < MIN_COMPRESSED) {
            data = rq.bytes(plan.rawSize);
        } else {
            rq.skip(plan.lengthBytes);
            const stream = this._streams[(ctl >> 4) & 3];
            const scratch = plan.filter === FILTER_PALETTE || !keeps;
            if (scratch) {
                this._bytes = atLeast(this._bytes, plan.rawSize);
            }
            data = stream.inflate(rq.bytes(plan.dataLength), plan.rawSize, scratch ? this._bytes : undefined);
            owned = !scratch;
        }
        if (w === 0 || h === 0) {
            return;
        }
        if (plan.filter === FILTER_COPY) {
            display.blitRGB(x, y, w, h, data, owned);
        } else if (plan.filter === FILTER_PALETTE) {
            if (!keeps) {
                this._words = atLeast(this._words, w * h);
            }
            const out = keeps ? new Uint32Array(w * h) : this._words.subarray(0, w * h);
            display.blitWords(x, y, w, h, expandPalette(data, palette, plan.paletteSize, w, h, out));
        } else {
            display.blitRGB(x, y, w, h, undoGradient(data, w, h), true);
        }
    }
}

/** `array` when it holds n elements, else a new one of its type, at least twice as long. */
function atLeast(array, n) {
    return array.length >= n ? array : new array.constructor(Math.max(n, 2 * array.length));
}

/** Palette indices (1 bit a pixel for two colours, else a byte) to pixel words in out. */
function expandPalette(data, palette, size, w, h, out) {
    const colours = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
        colours[i] = rgbWord(palette[i * 3], palette[i * 3 + 1], palette[i * 3 + 2]);
    }
    if (size === 2) {
        const rowBytes = (w + 7) >> 3;
        const c0 = colours[0];
        const c1 = colours[1];
        for (let row = 0, o = 0; row < h; row++) {
            const base = row * rowBytes;
            for (let col = 0; col < w; col++, o++) {
                out[o] = (data[base + (col >> 3)] >> (7 - (col & 7))) & 1 ? c1 : c0;
            }
        }
        return out;
    }
    const n = w * h;
    for (let i = 0; i < n; i++) {
        const index = data[i];
        if (index >= size) {
            throw new Error('Tight: palette index out of range');
        }
        out[i] = colours[index];
    }
    return out;
}

/** Gradient filter: each component predicted as left + above - above-left, clamped. */
function undoGradient(data, w, h) {
    const rgb = new Uint8Array(w * h * 3);
    const stride = w * 3;
    for (let row = 0; row < h; row++) {
        for (let col = 0; col < w; col++) {
            for (let c = 0; c < 3; c++) {
                const i = row * stride + col * 3 + c;
                const left = col > 0 ? rgb[i - 3] : 0;
                const above = row > 0 ? rgb[i - stride] : 0;
                const aboveLeft = row > 0 && col > 0 ? rgb[i - stride - 3] : 0;
                const predicted = Math.min(255, Math.max(0, left + above - aboveLeft));
                rgb[i] = (predicted + data[i]) & 0xff;
            }
        }
    }
    return rgb;
}
