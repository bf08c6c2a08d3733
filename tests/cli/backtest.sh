#!/bin/sh
# backtest.sh -- `tickdesk backtest` on generated and hand-made data only
# (no shared data): the demo session and its determinism, `generate` fed
# back in, five hand-made days whose SimpleORB trades are worked out below,
# and the refusal of bad data, bad options and bad configurations.
. "${srcdir:-.}/tests/cli/lib.sh"

conf="$TD_CONF/tickdesk.cfg"
ref="$srcdir/tests/cli/orb-reference.awk"

# body FILE: the report without its first lines (source and data counts),
# which name where the bars came from.
body() {
	sed '1,/^$/d' "$1"
}

# 1. The demo session: exit 0, deterministic, and the seed matters.
run 0 backtest -c "$conf"
cp "$tmp/out" "$tmp/demo1"
expect_out "demo"
grep -q '^trades  *[1-9]' "$tmp/out" || fail "demo: no trades"
run 0 backtest -c "$conf"
cmp -s "$tmp/demo1" "$tmp/out" || fail "demo: two runs, different reports"
run 0 backtest -c "$conf" --seed 2
cmp -s "$tmp/demo1" "$tmp/out" && fail "demo: --seed 2 gives seed 1's report"
run 0 backtest -c "$conf" --seed 1 --demo-days 20
cmp -s "$tmp/demo1" "$tmp/out" ||
    fail "demo: --seed 1 --demo-days 20 is not the default"

# 2. `generate` fed back to --data trades like the demo it writes.
if "$TICKDESK" help generate >/dev/null 2>&1; then
	run 0 backtest -c "$conf" --seed 7 --demo-days 15 --trades "$tmp/d.csv"
	body "$tmp/out" >"$tmp/demo7"
	run 0 generate -c "$conf" --seed 7 --days 15 -o "$tmp/gen.csv"
	[ -s "$tmp/gen.csv" ] || fail "generate wrote nothing"
	run 0 backtest -c "$conf" --data "$tmp/gen.csv" --trades "$tmp/g.csv"
	body "$tmp/out" >"$tmp/gen7"
	cmp -s "$tmp/d.csv" "$tmp/g.csv" || {
		fail "generate --seed 7 --days 15 fed back: different trades"
		diff "$tmp/d.csv" "$tmp/g.csv" | head -10 >&2
	}
	cmp -s "$tmp/demo7" "$tmp/gen7" ||
	    fail "generate --seed 7 --days 15 fed back: different report"
	[ "$(wc -l <"$tmp/d.csv")" -gt 1 ] || fail "demo seed 7: no trades"
else
	echo "note: no generate command, its round trip is not checked" >&2
fi

