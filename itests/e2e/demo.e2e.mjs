#!/usr/bin/env node
// demo.e2e.mjs - the out-of-the-box run, end to end: the distribution as shipped (demo desktop +
// relay with web=true), the page it serves, in Chromium. The clock ticks, a drag draws, typing shows.
//
//   DIST=distribution/target/novnc-proxy-distribution-*.tar.gz node itests/e2e/demo.e2e.mjs
// Needs playwright-core (NODE_PATH or webcontent/node_modules) and /usr/bin/chromium. Unpacks the
// tarball into a temporary directory, moves the shipped ports to free loopback ports, starts
// bin/karaf run in its own process group and stops it (and Chromium) whatever happens.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import assert from 'node:assert/strict';
import { startDistribution, until, sleep, freePort, setKey, listening, CHROMIUM } from './distribution.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(path.join(here, '../../webcontent/package.json'));
const { chromium } = require('playwright-core');

const OUT = process.env.E2E_OUT || path.join(here, '../target/e2e');
const log = (...a) => console.log('[demo e2e]', ...a);

/** A rectangle of a page's canvas (desktop coordinates) as a string of RGB bytes. */
const canvasPixels = (page, selector, x, y, w, h) => page.evaluate(([selector, x, y, w, h]) => {
  const d = document.querySelector(selector).getContext('2d').getImageData(x, y, w, h).data;
  let s = '';
  for (let i = 0; i < d.length; i += 4) s += String.fromCharCode(d[i], d[i + 1], d[i + 2]);
  return s;
}, [selector, x, y, w, h]);

