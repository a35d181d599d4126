#!/usr/bin/env bash
# tls-bench.sh - wss:// through the novnc-proxy relay against haproxy terminating TLS in TCP mode,
# both in front of the same `tcp-sink-source.mjs --mux` target, loopback only.
#
#   bench/tls-bench.sh            (build the distribution first; haproxy, node, gcc, libssl-dev)
#
# Makes a self-signed RSA 2048 and a P-256 PEM (certificate + key in one file), builds
# bench/wss-blast.c into the output directory, starts the mux target, then per key type and round
# (the two proxies' order alternates from round to round) starts each proxy, waits until it
# listens, warms it up, measures it and stops it:
#   haproxy   `bind 127.0.0.1:P ssl crt PEM` in TCP mode (`haproxy -db -f CFG`):
#             wss-blast tlsdown / tlsup (1 conn) and `handshakes ... tls`
#   relay     bench/karaf-relay.sh with RELAY_EXTRA='cert = PEM' (TLS or plain on one port):
#             wss-blast down / up (1 conn), `handshakes ... tls` and `handshakes ... ws`
# and prints a Markdown table of medians [min..max] with relay/haproxy ratios, plus the proxies'
# CPU per GB and per handshake (their process tree, counted while the test runs).
# haproxy in TCP mode connects to the target as soon as a TLS handshake is done; the relay only after
# the WebSocket upgrade: its `handshakes ws` row is the like-for-like session setup.
#
# Environment (all optional):
#   RUNS=3 (rounds per key type, max 20)  MIB=512 (per throughput test, max 16384)
#   HS_SECONDS=5 (per handshakes test, max 120)  HS_CONC=8 (parallel handshakes)
#   KEYS='rsa2048 p256'  WARM_MIB=64 WARM_S=1 (warm-up per proxy start, not counted; WARM_MIB=0: none)
#   BASE_PORT=17400 (mux target BASE_PORT, haproxy +2, relay +10)  RELAY_READY_S=180 (Karaf boot)
#   STEP_TIMEOUT_S=300 (per wss-blast run)  KARAF_HEAP (see karaf-relay.sh)
#   SHARED_BENCH=../shared/bench (tcp-sink-source.mjs)  OUT_DIR (default: a new mktemp -d directory)
set -u -o pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED_BENCH="${SHARED_BENCH:-$ROOT/../shared/bench}"
RUNS="${RUNS:-3}"
MIB="${MIB:-512}"
HS_SECONDS="${HS_SECONDS:-5}"
HS_CONC="${HS_CONC:-8}"
KEYS="${KEYS:-rsa2048 p256}"
WARM_MIB="${WARM_MIB:-64}"
WARM_S="${WARM_S:-1}"
BASE_PORT="${BASE_PORT:-17400}"
RELAY_READY_S="${RELAY_READY_S:-180}"
STEP_TIMEOUT_S="${STEP_TIMEOUT_S:-300}"
HOST=127.0.0.1
MUX_PORT=$BASE_PORT
HAP_PORT=$((BASE_PORT + 2))
RELAY_PORT=$((BASE_PORT + 10))

log() { echo "[tls-bench $(date +%H:%M:%S)] $*" >&2; }
fail() { log "$*"; exit 3; }
int_in() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
int_in "$RUNS" 1 20 || fail "RUNS must be 1..20"
int_in "$MIB" 1 16384 || fail "MIB must be 1..16384"
int_in "$HS_SECONDS" 1 120 || fail "HS_SECONDS must be 1..120"
int_in "$HS_CONC" 1 256 || fail "HS_CONC must be 1..256"
int_in "$WARM_MIB" 0 4096 || fail "WARM_MIB must be 0..4096"
int_in "$WARM_S" 1 60 || fail "WARM_S must be 1..60"
int_in "$RELAY_READY_S" 1 900 || fail "RELAY_READY_S must be 1..900"
for k in $KEYS; do [[ "$k" == rsa2048 || "$k" == p256 ]] || fail "KEYS: rsa2048 and/or p256"; done
for t in haproxy node gcc openssl ss timeout; do command -v $t >/dev/null || fail "$t not found"; done
[ -r "$SHARED_BENCH/tcp-sink-source.mjs" ] || fail "no $SHARED_BENCH/tcp-sink-source.mjs (set SHARED_BENCH)"
ls "$ROOT"/distribution/target/novnc-proxy-distribution-*.tar.gz >/dev/null 2>&1 || fail "build the distribution first"

OUT_DIR="${OUT_DIR:-$(mktemp -d -t tlsbench.XXXXXX)}"
mkdir -p "$OUT_DIR" || fail "cannot create $OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
RES="$OUT_DIR/results.txt"   # lines: proxy key metric value
: >"$RES"

