/*
 * fixture.h -- an engine configuration for tests: ES on the CME equity
 * session (RTH 09:30-16:00 New York, trading day rolling at 17:00 Chicago),
 * 1 contract, no risk limits; an engine over a simulated venue of its own;
 * and helpers to build 1-minute bars.
 */
#ifndef TD_TEST_FIXTURE_H
#define TD_TEST_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "engine.h"
#include "errmsg.h"
#include "health-obs.h"
#include "snap-obs.h"
#include "snapshot.h"
#include "stats.h"
#include "tz.h"
#include "venue-sim.h"

#define P(points)	((td_ticks)((points) * 4))	/* ES price to ticks */
#define ES		td_inst_at(0)			/* the instrument */

static inline void
fixture_config(struct engine_config *cfg)
{
	struct instrument	*es = &cfg->inst[0];
	struct calendar_cfg	*cal = &cfg->cal[0];

	engine_config_defaults(cfg);
	cfg->ninst = 1;
	strcpy(es->symbol, "ES");
	es->tick_size = 250000000;		/* 0.25 */
	es->point_value = 5000;			/* $50.00 */
	es->commission = 62;			/* $0.62 per side */
	es->calendar = 0;
	instrument_init(es, NULL);
	cfg->ncal = 1;
	strcpy(cal->name, "cme-equity");
	strcpy(cal->tz, "America/New_York");
	cal->rth_open = 9 * 60 + 30;
	cal->rth_close = 16 * 60;
	cal->eth_open = 18 * 60;
	cal->eth_close = 17 * 60;
	strcpy(cal->roll_tz, "America/Chicago");
	cal->day_roll = 17 * 60;
	cfg->unattended = true;
	/* A scale-out template: 1 off at 8 ticks, 1 at 16, breakeven +1. */
	cfg->natm = 1;
	strcpy(cfg->atm[0].name, "scalp");
	cfg->atm[0].br = (struct bracket){ .stop_ticks = 8, .ntargets = 2,
	    .target_ticks = { 8, 16 }, .target_qty = { 1, 1 },
	    .be_trigger = 8, .be_offset = 1 };
}

/* The simulated venue of the shipped configuration's defaults. */
static inline void
fixture_venue_config(struct venue_sim_cfg *vc)
{
	memset(vc, 0, sizeof *vc);
	vc->bar_path = SIM_STOP_FIRST;
	vc->max_orders = 1024;
}

/*
 * An engine over a simulated venue made from vc (NULL: the defaults
 * above) with a book at book (NULL: none), its strategies found in reg
 * (NULL: the built-ins); engine_free frees the engine and the venue.
 * NULL and a message when either cannot be made.
 */
static inline struct engine *
fixture_engine_reg(const struct engine_config *cfg,
    const struct venue_sim_cfg *vc, const char *book,
    const struct strat_registry *reg, struct errmsg *err)
{
	struct venue_sim_cfg	 dflt;
	struct engine_deps	 deps = { .venue = NULL, .strategies = reg };
	struct engine		*e;

	if (vc == NULL) {
		fixture_venue_config(&dflt);
		vc = &dflt;
	}
	if ((deps.venue = venue_sim_create(vc, err)) == NULL)
		return NULL;
	if ((book != NULL && venue_sim_open_book(deps.venue, book,
	    err) == -1) || (e = engine_create(cfg, &deps, err)) == NULL) {
		venue_sim_free(deps.venue);
		return NULL;
	}
	return e;
}

static inline struct engine *
fixture_engine_book(const struct engine_config *cfg,
    const struct venue_sim_cfg *vc, const char *book, struct errmsg *err)
{
	return fixture_engine_reg(cfg, vc, book, NULL, err);
}

static inline struct engine *
fixture_engine(const struct engine_config *cfg,
    const struct venue_sim_cfg *vc, struct errmsg *err)
{
	return fixture_engine_book(cfg, vc, NULL, err);
}

/* The UTC instant of a New York wall time. */
static inline td_ns
fixture_ny(int y, int mo, int d, int h, int mi)
{
	static struct tz	*ny;

	if (ny == NULL)
		ny = tz_load("America/New_York", NULL);
	return tz_to_utc(ny, y, mo, d, h, mi, 0);
}

/* A 1-minute bar starting at t; prices in ES ticks (4 per point). */
static inline struct td_md
fixture_bar(td_ns t, td_ticks o, td_ticks h, td_ticks l, td_ticks c)
{
	struct td_md	 md;

	memset(&md, 0, sizeof md);
	md.kind = TD_MD_BAR;
	md.inst = 0;
	md.bar.start = t;
	md.bar.end = t + TD_NS_PER_MIN;
	md.bar.open = o;
	md.bar.high = h;
	md.bar.low = l;
	md.bar.close = c;
	md.bar.volume = 100;
	return md;
}

