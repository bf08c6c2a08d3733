#!/bin/sh
# es-data.sh -- SimpleORB on real ES minute bars, trade by trade against an
# independent reference worked out by hand (tests/cli/orb-reference.awk).
#
# The data is the shared FirstRate Data ES series ($TD_SHARED_DATA/es-minute,
# see its README): 1-minute bars, New York time, stamps at the bar start.
# Skipped (77) when it is not there.  Each year is checked from its own
# file; TD_ES_YEARS="2020 2022" picks some (default: every year there).
#
# Calendar.  The engine trades only the session days of its configuration:
# the holidays listed in conf/tickdesk.cfg have no session, and a listed
# early close ends the session (and moves the flatten time) early.  The
# reference is given the same two lists, parsed from the same file below,
# rather than the test dropping those days: so a day the configuration gets
# wrong shows up as a difference in both or neither, and a listed day is
# still checked.  Days the configuration does not list (the data's own
# holiday sessions, which stop at 12:59) are ordinary sessions to both
# sides: the data simply ends early, and a position still open is closed
# at the next bar's open (18:00), by both.
. "${srcdir:-.}/tests/cli/lib.sh"

: "${TD_SHARED_DATA:=$srcdir/../shared/data}"
es="$TD_SHARED_DATA/es-minute"
if [ ! -d "$es" ]; then
	echo "SKIP: no ES minute data in $es (set TD_SHARED_DATA)"
	exit 77
fi
# All the years by default: about 0.8 s a year here, 13 s in all.
all=$(ls "$es" |
    sed -n 's/^ES_1min_continuous_adjusted_\([0-9]*\)\.csv\.xz$/\1/p')
years=${TD_ES_YEARS:-$all}
conf="$TD_CONF/tickdesk.cfg"
ref="$srcdir/tests/cli/orb-reference.awk"

# conf_list KEY: the strings of the list KEY = [ "...", ... ] in the
# configuration, one a line (comments removed first).
conf_list() {
	sed -e 's|//.*||' -e 's|#.*||' "$conf" | tr '\n\t' '  ' |
	    sed -n "s/.*[^a-z_.]$1[ ]*[=:][ ]*\[\([^]]*\)\].*/\1/p" |
	    tr ',' '\n' | sed -n 's/^[^"]*"\([^"]*\)".*$/\1/p'
}
holidays=$(conf_list holidays | tr '\n' ' ')
early=$(conf_list early_closes | sed 's/ /=/' | tr '\n' ' ')

# reference [AWK-ARGS...] <rows: the trades by hand.
reference() {
	awk -f "$ref" -v holidays="$holidays" -v early="$early" "$@"
}

# normalize <trades.csv: tickdesk's trades in the reference's layout, plus
# a line "BAD ..." for each trade whose quantity, commission or net is not
# that of one ES contract at $0.62 a side.  Entries are inside New York
# regular hours, where the UTC date is the New York date.
normalize() {
	awk -F, '
	function cents(s,    neg) {
		if (s !~ /^-?[0-9]+\.[0-9][0-9]$/)
			return "BAD(" s ")"
		neg = sub(/^-/, "", s)
		sub(/\./, "", s)
		return (neg ? -1 : 1) * s
	}
	NR == 1 { next }
	{
		printf "%s %s %.2f %.2f %s\n", substr($6, 1, 10), $4, $8, $9,
		    cents($10)
		if ($5 != 1 || $11 != "1.24" || cents($12) != cents($10) - 124)
			printf "BAD qty/commission/net: %s\n", $0
	}'
}

