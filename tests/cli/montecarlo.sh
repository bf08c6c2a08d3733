#!/bin/sh
# montecarlo.sh -- `tickdesk montecarlo` on the trades of a demo backtest:
# the reshuffles keep the backtest's net P&L in every run, the figures as
# traded are the backtest's, CSV and JSON carry the same numbers, the same
# seed gives the same output, --svg draws a well-formed histogram of each
# figure holding every run, and bad files and options are refused with
# FILE:LINE or the option.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77

run 0 backtest -c "$TD_CONF/tickdesk.cfg" --demo-days 60 --seed 7 \
    --trades "$tmp/t.csv"
net=$(awk -F, 'NR > 1 { s += $12 * 100 } END { printf "%.2f", s / 100 }' \
    "$tmp/t.csv")
[ "$(wc -l <"$tmp/t.csv")" -gt 10 ] || fail "too few trades to draw from"

run 0 montecarlo --trades "$tmp/t.csv" --runs 2000 --seed 5 --format csv \
    --account 10000 --ruin-loss 2500
cp "$tmp/out" "$tmp/a.csv"
[ "$(head -1 "$tmp/a.csv")" = "method,figure,as_traded,min,p1,p5,p25,p50,p75,p95,p99,max" ] ||
    fail "CSV header: $(head -1 "$tmp/a.csv")"
# Every reshuffle ends where the backtest did.
awk -F, -v net="$net" '$1 == "reshuffle" && $2 == "final_pnl" {
	for (i = 3; i <= 12; i++) if ($i != net) bad = 1; found = 1 }
    END { exit !(found && !bad) }' "$tmp/a.csv" ||
    fail "reshuffled final P&L is not the backtest's $net: $(cat "$tmp/a.csv")"
# Percentiles rise from min to max.
awk -F, '$2 == "max_drawdown" || $2 == "losing_streak" {
	for (i = 5; i <= 12; i++) if ($i + 0 < $(i - 1) + 0) bad = 1 }
    END { exit bad }' "$tmp/a.csv" || fail "percentiles out of order"
[ "$(grep -c risk_of_ruin_pct "$tmp/a.csv")" = 2 ] ||
    fail "no risk of ruin for both methods"

# Same seed, same numbers; JSON says what CSV says.
run 0 montecarlo --trades "$tmp/t.csv" --runs 2000 --seed 5 --format csv \
    --account 10000 --ruin-loss 2500
cmp -s "$tmp/out" "$tmp/a.csv" || fail "the same seed gave other numbers"
run 0 montecarlo --trades "$tmp/t.csv" --runs 2000 --seed 5 --format json \
    --method resample -o "$tmp/r.json"
p50=$(awk -F, '$1 == "resample" && $2 == "final_pnl" { print $8 }' \
    "$tmp/a.csv")
grep -q "\"final_pnl\": {.*\"p50\": $p50," "$tmp/r.json" ||
    fail "JSON resample p50 is not CSV's $p50: $(cat "$tmp/r.json")"
grep -q '"reshuffle"' "$tmp/r.json" && fail "--method resample ran both"

run 0 montecarlo --trades "$tmp/t.csv" --runs 500
grep -Eq "^Monte Carlo of [0-9]+ trades from .*: 500 runs each, seed 1$" \
    "$tmp/out" || fail "no title line: $(head -1 "$tmp/out")"
expect_out "reshuffle: the same trades in other orders"
expect_out "resample: as many trades drawn with replacement"
expect_out "longest losing streak "

# Charts: a histogram per method and figure, well-formed, every run in
# its bins, three markers; the same seed draws the same bytes.
svg_ok() {
	head -c 5 "$1" | grep -q '^<svg ' || fail "$1: does not start with <svg"
	[ "$(tail -1 "$1")" = "</svg>" ] || fail "$1: does not end with </svg>"
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout "$1" 2>"$tmp/xmllint" ||
		    fail "$1: not well-formed: $(head -3 "$tmp/xmllint")"
	fi
}
run 0 montecarlo --trades "$tmp/t.csv" --runs 2000 --seed 5 --svg "$tmp/mc"
run 0 montecarlo --trades "$tmp/t.csv" --runs 2000 --seed 5 --svg "$tmp/mc2"
for m in reshuffle resample; do
	for k in max_drawdown final_pnl losing_streak; do
		f="$tmp/mc/montecarlo-$m-$k.svg"
		[ -f "$f" ] || { fail "--svg: no $f"; continue; }
		svg_ok "$f"
		grep -q '>as traded [-0-9]' "$f" || fail "$f: no 'as traded'"
		[ "$(grep -c '<line class="marker"' "$f")" = 3 ] ||
		    fail "$f: not three markers"
		runs=$(sed -n \
		    's|^<rect class="bin".*: \([0-9]*\)</title>.*|\1|p' "$f" |
		    awk '{ s += $1 } END { print s + 0 }')
		[ "$runs" = 2000 ] ||
		    fail "$f: its bins hold $runs runs, not 2000"
		cmp -s "$f" "$tmp/mc2/montecarlo-$m-$k.svg" ||
		    fail "$f: the same seed drew other bytes"
	done
done
[ "$(ls "$tmp/mc" | wc -l)" = 6 ] ||
    fail "--svg: not six files: $(ls "$tmp/mc")"
run 0 montecarlo --trades "$tmp/t.csv" --runs 100 --method resample \
    --svg "$tmp/mc3"
[ "$(ls "$tmp/mc3" | sed 's/^montecarlo-resample-//' | tr '\n' ' ')" = \
    "final_pnl.svg losing_streak.svg max_drawdown.svg " ] ||
    fail "--method resample --svg: $(ls "$tmp/mc3")"
run 1 montecarlo --trades "$tmp/t.csv" --svg "$tmp/t.csv"
expect_err "--svg $tmp/t.csv: not a directory"

# Refusals.
printf 'id,net\n1,12.50\n2,12.505\n' >"$tmp/bad.csv"
run 2 montecarlo --trades "$tmp/bad.csv"
expect_err "bad.csv:3: net is no money with at most two decimals"
printf 'id,pnl\n1,12.50\n' >"$tmp/nonet.csv"
run 2 montecarlo --trades "$tmp/nonet.csv"
expect_err "nonet.csv:1: no header with a net column"
printf 'id,net\n' >"$tmp/empty.csv"
run 2 montecarlo --trades "$tmp/empty.csv"
expect_err "empty.csv: no trades"
run 2 montecarlo --trades "$tmp/t.csv" --runs 0
expect_err "--runs 0: 1 to 1000000"
run 2 montecarlo --trades "$tmp/t.csv" --ruin-loss 100
expect_err "--ruin-loss needs --account"
run 2 montecarlo --trades "$tmp/t.csv" --method bootstrap
expect_err "--method bootstrap: reshuffle or resample"
run 2 montecarlo --trades "$tmp/t.csv" --account 10.001
expect_err "--account 10.001: a positive amount"
run 2 montecarlo
expect_err "usage: tickdesk montecarlo"
finish
