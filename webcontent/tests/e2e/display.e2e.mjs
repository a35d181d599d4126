// The display in Chromium: JPEG rectangles drawn straight onto the canvas
// ("ahead" of the pixel array) mixed with fills, blits, copies, resizes and
// update ends in random order. Each sequence is replayed into a headless
// display that decodes every image (with the same browser decoder) into its
// pixel array; the canvas must show exactly the same picture, and
// `syncPixels()` must make the array equal the canvas. Then the same under a
// Content-Security-Policy that forbids data: images: the display must fall
// back to decoding JPEG into its pixel array, and still show the same picture.
//
//   node tests/e2e/display.e2e.mjs      (SEQUENCES=n, SEED=n to explore)
import { chromium } from 'playwright-core';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, staticServer, runE2e, chromiumOptions } from './support.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SEQUENCES = Number(process.env.SEQUENCES ?? 40);
const SEED = Number(process.env.SEED ?? 20261123);

/** Runs in the page: one random sequence, returns what differs and which paths ran. */
async function sequenceInPage({ seed, csp }) {
    const { Display } = await import('/core/display.js');
    const { browserImageSource, browserImageDecoder } = await import('/core/imagedecoder.js');
    // The reference display gets the very pixels the canvas is given.
    const decodeToArray = async (bytes, mime) => {
        const img = await browserImageSource(bytes, mime);
        const c = new OffscreenCanvas(img.width, img.height);
        const ctx = c.getContext('2d');
        ctx.drawImage(img.source, 0, 0);
        img.close();
        return { width: img.width, height: img.height, data: ctx.getImageData(0, 0, img.width, img.height).data };
    };
    let state = seed >>> 0;
    const rnd = (n) => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state % n;
    };
    const colour = () => [rnd(6) * 40 + 20, rnd(6) * 40 + 20, rnd(6) * 40 + 20];
    const jpeg = async (w, h) => {
        const c = new OffscreenCanvas(w, h);
        const ctx = c.getContext('2d');
        for (let by = 0; by < h; by += 16) {
            for (let bx = 0; bx < w; bx += 16) {
                ctx.fillStyle = `rgb(${colour().join(',')})`;
                ctx.fillRect(bx, by, 16, 16);
            }
        }
        return new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.95 })).arrayBuffer());
    };
    const target = document.getElementById('screen');
    target.replaceChildren();
    const shown = new Display(target);
    const reference = new Display(null, { imageDecoder: csp ? browserImageDecoder : decodeToArray });
    const used = { direct: 0, aheadCopies: 0, aheadWrites: 0, resizes: 0 };
    const view = shown.view;
    const copy = view.copy.bind(view);
    view.copy = (...a) => { used.aheadCopies++; copy(...a); };
    let width = 96 + 16 * rnd(4);
    let height = 64 + 16 * rnd(3);
    const both = (f) => { f(shown); f(reference); };
    both((d) => d.resize(width, height));
    const steps = 30 + rnd(30);
    for (let i = 0; i < steps; i++) {
        const x = rnd(width);
        const y = rnd(height);
        const w = 1 + rnd(width - x + 8);     // may run past the edge: clipped
        const h = 1 + rnd(height - y + 8);
        const kind = rnd(20);
        if (kind < 6) {
            const iw = 16 * (1 + rnd(5));
            const ih = 16 * (1 + rnd(4));
            const bytes = await jpeg(iw, ih);
            const ix = 16 * rnd(Math.ceil(width / 16));
            const iy = 16 * rnd(Math.ceil(height / 16));
            if (shown._ahead.some((r) => r.x < ix + iw && ix < r.x + r.w && r.y < iy + ih && iy < r.y + r.h)) {
                used.direct++;  // an image over another still ahead
            }
            both((d) => d.drawImage(ix, iy, iw, ih, 'image/jpeg', bytes.slice()));
            used.direct++;
        } else if (kind < 10) {
            const [r, g, b] = colour();
            if (shown._ahead.length) {
                used.aheadWrites++;
            }
            both((d) => d.fillRect(x, y, w, h, r, g, b));
        } else if (kind < 13) {
            const bw = Math.min(w, width - x);
            const bh = Math.min(h, height - y);
            const src = new Uint8Array(bw * bh * 3);
            for (let p = 0; p < bw * bh; p++) {
                src.set(colour(), p * 3);
            }
            both((d) => d.blitRGB(x, y, bw, bh, src));
        } else if (kind < 17) {
            const dx = rnd(width);
            const dy = rnd(height);
            both((d) => d.copyRect(x, y, dx, dy, w, h));
        } else if (kind < 19) {
            both((d) => d.flip());
        } else {
            width = Math.max(32, width + 16 * (rnd(5) - 2));
            height = Math.max(32, height + 16 * (rnd(5) - 2));
            used.resizes++;
            both((d) => d.resize(width, height));
        }
    }
    both((d) => d.flip());
    for (const d of [shown, reference]) {
        if (!d.idle) {
            await new Promise((r) => { d.ondrain = r; });
        }
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const canvas = target.querySelector('canvas');
    const seen = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const want = reference.pixels;
    const problems = [];
    if (canvas.width !== reference.width || canvas.height !== reference.height) {
        problems.push(`canvas ${canvas.width}x${canvas.height}, framebuffer ${reference.width}x${reference.height}`);
    } else {
        let bad = 0;
        let first = null;
        for (let i = 0; i < want.length; i += 4) {
            const diff = Math.max(Math.abs(seen[i] - want[i]), Math.abs(seen[i + 1] - want[i + 1]), Math.abs(seen[i + 2] - want[i + 2]));
            if (diff) {
                bad++;
                first ??= { x: (i / 4) % reference.width, y: Math.floor(i / 4 / reference.width), canvas: [...seen.subarray(i, i + 3)], expected: [...want.subarray(i, i + 3)] };
            }
        }
        if (bad) {
            problems.push(`${bad} canvas pixels differ, first ${JSON.stringify(first)}`);
        }
        const aheadBefore = shown._ahead.length;
        shown.syncPixels();
        let unsynced = 0;
        for (let i = 0; i < seen.length; i++) {
            if (i % 4 !== 3 && shown.pixels[i] !== seen[i]) {
                unsynced++;
            }
        }
        if (unsynced) {
            problems.push(`after syncPixels() ${unsynced} bytes of the array differ from the canvas (${aheadBefore} rectangles were ahead)`);
        }
    }
    if (csp && shown._imageSource !== null) {
        problems.push('images were drawn although the page forbids data: images');
    }
    shown.dispose();
    return { problems, used };
}

