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

# Walk-forward: a month in sample, a month out, over the three months.
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4:12:4 --param orb.target_ticks=8,16,24 \
    --walk-forward 1:1 --csv "$tmp/wf.csv"
expect_out "walk-forward, rolling, 1 months in sample, 1 out, 2 windows, grid of 9 points"
expect_out "     1  2024-01-01..2024-01-31  2024-02-01..2024-02-29"
expect_out "     2  2024-02-01..2024-02-29  2024-03-01..2024-03-31"
expect_out "walk-forward efficiency"
expect_out "parameter stability: stop_ticks "
[ "$(wc -l <"$tmp/wf.csv")" = 3 ] || fail "walk-forward CSV: not 2 windows"
oos=$(awk -F, 'NR > 1 { s += $10 * 100 } END { printf "%.2f", s / 100 }' \
    "$tmp/wf.csv")
grep -q "out of sample: .* net $oos " "$tmp/out" ||
    fail "the windows' OOS nets do not add up to the total $oos"
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4:12:4 --walk-forward 1:1 --anchored
expect_out "     2  2024-01-01..2024-02-29  2024-03-01..2024-03-31"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4 --walk-forward 12
expect_err "--walk-forward 12: IN:OUT, months in and out of sample"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4 --anchored
expect_err "--anchored needs --walk-forward"
run 1 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4 --walk-forward 6:1
expect_err "no in-sample span of 6 months"

# A stored run stopped by Ctrl-C and resumed ends as a run straight
# through.  (When the signal comes after the last point, the run is
# whole and the resumption finds every point done: the end is the same.)
big="--param orb.stop_ticks=2:80:2 --param orb.target_ticks=4:120:4"
# shellcheck disable=SC2086 # the two options, split on purpose
"$TICKDESK" optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    $big --store "$tmp/r.db" --csv "$tmp/stopped.csv" >"$tmp/out" \
    2>"$tmp/err" &
pid=$!
sleep 1
kill -INT "$pid" 2>/dev/null
wait "$pid"
got=$?
case $got in
0) ;;
1) expect_err "(--resume goes on)" ;;
*) fail "optimize stopped by SIGINT: exit $got" ;;
esac
expect_out "points, run 1, objective net"
# shellcheck disable=SC2086
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    $big --store "$tmp/r.db" --resume 1 --csv "$tmp/resumed.csv"
expect_out "grid, 1200 of 1200 points, run 1 resumed"
# shellcheck disable=SC2086
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    $big --csv "$tmp/straight.csv"
cmp -s "$tmp/resumed.csv" "$tmp/straight.csv" ||
    fail "the resumed run differs from one straight through"
# shellcheck disable=SC2086
run 1 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=2:80:2 --store "$tmp/r.db" --resume 1
expect_err "--resume 1: $tmp/r.db: run 1 searched other parameters"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4 --resume 1
expect_err "--store keeps a grid or genetic run, and --resume goes on with one"

# A genetic search too: each generation is stored as it is done; stopped
# and resumed (the stored points taken back, not backtested again), it
# ends as a search straight through.  A resumption with other settings of
# the search is refused.
ga="$big --method genetic --population 30 --generations 12 --seed 9"
# shellcheck disable=SC2086
"$TICKDESK" optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    $ga --store "$tmp/ga.db" >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 1
kill -INT "$pid" 2>/dev/null
wait "$pid"
got=$?
case $got in
0) ;;
1) expect_err "(--resume goes on)" ;;
*) fail "genetic optimize stopped by SIGINT: exit $got" ;;
esac
expect_out "points, run 1, objective net"
# shellcheck disable=SC2086
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    $ga --store "$tmp/ga.db" --resume 1 --csv "$tmp/ga-resumed.csv"
expect_out "points, run 1 resumed, objective net"
# shellcheck disable=SC2086
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    $ga --csv "$tmp/ga-straight.csv"
cmp -s "$tmp/ga-resumed.csv" "$tmp/ga-straight.csv" ||
    fail "the resumed genetic search differs from one straight through"
run 0 report --results "$tmp/ga.db"
grep -Eq "^ +1  .* genetic +net +$(($(wc -l <"$tmp/ga-straight.csv") - 1))/1200 " \
    "$tmp/out" || fail "the genetic run's table is not its CSV's points:" \
    "$(cat "$tmp/out")"
