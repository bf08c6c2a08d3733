#!/bin/sh
# protect.sh -- the protection invariants through the real binary: a
# headless paper session on the demo data, paused, driven with tickdesk
# ctl and `replay step`, checked with `positions` and `orders`.  An exit
# beyond what a bracket already covers is refused (a stop and its target
# counted once, a stop alone too), and once the stop has closed the
# position nothing is left working; a buy with a bracket against a short
# only closes it, leaving ES flat with no order; market sells never take
# a long beyond flat, with the venue's latency as without.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
"$TICKDESK" help run >/dev/null 2>&1 || exit 77
"$TICKDESK" help ctl >/dev/null 2>&1 || exit 77

pid=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
sock=$tmp/ctl.sock

# The sample configuration with the strategies off (only the trader's
# orders trade), without the trade-risk limit (bare market entries pass)
# and at most 3 contracts; and the same with 50 ms of venue latency.
sed -e 's/max_trade_risk = [0-9.]*;/max_trade_risk = 0.00;/' \
    -e 's/max_contracts = [0-9]*;/max_contracts = 3;/' \
    -e 's/enabled = true;/enabled = false;/' \
    "$TD_CONF/tickdesk.cfg" >"$tmp/desk.cfg"
sed 's/latency_ms = [0-9]*;/latency_ms = 50;/' "$tmp/desk.cfg" \
    >"$tmp/slow.cfg"
grep -q "latency_ms = 50;" "$tmp/slow.cfg" ||
    fail "slow.cfg: no venue latency of 50 ms"
grep -q "enabled = true;" "$tmp/desk.cfg" &&
    fail "desk.cfg: a strategy is still enabled"

# start CONFIG: a paused session on two demo days with a journal of its
# own; wait until it answers.  ev counts the market events it has taken.
sessions=0
start() {
	sessions=$((sessions + 1))
	ev=0
	"$TICKDESK" run --headless -c "$1" --speed max --paused \
	    --demo-days 2 --socket "$sock" --journal "$tmp/j$sessions.db" \
	    2>"$tmp/run$sessions.err" &
	pid=$!
	listening "$sock" "$tmp/run$sessions.err"
}

# quit: the session, flat and without orders, ends with status 0.
quit() {
	c 0 quit
	expect_out "quitting: flat, no working orders"
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		fail "the session did not end"
		kill -9 "$pid"
	fi
	wait "$pid"
	got=$?
	pid=
	[ "$got" -eq 0 ] || fail "the session ended with $got"
}

# c STATUS WORDS...: one command through the socket.
c() {
	want=$1
	shift
	run "$want" ctl --socket "$sock" "$@"
}

# step: one more market event of the paused replay; the engine takes it
# right after answering, so wait until status counts it.
step() {
	ev=$((ev + 1))
	c 0 replay step
	i=0
	while [ $i -lt 100 ]; do
		"$TICKDESK" ctl --socket "$sock" status 2>/dev/null |
		    grep -q "events $ev," && return 0
		sleep 0.05
		i=$((i + 1))
	done
	fail "replay step $ev: the engine did not take the event"
	finish
}

# es: ES's position from `positions`: flat, +1, -2 ...; and last, its
# last price.
es() {
	c 0 positions
	awk '$1 == "ES" { sub(",", "", $2); print $2 }' "$tmp/out"
}
last() {
	c 0 positions
	sed -n 's/^ES .* last \([0-9.]*\),.*/\1/p' "$tmp/out"
}

# working: how many orders `orders` lists (0 for "no working orders").
working() {
	c 0 orders
	if grep -qx "no working orders" "$tmp/out"; then
		echo 0
	else
		wc -l <"$tmp/out" | tr -d ' '
	fi
}

# flat_for N: N more events, ES flat with no order working after each.
flat_for() {
	n=0
	while [ $n -lt "$1" ]; do
		step
		p=$(es)
		w=$(working)
		[ "$p" = flat ] || fail "$2: event $ev: ES $p, not flat"
		[ "$w" -eq 0 ] || fail "$2: event $ev: $w orders working"
		n=$((n + 1))
	done
}

start "$tmp/desk.cfg"
step

