#!/bin/sh
# montecarlo.sh -- `tickdesk montecarlo` on the trades of a demo backtest:
# the reshuffles keep the backtest's net P&L in every run, the figures as
# traded are the backtest's, CSV and JSON carry the same numbers, the same
# seed gives the same output, and bad files and options are refused with
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
