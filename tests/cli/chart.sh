#!/bin/sh
# chart.sh -- market replay's seek and the chart pane, end to end: the
# real console in a private tmux server on the demo session (SimpleORB).
# At 80x24: the status bar's slider; `replay goto` forward runs the
# engine to the time (the ORB entry fills on the way, its stop and
# target work); F3 shows the chart in the price line's place with
# candles, the entry's mark, the stop and target lines, the opening range
# shaded and the equity curve; `replay goto` back lists the position and
# the orders it drops and starts a fresh account; `replay step bar` and
# `replay step N` go on by one-minute bars; bad dates and times are
# refused; F2 on the chart changes the candles' minutes.  Resized to
# 200x60 the chart takes the blotter's place, candles, marks, levels and
# range all there; F3 brings the price line back.  Skipped (77) without
# tmux.  Bounded: every wait has a deadline, 90 s in all.
. "${srcdir:-.}/tests/cli/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }

. "${srcdir:-.}/tests/cli/lib-tmux.sh"

sock=$tmp/s
session=chart
start=$(date +%s)
budget=90
cleanup() {
	tmux_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

# chart_rows: the chart's candle rows (between its title and the time
# axis) of the last screen, into $tmp/chart.
chart_rows() {
	screen
	sed -n '/Chart ES/,/^ *[0-9][0-9]:[0-9][0-9]  /p' "$tmp/screen" |
	    sed '1d;$d' >"$tmp/chart"
}

# in_chart ERE WHAT: the chart's rows match.
in_chart() {
	chart_rows
	grep -qE -- "$1" "$tmp/chart" || { fail "no $2 in the chart"; dump; }
}

# The demo session in real time, paused at once: the ORB entry comes at
# 10:14 of its first day.
T new-session -d -s "$session" -x 80 -y 24 \
    "TERM=xterm-256color LC_ALL=C HOME='$tmp' XDG_STATE_HOME='$tmp/state' \
    XDG_DATA_HOME='$tmp/data' '$TICKDESK' console \
    -c '$TD_CONF/tickdesk.cfg' --speed 1 --socket '$sock' \
    2>'$tmp/stderr'; echo \$? >'$tmp/exit'; sleep 90"
wait_for 10 "PAPER" || finish
type_line "replay pause"
wait_for 5 "PAUSED"
# The slider: where the replay is in its data.
wait_for 5 "\| \[-+\] 0% \|"

# Forward: the engine runs at full speed to 10:14:10; the entry fills.
type_line "replay goto 2024-01-02 10:14:10"
wait_for 10 "replay: there: [0-9]+ events run, paused"
wait_for 5 " 10:14:(0[0-9]|10) "
wait_for 5 "^ES +\+1 +5022\.25 "
wait_for 5 "^  stops 1/1 targets 1"

# The chart in the price line's place.
T send-keys -t "$session" F3
wait_for 5 "Chart ES 1-min candles, last [0-9.]+, opening range 4980\.50-5018\.75"
# Four candle rows: the stop and the target share the top one, the
# target's label on it (both apart at 200x60 below).
wait_for 5 "T 5026\.25"
wait_for 5 "equity, net P&L of the session [-+]"
wait_for 5 "^09:30 +09:42 "
in_chart "#" "candle body"
in_chart "\|" "candle wick"
in_chart "\^" "entry mark"
in_chart ":" "opening range shading"
in_chart "=" "target line"

# F2 on the chart (Tab: positions, risk, the chart; the hidden
# strategies pane takes no focus).
T send-keys -t "$session" Tab Tab Tab F2
wait_for 5 "Chart ES 2-min candles"
T send-keys -t "$session" F2 F2 F2 F2 F2 F2 F2
wait_for 5 "Chart ES 1-min candles"

# 200x60: the chart in the blotter's place, the blotter in the price
# line's, everything there at the new size.
T resize-window -t "$session" -x 200 -y 60
wait_for 5 " Blotter "
wait_for 5 "S 5020\.25"
wait_for 5 "T 5026\.25"
wait_for 5 "\| \[-+\] [0-9]+% \|"
in_chart "#" "candle body at 200x60"
in_chart "\^" "entry mark at 200x60"
in_chart ":" "opening range shading at 200x60"
cp "$tmp/screen" "${TD_CHART_CAPTURE:-/dev/null}" 2>/dev/null

# Back: the position and the orders are listed, then a fresh account.
type_line "replay goto 2024-01-02 10:00"
wait_for 5 "position dropped by the reset: ES \+1 at 5022\.25"
wait_for 5 "2 working orders dropped by the reset"
wait_for 10 "events run from the start of the data, paused"
wait_for 5 "^ES +0 "
wait_for 5 " 2024-01-02 09:59:[0-5][0-9] "
gone "S 5020\.25"

# Bars, not ticks.
type_line "replay step bar"
wait_for 10 "replay: 1 bar on \([0-9]+ events\), paused"
wait_for 5 " 2024-01-02 10:00:[0-5][0-9] "
type_line "replay step 3"
wait_for 10 "replay: 3 bars on \([0-9]+ events\), paused"
wait_for 5 " 2024-01-02 10:03:[0-5][0-9] "

# Bad input: refused, the replay stays where it is.
type_line "replay goto 2024-02-30"
wait_for 5 "bad date '2024-02-30'"
type_line "replay goto 2024-01-02 9:75"
wait_for 5 "bad time '9:75'"
type_line "replay goto 2023-06-01"
wait_for 5 "before the data's first event at 2024-01-02 09:30:00"
type_line "replay step 0"
wait_for 5 "bad step"
wait_for 5 " 2024-01-02 10:03:[0-5][0-9] "

# F3: the price line is back.
T send-keys -t "$session" F3
wait_for 5 "Price +ES "
gone "Chart ES"

type_line "quit --leave"
i=0
while [ ! -s "$tmp/exit" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(cat "$tmp/exit" 2>/dev/null)" = 0 ] || fail "the console did not end with 0"
finish
