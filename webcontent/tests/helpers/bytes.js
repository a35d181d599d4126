// Byte builders for test streams: big-endian integers, as RFB sends them.

export function u8(v) {
    return [v & 0xff];
}

export function u16(v) {
    return [(v >> 8) & 0xff, v & 0xff];
}

export function u32(v) {
    return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export const s32 = u32;

export function ascii(s) {
    return Array.from(s, (c) => c.charCodeAt(0));
}

/** Concatenates arrays, typed arrays and Buffers into one Uint8Array. */
export function concat(...parts) {
    const flat = parts.flat(Infinity).map((p) => (typeof p === 'number' ? Uint8Array.of(p) : Uint8Array.from(p)));
    const size = flat.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(size);
    let offset = 0;
    for (const p of flat) {
        out.set(p, offset);
        offset += p.length;
    }
    return out;
}

/** A deterministic pseudo-random generator (mulberry32). */
export function random(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
