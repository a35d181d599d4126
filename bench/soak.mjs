#!/usr/bin/env node
// soak.mjs - the client side of bench/soak.sh: N long sessions through a relay, each sending
// random-size messages and checking every echoed byte, plus short sessions opened and closed at a
// steady rate. Samples the relay's JVM (fds, RSS, live heap after a full GC) at start, middle and
// end, prints progress every minute and a Markdown table at the end. Exit status 1 if any byte was
// lost or corrupted.
//
//   node soak.mjs --url ws://127.0.0.1:PORT/ --pid KARAF_PID [--sessions 1000] [--minutes 10]
//                 [--churn 50] [--interval-ms 1000] [--max-size 65536] [--echo-port PORT]
// Needs the npm package ws (NODE_PATH from ../shared/bench/setup.sh).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
    return acc;
}, []));
const URL_ = args.url;
const PID = Number(args.pid);
const SESSIONS = Number(args.sessions ?? 1000);
const MINUTES = Number(args.minutes ?? 10);
const CHURN = Number(args.churn ?? 50);
const INTERVAL_MS = Number(args['interval-ms'] ?? 1000);
const MAX_SIZE = Number(args['max-size'] ?? 65536);
if (!URL_ || !PID) {
    console.error('usage: soak.mjs --url ws://HOST:PORT/ --pid RELAY_JVM_PID [--sessions N] [--minutes M] [--churn PER_S]');
    process.exit(2);
}

// ---- payloads: sequence-numbered, content derived from (session, seq), so any change is seen ----
function payload(session, seq, size) {
    const b = Buffer.allocUnsafe(Math.max(size, 12));
    b.writeUInt32BE(session, 0);
    b.writeUInt32BE(seq, 4);
    b.writeUInt32BE(b.length, 8);
    let x = (session * 2654435761 + seq * 40503 + 1) >>> 0;
    for (let i = 12; i < b.length; i++) {
        x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
        b[i] = x & 0xff;
    }
    return b;
}

const stats = { moved: 0, corrupted: 0, lost: 0, errors: 0, messages: 0, churned: 0, churnErrors: 0 };
let latencies = [];
const timeline = [];
let stopping = false;

function randomSize() {
    return 12 + Math.floor(Math.random() ** 2 * (MAX_SIZE - 12)); // mostly small, some large
}

/** One long session: a message, its echo checked, a pause, again, until the end. */
function longSession(id) {
    return new Promise((resolve) => {
        const ws = new WebSocket(URL_, ['binary'], { perMessageDeflate: false });
        ws.binaryType = 'nodebuffer';
        let seq = 0;
        let expected = null;
        let got = [];
        let gotBytes = 0;
        let sentAt = 0;
        let timer = null;
        const next = () => {
            if (stopping) { ws.close(1000); return; }
            expected = payload(id, seq++, randomSize());
            got = []; gotBytes = 0;
            sentAt = performance.now();
            ws.send(expected);
        };
        ws.on('open', () => { timer = setTimeout(next, Math.random() * INTERVAL_MS); });
        ws.on('message', (data) => {
            got.push(data); gotBytes += data.length;
            if (!expected || gotBytes < expected.length) return;
            const all = Buffer.concat(got);
            if (all.length !== expected.length || !all.equals(expected)) {
                stats.corrupted += expected.length;
                console.error(`session ${id}: message ${seq - 1} came back changed (${all.length} of ${expected.length} bytes)`);
            } else {
                stats.moved += 2 * expected.length;
                stats.messages++;
                latencies.push(performance.now() - sentAt);
            }
            expected = null;
            timer = setTimeout(next, INTERVAL_MS * (0.5 + Math.random()));
        });
        ws.on('error', () => { if (!stopping) stats.errors++; });
        ws.on('close', () => {
            clearTimeout(timer);
            if (expected && !stopping) stats.lost += expected.length;
            if (!stopping) stats.errors++;
            resolve();
        });
    });
}

/** A short session: open, one echo, close. */
function churnSession(id) {
    const ws = new WebSocket(URL_, ['binary'], { perMessageDeflate: false });
    const msg = payload(id, 0, 64);
    ws.on('open', () => ws.send(msg));
    ws.on('message', (data) => {
        if (!Buffer.from(data).equals(msg)) stats.churnErrors++;
        stats.churned++;
        ws.close(1000);
    });
    ws.on('error', () => { stats.churnErrors++; });
}

