// Security phases (RFC 6143 7.1.2, 7.1.3, 7.2; Tight security from the
// community RFB protocol document): negotiation, VNC Authentication, Tight
// tunnel/auth capabilities and SecurityResult with its reason.
import { vncAuthResponse } from './des.js';
import { startInit } from './handshake.js';

export const securityTypes = { invalid: 0, none: 1, vncAuth: 2, tight: 16 };

/** Our choice among the server's types, in order of preference. */
const PREFERENCE = [securityTypes.none, securityTypes.vncAuth, securityTypes.tight];

const TIGHT_NOTUNNEL = { code: 0, vendor: 'TGHT', signature: 'NOTUNNEL' };
const TIGHT_AUTH = [
    { code: 1, vendor: 'STDV', signature: 'NOAUTH__', type: securityTypes.none },
    { code: 2, vendor: 'STDV', signature: 'VNCAUTH_', type: securityTypes.vncAuth },
];

/** Reads a U32 length and a string of that length at offset, or null if not all queued. */
function peekReason(rq, offset) {
    if (!rq.has(offset + 4)) {
        return null;
    }
    const length = rq.peekU32(offset);
    if (!rq.has(offset + 4 + length)) {
        return null;
    }
    rq.skip(offset + 4);
    return rq.text(length, 'utf-8');
}

/** 3.3: the server decides; 0 is a failure followed by a reason. */
export function readSecurityType33(conn) {
    const rq = conn.rq;
    if (!rq.has(4)) {
        return false;
    }
    const type = rq.peekU32(0);
    if (type === securityTypes.invalid) {
        const reason = peekReason(rq, 4);
        if (reason === null) {
            return false;
        }
        throw new Error(`Server refused the connection: ${reason}`);
    }
    rq.skip(4);
    if (type !== securityTypes.none && type !== securityTypes.vncAuth) {
        throw new Error(`Unsupported security type ${type}`);
    }
    startSecurity(conn, type);
    return true;
}

/** 3.7 and 3.8: the server lists its types; zero types is a failure with a reason. */
export function readSecurityTypes(conn) {
    const rq = conn.rq;
    if (!rq.has(1)) {
        return false;
    }
    const count = rq.peekU8(0);
    if (count === 0) {
        const reason = peekReason(rq, 1);
        if (reason === null) {
            return false;
        }
        throw new Error(`Server refused the connection: ${reason}`);
    }
    if (!rq.has(1 + count)) {
        return false;
    }
    rq.skip(1);
    const offered = Array.from(rq.bytes(count));
    const type = PREFERENCE.find((t) => offered.includes(t));
    if (type === undefined) {
        throw new Error(`No supported security type (server offers ${offered.join(', ')})`);
    }
    conn.send(Uint8Array.of(type));
    startSecurity(conn, type);
    return true;
}

function startSecurity(conn, type) {
    conn.securityType = type;
    if (type === securityTypes.none) {
        afterAuthentication(conn, false);
    } else if (type === securityTypes.vncAuth) {
        conn.setPhase(readVncChallenge);
    } else {
        conn.tightSecurity = true;
        conn.setPhase(readTightTunnels);
    }
}

/** None is followed by SecurityResult only from 3.8 on; a real authentication always is. */
function afterAuthentication(conn, authenticated) {
    if (authenticated || conn.version >= 3.8) {
        conn.setPhase(readSecurityResult);
    } else {
        startInit(conn);
    }
}

export function readVncChallenge(conn) {
    const rq = conn.rq;
    if (!rq.has(16)) {
        return false;
    }
    const password = conn.credentials.password;
    if (password === undefined || password === null) {
        conn.requestCredentials(['password']);
        return false;
    }
    conn.send(vncAuthResponse(String(password), rq.bytes(16)));
    afterAuthentication(conn, true);
    return true;
}

export function readSecurityResult(conn) {
    const rq = conn.rq;
    if (!rq.has(4)) {
        return false;
    }
    const status = rq.peekU32(0);
    if (status === 0) {
        rq.skip(4);
        startInit(conn);
        return true;
    }
    let reason;
    if (conn.version >= 3.8) {
        reason = peekReason(rq, 4);
        if (reason === null) {
            return false;
        }
    } else {
        rq.skip(4);
        reason = status === 2 ? 'Too many authentication attempts' : 'Authentication failed';
    }
    conn.securityFailure(status, reason);
    return false;
}

function readCapabilities(rq, count) {
    const caps = [];
    for (let i = 0; i < count; i++) {
        caps.push({ code: rq.s32(), vendor: rq.text(4), signature: rq.text(8) });
    }
    return caps;
}

function sameCapability(a, b) {
    return a.code === b.code && a.vendor === b.vendor && a.signature === b.signature;
}

/** Peeks a U32 count and count 16-byte capabilities; null until all queued. */
function peekCapabilityList(rq) {
    if (!rq.has(4)) {
        return null;
    }
    const count = rq.peekU32(0);
    if (!rq.has(4 + 16 * count)) {
        return null;
    }
    rq.skip(4);
    return readCapabilities(rq, count);
}

export function readTightTunnels(conn) {
    const tunnels = peekCapabilityList(conn.rq);
    if (tunnels === null) {
        return false;
    }
    if (tunnels.length > 0) {
        if (!tunnels.some((t) => sameCapability(t, TIGHT_NOTUNNEL))) {
            throw new Error('Tight security: no supported tunnel offered');
        }
        conn.send(Uint8Array.of(0, 0, 0, TIGHT_NOTUNNEL.code));
    }
    conn.setPhase(readTightAuthTypes);
    return true;
}

export function readTightAuthTypes(conn) {
    const auths = peekCapabilityList(conn.rq);
    if (auths === null) {
        return false;
    }
    if (auths.length === 0) {
        afterAuthentication(conn, false);
        return true;
    }
    const choice = TIGHT_AUTH.find((ours) => auths.some((a) => sameCapability(a, ours)));
    if (!choice) {
        const names = auths.map((a) => `${a.vendor}${a.signature}`).join(', ');
        throw new Error(`Tight security: no supported authentication (server offers ${names})`);
    }
    conn.send(Uint8Array.of(0, 0, 0, choice.code));
    if (choice.type === securityTypes.vncAuth) {
        conn.setPhase(readVncChallenge);
    } else {
        afterAuthentication(conn, false);
    }
    return true;
}
