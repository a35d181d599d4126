// CopyRect encoding (RFC 6143 7.7.2): the source position of pixels the
// client already has.

export class CopyRectDecoder {
    decodeRect(x, y, w, h, rq, display) {
        if (!rq.has(4)) {
            return false;
        }
        const sx = rq.u16();
        const sy = rq.u16();
        if (w && h) {
            display.copyRect(sx, sy, x, y, w, h);
        }
        return true;
    }
}
