// Known pixel arrays (RGBA, alpha 255) for encoders to encode and tests to expect.
import { random } from './bytes.js';

export class Pixels {
    constructor(width, height, data) {
        this.width = width;
        this.height = height;
        if (!data) {
            data = new Uint8Array(width * height * 4);   // opaque black, like a new framebuffer
            for (let i = 3; i < data.length; i += 4) {
                data[i] = 255;
            }
        }
        this.data = data;
    }

    get(x, y) {
        const i = (y * this.width + x) * 4;
        return [this.data[i], this.data[i + 1], this.data[i + 2]];
    }

    set(x, y, [r, g, b]) {
        const i = (y * this.width + x) * 4;
        this.data[i] = r;
        this.data[i + 1] = g;
        this.data[i + 2] = b;
        this.data[i + 3] = 255;
    }

    key(x, y) {
        const [r, g, b] = this.get(x, y);
        return (r << 16) | (g << 8) | b;
    }

    /** A copy of the sub-rectangle. */
    crop(x, y, w, h) {
        const out = new Pixels(w, h);
        for (let row = 0; row < h; row++) {
            for (let col = 0; col < w; col++) {
                out.set(col, row, this.get(x + col, y + row));
            }
        }
        return out;
    }

    /** Writes p into this at (x, y). */
    paste(p, x, y) {
        for (let row = 0; row < p.height; row++) {
            for (let col = 0; col < p.width; col++) {
                this.set(x + col, y + row, p.get(col, row));
            }
        }
    }
}

/** Content with flat areas, stripes, a few colours and noise: every encoder mode shows up. */
export function testPattern(width, height, seed = 1) {
    const rnd = random(seed);
    const palette = [[255, 0, 0], [0, 128, 255], [20, 200, 20], [250, 250, 250], [0, 0, 0], [128, 64, 32]];
    const p = new Pixels(width, height);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            let c;
            if (y < height / 4) {
                c = [40, 40, 90];                                   // flat band
            } else if (y < height / 2) {
                c = palette[((x >> 3) + (y >> 2)) % 2 ? 3 : 4];     // two-colour checks
            } else if (x < width / 2) {
                c = palette[((x >> 2) ^ (y >> 3)) % palette.length]; // few colours
            } else {
                c = [Math.floor(rnd() * 256), (x * 7) & 255, (y * 5) & 255]; // noisy
            }
            p.set(x, y, c);
        }
    }
    return p;
}

/** Expected framebuffer bytes for comparison with Display.pixels. */
export function asClamped(p) {
    return new Uint8ClampedArray(p.data);
}
