// fps.js - full-screen update rate of a VNC server through a WebSocket proxy, decoded and painted
// by the engine's own decoders and display in this page: window.runFps({url, encoding, seconds,
// quality}) asks for whole-screen (non-incremental) updates one after another for `seconds` and
// resolves to {frames, fps, bytes, mbps, width, height}. Driven by bench/demo-fps.mjs.
import { Display } from '../core/display.js';
import { ReceiveQueue } from '../core/rqueue.js';
import { createDecoders } from '../core/decoders/index.js';
import { setPixelFormat, setEncodings, framebufferUpdateRequest } from '../core/clientmessages.js';
import { browserImageDecoder } from '../core/imagedecoder.js';
import { encodings } from '../core/encodings.js';

const NAMES = { raw: encodings.raw, hextile: encodings.hextile, zrle: encodings.zrle, tight: encodings.tight };

window.runFps = ({ url, encoding, seconds = 5, quality = null }) => new Promise((resolve, reject) => {
    const rq = new ReceiveQueue();
    const decoders = createDecoders();
    let display = null;
    let bytes = 0;
    let wake = null;
    const ws = new WebSocket(url, ['binary']);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => {
        bytes += e.data.byteLength;
        rq.push(new Uint8Array(e.data));
        if (wake) { const w = wake; wake = null; w(); }
    };
    ws.onerror = () => reject(new Error(`WebSocket error on ${url}`));
    const need = async (n) => { while (rq.length < n) {await new Promise((r) => { wake = r; });} };
    const more = () => new Promise((r) => { wake = r; });

    (async () => {
        await new Promise((r, j) => { ws.onopen = r; ws.onclose = () => j(new Error('closed before open')); });
        ws.onclose = null;
        await need(12);
        rq.skip(12);
        ws.send(new TextEncoder().encode('RFB 003.008\n'));
        await need(1);
        const count = rq.u8();
        await need(count);
        const types = rq.bytes(count);
        if (!types.includes(1)) {throw new Error('the server wants a password');}
        ws.send(new Uint8Array([1]));
        await need(4);
        if (rq.u32() !== 0) {throw new Error('security failed');}
        ws.send(new Uint8Array([1]));
        await need(24);
        const width = rq.u16();
        const height = rq.u16();
        rq.skip(16);
        const nameLength = rq.u32();
        await need(nameLength);
        rq.skip(nameLength);
        display = new Display(document.getElementById('screen'), { imageDecoder: browserImageDecoder });
        display.resize(width, height);
        const list = [NAMES[encoding]];
        if (quality !== null) {list.push(encodings.pseudoQualityLevel0 + quality);}
        ws.send(setPixelFormat());
        ws.send(setEncodings(list));

        let frames = 0;
        const t0 = performance.now();
        const end = t0 + seconds * 1000;
        const bytes0 = bytes;
        while (performance.now() < end) {
            ws.send(framebufferUpdateRequest(false, 0, 0, width, height));
            await need(4);
            if (rq.u8() !== 0) {throw new Error('expected a FramebufferUpdate');}
            rq.skip(1);
            let rects = rq.u16();
            while (rects-- > 0) {
                await need(12);
                const x = rq.u16(), y = rq.u16(), w = rq.u16(), h = rq.u16();
                const enc = rq.s32();
                const decoder = decoders.get(enc);
                if (!decoder) {throw new Error(`unexpected encoding ${enc}`);}
                while (!decoder.decodeRect(x, y, w, h, rq, display)) {await more();}
            }
            display.flip();
            if (!display.idle) {await new Promise((r) => { display.ondrain = r; });}
            frames++;
        }
        const elapsed = (performance.now() - t0) / 1000;
        ws.close();
        resolve({ frames, fps: frames / elapsed, bytes: bytes - bytes0, mbps: (bytes - bytes0) / elapsed / 1e6, width, height });
    })().catch((e) => { ws.close(); reject(e); });
});
window.fpsReady = true;
