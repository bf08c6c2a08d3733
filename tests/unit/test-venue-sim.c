/*
 * test-venue-sim.c -- the simulated exchange, one fill-model rule at a time,
 * and its answers to what a restart asks (venue.h): mass cancel, order
 * status, mass status, executions since a time, positions taken over,
 * and the connection, lost when its book cannot be written.
 *
 * Every test drives the venue only through its ops table, as the engine
 * does: submit, on_market, poll, settle, and the questions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "errmsg.h"
#include "venue-sim.h"

#define T0	(1700000000LL * TD_NS_PER_SEC)
#define MIN	TD_NS_PER_MIN
#define MAXEV	256

struct fx {
	struct venue		*v;
	struct venue_event	 ev[MAXEV];
	int			 nev;
};

static struct venue *
make(const struct venue_sim_cfg *cfg)
{
	struct errmsg	 err = { "" };
	struct venue	*v = venue_sim_create(cfg, &err);

	assert_non_null(v);
	return v;
}

static int
setup(void **state)
{
	struct fx	*f = calloc(1, sizeof *f);

	f->v = make(NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	venue_sim_free(f->v);
	free(f);
	return 0;
}

/* Replace the fixture's venue with one built from cfg. */
static void
reconfig(struct fx *f, const struct venue_sim_cfg *cfg)
{
	venue_sim_free(f->v);
	f->v = make(cfg);
}

static struct td_md
bar_md(int inst, int n, td_ticks o, td_ticks h, td_ticks l, td_ticks c,
    int64_t vol)
{
	return (struct td_md){
		.kind = TD_MD_BAR,
		.inst = inst,
		.bar = {
			.start = T0 + n * MIN,
			.end = T0 + (n + 1) * MIN,
			.open = o, .high = h, .low = l, .close = c,
			.volume = vol,
		},
	};
}

static struct td_md
tick_md(int inst, td_ns t, td_ticks px, int64_t vol)
{
	return (struct td_md){
		.kind = TD_MD_TICK,
		.inst = inst,
		.tick = { .time = t, .price = px, .volume = vol },
	};
}

static void
sub(struct fx *f, uint64_t id, enum td_side side, enum order_type type,
    int64_t qty, td_ticks price, uint64_t oco, td_ns now)
{
	struct venue_order	 o = {
		.id = id, .inst = 0, .side = side, .type = type, .qty = qty,
		.price = price, .oco = oco,
	};

	assert_int_equal(f->v->ops->submit(f->v->ctx, &o, now), 0);
}

/* An order of any instrument, reduce-only or not. */
static void
send(struct fx *f, int inst, uint64_t id, enum td_side side,
    enum order_type type, int64_t qty, td_ticks price, uint64_t oco,
    bool reduce_only, td_ns now)
{
	struct venue_order	 o = {
		.id = id, .inst = inst, .side = side, .type = type,
		.qty = qty, .price = price, .oco = oco,
		.reduce_only = reduce_only,
	};

	assert_int_equal(f->v->ops->submit(f->v->ctx, &o, now), 0);
}

/* Any order, as the engine would send it. */
static void
put(struct fx *f, int inst, uint64_t id, enum td_side side,
    enum order_type type, int64_t qty, td_ticks price, td_ticks limit,
    enum order_tif tif, td_ns now)
{
	struct venue_order	 o = {
		.id = id, .inst = inst, .side = side, .type = type,
		.qty = qty, .price = price, .limit = limit, .tif = tif,
	};

	assert_int_equal(f->v->ops->submit(f->v->ctx, &o, now), 0);
}

/* A GTC stop-limit of instrument 0. */
static void
slim(struct fx *f, uint64_t id, enum td_side side, int64_t qty,
    td_ticks stop, td_ticks limit, td_ns now)
{
	put(f, 0, id, side, ORD_STOP_LIMIT, qty, stop, limit, TIF_GTC, now);
}

/* Poll everything into f->ev (replacing what was there). */
static int
drain(struct fx *f)
{
	f->nev = 0;
	while (f->nev < MAXEV && f->v->ops->poll(f->v->ctx, &f->ev[f->nev]))
		f->nev++;
	return f->nev;
}

static int
market(struct fx *f, const struct td_md *md)
{
	return f->v->ops->on_market(f->v->ctx, md);
}

/*
 * on_market, drain, settle: one whole market event.  on_market says
 * exactly whether poll has anything after it (the engine asks only then).
 */
static int
step(struct fx *f, const struct td_md *md)
{
	int	 n, said;

	said = market(f, md);
	n = drain(f);
	assert_int_equal(said, n > 0);
	f->v->ops->settle(f->v->ctx);
	assert_int_equal(f->v->ops->poll(f->v->ctx, &f->ev[MAXEV - 1]), 0);
	return n;
}

/* The i-th event of kind k for order id, or NULL. */
static const struct venue_event *
find_ev(const struct fx *f, uint64_t id, enum venue_ev_kind k)
{
	int	 i;

	for (i = 0; i < f->nev; i++) {
		if (f->ev[i].id == id && f->ev[i].kind == k)
			return &f->ev[i];
	}
	return NULL;
}

/* Where in f->ev the first event of kind k for order id is, or -1. */
static int
ev_index(const struct fx *f, uint64_t id, enum venue_ev_kind k)
{
	const struct venue_event	*e = find_ev(f, id, k);

	return e == NULL ? -1 : (int)(e - f->ev);
}

static void
test_venue_sim_ack_and_time(void **state)
{
	struct fx			*f = *state;
	struct td_md		 md = bar_md(0, 0, 100, 101, 99, 100, 10);
	const struct venue_event	*e;

	sub(f, 1, TD_BUY, ORD_LIMIT, 1, 90, 0, T0 - 5);
	assert_int_equal(drain(f), 1);
	assert_int_equal(f->ev[0].kind, VEV_ACK);
	assert_int_equal(f->ev[0].leaves, 1);
	/* Before any market event the caller's time is the venue's. */
	assert_int_equal(f->ev[0].time, T0 - 5);

	/* Nothing filled, nothing to say. */
	assert_int_equal(step(f, &md), 0);
	sub(f, 2, TD_BUY, ORD_LIMIT, 1, 90, 0, T0 + 2 * MIN + 7);
	e = &f->ev[drain(f) - 1];
	/* Afterwards every event carries the market event's time. */
	assert_int_equal(e->time, md.bar.end);
	assert_string_equal(f->v->ops->name, "sim");
	assert_int_equal(f->v->ops->conn(f->v->ctx), VENUE_UP);
}

static void
test_venue_sim_market_waits_for_next_bar_open(void **state)
{
	struct fx			*f = *state;
	struct td_md		 b1 = bar_md(0, 0, 100, 105, 95, 102, 10);
	struct td_md		 b2 = bar_md(0, 1, 103, 110, 101, 104, 10);
	const struct venue_event	*e;

	step(f, &b1);
	sub(f, 1, TD_BUY, ORD_MARKET, 2, 0, 0, b1.bar.end);
	drain(f);
	assert_null(find_ev(f, 1, VEV_FILL));
	step(f, &b2);
	e = find_ev(f, 1, VEV_FILL);
	assert_non_null(e);
	assert_int_equal(e->price, 103);
	assert_int_equal(e->qty, 2);
	assert_int_equal(e->leaves, 0);
	/* It filled at the open, so at the bar's start. */
	assert_int_equal(e->time, b2.bar.start);
}

static void
test_venue_sim_market_fills_at_next_tick(void **state)
{
	struct fx			*f = *state;
	struct td_md			 t1 = tick_md(0, T0, 100, 1);
	struct td_md			 t2 = tick_md(0, T0 + 1000, 97, 1);
	const struct venue_event	*e;

	step(f, &t1);
	assert_int_equal(venue_sim_last_price(f->v, 0), 100);
	sub(f, 1, TD_SELL, ORD_MARKET, 1, 0, 0, T0);
	drain(f);
	step(f, &t2);
	e = find_ev(f, 1, VEV_FILL);
	assert_non_null(e);
	assert_int_equal(e->price, 97);
	assert_int_equal(e->time, T0 + 1000);
	assert_int_equal(venue_sim_last_price(f->v, 0), 97);
	assert_int_equal(venue_sim_last_price(f->v, 1), 0);
}

static void
test_venue_sim_slippage_worse_for_trader(void **state)
{
	struct fx			*f = *state;
	struct venue_sim_cfg		 cfg = { .slippage_ticks = 2,
					     .max_orders = 16 };
	struct td_md		 b = bar_md(0, 0, 100, 110, 90, 100, 10);

	reconfig(f, &cfg);
	sub(f, 1, TD_BUY, ORD_MARKET, 1, 0, 0, T0);
	sub(f, 2, TD_SELL, ORD_MARKET, 1, 0, 0, T0);
	sub(f, 3, TD_BUY, ORD_STOP, 1, 105, 0, T0);
	sub(f, 4, TD_SELL, ORD_STOP, 1, 95, 0, T0);
	sub(f, 5, TD_BUY, ORD_LIMIT, 1, 92, 0, T0);
	sub(f, 6, TD_SELL, ORD_LIMIT, 1, 108, 0, T0);
	drain(f);
	step(f, &b);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 102);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 98);
	assert_int_equal(find_ev(f, 3, VEV_FILL)->price, 107);
	assert_int_equal(find_ev(f, 4, VEV_FILL)->price, 93);
	/* Limits never slip. */
	assert_int_equal(find_ev(f, 5, VEV_FILL)->price, 92);
	assert_int_equal(find_ev(f, 6, VEV_FILL)->price, 108);
}

static void
test_venue_sim_stop_triggers_at_or_through(void **state)
{
	struct fx			*f = *state;
	struct td_md		 b1 = bar_md(0, 0, 100, 104, 96, 100, 10);
	struct td_md		 b2 = bar_md(0, 1, 100, 105, 95, 100, 10);

	sub(f, 1, TD_BUY, ORD_STOP, 1, 105, 0, T0);
	sub(f, 2, TD_SELL, ORD_STOP, 1, 95, 0, T0);
	drain(f);
	step(f, &b1);
	assert_null(find_ev(f, 1, VEV_FILL));
	assert_null(find_ev(f, 2, VEV_FILL));
	/* Trading at the stop is enough; the fill is at the stop. */
	step(f, &b2);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 105);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 95);
	assert_int_equal(venue_sim_working(f->v), 0);
}

