// The control bar and its drop-down panels. While connected the bar hides
// itself when you work on the desktop (or after a few idle seconds) and
// comes back from the handle at the top, or with F8 from the keyboard.
// Escape closes a panel, then the bar, and gives the keys back to the desktop.

const HIDE_AFTER_MS = 2500;
const TOGGLE_KEY = 'F8';

export class ControlBar {
    /**
     * @param {object} ui {root, refs, panels, panelButtons} from buildUI
     * @param {() => void} focusDesktop gives keyboard focus to the remote desktop
     */
    constructor({ root, refs, panels, panelButtons }, focusDesktop) {
        this._root = root;
        this._bar = refs.bar;
        this._handle = refs.handle;
        this._panels = panels;
        this._buttons = panelButtons;
        this._focusDesktop = focusDesktop;
        this._autoHide = false;
        this._timer = 0;
        this._hover = false;
        this._open = null;
        this._listeners = [];
        this._visible = true;
        this._render();

        const on = (el, type, fn, opts) => {
            el.addEventListener(type, fn, opts);
            this._listeners.push(() => el.removeEventListener(type, fn, opts));
        };
        for (const [name, button] of Object.entries(panelButtons)) {
            on(button, 'click', (e) => this.togglePanel(name, { focus: e.detail === 0 }));
        }
        on(this._handle, 'click', (e) => this._onHandleClick(e));
        on(this._handle, 'pointerenter', (e) => {
            if (e.pointerType === 'mouse' && !this._visible) {
                this._hoverShownAt = Date.now();
                this.show();
            }
        });
        for (const el of [this._bar, this._handle, ...Object.values(panels)]) {
            on(el, 'pointerenter', () => this._engage(true));
            on(el, 'pointerleave', () => this._engage(false));
            on(el, 'focusout', () => this._scheduleHide());
            on(el, 'keydown', (e) => this._onKey(e));
        }
        // Capture phase: seen before the desktop's own key handling.
        on(root, 'keydown', (e) => this._onToggleKey(e), true);
        on(root, 'keyup', (e) => e.key === TOGGLE_KEY && this._swallow(e), true);
    }

    get visible() {
        return this._visible;
    }

    get openPanel() {
        return this._open;
    }

    /** While true the bar hides itself; while false it stays (not connected). */
    set autoHide(value) {
        this._autoHide = Boolean(value);
        if (this._autoHide) {
            this._scheduleHide();
        } else {
            this.show();
        }
    }

    show({ focus = false } = {}) {
        clearTimeout(this._timer);
        this._visible = true;
        this._render();
        if (focus) {
            const first = [...this._bar.querySelectorAll('button')].find((b) => b.offsetParent !== null);
            first?.focus();
        }
        this._scheduleHide();
    }

    hide({ focusDesktop = false } = {}) {
        clearTimeout(this._timer);
        this.closePanels();
        if (this._autoHide) {
            this._visible = false;
            this._render();
        }
        if (focusDesktop) {
            this._focusDesktop();
        }
    }

    /** The user works on the desktop: panels close, the bar gets out of the way. */
    desktopActivity() {
        if (this._open || (this._autoHide && this._visible)) {
            this.hide();
        }
    }

    togglePanel(name, { focus = false } = {}) {
        if (this._open === name) {
            this.closePanels();
            return;
        }
        this.closePanels();
        this._open = name;
        this._panels[name].hidden = false;
        this._buttons[name].setAttribute('aria-expanded', 'true');
        this.show();
        if (focus) {
            this._panels[name].querySelector('button, input, select, textarea')?.focus();
        }
    }

    closePanels({ restoreFocus = false } = {}) {
        const name = this._open;
        if (!name) {
            return;
        }
        this._open = null;
        this._panels[name].hidden = true;
        this._buttons[name].setAttribute('aria-expanded', 'false');
        if (restoreFocus) {
            this._buttons[name].focus();
        }
        this._scheduleHide();
    }

    dispose() {
        clearTimeout(this._timer);
        this._listeners.forEach((off) => off());
        this._listeners = [];
    }

    _render() {
        this._root.dataset.bar = this._visible ? 'shown' : 'hidden';
        this._handle.setAttribute('aria-expanded', String(this._visible));
        const label = this._visible ? 'Hide the controls' : 'Show the controls';
        this._handle.setAttribute('aria-label', label);
        this._handle.title = `${label} (${TOGGLE_KEY})`;
    }

    _onHandleClick(e) {
        // A click right after the pointer's arrival showed the bar is not a request to hide it.
        const justShown = Date.now() - (this._hoverShownAt ?? 0) < 800;
        if (this._visible && !justShown) {
            this.hide({ focusDesktop: true });
        } else {
            this.show({ focus: e.detail === 0 });
        }
    }

    _engage(hover) {
        this._hover = hover;
        if (hover) {
            clearTimeout(this._timer);
        } else {
            this._scheduleHide();
        }
    }

    _scheduleHide() {
        clearTimeout(this._timer);
        if (!this._autoHide || !this._visible) {
            return;
        }
        this._timer = setTimeout(() => {
            const focusInside = [this._bar, this._handle, ...Object.values(this._panels)]
                .some((el) => el.contains(this._root.ownerDocument.activeElement));
            if (!this._hover && !this._open && !focusInside) {
                this.hide();
            }
        }, HIDE_AFTER_MS);
    }

    _onKey(e) {
        if (e.key !== 'Escape') {
            return;
        }
        e.preventDefault();
        e.stopPropagation();
        if (this._open) {
            this.closePanels({ restoreFocus: true });
        } else {
            this.hide({ focusDesktop: true });
        }
    }

    _onToggleKey(e) {
        if (e.key !== TOGGLE_KEY || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) {
            return;
        }
        this._swallow(e);
        const inDesktop = !this._bar.contains(e.target) &&
            !Object.values(this._panels).some((p) => p.contains(e.target));
        if (this._visible && !inDesktop) {
            this.hide({ focusDesktop: true });
        } else {
            this.show({ focus: true });
        }
    }

    _swallow(e) {
        e.preventDefault();
        e.stopPropagation();
    }
}
