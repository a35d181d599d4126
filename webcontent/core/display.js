// The display: the framebuffer (framebuffer.js) that decoders write into,
// shown on a canvas when there is one.
//
// Operations are applied in arrival order. A compressed image is decoded
// asynchronously; until it is ready, the operations behind it wait in a
// queue (with their own copy of the pixels), so later rectangles never
// overtake it. Damage is collected per FramebufferUpdate and painted on the
// next animation frame. Without a canvas (tests, workers) the same code runs
// headless and `pixels` is the result.
//
// With a canvas, JPEG rectangles skip the pixel array: the decoded frame is
// drawn straight onto the canvas, and its rectangle is remembered as "ahead"
// (the canvas holds its newest pixels, the array older ones). Damage is never
// merged across an ahead rectangle, writes into one shrink it, a copy out of
// one is done on the canvas too, and `syncPixels()` reads them back when the
// array must be whole (a resize keeping the picture, a caller reading it).
import { Log } from './log.js';
import { browserImageDecoder, browserImageSource } from './imagedecoder.js';
import { CanvasView } from './canvasview.js';
import { DamageList, covers, intersection, intersects, subtract } from './rects.js';
import { Framebuffer } from './framebuffer.js';

/** Ahead rectangles kept before they are read back into the array at once. */
const MAX_AHEAD = 256;
/** Damage rectangles of one update before they are handed to the view early. */
const MAX_DAMAGE = 256;

export class Display {
    /**
     * @param {Element|null} target element to show the canvas in, or null for headless
     * @param {{imageDecoder?: Function}} options imageDecoder: bytes to RGBA pixels (a test
     *     seam; given one, every image goes through the pixel array)
     */
    constructor(target, { imageDecoder } = {}) {
        this._fb = new Framebuffer();
        this._queue = [];
        this._ahead = [];
        this._damage = new DamageList(this._ahead);
        this._imageDecoder = imageDecoder ?? browserImageDecoder;
        this.cursor = null;
        /** Called when every queued operation has been applied. */
        this.ondrain = () => {};
        /** Called when an image could not be decoded. */
        this.onerror = () => {};
        this.view = target ? new CanvasView(target, this._ahead) : null;
        // JPEG drawn onto the canvas; null: through the pixel array (headless, a test decoder, or refused).
        this._imageSource = this.view && !imageDecoder ? browserImageSource : null;
    }

    get width() {
        return this._fb.width;
    }

    get height() {
        return this._fb.height;
    }

    /** The pixel array, R,G,B,A; with a canvas, whole only after `syncPixels()`. */
    get pixels() {
        return this._fb.pixels;
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
        this._run(() => this._blit(x, y, w, h, src, stride, 4, false));
    }

    /**
     * Pixels as R,G,B bytes, w*3 a row.
     * @param {boolean} owned the caller hands `src` over (no copy is taken when queued)
     */
    blitRGB(x, y, w, h, src, owned = false) {
        if (this._queue.length && !owned) {
            src = src.slice(0, w * h * 3);
        }
        this._run(() => this._blit(x, y, w, h, src, w * 3, 3, false));
    }

    /** Pixels as R,G,B,A bytes (images, cursors): alpha is ignored. */
    blitRGBA(x, y, w, h, src) {
        this.blitRGBX(x, y, w, h, src);
    }

    /**
     * Opaque pixels as 32-bit words in the framebuffer's own byte order
     * (R,G,B,255 in memory), w a row. Not copied: while the display is not
     * idle `src` must stay unchanged (pass a new array).
     */
    blitWords(x, y, w, h, src) {
        this._run(() => this._blit(x, y, w, h, new Uint8Array(src.buffer, src.byteOffset, w * h * 4), w * 4, 4, true));
    }

    /** A JPEG or PNG rectangle; bytes must be owned by the caller (a copy). */
    drawImage(x, y, w, h, mime, bytes) {
        const op = { ready: false, apply: null };
        this._queue.push(op);
        this._decode(bytes, mime).then((img) => {
            if (this._disposed) {
                img.close?.();
                return;
            }
            const cw = Math.min(w, img.width);
            const ch = Math.min(h, img.height);
            op.apply = img.source
                ? () => this._drawSource(x, y, cw, ch, img)
                : () => this._blit(x, y, cw, ch, img.data, img.width * 4, 4, img.opaque === true);
        }, (e) => {
            Log.error('image decoding failed', e);
            op.apply = () => this.onerror(new Error(`${mime} rectangle could not be decoded`));
        }).finally(() => {
            op.ready = true;
            this._drain();
        });
    }

    /** Decodes for the canvas ({source}) when it can, else into pixels ({data}). */
    async _decode(bytes, mime) {
        if (this._imageSource && mime === 'image/jpeg') {
            try {
                return await this._imageSource(bytes, mime);
            } catch (e) {
                // The image may be bad, or the page may forbid data: images
                // (Content-Security-Policy img-src); the other decoder tells.
                const img = await this._imageDecoder(bytes, mime);
                Log.warn('JPEG rectangles now go through the pixel array: the browser would not decode them as images'
                    + ' (does a Content-Security-Policy leave out img-src data:?)', e);
                this._imageSource = null;
                return img;
            }
        }
        return this._imageDecoder(bytes, mime);
    }

