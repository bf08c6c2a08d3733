/*
 * test-fill-model.c -- the named fill models, each rule on hand-made bars:
 * the price rules of fill-model.h alone, then the simulated exchange
 * under each model (touch or through for limits, gap bars, the bar path
 * deciding a bracket's stop or target, market orders at the next open,
 * backtrader's arrival order and legs that work from the next bar), and
 * the order manager pricing a bracket from the signal under backtrader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "fill-model.h"
#include "order-mgr.h"
#include "venue-sim.h"

#define T0	(1700000000LL * TD_NS_PER_SEC)
#define MIN	TD_NS_PER_MIN
#define MAXEV	64

struct fx {
	struct venue		*v;
	struct venue_event	 ev[MAXEV];
	int			 nev;
};

static struct fx *
fx_new(enum fill_model m, int slippage)
{
	struct venue_sim_cfg	 cfg = {
		.slippage_ticks = slippage,
		.max_orders = 16,
		.fill_model = m,
	};
	struct errmsg		 err = { "" };
	struct fx		*f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->v = venue_sim_create(&cfg, &err);
	assert_non_null(f->v);
	return f;
}

static void
fx_free(struct fx *f)
{
	venue_sim_free(f->v);
	free(f);
}

static struct td_md
bar(int n, td_ticks o, td_ticks h, td_ticks l, td_ticks c)
{
	return (struct td_md){
		.kind = TD_MD_BAR,
		.inst = 0,
		.bar = {
			.start = T0 + n * MIN,
			.end = T0 + (n + 1) * MIN,
			.open = o, .high = h, .low = l, .close = c,
			.volume = 100,
		},
	};
}

static void
sub(struct fx *f, uint64_t id, enum td_side side, enum order_type type,
    td_ticks price, uint64_t oco, bool reduce_only, td_ns now)
{
	struct venue_order	 o = {
		.id = id, .inst = 0, .side = side, .type = type, .qty = 1,
		.price = price, .oco = oco, .reduce_only = reduce_only,
	};

	assert_int_equal(f->v->ops->submit(f->v->ctx, &o, now), 0);
}

static int
drain(struct fx *f)
{
	f->nev = 0;
	while (f->nev < MAXEV && f->v->ops->poll(f->v->ctx, &f->ev[f->nev]))
		f->nev++;
	return f->nev;
}

/* on_market, drain, settle: one whole bar. */
static void
step(struct fx *f, const struct td_md *md)
{
	f->v->ops->on_market(f->v->ctx, md);
	drain(f);
	f->v->ops->settle(f->v->ctx);
}

static const struct venue_event *
find_ev(const struct fx *f, uint64_t id, enum venue_ev_kind k)
{
	for (int i = 0; i < f->nev; i++) {
		if (f->ev[i].id == id && f->ev[i].kind == k)
			return &f->ev[i];
	}
	return NULL;
}

/* The price order id filled at in the last events, 0 when it did not. */
static td_ticks
filled_at(const struct fx *f, uint64_t id)
{
	const struct venue_event	*e = find_ev(f, id, VEV_FILL);

	return e != NULL ? e->price : 0;
}

/* A buy limit at lvl working before bar b: where does b fill it? */
static td_ticks
limit_in_bar(enum fill_model m, td_ticks lvl, struct td_md b)
{
	struct fx	*f = fx_new(m, 0);
	td_ticks	 px;

	sub(f, 1, TD_BUY, ORD_LIMIT, lvl, 0, false, T0);
	drain(f);
	step(f, &b);
	px = filled_at(f, 1);
	fx_free(f);
	return px;
}

/*
 * A long position from a market entry, then a stop at stop and a target
 * at target as one OCO group (the stop sent first unless target_first),
 * both working before bar b.  Which leg fills in b: 2 the stop, 3 the
 * target, 0 neither.
 */
