#!/bin/sh
# optimize.sh -- `tickdesk optimize` on 60 generated days: the grid's
# points all reported, the best first, each point's figures those of a
# backtest with its parameters, the same CSV on 1 and 2 threads, a text
# file's bar cache made next to it, JSON of every point, and the
# refusals of bad parameters and options.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77

run 0 generate --days 60 --seed 3 -o "$tmp/es.csv"
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4:12:4 --param orb.target_ticks=8,16,24 \
    --threads 2 --csv "$tmp/two.csv" --json "$tmp/all.json" --top 3
expect_out "tickdesk optimize: grid, 9 of 9 points, objective net, at least 1 trades"
expect_err "making its bar cache"
[ -f "$tmp/es.csv.tdc" ] || fail "no bar cache made next to the data"
[ "$(grep -c '^ *[0-9]\+ ' "$tmp/out")" = 3 ] ||
    fail "--top 3 printed $(grep -c '^ *[0-9]\+ ' "$tmp/out") rows"
[ "$(wc -l <"$tmp/two.csv")" = 10 ] || fail "CSV: not 9 points and a header"
[ "$(grep -c '"rank"' "$tmp/all.json")" = 9 ] || fail "JSON: not 9 points"

run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4:12:4 --param orb.target_ticks=8,16,24 \
    --threads 1 --csv "$tmp/one.csv"
cmp -s "$tmp/one.csv" "$tmp/two.csv" || fail "1 and 2 threads differ"
grep -q "making its bar cache" "$tmp/err" && fail "the cache was made again"

# Best first, and the best point's net is a backtest's with its values.
awk -F, 'NR > 2 && $6 + 0 > prev + 0 { bad = 1 } NR > 1 { prev = $6 }
    END { exit bad }' "$tmp/one.csv" || fail "not ranked by net"
best=$(sed -n 2p "$tmp/one.csv")
stop=$(echo "$best" | cut -d, -f3)
target=$(echo "$best" | cut -d, -f4)
net=$(echo "$best" | cut -d, -f6)
sed "/opening_range_minutes/,/}/{s/stop_ticks = [0-9]*;/stop_ticks = $stop;/; \
    s/target_ticks = [0-9]*;/target_ticks = $target;/}" \
    "$TD_CONF/tickdesk.cfg" >"$tmp/best.cfg"
run 0 backtest -c "$tmp/best.cfg" --data "ES=$tmp/es.csv"
want=$(awk '$1 == "net" && $2 == "p&l" { gsub(",", "", $3); print $3 }' \
    "$tmp/out")
[ "$net" = "$want" ] || fail "best point ($stop, $target): net $net, backtest $want"

# Another objective and a constraint nobody meets.
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4,8 --objective sharpe --min-trades 100000
expect_out "objective sharpe, at least 100000 trades"
expect_out "(fails a constraint)"

# A genetic search of the same grid: reproducible, on any thread count.
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4:12:4 --param orb.target_ticks=8,16,24 \
    --method genetic --population 6 --generations 8 --seed 4 --threads 1 \
    --csv "$tmp/ga1.csv"
grep -Eq "^tickdesk optimize: genetic, [0-9]+ generations?.*, [0-9]+ of 9 points" \
    "$tmp/out" || fail "genetic title: $(head -1 "$tmp/out")"
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4:12:4 --param orb.target_ticks=8,16,24 \
    --method genetic --population 6 --generations 8 --seed 4 --threads 2 \
    --csv "$tmp/ga2.csv"
cmp -s "$tmp/ga1.csv" "$tmp/ga2.csv" || fail "genetic: 1 and 2 threads differ"
# Each point it met has the grid's figures.
sort -t, -k2,2n "$tmp/ga1.csv" | cut -d, -f2- | grep -v '^point' >"$tmp/ga.pts"
sort -t, -k2,2n "$tmp/one.csv" | cut -d, -f2- | grep -v '^point' >"$tmp/grid.pts"
[ -s "$tmp/ga.pts" ] && [ -z "$(comm -23 "$tmp/ga.pts" "$tmp/grid.pts")" ] ||
    fail "genetic points differ from the grid's: $(comm -23 "$tmp/ga.pts" "$tmp/grid.pts")"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4 --method annealing
expect_err "--method annealing: grid or genetic"

# Refusals.
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=0:8:2
expect_err "--param orb.stop_ticks=0:8:2: 0: must be >= 1"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.nope=1
expect_err "strategy orb has no parameter 'nope'"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4 --objective money
expect_err "--objective money: net, sharpe, profit_factor, expectancy or romad"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "NQ=$tmp/es.csv" \
    --param orb.stop_ticks=4
expect_err "no instrument 'NQ'"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --param orb.stop_ticks=4
expect_err "optimize needs --data and at least one --param"
printf 'timestamp,open,high,low,close,volume\n2024-01-02 09:30:00,abc,1,1,1,1\n' >"$tmp/bad.csv"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/bad.csv" \
    --param orb.stop_ticks=4
expect_err "bad.csv:2:"
finish