# check_year YEAR: the year's file, trade by trade and its report.
check_year() {
	y=$1
	xzfile="$es/ES_1min_continuous_adjusted_$y.csv.xz"
	if [ ! -f "$xzfile" ]; then
		fail "no $xzfile"
		return
	fi
	xz -dc "$xzfile" >"$tmp/es.csv" || { fail "xz -dc $xzfile"; return; }

	# Trade by trade: entry date, side, entry and exit price, gross.
	run 0 backtest -c "$conf" --data "ES=$tmp/es.csv" --trades "$tmp/t.csv"
	cp "$tmp/out" "$tmp/out1"
	head -1 "$tmp/t.csv" | grep -qx "$header" ||
	    fail "$y: trades header: $(head -1 "$tmp/t.csv")"
	normalize <"$tmp/t.csv" >"$tmp/got"
	reference <"$tmp/es.csv" >"$tmp/want"
	nref=$(wc -l <"$tmp/want" | tr -d ' ')
	ntd=$(grep -vc '^BAD' "$tmp/got")
	if grep '^BAD' "$tmp/got" >"$tmp/bad"; then
		fail "$y: $(wc -l <"$tmp/bad" | tr -d ' ') trades with a" \
		    "wrong quantity, commission or net"
		head -5 "$tmp/bad" >&2
	fi
	grep -v '^BAD' "$tmp/got" >"$tmp/got-trades"
	if ! diff "$tmp/want" "$tmp/got-trades" >"$tmp/diff"; then
		fail "$y: tickdesk $ntd trades, reference $nref;" \
		    "$(grep -c '^[<>]' "$tmp/diff") differing lines" \
		    "(< reference, > tickdesk):"
		head -40 "$tmp/diff" >&2
		# The reference's own account of the days that differ.
		sed -n 's/^[<>] \([0-9-]*\) .*/\1/p' "$tmp/diff" | sort -u |
		    head -10 >"$tmp/ddays"
		reference -v verbose=1 <"$tmp/es.csv" |
		    grep -F -f "$tmp/ddays" | sed 's/^/  by hand: /' >&2
	fi
	[ "$nref" -gt 20 ] || fail "$y: only $nref reference trades"
	echo "es-data: $y: $nref trades by hand, $ntd by tickdesk," \
	    "$(grep -c '^[<>]' "$tmp/diff") differing lines"

	# The report: its key lines, and totals that agree with the trades.
	for key in "trades" "winners" "profit factor" "expectancy" \
	    "gross p&l" "commissions" "net p&l" "max drawdown" \
	    "sharpe (daily)"; do
		grep -q "^$key  *[^ ]" "$tmp/out" ||
		    fail "$y: report lacks '$key'"
	done
	grep -q '^winners .*([0-9.]*%)' "$tmp/out" ||
	    fail "$y: report lacks the win rate"
	grep -q "^trades  *$nref\$" "$tmp/out" ||
	    fail "$y: report: $(grep '^trades ' "$tmp/out"), reference $nref"
	win=$(awk '$5 - 124 > 0' "$tmp/want" | wc -l | tr -d ' ')
	grep -q "^winners  *$win  " "$tmp/out" ||
	    fail "$y: report: $(grep '^winners ' "$tmp/out"), reference $win"
	net=$(awk '{ n += $5 - 124 } END {
		a = n < 0 ? -n : n
		printf "%s%d.%02d\n", n < 0 ? "-" : "", a / 100, a % 100 }' \
	    "$tmp/want")
	tr -d ',$' <"$tmp/out" | grep -q "^net p&l  *$net\$" ||
	    fail "$y: report: $(grep '^net p&l' "$tmp/out"), reference $net"

	# Deterministic: the same run again gives the same bytes, and the
	# .xz file read directly gives the same as decompressed.
	run 0 backtest -c "$conf" --data "ES=$tmp/es.csv" --trades "$tmp/t2.csv"
	cmp -s "$tmp/out1" "$tmp/out" || fail "$y: two runs, different reports"
	cmp -s "$tmp/t.csv" "$tmp/t2.csv" || fail "$y: two runs, different trades"
	run 0 backtest -c "$conf" --data "ES=$xzfile" --trades "$tmp/t3.csv"
	cmp -s "$tmp/out1" "$tmp/out" || fail "$y: the .xz file, a different report"
	cmp -s "$tmp/t.csv" "$tmp/t3.csv" || fail "$y: the .xz file, different trades"
}

header=id,symbol,owner,side,qty,entry_time,exit_time,entry_price,exit_price
header=$header,gross,commission,net,reason
for y in $years; do
	check_year "$y"
done

# --from/--to: March of the last year, from its file, gives the trades of
# that month.
run 0 backtest -c "$conf" --data "ES=$tmp/es.csv" --from "$y-03-01" \
    --to "$y-03-31" --trades "$tmp/t4.csv"
normalize <"$tmp/t4.csv" >"$tmp/got4"
grep "^$y-03-" "$tmp/want" >"$tmp/want4"
[ -s "$tmp/want4" ] || fail "no reference trades in $y-03"
diff "$tmp/want4" "$tmp/got4" >"$tmp/diff4" || {
	fail "--from $y-03-01 --to $y-03-31: different trades"
	head -20 "$tmp/diff4" >&2
}
finish
