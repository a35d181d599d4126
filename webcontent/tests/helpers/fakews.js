// A WebSocket stand-in: the test plays the server, pushing bytes in and
// reading what the client sent.

export class FakeWebSocket {
    constructor({ protocol = 'binary' } = {}) {
        this.readyState = 1;
        this.protocol = protocol;
        this.binaryType = 'blob';
        this.sent = [];
        this.onopen = null;
        this.onmessage = null;
        this.onclose = null;
        this.onerror = null;
    }

    send(data) {
        if (typeof data === 'string') {
            this.sent.push(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
        } else {
            this.sent.push(Uint8Array.from(data));
        }
    }

    close(code = 1000, reason = '') {
        if (this.readyState >= 2) {
            return;
        }
        this.readyState = 3;
        this.onclose?.({ code, reason, wasClean: true });
    }

    /** Server -> client bytes, optionally cut into pieces at the given offsets. */
    receive(bytes, cuts = []) {
        let previous = 0;
        for (const cut of [...cuts, bytes.length]) {
            const piece = Uint8Array.from(bytes.slice(previous, cut));
            previous = cut;
            if (this.protocol === 'base64') {
                this.onmessage?.({ data: btoa(String.fromCharCode(...piece)) });
            } else {
                this.onmessage?.({ data: piece.buffer });
            }
        }
    }

    /** The server ends the connection. */
    serverClose(code = 1000, reason = '') {
        this.readyState = 3;
        this.onclose?.({ code, reason, wasClean: code === 1000 });
    }

    /** Everything sent so far as one byte array, then forgotten. */
    takeSent() {
        const size = this.sent.reduce((n, s) => n + s.length, 0);
        const out = new Uint8Array(size);
        let offset = 0;
        for (const s of this.sent) {
            out.set(s, offset);
            offset += s.length;
        }
        this.sent = [];
        return out;
    }
}
