// ZRLE encoding (16, RFC 6143 7.7.6): one zlib stream per connection; the
// inflated data is 64x64 tiles, each raw, solid, packed palette, plain RLE
// or palette RLE. CPIXELs are 3 bytes (R,G,B) for our 32-bit depth-24
// little-endian format. Decoded once the whole compressed block is queued.
import { Inflator } from '../inflator.js';

const TILE = 64;

class TileReader {
    constructor(data) {
        this.data = data;
        this.pos = 0;
    }

    need(n) {
        if (this.pos + n > this.data.length) {
            throw new Error('ZRLE: tile data ends early');
        }
    }

    u8() {
        this.need(1);
        return this.data[this.pos++];
    }

    /** Copies n CPIXELs into out as R,G,B,X. */
    pixels(n, out) {
        this.need(n * 3);
        const d = this.data;
        for (let i = 0, p = this.pos; i < n; i++, p += 3) {
            out[i * 4] = d[p];
            out[i * 4 + 1] = d[p + 1];
            out[i * 4 + 2] = d[p + 2];
        }
        this.pos += n * 3;
    }

    runLength() {
        let length = 1;
        let b;
        do {
            b = this.u8();
            length += b;
        } while (b === 255);
        return length;
    }
}

export class ZRLEDecoder {
    constructor() {
        this._zlib = new Inflator();
        this._tile = new Uint8Array(TILE * TILE * 4);
        this._palette = new Uint8Array(128 * 4);
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
        if (length === 0) {
            return true;
        }
        const reader = new TileReader(this._zlib.inflate(rq.bytes(length)));
        for (let ty = y; ty < y + h; ty += TILE) {
            const th = Math.min(TILE, y + h - ty);
            for (let tx = x; tx < x + w; tx += TILE) {
                this._decodeTile(tx, ty, Math.min(TILE, x + w - tx), th, reader, display);
            }
        }
        return true;
    }

    _decodeTile(tx, ty, tw, th, reader, display) {
        const sub = reader.u8();
        const tile = this._tile;
        const palette = this._palette;
        if (sub === 0) {
            reader.pixels(tw * th, tile);
        } else if (sub === 1) {
            reader.pixels(1, palette);
            display.fillRect(tx, ty, tw, th, palette[0], palette[1], palette[2]);
            return;
        } else if (sub <= 16) {
            reader.pixels(sub, palette);
            this._packed(reader, sub, tw, th);
        } else if (sub === 128) {
            this._plainRLE(reader, tw * th);
        } else if (sub >= 130) {
            reader.pixels(sub - 128, palette);
            this._paletteRLE(reader, sub - 128, tw * th);
        } else {
            throw new Error(`ZRLE: unknown subencoding ${sub}`);
        }
        display.blitRGBX(tx, ty, tw, th, tile);
    }

    _packed(reader, size, tw, th) {
        const bits = size === 2 ? 1 : size <= 4 ? 2 : 4;
        const mask = (1 << bits) - 1;
        const tile = this._tile;
        const palette = this._palette;
        for (let row = 0; row < th; row++) {
            let byte = 0;
            let left = 0;
            for (let col = 0; col < tw; col++) {
                if (left === 0) {
                    byte = reader.u8();
                    left = 8;
                }
                left -= bits;
                const index = (byte >> left) & mask;
                if (index >= size) {
                    throw new Error('ZRLE: palette index out of range');
                }
                copyPixel(palette, index, tile, row * tw + col);
            }
        }
    }

    _plainRLE(reader, count) {
        const tile = this._tile;
        const colour = new Uint8Array(4);
        let i = 0;
        while (i < count) {
            reader.pixels(1, colour);
            const run = reader.runLength();
            if (i + run > count) {
                throw new Error('ZRLE: run exceeds tile');
            }
            for (const end = i + run; i < end; i++) {
                copyPixel(colour, 0, tile, i);
            }
        }
    }

    _paletteRLE(reader, size, count) {
        const tile = this._tile;
        const palette = this._palette;
        let i = 0;
        while (i < count) {
            const b = reader.u8();
            const index = b & 127;
            if (index >= size) {
                throw new Error('ZRLE: palette index out of range');
            }
            const run = b & 128 ? reader.runLength() : 1;
            if (i + run > count) {
                throw new Error('ZRLE: run exceeds tile');
            }
            for (const end = i + run; i < end; i++) {
                copyPixel(palette, index, tile, i);
            }
        }
    }
}

function copyPixel(from, fromIndex, to, toIndex) {
    const f = fromIndex * 4;
    const t = toIndex * 4;
    to[t] = from[f];
    to[t + 1] = from[f + 1];
    to[t + 2] = from[f + 2];
}