# ---- processes: every one we start is stopped by PID, whatever happens ----
STARTED=()
descendants() {
  local p=$1 depth=${2:-0} c
  [ "$depth" -gt 20 ] && return
  for c in $(pgrep -P "$p" 2>/dev/null); do echo "$c"; descendants "$c" $((depth + 1)); done
}
stop_tree() { # PID: TERM it and its descendants, wait up to 20 s, then KILL what is left
  local pid=$1 all p i alive
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  all="$pid $(descendants "$pid" | tr '\n' ' ')"
  for p in $all; do kill -TERM "$p" 2>/dev/null; done
  for i in $(seq 1 200); do
    alive=0
    for p in $all; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in $all; do kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; done
  wait "$pid" 2>/dev/null
  return 0
}
forget() { local keep=() p; for p in "${STARTED[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done; STARTED=("${keep[@]}"); }
cleanup() { local p; for p in "${STARTED[@]}"; do [ -n "$p" ] && stop_tree "$p"; done; STARTED=(); }
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
wait_listen() { # PORT SECONDS PID -> 0 listening, 2 the process died, 1 timed out
  local i
  for i in $(seq 1 $(($2 * 10))); do
    listening "$1" && return 0
    kill -0 "$3" 2>/dev/null || return 2
    sleep 0.1
  done
  return 1
}
cpu_ticks() { # utime+stime of a process tree, in clock ticks
  local p t=0
  for p in $1 $(descendants "$1"); do
    [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0)))
  done
  echo $t
}
HZ=$(getconf CLK_TCK)

for p in $MUX_PORT $HAP_PORT $RELAY_PORT; do listening $p && fail "port $p is in use; set BASE_PORT"; done
for p in 8101 8181; do listening $p && log "warning: port $p is in use (another Karaf?); the relay's Karaf wants it too"; done

# ---- the client and the certificates ----
BLAST="$OUT_DIR/wss-blast"
gcc -O2 -o "$BLAST" "$HERE/wss-blast.c" -lssl -lcrypto -lpthread || fail "cannot build wss-blast (libssl-dev?)"
make_pem() { # KEY -> path of cert+key PEM
  local k=$1 args
  case $k in
    rsa2048) args=(-newkey rsa:2048) ;;
    p256) args=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1) ;;
  esac
  openssl req -x509 -nodes "${args[@]}" -days 7 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
    -keyout "$OUT_DIR/$k.key" -out "$OUT_DIR/$k.crt" 2>"$OUT_DIR/openssl-$k.log" || fail "openssl req failed for $k"
  cat "$OUT_DIR/$k.crt" "$OUT_DIR/$k.key" >"$OUT_DIR/$k.pem"
  chmod 600 "$OUT_DIR/$k.key" "$OUT_DIR/$k.pem"
  echo "$OUT_DIR/$k.pem"
}
declare -A PEM
for k in $KEYS; do PEM[$k]=$(make_pem $k) || exit 3; done

# ---- the target ----
MAX_S=$(( 3600 + RUNS * 2 * 1200 ))
node "$SHARED_BENCH/tcp-sink-source.mjs" --host $HOST --mux $MUX_PORT --max-seconds $MAX_S >"$OUT_DIR/target.log" 2>&1 &
TPID=$!; STARTED+=("$TPID")
wait_listen $MUX_PORT 15 $TPID || { cat "$OUT_DIR/target.log" >&2; fail "the mux target did not start"; }
log "mux target on $HOST:$MUX_PORT (pid $TPID); output in $OUT_DIR"