    /** End of a FramebufferUpdate: paint what changed on the next frame. */
    flip() {
        this._run(() => this._handOverDamage());
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
        this.syncPixels();
        this._fb.resize(width, height);
        this._damage.take();
        this.view?.resize(width, height, this._fb.pixels);
        this._addDamage(0, 0, width, height);
    }

    /**
     * Makes the pixel array whole: the canvas's newest pixels of every ahead
     * rectangle are read back. Call before reading `pixels` when there is a canvas.
     */
    syncPixels() {
        if (!this._ahead.length || !this.view) {
            this._ahead.length = 0;
            return;
        }
        this._handOverDamage();
        this.view.paintNow();
        for (const r of this._ahead) {
            this._fb.put(r.x, r.y, r.w, r.h, this.view.read(r.x, r.y, r.w, r.h));
        }
        this._ahead.length = 0;
    }

    /** The array is about to get the newest pixels of x,y,w,h: ahead rectangles shrink. */
    _written(x, y, w, h) {
        const ahead = this._ahead;
        if (!ahead.length) {
            return;
        }
        const cut = { x, y, w, h };
        for (let i = ahead.length - 1; i >= 0; i--) {
            const r = ahead[i];
            if (intersects(r, cut)) {
                ahead.splice(i, 1, ...(covers(cut, r) ? [] : subtract(r, cut)));
            }
        }
        if (ahead.length > MAX_AHEAD) {
            this.syncPixels();
        }
    }

    /** A decoded frame drawn onto the canvas; its rectangle is now ahead of the array. */
    _drawSource(x, y, w, h, img) {
        try {
            const c = this._fb.clip(x, y, w, h);
            if (!c) {
                return;
            }
            [, , w, h] = c;
            const r = { x, y, w, h };
            // What the array holds under it must reach the canvas first.
            this._handOverDamage();
            if (this.view.pendingIntersects(r)) {
                this.view.paintNow();
            }
            this._written(x, y, w, h);
            this.view.drawSource(img.source, x, y, w, h);
            this._ahead.push(r);
        } finally {
            img.close();
        }
    }

    _fill(x, y, w, h, r, g, b) {
        const c = this._fb.clip(x, y, w, h);
        if (c) {
            [x, y, w, h] = c;
            this._written(x, y, w, h);
            this._fb.fill(x, y, w, h, r, g, b);
            this._addDamage(x, y, w, h);
        }
    }

    _copy(sx, sy, dx, dy, w, h) {
        const src = this._fb.clip(sx, sy, w, h);
        const dst = this._fb.clip(dx, dy, w, h);
        if (!src || !dst) {
            return;
        }
        w = Math.min(src[2], dst[2]);
        h = Math.min(src[3], dst[3]);
        const from = { x: sx, y: sy, w, h };
        const aheadInSource = this._ahead.map((r) => intersection(r, from)).filter(Boolean);
        if (aheadInSource.length) {
            // Part of the source is only on the canvas: the copy is made there
            // too, from a canvas brought up to date before the array changes.
            this._handOverDamage();
            this.view.paintNow();
            this.view.copy(sx, sy, dx, dy, w, h);
        }
        this._fb.copy(sx, sy, dx, dy, w, h);
        this._written(dx, dy, w, h);
        if (!aheadInSource.length) {
            this._addDamage(dx, dy, w, h);
            return;
        }
        // The canvas has the whole destination; the ahead parts moved with it.
        for (const r of aheadInSource) {
            this._ahead.push({ x: r.x + dx - sx, y: r.y + dy - sy, w: r.w, h: r.h });
        }
        if (this._ahead.length > MAX_AHEAD) {
            this.syncPixels();
        }
    }

    _blit(x, y, w, h, src, stride, bpp, opaque) {
        const c = this._fb.clip(x, y, w, h);
        if (c) {
            [x, y, w, h] = c;
            this._written(x, y, w, h);
            this._fb.blit(x, y, w, h, src, stride, bpp, opaque);
            this._addDamage(x, y, w, h);
        }
    }

    _addDamage(x, y, w, h) {
        if (!this.view) {
            return;
        }
        this._damage.add(x, y, w, h);
        if (this._damage.rects.length > MAX_DAMAGE) {
            this._handOverDamage();
        }
    }

    _handOverDamage() {
        for (const r of this._damage.take()) {
            this.view.damage(r.x, r.y, r.w, r.h);
        }
    }

    /** Frees the canvas and forgets pending work. */
    dispose() {
        this._disposed = true;
        this._queue = [];
        this.view?.dispose();
        this.view = null;
    }
}
