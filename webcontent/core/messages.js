// Normal-phase server messages (RFC 6143 7.6 and extensions): the
// FramebufferUpdate rectangle loop with its pseudo-encodings, colour map,
// bell, cut text, continuous updates and fences. A message is consumed only
// when all of it is queued; a FramebufferUpdate is resumed rectangle by
// rectangle and, inside a rectangle, by its decoder.
import { encodings } from './encodings.js';

export const serverMsg = {
    framebufferUpdate: 0,
    setColourMapEntries: 1,
    bell: 2,
    serverCutText: 3,
    endOfContinuousUpdates: 150,
    fence: 248,
};

export function readServerMessage(conn) {
    const rq = conn.rq;
    if (conn.fbu) {
        return continueUpdate(conn);
    }
    if (!rq.has(1)) {
        return false;
    }
    const type = rq.peekU8(0);
    switch (type) {
        case serverMsg.framebufferUpdate:
            if (!rq.has(4)) {
                return false;
            }
            rq.skip(2);
            conn.fbu = { left: rq.u16(), rect: null };
            return true;
        case serverMsg.setColourMapEntries:
            return readColourMap(conn);
        case serverMsg.bell:
            rq.skip(1);
            conn.onBell();
            return true;
        case serverMsg.serverCutText:
            return readCutText(conn);
        case serverMsg.endOfContinuousUpdates:
            rq.skip(1);
            conn.onEndOfContinuousUpdates();
            return true;
        case serverMsg.fence:
            return readFence(conn);
        default:
            throw new Error(`Unknown server message type ${type}`);
    }
}

function readColourMap(conn) {
    const rq = conn.rq;
    if (!rq.has(6)) {
        return false;
    }
    const count = rq.peekU16(4);
    if (!rq.has(6 + 6 * count)) {
        return false;
    }
    rq.skip(2);
    const first = rq.u16();
    rq.skip(2);
    const colours = [];
    for (let i = 0; i < count; i++) {
        // 16-bit intensities scaled to 8 bits
        colours.push([rq.u16() >> 8, rq.u16() >> 8, rq.u16() >> 8]);
    }
    conn.onColourMap(first, colours);
    return true;
}

function readCutText(conn) {
    const rq = conn.rq;
    if (!rq.has(8)) {
        return false;
    }
    const length = rq.peekU32(4) | 0;
    const size = Math.abs(length);
    if (!rq.has(8 + size)) {
        return false;
    }
    rq.skip(8);
    if (length >= 0) {
        conn.onServerCutText(rq.text(size));
    } else {
        conn.onExtendedClipboard(rq.bytes(size));
    }
    return true;
}

function readFence(conn) {
    const rq = conn.rq;
    if (!rq.has(9)) {
        return false;
    }
    const length = rq.peekU8(8);
    if (!rq.has(9 + length)) {
        return false;
    }
    rq.skip(4);
    const flags = rq.u32();
    rq.skip(1);
    if (length > 64) {
        throw new Error(`Fence payload of ${length} bytes exceeds 64`);
    }
    conn.onFence(flags, rq.bytes(length).slice());
    return true;
}

function continueUpdate(conn) {
    const rq = conn.rq;
    const fbu = conn.fbu;
    while (fbu.left > 0) {
        if (!fbu.rect) {
            if (!rq.has(12)) {
                return false;
            }
            fbu.rect = { x: rq.u16(), y: rq.u16(), w: rq.u16(), h: rq.u16(), encoding: rq.s32() };
        }
        const r = fbu.rect;
        if (!decodeRect(conn, r)) {
            return false;
        }
        fbu.rect = null;
        fbu.left = r.encoding === encodings.pseudoLastRect ? 0 : fbu.left - 1;
    }
    conn.fbu = null;
    conn.onFramebufferUpdateDone();
    return true;
}

function decodeRect(conn, r) {
    const { rq, display } = conn;
    switch (r.encoding) {
        case encodings.pseudoLastRect:
            return true;
        case encodings.pseudoDesktopSize:
            conn.onDesktopSize(r.w, r.h);
            return true;
        case encodings.pseudoExtendedDesktopSize:
            return readExtendedDesktopSize(conn, r);
        case encodings.pseudoCursor:
            return readCursor(conn, r);
        case encodings.pseudoDesktopName: {
            if (!rq.has(4)) {
                return false;
            }
            const length = rq.peekU32(0);
            if (!rq.has(4 + length)) {
                return false;
            }
            rq.skip(4);
            conn.onDesktopName(rq.text(length, 'utf-8'));
            return true;
        }
        case encodings.pseudoQEMUExtendedKeyEvent:
            conn.onQEMUExtendedKeyEvent();
            return true;
        default: {
            const decoder = conn.decoders.get(r.encoding);
            if (!decoder) {
                throw new Error(`Unsupported encoding ${r.encoding} in FramebufferUpdate`);
            }
            if (r.x + r.w > display.width || r.y + r.h > display.height) {
                throw new Error(`Rectangle ${r.w}x${r.h}+${r.x}+${r.y} outside the ${display.width}x${display.height} framebuffer`);
            }
            return decoder.decodeRect(r.x, r.y, r.w, r.h, rq, display);
        }
    }
}

function readExtendedDesktopSize(conn, r) {
    const rq = conn.rq;
    if (!rq.has(4)) {
        return false;
    }
    const count = rq.peekU8(0);
    if (!rq.has(4 + 16 * count)) {
        return false;
    }
    rq.skip(4);
    const screens = [];
    for (let i = 0; i < count; i++) {
        screens.push({ id: rq.u32(), x: rq.u16(), y: rq.u16(), width: rq.u16(), height: rq.u16(), flags: rq.u32() });
    }
    // x carries the reason (1: our own request), y the status of that request.
    conn.onExtendedDesktopSize({ reason: r.x, status: r.y, width: r.w, height: r.h, screens });
    return true;
}

function readCursor(conn, r) {
    const rq = conn.rq;
    const { w, h } = r;
    const maskRow = Math.ceil(w / 8);
    const size = w * h * 4 + maskRow * h;
    if (!rq.has(size)) {
        return false;
    }
    const pixels = rq.bytes(w * h * 4);
    const mask = rq.bytes(maskRow * h);
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let row = 0; row < h; row++) {
        for (let col = 0; col < w; col++) {
            const i = (row * w + col) * 4;
            const visible = (mask[row * maskRow + (col >> 3)] >> (7 - (col & 7))) & 1;
            rgba[i] = pixels[i];
            rgba[i + 1] = pixels[i + 1];
            rgba[i + 2] = pixels[i + 2];
            rgba[i + 3] = visible ? 255 : 0;
        }
    }
    // The rectangle's position is the hotspot.
    conn.display.setCursor(rgba, w, h, r.x, r.y);
    return true;
}
