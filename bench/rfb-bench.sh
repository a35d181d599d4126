#!/usr/bin/env bash
# rfb-bench.sh - what the RFB layer costs a session's downstream: three relays in one Karaf in
# front of one RFB blast server (bench/rfb-blast.c): a plain relay (bytes pass untouched, the
# viewer answers the server's VNC Authentication itself), one with target.password.file (the
# proxy answers it; the RFB layer frames the viewer's messages) and one also view.only. Each
# round moves MIB MiB down one session per relay, in alternating order; prints every round and a
# Markdown table of medians with the ratios to the plain relay.
#
#   bench/rfb-bench.sh            RUNS=5 MIB=2048 BASE_PORT=17500
# Needs gcc and a built distribution (mvn install -DskipTests).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
RUNS="${RUNS:-5}"; MIB="${MIB:-2048}"; BASE="${BASE_PORT:-17500}"
OUT="${OUT_DIR:-$(mktemp -d -t rfb-bench.XXXXXX)}"
mkdir -p "$OUT"
gcc -O2 -o "$OUT/rfb-blast" "$HERE/rfb-blast.c"
TARBALL=$(ls "$ROOT"/distribution/target/novnc-proxy-distribution-*.tar.gz 2>/dev/null | head -1)
[ -n "$TARBALL" ] || { echo "$0: build first (mvn install -DskipTests)" >&2; exit 2; }
SERVER=$BASE; PLAIN=$((BASE + 1)); PASSWORD=$((BASE + 2)); VIEW=$((BASE + 3))
DIR="$OUT/karaf"
mkdir -p "$DIR"
tar xzf "$TARBALL" -C "$DIR" --strip-components=1
rm -f "$DIR"/etc/org.novnc.proxy.relay-demo.cfg "$DIR"/etc/org.novnc.proxy.demo-default.cfg
echo "bench-password" > "$OUT/target.pw"
pids=(); karaf=
cleanup() {
  [ -z "$karaf" ] || kill -KILL -- "-$karaf" 2>/dev/null || true
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_port() { for _ in $(seq 1 900); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never listened" >&2; return 1; }
setsid "$OUT/rfb-blast" serve "$SERVER" "$MIB" & pids+=($!)
wait_port "$SERVER"
(
  for _ in $(seq 1 900); do grep -qs "FeaturesServiceImpl.*| Done\.$" "$DIR/data/log/karaf.log" && break; sleep 0.1; done
  printf 'listen = 127.0.0.1:%s\ntarget = 127.0.0.1:%s\n' "$PLAIN" "$SERVER" > "$DIR/etc/org.novnc.proxy.relay-plain.cfg"
  printf 'listen = 127.0.0.1:%s\ntarget = 127.0.0.1:%s\ntarget.password.file = %s\n' "$PASSWORD" "$SERVER" "$OUT/target.pw" \
    > "$DIR/etc/org.novnc.proxy.relay-password.cfg"
  printf 'listen = 127.0.0.1:%s\ntarget = 127.0.0.1:%s\ntarget.password.file = %s\nview.only = true\n' "$VIEW" "$SERVER" "$OUT/target.pw" \
    > "$DIR/etc/org.novnc.proxy.relay-view.cfg"
) &
EXTRA_JAVA_OPTS="-Xms64m -Xmx512m" setsid "$DIR/bin/karaf" run >"$OUT/karaf.out" 2>&1 & karaf=$!
wait_port "$PLAIN"; wait_port "$PASSWORD"; wait_port "$VIEW"
port() { case $1 in plain) echo "$PLAIN" ;; password) echo "$PASSWORD" ;; view) echo "$VIEW" ;; esac; }
for v in plain password view; do "$OUT/rfb-blast" client 127.0.0.1 "$(port "$v")" 256 >/dev/null; done # warm up (JIT)
: > "$OUT/results.txt"
for r in $(seq 1 "$RUNS"); do
  echo "round $r"
  order=(plain password view); [ $((r % 2)) -eq 0 ] && order=(view password plain)
  for v in "${order[@]}"; do
    echo "$v $("$OUT/rfb-blast" client 127.0.0.1 "$(port "$v")" "$MIB")" | tee -a "$OUT/results.txt"
  done
done
node - "$OUT/results.txt" <<'JS'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split(/\s+/));
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const by = {};
for (const f of lines) (by[f[0]] ??= []).push(+f[2]);
console.log('\n| relay | downstream MB/s (median) | ratio to plain |');
console.log('|---|---|---|');
const label = { plain: 'plain (no RFB layer)', password: 'target.password.file (RFB layer)', view: 'target.password.file + view.only' };
for (const [name, v] of Object.entries(by)) console.log(`| ${label[name]} | ${med(v).toFixed(0)} | ${(med(v) / med(by.plain)).toFixed(2)}x |`);
JS
echo "raw results: $OUT/results.txt"
