// The guard of vnc.html, vnc_auto.html and wstelnet.html in Chromium, against
// a TCP listener that only counts the connections it gets (the pages' WebSocket
// opens a TCP connection first, so a count is a connect). For each page:
//   (a) a link to the page on 127.0.0.1 naming host=localhost asks first: nothing
//       connects for 2 s, Cancel connects nothing, Connect (after a reload) does;
//   (b) host=127.0.0.1, the page's own host, connects without asking;
//   (c) localhost named in the page's novnc-trusted-hosts meta connects without asking;
//   (d) password=... in the link leaves the address at once (other parameters
//       stay) and is found in no storage, cookie or markup.
//
//   node tests/e2e/guard.e2e.mjs       (CHROMIUM: the browser, /usr/bin/chromium)
import { chromium } from 'playwright-core';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, freePort, staticServer, runE2e, chromiumOptions } from './support.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OVERALL_TIMEOUT_MS = 150000;
const WAIT_MS = 10000;        // for anything that should happen
const QUIET_MS = 2000;        // for a connection that must not happen
const SECRET = 'Secr3t-xyz';
const FOREIGN = 'localhost';  // another name than the 127.0.0.1 the pages are loaded from

/** The three pages: where each shows the question and how to tell that its script has run. */
const PAGES = [
    { file: 'vnc.html', question: '#vnc [data-ref=status]', form: '#vnc .nvp-confirm', ready: () => window.vnc !== undefined },
    { file: 'vnc_auto.html', question: '#confirm-text', form: '#confirm-form',
        ready: () => document.getElementById('status').textContent !== 'Loading' },
    { file: 'wstelnet.html', question: '#confirm-text', form: '#confirm-form', ready: () => window.wstelnet !== undefined },
];

/** A TCP listener on 127.0.0.1 that counts incoming connections and closes them. */
async function countingListener() {
    const listener = { count: 0 };
    listener.server = createServer((socket) => {
        listener.count++;
        socket.destroy();
    });
    await new Promise((ok) => listener.server.listen(0, '127.0.0.1', ok));
    listener.port = listener.server.address().port;
    return listener;
}

/** webcontent again, with `trusted` in the pages' novnc-trusted-hosts meta (the rest linked). */
function trustedSite(dir, trusted) {
    for (const entry of ['app', 'core', 'telnet', 'vendor', 'favicon.svg']) {
        symlinkSync(join(ROOT, entry), join(dir, entry));
    }
    for (const { file } of PAGES) {
        const html = readFileSync(join(ROOT, file), 'utf8');
        const edited = html.replace('<meta name="novnc-trusted-hosts" content="">', `<meta name="novnc-trusted-hosts" content="${trusted}">`);
        if (edited === html) {
            throw new Error(`${file} has no empty novnc-trusted-hosts meta to fill in`);
        }
        writeFileSync(join(dir, file), edited);
    }
}

async function until(fn, timeoutMs = WAIT_MS) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await fn()) {
            return true;
        }
        await sleep(50);
    }
    return false;
}

class GuardTest {
    constructor(browser, listener, check) {
        this.browser = browser;
        this.listener = listener;
        this.check = check;
    }

    /** A fresh context (no storage of other runs) with the page loaded and its script run. */
    async open(spec, url) {
        const context = await this.browser.newContext();
        context.setDefaultTimeout(WAIT_MS);
        const page = await context.newPage();
        page.on('pageerror', (e) => this.check(`${spec.file}: no page errors`, false, e.message));
        await page.goto(url, { timeout: WAIT_MS });
        await page.waitForFunction(spec.ready, null, { timeout: WAIT_MS });
        return { context, page };
    }

    /** Runs one case; a step that throws (a button never shown) fails the case, not the run. */
    async run(name, fn) {
        try {
            await fn();
        } catch (e) {
            this.check(name, false, e.message.split('\n')[0]);
        }
    }

    async connectionAfter(before) {
        return until(() => this.listener.count > before);
    }

    /** (a) another host: asked, Cancel connects nothing, Connect does. */
    async foreignHost(spec, base) {
        const url = `${base}/${spec.file}?autoconnect=true&host=${FOREIGN}&port=${this.listener.port}`;
        const question = `Connect to ${FOREIGN}:${this.listener.port}? ` +
            'This link asks to connect to a server other than the one that served this page.';
        const before = this.listener.count;
        const { context, page } = await this.open(spec, url);
        try {
            const asked = await until(async () => (await page.locator(spec.question).textContent()) === question);
            await sleep(QUIET_MS);
            this.check(`${spec.file} (a): host=${FOREIGN} is asked about`, asked && await page.locator(spec.question).isVisible(),
                await page.locator(spec.question).textContent());
            this.check(`${spec.file} (a): nothing connects within ${QUIET_MS} ms`, this.listener.count === before,
                `${this.listener.count - before} connection(s)`);
            await page.getByRole('button', { name: 'Cancel', exact: true }).click({ timeout: WAIT_MS });
            await sleep(1000);
            this.check(`${spec.file} (a): Cancel connects nothing and puts the question away`,
                this.listener.count === before && await page.locator(spec.form).isHidden(), `${this.listener.count - before} connection(s)`);
            await page.reload({ timeout: WAIT_MS });
            await page.waitForFunction(spec.ready, null, { timeout: WAIT_MS });
            await page.getByRole('button', { name: 'Connect', exact: true }).click({ timeout: WAIT_MS });
            this.check(`${spec.file} (a): after a reload, Connect connects`, await this.connectionAfter(before));
        } finally {
            await context.close();
        }
    }

