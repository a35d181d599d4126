// The world of the UI end-to-end test: a password-protected TigerVNC server
// with a few X clients, an X event logger, the WebSocket proxy (our Karaf
// relay when a distribution has been built, websockify otherwise, or
// PROXY_CMD), and a site that serves the client under a path prefix.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, freePort, freeDisplay, startProcess, waitForPort, run, staticServer } from './support.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REPO = resolve(ROOT, '..');
export const PASSWORD = 'e2e-Pa55';
export const DESKTOP_NAME = 'ui-e2e desktop';
export const PREFIX = '/deep/prefix';   // the client is served below this path

function karafRelay() {
    const dist = join(REPO, 'distribution/target');
    const built = existsSync(dist) && readdirSync(dist).some((f) => /^novnc-proxy-distribution-.*\.tar\.gz$/.test(f));
    const script = join(REPO, 'bench/karaf-relay.sh');
    return built && existsSync(script) ? `${script} {listen_port} {target}` : null;
}

/** The proxy command: PROXY_CMD, else the Karaf relay when built, else websockify. */
export function proxyCommand() {
    return process.env.PROXY_CMD ?? karafRelay() ?? 'websockify {listen} {target}';
}

const EMBED_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Embedding test</title>
<style>body { font: 15px system-ui, sans-serif; margin: 24px; background: #f4f1ea; color: #222; }
#remote { width: 720px; height: 440px; border-radius: 12px; overflow: hidden; box-shadow: 0 6px 24px #0003; }
#remote { --nvp-accent: #c2410c; --nvp-focus: #fdba74; }</style></head>
<body>
<h1>Operations console</h1>
<p>The build machine's desktop, embedded with <code>UI.load</code>:</p>
<div id="remote"></div>
<script type="module">
import { UI } from './client/app/ui.js';
const params = new URLSearchParams(location.search);
window.vnc = UI.load(document.getElementById('remote'), {
    settings: { host: '127.0.0.1', port: params.get('ws'), resize: 'scale' },
    query: '', storage: null, title: false, autoconnect: true,
});
</script>
</body>
</html>
`;

export class Environment {
    constructor(work) {
        this.work = work;
        this.env = {};
        this.proxyCmd = proxyCommand();
        this.karaf = /karaf-relay\.sh/.test(this.proxyCmd);
    }

    async start() {
        const w = this.work;
        this.display = freeDisplay();
        this.env = { DISPLAY: `:${this.display}` };
        [this.rfbPort, this.wsPort, this.httpPort] = [await freePort(), await freePort(), await freePort()];
        writeFileSync(join(w, 'passwd'), execFileSync('vncpasswd', ['-f'], { input: `${PASSWORD}\n` }));
        startProcess('Xvnc', [`:${this.display}`, '-rfbauth', join(w, 'passwd'), '-SecurityTypes', 'VncAuth',
            '-localhost', '-rfbport', String(this.rfbPort), '-geometry', '1024x768', '-depth', '24',
            '-desktop', DESKTOP_NAME, '-BlacklistThreshold', '100'], { log: join(w, 'xvnc.log') });
        await waitForPort(this.rfbPort);
        const env = this.env;
        // An invisible root cursor (the dot cursor check) and a calm backdrop.
        writeFileSync(join(w, 'blank.xbm'), '#define blank_width 8\n#define blank_height 8\n#define blank_x_hot 0\n' +
            '#define blank_y_hot 0\nstatic unsigned char blank_bits[] = {\n0,0,0,0,0,0,0,0};\n');
        await run('xsetroot', ['-cursor', join(w, 'blank.xbm'), join(w, 'blank.xbm')], { env });
        await run('xsetroot', ['-solid', '#3b6e8f'], { env });
        startProcess('xterm', ['-geometry', '64x16+24+24', '-bg', '#fdfdf8', '-fg', '#1f2328', '-fa', 'Monospace', '-fs', '10',
            '-title', 'build log', '-e', 'sh', '-c', 'printf "novnc-proxy e2e\\n$ uname -sr\\n"; uname -sr; printf "$ "; exec sleep 3600'], { env });
        startProcess('xlogo', ['-geometry', '150x150+700+40', '-render', '-fg', '#8b1e1e', '-bg', '#f6efd9'], { env });
        startProcess('xclock', ['-geometry', '150x150+700+210'], { env });
        // Key events that reach the root window (the pointer is parked on it for these checks).
        this.xevLog = join(w, 'xev.log');
        startProcess('stdbuf', ['-oL', 'xev', '-root', '-event', 'keyboard'], { env, log: this.xevLog });
        await this.startProxy();
        if (this.karaf) {
            this.karafConfig();
        }
        this.makeSite();
        this.server = await staticServer(join(w, 'site'), this.httpPort);
        this.base = `http://127.0.0.1:${this.httpPort}${PREFIX}`;
        await sleep(500);
    }

    makeSite() {
        const dir = join(this.work, 'site', ...PREFIX.split('/').filter(Boolean));
        mkdirSync(dir, { recursive: true });
        symlinkSync(ROOT, join(dir, 'client'));
        writeFileSync(join(dir, 'embed.html'), EMBED_PAGE);
    }

    async startProxy() {
        const cmd = this.proxyCmd.replaceAll('{listen}', `127.0.0.1:${this.wsPort}`)
            .replaceAll('{listen_port}', String(this.wsPort)).replaceAll('{target}', `127.0.0.1:${this.rfbPort}`);
        const [command, ...args] = cmd.split(/\s+/);
        this.proxy = startProcess(command, args, { log: join(this.work, 'proxy.log') });
        await waitForPort(this.wsPort, this.karaf ? 180000 : 15000);
    }

    /** The relay's configuration file inside the Karaf instance that karaf-relay.sh unpacked. */
    karafConfig() {
        // karaf-relay.sh execs "$DIR/bin/karaf run", which may exec java (-Dkaraf.home=$DIR).
        const args = readFileSync(`/proc/${this.proxy.pid}/cmdline`, 'utf8').split('\0');
        const home = args.find((a) => a.startsWith('-Dkaraf.home='))?.slice('-Dkaraf.home='.length) ??
            args.find((a) => a.endsWith('/bin/karaf'))?.slice(0, -'/bin/karaf'.length);
        if (!home) {
            throw new Error('cannot find the Karaf instance of the relay');
        }
        this.karafHome = home;
        return join(home, 'etc/org.novnc.proxy.relay-bench.cfg');
    }

    /**
     * Cuts the proxy's sessions. Karaf: the relay's configuration is taken away
     * (every session gets close 1001) and put back a few seconds later.
     * websockify: its per-connection children are killed (or the proxy restarted).
     */
    async cutSessions() {
        if (this.karaf) {
            const cfg = this.karafConfig();
            renameSync(cfg, `${cfg}.off`);
            await sleep(4000);
            renameSync(`${cfg}.off`, cfg);
            return 'relay configuration removed for 4 s';
        }
        const children = String(await run('pgrep', ['-P', String(this.proxy.pid)]).catch(() => '')).split(/\s+/).filter(Boolean);
        if (children.length) {
            children.forEach((pid) => process.kill(Number(pid), 'SIGKILL'));
            return `killed ${children.length} per-connection proxy process(es)`;
        }
        process.kill(-this.proxy.pid, 'SIGKILL');
        await sleep(500);
        await this.startProxy();
        return 'proxy restarted';
    }

    async pointer() {
        const out = String(await run('xdotool', ['getmouselocation', '--shell'], { env: this.env }));
        return { x: Number(/X=(\d+)/.exec(out)[1]), y: Number(/Y=(\d+)/.exec(out)[1]) };
    }

    async movePointer(x, y) {
        await run('xdotool', ['mousemove', String(x), String(y)], { env: this.env });
    }

    /** Key events logged by xev on the root window: [['KeyPress', 'Control_L'], ...]. */
    keyEvents() {
        const text = existsSync(this.xevLog) ? readFileSync(this.xevLog, 'utf8') : '';
        return [...text.matchAll(/(KeyPress|KeyRelease) event[\s\S]*?keysym 0x[0-9a-f]+, (\w+)\)/g)].map((m) => [m[1], m[2]]);
    }

    async screenSize() {
        const out = String(await run('xrandr', ['-q'], { env: this.env }));
        const m = /current (\d+) x (\d+)/.exec(out);
        return { width: Number(m[1]), height: Number(m[2]) };
    }

    async setClipboard(text) {
        const file = join(this.work, 'clip.txt');
        writeFileSync(file, text);
        startProcess('xclip', ['-selection', 'clipboard', '-i', file], { env: this.env });
    }

    async getClipboard() {
        return String(await run('xclip', ['-selection', 'clipboard', '-o'], { env: this.env, timeout: 3000 }).catch(() => ''));
    }

    cleanup() {
        this.server?.close();
        if (this.karafHome && this.karafHome.startsWith('/tmp/')) {
            rmSync(this.karafHome, { recursive: true, force: true });
        }
    }
}
