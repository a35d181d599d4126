#!/usr/bin/env bash
# karaf-relay.sh - start the built novnc-proxy distribution in the foreground with one relay, for
# ../shared/bench/run-anchor.sh:
#
#   PROXIES=$'websockify|websockify {listen} {target}\nnovnc-proxy|/path/to/bench/karaf-relay.sh {listen_port} {target}' \
#     TCP_PROXY=1 RUNS=3 ../shared/bench/run-anchor.sh
#
#   karaf-relay.sh LISTEN_PORT TARGET_HOST:PORT
# Unpacks distribution/target/*.tar.gz into a fresh temporary directory, writes
# etc/org.novnc.proxy.relay-bench.cfg once Karaf has booted (listen 127.0.0.1:LISTEN_PORT,
# max.connections 20000) and execs bin/karaf run (the directory is removed by the next run). KARAF_HEAP (default 512m) sets -Xmx.
# RELAY_EXTRA (optional): more lines for that cfg, e.g. RELAY_EXTRA='cert = /path/self.pem' for wss://.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 LISTEN_PORT TARGET_HOST:PORT" >&2; exit 2; }
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARBALL=$(ls "$HERE"/distribution/target/novnc-proxy-distribution-*.tar.gz 2>/dev/null | head -1)
[ -n "$TARBALL" ] || { echo "$0: build first (mvn install -DskipTests)" >&2; exit 2; }
# earlier runs' directories whose Karaf has stopped
for old in "${TMPDIR:-/tmp}"/novnc-bench.*; do
  if [ -d "$old" ] && ! pgrep -f "$old/" >/dev/null; then rm -rf "$old"; fi
done
DIR=$(mktemp -d -t novnc-bench.XXXXXX)
tar xzf "$TARBALL" -C "$DIR" --strip-components=1
rm -f "$DIR"/etc/org.novnc.proxy.relay-demo.cfg "$DIR"/etc/org.novnc.proxy.demo-default.cfg # only the measured relay
# The relay is configured once Karaf has installed its boot features (the features service logs
# "Done."), so measurements start in steady state, not while the rest of Karaf is still starting.
(
  for _ in $(seq 1 600); do grep -qs "FeaturesServiceImpl.*| Done\.$" "$DIR/data/log/karaf.log" && break; sleep 0.1; done
  { printf 'listen = 127.0.0.1:%s\ntarget = %s\nmax.connections = 20000\n' "$1" "$2"
    [ -z "${RELAY_EXTRA:-}" ] || printf '%s\n' "$RELAY_EXTRA"; } > "$DIR/etc/org.novnc.proxy.relay-bench.cfg.tmp"
  mv "$DIR/etc/org.novnc.proxy.relay-bench.cfg.tmp" "$DIR/etc/org.novnc.proxy.relay-bench.cfg"
) &
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
export EXTRA_JAVA_OPTS="-Xms64m -Xmx${KARAF_HEAP:-512m} ${EXTRA_JAVA_OPTS:-}"
# exec all the way down (bin/karaf run execs java), so the bench measures and stops the JVM itself
exec "$DIR/bin/karaf" run
