// Keys a browser keeps for itself or a device lacks, sent as real presses
// and releases: Ctrl, Alt and Windows are toggles (held until pressed again),
// Tab, Esc and F8 (the control bar's own key) a press and release,
// Ctrl-Alt-Del the whole sequence.
import { XK } from '../core/input/keysym.js';

const KEYS = {
    ctrl: { keysym: XK.Control_L, code: 'ControlLeft', toggle: true },
    alt: { keysym: XK.Alt_L, code: 'AltLeft', toggle: true },
    win: { keysym: XK.Super_L, code: 'MetaLeft', toggle: true },
    tab: { keysym: XK.Tab, code: 'Tab' },
    esc: { keysym: XK.Escape, code: 'Escape' },
    f8: { keysym: XK.F1 + 7, code: 'F8' },
};

export class ExtraKeys {
    /**
     * @param {Element} panel element holding the [data-key] buttons
     * @param {() => object|null} getRfb the current connection
     */
    constructor(panel, getRfb) {
        this._getRfb = getRfb;
        this._held = new Set();
        this._buttons = new Map([...panel.querySelectorAll('[data-key]')].map((b) => [b.dataset.key, b]));
        this._onClick = (e) => {
            const button = e.target.closest('[data-key]');
            if (button) {
                this.press(button.dataset.key);
                // A click or tap gives the keys back to the desktop; keyboard users stay in the panel.
                if (e.detail > 0) {
                    getRfb()?.focus();
                }
            }
        };
        panel.addEventListener('click', this._onClick);
    }

    /** Presses the key named `name` (ctrl, alt, win, tab, esc, f8, cad). */
    press(name) {
        const rfb = this._getRfb();
        if (!rfb || rfb.state !== 'connected') {
            return;
        }
        if (name === 'cad') {
            rfb.sendCtrlAltDel();
            return;
        }
        const key = KEYS[name];
        if (!key) {
            return;
        }
        if (!key.toggle) {
            rfb.sendKey(key.keysym, key.code, true);
            rfb.sendKey(key.keysym, key.code, false);
        } else if (this._held.has(name)) {
            rfb.sendKey(key.keysym, key.code, false);
            this._set(name, false);
        } else {
            rfb.sendKey(key.keysym, key.code, true);
            this._set(name, true);
        }
    }

    /** Releases held keys (sendToServer false: the connection is gone, just forget them). */
    releaseAll(sendToServer = true) {
        const rfb = this._getRfb();
        for (const name of [...this._held]) {
            if (sendToServer && rfb?.state === 'connected') {
                rfb.sendKey(KEYS[name].keysym, KEYS[name].code, false);
            }
            this._set(name, false);
        }
    }

    set disabled(value) {
        for (const button of this._buttons.values()) {
            button.disabled = Boolean(value);
        }
    }

    _set(name, held) {
        if (held) {
            this._held.add(name);
        } else {
            this._held.delete(name);
        }
        this._buttons.get(name)?.setAttribute('aria-pressed', String(held));
    }
}
