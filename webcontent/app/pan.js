// Drag to pan: while on, dragging with the mouse or a finger scrolls a
// desktop larger than the window instead of reaching the remote side.
const BLOCKED = ['mousedown', 'mouseup', 'mousemove', 'wheel', 'contextmenu',
    'touchstart', 'touchmove', 'touchend', 'touchcancel'];

export class Panner {
    /** @param {HTMLElement} screen the scrolling element that holds the desktop */
    constructor(screen) {
        this._screen = screen;
        this._enabled = false;
        this._drag = null;
        this._handlers = {
            pointerdown: (e) => this._down(e),
            pointermove: (e) => this._move(e),
            pointerup: (e) => this._up(e),
            pointercancel: (e) => this._up(e),
        };
        this._block = (e) => {
            if (this._enabled) {
                e.stopPropagation();   // the desktop never sees these events
                if (e.cancelable && e.type !== 'wheel') {
                    e.preventDefault();
                }
            }
        };
        for (const [type, fn] of Object.entries(this._handlers)) {
            screen.addEventListener(type, fn, true);
        }
        for (const type of BLOCKED) {
            screen.addEventListener(type, this._block, { capture: true, passive: false });
        }
    }

    get enabled() {
        return this._enabled;
    }

    set enabled(value) {
        this._enabled = Boolean(value);
        this._drag = null;
    }

    /** True when the desktop does not fit the screen element. */
    get needed() {
        const s = this._screen;
        return s.scrollWidth > s.clientWidth + 1 || s.scrollHeight > s.clientHeight + 1;
    }

    _down(e) {
        if (!this._enabled || (e.pointerType === 'mouse' && e.button !== 0)) {
            return;
        }
        e.stopPropagation();
        this._drag = { id: e.pointerId, x: e.clientX, y: e.clientY, left: this._screen.scrollLeft, top: this._screen.scrollTop };
        this._screen.setPointerCapture?.(e.pointerId);
    }

    _move(e) {
        if (!this._drag || e.pointerId !== this._drag.id) {
            return;
        }
        e.stopPropagation();
        this._screen.scrollLeft = this._drag.left - (e.clientX - this._drag.x);
        this._screen.scrollTop = this._drag.top - (e.clientY - this._drag.y);
    }

    _up(e) {
        if (this._drag && e.pointerId === this._drag.id) {
            this._screen.releasePointerCapture?.(e.pointerId);
            this._drag = null;
        }
    }
}
