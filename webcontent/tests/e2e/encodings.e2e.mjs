// End to end: a real TigerVNC server (Xvnc), a WebSocket proxy, vnc_auto.html
// in Chromium. For each encoding the canvas must equal the server's
// framebuffer (xwd -root) pixel for pixel, first after connecting and again
// after typing into an xterm (scrolling: CopyRect and incremental updates).
// A lossy Tight JPEG run is checked within a tolerance.
//
//   node tests/e2e/encodings.e2e.mjs
//   PROXY_CMD='websockify {listen} {target}'  (the default) chooses the proxy; {listen_port} is
//   the port alone (the build runs it with PROXY_CMD='bench/karaf-relay.sh {listen_port} {target}').
import { chromium } from 'playwright-core';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
    sleep, freePort, freeDisplay, startProcess, stopAll, waitForPort, run, captureRoot, staticServer, runE2e, chromiumOptions,
} from './support.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PROXY_CMD = process.env.PROXY_CMD ?? 'websockify {listen} {target}';
const OVERALL_TIMEOUT_MS = 300000;
const PROXY_READY_MS = 90000; // a proxy in Karaf listens once Karaf has booted
const MATCH_TIMEOUT_MS = 20000;

const RUNS = [
    { name: 'Raw', encodings: 'raw' },
    { name: 'CopyRect', encodings: 'copyrect,raw' },
    { name: 'RRE', encodings: 'rre' },
    { name: 'Hextile', encodings: 'hextile' },
    { name: 'ZRLE', encodings: 'zrle' },
    { name: 'Tight (lossless)', encodings: 'tight' },
    { name: 'Tight (JPEG, quality 6)', encodings: 'tight', quality: '6', tolerance: 8 },
];

function ppm(w, h) {
    const head = Buffer.from(`P6\n${w} ${h}\n255\n`);
    const px = Buffer.alloc(w * h * 3);
    let seed = 12345;
    for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
            seed = (seed * 1103515245 + 12345) >>> 0;
            const i = (y * w + x) * 3;
            px[i] = (x * 255) / w;
            px[i + 1] = (y * 255) / h;
            px[i + 2] = y > h / 2 ? seed >>> 24 : (x ^ y) & 255;
        }
    }
    return Buffer.concat([head, px]);
}

async function stableCapture(display) {
    let previous = await captureRoot(display);
    for (let i = 0; i < 20; i++) {
        await sleep(300);
        const next = await captureRoot(display);
        if (Buffer.compare(Buffer.from(next.rgb), Buffer.from(previous.rgb)) === 0) {
            return next;
        }
        previous = next;
    }
    throw new Error('the server screen does not settle');
}

/** Polls the canvas until it equals ref (or is within tolerance); returns the last comparison. */
async function waitForMatch(page, ref, tolerance) {
    await page.evaluate(([b64, w, h]) => {
        window.__ref = { rgb: Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)), w, h };
    }, [Buffer.from(ref.rgb).toString('base64'), ref.width, ref.height]);
    const deadline = Date.now() + MATCH_TIMEOUT_MS;
    let result;
    while (Date.now() < deadline) {
        result = await page.evaluate(() => {
            const canvas = document.querySelector('#screen canvas');
            const { rgb, w, h } = window.__ref;
            if (!canvas || canvas.width !== w || canvas.height !== h) {
                return { size: canvas ? `${canvas.width}x${canvas.height}` : 'none', mismatches: -1 };
            }
            const d = canvas.getContext('2d').getImageData(0, 0, w, h).data;
            let mismatches = 0;
            let sum = 0;
            let first = null;
            for (let i = 0, j = 0; i < w * h; i++, j += 4) {
                const diff = Math.abs(d[j] - rgb[i * 3]) + Math.abs(d[j + 1] - rgb[i * 3 + 1]) + Math.abs(d[j + 2] - rgb[i * 3 + 2]);
                if (diff) {
                    mismatches++;
                    sum += diff;
                    first ??= {
                        x: i % w, y: Math.floor(i / w), canvas: [d[j], d[j + 1], d[j + 2]],
                        framebuffer: [...window.rfb.display.pixels.subarray(j, j + 3)], server: [...rgb.subarray(i * 3, i * 3 + 3)],
                    };
                }
            }
            return { mismatches, meanError: sum / (w * h * 3), first };
        });
        const ok = tolerance ? result.mismatches >= 0 && result.meanError <= tolerance : result.mismatches === 0;
        if (ok) {
            return { ok, ...result };
        }
        await sleep(300);
    }
    return { ok: false, ...result };
}

async function typeIntoXterm(page, text) {
    await page.evaluate((t) => {
        window.rfb.sendPointer(150, 100, 0);   // focus follows the pointer without a window manager
        for (const ch of t) {
            const keysym = ch === '\n' ? 0xff0d : ch.codePointAt(0);
            window.rfb.sendKey(keysym, '', true);
            window.rfb.sendKey(keysym, '', false);
        }
        window.rfb.sendPointer(790, 590, 0);
    }, text);
}

