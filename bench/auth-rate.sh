#!/usr/bin/env bash
# auth-rate.sh - what authentication costs a new session, measured in one Karaf: three relays in
# front of one C echo server, with auth empty, auth = jwt (an ES256 token in ?token=) and
# auth = login (a login cookie); jwt twice: the same token every session (a reconnect: its
# signature is checked once) and a fresh token every session (FRESH_TOKENS of them, more than the
# relay remembers, so each one's signature is checked). For each, RUNS rounds in alternating order of
#   latency: sessions one at a time (CONC 1): p50 of connect -> upgrade -> first echoed byte;
#   rate:    new sessions per second with CONC_RATE in flight.
# Prints each round and a Markdown table of medians with the ratios to auth empty.
#
#   bench/auth-rate.sh            RUNS=5 SECONDS_EACH=10 CONC_RATE=64 BASE_PORT=17400
# Needs gcc, node and a built distribution (mvn install -DskipTests).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
RUNS="${RUNS:-5}"; SECONDS_EACH="${SECONDS_EACH:-10}"; CONC_RATE="${CONC_RATE:-64}"; BASE="${BASE_PORT:-17400}"
OUT="${OUT_DIR:-$(mktemp -d -t auth-rate.XXXXXX)}"
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)"
gcc -O2 -o "$OUT/ws-rate" "$HERE/ws-rate.c"
TARBALL=$(ls "$ROOT"/distribution/target/novnc-proxy-distribution-*.tar.gz 2>/dev/null | head -1)
[ -n "$TARBALL" ] || { echo "$0: build first (mvn install -DskipTests)" >&2; exit 2; }
ECHO=$BASE; OPEN=$((BASE + 1)); JWT=$((BASE + 2)); LOGIN=$((BASE + 3))
PASSWORD="bench-$RANDOM$RANDOM"
DIR="$OUT/karaf"
mkdir -p "$DIR"
tar xzf "$TARBALL" -C "$DIR" --strip-components=1
rm -f "$DIR"/etc/org.novnc.proxy.relay-demo.cfg "$DIR"/etc/org.novnc.proxy.demo-default.cfg
printf '\nbench = %s,novnc\n' "$PASSWORD" >> "$DIR/etc/users.properties"
# an ES256 key (the relay gets its public JWK), and a token naming the echo server
node - "$DIR/etc/bench-jwks.json" "$OUT/token" "127.0.0.1:$ECHO" <<'JS'
const crypto = require('crypto'); const fs = require('fs');
const [jwks, tokenFile, target] = process.argv.slice(2);
const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
fs.writeFileSync(jwks, JSON.stringify({ keys: [publicKey.export({ format: 'jwk' })] }));
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const data = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ sub: 'bench', exp: Math.floor(Date.now() / 1000) + 86400, target })}`;
const sig = crypto.sign('sha256', Buffer.from(data), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
fs.writeFileSync(tokenFile, `${data}.${sig}`);
// fresh tokens, one per session: each names the target and a different subject
const lines = [];
for (let i = 0; i < Number(process.env.FRESH_TOKENS || 20000); i++) {
  const d = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ sub: `bench${i}`, exp: Math.floor(Date.now() / 1000) + 86400, target })}`;
  lines.push(`/?token=${d}.${crypto.sign('sha256', Buffer.from(d), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`);
}
fs.writeFileSync(`${tokenFile}s`, lines.join('\n') + '\n');
JS
pids=(); karaf=
cleanup() {
  [ -z "$karaf" ] || kill -KILL -- "-$karaf" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_port() { for _ in $(seq 1 900); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never listened" >&2; return 1; }
"$OUT/ws-rate" echo "$ECHO" & pids+=($!)
wait_port "$ECHO"
(
  for _ in $(seq 1 900); do grep -qs "FeaturesServiceImpl.*| Done\.$" "$DIR/data/log/karaf.log" && break; sleep 0.1; done
  common=$'target = 127.0.0.1:'"$ECHO"$'\nmax.connections = 20000\nauth.max.failures = 1000000\n'
  printf 'listen = 127.0.0.1:%s\n%s' "$OPEN" "$common" > "$DIR/etc/org.novnc.proxy.relay-open.cfg"
  printf 'listen = 127.0.0.1:%s\n%sauth = jwt\njwt.key = %s\n' "$JWT" "$common" "$DIR/etc/bench-jwks.json" > "$DIR/etc/org.novnc.proxy.relay-jwt.cfg"
  printf 'listen = 127.0.0.1:%s\n%sauth = login\n' "$LOGIN" "$common" > "$DIR/etc/org.novnc.proxy.relay-login.cfg"
) &
EXTRA_JAVA_OPTS="-Xms64m -Xmx512m" setsid "$DIR/bin/karaf" run >"$OUT/karaf.out" 2>&1 & karaf=$!
wait_port "$OPEN"; wait_port "$JWT"; wait_port "$LOGIN"
COOKIE=$(curl -s -i -X POST --data-urlencode "username=bench" --data-urlencode "password=$PASSWORD" "http://127.0.0.1:$LOGIN/login" \
  | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')
[ -n "$COOKIE" ] || { echo "$0: the login did not set a cookie" >&2; exit 1; }
TOKEN=$(cat "$OUT/token")
run() { # name conc seconds
  case $1 in
    open) "$OUT/ws-rate" client 127.0.0.1 "$OPEN" "$2" "$3" ;;
    jwt) WS_PATH="/?token=$TOKEN" "$OUT/ws-rate" client 127.0.0.1 "$JWT" "$2" "$3" ;;
    jwt-fresh) WS_PATHS_FILE="$OUT/tokens" "$OUT/ws-rate" client 127.0.0.1 "$JWT" "$2" "$3" ;;
    cookie) WS_HEADERS="Cookie: $COOKIE" "$OUT/ws-rate" client 127.0.0.1 "$LOGIN" "$2" "$3" ;;
  esac
}
for v in open jwt jwt-fresh cookie; do run "$v" "$CONC_RATE" 3 >/dev/null; done # warm up (JIT), not counted
: > "$OUT/results.txt"
for r in $(seq 1 "$RUNS"); do
  echo "round $r"
  order=(open jwt jwt-fresh cookie); [ $((r % 2)) -eq 0 ] && order=(cookie jwt-fresh jwt open)
  for v in "${order[@]}"; do
    lat=$(run "$v" 1 "$SECONDS_EACH"); rate=$(run "$v" "$CONC_RATE" "$SECONDS_EACH")
    echo "$v latency $lat" | tee -a "$OUT/results.txt"
    echo "$v rate $rate" | tee -a "$OUT/results.txt"
  done