/* A bar of a session that differs from the flat ones around it. */
struct fixture_override {
	int		 hour, min;
	td_ticks	 o, h, l, c;
};

/*
 * One RTH session of March 2024 (New York) of flat bars at `flat`, with
 * some bars replaced; after a replaced bar the flat price is its close.
 */
static inline void
fixture_day(struct engine *e, int mday, td_ticks flat,
    const struct fixture_override *ov, size_t nov)
{
	struct errmsg	 err;

	for (int m = 9 * 60 + 30; m < 16 * 60; m++) {
		td_ns		 t = fixture_ny(2024, 3, mday, m / 60, m % 60);
		struct td_md	 md = fixture_bar(t, flat, flat, flat, flat);

		for (size_t i = 0; i < nov; i++) {
			if (ov[i].hour * 60 + ov[i].min != m)
				continue;
			md = fixture_bar(t, ov[i].o, ov[i].h, ov[i].l, ov[i].c);
			flat = ov[i].c;
		}
		if (engine_on_market(e, &md, &err) == -1)
			fail_msg("%s", err.msg);
	}
}

/* The configuration of SimpleORB with its default parameters on ES. */
static inline void
fixture_orb_config(struct engine_config *cfg, bool unattended,
    td_cents daily_loss)
{
	struct strategy_cfg	*sc = &cfg->strat[0];
	const struct strategy_ops *ops =
	    strat_registry_find(strat_registry_builtin(), "orb");

	fixture_config(cfg);
	cfg->unattended = unattended;
	cfg->risk.daily_loss = daily_loss;
	cfg->risk.flatten_on_breach = true;
	cfg->nstrat = 1;
	memset(sc, 0, sizeof *sc);
	strcpy(sc->name, "orb");
	strcpy(sc->type, "orb");
	strcpy(sc->symbol, "ES");
	sc->enabled = true;
	for (int i = 0; ops->params[i].name != NULL; i++)
		sc->params[i] = ops->params[i].def;
}

/* An engine running SimpleORB with its default parameters on ES. */
static inline struct engine *
fixture_orb_engine(bool unattended, td_cents daily_loss)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct errmsg		 err;

	fixture_orb_config(&cfg, unattended, daily_loss);
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	return e;
}

/*
 * Observers added to e, as a runner or a backtest adds them: the health
 * counters, the console's blotter and sparklines (both fill snapshots),
 * the day table.  Free each after the engine.
 */
static inline struct health_obs *
fixture_health(struct engine *e)
{
	struct health_obs	*h;
	struct errmsg		 err;

	if ((h = health_obs_create(&err)) == NULL ||
	    engine_observer_add(e, &HEALTH_OBS_OBSERVER(h), &err) == -1)
		fail_msg("%s", err.msg);
	return h;
}

static inline struct snap_obs *
fixture_view(struct engine *e)
{
	struct snap_obs	*v;
	struct errmsg	 err;

	if ((v = snap_obs_create(engine_ninst(e), SNAP_OBS_BLOTTER,
	    &err)) == NULL ||
	    engine_observer_add(e, &SNAP_OBS_OBSERVER(v), &err) == -1)
		fail_msg("%s", err.msg);
	return v;
}

/*
 * Fill s (from snapshot_create) with e's snapshot, its tables first made
 * as large as e asks when they are not, as a runner does.
 */
static inline void
fixture_snapshot(const struct engine *e, struct snapshot *s)
{
	struct snapshot_sizes	 sz;
	struct errmsg		 err;

	engine_snapshot_sizes(e, &sz);
	if (!snapshot_holds(s, &sz) && snapshot_resize(s, &sz, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(engine_snapshot(e, s), 0);
}

/* e's trading state, with who set it and why, as the status bar shows. */
static inline void
fixture_assert_state(const struct engine *e, const char *state,
    const char *who, const char *why)
{
	struct snapshot	*s = snapshot_create(NULL, NULL);

	assert_non_null(s);
	fixture_snapshot(e, s);
	assert_string_equal(s->state, state);
	assert_string_equal(s->state_who, who);
	assert_string_equal(s->state_why, why);
	snapshot_free(s);
}

static inline struct stats_days *
fixture_days(struct engine *e)
{
	struct stats_days	*d;
	struct errmsg		 err;

	if ((d = stats_days_create(&err)) == NULL ||
	    engine_observer_add(e, &STATS_DAYS_OBSERVER(d), &err) == -1)
		fail_msg("%s", err.msg);
	return d;
}

static inline int
fixture_rm_one(const char *p, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Remove a test's directory and everything in it. */
static inline void
fixture_rmtree(const char *dir)
{
	nftw(dir, fixture_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
