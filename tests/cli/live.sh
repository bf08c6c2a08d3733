#!/bin/sh
# live.sh -- headless sessions on a live feed.  On a FIFO whose writer
# says nothing, status, flatten and kill! are answered; rows written into
# it reach the engine in order as they come, a partial line waits for its
# newline and a bad row is logged as path:line and skipped.  With
# --follow, a file is read from its first row and then as another
# program appends to it.  A FIFO mixed with data files, and --follow
# without --data, are refused.  The rows are stamped in 2099 so that the
# wall clock never overtakes them (the engine's timers wait for it).
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
"$TICKDESK" help run >/dev/null 2>&1 || exit 77
command -v mkfifo >/dev/null 2>&1 || exit 77

pid=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
sock=$tmp/ctl.sock

# start ARGS...: a headless session on ARGS; wait until it answers.
start() {
	"$TICKDESK" run --headless -c "$TD_CONF/tickdesk.cfg" --socket "$sock" \
	    --journal "$tmp/j.db" "$@" 2>"$tmp/run.err" &
	pid=$!
	listening "$sock" "$tmp/run.err"
}

stop() {
	run 0 ctl --socket "$sock" quit --leave
	wait "$pid"
	pid=
	rm -f "$tmp/j.db" "$tmp/j.db.venue"
}

c() {
	want=$1
	shift
	run "$want" ctl --socket "$sock" "$@"
}

# events N: the engine has taken N market events (within 10 s).
events() {
	i=0
	while [ $i -lt 200 ]; do
		"$TICKDESK" ctl --socket "$sock" status 2>/dev/null |
		    grep -q "events $1," && return 0
		sleep 0.05
		i=$((i + 1))
	done
	fail "the engine did not reach $1 events: $("$TICKDESK" ctl \
	    --socket "$sock" status | grep events)"
}

# row MINUTE PRICE: a 1-minute bar of 2 March 2099.
row() {
	printf '2099-03-02 10:%s:00,%s,%s,%s,%s,10\n' "$1" "$2" "$2" "$2" "$2"
}

# ---------------------------------------------------------------- a FIFO
mkfifo "$tmp/es.fifo"
start --data "ES=$tmp/es.fifo"
grep -qF "paper session on a live feed, paced by arrival" "$tmp/run.err" ||
    fail "the session does not say its feed is live"
# No writer yet, then a writer that says nothing: the desk answers.
c 0 status
expect_out "mode paper, live feed"
expect_out "feed live, paced by arrival: no data yet"
exec 3>"$tmp/es.fifo"
c 0 status
expect_out "events 0,"
c 0 flatten
expect_out "all: flat, no working orders"
c 1 replay pause
expect_err "replay: the feed is live, paced by arrival"
# A live feed cannot seek: nothing to rewind, nothing to run ahead of.
c 1 replay goto 2024-01-02 10:00
expect_err "replay: the feed is live, paced by arrival"

{ row 00 5000.00; row 01 5000.25; } >&3
events 2
printf '2099-03-02 10:02:00,5000.50,5000.50,' >&3
sleep 0.3
c 0 status
expect_out "events 2,"
printf '5000.50,5000.50,10\n' >&3
events 3
c 0 status
expect_out "feed live, paced by arrival: last event"
expect_out "2099-03-02 10:03:00"
{ echo "2099-03-02 10:03:00,oops"; row 04 5001.00; } >&3
events 4
c 0 kill!
expect_out "KILLED"
exec 3>&-
stop
grep -qF "$tmp/es.fifo:4: wrong number of fields: 2, expected 6" \
    "$tmp/run.err" || fail "no path:line for the bad row"

# ---------------------------------------------------------------- --follow
{ echo "timestamp,open,high,low,close,volume"; row 00 5000.00; } \
    >"$tmp/es.csv"
start --follow --data "ES=$tmp/es.csv"
events 1
row 01 5000.25 >>"$tmp/es.csv"
events 2
printf '2099-03-02 10:02:00,5000.50' >>"$tmp/es.csv"
sleep 0.3
c 0 status
expect_out "events 2,"
printf ',5000.50,5000.50,5000.50,10\n' >>"$tmp/es.csv"
events 3
stop

# ---------------------------------------------------------------- refusals
run 2 run --headless -c "$TD_CONF/tickdesk.cfg" --socket "$sock" \
    --journal "$tmp/j.db" --follow
expect_err "--follow needs --data"
run 2 run --headless -c "$TD_CONF/tickdesk.cfg" --socket "$sock" \
    --journal "$tmp/j.db" --data "ES=$tmp/es.csv" \
    --data "MES=$tmp/es.fifo"
expect_err "a FIFO and data files cannot be mixed"
run 2 run --headless -c "$TD_CONF/tickdesk.cfg" --socket "$sock" \
    --journal "$tmp/j.db" --follow --data "ES=$tmp/es.fifo"
expect_err "not a regular file"

finish
