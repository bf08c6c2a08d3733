#!/bin/sh
# fix-restart.sh -- a headless session on the FIX venue, killed (SIGKILL,
# no Logout) in the middle of the session with a position and its
# bracket working at the counterparty (tests/fix/fixcp), then started
# again on the same journal: it resumes the FIX session where it was
# (sequence numbers from the journal's file, never back to 1, which the
# counterparty would refuse), finds its position and both orders of the
# bracket again, comes up HALTED for the kill (a person looks first),
# counts no fill twice, and flattens.  Skipped (77) without the
# counterparty.  Every wait has a deadline.
. "${srcdir:-.}/tests/cli/lib.sh"
. "${srcdir:-.}/tests/fix/lib-fixcp.sh"

[ -x "$TICKDESK" ] || exit 77
[ -x "$TD_FIXCP" ] || { echo "no tests/fix/fixcp: skipped"; exit 77; }

pid=
sock=$tmp/ctl.sock
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	exec 3>&- 2>/dev/null
	fixcp_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

dump() {
	echo "--- run.err:" >&2
	tail -20 "$tmp/run.err" >&2
	echo "--- fixcp.err:" >&2
	tail -20 "$tmp/fixcp.err" >&2
}

# until_cp SECONDS CMD PATTERN: until the counterparty's answer to CMD
# matches the shell PATTERN.
until_cp() {
	limit=$(($(date +%s) + $1))
	while :; do
		fixcp_cmd "$2"
		# shellcheck disable=SC2254 # a pattern on purpose
		case $FIXCP_ANSWER in $3) return 0 ;; esac
		if [ "$(date +%s)" -ge "$limit" ]; then
			fail "fixcp: '$2' answered '$FIXCP_ANSWER', not '$3'"
			dump
			finish
		fi
		sleep 0.1
	done
}

# until_desk SECONDS PATTERN CTL-ARGS...: until the desk's answer holds
# the extended regular expression PATTERN.
until_desk() {
	limit=$(($(date +%s) + $1))
	pat=$2
	shift 2
	while :; do
		"$TICKDESK" ctl --socket "$sock" "$@" >"$tmp/desk" 2>&1 &&
		    grep -Eq "$pat" "$tmp/desk" && return 0
		if [ "$(date +%s)" -ge "$limit" ]; then
			fail "ctl $*: no '$pat' in: $(cat "$tmp/desk")"
			dump
			finish
		fi
		sleep 0.1
	done
}

start() {
	"$TICKDESK" run --headless -c "$tmp/conf/tickdesk.cfg" --env fix \
	    --socket "$sock" --journal "$tmp/j.db" --data "ES=$tmp/es.fifo" \
	    2>>"$tmp/run.err" &
	pid=$!
	listening "$sock" "$tmp/run.err"
}

fixcp_start --store "$tmp/cp" || { fail "the counterparty did not start"; finish; }
fixcp_ok price ES 5000

fixcp_conf
mkfifo "$tmp/es.fifo"

# A position with its bracket at the counterparty.
start
exec 3>"$tmp/es.fifo"
echo "2099-03-02 10:00:00,5000.00,5000.00,5000.00,5000.00,10" >&3
until_cp 10 status "ok logged-on 1 *"
until_desk 10 "events 1," status
run 0 ctl --socket "$sock" buy 1 ES mkt stop 8 target 16
until_cp 10 orders "ok *:ES:sell:1:1:stop:4998.00*:ES:sell:1:1:limit:5004.00*"
until_cp 10 fills "ok 1 ES:+1"
fixcp_ok status
before=$(echo "$FIXCP_ANSWER" | sed -n 's/.*next-in \([0-9]*\).*/\1/p')
[ "${before:-0}" -gt 3 ] || fail "fixcp: next-in '$before' after an order"

# Killed: no Logout; the counterparty sees the link go.
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=
exec 3>&-
until_cp 10 status "ok logged-on 0 *"

# Started again on the same journal: the session goes on from where it
# was, the position and the bracket are found again.
start
exec 3>"$tmp/es.fifo"
until_cp 15 status "ok logged-on 1 *"
fixcp_ok status
after=$(echo "$FIXCP_ANSWER" | sed -n 's/.*next-in \([0-9]*\).*/\1/p')
[ "${after:-0}" -gt "$before" ] ||
    fail "fixcp: next-in $after after the restart, $before before"
grep -q "too low" "$tmp/fixcp.err" && fail "a sequence number went back"
until_desk 15 "ES +\+1" positions
grep -q "restart: session 2 continues 1: .* 0 discrepancies with the venue; trading HALTED (restart: restart after an unclean end of session 1)" \
    "$tmp/run.err" || fail "the restart found the venue otherwise"
until_desk 10 "stp 4998\.00 .*stop" orders
grep -Eq "lmt 5004\.00 .*target" "$tmp/desk" ||
    fail "ctl orders: no target after the restart: $(cat "$tmp/desk")"
fixcp_cmd fills
[ "$FIXCP_ANSWER" = "ok 1 ES:+1" ] ||
    fail "fixcp: fills '$FIXCP_ANSWER' after the restart"

# Flat, nothing working, the fill counted once.
run 0 ctl --socket "$sock" flatten
until_cp 10 fills "ok 2 ES:0"
until_cp 10 orders "ok"
until_desk 10 "ES +flat" positions
run 0 ctl --socket "$sock" quit --leave
wait "$pid"
pid=
finish
