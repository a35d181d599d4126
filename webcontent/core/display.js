// The framebuffer: an RGBA pixel array that decoders write into, shown on a
// canvas when there is one.
//
// Operations are applied in arrival order. A compressed image is decoded
// asynchronously; until it is ready, the operations behind it wait in a
// queue (with their own copy of the pixels), so later rectangles never
// overtake it. Damage is collected per FramebufferUpdate and painted on the
// next animation frame. Without a canvas (tests, workers) the same code runs
// headless and `pixels` is the result.
import { Log } from './log.js';
import { browserImageDecoder } from './imagedecoder.js';
import { CanvasView } from './canvasview.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class Display {
    /**
     * @param {Element|null} target element to show the canvas in, or null for headless
     * @param {{imageDecoder?: Function}} options
     */
    constructor(target, { imageDecoder } = {}) {
        this.width = 0;
        this.height = 0;
        this.pixels = new Uint8ClampedArray(0);
        this._pixels32 = new Uint32Array(0);
        this._queue = [];
        this._damage = null;
        this._imageDecoder = imageDecoder ?? browserImageDecoder;
        this.cursor = null;
        /** Called when every queued operation has been applied. */
        this.ondrain = () => {};
        /** Called when an image could not be decoded. */
        this.onerror = () => {};
        this.view = target ? new CanvasView(target) : null;
    }

    /** True when no operation waits for an image. */
    get idle() {
        return this._queue.length === 0;
    }

    // -- operations (ordered) --

    resize(width, height) {
        this._run(() => this._resize(width, height));
    }

    fillRect(x, y, w, h, r, g, b) {
        this._run(() => this._fill(x, y, w, h, r, g, b));
    }

    copyRect(sx, sy, dx, dy, w, h) {
        this._run(() => this._copy(sx, sy, dx, dy, w, h));
    }

    /** Pixels as R,G,B,X bytes, `stride` bytes a row (default w*4). */
    blitRGBX(x, y, w, h, src, stride = w * 4) {
        if (this._queue.length) {
            src = src.slice(0, stride * (h - 1) + w * 4);
        }
        this._run(() => this._blit(x, y, w, h, src, stride, 4));
    }

    /** Pixels as R,G,B bytes, w*3 a row. */
    blitRGB(x, y, w, h, src) {
        if (this._queue.length) {
            src = src.slice(0, w * h * 3);
        }
        this._run(() => this._blit(x, y, w, h, src, w * 3, 3));
    }

    /** Pixels as R,G,B,A bytes (images, cursors): alpha is ignored. */
    blitRGBA(x, y, w, h, src) {
        this.blitRGBX(x, y, w, h, src);
    }

    /** A JPEG or PNG rectangle; bytes must be owned by the caller (a copy). */
    drawImage(x, y, w, h, mime, bytes) {
        const op = { ready: false, apply: null };
        this._queue.push(op);
        this._imageDecoder(bytes, mime).then((img) => {
            op.apply = () => this._blit(x, y, Math.min(w, img.width), Math.min(h, img.height),
                img.data, img.width * 4, 4);
        }, (e) => {
            Log.error('image decoding failed', e);
            op.apply = () => this.onerror(new Error(`${mime} rectangle could not be decoded`));
        }).finally(() => {
            op.ready = true;
            this._drain();
        });
    }

    /** End of a FramebufferUpdate: paint what changed on the next frame. */
    flip() {
        this._run(() => this._present());
    }

    /** Sets the local cursor from RGBA pixels; a 0x0 cursor hides it. */
    setCursor(rgba, w, h, hotX, hotY) {
        this.cursor = { rgba, width: w, height: h, hotX, hotY };
        this.view?.setCursor(rgba, w, h, hotX, hotY);
    }

    // -- queue --

    _run(apply) {
        if (this._queue.length === 0) {
            apply();
        } else {
            this._queue.push({ ready: true, apply });
        }
    }

    _drain() {
        while (this._queue.length && this._queue[0].ready) {
            this._queue.shift().apply();
        }
        if (this._queue.length === 0) {
            this.ondrain();
        }
    }

    // -- pixel work --

    _resize(width, height) {
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
        this._damage = null;
        this.view?.resize(width, height, pixels);
        this._addDamage(0, 0, width, height);
    }

    _clip(x, y, w, h) {
        const x2 = Math.min(x + w, this.width);
        const y2 = Math.min(y + h, this.height);
        return x2 > x && y2 > y ? [x, y, x2 - x, y2 - y] : null;
    }

    _fill(x, y, w, h, r, g, b) {
        const c = this._clip(x, y, w, h);
        if (!c) {
            return;
        }
        [x, y, w, h] = c;
        if (LITTLE_ENDIAN) {
            const value = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
            for (let row = y; row < y + h; row++) {
                const start = row * this.width + x;
                this._pixels32.fill(value, start, start + w);
            }
        } else {
            const p = this.pixels;
            for (let row = y; row < y + h; row++) {
                for (let i = (row * this.width + x) * 4, end = i + w * 4; i < end; i += 4) {
                    p[i] = r; p[i + 1] = g; p[i + 2] = b; p[i + 3] = 255;
                }
            }
        }
        this._addDamage(x, y, w, h);
    }

    _copy(sx, sy, dx, dy, w, h) {
        const src = this._clip(sx, sy, w, h);
        const dst = this._clip(dx, dy, w, h);
        if (!src || !dst) {
            return;
        }
        w = Math.min(src[2], dst[2]);
        h = Math.min(src[3], dst[3]);
        const stride = this.width * 4;
        const p = this.pixels;
        // Rows are copied in the order that never reads an overwritten row.
        for (let k = 0; k < h; k++) {
            const row = dy > sy ? h - 1 - k : k;
            const from = (sy + row) * stride + sx * 4;
            p.copyWithin((dy + row) * stride + dx * 4, from, from + w * 4);
        }
        this._addDamage(dx, dy, w, h);
    }

    _blit(x, y, w, h, src, stride, bpp) {
        const c = this._clip(x, y, w, h);
        if (!c) {
            return;
        }
        const [, , cw, ch] = c;
        const p = this.pixels;
        for (let row = 0; row < ch; row++) {
            let s = row * stride;
            let d = ((y + row) * this.width + x) * 4;
            if (bpp === 4) {
                p.set(src.subarray(s, s + cw * 4), d);
                for (let i = d + 3, end = d + cw * 4; i < end; i += 4) {
                    p[i] = 255;
                }
            } else {
                for (let i = 0; i < cw; i++, s += 3, d += 4) {
                    p[d] = src[s]; p[d + 1] = src[s + 1]; p[d + 2] = src[s + 2]; p[d + 3] = 255;
                }
            }
        }
        this._addDamage(x, y, cw, ch);
    }

    _addDamage(x, y, w, h) {
        const d = this._damage;
        if (!d) {
            this._damage = { x1: x, y1: y, x2: x + w, y2: y + h };
            return;
        }
        d.x1 = Math.min(d.x1, x);
        d.y1 = Math.min(d.y1, y);
        d.x2 = Math.max(d.x2, x + w);
        d.y2 = Math.max(d.y2, y + h);
    }

    _present() {
        const d = this._damage;
        this._damage = null;
        if (d && this.view) {
            this.view.damage(d.x1, d.y1, d.x2 - d.x1, d.y2 - d.y1);
        }
    }

    /** Frees the canvas and forgets pending work. */
    dispose() {
        this._queue = [];
        this.view?.dispose();
        this.view = null;
    }
}