static void
test_venue_sim_stop_gap_fills_at_open(void **state)
{
	struct fx	*f = *state;
	struct td_md	 b = bar_md(0, 0, 90, 92, 85, 88, 10);

	sub(f, 1, TD_SELL, ORD_STOP, 1, 95, 0, T0);
	sub(f, 2, TD_BUY, ORD_STOP, 1, 80, 0, T0);
	drain(f);
	step(f, &b);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 90);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 90);
}

static void
test_venue_sim_limit_fills_on_touch(void **state)
{
	struct fx	*f = *state;
	struct td_md	 b1 = bar_md(0, 0, 100, 104, 96, 100, 10);
	struct td_md	 b2 = bar_md(0, 1, 100, 105, 95, 100, 10);

	sub(f, 1, TD_SELL, ORD_LIMIT, 1, 105, 0, T0);
	sub(f, 2, TD_BUY, ORD_LIMIT, 1, 95, 0, T0);
	drain(f);
	step(f, &b1);
	assert_null(find_ev(f, 1, VEV_FILL));
	assert_null(find_ev(f, 2, VEV_FILL));
	step(f, &b2);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 105);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 95);
}

static void
test_venue_sim_limit_gap_fills_at_open(void **state)
{
	struct fx	*f = *state;
	struct td_md	 b = bar_md(0, 0, 110, 112, 108, 111, 10);

	sub(f, 1, TD_SELL, ORD_LIMIT, 1, 105, 0, T0);
	sub(f, 2, TD_BUY, ORD_LIMIT, 1, 115, 0, T0);
	drain(f);
	step(f, &b);
	/* Better than the limit: the open. */
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 110);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 110);
}

static void
test_venue_sim_same_bar_orders_match_rest_of_bar(void **state)
{
	struct fx	*f = *state;
	struct td_md	 b1 = bar_md(0, 0, 100, 110, 90, 100, 10);
	struct td_md	 b2 = bar_md(0, 1, 100, 101, 99, 100, 10);

	sub(f, 1, TD_BUY, ORD_MARKET, 1, 0, 0, T0);
	drain(f);
	market(f, &b1);
	drain(f);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 100);
	/* Sent while the bar is processed: the rest of the same bar. */
	sub(f, 2, TD_SELL, ORD_STOP, 1, 95, 0, b1.bar.end);
	drain(f);
	assert_non_null(find_ev(f, 2, VEV_ACK));
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 95);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->time, b1.bar.end);
	/* A market order sent then waits for the next event. */
	sub(f, 3, TD_SELL, ORD_MARKET, 1, 0, 0, b1.bar.end);
	drain(f);
	assert_null(find_ev(f, 3, VEV_FILL));
	f->v->ops->settle(f->v->ctx);
	/* After settle a stop the bar touched waits too. */
	sub(f, 4, TD_SELL, ORD_STOP, 1, 95, 0, b1.bar.end);
	drain(f);
	assert_null(find_ev(f, 4, VEV_FILL));
	step(f, &b2);
	assert_int_equal(find_ev(f, 3, VEV_FILL)->price, 100);
	assert_null(find_ev(f, 4, VEV_FILL));
}

/*
 * An event that fills nothing has nothing to say (on_market 0) and is
 * settled already: an order sent after it waits for the next, as one
 * sent after settle does.
 */
static void
test_venue_sim_quiet_event_settles_itself(void **state)
{
	struct fx	*f = *state;
	struct td_md	 b1 = bar_md(0, 0, 100, 110, 90, 100, 10);
	struct td_md	 b2 = bar_md(0, 1, 100, 101, 99, 100, 10);

	assert_int_equal(market(f, &b1), 0);
	sub(f, 1, TD_SELL, ORD_STOP, 1, 95, 0, b1.bar.end);
	assert_int_equal(drain(f), 1);
	assert_non_null(find_ev(f, 1, VEV_ACK));
	/* Working now, and b2 does not reach it: still nothing to say. */
	assert_int_equal(market(f, &b2), 0);
	assert_int_equal(drain(f), 0);
}

static void
test_venue_sim_same_bar_legs_start_at_last_fill(void **state)
{
	struct fx	*f = *state;
	struct td_md	 b = bar_md(0, 0, 100, 110, 95, 108, 10);

	/* A buy stop entry at 105 fills inside the bar. */
	sub(f, 1, TD_BUY, ORD_STOP, 1, 105, 0, T0);
	drain(f);
	market(f, &b);
	drain(f);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 105);
	/* A sell limit under 105 is beyond the entry's price: fills at it. */
	sub(f, 2, TD_SELL, ORD_LIMIT, 1, 103, 0, b.bar.end);
	drain(f);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 105);
	f->v->ops->settle(f->v->ctx);
}

static void
test_venue_sim_same_bar_with_ohlc_uses_rest_of_path(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .bar_path = SIM_OHLC,
				     .max_orders = 16 };
	/* Path 100 -> 95 -> 110 -> 108: the entry at 105 is on the rise. */
	struct td_md		 b = bar_md(0, 0, 100, 110, 95, 108, 10);

	reconfig(f, &cfg);
	sub(f, 1, TD_BUY, ORD_STOP, 2, 105, 0, T0);
	drain(f);
	market(f, &b);
	drain(f);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 105);
	/* Its stop at 100 is not reached again; the target at 108 is. */
	sub(f, 2, TD_SELL, ORD_STOP, 2, 100, 9, b.bar.end);
	sub(f, 3, TD_SELL, ORD_LIMIT, 2, 108, 9, b.bar.end);
	drain(f);
	assert_null(find_ev(f, 2, VEV_FILL));
	assert_int_equal(find_ev(f, 3, VEV_FILL)->price, 108);
	assert_string_equal(find_ev(f, 2, VEV_CANCELLED)->reason, "oco");
	f->v->ops->settle(f->v->ctx);
}

static void
test_venue_sim_oco_full_fill_cancels_sibling(void **state)
{
	struct fx			*f = *state;
	struct td_md		 b = bar_md(0, 0, 100, 106, 99, 105, 10);
	const struct venue_event	*e;

	sub(f, 1, TD_SELL, ORD_STOP, 3, 95, 7, T0);
	sub(f, 2, TD_SELL, ORD_LIMIT, 3, 105, 7, T0);
	drain(f);
	step(f, &b);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->qty, 3);
	e = find_ev(f, 1, VEV_CANCELLED);
	assert_non_null(e);
	assert_string_equal(e->reason, "oco");
	assert_int_equal(e->leaves, 0);
	assert_int_equal(venue_sim_working(f->v), 0);
}

static void
test_venue_sim_oco_partial_fill_reduces_sibling(void **state)
{
	struct fx			*f = *state;
	struct venue_sim_cfg		 cfg = { .participation_pct = 10,
					     .max_orders = 16 };
	struct td_md		 b = bar_md(0, 0, 100, 106, 99, 105, 20);
	const struct venue_event	*e;

	reconfig(f, &cfg);
	sub(f, 1, TD_SELL, ORD_STOP, 5, 95, 7, T0);
	sub(f, 2, TD_SELL, ORD_LIMIT, 5, 105, 7, T0);
	drain(f);
	step(f, &b);
	/* 10% of 20 = 2 fill; the stop is reduced to 3. */
	e = find_ev(f, 2, VEV_FILL);
	assert_int_equal(e->qty, 2);
	assert_int_equal(e->leaves, 3);
	e = find_ev(f, 1, VEV_REDUCED);
	assert_non_null(e);
	assert_int_equal(e->qty, 3);
	assert_int_equal(e->leaves, 3);
	assert_int_equal(venue_sim_working(f->v), 2);
}

static void
test_venue_sim_stop_first_when_bar_touches_both(void **state)
{
	struct fx	*f = *state;
	struct td_md	 b = bar_md(0, 0, 100, 106, 94, 101, 10);

	/* Sent target first: the rule must not depend on that. */
	sub(f, 2, TD_SELL, ORD_LIMIT, 1, 105, 7, T0);
	sub(f, 1, TD_SELL, ORD_STOP, 1, 95, 7, T0);
	drain(f);
	step(f, &b);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 95);
	assert_null(find_ev(f, 2, VEV_FILL));
	assert_string_equal(find_ev(f, 2, VEV_CANCELLED)->reason, "oco");
}

static void
test_venue_sim_ohlc_follows_bar_path(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .bar_path = SIM_OHLC,
				     .max_orders = 16 };
	/* High and low 6 from the open, close up: low first. */
	struct td_md		 up = bar_md(0, 0, 100, 106, 94, 101, 10);
	/* High 105 is nearer than low 94: high first. */
	struct td_md		 hi = bar_md(0, 1, 100, 105, 94, 99, 10);

	reconfig(f, &cfg);
	sub(f, 1, TD_SELL, ORD_STOP, 1, 95, 7, T0);
	sub(f, 2, TD_SELL, ORD_LIMIT, 1, 105, 7, T0);
	drain(f);
	step(f, &up);
	assert_non_null(find_ev(f, 1, VEV_FILL));
	assert_null(find_ev(f, 2, VEV_FILL));

	sub(f, 3, TD_SELL, ORD_STOP, 1, 95, 8, up.bar.end);
	sub(f, 4, TD_SELL, ORD_LIMIT, 1, 105, 8, up.bar.end);
	drain(f);
	step(f, &hi);
	assert_int_equal(find_ev(f, 4, VEV_FILL)->price, 105);
	assert_null(find_ev(f, 3, VEV_FILL));
	assert_string_equal(find_ev(f, 3, VEV_CANCELLED)->reason, "oco");
}

static void
test_venue_sim_ticks_trigger_against_price(void **state)
{
	struct fx	*f = *state;
	struct td_md	 t1 = tick_md(0, T0, 100, 1);
	struct td_md	 t2 = tick_md(0, T0 + 1, 104, 1);
	struct td_md	 t3 = tick_md(0, T0 + 2, 107, 1);

	step(f, &t1);
	sub(f, 1, TD_BUY, ORD_STOP, 1, 105, 0, T0);
	sub(f, 2, TD_SELL, ORD_LIMIT, 1, 104, 0, T0);
	drain(f);
	step(f, &t2);
	assert_null(find_ev(f, 1, VEV_FILL));
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 104);
	/* 107 is through the stop: the trade price, not the stop. */
	step(f, &t3);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 107);
	/* Orders sent while a tick is processed wait for the next tick. */
	sub(f, 3, TD_SELL, ORD_LIMIT, 1, 100, 0, T0 + 2);
	drain(f);
	assert_null(find_ev(f, 3, VEV_FILL));
}

