#!/usr/bin/env bash
# heap-per-session.sh - live heap (after full GC) of the Karaf relay with N idle-but-open sessions,
# against the same JVM with none: the relay's heap growth per session.
#
#   NODE_PATH=.../node_modules bench/heap-per-session.sh [CONNS=5000] [BENCH_DIR=../shared/bench]
# Starts tcp-sink-source.mjs and bench/karaf-relay.sh on loopback, opens CONNS sessions with
# ws-concurrency.mjs (each does 3 echoes of 64 B, then holds), measures with jcmd, stops everything.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONNS="${1:-5000}"
BENCH="${BENCH_DIR:-$HERE/../../shared/bench}"
MUX=17300; LISTEN=17310
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do pkill -TERM -P "$p" 2>/dev/null || true; kill -TERM "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
node "$BENCH/tcp-sink-source.mjs" --host 127.0.0.1 --mux $MUX --ws $((MUX + 1)) --max-seconds 600 >/dev/null 2>&1 &
PIDS+=($!)
"$HERE/karaf-relay.sh" $LISTEN 127.0.0.1:$MUX >/dev/null 2>&1 &
KPID=$!; PIDS+=($KPID)
for _ in $(seq 1 600); do ss -Hltn "sport = :$LISTEN" | grep -q . && break; sleep 0.1; done
JPID=$(pgrep -f "novnc-bench.*org.apache.karaf.main.Main" | head -1)
used() { # live heap in KB after a full GC
  jcmd "$JPID" GC.run >/dev/null
  jcmd "$JPID" GC.heap_info | awk '/garbage-first heap|def new generation|PSYoungGen|total .* used/ { for (i=1;i<=NF;i++) if ($i=="used") { v=$(i+1); sub(/K,?/,"",v); print v; exit } }'
}
# warm the path with a few sessions, then measure the empty baseline
node "$BENCH/ws-concurrency.mjs" --url ws://127.0.0.1:$LISTEN/ --conns 200 --hold-ms 100 >/dev/null 2>&1
sleep 2
BASE=$(used)
node "$BENCH/ws-concurrency.mjs" --url ws://127.0.0.1:$LISTEN/ --conns "$CONNS" --parallel 100 --hold-ms 15000 --pid "$JPID" > /tmp/heap-conc.out 2>&1 &
CPID=$!
for _ in $(seq 1 1200); do
  n=$(ss -Htn state established "sport = :$LISTEN" | wc -l)
  [ "$n" -ge "$CONNS" ] && break; sleep 0.1
done
OPEN=$(ss -Htn state established "sport = :$LISTEN" | wc -l)
PEAK=$(used)
wait $CPID || true
echo "sessions open: $OPEN of $CONNS"
echo "live heap: empty ${BASE} KB, with sessions ${PEAK} KB, growth $(( (PEAK - BASE) * 1024 / (OPEN > 0 ? OPEN : 1) )) bytes per session"
tail -4 /tmp/heap-conc.out
