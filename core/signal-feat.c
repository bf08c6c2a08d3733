/*
 * signal-feat.c -- features of one instrument's bars, incrementally.
 *
 * The state is a few rings of the last bars (closes, 1-bar returns, true
 * ranges, volumes) and the running figures of the trading day (its high,
 * low and volume-weighted price, the opening range).  Each bar pushes one
 * entry into every ring and the features are read from the rings as they
 * stand: a bar's features are a function of that bar and the ones before
 * it only, so a series cut short after bar t gives bar t the features the
 * whole series does (tests/unit/test-signal-feat.c checks it).  Sums are
 * taken over the rings afresh each bar, in ring order, not kept running,
 * so rounding never carries from one bar to the next.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "errmsg.h"
#include "signal-feat.h"
#include "tz.h"

#define RING	64		/* > the longest window (60 + 1 closes) */

static const char *const feat_names[SIGNAL_FEAT_N] = {
	[SF_RET_1] = "ret_1",
	[SF_RET_5] = "ret_5",
	[SF_RET_15] = "ret_15",
	[SF_RET_60] = "ret_60",
	[SF_RVOL_15] = "rvol_15",
	[SF_RVOL_60] = "rvol_60",
	[SF_ATR_14] = "atr_14",
	[SF_OR_WIDTH] = "or_width",
	[SF_OR_POS] = "or_pos",
	[SF_DAY_RANGE] = "day_range",
	[SF_DAY_POS] = "day_pos",
	[SF_VOL_REL_15] = "vol_rel_15",
	[SF_VOL_REL_60] = "vol_rel_60",
	[SF_TOD] = "tod",
	[SF_DOW] = "dow",
	[SF_VWAP_DIST] = "vwap_dist",
};

static const char feat_list[] = "ret_1,ret_5,ret_15,ret_60,rvol_15,"
    "rvol_60,atr_14,or_width,or_pos,day_range,day_pos,vol_rel_15,"
    "vol_rel_60,tod,dow,vwap_dist";

struct signal_feat {
	const struct calendar	*cal;
	int64_t		 n;		/* bars seen */
	td_ns		 last;		/* the last bar's end */
	double		 close[RING];	/* by n % RING */
	double		 r1[RING];	/* 1-bar return, bp */
	double		 tr[RING];	/* true range, price units */
	double		 vol[RING];
	/* The trading day. */
	int32_t		 day;
	double		 day_hi, day_lo;
	double		 pv, v;		/* sum price x volume, volume */
	td_ns		 or_open, or_end;	/* 0: no RTH that day */
	double		 or_hi, or_lo;
	bool		 or_any;
};

const char *
signal_feat_name(int i)
{
	return i >= 0 && i < SIGNAL_FEAT_N ? feat_names[i] : NULL;
}

const char *
signal_feat_list(void)
{
	return feat_list;
}

