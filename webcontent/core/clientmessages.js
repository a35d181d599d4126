// Client-to-server messages (RFC 6143 7.5 and extensions), each built as one
// Uint8Array ready for the transport.

/** Message types sent by the client. */
export const clientMsg = {
    setPixelFormat: 0,
    setEncodings: 2,
    framebufferUpdateRequest: 3,
    keyEvent: 4,
    pointerEvent: 5,
    clientCutText: 6,
    enableContinuousUpdates: 150,
    fence: 248,
    setDesktopSize: 251,
    qemu: 255,
};

function message(size, type) {
    const bytes = new Uint8Array(size);
    bytes[0] = type;
    return { bytes, view: new DataView(bytes.buffer) };
}

/**
 * SetPixelFormat: 32 bits per pixel, depth 24, little endian, true colour,
 * red in the lowest byte: pixels arrive as R,G,B,X bytes, ready for canvas RGBA.
 */
export function setPixelFormat() {
    const { bytes, view } = message(20, clientMsg.setPixelFormat);
    bytes.set([32, 24, 0, 1], 4);     // bpp, depth, big-endian flag, true colour
    view.setUint16(8, 255);            // red max
    view.setUint16(10, 255);           // green max
    view.setUint16(12, 255);           // blue max
    bytes.set([0, 8, 16], 14);         // red, green, blue shift
    return bytes;
}

export function setEncodings(list) {
    const { bytes, view } = message(4 + 4 * list.length, clientMsg.setEncodings);
    view.setUint16(2, list.length);
    list.forEach((e, i) => view.setInt32(4 + 4 * i, e));
    return bytes;
}

export function framebufferUpdateRequest(incremental, x, y, w, h) {
    const { bytes, view } = message(10, clientMsg.framebufferUpdateRequest);
    bytes[1] = incremental ? 1 : 0;
    view.setUint16(2, x);
    view.setUint16(4, y);
    view.setUint16(6, w);
    view.setUint16(8, h);
    return bytes;
}

export function keyEvent(keysym, down) {
    const { bytes, view } = message(8, clientMsg.keyEvent);
    bytes[1] = down ? 1 : 0;
    view.setUint32(4, keysym);
    return bytes;
}

/** QEMU Extended Key Event: keysym plus the XT scancode (0xE0 prefix folded into bit 7). */
export function qemuExtendedKeyEvent(keysym, down, keycode) {
    const { bytes, view } = message(12, clientMsg.qemu);
    bytes[1] = 0;                      // submessage: extended key event
    view.setUint16(2, down ? 1 : 0);
    view.setUint32(4, keysym);
    view.setUint32(8, keycode);
    return bytes;
}

export function pointerEvent(x, y, buttonMask) {
    const { bytes, view } = message(6, clientMsg.pointerEvent);
    bytes[1] = buttonMask;
    view.setUint16(2, x);
    view.setUint16(4, y);
    return bytes;
}

/** ClientCutText with Latin-1 text (characters beyond Latin-1 become '?'). */
export function clientCutText(text) {
    const { bytes, view } = message(8 + text.length, clientMsg.clientCutText);
    view.setUint32(4, text.length);
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        bytes[8 + i] = c < 256 ? c : 0x3f;
    }
    return bytes;
}

/** ClientCutText carrying an Extended Clipboard message: negative length, flags, payload. */
export function extendedClipboard(flags, payload = new Uint8Array(0)) {
    const { bytes, view } = message(12 + payload.length, clientMsg.clientCutText);
    view.setInt32(4, -(4 + payload.length));
    view.setUint32(8, flags >>> 0);
    bytes.set(payload, 12);
    return bytes;
}

export function enableContinuousUpdates(enable, x, y, w, h) {
    const { bytes, view } = message(10, clientMsg.enableContinuousUpdates);
    bytes[1] = enable ? 1 : 0;
    view.setUint16(2, x);
    view.setUint16(4, y);
    view.setUint16(6, w);
    view.setUint16(8, h);
    return bytes;
}

export function fence(flags, payload) {
    const { bytes, view } = message(9 + payload.length, clientMsg.fence);
    view.setUint32(4, flags >>> 0);
    bytes[8] = payload.length;
    bytes.set(payload, 9);
    return bytes;
}

/** SetDesktopSize: screens are {id, x, y, width, height, flags}. */
export function setDesktopSize(width, height, screens) {
    const { bytes, view } = message(8 + 16 * screens.length, clientMsg.setDesktopSize);
    view.setUint16(2, width);
    view.setUint16(4, height);
    bytes[6] = screens.length;
    screens.forEach((s, i) => {
        const o = 8 + 16 * i;
        view.setUint32(o, s.id >>> 0);
        view.setUint16(o + 4, s.x);
        view.setUint16(o + 6, s.y);
        view.setUint16(o + 8, s.width);
        view.setUint16(o + 10, s.height);
        view.setUint32(o + 12, s.flags >>> 0);
    });
    return bytes;
}
