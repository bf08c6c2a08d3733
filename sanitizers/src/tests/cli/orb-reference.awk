# orb-reference.awk -- SimpleORB worked out by hand, as a check on tickdesk.
#
# An independent reference for tests/cli/es-data.sh, written from the
# strategy's rules and the documented fill model, not from core/: it reads
# 1-minute bars in the csv layout of FirstRate Data
# (`yyyy-MM-dd HH:mm:ss,open,high,low,close,volume`, New York time, stamps
# at the start of each bar, rows in time order; a header line is skipped)
# and prints one line per closed trade:
#
#	entry_date side entry_price exit_price gross_cents
#
# e.g. `2022-01-04 long 4781.25 4785.25 20000`.  With -v verbose=1 the
# line goes on with the stamps of the entry and exit bars and the exit
# reason: target, stop, target-gap or stop-gap (filled at the bar's open),
# both (a bar that reached both legs: the stop) or flatten.
#
# The rules, for each regular session (09:30 to 16:00, Monday to Friday,
# not a listed holiday; a listed early close ends it early):
#   - the opening range is the high and low of the bars that start in
#     [open, open + range_min);
#   - after it, the first bar that ends before the flatten time (close -
#     flatten_min) and closes above the range high signals a long entry,
#     below the range low a short one; one signal per session;
#   - the entry fills at the open of the next bar;
#   - the bracket: stop stop_ticks and target target_ticks from the fill.
#     From the entry bar on (its open is the fill, the rest of the bar
#     counts), the first bar that reaches a leg closes the trade.  A bar
#     that opens at or beyond a leg fills it at the open (a gap; the open
#     comes first, whichever leg it is); otherwise a bar whose range reaches
#     both legs fills the stop (the conservative rule of the simulated
#     exchange's default bar_path), and a leg reached by the high or low
#     fills at its price;
#   - still open at the flatten time: closed at the open of the first bar
#     that starts at or after it (normally the 15:45 bar).
# Holidays and early closes come from the configuration, so that both sides
# use the same calendar: -v holidays="2022-01-17 2022-02-21"
# -v early="2022-11-25=13:00 2022-12-23=13:00" (hh:mm is the closing time).
# No slippage, one contract.
#
# Two readings a person has to choose, and tickdesk could read otherwise
# (neither case occurs in the ES data of 2008-2023): a signal bar ending
# exactly at the flatten time (15:44-15:45) is not taken, since its entry
# would fill at the flatten time itself; and when the bars around the
# flatten time are missing, the exit is at the first open at or after
# 15:45, where an engine that decides at bar ends may exit one bar later.
#
# Parameters (-v name=value), defaults of SimpleORB and ES:
#	range_min=30 stop_ticks=8 target_ticks=16 flatten_min=15
#	tick=0.25 tick_cents=1250 (dollars per tick x 100)
#
# Prices become integer ticks at once (two-decimal prices times 4, rounded),
# so no float reaches a comparison or a sum.

BEGIN {
	FS = ","
	if (range_min == "") range_min = 30
	if (stop_ticks == "") stop_ticks = 8
	if (target_ticks == "") target_ticks = 16
	if (flatten_min == "") flatten_min = 15
	if (tick == "") tick = 0.25
	if (tick_cents == "") tick_cents = 1250
	rth_open = 9 * 60 + 30
	rth_close = 16 * 60

	n = split(holidays, h, /[ ,]+/)
	for (i = 1; i <= n; i++)
		if (h[i] != "")
			holiday[h[i]] = 1
	n = split(early, h, /[ ,]+/)
	for (i = 1; i <= n; i++) {
		if (h[i] == "")
			continue
		split(h[i], kv, "=")
		split(kv[2], hm, ":")
		early_close[kv[1]] = hm[1] * 60 + hm[2]
	}

	day = ""		# the session of the bars being read
	pos = 0			# +1 long, -1 short, 0 flat
	pending = 0		# a signalled entry waiting for the next open
}

function ticks(s) {
	return int(s / tick + (s < 0 ? -0.5 : 0.5))
}

function px(t) {
	return sprintf("%.2f", t * tick)
}

# Day of the week of yyyy-mm-dd, 0 = Sunday (Sakamoto's method).
function weekday(d,    y, m, dd, t) {
	y = substr(d, 1, 4) + 0
	m = substr(d, 6, 2) + 0
	dd = substr(d, 9, 2) + 0
	split("0 3 2 5 0 3 5 1 4 6 2 4", t, " ")
	if (m < 3)
		y--
	return (y + int(y / 4) - int(y / 100) + int(y / 400) + t[m] + dd) % 7
}

function close_trade(xpx, why) {
	printf "%s %s %s %s %d", entry_day, (pos > 0 ? "long" : "short"),
	    px(entry_px), px(xpx), (xpx - entry_px) * pos * tick_cents
	if (verbose)
		printf " %s %s %s", entry_stamp, stamp, why
	printf "\n"
	pos = 0
}

# The bracket against one bar; at_open: the bar's open is the entry fill.
function bracket(o, hi, lo, at_open) {
	if (pos > 0) {
		if (!at_open && o <= stop_px)
			close_trade(o, "stop-gap")
		else if (!at_open && o >= target_px)
			close_trade(o, "target-gap")
		else if (lo <= stop_px)
			close_trade(stop_px, hi >= target_px ? "both" : "stop")
		else if (hi >= target_px)
			close_trade(target_px, "target")
	} else {
		if (!at_open && o >= stop_px)
			close_trade(o, "stop-gap")
		else if (!at_open && o <= target_px)
			close_trade(o, "target-gap")
		else if (hi >= stop_px)
			close_trade(stop_px, lo <= target_px ? "both" : "stop")
		else if (lo <= target_px)
			close_trade(target_px, "target")
	}
}

!/^[0-9][0-9][0-9][0-9]-/ {
	next			# a header line
}

{
	stamp = $1
	d = substr(stamp, 1, 10)
	m = substr(stamp, 12, 2) * 60 + substr(stamp, 15, 2)
	o = ticks($2)
	hi = ticks($3)
	lo = ticks($4)
	c = ticks($5)

	# A new date: is it a session, and when does it close?
	if (d != day) {
		day = d
		wd = weekday(d)
		session = wd >= 1 && wd <= 5 && !(d in holiday)
		close_m = (d in early_close) ? early_close[d] : rth_close
		flat_m = close_m - flatten_min
		range_end = rth_open + range_min
		have_range = 0
		spent = 0
	}

	# The open of this bar: a waiting entry fills, a position past its
	# flatten time is closed.
	if (pending != 0) {
		pos = pending
		pending = 0
		entry_px = o
		entry_stamp = stamp
		stop_px = o - pos * stop_ticks
		target_px = o + pos * target_ticks
		bracket(o, hi, lo, 1)
	} else if (pos != 0) {
		if (d != entry_day || m >= pos_flat_m)
			close_trade(o, "flatten")
		else
			bracket(o, hi, lo, 0)
	}

	if (!session || m < rth_open || m >= close_m)
		next
	if (m < range_end) {
		if (!have_range || hi > range_hi)
			range_hi = hi
		if (!have_range || lo < range_lo)
			range_lo = lo
		have_range = 1
		next
	}
	# The signal is known at the bar's end, which must come before the
	# flatten time.
	if (spent || !have_range || pos != 0 || m + 1 >= flat_m)
		next
	if (c > range_hi)
		pending = 1
	else if (c < range_lo)
		pending = -1
	if (pending != 0) {
		spent = 1
		entry_day = d
		pos_flat_m = flat_m
	}
}
