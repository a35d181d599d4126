// Keyboard: turns keydown/keyup on an element into (keysym, code, down).
//
// The keysym sent on press is remembered per physical key and repeated on
// release, so a release always matches its press even when modifiers changed
// in between. Dead keys send nothing: the composed character arrives with the
// next keydown. On Windows, AltGr arrives as a fake ControlLeft followed by
// AltRight at the same instant; the fake Control is dropped. Modifiers the
// browser no longer reports as held (released while the page had no focus)
// are released, and everything held is released when focus goes.
import { keysymFromEvent, XK } from './keysym.js';

const MODIFIERS = [
    { state: 'Shift', keysyms: [XK.Shift_L, XK.Shift_R] },
    { state: 'Control', keysyms: [XK.Control_L, XK.Control_R] },
    { state: 'Alt', keysyms: [XK.Alt_L, XK.Alt_R] },
    { state: 'Meta', keysyms: [XK.Super_L, XK.Super_R, XK.Meta_L, XK.Meta_R] },
];

export class Keyboard {
    /**
     * @param {EventTarget} target element receiving key events
     * @param {{windowsAltGr?: boolean}} options windowsAltGr: apply the fake-Control rule
     */
    constructor(target, { windowsAltGr } = {}) {
        this._target = target;
        this._down = new Map();  // code -> keysym sent on press
        this._pendingCtrl = null;
        this._windowsAltGr = windowsAltGr ??
            (typeof navigator !== 'undefined' && /Win/.test(navigator.platform ?? ''));
        /** Called with (keysym, code, down). */
        this.onkeyevent = () => {};
        this._handlers = {
            keydown: (e) => this.handleKeyDown(e),
            keyup: (e) => this.handleKeyUp(e),
            blur: () => this.releaseAll(),
        };
    }

    grab() {
        for (const [type, fn] of Object.entries(this._handlers)) {
            this._target.addEventListener(type, fn);
        }
    }

    ungrab() {
        for (const [type, fn] of Object.entries(this._handlers)) {
            this._target.removeEventListener(type, fn);
        }
        this.releaseAll();
    }

    handleKeyDown(e) {
        this._resyncModifiers(e);
        const code = e.code || `key:${e.key}`;
        if (e.key === 'Dead' || e.key === 'Process' || e.isComposing) {
            return;
        }
        const keysym = keysymFromEvent(e);
        if (keysym === null) {
            return;
        }
        e.preventDefault?.();
        if (this._windowsAltGr && this._pendingCtrl) {
            const ctrl = this._pendingCtrl;
            clearTimeout(ctrl.timer);
            this._pendingCtrl = null;
            if (!(code === 'AltRight' && Math.abs(e.timeStamp - ctrl.timeStamp) < 50)) {
                this._press('ControlLeft', XK.Control_L);
            }
        } else if (this._windowsAltGr && code === 'ControlLeft' && !this._down.has(code)) {
            // Held back briefly: AltGr sends it just before AltRight.
            const timer = setTimeout(() => {
                this._pendingCtrl = null;
                this._press('ControlLeft', XK.Control_L);
            }, 100);
            this._pendingCtrl = { timeStamp: e.timeStamp, timer };
            return;
        }
        if (this._windowsAltGr && code === 'AltRight' && e.getModifierState?.('AltGraph')) {
            this._press(code, XK.ISO_Level3_Shift);
            return;
        }
        // A repeated press keeps the keysym of the first one.
        this._press(code, this._down.get(code) ?? keysym);
    }

    handleKeyUp(e) {
        const code = e.code || `key:${e.key}`;
        if (this._pendingCtrl && code === 'ControlLeft') {
            clearTimeout(this._pendingCtrl.timer);
            this._pendingCtrl = null;
            this._press(code, XK.Control_L);
        }
        e.preventDefault?.();
        const keysym = this._down.get(code);
        if (keysym === undefined) {
            // Some keys (PrintScreen on some systems) only report their release.
            const only = keysymFromEvent(e);
            if (only !== null && e.key === 'PrintScreen') {
                this.onkeyevent(only, code, true);
                this.onkeyevent(only, code, false);
            }
            return;
        }
        this._down.delete(code);
        this.onkeyevent(keysym, code, false);
    }

    _press(code, keysym) {
        this._down.set(code, keysym);
        this.onkeyevent(keysym, code, true);
    }

    /** Releases modifiers the browser reports as no longer held. */
    _resyncModifiers(e) {
        if (typeof e.getModifierState !== 'function') {
            return;
        }
        for (const { state, keysyms } of MODIFIERS) {
            if (e.getModifierState(state)) {
                continue;
            }
            for (const [code, keysym] of [...this._down]) {
                if (keysyms.includes(keysym) && code !== e.code) {
                    this._down.delete(code);
                    this.onkeyevent(keysym, code, false);
                }
            }
        }
    }

    /** Releases every key we reported as pressed (focus loss, disconnect). */
    releaseAll() {
        clearTimeout(this._pendingCtrl?.timer);
        this._pendingCtrl = null;
        for (const [code, keysym] of [...this._down]) {
            this._down.delete(code);
            this.onkeyevent(keysym, code, false);
        }
    }
}
