// The pixel array: R,G,B,A bytes (alpha always 255), a row after another.
// Plain pixel work with no ordering, damage or canvas: the display does those.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An opaque pixel as the 32-bit word `Display.blitWords` takes. */
export const rgbWord = LITTLE_ENDIAN
    ? (r, g, b) => (0xff000000 | (b << 16) | (g << 8) | r) >>> 0
    : (r, g, b) => ((r << 24) | (g << 16) | (b << 8) | 0xff) >>> 0;

export class Framebuffer {
    constructor() {
        this.width = 0;
        this.height = 0;
        this.pixels = new Uint8ClampedArray(0);
        this._pixels32 = new Uint32Array(0);
    }

    /** New size; what fits of the old picture stays, the rest is black. */
    resize(width, height) {
        const pixels = new Uint8ClampedArray(width * height * 4);
        const cw = Math.min(width, this.width);
        for (let row = 0; row < Math.min(height, this.height); row++) {
            const from = row * this.width * 4;
            pixels.set(this.pixels.subarray(from, from + cw * 4), row * width * 4);
        }
        for (let i = 3; i < pixels.length; i += 4) {
            pixels[i] = 255;
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
        this._pixels32 = new Uint32Array(pixels.buffer);
    }

    /** The part of a rectangle inside the framebuffer as [x, y, w, h], or null. */
    clip(x, y, w, h) {
        const x2 = Math.min(x + w, this.width);
        const y2 = Math.min(y + h, this.height);
        return x2 > x && y2 > y ? [x, y, x2 - x, y2 - y] : null;
    }

    // The methods below take rectangles already clipped.

    fill(x, y, w, h, r, g, b) {
        if (LITTLE_ENDIAN) {
            const value = rgbWord(r, g, b);
            for (let row = y; row < y + h; row++) {
                const start = row * this.width + x;
                this._pixels32.fill(value, start, start + w);
            }
            return;
        }
        const p = this.pixels;
        for (let row = y; row < y + h; row++) {
            for (let i = (row * this.width + x) * 4, end = i + w * 4; i < end; i += 4) {
                p[i] = r; p[i + 1] = g; p[i + 2] = b; p[i + 3] = 255;
            }
        }
    }

    copy(sx, sy, dx, dy, w, h) {
        const stride = this.width * 4;
        const p = this.pixels;
        // Rows are copied in the order that never reads an overwritten row.
        for (let k = 0; k < h; k++) {
            const row = dy > sy ? h - 1 - k : k;
            const start = (sy + row) * stride + sx * 4;
            p.copyWithin((dy + row) * stride + dx * 4, start, start + w * 4);
        }
    }

    /**
     * `src` rows of `stride` bytes, pixels of `bpp` bytes: 4 (R,G,B,X; X
     * replaced by 255 unless `opaque` says it already is) or 3 (R,G,B).
     */
    blit(x, y, w, h, src, stride, bpp, opaque) {
        const p = this.pixels;
        if (bpp === 4) {
            for (let row = 0; row < h; row++) {
                const s = row * stride;
                const d = ((y + row) * this.width + x) * 4;
                p.set(src.subarray(s, s + w * 4), d);
                if (!opaque) {
                    for (let i = d + 3, end = d + w * 4; i < end; i += 4) {
                        p[i] = 255;
                    }
                }
            }
        } else if (LITTLE_ENDIAN) {
            const p32 = this._pixels32;
            for (let row = 0; row < h; row++) {
                let s = row * stride;
                for (let d = (y + row) * this.width + x, end = d + w; d < end; d++, s += 3) {
                    p32[d] = 0xff000000 | (src[s + 2] << 16) | (src[s + 1] << 8) | src[s];
                }
            }
        } else {
            for (let row = 0; row < h; row++) {
                let s = row * stride;
                let d = ((y + row) * this.width + x) * 4;
                for (let i = 0; i < w; i++, s += 3, d += 4) {
                    p[d] = src[s]; p[d + 1] = src[s + 1]; p[d + 2] = src[s + 2]; p[d + 3] = 255;
                }
            }
        }
    }

    /** Copies R,G,B,A rows read from elsewhere (the canvas) into a rectangle. */
    put(x, y, w, h, rgba) {
        for (let row = 0; row < h; row++) {
            this.pixels.set(rgba.subarray(row * w * 4, (row + 1) * w * 4), ((y + row) * this.width + x) * 4);
        }
    }
}
