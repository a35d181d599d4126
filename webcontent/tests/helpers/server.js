// Server-side RFB messages built from RFC 6143, for protocol tests.
import { ascii, concat, u8, u16, u32 } from './bytes.js';

export function version(v = '003.008') {
    return ascii(`RFB ${v}\n`);
}

export function reasonString(text) {
    const bytes = new TextEncoder().encode(text);
    return concat(u32(bytes.length), bytes);
}

/** The server's natural pixel format (any: the client sends its own). */
export function pixelFormat() {
    return concat(32, 24, 0, 1, u16(255), u16(255), u16(255), 16, 8, 0, [0, 0, 0]);
}

export function serverInit(width, height, name = 'test desktop', tightCaps = null) {
    const nameBytes = new TextEncoder().encode(name);
    const parts = [u16(width), u16(height), pixelFormat(), u32(nameBytes.length), nameBytes];
    if (tightCaps) {
        const { server = [], client = [], enc = [] } = tightCaps;
        parts.push(u16(server.length), u16(client.length), u16(enc.length), u16(0),
            [...server, ...client, ...enc].map((c) => capability(c.code, c.vendor, c.signature)));
    }
    return concat(parts);
}

export function capability(code, vendor, signature) {
    return concat(u32(code), ascii(vendor), ascii(signature));
}

export function fbuHeader(count) {
    return concat(0, 0, u16(count));
}

export function rectHeader(x, y, w, h, encoding) {
    return concat(u16(x), u16(y), u16(w), u16(h), u32(encoding));
}

export function bell() {
    return Uint8Array.of(2);
}

export function serverCutText(latin1) {
    return concat(3, [0, 0, 0], u32(latin1.length), ascii(latin1));
}

export function fence(flags, payload = []) {
    return concat(248, [0, 0, 0], u32(flags), u8(payload.length), payload);
}

export { u8, u16, u32 };
