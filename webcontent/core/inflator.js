// One persistent zlib stream, fed chunk by chunk with sync-flush semantics:
// every chunk the server flushed inflates completely. Inflate is pako's.
//
// The two-byte zlib header (RFC 1950) is checked and stripped here and the
// rest inflated as raw DEFLATE: a VNC stream never ends, so its Adler-32
// trailer never comes, and computing the checksum of every byte for nothing
// cost about a tenth of Tight's decode time.
import { Inflate, constants } from '../vendor/pako.esm.mjs';

const CHUNK = 64 * 1024;

export class Inflator {
    constructor() {
        this.reset();
    }

    /** Forgets the stream (Tight's stream reset, or a new connection). */
    reset() {
        this._inflate = new Inflate({ chunkSize: CHUNK, raw: true });
        this._chunks = [];
        this._inflate.onData = (chunk) => this._chunks.push(chunk);
        this._header = [];
    }

    /**
     * Inflates one flushed chunk.
     * @param {Uint8Array} data compressed bytes
     * @param {number} [expected] the exact uncompressed size, when known
     * @param {Uint8Array} [into] where to inflate (at least `expected` long); by default a new array
     * @returns {Uint8Array} the inflated bytes: a new array, or a view of `into`
     */
    inflate(data, expected, into) {
        data = this._stripHeader(data);
        this._chunks = [];
        if (expected > 0 && data.length) {
            // Inflate straight into an array of the right size: no joining.
            const strm = this._inflate.strm;
            strm.output = into && into.length >= expected ? into : new Uint8Array(expected);
            strm.next_out = 0;
            strm.avail_out = expected;
        }
        if (data.length && !this._inflate.push(data, constants.Z_SYNC_FLUSH) && this._inflate.err) {
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

    /** Consumes the stream's header (it may be split across chunks); returns what follows. */
    _stripHeader(data) {
        if (this._header === null) {
            return data;
        }
        const take = Math.min(2 - this._header.length, data.length);
        this._header.push(...data.subarray(0, take));
        if (this._header.length < 2) {
            return data.subarray(take);
        }
        const [cmf, flg] = this._header;
        if ((cmf & 0x0f) !== 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 !== 0) {
            throw new Error('zlib: incorrect header check');
        }
        if (flg & 0x20) {
            throw new Error('zlib: preset dictionaries are not used by VNC');
        }
        this._header = null;
        return data.subarray(take);
    }
}
