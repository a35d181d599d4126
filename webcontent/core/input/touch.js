// Touch gestures in framebuffer coordinates: a tap is a left click, a long
// press a right click, a one-finger drag a left-button drag and a two-finger
// drag scrolls (wheel buttons 4-7, one step per 50 pixels of movement).
import { WHEEL_DOWN, WHEEL_LEFT, WHEEL_RIGHT, WHEEL_UP } from './pointer.js';

const LONG_PRESS_MS = 500;
const MOVE_THRESHOLD = 10;
const SCROLL_STEP = 50;
const LEFT = 1;
const RIGHT = 4;

export class TouchGestures {
    /** @param {{setTimeout?:Function, clearTimeout?:Function}} timers injectable for tests */
    constructor(timers = {}) {
        this._setTimeout = timers.setTimeout ?? ((f, ms) => setTimeout(f, ms));
        this._clearTimeout = timers.clearTimeout ?? ((t) => clearTimeout(t));
        this._state = 'idle';
        this._timer = null;
        this._start = null;
        this._scroll = null;
        this._last = null;
        /** Called with (x, y, buttonMask). */
        this.onpointer = () => {};
    }

    /** @param {'start'|'move'|'end'} type @param {{x:number,y:number}[]} touches still down */
    handle(type, touches) {
        if (type === 'start') {
            this._onStart(touches);
        } else if (type === 'move') {
            this._onMove(touches);
        } else {
            this._onEnd(touches);
        }
    }

    _cancelTimer() {
        if (this._timer !== null) {
            this._clearTimeout(this._timer);
            this._timer = null;
        }
    }

    _onStart(touches) {
        if (touches.length === 1 && this._state === 'idle') {
            this._state = 'pressed';
            this._start = { ...touches[0] };
            this._timer = this._setTimeout(() => this._longPress(), LONG_PRESS_MS);
        } else if (touches.length === 2 && (this._state === 'pressed' || this._state === 'idle')) {
            this._cancelTimer();
            this._state = 'scrolling';
            const mid = midpoint(touches);
            this._scroll = { origin: mid, last: mid, dx: 0, dy: 0 };
        }
    }

    _longPress() {
        this._timer = null;
        if (this._state !== 'pressed') {
            return;
        }
        this._state = 'done';
        const { x, y } = this._start;
        this.onpointer(x, y, 0);
        this.onpointer(x, y, RIGHT);
        this.onpointer(x, y, 0);
    }

    _onMove(touches) {
        if (this._state === 'pressed' && touches.length === 1) {
            const t = touches[0];
            if (Math.hypot(t.x - this._start.x, t.y - this._start.y) > MOVE_THRESHOLD) {
                this._cancelTimer();
                this._state = 'dragging';
                this.onpointer(this._start.x, this._start.y, 0);
                this.onpointer(this._start.x, this._start.y, LEFT);
                this.onpointer(t.x, t.y, LEFT);
                this._last = { ...t };
            }
        } else if (this._state === 'dragging' && touches.length >= 1) {
            this._last = { ...touches[0] };
            this.onpointer(touches[0].x, touches[0].y, LEFT);
        } else if (this._state === 'scrolling' && touches.length === 2) {
            this._scrollBy(midpoint(touches));
        }
    }

    _scrollBy(mid) {
        const s = this._scroll;
        s.dx += mid.x - s.last.x;
        s.dy += mid.y - s.last.y;
        s.last = mid;
        const { x, y } = s.origin;
        // Fingers moving up scroll the content down, as on a phone.
        for (const [axis, towardsNegative, towardsPositive] of [['dy', WHEEL_DOWN, WHEEL_UP], ['dx', WHEEL_RIGHT, WHEEL_LEFT]]) {
            let steps = 0;
            while (Math.abs(s[axis]) >= SCROLL_STEP && steps++ < 20) {
                const bit = s[axis] < 0 ? towardsNegative : towardsPositive;
                this.onpointer(x, y, bit);
                this.onpointer(x, y, 0);
                s[axis] -= Math.sign(s[axis]) * SCROLL_STEP;
            }
        }
    }

    _onEnd(touches) {
        if (touches.length > 0) {
            if (this._state === 'scrolling' && touches.length < 2) {
                this._state = 'done';
            }
            return;
        }
        this._cancelTimer();
        if (this._state === 'pressed') {
            const { x, y } = this._start;
            this.onpointer(x, y, 0);
            this.onpointer(x, y, LEFT);
            this.onpointer(x, y, 0);
        } else if (this._state === 'dragging') {
            this.onpointer(this._last.x, this._last.y, 0);
        }
        this._state = 'idle';
        this._start = null;
        this._scroll = null;
    }
}

function midpoint(touches) {
    return { x: (touches[0].x + touches[1].x) / 2, y: (touches[0].y + touches[1].y) / 2 };
}
