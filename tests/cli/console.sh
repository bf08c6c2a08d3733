#!/bin/sh
# console.sh -- the console end to end: the real tickdesk inside a private
# tmux server at 80x24, driven with send-keys and read with capture-pane.
# The demo session fills an ORB trade; a manual bracket order, what
# protects it in the positions pane and the blotter (roles, entry, OCO
# group, time in force), a cancel of its stop that asks, and flatten (with
# the replay paused and stepped, so that nothing else moves); halt refuses
# the strategy's later entries; garbage is refused; kill asks, kill!
# kills; tickdesk ctl answers on the console's socket; every pane title
# survives resizes to 200x60 and back, and a too-small terminal says so;
# quit ends the session with status 0.  Skipped (77) without tmux.
# Bounded: every wait has a deadline and the whole test gives up after
# 60 s.
. "${srcdir:-.}/tests/cli/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }

. "${srcdir:-.}/tests/cli/lib-tmux.sh"

sock=$tmp/s
session=console
start=$(date +%s)
cleanup() {
	tmux_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

# Every pane's title, the status bar and the command line are on the
# screen (each waited for: a frame may reach tmux in pieces).
titles() {
	for t in Positions Strategies Risk Price Blotter Log; do
		wait_for 5 "[ >]$t( |\$)" || echo "  (pane title at $1)" >&2
	done
	wait_for 5 "PAPER" || echo "  (status bar at $1)" >&2
	wait_for 5 "tickdesk>" || echo "  (command line at $1)" >&2
}

# The demo session at 6000 times real time: SimpleORB's first trade comes
# about 5 s in, and 20 days last over a minute.
T new-session -d -s "$session" -x 80 -y 24 \
    "TERM=xterm-256color LC_ALL=C XDG_STATE_HOME='$tmp/state' \
    '$TICKDESK' console -c '$TD_CONF/tickdesk.cfg' --speed 6000 \
    --socket '$sock' 2>'$tmp/stderr'; echo \$? >'$tmp/exit'; sleep 60"

# All panes at 80x24, then the strategy's fill in the blotter and its P&L.
wait_for 10 "PAPER" || finish
titles "80x24 at start"
wait_for 20 " fill .* orb *$" || finish
wait_for 5 "^ES +[-+0-9]+ .* [-+][0-9]+\.[0-9][0-9]" ||
    fail "no position or realized P&L on the ES row"
type_line "replay pause"
wait_for 5 "PAUSED"
# The risk pane's feed line gives the stale-feed guard's own figure.
wait_for 5 "feed +ES no tick for [0-9.]+s"

# Garbage is refused, with a message, and sends nothing.
type_line "foo"
wait_for 5 "ERROR.*unknown command 'foo'"
type_line "buy x"
wait_for 5 "ERROR.*usage: buy"
type_line "buy 1 XX mkt"
wait_for 5 "ERROR.*'XX'"
# Ctrl-C clears the line; nothing is sent.
T send-keys -t "$session" -l "sell 3 ES mkt"
T send-keys -t "$session" C-c
wait_for 5 "^tickdesk> *\$"
gone "sell +3 ES"

# A manual order and flatten, one market event at a time.
type_line "buy 1 ES mkt stop 8 target 16"
wait_for 5 "buy +1 ES +mkt .*working +entry .*manual"
type_line "replay step"
wait_for 5 "^ES +\+1 "
# What protects the position: the positions pane counts the stop and the
# target; the blotter gives each leg its role, its entry and their OCO
# group (the entry's id), and its time in force.
wait_for 5 "^  stops 1/1 targets 1 "
wait_for 5 "buy +1 ES +mkt +[0-9.]+ fill +entry +- +- GTC manual"
# blotter_id ROLE STATE: the id on the screen's row of that leg.
blotter_id() {
	sed -n "s/^[0-9:]* *\([0-9][0-9]*\) [bs][a-z]* .* $2  *$1 .*/\1/p" \
	    "$tmp/screen" | head -1
}
entry=$(blotter_id entry fill)
[ -n "$entry" ] || { fail "no filled entry in the blotter"; dump; }
leg="working +%s +$entry +$entry GTC manual"
wait_for 5 "sell +1 ES +stp +[0-9.]+ $(printf "$leg" stop)"
wait_for 5 "sell +1 ES +lmt +[0-9.]+ $(printf "$leg" target)"
stop=$(blotter_id stop working)
# Cancelling the stop asks first; n keeps it.
type_line "cancel $stop"
wait_for 5 "order $stop is the stop protecting ES \+1: cancel it\? \[y/N\]"
type_line "n"
wait_for 5 "not confirmed: cancel $stop"
wait_for 5 "Blotter 2 working, then"
wait_for 5 "^  stops 1/1 targets 1 "
type_line "flatten"
type_line "replay step"
wait_for 5 "^ES +0 "
wait_for 5 "Blotter 0 working, then"

# F12 asks before it does anything; n does nothing.
T send-keys -t "$session" F12
wait_for 5 "flatten all and halt\? \[y/N\]"
type_line "n"
wait_for 5 "not confirmed: panic"
gone "HALTED"

# halt, then the rest of the data at full speed: entries are refused.
type_line "halt"
wait_for 5 "HALTED"
type_line "replay speed max"
type_line "replay resume"
wait_for 20 "END OF DATA"
# Only warnings and up in the log pane (it has the focus): F2 twice.
T send-keys -t "$session" F2 F2
wait_for 5 "order refused: trading is HALTED"
screen
grep -A1 "^TIME " "$tmp/screen" | grep -q " orb" &&
    fail "the strategy traded after halt"

# kill asks [y/N] as every question does; Enter declines; kill! kills.
type_line "kill"
wait_for 5 "stop every strategy\? \[y/N\]"
type_line ""
gone "KILLED"
type_line "kill!"
wait_for 5 "KILLED"

# The control socket answers while the console runs.
"$TICKDESK" ctl --socket "$sock" status >"$tmp/ctl" 2>&1 ||
    { fail "tickdesk ctl status failed"; cat "$tmp/ctl" >&2; }
grep -q "KILLED" "$tmp/ctl" || fail "tickdesk ctl status: no KILLED"

# Resizes keep every pane; too small says so and keeps the line.
T resize-window -t "$session" -x 200 -y 60
wait_for 5 "KILLED" && titles "200x60"
T resize-window -t "$session" -x 60 -y 15
wait_for 5 "terminal too small"
wait_for 5 "tickdesk>" || echo "  (command line at 60x15)" >&2
T resize-window -t "$session" -x 80 -y 24
wait_for 5 "Blotter" && titles "80x24 after resizes"
T capture-pane -p -t "$session" >"$tmp/final"

# quit ends the session cleanly; the history is kept.
type_line "quit"
limit=$(($(date +%s) + 10))
while [ ! -s "$tmp/exit" ] && [ "$(date +%s)" -lt "$limit" ]; do
	sleep 0.2
done
[ "$(cat "$tmp/exit" 2>/dev/null)" = 0 ] ||
    { fail "quit: exit status '$(cat "$tmp/exit" 2>/dev/null)'"; dump; }
grep -qx "kill!" "$tmp/state/tickdesk/history" ||
    fail "no history in \$XDG_STATE_HOME/tickdesk/history"
[ -e "$sock" ] && fail "the control socket was left behind"

# The last 80x24 screen, for the record (make check keeps the log).
cat "$tmp/final"
finish
