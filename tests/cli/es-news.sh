#!/bin/sh
# es-news.sh -- SimpleORB on real ES minute bars (the first quarter of
# 2020, $TD_SHARED_DATA/es-minute) filtered on the sentiment of headlines
# written for the test (tests/data/es-news-2020q1.jsonl: 36 headlines on
# chosen days, one about the whole market).  Longs go only when the
# sentiment is at least 0 and shorts only when it is at most 0 (a day
# without news trades as before): the run says how many entries the
# filter skipped, each skipped long under a negative sentiment and each
# skipped short under a positive one, fewer trades than without the
# filter, and two runs give the same report and the same trades, byte
# for byte.  Skipped (77) when the shared data is not there.
. "${srcdir:-.}/tests/cli/lib.sh"

: "${TD_SHARED_DATA:=$srcdir/../shared/data}"
xzfile="$TD_SHARED_DATA/es-minute/ES_1min_continuous_adjusted_2020.csv.xz"
if [ ! -f "$xzfile" ]; then
	echo "SKIP: no $xzfile (set TD_SHARED_DATA)"
	exit 77
fi
news="$TD_TEST_DATA/es-news-2020q1.jsonl"
xz -dc "$xzfile" >"$tmp/es.csv" || { fail "xz -dc $xzfile"; finish; }
mkdir -p "$tmp/conf/env"
cp "$TD_CONF/tickdesk.cfg" "$tmp/conf/tickdesk.cfg"
cat >"$tmp/conf/env/news.cfg" <<'EOF2'
filters = ( { strategy = "orb"; source = "news"; name = "sentiment";
    long_min = 0.0; short_max = 0.0; missing = "trade"; } );
EOF2
span="--from 2020-01-02 --to 2020-03-31"

# shellcheck disable=SC2086 # $span is two options
run 0 backtest -c "$tmp/conf/tickdesk.cfg" --data "ES=$tmp/es.csv" $span \
    --trades "$tmp/plain.csv"
plain=$(awk '/^trades /{print $2}' "$tmp/out")

# shellcheck disable=SC2086
run 0 backtest -c "$tmp/conf/tickdesk.cfg" --env news --data "ES=$tmp/es.csv" \
    $span --news "$news" --trades "$tmp/news1.csv" -v
cp "$tmp/out" "$tmp/news1.out"
expect_out "news: 36 headlines (0 before the data, 1 about instruments not traded)"
skipped=$(sed -n 's/^filters: \([0-9]*\) entr[a-z]* skipped (orb \1)$/\1/p' \
    "$tmp/out")
[ -n "$skipped" ] && [ "$skipped" -gt 5 ] ||
    fail "filters: $(grep '^filters' "$tmp/out")"
filtered=$(awk '/^trades /{print $2}' "$tmp/out")
[ "$filtered" -lt "$plain" ] ||
    fail "with the filter $filtered trades, without it $plain"
[ "$(grep -c "entry skipped: news sentiment" "$tmp/err")" = "$skipped" ] ||
    fail "not one log line per entry skipped"
grep "long entry skipped" "$tmp/err" |
    grep -v "news sentiment -0\.[0-9]* below 0\.0000" &&
    fail "a long skipped without a negative sentiment"
grep "short entry skipped" "$tmp/err" |
    grep -v "news sentiment 0\.[0-9]* above 0\.0000" &&
    fail "a short skipped without a positive sentiment"
# The plunge of 24 February skips that day's long breakout.
grep -q "^2020-02-24 .* long entry skipped: news sentiment -0\." "$tmp/err" ||
    fail "the long of 2020-02-24 was not skipped"
echo "es-news: $plain trades without the filter, $filtered with it," \
    "$skipped entries skipped"

# Two runs, the same bytes.
# shellcheck disable=SC2086
run 0 backtest -c "$tmp/conf/tickdesk.cfg" --env news --data "ES=$tmp/es.csv" \
    $span --news "$news" --trades "$tmp/news2.csv"
cmp -s "$tmp/news1.out" "$tmp/out" || fail "two runs: the reports differ"
cmp -s "$tmp/news1.csv" "$tmp/news2.csv" || fail "two runs: the trades differ"
finish
