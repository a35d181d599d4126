// Encoding numbers (RFC 6143 7.7 and the community RFB protocol document).

export const encodings = {
    raw: 0,
    copyRect: 1,
    rre: 2,
    hextile: 5,
    zlib: 6,
    tight: 7,
    zrle: 16,
    tightPNG: -260,

    pseudoQualityLevel0: -32,       // -32..-23: JPEG quality 0..9
    pseudoDesktopSize: -223,
    pseudoLastRect: -224,
    pseudoCursor: -239,
    pseudoCompressLevel0: -256,     // -256..-247: compression 0..9
    pseudoQEMUExtendedKeyEvent: -258,
    pseudoDesktopName: -307,
    pseudoExtendedDesktopSize: -308,
    pseudoFence: -312,
    pseudoContinuousUpdates: -313,
    pseudoExtendedClipboard: 0xC0A1E5CE | 0,
};

/** Names accepted in the `encodings` option, mapped to their numbers. */
export const encodingNames = {
    raw: encodings.raw,
    copyrect: encodings.copyRect,
    rre: encodings.rre,
    hextile: encodings.hextile,
    zlib: encodings.zlib,
    tight: encodings.tight,
    zrle: encodings.zrle,
    tightpng: encodings.tightPNG,
};

/** Default preference order of the real encodings. */
export const DEFAULT_ENCODINGS = ['copyrect', 'tight', 'zrle', 'tightpng', 'hextile', 'zlib', 'rre', 'raw'];

/** Resolves a list of names or numbers into encoding numbers. */
export function resolveEncodings(list) {
    return list.map((e) => {
        if (typeof e === 'number') {
            return e;
        }
        const key = String(e).trim().toLowerCase();
        if (key in encodingNames) {
            return encodingNames[key];
        }
        if (/^-?\d+$/.test(key)) {
            return Number(key);
        }
        throw new Error(`Unknown encoding: ${e}`);
    });
}

/** The SetEncodings list for the client options: real encodings, then levels and pseudo-encodings. */
export function encodingList({ encodings: names, qualityLevel: q, compressionLevel: c, continuousUpdates }) {
    const list = resolveEncodings(names ?? DEFAULT_ENCODINGS);
    if (Number.isInteger(q) && q >= 0 && q <= 9) {
        list.push(encodings.pseudoQualityLevel0 + q);
    }
    if (Number.isInteger(c) && c >= 0 && c <= 9) {
        list.push(encodings.pseudoCompressLevel0 + c);
    }
    list.push(encodings.pseudoDesktopSize, encodings.pseudoExtendedDesktopSize,
        encodings.pseudoLastRect, encodings.pseudoCursor, encodings.pseudoDesktopName,
        encodings.pseudoQEMUExtendedKeyEvent, encodings.pseudoFence,
        encodings.pseudoExtendedClipboard);
    if (continuousUpdates) {
        list.push(encodings.pseudoContinuousUpdates);
    }
    return list;
}
