// End to end: keyboard and mouse input from vnc_auto.html in Chromium, through
// a WebSocket proxy, into a real TigerVNC server (Xvnc).
//
// 1. Typing: real key events (Playwright's keyboard, and the DevTools protocol's
//    Input.dispatchKeyEvent for characters a US layout has no key for) on the
//    focused canvas go through the engine's KeyboardEvent -> keysym mapping to
//    an xterm (UTF-8) running `cat > FILE`; FILE must hold exactly the typed
//    text in UTF-8, non-ASCII characters, capitals and shifted symbols included.
// 2. Clicking: left, middle and right clicks at desktop positions (mapped to
//    page coordinates through the canvas's bounding box and size) must move the
//    X pointer exactly there (xdotool getmouselocation) and arrive as
//    ButtonPress/ButtonRelease of that button at that position (xev -root).
//
//   node tests/e2e/input.e2e.mjs
//   PROXY_CMD='websockify {listen} {target}'  (the default) chooses the proxy; {listen_port} is
//   the port alone (the build runs it with PROXY_CMD='bench/karaf-relay.sh {listen_port} {target}').
//   CHROMIUM   the browser (/usr/bin/chromium)
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
    sleep, freePort, freeDisplay, startProcess, stopAll, waitForPort, run, staticServer, runE2e, chromiumOptions,
} from './support.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PROXY_CMD = process.env.PROXY_CMD ?? 'websockify {listen} {target}';
const OVERALL_TIMEOUT_MS = 240000;
const PROXY_READY_MS = 90000; // a proxy in Karaf listens once Karaf has booted
const STEP_TIMEOUT_MS = 10000;

// What is typed into the xterm, followed by Enter. Latin-1 and non-Latin-1
// characters, capitals and shifted symbols (typed with Shift held).
const TYPED = 'héllo wörld €5 Zoë said: "Grüße!" (ΔT ≈ 3°C, 100% ok) ¿Qué? ñ×ß';

// Desktop positions clicked (outside the xterm, so the root window gets the events).
const CLICKS = [
    { x: 400, y: 300, button: 'left' },
    { x: 613, y: 157, button: 'left' },
    { x: 0, y: 599, button: 'left' },
    { x: 799, y: 599, button: 'middle' },
    { x: 799, y: 0, button: 'right' },
    { x: 37, y: 451, button: 'left' },
    { x: 512, y: 377, button: 'right' },
];
const X_BUTTON = { left: 1, middle: 2, right: 3 };

// US-layout keys for characters typed with Shift held: Shift is pressed as its own key.
const SHIFTED = {
    '~': 'Backquote', '!': 'Digit1', '@': 'Digit2', '#': 'Digit3', '$': 'Digit4', '%': 'Digit5',
    '^': 'Digit6', '&': 'Digit7', '*': 'Digit8', '(': 'Digit9', ')': 'Digit0', '_': 'Minus',
    '+': 'Equal', '{': 'BracketLeft', '}': 'BracketRight', '|': 'Backslash', ':': 'Semicolon',
    '"': 'Quote', '<': 'Comma', '>': 'Period', '?': 'Slash',
};
const UNSHIFTED = /^[a-z0-9 `\-=[\]\\;',./]$/;

async function until(what, fn, timeoutMs = STEP_TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
        last = await fn();
        if (last.ok) {
            return last;
        }
        await sleep(100);
    }
    throw new Error(`${what}: not after ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

/**
 * Types text with real key events: runs of unshifted US-layout characters with
 * page.keyboard.type (keydown/keyup with key and code), capitals and shifted
 * symbols with Shift held down around the key, everything else as a trusted
 * keydown/keyup carrying only the character (no code, as for a key the browser
 * cannot name): Playwright's keyboard.type would insert those as text without
 * any key event, which the canvas never sees.
 */
async function typeText(page, cdp, text) {
    const chars = [...text];
    for (let i = 0; i < chars.length;) {
        const ch = chars[i];
        if (UNSHIFTED.test(ch)) {
            let chunk = '';
            while (i < chars.length && UNSHIFTED.test(chars[i])) {
                chunk += chars[i++];
            }
            await page.keyboard.type(chunk);
            continue;
        }
        if (/^[A-Z]$/.test(ch) || SHIFTED[ch]) {
            await page.keyboard.down('Shift');
            await page.keyboard.press(SHIFTED[ch] ?? `Key${ch}`);
            await page.keyboard.up('Shift');
        } else {
            await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch });
            await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch });
        }
        i++;
    }
}

