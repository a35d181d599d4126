// End to end: wstelnet.html in Chromium, through a WebSocket proxy, on a real
// telnetd (inetutils-telnetd under inetutils-inetd). A local account logs in;
// `stty size` must equal the terminal's rows and columns, before and after a
// window resize (NAWS); a red printf must be red in the terminal; a selection
// is copied and a command pasted with the clipboard keys; after logout the
// next connection gets a fresh login prompt.
//
//   node tests/e2e/telnet.e2e.mjs
//   WSTELNET_URL=http://127.0.0.1:6023/wstelnet.html   use a running proxy (e.g. Karaf's relay
//                      with a wrapper running inetd); otherwise inetd and Debian's websockify
//                      are started here on free loopback ports.
//   WSTELNET_USER / WSTELNET_PASSWORD   an existing account; otherwise the account
//                      novnctest is created if missing and given a fresh random password.
//   CHROMIUM           the browser (/usr/bin/chromium)
import { chromium } from 'playwright-core';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess, stopAll, waitForPort, run, runE2e, chromiumOptions } from './support.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OVERALL_TIMEOUT_MS = 150000;
const STEP_TIMEOUT_MS = 20000;

/** The account that logs in: given, or novnctest with a fresh password. */
async function account() {
    if (process.env.WSTELNET_USER) {
        return { user: process.env.WSTELNET_USER, password: process.env.WSTELNET_PASSWORD ?? '' };
    }
    const user = 'novnctest';
    const password = `e2e-${randomBytes(9).toString('base64url')}`;
    try {
        await run('id', [user]);
    } catch {
        await run('useradd', ['--create-home', '--shell', '/bin/bash', user]);
    }
    execFileSync('chpasswd', { input: `${user}:${password}\n`, timeout: 10000 });
    return { user, password };
}

/** inetd running telnetd on a free loopback port, and websockify serving webcontent in front. */
async function startChain(work) {
    const telnetPort = await freePort();
    const wsPort = await freePort();
    const conf = join(work, 'inetd-telnet.conf');
    writeFileSync(conf, `127.0.0.1:${telnetPort} stream tcp nowait root /usr/sbin/telnetd telnetd -h\n`);
    startProcess('inetutils-inetd', ['-d', conf], { log: join(work, 'inetd.log') });
    await waitForPort(telnetPort);
    startProcess('websockify', ['--web', ROOT, `127.0.0.1:${wsPort}`, `127.0.0.1:${telnetPort}`],
        { log: join(work, 'websockify.log') });
    await waitForPort(wsPort);
    return `http://127.0.0.1:${wsPort}/wstelnet.html`;
}

/** All lines of the terminal's active buffer (scrollback included), right-trimmed. */
function screenText(page) {
    return page.evaluate(() => {
        const buffer = window.wstelnet.term.buffer.active;
        const lines = [];
        for (let y = 0; y < buffer.length; y++) {
            lines.push(buffer.getLine(y).translateToString(true));
        }
        return lines.join('\n');
    });
}

async function waitForText(page, re, what) {
    try {
        await page.waitForFunction(([source, flags]) => {
            const buffer = window.wstelnet.term.buffer.active;
            let text = '';
            for (let y = 0; y < buffer.length; y++) {
                text += `${buffer.getLine(y).translateToString(true)}\n`;
            }
            return new RegExp(source, flags).test(text);
        }, [re.source, re.flags], { timeout: STEP_TIMEOUT_MS, polling: 100 });
    } catch {
        throw new Error(`${what}: ${re} not on the screen after ${STEP_TIMEOUT_MS} ms; screen:\n${await screenText(page)}`);
    }
    return (await screenText(page)).match(re);
}

async function typeLine(page, text) {
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
}

