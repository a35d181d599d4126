// A small dot in place of the remote cursor when the server makes it
// invisible (an empty or fully transparent cursor), so the pointer is never
// lost. Watches the desktop canvas's style, where the engine puts the cursor.
let dotUrl = null;

function dotCursorCss(doc) {
    if (!dotUrl) {
        const c = doc.createElement('canvas');
        c.width = 7;
        c.height = 7;
        const g = c.getContext('2d');
        g.fillStyle = '#000';
        g.beginPath();
        g.arc(3.5, 3.5, 3.5, 0, Math.PI * 2);
        g.fill();
        g.fillStyle = '#fff';
        g.beginPath();
        g.arc(3.5, 3.5, 2, 0, Math.PI * 2);
        g.fill();
        dotUrl = c.toDataURL();
    }
    return `url(${dotUrl}) 3 3, default`;
}

/** True for a cursor the server sent that shows nothing. */
export function invisibleCursor(cursor) {
    if (!cursor) {
        return false;
    }
    if (!cursor.width || !cursor.height) {
        return true;
    }
    for (let i = 3; i < cursor.rgba.length; i += 4) {
        if (cursor.rgba[i]) {
            return false;
        }
    }
    return true;
}

export class DotCursor {
    constructor() {
        this._enabled = false;
        this._rfb = null;
        this._observer = null;
        this._checked = null;
        this._invisible = false;
    }

    set enabled(value) {
        this._enabled = Boolean(value);
        this._apply(true);
    }

    /** True while the dot is shown. */
    get showing() {
        const canvas = this._rfb?.display.view?.canvas;
        return Boolean(canvas && dotUrl && canvas.style.cursor.includes(dotUrl));
    }

    attach(rfb) {
        this.detach();
        this._rfb = rfb;
        const canvas = rfb.display.view?.canvas;
        if (canvas && typeof MutationObserver === 'function') {
            this._observer = new MutationObserver(() => this._apply(false));
            this._observer.observe(canvas, { attributes: true, attributeFilter: ['style'] });
        }
        this._apply(false);
    }

    detach() {
        this._observer?.disconnect();
        this._observer = null;
        this._rfb = null;
    }

    _apply(settingChanged) {
        const view = this._rfb?.display.view;
        if (!view) {
            return;
        }
        const cursor = this._rfb.display.cursor;
        if (cursor !== this._checked) {
            this._checked = cursor;
            this._invisible = invisibleCursor(cursor);
        }
        const dot = dotCursorCss(view.canvas.ownerDocument);
        // The style reads back normalised (quoted), so the dot is recognised by its data URL.
        const showing = view.canvas.style.cursor.includes(dotUrl);
        if (this._enabled && this._invisible) {
            if (!showing) {
                view.canvas.style.cursor = dot;
            }
        } else if (settingChanged && cursor && showing) {
            view.setCursor(cursor.rgba, cursor.width, cursor.height, cursor.hotX, cursor.hotY);
        }
    }
}
