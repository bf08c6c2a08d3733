#!/bin/sh
# console-fix.sh -- the console end to end against the FIX counterparty
# (tests/fix/fixcp, QuickFIX) on 127.0.0.1: the real tickdesk in a private
# tmux server at 80x24 with venue.type "fix".  The status bar shows the
# link up with its heartbeat age; a bracket order fills at the
# counterparty and its stop and target work there; the link is dropped
# and the status bar says so; flatten typed while it is down waits and
# goes out first when the link is back; the counterparty ends flat with
# nothing working.  Skipped (77) without tmux or without the counterparty.
# Bounded: every wait has a deadline and the whole test gives up after
# 90 s.
. "${srcdir:-.}/tests/cli/lib.sh"
. "${srcdir:-.}/tests/fix/lib-fixcp.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }
[ -x "$TD_FIXCP" ] || { echo "no tests/fix/fixcp: skipped"; exit 77; }

. "${srcdir:-.}/tests/cli/lib-tmux.sh"

sock=$tmp/s
session=consolefix
start=$(date +%s)
budget=90
cleanup() {
	tmux_stop
	fixcp_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

dump() {
	echo "--- screen:" >&2
	cat "$tmp/screen" >&2
	[ -s "$tmp/stderr" ] && { echo "--- stderr:" >&2; cat "$tmp/stderr" >&2; }
	[ -s "$tmp/fix.log" ] && { echo "--- fix.log:" >&2; tail -5 "$tmp/fix.log" >&2; }
}

# until_cp SECONDS CMD ANSWER: until the counterparty answers CMD so.
until_cp() {
	limit=$(($(date +%s) + $1))
	while :; do
		fixcp_cmd "$2"
		[ "$FIXCP_ANSWER" = "$3" ] && return 0
		if [ "$(date +%s)" -ge "$limit" ]; then
			fail "fixcp: '$2' answered '$FIXCP_ANSWER', not '$3'"
			dump
			return 1
		fi
		sleep 0.2
	done
}

fixcp_start || { fail "the counterparty did not start"; finish; }
fixcp_ok price ES 5000

# The shipped configuration, with the FIX venue as an environment.
fixcp_conf
# Three flat bars at 5000.00: the engine's last price is the
# counterparty's.
for m in 00 01 02; do
	echo "2024-03-14 10:$m:00,5000.00,5000.00,5000.00,5000.00,100"
done >"$tmp/es.csv"

T new-session -d -s "$session" -x 80 -y 24 \
    "TERM=xterm-256color LC_ALL=C XDG_STATE_HOME='$tmp/state' \
    XDG_DATA_HOME='$tmp/data' \
    '$TICKDESK' console -c '$tmp/conf/tickdesk.cfg' --env fix \
    --data 'ES=$tmp/es.csv' --speed max --socket '$sock' \
    2>'$tmp/stderr'; echo \$? >'$tmp/exit'; sleep 60"

wait_for 10 "PAPER" || finish
wait_for 10 "end of data" || finish
wait_for 10 "fix up [0-9]+s" || finish
screen
grep -q "prices" "$tmp/screen" && fail "a replay shows a price link"

# A bracket order: filled at the counterparty, stop and target there.
type_line "buy 1 ES mkt stop 8 target 16"
wait_for 10 "^ES +\+1 " || finish
wait_for 10 "^  stops 1/1 targets 1 " || finish
fixcp_cmd orders
case $FIXCP_ANSWER in
*":ES:sell:1:1:stop:4998.00"*) ;;
*) fail "no stop at the counterparty: '$FIXCP_ANSWER'" ;;
esac
case $FIXCP_ANSWER in
*":ES:sell:1:1:limit:5004.00"*) ;;
*) fail "no target at the counterparty: '$FIXCP_ANSWER'" ;;
esac

# The link drops, and the counterparty stays silent (no logon answered):
# the status bar says so; flatten waits for it.
fixcp_ok silence on
fixcp_ok drop
wait_for 10 "fix lost" || finish
type_line "flatten"
wait_for 5 "order [0-9]+ waits for the link" || finish
wait_for 5 "fix lost" || finish
T capture-pane -p -t "$session" >"$tmp/down"
# Back by itself: the flatten goes first; flat, nothing working.
fixcp_ok silence off
wait_for 30 "fix up [0-9]+s" || finish
wait_for 10 "^ES +0 " || finish
until_cp 10 orders "ok"
until_cp 10 fills "ok 2 ES:0"
wait_for 10 "Blotter 0 working, then fills"
T capture-pane -p -t "$session" >"$tmp/final"

type_line "quit"
limit=$(($(date +%s) + 10))
while [ ! -s "$tmp/exit" ] && [ "$(date +%s)" -lt "$limit" ]; do
	sleep 0.2
done
[ "$(cat "$tmp/exit" 2>/dev/null)" = 0 ] ||
    { fail "quit: exit status '$(cat "$tmp/exit" 2>/dev/null)'"; dump; }
grep -q '|35=D|' "$tmp/fix.log" || fail "no NewOrderSingle in the message log"

# The screens while the link was down and at the end, for the record
# (make check keeps the log).
cat "$tmp/down" "$tmp/final"
finish