# shellcheck disable=SC2086
run 1 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    $ga --seed 10 --store "$tmp/ga.db" --resume 1
expect_err "--resume 1: $tmp/ga.db: run 1 searched with other settings"

# The stored runs in report: the list, and a run's best as optimize
# ranked them (its CSV's first rows).
run 0 report --results "$tmp/r.db"
expect_out "   1  "
grep -Eq "^ +1  .* grid +net +1200/1200 +orb.stop_ticks=2:80:2 orb.target_ticks=4:120:4$" \
    "$tmp/out" || fail "report --results: $(cat "$tmp/out")"
run 0 report --results "$tmp/r.db" --run 1 --top 3
expect_out "run 1, best first"
[ "$(grep -c '^ *[0-9]\+ \+[0-9]\+ ' "$tmp/out")" = 3 ] ||
    fail "report --top 3: $(cat "$tmp/out")"
for k in 1 2 3; do
	want=$(sed -n "$((k + 1))p" "$tmp/resumed.csv" | cut -d, -f2,3,4)
	got=$(awk -v k="$k" '$1 == k { print $2 "," $3 "," $4 }' "$tmp/out")
	[ "$got" = "$want" ] || fail "report rank $k: '$got', optimize '$want'"
done
run 2 report --results "$tmp/r.db" --run 9
expect_err "no run 9"
run 2 report --results "$tmp/none.db"
expect_err "none.db: No such file or directory"
run 2 report --run 1
expect_err "--run and --top go with --results"

# Charts: the grid's heat map, the walk-forward windows; none for one
# parameter.
svg_ok() {
	[ -s "$1" ] && head -c 4 "$1" | grep -q '^<svg' &&
	    tail -n 1 "$1" | grep -q '</svg>' && grep -q "$2" "$1" ||
	    fail "$1: not an SVG file with '$2'"
	! command -v xmllint >/dev/null 2>&1 || xmllint --noout "$1" ||
	    fail "$1: not well formed"
}
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4:12:4 --param orb.target_ticks=8,16,24 \
    --svg "$tmp/svg"
svg_ok "$tmp/svg/optimize-heat.svg" "net by orb.stop_ticks and orb.target_ticks"
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4:12:4 --walk-forward 1:1 --svg "$tmp/svg1"
svg_ok "$tmp/svg1/walk-forward.svg" "walk-forward: out-of-sample net"
[ -e "$tmp/svg1/optimize-heat.svg" ] && fail "a heat map of one parameter"
: >"$tmp/file"
run 1 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" \
    --param orb.stop_ticks=4:12:4 --param orb.target_ticks=8,16 \
    --svg "$tmp/file"
expect_err "--svg $tmp/file: not a directory"

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
expect_err "optimize needs --data"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv"
expect_err "optimize needs parameters: --param, or optimize.params"

# The optimize group of the configuration gives what the options leave out.
cp "$TD_CONF/tickdesk.cfg" "$tmp/opt.cfg"
cat >>"$tmp/opt.cfg" <<'EOF'
optimize = { params = "orb.stop_ticks=4:12:4 orb.target_ticks=8,16,24";
    objective = "romad"; min_trades = 10; };
EOF
run 0 optimize -c "$tmp/opt.cfg" --data "ES=$tmp/es.csv" --csv "$tmp/conf.csv"
expect_out "grid, 9 of 9 points, objective romad, at least 10 trades"
run 0 optimize -c "$tmp/opt.cfg" --data "ES=$tmp/es.csv" --objective net \
    --min-trades 1 --param orb.stop_ticks=4:12:4 \
    --param orb.target_ticks=8,16,24 --csv "$tmp/cli.csv"
cmp -s "$tmp/cli.csv" "$tmp/one.csv" || fail "options do not override the group"
cp "$TD_CONF/tickdesk.cfg" "$tmp/badopt.cfg"
printf 'optimize = { params = "orb.stop_ticks=0:4:2"; };\n' >>"$tmp/badopt.cfg"
run 2 config check -c "$tmp/badopt.cfg"
expect_err "optimize.params: orb.stop_ticks=0:4:2: 0: must be >= 1"
printf 'timestamp,open,high,low,close,volume\n2024-01-02 09:30:00,abc,1,1,1,1\n' >"$tmp/bad.csv"
run 2 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/bad.csv" \
    --param orb.stop_ticks=4
expect_err "bad.csv:2:"
finish
