// RRE encoding (RFC 6143 7.7.3): a background and solid subrectangles,
// each subrectangle drawn as soon as its 12 bytes are there.

export class RREDecoder {
    constructor() {
        this._left = -1;  // subrectangles still to read; -1 before the header
    }

    decodeRect(x, y, w, h, rq, display) {
        if (this._left < 0) {
            if (!rq.has(8)) {
                return false;
            }
            this._left = rq.u32();
            const bg = rq.bytes(4);
            display.fillRect(x, y, w, h, bg[0], bg[1], bg[2]);
        }
        while (this._left > 0) {
            if (!rq.has(12)) {
                return false;
            }
            const c = rq.bytes(4);
            const sx = rq.u16();
            const sy = rq.u16();
            const sw = rq.u16();
            const sh = rq.u16();
            display.fillRect(x + sx, y + sy, sw, sh, c[0], c[1], c[2]);
            this._left--;
        }
        this._left = -1;
        return true;
    }
}