done
grep -E "\| (ERROR|WARN) " "$DIR/data/log/karaf.log" | head -5 || true
node - "$OUT/results.txt" <<'JS'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split(/\s+/));
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const by = {};
for (const f of lines) {
  const v = (by[f[0]] ??= { p50: [], rate: [], errors: 0 });
  // NAME KIND sessions N seconds S rate R p50_ms X p99_ms Y errors E
  if (f[1] === 'latency') v.p50.push(+f[9]); else v.rate.push(+f[7]);
  v.errors += +f[13];
}
console.log('\n| auth | p50 handshake to first byte (ms, one at a time) | ratio | sessions/s | ratio | errors |');
console.log('|---|---|---|---|---|---|');
const base = by.open;
for (const [name, v] of Object.entries(by)) {
  const label = { open: 'empty', jwt: 'jwt (ES256, same token)', 'jwt-fresh': 'jwt (ES256, fresh token each session)', cookie: 'login cookie' }[name];
  console.log(`| ${label} | ${med(v.p50).toFixed(3)} | `
    + `${(med(v.p50) / med(base.p50)).toFixed(2)}x | ${Math.round(med(v.rate))} | ${(med(v.rate) / med(base.rate)).toFixed(2)}x | ${v.errors} |`);
}
JS
echo "raw results: $OUT/results.txt"