# ---- measuring ----
# blast PROXY KEY PID MODE MIB [record]: one throughput run; records MB/s and CPU s per GB
blast() {
  local proxy=$1 key=$2 pid=$3 m=$4 mib=$5 rec=${6:-1} c0 c1 out
  c0=$(cpu_ticks "$pid")
  out=$(timeout "$STEP_TIMEOUT_S" "$BLAST" $HOST "$PORT" "$m" "$mib" 1 2>>"$OUT_DIR/tls-$proxy-$key.log" | tail -1)
  c1=$(cpu_ticks "$pid")
  if [[ "$out" =~ ^(tls)?(down|up)\ [0-9]+\ ([0-9]+)\  ]]; then
    [ "$rec" = 1 ] || return 0
    local dir=${BASH_REMATCH[2]} mbps=${BASH_REMATCH[3]}
    echo "$proxy $key $dir $mbps" >>"$RES"
    awk -v p=$proxy -v k=$key -v d=$dir -v t=$((c1 - c0)) -v hz=$HZ -v mib=$mib \
      'BEGIN{printf "%s %s cpu_%s %.3f\n", p, k, d, t / hz / (mib * 1048576 / 1e9)}' >>"$RES"
    log "  $proxy $key $m: $mbps MB/s"
  else
    log "  $proxy $key $m $mib MiB failed: ${out:-(no output, see $OUT_DIR/tls-$proxy-$key.log)}"
  fi
}
# hs PROXY KEY PID KIND SECONDS [record]: handshakes per second, p50/p99, CPU ms per handshake
hs() {
  local proxy=$1 key=$2 pid=$3 kind=$4 secs=$5 rec=${6:-1} c0 c1 out
  c0=$(cpu_ticks "$pid")
  out=$(timeout $((secs + 60)) "$BLAST" $HOST "$PORT" handshakes "$secs" "$HS_CONC" "$kind" 2>>"$OUT_DIR/tls-$proxy-$key.log" | tail -1)
  c1=$(cpu_ticks "$pid")
  if [[ "$out" =~ ^handshakes\ ([0-9]+)\ seconds\ [0-9.]+\ rate\ ([0-9.]+)\ p50_ms\ ([0-9.]+)\ p99_ms\ ([0-9.]+)\ errors\ ([0-9]+) ]] \
      && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
    [ "${BASH_REMATCH[5]}" = 0 ] || log "  $proxy $key handshakes $kind: ${BASH_REMATCH[5]} errors (see $OUT_DIR/tls-$proxy-$key.log)"
    [ "$rec" = 1 ] || return 0
    local n=${BASH_REMATCH[1]}
    { echo "$proxy $key hs_$kind ${BASH_REMATCH[2]}"
      echo "$proxy $key hs_${kind}_p50 ${BASH_REMATCH[3]}"
      echo "$proxy $key hs_${kind}_p99 ${BASH_REMATCH[4]}"
      awk -v p=$proxy -v k=$key -v kind=$kind -v t=$((c1 - c0)) -v hz=$HZ -v n=$n \
        'BEGIN{printf "%s %s cpu_hs_%s %.4f\n", p, k, kind, t / hz * 1000 / n}'; } >>"$RES"
    log "  $proxy $key handshakes $kind: ${BASH_REMATCH[2]}/s p50 ${BASH_REMATCH[3]} ms p99 ${BASH_REMATCH[4]} ms"
  else
    log "  $proxy $key handshakes $kind failed: ${out:-(no output, see $OUT_DIR/tls-$proxy-$key.log)}"
  fi
}

run_haproxy() { # KEY RUN
  local key=$1 run=$2 cfg="$OUT_DIR/haproxy-$key.cfg" pid
  printf 'global\n  maxconn 4000\n  ssl-default-bind-options ssl-min-ver TLSv1.2\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 120s\n  timeout server 120s\nfrontend f\n  bind %s:%s ssl crt %s\n  default_backend b\nbackend b\n  server s1 %s:%s\n' \
    $HOST $HAP_PORT "${PEM[$key]}" $HOST $MUX_PORT >"$cfg"
  haproxy -db -f "$cfg" >"$OUT_DIR/haproxy-$key-run$run.log" 2>&1 &
  pid=$!; STARTED+=("$pid")
  if wait_listen $HAP_PORT 15 $pid; then
    PORT=$HAP_PORT
    log "run $run $key: haproxy (pid $pid) on $HOST:$HAP_PORT"
    if [ "$WARM_MIB" -gt 0 ]; then
      blast haproxy $key $pid tlsdown $WARM_MIB 0; blast haproxy $key $pid tlsup $WARM_MIB 0; hs haproxy $key $pid tls $WARM_S 0
    fi
    blast haproxy $key $pid tlsdown $MIB
    blast haproxy $key $pid tlsup $MIB
    hs haproxy $key $pid tls $HS_SECONDS
  else
    log "haproxy did not listen on $HAP_PORT:"; tail -5 "$OUT_DIR/haproxy-$key-run$run.log" >&2
  fi
  stop_tree $pid; forget $pid
}

