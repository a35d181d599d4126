// The visible side of the framebuffer: a canvas in the target element,
// painted from the pixel array on animation frames, scaled with CSS, and
// showing the server's cursor as the element's CSS cursor. Decoded frames
// (JPEG rectangles) are drawn onto it directly by the display.
import { DamageList, intersects } from './rects.js';

export class CanvasView {
    /**
     * @param {Element} target
     * @param {Array<{x,y,w,h}>} ahead the display's rectangles whose newest pixels are on
     *     the canvas only: never painted over from the pixel array
     */
    constructor(target, ahead = []) {
        this.target = target;
        this.canvas = target.ownerDocument.createElement('canvas');
        this.canvas.tabIndex = -1;
        this.canvas.style.display = 'block';
        this.canvas.style.outline = 'none';
        this.canvas.style.imageRendering = 'auto';
        target.appendChild(this.canvas);
        this._ctx = this.canvas.getContext('2d', { alpha: false });
        this._image = null;
        this._pending = new DamageList(ahead);
        this._frame = 0;
        this.scaleViewport = false;
        this.scale = 1;
    }

    resize(width, height, pixels) {
        this.canvas.width = width;
        this.canvas.height = height;
        this._image = width && height ? new ImageData(pixels, width, height) : null;
        this._pending.take();
        this.updateScale();
    }

    damage(x, y, w, h) {
        this._pending.add(x, y, w, h);
        if (!this._frame) {
            this._frame = requestAnimationFrame(() => {
                this._frame = 0;
                this.paintNow();
            });
        }
    }

    pendingIntersects(r) {
        return this._pending.rects.some((p) => intersects(p, r));
    }

    /** Paints the pending damage from the pixel array now. */
    paintNow() {
        const rects = this._pending.take();
        if (this._image) {
            for (const p of rects) {
                this._ctx.putImageData(this._image, 0, 0, p.x, p.y, p.w, p.h);
            }
        }
    }

    /** Draws a decoded image (an <img>, any CanvasImageSource) at x,y, clipped to w x h. */
    drawSource(source, x, y, w, h) {
        this._ctx.drawImage(source, 0, 0, w, h, x, y, w, h);
    }

    /** CopyRect on the canvas itself. */
    copy(sx, sy, dx, dy, w, h) {
        this._ctx.drawImage(this.canvas, sx, sy, w, h, dx, dy, w, h);
    }

    /** The canvas's pixels of a rectangle, R,G,B,A. */
    read(x, y, w, h) {
        return this._ctx.getImageData(x, y, w, h).data;
    }

    /** Fits the canvas into the target (when scaling) keeping its aspect ratio. */
    updateScale() {
        const { width, height } = this.canvas;
        if (!this.scaleViewport || !width || !height) {
            this.scale = 1;
            this.canvas.style.width = '';
            this.canvas.style.height = '';
            return;
        }
        const avail = this.target.getBoundingClientRect();
        const scale = Math.min(avail.width / width, avail.height / height) || 1;
        this.scale = scale;
        this.canvas.style.width = `${Math.floor(width * scale)}px`;
        this.canvas.style.height = `${Math.floor(height * scale)}px`;
    }

    /** Maps a client (CSS pixel) position to framebuffer coordinates. */
    toFramebuffer(clientX, clientY) {
        const rect = this.canvas.getBoundingClientRect();
        const sx = rect.width ? this.canvas.width / rect.width : 1;
        const sy = rect.height ? this.canvas.height / rect.height : 1;
        const x = Math.floor((clientX - rect.left) * sx);
        const y = Math.floor((clientY - rect.top) * sy);
        return {
            x: Math.max(0, Math.min(this.canvas.width - 1, x)),
            y: Math.max(0, Math.min(this.canvas.height - 1, y)),
        };
    }

    setCursor(rgba, w, h, hotX, hotY) {
        if (!w || !h) {
            this.canvas.style.cursor = 'none';
            return;
        }
        const c = this.canvas.ownerDocument.createElement('canvas');
        c.width = w;
        c.height = h;
        c.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
        this.canvas.style.cursor = `url(${c.toDataURL()}) ${hotX} ${hotY}, default`;
    }

    dispose() {
        if (this._frame) {
            cancelAnimationFrame(this._frame);
        }
        this.canvas.remove();
    }
}