    /** (b) and (c): connects on load without a question. */
    async connectsAtOnce(spec, url, label) {
        const before = this.listener.count;
        const { context, page } = await this.open(spec, url);
        try {
            const connected = await this.connectionAfter(before);
            this.check(`${spec.file} ${label}: connects without asking`, connected && await page.locator(spec.form).isHidden(),
                connected ? '' : `no connection in ${WAIT_MS} ms; the page says "${await page.locator(spec.question).textContent()}"`);
        } finally {
            await context.close();
        }
    }

    /** (d) the password leaves the address and is stored nowhere; the other parameters stay. */
    async passwordInLink(spec, base) {
        const before = this.listener.count;
        const url = `${base}/${spec.file}?autoconnect=true&host=127.0.0.1&port=${this.listener.port}&password=${SECRET}&path=x-path#logging=warn`;
        const { context, page } = await this.open(spec, url);
        try {
            const href = await page.evaluate(() => location.href);
            this.check(`${spec.file} (d): the password left the address`, !href.includes(SECRET), href);
            this.check(`${spec.file} (d): the other parameters stayed`,
                ['autoconnect=true', 'host=127.0.0.1', `port=${this.listener.port}`, 'path=x-path', '#logging=warn'].every((p) => href.includes(p)), href);
            await this.connectionAfter(before);   // the whole connect path has run
            if (spec.file === 'vnc.html') {
                await page.evaluate(() => window.vnc.setSetting('quality', 3));   // something is stored
            }
            const kept = await page.evaluate(() => ({
                local: JSON.stringify({ ...localStorage }),
                session: JSON.stringify({ ...sessionStorage }),
                cookie: document.cookie,
                html: document.documentElement.outerHTML,
                inputs: [...document.querySelectorAll('input, textarea')].map((el) => el.value).join('\n'),
                // Kept in memory for the connection: vnc.html's client, vnc_auto.html's RFB.
                memory: window.vnc?._password ?? window.rfb?.credentials.password ?? null,
            }));
            for (const where of ['local', 'session', 'cookie', 'html', 'inputs']) {
                this.check(`${spec.file} (d): the password is not in ${where}`, !kept[where].includes(SECRET));
            }
            if (spec.file !== 'wstelnet.html') {
                this.check(`${spec.file} (d): the password is kept in memory for the server`, kept.memory === SECRET, String(kept.memory));
            }
        } finally {
            await context.close();
        }
    }
}

async function main() {
    const work = mkdtempSync(join(tmpdir(), 'guard-e2e-'));
    const listener = await countingListener();
    const [port, trustedPort] = [await freePort(), await freePort()];
    trustedSite(work, FOREIGN);
    const servers = [await staticServer(ROOT, port), await staticServer(work, trustedPort)];
    const base = `http://127.0.0.1:${port}`;
    const results = [];
    const check = (name, ok, detail) => {
        results.push(ok);
        console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
    };
    let browser = null;
    try {
        browser = await chromium.launch(chromiumOptions());
        const t = new GuardTest(browser, listener, check);
        for (const spec of PAGES) {
            const query = (host) => `autoconnect=true&host=${host}&port=${listener.port}`;
            await t.run(`${spec.file} (a)`, () => t.foreignHost(spec, base));
            await t.run(`${spec.file} (b)`, () => t.connectsAtOnce(spec, `${base}/${spec.file}?${query('127.0.0.1')}`, '(b) own host'));
            await t.run(`${spec.file} (c)`, () => t.connectsAtOnce(spec, `http://127.0.0.1:${trustedPort}/${spec.file}?${query(FOREIGN)}`,
                `(c) ${FOREIGN} trusted by the page`));
            await t.run(`${spec.file} (d)`, () => t.passwordInLink(spec, base));
        }
    } catch (e) {
        check('run', false, e.stack ?? e.message);
    } finally {
        await browser?.close().catch(() => {});
        servers.forEach((s) => s.close());
        listener.server.close();
        rmSync(work, { recursive: true, force: true });
    }
    const failed = results.filter((ok) => !ok).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
}

runE2e(main, OVERALL_TIMEOUT_MS, 'guard e2e');
