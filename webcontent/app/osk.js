// The on-screen keyboard of touch devices: a hidden text field that, once
// focused, brings the device keyboard up. Keys with a known meaning go
// through the engine's Keyboard; what the keyboard types as text (phones
// often report no key at all) is sent character by character.
import { Keyboard } from '../core/input/keyboard.js';
import { keysymFromCodePoint, XK } from '../core/input/keysym.js';

const BASELINE = '_';   // something to delete, so Backspace is seen

export class OnScreenKeyboard {
    /**
     * @param {HTMLTextAreaElement} field
     * @param {() => object|null} getRfb the current connection
     */
    constructor(field, getRfb) {
        this._field = field;
        this._getRfb = getRfb;
        this._keyboard = new Keyboard(field);
        this._keyboard.onkeyevent = (keysym, code, down) => getRfb()?.sendKey(keysym, code, down);
        this._keyboard.grab();
        field.value = BASELINE;
        field.addEventListener('input', (e) => this._onInput(e));
    }

    /** True on devices whose main pointer is a finger. */
    static get wanted() {
        return typeof matchMedia === 'function' && matchMedia('(any-pointer: coarse)').matches;
    }

    show() {
        this._field.value = BASELINE;
        this._field.focus({ preventScroll: true });
    }

    hide() {
        this._field.blur();
    }

    _tap(keysym) {
        this._getRfb()?.sendKey(keysym, '', true);
        this._getRfb()?.sendKey(keysym, '', false);
    }

    _onInput(e) {
        const value = this._field.value;
        if (e.inputType === 'deleteContentBackward' || value.length < BASELINE.length) {
            this._tap(XK.BackSpace);
        } else {
            for (const ch of value.startsWith(BASELINE) ? value.slice(BASELINE.length) : value) {
                this._tap(ch === '\n' ? XK.Return : keysymFromCodePoint(ch.codePointAt(0)));
            }
        }
        this._field.value = BASELINE;
    }
}