struct signal_feat *
signal_feat_create(const struct calendar *cal, struct errmsg *err)
{
	struct signal_feat	*f;

	if ((f = calloc(1, sizeof *f)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	f->cal = cal;
	signal_feat_reset(f);
	return f;
}

void
signal_feat_free(struct signal_feat *f)
{
	free(f);
}

void
signal_feat_reset(struct signal_feat *f)
{
	const struct calendar	*cal = f->cal;

	memset(f, 0, sizeof *f);
	f->cal = cal;
	f->last = INT64_MIN;
}

/* The value k bars ago (0: this bar) of a ring; k < n. */
static double
ring_at(const double *ring, int64_t n, int k)
{
	return ring[(n - 1 - k) % RING];
}

/* Mean of the last w entries of a ring (fewer while warming up). */
static double
ring_mean(const double *ring, int64_t n, int w, bool squares)
{
	double	 s = 0;
	int	 m = n < w ? (int)n : w;

	for (int k = m - 1; k >= 0; k--) {
		double	 x = ring_at(ring, n, k);

		s += squares ? x * x : x;
	}
	return m > 0 ? s / m : 0;
}

static double
bp(double num, double den)
{
	return den != 0 ? 1e4 * num / fabs(den) : 0;
}

/* A new trading day: its figures start again, its opening range known. */
static void
feat_day(struct signal_feat *f, int32_t day)
{
	td_ns	 open, close;

	f->day = day;
	f->day_hi = -INFINITY;
	f->day_lo = INFINITY;
	f->pv = f->v = 0;
	f->or_any = false;
	f->or_open = f->or_end = 0;
	if (calendar_rth(f->cal, day, &open, &close) == 0) {
		f->or_open = open;
		f->or_end = open + SIGNAL_FEAT_OR_MINUTES * TD_NS_PER_MIN;
		if (f->or_end > close)
			f->or_end = close;
	}
}

/* The day's running figures and opening range take the bar. */
static void
feat_day_bar(struct signal_feat *f, const struct td_bar *b)
{
	double	 h = (double)b->high, l = (double)b->low;
	int32_t	 day = calendar_trading_day(f->cal, b->start);

	if (f->n == 0 || day != f->day)
		feat_day(f, day);
	if (h > f->day_hi)
		f->day_hi = h;
	if (l < f->day_lo)
		f->day_lo = l;
	f->pv += (h + l + (double)b->close) / 3 * (double)b->volume;
	f->v += (double)b->volume;
	if (f->or_end != 0 && b->start >= f->or_open &&
	    b->start < f->or_end) {
		if (!f->or_any || h > f->or_hi)
			f->or_hi = h;
		if (!f->or_any || l < f->or_lo)
			f->or_lo = l;
		f->or_any = true;
	}
}

static void
feat_returns(const struct signal_feat *f, double *out)
{
	static const int	 h[4] = { 1, 5, 15, 60 };
	double			 c = ring_at(f->close, f->n, 0);

	for (int i = 0; i < 4; i++)
		out[SF_RET_1 + i] = f->n > h[i] ?
		    bp(c - ring_at(f->close, f->n, h[i]),
		    ring_at(f->close, f->n, h[i])) : 0;
	out[SF_RVOL_15] = sqrt(ring_mean(f->r1, f->n, 15, true));
	out[SF_RVOL_60] = sqrt(ring_mean(f->r1, f->n, 60, true));
	out[SF_ATR_14] = bp(ring_mean(f->tr, f->n, 14, false), c);
}

static void
feat_ranges(const struct signal_feat *f, const struct td_bar *b,
    double *out)
{
	double	 c = (double)b->close, w;
	bool	 or_done = f->or_any && b->end >= f->or_end;

	w = or_done ? f->or_hi - f->or_lo : 0;
	out[SF_OR_WIDTH] = or_done ? bp(w, c) : 0;
	out[SF_OR_POS] = !or_done ? 0 : w > 0 ? (c - f->or_lo) / w : 0.5;
	w = f->day_hi - f->day_lo;
	out[SF_DAY_RANGE] = bp(w, c);
	out[SF_DAY_POS] = w > 0 ? (c - f->day_lo) / w : 0.5;
}

static void
feat_volume_time(const struct signal_feat *f, const struct td_bar *b,
    double *out)
{
	double		 v = (double)b->volume, m;
	struct tz_tm	 tm;

	m = ring_mean(f->vol, f->n, 15, false);
	out[SF_VOL_REL_15] = m > 0 ? v / m : 1;
	m = ring_mean(f->vol, f->n, 60, false);
	out[SF_VOL_REL_60] = m > 0 ? v / m : 1;
	tz_to_local(calendar_tz(f->cal), b->start, &tm);
	out[SF_TOD] = tm.hour + tm.min / 60.0 + tm.sec / 3600.0;
	out[SF_DOW] = tm.wday;
	out[SF_VWAP_DIST] = f->v > 0 ? bp((double)b->close - f->pv / f->v,
	    f->pv / f->v) : 0;
}

int
signal_feat_bar(struct signal_feat *f, const struct td_bar *b,
    double out[SIGNAL_FEAT_N])
{
	double	 c = (double)b->close, prev, h, l;

	if (f->n > 0 && b->end < f->last)
		return -1;
	feat_day_bar(f, b);
	prev = f->n > 0 ? ring_at(f->close, f->n, 0) : (double)b->open;
	h = (double)b->high > prev ? (double)b->high : prev;
	l = (double)b->low < prev ? (double)b->low : prev;
	f->close[f->n % RING] = c;
	f->r1[f->n % RING] = f->n > 0 ? bp(c - prev, prev) : 0;
	f->tr[f->n % RING] = h - l;
	f->vol[f->n % RING] = (double)b->volume;
	f->n++;
	f->last = b->end;
	feat_returns(f, out);
	feat_ranges(f, b, out);
	feat_volume_time(f, b, out);
	return f->n >= SIGNAL_FEAT_WARMUP;
}
