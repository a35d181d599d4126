#!/bin/sh
# Tests for novnc-proxy's rebind.so, run by `make -C native test`.
#
# Environment (set by the Makefile):
#   REBIND_SO      the library under test
#   BINDTEST       the bindtest helper program
#   MARKER_SO      a harmless preload library that says "marker: loaded in PROGRAM"
#   REBIND_SCRIPT  the rebind wrapper script
#
# Every wait is bounded, every process started here is stopped on exit.
set -eu

: "${REBIND_SO:?REBIND_SO must point to rebind.so}"
: "${BINDTEST:?BINDTEST must point to the bindtest program}"
: "${MARKER_SO:?MARKER_SO must point to marker.so}"
: "${REBIND_SCRIPT:?REBIND_SCRIPT must point to the rebind script}"

# Run with a clean slate: nothing of ours leaks in from the caller (the
# library path is kept in SO and passed explicitly where it is wanted).
SO=$REBIND_SO
unset REBIND_SO LD_PRELOAD REBIND_PORT_OLD REBIND_PORT_NEW REBIND_OLD_PORT \
      REBIND_NEW_PORT REBIND_DEBUG REBIND_TEST_MARKER 2>/dev/null || true

command -v ss >/dev/null 2>&1 || { echo "FAIL: ss (iproute2) is required"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rebind-test.XXXXXX")
PIDS=""
PASSED=0
FAILED=0
SKIPPED=0
HOLD=20            # max lifetime (s) of a background bindtest

stop_pid() {
    # Stop one process we started: TERM, wait at most 3 s, then KILL.
    _p=$1
    kill "$_p" 2>/dev/null || return 0
    _i=0
    while kill -0 "$_p" 2>/dev/null && [ "$_i" -lt 30 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    kill -9 "$_p" 2>/dev/null || true
    wait "$_p" 2>/dev/null || true
}

cleanup() {
    for _p in $PIDS; do
        stop_pid "$_p"
    done
    PIDS=""
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

pass() { PASSED=$((PASSED + 1)); echo "PASS: $1"; }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL: $1"
    shift
    for _f in "$@"; do
        [ -f "$_f" ] && sed "s|^|    ${_f##*/}: |" "$_f"
    done
    return 0
}
skip() { SKIPPED=$((SKIPPED + 1)); echo "SKIP: $1"; }

# start NAME CMD... : run CMD in the background, output in $TMP/NAME.{out,err}
start() {
    _name=$1
    shift
    "$@" >"$TMP/$_name.out" 2>"$TMP/$_name.err" &
    LASTPID=$!
    PIDS="$PIDS $LASTPID"
}

# stop NAME-less: stop the given pid and drop it from PIDS
stop() {
    stop_pid "$1"
    _rest=""
    for _p in $PIDS; do
        [ "$_p" = "$1" ] || _rest="$_rest $_p"
    done
    PIDS=$_rest
}

# wait_for FILE PATTERN SECONDS : wait until FILE contains PATTERN
wait_for() {
    _i=0
    while [ "$_i" -lt $(($3 * 10)) ]; do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}

# listening_by ADDR:PORT PID : a TCP listener at exactly ADDR:PORT owned by PID
listening_by() {
    ss -Hltnp 2>/dev/null |
        awk -v a="$1" -v p="pid=$2," '$4 == a && index($0, p) { f = 1 } END { exit !f }'
}

# wait_listening ADDR:PORT PID SECONDS
wait_listening() {
    _i=0
    while [ "$_i" -lt $(($3 * 10)) ]; do
        listening_by "$1" "$2" && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}

# port_used PORT : any TCP socket (any state) on local port PORT
port_used() {
    [ -n "$(ss -Htan "sport = :$1" 2>/dev/null)" ]
}

CHOSEN=""
# pick_port : set PICKED to a port in 40000-49999 that is free now and was not
# picked before (runs in the current shell so that CHOSEN is kept)
PORT_BASE=$(awk -v s="$$" 'BEGIN { srand(); srand(int(rand() * 100000) + s); print 40000 + int(rand() * 10000) }')
pick_port() {
    _p=$PORT_BASE
    _i=0
    while [ "$_i" -lt 500 ]; do
        case " $CHOSEN " in
            *" $_p "*) ;;
            *) if ! port_used "$_p"; then
                   CHOSEN="$CHOSEN $_p"
                   PICKED=$_p
                   return 0
               fi ;;
        esac
        _p=$((_p + 1))
        [ "$_p" -le 49999 ] || _p=40000
        _i=$((_i + 1))
    done
    echo "FAIL: no free port found in 40000-49999" >&2
    exit 1
}

