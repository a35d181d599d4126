// Clipboard in both directions: Latin-1 Cut Text, or UTF-8 through the
// Extended Clipboard once the server has announced its caps.
//
// Server to client: a notify of text is answered with a request; the provide
// that follows is delivered. Client to server: pasted text is announced with
// notify when the server takes it, and handed over on its request (or sent
// unsolicited with provide when the server has no notify).
import { Log } from './log.js';
import { clientCutText } from './clientmessages.js';
import {
    clipboardAction, clipboardFormat, parseExtendedClipboard, parseCaps, parseProvidedText,
    capsMessage, requestMessage, notifyMessage, provideMessage,
} from './clipboard.js';

export class ClipboardChannel {
    /**
     * @param {(bytes: Uint8Array) => void} send sends a client message
     * @param {(text: string) => void} deliver hands server text to the page
     */
    constructor(send, deliver) {
        this._send = send;
        this._deliver = deliver;
        this.extended = false;
        this.serverActions = 0;
        this.serverSizes = {};
        this._text = null;
    }

    /** One Extended Clipboard message from the server (flags + payload). */
    receive(bytes) {
        const { actions, formats, payload } = parseExtendedClipboard(bytes);
        if (actions & clipboardAction.caps) {
            this.extended = true;
            this.serverActions = actions;
            this.serverSizes = parseCaps(formats, payload);
            this._send(capsMessage());
        } else if (actions & clipboardAction.request) {
            if (formats & clipboardFormat.text && this._text !== null) {
                this._send(provideMessage(this._text));
            }
        } else if (actions & clipboardAction.peek) {
            this._send(notifyMessage(this._text !== null));
        } else if (actions & clipboardAction.notify) {
            if (formats & clipboardFormat.text) {
                this._send(requestMessage());
            }
        } else if (actions & clipboardAction.provide) {
            const text = parseProvidedText(formats, payload);
            if (text !== null) {
                this._deliver(text);
            }
        } else {
            Log.debug('extended clipboard message without a known action', actions);
        }
    }

    /** Local text to offer to the server. */
    paste(text) {
        this._text = text;
        if (!this.extended) {
            this._send(clientCutText(text));
        } else if (this.serverActions & clipboardAction.notify) {
            this._send(notifyMessage(true));
        } else if (this.serverActions & clipboardAction.provide &&
            new TextEncoder().encode(text).length < (this.serverSizes[clipboardFormat.text] ?? 0)) {
            this._send(provideMessage(text));
        }
    }
}
