// Rectangle encoders written from the RFB specification, used to build the
// byte streams the decoders are tested on. Pixels go out in the client's
// pixel format: 32 bpp little endian, red in the lowest byte (R,G,B,0).
import { concat, u8, u16, u32 } from './bytes.js';

export function pixel([r, g, b]) {
    return [r, g, b, 0];
}

export function raw(p) {
    const out = [];
    for (let y = 0; y < p.height; y++) {
        for (let x = 0; x < p.width; x++) {
            out.push(...pixel(p.get(x, y)));
        }
    }
    return Uint8Array.from(out);
}

export function copyRect(sx, sy) {
    return concat(u16(sx), u16(sy));
}

/** RRE: background = top-left pixel; every other run in a row is a 1-high subrectangle. */
export function rre(p) {
    const bg = p.key(0, 0);
    const subs = [];
    for (let y = 0; y < p.height; y++) {
        let x = 0;
        while (x < p.width) {
            const k = p.key(x, y);
            let end = x + 1;
            while (end < p.width && p.key(end, y) === k) {
                end++;
            }
            if (k !== bg) {
                subs.push(concat(pixel(p.get(x, y)), u16(x), u16(y), u16(end - x), u16(1)));
            }
            x = end;
        }
    }
    return concat(u32(subs.length), pixel(p.get(0, 0)), subs);
}

/** Hextile: solid, two-colour, coloured-subrect and raw tiles, with bg/fg carried over. */
export function hextile(p, { rawEvery = 0 } = {}) {
    const out = [];
    let bg = null;   // last background the decoder knows, or null when undefined
    let fg = null;
    let index = 0;
    for (let ty = 0; ty < p.height; ty += 16) {
        for (let tx = 0; tx < p.width; tx += 16) {
            const tile = p.crop(tx, ty, Math.min(16, p.width - tx), Math.min(16, p.height - ty));
            const colours = new Map();
            for (let y = 0; y < tile.height; y++) {
                for (let x = 0; x < tile.width; x++) {
                    colours.set(tile.key(x, y), (colours.get(tile.key(x, y)) ?? 0) + 1);
                }
            }
            const sorted = [...colours.entries()].sort((a, b) => b[1] - a[1]).map((e) => e[0]);
            const runs = tileRuns(tile, sorted[0]);
            if ((rawEvery && ++index % rawEvery === 0) || runs.length > 255) {
                out.push(1, raw(tile));
                bg = fg = null;
                continue;
            }
            let sub = 0;
            const body = [];
            if (bg !== sorted[0]) {
                sub |= 2;
                body.push(pixel(unkey(sorted[0])));
                bg = sorted[0];
            }
            if (sorted.length === 2) {
                sub |= 8;
                if (fg !== sorted[1]) {
                    sub |= 4;
                    body.push(pixel(unkey(sorted[1])));
                    fg = sorted[1];
                }
                body.push(runs.length, runs.map((r) => [r.xy, r.wh]));
            } else if (sorted.length > 2) {
                sub |= 8 | 16;
                body.push(runs.length, runs.map((r) => [pixel(unkey(r.key)), r.xy, r.wh]));
                fg = null;   // the last coloured subrect; not relied upon
            }
            out.push(sub, body);
        }
    }
    return concat(out);
}

function unkey(k) {
    return [(k >> 16) & 255, (k >> 8) & 255, k & 255];
}

function tileRuns(tile, bgKey) {
    const runs = [];
    for (let y = 0; y < tile.height; y++) {
        let x = 0;
        while (x < tile.width) {
            const k = tile.key(x, y);
            let end = x + 1;
            while (end < tile.width && tile.key(end, y) === k) {
                end++;
            }
            if (k !== bgKey) {
                runs.push({ key: k, xy: (x << 4) | y, wh: ((end - x - 1) << 4) });
            }
            x = end;
        }
    }
    return runs;
}

/** zlib (6): raw pixels through the connection's deflate stream. */
export async function zlibRect(p, stream) {
    const data = await stream.chunk(raw(p));
    return concat(u32(data.length), data);
}

function cpixel([r, g, b]) {
    return [r, g, b];
}

function runLength(n) {
    const out = [];
    let left = n - 1;
    while (left >= 255) {
        out.push(255);
        left -= 255;
    }
    out.push(left);
    return out;
}

/** The uncompressed ZRLE tile data, cycling through the subencodings that fit. */
export function zrleTiles(p) {
    const out = [];
    let index = 0;
    for (let ty = 0; ty < p.height; ty += 64) {
        for (let tx = 0; tx < p.width; tx += 64) {
            const t = p.crop(tx, ty, Math.min(64, p.width - tx), Math.min(64, p.height - ty));
            out.push(zrleTile(t, index++));
        }
    }
    return concat(out);
}

