// One persistent zlib stream, fed chunk by chunk with sync-flush semantics:
// every chunk the server flushed inflates completely. Inflate is pako's.
import { Inflate, constants } from '../vendor/pako.esm.mjs';

export class Inflator {
    constructor() {
        this.reset();
    }

    /** Forgets the stream (Tight's stream reset, or a new connection). */
    reset() {
        this._inflate = new Inflate({ chunkSize: 64 * 1024 });
        this._chunks = [];
        this._inflate.onData = (chunk) => this._chunks.push(chunk);
    }

    /**
     * Inflates one flushed chunk.
     * @param {Uint8Array} data compressed bytes
     * @param {number} [expected] the exact uncompressed size, when known
     * @returns {Uint8Array}
     */
    inflate(data, expected) {
        this._chunks = [];
        if (!this._inflate.push(data, constants.Z_SYNC_FLUSH) && this._inflate.err) {
            throw new Error(`zlib: ${this._inflate.msg || this._inflate.err}`);
        }
        const chunks = this._chunks;
        this._chunks = [];
        let out;
        if (chunks.length === 1) {
            out = chunks[0];
        } else {
            let size = 0;
            for (const c of chunks) {
                size += c.length;
            }
            out = new Uint8Array(size);
            let offset = 0;
            for (const c of chunks) {
                out.set(c, offset);
                offset += c.length;
            }
        }
        if (expected !== undefined && out.length < expected) {
            throw new Error(`zlib: ${out.length} bytes inflated, ${expected} expected`);
        }
        return expected !== undefined ? out.subarray(0, expected) : out;
    }
}
