// The steps of the UI end-to-end test, in order: each gets the test world
// {env, browser, page, shot} and throws on failure (or returns a note).
import assert from 'node:assert/strict';
import { sleep, captureRoot } from './support.mjs';
import { PASSWORD, DESKTOP_NAME } from './ui-env.mjs';

const canvasSel = '#vnc .nvp-screen canvas';

async function until(what, fn, timeoutMs = 10000, everyMs = 150) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
        last = await fn();
        if (last) {
            return last;
        }
        await sleep(everyMs);
    }
    throw new Error(`${what} (last: ${JSON.stringify(last)})`);
}

const waitState = (page, state, timeout = 20000) =>
    page.waitForFunction((s) => window.vnc?.state === s, state, { timeout });

const statusText = (page) => page.locator('#vnc [data-ref=status]').textContent();

/** Brings the control bar back if it has hidden itself. */
async function showBar(page) {
    if (await page.locator('#vnc').getAttribute('data-bar') === 'hidden') {
        await page.getByRole('button', { name: 'Show the controls' }).click();
    }
}

async function openPanel(page, label) {
    await showBar(page);
    const button = page.getByRole('button', { name: label, exact: true });
    if (await button.getAttribute('aria-expanded') !== 'true') {
        await button.click();
    }
}

async function closePanel(page) {
    await page.keyboard.press('Escape');
}

async function setSelect(page, label, value) {
    await openPanel(page, 'Settings');
    await page.getByLabel(label).selectOption(value);
}

async function setCheck(page, label, on) {
    await openPanel(page, 'Settings');
    await page.getByLabel(label).setChecked(on);
}

/** The server's password field (the relay's login form has a Password field of its own). */
const passwordField = (page) => page.locator('.nvp-password').getByLabel('Password', { exact: true });

async function login(page, password = PASSWORD) {
    await waitState(page, 'password');
    const field = passwordField(page);
    await field.fill(password);
    await field.press('Enter');
}

async function canvasBox(page) {
    return page.locator(canvasSel).boundingBox();
}

/** Mean per-channel difference between the canvas and the server's screen (xwd). */
async function compareWithServer(page, env) {
    const ref = await captureRoot(env.display);
    return page.evaluate(([b64, w, h]) => {
        const rgb = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const canvas = document.querySelector('#vnc canvas');
        if (canvas.width !== w || canvas.height !== h) {
            return { error: `canvas ${canvas.width}x${canvas.height}, server ${w}x${h}` };
        }
        const d = canvas.getContext('2d').getImageData(0, 0, w, h).data;
        let sum = 0;
        for (let i = 0; i < w * h; i++) {
            sum += Math.abs(d[i * 4] - rgb[i * 3]) + Math.abs(d[i * 4 + 1] - rgb[i * 3 + 1]) + Math.abs(d[i * 4 + 2] - rgb[i * 3 + 2]);
        }
        return { meanError: sum / (w * h * 3) };
    }, [Buffer.from(ref.rgb).toString('base64'), ref.width, ref.height]);
}

