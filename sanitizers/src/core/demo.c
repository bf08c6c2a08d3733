/*
 * demo.c -- the deterministic ES-like data generator (see demo.h).
 *
 * Trades arrive as a Poisson process whose rate follows the time of day
 * (a U over the regular session, low at night).  Each trade moves the price
 * by a tick (now and then two) with a fixed chance per day, so volatility
 * follows activity and the day's range follows the day's drawn volatility.
 * The chance is scaled by the configured rate so that a faster or slower
 * stream has the same ranges.  All randomness comes from one struct rng;
 * the only floating point is in choosing times and moves, never in a price.
 *
 * Calibration (4 trades/s): a regular session has about 94,000 trades and
 * 15,000 one-tick moves, a deviation of about 120 ticks (30 points) and a
 * mean range near 50 points, scaled by the day's volatility factor
 * (lognormal, sigma 0.35).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "barbuild.h"
#include "demo.h"
#include "errmsg.h"
#include "instrument.h"
#include "rng.h"
#include "tz.h"

#define DEMO_RATE	4.0		/* default trades per second */
#define DEMO_MOVE	0.16		/* chance a trade moves, at 4/s */
#define DEMO_DAYVOL	0.35		/* sigma of the daily vol factor */
#define DEMO_PULL	0.05		/* pull towards the start price */
#define DEMO_US		1000		/* times are whole microseconds */

struct demo {
	struct demo_cfg	 cfg;
	struct rng	 rng;
	struct tz	*tz;
	struct barbuild	*bb;		/* DEMO_BARS only */
	td_ticks	 anchor;	/* start price */
	td_ticks	 price;
	int64_t		 day;		/* trading day, days since 1970 */
	int		 ndays;		/* days begun */
	int		 in_day;
	td_ns		 t;		/* time of the last trade */
	td_ns		 sess_s;	/* this day's session */
	td_ns		 sess_e;
	td_ns		 rth_s;		/* and its regular hours */
	td_ns		 rth_e;
	double		 p_move;	/* today's chance of a move */
	struct td_tick	 pending;	/* a trade after an emitted bar */
	int		 has_pending;
};

