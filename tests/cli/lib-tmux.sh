# lib-tmux.sh -- the real console in a private tmux server, for the
# console's end-to-end tests (after lib.sh): T runs tmux on the test's own
# server; the test sets $session, $sock (the console's control socket)
# and $start (its start), and $budget (seconds the whole test may take,
# 60 unless set) before it waits.  dump, called when a wait fails, shows
# the last screen and the console's stderr; a test may define its own
# after this file to show more.
unset TMUX

dump() {
	echo "--- screen:" >&2
	cat "$tmp/screen" >&2
	[ -s "$tmp/stderr" ] && { echo "--- stderr:" >&2; cat "$tmp/stderr" >&2; }
}

T() { tmux -S "$tmp/tmux" -f /dev/null "$@"; }

# Stop the console first (quit --leave on its socket, else SIGTERM to the
# child of the pane's shell): losing its terminal alone would leave it
# running headless, as it should.  Then the server.
tmux_stop() {
	[ -S "$sock" ] &&
	    "$TICKDESK" ctl --socket "$sock" --timeout 2 quit --leave \
	    >/dev/null 2>&1 && sleep 0.5
	shell=$(T list-panes -t "$session" -F '#{pane_pid}' 2>/dev/null)
	if [ -n "$shell" ]; then
		for pid in $(pgrep -P "$shell" 2>/dev/null); do
			kill -TERM "$pid"
			sleep 1
			kill -TERM "$pid" 2>/dev/null
		done
	fi
	T kill-server >/dev/null 2>&1
}

screen() { T capture-pane -p -t "$session" >"$tmp/screen"; }

# wait_for SECONDS ERE: until the screen matches, else fail and say so.
wait_for() {
	limit=$(($(date +%s) + $1))
	while :; do
		screen
		grep -qE -- "$2" "$tmp/screen" && return 0
		now=$(date +%s)
		if [ "$now" -ge "$limit" ] ||
		    [ $((now - start)) -ge "${budget:-60}" ]; then
			fail "no '$2' on the screen after $1 s"
			dump
			return 1
		fi
		sleep 0.2
	done
}

# type_line LINE: type a line and press Enter.
type_line() {
	T send-keys -t "$session" -l "$1"
	T send-keys -t "$session" Enter
}

# gone ERE: the screen does not match.
gone() {
	screen
	if grep -qE -- "$1" "$tmp/screen"; then
		fail "'$1' is on the screen"
		dump
	fi
}
