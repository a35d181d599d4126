#!/usr/bin/env bash
# session-rate.sh - new sessions per second (connect, upgrade, one 16-byte echo, close) through
# the relay of the built distribution, websockify and haproxy in TCP mode (connect, echo, close:
# its floor), all in front of one C echo server, RUNS rounds in alternating order. Prints each
# round and a Markdown table of medians with the relay's ratios.
#
#   bench/session-rate.sh            RUNS=5 SECONDS_EACH=15 CONC=64 BASE_PORT=17300
# Needs gcc, websockify and haproxy (../shared/bench/setup.sh) and a built distribution.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNS="${RUNS:-5}"; SECONDS_EACH="${SECONDS_EACH:-15}"; CONC="${CONC:-64}"; BASE="${BASE_PORT:-17300}"
OUT="${OUT_DIR:-$(mktemp -d -t session-rate.XXXXXX)}"
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)"
gcc -O2 -o "$OUT/ws-rate" "$HERE/ws-rate.c"
ECHO=$BASE; RELAY=$((BASE + 1)); WSF=$((BASE + 2)); HAP=$((BASE + 3))
pids=()
groups=()
cleanup() {
  for g in "${groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_port() { for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never listened" >&2; return 1; }
"$OUT/ws-rate" echo "$ECHO" & pids+=($!)
wait_port "$ECHO"
printf 'global\n  maxconn 4000\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\nlisten p\n  bind 127.0.0.1:%s\n  server t 127.0.0.1:%s\n' "$HAP" "$ECHO" >"$OUT/haproxy.cfg"
# a proxy is started, warmed up for 3 s (not counted), measured, stopped
# (each in its own process group: bin/karaf runs java as a child, websockify forks per connection)
stop_group() {
  kill -TERM -- "-$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 -- "-$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$1" 2>/dev/null || true
}
measure() {
  local name=$1 port=$2 mode=$3; shift 3
  setsid "$@" >"$OUT/$name.log" 2>&1 & local pid=$!
  groups+=("$pid")
  wait_port "$port"
  "$OUT/ws-rate" client 127.0.0.1 "$port" "$CONC" 3 "$mode" >/dev/null
  local line; line=$("$OUT/ws-rate" client 127.0.0.1 "$port" "$CONC" "$SECONDS_EACH" "$mode")
  echo "$name $line" | tee -a "$OUT/results.txt"
  stop_group "$pid"
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; sleep 0.1; done
}
for run in $(seq 1 "$RUNS"); do
  echo "round $run"
  order=(relay websockify haproxy); [ $((run % 2)) -eq 0 ] && order=(haproxy websockify relay)
  for p in "${order[@]}"; do
    case $p in
      relay) KARAF_HEAP=512m measure relay "$RELAY" ws "$HERE/karaf-relay.sh" "$RELAY" "127.0.0.1:$ECHO" ;;
      websockify) measure websockify "$WSF" ws websockify "127.0.0.1:$WSF" "127.0.0.1:$ECHO" ;;
      haproxy) measure haproxy "$HAP" tcp haproxy -db -f "$OUT/haproxy.cfg" ;;
    esac
  done
done
node - "$OUT/results.txt" <<'JS'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split(/\s+/));
const by = {};
for (const f of lines) (by[f[0]] ??= []).push({ rate: +f[6], p50: +f[8], p99: +f[10], errors: +f[12] });
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const m = Object.fromEntries(Object.entries(by).map(([k, v]) => [k, { rate: med(v.map((x) => x.rate)), p50: med(v.map((x) => x.p50)), p99: med(v.map((x) => x.p99)), errors: v.reduce((a, x) => a + x.errors, 0) }]));
console.log('\n| proxy | sessions/s | setup p50 ms | setup p99 ms | errors |\n|---|---|---|---|---|');
for (const [k, v] of Object.entries(m)) console.log(`| ${k} | ${v.rate} | ${v.p50} | ${v.p99} | ${v.errors} |`);
if (m.relay && m.websockify) console.log(`\nrelay / websockify: ${(m.relay.rate / m.websockify.rate).toFixed(2)}x sessions/s`);
if (m.relay && m.haproxy) console.log(`relay / haproxy (TCP, no WebSocket): ${(m.relay.rate / m.haproxy.rate).toFixed(2)}x sessions/s`);
JS
echo "results in $OUT"
