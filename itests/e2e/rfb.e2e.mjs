#!/usr/bin/env node
// rfb.e2e.mjs - the proxy speaks RFB, in Chromium on the real chain: an Xvnc that wants a VNC
// password (painted one solid colour with xsetroot), the distribution with two relays serving the
// pages (web = true) in front of it: one with target.password.file, one also view.only.
//   1. vnc.html connects without ever asking for a password; the desktop is shown pixel for pixel
//      (every pixel of the 320x240 canvas is the root window's colour); the viewer was offered
//      security type None only; no WebSocket frame, either way, holds the password.
//   2. the view-only page clicks and types: the X pointer does not move; the full page's click does.
//
//   DIST=distribution/target/novnc-proxy-distribution-*.tar.gz node itests/e2e/rfb.e2e.mjs
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDistribution, until, sleep, freePort, setKey, listening, CHROMIUM } from './distribution.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(path.join(here, '../../webcontent/package.json'));
const { chromium } = require('playwright-core');
const log = (...a) => console.log('[rfb e2e]', ...a);
const PASSWORD = `p${Math.random().toString(36).slice(2, 8)}`; // VNC uses 8 characters at most
const COLOUR = [0x33, 0x66, 0xcc];

function freeDisplay() {
  for (let d = 60; d < 200; d++) {
    if (!fs.existsSync(`/tmp/.X11-unix/X${d}`) && !fs.existsSync(`/tmp/.X${d}-lock`)) return d;
  }
  throw new Error('no free X display');
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rfb-e2e-'));
const passwd = path.join(work, 'passwd');
fs.writeFileSync(passwd, spawnSync('vncpasswd', ['-f'], { input: `${PASSWORD}\n` }).stdout);
fs.writeFileSync(path.join(work, 'target.pw'), `${PASSWORD}\n`);
const display = freeDisplay();
const vncPort = await freePort();
const xvnc = spawn('Xvnc', [`:${display}`, '-rfbport', String(vncPort), '-localhost', '-SecurityTypes', 'VncAuth', '-rfbauth', passwd,
  '-AlwaysShared', '-geometry', '320x240', '-depth', '24', '-desktop', 'rfb-e2e'], { stdio: 'ignore', detached: true });
const xenv = { ...process.env, DISPLAY: `:${display}` };
const pointer = () => spawnSync('xdotool', ['getmouselocation'], { env: xenv, encoding: 'utf8' }).stdout.trim();
let karaf;
let browser;
const results = [];
const check = (name, ok, detail = '') => { results.push(ok); log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`); };
let fullPort;
let viewPort;
try {
  await until('Xvnc', () => listening(vncPort), 20_000);
  spawnSync('xsetroot', ['-solid', '#3366cc'], { env: xenv });
  karaf = await startDistribution(process.env.DIST, async (dir) => {
    fullPort = await freePort();
    viewPort = await freePort();
    for (const [name, port, viewOnly] of [['full', fullPort, false], ['view', viewPort, true]]) {
      const cfg = `org.novnc.proxy.relay-rfb${name}.cfg`;
      setKey(dir, cfg, 'listen', `127.0.0.1:${port}`);
      setKey(dir, cfg, 'target', `127.0.0.1:${vncPort}`);
      setKey(dir, cfg, 'web', 'true');
      setKey(dir, cfg, 'target.password.file', path.join(work, 'target.pw'));
      if (viewOnly) setKey(dir, cfg, 'view.only', 'true');
    }
  });
  await until('the relays', async () => await listening(fullPort) && listening(viewPort), 60_000);
  browser = await chromium.launch(CHROMIUM);

  async function open(port) {
    const page = await (await browser.newContext({ viewport: { width: 800, height: 600 } })).newPage();
    const frames = { in: [], out: [] };
    page.on('websocket', (ws) => {
      ws.on('framereceived', (f) => frames.in.push(Buffer.from(f.payload)));
      ws.on('framesent', (f) => frames.out.push(Buffer.from(f.payload)));
    });
    await page.goto(`http://127.0.0.1:${port}/vnc.html?autoconnect=true&resize=off`);
    await until(`connected on ${port}`, () => page.evaluate(() => document.querySelector('.nvp-app')?.dataset.state === 'connected'), 20_000);
    return { page, frames };
  }

  // 1. the password stays with the proxy; the desktop is shown
  const full = await open(fullPort);
  await until('the first picture', () => full.page.evaluate(() => {
    const c = document.querySelector('.nvp-screen canvas');
    return c && c.width === 320 && c.getContext('2d').getImageData(5, 5, 1, 1).data[2] === 0xcc;
  }), 20_000);
  const pixels = await full.page.evaluate(() => {
    const c = document.querySelector('.nvp-screen canvas');
    return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
  });
  let wrong = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i] !== COLOUR[0] || pixels[i + 1] !== COLOUR[1] || pixels[i + 2] !== COLOUR[2]) wrong++;
  }
  check('the desktop is shown pixel for pixel', pixels.length === 320 * 240 * 4 && wrong === 0, `${pixels.length / 4} pixels, ${wrong} differ`);
  const asked = await full.page.evaluate(() => document.querySelector('.nvp-password') && !document.querySelector('.nvp-password').hidden);
  check('the page never asked for a password', !asked);
  const received = Buffer.concat(full.frames.in);
  check('the viewer was offered None only', received.subarray(12, 14).equals(Buffer.from([1, 1])),
    `bytes 12-13: ${received.subarray(12, 14).toString('hex')}`);
  const all = Buffer.concat([...full.frames.in, ...full.frames.out]);
  check('no WebSocket frame holds the password', !all.includes(Buffer.from(PASSWORD)) && full.frames.in.length > 0,
    `${full.frames.in.length} frames in, ${full.frames.out.length} out`);

  // 2. view-only input never reaches the X server; full input does
  const view = await open(viewPort);
  const canvasAt = async (page, x, y) => {
    const box = await page.locator('.nvp-screen canvas').boundingBox();
    return { x: box.x + x * box.width / 320, y: box.y + y * box.height / 240 };
  };
  let at = await canvasAt(full.page, 30, 40);
  await full.page.mouse.move(at.x, at.y);
  await until('the full page moves the X pointer', () => pointer().startsWith('x:30 y:40'), 10_000).catch(() => {});
  check('a full session moves the X pointer', pointer().startsWith('x:30 y:40'), pointer());
  at = await canvasAt(view.page, 250, 200);
  await view.page.mouse.click(at.x, at.y);
  await view.page.keyboard.type('abc');
  await sleep(1500);
  check('a view-only session does not', pointer().startsWith('x:30 y:40'), pointer());
  check('the view-only page stays connected', await view.page.evaluate(() => document.querySelector('.nvp-app')?.dataset.state === 'connected'));
  at = await canvasAt(full.page, 60, 70);
  await full.page.mouse.move(at.x, at.y);
  await until('the full page still moves it', () => pointer().startsWith('x:60 y:70'), 10_000).catch(() => {});
  check('and the full session still does', pointer().startsWith('x:60 y:70'), pointer());
} catch (e) {
  check('run', false, e.stack ?? e.message);
} finally {
  await browser?.close().catch(() => {});
  await karaf?.stop();
  try { process.kill(-xvnc.pid, 'SIGTERM'); } catch {}
  fs.rmSync(work, { recursive: true, force: true });
}
const failed = results.filter((ok) => !ok).length;
log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