static void
test_venue_sim_participation_partial_fills(void **state)
{
	struct fx			*f = *state;
	struct venue_sim_cfg		 cfg = { .participation_pct = 25,
					     .max_orders = 16 };
	struct td_md		 b1 = bar_md(0, 0, 100, 101, 99, 100, 8);
	struct td_md		 b2 = bar_md(0, 1, 102, 103, 101, 102, 8);
	struct td_md		 b3 = bar_md(0, 2, 104, 105, 103, 104, 1);
	const struct venue_event	*e;

	reconfig(f, &cfg);
	sub(f, 1, TD_BUY, ORD_MARKET, 5, 0, 0, T0);
	drain(f);
	step(f, &b1);
	e = find_ev(f, 1, VEV_FILL);
	assert_int_equal(e->qty, 2);
	assert_int_equal(e->leaves, 3);
	assert_int_equal(e->price, 100);
	step(f, &b2);
	e = find_ev(f, 1, VEV_FILL);
	assert_int_equal(e->qty, 2);
	assert_int_equal(e->leaves, 1);
	assert_int_equal(e->price, 102);
	/* Volume 1: at least one contract. */
	step(f, &b3);
	e = find_ev(f, 1, VEV_FILL);
	assert_int_equal(e->qty, 1);
	assert_int_equal(e->leaves, 0);
}

static void
test_venue_sim_partial_stop_rest_fills_like_market(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 16 };
	struct td_md		 b1 = bar_md(0, 0, 100, 101, 94, 96, 20);
	struct td_md		 b2 = bar_md(0, 1, 97, 99, 96, 98, 20);

	reconfig(f, &cfg);
	sub(f, 1, TD_SELL, ORD_STOP, 4, 95, 0, T0);
	drain(f);
	step(f, &b1);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->qty, 2);
	/* The next bar stays above the stop: the rest fills at its open. */
	step(f, &b2);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->qty, 2);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 97);
}

static void
test_venue_sim_latency_delays_activation(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .latency = 500, .max_orders = 16 };
	struct td_md		 t1 = tick_md(0, T0, 100, 1);
	struct td_md		 t2 = tick_md(0, T0 + 400, 101, 1);
	struct td_md		 t3 = tick_md(0, T0 + 500, 102, 1);
	struct td_md		 b1 = bar_md(0, 5, 100, 101, 99, 100, 1);
	struct td_md		 b2 = bar_md(0, 6, 100, 101, 99, 100, 1);
	struct td_md		 b3 = bar_md(0, 7, 103, 104, 102, 103, 1);

	reconfig(f, &cfg);
	step(f, &t1);
	sub(f, 1, TD_BUY, ORD_MARKET, 1, 0, 0, T0);
	drain(f);
	assert_non_null(find_ev(f, 1, VEV_ACK));
	step(f, &t2);
	assert_null(find_ev(f, 1, VEV_FILL));
	step(f, &t3);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 102);

	/* With bars, arriving inside a bar means waiting for the next. */
	step(f, &b1);
	sub(f, 2, TD_BUY, ORD_MARKET, 1, 0, 0, b1.bar.end);
	drain(f);
	step(f, &b2);
	assert_null(find_ev(f, 2, VEV_FILL));
	step(f, &b3);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 103);
}

static void
test_venue_sim_order_skips_bar_begun_before_it(void **state)
{
	struct fx			*f = *state;
	/* ES (0) and MES (1), 1-minute bars; bar n covers [n, n + 1). */
	struct td_md		 es0 = bar_md(0, 0, 100, 101, 99, 100, 9);
	struct td_md		 mes0 = bar_md(1, 0, 100, 101, 99, 100, 9);
	struct td_md		 es1 = bar_md(0, 1, 100, 101, 99, 100, 9);
	struct td_md		 mes1 = bar_md(1, 1, 90, 120, 80, 100, 9);
	struct td_md		 es2 = bar_md(0, 2, 100, 101, 99, 100, 9);
	struct td_md		 mes2 = bar_md(1, 2, 104, 105, 103, 104, 9);
	const struct venue_event	*e;
	td_ns				 t;

	step(f, &es0);
	step(f, &mes0);
	step(f, &es1);
	/* ES's bar 1 is known at its end T: the engine acts on MES then. */
	t = es1.bar.end;
	send(f, 1, 1, TD_SELL, ORD_MARKET, 1, 0, 0, false, t);
	send(f, 1, 2, TD_SELL, ORD_LIMIT, 1, 115, 0, false, t);
	send(f, 1, 3, TD_BUY, ORD_STOP, 1, 110, 0, false, t);
	drain(f);
	assert_non_null(find_ev(f, 1, VEV_ACK));
	/* MES's bar 1 began before T: not its open, high or low. */
	assert_true(mes1.bar.start < t);
	assert_int_equal(step(f, &mes1), 0);
	assert_int_equal(venue_sim_working(f->v), 3);
	step(f, &es2);
	/* MES's bar 2 begins at T: the market order fills at its open. */
	step(f, &mes2);
	e = find_ev(f, 1, VEV_FILL);
	assert_non_null(e);
	assert_int_equal(e->price, 104);
	assert_int_equal(e->time, mes2.bar.start);
	assert_null(find_ev(f, 2, VEV_FILL));
	assert_null(find_ev(f, 3, VEV_FILL));
	assert_int_equal(venue_sim_working(f->v), 2);
}

static void
test_venue_sim_stop_through_market_rejected(void **state)
{
	struct fx			*f = *state;
	struct td_md		 b1 = bar_md(0, 0, 100, 101, 99, 100, 9);
	struct td_md		 b2 = bar_md(0, 1, 100, 110, 90, 105, 9);
	const struct venue_event	*e;

	/* No market known yet: any stop is taken. */
	send(f, 0, 1, TD_BUY, ORD_STOP, 1, 50, 0, false, T0);
	drain(f);
	assert_non_null(find_ev(f, 1, VEV_ACK));
	f->v->ops->cancel(f->v->ctx, 1, T0);
	drain(f);

	step(f, &b1);
	send(f, 0, 2, TD_BUY, ORD_STOP, 1, 100, 0, false, b1.bar.end);
	send(f, 0, 3, TD_BUY, ORD_STOP, 1, 96, 0, false, b1.bar.end);
	send(f, 0, 4, TD_SELL, ORD_STOP, 1, 100, 0, false, b1.bar.end);
	send(f, 0, 5, TD_SELL, ORD_STOP, 1, 104, 0, false, b1.bar.end);
	send(f, 0, 6, TD_BUY, ORD_STOP, 1, 101, 0, false, b1.bar.end);
	send(f, 0, 7, TD_SELL, ORD_STOP, 1, 99, 0, false, b1.bar.end);
	/* Limits on either side are fine; another instrument has no market. */
	send(f, 0, 8, TD_BUY, ORD_LIMIT, 1, 104, 0, false, b1.bar.end);
	send(f, 1, 9, TD_SELL, ORD_STOP, 1, 104, 0, false, b1.bar.end);
	drain(f);
	e = find_ev(f, 2, VEV_REJECT);
	assert_non_null(e);
	assert_string_equal(e->reason,
	    "buy stop 100 is not above the market 100 (ticks)");
	assert_string_equal(find_ev(f, 3, VEV_REJECT)->reason,
	    "buy stop 96 is not above the market 100 (ticks)");
	assert_string_equal(find_ev(f, 4, VEV_REJECT)->reason,
	    "sell stop 100 is not below the market 100 (ticks)");
	assert_string_equal(find_ev(f, 5, VEV_REJECT)->reason,
	    "sell stop 104 is not below the market 100 (ticks)");
	assert_non_null(find_ev(f, 6, VEV_ACK));
	assert_non_null(find_ev(f, 7, VEV_ACK));
	assert_non_null(find_ev(f, 8, VEV_ACK));
	assert_non_null(find_ev(f, 9, VEV_ACK));
	assert_int_equal(venue_sim_working(f->v), 4);
	/* Nothing rejected filled on the next bar. */
	step(f, &b2);
	assert_null(find_ev(f, 2, VEV_FILL));
	assert_null(find_ev(f, 5, VEV_FILL));
	assert_int_equal(find_ev(f, 6, VEV_FILL)->price, 101);
	assert_int_equal(find_ev(f, 7, VEV_FILL)->price, 99);
}

static void
test_venue_sim_same_bar_stop_judged_where_the_fill_was(void **state)
{
	struct fx	*f = *state;
	/* Opens at 100, closes at 105. */
	struct td_md	 b = bar_md(0, 0, 100, 110, 90, 105, 9);

	sub(f, 1, TD_BUY, ORD_MARKET, 1, 0, 0, T0);
	drain(f);
	market(f, &b);
	drain(f);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 100);
	/* A reply starts at the fill (100), not at the close (105). */
	send(f, 0, 2, TD_SELL, ORD_STOP, 1, 102, 0, false, b.bar.end);
	send(f, 0, 3, TD_SELL, ORD_STOP, 1, 95, 0, false, b.bar.end);
	drain(f);
	assert_string_equal(find_ev(f, 2, VEV_REJECT)->reason,
	    "sell stop 102 is not below the market 100 (ticks)");
	assert_int_equal(find_ev(f, 3, VEV_FILL)->price, 95);
	f->v->ops->settle(f->v->ctx);
	/* After settle the market is the close. */
	send(f, 0, 4, TD_SELL, ORD_STOP, 1, 104, 0, false, b.bar.end);
	drain(f);
	assert_non_null(find_ev(f, 4, VEV_ACK));
}

/* One whole tick of instrument 0. */
static void
tick(struct fx *f, td_ns t, td_ticks px)
{
	struct td_md	 md = tick_md(0, t, px, 1);

	step(f, &md);
}

/* Buy qty at market and let the bar fill it: the venue is long qty. */
static void
go_long(struct fx *f, uint64_t id, int64_t qty, int n)
{
	struct td_md	 b = bar_md(0, n, 100, 101, 99, 100, 100);

	send(f, 0, id, TD_BUY, ORD_MARKET, qty, 0, 0, false, b.bar.start);
	drain(f);
	step(f, &b);
	assert_int_equal(find_ev(f, id, VEV_FILL)->qty, qty);
	assert_int_equal(venue_sim_position(f->v, 0), qty);
}