pick_port; OLD=$PICKED
pick_port; NEW=$PICKED
pick_port; OTHER=$PICKED
pick_port; ALT=$PICKED
echo "rebind tests: old=$OLD new=$NEW other=$OTHER alt=$ALT"
echo "  library: $SO"

# A copy of the script with rebind.so next to it, as it is shipped.
mkdir -p "$TMP/bin" "$TMP/other"
cp "$REBIND_SCRIPT" "$TMP/bin/rebind"
cp "$SO" "$TMP/bin/rebind.so"
cp "$MARKER_SO" "$TMP/other/marker.so"

# oneshot NAME [VAR=VALUE...] CMD... : run a short command to completion,
# output in $TMP/NAME.{out,err}; its exit status is ignored (the output is
# checked instead).  bindtest "listen" with SECONDS=0 binds, reports, exits.
oneshot() {
    _name=$1
    shift
    timeout 30 env "$@" >"$TMP/$_name.out" 2>"$TMP/$_name.err" || true
}

# ---------------------------------------------------------------- (a) IPv4
start a_v4 env LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" \
    "$BINDTEST" listen inet 0.0.0.0 "$OLD" "$HOLD"
pid=$LASTPID
if wait_for "$TMP/a_v4.out" '^bound' 5 &&
   grep -qx "bound 127.0.0.1:$NEW" "$TMP/a_v4.out" &&
   wait_listening "127.0.0.1:$NEW" "$pid" 5 &&
   ! port_used "$OLD" &&
   "$BINDTEST" connect inet 127.0.0.1 "$NEW" &&
   ! "$BINDTEST" connect inet 127.0.0.1 "$OLD" &&
   [ ! -s "$TMP/a_v4.err" ]; then
    pass "(a) IPv4 bind 0.0.0.0:$OLD -> listening on 127.0.0.1:$NEW (ss + connect), nothing on $OLD, caller sockaddr untouched"
else
    fail "(a) IPv4 bind 0.0.0.0:$OLD should listen on 127.0.0.1:$NEW only" "$TMP/a_v4.out" "$TMP/a_v4.err"
fi
stop "$pid"

# (a2) alternative variable spelling, and precedence when both are set
oneshot a2_alt LD_PRELOAD="$SO" REBIND_OLD_PORT="$OLD" REBIND_NEW_PORT="$NEW" \
    "$BINDTEST" listen inet 0.0.0.0 "$OLD" 0
oneshot a2_both LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" \
    REBIND_OLD_PORT="$OTHER" REBIND_NEW_PORT="$ALT" \
    "$BINDTEST" listen inet 0.0.0.0 "$OLD" 0
if grep -qx "bound 127.0.0.1:$NEW" "$TMP/a2_alt.out" && [ ! -s "$TMP/a2_alt.err" ] &&
   grep -qx "bound 127.0.0.1:$NEW" "$TMP/a2_both.out" && [ ! -s "$TMP/a2_both.err" ]; then
    pass "(a2) REBIND_OLD_PORT/REBIND_NEW_PORT accepted; REBIND_PORT_* wins when both differ"
else
    fail "(a2) variable spellings" "$TMP/a2_alt.out" "$TMP/a2_alt.err" "$TMP/a2_both.out" "$TMP/a2_both.err"
fi

# (a3) REBIND_DEBUG=1 logs the move once
oneshot a3 LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" REBIND_DEBUG=1 \
    "$BINDTEST" listen inet 127.0.0.1 "$OLD" 0
