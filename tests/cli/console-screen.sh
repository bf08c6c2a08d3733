#!/bin/sh
# console-screen.sh -- what the console's screen says, whole, at 80x24,
# 200x60 and 60x20: the real tickdesk inside a private tmux server on the
# demo session, paused and stepped so that nothing moves between looks.
#   P&L: every figure says net and for when (session net, NET SESS,
#	today net, week net, NET TODAY of closed trades), and the
#	positions title is what its rows add up to.
#   Blotter: a moved order shows its new price once; the title counts
#	the rows marked working; another day's rows come under its date.
#   Replies: on the reply line above the command line, also while the
#	log pane is scrolled back; End takes the log back to its newest
#	lines; completion lists go to the reply line, not the log.
#   Cut texts: the F1 help's descriptions, the positions title, the risk
#	pane's reason and kill's question are whole at 80x24; at 200x60 the
#	price line stays in its pane; at 60x20 replies are shown.
# Skipped (77) without tmux.  Bounded: every wait has a deadline and the
# whole test gives up after 90 s.
. "${srcdir:-.}/tests/cli/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }

. "${srcdir:-.}/tests/cli/lib-tmux.sh"

sock=$tmp/s
session=screen
start=$(date +%s)
budget=90
cleanup() {
	tmux_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

# wait_gone SECONDS ERE: until the screen no longer matches, else fail.
wait_gone() {
	limit=$(($(date +%s) + $1))
	while screen && grep -qE -- "$2" "$tmp/screen"; do
		if [ "$(date +%s)" -ge "$limit" ]; then
			fail "'$2' still on the screen after $1 s"
			dump
			return 1
		fi
		sleep 0.2
	done
}

# cents TEXT: "+1234.50" -> 123450 (no sign: 0 and up).
cents() {
	echo "$1" | sed 's/^+//; s/\.//; s/^\(-\{0,1\}\)0*\([0-9]\)/\1\2/'
}

# A long user name makes the risk pane's reason longer than its row.
T new-session -d -s "$session" -x 80 -y 24 \
    "TERM=xterm-256color LC_ALL=C USER=night-desk-trader \
    XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
    '$TICKDESK' console -c '$TD_CONF/tickdesk.cfg' --speed 6000 \
    --socket '$sock' 2>'$tmp/stderr'; sleep 60"

wait_for 10 "PAPER" || finish
# The first day's trade, then a later day: the blotter dates the old rows.
wait_for 30 "^-- 2024-01-0[0-9] --" || finish
type_line "replay pause"
wait_for 5 "PAUSED" || finish

# ---------------------------------------------------------------- P&L
wait_for 5 "^ Positions session net [-+]?[0-9]+\.[0-9][0-9] "
wait_for 5 "^SYM +POS +AVG +LAST +UNREAL +NET SESS "
wait_for 5 "^today net [-+]?[0-9]+\.[0-9][0-9] +week net [-+]?[0-9]+\.[0-9][0-9]"
wait_for 5 "Strategies [0-9]+/[0-9]+ running, closed net today"
# The title is what the rows' NET SESS and UNREAL add up to.
screen
cut -c1-46 "$tmp/screen" >"$tmp/left"
title=$(sed -n 's/^ Positions session net \([-+0-9.]*\) *$/\1/p' \
    "$tmp/left")
sum=0
for v in $(sed -n 's/^[A-Z]\{1,\}!\{0,1\} *[-+0-9]\{1,\} .* \([-+0-9.]\{4,\}\) \{1,\}\([-+0-9.]\{4,\}\) *$/\1 \2/p' \
    "$tmp/left"); do
	sum=$((sum + $(cents "$v")))
done
[ -n "$title" ] && [ "$(cents "$title")" -eq "$sum" ] ||
    { fail "positions: title $title is not its rows' sum ($sum cents)"; dump; }

# ---------------------------------------------------------------- blotter
last=$(sed -n 's/^ES  *0  *-  *\([0-9][0-9]*\.[0-9][0-9]\) .*/\1/p' \
    "$tmp/left" | head -1)
[ -n "$last" ] || { fail "no last price on the ES row"; dump; finish; }
px=$(echo "$last" | awk '{ printf "%.2f", $1 - 5 }')
moved=$(echo "$last" | awk '{ printf "%.2f", $1 - 6 }')
type_line "buy 1 ES lmt $px stop 8"
wait_for 5 "Blotter 1 working, then" || finish
screen
id=$(sed -n "s/^[0-9:]* *\([0-9][0-9]*\) buy .* $px working .*/\1/p" \
    "$tmp/screen" | head -1)
[ -n "$id" ] || { fail "no working buy at $px in the blotter"; dump; }
type_line "move $id $moved"
wait_for 5 " $id buy +1 ES +lmt +$moved working +entry" || finish
gone " $px working"
# As many rows marked working as the title counts.
screen
[ "$(grep -c " working  *entry" "$tmp/screen")" -eq 1 ] ||
    { fail "blotter: not one row marked working"; dump; }
type_line "cancel $id"
wait_for 5 "Blotter 0 working, then"
gone " working  *entry"

# ---------------------------------------------------------------- replies
# The log pane (focused) scrolled back: the answer is in view all the same.
T send-keys -t "$session" PPage
wait_for 5 "Log level debug and up, [0-9]+ newer below" || finish
type_line "replay pause"
wait_for 5 "^replay paused *$"
wait_for 5 "newer below"
# End (at the end of the line) takes the log back to its newest lines.
T send-keys -t "$session" End
wait_for 5 "Log level debug and up +F2"
wait_gone 5 "newer below"
# An answer of several lines: its first, and how many more the log has.
type_line "status"
wait_for 5 "^state (ACTIVE|HALTED) .*\(\+[0-9]+ lines in the log\)$"
# A completion list goes to the reply line, not to the log.
T send-keys -t "$session" -l "b"
T send-keys -t "$session" Tab Tab
wait_for 5 "^breaker buy *$"
gone "complete: "
T send-keys -t "$session" C-c

# ---------------------------------------------------------------- 80x24
# F1: each description whole, a long one wrapped under its column.
T send-keys -t "$session" F1
wait_for 5 "tickdesk help"
T send-keys -t "$session" NPage
wait_for 5 "positions, their stops and targets," || finish
wait_for 5 "^.{0,4} {30,}prices and P&L"
T send-keys -t "$session" Escape
wait_gone 5 "tickdesk help"
# The reason trading stopped, whole in the risk pane (columns 47-80).
type_line "halt"
wait_for 5 "Risk HALTED" || finish
screen
sed -n '2,8p' "$tmp/screen" | cut -c47-80 | tr '\n' ' ' | tr -s ' ' |
    grep -q "HALTED by night-desk-trader: halt command" ||
    { fail "risk pane: the reason is not whole"; dump; }
type_line "resume"
wait_for 5 "ACTIVE"
# kill's question whole; the prompt is the answer it wants.
type_line "kill"
wait_for 5 "kill: cancel every order, flatten every position and stop every"
wait_for 5 "^\\[y/N\\] *$"
type_line "no"
wait_for 5 "^not confirmed: kill"
gone "KILLED"

# ---------------------------------------------------------------- 200x60
T resize-window -t "$session" -x 200 -y 60
wait_for 5 "Log level" || finish
screen
# The log pane starts at column 81 and each of its rows with a clock or
# blanks there: nothing of the price line (left) has run into it.
wait_for 5 "^.{80}.Log level debug" || finish
top=$(grep -n "^.\{80\}.Log level" "$tmp/screen" | cut -d: -f1)
sed -n "$((top + 1)),58p" "$tmp/screen" | cut -c81-88 |
    grep -Ev '^([0-9]{2}:[0-9]{2}:[0-9]{2}|--:--:--| *)$' >"$tmp/bad" &&
    { fail "200x60: the log's rows do not start at column 81"; dump;
    cat "$tmp/bad" >&2; }
type_line "positions"
wait_for 5 "^ES +flat"

# ---------------------------------------------------------------- 60x20
T resize-window -t "$session" -x 60 -y 20
wait_for 5 "terminal too small" || finish
type_line "status"
wait_for 5 "^state (ACTIVE|HALTED) "
type_line "kill"
wait_for 5 "^kill: cancel every order, flatten every position and stop"
wait_for 5 "^every strategy\? \\[y/N\\]"
type_line "no"
wait_for 5 "^not confirmed: kill"

T resize-window -t "$session" -x 80 -y 24
wait_for 5 "Blotter" || finish
finish