static void
test_venue_sim_reduce_only_never_beyond_flat(void **state)
{
	struct fx			*f = *state;
	struct td_md			 b = bar_md(0, 1, 100, 107, 99, 106, 9);
	const struct venue_event	*e;

	go_long(f, 1, 1, 0);
	/* Two exits of 1 for a position of 1, both touched by one bar. */
	send(f, 0, 2, TD_SELL, ORD_LIMIT, 1, 105, 0, true, b.bar.start);
	send(f, 0, 3, TD_SELL, ORD_LIMIT, 1, 106, 0, true, b.bar.start);
	drain(f);
	step(f, &b);
	e = find_ev(f, 2, VEV_FILL);
	assert_non_null(e);
	assert_int_equal(e->qty, 1);
	assert_int_equal(e->leaves, 0);
	assert_null(find_ev(f, 3, VEV_FILL));
	e = find_ev(f, 3, VEV_CANCELLED);
	assert_non_null(e);
	assert_string_equal(e->reason, "reduce-only: position closed");
	assert_int_equal(e->qty, 0);
	assert_int_equal(e->leaves, 0);
	assert_int_equal(venue_sim_position(f->v, 0), 0);
	assert_int_equal(venue_sim_working(f->v), 0);
}

static void
test_venue_sim_reduce_only_clipped_then_cancelled(void **state)
{
	struct fx			*f = *state;
	struct td_md		 b = bar_md(0, 1, 102, 103, 101, 102, 9);
	struct td_md			 b2 = bar_md(0, 2, 98, 99, 97, 98, 9);
	const struct venue_event	*e;

	go_long(f, 1, 2, 0);
	/* An exit of 3 against a long of 2: 2 fill, the third never. */
	send(f, 0, 2, TD_SELL, ORD_MARKET, 3, 0, 0, true, b.bar.start);
	drain(f);
	step(f, &b);
	e = find_ev(f, 2, VEV_FILL);
	assert_non_null(e);
	assert_int_equal(e->qty, 2);
	assert_int_equal(e->price, 102);
	assert_int_equal(e->leaves, 1);
	e = find_ev(f, 2, VEV_CANCELLED);
	assert_non_null(e);
	assert_string_equal(e->reason, "reduce-only: position closed");
	assert_int_equal(e->qty, 2);
	assert_int_equal(e->leaves, 0);
	assert_true(ev_index(f, 2, VEV_FILL) < ev_index(f, 2, VEV_CANCELLED));
	assert_int_equal(venue_sim_position(f->v, 0), 0);
	assert_int_equal(venue_sim_working(f->v), 0);

	/* Flat: a reduce-only order on either side is cancelled unfilled. */
	send(f, 0, 3, TD_BUY, ORD_MARKET, 1, 0, 0, true, b2.bar.start);
	send(f, 0, 4, TD_SELL, ORD_STOP, 1, 99, 0, true, b2.bar.start);
	drain(f);
	step(f, &b2);
	assert_null(find_ev(f, 3, VEV_FILL));
	assert_null(find_ev(f, 4, VEV_FILL));
	assert_string_equal(find_ev(f, 3, VEV_CANCELLED)->reason,
	    "reduce-only: position closed");
	assert_string_equal(find_ev(f, 4, VEV_CANCELLED)->reason,
	    "reduce-only: position closed");
	assert_int_equal(venue_sim_position(f->v, 0), 0);
}

static void
test_venue_sim_reduce_only_wrong_side_never_adds(void **state)
{
	struct fx	*f = *state;
	struct td_md	 b = bar_md(0, 1, 100, 106, 99, 104, 9);

	go_long(f, 1, 1, 0);
	/* A buy would make the long larger: cancelled, the long stays 1. */
	send(f, 0, 2, TD_BUY, ORD_STOP, 1, 105, 0, true, b.bar.start);
	/* A plain order is not judged: it adds. */
	send(f, 0, 3, TD_BUY, ORD_LIMIT, 1, 100, 0, false, b.bar.start);
	drain(f);
	step(f, &b);
	assert_null(find_ev(f, 2, VEV_FILL));
	assert_string_equal(find_ev(f, 2, VEV_CANCELLED)->reason,
	    "reduce-only: position closed");
	assert_int_equal(find_ev(f, 3, VEV_FILL)->qty, 1);
	assert_int_equal(venue_sim_position(f->v, 0), 2);
}

static void
test_venue_sim_reduce_only_oco_groups(void **state)
{
	struct fx			*f = *state;
	struct td_md		 b1 = bar_md(0, 1, 100, 106, 94, 101, 9);
	struct td_md		 b3 = bar_md(0, 3, 100, 101, 94, 100, 9);
	struct td_md		 b4 = bar_md(0, 4, 100, 106, 99, 105, 9);
	const struct venue_event	*e;

	/* A bracket of reduce-only legs behaves as before: stop first. */
	go_long(f, 1, 2, 0);
	send(f, 0, 2, TD_SELL, ORD_STOP, 2, 95, 7, true, b1.bar.start);
	send(f, 0, 3, TD_SELL, ORD_LIMIT, 2, 105, 7, true, b1.bar.start);
	drain(f);
	step(f, &b1);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->qty, 2);
	assert_null(find_ev(f, 3, VEV_FILL));
	assert_string_equal(find_ev(f, 3, VEV_CANCELLED)->reason, "oco");
	assert_int_equal(venue_sim_position(f->v, 0), 0);

	/*
	 * The position shrinks under a bracket (a plain sell of 1): the stop
	 * fills the 1 left and cancels its rest; its target is reduced by
	 * the fill and, flat, cancelled when it would fill.
	 */
	go_long(f, 4, 2, 2);
	send(f, 0, 5, TD_SELL, ORD_STOP, 2, 95, 8, true, b3.bar.start);
	send(f, 0, 6, TD_SELL, ORD_LIMIT, 2, 105, 8, true, b3.bar.start);
	send(f, 0, 7, TD_SELL, ORD_MARKET, 1, 0, 0, false, b3.bar.start);
	drain(f);
	step(f, &b3);
	assert_int_equal(find_ev(f, 7, VEV_FILL)->qty, 1);
	e = find_ev(f, 5, VEV_FILL);
	assert_int_equal(e->qty, 1);
	assert_int_equal(e->leaves, 1);
	assert_string_equal(find_ev(f, 5, VEV_CANCELLED)->reason,
	    "reduce-only: position closed");
	e = find_ev(f, 6, VEV_REDUCED);
	assert_non_null(e);
	assert_int_equal(e->leaves, 1);
	assert_int_equal(venue_sim_position(f->v, 0), 0);
	assert_int_equal(venue_sim_working(f->v), 1);
	step(f, &b4);
	assert_null(find_ev(f, 6, VEV_FILL));
	assert_string_equal(find_ev(f, 6, VEV_CANCELLED)->reason,
	    "reduce-only: position closed");
	assert_int_equal(venue_sim_position(f->v, 0), 0);
}

static void
test_venue_sim_reduce_only_with_latency(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .latency = 500, .max_orders = 16 };

	reconfig(f, &cfg);
	tick(f, T0, 100);
	send(f, 0, 1, TD_BUY, ORD_MARKET, 1, 0, 0, false, T0);
	drain(f);
	tick(f, T0 + 500, 101);
	assert_int_equal(venue_sim_position(f->v, 0), 1);
	/*
	 * Two exits of the long, sent while it is open: what counts is the
	 * position when each arrives, not when it was sent.
	 */
	send(f, 0, 2, TD_SELL, ORD_MARKET, 1, 0, 0, false, T0 + 550);
	send(f, 0, 3, TD_SELL, ORD_MARKET, 1, 0, 0, true, T0 + 560);
	drain(f);
	tick(f, T0 + 1055, 102);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 102);
	assert_null(find_ev(f, 3, VEV_CANCELLED));
	assert_int_equal(venue_sim_position(f->v, 0), 0);
	tick(f, T0 + 1060, 103);
	assert_null(find_ev(f, 3, VEV_FILL));
	assert_string_equal(find_ev(f, 3, VEV_CANCELLED)->reason,
	    "reduce-only: position closed");
	assert_int_equal(venue_sim_position(f->v, 0), 0);

	/* A short covered with latency: the exit fills once it arrives. */
	send(f, 0, 4, TD_SELL, ORD_MARKET, 2, 0, 0, false, T0 + 1060);
	send(f, 0, 5, TD_BUY, ORD_MARKET, 2, 0, 0, true, T0 + 1070);
	drain(f);
	tick(f, T0 + 1565, 104);
	assert_int_equal(venue_sim_position(f->v, 0), -2);
	assert_null(find_ev(f, 5, VEV_FILL));
	tick(f, T0 + 1570, 105);
	assert_int_equal(find_ev(f, 5, VEV_FILL)->qty, 2);
	assert_int_equal(find_ev(f, 5, VEV_FILL)->leaves, 0);
	assert_null(find_ev(f, 5, VEV_CANCELLED));
	assert_int_equal(venue_sim_position(f->v, 0), 0);
}

static int
keep_working(void *arg, const struct venue_status *w)
{
	*(struct venue_status *)arg = *w;
	return 0;
}

/* Remove a book and the files SQLite keeps beside it, then its dir. */
static void
rm_book(const char *dir, const char *path)
{
	char	 side[96];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	rmdir(dir);
}