let karaf, browser;
async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  // the distribution as shipped (demo desktop + relay with web=true), on free ports
  // plus a second relay serving Debian's noVNC 1.3 (another client of the demo desktop), if installed
  const novnc = fs.existsSync('/usr/share/novnc/vnc_lite.html') ? await freePort() : 0;
  karaf = await startDistribution(process.env.DIST, async (dir, ports) => {
    if (novnc) {
      setKey(dir, 'org.novnc.proxy.relay-novnc.cfg', 'listen', `127.0.0.1:${novnc}`);
      setKey(dir, 'org.novnc.proxy.relay-novnc.cfg', 'target', `127.0.0.1:${ports.demoPort}`);
      setKey(dir, 'org.novnc.proxy.relay-novnc.cfg', 'web', '/usr/share/novnc');
    }
  });
  const { relayPort, demoPort } = karaf;
  log(`Karaf up: relay 127.0.0.1:${relayPort} -> demo desktop 127.0.0.1:${demoPort}`);

  browser = await chromium.launch(CHROMIUM);
  const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
  // the URL run.sh prints
  await page.goto(`http://127.0.0.1:${relayPort}/vnc.html?autoconnect=true`);
  await until('connected', () => page.evaluate(() => document.querySelector('.nvp-app')?.dataset.state === 'connected'), 20_000);
  await until('the 1280x800 desktop', () => page.evaluate(() => {
    const c = document.querySelector('.nvp-screen canvas');
    return c && c.width === 1280 && c.height === 800;
  }));
  assert.match(await page.title(), /novnc-proxy demo/, 'the page title shows the desktop name');
  await sleep(500);

  const pixels = (x, y, w, h) => canvasPixels(page, '.nvp-screen canvas', x, y, w, h);
  const differs = (a, b) => { let n = 0; for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++; return n; };
  const box = await page.locator('.nvp-screen canvas').boundingBox();
  const at = (x, y) => [box.x + x * box.width / 1280, box.y + y * box.height / 800];

  // 1. the clock ticks: the clock panel (left, top) changes between two reads 1.5 s apart
  const clock0 = await pixels(23, 89, 460, 210);
  await page.screenshot({ path: path.join(OUT, 'demo-1.png') });
  await sleep(1500);
  await page.screenshot({ path: path.join(OUT, 'demo-2.png') });
  const clock1 = await pixels(23, 89, 460, 210);
  assert.ok(differs(clock0, clock1) > 50, 'the clock changed between two screenshots');
  log('clock ticks');

  // 2. a drag on the canvas draws where the pointer went
  const line = () => pixels(600, 250, 200, 1);
  const before = await line();
  await page.mouse.move(...at(590, 250));
  await page.mouse.down();
  for (let x = 590; x <= 810; x += 10) await page.mouse.move(...at(x, 250));
  await page.mouse.up();
  await until('drawn pixels', async () => differs(before, await line()) > 100, 10_000);
  log('drag draws');

  // 3. typed text appears in the text area
  const text0 = await pixels(37, 356, 432, 120);
  await page.locator('.nvp-screen canvas').click({ position: { x: 100 * box.width / 1280, y: 500 * box.height / 800 } });
  await page.keyboard.type('Hello, novnc-proxy!');
  await until('typed text', async () => differs(text0, await pixels(37, 356, 432, 120)) > 100, 10_000);
  await page.screenshot({ path: path.join(OUT, 'demo-3.png') });
  log('typing shows; screenshots in', OUT);

  // 4. another client: Debian's noVNC 1.3 renders the same shared desktop (with our text on it)
  if (!novnc) {
    throw new Error('Debian novnc is not installed (apt-get install novnc): the demo must also serve noVNC');
  }
  await until('the noVNC relay', () => listening(novnc));
  const other = await browser.newPage({ viewport: { width: 1400, height: 950 } });
  await other.goto(`http://127.0.0.1:${novnc}/vnc_lite.html?host=127.0.0.1&port=${novnc}&scale=false`);
  await until('noVNC connected', async () => /^Connected/.test(await other.textContent('#status')), 20_000);
  const theirs = (x, y, w, h) => canvasPixels(other, '#screen canvas', x, y, w, h);
  // the text area and the drawn line, as our client shows them, appear in noVNC too (noVNC asks
  // for Tight JPEG: compared by mean difference per channel, not pixel for pixel)
  const meanDiff = (a, b) => { let t = 0; for (let i = 0; i < a.length; i++) t += Math.abs(a.charCodeAt(i) - b.charCodeAt(i)); return t / a.length; };
  const ours = { text: await pixels(37, 356, 200, 40), line: await line() };
  const blank = await pixels(37, 600, 200, 40); // an empty part of the text area
  assert.ok(meanDiff(ours.text, blank) > 10, 'our text region holds text');
  await until('noVNC shows the same text and drawing', async () =>
    meanDiff(ours.text, await theirs(37, 356, 200, 40)) < 6 && meanDiff(ours.line, await theirs(600, 250, 200, 1)) < 12, 15_000);
  await other.screenshot({ path: path.join(OUT, 'demo-novnc.png') });
  log('noVNC 1.3 shows the same desktop');

  // 5. no framing by other sites (clickjacking): a page of another origin frames vnc.html and gets
  // nothing, while a frame of its own origin next to it loads
  const foreign = await freePort();
  const site = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(req.url === '/own.html' ? '<p id="own">own frame</p>'
      : `<iframe id="own" src="/own.html"></iframe><iframe id="victim" src="http://127.0.0.1:${relayPort}/vnc.html"></iframe>`);
  });
  await new Promise((resolve) => site.listen(foreign, '127.0.0.1', resolve));
  try {
    const framer = await browser.newPage();
    const refusals = [];
    framer.on('console', (m) => { if (/frame-ancestors|X-Frame-Options/.test(m.text())) refusals.push(m.text()); });
    await framer.goto(`http://127.0.0.1:${foreign}/`);
    await until('the own frame', async () => (await framer.frames().find((f) => f.url().endsWith('/own.html'))
      ?.evaluate(() => !!document.getElementById('own')).catch(() => false)) === true, 10_000);
    await until('the browser refusing the foreign frame', () => refusals.length > 0, 10_000);
    for (const f of framer.frames()) {
      const app = await f.evaluate(() => !!document.querySelector('.nvp-app')).catch(() => false);
      assert.equal(app, false, `the client rendered inside a foreign frame (${f.url()})`);
    }
    log('another site cannot frame the client:', refusals[0].slice(0, 100));
  } finally {
    site.close();
  }
}

async function stop() {
  if (browser) await browser.close().catch(() => {});
  if (karaf) await karaf.stop();
}

main().then(async () => { await stop(); log('PASS'); process.exit(0); },
  async (e) => { console.error('[demo e2e] FAIL:', e.message); await stop(); process.exit(1); });