if grep -qx "bound 127.0.0.1:$NEW" "$TMP/a3.out" &&
   [ "$(wc -l <"$TMP/a3.err")" -eq 1 ] &&
   grep -q "^rebind: pid [0-9]*: bind to port $OLD moved to 127.0.0.1:$NEW\$" "$TMP/a3.err"; then
    pass "(a3) REBIND_DEBUG=1 logs one line: $(cat "$TMP/a3.err")"
else
    fail "(a3) REBIND_DEBUG=1 log line" "$TMP/a3.out" "$TMP/a3.err"
fi

# ------------------------------------------------------- (b) other binds
start b_v4 env LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" \
    "$BINDTEST" listen inet 0.0.0.0 "$OTHER" "$HOLD"
pid=$LASTPID
if wait_for "$TMP/b_v4.out" '^bound' 5 &&
   grep -qx "bound 0.0.0.0:$OTHER" "$TMP/b_v4.out" &&
   wait_listening "0.0.0.0:$OTHER" "$pid" 5 &&
   ! port_used "$NEW" && [ ! -s "$TMP/b_v4.err" ]; then
    pass "(b) IPv4 bind 0.0.0.0:$OTHER unaffected (listening on 0.0.0.0:$OTHER)"
else
    fail "(b) IPv4 bind 0.0.0.0:$OTHER should be untouched" "$TMP/b_v4.out" "$TMP/b_v4.err"
fi
stop "$pid"

start b_v6 env LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" \
    "$BINDTEST" listen inet6 :: "$OTHER" "$HOLD"
pid=$LASTPID
if wait_for "$TMP/b_v6.out" '^bound' 5 &&
   grep -qx "bound \[::\]:$OTHER" "$TMP/b_v6.out" &&
   { wait_listening "*:$OTHER" "$pid" 5 || wait_listening "[::]:$OTHER" "$pid" 1; }; then
    pass "(b) IPv6 bind [::]:$OTHER unaffected"
else
    fail "(b) IPv6 bind [::]:$OTHER should be untouched" "$TMP/b_v6.out" "$TMP/b_v6.err"
fi
stop "$pid"

# ---------------------------------------------------------------- (c) IPv6
start c_v6 env LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" \
    "$BINDTEST" listen inet6 :: "$OLD" "$HOLD"
pid=$LASTPID
if wait_for "$TMP/c_v6.out" '^bound' 5 &&
   grep -qx "bound \[::1\]:$NEW" "$TMP/c_v6.out" &&
   wait_listening "[::1]:$NEW" "$pid" 5 &&
   ! port_used "$OLD" &&
   "$BINDTEST" connect inet6 ::1 "$NEW" &&
   [ ! -s "$TMP/c_v6.err" ]; then
    pass "(c) IPv6 bind [::]:$OLD -> listening on [::1]:$NEW, nothing on $OLD"
else
    fail "(c) IPv6 bind [::]:$OLD should listen on [::1]:$NEW" "$TMP/c_v6.out" "$TMP/c_v6.err"
fi
stop "$pid"

oneshot c_mapped LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" \
    "$BINDTEST" listen inet6 ::ffff:0.0.0.0 "$OLD" 0
oneshot c_mapped2 LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" \
    "$BINDTEST" listen inet6 ::ffff:192.0.2.1 "$OLD" 0
if grep -qx "bound \[::1\]:$NEW" "$TMP/c_mapped.out" &&
   grep -qx "bound \[::1\]:$NEW" "$TMP/c_mapped2.out"; then
    pass "(c) IPv6 bind to IPv4-mapped [::ffff:0.0.0.0]/[::ffff:192.0.2.1]:$OLD -> [::1]:$NEW"
else
    fail "(c) IPv4-mapped IPv6 bind should go to [::1]:$NEW" "$TMP/c_mapped.out" "$TMP/c_mapped.err" \
        "$TMP/c_mapped2.out" "$TMP/c_mapped2.err"
fi

