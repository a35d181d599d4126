#!/usr/bin/env node
// telnet.e2e.mjs - wstelnet on the real chain: the distribution, a wrapper running telnetd under
// inetutils-inetd in respawn mode, a relay with target = wrapper:telnet and web = true serving
// wstelnet.html; then webcontent/tests/e2e/telnet.e2e.mjs (login, stty size, resize, colours,
// logout and a fresh prompt) against that page.
//
//   DIST=distribution/target/novnc-proxy-distribution-*.tar.gz node itests/e2e/telnet.e2e.mjs
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDistribution, freePort, setKey, until } from './distribution.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const webcontent = path.resolve(here, '../../webcontent');
const log = (...a) => console.log('[telnet e2e]', ...a);

let telnetPort;
const proxyPassword = `tp-${process.pid}-${Date.now().toString(36)}`;
const karaf = await startDistribution(process.env.DIST, async (dir) => {
  telnetPort = await freePort();
  const conf = path.join(dir, 'etc', 'inetd-telnet.conf');
  fs.writeFileSync(conf, `127.0.0.1:2023 stream tcp nowait root /usr/sbin/telnetd telnetd -h\n`);
  setKey(dir, 'org.novnc.proxy.wrapper-telnet.cfg', 'name', 'telnet');
  setKey(dir, 'org.novnc.proxy.wrapper-telnet.cfg', 'command', `/usr/sbin/inetutils-inetd -d ${conf}`);
  setKey(dir, 'org.novnc.proxy.wrapper-telnet.cfg', 'port', 2023);
  setKey(dir, 'org.novnc.proxy.wrapper-telnet.cfg', 'mode', 'respawn');
  setKey(dir, 'org.novnc.proxy.wrapper-telnet.cfg', 'stderr.level', 'info');
  setKey(dir, 'org.novnc.proxy.relay-telnet.cfg', 'listen', `127.0.0.1:${telnetPort}`);
  setKey(dir, 'org.novnc.proxy.relay-telnet.cfg', 'target', 'wrapper:telnet');
  setKey(dir, 'org.novnc.proxy.relay-telnet.cfg', 'web', 'true');
  // the relay's own login in front of telnetd's (auth = login, a user of Karaf's realm)
  setKey(dir, 'org.novnc.proxy.relay-telnet.cfg', 'auth', 'login');
  setKey(dir, 'users.properties', 'termuser', `${proxyPassword},novnc`);
});
let status = 1;
try {
  const page = `http://127.0.0.1:${telnetPort}/wstelnet.html`;
  await until('the telnet relay (it listens once the wrapped inetd does)', async () => {
    try { return (await fetch(page)).status === 200; } catch { return false; }
  }, 60_000);
  log(`relay 127.0.0.1:${telnetPort} -> wrapper:telnet (inetd + telnetd, respawn)`);
  const r = spawnSync('node', [path.join(webcontent, 'tests/e2e/telnet.e2e.mjs')],
    { env: { ...process.env, WSTELNET_URL: page, PROXY_USER: 'termuser', PROXY_PASSWORD: proxyPassword }, stdio: 'inherit', timeout: 240_000 });
  status = r.status ?? 1;
} finally {
  await karaf.stop();
}
log(status === 0 ? 'PASS' : 'FAIL');
process.exit(status);