# 3. Five hand-made days.  Each has a 30-minute range of 4799.00-4801.00
# (bars 09:30-09:59), a 10:00 bar that breaks out, then what the day says,
# then quiet bars to 15:59 at the last price.
#   Mon 2022-01-03: close 4801.50 > 4801.00: long at the 10:01 open 4801.50,
#     stop 4799.50, target 4805.50; the 10:02 bar reaches 4806.00:
#     target, +4.00 points = $200.00.
#   Tue 2022-01-04: close 4798.50 < 4799.00: short at 4798.50, stop
#     4800.50; the entry bar itself trades 4800.75: stop, -$100.00.
#   Wed 2022-01-05: long at 4801.50, drifts to 4802.50 and stays: closed
#     at the 15:45 open, +1.00 point = $50.00.
#   Thu 2022-01-06: long at 4801.50; the 10:02 bar opens at 4799.00,
#     through the stop: filled at that open, -2.50 points = -$125.00.
#   Fri 2022-01-07: long at 4801.50; the 10:02 bar trades both 4806.00 and
#     4799.00: the stop is taken to come first, -$100.00.
# Each trade pays 2 x $0.62: 5 trades, $75.00 gross loss, $6.20 commissions.
awk 'function bar(d, m, o, h, l, c) {
	printf "%s %02d:%02d:00,%.2f,%.2f,%.2f,%.2f,%d\n", d,
	    int(m / 60), m % 60, o, h, l, c, 100 + m % 7
}
function day(d, kind,    m, p) {
	for (m = 570; m < 600; m++)	# the range, 09:30-09:59
		bar(d, m, 4800, m % 2 ? 4801 : 4800.5, m % 2 ? 4799.5 : 4799,
		    4800)
	if (kind == "short") {
		bar(d, 600, 4800, 4800, 4798.25, 4798.5)
		bar(d, 601, 4798.5, 4800.75, 4798.25, 4800)
		p = 4800; m = 602
	} else {
		bar(d, 600, 4800, 4801.75, 4800, 4801.5)
		if (kind == "target") {
			bar(d, 601, 4801.5, 4803, 4801, 4802.5)
			bar(d, 602, 4802.5, 4806, 4802.25, 4805)
			p = 4805; m = 603
		} else if (kind == "flat") {
			bar(d, 601, 4801.5, 4802.5, 4801.25, 4802.5)
			p = 4802.5; m = 602
		} else if (kind == "both") {
			bar(d, 601, 4801.5, 4802, 4801, 4801.75)
			bar(d, 602, 4801.75, 4806, 4799, 4803)
			p = 4803; m = 603
		} else {
			bar(d, 601, 4801.5, 4802, 4801, 4801.75)
			bar(d, 602, 4799, 4799.25, 4798, 4798.5)
			p = 4798.5; m = 603
		}
	}
	for (; m < 960; m++)
		bar(d, m, p, p, p, p)
}
BEGIN {
	day("2022-01-03", "target")
	day("2022-01-04", "short")
	day("2022-01-05", "flat")
	day("2022-01-06", "gap")
	day("2022-01-07", "both")
}' >"$tmp/days.csv"
cat >"$tmp/days.want" <<'EOF'
2022-01-03 long 4801.50 4805.50 20000
2022-01-04 short 4798.50 4800.50 -10000
2022-01-05 long 4801.50 4802.50 5000
2022-01-06 long 4801.50 4799.00 -12500
2022-01-07 long 4801.50 4799.50 -10000
EOF
# The reference must agree with the hand: it is what es-data.sh trusts.
awk -f "$ref" "$tmp/days.csv" >"$tmp/days.ref"
cmp -s "$tmp/days.want" "$tmp/days.ref" || {
	fail "orb-reference.awk on the hand-made days"
	diff "$tmp/days.want" "$tmp/days.ref" >&2
}
run 0 backtest -c "$conf" --data "ES=$tmp/days.csv" --trades "$tmp/days-t.csv"
expect_out "0 skipped out of order"
cat >"$tmp/days-t.want" <<'EOF'
ES,long,1,4801.50,4805.50,200.00,1.24,198.76
ES,short,1,4798.50,4800.50,-100.00,1.24,-101.24
ES,long,1,4801.50,4802.50,50.00,1.24,48.76
ES,long,1,4801.50,4799.00,-125.00,1.24,-126.24
ES,long,1,4801.50,4799.50,-100.00,1.24,-101.24
EOF
# id, owner, times and reason are the engine's own: compare the rest.
awk -F, 'NR > 1 { print $2 "," $4 "," $5 "," $8 "," $9 "," $10 "," $11 "," $12 }' \
	"$tmp/days-t.csv" >"$tmp/days-t.got"
cmp -s "$tmp/days-t.want" "$tmp/days-t.got" || {
	fail "--trades on the hand-made days"
	diff "$tmp/days-t.want" "$tmp/days-t.got" >&2
}
head -1 "$tmp/days-t.csv" | grep -qx 'id,symbol,owner,side,qty,entry_time,exit_time,entry_price,exit_price,gross,commission,net,reason' ||
    fail "--trades header: $(head -1 "$tmp/days-t.csv")"
# Times are ISO UTC: the first entry filled at the open of 10:01 New York
# time (15:01Z in January); the exit at the 15:45 open on Wednesday.
sed -n 2p "$tmp/days-t.csv" | grep -q ',2022-01-03T15:0[12]:00\.000Z,' ||
    fail "entry time of the first trade: $(sed -n 2p "$tmp/days-t.csv")"
sed -n 4p "$tmp/days-t.csv" | grep -q ',2022-01-05T20:4[56]:00\.000Z,' ||
    fail "flatten time of the third trade: $(sed -n 4p "$tmp/days-t.csv")"
grep -q '^trades  *5$' "$tmp/out" || fail "hand-made days: not 5 trades"
grep -q '^net p&l  *-81\.20$' "$tmp/out" ||
    fail "hand-made days: $(grep '^net p&l' "$tmp/out"), expected -81.20"
grep -q '^commissions  *6\.20$' "$tmp/out" ||
    fail "hand-made days: $(grep '^commissions' "$tmp/out"), expected 6.20"

