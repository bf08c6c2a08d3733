#!/bin/sh
# report.sh -- the journal and `tickdesk report`: a backtest writes a
# journal, the report of it agrees with the backtest's own to the cent
# (summary and days), ranges select days, CSV and JSON carry the same
# figures, and damaged, foreign or missing journals are refused with a
# message, never read as empty.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
cfg="$TD_CONF/tickdesk.cfg"
j="$tmp/j/journal.db"

run 0 backtest -c "$cfg" --demo-days 10 --journal "$j"
cp "$tmp/out" "$tmp/backtest"
[ -s "$j" ] || fail "backtest --journal wrote no journal"

# The same figures as the backtest, from the journal alone.
run 0 report --journal "$j"
cp "$tmp/out" "$tmp/report"
sed -n '/^trades  /,/^sharpe/p' "$tmp/backtest" >"$tmp/a"
sed -n '/^trades  /,/^sharpe/p' "$tmp/report" >"$tmp/b"
[ -s "$tmp/a" ] || fail "no summary in the backtest report"
cmp -s "$tmp/a" "$tmp/b" || {
	fail "report summary differs from the backtest's"
	diff "$tmp/a" "$tmp/b" | sed 's/^/  /' >&2
}
sed -n '/^date /,$p' "$tmp/backtest" >"$tmp/a"
sed -n '/^date /,/^$/p' "$tmp/report" | sed '/^$/d' >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "report days differ from the backtest's"
expect_out "p&l by hour and weekday of entry"
expect_out "rejected orders"
expect_out "risk events"
expect_out "times in America/New_York"

# One day: the day's row of the backtest, and only its trades.
day=$(awk '$1 ~ /^2024/ && $2 > 0 { print $1; exit }' "$tmp/backtest")
[ -n "$day" ] || fail "no day with a trade in the demo"
iso=$(echo "$day" | sed 's/\(....\)\(..\)\(..\)/\1-\2-\3/')
net=$(awk -v d="$day" '$1 == d { print $3 }' "$tmp/backtest")
run 0 report --journal "$j" --day "$iso"
expect_out "trading day $iso"
expect_out "$day        1"
grep -q "^net p&l  *$net\$" "$tmp/out" || fail "--day $iso: net is not $net"
run 0 report --journal "$j" --week "$iso" --format csv
expect_out "metric,value"
expect_out "id,symbol,strategy,side,qty,entry_time"
expect_out "bucket,key,trades,winners,net"
expect_out "time,corr,from,to,who,why"
expect_out ",orb,"
run 0 report --journal "$j" --from "$iso" --to "$iso" --format json
expect_out "\"from\": \"$day\""
expect_out "\"summary\": {\"trades\": 1,"
expect_out "\"risk_events\": []"
run 0 report --journal "$j" --day 1999-01-04
expect_out "trades                          0"

# Usage errors.
run 2 report --journal "$j" --day 2024-13-01
expect_err "not a date"
run 2 report --journal "$j" --day 2024-01-02 --week 2024-01-02
expect_err "give one of --day, --week or --from/--to"
run 2 report --journal "$j" --format xml
expect_err "use text, csv or json"
run 2 report --journal "$j" --from 2024-02-01 --to 2024-01-01
expect_err "--from is after --to"

# Refused, never read as empty.
run 1 report --journal "$tmp/none.db"
expect_err "none.db: no such journal"
: >"$tmp/empty.db"
run 1 report --journal "$tmp/empty.db"
expect_err "empty.db: truncated to 0 bytes"
expect_err "move it aside"
head -c 10000 "$j" >"$tmp/cut.db"
run 1 report --journal "$tmp/cut.db"
expect_err "cut.db: truncated"
printf 'date,open\n2024-01-02,1\n' >"$tmp/notes.db"
awk 'BEGIN { for (i = 0; i < 100; i++) print "not a journal" }' \
    >>"$tmp/notes.db"
run 1 report --journal "$tmp/notes.db"
expect_err "notes.db: not an SQLite file"
run 1 backtest -c "$cfg" --demo-days 1 --journal "$tmp/notes.db"
expect_err "notes.db: not an SQLite file"
finish