static int
bracket_in_bar(enum fill_model m, td_ticks stop, td_ticks target,
    bool target_first, struct td_md b)
{
	struct fx	*f = fx_new(m, 0);
	struct td_md	 b0 = bar(0, 100, 100, 100, 100);
	int		 which;

	sub(f, 1, TD_BUY, ORD_MARKET, 0, 0, false, T0 - MIN);
	drain(f);
	step(f, &b0);
	assert_int_equal(venue_sim_position(f->v, 0), 1);
	if (target_first)
		sub(f, 3, TD_SELL, ORD_LIMIT, target, 9, true, b0.bar.end);
	sub(f, 2, TD_SELL, ORD_STOP, stop, 9, true, b0.bar.end);
	if (!target_first)
		sub(f, 3, TD_SELL, ORD_LIMIT, target, 9, true, b0.bar.end);
	drain(f);
	step(f, &b);
	which = filled_at(f, 2) != 0 ? 2 : filled_at(f, 3) != 0 ? 3 : 0;
	if (which != 0)
		assert_string_equal(find_ev(f, which == 2 ? 3 : 2,
		    VEV_CANCELLED)->reason, "oco");
	fx_free(f);
	return which;
}

/* ------------------------------------------------- the rules alone */

static void
test_fill_model_names(void **state)
{
	enum fill_model	 m;

	(void)state;
	for (int i = 0; i < FILL_NMODELS; i++) {
		assert_int_equal(fill_model_parse(fill_model_name(
		    (enum fill_model)i), &m), 0);
		assert_int_equal(m, i);
	}
	assert_string_equal(fill_model_name(FILL_NT8_LIBERAL), "nt8-liberal");
	assert_int_equal(fill_model_parse("nt8", &m), -1);
	assert_int_equal(fill_model_parse("", &m), -1);
	assert_string_equal(fill_model_name((enum fill_model)99), "?");
}

static void
test_fill_model_limit_touch_and_through(void **state)
{
	(void)state;
	/* A buy limit at 100 and the price at 100: a touch. */
	assert_int_equal(fill_model_limit_at(FILL_TICKDESK, TD_BUY, 100, 100,
	    100), 100);
	assert_int_equal(fill_model_limit_at(FILL_NT8_DEFAULT, TD_BUY, 100,
	    100, 100), 0);
	assert_int_equal(fill_model_limit_at(FILL_NT8_LIBERAL, TD_BUY, 100,
	    100, 100), 100);
	assert_int_equal(fill_model_limit_at(FILL_NT8_DEFAULT, TD_BUY, 100,
	    101, 105), 0);
	/* Falling to 100 reaches it; only passing below goes through. */
	assert_true(fill_model_limit_reached(FILL_TICKDESK, TD_BUY, 100, 103,
	    100));
	assert_false(fill_model_limit_reached(FILL_NT8_DEFAULT, TD_BUY, 100,
	    103, 100));
	assert_true(fill_model_limit_reached(FILL_NT8_DEFAULT, TD_BUY, 100,
	    103, 99));
	/* A touch not filled at the start goes through on the way down. */
	assert_true(fill_model_limit_reached(FILL_NT8_DEFAULT, TD_BUY, 100,
	    100, 99));
	/* Rising prices never reach a buy limit; a sell's mirror. */
	assert_false(fill_model_limit_reached(FILL_TICKDESK, TD_BUY, 100, 99,
	    101));
	assert_false(fill_model_limit_reached(FILL_NT8_DEFAULT, TD_SELL, 100,
	    97, 100));
	assert_true(fill_model_limit_reached(FILL_NT8_DEFAULT, TD_SELL, 100,
	    97, 101));
}

static void
test_fill_model_limit_gap_prices(void **state)
{
	(void)state;
	/* A buy limit at 100, the bar at 97 with 98 its best ahead. */
	assert_int_equal(fill_model_limit_at(FILL_TICKDESK, TD_BUY, 100, 97,
	    98), 97);
	assert_int_equal(fill_model_limit_at(FILL_BACKTRADER, TD_BUY, 100, 97,
	    98), 97);
	assert_int_equal(fill_model_limit_at(FILL_NT8_DEFAULT, TD_BUY, 100,
	    97, 98), 100);
	assert_int_equal(fill_model_limit_at(FILL_NT8_LIBERAL, TD_BUY, 100,
	    97, 98), 98);
	/* Liberal: a bar that comes back to the limit fills at it. */
	assert_int_equal(fill_model_limit_at(FILL_NT8_LIBERAL, TD_BUY, 100,
	    97, 101), 100);
	/* A sell limit at 100 and a gap up to 104, 102 the lowest after. */
	assert_int_equal(fill_model_limit_at(FILL_NT8_LIBERAL, TD_SELL, 100,
	    104, 102), 102);
	assert_int_equal(fill_model_limit_at(FILL_NT8_DEFAULT, TD_SELL, 100,
	    104, 102), 100);
}

