#!/usr/bin/env node
// demo-fps.mjs - frames per second of full-screen updates from the demo desktop to Chromium
// through the relay, per encoding: the distribution as shipped (demo desktop + relay), the relay's
// web root pointed at webcontent/ so webcontent/bench/fps.html (the engine's own decoders and
// canvas display) can ask for whole-screen updates one after another.
//
//   DIST=distribution/target/novnc-proxy-distribution-*.tar.gz node bench/demo-fps.mjs [--seconds 5]
// Needs `npm ci` in webcontent/ (vendor/ and playwright-core) and /usr/bin/chromium.
import { createRequire } from 'node:module';
import path from 'node:path';
import { startDistribution, setKey, CHROMIUM } from '../itests/e2e/distribution.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const webcontent = path.resolve(here, '../webcontent');
const require = createRequire(path.join(webcontent, 'package.json'));
const { chromium } = require('playwright-core');
const i = process.argv.indexOf('--seconds');
const seconds = i > 0 ? Number(process.argv[i + 1]) : 5;
const RUNS = [
  { label: 'raw', encoding: 'raw' },
  { label: 'hextile', encoding: 'hextile' },
  { label: 'zrle', encoding: 'zrle' },
  { label: 'tight (lossless)', encoding: 'tight' },
  { label: 'tight (JPEG q6)', encoding: 'tight', quality: 6 },
];

const karaf = await startDistribution(process.env.DIST,
  async (dir) => setKey(dir, 'org.novnc.proxy.relay-demo.cfg', 'web', webcontent));
let browser;
try {
  browser = await chromium.launch(CHROMIUM);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${karaf.relayPort}/bench/fps.html`);
  await page.waitForFunction(() => window.fpsReady === true);
  const url = `ws://127.0.0.1:${karaf.relayPort}/websockify`;
  console.log(`full-screen updates, ${seconds} s each, demo desktop -> relay -> Chromium (engine decoders + canvas)`);
  console.log('encoding           size        fps     MB/s   KB/frame');
  for (const run of RUNS) {
    const r = await page.evaluate((a) => window.runFps(a), { url, encoding: run.encoding, seconds, quality: run.quality ?? null });
    console.log(`${run.label.padEnd(18)} ${`${r.width}x${r.height}`.padEnd(10)} ${r.fps.toFixed(1).padStart(6)} ${r.mbps.toFixed(1).padStart(8)} ${(r.bytes / r.frames / 1024).toFixed(0).padStart(9)}`);
  }
} finally {
  if (browser) await browser.close().catch(() => {});
  await karaf.stop();
}