# -------------------------------------------- (d) missing / invalid config
# check_invalid LABEL VARNAME ENV... : pass-through plus exactly one line
check_invalid() {
    _label=$1
    _var=$2
    shift 2
    oneshot d_inv "$@" LD_PRELOAD="$SO" \
        "$BINDTEST" listen inet 0.0.0.0 "$OLD" 0
    if grep -qx "bound 0.0.0.0:$OLD" "$TMP/d_inv.out" &&
       [ "$(wc -l <"$TMP/d_inv.err")" -eq 1 ] &&
       grep -q "^rebind: .*$_var" "$TMP/d_inv.err"; then
        pass "(d) $_label -> pass-through; stderr: $(cat "$TMP/d_inv.err")"
    else
        fail "(d) $_label should pass through with one 'rebind:' line naming $_var" \
            "$TMP/d_inv.out" "$TMP/d_inv.err"
    fi
}
check_invalid "no variables set" REBIND_PORT_OLD
check_invalid "old port missing" REBIND_PORT_OLD REBIND_PORT_NEW="$NEW"
check_invalid "new port missing" REBIND_PORT_NEW REBIND_PORT_OLD="$OLD"
check_invalid "old port not a number" 'REBIND_PORT_OLD="abc"' REBIND_PORT_OLD=abc REBIND_PORT_NEW="$NEW"
check_invalid "old port trailing garbage" "REBIND_PORT_OLD=\"${OLD}x\"" REBIND_PORT_OLD="${OLD}x" REBIND_PORT_NEW="$NEW"
check_invalid "new port 0" 'REBIND_PORT_NEW="0"' REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW=0
check_invalid "new port 65536" 'REBIND_PORT_NEW="65536"' REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW=65536
check_invalid "negative new port" 'REBIND_PORT_NEW="-5"' REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW=-5
check_invalid "empty old port (alt spelling)" 'REBIND_OLD_PORT=""' REBIND_OLD_PORT= REBIND_NEW_PORT="$NEW"
check_invalid "preferred spelling invalid, alt valid" 'REBIND_PORT_OLD=" 1"' \
    REBIND_PORT_OLD=" 1" REBIND_OLD_PORT="$OLD" REBIND_PORT_NEW="$NEW"

# ------------------------------------------------------------- (e) errors
start e_hold "$BINDTEST" listen inet 127.0.0.1 "$NEW" "$HOLD"
pid=$LASTPID
if wait_for "$TMP/e_hold.out" '^bound' 5; then
    oneshot e_plain "$BINDTEST" listen inet 127.0.0.1 "$NEW" 0
    oneshot e_moved LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" \
        REBIND_DEBUG=1 "$BINDTEST" listen inet 0.0.0.0 "$OLD" 0
    if grep -qx "bind failed: EADDRINUSE" "$TMP/e_plain.out" &&
       grep -qx "bind failed: EADDRINUSE" "$TMP/e_moved.out" &&
       grep -q "^rebind: .*failed: Address already in use" "$TMP/e_moved.err"; then
        pass "(e) new port busy -> program's bind() fails with EADDRINUSE (same as the real bind)"
    else
        fail "(e) new port busy should give EADDRINUSE" "$TMP/e_plain.out" "$TMP/e_moved.out" "$TMP/e_moved.err"
    fi
else
    fail "(e) could not start the port holder" "$TMP/e_hold.out" "$TMP/e_hold.err"
fi
stop "$pid"

errs_ok=1
for mode in badfd shortlen; do
    oneshot "e_$mode.plain" "$BINDTEST" "$mode" "$OLD"
    oneshot "e_$mode.pre" LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" \
        "$BINDTEST" "$mode" "$OLD"
    if ! grep -q "^bind failed: E" "$TMP/e_$mode.plain.out" ||
       ! cmp -s "$TMP/e_$mode.plain.out" "$TMP/e_$mode.pre.out"; then
        errs_ok=0
        fail "(e) $mode error differs with the library" "$TMP/e_$mode.plain.out" "$TMP/e_$mode.pre.out"
    fi
