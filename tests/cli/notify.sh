#!/bin/sh
# notify.sh -- `tickdesk run --headless` under a service manager, played by
# tests/cli/notify-peer on a socket of the test's: READY=1 with the trading
# state once the session is up, WATCHDOG=1 again and again from the
# engine's loop, STATUS= when the state changes, STOPPING=1 on SIGTERM;
# the restart of a halted session says READY=1 only with HALTED (the
# state recovered from the journal), on an abstract socket; a session
# resumed and then SIGKILLed (as the watchdog's kill or a crash leaves
# it) restarts HALTED for its unclean end and says so with READY=1; a
# watchdog
# meant for another process (WATCHDOG_PID) is not fed; values that no
# manager would give are refused; and with $JOURNAL_STREAM naming stderr
# every line there starts with its syslog priority, while the JSON log
# file (the sim environment's, under $XDG_STATE_HOME) stays as it was.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
peer=${TD_NOTIFY_PEER:-./tests/cli/notify-peer}
[ -x "$peer" ] || { echo "notify.sh: no $peer: skipped" >&2; exit 77; }

j="$tmp/journal.db"
sock="$tmp/ctl.sock"
ppid_=
pid=

# start_peer NAME: the manager's socket, listening.
start_peer() {
	"$peer" "$1" >"$tmp/notify" 2>"$tmp/peer.err" &
	ppid_=$!
	i=0
	until grep -q '^listening$' "$tmp/notify" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 200 ] || { fail "notify-peer did not start"; finish; }
		sleep 0.05
	done
}

# stop_peer: what it still has is printed before it ends.
stop_peer() {
	kill -TERM "$ppid_" 2>/dev/null
	wait "$ppid_"
}

# heard PATTERN [COUNT]: wait (60 s at most) until COUNT (1) datagrams
# matching PATTERN (an extended regex of a whole line) have come.
heard() {
	i=0
	while [ "$(grep -cE "^($1)\$" "$tmp/notify")" -lt "${2:-1}" ]; do
		i=$((i + 1))
		if [ $i -ge 1200 ]; then
			fail "never heard ${2:-1} of '$1'"
			sed 's/^/  notify: /' "$tmp/notify" | tail -5 >&2
			return 1
		fi
		sleep 0.05
	done
}

# session ERRFILE [VAR=VALUE]...: a paused demo session on the journal,
# in the background, with the manager's variables.
session() {
	err=$1
	shift
	env "$@" "$TICKDESK" run --headless -c "$TD_CONF/tickdesk.cfg" \
	    --paused --socket "$sock" --journal "$j" 2>"$err" &
	pid=$!
}

# refused MESSAGE VAR=VALUE...: the session refuses to start (exit 2).
refused() {
	msg=$1
	shift
	env "$@" "$TICKDESK" run --headless -c "$TD_CONF/tickdesk.cfg" \
	    --socket "$sock" --journal "$j" 2>"$tmp/err"
	st=$?
	[ "$st" -eq 2 ] || fail "$*: exit $st, expected 2"
	expect_err "$msg"
}

# ---------------------------------------------------------------- first run
start_peer "$tmp/notify.sock"
: >"$tmp/err1"
session "$tmp/err1" JOURNAL_STREAM="$(stat -c '%d:%i' "$tmp/err1")" \
    NOTIFY_SOCKET="$tmp/notify.sock" WATCHDOG_USEC=200000 TICKDESK_ENV=sim
heard 'READY=1\|STATUS=trading'
heard 'WATCHDOG=1' 5
listening "$sock" "$tmp/err1"
"$TICKDESK" ctl --socket "$sock" halt >/dev/null 2>&1 || fail "ctl halt"
heard 'STATUS=HALTED: .*'
kill -TERM "$pid"
wait "$pid"
st=$?
[ "$st" -eq 0 ] || fail "SIGTERM: exit $st, expected 0"
stop_peer
cp "$tmp/notify" "$tmp/notify1"
# READY once, first of the messages (the pings may come before it).
[ "$(grep -c '^READY=1' "$tmp/notify1")" -eq 1 ] || fail "READY=1 not once"
grep -v '^WATCHDOG=1$' "$tmp/notify1" | sed -n 2p |
    grep -q '^READY=1|STATUS=trading$' || fail "READY=1 is not the first"
grep -q '^STOPPING=1|STATUS=SIGTERM: halting and flattening' \
    "$tmp/notify1" || fail "no STOPPING=1 on SIGTERM"
# Nothing but the pings after STOPPING=1.
sed -n '/^STOPPING=1/,$p' "$tmp/notify1" | sed 1d | grep -v '^WATCHDOG=1$' |
    grep -q . && fail "a status after STOPPING=1"
