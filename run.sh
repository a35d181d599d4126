#!/usr/bin/env bash
# run.sh - build novnc-proxy if needed and start it in Karaf, in the foreground (Ctrl-C stops it):
# the embedded demo desktop, and a proxy on port 6080 serving the web client and reaching it.
#
#   ./run.sh [--vnc HOST:PORT] [--listen [HOST:]PORT] [--rebuild]
#
#   --vnc HOST:PORT     proxy to this VNC server instead of the demo desktop
#                       (or unix:/path of its Unix socket)
#   --listen [H:]PORT   where the proxy listens (default 127.0.0.1:6080)
#   --rebuild           rebuild even if a distribution is already built
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VNC=""
LISTEN="127.0.0.1:6080"
REBUILD=0
usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --vnc) [ $# -ge 2 ] || usage 2; VNC="$2"; shift 2 ;;
    --listen) [ $# -ge 2 ] || usage 2; LISTEN="$2"; shift 2 ;;
    --rebuild) REBUILD=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
[ -z "$VNC" ] || [[ "$VNC" =~ ^[^:]+:[0-9]+$ || "$VNC" =~ ^\[.+\]:[0-9]+$ || "$VNC" =~ ^unix:/.+$ ]] || { echo "run.sh: --vnc needs HOST:PORT or unix:/path, got '$VNC'" >&2; exit 2; }
[[ "$LISTEN" =~ ^([^:]+:)?[0-9]+$ ]] || { echo "run.sh: --listen needs [HOST:]PORT, got '$LISTEN'" >&2; exit 2; }

TARBALL=$(ls "$HERE"/distribution/target/novnc-proxy-distribution-*.tar.gz 2>/dev/null | head -1 || true)
if [ "$REBUILD" = 1 ] || [ -z "$TARBALL" ]; then
  echo "==> Building novnc-proxy (mvn install, tests skipped; the first build downloads dependencies)"
  (cd "$HERE" && mvn -B -q install -DskipTests)
  TARBALL=$(ls "$HERE"/distribution/target/novnc-proxy-distribution-*.tar.gz | head -1)
fi

RUN_DIR="$HERE/target/run"
echo "==> Unpacking $(basename "$TARBALL") into $RUN_DIR"
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
tar xzf "$TARBALL" -C "$RUN_DIR" --strip-components=1
TARGET="${VNC:-localhost:5999}"
cat > "$RUN_DIR/etc/org.novnc.proxy.relay-demo.cfg" <<CFG
# Written by run.sh. Edit it while Karaf runs: changes apply live.
listen = $LISTEN
target = $TARGET
web = true
CFG
if [ -n "$VNC" ]; then
  rm -f "$RUN_DIR/etc/org.novnc.proxy.demo-default.cfg" # no demo desktop when proxying a real server
fi

PORT="${LISTEN##*:}"
HOST="${LISTEN%:*}"; { [ "$HOST" = "$LISTEN" ] || [ "$HOST" = "127.0.0.1" ]; } && HOST=localhost
echo "==> Starting Karaf: proxy on $LISTEN -> ${VNC:-the demo desktop (localhost:5999)}"
echo
echo "    Open:  http://$HOST:$PORT/vnc.html?autoconnect=true"
echo
echo "    Logs: $RUN_DIR/data/log/karaf.log    Stop: Ctrl-C"
exec "$RUN_DIR/bin/karaf" run
