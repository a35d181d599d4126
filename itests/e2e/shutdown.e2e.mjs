#!/usr/bin/env node
// shutdown.e2e.mjs - Karaf's own stop with 50 open sessions: the distribution's relay points at a
// target of this script, 50 WebSocket sessions echo through it, then `bin/stop`. Every session must
// get close 1001 before its connection ends, every target connection must be closed within 5 s of
// the stop, and the JVM must exit.
//
//   DIST=distribution/target/novnc-proxy-distribution-*.tar.gz node itests/e2e/shutdown.e2e.mjs
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import assert from 'node:assert/strict';
import { startDistribution, until, sleep, freePort, setKey } from './distribution.mjs';

const SESSIONS = 50;
const log = (...a) => console.log('[shutdown e2e]', ...a);

/** A raw WebSocket client: resolves with { socket, echoed, closeCode } promises. */
function session(port) {
    return new Promise((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1');
        const result = { socket: s, closeCode: null, ended: null };
        let buf = Buffer.alloc(0);
        let upgraded = false;
        let echoed;
        result.echoed = new Promise((r) => { echoed = r; });
        result.ended = new Promise((r) => s.on('close', () => r()));
        s.setTimeout(60_000, () => s.destroy());
        s.on('error', () => {});
        s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
            + `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
        s.on('data', (d) => {
            buf = Buffer.concat([buf, d]);
            if (!upgraded) {
                const end = buf.indexOf('\r\n\r\n');
                if (end < 0) return;
                if (!buf.subarray(0, 12).toString().includes('101')) { reject(new Error(buf.toString())); return; }
                upgraded = true;
                buf = buf.subarray(end + 4);
                const mask = crypto.randomBytes(4);
                const payload = Buffer.from('hello').map((b, i) => b ^ mask[i & 3]);
                s.write(Buffer.concat([Buffer.from([0x82, 0x85]), mask, payload]));
                resolve(result);
            }
            while (buf.length >= 2) {
                const len = buf[1] & 0x7f; // the relay's frames here are small
                if (buf.length < 2 + len) return;
                const op = buf[0] & 0x0f;
                if (op === 0x2) echoed();
                if (op === 0x8) result.closeCode = len >= 2 ? buf.readUInt16BE(2) : 1005;
                buf = buf.subarray(2 + len);
            }
        });
    });
}

let karaf;
const targets = new Set();
const server = net.createServer((c) => {
    targets.add(c);
    c.on('error', () => {});
    c.on('close', () => targets.delete(c));
    c.pipe(c);
});

async function main() {
    const targetPort = await freePort();
    await new Promise((r) => server.listen(targetPort, '127.0.0.1', r));
    karaf = await startDistribution(process.env.DIST, async (dir) => {
        setKey(dir, 'org.novnc.proxy.relay-demo.cfg', 'target', `127.0.0.1:${targetPort}`);
    });
    log(`Karaf up: relay 127.0.0.1:${karaf.relayPort} -> this script's echo 127.0.0.1:${targetPort}`);
    const sessions = [];
    for (let i = 0; i < SESSIONS; i++) sessions.push(await session(karaf.relayPort));
    await Promise.all(sessions.map((s) => s.echoed));
    await until('50 target connections', () => targets.size === SESSIONS, 10_000);
    log(`${SESSIONS} sessions echo; bin/stop`);

    const t0 = Date.now();
    execFileSync(path.join(karaf.dir, 'bin/stop'), { stdio: 'ignore', timeout: 30_000 });
    await until('every target connection closed', () => targets.size === 0, 5_000);
    const closedIn = Date.now() - t0;
    await Promise.race([Promise.all(sessions.map((s) => s.ended)), sleep(10_000)]);
    const codes = sessions.map((s) => s.closeCode);
    assert.deepEqual(codes, new Array(SESSIONS).fill(1001), `close codes: ${codes.join(',')}`);
    log(`every session got 1001; the target connections were closed ${closedIn} ms after bin/stop`);
    await until('the Karaf JVM to exit', () => {
        try {
            execFileSync('pgrep', ['-f', karaf.dir]);
            return false;
        } catch {
            return true; // pgrep found nothing
        }
    }, 60_000);
    log('Karaf exited');
}

main().then(async () => { server.close(); await karaf.stop(); log('PASS'); process.exit(0); },
    async (e) => { console.error('[shutdown e2e] FAIL:', e.message); server.close(); if (karaf) await karaf.stop(); process.exit(1); });
