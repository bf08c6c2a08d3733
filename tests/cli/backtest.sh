#!/bin/sh
# backtest.sh -- `tickdesk backtest` on generated and hand-made data only
# (no shared data): the demo session and its determinism, `generate` fed
# back in, six hand-made days whose SimpleORB trades are worked out below,
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
run 0 backtest -c "$conf" --trades "$tmp/demo1.csv"
cp "$tmp/out" "$tmp/demo1"
expect_out "demo"
grep -q '^trades  *[1-9]' "$tmp/out" || fail "demo: no trades"
# The configuration trades one contract and allows four: no trade may be
# larger (a bracket leg that fills twice would open a reversed position),
# and none is left to the daily loss limit to close.
awk -F, 'NR > 1 && ($5 != 1 || $NF ~ /loss/)' "$tmp/demo1.csv" >"$tmp/big"
[ -s "$tmp/big" ] && fail "demo: trades of more than 1 contract or" \
    "closed by a loss limit: $(head -3 "$tmp/big")"
run 0 backtest -c "$conf"
cmp -s "$tmp/demo1" "$tmp/out" || fail "demo: two runs, different reports"
run 0 backtest -c "$conf" --seed 2
cmp -s "$tmp/demo1" "$tmp/out" && fail "demo: --seed 2 gives seed 1's report"
run 0 backtest -c "$conf" --seed 1 --demo-days 20
cmp -s "$tmp/demo1" "$tmp/out" ||
    fail "demo: --seed 1 --demo-days 20 is not the default"

# 2. `generate` fed back.  The demo session is trade ticks: the same
# ticks from `generate --ticks` trade exactly like it.  `generate` without
# --ticks writes 1-minute bars, which trade as the reference worked out by
# hand says (the generator makes every weekday a session; the engine and
# the reference both skip the configuration's holidays).
if "$TICKDESK" help generate >/dev/null 2>&1; then
	run 0 backtest -c "$conf" --seed 7 --demo-days 15 --trades "$tmp/d.csv"
	body "$tmp/out" >"$tmp/demo7"
	[ "$(wc -l <"$tmp/d.csv")" -gt 5 ] || fail "demo seed 7: no trades"
	run 0 generate --seed 7 --days 15 --ticks -o "$tmp/gen.txt"
	run 0 generate --seed 7 --days 15 --ticks -o "$tmp/gen2.txt"
	cmp -s "$tmp/gen.txt" "$tmp/gen2.txt" || fail "generate: two runs differ"
	run 0 backtest -c "$conf" --data "ES=$tmp/gen.txt" --trades "$tmp/g.csv"
	body "$tmp/out" >"$tmp/gen7"
	cmp -s "$tmp/d.csv" "$tmp/g.csv" || {
		fail "generate --ticks --seed 7 --days 15 fed back: different" \
		    "trades from the demo's"
		diff "$tmp/d.csv" "$tmp/g.csv" | head -10 >&2
	}
	cmp -s "$tmp/demo7" "$tmp/gen7" ||
	    fail "generate --ticks --seed 7 --days 15 fed back: different report"

	run 0 generate --seed 7 --days 15 -o "$tmp/genbars.csv"
	holidays=$(sed -e 's|#.*||' "$conf" | tr '\n\t' '  ' |
	    sed -n 's/.*[^a-z_.]holidays[ ]*[=:][ ]*\[\([^]]*\)\].*/\1/p' |
	    tr -d '"' | tr ',' ' ')
	awk -f "$ref" -v holidays="$holidays" "$tmp/genbars.csv" \
	    >"$tmp/genbars.want"
	run 0 backtest -c "$conf" --data "ES=$tmp/genbars.csv" \
	    --trades "$tmp/genbars.csv.t"
	awk -F, 'NR > 1 { g = $10; sub(/\./, "", g); printf "%s %s %s %s %d\n",
	    substr($6, 1, 10), $4, $8, $9, g }' "$tmp/genbars.csv.t" \
	    >"$tmp/genbars.got"
	[ -s "$tmp/genbars.want" ] || fail "generate: bars without trades"
	cmp -s "$tmp/genbars.want" "$tmp/genbars.got" || {
		fail "generate --seed 7 --days 15 (bars): trades differ from" \
		    "the reference (< reference, > tickdesk)"
		diff "$tmp/genbars.want" "$tmp/genbars.got" | head -10 >&2
	}
else
	echo "note: no generate command, its round trip is not checked" >&2
fi

