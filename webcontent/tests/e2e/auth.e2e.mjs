// The relay's login in Chromium, against a relay that serves the pages itself
// (web = true) with auth = login,jwt in front of an Xvnc without a password.
// The caller starts it and makes the tokens:
//
//   RELAY_URL      http://127.0.0.1:PORT of the relay
//   AUTH_USER, AUTH_PASSWORD   a user of its login
//   JWT_GOOD       a token the relay accepts
//   JWT_EXPIRED, JWT_TAMPERED, JWT_NONE (alg none), JWT_OUTSIDE (for another target or audience)
//   LINK_URL       a one-time link: http://h:p/vnc.html?autoconnect=true&path=websockify%3Flink%3D<code>
//
// Checks: (1) vnc.html without a login shows the login form and connects
// nothing; (2) a wrong password is answered in the form, still nothing
// connected; (3) the right one shows the desktop; (4) Log out, and the next
// Connect asks again; (5) in fresh browser contexts, ?path=websockify?token=
// connects with the good token, and each bad one is refused with the relay's
// reason on the page; (6) the one-time link connects once, then is refused
// with its reason; (7) the password is in no WebSocket frame, request URL,
// markup, field, storage or cookie the page can read.
//
//   RELAY_URL=... AUTH_USER=... node tests/e2e/auth.e2e.mjs      (CHROMIUM: the browser)
import { chromium } from 'playwright-core';
import { runE2e, chromiumOptions, sleep } from './support.mjs';

const OVERALL_TIMEOUT_MS = 240000;
const WAIT_MS = 20000;        // for anything that should happen
const QUIET_MS = 1500;        // for a connection that must not happen

const ENV = ['RELAY_URL', 'AUTH_USER', 'AUTH_PASSWORD', 'JWT_GOOD', 'JWT_EXPIRED', 'JWT_TAMPERED', 'JWT_NONE', 'JWT_OUTSIDE', 'LINK_URL'];

/** The client's elements (vnc.html builds them; data-ref names are stable). */
const SEL = {
    status: '#vnc [data-ref=status]',
    loginForm: '#vnc [data-ref=loginForm]',
    loginUser: '#vnc [data-ref=loginUser]',
    loginPassword: '#vnc [data-ref=loginPassword]',
    loginMessage: '#vnc [data-ref=loginMessage]',
    loginSubmit: '#vnc [data-ref=loginSubmit]',
    logout: '#vnc [data-ref=logoutButton]',
    connect: '#vnc [data-ref=connectButton]',
    canvas: '#vnc .nvp-screen canvas',
};

class AuthTest {
    constructor(browser, env, check) {
        this.browser = browser;
        this.env = env;
        this.check = check;
        this.base = env.RELAY_URL.replace(/\/+$/, '');
        this.secret = env.AUTH_PASSWORD;
        this.leaks = [];       // where the password was seen
        this.frames = 0;       // WebSocket frames seen, all pages
    }

    /** A fresh context (no cookie, no storage) with one page, watched for the password. */
    async open() {
        const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
        context.setDefaultTimeout(WAIT_MS);
        const page = await context.newPage();
        page.framesIn = 0;
        page.on('pageerror', (e) => this.check('no page errors', false, e.message));
        page.on('request', (r) => this._look(`request URL ${r.method()} ${r.url()}`, r.url()));
        page.on('websocket', (ws) => {
            this._look(`WebSocket URL ${ws.url()}`, ws.url());
            ws.on('framereceived', (f) => {
                this.frames++;
                page.framesIn++;
                this._look('a received WebSocket frame', f.payload);
            });
            ws.on('framesent', (f) => this._look('a sent WebSocket frame', f.payload));
        });
        return { context, page };
    }

    /** Runs one case; a step that throws fails the case, not the run. */
    async run(name, fn) {
        try {
            await fn();
        } catch (e) {
            this.check(name, false, e.message.split('\n')[0]);
        }
    }

    _look(where, data) {
        const text = Buffer.isBuffer(data) ? data.toString('latin1') + data.toString('utf8') : String(data);
        if (text.includes(this.secret) || text.includes(encodeURIComponent(this.secret))) {
            this.leaks.push(where);
        }
    }

    async goto(page, url) {
        await page.goto(url, { timeout: WAIT_MS });
        await page.waitForFunction(() => window.vnc !== undefined, null, { timeout: WAIT_MS });
    }

