// Builds what the client sends: data with the NVT rules, negotiation
// commands and subnegotiations (RFC 854, 855, 1073, 1091).
import { IAC, SB, SE, CR, LF, NUL, OPT, TTYPE_IS } from './constants.js';

/** bytes with every 255 doubled (IAC IAC); the same array when there is none. */
export function escapeIac(bytes) {
    const count = countOf(bytes, IAC);
    if (count === 0) {
        return bytes;
    }
    const out = new Uint8Array(bytes.length + count);
    let j = 0;
    for (const b of bytes) {
        out[j++] = b;
        if (b === IAC) {
            out[j++] = IAC;
        }
    }
    return out;
}

/**
 * Data for the wire. IAC is doubled always; unless binary (RFC 856), a CR
 * not followed by LF becomes CR NUL (RFC 854), also a CR ending the chunk.
 */
export function encodeData(bytes, binary = false) {
    if (binary) {
        return escapeIac(bytes);
    }
    let extra = countOf(bytes, IAC);
    for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === CR && bytes[i + 1] !== LF) {
            extra++;
        }
    }
    if (extra === 0) {
        return bytes;
    }
    const out = new Uint8Array(bytes.length + extra);
    let j = 0;
    for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i];
        out[j++] = b;
        if (b === IAC) {
            out[j++] = IAC;
        } else if (b === CR && bytes[i + 1] !== LF) {
            out[j++] = NUL;
        }
    }
    return out;
}

/** IAC <code>: a command such as AYT, IP or BRK. */
export function command(code) {
    return Uint8Array.of(IAC, code);
}

/** IAC WILL|WONT|DO|DONT <option>. */
export function negotiation(verb, option) {
    return Uint8Array.of(IAC, verb, option);
}

/** IAC SB <option> <payload, IAC doubled> IAC SE. */
export function subnegotiation(option, payload) {
    const body = escapeIac(payload);
    const out = new Uint8Array(body.length + 5);
    out.set([IAC, SB, option]);
    out.set(body, 3);
    out.set([IAC, SE], body.length + 3);
    return out;
}

/** RFC 1073: IAC SB NAWS WIDTH[1] WIDTH[0] HEIGHT[1] HEIGHT[0] IAC SE. */
export function windowSize(cols, rows) {
    const w = clamp16(cols);
    const h = clamp16(rows);
    return subnegotiation(OPT.NAWS, Uint8Array.of(w >> 8, w & 0xff, h >> 8, h & 0xff));
}

/** RFC 1091: IAC SB TERMINAL-TYPE IS <name> IAC SE; name is sent as ASCII. */
export function terminalType(name) {
    const payload = new Uint8Array(name.length + 1);
    payload[0] = TTYPE_IS;
    for (let i = 0; i < name.length; i++) {
        payload[i + 1] = name.charCodeAt(i) & 0x7f;
    }
    return subnegotiation(OPT.TTYPE, payload);
}

function clamp16(n) {
    return Math.max(0, Math.min(0xffff, Math.floor(Number(n)) || 0));
}

function countOf(bytes, value) {
    let n = 0;
    for (const b of bytes) {
        if (b === value) {
            n++;
        }
    }
    return n;
}
