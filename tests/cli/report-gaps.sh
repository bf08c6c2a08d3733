#!/bin/sh
# report-gaps.sh -- data with gaps of days, as NinjaTrader 8 exports often
# have: the backtest warns with the days it has no data for and leaves them
# out of the day table and the Sharpe ratio (a zero day nobody could trade
# is no day); day bars under intraday strategies warn that no trade can
# happen.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
cfg="$TD_CONF/tickdesk.cfg"

# minutes DAY: NinjaTrader 8 minute bars (UTC, bar-end stamps) of one
# regular session in January (14:31 to 21:00 UTC), flat at 4800.
minutes() {
	awk -v d="$1" 'BEGIN {
		for (m = 14 * 60 + 31; m <= 21 * 60; m++)
			printf "%s %02d%02d00;4800;4800.25;4799.75;4800;10\r\n",
			    d, m / 60, m % 60
	}'
}
{ minutes 20240102; minutes 20240110; minutes 20240111; } >"$tmp/gap.txt"
run 0 backtest -c "$cfg" --data "ES=$tmp/gap.txt"
expect_err "warning: no market data on 5 session days, left out of the day table and the Sharpe ratio: 2024-01-03 to 2024-01-09 (5 days)"
grep -q '^days  *3$' "$tmp/out" || fail "days: $(grep '^days ' "$tmp/out")"
grep -q '^2024-01-0[3-9] ' "$tmp/out" && fail "a day without data is a row"
grep -q '^2024-01-10      0 ' "$tmp/out" || fail "2024-01-10 is no row"

# Without a gap, no warning.
{ minutes 20240102; minutes 20240103; } >"$tmp/nogap.txt"
run 0 backtest -c "$cfg" --data "ES=$tmp/nogap.txt"
grep -q "no market data" "$tmp/err" && fail "a warning without a gap"
grep -q '^days  *2$' "$tmp/out" || fail "days: $(grep '^days ' "$tmp/out")"

# Day bars: the strategies (ORB) trade within the session.
printf '20240102;4800;4810;4790;4805;1000\r\n20240103;4805;4815;4795;4800;900\r\n' \
    >"$tmp/day.txt"
run 0 backtest -c "$cfg" --data "ES=$tmp/day.txt"
expect_err "warning: ES: the data are day bars (one bar a day) and the strategies are intraday"
expect_err "no trade can happen"
grep -q '^trades  *0$' "$tmp/out" || fail "trades on day bars"
# Minute bars say nothing of the kind.
run 0 backtest -c "$cfg" --data "ES=$tmp/nogap.txt"
grep -q "day bars" "$tmp/err" && fail "minute bars called day bars"

# The real NinjaTrader 8 export of ESZ13 minute bars: 18 days of data
# between 2013-10-07 and 2013-12-20, in five runs.
nt="${TD_SHARED_DATA:-}/ninjatrader-format/minute/ES 12-13.Last.txt"
if [ -f "$nt" ]; then
	run 0 backtest -c "$cfg" --data "ES=$nt"
	expect_err "no market data on 36 session days"
	expect_err "2013-10-16 to 2013-10-28 (9 days), 2013-11-01 to 2013-11-15 (11 days)"
	grep -q '^days  *18$' "$tmp/out" ||
	    fail "ESZ13: $(grep '^days ' "$tmp/out"), not 18"
	[ "$(grep -c '^2013-1[0-2]-[0-9][0-9] ' "$tmp/out")" -eq 18 ] ||
	    fail "ESZ13: the day table has not 18 rows"
fi
finish