# Levels for the system journal: every line, its priority.
grep -qv '^<[0-7]>' "$tmp/err1" && {
	fail "a line of stderr without its priority"
	grep -v '^<[0-7]>' "$tmp/err1" | head -3 >&2
}
grep -q '^<6>tickdesk: paper session on' "$tmp/err1" ||
    fail "no <6> (info) on the session's first line"
grep -q '^<4>tickdesk: warning: SIGTERM: halting' "$tmp/err1" ||
    fail "no <4> (warning) on SIGTERM's line"
grep -qE '^<6>.* info +[a-z]' "$tmp/err1" ||
    fail "no <6> on the engine's info lines"
# The log file: JSON lines, no priorities.
logs=$(find "$XDG_STATE_HOME/tickdesk/log/sim" -name '*.jsonl' 2>/dev/null)
[ -n "$logs" ] || fail "no log file under \$XDG_STATE_HOME/tickdesk/log/sim"
[ -n "$logs" ] && grep -qv '^{"' $logs && fail "a log file line not JSON"
[ -n "$logs" ] && ! grep -q '"level":"warning".*SIGTERM' $logs &&
    fail "the log file lacks SIGTERM's warning"

# ------------------------------------------------ restart: HALTED, abstract
abstract="@tickdesk-notify-test-$$"
start_peer "$abstract"
session "$tmp/err2" NOTIFY_SOCKET="$abstract" WATCHDOG_USEC=100000 \
    WATCHDOG_PID=1
heard 'READY=1\|STATUS=HALTED: .*'
listening "$sock" "$tmp/err2"
# A command has run on the engine's loop since it started watching.
"$TICKDESK" ctl --socket "$sock" status >"$tmp/status" 2>&1 ||
    fail "ctl status"
grep -q '^state HALTED' "$tmp/status" || fail "the restart is not HALTED"
kill -TERM "$pid"
wait "$pid"
stop_peer
grep -v '^listening$' "$tmp/notify" | head -1 | grep -q '^READY=1|STATUS=HALTED' ||
    fail "the restart's first message is not READY=1 with HALTED"
grep -q '^WATCHDOG=1' "$tmp/notify" &&
    fail "WATCHDOG=1 for a watchdog of another process (WATCHDOG_PID)"
grep -q '^<' "$tmp/err2" && fail "priorities without JOURNAL_STREAM"

# ------------------------------------ SIGKILL: the restart comes up HALTED
# Session 3 (after the clean end of 2) is HALTED as journaled; resumed, it
# trades until it dies by SIGKILL, and session 4 comes up HALTED for that.
start_peer "$tmp/notify.sock"
session "$tmp/err3" NOTIFY_SOCKET="$tmp/notify.sock"
heard 'READY=1\|STATUS=HALTED: .*'
listening "$sock" "$tmp/err3"
"$TICKDESK" ctl --socket "$sock" --yes resume >/dev/null 2>&1 ||
    fail "ctl resume"
heard 'STATUS=trading'
kill -KILL "$pid"
wait "$pid" 2>/dev/null
stop_peer
start_peer "$tmp/notify.sock"
session "$tmp/err4" NOTIFY_SOCKET="$tmp/notify.sock"
heard 'READY=1\|STATUS=HALTED: .*'
listening "$sock" "$tmp/err4"
"$TICKDESK" ctl --socket "$sock" status >"$tmp/status" 2>&1 ||
    fail "ctl status"
grep -q '^state HALTED.* by restart: restart after an unclean end of '\
'session 3$' "$tmp/status" ||
    fail "the restart after SIGKILL: $(head -1 "$tmp/status")"
kill -TERM "$pid"
wait "$pid"
stop_peer
grep -v '^listening$' "$tmp/notify" | grep -v '^WATCHDOG=1$' | head -1 |
    grep -q '^READY=1|STATUS=HALTED: restart after an unclean end of '\
'session 3 (restart)$' ||
    fail "the restart after SIGKILL is not READY=1 with its HALTED status"
grep -q 'critical.*restart after an unclean end of session 3' \
    "$tmp/err4" || fail "no critical line for the unclean end"

# ---------------------------------------------------------------- refusals
refused "NOTIFY_SOCKET: socket 'notify.sock': neither an absolute path" \
    NOTIFY_SOCKET=notify.sock
refused "WATCHDOG_USEC 'soon': not a number of microseconds above 0" \
    NOTIFY_SOCKET="$tmp/n.sock" WATCHDOG_USEC=soon
refused "WATCHDOG_PID 'me': not a process id" \
    NOTIFY_SOCKET="$tmp/n.sock" WATCHDOG_USEC=1000000 WATCHDOG_PID=me

finish