// ---- the relay's JVM ----
function sample(label) {
    let heap = NaN;
    try {
        execFileSync('jcmd', [String(PID), 'GC.run'], { stdio: 'ignore', timeout: 60_000 });
        const info = execFileSync('jcmd', [String(PID), 'GC.heap_info'], { encoding: 'utf8', timeout: 60_000 });
        const m = info.match(/used (\d+)K/);
        heap = m ? Number(m[1]) / 1024 : NaN;
    } catch { /* jcmd missing or the JVM busy: reported as n/a */ }
    const status = readFileSync(`/proc/${PID}/status`, 'utf8');
    const rss = Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024;
    const fds = readdirSync(`/proc/${PID}/fd`).length;
    const s = { label, minute: ((Date.now() - t0) / 60000).toFixed(1), fds, rssMiB: rss.toFixed(0), liveHeapMiB: isNaN(heap) ? 'n/a' : heap.toFixed(1) };
    console.log(`[soak] ${label}: fds ${s.fds}, RSS ${s.rssMiB} MiB, live heap ${s.liveHeapMiB} MiB`);
    return s;
}

function p(q, xs) {
    if (xs.length === 0) return NaN;
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const t0 = Date.now();
console.log(`[soak] ${SESSIONS} sessions for ${MINUTES} min through ${URL_}, ${CHURN} short sessions/s, relay JVM ${PID}`);
const sessions = [];
for (let i = 0; i < SESSIONS; i++) {
    sessions.push(longSession(i));
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 100)); // open them over a few seconds
}
await new Promise((r) => setTimeout(r, 5000));
const samples = [sample('start')];
let churnId = 1 << 30;
const churnTimer = CHURN > 0 ? setInterval(() => {
    for (let i = 0; i < CHURN / 10; i++) churnSession(churnId++);
}, 100) : null;
const minuteTimer = setInterval(() => {
    const minute = Math.round((Date.now() - t0) / 60000);
    const row = { minute, messages: stats.messages, p50: p(0.5, latencies), p99: p(0.99, latencies), errors: stats.errors, churned: stats.churned };
    timeline.push(row);
    console.log(`[soak] minute ${minute}: ${row.messages} messages, echo p50 ${row.p50?.toFixed(1)} ms p99 ${row.p99?.toFixed(1)} ms, `
        + `${(stats.moved / 1048576).toFixed(0)} MiB moved, ${stats.corrupted + stats.lost} bytes lost or corrupted, `
        + `${stats.errors} session errors, ${stats.churned} short sessions (${stats.churnErrors} failed)`);
    latencies = [];
}, 60_000);
const middle = setTimeout(() => samples.push(sample('middle')), MINUTES * 30_000);
await new Promise((r) => setTimeout(r, MINUTES * 60_000));
clearInterval(minuteTimer);
clearTimeout(middle);
if (churnTimer) clearInterval(churnTimer);
samples.push(sample('end'));
stopping = true;
await Promise.race([Promise.all(sessions), new Promise((r) => setTimeout(r, 30_000))]);

const rssStart = Number(samples[0].rssMiB), rssEnd = Number(samples[samples.length - 1].rssMiB);
console.log('\n| measure | value |\n|---|---|');
console.log(`| sessions x minutes | ${SESSIONS} x ${MINUTES} |`);
console.log(`| bytes moved (both ways, verified) | ${(stats.moved / 1048576).toFixed(0)} MiB in ${stats.messages} echoes |`);
console.log(`| bytes lost or corrupted | ${stats.lost + stats.corrupted} |`);
console.log(`| session errors | ${stats.errors} |`);
console.log(`| short sessions opened and closed | ${stats.churned} (${stats.churnErrors} failed) |`);
console.log(`| RSS end / start | ${(rssEnd / rssStart).toFixed(3)} |`);
console.log('\n| sample | minute | fds | RSS MiB | live heap MiB |\n|---|---|---|---|---|');
for (const s of samples) console.log(`| ${s.label} | ${s.minute} | ${s.fds} | ${s.rssMiB} | ${s.liveHeapMiB} |`);
console.log('\n| minute | echoes | p50 ms | p99 ms |\n|---|---|---|---|');
let prev = 0;
for (const r of timeline) {
    console.log(`| ${r.minute} | ${r.messages - prev} | ${r.p50?.toFixed(1)} | ${r.p99?.toFixed(1)} |`);
    prev = r.messages;
}
process.exit(stats.lost + stats.corrupted > 0 ? 1 : 0);
