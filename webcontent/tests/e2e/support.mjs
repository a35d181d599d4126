// Support for the end-to-end tests: free ports and displays, process groups
// that are always stopped, a static file server, XWD parsing.
import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createTcpServer, connect } from 'node:net';
import { existsSync, createReadStream, statSync, openSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Launch options for Debian's Chromium ($CHROMIUM overrides the path); `srgb` pins the colour
 * profile for tests that compare colours exactly.
 */
export function chromiumOptions({ srgb = false } = {}) {
    return {
        executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--no-first-run', ...(srgb ? ['--force-color-profile=srgb'] : [])],
    };
}

export function freePort() {
    return new Promise((resolve, reject) => {
        const s = createTcpServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

export function freeDisplay(from = 40, to = 99) {
    for (let n = from; n <= to; n++) {
        if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`)) {
            return n;
        }
    }
    throw new Error('no free X display number');
}

/** Processes started here, each in its own process group, stopped by stopAll(). */
const started = [];

export function startProcess(command, args, { env = {}, log = '/dev/null' } = {}) {
    const out = openSync(log, 'a');
    const child = spawn(command, args, {
        detached: true,
        stdio: ['ignore', out, out],
        env: { ...process.env, ...env },
    });
    child.on('error', (e) => console.error(`${command}: ${e.message}`));
    started.push(child);
    return child;
}

function alive(pid) {
    try {
        process.kill(-pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** SIGTERM to every group, SIGKILL to those still there after 3 s. */
export async function stopAll() {
    for (const child of started) {
        try {
            process.kill(-child.pid, 'SIGTERM');
        } catch { /* already gone */ }
    }
    for (let i = 0; i < 30 && started.some((c) => alive(c.pid)); i++) {
        await sleep(100);
    }
    for (const child of started) {
        if (alive(child.pid)) {
            try {
                process.kill(-child.pid, 'SIGKILL');
            } catch { /* already gone */ }
        }
    }
    started.length = 0;
}

export async function waitForPort(port, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const ok = await new Promise((resolve) => {
            const sock = connect(port, '127.0.0.1');
            sock.once('connect', () => {
                sock.destroy();
                resolve(true);
            });
            sock.once('error', () => resolve(false));
        });
        if (ok) {
            return;
        }
        await sleep(100);
    }
    throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
}

export function run(command, args, { env = {}, timeout = 10000 } = {}) {
    return new Promise((resolve, reject) => {
        execFile(command, args, { env: { ...process.env, ...env }, timeout, maxBuffer: 64 << 20, encoding: 'buffer' },
            (err, stdout, stderr) => (err ? reject(new Error(`${command}: ${err.message} ${stderr}`)) : resolve(stdout)));
    });
}

/** Parses an XWD (X Window Dump) ZPixmap of 24/32 bpp into packed RGB. */
export function parseXwd(buf) {
    const f = (i) => buf.readUInt32BE(i * 4);
    const [headerSize, , format, , width, height, , byteOrder, , , , bpp, bytesPerLine] =
        Array.from({ length: 13 }, (_, i) => f(i));
    const [redMask, greenMask, blueMask] = [f(14), f(15), f(16)];
    const ncolors = f(19);
    if (format !== 2 || (bpp !== 32 && bpp !== 24)) {
        throw new Error(`unsupported XWD: format ${format}, ${bpp} bpp`);
    }
    const shift = (mask) => Math.clz32(1) - Math.clz32(mask & -mask);
    const [rs, gs, bs] = [shift(redMask), shift(greenMask), shift(blueMask)];
    const data = headerSize + ncolors * 12;
    const rgb = new Uint8Array(width * height * 3);
    const step = bpp / 8;
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const o = data + y * bytesPerLine + x * step;
            let v = 0;
            for (let b = 0; b < step; b++) {
                v += buf[o + b] * 2 ** (8 * (byteOrder === 0 ? b : step - 1 - b));
            }
            const i = (y * width + x) * 3;
            rgb[i] = (v / 2 ** rs) & 255;
            rgb[i + 1] = (v / 2 ** gs) & 255;
            rgb[i + 2] = (v / 2 ** bs) & 255;
        }
    }
    return { width, height, rgb };
}

export async function captureRoot(display) {
    return parseXwd(await run('xwd', ['-root', '-silent', '-display', `:${display}`]));
}

const MIME = {
    '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
    '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json',
};

/** Serves files under root on 127.0.0.1:port. */
export function staticServer(root, port) {
    const server = createServer((req, res) => {
        const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
        const file = join(root, path);
        if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
            res.writeHead(404).end();
            return;
        }
        res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(res);
    });
    return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

/**
 * Runs an e2e's `main` (resolving to an exit code) under a watchdog: past `timeoutMs`, or on an
 * exception, everything started through startProcess is stopped and the exit code is 2.
 */
export function runE2e(main, timeoutMs, label = 'e2e') {
    const watchdog = setTimeout(async () => {
        console.error(`${label}: gave up after ${timeoutMs} ms`);
        await stopAll();
        process.exit(2);
    }, timeoutMs);
    main().then((code) => {
        clearTimeout(watchdog);
        process.exitCode = code;
    }, async (e) => {
        clearTimeout(watchdog);
        console.error(`${label}: ${e.stack ?? e}`);
        await stopAll();
        process.exitCode = 2;
    });
}