static void
test_fill_model_bar_fill_rule(void **state)
{
	(void)state;
	/* Backtrader: the open when the bar opens beyond, else the level. */
	assert_int_equal(fill_model_bar_fill(FILL_KIND_STOP, TD_BUY, 105, 100,
	    106, 99), 105);
	assert_int_equal(fill_model_bar_fill(FILL_KIND_STOP, TD_BUY, 105, 107,
	    108, 106), 107);
	assert_int_equal(fill_model_bar_fill(FILL_KIND_STOP, TD_SELL, 95, 100,
	    101, 96), 0);
	assert_int_equal(fill_model_bar_fill(FILL_KIND_LIMIT, TD_BUY, 95, 100,
	    101, 95), 95);
	assert_int_equal(fill_model_bar_fill(FILL_KIND_LIMIT, TD_BUY, 95, 93,
	    94, 90), 93);
	assert_int_equal(fill_model_bar_fill(FILL_KIND_LIMIT, TD_SELL, 105,
	    100, 104, 99), 0);
}

static void
test_fill_model_slippage_stays_in_bar(void **state)
{
	(void)state;
	assert_int_equal(fill_model_slip(FILL_TICKDESK, TD_BUY, 100, 3, 101,
	    99), 103);
	assert_int_equal(fill_model_slip(FILL_NT8_DEFAULT, TD_BUY, 100, 3, 101,
	    99), 101);
	assert_int_equal(fill_model_slip(FILL_BACKTRADER, TD_SELL, 100, 3,
	    101, 99), 99);
	/* A tick (no high or low) takes the whole slippage. */
	assert_int_equal(fill_model_slip(FILL_NT8_LIBERAL, TD_SELL, 100, 3, 0,
	    0), 97);
	/* Never better than the price itself. */
	assert_int_equal(fill_model_slip(FILL_NT8_LIBERAL, TD_BUY, 100, 3, 99,
	    98), 100);
}

/* ------------------------------------------- the venue, per model */

static void
test_fill_model_limit_touch_fills_only_where_allowed(void **state)
{
	/* The bar comes down to 100 exactly. */
	struct td_md	 touch = bar(1, 103, 104, 100, 102);
	/* ... or one tick below it. */
	struct td_md	 through = bar(1, 103, 104, 99, 102);

	(void)state;
	assert_int_equal(limit_in_bar(FILL_TICKDESK, 100, touch), 100);
	assert_int_equal(limit_in_bar(FILL_NT8_DEFAULT, 100, touch), 0);
	assert_int_equal(limit_in_bar(FILL_NT8_LIBERAL, 100, touch), 100);
	assert_int_equal(limit_in_bar(FILL_BACKTRADER, 100, touch), 100);
	for (int m = 0; m < FILL_NMODELS; m++)
		assert_int_equal(limit_in_bar((enum fill_model)m, 100,
		    through), 100);
}

static void
test_fill_model_gap_bar_limit_prices(void **state)
{
	/* A bar wholly below the buy limit at 100. */
	struct td_md	 gap = bar(1, 97, 98, 95, 96);
	/* A bar that opens below it and comes back up through it. */
	struct td_md	 back = bar(1, 97, 102, 95, 101);

	(void)state;
	assert_int_equal(limit_in_bar(FILL_TICKDESK, 100, gap), 97);
	assert_int_equal(limit_in_bar(FILL_NT8_DEFAULT, 100, gap), 100);
	assert_int_equal(limit_in_bar(FILL_NT8_LIBERAL, 100, gap), 98);
	assert_int_equal(limit_in_bar(FILL_BACKTRADER, 100, gap), 97);
	assert_int_equal(limit_in_bar(FILL_NT8_LIBERAL, 100, back), 100);
	assert_int_equal(limit_in_bar(FILL_NT8_DEFAULT, 100, back), 100);
}

static void
test_fill_model_gap_bar_stop_fills_at_open(void **state)
{
	/* A sell stop at 95 and a bar that opens at 92. */
	struct td_md	 gap = bar(1, 92, 94, 90, 93);

	(void)state;
	for (int m = 0; m < FILL_NMODELS; m++) {
		struct fx	*f = fx_new((enum fill_model)m, 0);

		sub(f, 1, TD_SELL, ORD_STOP, 95, 0, false, T0);
		drain(f);
		step(f, &gap);
		assert_int_equal(filled_at(f, 1), 92);
		fx_free(f);
	}
}

