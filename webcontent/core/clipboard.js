// Extended Clipboard (pseudo-encoding 0xC0A1E5CE): Cut Text messages whose
// negative length announces a U32 of flags (formats in bits 0-15, actions in
// bits 24-31) and an action-specific payload. Only the text format is used:
// UTF-8, CRLF line ends, NUL terminated; provide payloads are a fresh zlib
// stream of (U32 size, data) for each format present, lowest bit first.
import { deflate } from '../vendor/pako.esm.mjs';
import { Inflator } from './inflator.js';
import { extendedClipboard } from './clientmessages.js';

export const clipboardFormat = { text: 1 << 0, rtf: 1 << 1, html: 1 << 2, dib: 1 << 3, files: 1 << 4 };
export const clipboardAction = {
    caps: 1 << 24, request: 1 << 25, peek: 1 << 26, notify: 1 << 27, provide: 1 << 28,
};

const ACTIONS = 0xff000000;
const FORMATS = 0x0000ffff;
/** Largest text we accept unsolicited (announced in our caps). */
export const MAX_TEXT = 10 * 1024 * 1024;

/** Splits an extended message into its flags and payload. */
export function parseExtendedClipboard(bytes) {
    if (bytes.length < 4) {
        throw new Error('Extended clipboard message shorter than its flags');
    }
    const flags = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    return { flags, actions: flags & ACTIONS, formats: flags & FORMATS, payload: bytes.subarray(4) };
}

/** Caps payload: one U32 size limit per format bit set, in bit order. */
export function parseCaps(formats, payload) {
    const sizes = {};
    let offset = 0;
    for (let bit = 0; bit < 16; bit++) {
        if (formats & (1 << bit)) {
            if (offset + 4 > payload.length) {
                break;
            }
            const v = payload;
            sizes[1 << bit] = ((v[offset] << 24) | (v[offset + 1] << 16) | (v[offset + 2] << 8) | v[offset + 3]) >>> 0;
            offset += 4;
        }
    }
    return sizes;
}

/**
 * The text of a provide payload, or null when it carries none. The zlib
 * stream may be finished or only sync-flushed (TigerVNC never finishes it).
 */
export function parseProvidedText(formats, payload) {
    const data = new Inflator().inflate(payload);
    let offset = 0;
    for (let bit = 0; bit < 16; bit++) {
        const format = 1 << bit;
        if (!(formats & format)) {
            continue;
        }
        if (offset + 4 > data.length) {
            throw new Error('Extended clipboard provide message ends early');
        }
        const size = ((data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3]) >>> 0;
        offset += 4;
        if (offset + size > data.length) {
            throw new Error('Extended clipboard provide message ends early');
        }
        if (format === clipboardFormat.text) {
            let text = new TextDecoder('utf-8').decode(data.subarray(offset, offset + size));
            text = text.replace(/\0[\s\S]*$/, '');
            return text.replace(/\r\n/g, '\n');
        }
        offset += size;
    }
    return null;
}

/** Our caps: text, with the actions we implement. */
export function capsMessage() {
    const flags = clipboardAction.caps | clipboardAction.request | clipboardAction.peek |
        clipboardAction.notify | clipboardAction.provide | clipboardFormat.text;
    const payload = new Uint8Array(4);
    new DataView(payload.buffer).setUint32(0, MAX_TEXT);
    return extendedClipboard(flags, payload);
}

export function requestMessage() {
    return extendedClipboard(clipboardAction.request | clipboardFormat.text);
}

export function notifyMessage(hasText) {
    return extendedClipboard(clipboardAction.notify | (hasText ? clipboardFormat.text : 0));
}

export function provideMessage(text) {
    const utf8 = new TextEncoder().encode(`${text.replace(/\r?\n/g, '\r\n')}\0`);
    const raw = new Uint8Array(4 + utf8.length);
    new DataView(raw.buffer).setUint32(0, utf8.length);
    raw.set(utf8, 4);
    return extendedClipboard(clipboardAction.provide | clipboardFormat.text, deflate(raw));
}
