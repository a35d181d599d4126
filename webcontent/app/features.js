// Two small controls of the bar: the clipboard panel and full screen.

/**
 * The clipboard panel: text from the server appears in the field; text put
 * there is sent when the field is left (or with the Send button).
 * Returns {received(text)} for the server's clipboard events.
 */
export function bindClipboard(refs, getRfb, announce) {
    const { clipText, clipSend, clipClear, clipHint } = refs;
    let lastSent = null;
    const hint = (text) => {
        clipHint.textContent = text;
        announce(text);
    };
    const send = (always) => {
        const rfb = getRfb();
        const text = clipText.value;
        if (!rfb || rfb.state !== 'connected' || rfb.viewOnly || (!always && text === lastSent)) {
            return;
        }
        rfb.clipboardPasteFrom(text);
        lastSent = text;
        hint(`Sent ${text.length} character${text.length === 1 ? '' : 's'} to the remote clipboard`);
    };
    clipText.addEventListener('change', () => send(false));
    clipSend.addEventListener('click', () => send(true));
    clipClear.addEventListener('click', () => {
        clipText.value = '';
        clipText.focus();
    });
    return {
        received(text) {
            clipText.value = text;
            lastSent = text;   // leaving the field does not send it back
            hint(`Received ${text.length} character${text.length === 1 ? '' : 's'} from the remote clipboard`);
        },
    };
}

/** The full screen toggle for root; hidden where the page may not go full screen. */
export function bindFullscreen(root, button) {
    const doc = root.ownerDocument;
    if (!doc.fullscreenEnabled) {
        button.hidden = true;
        return;
    }
    const update = () => {
        const on = doc.fullscreenElement === root;
        button.setAttribute('aria-pressed', String(on));
        button.title = on ? 'Leave full screen' : 'Full screen';
    };
    button.addEventListener('click', () => {
        if (doc.fullscreenElement) {
            doc.exitFullscreen().catch(() => {});
        } else {
            root.requestFullscreen().catch(() => {});
        }
    });
    doc.addEventListener('fullscreenchange', update);
    update();
}
