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

run 0 backtest -c "$cfg" --demo-days 10 --journal "$j" --trades "$tmp/t.csv"
cp "$tmp/out" "$tmp/backtest"
[ -s "$j" ] || fail "backtest --journal wrote no journal"
# The trades CSV names the strategy in its owner column, not its index.
sed -n 2p "$tmp/t.csv" | grep -q '^1,ES,orb,long,' ||
    fail "trades CSV owner: $(sed -n 2p "$tmp/t.csv")"

# The same figures as the backtest, from the journal alone (the backtest
# gives its drawdown in UTC, the report in its own zone: see below).
run 0 report --journal "$j"
cp "$tmp/out" "$tmp/report"
sed -n '/^trades  /,/^sharpe/p' "$tmp/backtest" | grep -v '^max drawdown' \
    >"$tmp/a"
sed -n '/^trades  /,/^sharpe/p' "$tmp/report" | grep -v '^max drawdown' \
    >"$tmp/b"
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

# Findings of issue 13.  The header's zone is the zone of every time: the
# drawdown of the demo runs from 15:14:00Z to 17:38:11Z, 10:14:00 to
# 12:38:11 in New York (January: UTC-5), without a "Z".
grep -q '^max drawdown .*(2024-01-02 10:14:00 -> 2024-01-10 12:38:11)$' \
    "$tmp/report" || fail "drawdown not in New York time: $(grep \
    '^max drawdown' "$tmp/report")"
grep -q '^max drawdown .*15:14:00Z -> ' "$tmp/backtest" ||
    fail "backtest drawdown not in UTC: $(grep '^max drawdown' \
    "$tmp/backtest")"
# Days are ISO dates; the p&l lines are gross before commissions and net
# after, and each pair adds up to its total.
grep -q '^2024-01-02      1  ' "$tmp/report" || fail "day table not ISO"
grep -q '^20240102' "$tmp/report" && fail "a yyyymmdd day in the report"
for k in "gross profit" "gross loss" "net profit" "net loss"; do
	grep -q "^$k  *-\{0,1\}[0-9]" "$tmp/report" || fail "no '$k' line"
done
cents() { tr -d ',.' | sed 's/^-0*/-/; s/^0*//; s/^-$/0/; s/^$/0/'; }
fig() { sed -n "s/^$1  *\([-0-9,.]*\).*/\1/p" "$tmp/report" | cents; }
[ $(($(fig 'gross profit') + $(fig 'gross loss'))) -eq "$(fig 'gross p&l')" ] ||
    fail "gross profit + gross loss is not gross p&l"
[ $(($(fig 'net profit') + $(fig 'net loss'))) -eq "$(fig 'net p&l')" ] ||
    fail "net profit + net loss is not net p&l"
[ "$(fig 'gross profit')" -ne "$(fig 'net profit')" ] ||
    fail "gross profit equals net profit: commissions not counted apart"

# One day: the day's row of the backtest, and only its trades.
day=$(awk '$1 ~ /^2024-/ && $2 > 0 { print $1; exit }' "$tmp/backtest")
[ -n "$day" ] || fail "no day with a trade in the demo"
iso=$day
net=$(awk -v d="$day" '$1 == d { print $3 }' "$tmp/backtest")
run 0 report --journal "$j" --day "$iso"
expect_out "trading day $iso"
expect_out "$day      1"
grep -q "^net p&l  *$net\$" "$tmp/out" || fail "--day $iso: net is not $net"
run 0 report --journal "$j" --week "$iso" --format csv
expect_out "metric,value"
expect_out "id,symbol,strategy,side,qty,entry_time"
expect_out "bucket,key,trades,winners,net"
expect_out "time,corr,from,to,who,why"
expect_out ",orb,"
run 0 report --journal "$j" --from "$iso" --to "$iso" --format json
expect_out "\"from\": \"$iso\", \"to\": \"$iso\""
expect_out "\"days\": [{\"day\": \"$iso\""
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
expect_err "use text, csv, json or html"
run 2 report --journal "$j" --from 2024-02-01 --to 2024-01-01
expect_err "--from is after --to"

# Read with sqlite3 the journal shows a bracket as a trader writes it, and
# the report shows a refused stop-limit (added to a copy, as a broker's
# refusal would be journaled) as stplmt in its own column.
if command -v sqlite3 >/dev/null 2>&1; then
	cp "$j" "$tmp/sl.db"
	b=$(sqlite3 "$tmp/sl.db" "SELECT bracket FROM orders WHERE
	    role = 'entry' AND event = 'created' LIMIT 1")
	echo "$b" | grep -q '^stop [1-9][0-9]*; targets [1-9][0-9]*$' ||
	    fail "an ORB entry's bracket reads '$b'"
	sqlite3 "$tmp/sl.db" "INSERT INTO orders (seq, session, time, day,
	    corr, event, order_id, symbol, inst, side, type, role, state,
	    prev_state, qty, filled, price, owner, owner_name, parent, oco,
	    stop_ticks, target_ticks, reason, created, updated, bracket,
	    limit_price, tif) SELECT seq + 1000000, session, time, day, corr,
	    'rejected', 999999, symbol, inst, 'buy', 'stplmt', 'entry',
	    'rejected', 'new', 2, 0, 20004, -1, 'manual', 0, 0, 8, 8,
	    'no stop-limits here', created, updated,
	    'stop 8; targets 8x1 16x1; trail 10/2/6', 20006, 'day'
	    FROM orders WHERE event = 'created' LIMIT 1" ||
	    fail "sqlite3 could not add a rejected stop-limit"
	run 0 report --journal "$tmp/sl.db"
	grep -q ' 999999 ES  *manual  *buy  *2 stplmt  *5001\.00 no stop-limits here$' \
	    "$tmp/out" || fail "the report does not show the stop-limit"
	# In its columns: the reason starts under its heading.
	awk '/^time  *order symbol/ { h = index($0, " reason") }
	    / 999999 / { r = index($0, " no stop-limits") }
	    END { exit !(h > 0 && h == r) }' "$tmp/out" ||
	    fail "the stop-limit's row is out of its columns"
	run 0 report --journal "$tmp/sl.db" --format csv
	expect_out ",999999,ES,manual,buy,2,stplmt,5001.00,no stop-limits here"
	run 0 report --journal "$tmp/sl.db" --format json
	expect_out "\"qty\": 2, \"type\": \"stplmt\", \"price\": 5001.00,"
	# A bracket edited by hand is refused, with the row, never guessed.
	sqlite3 "$tmp/sl.db" "UPDATE orders SET bracket = 'stop 8,targets 8'
	    WHERE order_id = 999999" ||
	    fail "sqlite3 could not edit the bracket"
	run 1 report --journal "$tmp/sl.db"
	expect_err "sl.db: orders row "
	expect_err ": bracket \"stop 8,targets 8\": stop: \"8,targets 8\" is not a"
fi

# Refused, never read as empty.
run 1 report --journal "$tmp/none.db"
expect_err "none.db: no such journal"
: >"$tmp/empty.db"
run 1 report --journal "$tmp/empty.db"
expect_err "empty.db: truncated to 0 bytes: not a journal tickdesk can read"
# A report starts nothing: no advice to move the file and start anew.
grep -q "move it aside\|new journal" "$tmp/err" &&
    fail "report advises a new journal: $(cat "$tmp/err")"
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