static void
test_fill_model_market_fills_at_next_open(void **state)
{
	struct td_md	 b1 = bar(1, 100, 104, 98, 103);
	struct td_md	 b2 = bar(2, 105, 106, 101, 102);

	(void)state;
	for (int m = 0; m < FILL_NMODELS; m++) {
		struct fx	*f = fx_new((enum fill_model)m, 0);

		step(f, &b1);
		/* Sent on b1's close: b2's open, whatever the model. */
		sub(f, 1, TD_BUY, ORD_MARKET, 0, 0, false, b1.bar.end);
		drain(f);
		assert_int_equal(filled_at(f, 1), 0);
		step(f, &b2);
		assert_int_equal(filled_at(f, 1), 105);
		assert_int_equal(find_ev(f, 1, VEV_FILL)->time, b2.bar.start);
		fx_free(f);
	}
}

static void
test_fill_model_nt8_slippage_not_beyond_bar(void **state)
{
	struct td_md	 b1 = bar(1, 100, 101, 99, 100);
	struct fx	*f;

	(void)state;
	f = fx_new(FILL_NT8_DEFAULT, 3);
	sub(f, 1, TD_BUY, ORD_MARKET, 0, 0, false, T0);
	drain(f);
	step(f, &b1);
	assert_int_equal(filled_at(f, 1), 101);
	fx_free(f);
	f = fx_new(FILL_TICKDESK, 3);
	sub(f, 1, TD_BUY, ORD_MARKET, 0, 0, false, T0);
	drain(f);
	step(f, &b1);
	assert_int_equal(filled_at(f, 1), 103);
	fx_free(f);
}

static void
test_fill_model_bar_path_decides_stop_or_target(void **state)
{
	/* Open 101 is nearer the high: 101 -> 106 -> 94 -> 100. */
	struct td_md	 up_first = bar(1, 101, 106, 94, 100);
	/* Open 99 is nearer the low: 99 -> 94 -> 106 -> 100. */
	struct td_md	 down_first = bar(1, 99, 106, 94, 100);
	/* The high only touches the target at 105 before the fall. */
	struct td_md	 touch_high = bar(1, 102, 105, 94, 100);

	(void)state;
	/* Stop 95, target 105: the path reaches whichever first. */
	assert_int_equal(bracket_in_bar(FILL_NT8_DEFAULT, 95, 105, false,
	    up_first), 3);
	assert_int_equal(bracket_in_bar(FILL_NT8_LIBERAL, 95, 105, false,
	    up_first), 3);
	assert_int_equal(bracket_in_bar(FILL_NT8_DEFAULT, 95, 105, false,
	    down_first), 2);
	assert_int_equal(bracket_in_bar(FILL_NT8_LIBERAL, 95, 105, false,
	    down_first), 2);
	/* A touch of the target is a fill for Liberal, not for Default. */
	assert_int_equal(bracket_in_bar(FILL_NT8_LIBERAL, 95, 105, false,
	    touch_high), 3);
	assert_int_equal(bracket_in_bar(FILL_NT8_DEFAULT, 95, 105, false,
	    touch_high), 2);
	/* tickdesk's default bar_path is stop-first whatever the path. */
	assert_int_equal(bracket_in_bar(FILL_TICKDESK, 95, 105, false,
	    up_first), 2);
}

static struct td_md
tick(int n, td_ticks px)
{
	return (struct td_md){ .kind = TD_MD_TICK, .inst = 0,
	    .tick = { .time = T0 + MIN + n * TD_NS_PER_SEC, .price = px,
	    .volume = 1 } };
}

/*
 * High order fill resolution: the ticks of a minute drive the fills.
 * Within the minute of down_first above (open 99, nearer the low, so the
 * bar's path says stop first), the ticks go up to the target first: the
 * target fills.  The fill type's rules hold on each tick: a touch of the
 * target fills it for Liberal only, and a tick beyond the limit fills
 * it at the limit for Default, at the tick for Liberal (a gap bar).
 */