# 3. Six hand-made days.  Each has a 30-minute range of 4799.00-4801.00
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
#   Mon 2022-01-10: long at 4801.50; the 10:02 bar opens at 4806.00, beyond
#     the target, then trades down through the stop: the open comes first
#     (tickdesk(1): everything in a bar happens after its open), so the
#     target fills at that open, +4.50 points = $225.00.
# Each trade pays 2 x $0.62: 6 trades, $150.00 gross, $7.44 commissions.
# days DATE=KIND...: the bars of those days.
days() {
	awk -v days="$*" 'function bar(d, m, o, h, l, c) {
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
		} else if (kind == "gapboth") {
			bar(d, 601, 4801.5, 4803, 4801, 4802.5)
			bar(d, 602, 4806, 4806.5, 4799, 4803)
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
	n = split(days, a, " ")
	for (i = 1; i <= n; i++) {
		split(a[i], kv, "=")
		day(kv[1], kv[2])
	}
}'
}
days 2022-01-03=target 2022-01-04=short 2022-01-05=flat 2022-01-06=gap \
    2022-01-07=both 2022-01-10=gapboth >"$tmp/days.csv"
cat >"$tmp/days.want" <<'EOF'
2022-01-03 long 4801.50 4805.50 20000
2022-01-04 short 4798.50 4800.50 -10000
2022-01-05 long 4801.50 4802.50 5000
2022-01-06 long 4801.50 4799.00 -12500
2022-01-07 long 4801.50 4799.50 -10000
2022-01-10 long 4801.50 4806.00 22500
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
ES,long,1,4801.50,4806.00,225.00,1.24,223.76
EOF
# id, owner, times and reason are the engine's own: compare the rest.
cut -d, -f2,4,5,8-12 "$tmp/days-t.csv" | sed 1d >"$tmp/days-t.got"
cmp -s "$tmp/days-t.want" "$tmp/days-t.got" || {
	fail "--trades on the hand-made days"
	diff "$tmp/days-t.want" "$tmp/days-t.got" >&2
}
header=id,symbol,owner,side,qty,entry_time,exit_time,entry_price,exit_price
header=$header,gross,commission,net,reason
head -1 "$tmp/days-t.csv" | grep -qx "$header" ||
    fail "--trades header: $(head -1 "$tmp/days-t.csv")"
# Times are ISO UTC: the first entry filled at the open of 10:01 New York
# time (15:01Z in January); the exit at the 15:45 open on Wednesday.
sed -n 2p "$tmp/days-t.csv" | grep -q ',2022-01-03T15:0[12]:00\.000Z,' ||
    fail "entry time of the first trade: $(sed -n 2p "$tmp/days-t.csv")"
sed -n 4p "$tmp/days-t.csv" | grep -q ',2022-01-05T20:4[56]:00\.000Z,' ||
    fail "flatten time of the third trade: $(sed -n 4p "$tmp/days-t.csv")"
grep -q '^trades  *6$' "$tmp/out" || fail "hand-made days: not 6 trades"
grep -q '^net p&l  *142\.56$' "$tmp/out" ||
    fail "hand-made days: $(grep '^net p&l' "$tmp/out"), expected 142.56"
grep -q '^commissions  *7\.44$' "$tmp/out" ||
    fail "hand-made days: $(grep '^commissions' "$tmp/out"), expected 7.44"

# The calendar of the configuration: no session on a listed holiday, and a
# listed early close (13:15) moves the flatten to 13:00.
if grep -q '"2022-01-17"' "$conf" && grep -q '"2022-11-25 13:15"' "$conf"
then
	days 2022-01-17=target 2022-11-25=flat >"$tmp/cal.csv"
	run 0 backtest -c "$conf" --data "ES=$tmp/cal.csv" --trades "$tmp/cal.t"
	# (the exit at the 13:00 open, stamped at that bar's start or end)
	[ "$(wc -l <"$tmp/cal.t")" -eq 2 ] &&
	    cut -d, -f4,7-9 "$tmp/cal.t" | sed 1d | grep -qx \
	    'long,2022-11-25T18:0[01]:00\.000Z,4801\.50,4802\.50' ||
	    fail "holiday 2022-01-17, early close 2022-11-25:" \
	    "$(sed 1d "$tmp/cal.t")"
else
	echo "note: the configuration lacks 2022-01-17 or 2022-11-25" >&2
fi

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