    /**
     * (8) A relay with auth = cert that requires a client certificate (CERT_URL, https): with the
     * certificate of CLIENT_CERT / CLIENT_KEY the desktop shows; without one the page cannot even load.
     */
    async certificate() {
        const origin = new URL(process.env.CERT_URL).origin;
        const withCert = await this.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 },
            clientCertificates: [{ origin, certPath: process.env.CLIENT_CERT, keyPath: process.env.CLIENT_KEY }] });
        try {
            const page = await withCert.newPage();
            await page.goto(`${origin}/vnc.html?autoconnect=true`, { timeout: WAIT_MS });
            const state = await this.waitState(page, ['connected']);
            this.check('(8) with a client certificate the desktop shows', state === 'connected' && await this.connected(page),
                `state ${state}, status "${await this.status(page)}"`);
        } finally {
            await withCert.close();
        }
        const without = await this.browser.newContext({ ignoreHTTPSErrors: true });
        try {
            const page = await without.newPage();
            const loaded = await page.goto(`${origin}/vnc.html?autoconnect=true`, { timeout: WAIT_MS }).then(() => true, (e) => e.message);
            this.check('(8) without a client certificate nothing is served', loaded !== true, String(loaded).split('\n')[0]);
        } finally {
            await without.close();
        }
    }

    /** Waits for the client to reach one of states; returns the state (or the last one seen). */
    async waitState(page, states, ms = WAIT_MS) {
        await page.waitForFunction((s) => s.includes(window.vnc?.state), states, { timeout: ms }).catch(() => {});
        return page.evaluate(() => window.vnc?.state);
    }

    status(page) {
        return page.locator(SEL.status).textContent();
    }

    connected(page) {
        return page.evaluate((sel) => {
            const canvas = document.querySelector(sel);
            return window.vnc?.rfb?.state === 'connected' && canvas !== null && !canvas.hidden && canvas.width > 0;
        }, SEL.canvas);
    }

    /** The relay's own answer to /auth/check for a query, asked from here (no cookie). */
    async relayReason(query) {
        const res = await fetch(`${this.base}/auth/check${query}`);
        const body = await res.json();
        return body.ok === false ? body.reason : null;
    }

    /** What the page could give away: markup, field values, storage, readable cookies, its address. */
    async pageSecrets(page, label) {
        const kept = await page.evaluate(() => ({
            html: document.documentElement.outerHTML,
            fields: [...document.querySelectorAll('input, textarea')].map((el) => el.value).join('\n'),
            local: JSON.stringify({ ...localStorage }),
            session: JSON.stringify({ ...sessionStorage }),
            cookie: document.cookie,
            address: location.href,
        }));
        const cookies = JSON.stringify(await page.context().cookies());
        for (const [where, text] of Object.entries({ ...kept, 'the context\'s cookies': cookies })) {
            this.check(`(7) ${label}: the password is not in ${where}`, !text.includes(this.secret));
        }
    }

    /** (1) to (4) in one context: the login form, a wrong password, the right one, Log out. */
    async loginFlow() {
        const { context, page } = await this.open();
        try {
            await this.goto(page, `${this.base}/vnc.html?autoconnect=true`);
            const state = await this.waitState(page, ['login', 'connected']);
            await sleep(QUIET_MS);
            this.check('(1) without a login the login form appears', state === 'login' && await page.locator(SEL.loginForm).isVisible(),
                `state ${state}, status "${await this.status(page)}"`);
            this.check('(1) nothing is connected', !await this.connected(page) && page.framesIn === 0, `${page.framesIn} frame(s)`);

            await page.locator(SEL.loginUser).fill(this.env.AUTH_USER);
            await page.locator(SEL.loginPassword).fill(`wrong-${Date.now()}`);
            await page.locator(SEL.loginSubmit).click();
            const message = page.locator(SEL.loginMessage);
            await message.waitFor({ state: 'visible', timeout: WAIT_MS }).catch(() => {});
            const said = (await message.textContent()).trim();
            this.check('(2) a wrong password is answered in the form', said !== '' && await message.isVisible(), said);
            this.check('(2) the password field is emptied', await page.locator(SEL.loginPassword).inputValue() === '');
            await sleep(QUIET_MS);
            this.check('(2) still not connected', await page.evaluate(() => window.vnc.state) === 'login' && !await this.connected(page),
                await this.status(page));

            await page.locator(SEL.loginPassword).fill(this.secret);
            await page.locator(SEL.loginPassword).press('Enter');
            const after = await this.waitState(page, ['connected']);
            await page.waitForFunction((sel) => document.querySelector(sel)?.width > 0, SEL.canvas, { timeout: WAIT_MS }).catch(() => {});
            this.check('(3) the right password shows the desktop', after === 'connected' && await this.connected(page),
                `state ${after}, status "${await this.status(page)}"`);
            this.check('(3) the status says connected', /^Connected to /.test(await this.status(page)), await this.status(page));
            await page.waitForFunction((sel) => !document.querySelector(sel).hidden, SEL.logout, { timeout: WAIT_MS }).catch(() => {});
            this.check('(3) Log out is offered', !await page.locator(SEL.logout).evaluate((el) => el.hidden));
            await this.pageSecrets(page, 'logged in');

            if (await page.locator('#vnc').getAttribute('data-bar') === 'hidden') {
                await page.getByRole('button', { name: 'Show the controls' }).click();
            }
            await page.locator(SEL.logout).click();
            await page.waitForFunction((sel) => document.querySelector(sel).textContent === 'Logged out', SEL.status, { timeout: WAIT_MS })
                .catch(() => {});
            this.check('(4) Log out disconnects', await page.evaluate(() => window.vnc.state) === 'disconnected' && !await this.connected(page),
                await this.status(page));
            this.check('(4) the status says so', await this.status(page) === 'Logged out', await this.status(page));
            await page.locator(SEL.connect).click();
            const again = await this.waitState(page, ['login', 'connected']);
            this.check('(4) the next Connect shows the login form again', again === 'login' && await page.locator(SEL.loginForm).isVisible(),
                `state ${again}, status "${await this.status(page)}"`);
            await this.pageSecrets(page, 'logged out');
        } finally {
            await context.close();
        }
    }

    /** (5) a token in path=, each in a fresh context. */
    async token(name, jwt, good) {
        const { context, page } = await this.open();
        try {
            const path = encodeURIComponent(`websockify?token=${jwt}`);
            await this.goto(page, `${this.base}/vnc.html?autoconnect=true&path=${path}`);
            const state = await this.waitState(page, ['connected', 'disconnected', 'login']);
            const status = await this.status(page);
            if (good) {
                this.check(`(5) ${name} connects`, state === 'connected' && await this.connected(page), `state ${state}, status "${status}"`);
                return;
            }
            const reason = await this.relayReason(`?token=${encodeURIComponent(jwt)}`);
            this.check(`(5) ${name}: the relay refuses it`, reason !== null, String(reason));
            this.check(`(5) ${name} is not connected`, state !== 'connected' && !await this.connected(page), `state ${state}`);
            this.check(`(5) ${name}: the page shows the reason`, reason !== null && status.includes(reason), `"${status}"`);
        } finally {
            await context.close();
        }
    }

    /** (6) a one-time link: connects the first time only. */
    async oneTimeLink() {
        const link = this.env.LINK_URL;
        for (const round of ['first', 'second']) {
            const { context, page } = await this.open();
            try {
                await this.goto(page, link);
                const state = await this.waitState(page, ['connected', 'disconnected', 'login']);
                const status = await this.status(page);
                if (round === 'first') {
                    this.check('(6) the link connects once', state === 'connected' && await this.connected(page), `state ${state}, "${status}"`);
                    continue;
                }
                const query = new URL(`http://x/${new URL(link).searchParams.get('path') ?? ''}`).search;
                const reason = await this.relayReason(query);
                // Refused outright, or (a relay that also has a login) asked for one instead.
                this.check('(6) the second time it is not connected', state !== 'connected' && !await this.connected(page), `state ${state}`);
                this.check('(6) the relay refuses the used link', reason !== null, String(reason));
                const shown = state === 'login' || /^Refused by the proxy: /.test(status);
                this.check('(6) with the reason shown', shown && reason !== null && status.includes(reason), `"${status}" (the relay says "${reason}")`);
            } finally {
                await context.close();
            }
        }
    }
}