done
[ "$errs_ok" -eq 1 ] &&
    pass "(e) errno of other failing binds on the old port unchanged: bad fd -> $(cut -d' ' -f3 "$TMP/e_badfd.pre.out"), short length -> $(cut -d' ' -f3 "$TMP/e_shortlen.pre.out")"

# -------------------------------------------------------- (f) rebind script
oneshot f_next "$TMP/bin/rebind" "$OLD" "$NEW" "$BINDTEST" listen inet 0.0.0.0 "$OLD" 0
oneshot f_env REBIND_SO="$SO" "$REBIND_SCRIPT" "$OLD" "$NEW" "$BINDTEST" listen inet6 :: "$OLD" 0
if grep -qx "bound 127.0.0.1:$NEW" "$TMP/f_next.out" && [ ! -s "$TMP/f_next.err" ] &&
   grep -qx "bound \[::1\]:$NEW" "$TMP/f_env.out" && [ ! -s "$TMP/f_env.err" ]; then
    pass "(f) rebind script: finds rebind.so next to itself and via REBIND_SO"
else
    fail "(f) rebind script should move the bind" "$TMP/f_next.out" "$TMP/f_next.err" \
        "$TMP/f_env.out" "$TMP/f_env.err"
fi

oneshot f_keep LD_PRELOAD="$TMP/other/marker.so" REBIND_TEST_MARKER=1 \
    "$TMP/bin/rebind" "$OLD" "$NEW" "$BINDTEST" listen inet 0.0.0.0 "$OLD" 0
oneshot f_show LD_PRELOAD="$TMP/other/marker.so" "$TMP/bin/rebind" "$OLD" "$NEW" \
    sh -c 'echo "LD_PRELOAD=$LD_PRELOAD"; echo "PORTS=$REBIND_PORT_OLD,$REBIND_PORT_NEW,$REBIND_OLD_PORT,$REBIND_NEW_PORT"'
if grep -qx "bound 127.0.0.1:$NEW" "$TMP/f_keep.out" &&
   grep -qx "marker: loaded in bindtest" "$TMP/f_keep.err" &&
   grep -qx "LD_PRELOAD=$TMP/bin/rebind.so $TMP/other/marker.so" "$TMP/f_show.out" &&
   grep -qx "PORTS=$OLD,$NEW,$OLD,$NEW" "$TMP/f_show.out"; then
    pass "(f) rebind script keeps an existing LD_PRELOAD entry (both libraries active)"
else
    fail "(f) rebind script should keep existing LD_PRELOAD" "$TMP/f_keep.out" "$TMP/f_keep.err" \
        "$TMP/f_show.out" "$TMP/f_show.err"
fi

usage_ok=1
for args in "" "$OLD" "$OLD $NEW" "abc $NEW true" "$OLD 0 true" "$OLD 65536 true" \
            "-1 $NEW true" "$OLD ${NEW}x true" "$OLD 99999999999999999999 true"; do
    rc=0
    # shellcheck disable=SC2086
    "$TMP/bin/rebind" $args >"$TMP/f_usage.out" 2>"$TMP/f_usage.err" || rc=$?
    if [ "$rc" -ne 2 ] || ! grep -q "^usage: rebind OLD_PORT NEW_PORT COMMAND" "$TMP/f_usage.err"; then
        usage_ok=0
        fail "(f) 'rebind $args' should exit 2 with a usage message (rc=$rc)" "$TMP/f_usage.err"
    fi
done
rc=0
REBIND_SO="$TMP/nonexistent.so" "$TMP/bin/rebind" "$OLD" "$NEW" true 2>"$TMP/f_noso.err" || rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "cannot find rebind.so" "$TMP/f_noso.err"; then
    usage_ok=0
    fail "(f) missing rebind.so should exit 2 (rc=$rc)" "$TMP/f_noso.err"
fi
[ "$usage_ok" -eq 1 ] && pass "(f) rebind script rejects bad arguments / missing library with exit 2: $(head -n 1 "$TMP/f_usage.err")"