static void
test_venue_sim_reduce_only_position_survives_restart(void **state)
{
	struct fx			*f = *state;
	struct venue_status		 w = { .order = { .id = 0 } };
	struct errmsg			 err = { "" };
	struct td_md			 b = bar_md(0, 1, 100, 101, 99, 100, 9);
	char				 dir[32], path[64];
	sqlite3				*db;

	snprintf(dir, sizeof dir, "/tmp/td-venue-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/book.db", dir);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	go_long(f, 1, 2, 0);
	send(f, 0, 2, TD_SELL, ORD_LIMIT, 3, 110, 0, true, b.bar.start);
	drain(f);

	/* The process dies; a new venue opens the same book. */
	reconfig(f, NULL);
	assert_int_equal(venue_sim_position(f->v, 0), 0);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	assert_int_equal(venue_sim_position(f->v, 0), 2);
	assert_int_equal(f->v->ops->mass_status(f->v->ctx, keep_working,
	    &w, &err), 0);
	assert_int_equal(w.order.id, 2);
	assert_true(w.order.reduce_only);

	/* A book written before reduce-only orders is upgraded. */
	reconfig(f, NULL);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "ALTER TABLE orders DROP COLUMN "
	    "reduce_only", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	assert_int_equal(venue_sim_position(f->v, 0), 2);
	assert_int_equal(f->v->ops->mass_status(f->v->ctx, keep_working,
	    &w, &err), 0);
	assert_int_equal(w.order.id, 2);
	assert_false(w.order.reduce_only);
	send(f, 0, 3, TD_SELL, ORD_MARKET, 3, 0, 0, true, b.bar.start);
	drain(f);
	step(f, &b);
	assert_int_equal(find_ev(f, 3, VEV_FILL)->qty, 2);
	assert_string_equal(find_ev(f, 3, VEV_CANCELLED)->reason,
	    "reduce-only: position closed");
	assert_int_equal(venue_sim_position(f->v, 0), 0);

	reconfig(f, NULL);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	assert_int_equal(venue_sim_position(f->v, 0), 0);
	reconfig(f, NULL);
	rm_book(dir, path);
}

/* ---------------------------------------------------------- stop-limits */

/* A stop-limit triggers like a stop and fills there, never beyond. */
static void
test_venue_sim_stop_limit_triggers_like_a_stop(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .slippage_ticks = 2,
				     .max_orders = 16 };
	struct td_md		 b1 = bar_md(0, 0, 100, 104, 96, 100, 10);
	struct td_md		 b2 = bar_md(0, 1, 100, 106, 94, 100, 10);

	reconfig(f, &cfg);
	slim(f, 1, TD_BUY, 1, 105, 110, T0);	/* room for the slippage */
	slim(f, 2, TD_BUY, 1, 105, 106, T0);	/* clipped to its limit */
	slim(f, 3, TD_SELL, 1, 95, 95, T0);	/* its limit at its stop */
	drain(f);
	assert_int_equal(find_ev(f, 1, VEV_ACK)->leaves, 1);
	step(f, &b1);
	assert_int_equal(f->nev, 0);
	step(f, &b2);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 107);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 106);
	assert_int_equal(find_ev(f, 3, VEV_FILL)->price, 95);
	assert_int_equal(venue_sim_working(f->v), 0);
}

/*
 * A bar that opens beyond the stop and the limit triggers the order
 * without a fill: from then on it is a limit, filled on a touch.
 */
static void
test_venue_sim_stop_limit_gap_beyond_limit_rests(void **state)
{
	struct fx	*f = *state;
	struct td_md	 b1 = bar_md(0, 0, 110, 112, 108, 111, 10);
	struct td_md	 b2 = bar_md(0, 1, 109, 109, 106, 108, 10);
	struct td_md	 b3 = bar_md(0, 2, 90, 94, 88, 92, 10);

	slim(f, 1, TD_BUY, 1, 105, 107, T0);
	slim(f, 2, TD_BUY, 1, 105, 112, T0);
	slim(f, 3, TD_SELL, 1, 95, 93, T0);
	drain(f);
	step(f, &b1);
	/* Within its limit a gap fills at the open, like a stop's. */
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 110);
	assert_null(find_ev(f, 1, VEV_FILL));
	assert_int_equal(venue_sim_working(f->v), 2);
	/* A limit at 107 now: the next bar's low reaches it. */
	step(f, &b2);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 107);
	/* The same bar: through both at the open, back to the limit later. */
	step(f, &b3);
	assert_int_equal(find_ev(f, 3, VEV_FILL)->price, 93);
	assert_int_equal(venue_sim_working(f->v), 0);
}

/* With SIM_OHLC a stop-limit is a stop, then a limit, on the bar's path. */
static void
test_venue_sim_stop_limit_with_ohlc_path(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .bar_path = SIM_OHLC,
				     .max_orders = 16 };
	struct td_md		 b1 = bar_md(0, 0, 110, 111, 109, 110, 10);
	struct td_md		 b2 = bar_md(0, 1, 110, 112, 104, 105, 10);

	reconfig(f, &cfg);
	slim(f, 1, TD_BUY, 1, 105, 106, T0);
	drain(f);
	step(f, &b1);
	assert_int_equal(f->nev, 0);
	/* 110 -> 112 -> 104 -> 105: up to 2's stop, then down to 1's limit. */
	slim(f, 2, TD_BUY, 1, 111, 111, b1.bar.end);
	drain(f);
	step(f, &b2);
	assert_int_equal(find_ev(f, 2, VEV_FILL)->price, 111);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 106);
	assert_true(ev_index(f, 2, VEV_FILL) < ev_index(f, 1, VEV_FILL));
}

static void
test_venue_sim_stop_limit_rejects(void **state)
{
	struct fx	*f = *state;
	struct td_md	 b = bar_md(0, 0, 100, 101, 99, 100, 10);

	step(f, &b);
	slim(f, 1, TD_BUY, 1, 105, 104, T0);
	slim(f, 2, TD_SELL, 1, 95, 96, T0);
	slim(f, 3, TD_BUY, 1, 105, 0, T0);
	slim(f, 4, TD_BUY, 1, 100, 101, T0);
	put(f, 0, 5, TD_BUY, ORD_LIMIT, 1, 95, 0, (enum order_tif)7, T0);
	slim(f, 6, TD_BUY, 1, 105, 105, T0);
	drain(f);
	assert_string_equal(find_ev(f, 1, VEV_REJECT)->reason, "buy "
	    "stop-limit's limit 104 is below its stop 105 (ticks)");
	assert_string_equal(find_ev(f, 2, VEV_REJECT)->reason, "sell "
	    "stop-limit's limit 96 is above its stop 95 (ticks)");
	assert_string_equal(find_ev(f, 3, VEV_REJECT)->reason,
	    "limit 0 not positive");
	/* Its stop is a stop: not through the market. */
	assert_string_equal(find_ev(f, 4, VEV_REJECT)->reason, "buy stop 100 "
	    "is not above the market 100 (ticks)");
	assert_string_equal(find_ev(f, 5, VEV_REJECT)->reason,
	    "unknown time in force 7");
	assert_non_null(find_ev(f, 6, VEV_ACK));
	assert_int_equal(venue_sim_working(f->v), 1);
}

/*
 * A stop-limit that filled in part has triggered: the rest is a limit,
 * not a market order like a stop's rest.
 */
static void
test_venue_sim_stop_limit_partial_rest_is_a_limit(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 16 };
	struct td_md		 b1 = bar_md(0, 0, 100, 106, 99, 100, 30);
	struct td_md		 b2 = bar_md(0, 1, 108, 109, 107, 108, 30);
	struct td_md		 b3 = bar_md(0, 2, 107, 107, 105, 106, 30);
	const struct venue_event *e;

	reconfig(f, &cfg);
	slim(f, 1, TD_BUY, 5, 105, 106, T0);
	drain(f);
	step(f, &b1);
	e = find_ev(f, 1, VEV_FILL);
	assert_int_equal(e->qty, 3);
	assert_int_equal(e->price, 105);
	assert_int_equal(e->leaves, 2);
	step(f, &b2);
	assert_null(find_ev(f, 1, VEV_FILL));
	step(f, &b3);
	e = find_ev(f, 1, VEV_FILL);
	assert_int_equal(e->qty, 2);
	assert_int_equal(e->price, 106);
	assert_int_equal(e->leaves, 0);
}

/* replace_limit moves a stop-limit's stop and limit; the pair stays sane. */
static void
test_venue_sim_stop_limit_replace(void **state)
{
	struct fx			*f = *state;
	struct td_md		 b1 = bar_md(0, 0, 100, 101, 99, 100, 10);
	struct td_md		 b2 = bar_md(0, 1, 100, 111, 99, 110, 10);
	const struct venue_ops		*ops = f->v->ops;
	const struct venue_event	*e;

	step(f, &b1);
	slim(f, 1, TD_BUY, 1, 105, 106, T0);
	sub(f, 2, TD_BUY, ORD_LIMIT, 1, 95, 0, T0);
	drain(f);
	assert_int_equal(ops->replace_limit(f->v->ctx, 1, 2, 110, 112, T0), 0);
	assert_int_equal(ops->replace_limit(f->v->ctx, 1, 0, 0, 109, T0), 0);
	assert_int_equal(ops->replace(f->v->ctx, 1, 0, 113, T0), 0);
	assert_int_equal(ops->replace_limit(f->v->ctx, 2, 0, 0, 96, T0), 0);
	assert_int_equal(ops->replace_limit(f->v->ctx, 1, 0, 0, -1, T0), 0);
	assert_int_equal(drain(f), 5);
	e = &f->ev[0];
	assert_int_equal(e->kind, VEV_REPLACED);
	assert_int_equal(e->qty, 2);
	assert_int_equal(e->price, 110);
	assert_int_equal(e->limit, 112);
	assert_int_equal(f->ev[1].kind, VEV_CANCEL_REJECT);
	assert_string_equal(f->ev[1].reason, "buy stop-limit's limit 109 is "
	    "below its stop 110 (ticks)");
	assert_int_equal(f->ev[2].kind, VEV_CANCEL_REJECT);
	assert_string_equal(f->ev[2].reason, "buy stop-limit's limit 112 is "
	    "below its stop 113 (ticks)");
	assert_string_equal(f->ev[3].reason, "only a stop-limit has a limit "
	    "price");
	assert_string_equal(f->ev[4].reason, "limit -1 not positive");
	/* The old stop at 105 would fill at 105: the new one at 110. */
	step(f, &b2);
	e = find_ev(f, 1, VEV_FILL);
	assert_int_equal(e->price, 110);
	assert_int_equal(e->qty, 2);
}

/* ------------------------------------------------------- time in force */

/*
 * An IOC order takes part in the first event of its instrument: what is
 * not filled then expires, a stop's too.
 */
