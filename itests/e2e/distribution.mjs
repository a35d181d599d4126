// distribution.mjs - the novnc-proxy distribution started for a test or a benchmark: unpacked into a
// temporary directory, every port it would open moved to a free loopback port, `bin/karaf run` in
// its own process group; stop() ends it (TERM, then KILL) and removes the directory.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

export const listening = (port) => new Promise((resolve) => {
  const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
  c.on('error', () => resolve(false));
});

/** Polls `fn` until it returns something truthy; throws after `ms`. */
export async function until(what, fn, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Sets `key = value` in an etc/ file of the unpacked distribution (creating the file if needed). */
export function setKey(dir, file, key, value) {
  const f = path.join(dir, 'etc', file);
  const old = fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n') : [];
  const lines = old.filter((l) => !l.startsWith(`${key} `) && !l.startsWith(`${key}=`));
  fs.writeFileSync(f, [...lines, `${key} = ${value}`, ''].join('\n'));
}

/**
 * Starts the distribution `dist` (a tarball). `configure(dir, {demoPort, relayPort})` may edit etc/
 * before the start.
 * Returns { dir, demoPort, relayPort, stop }: the shipped demo desktop and relay on free ports.
 */
export async function startDistribution(dist, configure = async () => {}) {
  if (!dist || !fs.existsSync(dist)) throw new Error(`DIST must name the distribution tarball (got ${dist})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'novnc-dist-'));
  execFileSync('tar', ['xzf', dist, '-C', dir, '--strip-components=1']);
  const demoPort = await freePort();
  const relayPort = await freePort();
  setKey(dir, 'org.novnc.proxy.demo-default.cfg', 'port', demoPort);
  setKey(dir, 'org.novnc.proxy.relay-demo.cfg', 'listen', `127.0.0.1:${relayPort}`);
  setKey(dir, 'org.novnc.proxy.relay-demo.cfg', 'target', `127.0.0.1:${demoPort}`);
  setKey(dir, 'org.apache.karaf.shell.cfg', 'sshPort', await freePort());
  setKey(dir, 'org.apache.karaf.management.cfg', 'rmiRegistryPort', await freePort());
  setKey(dir, 'org.apache.karaf.management.cfg', 'rmiServerPort', await freePort());
  setKey(dir, 'org.ops4j.pax.web.cfg', 'org.osgi.service.http.port', await freePort());
  setKey(dir, 'org.ops4j.pax.web.cfg', 'org.ops4j.pax.web.listening.addresses', '127.0.0.1');
  await configure(dir, { demoPort, relayPort });
  const karaf = spawn(path.join(dir, 'bin/karaf'), ['run'], { detached: true, stdio: 'ignore' });
  const stop = async () => {
    if (karaf.exitCode === null) {
      try { process.kill(-karaf.pid, 'SIGTERM'); } catch {}
      for (let i = 0; i < 100 && karaf.exitCode === null; i++) await sleep(100);
      try { process.kill(-karaf.pid, 'SIGKILL'); } catch {}
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until('the relay port', () => listening(relayPort), 90_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { dir, demoPort, relayPort, stop };
}

/** Debian's Chromium, as every test here launches it. */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--force-color-profile=srgb'],
};
