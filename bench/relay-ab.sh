#!/usr/bin/env bash
# relay-ab.sh - the same plain relay (no RFB keys) of two builds side by side: two Karafs, one
# relay each, in front of one RFB blast server (bench/rfb-blast.c); RUNS rounds in alternating
# order move MIB MiB down one session per build. Prints every round and the medians with B/A.
# For "a change leaves the plain relay as it was": A = a build before the change, B = after.
#
#   bench/relay-ab.sh A.tar.gz B.tar.gz        RUNS=7 MIB=2048 BASE_PORT=17600
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -eq 2 ] || { echo "usage: $0 A.tar.gz B.tar.gz" >&2; exit 2; }
RUNS="${RUNS:-7}"; MIB="${MIB:-2048}"; BASE="${BASE_PORT:-17600}"
OUT="${OUT_DIR:-$(mktemp -d -t relay-ab.XXXXXX)}"
gcc -O2 -o "$OUT/rfb-blast" "$HERE/rfb-blast.c"
SERVER=$BASE
pids=(); groups=()
cleanup() {
  for g in "${groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_port() { for _ in $(seq 1 900); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never listened" >&2; return 1; }
setsid "$OUT/rfb-blast" serve "$SERVER" "$MIB" & pids+=($!)
wait_port "$SERVER"
start() { # name tarball port
  local dir="$OUT/$1"
  mkdir -p "$dir"
  tar xzf "$2" -C "$dir" --strip-components=1
  rm -f "$dir"/etc/org.novnc.proxy.relay-demo.cfg "$dir"/etc/org.novnc.proxy.demo-default.cfg
  sed -i "s/^sshPort *=.*/sshPort = $(( $3 + 50 ))/" "$dir/etc/org.apache.karaf.shell.cfg"
  sed -i "s/^rmiRegistryPort *=.*/rmiRegistryPort = $(( $3 + 51 ))/; s/^rmiServerPort *=.*/rmiServerPort = $(( $3 + 52 ))/" "$dir/etc/org.apache.karaf.management.cfg"
  printf 'org.osgi.service.http.port = %s\n' $(( $3 + 53 )) >> "$dir/etc/org.ops4j.pax.web.cfg"
  (
    for _ in $(seq 1 900); do grep -qs "FeaturesServiceImpl.*| Done\.$" "$dir/data/log/karaf.log" && break; sleep 0.1; done
    printf 'listen = 127.0.0.1:%s\ntarget = 127.0.0.1:%s\n' "$3" "$SERVER" > "$dir/etc/org.novnc.proxy.relay-ab.cfg"
  ) &
  EXTRA_JAVA_OPTS="-Xms64m -Xmx512m" setsid "$dir/bin/karaf" run >"$dir.out" 2>&1 & groups+=($!)
}
A=$((BASE + 1)); B=$((BASE + 2))
start a "$1" "$A"
wait_port "$A"
start b "$2" "$B"
wait_port "$B"
for p in "$A" "$B"; do "$OUT/rfb-blast" client 127.0.0.1 "$p" 256 >/dev/null; done # warm up
: > "$OUT/results.txt"
for r in $(seq 1 "$RUNS"); do
  order=(a b); [ $((r % 2)) -eq 0 ] && order=(b a)
  for v in "${order[@]}"; do
    port=$A; [ "$v" = b ] && port=$B
    echo "$v $("$OUT/rfb-blast" client 127.0.0.1 "$port" "$MIB")" | tee -a "$OUT/results.txt"
  done
done
median() { grep "^$1 " "$OUT/results.txt" | awk '{print $3}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ma=$(median a); mb=$(median b)
echo "A $ma MB/s, B $mb MB/s: B/A $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.3f", b / a}')x (medians of $RUNS rounds)"