run_relay() { # KEY RUN
  local key=$1 run=$2 pid rc t0 dir line
  t0=$(date +%s)
  # karaf-relay.sh unpacks into $TMPDIR/novnc-bench.*: here, so it is ours to read and remove
  TMPDIR="$OUT_DIR" RELAY_EXTRA="cert = ${PEM[$key]}" "$HERE/karaf-relay.sh" $RELAY_PORT $HOST:$MUX_PORT \
    >"$OUT_DIR/relay-$key-run$run.log" 2>&1 &
  pid=$!; STARTED+=("$pid")
  wait_listen $RELAY_PORT "$RELAY_READY_S" $pid; rc=$?
  dir=$(ls -td "$OUT_DIR"/novnc-bench.* 2>/dev/null | head -1)
  if [ $rc = 0 ]; then
    PORT=$RELAY_PORT
    line=$(grep -h "listening on .*$RELAY_PORT" "$dir/data/log/karaf.log" 2>/dev/null | tail -1)
    log "run $run $key: relay (pid $pid) on $HOST:$RELAY_PORT after $(( $(date +%s) - t0 )) s: ${line##*| }"
    [ -n "$line" ] && echo "$key ${line##*| }" >>"$OUT_DIR/relay-listening.txt"
    if [ "$WARM_MIB" -gt 0 ]; then
      blast relay $key $pid down $WARM_MIB 0; blast relay $key $pid up $WARM_MIB 0
      hs relay $key $pid ws $WARM_S 0; hs relay $key $pid tls $WARM_S 0
    fi
    blast relay $key $pid down $MIB
    blast relay $key $pid up $MIB
    hs relay $key $pid tls $HS_SECONDS
    hs relay $key $pid ws $HS_SECONDS
  else
    log "the relay did not listen on $RELAY_PORT within ${RELAY_READY_S}s (rc $rc):"
    tail -5 "$OUT_DIR/relay-$key-run$run.log" >&2
    [ -n "$dir" ] && grep -h "ERROR\|WARN" "$dir/data/log/karaf.log" 2>/dev/null | tail -5 >&2
  fi
  stop_tree $pid; forget $pid
  [ -n "$dir" ] && cp "$dir/data/log/karaf.log" "$OUT_DIR/karaf-$key-run$run.log" 2>/dev/null
  [ -n "$dir" ] && rm -rf "$dir"
}

# per key type the order alternates from round to round (and the key types start differently)
for run in $(seq 1 "$RUNS"); do
  ki=0
  for key in $KEYS; do
    ki=$((ki + 1))
    if [ $(((run + ki) % 2)) = 0 ]; then run_haproxy $key $run; run_relay $key $run
    else run_relay $key $run; run_haproxy $key $run; fi
  done
done
cleanup

# ---- the table ----
stats() { # PROXY KEY METRIC -> "median min max" (nothing when there is no value)
  awk -v p="$1" -v k="$2" -v m="$3" '$1 == p && $2 == k && $3 == m {print $4}' "$RES" | sort -g |
    awk '{a[NR] = $1} END {if (NR) printf "%s %s %s\n", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR]}'
}
cell() { # "median min max" FORMAT
  [ -n "$1" ] || { printf -- '-'; return; }
  set -- $1 "$2"
  printf "$4 [$4..$4]" "$1" "$2" "$3"
}
row() { # LABEL KEY HAPROXY_METRIC RELAY_METRIC FORMAT
  local a b r
  a=$(stats haproxy "$2" "$3"); b=$(stats relay "$2" "$4")
  r=-
  [ -n "$a" ] && [ -n "$b" ] && r=$(awk -v x="${a%% *}" -v y="${b%% *}" 'BEGIN{if (x > 0) printf "%.2fx", y / x; else print "-"}')
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$(cell "$a" "$5")" "$(cell "$b" "$5")" "$r"
}
echo
echo "TLS: medians [min..max] of $RUNS round(s), 1 connection, $MIB MiB per throughput test, $HS_CONC parallel"
echo "full handshakes for $HS_SECONDS s (no resumption); haproxy $(haproxy -v | awk 'NR==1{print $3}') in TCP mode vs the relay (wss://)."
echo
echo "| test | key | haproxy | relay | relay/haproxy |"
echo "|---|---|---|---|---|"
for key in $KEYS; do
  row "down MB/s (1 conn)" $key down down %.0f
  row "up MB/s (1 conn)" $key up up %.0f
done
for key in $KEYS; do
  row "handshakes/s, TLS only" $key hs_tls hs_tls %.0f
  row "handshakes/s, relay: TLS + WebSocket upgrade" $key hs_tls hs_ws %.0f
  row "handshake p50 ms, TLS only" $key hs_tls_p50 hs_tls_p50 %.2f
  row "handshake p99 ms, TLS only" $key hs_tls_p99 hs_tls_p99 %.2f
done
for key in $KEYS; do
  row "proxy CPU s per GB down" $key cpu_down cpu_down %.2f
  row "proxy CPU s per GB up" $key cpu_up cpu_up %.2f
  row "proxy CPU ms per handshake, TLS only" $key cpu_hs_tls cpu_hs_tls %.3f
  row "proxy CPU ms per handshake, relay: + upgrade" $key cpu_hs_tls cpu_hs_ws %.3f
done
echo
echo "Negotiated (first connection of each client run):"
for f in "$OUT_DIR"/tls-*.log; do
  [ -r "$f" ] || continue
  n=${f##*/tls-}; n=${n%.log}
  grep -h '^tls: ' "$f" | sort -u | sed "s|^tls: |  $n: |"
done
[ -r "$OUT_DIR/relay-listening.txt" ] && { echo "Relay:"; sort -u "$OUT_DIR/relay-listening.txt" | sed 's/^/  /'; }
echo "Raw results: $RES"