# 1. An exit beyond the bracket is refused: the stop and its target close
# the position of 1 together (one OCO group), a limit of 1 more makes 2.
c 0 buy 1 ES mkt stop 8 target 16
step
[ "$(es)" = "+1" ] || fail "bracket: ES $(es), expected +1"
expect_out " stops 1/1 targets 1, last "
above=$(awk -v p="$(last)" 'BEGIN { printf "%.2f", p + 2 }')
c 1 sell 1 ES lmt "$above"
expect_err "sell: refused: ES: exit refused: 1 more would make 2 working to"
expect_err "close a position of 1 (orders "
expect_err "): move or cancel them first"
c 0 orders
grep -q " working stop " "$tmp/out" || fail "bracket: no stop working"
grep -q " working target " "$tmp/out" || fail "bracket: no target working"
grep -q " working exit " "$tmp/out" && fail "bracket: an exit is working"
[ "$(working)" -eq 2 ] || fail "bracket: $(working) orders working"
c 0 flatten
step
[ "$(es)" = flat ] || fail "flatten: ES $(es)"
[ "$(working)" -eq 0 ] || fail "flatten: orders still working"

# A stop alone counts 1 too.  Once it has closed the position (moved next
# to the market so the data reaches it), nothing is left working and the
# refused limit never fills.
c 0 buy 1 ES mkt stop 8
step
[ "$(es)" = "+1" ] || fail "stop alone: ES $(es), expected +1"
expect_out " stops 1/1, last "
above=$(awk -v p="$(last)" 'BEGIN { printf "%.2f", p + 2 }')
c 1 sell 1 ES lmt "$above"
expect_err "sell: refused: ES: exit refused: 1 more would make 2 working to"
expect_err "(order "
expect_err "): move or cancel it first"
c 0 orders
sid=$(awk '/ working stop / { print $1 }' "$tmp/out")
[ -n "$sid" ] || fail "stop alone: no stop in: $(cat "$tmp/out")"
below=$(awk -v p="$(last)" 'BEGIN { printf "%.2f", p - 0.25 }')
c 0 move "$sid" "$below"
n=0
while [ "$(es)" != flat ] && [ $n -lt 300 ]; do
	step
	n=$((n + 1))
done
[ "$(es)" = flat ] || fail "stop alone: the stop at $below never filled"
grep -q "(stop, order $sid)" "$tmp/run1.err" ||
    fail "stop alone: the position was not closed by stop $sid"
[ "$(working)" -eq 0 ] || fail "stop alone: orders left working after the stop"
flat_for 10 "after the stop"

# 2. A buy with a bracket against a short of 1 only closes it.
c 0 sell 1 ES mkt stop 8
step
[ "$(es)" = "-1" ] || fail "short: ES $(es), expected -1"
c 0 buy 1 ES mkt stop 8 target 16
expect_out "buy 1 ES mkt, bracket stop 8 target 16 ticks: it closes the"
expect_out "ticks: it closes the position, no bracket"
c 0 orders
grep -q "^[0-9]* buy 1 ES mkt .*working exit manual$" "$tmp/out" ||
    fail "short: the buy is not an exit: $(cat "$tmp/out")"
step
[ "$(es)" = flat ] || fail "short: ES $(es) after the buy, expected flat"
[ "$(working)" -eq 0 ] || fail "short: orders working after the buy"
flat_for 10 "after closing the short"

# 3. Market sells of a long 3: the first goes, the others are refused
# while it works; ES ends flat, never short.
refused3="sell: refused: ES: exit refused: 3 more would make 6 working"
refused3="$refused3 to close a position of 3"
c 0 buy 3 ES mkt
step
[ "$(es)" = "+3" ] || fail "long 3: ES $(es), expected +3"
c 0 sell 3 ES mkt
for n in 1 2 3 4; do
	c 1 sell 3 ES mkt
	expect_err "$refused3"
done
[ "$(working)" -eq 1 ] || fail "long 3: $(working) orders working"
flat_for 10 "after five sells of 3"
quit

# The same with 50 ms of venue latency: two quick sells, never beyond flat.
start "$tmp/slow.cfg"
step
c 0 buy 3 ES mkt
n=0
while [ "$(es)" = flat ] && [ $n -lt 20 ]; do
	step
	n=$((n + 1))
done
[ "$(es)" = "+3" ] || fail "latency: ES $(es), expected +3"
c 0 sell 3 ES mkt
c 1 sell 3 ES mkt
expect_err "$refused3"
n=0
while [ "$(es)" != flat ] && [ $n -lt 20 ]; do
	step
	case $(es) in
	-*)	fail "latency: event $ev: ES $(es), beyond flat" ;;
	esac
	n=$((n + 1))
done
flat_for 10 "latency: after two sells of 3"
quit
finish
