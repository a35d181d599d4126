// Mouse and wheel: buttons 1-3 in bits 0-2 of the RFB button mask; each wheel
// step is a press and release of button 4 (up), 5 (down), 6 (left) or 7 (right).

const BUTTON_BITS = [1 << 0, 1 << 1, 1 << 2];  // left, middle, right
const WHEEL_STEP = 50;                         // pixels of delta per step
const LINE_HEIGHT = 19;
const PAGE_HEIGHT = 400;
export const WHEEL_UP = 1 << 3;
export const WHEEL_DOWN = 1 << 4;
export const WHEEL_LEFT = 1 << 5;
export const WHEEL_RIGHT = 1 << 6;

export class Pointer {
    /**
     * @param {Element} target element receiving mouse events
     * @param {(clientX:number, clientY:number) => {x:number, y:number}} toFramebuffer
     */
    constructor(target, toFramebuffer) {
        this._target = target;
        this._toFramebuffer = toFramebuffer;
        this._mask = 0;
        this._pos = { x: 0, y: 0 };
        this._wheel = { x: 0, y: 0 };
        /** Called with (x, y, buttonMask). */
        this.onpointer = () => {};
        this._handlers = {
            mousedown: (e) => this._button(e, true),
            mouseup: (e) => this._button(e, false),
            mousemove: (e) => this._move(e),
            wheel: (e) => this.handleWheel(e),
            contextmenu: (e) => e.preventDefault(),
        };
    }

    grab() {
        for (const [type, fn] of Object.entries(this._handlers)) {
            this._target.addEventListener(type, fn, { passive: false });
        }
    }

    ungrab() {
        for (const [type, fn] of Object.entries(this._handlers)) {
            this._target.removeEventListener(type, fn);
        }
    }

    _position(e) {
        this._pos = this._toFramebuffer(e.clientX, e.clientY);
        return this._pos;
    }

    _button(e, down) {
        const bit = BUTTON_BITS[e.button];
        if (bit === undefined) {
            return;
        }
        e.preventDefault();
        if (down) {
            this._target.focus?.({ preventScroll: true });
            this._mask |= bit;
        } else {
            this._mask &= ~bit;
        }
        const { x, y } = this._position(e);
        this.onpointer(x, y, this._mask);
    }

    _move(e) {
        const { x, y } = this._position(e);
        this.onpointer(x, y, this._mask);
    }

    /** Accumulates wheel deltas and sends one button click per step. */
    handleWheel(e) {
        e.preventDefault?.();
        const unit = e.deltaMode === 1 ? LINE_HEIGHT : e.deltaMode === 2 ? PAGE_HEIGHT : 1;
        const { x, y } = this._position(e);
        this._wheel.x += e.deltaX * unit;
        this._wheel.y += e.deltaY * unit;
        // A small delta (a trackpad's) still counts as one step once it starts.
        for (const [axis, negative, positive] of [['y', WHEEL_UP, WHEEL_DOWN], ['x', WHEEL_LEFT, WHEEL_RIGHT]]) {
            let steps = 0;
            while (Math.abs(this._wheel[axis]) >= WHEEL_STEP && steps < 20) {
                const bit = this._wheel[axis] < 0 ? negative : positive;
                this.onpointer(x, y, this._mask | bit);
                this.onpointer(x, y, this._mask);
                this._wheel[axis] -= Math.sign(this._wheel[axis]) * WHEEL_STEP;
                steps++;
            }
            if (steps === 20) {
                this._wheel[axis] = 0;
            }
        }
    }
}