/** Desktop (framebuffer) coordinates -> page coordinates at the centre of that pixel. */
async function pageCoordinates(page, x, y) {
    return page.evaluate(([dx, dy]) => {
        const canvas = document.querySelector('#screen canvas');
        const r = canvas.getBoundingClientRect();
        return {
            x: r.left + (dx + 0.5) * (r.width / canvas.width),
            y: r.top + (dy + 0.5) * (r.height / canvas.height),
        };
    }, [x, y]);
}

async function pointerLocation(env) {
    const out = String(await run('xdotool', ['getmouselocation', '--shell'], { env }));
    const v = Object.fromEntries(out.trim().split('\n').map((l) => l.split('=')));
    return { x: Number(v.X), y: Number(v.Y) };
}

/** ButtonPress/ButtonRelease events in xev's log: {type, x, y, rootX, rootY, button}. */
function buttonEvents(log) {
    if (!existsSync(log)) {
        return [];
    }
    const text = readFileSync(log, 'utf8');
    const re = /(ButtonPress|ButtonRelease) event,[^]*?\((-?\d+),(-?\d+)\), root:\((-?\d+),(-?\d+)\),[^]*?button (\d+)/g;
    return Array.from(text.matchAll(re), (m) => ({
        type: m[1], x: Number(m[2]), y: Number(m[3]), rootX: Number(m[4]), rootY: Number(m[5]), button: Number(m[6]),
    }));
}

async function checkTyping(page, cdp, env, file) {
    // The xterm is at +0+0, 60x8 characters; without a window manager the
    // keyboard focus follows the pointer, so click into it (which also focuses the canvas).
    const at = await pageCoordinates(page, 60, 30);
    await page.mouse.click(at.x, at.y);
    const focused = await page.evaluate(() => document.activeElement === document.querySelector('#screen canvas'));
    await until('the X pointer over the xterm', async () => {
        const p = await pointerLocation(env);
        return { ok: p.x === 60 && p.y === 30, ...p };
    });
    await typeText(page, cdp, TYPED);
    await page.keyboard.press('Enter');
    const expected = Buffer.from(`${TYPED}\n`, 'utf8');
    let got = Buffer.alloc(0);
    try {
        await until('the line in the file', async () => {
            got = readFileSync(file);
            return { ok: got.includes(0x0a), bytes: got.length };
        });
    } catch { /* reported below */ }
    const ok = focused && Buffer.compare(got, expected) === 0;
    return {
        ok,
        detail: ok
            ? `${JSON.stringify(got.toString('utf8'))} (${got.length} bytes)`
            : `canvas focused: ${focused}; expected ${JSON.stringify(expected.toString('utf8'))} ` +
              `[${expected.toString('hex')}], got ${JSON.stringify(got.toString('utf8'))} [${got.toString('hex')}]`,
    };
}

async function checkClicks(page, env, xevLog) {
    // xev listens once a synthetic click (XTEST) shows up in its log.
    await until('xev listening on the root window', async () => {
        await run('xdotool', ['mousemove', '790', '590', 'click', '1'], { env });
        await sleep(200);
        return { ok: buttonEvents(xevLog).length > 0 };
    });
    const results = [];
    for (const c of CLICKS) {
        const seen = buttonEvents(xevLog).length;
        const at = await pageCoordinates(page, c.x, c.y);
        await page.mouse.click(at.x, at.y, { button: c.button });
        const b = X_BUTTON[c.button];
        let pointer = null;
        let events = [];
        let ok = true;
        try {
            await until(`X events for the ${c.button} click at ${c.x},${c.y}`, async () => {
                events = buttonEvents(xevLog).slice(seen);
                return { ok: events.some((e) => e.type === 'ButtonRelease'), events };
            }, 5000);
        } catch {
            ok = false;
        }
        pointer = await pointerLocation(env);
        const expected = [
            { type: 'ButtonPress', x: c.x, y: c.y, rootX: c.x, rootY: c.y, button: b },
            { type: 'ButtonRelease', x: c.x, y: c.y, rootX: c.x, rootY: c.y, button: b },
        ];
        ok = ok && pointer.x === c.x && pointer.y === c.y && JSON.stringify(events) === JSON.stringify(expected);
        results.push({
            ok,
            detail: `${c.button} click at ${c.x},${c.y}: X pointer ${pointer.x},${pointer.y}; ` +
                `X events ${events.map((e) => `${e.type} button ${e.button} at ${e.rootX},${e.rootY}`).join(', ') || 'none'}`,
        });
    }
    return results;
}