async function main() {
    const port = await freePort();
    const server = await staticServer(ROOT, port);
    const browser = await chromium.launch(chromiumOptions({ srgb: true }));
    try {
        const page = await browser.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        // Any page of the server's origin, so the engine's modules import from it.
        await page.goto(`http://127.0.0.1:${port}/package.json`);
        await page.setContent('<!DOCTYPE html><div id="screen"></div>');
        const totals = { direct: 0, aheadCopies: 0, aheadWrites: 0, resizes: 0 };
        let failures = 0;
        for (let n = 0; n < SEQUENCES; n++) {
            const seed = SEED + n;
            const { problems, used } = await page.evaluate(sequenceInPage, { seed });
            for (const k of Object.keys(totals)) {
                totals[k] += used[k];
            }
            if (problems.length) {
                failures++;
                console.log(`FAIL sequence seed=${seed}: ${problems.join('; ')}`);
            }
        }
        console.log(`paths exercised: ${JSON.stringify(totals)}`);
        // A page whose policy forbids data: images.
        await page.setContent(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="img-src 'self'"><div id="screen"></div>`);
        const warnings = [];
        page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
        for (let n = 0; n < 3; n++) {
            const { problems } = await page.evaluate(sequenceInPage, { seed: SEED + 1000 + n, csp: true });
            if (problems.length) {
                failures++;
                console.log(`FAIL sequence seed=${SEED + 1000 + n} under img-src 'self': ${problems.join('; ')}`);
            }
        }
        if (!warnings.some((w) => w.includes('now go through the pixel array'))) {
            failures++;
            console.log(`FAIL no warning about the fallback; warnings: ${JSON.stringify(warnings)}`);
        }
        // A run that never took the interesting paths proves nothing.
        for (const k of Object.keys(totals)) {
            if (totals[k] < 5) {
                console.log(`FAIL only ${totals[k]} ${k} in ${SEQUENCES} sequences`);
                failures++;
            }
        }
        if (errors.length) {
            console.log(`FAIL page errors: ${errors.join('; ')}`);
            failures++;
        }
        console.log(`${failures ? 'FAIL' : 'PASS'} display: ${SEQUENCES} random sequences, canvas against the pixel-array display; 3 more under a policy forbidding data: images`);
        return failures ? 1 : 0;
    } finally {
        await browser.close().catch(() => {});
        server.close();
    }
}

runE2e(main, 240000, 'display e2e');