struct demo *
demo_create(const struct demo_cfg *cfg, struct errmsg *err)
{
	struct demo	*d;
	td_px		 tick = 250000000LL, start = 5000 * TD_PX_SCALE;

	if ((d = calloc(1, sizeof *d)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	d->cfg = *cfg;
	if (d->cfg.year == 0) {
		d->cfg.year = 2024;
		d->cfg.mon = 1;
		d->cfg.mday = 2;
	}
	if (d->cfg.days == 0)
		d->cfg.days = 1;
	if (d->cfg.ticks_per_sec == 0)
		d->cfg.ticks_per_sec = DEMO_RATE;
	if (d->cfg.bar_minutes == 0)
		d->cfg.bar_minutes = 1;
	if (d->cfg.tz == NULL)
		d->cfg.tz = "America/New_York";
	if (cfg->instrument != NULL)
		tick = cfg->instrument->tick_size;
	if (cfg->start_price != 0)
		start = cfg->start_price;

	if (d->cfg.days < 0) {
		errmsg_set(err, "demo: days must not be negative");
		goto fail;
	}
	if (d->cfg.year < 1971 || d->cfg.year > 2200 || d->cfg.mon < 1 ||
	    d->cfg.mon > 12 || d->cfg.mday < 1 ||
	    d->cfg.mday > tz_month_days(d->cfg.year, d->cfg.mon)) {
		errmsg_set(err, "demo: bad start date %04d-%02d-%02d",
		    d->cfg.year, d->cfg.mon, d->cfg.mday);
		goto fail;
	}
	if (!(d->cfg.ticks_per_sec >= 0.001 &&
	    d->cfg.ticks_per_sec <= 1000)) {
		errmsg_set(err, "demo: trades per second must be 0.001 to "
		    "1000");
		goto fail;
	}
	if (tick <= 0 || start < tick) {
		errmsg_set(err, "demo: start price must be at least one tick");
		goto fail;
	}
	if ((d->tz = tz_load(d->cfg.tz, err)) == NULL) {
		errmsg_prefix(err, "demo");
		goto fail;
	}
	if (d->cfg.output == DEMO_BARS &&
	    (d->bb = barbuild_create(d->cfg.bar_minutes, err)) == NULL) {
		errmsg_prefix(err, "demo");
		goto fail;
	}
	rng_seed(&d->rng, d->cfg.seed);
	d->anchor = d->price = start / tick;
	d->day = tz_days_from_civil(d->cfg.year, d->cfg.mon, d->cfg.mday);
	return d;

fail:
	demo_free(d);
	return NULL;
}

void
demo_free(struct demo *d)
{
	if (d == NULL)
		return;
	barbuild_free(d->bb);
	tz_free(d->tz);
	free(d);
}

/* Begin the next trading day: 0 when all days are done. */
static int
demo_begin_day(struct demo *d)
{
	int	 y, m, md, wd;
	double	 vol;

	if (d->ndays == d->cfg.days)
		return 0;
	if (d->ndays > 0)
		d->day++;
	while ((wd = tz_weekday(d->day)) == 0 || wd == 6)
		d->day++;
	d->ndays++;

	tz_civil_from_days(d->day, &y, &m, &md);
	d->rth_s = tz_to_utc(d->tz, y, m, md, 9, 30, 0);
	d->rth_e = tz_to_utc(d->tz, y, m, md, 16, 0, 0);
	if (d->cfg.globex) {
		d->sess_e = tz_to_utc(d->tz, y, m, md, 17, 0, 0);
		tz_civil_from_days(d->day - 1, &y, &m, &md);
		d->sess_s = tz_to_utc(d->tz, y, m, md, 18, 0, 0);
	} else {
		d->sess_s = d->rth_s;
		d->sess_e = d->rth_e;
	}

	vol = exp(DEMO_DAYVOL * rng_normal(&d->rng));
	vol = vol < 0.4 ? 0.4 : vol > 2.5 ? 2.5 : vol;
	d->p_move = DEMO_MOVE * DEMO_RATE / d->cfg.ticks_per_sec * vol * vol;
	if (d->p_move > 0.95)
		d->p_move = 0.95;
	/* Without the night session the night shows up as an opening gap. */
	if (!d->cfg.globex && d->ndays > 1) {
		d->price += (td_ticks)lround(rng_normal(&d->rng) * 16 * vol);
		if (d->price < 1)
			d->price = 1;
	}
	d->t = d->sess_s;
	d->in_day = 1;
	return 1;
}

/* Trade rate relative to the regular-session mean. */
static double
demo_shape(const struct demo *d, td_ns t)
{
	double	 x, s;

	if (t < d->rth_s)
		return 0.15;
	if (t >= d->rth_e)
		return 0.25;
	x = 2.0 * (double)(t - d->rth_s) / (double)(d->rth_e - d->rth_s) - 1;
	s = (0.55 + 1.6 * x * x) / 1.0833;	/* mean 1 over the session */
	if (t - d->rth_s < 10 * TD_NS_PER_MIN)
		s *= 1.5;			/* the opening rush */
	return s;
}

/* The next trade into k: 1, or 0 when the last day is over. */
static int
demo_trade(struct demo *d, struct td_tick *k)
{
	double	 rate, wait, up;
	td_ns	 dt;
	int	 dir, step;

	for (;;) {
		if (!d->in_day && !demo_begin_day(d))
			return 0;
		rate = d->cfg.ticks_per_sec * demo_shape(d, d->t);
		wait = -log(1.0 - rng_uniform(&d->rng)) / rate;
		dt = (td_ns)(wait * 1e6) * DEMO_US;
		if (dt < DEMO_US)
			dt = DEMO_US;
		if (dt >= d->sess_e - d->t) {
			d->in_day = 0;
			continue;
		}
		d->t += dt;
		break;
	}

	if (rng_uniform(&d->rng) < d->p_move) {
		up = 0.5 - DEMO_PULL * (double)(d->price - d->anchor) /
		    (double)d->anchor;
		step = rng_uniform(&d->rng) < 0.04 ? 2 : 1;
		dir = rng_uniform(&d->rng) < up ? 1 : -1;
		d->price += dir * step;
		if (d->price < 1)
			d->price = 1;
	} else
		dir = rng_uniform(&d->rng) < 0.5 ? 1 : -1;

	/* A buyer lifts the ask, a seller hits the bid. */
	memset(k, 0, sizeof *k);
	k->time = d->t;
	k->price = d->price;
	k->bid = dir > 0 ? d->price - 1 : d->price;
	k->ask = k->bid + 1;
	k->volume = 1 + (int64_t)(-log(1.0 - rng_uniform(&d->rng)) * 2.5);
	if (rng_uniform(&d->rng) < 0.02)
		k->volume += 10 + (int64_t)rng_below(&d->rng, 90);
	return 1;
}

int
demo_next(struct demo *d, struct td_md *md)
{
	struct td_tick	 k;
	struct td_bar	 bar;

	memset(md, 0, sizeof *md);
	md->inst = d->cfg.inst;
	if (d->cfg.output == DEMO_TICKS) {
		md->kind = TD_MD_TICK;
		return demo_trade(d, &md->tick);
	}

	md->kind = TD_MD_BAR;
	for (;;) {
		if (d->has_pending) {
			barbuild_tick(d->bb, &d->pending);
			d->has_pending = 0;
		}
		if (!demo_trade(d, &k))
			break;
		if (barbuild_due(d->bb, k.time, &bar) == 1) {
			d->pending = k;
			d->has_pending = 1;
			md->bar = bar;
			return 1;
		}
		barbuild_tick(d->bb, &k);
	}
	if (barbuild_flush(d->bb, &bar) == 1) {
		md->bar = bar;
		return 1;
	}
	return 0;
}
