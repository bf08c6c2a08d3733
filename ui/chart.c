/*
 * chart.c -- the chart pane's arithmetic (see chart.h).
 */
#include "chart.h"

const int chart_minutes[CHART_NMINUTES] = { 1, 2, 3, 5, 10, 15, 30, 60 };

static td_ns
chart_floor(td_ns t, td_ns len)
{
	td_ns	 q = t / len;

	if (t % len < 0)
		q--;
	return q * len;
}

int
chart_bucket(const struct snap_candle *in, int n, int minutes,
    struct chart_candle *out, int max)
{
	td_ns	 len = (td_ns)(minutes > 0 ? minutes : 1) * TD_NS_PER_MIN;
	int	 k = 0, first = 0;

	if (max <= 0)
		return 0;
	/* Only the bars of the newest max candles need looking at. */
	for (int i = n - 1, seen = 0; i >= 0; i--) {
		td_ns	 s = chart_floor(in[i].start, len);

		if (i == n - 1 || s != chart_floor(in[i + 1].start, len))
			seen++;
		if (seen > max)
			break;
		first = i;
	}
	for (int i = first; i < n; i++) {
		const struct snap_candle	*b = &in[i];
		td_ns				 s = chart_floor(b->start, len);
		struct chart_candle		*c;

		if (k == 0 || out[k - 1].start != s) {
			out[k++] = (struct chart_candle){ .start = s,
			    .open = b->open, .high = b->high, .low = b->low,
			    .close = b->close };
			continue;
		}
		c = &out[k - 1];
		if (b->high > c->high)
			c->high = b->high;
		if (b->low < c->low)
			c->low = b->low;
		c->close = b->close;
	}
	return k;
}

int
chart_column(const struct chart_candle *c, int n, int minutes, td_ns t)
{
	td_ns	 len = (td_ns)(minutes > 0 ? minutes : 1) * TD_NS_PER_MIN;
	td_ns	 s = chart_floor(t, len);

	for (int i = n - 1; i >= 0; i--) {
		if (c[i].start == s)
			return i;
		if (c[i].start < s)
			break;
	}
	return -1;
}

void
chart_widen(int64_t *lo, int64_t *hi, int64_t v)
{
	if (*lo > *hi) {
		*lo = *hi = v;
		return;
	}
	if (v < *lo)
		*lo = v;
	if (v > *hi)
		*hi = v;
}

void
chart_range(const struct chart_candle *c, int n, int64_t *lo, int64_t *hi)
{
	*lo = 1;
	*hi = 0;
	for (int i = 0; i < n; i++) {
		chart_widen(lo, hi, c[i].low);
		chart_widen(lo, hi, c[i].high);
	}
}

int
chart_row(int64_t v, int64_t lo, int64_t hi, int rows)
{
	int64_t	 r;

	if (rows <= 1)
		return 0;
	if (hi <= lo)
		return rows / 2;
	if (v >= hi)
		return 0;
	if (v <= lo)
		return rows - 1;
	r = ((hi - v) * (rows - 1) * 2 + (hi - lo)) / ((hi - lo) * 2);
	return (int)r;
}

int
chart_orb(const struct snap_candle *in, int n, td_ns open, int64_t minutes,
    td_ticks *lo, td_ticks *hi)
{
	td_ns	 end = open + minutes * TD_NS_PER_MIN;
	int	 found = 0;

	if (open == 0 || minutes <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		if (in[i].start < open || in[i].end > end)
			continue;
		if (!found || in[i].high > *hi)
			*hi = in[i].high;
		if (!found || in[i].low < *lo)
			*lo = in[i].low;
		found = 1;
	}
	return found;
}
