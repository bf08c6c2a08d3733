#!/bin/sh
# optimize-mpi.sh -- `mpirun -np 2 tickdesk optimize` on one machine: the
# two processes share the grid, or a genetic search's generations, and rank
# 0 reports the same points, figures and files as one process does; what
# cannot be shared is refused.
# Skipped (77) when tickdesk was built without --with-mpi.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
[ -n "${TD_MPIRUN:-}" ] || { echo "built without MPI: skipped"; exit 77; }

# Open MPI refuses root unless told, and one core may host both ranks.
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM \
    OMPI_MCA_rmaps_base_oversubscribe

grid="--param orb.stop_ticks=2:40:2 --param orb.target_ticks=4:40:4"
run 0 generate --days 60 --seed 3 -o "$tmp/es.csv"
# shellcheck disable=SC2086 # the options, split on purpose
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" $grid \
    --csv "$tmp/one.csv" --json "$tmp/one.json"
cp "$tmp/out" "$tmp/one.out"

# shellcheck disable=SC2086
timeout 300 "$TD_MPIRUN" -np 2 "$TICKDESK" optimize -c "$TD_CONF/tickdesk.cfg" \
    --data "ES=$tmp/es.csv" $grid --csv "$tmp/two.csv" \
    --json "$tmp/two.json" >"$tmp/two.out" 2>"$tmp/two.err" ||
    fail "mpirun -np 2: exit $?: $(cat "$tmp/two.err")"
grep -q "grid, 200 of 200 points" "$tmp/two.out" ||
    fail "mpirun: $(head -1 "$tmp/two.out")"
cmp -s "$tmp/one.out" "$tmp/two.out" || fail "the reports differ"
cmp -s "$tmp/one.csv" "$tmp/two.csv" || fail "the CSV files differ"
cmp -s "$tmp/one.json" "$tmp/two.json" || fail "the JSON files differ"

# A genetic search: every process breeds the same generations and shares
# their backtests; the same search, report and files as one process.
ga="--method genetic --population 12 --generations 6 --seed 5"
# shellcheck disable=SC2086
run 0 optimize -c "$TD_CONF/tickdesk.cfg" --data "ES=$tmp/es.csv" $grid $ga \
    --csv "$tmp/ga-one.csv"
cp "$tmp/out" "$tmp/ga-one.out"
# shellcheck disable=SC2086
timeout 300 "$TD_MPIRUN" -np 2 "$TICKDESK" optimize -c "$TD_CONF/tickdesk.cfg" \
    --data "ES=$tmp/es.csv" $grid $ga --csv "$tmp/ga-two.csv" \
    >"$tmp/ga-two.out" 2>"$tmp/err" ||
    fail "mpirun -np 2 genetic: exit $?: $(cat "$tmp/err")"
grep -q "^tickdesk optimize: genetic, " "$tmp/ga-two.out" ||
    fail "mpirun genetic: $(head -1 "$tmp/ga-two.out")"
cmp -s "$tmp/ga-one.out" "$tmp/ga-two.out" || fail "the genetic reports differ"
cmp -s "$tmp/ga-one.csv" "$tmp/ga-two.csv" || fail "the genetic CSV files differ"

# shellcheck disable=SC2086
timeout 300 "$TD_MPIRUN" -np 2 "$TICKDESK" optimize -c "$TD_CONF/tickdesk.cfg" \
    --data "ES=$tmp/es.csv" $grid --walk-forward 1:1 >"$tmp/out" \
    2>"$tmp/err" && fail "mpirun: a walk-forward was not refused"
expect_err "under mpirun, optimize shares a grid or a genetic search"
finish
