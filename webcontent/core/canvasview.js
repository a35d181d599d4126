// The visible side of the framebuffer: a canvas in the target element,
// painted from the pixel array on animation frames, scaled with CSS, and
// showing the server's cursor as the element's CSS cursor.

export class CanvasView {
    constructor(target) {
        this.target = target;
        this.canvas = target.ownerDocument.createElement('canvas');
        this.canvas.tabIndex = -1;
        this.canvas.style.display = 'block';
        this.canvas.style.outline = 'none';
        this.canvas.style.imageRendering = 'auto';
        target.appendChild(this.canvas);
        this._ctx = this.canvas.getContext('2d', { alpha: false });
        this._image = null;
        this._pending = null;
        this._frame = 0;
        this.scaleViewport = false;
        this.scale = 1;
    }

    resize(width, height, pixels) {
        this.canvas.width = width;
        this.canvas.height = height;
        this._image = width && height ? new ImageData(pixels, width, height) : null;
        this._pending = null;
        this.updateScale();
    }

    damage(x, y, w, h) {
        const p = this._pending;
        if (p) {
            const x2 = Math.max(p.x + p.w, x + w);
            const y2 = Math.max(p.y + p.h, y + h);
            p.x = Math.min(p.x, x);
            p.y = Math.min(p.y, y);
            p.w = x2 - p.x;
            p.h = y2 - p.y;
        } else {
            this._pending = { x, y, w, h };
        }
        if (!this._frame) {
            this._frame = requestAnimationFrame(() => this._paint());
        }
    }

    _paint() {
        this._frame = 0;
        const p = this._pending;
        this._pending = null;
        if (p && this._image) {
            this._ctx.putImageData(this._image, 0, 0, p.x, p.y, p.w, p.h);
        }
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
