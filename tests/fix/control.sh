#!/bin/sh
# control.sh -- the FIX counterparty's command line and control channel,
# with no FIX session (tests/fix/test-fixcp has the session): "ready port
# N" on a free port, exit 3 when the port is taken, 2 on bad arguments, 1
# on a data file it cannot open; answers to market data commands and to
# bad ones; sequence numbers kept in --store across a restart; the
# temporary directory removed at exit; EOF ending it with status 0.
. "${srcdir:-.}/tests/cli/lib.sh"
. "$srcdir/tests/fix/lib-fixcp.sh"

[ -x "$TD_FIXCP" ] || exit 77
command -v mkfifo >/dev/null 2>&1 || exit 77

# expect ANSWER: the last answer was ANSWER (after "ok " for fixcp_ok).
expect() {
	[ "$FIXCP_ANSWER" = "$1" ] ||
	    fail "fixcp answered '$FIXCP_ANSWER', expected '$1'"
}

cat >"$tmp/ticks.txt" <<'TICKS'
20240102 143000 0000000;4500.00;5
20240102 143001;4500.25;4499.75;4500.50;3
not a tick
TICKS

fixcp_start --data "$tmp/ticks.txt" --symbol ES --store "$tmp/store" \
    --log "$tmp/log" || { fail "fixcp did not start"; finish; }
port=$FIXCP_PORT
fixcp_ok status
expect "logged-on 0 next-in 1 next-out 1 orders 0"
fixcp_ok tick 2
expect "ES 4500.25"
fixcp_cmd tick 1
expect "error $tmp/ticks.txt:3: not a tick"
fixcp_cmd tick 1
expect "error end of data after 0 ticks"
fixcp_cmd tick x
expect "error usage: tick N"
fixcp_ok price MES 4510.50
fixcp_cmd price ES 4500.10
expect "error price 4500.10 is not a price on the tick 0.25"
fixcp_cmd price XX 1
expect "error unknown symbol XX"
fixcp_cmd frobnicate
expect "error unknown command frobnicate (help lists them)"
fixcp_cmd drop
expect "error not connected"
fixcp_cmd logout
expect "error not logged on"
fixcp_cmd cancel O1
expect "error no order O1"
fixcp_ok fills
expect "0"
fixcp_ok orders
expect ""
fixcp_ok reject type stop no stops today
fixcp_ok reject off
fixcp_cmd reject type nothing
case $FIXCP_ANSWER in "error usage: reject next"*) ;;
*) fail "reject type nothing: $FIXCP_ANSWER" ;; esac
fixcp_cmd expect-lower 1
expect "error the next expected seqnum is 1: N must be below it"
fixcp_ok gap 2
fixcp_ok play 50
fixcp_ok pause
fixcp_ok heartbeats
expect "interval 0 received 0 late 0 longest-gap-ms 0 check off"

# A second fixcp on the same port: 3.  Bad arguments: 2.  No data: 1.
# Their temporary directories are in $tmp/t, and gone.
mkdir "$tmp/t"
TMPDIR=$tmp/t "$TD_FIXCP" --port "$port" </dev/null >/dev/null \
    2>"$tmp/second.err"
[ $? -eq 3 ] || fail "a taken port did not exit 3"
grep -q "127.0.0.1:$port: Address already in use" "$tmp/second.err" ||
    fail "a taken port: $(cat "$tmp/second.err")"
for args in "--data x" "--port 70000" "--port 0 --data x" \
    "--port 0 --data x --symbol XX" "--port 0 extra" \
    "--port 0 --fix-version 4.3" "--port 0 --fix-version FIX.4.2"; do
	# shellcheck disable=SC2086 # the arguments are split on purpose
	"$TD_FIXCP" $args </dev/null >/dev/null 2>&1
	[ $? -eq 2 ] || fail "fixcp $args did not exit 2"
done
TMPDIR=$tmp/t "$TD_FIXCP" --port 0 --data "$tmp/none" --symbol ES \
    </dev/null >/dev/null 2>"$tmp/none.err"
[ $? -eq 1 ] || fail "a missing data file did not exit 1"
[ -z "$(ls "$tmp/t")" ] || fail "temporary directory left: $(ls "$tmp/t")"

fixcp_stop
[ "$FIXCP_STATUS" -eq 0 ] || fail "EOF: exit $FIXCP_STATUS"

# The same store again (on the same port if it is still free): the
# sequence numbers were kept (gap 2 made the next outgoing one 3).
FIXCP_PORT=$port
fixcp_start --store "$tmp/store" --log "$tmp/log" ||
    { FIXCP_PORT=0; fixcp_start --store "$tmp/store" --log "$tmp/log"; } ||
    { fail "fixcp did not start again"; finish; }
fixcp_ok status
expect "logged-on 0 next-in 1 next-out 3 orders 0"
fixcp_stop

# Without --store and --log, a temporary directory, gone at exit.
FIXCP_PORT=0
saved_tmpdir=${TMPDIR-}
TMPDIR=$tmp/t
export TMPDIR
fixcp_start || { fail "fixcp did not start"; finish; }
TMPDIR=$saved_tmpdir
[ -n "$(ls "$tmp/t")" ] || fail "no temporary directory"
fixcp_stop
[ -z "$(ls "$tmp/t")" ] || fail "temporary directory left: $(ls "$tmp/t")"
finish
