#!/bin/sh
# console-options.sh -- the console's options given without its command
# (`tickdesk --no-color --speed max ...`, as the README suggests) reach the
# console, in a private tmux server at 80x24: the status bar shows the
# speed, the screen has no colour, and the command line takes commands in
# any case and answers a mistyped one with the command meant.  Skipped
# (77) without tmux.  Bounded: every wait has a deadline and the whole test
# gives up after 60 s.
. "${srcdir:-.}/tests/cli/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }

. "${srcdir:-.}/tests/cli/lib-tmux.sh"

sock=$tmp/s
session=options
start=$(date +%s)
cleanup() {
	tmux_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

T new-session -d -s "$session" -x 80 -y 24 \
    "TERM=xterm-256color LC_ALL=C XDG_STATE_HOME='$tmp/state' \
    '$TICKDESK' --no-color --speed max -c '$TD_CONF/tickdesk.cfg' \
    --socket '$sock' 2>'$tmp/stderr'; echo \$? >'$tmp/exit'; sleep 60"

wait_for 10 "PAPER" || finish
wait_for 5 "\\| max \\|" || fail "--speed max did not reach the console"
wait_for 5 "tickdesk>" || finish
# No colour: the pane's escapes hold no foreground or background colour.
T capture-pane -e -p -t "$session" >"$tmp/escapes"
grep -qE "$(printf '\033')\\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)[;m]" \
    "$tmp/escapes" && fail "--no-color: colours on the screen"

type_line "flaten"
wait_for 5 "did you mean 'flatten'\\?"
type_line "HALT"
wait_for 5 "\\| HALTED \\|"
"$TICKDESK" ctl --socket "$sock" STATUS >"$tmp/ctl" 2>&1 ||
    fail "ctl STATUS: $(cat "$tmp/ctl")"
grep -q "^state " "$tmp/ctl" || fail "ctl STATUS: no state line"
type_line "quit --leave"
i=0
while [ ! -s "$tmp/exit" ] && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
[ "$(cat "$tmp/exit" 2>/dev/null)" = 0 ] ||
    fail "the console ended with '$(cat "$tmp/exit" 2>/dev/null)'"
finish
