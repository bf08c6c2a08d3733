#!/bin/sh
# console-session.sh -- a session that goes on, and a new one, in the real
# console inside a private tmux server at 80x24.  The demo session (January
# 2024) ends and quits; a console on older data (March 2023) with the same
# journal goes on after the journal's last event, so it has nothing to
# replay: it says so, how many rows and what to do, instead of showing END
# OF DATA alone.  --new-session keeps the old journal aside under a dated
# name (report still reads it) and replays the rows; --journal PATH gives
# the console a journal of its own; run --headless --new-session does the
# same without a screen.  Skipped (77) without tmux.  Bounded: every wait
# has a deadline and the whole test gives up after 90 s.
. "${srcdir:-.}/tests/cli/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }

. "${srcdir:-.}/tests/cli/lib-tmux.sh"

sock=$tmp/s
session=session
start=$(date +%s)
budget=90
old="$TD_TEST_DATA/ES_1min_sample.csv"
journal="$XDG_DATA_HOME/tickdesk/journal.db"
cleanup() {
	tmux_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

# console ARGS...: a console in a tmux server of its own (the last one's
# may take a moment to go).
n=0
T() { tmux -S "$tmp/tmux$n" -f /dev/null "$@"; }
console() {
	rm -f "$tmp/exit"
	T kill-server >/dev/null 2>&1
	n=$((n + 1))
	T new-session -d -s "$session" -x 80 -y 24 \
	    "TERM=xterm-256color LC_ALL=C XDG_DATA_HOME='$XDG_DATA_HOME' \
	    XDG_STATE_HOME='$XDG_STATE_HOME' '$TICKDESK' console \
	    -c '$TD_CONF/tickdesk.cfg' --socket '$sock' $* \
	    2>'$tmp/stderr'; echo \$? >'$tmp/exit'; sleep 60"
}

# quit_console: quit, and the console ends with status 0.
quit_console() {
	type_line "quit"
	limit=$(($(date +%s) + 10))
	while [ ! -s "$tmp/exit" ] && [ "$(date +%s)" -lt "$limit" ]; do
		sleep 0.2
	done
	[ "$(cat "$tmp/exit" 2>/dev/null)" = 0 ] ||
	    { fail "quit: exit status '$(cat "$tmp/exit" 2>/dev/null)'"; dump; }
}

# A first session: the demo to its end, into the default journal.
console --speed max
wait_for 30 "END OF DATA" || finish
quit_console
[ -s "$journal" ] || fail "no journal at $journal"

# Older data on the same journal: every row is before its last event.
console --speed max --data "ES=$old"
wait_for 10 "END OF DATA" || finish
# On the reply line, whatever the log pane shows.
wait_for 5 "^nothing to replay: all 4 rows of the data"
wait_for 5 "older than the journal's last event"
wait_for 5 "start a new session"
wait_for 5 "^session with --new-session or another --journal PATH"
# The old session's figures are still the ones shown.
wait_for 5 "^ES +0 "
quit_console

# --new-session: the old journal is kept aside, the rows are replayed.
console --speed max --new-session --data "ES=$old"
wait_for 10 "END OF DATA" || finish
wait_for 5 "^ES +0 +- +3880\.50 " ||
    echo "  (the rows of the data were replayed)" >&2
gone "nothing to replay"
quit_console
aside=$(ls "$XDG_DATA_HOME"/tickdesk/journal-[0-9]*-[0-9]*.db 2>/dev/null |
    head -1)
if [ -z "$aside" ]; then
	fail "--new-session: no journal-YYYYMMDD-HHMMSS.db beside $journal"
else
	[ -s "$aside.venue" ] || fail "--new-session: the venue book stayed"
	# Nothing is lost: the demo's trades are in the file kept aside.
	run 0 report --journal "$aside"
	grep -Eq "^trades +[1-9]" "$tmp/out" ||
	    fail "report --journal $aside: no trades in the old session"
fi

# --journal PATH: a journal of the console's own.
console --speed max --journal "$tmp/own.db" --data "ES=$old"
wait_for 10 "END OF DATA" || finish
wait_for 5 "^ES +0 +- +3880\.50 " || echo "  (console --journal)" >&2
quit_console
[ -s "$tmp/own.db" ] || fail "console --journal: no $tmp/own.db"

# run --headless: the same two ways.
"$TICKDESK" run --headless -c "$TD_CONF/tickdesk.cfg" --speed max \
    --journal "$tmp/own.db" --data "ES=$old" --socket "$tmp/h" \
    2>"$tmp/run1" &
listening "$tmp/h" "$tmp/run1"
"$TICKDESK" ctl --socket "$tmp/h" quit --leave >/dev/null 2>&1
wait
grep -q "nothing to replay: all 4 rows" "$tmp/run1" ||
    { fail "run: nothing said of the rows skipped"; cat "$tmp/run1" >&2; }
grep -q "session [0-9]* of $tmp/own\.db goes on after its last event" \
    "$tmp/run1" ||
    { fail "run: no word of the session going on"; cat "$tmp/run1" >&2; }
"$TICKDESK" run --headless -c "$TD_CONF/tickdesk.cfg" --speed max \
    --journal "$tmp/own.db" --new-session --data "ES=$old" \
    --socket "$tmp/h" 2>"$tmp/run2" &
listening "$tmp/h" "$tmp/run2"
"$TICKDESK" ctl --socket "$tmp/h" quit --leave >/dev/null 2>&1
wait
grep -q "the old one is kept in $tmp/own-[0-9]*-[0-9]*\.db" "$tmp/run2" ||
    { fail "run --new-session: the old journal not kept"; cat "$tmp/run2" >&2; }
ls "$tmp"/own-[0-9]*-[0-9]*.db >/dev/null 2>&1 ||
    fail "run --new-session: no own-YYYYMMDD-HHMMSS.db"

finish