async function main() {
    const missing = ENV.filter((name) => !process.env[name]);
    if (missing.length > 0) {
        console.error(`auth e2e: set ${missing.join(', ')} (see the head of this file)`);
        return 2;
    }
    const env = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
    const results = [];
    const check = (name, ok, detail) => {
        results.push(ok);
        console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
    };
    let browser = null;
    try {
        browser = await chromium.launch(chromiumOptions());
        const t = new AuthTest(browser, env, check);
        await t.run('(1)-(4) login', () => t.loginFlow());
        await t.run('(5) good token', () => t.token('JWT_GOOD', env.JWT_GOOD, true));
        if (process.env.JWT_GOOD_ES) {
            await t.run('(5) good ES256 token', () => t.token('JWT_GOOD_ES', process.env.JWT_GOOD_ES, true));
        }
        for (const name of ['JWT_EXPIRED', 'JWT_TAMPERED', 'JWT_NONE', 'JWT_OUTSIDE']) {
            await t.run(`(5) ${name}`, () => t.token(name, env[name], false));
        }
        await t.run('(6) one-time link', () => t.oneTimeLink());
        if (process.env.CERT_URL) {
            await t.run('(8) client certificate', () => t.certificate());
        }
        check('(7) WebSocket frames were seen at all', t.frames > 0, `${t.frames} frame(s)`);
        check('(7) the password is in no WebSocket frame or request URL', t.leaks.length === 0, t.leaks.slice(0, 3).join('; '));
    } catch (e) {
        check('run', false, e.stack ?? e.message);
    } finally {
        await browser?.close().catch(() => {});
    }
    const failed = results.filter((ok) => !ok).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
}

runE2e(main, OVERALL_TIMEOUT_MS, 'auth e2e');