async function login(page, { user, password }) {
    await waitForText(page, /login: ?$/m, 'login prompt');
    await typeLine(page, user);
    await waitForText(page, /Password: ?$/m, 'password prompt');
    await typeLine(page, password);
    // Type-ahead before the shell reads it may be flushed: wait for the prompt.
    await waitForText(page, /[$#] ?$/m, 'shell prompt');
    await typeLine(page, 'echo LOGGED$((6*7))IN');
    await waitForText(page, /^LOGGED42IN$/m, 'shell after login');
}

/** `stty size` in the shell against the terminal's own rows and columns. */
async function checkSize(page, tag) {
    await typeLine(page, `echo ${tag}=$(stty size)=`);
    const [, rows, cols] = await waitForText(page, new RegExp(`${tag}=(\\d+) (\\d+)=`), `stty size (${tag})`);
    const term = await page.evaluate(() => ({ rows: window.wstelnet.term.rows, cols: window.wstelnet.term.cols }));
    const ok = Number(rows) === term.rows && Number(cols) === term.cols;
    return { ok, text: `stty ${rows}x${cols}, terminal ${term.rows}x${term.cols}`, term };
}

/** The cell attributes of the line "red", and the colour the renderer gave it. */
function redCell(page) {
    return page.evaluate(() => {
        const { term } = window.wstelnet;
        const buffer = term.buffer.active;
        for (let y = buffer.length - 1; y >= 0; y--) {
            const line = buffer.getLine(y);
            if (line.translateToString(true) === 'red') {
                const cell = line.getCell(0);
                const spans = [...document.querySelectorAll('.xterm-rows span')].filter((s) => s.textContent === 'red');
                return {
                    palette: cell.isFgPalette(),
                    colour: cell.getFgColor(),
                    rendered: spans.length ? getComputedStyle(spans[spans.length - 1]).color : null,
                };
            }
        }
        return null;
    });
}

/** Selects "red" and copies it; pastes a command and runs it. */
async function clipboard(page) {
    await page.evaluate(() => {
        const { term } = window.wstelnet;
        const buffer = term.buffer.active;
        for (let y = buffer.length - 1; y >= 0; y--) {
            if (buffer.getLine(y).translateToString(true) === 'red') {
                term.select(0, y, 3);
                return;
            }
        }
    });
    await page.keyboard.press('Control+Shift+C');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    await page.evaluate(() => navigator.clipboard.writeText('echo PASTED$((40+2))'));
    await page.keyboard.press('Control+Shift+V');
    await page.keyboard.press('Enter');
    await waitForText(page, /^PASTED42$/m, 'pasted command output');
    return { ok: copied === 'red', text: `copied ${JSON.stringify(copied)}, pasted command ran` };
}

async function main() {
    const work = mkdtempSync(join(tmpdir(), 'wstelnet-e2e-'));
    let browser = null;
    const results = [];
    const check = (name, ok, detail) => {
        results.push(ok);
        console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
    };
    try {
        const who = await account();
        const pageUrl = new URL(process.env.WSTELNET_URL ?? await startChain(work));
        pageUrl.searchParams.set('autoconnect', 'true');
        browser = await chromium.launch(chromiumOptions());
        const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: pageUrl.origin });
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        // with the proxy's login the browser itself reports the refused upgrade and the wrong password's 401
        const expected = (text) => process.env.PROXY_USER
            && /HTTP Authentication failed|status of 401 \(Unauthorized\)/.test(text);
        page.on('console', (m) => m.type() === 'error' && !expected(m.text()) && errors.push(m.text()));
        await page.goto(pageUrl.href);

        if (process.env.PROXY_USER) {
            // the relay asks for its own login first (auth = login): the page's form, no Basic pop-up
            await page.waitForFunction(() => document.body.dataset.state === 'login', null, { timeout: STEP_TIMEOUT_MS });
            check('the proxy asks for its login first', await page.locator('#login-form').isVisible());
            await page.fill('#login-user', process.env.PROXY_USER);
            await page.fill('#login-password', `wrong-${Date.now()}`);
            await page.click('#login-submit');
            await page.locator('#login-message').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
            check('a wrong proxy password is answered in the form', await page.locator('#login-message').isVisible(),
                (await page.locator('#login-message').textContent()).trim());
            await page.fill('#login-password', process.env.PROXY_PASSWORD);
            await page.click('#login-submit');
        }
        await login(page, who);
        check('login prompt and login', true, who.user);

        const first = await checkSize(page, 'SZA');
        check('stty size equals the terminal', first.ok, first.text);

        await page.setViewportSize({ width: 720, height: 420 });
        await page.waitForFunction(([c, r]) => window.wstelnet.term.cols !== c || window.wstelnet.term.rows !== r,
            [first.term.cols, first.term.rows], { timeout: STEP_TIMEOUT_MS });
        const second = await checkSize(page, 'SZB');
        check('after a window resize stty size follows', second.ok && second.term.cols < first.term.cols, second.text);

        await typeLine(page, "printf '\\e[31mred\\e[0m\\n'");
        await waitForText(page, /^red$/m, 'red text');
        // The buffer has it at once; the renderer draws it on the next animation frame.
        await page.waitForFunction(() => [...document.querySelectorAll('.xterm-rows span')].some((s) => s.textContent === 'red'),
            null, { timeout: STEP_TIMEOUT_MS }).catch(() => {});
        const red = await redCell(page);
        check('printf red is red', red?.palette === true && red.colour === 1 && red.rendered !== null
            && red.rendered !== 'rgb(255, 255, 255)', JSON.stringify(red));

        const clip = await clipboard(page);
        check('copy (Ctrl+Shift+C) and paste (Ctrl+Shift+V)', clip.ok, clip.text);

        await typeLine(page, 'exit');
        await page.waitForFunction(() => document.body.dataset.state === 'disconnected', null, { timeout: STEP_TIMEOUT_MS });
        check('logout ends the connection', true, await page.locator('#status').textContent());

        await page.click('#connect-button');
        await waitForText(page, /login: ?$/m, 'login prompt after reconnecting');
        const fresh = !(await screenText(page)).includes('LOGGED42IN');
        check('the next connection gets a fresh login prompt', fresh);
        await login(page, who);
        await typeLine(page, 'exit');
        await page.waitForFunction(() => document.body.dataset.state === 'disconnected', null, { timeout: STEP_TIMEOUT_MS });
        check('second session logs in and out', true);

        check('no page errors', errors.length === 0, errors.join('; '));
    } catch (e) {
        check('run', false, e.message);
        for (const log of ['inetd.log', 'websockify.log']) {
            if (existsSync(join(work, log))) {
                console.log(`--- ${log}\n${readFileSync(join(work, log), 'utf8').slice(-3000)}`);
            }
        }
    } finally {
        await browser?.close().catch(() => {});
        await stopAll();
        rmSync(work, { recursive: true, force: true });
    }
    const failed = results.filter((ok) => !ok).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
}

runE2e(main, OVERALL_TIMEOUT_MS);