export const STEPS = [
    ['connect panel, password, security failure', async ({ env, page, shot }) => {
        await page.goto(`${env.base}/client/vnc.html`);
        await page.waitForFunction(() => window.vnc);
        assert.equal(await page.getByLabel('Host').inputValue(), '127.0.0.1', 'host from the page');
        assert.equal(await page.getByLabel('Port').inputValue(), String(env.httpPort), 'port from the page');
        assert.equal(await page.getByLabel('Path').inputValue(), 'websockify');
        assert.equal(await page.title(), 'VNC');
        const icon = await page.evaluate(() => document.querySelector('link[rel=icon]').href);
        assert.equal((await page.request.get(icon)).status(), 200, 'favicon served');
        await shot(page, '01-connect');
        await page.getByLabel('Port').fill(String(env.wsPort));
        await page.getByRole('button', { name: 'Connect' }).click();
        await waitState(page, 'password');
        assert.equal(await statusText(page), 'The server asks for a password');
        assert.ok(await passwordField(page).evaluate((el) => el === document.activeElement), 'password field focused');
        await shot(page, '02-password');
        await login(page, 'wrong-password');
        await waitState(page, 'disconnected');
        const failure = await statusText(page);
        assert.match(failure, /^Security failure: ./);
        await shot(page, '03-security-failure');
        await page.getByRole('button', { name: 'Connect' }).click();
        await login(page);
        await waitState(page, 'connected');
        assert.equal(await page.locator('#vnc [data-ref=barStatus]').textContent(), DESKTOP_NAME);
        assert.equal(await page.locator('#vnc [role=status]').textContent(), `Connected to “${DESKTOP_NAME}”`);
        assert.equal(await page.title(), DESKTOP_NAME);
        assert.ok(!page.url().includes(PASSWORD), 'no password in the address');
        await sleep(700);
        await shot(page, '04-connected');
        return `failure shown as "${failure}"`;
    }],

    ['the bar hides while working and returns on demand, no layout jump', async ({ env, page, shot }) => {
        const rect = () => page.locator('#vnc .nvp-screen').evaluate((el) => JSON.stringify(el.getBoundingClientRect()));
        const shown = await rect();
        const canvasShown = JSON.stringify(await canvasBox(page));
        await page.waitForFunction(() => document.getElementById('vnc').dataset.bar === 'hidden', null, { timeout: 8000 });
        assert.equal(await rect(), shown, 'the desktop area does not move');
        assert.equal(JSON.stringify(await canvasBox(page)), canvasShown, 'the desktop does not move');
        await sleep(400);   // the bar's slide
        await shot(page, '05-working-bar-hidden');
        await env.movePointer(1000, 740);
        const before = env.keyEvents().length;
        await page.evaluate(() => window.vnc.rfb.focus());
        await page.keyboard.press('F8');
        await until('F8 shows the bar and focuses it', () => page.evaluate(() =>
            document.getElementById('vnc').dataset.bar === 'shown' && document.activeElement.closest('.nvp-bar') !== null));
        await page.keyboard.press('Tab');
        assert.ok(await page.evaluate(() => document.activeElement.closest('.nvp-bar') !== null), 'Tab moves within the bar');
        await page.keyboard.press('Escape');
        await until('Escape hides the bar and gives the keys back', () => page.evaluate(() =>
            document.getElementById('vnc').dataset.bar === 'hidden' && document.activeElement.tagName === 'CANVAS'));
        await sleep(300);
        assert.equal(env.keyEvents().length, before, 'F8 and Escape of the bar are not sent');
        await page.getByRole('button', { name: 'Show the controls' }).click();
        await until('the handle shows the bar', () => page.evaluate(() => document.getElementById('vnc').dataset.bar === 'shown'));
    }],

    ['the canvas shows the server screen', async ({ env, page }) => {
        const r = await until('canvas close to the server screen', async () => {
            const c = await compareWithServer(page, env);
            return !c.error && c.meanError < 4 ? c : null;
        }, 15000, 500);
        return `mean error ${r.meanError.toFixed(2)} (JPEG quality 6)`;
    }],

    ['dot cursor where the server cursor is invisible', async ({ page, shot }) => {
        await setCheck(page, 'Show a dot', true);
        await until('dot shown', () => page.evaluate(() => window.vnc._dot.showing));
        await shot(page, '05-settings');
        await setCheck(page, 'Show a dot', false);
        await until('dot gone', () => page.evaluate(() => !window.vnc._dot.showing));
        await setCheck(page, 'Show a dot', true);
        await closePanel(page);
    }],

    ['view only sends no input', async ({ env, page }) => {
        await setCheck(page, 'View only', true);
        await closePanel(page);
        await env.movePointer(1000, 740);
        const keys = env.keyEvents().length;
        const box = await canvasBox(page);
        await page.evaluate(() => window.vnc.rfb.focus());
        await page.mouse.move(box.x + 150, box.y + 500);
        await page.mouse.down();
        await page.mouse.move(box.x + 250, box.y + 520);
        await page.mouse.up();
        await page.keyboard.type('qz');
        await page.keyboard.press('Enter');
        await sleep(800);
        assert.deepEqual(await env.pointer(), { x: 1000, y: 740 }, 'the X pointer did not move');
        assert.equal(env.keyEvents().length, keys, 'no key reached X');
        await openPanel(page, 'Extra keys');
        assert.ok(await page.getByRole('button', { name: 'Send Control-Alt-Delete' }).isDisabled(), 'extra keys disabled');
        await setCheck(page, 'View only', false);
        await closePanel(page);
        await page.mouse.move(box.x + 200, box.y + 500);
        await page.mouse.move(box.x + 210, box.y + 505);
        await until('input flows again', async () => {
            const p = await env.pointer();
            return p.x === 210 && p.y === 505 ? p : null;
        }, 5000);
    }],

    ['extra keys arrive as real presses and releases', async ({ env, page, shot }) => {
        await env.movePointer(1000, 740);
        await openPanel(page, 'Extra keys');
        const sent = async (label, expected) => {
            const n = env.keyEvents().length;
            await page.getByRole('button', { name: label, exact: true }).click();
            const got = await until(`${label} seen by X`, () => {
                const e = env.keyEvents().slice(n);
                return e.length >= expected.length ? e : null;
            }, 5000);
            assert.deepEqual(got, expected, label);
        };
        await sent('Send Control-Alt-Delete', [['KeyPress', 'Control_L'], ['KeyPress', 'Alt_L'], ['KeyPress', 'Delete'],
            ['KeyRelease', 'Delete'], ['KeyRelease', 'Alt_L'], ['KeyRelease', 'Control_L']]);
        await openPanel(page, 'Extra keys');
        await sent('Control', [['KeyPress', 'Control_L']]);
        assert.equal(await page.getByRole('button', { name: 'Control', exact: true }).getAttribute('aria-pressed'), 'true');
        await openPanel(page, 'Extra keys');
        await shot(page, '06-extra-keys');
        await sent('Control', [['KeyRelease', 'Control_L']]);
        await openPanel(page, 'Extra keys');
        await sent('Tab', [['KeyPress', 'Tab'], ['KeyRelease', 'Tab']]);
        await openPanel(page, 'Extra keys');
        await sent('Escape', [['KeyPress', 'Escape'], ['KeyRelease', 'Escape']]);
        await openPanel(page, 'Extra keys');
        await sent('Send F8', [['KeyPress', 'F8'], ['KeyRelease', 'F8']]);
        return `${env.keyEvents().length} key events logged by xev`;
    }],

    ['clipboard both ways through the panel', async ({ env, page, shot }) => {
        const fromX = 'Copied on the remote side ✓ äöü';
        await env.setClipboard(fromX);
        await openPanel(page, 'Clipboard');
        const field = page.getByRole('textbox', { name: 'Clipboard' });
        await until('server clipboard shown', async () => (await field.inputValue()) === fromX, 10000);
        await shot(page, '07-clipboard');
        const fromBrowser = 'Pasted from the browser ✓ 42';
        await field.fill(fromBrowser);
        await page.getByRole('button', { name: 'Send to remote' }).click();
        await until('X clipboard has the text', async () => (await env.getClipboard()) === fromBrowser, 10000, 300);
        await closePanel(page);
        const extended = await page.evaluate(() => window.vnc.rfb._clipboard.extended);
        return extended ? 'through the Extended Clipboard' : 'through Latin-1 cut text';
    }],

    ['scale to fit keeps the whole desktop in the window', async ({ page, shot }) => {
        await page.setViewportSize({ width: 800, height: 520 });
        await setSelect(page, 'Scaling', 'scale');
        await closePanel(page);
        const fit = await until('canvas fits', () => page.evaluate(() => {
            const s = document.querySelector('#vnc .nvp-screen').getBoundingClientRect();
            const c = document.querySelector('#vnc canvas');
            const r = c.getBoundingClientRect();
            const fits = r.width <= s.width + 0.5 && r.height <= s.height + 0.5 &&
                (Math.abs(r.width - s.width) <= 1 || Math.abs(r.height - s.height) <= 1);
            const ratio = Math.abs(r.width / r.height - c.width / c.height) < 0.01;
            return fits && ratio ? `${c.width}x${c.height} shown as ${Math.round(r.width)}x${Math.round(r.height)}` : null;
        }));
        await sleep(300);
        await shot(page, '08-scaled');
        return fit;
    }],

    ['drag to pan a desktop larger than the window', async ({ env, page, shot }) => {
        await setSelect(page, 'Scaling', 'off');
        await closePanel(page);
        await showBar(page);
        const pan = page.getByRole('button', { name: 'Drag to pan' });
        await pan.waitFor({ state: 'visible', timeout: 5000 });
        await pan.click();
        assert.equal(await pan.getAttribute('aria-pressed'), 'true');
        const before = await env.pointer();
        const box = await page.locator('#vnc .nvp-screen').boundingBox();
        await page.mouse.move(box.x + 600, box.y + 400);
        await page.mouse.down();
        await page.mouse.move(box.x + 450, box.y + 300, { steps: 5 });
        await page.mouse.move(box.x + 300, box.y + 150, { steps: 5 });
        await page.mouse.up();
        const scroll = await page.locator('#vnc .nvp-screen').evaluate((el) => [el.scrollLeft, el.scrollTop]);
        assert.ok(scroll[0] > 100 && scroll[1] > 100, `scrolled ${scroll}`);
        assert.deepEqual(await env.pointer(), before, 'panning sends no pointer events');
        await shot(page, '09-panned');
        await showBar(page);
        await pan.click();
        assert.equal(await pan.getAttribute('aria-pressed'), 'false');
        return `scrolled to ${scroll}`;
    }],

    ['remote resize changes the X screen', async ({ env, page, shot }) => {
        await page.setViewportSize({ width: 900, height: 600 });
        await setSelect(page, 'Scaling', 'remote');
        await closePanel(page);
        await until('X screen is 900x600', async () => {
            const s = await env.screenSize();
            return s.width === 900 && s.height === 600;
        }, 15000, 300);
        await until('canvas follows', () => page.evaluate(() => document.querySelector('#vnc canvas').width === 900));
        await sleep(500);
        await shot(page, '10-remote-resized');
        await page.setViewportSize({ width: 1280, height: 800 });
        await until('X screen follows the window', async () => {
            const s = await env.screenSize();
            return s.width === 1280 && s.height === 800;
        }, 15000, 300);
        return 'xrandr: 900x600, then 1280x800';
    }],

    ['fullscreen toggles', async ({ page }) => {
        await showBar(page);
        const button = page.getByRole('button', { name: 'Full screen' });
        await button.click();
        await page.waitForFunction(() => document.fullscreenElement?.id === 'vnc', null, { timeout: 5000 });
        await until('button shows full screen', async () => (await button.getAttribute('aria-pressed')) === 'true', 3000);
        await showBar(page);
        await button.click();
        await page.waitForFunction(() => document.fullscreenElement === null, null, { timeout: 5000 });
        await until('button shows windowed', async () => (await button.getAttribute('aria-pressed')) === 'false', 3000);
    }],

    ['reconnect after the proxy session is cut', async ({ env, page, shot }) => {
        await setCheck(page, 'Reconnect automatically', true);
        const delay = page.getByLabel('First retry after');
        await delay.fill('0.5');
        await delay.press('Tab');
        await setSelect(page, 'Picture quality', '3');
        await setSelect(page, 'Compression', '7');
        assert.deepEqual(await page.evaluate(() => [window.vnc.rfb.qualityLevel, window.vnc.rfb.compressionLevel]), [3, 7]);
        await closePanel(page);
        await page.evaluate(() => {
            window.__states = [];
            new MutationObserver(() => window.__states.push(window.vnc.state))
                .observe(document.getElementById('vnc'), { attributes: true, attributeFilter: ['data-state'] });
        });
        const how = await env.cutSessions();
        await waitState(page, 'waiting', 20000).catch(() => {});
        const seen = await page.evaluate(() => window.__states.join(','));
        await shot(page, '11-reconnecting').catch(() => {});
        await waitState(page, 'connected', 90000);
        const states = await page.evaluate(() => [...new Set(window.__states)]);
        assert.ok(states.includes('waiting'), `went through waiting: ${states}`);
        assert.ok(!states.includes('password'), 'the password is not asked again');
        return `${how}; states ${seen ? `${seen},…` : ''} → connected`;
    }],

    ['settings survive a reload; the query string overrides without saving', async ({ env, page }) => {
        const form = () => page.evaluate(() => {
            const f = (n) => document.querySelector(`#vnc [name=${n}]`);
            return { resize: f('resize').value, quality: f('quality').value, compression: f('compression').value,
                reconnect: f('reconnect').checked, delay: f('reconnect_delay').value, port: f('port').value, dot: f('dot_cursor').checked };
        });
        await page.goto(`${env.base}/client/vnc.html`);
        await page.waitForFunction(() => window.vnc);
        assert.deepEqual(await form(), { resize: 'remote', quality: '3', compression: '7', reconnect: true, delay: '0.5',
            port: String(env.wsPort), dot: true });
        await page.goto(`${env.base}/client/vnc.html?quality=9&resize=scale`);
        await page.waitForFunction(() => window.vnc);
        const overridden = await form();
        assert.deepEqual([overridden.quality, overridden.resize], ['9', 'scale']);
        await page.goto(`${env.base}/client/vnc.html`);
        await page.waitForFunction(() => window.vnc);
        const back = await form();
        assert.deepEqual([back.quality, back.resize], ['3', 'remote']);
    }],

    ['autoconnect, then disconnect from the bar', async ({ env, page, shot }) => {
        await page.goto(`${env.base}/client/vnc.html?autoconnect=true`);
        await login(page);
        await waitState(page, 'connected');
        await showBar(page);
        await page.getByRole('button', { name: 'Disconnect' }).click();
        await waitState(page, 'disconnected');
        assert.equal(await statusText(page), 'Disconnected');
        assert.equal(await page.title(), 'VNC');
        await sleep(300);
        await shot(page, '12-disconnected');
    }],

    ['every control is labelled and reachable by keyboard', async ({ page }) => {
        const unnamed = await page.evaluate(() => [...document.querySelectorAll('#vnc button, #vnc input, #vnc select, #vnc textarea')]
            .filter((el) => !(el.getAttribute('aria-label') || el.labels?.[0]?.textContent.trim() || el.textContent.trim()))
            .map((el) => el.outerHTML.slice(0, 80)));
        assert.deepEqual(unnamed, []);
        await page.evaluate(() => document.activeElement?.blur());
        const reached = new Set();
        for (let i = 0; i < 20; i++) {
            await page.keyboard.press('Tab');
            reached.add(await page.evaluate(() => document.activeElement.getAttribute('aria-label') ||
                document.activeElement.labels?.[0]?.textContent.trim() || document.activeElement.textContent.trim()));
        }
        for (const name of ['Host', 'Port', 'Path', 'Encrypt (wss)', 'Connect', 'Settings', 'Full screen']) {
            assert.ok(reached.has(name), `${name} reached by Tab (reached: ${[...reached]})`);
        }
        return `${reached.size} controls in the tab order`;
    }],

    ['UI.load embeds the client in a page under a path prefix', async ({ env, browser, shot }) => {
        const context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
        try {
            const page = await context.newPage();
            await page.goto(`${env.base}/embed.html?ws=${env.wsPort}`);
            await login(page);
            await waitState(page, 'connected');
            const info = await page.evaluate(() => ({
                app: document.getElementById('remote').classList.contains('nvp-app'),
                css: [...document.styleSheets].some((s) => s.href?.endsWith('/app/styles/ui.css')),
                canvasInside: document.querySelector('#remote canvas') !== null,
                title: document.title,
                accent: getComputedStyle(document.querySelector('#remote .nvp-primary')).backgroundColor,
                scaled: document.querySelector('#remote canvas').getBoundingClientRect().width <= 720,
            }));
            assert.deepEqual(info, { app: true, css: true, canvasInside: true, title: 'Embedding test', accent: 'rgb(194, 65, 12)', scaled: true });
            await sleep(800);
            await shot(page, '13-embedded', { fullPage: true });
        } finally {
            await context.close();
        }
    }],

    ['phone-sized window with touch', async ({ env, browser, shot }) => {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
        try {
            const page = await context.newPage();
            await page.goto(`${env.base}/client/vnc.html?resize=scale&port=${env.wsPort}`);
            await page.waitForFunction(() => window.vnc);
            const cardFits = await page.locator('#vnc .nvp-card').evaluate((el) => el.getBoundingClientRect().right <= 390);
            assert.ok(cardFits, 'the dialog fits');
            await shot(page, '14-phone-connect');
            await page.getByRole('button', { name: 'Connect' }).tap();
            await login(page);
            await waitState(page, 'connected');
            const bar = await page.evaluate(() => {
                const b = document.querySelector('#vnc .nvp-bar');
                return { overflow: b.scrollWidth - b.clientWidth, osk: !document.querySelector('#vnc [data-ref=oskButton]').hidden };
            });
            assert.deepEqual(bar, { overflow: 0, osk: true });
            await sleep(800);
            await shot(page, '15-phone-connected');
            const size = await env.screenSize();
            await env.movePointer(size.width - 5, size.height - 5);
            const n = env.keyEvents().length;
            await page.getByRole('button', { name: 'Show the on-screen keyboard' }).tap();
            assert.ok(await page.evaluate(() => document.activeElement.classList.contains('nvp-osk')), 'keyboard field focused');
            await page.keyboard.type('k');
            await until('typed key seen by X', () => env.keyEvents().slice(n).some(([, k]) => k === 'k'), 5000);
        } finally {
            await context.close();
        }
    }],
];
