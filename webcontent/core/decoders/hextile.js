// Hextile encoding (RFC 6143 7.7.4): 16x16 tiles, left to right, top to
// bottom. A tile is decoded only when all its bytes are queued; the tile
// index and the background/foreground carried between tiles are kept, so a
// rectangle resumes where the data ran out.

const RAW = 1;
const BACKGROUND_SPECIFIED = 2;
const FOREGROUND_SPECIFIED = 4;
const ANY_SUBRECTS = 8;
const SUBRECTS_COLOURED = 16;

export class HextileDecoder {
    constructor() {
        this._tile = 0;
        this._bg = [0, 0, 0];
        this._fg = [0, 0, 0];
    }

    decodeRect(x, y, w, h, rq, display) {
        const tilesX = Math.ceil(w / 16);
        const total = tilesX * Math.ceil(h / 16);
        while (this._tile < total) {
            const tx = x + (this._tile % tilesX) * 16;
            const ty = y + Math.floor(this._tile / tilesX) * 16;
            const tw = Math.min(16, x + w - tx);
            const th = Math.min(16, y + h - ty);
            const size = this._tileSize(rq, tw, th);
            if (size < 0 || !rq.has(size)) {
                return false;
            }
            this._decodeTile(tx, ty, tw, th, rq, display);
            this._tile++;
        }
        this._tile = 0;
        return true;
    }

    /** Bytes the next tile takes, or -1 when even that is not known yet. */
    _tileSize(rq, tw, th) {
        if (!rq.has(1)) {
            return -1;
        }
        const sub = rq.peekU8(0);
        if (sub & RAW) {
            return 1 + tw * th * 4;
        }
        let size = 1;
        if (sub & BACKGROUND_SPECIFIED) {
            size += 4;
        }
        if (sub & FOREGROUND_SPECIFIED) {
            size += 4;
        }
        if (sub & ANY_SUBRECTS) {
            if (!rq.has(size + 1)) {
                return -1;
            }
            const count = rq.peekU8(size);
            size += 1 + count * (sub & SUBRECTS_COLOURED ? 6 : 2);
        }
        return size;
    }

    _decodeTile(tx, ty, tw, th, rq, display) {
        const sub = rq.u8();
        if (sub & RAW) {
            display.blitRGBX(tx, ty, tw, th, rq.bytes(tw * th * 4));
            return;
        }
        if (sub & BACKGROUND_SPECIFIED) {
            this._bg = readColour(rq);
        }
        if (sub & FOREGROUND_SPECIFIED) {
            this._fg = readColour(rq);
        }
        const bg = this._bg;
        display.fillRect(tx, ty, tw, th, bg[0], bg[1], bg[2]);
        if (!(sub & ANY_SUBRECTS)) {
            return;
        }
        const count = rq.u8();
        for (let i = 0; i < count; i++) {
            if (sub & SUBRECTS_COLOURED) {
                // A coloured subrectangle also becomes the carried foreground.
                this._fg = readColour(rq);
            }
            const xy = rq.u8();
            const wh = rq.u8();
            const fg = this._fg;
            display.fillRect(tx + (xy >> 4), ty + (xy & 15), (wh >> 4) + 1, (wh & 15) + 1,
                fg[0], fg[1], fg[2]);
        }
    }
}

function readColour(rq) {
    const b = rq.bytes(4);
    return [b[0], b[1], b[2]];
}