async function main() {
    const work = mkdtempSync(join(tmpdir(), 'rfb-input-e2e-'));
    const display = freeDisplay();
    const [rfbPort, wsPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    const env = { DISPLAY: `:${display}` };
    const file = join(work, 'typed.txt');
    const xevLog = join(work, 'xev.log');
    let browser = null;
    let server = null;
    try {
        startProcess('Xvnc', [`:${display}`, '-SecurityTypes', 'None', '-localhost', '-rfbport', String(rfbPort),
            '-geometry', '800x600', '-depth', '24', '-desktop', 'e2e-input'], { log: join(work, 'xvnc.log') });
        await waitForPort(rfbPort);
        startProcess('xterm', ['-u8', '-geometry', '60x8+0+0', '-name', 'e2einput', '-e', 'sh', '-c', `exec cat > '${file}'`],
            { env: { ...env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }, log: join(work, 'xterm.log') });
        startProcess('stdbuf', ['-oL', 'xev', '-root', '-event', 'button'], { env, log: xevLog });
        const [command, ...args] = PROXY_CMD.replace('{listen}', `127.0.0.1:${wsPort}`)
            .replace('{listen_port}', String(wsPort)).replace('{target}', `127.0.0.1:${rfbPort}`).split(/\s+/);
        startProcess(command, args, { log: join(work, 'proxy.log') });
        await waitForPort(wsPort, PROXY_READY_MS);
        server = await staticServer(ROOT, httpPort);
        await until('the xterm running cat', async () => {
            const windows = await run('xdotool', ['search', '--onlyvisible', '--classname', 'e2einput'], { env })
                .catch(() => '');
            return { ok: String(windows).trim() !== '' && existsSync(file) };
        });
        await sleep(1500);
        browser = await chromium.launch(chromiumOptions());
        const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        const query = new URLSearchParams({ host: '127.0.0.1', port: String(wsPort), logging: 'warn' });
        await page.goto(`http://127.0.0.1:${httpPort}/vnc_auto.html?${query}`);
        await page.waitForFunction(() => document.body.dataset.state === 'connected', null, { timeout: 15000 });
        await page.waitForFunction(() => document.querySelector('#screen canvas')?.width === 800, null, { timeout: 15000 });
        // Count the key events the engine sends, by kind (QEMU scancode or keysym only).
        await page.evaluate(() => {
            window.__keys = { qemu: 0, keysym: 0 };
            const send = window.rfb._send.bind(window.rfb);
            window.rfb._send = (bytes) => {
                if (bytes[0] === 255) {
                    window.__keys.qemu++;
                } else if (bytes[0] === 4) {
                    window.__keys.keysym++;
                }
                return send(bytes);
            };
        });
        const cdp = await page.context().newCDPSession(page);
        console.log(`proxy: ${PROXY_CMD}; keys and clicks through ws://127.0.0.1:${wsPort} to Xvnc :${display}`);

        let failures = 0;
        const typing = await checkTyping(page, cdp, env, file);
        const keys = await page.evaluate(() => ({ ...window.__keys, qemuKeys: window.rfb.capabilities.qemuKeys }));
        failures += typing.ok ? 0 : 1;
        console.log(`${typing.ok ? 'PASS' : 'FAIL'} typing into xterm: ${typing.detail}`);
        console.log(`     key events sent: ${keys.qemu} QEMU extended (scancode), ${keys.keysym} keysym only; ` +
            `server offers QEMU keys: ${keys.qemuKeys}`);
        for (const r of await checkClicks(page, env, xevLog)) {
            failures += r.ok ? 0 : 1;
            console.log(`${r.ok ? 'PASS' : 'FAIL'} ${r.detail}`);
        }
        if (errors.length) {
            failures++;
            console.log(`FAIL page errors: ${errors.join('; ')}`);
        }
        console.log(failures === 0 ? 'all input checks passed' : `${failures} failed`);
        return failures === 0 ? 0 : 1;
    } finally {
        await browser?.close().catch(() => {});
        server?.close();
        await stopAll();
        rmSync(work, { recursive: true, force: true });
    }
}

runE2e(main, OVERALL_TIMEOUT_MS);
