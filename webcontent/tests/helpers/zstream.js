// A persistent deflate stream (node's zlib) flushed per rectangle, as servers do.
import zlib from 'node:zlib';

export class DeflateStream {
    constructor(level = 6) {
        this._z = zlib.createDeflate({ level });
        this._out = [];
        this._z.on('data', (c) => this._out.push(c));
    }

    /** Compresses data and sync-flushes: the returned bytes inflate to exactly data. */
    async chunk(data) {
        this._out = [];
        this._z.write(Buffer.from(data));
        await new Promise((resolve) => this._z.flush(zlib.constants.Z_SYNC_FLUSH, resolve));
        return new Uint8Array(Buffer.concat(this._out));
    }

    close() {
        this._z.close();
    }
}
