// Connects keyboard, mouse and touch on the display's canvas to an RFB
// connection, and keeps scaling and remote resizing in step with the page.
import { Keyboard } from './keyboard.js';
import { Pointer } from './pointer.js';
import { TouchGestures } from './touch.js';

const RESIZE_DELAY_MS = 500;

export class InputBinding {
    constructor(rfb, view) {
        this._rfb = rfb;
        this._view = view;
        const canvas = view.canvas;
        this.keyboard = new Keyboard(canvas);
        this.keyboard.onkeyevent = (keysym, code, down) => rfb.sendKey(keysym, code, down);
        this.pointer = new Pointer(canvas, (cx, cy) => view.toFramebuffer(cx, cy));
        this.pointer.onpointer = (x, y, mask) => rfb.sendPointer(x, y, mask);
        this.touch = new TouchGestures();
        this.touch.onpointer = (x, y, mask) => rfb.sendPointer(x, y, mask);
        this._touchHandler = (e) => this._onTouch(e);
        this._resizeTimer = 0;
        this._observer = null;
    }

    attach() {
        const canvas = this._view.canvas;
        this.keyboard.grab();
        this.pointer.grab();
        for (const type of ['touchstart', 'touchmove', 'touchend', 'touchcancel']) {
            canvas.addEventListener(type, this._touchHandler, { passive: false });
        }
        if (typeof ResizeObserver === 'function') {
            this._observer = new ResizeObserver(() => this._onTargetResize());
            this._observer.observe(this._view.target);
        }
    }

    detach() {
        const canvas = this._view.canvas;
        // Nothing may be sent any more: forget held keys without reporting them.
        this.keyboard.onkeyevent = () => {};
        this.keyboard.ungrab();
        this.pointer.ungrab();
        for (const type of ['touchstart', 'touchmove', 'touchend', 'touchcancel']) {
            canvas.removeEventListener(type, this._touchHandler);
        }
        this._observer?.disconnect();
        clearTimeout(this._resizeTimer);
    }

    releaseKeys() {
        this.keyboard.releaseAll();
    }

    _onTouch(e) {
        e.preventDefault();  // no emulated mouse events, no page scrolling
        const touches = Array.from(e.touches, (t) => this._view.toFramebuffer(t.clientX, t.clientY));
        const type = e.type === 'touchstart' ? 'start' : e.type === 'touchmove' ? 'move' : 'end';
        if (type === 'start') {
            this._view.canvas.focus({ preventScroll: true });
        }
        this.touch.handle(type, touches);
    }

    _onTargetResize() {
        this._view.updateScale();
        clearTimeout(this._resizeTimer);
        this._resizeTimer = setTimeout(() => this._rfb.requestRemoteResize(), RESIZE_DELAY_MS);
    }
}
