#!/usr/bin/env node
// auth.e2e.mjs - who may connect, in Chromium on the real chain: the distribution with a user in
// its realm, an Xvnc without a password, a relay with web = true and auth = login,jwt,link in
// front of it; tokens made here (HS256 and ES256 from a JWK set; expired, tampered, alg none and
// outside allowed.targets), a one-time link issued by the novnc:link shell command (bin/client), and
// a second relay with auth = cert that requires a client certificate (made here with openssl);
// then webcontent/tests/e2e/auth.e2e.mjs against the relay's own pages.
//
//   DIST=distribution/target/novnc-proxy-distribution-*.tar.gz node itests/e2e/auth.e2e.mjs
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startDistribution, freePort, setKey, until, listening } from './distribution.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const webcontent = path.resolve(here, '../../webcontent');
const log = (...a) => console.log('[auth e2e]', ...a);
const PASSWORD = `pw-${crypto.randomBytes(6).toString('hex')}`;
const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A free X display number (no socket, no lock). */
function freeDisplay() {
  for (let d = 40; d < 200; d++) {
    if (!fs.existsSync(`/tmp/.X11-unix/X${d}`) && !fs.existsSync(`/tmp/.X${d}-lock`)) return d;
  }
  throw new Error('no free X display');
}

const secret = crypto.randomBytes(32);
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
function hs256(claims, key = secret) {
  const data = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${data}.${crypto.createHmac('sha256', key).update(data).digest('base64url')}`;
}
function es256(claims) {
  const data = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64(claims)}`;
  const sig = crypto.sign('sha256', Buffer.from(data), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${data}.${sig.toString('base64url')}`;
}

/** One command through bin/client (its stdin stays open: at end of input it closes the session at once). */
function client(dir, command) {
  return new Promise((resolve) => {
    const c = spawn(path.join(dir, 'bin/client'), ['-u', 'karaf', '-p', 'karaf', '-r', '3', command],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, JAVA_HOME: process.env.JAVA_HOME ?? '/usr/lib/jvm/java-17-openjdk-amd64' } });
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => c.kill('SIGKILL'), 60_000);
    c.on('exit', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

const display = freeDisplay();
const vncPort = await freePort();
const xvnc = spawn('Xvnc', [`:${display}`, '-rfbport', String(vncPort), '-SecurityTypes', 'None', '-localhost',
  '-geometry', '800x600', '-depth', '24', '-AlwaysShared'], { stdio: 'ignore', detached: true });
let relayPort;
let certPort;
let karaf;
let status = 1;
try {
  await until('Xvnc', () => listening(vncPort), 20_000);
  karaf = await startDistribution(process.env.DIST, async (dir) => {
    relayPort = await freePort();
    setKey(dir, 'users.properties', 'alice', `${PASSWORD},novnc`);
    setKey(dir, 'users.properties', 'karaf', 'karaf,admin,manager,viewer,systembundles,ssh'); // for bin/client
    const jwks = path.join(dir, 'etc', 'novnc-jwks.json');
    const oct = { kty: 'oct', k: secret.toString('base64url') };
    fs.writeFileSync(jwks, JSON.stringify({ keys: [oct, ec.publicKey.export({ format: 'jwk' })] }));
    const cfg = 'org.novnc.proxy.relay-auth.cfg';
    setKey(dir, cfg, 'listen', `127.0.0.1:${relayPort}`);
    setKey(dir, cfg, 'target', `127.0.0.1:${vncPort}`);
    setKey(dir, cfg, 'web', 'true');
    setKey(dir, cfg, 'auth', 'login,jwt,link');
    setKey(dir, cfg, 'jwt.key', jwks);
    setKey(dir, cfg, 'auth.max.failures', '20');
    // client certificates: a CA, a client certificate it signs, a self-signed server certificate
    certPort = await freePort();
    const etc = path.join(dir, 'etc');
    const ssl = (...args) => {
      const r = spawnSync('openssl', args, { cwd: etc, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
    };
    ssl('req', '-new', '-x509', '-days', '1', '-nodes', '-newkey', 'rsa:2048', '-subj', '/CN=e2e-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
    ssl('req', '-new', '-nodes', '-newkey', 'rsa:2048', '-subj', '/CN=certuser', '-keyout', 'client.key', '-out', 'client.csr');
    ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', 'client.crt');
    ssl('req', '-new', '-x509', '-days', '1', '-nodes', '-newkey', 'rsa:2048', '-subj', '/CN=127.0.0.1', '-keyout', 'server.pem', '-out', 'server.pem');
    const cert = 'org.novnc.proxy.relay-cert.cfg';
    setKey(dir, cert, 'listen', `127.0.0.1:${certPort}`);
    setKey(dir, cert, 'target', `127.0.0.1:${vncPort}`);
    setKey(dir, cert, 'web', 'true');
    setKey(dir, cert, 'auth', 'cert');
    setKey(dir, cert, 'cert', path.join(etc, 'server.pem'));
    setKey(dir, cert, 'ssl.only', 'true');
    setKey(dir, cert, 'ca', path.join(etc, 'ca.crt'));
    setKey(dir, cert, 'verify.client', 'true');
    setKey(dir, cert, 'allowed.clients', 'certuser');
  });
  const base = `http://127.0.0.1:${relayPort}`;
  await until('the auth relay', async () => {
    try { return (await fetch(`${base}/vnc.html`)).status === 200; } catch { return false; }
  }, 60_000);

  const later = Math.floor(Date.now() / 1000) + 600;
  const target = `127.0.0.1:${vncPort}`;
  const good = hs256({ sub: 'tokenuser', exp: later, target });
  const [h, , s] = good.split('.');
  const tokens = {
    JWT_GOOD: good,
    JWT_GOOD_ES: es256({ sub: 'ecuser', exp: later, target }),
    JWT_EXPIRED: hs256({ exp: Math.floor(Date.now() / 1000) - 3600, target }),
    JWT_TAMPERED: `${h}.${b64({ sub: 'root', exp: later, target })}.${s}`,
    JWT_NONE: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ exp: later, target })}.`,
    JWT_OUTSIDE: hs256({ exp: later, target: '127.0.0.1:22' }),
  };

  // a one-time link, as an operator (or another bundle) gets it
  let link = '';
  await until('novnc:link through bin/client', async () => {
    const r = await client(karaf.dir, 'novnc:link --user linkuser --ttl 120 auth');
    link = (r.out.match(/http:\/\/\S+/) || [''])[0];
    if (!link) log(`bin/client: ${r.code} ${r.out.trim()}`.slice(0, 300));
    return link;
  }, 90_000);
  log(`relay ${base} (auth = login,jwt,link) -> Xvnc :${display} on ${vncPort}; link ${link.replace(/link%3D.*/, 'link%3D…')}`);

  const r = spawnSync('node', [path.join(webcontent, 'tests/e2e/auth.e2e.mjs')], {
    env: { ...process.env, RELAY_URL: base, AUTH_USER: 'alice', AUTH_PASSWORD: PASSWORD, LINK_URL: link, ...tokens,
      CERT_URL: `https://127.0.0.1:${certPort}`, CLIENT_CERT: path.join(karaf.dir, 'etc/client.crt'),
      CLIENT_KEY: path.join(karaf.dir, 'etc/client.key') },
    stdio: 'inherit', timeout: 300_000,
  });
  status = r.status ?? 1;
  const logText = fs.readFileSync(path.join(karaf.dir, 'data/log/karaf.log'), 'utf8');
  for (const [what, secretText] of [['the password', PASSWORD], ['a token signature', s], ['the link code', link.split('%3D').pop()]]) {
    if (logText.includes(secretText)) {
      log(`FAIL: karaf.log holds ${what}`);
      status = 1;
    }
  }
} finally {
  await karaf?.stop();
  try { process.kill(-xvnc.pid, 'SIGTERM'); } catch {}
}
log(status === 0 ? 'PASS' : 'FAIL');
process.exit(status);
