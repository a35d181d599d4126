#!/usr/bin/env bash
# soak.sh - hours-long behaviour in minutes: SESSIONS sessions through the relay of the built
# distribution for MINUTES minutes, each echoing random-size, sequence-numbered messages with every
# byte checked, plus CHURN short sessions opened and closed per second. Reports bytes moved, bytes
# lost or corrupted (must be 0), session errors, fds, RSS and live heap after a full GC at start,
# middle and end, and echo latency p50/p99 per minute (bench/soak.mjs).
#
#   bench/soak.sh [SESSIONS] [MINUTES]        (defaults 1000 and 10)
# Environment: CHURN=50 (short sessions/s)  INTERVAL_MS=1000 (pause between a session's messages)
#   MAX_SIZE=65536  KARAF_HEAP=512m  NODE_PATH=<dir with the npm package ws> (../shared/bench/setup.sh)
# Needs a built distribution (mvn install -DskipTests) and jcmd (the JDK). Not a CI test.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SESSIONS="${1:-1000}"
MINUTES="${2:-10}"
ulimit -n "$(ulimit -Hn)"
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
ECHO_PORT=$(free_port)
RELAY_PORT=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap 'cleanup' EXIT
node -e "require('net').createServer((s) => { s.on('error', () => {}); s.pipe(s); }).listen($ECHO_PORT, '127.0.0.1')" &
pids+=($!)
# in its own process group: bin/karaf runs java as a child, and the whole group is stopped at the end
setsid "$HERE/karaf-relay.sh" "$RELAY_PORT" "127.0.0.1:$ECHO_PORT" >"${TMPDIR:-/tmp}/soak-karaf.log" 2>&1 &
GROUP=$!
cleanup() {
  kill -TERM -- "-$GROUP" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 -- "-$GROUP" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$GROUP" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
echo "[soak] relay 127.0.0.1:$RELAY_PORT -> echo 127.0.0.1:$ECHO_PORT; waiting for Karaf"
for _ in $(seq 1 600); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$RELAY_PORT") 2>/dev/null; then break; fi
  sleep 0.2
done
KARAF=$(pgrep -g "$GROUP" -x java | head -1)
[ -n "$KARAF" ] || { echo "[soak] no Karaf JVM found" >&2; exit 1; }
echo "[soak] Karaf JVM pid $KARAF"
node "$HERE/soak.mjs" --url "ws://127.0.0.1:$RELAY_PORT/" --pid "$KARAF" --sessions "$SESSIONS" --minutes "$MINUTES" \
  --churn "${CHURN:-50}" --interval-ms "${INTERVAL_MS:-1000}" --max-size "${MAX_SIZE:-65536}"
