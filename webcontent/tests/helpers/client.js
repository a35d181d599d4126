// Splits what the client sent (after the handshake) into messages.

function u16(b, o) {
    return (b[o] << 8) | b[o + 1];
}

function u32(b, o) {
    return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function parseClientMessages(bytes) {
    const out = [];
    let o = 0;
    while (o < bytes.length) {
        const type = bytes[o];
        let size;
        const m = { type };
        switch (type) {
            case 0:
                size = 20;
                m.name = 'SetPixelFormat';
                m.pixelFormat = Array.from(bytes.subarray(o + 4, o + 20));
                break;
            case 2: {
                const n = u16(bytes, o + 2);
                size = 4 + 4 * n;
                m.name = 'SetEncodings';
                m.encodings = Array.from({ length: n }, (_, i) => u32(bytes, o + 4 + 4 * i) | 0);
                break;
            }
            case 3:
                size = 10;
                m.name = 'FramebufferUpdateRequest';
                Object.assign(m, { incremental: bytes[o + 1], x: u16(bytes, o + 2), y: u16(bytes, o + 4), w: u16(bytes, o + 6), h: u16(bytes, o + 8) });
                break;
            case 4:
                size = 8;
                m.name = 'KeyEvent';
                Object.assign(m, { down: bytes[o + 1], keysym: u32(bytes, o + 4) });
                break;
            case 5:
                size = 6;
                m.name = 'PointerEvent';
                Object.assign(m, { mask: bytes[o + 1], x: u16(bytes, o + 2), y: u16(bytes, o + 4) });
                break;
            case 6: {
                const length = u32(bytes, o + 4) | 0;
                size = 8 + Math.abs(length);
                m.name = 'ClientCutText';
                m.extended = length < 0;
                m.data = bytes.slice(o + 8, o + size);
                break;
            }
            case 150:
                size = 10;
                m.name = 'EnableContinuousUpdates';
                Object.assign(m, { enable: bytes[o + 1], x: u16(bytes, o + 2), y: u16(bytes, o + 4), w: u16(bytes, o + 6), h: u16(bytes, o + 8) });
                break;
            case 248:
                size = 9 + bytes[o + 8];
                m.name = 'Fence';
                m.flags = u32(bytes, o + 4);
                m.payload = Array.from(bytes.subarray(o + 9, o + size));
                break;
            case 251: {
                const n = bytes[o + 6];
                size = 8 + 16 * n;
                m.name = 'SetDesktopSize';
                Object.assign(m, { width: u16(bytes, o + 2), height: u16(bytes, o + 4), screens: [] });
                for (let i = 0; i < n; i++) {
                    const s = o + 8 + 16 * i;
                    m.screens.push({ id: u32(bytes, s), x: u16(bytes, s + 4), y: u16(bytes, s + 6), width: u16(bytes, s + 8), height: u16(bytes, s + 10), flags: u32(bytes, s + 12) });
                }
                break;
            }
            case 255:
                size = 12;
                m.name = 'QEMUExtendedKeyEvent';
                Object.assign(m, { sub: bytes[o + 1], down: u16(bytes, o + 2), keysym: u32(bytes, o + 4), keycode: u32(bytes, o + 8) });
                break;
            default:
                throw new Error(`unknown client message type ${type} at ${o}`);
        }
        if (o + size > bytes.length) {
            throw new Error(`client message ${m.name} truncated`);
        }
        out.push(m);
        o += size;
    }
    return out;
}