async function checkRun(browser, base, display, wsPort, run) {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const query = new URLSearchParams({
        host: '127.0.0.1', port: String(wsPort), encodings: run.encodings,
        quality: run.quality ?? 'lossless', logging: 'warn',
    });
    try {
        await page.goto(`${base}/vnc_auto.html?${query}`);
        await page.waitForFunction(() => document.body.dataset.state === 'connected', null, { timeout: 15000 });
        // Count the rectangles each decoder finishes.
        await page.evaluate(() => {
            window.__rects = {};
            for (const [number, decoder] of window.rfb.decoders) {
                const decode = decoder.decodeRect.bind(decoder);
                decoder.decodeRect = (...args) => {
                    const done = decode(...args);
                    if (done) {
                        window.__rects[number] = (window.__rects[number] ?? 0) + 1;
                    }
                    return done;
                };
            }
        });
        // The server draws its cursor into the picture while it is not where this
        // client last put the pointer; xwd never shows it. Park the pointer first.
        await page.evaluate(() => {
            window.rfb.sendPointer(780, 580, 0);
            window.rfb.sendPointer(790, 590, 0);
        });
        await sleep(300);
        const initial = await waitForMatch(page, await stableCapture(display), run.tolerance);
        // Lines printed slowly: each scroll is its own XCopyArea, sent as CopyRect.
        await typeIntoXterm(page, `for i in $(seq 1 ${20 + Math.floor(Math.random() * 20)}); do echo $i; sleep 0.04; done\n`);
        await sleep(2500);
        const after = await waitForMatch(page, await stableCapture(display), run.tolerance);
        const rects = await page.evaluate(() => window.__rects);
        if (process.env.E2E_SCREENSHOT) {
            await page.screenshot({ path: process.env.E2E_SCREENSHOT });
        }
        return { initial, after, rects, errors };
    } finally {
        await page.close();
    }
}

function describe(r) {
    if (r.ok) {
        return r.mismatches === 0 ? 'exact' : `mean error ${r.meanError.toFixed(2)} (${r.mismatches} px differ)`;
    }
    if (r.mismatches < 0) {
        return `canvas ${r.size}`;
    }
    return `${r.mismatches} px differ, mean error ${r.meanError.toFixed(3)}, first ${JSON.stringify(r.first)}`;
}

async function main() {
    const work = mkdtempSync(join(tmpdir(), 'rfb-e2e-'));
    const display = freeDisplay();
    const [rfbPort, wsPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    const env = { DISPLAY: `:${display}` };
    let browser = null;
    let server = null;
    try {
        startProcess('Xvnc', [`:${display}`, '-SecurityTypes', 'None', '-localhost', '-rfbport', String(rfbPort),
            '-geometry', '800x600', '-depth', '24', '-desktop', 'e2e'], { log: join(work, 'xvnc.log') });
        await waitForPort(rfbPort);
        // An invisible root cursor: the server may draw its cursor into the picture, xwd never does.
        writeFileSync(join(work, 'blank.xbm'), '#define blank_width 8\n#define blank_height 8\n#define blank_x_hot 0\n#define blank_y_hot 0\nstatic unsigned char blank_bits[] = {\n   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};\n');
        await run('xsetroot', ['-cursor', join(work, 'blank.xbm'), join(work, 'blank.xbm')], { env });
        await run('xsetroot', ['-bitmap', '/usr/include/X11/bitmaps/xlogo32', '-fg', '#2d5f8b', '-bg', '#e8e0c8'], { env });
        startProcess('xterm', ['-geometry', '60x18+10+10', '-bg', 'white', '-fg', '#202020', '-xrm', 'XTerm*cursorBlink: false', '-xrm', 'XTerm*jumpScroll: false'], { env });
        writeFileSync(join(work, 'image.ppm'), ppm(320, 200));
        startProcess('display', ['-immutable', '-geometry', '+440+360', join(work, 'image.ppm')], { env });
        startProcess('xlogo', ['-geometry', '140x140+560+40', '-render', '-fg', 'darkred', '-bg', 'lightyellow'], { env });
        const [command, ...args] = PROXY_CMD.replace('{listen}', `127.0.0.1:${wsPort}`)
            .replace('{listen_port}', String(wsPort)).replace('{target}', `127.0.0.1:${rfbPort}`).split(/\s+/);
        startProcess(command, args, { log: join(work, 'proxy.log') });
        await waitForPort(wsPort, PROXY_READY_MS);
        server = await staticServer(ROOT, httpPort);
        await sleep(1500);
        browser = await chromium.launch(chromiumOptions({ srgb: true }));
        const base = `http://127.0.0.1:${httpPort}`;
        let failures = 0;
        let ran = 0;
        const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY, 'i') : null;
        for (const r of RUNS.filter((x) => !only || only.test(x.name))) {
            const t0 = Date.now();
            const result = await checkRun(browser, base, display, wsPort, r);
            const ok = result.initial.ok && result.after.ok && result.errors.length === 0;
            failures += ok ? 0 : 1;
            ran++;
            console.log(`${ok ? 'PASS' : 'FAIL'} ${r.name} [${r.encodings}] ${Date.now() - t0} ms`);
            console.log(`     initial: ${describe(result.initial)}; after scrolling: ${describe(result.after)}`);
            console.log(`     rectangles by encoding: ${JSON.stringify(result.rects)}${result.errors.length ? `; page errors: ${result.errors}` : ''}`);
        }
        console.log(`${ran - failures} passed, ${failures} failed`);
        return failures === 0 ? 0 : 1;
    } finally {
        await browser?.close().catch(() => {});
        server?.close();
        await stopAll();
        rmSync(work, { recursive: true, force: true });
    }
}

runE2e(main, OVERALL_TIMEOUT_MS);
