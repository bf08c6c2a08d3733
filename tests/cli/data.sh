#!/bin/sh
# data.sh -- `tickdesk data import` and the bar cache in a backtest: the
# same report and trades from the cache as from the text, the cache used
# only while it stands for its source, and damaged caches refused; rows
# with a price at or below zero refused unless the instrument allows them.
. "${srcdir:-.}/tests/cli/lib.sh"

conf="$TD_CONF/tickdesk.cfg"

# body FILE: the report without its first lines (source and data counts).
body() {
	sed '1,/^$/d' "$1"
}

run 0 generate --seed 3 --days 30 -o "$tmp/es.csv"

# 1. Without a cache the text is read; the data line says nothing more.
run 0 backtest -c "$conf" --data "ES=$tmp/es.csv" --trades "$tmp/t-csv.csv"
cp "$tmp/out" "$tmp/r-csv"
grep -q "bar cache" "$tmp/r-csv" && fail "no cache yet, but the report says so"

# 2. Import: ES.csv.tdc next to the file; the backtest reads it, says so,
# and trades exactly as from the text.
run 0 data import -c "$conf" "ES=$tmp/es.csv"
expect_out "$tmp/es.csv.tdc: 11700 bars"
[ -f "$tmp/es.csv.tdc" ] || fail "import: no $tmp/es.csv.tdc"
run 0 backtest -c "$conf" --data "ES=$tmp/es.csv" --trades "$tmp/t-tdc.csv"
cp "$tmp/out" "$tmp/r-tdc"
expect_out "data: 11700 rows, 11700 events, 0 skipped out of order, read from the bar cache"
cmp -s "$tmp/t-csv.csv" "$tmp/t-tdc.csv" || fail "cache: other trades"
body "$tmp/r-csv" >"$tmp/b-csv"
body "$tmp/r-tdc" >"$tmp/b-tdc"
cmp -s "$tmp/b-csv" "$tmp/b-tdc" || fail "cache: another report"
grep -q '^trades  *[1-9]' "$tmp/r-tdc" || fail "cache: no trades"

# The cache named directly, and -o for several files in one cache.
run 0 backtest -c "$conf" --data "ES=$tmp/es.csv.tdc" --trades "$tmp/t-n.csv"
expect_out "read from the bar cache"
cmp -s "$tmp/t-csv.csv" "$tmp/t-n.csv" || fail "named cache: other trades"
run 0 generate --seed 3 --days 10 --start 2024-02-13 -o "$tmp/es2.csv"
run 0 data import -c "$conf" "$tmp/es.csv" "$tmp/es2.csv" -o "$tmp/both.tdc"
expect_out "15600 bars"
run 0 backtest -c "$conf" --data "$tmp/both.tdc"
expect_out "data: 15600 rows"

# 3. Other options than the import's: the text, with a word why.
run 0 backtest -c "$conf" --data "ES=$tmp/es.csv" --tz America/Chicago
expect_err "made with other reader options: reading the text"
grep -q "bar cache" "$tmp/out" && fail "--tz: the cache was used"

# 4. The source changed after the import: the text, and the cache is older.
sleep 1
echo "2024-02-13 09:30:00,5000.00,5000.00,5000.00,5000.00,1" >>"$tmp/es.csv"
run 0 backtest -c "$conf" --data "ES=$tmp/es.csv"
expect_err "older than"
expect_out "data: 11701 rows"

# 5. Damage: a named cache cut short or flipped is refused (exit 2).
run 0 data import -c "$conf" "$tmp/es.csv" -o "$tmp/cut.tdc"
size=$(wc -c <"$tmp/cut.tdc")
head -c $((size - 30)) "$tmp/cut.tdc" >"$tmp/cut2.tdc"
run 2 backtest -c "$conf" --data "$tmp/cut2.tdc"
expect_err "cut short"
cp "$tmp/cut.tdc" "$tmp/flip.tdc"
printf 'Z' | dd of="$tmp/flip.tdc" bs=1 seek=$((size - 3)) conv=notrunc \
    2>/dev/null
run 2 backtest -c "$conf" --data "$tmp/flip.tdc"
expect_err "checksum mismatch"
# A bar damaged in the middle: refused when the replay reaches its block.
cp "$tmp/cut.tdc" "$tmp/flip2.tdc"
printf 'Z' | dd of="$tmp/flip2.tdc" bs=1 seek=$((256 + 56 * 5000 + 9)) \
    conv=notrunc 2>/dev/null
run 2 backtest -c "$conf" --data "$tmp/flip2.tdc"
expect_err "bars 4097-5120: checksum mismatch"

# 6. Bad use: ticks are not cached, a missing file is named.
run 0 generate --seed 3 --days 1 --ticks -o "$tmp/ticks.txt"
run 2 data import -c "$conf" "$tmp/ticks.txt"
expect_err "tick data cannot be cached"
run 2 data import -c "$conf" "$tmp/none.csv"
expect_err "none.csv"
run 2 data import -c "$conf"
expect_err "usage: tickdesk data"
run 2 data export "$tmp/es.csv"
expect_err "unknown action"
# 7. A price at or below zero is a hole in the data: the file and line are
# named, nothing is imported or traded.  Only an instrument configured
# with negative_prices reads such rows.
awk -F, -v OFS=, 'NR == 200 { $2 = $3 = $4 = $5 = "0.00" } { print }' \
    "$tmp/es.csv" >"$tmp/zero.csv"
awk -F, -v OFS=, 'NR == 3 { $4 = "-0.25" } { print }' \
    "$tmp/es.csv" >"$tmp/neg.csv"
run 2 data import -c "$conf" "ES=$tmp/zero.csv"
expect_err "$tmp/zero.csv:200: open price 0.00 is not above zero"
[ -f "$tmp/zero.csv.tdc" ] && fail "zero price: a cache was written"
run 2 backtest -c "$conf" --data "ES=$tmp/zero.csv"
expect_err "$tmp/zero.csv:200: open price 0.00 is not above zero"
run 2 backtest -c "$conf" --data "ES=$tmp/neg.csv"
expect_err "$tmp/neg.csv:3: low price -0.25 is not above zero"
# The first "ES" is the instrument's; the strategies name it later.
awk '!done && /symbol = "ES";/ { print; print "negative_prices = true;";
    done = 1; next } { print }' "$conf" >"$tmp/neg.cfg"
grep -q 'negative_prices = true' "$tmp/neg.cfg" || fail "neg.cfg: no key"
run 0 backtest -c "$tmp/neg.cfg" --data "ES=$tmp/neg.csv"
expect_out "data: 11701 rows"
run 0 data import -c "$tmp/neg.cfg" "ES=$tmp/zero.csv" -o "$tmp/zero.tdc"
expect_out "11701 bars"
finish
