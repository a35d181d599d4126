// Receive queue: bytes from the transport waiting to be parsed.
//
// Readers check `has(n)` before reading; nothing here blocks or throws on
// short data. `bytes(n)` hands out a view into the queue without copying; a
// view stays valid until the next `push`, which is all a synchronous decoder
// needs. A message that arrives while the queue is empty is adopted as the
// buffer without a copy; leftovers are compacted only when space runs out.

const MIN_CAPACITY = 64 * 1024;

export class ReceiveQueue {
    constructor() {
        this._buf = new Uint8Array(MIN_CAPACITY);
        this._start = 0;
        this._end = 0;
        this._owned = true;  // false while _buf is an adopted message
    }

    /** Number of unread bytes. */
    get length() {
        return this._end - this._start;
    }

    has(n) {
        return this._end - this._start >= n;
    }

    /** Appends received bytes (a Uint8Array or ArrayBuffer). */
    push(data) {
        const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
        const n = bytes.length;
        if (n === 0) {
            return;
        }
        if (this._start === this._end && n >= MIN_CAPACITY / 4) {
            // Nothing pending: read straight from the message.
            this._buf = bytes;
            this._start = 0;
            this._end = n;
            this._owned = false;
            return;
        }
        if (this._start === this._end) {
            this._start = this._end = 0;
        }
        if (!this._owned || this._end + n > this._buf.length) {
            this._makeRoom(n);
        }
        this._buf.set(bytes, this._end);
        this._end += n;
    }

    _makeRoom(n) {
        const pending = this._end - this._start;
        const needed = pending + n;
        if (this._owned && needed <= this._buf.length && this._start > 0) {
            this._buf.copyWithin(0, this._start, this._end);
        } else {
            let capacity = Math.max(MIN_CAPACITY, this._owned ? this._buf.length : 0);
            while (capacity < needed) {
                capacity *= 2;
            }
            const buf = new Uint8Array(capacity);
            buf.set(this._buf.subarray(this._start, this._end));
            this._buf = buf;
            this._owned = true;
        }
        this._start = 0;
        this._end = pending;
    }

    peekU8(offset = 0) {
        return this._buf[this._start + offset];
    }

    peekU16(offset = 0) {
        const i = this._start + offset;
        return (this._buf[i] << 8) | this._buf[i + 1];
    }

    peekU32(offset = 0) {
        const i = this._start + offset;
        const b = this._buf;
        return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
    }

    u8() {
        return this._buf[this._start++];
    }

    u16() {
        const v = this.peekU16();
        this._start += 2;
        return v;
    }

    u32() {
        const v = this.peekU32();
        this._start += 4;
        return v;
    }

    s32() {
        return this.u32() | 0;
    }

    skip(n) {
        this._start += n;
    }

    /** A view of the next n bytes without copying; valid until the next push. */
    bytes(n) {
        const view = this._buf.subarray(this._start, this._start + n);
        this._start += n;
        return view;
    }

    /** A view of the next n bytes at offset, not consumed. */
    peekBytes(n, offset = 0) {
        const i = this._start + offset;
        return this._buf.subarray(i, i + n);
    }

    /** A copy of the next n bytes, for data that outlives this turn (images). */
    copy(n) {
        return this.bytes(n).slice();
    }

    /** Next n bytes as a string: 'latin1' (RFB's historic charset) or 'utf-8'. */
    text(n, charset = 'latin1') {
        const view = this.bytes(n);
        if (charset === 'utf-8') {
            return new TextDecoder('utf-8').decode(view);
        }
        let s = '';
        for (let i = 0; i < view.length; i += 4096) {
            s += String.fromCharCode.apply(null, view.subarray(i, i + 4096));
        }
        return s;
    }

    clear() {
        this._start = this._end = 0;
    }
}