function zrleTile(t, index) {
    const keys = [];
    for (let y = 0; y < t.height; y++) {
        for (let x = 0; x < t.width; x++) {
            keys.push(t.key(x, y));
        }
    }
    const palette = [...new Set(keys)];
    const runs = [];
    for (const k of keys) {
        if (runs.length && runs[runs.length - 1].key === k) {
            runs[runs.length - 1].n++;
        } else {
            runs.push({ key: k, n: 1 });
        }
    }
    if (palette.length === 1) {
        return [1, cpixel(unkey(palette[0]))];
    }
    if (palette.length <= 16 && index % 2 === 0) {
        const bits = palette.length === 2 ? 1 : palette.length <= 4 ? 2 : 4;
        const packed = [];
        for (let y = 0; y < t.height; y++) {
            let byte = 0;
            let used = 0;
            for (let x = 0; x < t.width; x++) {
                byte = (byte << bits) | palette.indexOf(t.key(x, y));
                used += bits;
                if (used === 8) {
                    packed.push(byte);
                    byte = used = 0;
                }
            }
            if (used) {
                packed.push(byte << (8 - used));
            }
        }
        return [palette.length, palette.map((k) => cpixel(unkey(k))), packed];
    }
    if (palette.length <= 127) {
        return [128 + palette.length, palette.map((k) => cpixel(unkey(k))),
            runs.map((r) => (r.n === 1 ? [palette.indexOf(r.key)] : [palette.indexOf(r.key) | 128, runLength(r.n)]))];
    }
    if (index % 2 === 0) {
        return [0, keys.map((k) => cpixel(unkey(k)))];
    }
    return [128, runs.map((r) => [cpixel(unkey(r.key)), runLength(r.n)])];
}

export async function zrle(p, stream) {
    const data = await stream.chunk(zrleTiles(p));
    return concat(u32(data.length), data);
}

// -- Tight --

export function compactLength(n) {
    if (n < 0x80) {
        return [n];
    }
    if (n < 0x4000) {
        return [(n & 0x7f) | 0x80, n >> 7];
    }
    return [(n & 0x7f) | 0x80, ((n >> 7) & 0x7f) | 0x80, n >> 14];
}

function tpixels(p) {
    const out = [];
    for (let y = 0; y < p.height; y++) {
        for (let x = 0; x < p.width; x++) {
            out.push(...p.get(x, y));
        }
    }
    return out;
}

export function tightFill([r, g, b], resets = 0) {
    return Uint8Array.of(0x80 | resets, r, g, b);
}

/** Data shorter than 12 bytes goes out as is; longer through the stream, length first. */
async function tightData(data, stream) {
    if (data.length < 12) {
        return data;
    }
    const z = await stream.chunk(Uint8Array.from(data));
    return [compactLength(z.length), z];
}

/** Basic compression, copy filter (explicit or implied). */
export async function tightCopy(p, streams, { id = 0, explicitFilter = false, resets = 0 } = {}) {
    const ctl = (id << 4) | (explicitFilter ? 0x40 : 0) | resets;
    return concat(ctl, explicitFilter ? [0] : [], await tightData(tpixels(p), streams[id]));
}

/** Basic compression, palette filter: 1 bit a pixel for 2 colours, else 1 byte. */
export async function tightPalette(p, streams, { id = 1, resets = 0 } = {}) {
    const keys = [];
    for (let y = 0; y < p.height; y++) {
        for (let x = 0; x < p.width; x++) {
            keys.push(p.key(x, y));
        }
    }
    const palette = [...new Set(keys)];
    if (palette.length > 256 || palette.length < 2) {
        throw new Error('palette filter needs 2-256 colours');
    }
    let data = [];
    if (palette.length === 2) {
        for (let y = 0; y < p.height; y++) {
            for (let x = 0; x < p.width; x += 8) {
                let byte = 0;
                for (let b = 0; b < 8; b++) {
                    byte = (byte << 1) | (x + b < p.width ? palette.indexOf(p.key(x + b, y)) : 0);
                }
                data.push(byte);
            }
        }
    } else {
        data = keys.map((k) => palette.indexOf(k));
    }
    const ctl = (id << 4) | 0x40 | resets;
    return concat(ctl, 1, palette.length - 1, palette.map((k) => unkey(k)), await tightData(data, streams[id]));
}

/** Basic compression, gradient filter: the prediction error of every component. */
export async function tightGradient(p, streams, { id = 2, resets = 0 } = {}) {
    const src = tpixels(p);
    const w = p.width;
    const data = src.map((v, i) => {
        const col = Math.floor(i / 3) % w;
        const left = col > 0 ? src[i - 3] : 0;
        const above = i >= w * 3 ? src[i - w * 3] : 0;
        const aboveLeft = col > 0 && i >= w * 3 ? src[i - w * 3 - 3] : 0;
        const predicted = Math.min(255, Math.max(0, left + above - aboveLeft));
        return (v - predicted) & 0xff;
    });
    const ctl = (id << 4) | 0x40 | resets;
    return concat(ctl, 2, await tightData(data, streams[id]));
}

/** JPEG (0x90) or PNG (0xA0): the image bytes are opaque to the encoder. */
export function tightImage(type, bytes, resets = 0) {
    return concat((type === 'png' ? 0xa0 : 0x90) | resets, compactLength(bytes.length), bytes);
}

/** A fake "image file" the test image decoder understands: w, h, then RGBA. */
export function fakeImage(p) {
    return concat(u16(p.width), u16(p.height), p.data);
}

export { u8 };
