// Handshake and initialisation phases (RFC 6143 7.1.1, 7.3): ProtocolVersion,
// ClientInit/ServerInit. Each phase reads from conn.rq, returns false when
// its bytes are not all queued (consuming nothing), and throws on a protocol
// error; the connection turns the throw into its single fail() path.
import { readSecurityType33, readSecurityTypes } from './security.js';

/**
 * Maps the server's version to the one we speak: 3.3, 3.7 or 3.8.
 * 3.4-3.6 (misreported or vendor variants) speak 3.3; 3.8 and above,
 * 3.889 (Apple) and later majors are answered with 3.8.
 */
export function negotiateVersion(major, minor) {
    if (major > 3) {
        return 3.8;
    }
    if (major === 3) {
        if (minor >= 8) {
            return 3.8;
        }
        if (minor === 7) {
            return 3.7;
        }
        if (minor >= 3) {
            return 3.3;
        }
    }
    throw new Error(`Unsupported server RFB version ${major}.${minor}`);
}

export function readVersion(conn) {
    const rq = conn.rq;
    if (!rq.has(12)) {
        return false;
    }
    const text = rq.text(12);
    const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(text);
    if (!m) {
        throw new Error(`Not an RFB server (got ${JSON.stringify(text)})`);
    }
    const version = negotiateVersion(Number(m[1]), Number(m[2]));
    conn.version = version;
    const reply = `RFB 003.00${Math.round((version - 3) * 10)}\n`;
    conn.send(Uint8Array.from(reply, (c) => c.charCodeAt(0)));
    conn.setPhase(version >= 3.7 ? readSecurityTypes : readSecurityType33);
    return true;
}

/** Sends ClientInit and waits for ServerInit. */
export function startInit(conn) {
    conn.send(Uint8Array.of(conn.shared ? 1 : 0));
    conn.setPhase(readServerInit);
}

function decodeName(bytes) {
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        return String.fromCharCode(...bytes);
    }
}

export function readServerInit(conn) {
    const rq = conn.rq;
    if (!rq.has(24)) {
        return false;
    }
    const nameLength = rq.peekU32(20);
    let size = 24 + nameLength;
    if (conn.tightSecurity) {
        // Tight extends ServerInit with its interaction capabilities.
        if (!rq.has(size + 8)) {
            return false;
        }
        const caps = rq.peekU16(size) + rq.peekU16(size + 2) + rq.peekU16(size + 4);
        size += 8 + 16 * caps;
    }
    if (!rq.has(size)) {
        return false;
    }
    const width = rq.u16();
    const height = rq.u16();
    const pixelFormat = rq.bytes(16);
    const serverPf = {
        bpp: pixelFormat[0], depth: pixelFormat[1],
        bigEndian: pixelFormat[2] !== 0, trueColour: pixelFormat[3] !== 0,
    };
    rq.skip(4);
    const name = decodeName(rq.bytes(nameLength).slice());
    if (conn.tightSecurity) {
        rq.skip(size - 24 - nameLength);
    }
    conn.serverInit({ width, height, name, pixelFormat: serverPf });
    return true;
}