static void
test_venue_sim_ioc_takes_one_event(void **state)
{
	struct fx			*f = *state;
	struct venue_sim_cfg		 cfg = { .participation_pct = 10,
					     .max_orders = 16 };
	struct td_md			 t = tick_md(1, T0, 500, 10);
	struct td_md		 b1 = bar_md(0, 0, 100, 101, 97, 100, 30);
	struct td_md		 b2 = bar_md(0, 1, 100, 110, 90, 100, 30);
	const struct venue_event	*e;

	reconfig(f, &cfg);
	put(f, 0, 1, TD_BUY, ORD_LIMIT, 5, 99, 0, TIF_IOC, T0);
	put(f, 0, 2, TD_BUY, ORD_LIMIT, 1, 90, 0, TIF_IOC, T0);
	put(f, 0, 3, TD_BUY, ORD_STOP, 1, 110, 0, TIF_IOC, T0);
	put(f, 0, 4, TD_BUY, ORD_LIMIT, 1, 95, 0, TIF_GTC, T0);
	drain(f);
	/* Another instrument's event is not theirs. */
	step(f, &t);
	assert_int_equal(f->nev, 0);
	assert_int_equal(venue_sim_working(f->v), 4);
	step(f, &b1);
	e = find_ev(f, 1, VEV_FILL);
	assert_int_equal(e->qty, 3);
	assert_int_equal(e->leaves, 2);
	e = find_ev(f, 1, VEV_CANCELLED);
	assert_string_equal(e->reason, "expired: immediate or cancel");
	assert_int_equal(e->qty, 3);
	assert_int_equal(e->time, b1.bar.end);
	assert_true(ev_index(f, 1, VEV_FILL) < ev_index(f, 1, VEV_CANCELLED));
	assert_string_equal(find_ev(f, 2, VEV_CANCELLED)->reason,
	    "expired: immediate or cancel");
	assert_string_equal(find_ev(f, 3, VEV_CANCELLED)->reason,
	    "expired: immediate or cancel");
	assert_null(find_ev(f, 4, VEV_CANCELLED));
	assert_int_equal(venue_sim_working(f->v), 1);

	/* Sent while the bar is processed: the rest of that bar is its own. */
	market(f, &b2);
	drain(f);
	put(f, 0, 5, TD_SELL, ORD_LIMIT, 1, 109, 0, TIF_IOC, b2.bar.end);
	put(f, 0, 6, TD_SELL, ORD_LIMIT, 1, 120, 0, TIF_IOC, b2.bar.end);
	drain(f);
	f->v->ops->settle(f->v->ctx);
	assert_int_equal(find_ev(f, 5, VEV_FILL)->price, 109);
	assert_null(find_ev(f, 5, VEV_CANCELLED));
	assert_string_equal(find_ev(f, 6, VEV_CANCELLED)->reason,
	    "expired: immediate or cancel");
	assert_int_equal(venue_sim_working(f->v), 0);
}

/*
 * At the session close of an instrument its DAY orders expire, a partly
 * filled one with what it filled; GTC orders and other instruments' stay.
 */
static void
test_venue_sim_day_orders_expire_at_session_close(void **state)
{
	struct fx			*f = *state;
	struct venue_sim_cfg		 cfg = { .participation_pct = 10,
					     .max_orders = 16 };
	struct td_md		 b = bar_md(0, 0, 100, 101, 97, 100, 30);
	td_ns				 close = T0 + 5 * MIN;
	const struct venue_ops		*ops;
	const struct venue_event	*e;

	reconfig(f, &cfg);
	ops = f->v->ops;
	put(f, 0, 1, TD_BUY, ORD_LIMIT, 5, 99, 0, TIF_DAY, T0);
	put(f, 0, 2, TD_BUY, ORD_LIMIT, 1, 90, 0, TIF_GTC, T0);
	put(f, 1, 3, TD_BUY, ORD_LIMIT, 1, 90, 0, TIF_DAY, T0);
	put(f, 0, 4, TD_BUY, ORD_STOP_LIMIT, 1, 110, 111, TIF_DAY, T0);
	drain(f);
	step(f, &b);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->qty, 3);
	/* A day order takes part in every event of its day. */
	assert_null(find_ev(f, 1, VEV_CANCELLED));
	assert_int_equal(ops->session_close(f->v->ctx, 0, close), 2);
	assert_int_equal(drain(f), 2);
	e = find_ev(f, 1, VEV_CANCELLED);
	assert_string_equal(e->reason, "expired: end of day");
	assert_int_equal(e->qty, 3);
	assert_int_equal(e->leaves, 0);
	assert_int_equal(e->time, close);
	assert_string_equal(find_ev(f, 4, VEV_CANCELLED)->reason,
	    "expired: end of day");
	assert_int_equal(venue_sim_working(f->v), 2);
	assert_int_equal(ops->session_close(f->v->ctx, 0, close), 0);
	assert_int_equal(drain(f), 0);
	assert_int_equal(ops->session_close(f->v->ctx, 1, close), 1);
	assert_int_equal(drain(f), 1);
	assert_string_equal(find_ev(f, 3, VEV_CANCELLED)->reason,
	    "expired: end of day");
	assert_int_equal(venue_sim_working(f->v), 1);
}

/* The book keeps a stop-limit's limit, its trigger and times in force. */
static void
test_venue_sim_book_keeps_limit_and_tif(void **state)
{
	struct fx			*f = *state;
	struct venue_status		 w = { .order = { .id = 0 } };
	struct errmsg			 err = { "" };
	struct td_md		 b1 = bar_md(0, 0, 110, 111, 108, 110, 10);
	struct td_md		 b2 = bar_md(0, 1, 100, 104, 99, 100, 10);
	char				 dir[32], path[64];
	sqlite3				*db;

	snprintf(dir, sizeof dir, "/tmp/td-venue-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/book.db", dir);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	put(f, 0, 1, TD_BUY, ORD_STOP_LIMIT, 1, 105, 107, TIF_DAY, T0);
	drain(f);
	step(f, &b1);			/* through both: triggered */
	assert_int_equal(f->nev, 0);

	reconfig(f, NULL);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	assert_int_equal(f->v->ops->mass_status(f->v->ctx, keep_working,
	    &w, &err), 0);
	assert_int_equal(w.order.id, 1);
	assert_int_equal(w.order.type, ORD_STOP_LIMIT);
	assert_int_equal(w.order.limit, 107);
	assert_int_equal(w.order.tif, TIF_DAY);
	/* Still a limit at 107: a bar short of its stop fills it. */
	step(f, &b2);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 100);

	/* A book from before stop-limits and times in force is upgraded. */
	put(f, 0, 2, TD_BUY, ORD_LIMIT, 1, 90, 0, TIF_DAY, T0);
	drain(f);
	reconfig(f, NULL);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "ALTER TABLE orders DROP COLUMN "
	    "limit_price; ALTER TABLE orders DROP COLUMN tif", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	assert_int_equal(f->v->ops->mass_status(f->v->ctx, keep_working,
	    &w, &err), 0);
	assert_int_equal(w.order.id, 2);
	assert_int_equal(w.order.limit, 0);
	assert_int_equal(w.order.tif, TIF_GTC);
	put(f, 0, 3, TD_BUY, ORD_STOP_LIMIT, 1, 105, 106, TIF_IOC, T0);
	assert_int_equal(drain(f), 1);
	reconfig(f, NULL);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	w.order.id = 0;
	assert_int_equal(f->v->ops->mass_status(f->v->ctx, keep_working,
	    &w, &err), 0);
	assert_int_equal(w.order.id, 3);
	assert_int_equal(w.order.limit, 106);
	assert_int_equal(w.order.tif, TIF_IOC);
	reconfig(f, NULL);
	rm_book(dir, path);
}

static void
test_venue_sim_rejects(void **state)
{
	struct fx			*f = *state;
	struct venue_sim_cfg		 cfg = { .max_orders = 2 };
	struct venue_order		 o = { .id = 9, .inst = -1,
					     .side = TD_BUY, .type = ORD_LIMIT,
					     .qty = 1, .price = 100 };
	const struct venue_event	*e;

	reconfig(f, &cfg);
	sub(f, 1, TD_BUY, ORD_LIMIT, 0, 100, 0, T0);
	sub(f, 2, TD_BUY, ORD_LIMIT, 1, 0, 0, T0);
	sub(f, 3, TD_SELL, ORD_STOP, 1, -4, 0, T0);
	assert_int_equal(f->v->ops->submit(f->v->ctx, &o, T0), 0);
	o.inst = VENUE_SIM_MAX_INST;
	o.id = 10;
	assert_int_equal(f->v->ops->submit(f->v->ctx, &o, T0), 0);
	drain(f);
	assert_string_equal(find_ev(f, 1, VEV_REJECT)->reason,
	    "qty 0 not positive");
	assert_string_equal(find_ev(f, 2, VEV_REJECT)->reason,
	    "price 0 not positive");
	assert_non_null(find_ev(f, 3, VEV_REJECT));
	assert_string_equal(find_ev(f, 9, VEV_REJECT)->reason,
	    "unknown instrument -1");
	assert_non_null(find_ev(f, 10, VEV_REJECT));
	/* A market order needs no price. */
	sub(f, 4, TD_BUY, ORD_MARKET, 1, 0, 0, T0);
	sub(f, 4, TD_BUY, ORD_MARKET, 1, 0, 0, T0);
	sub(f, 5, TD_BUY, ORD_LIMIT, 1, 90, 0, T0);
	sub(f, 6, TD_BUY, ORD_LIMIT, 1, 90, 0, T0);
	drain(f);
	assert_non_null(find_ev(f, 4, VEV_ACK));
	e = find_ev(f, 4, VEV_REJECT);
	assert_string_equal(e->reason, "duplicate order id 4");
	assert_non_null(find_ev(f, 5, VEV_ACK));
	e = find_ev(f, 6, VEV_REJECT);
	assert_string_equal(e->reason, "venue full: 2 working orders");
	assert_int_equal(venue_sim_working(f->v), 2);
}