# 7. --svg: the equity and drawdown curves as well-formed SVG files, one
# point per trade and the start; the report is the one without --svg.
svg_ok() {
	head -c 5 "$1" | grep -q '^<svg ' || fail "$1: does not start with <svg"
	[ "$(tail -1 "$1")" = "</svg>" ] || fail "$1: does not end with </svg>"
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout "$1" 2>"$tmp/xmllint" ||
		    fail "$1: not well-formed: $(head -3 "$tmp/xmllint")"
	fi
}
run 0 backtest -c "$conf" --trades "$tmp/svg.csv" --svg "$tmp/charts"
cmp -s "$tmp/demo1" "$tmp/out" || fail "--svg: another report"
ntrades=$(($(wc -l <"$tmp/svg.csv") - 1))
for f in equity drawdown; do
	[ -f "$tmp/charts/$f.svg" ] || { fail "--svg: no $f.svg"; continue; }
	svg_ok "$tmp/charts/$f.svg"
	points=$(sed -n \
	    's|^<polyline class="series".* points="\([^"]*\)".*|\1|p' \
	    "$tmp/charts/$f.svg" | tr ' ' '\n' | grep -c ,)
	[ "$points" = $((ntrades + 1)) ] ||
	    fail "$f.svg: $points points for $ntrades trades"
done
grep -q '<polygon class="area"' "$tmp/charts/drawdown.svg" ||
    fail "drawdown.svg: no area under zero"
grep -q '<polygon class="area"' "$tmp/charts/equity.svg" &&
    fail "equity.svg: an area under the equity"
run 1 backtest -c "$conf" --svg "$conf"
expect_err "--svg $conf: not a directory"
[ -s "$tmp/out" ] && fail "--svg to a file: refused only after the run"

# 8. --fill-models: the demo once under each model, one row each and the
# spread of their net P&L; the default model's row is the plain report's.
run 0 backtest -c "$conf" --fill-models all
cp "$tmp/out" "$tmp/models"
for m in tickdesk nt8-default nt8-liberal backtrader; do
	n=$(grep -c "^$m  " "$tmp/models")
	[ "$n" -eq 1 ] || fail "--fill-models all: $n rows for $m"
done
rows=$(awk '/^fill model /{t=1; next} t && NF == 6' "$tmp/models" | wc -l)
[ "$rows" -eq 4 ] || fail "--fill-models all: $rows rows, expected 4"
grep -q '^spread of net p&l (max - min): ' "$tmp/models" ||
    fail "--fill-models all: no spread line"
run 0 backtest -c "$conf"
net=$(awk '/^net p&l/{print $3}' "$tmp/out")
trades=$(awk '/^trades/{print $2}' "$tmp/out")
awk -v n="$net" -v t="$trades" '$1 == "tickdesk" && $2 == t && $5 == n' \
    "$tmp/models" | grep -q . ||
    fail "--fill-models: tickdesk's row is not the plain report's" \
    "($trades trades, $net)"
run 0 backtest -c "$conf" --fill-models backtrader,nt8-default
[ "$(grep -c '^backtrader  \|^nt8-default  ' "$tmp/out")" -eq 2 ] ||
    fail "--fill-models backtrader,nt8-default: not one row each"
grep -q '^tickdesk  ' "$tmp/out" &&
    fail "--fill-models backtrader,nt8-default: a tickdesk row"
run 2 backtest -c "$conf" --fill-models nt9
expect_err "unknown fill model 'nt9'"
run 2 backtest -c "$conf" --fill-models all --trades "$tmp/x.csv"
expect_err "--fill-models cannot be used with --trades or --journal"
# With --svg, one chart: an equity line per model, named in the legend,
# with a point per closed trade and the start; the table is the same.
run 0 backtest -c "$conf" --fill-models all --svg "$tmp/fm"
cmp -s "$tmp/models" "$tmp/out" || fail "--fill-models --svg: another table"
svg_ok "$tmp/fm/fill-models.svg"
for m in tickdesk nt8-default nt8-liberal backtrader; do
	grep -q ">$m</text>" "$tmp/fm/fill-models.svg" ||
	    fail "fill-models.svg: no legend for $m"
done
[ "$(grep -c '<polyline' "$tmp/fm/fill-models.svg")" -eq 4 ] ||
    fail "fill-models.svg: not one line per model"
# A configuration can choose the model itself; an unknown one is refused.
sed 's/^\([ 	]*\)bar_path = .*/&\
\1fill_model = "nt8-liberal";/' "$conf" >"$tmp/liberal.cfg"
grep -q 'fill_model = "nt8-liberal"' "$tmp/liberal.cfg" ||
    fail "test setup: no bar_path line to add fill_model after"
run 0 backtest -c "$tmp/liberal.cfg"
lnet=$(awk '/^net p&l/{print $3}' "$tmp/out")
awk -v n="$lnet" '$1 == "nt8-liberal" && $5 == n' "$tmp/models" |
    grep -q . || fail "venue.fill_model nt8-liberal: net $lnet is not" \
    "the nt8-liberal row's"
sed 's/fill_model = "nt8-liberal"/fill_model = "nt9"/' "$tmp/liberal.cfg" \
    >"$tmp/nt9.cfg"
