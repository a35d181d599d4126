#!/usr/bin/env node
// decode-bench.mjs - the client engine's decode throughput against noVNC 1.3 (Debian's novnc
// package, /usr/share/novnc) in the same Chromium, in the same run: a full-screen 1920x1080
// session recorded from a real Xvnc (bench/decode/record.mjs) is replayed, per encoding, into each
// client through a local WebSocket, and the time from ServerInit to the last update painted is
// measured. Prints frames per second and MB/s per encoding and client, median of RUNS, and the
// same for a page that only receives the bytes (the browser's WebSocket ceiling on this machine).
//
//   NODE_PATH=<dir with ws> node bench/decode-bench.mjs [--runs 3] [--frames 20] [--only tight,tight-jpeg]
// Needs tigervnc-standalone-server, x11-apps, xterm, imagemagick, novnc, chromium; the `ws` npm
// package (../shared/bench/setup.sh installs it); playwright-core from webcontent/node_modules.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ENCODINGS, startDesktop, record, workDir } from './decode/record.mjs';
import { CHROMIUM } from '../itests/e2e/distribution.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const webcontent = path.resolve(here, '../webcontent');
const { chromium } = createRequire(path.join(webcontent, 'package.json'))('playwright-core');
const { WebSocketServer } = createRequire(import.meta.url)('ws');
const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const RUNS = arg('runs', 3);
const FRAMES = arg('frames', 20);
const onlyAt = process.argv.indexOf('--only');
const SELECTED = onlyAt > 0 ? ENCODINGS.filter((e) => process.argv[onlyAt + 1].split(',').includes(e.name)) : ENCODINGS;
const NOVNC = '/usr/share/novnc';
// noVNC 1.3 has no ZRLE decoder: it drops a connection whose stream holds ZRLE.
const NOVNC_LACKS = new Set(['zrle']);
if (!fs.existsSync(path.join(NOVNC, 'core/rfb.js'))) throw new Error('Debian novnc is not installed (apt-get install novnc)');

const work = workDir();
const streams = {};
const desktop = await startDesktop(work);
try {
  for (const e of SELECTED) {
    const frames = e.name === 'raw' ? Math.min(FRAMES, 8) : FRAMES;
    streams[e.name] = { bytes: await record(desktop.port, e.list, frames), frames };
    console.error(`recorded ${e.name}: ${frames} frames, ${(streams[e.name].bytes.length / 1e6).toFixed(1)} MB`);
  }
} finally {
  desktop.stop();
}

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.css': 'text/css' };
const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  const roots = [['/ours/', webcontent], ['/novnc/', NOVNC], ['/bench/', path.join(here, 'decode')]];
  for (const [prefix, root] of roots) {
    if (u.pathname.startsWith(prefix)) {
      const file = path.join(root, path.normalize(u.pathname.slice(prefix.length)).replace(/^(\.\.[/\\])+/, ''));
      if (file.startsWith(root) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
        fs.createReadStream(file).pipe(res);
        return;
      }
    }
  }
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ server, handleProtocols: (p) => (p.has('binary') ? 'binary' : false) });
wss.on('connection', (ws, req) => {
  const stream = streams[req.url.split('/').pop()];
  if (!stream) { ws.close(); return; }
  for (let off = 0; off < stream.bytes.length; off += 65536) ws.send(stream.bytes.subarray(off, off + 65536));
  ws.on('error', () => {});
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch(CHROMIUM);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
try {
  console.log(`decode of a recorded 1920x1080 full-screen session, Chromium, median of ${RUNS} runs`);
  console.log('encoding     frames     MB   novnc-proxy fps  MB/s   noVNC 1.3 fps  MB/s   ratio   receive only fps  MB/s');
  for (const e of SELECTED) {
    const times = { ours: [], novnc: [], none: [] };
    const errors = {};
    for (let r = 0; r < RUNS; r++) {
      for (const impl of ['novnc', 'ours', 'none'].filter((i) => i !== 'novnc' || !NOVNC_LACKS.has(e.name))) {
        const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
        await page.goto(`${base}/bench/decode.html?impl=${impl}&encoding=${e.name}&size=${streams[e.name].bytes.length}`);
        await page.waitForFunction(() => window.result !== undefined, null, { timeout: 30_000 });
        const r = await page.evaluate(() => Promise.race([window.result,
          new Promise((res) => setTimeout(() => res({ error: 'no end within 60 s' }), 60_000))]));
        if (r.error) {
          errors[impl] = r.error;
        } else {
          times[impl].push(r.ms);
        }
        await page.close();
      }
    }
    const { frames, bytes } = streams[e.name];
    const mb = bytes.length / 1e6;
    const cell = (impl) => {
      if (impl === 'novnc' && NOVNC_LACKS.has(e.name)) return { text: 'no decoder'.padStart(19), s: NaN };
      if (!times[impl].length) return { text: 'failed'.padStart(19), s: NaN };
      const s = median(times[impl]) / 1000;
      return { text: `${(frames / s).toFixed(1).padStart(13)} ${(mb / s).toFixed(0).padStart(5)}`, s };
    };
    const o = cell('ours');
    const n = cell('novnc');
    const ratio = Number.isNaN(o.s / n.s) ? '-' : `${(n.s / o.s).toFixed(2)}x`;
    console.log(`${e.name.padEnd(12)} ${String(frames).padStart(6)} ${mb.toFixed(1).padStart(6)}   ${o.text}   ${n.text}   ${ratio.padStart(5)}   ${cell('none').text.slice(-19)}`);
    for (const [impl, why] of Object.entries(errors)) console.log(`  ${impl}: ${why}`);
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(work, { recursive: true, force: true });
}
