// One decoder instance per encoding for the life of a connection (zlib
// streams persist between rectangles).
import { encodings } from '../encodings.js';
import { RawDecoder } from './raw.js';
import { CopyRectDecoder } from './copyrect.js';
import { RREDecoder } from './rre.js';
import { HextileDecoder } from './hextile.js';
import { ZlibDecoder } from './zlib.js';
import { ZRLEDecoder } from './zrle.js';
import { TightDecoder } from './tight.js';

export function createDecoders() {
    return new Map([
        [encodings.raw, new RawDecoder()],
        [encodings.copyRect, new CopyRectDecoder()],
        [encodings.rre, new RREDecoder()],
        [encodings.hextile, new HextileDecoder()],
        [encodings.zlib, new ZlibDecoder()],
        [encodings.zrle, new ZRLEDecoder()],
        [encodings.tight, new TightDecoder()],
        [encodings.tightPNG, new TightDecoder({ png: true })],
    ]);
}