run 2 backtest -c "$tmp/nt9.cfg"
expect_err "venue.fill_model: unknown value 'nt9'"

# 9. filters: with no value ever heard ORB's entries are all skipped, and
# the report counts them; with missing = "trade" the report is the one
# without the filter but for that line.  A filter of no strategy is
# refused where it is written.
{ cat "$conf"; printf '%s\n' 'filters = ( { strategy = "orb";' \
    'source = "model:es"; name = "p_up"; long_min = 0.55;' \
    'short_max = 0.45; } );'; } >"$tmp/filter.cfg"
run 0 backtest -c "$tmp/filter.cfg"
grep -q "^filters: [1-9][0-9]* entr[a-z]* skipped (orb [1-9][0-9]*)$" \
    "$tmp/out" || fail "filters: $(grep '^filters' "$tmp/out")"
grep -q "^trades *0$" "$tmp/out" || fail "filters: trades were taken"
sed 's/short_max = 0.45; }/short_max = 0.45; missing = "trade"; }/' \
    "$tmp/filter.cfg" >"$tmp/filter-trade.cfg"
run 0 backtest -c "$tmp/filter-trade.cfg"
grep -v '^filters: 0 entries skipped$' "$tmp/out" | cmp -s - "$tmp/demo1" ||
    fail "filters with missing = trade: another report"
sed 's/strategy = "orb";/strategy = "orb-nq";/' "$tmp/filter.cfg" \
    >"$tmp/filter-bad.cfg"
run 2 backtest -c "$tmp/filter-bad.cfg"
expect_err "filter-bad.cfg:"
expect_err "filters[0].strategy: no strategy 'orb-nq' in strategies"

# 10. --news: headlines made for the test, scored and faded into ES's
# sentiment, and ORB biased by it (longs only when it is at least 0,
# shorts only when at most 0): the long breakouts of the bad-news days
# and the short one of a good-news day are skipped, the rest traded, and
# two runs say the same.
cat >"$tmp/news.jsonl" <<'EOF'
{"time": "2024-01-02T14:00:00Z", "source": "wire", "symbols": ["ES"], "text": "Stocks rally as inflation eases"}
{"time": "2024-01-03T14:00:00Z", "source": "wire", "symbols": ["ES"], "text": "Futures plunge on recession fears"}
{"time": "2024-01-04T14:00:00Z", "source": "wire", "symbols": ["ES"], "text": "Banks slide after weak earnings"}
{"time": "2024-01-05T14:00:00Z", "source": "wire", "symbols": ["ES"], "text": "Retail sales miss; shares fall"}
{"time": "2024-01-08T14:00:00Z", "source": "wire", "symbols": ["ES", "NQ"], "text": "Strong jobs report lifts futures higher"}
{"time": "2024-01-09T14:00:00Z", "source": "wire", "symbols": ["ES"], "text": "Chipmakers surge to record gains"}
EOF
{ cat "$conf"; printf '%s\n' 'filters = ( { strategy = "orb";' \
    'source = "news"; name = "sentiment"; long_min = 0.0;' \
    'short_max = 0.0; } );'; } >"$tmp/bias.cfg"
run 0 backtest -c "$tmp/bias.cfg" --news "$tmp/news.jsonl" -v
expect_out "filters: 3 entries skipped (orb 3)"
expect_out "news: 6 headlines (1 before the data, 1 about instruments not traded),"
grep -q "^trades  *16$" "$tmp/out" || fail "--news: $(grep '^trades' "$tmp/out")"
for day in 2024-01-03 2024-01-05; do
	grep -q "^$day .* long entry skipped: news sentiment -0\.[0-9]* below 0\.0000" \
	    "$tmp/err" || fail "--news: no long entry skipped on $day"
done
grep -q "^2024-01-09 .* short entry skipped: news sentiment 0\.[0-9]* above" \
    "$tmp/err" || fail "--news: no short entry skipped on 2024-01-09"
cp "$tmp/out" "$tmp/news1"
run 0 backtest -c "$tmp/bias.cfg" --news "$tmp/news.jsonl"
cmp -s "$tmp/news1" "$tmp/out" || fail "--news: two runs differ"
# A bad line is refused with its file and line.
sed '3s/"time": "2024-01-04T14:00:00Z"/"time": "4 Jan 2024"/' \
    "$tmp/news.jsonl" >"$tmp/bad-news.jsonl"
run 2 backtest -c "$tmp/bias.cfg" --news "$tmp/bad-news.jsonl"
expect_err "bad-news.jsonl:3: time '4 Jan 2024' is not ISO 8601"

finish
