// End to end for vnc.html (the full client) in Chromium against a real,
// password-protected TigerVNC server through a WebSocket proxy (the Karaf
// relay when a distribution is built, else websockify; PROXY_CMD overrides).
// Screenshots of the main states go to tests/e2e/output/ui-*.png.
//
//   node tests/e2e/ui.e2e.mjs          (npm run e2e:ui)
//   E2E_ONLY=regexp runs only the matching steps (later steps may need earlier ones).
import { chromium } from 'playwright-core';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, stopAll, runE2e, chromiumOptions } from './support.mjs';
import { Environment, ROOT } from './ui-env.mjs';
import { STEPS } from './ui-steps.mjs';

const OVERALL_TIMEOUT_MS = 600000;
const STEP_TIMEOUT_MS = 120000;
const OUTPUT = join(ROOT, 'tests/e2e/output');

function withTimeout(promise, ms, what) {
    let timer;
    return Promise.race([
        promise,
        new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
        }),
    ]).finally(() => clearTimeout(timer));
}

async function main() {
    const work = mkdtempSync(join(tmpdir(), 'ui-e2e-'));
    mkdirSync(OUTPUT, { recursive: true });
    const env = new Environment(work);
    let browser = null;
    try {
        const t0 = Date.now();
        console.log(`proxy: ${env.proxyCmd}`);
        await env.start();
        console.log(`environment ready in ${Date.now() - t0} ms (display :${env.display}, websocket port ${env.wsPort})`);
        browser = await chromium.launch(chromiumOptions({ srgb: true }));
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        const pageErrors = [];
        page.on('pageerror', (e) => pageErrors.push(String(e)));
        const consoleLog = createWriteStream(join(OUTPUT, 'ui-console.log'));
        page.on('console', (m) => consoleLog.write(`${m.type()}: ${m.text()}\n`));
        const t = {
            env, browser, context, page, pageErrors,
            shot: (p, name, opts = {}) => p.screenshot({ path: join(OUTPUT, `ui-${name}.png`), ...opts }),
        };
        const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY, 'i') : null;
        let passed = 0;
        let failed = 0;
        for (const [name, step] of STEPS) {
            if (only && !only.test(name)) {
                continue;
            }
            const started = Date.now();
            try {
                const note = await withTimeout(step(t), STEP_TIMEOUT_MS, name);
                passed++;
                console.log(`PASS ${name} (${Date.now() - started} ms)${note ? `: ${note}` : ''}`);
            } catch (e) {
                failed++;
                console.log(`FAIL ${name} (${Date.now() - started} ms): ${e.message}`);
                await t.shot(page, `failed-${name}`).catch(() => {});
            }
        }
        if (pageErrors.length) {
            failed++;
            console.log(`FAIL uncaught page errors: ${pageErrors.join(' | ')}`);
        }
        console.log(`${passed} passed, ${failed} failed`);
        return failed === 0 ? 0 : 1;
    } finally {
        await browser?.close().catch(() => {});
        await stopAll();
        await sleep(200);
        env.cleanup();
        rmSync(work, { recursive: true, force: true });
    }
}

runE2e(main, OVERALL_TIMEOUT_MS, 'ui e2e');
