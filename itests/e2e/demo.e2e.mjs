#!/usr/bin/env node
// demo.e2e.mjs - the out-of-the-box run, end to end: the distribution as shipped (demo desktop +
// relay with web=true), the page it serves, in Chromium. The clock ticks, a drag draws, typing shows.
//
//   DIST=distribution/target/novnc-proxy-distribution-*.tar.gz node itests/e2e/demo.e2e.mjs
// Needs playwright-core (NODE_PATH or webcontent/node_modules) and /usr/bin/chromium. Unpacks the
// tarball into a temporary directory, moves the shipped ports to free loopback ports, starts
// bin/karaf run in its own process group and stops it (and Chromium) whatever happens.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const here = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(path.join(here, '../../webcontent/package.json'));
const { chromium } = require('playwright-core');

const DIST = process.env.DIST;
const OUT = process.env.E2E_OUT || path.join(here, '../target/e2e');
const deadline = Date.now() + 180_000;
const log = (...a) => console.log('[demo e2e]', ...a);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, ms = 30_000) {
  const end = Math.min(Date.now() + ms, deadline);
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
const listening = (port) => new Promise((resolve) => {
  const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
  c.on('error', () => resolve(false));
});

let karaf, browser, dir;
async function main() {
  assert.ok(DIST && fs.existsSync(DIST), `DIST must name the distribution tarball (got ${DIST})`);
  fs.mkdirSync(OUT, { recursive: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'novnc-demo-e2e-'));
  execFileSync('tar', ['xzf', DIST, '-C', dir, '--strip-components=1']);
  const demoPort = await freePort();
  const relayPort = await freePort();
  const etc = path.join(dir, 'etc');
  const edit = (file, key, value) => {
    const f = path.join(etc, file);
    const lines = fs.readFileSync(f, 'utf8').split('\n').filter((l) => !l.startsWith(`${key} `) && !l.startsWith(`${key}=`));
    fs.writeFileSync(f, [...lines, `${key} = ${value}`, ''].join('\n'));
  };
  // the shipped configuration, moved to free ports; everything else as a newcomer gets it
  edit('org.novnc.proxy.demo-default.cfg', 'port', demoPort);
  edit('org.novnc.proxy.relay-demo.cfg', 'listen', `127.0.0.1:${relayPort}`);
  edit('org.novnc.proxy.relay-demo.cfg', 'target', `127.0.0.1:${demoPort}`);
  edit('org.apache.karaf.shell.cfg', 'sshPort', await freePort());
  edit('org.apache.karaf.management.cfg', 'rmiRegistryPort', await freePort());
  edit('org.apache.karaf.management.cfg', 'rmiServerPort', await freePort());
  fs.writeFileSync(path.join(etc, 'org.ops4j.pax.web.cfg'),
    fs.readFileSync(path.join(etc, 'org.ops4j.pax.web.cfg'), 'utf8') + `\norg.osgi.service.http.port = ${await freePort()}\norg.ops4j.pax.web.listening.addresses = 127.0.0.1\n`);

  karaf = spawn(path.join(dir, 'bin/karaf'), ['run'], { detached: true, stdio: ['ignore', 'ignore', 'ignore'] });
  await until('the relay port', () => listening(relayPort), 90_000);
  log(`Karaf up: relay 127.0.0.1:${relayPort} -> demo desktop 127.0.0.1:${demoPort}`);

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--force-color-profile=srgb'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
  await page.goto(`http://127.0.0.1:${relayPort}/vnc_auto.html`);
  await until('connected', async () => (await page.textContent('#status')).startsWith('Connected'), 20_000);
  await until('the 1280x800 desktop', () => page.evaluate(() => {
    const c = document.querySelector('#screen canvas');
    return c && c.width === 1280 && c.height === 800;
  }));
  await sleep(500);

  // reads a rectangle of the canvas (desktop coordinates) as a string of RGB bytes
  const pixels = (x, y, w, h) => page.evaluate(([x, y, w, h]) => {
    const d = document.querySelector('#screen canvas').getContext('2d').getImageData(x, y, w, h).data;
    let s = '';
    for (let i = 0; i < d.length; i += 4) s += String.fromCharCode(d[i], d[i + 1], d[i + 2]);
    return s;
  }, [x, y, w, h]);
  const differs = (a, b) => { let n = 0; for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++; return n; };
  const box = await page.locator('#screen canvas').boundingBox();
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
  await page.locator('#screen canvas').click({ position: { x: 100 * box.width / 1280, y: 500 * box.height / 800 } });
  await page.keyboard.type('Hello, novnc-proxy!');
  await until('typed text', async () => differs(text0, await pixels(37, 356, 432, 120)) > 100, 10_000);
  await page.screenshot({ path: path.join(OUT, 'demo-3.png') });
  log('typing shows; screenshots in', OUT);
}

async function stop() {
  if (browser) await browser.close().catch(() => {});
  if (karaf && karaf.exitCode === null) {
    try { process.kill(-karaf.pid, 'SIGTERM'); } catch {}
    for (let i = 0; i < 100 && karaf.exitCode === null; i++) await sleep(100);
    try { process.kill(-karaf.pid, 'SIGKILL'); } catch {}
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

main().then(async () => { await stop(); log('PASS'); process.exit(0); },
  async (e) => { console.error('[demo e2e] FAIL:', e.message); await stop(); process.exit(1); });