# a source checkout after `mvn install`: the script in native/, the library in native/target/native/
mkdir -p "$TMP/checkout/target/native"
cp "$REBIND_SCRIPT" "$TMP/checkout/rebind"
cp "$SO" "$TMP/checkout/target/native/rebind.so"
oneshot f_checkout "$TMP/checkout/rebind" "$OLD" "$NEW" "$BINDTEST" listen inet 0.0.0.0 "$OLD" 0
if grep -qx "bound 127.0.0.1:$NEW" "$TMP/f_checkout.out"; then
    pass "(f) rebind run from a source checkout finds target/native/rebind.so"
else
    fail "(f) rebind from a source checkout should find target/native/rebind.so" "$TMP/f_checkout.out" "$TMP/f_checkout.err"
fi
rm "$TMP/checkout/target/native/rebind.so"
rc=0
"$TMP/checkout/rebind" "$OLD" "$NEW" true 2>"$TMP/f_nolib.err" || rc=$?
if [ "$rc" -eq 2 ] && grep -q "make -C native" "$TMP/f_nolib.err"; then
    pass "(f) without any library the script says how to build it"
else
    fail "(f) without a library the script should exit 2 and say how to build it (rc=$rc)" "$TMP/f_nolib.err"
fi

# ------------------------------------------------- (g) third-party program
g_prog=""
for cand in /usr/sbin/inetutils-inetd socat nc.openbsd busybox; do
    if command -v "$cand" >/dev/null 2>&1; then
        g_prog=$cand
        break
    fi
done
case $g_prog in
    "")
        skip "(g) none of inetutils-inetd, socat, nc.openbsd, busybox is installed" ;;
    *)
        case $g_prog in
            */inetutils-inetd)
                printf '%s stream tcp nowait root /bin/echo echo hello\n' "$OLD" >"$TMP/inetd.conf"
                set -- "$g_prog" -d -p "$TMP/inetd.pid" "$TMP/inetd.conf" ;;
            socat)
                set -- socat "TCP-LISTEN:$OLD,fork" "EXEC:/bin/true" ;;
            nc.openbsd)
                set -- nc.openbsd -l -k 0.0.0.0 "$OLD" ;;
            busybox)
                set -- busybox nc -l -p "$OLD" ;;
        esac
        start g_prog "$TMP/bin/rebind" "$OLD" "$NEW" "$@"
        pid=$LASTPID
        # the script execs, so $pid is the program itself
        if wait_listening "127.0.0.1:$NEW" "$pid" 10 &&
           ! port_used "$OLD" &&
           "$BINDTEST" connect inet 127.0.0.1 "$NEW"; then
            pass "(g) real program '$*' (via rebind script) listens on 127.0.0.1:$NEW, not on $OLD"
        else
            ss -Hltnp >"$TMP/g_ss.txt" 2>&1 || true
            fail "(g) '$*' should listen on 127.0.0.1:$NEW" "$TMP/g_prog.out" "$TMP/g_prog.err" "$TMP/g_ss.txt"
        fi
        stop "$pid" ;;
esac

# ------------------------------------------------- optional: valgrind
if command -v valgrind >/dev/null 2>&1; then
    rc=0
    LD_PRELOAD="$SO" REBIND_PORT_OLD="$OLD" REBIND_PORT_NEW="$NEW" REBIND_DEBUG=1 \
        timeout 60 valgrind -q --error-exitcode=9 "$BINDTEST" listen inet 0.0.0.0 "$OLD" 0 \
        >"$TMP/v.out" 2>"$TMP/v.err" || rc=$?
    if [ "$rc" -eq 0 ] && grep -qx "bound 127.0.0.1:$NEW" "$TMP/v.out" &&
       ! grep -v "^rebind: " "$TMP/v.err" | grep -q .; then
        pass "(valgrind) moved bind runs clean under valgrind"
    else
        fail "(valgrind) rc=$rc" "$TMP/v.out" "$TMP/v.err"
    fi
else
    skip "(valgrind) not installed"
fi

echo "rebind tests: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
