// zlib encoding (6): Raw pixels through one zlib stream per connection.
// The rectangle is decoded once its whole compressed block is queued.
import { Inflator } from '../inflator.js';

export class ZlibDecoder {
    constructor() {
        this._zlib = new Inflator();
    }

    decodeRect(x, y, w, h, rq, display) {
        if (!rq.has(4)) {
            return false;
        }
        const length = rq.peekU32(0);
        if (!rq.has(4 + length)) {
            return false;
        }
        rq.skip(4);
        const data = this._zlib.inflate(rq.bytes(length), w * h * 4);
        if (w && h) {
            display.blitRGBX(x, y, w, h, data);
        }
        return true;
    }
}
