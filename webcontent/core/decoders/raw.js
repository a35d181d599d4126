// Raw encoding (RFC 6143 7.7.1): width*height pixels, 4 bytes each in our
// R,G,B,X pixel format. Decoded a whole row at a time as rows arrive.

export class RawDecoder {
    constructor() {
        this._row = 0;
    }

    /** Returns false, leaving partial rows queued, until all rows are drawn. */
    decodeRect(x, y, w, h, rq, display) {
        if (w === 0 || h === 0) {
            return true;
        }
        const rowBytes = w * 4;
        const rows = Math.min(h - this._row, Math.floor(rq.length / rowBytes));
        if (rows > 0) {
            display.blitRGBX(x, y + this._row, w, rows, rq.bytes(rows * rowBytes));
            this._row += rows;
        }
        if (this._row < h) {
            return false;
        }
        this._row = 0;
        return true;
    }
}