static void
test_fill_model_high_resolution_ticks(void **state)
{
	const td_ticks	 up[] = { 99, 102, 105 + 1, 94, 100 };
	const td_ticks	 touch[] = { 99, 102, 105, 100, 94 };
	enum fill_model	 m[] = { FILL_NT8_DEFAULT, FILL_NT8_LIBERAL };

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		for (int which = 0; which < 2; which++) {
			const td_ticks	*px = which == 0 ? up : touch;
			struct fx	*f = fx_new(m[k], 0);
			struct td_md	 b0 = bar(0, 100, 100, 100, 100);
			int		 got = 0;

			sub(f, 1, TD_BUY, ORD_MARKET, 0, 0, false, T0 - MIN);
			drain(f);
			step(f, &b0);
			sub(f, 2, TD_SELL, ORD_STOP, 95, 9, true, b0.bar.end);
			sub(f, 3, TD_SELL, ORD_LIMIT, 105, 9, true, b0.bar.end);
			drain(f);
			for (int i = 0; i < 5 && got == 0; i++) {
				struct td_md	 t = tick(i, px[i]);

				step(f, &t);
				got = filled_at(f, 2) != 0 ? 2 :
				    filled_at(f, 3) != 0 ? 3 : 0;
			}
			/* Through: the target; a touch: Liberal only. */
			assert_int_equal(got, which == 0 ||
			    m[k] == FILL_NT8_LIBERAL ? 3 : 2);
			/* Default: at the limit; Liberal: a gap tick is a
			   gap bar, filled at its extreme, the tick. */
			if (got == 3)
				assert_int_equal(filled_at(f, 3), which == 0 &&
				    m[k] == FILL_NT8_LIBERAL ? 106 : 105);
			fx_free(f);
		}
	}
}

static void
test_fill_model_backtrader_stop_before_limit(void **state)
{
	struct td_md	 up_first = bar(1, 101, 106, 94, 100);

	(void)state;
	/* The whole bar touches both: the stop, sent first, is checked first. */
	assert_int_equal(bracket_in_bar(FILL_BACKTRADER, 95, 105, false,
	    up_first), 2);
	/* Arrival order decides: a target sent first fills first. */
	assert_int_equal(bracket_in_bar(FILL_BACKTRADER, 95, 105, true,
	    up_first), 3);
}

/*
 * An entry fills at b1's open; its legs are sent while b1 is processed,
 * and b1 comes down through the stop.  Does the stop fill in b1?
 */
static td_ticks
legs_in_entry_bar(enum fill_model m, td_ticks *next)
{
	struct fx	*f = fx_new(m, 0);
	struct td_md	 b1 = bar(1, 100, 101, 94, 96);
	struct td_md	 b2 = bar(2, 96, 97, 93, 94);
	td_ticks	 px;

	sub(f, 1, TD_BUY, ORD_MARKET, 0, 0, false, T0);
	drain(f);
	f->v->ops->on_market(f->v->ctx, &b1);
	drain(f);
	assert_int_equal(filled_at(f, 1), 100);
	sub(f, 2, TD_SELL, ORD_STOP, 95, 1, true, b1.bar.end);
	sub(f, 3, TD_SELL, ORD_LIMIT, 108, 1, true, b1.bar.end);
	drain(f);
	px = filled_at(f, 2);
	f->v->ops->settle(f->v->ctx);
	step(f, &b2);
	*next = filled_at(f, 2);
	fx_free(f);
	return px;
}

static void
test_fill_model_backtrader_legs_live_from_next_bar(void **state)
{
	td_ticks	 next;

	(void)state;
	assert_int_equal(legs_in_entry_bar(FILL_TICKDESK, &next), 95);
	assert_int_equal(next, 0);
	assert_int_equal(legs_in_entry_bar(FILL_NT8_DEFAULT, &next), 95);
	/* backtrader: nothing in the entry's bar; b2 comes down to it. */
	assert_int_equal(legs_in_entry_bar(FILL_BACKTRADER, &next), 0);
	assert_int_equal(next, 95);
}

static void
test_fill_model_backtrader_fill_carries_signal(void **state)
{
	struct td_md	 b1 = bar(1, 100, 101, 99, 100);
	struct td_md	 b2 = bar(2, 103, 104, 102, 103);

	(void)state;
	for (int m = 0; m < FILL_NMODELS; m++) {
		struct fx	*f = fx_new((enum fill_model)m, 0);

		step(f, &b1);
		sub(f, 1, TD_BUY, ORD_MARKET, 0, 0, false, b1.bar.end);
		drain(f);
		step(f, &b2);
		assert_int_equal(filled_at(f, 1), 103);
		/* The signal's price: b1's close, last when it was sent. */
		assert_int_equal(find_ev(f, 1, VEV_FILL)->base,
		    m == FILL_BACKTRADER ? 100 : 0);
		fx_free(f);
	}
}