static void
test_venue_sim_cancel_and_replace(void **state)
{
	struct fx			*f = *state;
	struct td_md		 b = bar_md(0, 0, 100, 101, 97, 100, 10);
	const struct venue_event	*e;

	sub(f, 1, TD_BUY, ORD_LIMIT, 2, 95, 0, T0);
	sub(f, 2, TD_BUY, ORD_LIMIT, 2, 95, 0, T0);
	drain(f);
	assert_int_equal(f->v->ops->cancel(f->v->ctx, 1, T0), 0);
	assert_int_equal(f->v->ops->replace(f->v->ctx, 2, 3, 97, T0), 0);
	drain(f);
	assert_string_equal(find_ev(f, 1, VEV_CANCELLED)->reason,
	    "cancelled");
	e = find_ev(f, 2, VEV_REPLACED);
	assert_int_equal(e->qty, 3);
	assert_int_equal(e->price, 97);
	assert_int_equal(e->leaves, 3);
	/* Cancel or replace of a finished or unknown order. */
	f->v->ops->cancel(f->v->ctx, 1, T0);
	f->v->ops->replace(f->v->ctx, 77, 1, 90, T0);
	/* Not below one contract; price kept with 0. */
	f->v->ops->replace(f->v->ctx, 2, -1, 0, T0);
	drain(f);
	assert_int_equal(f->nev, 3);
	assert_int_equal(f->ev[0].kind, VEV_CANCEL_REJECT);
	assert_int_equal(f->ev[1].kind, VEV_CANCEL_REJECT);
	assert_int_equal(f->ev[2].kind, VEV_CANCEL_REJECT);
	/* The replaced price is the one that trades. */
	step(f, &b);
	e = find_ev(f, 2, VEV_FILL);
	assert_int_equal(e->price, 97);
	assert_int_equal(e->qty, 3);
	assert_null(find_ev(f, 1, VEV_FILL));
}

static void
test_venue_sim_replace_below_filled_refused(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 16 };
	struct td_md		 b = bar_md(0, 0, 100, 101, 99, 100, 30);

	reconfig(f, &cfg);
	sub(f, 1, TD_BUY, ORD_MARKET, 10, 0, 0, T0);
	drain(f);
	step(f, &b);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->qty, 3);
	f->v->ops->replace(f->v->ctx, 1, 3, 0, T0);
	f->v->ops->replace(f->v->ctx, 1, 4, 0, T0);
	f->v->ops->replace(f->v->ctx, 1, 0, 99, T0);
	drain(f);
	assert_int_equal(f->ev[0].kind, VEV_CANCEL_REJECT);
	assert_string_equal(f->ev[0].reason, "qty 3 not above filled 3");
	assert_int_equal(f->ev[1].kind, VEV_REPLACED);
	assert_int_equal(f->ev[1].leaves, 1);
	assert_int_equal(f->ev[2].kind, VEV_CANCEL_REJECT);
}

static void
test_venue_sim_other_instrument_untouched(void **state)
{
	struct fx		*f = *state;
	struct venue_order	 o = { .id = 1, .inst = 1, .side = TD_BUY,
				     .type = ORD_MARKET, .qty = 1 };
	struct td_md		 b0 = bar_md(0, 0, 100, 101, 99, 100, 1);
	struct td_md		 b1 = bar_md(1, 0, 50, 51, 49, 50, 1);

	f->v->ops->submit(f->v->ctx, &o, T0);
	drain(f);
	step(f, &b0);
	assert_int_equal(f->nev, 0);
	step(f, &b1);
	assert_int_equal(find_ev(f, 1, VEV_FILL)->price, 50);
}

static void
test_venue_sim_deterministic(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 30,
				     .bar_path = SIM_OHLC, .slippage_ticks = 1,
				     .max_orders = 64 };
	struct venue_event	 first[MAXEV];
	int			 run, i, n = 0, total;
	struct td_md		 b;

	for (run = 0; run < 2; run++) {
		reconfig(f, &cfg);
		total = 0;
		for (i = 0; i < 20; i++) {
			b = bar_md(0, i, 100 + i % 5, 106 + i % 3,
			    95 - i % 4, 100 + i % 7, 10 + i);
			sub(f, 100 + i, i % 2 ? TD_BUY : TD_SELL,
			    (enum order_type)(i % 3), 3, 98 + i % 6,
			    i % 4 ? 0 : 500, b.bar.start);
			market(f, &b);
			while (total < MAXEV &&
			    f->v->ops->poll(f->v->ctx, &f->ev[total]))
				total++;
			f->v->ops->settle(f->v->ctx);
		}
		if (run == 0) {
			memcpy(first, f->ev, sizeof first);
			n = total;
		}
	}
	assert_true(n > 20);
	assert_int_equal(total, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(first[i].kind, f->ev[i].kind);
		assert_int_equal(first[i].id, f->ev[i].id);
		assert_int_equal(first[i].qty, f->ev[i].qty);
		assert_int_equal(first[i].price, f->ev[i].price);
		assert_int_equal(first[i].leaves, f->ev[i].leaves);
		assert_int_equal(first[i].time, f->ev[i].time);
		assert_string_equal(first[i].reason, f->ev[i].reason);
	}
}

static void
test_venue_sim_full_queue_refuses_not_loses(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .max_orders = 1 };
	int			 i, sent = 0;
	struct venue_order	 o = { .inst = 0, .side = TD_BUY,
				     .type = ORD_LIMIT, .qty = 1,
				     .price = 90 };

	reconfig(f, &cfg);
	for (i = 0; i < 200; i++) {
		o.id = i + 1;
		if (f->v->ops->submit(f->v->ctx, &o, T0) == 0)
			sent++;
	}
	/* 4 x 1 + 64 events fit; every accepted call has its answer. */
	assert_int_equal(sent, 68);
	assert_int_equal(f->v->ops->mass_cancel(f->v->ctx, -1, T0), -1);
	assert_int_equal(drain(f), 68);
	assert_int_equal(f->ev[0].kind, VEV_ACK);
	assert_int_equal(f->ev[67].kind, VEV_REJECT);
}

static void
test_venue_sim_bad_config(void **state)
{
	struct errmsg		 err = { "" };
	struct venue_sim_cfg	 cfg = { .max_orders = 0 };

	(void)state;
	assert_null(venue_sim_create(&cfg, &err));
	assert_string_equal(err.msg, "max_orders 0 not in 1..1000000");
	cfg = (struct venue_sim_cfg){ .slippage_ticks = -1, .max_orders = 1 };
	assert_null(venue_sim_create(&cfg, &err));
	assert_string_equal(err.msg, "slippage_ticks -1 below 0");
	cfg = (struct venue_sim_cfg){ .participation_pct = 101,
	    .max_orders = 1 };
	assert_null(venue_sim_create(&cfg, &err));
	cfg = (struct venue_sim_cfg){ .latency = -1, .max_orders = 1 };
	assert_null(venue_sim_create(&cfg, &err));
	venue_sim_free(NULL);
}

/* ---------------------------------------------------------- questions */

/* Mass cancel: one instrument's working orders, or all, oldest first. */
static void
test_venue_sim_mass_cancel(void **state)
{
	struct fx	*f = *state;

	put(f, 0, 1, TD_BUY, ORD_LIMIT, 1, 90, 0, TIF_GTC, T0);
	put(f, 1, 2, TD_BUY, ORD_LIMIT, 1, 90, 0, TIF_GTC, T0);
	put(f, 0, 3, TD_SELL, ORD_LIMIT, 2, 120, 0, TIF_DAY, T0);
	assert_int_equal(drain(f), 3);
	assert_int_equal(f->v->ops->mass_cancel(f->v->ctx, 0, T0 + 7), 2);
	assert_int_equal(drain(f), 2);
	assert_int_equal(f->ev[0].kind, VEV_CANCELLED);
	assert_int_equal(f->ev[0].id, 1);
	assert_int_equal(f->ev[1].id, 3);
	assert_int_equal(f->ev[1].time, T0 + 7);
	assert_string_equal(f->ev[1].reason, "cancelled");
	assert_int_equal(venue_sim_working(f->v), 1);
	assert_int_equal(f->v->ops->mass_cancel(f->v->ctx, 0, T0 + 8), 0);
	assert_int_equal(drain(f), 0);
	assert_int_equal(f->v->ops->mass_cancel(f->v->ctx, -1, T0 + 9), 1);
	assert_int_equal(drain(f), 1);
	assert_int_equal(f->ev[0].id, 2);
	assert_int_equal(venue_sim_working(f->v), 0);
	/* Gone: a cancel of one of them is refused as for any. */
	assert_int_equal(f->v->ops->cancel(f->v->ctx, 3, T0 + 10), 0);
	assert_int_equal(drain(f), 1);
	assert_int_equal(f->ev[0].kind, VEV_CANCEL_REJECT);
}

struct statuses {
	int			 n, stop_at;
	struct venue_status	 st[8];
};

static int
keep_status(void *arg, const struct venue_status *st)
{
	struct statuses	*l = arg;

	l->st[l->n++] = *st;
	return l->n == l->stop_at;
}

static struct venue_status
status_of(struct fx *f, uint64_t id)
{
	struct venue_status	 st;
	struct errmsg		 err = { "" };

	memset(&st, 0xa5, sizeof st);
	assert_int_equal(f->v->ops->order_status(f->v->ctx, id, &st, &err),
	    0);
	return st;
}

/*
 * Order status and mass status from memory: working orders as they work
 * (filled, leaves, price); an order the venue never took, or (without a
 * book) no longer works, is unknown.
 */
static void
test_venue_sim_order_and_mass_status(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 16 };
	struct td_md		 b = bar_md(0, 0, 100, 101, 99, 100, 20);
	struct statuses		 l = { .n = 0 };
	struct errmsg		 err = { "" };
	struct venue_status	 st;

	reconfig(f, &cfg);
	put(f, 0, 1, TD_BUY, ORD_MARKET, 5, 0, 0, TIF_GTC, T0);
	put(f, 1, 2, TD_SELL, ORD_LIMIT, 3, 120, 0, TIF_GTC, T0);
	slim(f, 3, TD_BUY, 1, 105, 107, T0);
	drain(f);
	step(f, &b);			/* 2 of order 1 at the open */
	st = status_of(f, 1);
	assert_int_equal(st.state, VOS_WORKING);
	assert_int_equal(st.order.id, 1);
	assert_int_equal(st.order.qty, 5);
	assert_int_equal(st.filled, 2);
	assert_int_equal(st.leaves, 3);
	st = status_of(f, 3);
	assert_int_equal(st.state, VOS_WORKING);
	assert_int_equal(st.order.type, ORD_STOP_LIMIT);
	assert_int_equal(st.order.price, 105);
	assert_int_equal(st.order.limit, 107);
	assert_int_equal(st.filled, 0);
	assert_int_equal(st.leaves, 1);
	st = status_of(f, 99);
	assert_int_equal(st.state, VOS_UNKNOWN);
	assert_int_equal(st.order.id, 99);

	assert_int_equal(f->v->ops->mass_status(f->v->ctx, keep_status, &l,
	    &err), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.st[0].order.id, 1);
	assert_int_equal(l.st[1].order.id, 2);
	assert_int_equal(l.st[1].order.inst, 1);
	assert_int_equal(l.st[1].leaves, 3);
	assert_int_equal(l.st[2].order.id, 3);
	/* The listing stops when asked to. */
	l = (struct statuses){ .stop_at = 2 };
	assert_int_equal(f->v->ops->mass_status(f->v->ctx, keep_status, &l,
	    &err), 0);
	assert_int_equal(l.n, 2);

	/* Without a book a finished order is forgotten. */
	assert_int_equal(f->v->ops->cancel(f->v->ctx, 2, T0), 0);
	drain(f);
	assert_int_equal(status_of(f, 2).state, VOS_UNKNOWN);
	l = (struct statuses){ .n = 0 };
	assert_int_equal(f->v->ops->mass_status(f->v->ctx, keep_status, &l,
	    &err), 0);
	assert_int_equal(l.n, 2);
}

