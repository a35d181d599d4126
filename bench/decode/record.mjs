// record.mjs - records what a real TigerVNC server sends for full-screen updates, one encoding at a
// time, so decode-bench.mjs can replay the same bytes into two clients. Starts Xvnc 1920x1080 with
// varied content (text, a photo-like image, patterns), connects as an RFB 3.8 client asking for
// 32-bit little-endian RGB (what both measured clients ask for) and records everything the server
// sends from its first byte, for `frames` non-incremental whole-screen requests, then a Bell.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const ENCODINGS = [
  { name: 'raw', list: [0] },
  { name: 'hextile', list: [5] },
  { name: 'zrle', list: [16] },
  { name: 'tight', list: [7] },
  { name: 'tight-jpeg', list: [7, -32 + 6, -256 + 2] },
];

function freeDisplay() {
  for (let d = 40; d < 99; d++) {
    if (!fs.existsSync(`/tmp/.X11-unix/X${d}`) && !fs.existsSync(`/tmp/.X${d}-lock`)) return d;
  }
  throw new Error('no free X display');
}

/** Starts Xvnc with content; returns { port, stop }. */
export async function startDesktop(work) {
  const display = freeDisplay();
  const port = 5900 + display + 100;
  const group = [];
  const start = (cmd, args, env = {}) => {
    const p = spawn(cmd, args, { detached: true, stdio: 'ignore', env: { ...process.env, DISPLAY: `:${display}`, ...env } });
    group.push(p);
    return p;
  };
  start('Xvnc', [`:${display}`, '-geometry', '1920x1080', '-depth', '24', '-SecurityTypes', 'None', '-localhost',
    '-rfbport', String(port), '-AlwaysShared']);
  for (let i = 0; i < 100 && !fs.existsSync(`/tmp/.X11-unix/X${display}`); i++) await sleep(100);
  const env = { ...process.env, DISPLAY: `:${display}` };
  execFileSync('xsetroot', ['-bitmap', '/usr/include/X11/bitmaps/xlogo32', '-fg', '#2d5f8b', '-bg', '#e8e0c8'], { env });
  execFileSync('convert', ['-size', '900x600', 'plasma:fractal', '-seed', '7', path.join(work, 'photo.png')]);
  start('display', ['-immutable', '-geometry', '+960+60', path.join(work, 'photo.png')]);
  for (const [geo, file] of [['100x30+10+10', '/usr/share/common-licenses/GPL-3'], ['100x25+10+520', '/usr/share/common-licenses/Apache-2.0']]) {
    start('xterm', ['-geometry', geo, '-bg', 'white', '-fg', '#202020', '-e', 'sh', '-c', `cat ${file}; sleep 600`]);
  }
  start('xlogo', ['-geometry', '300x300+1500+700', '-render']);
  await sleep(2500);
  return {
    port,
    stop: () => { for (const p of group.reverse()) { try { process.kill(-p.pid, 'SIGKILL'); } catch {} } },
  };
}

/** Records the server's bytes for one encoding: the stream to replay (handshake, updates, a Bell). */
export async function record(port, list, frames) {
  const sock = net.connect(port, '127.0.0.1');
  const chunks = [];
  let total = 0;
  let lastData = Date.now();
  sock.on('data', (d) => { chunks.push(d); total += d.length; lastData = Date.now(); });
  await new Promise((r, j) => { sock.once('connect', r); sock.once('error', j); });
  const waitBytes = async (n) => { for (let i = 0; i < 500 && total < n; i++) await sleep(10); if (total < n) throw new Error('server silent'); };
  const quiet = async () => { for (let i = 0; i < 600; i++) { await sleep(20); if (Date.now() - lastData > 300) return; } };
  await waitBytes(12);
  sock.write('RFB 003.008\n');
  await waitBytes(12 + 2);
  sock.write(Buffer.from([1]));           // security None
  await waitBytes(12 + 2 + 4);
  sock.write(Buffer.from([1]));           // ClientInit: shared
  await waitBytes(12 + 2 + 4 + 24);
  const pf = Buffer.alloc(20);
  pf[0] = 0; pf[4] = 32; pf[5] = 24; pf[6] = 0; pf[7] = 1;
  pf.writeUInt16BE(255, 8); pf.writeUInt16BE(255, 10); pf.writeUInt16BE(255, 12);
  pf[14] = 0; pf[15] = 8; pf[16] = 16;
  const enc = Buffer.alloc(4 + 4 * list.length);
  enc[0] = 2; enc.writeUInt16BE(list.length, 2);
  list.forEach((e, i) => enc.writeInt32BE(e, 4 + 4 * i));
  sock.write(Buffer.concat([pf, enc]));
  await quiet();
  for (let f = 0; f < frames; f++) {
    const before = total;
    sock.write(Buffer.from([3, 0, 0, 0, 0, 0, 1920 >> 8, 1920 & 255, 1080 >> 8, 1080 & 255]));
    for (let i = 0; i < 1000 && total === before; i++) await sleep(5);
    await quiet();
  }
  sock.destroy();
  return Buffer.concat([...chunks, Buffer.from([2])]); // a Bell marks the end for the replaying page
}

export function workDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'novnc-decode-'));
}