/* Where the order manager put an entry's stop and target. */
static void
bracket_prices(enum fill_model m, td_ticks *stop, td_ticks *target)
{
	struct venue_sim_cfg	 cfg = { .max_orders = 16, .fill_model = m };
	struct errmsg		 err = { "" };
	struct venue		*v = venue_sim_create(&cfg, &err);
	struct order_mgr	*om;
	struct order_update	 up;
	struct td_md		 b1 = bar(1, 100, 101, 99, 100);
	struct td_md		 b2 = bar(2, 103, 104, 102, 103);
	struct order_req	 req = {
		.side = TD_BUY, .type = ORD_MARKET, .qty = 1,
		.role = ROLE_ENTRY,
		.br = { .stop_ticks = 8, .ntargets = 1,
		    .target_ticks = { 16 }, .target_qty = { 1 } },
	};

	assert_non_null(v);
	om = order_mgr_create(32, 1, v, &err);
	assert_non_null(om);
	v->ops->on_market(v->ctx, &b1);
	v->ops->settle(v->ctx);
	assert_non_null(order_mgr_submit(om, &req, b1.bar.end, &err));
	while (order_mgr_poll(om, &up, &err) == 1)
		;
	v->ops->on_market(v->ctx, &b2);
	while (order_mgr_poll(om, &up, &err) == 1)
		;
	v->ops->settle(v->ctx);
	*stop = *target = 0;
	for (int i = 0; i < order_mgr_live_count(om); i++) {
		const struct order	*o = order_mgr_live_at(om, i);

		if (o->role == ROLE_STOP)
			*stop = o->price;
		else if (o->role == ROLE_TARGET)
			*target = o->price;
	}
	order_mgr_free(om);
	venue_sim_free(v);
}

static void
test_fill_model_backtrader_bracket_from_signal(void **state)
{
	td_ticks	 stop, target;

	(void)state;
	/* Filled at 103: tickdesk measures from the fill ... */
	bracket_prices(FILL_TICKDESK, &stop, &target);
	assert_int_equal(stop, 95);
	assert_int_equal(target, 119);
	/* ... backtrader from the signal, b1's close at 100. */
	bracket_prices(FILL_BACKTRADER, &stop, &target);
	assert_int_equal(stop, 92);
	assert_int_equal(target, 116);
}

static void
test_fill_model_unknown_model_refused(void **state)
{
	struct venue_sim_cfg	 cfg = { .max_orders = 4,
				     .fill_model = (enum fill_model)FILL_NMODELS };
	struct errmsg		 err = { "" };

	(void)state;
	assert_null(venue_sim_create(&cfg, &err));
	assert_string_equal(err.msg, "unknown fill model 4");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_model_names),
		cmocka_unit_test(test_fill_model_limit_touch_and_through),
		cmocka_unit_test(test_fill_model_limit_gap_prices),
		cmocka_unit_test(test_fill_model_bar_fill_rule),
		cmocka_unit_test(test_fill_model_slippage_stays_in_bar),
		cmocka_unit_test(
		    test_fill_model_limit_touch_fills_only_where_allowed),
		cmocka_unit_test(test_fill_model_gap_bar_limit_prices),
		cmocka_unit_test(test_fill_model_gap_bar_stop_fills_at_open),
		cmocka_unit_test(test_fill_model_market_fills_at_next_open),
		cmocka_unit_test(test_fill_model_nt8_slippage_not_beyond_bar),
		cmocka_unit_test(
		    test_fill_model_bar_path_decides_stop_or_target),
		cmocka_unit_test(test_fill_model_backtrader_stop_before_limit),
		cmocka_unit_test(
		    test_fill_model_backtrader_legs_live_from_next_bar),
		cmocka_unit_test(test_fill_model_backtrader_fill_carries_signal),
		cmocka_unit_test(test_fill_model_backtrader_bracket_from_signal),
		cmocka_unit_test(test_fill_model_high_resolution_ticks),
		cmocka_unit_test(test_fill_model_unknown_model_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
