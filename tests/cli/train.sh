#!/bin/sh
# train.sh -- `tickdesk train` on generated bars, and its models in a
# backtest: the walk-forward's files and report, one model judged after
# its window, the ml strategy trading a model deterministically (two runs,
# the same bytes), a model file that does not load disabling the
# strategies that hear it and no other, a stale model going quiet, and
# bad options refused.
. "${srcdir:-.}/tests/cli/lib.sh"

conf="$TD_CONF/tickdesk.cfg"

# Four months of generated 1-minute bars (January to April 2024).
run 0 generate --days 85 --seed 3 --start 2024-01-02 -o "$tmp/bars.csv"

# 1. Walk-forward: 2 months in, 1 out, rolling: two windows.
run 0 train -c "$conf" --data "ES=$tmp/bars.csv" --kind logistic \
    --horizon 10 --cost 2 --walk-forward 2:1 -o "$tmp/wf"
expect_out "walk-forward: logistic, 2 months in sample, 1 out, horizon 10"
expect_out "20240101 20240301 20240301 20240401"
expect_out "20240201 20240401 20240401 20240501"
expect_out "out of sample: "
expect_out "calibration (out of sample)"
[ -f "$tmp/wf/model-20240301.model" ] && [ -f "$tmp/wf/model-20240401.model" ] ||
    fail "walk-forward: a window's model file is missing"
n=$(sed -n 's/^out of sample: \([0-9]*\) examples.*/\1/p' "$tmp/out")
[ "$(($(wc -l <"$tmp/wf/oos.csv") - 1))" = "$n" ] ||
    fail "oos.csv does not hold the $n out-of-sample predictions"
head -1 "$tmp/wf/model-20240301.model" | grep -qx 'tickdesk-model 1' ||
    fail "a model file does not start with its format and version"
grep -q '^features ret_1,ret_5,ret_15,ret_60,' "$tmp/wf/model-20240301.model" ||
    fail "a model file does not list its features"

# 2. One model over January-February, judged on March-April, each kind.
for kind in logistic svm xgboost; do
	run 0 train -c "$conf" --data "ES=$tmp/bars.csv" --kind $kind \
	    --to 2024-02-29 -o "$tmp/$kind.model"
	expect_out "model: $kind, "
	expect_out "written to $tmp/$kind.model"
	expect_out "out of sample: "
done

# 3. The ml strategy on the model, beside SimpleORB.
mkdir -p "$tmp/conf/env"
cp "$conf" "$tmp/conf/tickdesk.cfg"
env_with() {	# MODEL-FILE MAX-AGE
	cat >"$tmp/conf/env/ml.cfg" <<CFG
models = ( { name = "es"; file = "$1"; symbol = "ES"; max_age = $2; } );
strategies = (
	{ name = "orb"; type = "orb"; symbol = "ES"; },
	{ name = "ml"; type = "ml"; symbol = "ES";
	  params = { model = "es"; p_long = 0.51; p_short = 0.49; }; }
);
CFG
}
env_with "$tmp/logistic.model" 0
run 0 backtest -c "$tmp/conf/tickdesk.cfg" --env ml --data "ES=$tmp/bars.csv" \
    --from 2024-03-01 --trades "$tmp/ml1.csv"
cp "$tmp/out" "$tmp/ml1.out"
# owner: the strategy's index, orb 0 and ml 1
traded() {	# OWNER FILE
	awk -F, -v o="$1" 'NR > 1 && $3 == o { n++ } END { exit !n }' "$2"
}
traded 1 "$tmp/ml1.csv" || fail "the ml strategy did not trade"
traded 0 "$tmp/ml1.csv" || fail "SimpleORB did not trade"
run 0 backtest -c "$tmp/conf/tickdesk.cfg" --env ml --data "ES=$tmp/bars.csv" \
    --from 2024-03-01 --trades "$tmp/ml2.csv"
cmp -s "$tmp/ml1.out" "$tmp/out" && cmp -s "$tmp/ml1.csv" "$tmp/ml2.csv" ||
    fail "two runs with a model, different results"

# 4. A model file that does not load: ml is disabled, orb trades on.
env_with "$tmp/none.model" 0
run 0 backtest -c "$tmp/conf/tickdesk.cfg" --env ml --data "ES=$tmp/bars.csv" \
    --from 2024-03-01 --trades "$tmp/broken.csv"
grep -q "model:es  *model not loaded, it gives nothing: $tmp/none.model: no such file or directory" "$tmp/err" ||
    fail "no error line for the model that did not load"
expect_err "model failed, strategy disabled: model:es did not load"
traded 1 "$tmp/broken.csv" && fail "ml traded without its model"
traded 0 "$tmp/broken.csv" || fail "orb stopped with ml's model"
sed 's/^kind logistic$/kind logistik/' "$tmp/logistic.model" >"$tmp/bad.model"
env_with "$tmp/bad.model" 0
run 0 backtest -c "$tmp/conf/tickdesk.cfg" --env ml --data "ES=$tmp/bars.csv" \
    --from 2024-03-01
expect_err "$tmp/bad.model: corrupt: its sum does not match its contents"

# 5. Stale: trained to February, 10 days allowed, run in April.
env_with "$tmp/logistic.model" 10
run 0 backtest -c "$tmp/conf/tickdesk.cfg" --env ml --data "ES=$tmp/bars.csv" \
    --from 2024-04-01 --trades "$tmp/stale.csv"
grep -q "model:es  *model trained on data up to 2024-02-2[0-9] is [0-9]* days old, above its max_age of 10 days: model disabled" "$tmp/err" ||
    fail "no warning for the stale model"
traded 1 "$tmp/stale.csv" && fail "ml traded on a stale model"

# 6. Refusals.
run 2 train -c "$conf" --data "ES=$tmp/bars.csv" --kind forest -o "$tmp/x"
expect_err "unknown model kind 'forest' (logistic, svm or xgboost)"
run 2 train -c "$conf" --data "ES=$tmp/bars.csv" --walk-forward 2 -o "$tmp/x"
expect_err "--walk-forward '2': IS:OOS, whole months from 1 to 240"
run 2 train -c "$conf" --data "ES=$tmp/bars.csv"
expect_err "train needs --data and -o"
printf 'models = ( { name = "es"; file = "m"; symbol = "NQ"; } );\n' \
    >"$tmp/conf/env/ml.cfg"
run 2 config check -c "$tmp/conf/tickdesk.cfg" --env ml
expect_err "models[0].symbol: no instrument 'NQ' in trading.instruments"
finish