struct execs {
	int			 n;
	struct venue_exec	 x[8];
};

static int
keep_exec(void *arg, const struct venue_exec *x)
{
	struct execs	*l = arg;

	l->x[l->n++] = *x;
	return 0;
}

static int
execs_since(struct fx *f, td_ns since, struct execs *l)
{
	struct errmsg	 err = { "" };

	l->n = 0;
	assert_int_equal(f->v->ops->executions(f->v->ctx, since, keep_exec, l,
	    &err), 0);
	return l->n;
}

/*
 * With a book the venue answers for finished orders too, lists its fills
 * from a time on (at or after it) with what each order had filled after
 * it, and the positions it took over -- after a restart as before.
 */
static void
test_venue_sim_book_answers(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 16 };
	struct td_md		 b0 = bar_md(0, 0, 100, 100, 100, 100, 20);
	struct td_md		 b1 = bar_md(0, 1, 100, 101, 100, 101, 20);
	struct errmsg		 err = { "" };
	struct execs		 l;
	struct venue_status	 st;
	char			 dir[32], path[64];

	snprintf(dir, sizeof dir, "/tmp/td-venue-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/book.db", dir);
	reconfig(f, &cfg);
	assert_int_equal(execs_since(f, 0, &l), 0);	/* no book: none */
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	put(f, 0, 1, TD_BUY, ORD_MARKET, 2, 0, 0, TIF_GTC, T0);
	drain(f);
	step(f, &b0);			/* 2 at the open, at its start */
	put(f, 0, 2, TD_SELL, ORD_LIMIT, 3, 101, 0, TIF_GTC, b0.bar.end);
	drain(f);
	step(f, &b1);			/* 2 of 3 at 101, at its end */
	assert_int_equal(f->v->ops->cancel(f->v->ctx, 2, b1.bar.end), 0);
	put(f, 0, 3, TD_BUY, ORD_LIMIT, 1, 90, 0, TIF_GTC, b1.bar.end);
	drain(f);

	/* The process dies; a new venue opens the same book. */
	reconfig(f, &cfg);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	st = status_of(f, 1);
	assert_int_equal(st.state, VOS_FILLED);
	assert_int_equal(st.filled, 2);
	assert_int_equal(st.leaves, 0);
	st = status_of(f, 2);
	assert_int_equal(st.state, VOS_CANCELLED);
	assert_int_equal(st.order.price, 101);
	assert_int_equal(st.filled, 2);
	assert_int_equal(st.leaves, 0);
	assert_int_equal(status_of(f, 3).state, VOS_WORKING);
	assert_int_equal(status_of(f, 4).state, VOS_UNKNOWN);

	assert_int_equal(execs_since(f, 0, &l), 2);
	assert_int_equal(l.x[0].exec, 1);
	assert_int_equal(l.x[0].order_id, 1);
	assert_int_equal(l.x[0].side, TD_BUY);
	assert_int_equal(l.x[0].qty, 2);
	assert_int_equal(l.x[0].price, 100);
	assert_int_equal(l.x[0].time, b0.bar.start);
	assert_int_equal(l.x[0].order_filled, 2);
	assert_int_equal(l.x[1].exec, 2);
	assert_int_equal(l.x[1].order_id, 2);
	assert_int_equal(l.x[1].side, TD_SELL);
	assert_int_equal(l.x[1].price, 101);
	assert_int_equal(l.x[1].time, b1.bar.end);
	assert_int_equal(l.x[1].order_filled, 2);
	assert_int_equal(execs_since(f, b0.bar.start + 1, &l), 1);
	assert_int_equal(execs_since(f, b1.bar.end, &l), 1);
	assert_int_equal(l.x[0].order_id, 2);
	assert_int_equal(execs_since(f, b1.bar.end + 1, &l), 0);

	/* A position taken over is listed after the fills, as order 0. */
	assert_int_equal(venue_sim_position(f->v, 0), 0);
	assert_int_equal(f->v->ops->adopt_position(f->v->ctx, 0, -3,
	    b1.bar.end + 5, &err), 0);
	assert_int_equal(venue_sim_position(f->v, 0), -3);
	reconfig(f, &cfg);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	assert_int_equal(venue_sim_position(f->v, 0), -3);
	assert_int_equal(execs_since(f, 0, &l), 3);
	assert_int_equal(l.x[2].order_id, 0);
	assert_int_equal(l.x[2].exec, 0);
	assert_int_equal(l.x[2].inst, 0);
	assert_int_equal(l.x[2].side, TD_SELL);
	assert_int_equal(l.x[2].qty, 3);
	assert_int_equal(l.x[2].time, b1.bar.end + 5);
	assert_int_equal(execs_since(f, b1.bar.end + 6, &l), 0);
	assert_int_equal(f->v->ops->adopt_position(f->v->ctx, VENUE_SIM_MAX_INST,
	    1, 0, &err), -1);
	reconfig(f, NULL);
	rm_book(dir, path);
}

/* Up without a book and with one; lost once its book cannot be written. */
static void
test_venue_sim_connection(void **state)
{
	struct fx	*f = *state;
	struct errmsg	 err = { "" };
	char		 dir[32], path[64];
	sqlite3		*db;

	assert_int_equal(f->v->ops->conn(f->v->ctx), VENUE_UP);
	assert_null(venue_sim_book_error(f->v));
	snprintf(dir, sizeof dir, "/tmp/td-venue-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/book.db", dir);
	assert_int_equal(venue_sim_open_book(f->v, path, &err), 0);
	put(f, 0, 1, TD_BUY, ORD_LIMIT, 1, 90, 0, TIF_GTC, T0);
	drain(f);
	assert_int_equal(f->v->ops->conn(f->v->ctx), VENUE_UP);
	/* Someone else breaks the book: the next write fails. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE orders", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	put(f, 0, 2, TD_BUY, ORD_LIMIT, 1, 91, 0, TIF_GTC, T0);
	drain(f);
	assert_int_equal(f->v->ops->conn(f->v->ctx), VENUE_LOST);
	assert_non_null(venue_sim_book_error(f->v));
	assert_non_null(strstr(venue_sim_book_error(f->v),
	    "venue book: store order"));
	reconfig(f, NULL);
	rm_book(dir, path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_venue_sim_ack_and_time),
		T(test_venue_sim_market_waits_for_next_bar_open),
		T(test_venue_sim_market_fills_at_next_tick),
		T(test_venue_sim_slippage_worse_for_trader),
		T(test_venue_sim_stop_triggers_at_or_through),
		T(test_venue_sim_stop_gap_fills_at_open),
		T(test_venue_sim_limit_fills_on_touch),
		T(test_venue_sim_limit_gap_fills_at_open),
		T(test_venue_sim_same_bar_orders_match_rest_of_bar),
		T(test_venue_sim_quiet_event_settles_itself),
		T(test_venue_sim_same_bar_legs_start_at_last_fill),
		T(test_venue_sim_same_bar_with_ohlc_uses_rest_of_path),
		T(test_venue_sim_oco_full_fill_cancels_sibling),
		T(test_venue_sim_oco_partial_fill_reduces_sibling),
		T(test_venue_sim_stop_first_when_bar_touches_both),
		T(test_venue_sim_ohlc_follows_bar_path),
		T(test_venue_sim_ticks_trigger_against_price),
		T(test_venue_sim_participation_partial_fills),
		T(test_venue_sim_partial_stop_rest_fills_like_market),
		T(test_venue_sim_latency_delays_activation),
		T(test_venue_sim_order_skips_bar_begun_before_it),
		T(test_venue_sim_stop_through_market_rejected),
		T(test_venue_sim_same_bar_stop_judged_where_the_fill_was),
		T(test_venue_sim_reduce_only_never_beyond_flat),
		T(test_venue_sim_reduce_only_clipped_then_cancelled),
		T(test_venue_sim_reduce_only_wrong_side_never_adds),
		T(test_venue_sim_reduce_only_oco_groups),
		T(test_venue_sim_reduce_only_with_latency),
		T(test_venue_sim_reduce_only_position_survives_restart),
		T(test_venue_sim_stop_limit_triggers_like_a_stop),
		T(test_venue_sim_stop_limit_gap_beyond_limit_rests),
		T(test_venue_sim_stop_limit_with_ohlc_path),
		T(test_venue_sim_stop_limit_rejects),
		T(test_venue_sim_stop_limit_partial_rest_is_a_limit),
		T(test_venue_sim_stop_limit_replace),
		T(test_venue_sim_ioc_takes_one_event),
		T(test_venue_sim_day_orders_expire_at_session_close),
		T(test_venue_sim_book_keeps_limit_and_tif),
		T(test_venue_sim_rejects),
		T(test_venue_sim_cancel_and_replace),
		T(test_venue_sim_replace_below_filled_refused),
		T(test_venue_sim_other_instrument_untouched),
		T(test_venue_sim_deterministic),
		T(test_venue_sim_full_queue_refuses_not_loses),
		T(test_venue_sim_bad_config),
		T(test_venue_sim_mass_cancel),
		T(test_venue_sim_order_and_mass_status),
		T(test_venue_sim_book_answers),
		T(test_venue_sim_connection),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