# 4. Bad data: the file and line of the first bad row, exit 2.
good="2022-01-03 09:30:00,4800.00,4801.00,4799.00,4800.50,100"
{
	echo "$good"
	echo "2022-01-03 09:31:00,4800.50,4801.50,4800.00,4801.00,100"
	echo "2022-01-03 09:32:00,4801.00,4802.00,oops,4801.50,100"
	echo "2022-01-03 09:33:00,4801.50,4802.00,4801.00,4801.75,100"
} >"$tmp/malformed.csv"
run 2 backtest -c "$conf" --data "ES=$tmp/malformed.csv"
expect_err "$tmp/malformed.csv:3: "

{
	echo "$good"
	echo "2022-01-03 09:31:00,4800.50,4801.50,4800.00,4801.00,100"
	echo "2022-01-03 09:30:00,4801.00,4802.00,4800.75,4801.50,100"
	echo "2022-01-03 09:32:00,4801.50,4802.00,4801.00,4801.75,100"
} >"$tmp/disorder.csv"
run 2 backtest -c "$conf" --data "ES=$tmp/disorder.csv"
expect_err "$tmp/disorder.csv:3: "
run 0 backtest -c "$conf" --data "ES=$tmp/disorder.csv" --skip-disorder
expect_out "1 skipped out of order"
expect_out "4 rows"

{
	echo "$good"
	echo "2022-01-03 09:31:00,4800.50,4801.60,4800.00,4801.00,100"
} >"$tmp/grid.csv"
run 2 backtest -c "$conf" --data "ES=$tmp/grid.csv"
expect_err "$tmp/grid.csv:2: "

{
	echo "$good"
	echo "2022-01-03 09:31:00,4800.50,4799.50,4800.00,4801.00,100"
} >"$tmp/lowhigh.csv"
run 2 backtest -c "$conf" --data "ES=$tmp/lowhigh.csv"
expect_err "$tmp/lowhigh.csv:2: "

run 2 backtest -c "$conf" --data "ES=$tmp/no-such-file.csv"
expect_err "$tmp/no-such-file.csv"

# 5. Bad options.
for d in 2022-02-30 2022-13-01 20220301 yesterday ""; do
	run 2 backtest -c "$conf" --data "ES=$tmp/days.csv" --from "$d"
done
run 2 backtest -c "$conf" --data "ES=$tmp/days.csv" --to 2022-1-5x
run 2 backtest -c "$conf" --data "ES=$tmp/days.csv" --from 2022-01-05 \
    --to 2022-01-04
run 2 backtest -c "$conf" --data "XX=$tmp/days.csv"
expect_err "XX"
run 2 backtest -c "$conf" --seed -1
run 2 backtest -c "$conf" --demo-days 0
# --from/--to on the hand-made days: only Tuesday and Wednesday trade.
run 0 backtest -c "$conf" --data "ES=$tmp/days.csv" --from 2022-01-04 \
    --to 2022-01-05 --trades "$tmp/mid.csv"
[ "$(cut -d, -f4,8,9 "$tmp/mid.csv" | sed 1d | tr '\n' ' ')" = \
    "short,4798.50,4800.50 long,4801.50,4802.50 " ] ||
    fail "--from 2022-01-04 --to 2022-01-05: $(sed 1d "$tmp/mid.csv")"

# 6. Bad configurations: file:line: key: problem, exit 2.
line=$(grep -n 'daily_loss' "$conf" | head -1 | cut -d: -f1)
if [ -n "$line" ]; then
	sed "${line}s/daily_loss[ ]*[=:][^;]*;/daily_loss = -5.0;/" "$conf" \
	    >"$tmp/neg.cfg"
	grep -q 'daily_loss = -5.0;' "$tmp/neg.cfg" ||
	    fail "test setup: daily_loss not replaced"
	run 2 backtest -c "$tmp/neg.cfg"
	expect_err "$tmp/neg.cfg:$line: risk.daily_loss: "
else
	fail "no daily_loss in $conf"
fi
# An unknown key, on a line of its own after the first line with "risk".
line=$(grep -n '^[ 	]*risk[ 	]*[=:]' "$conf" | head -1 | cut -d: -f1)
if [ -n "$line" ]; then
	sed "${line}a\\
	no_such_key = 3;" "$conf" >"$tmp/unknown.cfg"
	run 2 backtest -c "$tmp/unknown.cfg"
	expect_err "$tmp/unknown.cfg:$((line + 1)): risk.no_such_key: "
else
	fail "no risk group in $conf"
fi
run 2 backtest -c "$tmp/no-such.cfg"
expect_err "$tmp/no-such.cfg"

finish
