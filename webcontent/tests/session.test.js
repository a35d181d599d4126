// One whole session (handshake, then updates in every encoding, interleaved
// with other messages) delivered in random pieces renders the same picture
// and makes the client say the same things.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat } from './helpers/bytes.js';
import * as srv from './helpers/server.js';
import * as enc from './helpers/encoders.js';
import { DeflateStream } from './helpers/zstream.js';
import { Pixels, testPattern } from './helpers/pixels.js';
import { startClient, handshake38 } from './helpers/session.js';
import { assertRegion, cutSets } from './helpers/harness.js';
import { encodings } from '../core/encodings.js';

async function buildSession() {
    const W = 96;
    const H = 64;
    const fb = new Pixels(W, H);
    const zlibStream = new DeflateStream();
    const zrleStream = new DeflateStream();
    const tight = [0, 1, 2, 3].map(() => new DeflateStream());
    const parts = [handshake38(W, H)];
    const update = async (rects) => {
        parts.push(srv.fbuHeader(rects.length));
        for (const [x, y, p, e, build] of rects) {
            parts.push(srv.rectHeader(x, y, p.width, p.height, e), await build(p));
            fb.paste(p, x, y);
        }
    };
    const pic = testPattern(W, H, 41);
    await update([[0, 0, pic, encodings.raw, enc.raw]]);
    await update([
        [0, 0, testPattern(32, 32, 42), encodings.hextile, (p) => enc.hextile(p, { rawEvery: 4 })],
        [32, 0, testPattern(32, 20, 43), encodings.rre, enc.rre],
        [64, 0, testPattern(32, 40, 44), encodings.zrle, (p) => enc.zrle(p, zrleStream)],
    ]);
    parts.push(srv.bell(), srv.fence(0x80000002, [9, 8]), srv.serverCutText('hi'));
    await update([
        [0, 32, testPattern(30, 30, 45), encodings.zlib, (p) => enc.zlibRect(p, zlibStream)],
        [30, 32, testPattern(30, 16, 46).crop(0, 8, 30, 8), encodings.tight, (p) => enc.tightPalette(p, tight)],
        [30, 40, testPattern(30, 24, 47), encodings.tight, (p) => enc.tightGradient(p, tight)],
        [60, 40, testPattern(36, 24, 48), encodings.tight, (p) => enc.tightCopy(p, tight, { id: 3 })],
    ]);
    // CopyRect last: copy the top-left block over the bottom-right corner.
    const block = fb.crop(0, 0, 16, 16);
    parts.push(srv.fbuHeader(1), srv.rectHeader(80, 48, 16, 16, encodings.copyRect), enc.copyRect(0, 0));
    fb.paste(block, 80, 48);
    [zlibStream, zrleStream, ...tight].forEach((s) => s.close());
    return { bytes: concat(parts), fb };
}

test('a whole session cut at random places renders the same and sends the same', async () => {
    const { bytes, fb } = await buildSession();
    let reference = null;
    for (const cuts of cutSets(bytes.length, { everyBoundary: false, randomRuns: 60, seed: 3 })) {
        const s = startClient();
        s.ws.receive(bytes, cuts);
        assert.equal(s.rfb.state, 'connected', `cuts ${cuts}`);
        assertRegion(s.rfb.display, fb, 0, 0, `cuts ${cuts}:`);
        const out = s.ws.takeSent();
        reference ??= out;
        assert.deepEqual(out, reference, `client output with cuts ${cuts}`);
        assert.deepEqual(s.events.map((e) => e.type), ['connect', 'desktopname', 'bell', 'capabilities', 'clipboard']);
    }
    const s = startClient();
    s.ws.receive(bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1));
    assertRegion(s.rfb.display, fb, 0, 0, 'one byte at a time:');
});
