/*
 * test-order-mgr.c -- the order manager driven through a real simulated
 * venue, the way the engine loop drives it: market event, drain the
 * venue's events through order_mgr_poll, settle, drain again.
 *
 * A few transitions the simulator never produces (a fill before the
 * acknowledgement, an expiry) are fed as hand-made venue events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "order-mgr.h"
#include "venue-sim.h"

#define T0	(1700000000LL * TD_NS_PER_SEC)
#define MIN	TD_NS_PER_MIN
#define MAXUP	64
#define I0	td_inst_at(0)		/* the instrument traded */
#define I1	td_inst_at(1)
#define MANUAL	td_owner_manual()
#define STRAT(i)	td_owner_strat(td_strat_at(i))

struct fx {
	struct venue		*v;
	struct order_mgr	*om;
	int64_t			 pos;		/* instrument 0 */
	int			 bar;		/* next bar number */
	struct order_update	 up[MAXUP];
	int			 nup;
	int			 nfill;		/* in the last step */
};

static void
build(struct fx *f, const struct venue_sim_cfg *cfg, int cap)
{
	struct errmsg	 err = { "" };

	order_mgr_free(f->om);
	venue_sim_free(f->v);
	f->v = venue_sim_create(cfg, &err);
	assert_non_null(f->v);
	f->om = order_mgr_create(cap, 2, f->v, &err);
	assert_non_null(f->om);
	f->pos = 0;
	f->bar = 0;
	f->nup = 0;
}

static int
setup(void **state)
{
	struct fx	*f = calloc(1, sizeof *f);

	build(f, NULL, 64);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	order_mgr_free(f->om);
	venue_sim_free(f->v);
	free(f);
	return 0;
}

/* Apply every waiting venue event; all must be legal. */
static void
pump(struct fx *f)
{
	struct order_update	 u;
	struct errmsg		 err = { "" };
	int			 r;

	while ((r = order_mgr_poll(f->om, &u, &err)) == 1) {
		if (u.fill && td_inst_eq(u.inst, I0)) {
			f->pos += u.side * u.qty;
			f->nfill++;
		}
		if (f->nup < MAXUP)
			f->up[f->nup++] = u;
	}
	if (r == -1)
		fail_msg("event refused: %s", err.msg);
}

/* One bar of instrument 0 through the engine loop. */
static void
bar(struct fx *f, td_ticks o, td_ticks h, td_ticks l, td_ticks c,
    int64_t vol)
{
	struct td_md	 md = {
		.kind = TD_MD_BAR,
		.inst = 0,
		.bar = {
			.start = T0 + f->bar * MIN,
			.end = T0 + (f->bar + 1) * MIN,
			.open = o, .high = h, .low = l, .close = c,
			.volume = vol,
		},
	};

	f->bar++;
	f->nup = 0;
	f->nfill = 0;
	f->v->ops->on_market(f->v->ctx, &md);
	pump(f);
	f->v->ops->settle(f->v->ctx);
	pump(f);
}

static void
tick(struct fx *f, td_ns t, td_ticks px)
{
	struct td_md	 md = {
		.kind = TD_MD_TICK,
		.inst = 0,
		.tick = { .time = t, .price = px, .volume = 1 },
	};

	f->nup = 0;
	f->nfill = 0;
	f->v->ops->on_market(f->v->ctx, &md);
	pump(f);
	f->v->ops->settle(f->v->ctx);
	pump(f);
}

static td_ns
now(const struct fx *f)
{
	return T0 + f->bar * MIN;
}

static struct order *
sub(struct fx *f, enum td_side side, enum order_type type, int64_t qty,
    td_ticks price, int32_t stop, int32_t target)
{
	struct order_req	 req = {
		.inst = I0, .side = side, .type = type, .qty = qty,
		.price = price, .role = ROLE_ENTRY, .owner = STRAT(0),
		.corr = 42, .br = { .stop_ticks = stop,
		    .ntargets = target > 0, .target_ticks = { target } },
	};
	struct errmsg		 err = { "" };
	struct order		*o;

	o = order_mgr_submit(f->om, &req, now(f), &err);
	assert_non_null(o);
	return o;
}

/* Drain (the updates start again at f->up[0]); the state of order id. */
static enum order_state
state_of(struct fx *f, uint64_t id)
{
	f->nup = 0;
	pump(f);
	assert_non_null(order_mgr_find(f->om, id));
	return order_mgr_find(f->om, id)->state;
}

/* The position is covered by its stops exactly: never more, never less. */
static void
assert_covered(const struct fx *f)
{
	enum td_side	 side = f->pos >= 0 ? TD_BUY : TD_SELL;
	int64_t		 abs = f->pos >= 0 ? f->pos : -f->pos;


	assert_true(order_mgr_protected(f->om, I0, f->pos));
	assert_int_equal(order_mgr_cover(f->om, I0, side), abs);
}

static struct venue_event
ev(enum venue_ev_kind kind, uint64_t id, int64_t qty, td_ticks price,
    int64_t leaves, const char *reason)
{
	struct venue_event	 e = {
		.kind = kind, .id = id, .qty = qty, .price = price,
		.leaves = leaves, .time = T0,
	};

	strcpy(e.reason, reason);
	return e;
}

static void
test_order_mgr_names(void **state)
{
	(void)state;
	assert_string_equal(order_state_name(ORD_NEW), "new");
	assert_string_equal(order_state_name(ORD_SUBMITTED), "submitted");
	assert_string_equal(order_state_name(ORD_WORKING), "working");
	assert_string_equal(order_state_name(ORD_PARTIAL), "partial");
	assert_string_equal(order_state_name(ORD_FILLED), "filled");
	assert_string_equal(order_state_name(ORD_CANCELLED), "cancelled");
	assert_string_equal(order_state_name(ORD_REJECTED), "rejected");
	assert_string_equal(order_state_name(ORD_EXPIRED), "expired");
	assert_string_equal(order_state_name((enum order_state)99), "?");
	assert_string_equal(order_type_name(ORD_MARKET), "mkt");
	assert_string_equal(order_type_name(ORD_LIMIT), "lmt");
	assert_string_equal(order_type_name(ORD_STOP), "stp");
	assert_string_equal(order_role_name(ROLE_ENTRY), "entry");
	assert_string_equal(order_role_name(ROLE_STOP), "stop");
	assert_string_equal(order_role_name(ROLE_TARGET), "target");
	assert_string_equal(order_role_name(ROLE_EXIT), "exit");
}

static void
test_order_mgr_transition_table(void **state)
{
	static const char *want[ORD_NSTATES] = {
		/* to: new sub wrk par fil can rej exp */
		[ORD_NEW] =		"01000010",
		[ORD_SUBMITTED] =	"01111111",
		[ORD_WORKING] =		"00111101",
		[ORD_PARTIAL] =		"00011101",
		[ORD_FILLED] =		"00000000",
		[ORD_CANCELLED] =	"00000000",
		[ORD_REJECTED] =	"00000000",
		[ORD_EXPIRED] =		"00000000",
	};
	int	 from, to;

	(void)state;
	for (from = 0; from < ORD_NSTATES; from++) {
		for (to = 0; to < ORD_NSTATES; to++)
			assert_int_equal(order_mgr_legal(from, to),
			    want[from][to] == '1');
		assert_int_equal(order_mgr_final(from), from >= ORD_FILLED);
	}
}

/* new -> submitted -> working -> partial -> partial -> filled */
static void
test_order_mgr_fill_path(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 64 };
	struct order		*o;
	uint64_t		 id;

	build(f, &cfg, 64);
	o = sub(f, TD_BUY, ORD_MARKET, 5, 0, 0, 0);
	id = o->id;
	assert_int_equal(o->state, ORD_SUBMITTED);
	assert_int_equal(state_of(f, id), ORD_WORKING);
	assert_int_equal(f->up[0].from, ORD_SUBMITTED);
	assert_int_equal(f->up[0].to, ORD_WORKING);
	bar(f, 100, 101, 99, 100, 20);
	assert_int_equal(state_of(f, id), ORD_PARTIAL);
	assert_int_equal(f->up[0].from, ORD_WORKING);
	assert_int_equal(f->up[0].to, ORD_PARTIAL);
	assert_true(f->up[0].fill);
	assert_int_equal(f->up[0].qty, 2);
	assert_int_equal(f->up[0].price, 100);
	assert_int_equal(f->up[0].side, TD_BUY);
	bar(f, 102, 103, 101, 102, 20);
	assert_int_equal(f->up[0].from, ORD_PARTIAL);
	assert_int_equal(f->up[0].to, ORD_PARTIAL);
	bar(f, 104, 105, 103, 104, 20);
	assert_int_equal(f->up[0].to, ORD_FILLED);
	o = order_mgr_find(f->om, id);
	assert_int_equal(o->state, ORD_FILLED);
	assert_int_equal(o->filled, 5);
	assert_int_equal(o->fill_cost, 2 * 100 + 2 * 102 + 1 * 104);
	assert_int_equal(f->pos, 5);
	assert_int_equal(order_mgr_live_count(f->om), 0);
}

/* working -> filled, working -> cancelled, partial -> cancelled */
static void
test_order_mgr_fill_and_cancel_paths(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 64 };
	uint64_t		 a, b, c;
	struct errmsg		 err = { "" };

	build(f, &cfg, 64);
	a = sub(f, TD_BUY, ORD_LIMIT, 1, 99, 0, 0)->id;
	b = sub(f, TD_BUY, ORD_LIMIT, 1, 90, 0, 0)->id;
	c = sub(f, TD_BUY, ORD_LIMIT, 5, 99, 0, 0)->id;
	pump(f);
	bar(f, 100, 101, 99, 100, 20);
	assert_int_equal(state_of(f, a), ORD_FILLED);
	assert_int_equal(state_of(f, c), ORD_PARTIAL);
	assert_int_equal(order_mgr_cancel(f->om, b, now(f), &err), 0);
	assert_int_equal(order_mgr_cancel(f->om, c, now(f), &err), 0);
	/* The state changes when the venue answers. */
	assert_int_equal(order_mgr_find(f->om, b)->state, ORD_WORKING);
	assert_true(order_mgr_find(f->om, b)->cancel_pending);
	assert_int_equal(state_of(f, b), ORD_CANCELLED);
	assert_int_equal(state_of(f, c), ORD_CANCELLED);
	assert_int_equal(order_mgr_find(f->om, c)->filled, 2);
	assert_string_equal(order_mgr_find(f->om, c)->reason, "cancelled");
	assert_int_equal(order_mgr_cancel(f->om, b, now(f), &err), -1);
	assert_string_equal(err.msg, "order 2: already cancelled");
	assert_int_equal(order_mgr_cancel(f->om, 999, now(f), &err), -1);
	assert_string_equal(err.msg, "order 999: unknown order");
}

/* submitted -> rejected (venue) and new -> rejected (cannot send) */
static void
test_order_mgr_reject_paths(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .max_orders = 1 };
	struct order		*o;
	uint64_t		 id;
	int			 i;

	id = sub(f, TD_BUY, ORD_LIMIT, 0, 100, 0, 0)->id;
	assert_int_equal(state_of(f, id), ORD_REJECTED);
	assert_int_equal(f->up[0].from, ORD_SUBMITTED);
	assert_string_equal(order_mgr_find(f->om, id)->reason,
	    "qty 0 not positive");

	/* A venue whose queue is full cannot take an order at all. */
	build(f, &cfg, 200);
	for (i = 0; i < 68; i++)
		assert_int_equal(sub(f, TD_BUY, ORD_LIMIT, 1, 90, 0, 0)->state,
		    ORD_SUBMITTED);
	o = sub(f, TD_BUY, ORD_LIMIT, 1, 90, 0, 0);
	assert_int_equal(o->state, ORD_REJECTED);
	assert_string_equal(o->reason, "venue sim cannot take the order");
	pump(f);
	assert_int_equal(order_mgr_live_count(f->om), 1);
}

/* x -> x: replace and OCO reduction keep the state. */
static void
test_order_mgr_replace_keeps_state(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 64 };
	struct errmsg		 err = { "" };
	struct order		*o;
	uint64_t		 a, b;

	build(f, &cfg, 64);
	a = sub(f, TD_BUY, ORD_LIMIT, 2, 90, 0, 0)->id;
	b = sub(f, TD_BUY, ORD_MARKET, 5, 0, 0, 0)->id;
	pump(f);
	assert_int_equal(order_mgr_replace(f->om, a, 3, 91, now(f), &err), 0);
	assert_int_equal(state_of(f, a), ORD_WORKING);
	assert_int_equal(f->up[0].kind, VEV_REPLACED);
	assert_int_equal(f->up[0].from, ORD_WORKING);
	assert_int_equal(f->up[0].to, ORD_WORKING);
	o = order_mgr_find(f->om, a);
	assert_int_equal(o->qty, 3);
	assert_int_equal(o->price, 91);
	assert_int_equal(o->replace_pending, 0);

	bar(f, 100, 101, 99, 100, 20);
	assert_int_equal(state_of(f, b), ORD_PARTIAL);
	assert_int_equal(order_mgr_replace(f->om, b, 2, 0, now(f), &err), -1);
	assert_string_equal(err.msg, "order 2: qty 2 not above filled 2");
	assert_int_equal(order_mgr_replace(f->om, b, 0, 100, now(f), &err),
	    -1);
	assert_int_equal(order_mgr_replace(f->om, b, 3, 0, now(f), &err), 0);
	assert_int_equal(state_of(f, b), ORD_PARTIAL);
	assert_int_equal(f->up[0].from, ORD_PARTIAL);
	assert_int_equal(order_mgr_find(f->om, b)->qty, 3);
	bar(f, 100, 101, 99, 100, 20);
	assert_int_equal(state_of(f, b), ORD_FILLED);
	assert_int_equal(f->pos, 3);
}

/* Transitions the simulator does not make, fed by hand. */
static void
test_order_mgr_transitions_from_other_venues(void **state)
{
	struct fx		*f = *state;
	struct order_update	 u;
	struct errmsg		 err = { "" };
	struct venue_event	 e;
	uint64_t		 id;
	int			 k;
	static const struct {
		enum venue_ev_kind	 kind;
		int64_t			 qty;
		int64_t			 leaves;
		const char		*reason;
		enum order_state	 to;
	} cases[] = {
		{ VEV_REPLACED, 3, 3, "", ORD_SUBMITTED },
		{ VEV_FILL, 1, 1, "", ORD_PARTIAL },
		{ VEV_FILL, 1, 0, "", ORD_FILLED },
		{ VEV_CANCELLED, 0, 0, "cancelled", ORD_CANCELLED },
		{ VEV_CANCELLED, 0, 0, "expired: day order", ORD_EXPIRED },
	};

	/* From submitted: the venue has not acknowledged yet. */
	for (k = 0; k < 5; k++) {
		id = sub(f, TD_BUY, ORD_LIMIT, k == 2 ? 1 : 2, 90, 0, 0)->id;
		e = ev(cases[k].kind, id, cases[k].qty, 90, cases[k].leaves,
		    cases[k].reason);
		assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), 0);
		assert_int_equal(u.from, ORD_SUBMITTED);
		assert_int_equal(u.to, cases[k].to);
		assert_int_equal(order_mgr_find(f->om, id)->state,
		    cases[k].to);
	}
	/* working -> expired and partial -> expired. */
	build(f, NULL, 64);
	id = sub(f, TD_BUY, ORD_LIMIT, 2, 90, 0, 0)->id;
	assert_int_equal(state_of(f, id), ORD_WORKING);
	e = ev(VEV_CANCELLED, id, 0, 0, 0, "expired");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), 0);
	assert_int_equal(u.to, ORD_EXPIRED);
	id = sub(f, TD_BUY, ORD_LIMIT, 2, 90, 0, 0)->id;
	pump(f);
	e = ev(VEV_FILL, id, 1, 90, 1, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), 0);
	e = ev(VEV_CANCELLED, id, 0, 0, 0, "expired");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), 0);
	assert_int_equal(u.from, ORD_PARTIAL);
	assert_int_equal(u.to, ORD_EXPIRED);
}

static void
test_order_mgr_illegal_transitions_change_nothing(void **state)
{
	struct fx		*f = *state;
	struct order_update	 u;
	struct errmsg		 err = { "" };
	struct venue_event	 e;
	struct order		 before;
	uint64_t		 id, p;

	id = sub(f, TD_BUY, ORD_MARKET, 1, 0, 0, 0)->id;
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	assert_int_equal(state_of(f, id), ORD_FILLED);
	before = *order_mgr_find(f->om, id);

	e = ev(VEV_ACK, id, 1, 0, 1, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), -1);
	assert_string_equal(err.msg, "order 1: illegal transition filled -> "
	    "working");
	e = ev(VEV_FILL, id, 1, 100, 0, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), -1);
	e = ev(VEV_CANCELLED, id, 0, 0, 0, "cancelled");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), -1);
	assert_string_equal(err.msg, "order 1: illegal transition filled -> "
	    "cancelled");
	e = ev(VEV_REPLACED, id, 1, 0, 0, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), -1);
	assert_memory_equal(&before, order_mgr_find(f->om, id), sizeof before);

	/* partial -> working, and a fill above what is left. */
	p = sub(f, TD_BUY, ORD_LIMIT, 3, 90, 0, 0)->id;
	pump(f);
	e = ev(VEV_FILL, p, 1, 90, 2, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), 0);
	before = *order_mgr_find(f->om, p);
	e = ev(VEV_ACK, p, 3, 90, 2, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), -1);
	assert_string_equal(err.msg, "order 2: illegal transition partial -> "
	    "working");
	e = ev(VEV_FILL, p, 3, 90, 0, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), -1);
	assert_string_equal(err.msg, "order 2: fill of 3 above leaves 2");
	e = ev(VEV_REDUCED, p, 0, 90, 0, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), -1);
	assert_memory_equal(&before, order_mgr_find(f->om, p), sizeof before);

	e = ev(VEV_ACK, 4242, 1, 0, 1, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, &u, &err), -1);
	assert_string_equal(err.msg, "order 4242: unknown order");
}

static void
test_order_mgr_bracket_long(void **state)
{
	struct fx		*f = *state;
	struct order		*e, *s, *t;
	uint64_t		 id;

	id = sub(f, TD_BUY, ORD_MARKET, 2, 0, 8, 16)->id;
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	assert_int_equal(f->pos, 2);
	e = order_mgr_find(f->om, id);
	assert_int_equal(f->up[0].kind, VEV_FILL);
	assert_int_not_equal(e->pair[0].stop_id, 0);
	assert_int_not_equal(e->pair[0].target_id, 0);
	s = order_mgr_find(f->om, e->pair[0].stop_id);
	t = order_mgr_find(f->om, e->pair[0].target_id);
	assert_non_null(s);
	assert_non_null(t);
	assert_int_equal(s->side, TD_SELL);
	assert_int_equal(s->type, ORD_STOP);
	assert_int_equal(s->role, ROLE_STOP);
	assert_int_equal(s->price, 92);
	assert_int_equal(s->qty, 2);
	assert_int_equal(t->side, TD_SELL);
	assert_int_equal(t->type, ORD_LIMIT);
	assert_int_equal(t->role, ROLE_TARGET);
	assert_int_equal(t->price, 116);
	assert_int_equal(t->qty, 2);
	assert_int_equal(s->parent, id);
	assert_int_equal(s->oco, t->oco);
	assert_true(s->oco != 0);
	assert_true(td_owner_is(s->owner, td_strat_at(0)));
	assert_int_equal(s->corr, 42);
	assert_int_equal(s->state, ORD_WORKING);
	assert_covered(f);
	assert_int_equal(order_mgr_working_count(f->om, td_inst_only(I0)), 2);
	assert_int_equal(order_mgr_working_count(f->om, td_inst_only(I1)), 0);
}

static void
test_order_mgr_bracket_short(void **state)
{
	struct fx	*f = *state;
	struct order	*e, *s, *t;
	uint64_t	 id;

	id = sub(f, TD_SELL, ORD_LIMIT, 3, 100, 8, 16)->id;
	pump(f);
	bar(f, 99, 101, 98, 100, 10);
	assert_int_equal(f->pos, -3);
	e = order_mgr_find(f->om, id);
	assert_int_equal(e->state, ORD_FILLED);
	s = order_mgr_find(f->om, e->pair[0].stop_id);
	t = order_mgr_find(f->om, e->pair[0].target_id);
	assert_int_equal(s->side, TD_BUY);
	assert_int_equal(s->price, 108);
	assert_int_equal(t->side, TD_BUY);
	assert_int_equal(t->price, 84);
	assert_int_equal(s->qty, 3);
	assert_covered(f);
	assert_false(order_mgr_protected(f->om, I0, -4));
	assert_false(order_mgr_protected(f->om, I0, 3));
}

static void
test_order_mgr_partial_entry_resizes_legs(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 64 };
	struct order		*e;
	uint64_t		 id;
	int			 i;

	build(f, &cfg, 64);
	id = sub(f, TD_BUY, ORD_MARKET, 10, 0, 8, 16)->id;
	pump(f);
	assert_int_equal(order_mgr_working_entry_qty(f->om, I0, TD_BUY), 10);
	for (i = 0; i < 4; i++) {
		bar(f, 100, 101, 99, 100, 30);
		assert_covered(f);
		e = order_mgr_find(f->om, id);
		assert_int_equal(order_mgr_find(f->om, e->pair[0].target_id)->qty,
		    f->pos);
		assert_int_equal(order_mgr_working_entry_qty(f->om, I0,
		    TD_BUY), 10 - f->pos);
	}
	assert_int_equal(f->pos, 10);
	e = order_mgr_find(f->om, id);
	assert_int_equal(e->state, ORD_FILLED);
	/* The legs kept the first fill's prices. */
	assert_int_equal(order_mgr_find(f->om, e->pair[0].stop_id)->price, 92);
}

static void
test_order_mgr_target_fill_cancels_stop(void **state)
{
	struct fx	*f = *state;
	struct order	*e;
	uint64_t	 id;

	id = sub(f, TD_BUY, ORD_MARKET, 2, 0, 8, 16)->id;
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	e = order_mgr_find(f->om, id);
	bar(f, 110, 117, 109, 115, 10);
	assert_int_equal(f->pos, 0);
	assert_int_equal(f->nfill, 1);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].target_id)->state,
	    ORD_FILLED);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].stop_id)->state,
	    ORD_CANCELLED);
	assert_string_equal(order_mgr_find(f->om, e->pair[0].stop_id)->reason, "oco");
	assert_int_equal(order_mgr_live_count(f->om), 0);
}

static void
test_order_mgr_stop_fill_cancels_target(void **state)
{
	struct fx	*f = *state;
	struct order	*e;
	uint64_t	 id;

	id = sub(f, TD_SELL, ORD_MARKET, 1, 0, 8, 16)->id;
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	e = order_mgr_find(f->om, id);
	bar(f, 103, 109, 102, 107, 10);
	assert_int_equal(f->pos, 0);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].stop_id)->state,
	    ORD_FILLED);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].stop_id)->fill_cost, 108);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].target_id)->state,
	    ORD_CANCELLED);
	assert_int_equal(order_mgr_live_count(f->om), 0);
}

static void
test_order_mgr_bar_touching_both_fills_only_stop(void **state)
{
	struct fx	*f = *state;
	struct order	*e;
	uint64_t	 id;

	/* The entry fills at the open; the same bar reaches 90 and 120. */
	id = sub(f, TD_BUY, ORD_MARKET, 2, 0, 8, 16)->id;
	pump(f);
	bar(f, 100, 120, 90, 110, 10);
	e = order_mgr_find(f->om, id);
	assert_int_equal(f->nfill, 2);
	assert_int_equal(f->pos, 0);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].stop_id)->state,
	    ORD_FILLED);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].stop_id)->fill_cost,
	    2 * 92);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].target_id)->state,
	    ORD_CANCELLED);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].target_id)->filled, 0);
}

static void
test_order_mgr_gap_through_stop_fills_at_open(void **state)
{
	struct fx	*f = *state;
	struct order	*e;
	uint64_t	 id;

	id = sub(f, TD_BUY, ORD_MARKET, 1, 0, 8, 16)->id;
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	e = order_mgr_find(f->om, id);
	bar(f, 85, 88, 84, 86, 10);
	assert_int_equal(f->pos, 0);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].stop_id)->fill_cost, 85);
}

static void
test_order_mgr_slippage(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .slippage_ticks = 1,
				     .max_orders = 64 };
	struct order		*e;
	uint64_t		 id;

	build(f, &cfg, 64);
	id = sub(f, TD_BUY, ORD_MARKET, 1, 0, 8, 16)->id;
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	e = order_mgr_find(f->om, id);
	assert_int_equal(e->fill_cost, 101);
	/* The bracket is placed from the price actually paid. */
	assert_int_equal(order_mgr_find(f->om, e->pair[0].stop_id)->price, 93);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].target_id)->price, 117);
	bar(f, 95, 96, 92, 94, 10);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].stop_id)->fill_cost, 92);
	assert_int_equal(f->pos, 0);
}

static void
test_order_mgr_latency(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .latency = 1000,
				     .max_orders = 64 };
	uint64_t		 id;

	build(f, &cfg, 64);
	tick(f, T0, 100);
	id = sub(f, TD_BUY, ORD_MARKET, 1, 0, 0, 0)->id;
	pump(f);
	tick(f, T0 + 999, 101);
	assert_int_equal(state_of(f, id), ORD_WORKING);
	tick(f, T0 + 1000, 102);
	assert_int_equal(state_of(f, id), ORD_FILLED);
	assert_int_equal(order_mgr_find(f->om, id)->fill_cost, 102);
}

static void
test_order_mgr_move_stop(void **state)
{
	struct fx	*f = *state;
	struct errmsg	 err = { "" };
	struct order	*e;
	uint64_t	 id, sid;

	id = sub(f, TD_BUY, ORD_MARKET, 1, 0, 8, 16)->id;
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	e = order_mgr_find(f->om, id);
	sid = e->pair[0].stop_id;
	/* Trail the stop to break even. */
	assert_int_equal(order_mgr_replace(f->om, sid, 0, 100, now(f), &err),
	    0);
	pump(f);
	assert_int_equal(order_mgr_find(f->om, sid)->price, 100);
	assert_int_equal(order_mgr_find(f->om, sid)->qty, 1);
	bar(f, 101, 102, 99, 100, 10);
	assert_int_equal(order_mgr_find(f->om, sid)->fill_cost, 100);
	assert_int_equal(f->pos, 0);
	assert_int_equal(order_mgr_replace(f->om, sid, 0, 90, now(f), &err),
	    -1);
	assert_string_equal(err.msg, "order 2: already filled");
}

/* Cancel everything, then a market exit for the position (corr 77). */
static void
flatten(struct fx *f)
{
	struct order_req	 req = { .inst = I0, .type = ORD_MARKET,
				     .role = ROLE_EXIT, .owner = MANUAL,
				     .corr = 77 };
	struct errmsg		 err = { "" };

	order_mgr_cancel_all(f->om, td_inst_only(I0), td_owner_any(), now(f));
	if (f->pos == 0)
		return;
	req.side = f->pos > 0 ? TD_SELL : TD_BUY;
	req.qty = f->pos > 0 ? f->pos : -f->pos;
	if (order_mgr_submit(f->om, &req, now(f), &err) == NULL)
		fail_msg("%s", err.msg);
}

static void
test_order_mgr_flatten(void **state)
{
	struct fx	*f = *state;
	const struct order *x;
	uint64_t	 id;

	id = sub(f, TD_BUY, ORD_MARKET, 2, 0, 8, 16)->id;
	sub(f, TD_BUY, ORD_LIMIT, 1, 80, 0, 0);
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	assert_int_equal(order_mgr_live_count(f->om), 3);
	flatten(f);
	pump(f);
	/* Only the exit is left; the bracket is not put back. */
	assert_int_equal(order_mgr_live_count(f->om), 1);
	x = order_mgr_live_at(f->om, 0);
	assert_int_equal(x->role, ROLE_EXIT);
	assert_int_equal(x->side, TD_SELL);
	assert_int_equal(x->qty, 2);
	assert_int_equal(x->corr, 77);
	assert_true(td_owner_is_manual(x->owner));
	assert_true(order_mgr_find(f->om, id)->bracket_off);
	/* The market exit itself covers the position until it fills. */
	assert_true(order_mgr_protected(f->om, I0, f->pos));
	bar(f, 98, 99, 97, 98, 10);
	assert_int_equal(f->pos, 0);
	assert_int_equal(order_mgr_live_count(f->om), 0);
	/* Flat: nothing to send. */
	flatten(f);
	assert_int_equal(order_mgr_live_count(f->om), 0);
}

/* An entry of qty with a whole bracket template (owner 0). */
static struct order *
sub_br(struct fx *f, enum td_side side, int64_t qty, const struct bracket *br)
{
	struct order_req	 req = {
		.inst = I0, .side = side, .type = ORD_MARKET, .qty = qty,
		.role = ROLE_ENTRY, .owner = STRAT(0), .corr = 42, .br = *br,
	};
	struct errmsg		 err = { "" };
	struct order		*o;

	if ((o = order_mgr_submit(f->om, &req, now(f), &err)) == NULL)
		fail_msg("%s", err.msg);
	return o;
}

/* The live orders of role on inst 0, oldest first, and how many. */
static int
legs(struct fx *f, enum order_role role, const struct order **out, int max)
{
	int	 n = 0;

	for (int i = 0; i < order_mgr_live_count(f->om) && n < max; i++) {
		const struct order	*o = order_mgr_live_at(f->om, i);

		if (o->role == role && !o->cancel_pending)
			out[n++] = o;
	}
	return n;
}

/* Three targets, one contract each, each paired with its own stop. */
static void
test_order_mgr_atm_scale_out(void **state)
{
	struct fx		*f = *state;
	struct bracket		 br = { .stop_ticks = 8, .ntargets = 3,
				     .target_ticks = { 8, 16, 24 },
				     .target_qty = { 1, 1, 1 } };
	const struct order	*st[4], *tg[4];

	sub_br(f, TD_BUY, 3, &br);
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	assert_int_equal(f->pos, 3);
	assert_int_equal(legs(f, ROLE_STOP, st, 4), 3);
	assert_int_equal(legs(f, ROLE_TARGET, tg, 4), 3);
	for (int k = 0; k < 3; k++) {
		assert_int_equal(st[k]->qty, 1);
		assert_int_equal(st[k]->price, 92);
		assert_int_equal(tg[k]->qty, 1);
		assert_int_equal(tg[k]->price, 108 + 8 * k);
		assert_int_equal(st[k]->oco, tg[k]->oco);
	}
	assert_int_not_equal(st[0]->oco, st[1]->oco);
	assert_covered(f);
	/* The first target fills: its stop goes with it, two pairs stay. */
	bar(f, 104, 110, 103, 109, 10);
	assert_int_equal(f->pos, 2);
	assert_int_equal(legs(f, ROLE_STOP, st, 4), 2);
	assert_int_equal(legs(f, ROLE_TARGET, tg, 4), 2);
	assert_int_equal(tg[0]->price, 116);
	assert_covered(f);
	assert_true(order_mgr_exit_qty(f->om, I0) <= f->pos);
	/* The stop takes the rest: nothing is left working. */
	bar(f, 95, 96, 90, 91, 10);
	assert_int_equal(f->pos, 0);
	assert_int_equal(order_mgr_live_count(f->om), 0);
}

/* The bracket notes heard: an entry's, from its own state. */
struct heard {
	int	 n;
	int64_t	 legs_filled;
	bool	 bracket_off;
};

static int
hear_bracket(void *arg, const struct order *o, int from, struct errmsg *err)
{
	struct heard	*h = arg;

	(void)err;
	if (o->role == ROLE_ENTRY && from == (int)o->state) {
		h->n++;
		h->legs_filled = o->legs_filled;
		h->bracket_off = o->bracket_off;
	}
	return 0;
}

/*
 * A target's fill changes its bracket: the note hook hears of it only
 * once the owner has recorded the fill (order_mgr_flush_notes), once; a
 * change the trader makes is heard at once.
 */
static void
test_order_mgr_bracket_note_after_event(void **state)
{
	struct fx		*f = *state;
	struct bracket		 br = { .stop_ticks = 8, .ntargets = 3,
				     .target_ticks = { 8, 16, 24 },
				     .target_qty = { 1, 1, 1 } };
	const struct order	*st[4];
	struct heard		 h = { 0 };
	struct errmsg		 err = { "" };

	sub_br(f, TD_BUY, 3, &br);
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	assert_int_equal(f->pos, 3);
	order_mgr_set_note(f->om, hear_bracket, &h);
	bar(f, 104, 110, 103, 109, 10);
	assert_int_equal(f->pos, 2);
	assert_int_equal(h.n, 0);
	order_mgr_flush_notes(f->om);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.legs_filled, 1);
	order_mgr_flush_notes(f->om);
	assert_int_equal(h.n, 1);
	assert_int_equal(legs(f, ROLE_STOP, st, 4), 2);
	assert_int_equal(order_mgr_cancel(f->om, st[0]->id, now(f), &err), 0);
	assert_int_equal(h.n, 2);
	assert_true(h.bracket_off);
}

/* Six contracts on a 1/1/1 template: two per target. */
static void
test_order_mgr_atm_scaled_shares(void **state)
{
	struct fx		*f = *state;
	struct bracket		 br = { .stop_ticks = 8, .ntargets = 3,
				     .target_ticks = { 8, 16, 24 },
				     .target_qty = { 1, 1, 1 } };
	const struct order	*tg[4];

	sub_br(f, TD_SELL, 7, &br);
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	assert_int_equal(f->pos, -7);
	assert_int_equal(legs(f, ROLE_TARGET, tg, 4), 3);
	/* 7 x 1/3 = 2 each, the rest to the first target. */
	assert_int_equal(tg[0]->qty, 3);
	assert_int_equal(tg[1]->qty, 2);
	assert_int_equal(tg[2]->qty, 2);
	assert_int_equal(tg[0]->price, 92);
	assert_covered(f);
}

/* Breakeven: 4 ticks in profit move the stop to the entry + 1. */
static void
test_order_mgr_atm_breakeven(void **state)
{
	struct fx		*f = *state;
	struct bracket		 br = { .stop_ticks = 8, .ntargets = 1,
				     .target_ticks = { 16 },
				     .target_qty = { 1 },
				     .be_trigger = 4, .be_offset = 1 };
	const struct order	*st[2];

	sub_br(f, TD_BUY, 1, &br);
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	assert_int_equal(order_mgr_on_price(f->om, I0, 103, now(f)), 0);
	assert_int_equal(order_mgr_on_price(f->om, I0, 104, now(f)), 1);
	pump(f);
	assert_int_equal(legs(f, ROLE_STOP, st, 2), 1);
	assert_int_equal(st[0]->price, 101);
	/* It stays there when the market falls back. */
	assert_int_equal(order_mgr_on_price(f->om, I0, 102, now(f)), 0);
	bar(f, 102, 102, 100, 100, 10);
	assert_int_equal(f->pos, 0);
	assert_int_equal(order_mgr_live_count(f->om), 0);
}

/* Trailing: from 8 ticks of profit, 6 behind the best, in steps of 2. */
static void
test_order_mgr_atm_trailing(void **state)
{
	struct fx		*f = *state;
	struct bracket		 br = { .stop_ticks = 8, .ntargets = 1,
				     .target_ticks = { 40 },
				     .target_qty = { 1 },
				     .trail_trigger = 8, .trail_step = 2,
				     .trail_dist = 6 };
	const struct order	*st[2];

	sub_br(f, TD_SELL, 1, &br);
	pump(f);
	bar(f, 100, 101, 99, 100, 10);
	legs(f, ROLE_STOP, st, 2);
	assert_int_equal(st[0]->price, 108);
	assert_int_equal(order_mgr_on_price(f->om, I0, 93, now(f)), 0);
	assert_int_equal(order_mgr_on_price(f->om, I0, 92, now(f)), 1);
	pump(f);
	assert_int_equal(st[0]->price, 98);
	/* One tick more is less than a step. */
	assert_int_equal(order_mgr_on_price(f->om, I0, 91, now(f)), 0);
	assert_int_equal(order_mgr_on_price(f->om, I0, 90, now(f)), 1);
	pump(f);
	assert_int_equal(st[0]->price, 96);
	/* Never back. */
	assert_int_equal(order_mgr_on_price(f->om, I0, 95, now(f)), 0);
	pump(f);
	assert_int_equal(st[0]->price, 96);
}

/* A template the order manager cannot carry is refused. */
static void
test_order_mgr_atm_refused(void **state)
{
	struct fx		*f = *state;
	struct bracket		 br = { .stop_ticks = 8, .ntargets = 1,
				     .target_ticks = { 0 } };
	struct order_req	 req = { .inst = I0, .side = TD_BUY,
				     .type = ORD_MARKET, .qty = 1,
				     .role = ROLE_ENTRY, .br = br };
	struct errmsg		 err = { "" };

	assert_null(order_mgr_submit(f->om, &req, now(f), &err));
	assert_string_equal(err.msg, "bad bracket: target 1 at 0 ticks for 0");
	req.br = (struct bracket){ .stop_ticks = 8, .be_trigger = 4,
	    .be_offset = 4 };
	assert_null(order_mgr_submit(f->om, &req, now(f), &err));
	assert_string_equal(err.msg, "bad bracket: breakeven 4+4, trail "
	    "0/0/0");
}

static void
test_order_mgr_cancel_all_filters(void **state)
{
	struct fx		*f = *state;
	struct order_req	 req = { .inst = I1, .side = TD_SELL,
				     .type = ORD_LIMIT, .qty = 1,
				     .price = 200, .role = ROLE_ENTRY,
				     .owner = MANUAL };
	struct errmsg		 err = { "" };

	/* Two of instrument 0, owner 0; one of instrument 1, manual. */
	sub(f, TD_BUY, ORD_LIMIT, 1, 80, 0, 0);
	sub(f, TD_BUY, ORD_LIMIT, 1, 81, 0, 0);
	assert_non_null(order_mgr_submit(f->om, &req, now(f), &err));
	pump(f);
	assert_int_equal(order_mgr_working_entry_qty(f->om, I1, TD_SELL), 1);
	assert_int_equal(order_mgr_cancel_all(f->om, td_inst_all(),
	    td_owner_only(STRAT(5)), now(f)), 0);
	assert_int_equal(order_mgr_cancel_all(f->om, td_inst_only(I1),
	    td_owner_any(), now(f)), 1);
	/* A pending cancel is not sent twice. */
	assert_int_equal(order_mgr_cancel_all(f->om, td_inst_all(),
	    td_owner_only(MANUAL), now(f)), 0);
	assert_int_equal(order_mgr_cancel_all(f->om, td_inst_all(),
	    td_owner_only(STRAT(0)), now(f)), 2);
	pump(f);
	assert_int_equal(order_mgr_live_count(f->om), 0);
}

/*
 * The filters take exactly what they select: three owners (the trader,
 * strategies 0 and 1) with a limit order on each of two instruments; each
 * cancel_all takes its own orders and no other's, strategy 0 is not the
 * trader, and an instrument's filter leaves the other alone.
 */
static void
test_order_mgr_cancel_all_selects_exactly(void **state)
{
	struct fx		*f = *state;
	struct td_owner		 who[3] = { MANUAL, STRAT(0), STRAT(1) };
	struct td_inst		 inst[2] = { I0, I1 };
	struct errmsg		 err = { "" };
	uint64_t		 id[3][2];

	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < 2; i++) {
			struct order_req	 req = { .inst = inst[i],
						     .side = TD_BUY,
						     .type = ORD_LIMIT,
						     .qty = 1, .price = 80,
						     .role = ROLE_ENTRY,
						     .owner = who[k] };
			struct order		*o;

			assert_non_null(o = order_mgr_submit(f->om, &req,
			    now(f), &err));
			id[k][i] = o->id;
		}
	}
	pump(f);
	assert_int_equal(order_mgr_live_count(f->om), 6);
	/* Strategy 1's order on instrument 1, and nothing else. */
	assert_int_equal(order_mgr_cancel_all(f->om, td_inst_only(I1),
	    td_owner_only(STRAT(1)), now(f)), 1);
	assert_true(order_mgr_find(f->om, id[2][1])->cancel_pending);
	/* The trader's on every instrument: not strategy 0's. */
	assert_int_equal(order_mgr_cancel_all(f->om, td_inst_all(),
	    td_owner_only(MANUAL), now(f)), 2);
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < 2; i++)
			assert_int_equal(order_mgr_find(f->om,
			    id[k][i])->cancel_pending, k == 0 ||
			    (k == 2 && i == 1));
	}
	assert_int_equal(order_mgr_working_count(f->om, td_inst_only(I0)), 3);
	assert_int_equal(order_mgr_working_count(f->om, td_inst_all()), 6);
	/* Anyone's on instrument 0: strategies 0 and 1 (the trader's pends). */
	assert_int_equal(order_mgr_cancel_all(f->om, td_inst_only(I0),
	    td_owner_any(), now(f)), 2);
	pump(f);
	assert_int_equal(order_mgr_live_count(f->om), 1);
	assert_int_equal(order_mgr_live_at(f->om, 0)->id, id[1][1]);
	assert_int_equal(order_mgr_working_count(f->om, td_inst_only(I0)), 0);
	assert_int_equal(order_mgr_working_count(f->om, td_inst_only(I1)), 1);
}

/* The target fills while the entry still works: the rest gets a new bracket. */
static void
test_order_mgr_rebracket_after_target(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 64 };
	struct order		*e;
	uint64_t		 id, first_stop;

	build(f, &cfg, 64);
	id = sub(f, TD_BUY, ORD_LIMIT, 4, 100, 10, 4)->id;
	pump(f);
	/* 2 fill at 100, their target at 104 fills in the same bar. */
	bar(f, 100, 105, 99, 104, 20);
	assert_int_equal(f->pos, 0);
	e = order_mgr_find(f->om, id);
	assert_int_equal(e->state, ORD_PARTIAL);
	assert_int_equal(e->legs_filled, 2);
	first_stop = e->pair[0].stop_id;
	assert_int_equal(order_mgr_find(f->om, first_stop)->state,
	    ORD_CANCELLED);
	bar(f, 100, 101, 99, 100, 20);
	assert_int_equal(f->pos, 2);
	e = order_mgr_find(f->om, id);
	assert_int_equal(e->state, ORD_FILLED);
	assert_true(e->pair[0].stop_id != first_stop);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].stop_id)->price, 90);
	assert_covered(f);
}

/*
 * In one bar the entry fills more at the open and the old target fills
 * too: the manager learns of them one after the other and must end with
 * the position exactly covered, never more.
 */
static void
test_order_mgr_entry_and_leg_in_same_bar(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 64 };
	int			 i;

	build(f, &cfg, 64);
	sub(f, TD_BUY, ORD_LIMIT, 6, 101, 10, 5);
	pump(f);
	bar(f, 101, 102, 100, 101, 20);
	assert_int_equal(f->pos, 2);
	assert_covered(f);
	bar(f, 101, 107, 100, 103, 20);
	assert_covered(f);
	for (i = 0; i < 4; i++) {
		bar(f, 101, 102, 100, 101, 20);
		assert_covered(f);
	}
	assert_int_equal(order_mgr_working_entry_qty(f->om, I0, TD_BUY), 0);
	/* Whatever the path, the position is protected once drained. */
	bar(f, 95, 96, 80, 85, 1000);
	assert_int_equal(f->pos, 0);
	assert_int_equal(order_mgr_live_count(f->om), 0);
}

/*
 * The same race in a pool with no room to spare: placing the new bracket
 * recycles final orders, but never the entry it belongs to, and the update
 * still describes the order of its event.
 */
static void
test_order_mgr_tight_pool_keeps_entry(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 10,
				     .max_orders = 64 };
	struct order		*e;
	uint64_t		 id;
	int			 i, seen = 0;

	build(f, &cfg, 4);
	id = sub(f, TD_BUY, ORD_LIMIT, 4, 101, 10, 5)->id;
	sub(f, TD_BUY, ORD_LIMIT, 1, 1, 0, 0);
	pump(f);
	bar(f, 101, 102, 100, 101, 20);
	assert_int_equal(order_mgr_live_count(f->om), 4);
	bar(f, 101, 107, 100, 103, 20);
	e = order_mgr_find(f->om, id);
	assert_non_null(e);
	assert_int_equal(e->state, ORD_FILLED);
	assert_true(e->pair[0].target_id > 4);
	assert_int_equal(order_mgr_find(f->om, e->pair[0].target_id)->role,
	    ROLE_TARGET);
	assert_int_equal(e->legs_filled, 4);
	for (i = 0; i < f->nup; i++) {
		if (f->up[i].kind != VEV_CANCELLED || f->up[i].order.id != 3)
			continue;
		assert_int_equal(f->up[i].order.role, ROLE_STOP);
		assert_string_equal(f->up[i].order.reason, "oco");
		seen++;
	}
	assert_int_equal(seen, 1);
	assert_int_equal(f->pos, 0);
	assert_covered(f);
}

static void
test_order_mgr_pool_full_of_live_orders(void **state)
{
	struct fx		*f = *state;
	struct order_req	 req = { .inst = I0, .side = TD_BUY,
				     .type = ORD_LIMIT, .qty = 1,
				     .price = 50, .role = ROLE_ENTRY };
	struct errmsg		 err = { "" };
	int			 i;

	build(f, NULL, 4);
	for (i = 0; i < 4; i++)
		assert_non_null(order_mgr_submit(f->om, &req, now(f), &err));
	assert_null(order_mgr_submit(f->om, &req, now(f), &err));
	assert_string_equal(err.msg, "order pool full: 4 live orders");
	req.side = 0;
	assert_null(order_mgr_submit(f->om, &req, now(f), &err));
	assert_string_equal(err.msg, "unknown side 0");
	assert_null(order_mgr_create(2, 1, f->v, &err));
	order_mgr_free(NULL);
}

/*
 * In one bar a buy shrinks a short position, so the newest stop (entry
 * B's) is cancelled, but the venue has already filled it further along
 * the bar: that fill closed A's contract, not one of B's.  When B fills
 * again, its new contract gets a stop.
 */
static void
test_order_mgr_leg_filled_while_cancelled(void **state)
{
	struct fx		*f = *state;
	struct venue_sim_cfg	 cfg = { .participation_pct = 100,
				     .max_orders = 64 };
	struct errmsg		 err = { "" };
	uint64_t		 a, b, old_stop;

	build(f, &cfg, 64);
	a = sub(f, TD_SELL, ORD_MARKET, 1, 0, 8, 0)->id;
	pump(f);
	bar(f, 100, 100, 100, 100, 1);
	b = sub(f, TD_SELL, ORD_LIMIT, 2, 101, 4, 0)->id;
	pump(f);
	bar(f, 100, 101, 100, 100, 1);
	assert_int_equal(f->pos, -2);
	assert_covered(f);
	old_stop = order_mgr_find(f->om, b)->pair[0].stop_id;
	assert_int_equal(order_mgr_find(f->om, old_stop)->price, 105);
	/* B's rest out of the way while the market reaches its stop. */
	assert_int_equal(order_mgr_replace(f->om, b, 0, 110, now(f), &err), 0);
	sub(f, TD_BUY, ORD_MARKET, 1, 0, 0, 0);
	pump(f);
	bar(f, 100, 105, 100, 104, 1);
	assert_int_equal(order_mgr_find(f->om, old_stop)->state, ORD_FILLED);
	assert_int_equal(f->pos, 0);
	assert_int_equal(order_mgr_live_count(f->om), 1);
	assert_int_equal(order_mgr_replace(f->om, b, 0, 101, now(f), &err), 0);
	pump(f);
	bar(f, 100, 101, 100, 100, 1);
	assert_int_equal(order_mgr_find(f->om, b)->state, ORD_FILLED);
	assert_int_equal(f->pos, -1);
	assert_covered(f);
	assert_true(order_mgr_find(f->om, b)->pair[0].stop_id != old_stop);
	assert_int_equal(order_mgr_find(f->om, a)->state, ORD_FILLED);
}

static void
count_cb(const struct order *o, void *arg)
{
	(void)o;
	(*(int *)arg)++;
}

static void
test_order_mgr_pool_recycles_over_100000_orders(void **state)
{
	struct fx	*f = *state;
	struct order	*o;
	uint64_t	 keep, id = 0;
	int		 i, n = 0;

	build(f, NULL, 16);
	/* A working order that must survive all the recycling. */
	keep = sub(f, TD_BUY, ORD_LIMIT, 1, 1, 0, 0)->id;
	pump(f);
	for (i = 0; i < 100000; i++) {
		o = sub(f, i % 2 ? TD_BUY : TD_SELL, ORD_MARKET, 1, 0, 0, 0);
		id = o->id;
		tick(f, T0 + i, 100 + i % 7);
		assert_int_equal(f->nfill, 1);
	}
	assert_int_equal(f->pos, 0);
	assert_int_equal(order_mgr_find(f->om, id)->state, ORD_FILLED);
	assert_int_equal(order_mgr_find(f->om, id)->fill_cost, 100 + 99999 % 7);
	assert_null(order_mgr_find(f->om, 2));
	assert_null(order_mgr_find(f->om, id - 20));
	assert_int_equal(order_mgr_find(f->om, keep)->state, ORD_WORKING);
	assert_int_equal(order_mgr_live_count(f->om), 1);
	order_mgr_foreach(f->om, count_cb, &n);
	assert_int_equal(n, 1);
	assert_int_equal(order_mgr_live_at(f->om, 0)->id, keep);
	assert_null(order_mgr_live_at(f->om, 1));
}

/* A restart's order, working at the venue: restored as it is. */
static void
restore_working(struct fx *f, uint64_t id, enum td_side side,
    enum order_type type, int64_t qty, td_ticks price, uint64_t oco)
{
	struct order	 o = {
		.id = id, .inst = I0, .side = side, .type = type,
		.state = ORD_WORKING, .role = ROLE_ENTRY, .qty = qty,
		.price = price, .owner = MANUAL, .oco = oco,
	};
	struct errmsg	 err = { "" };

	if (order_mgr_restore(f->om, &o, &err) == -1)
		fail_msg("%s", err.msg);
}

/*
 * A restart takes over orders only the venue knew, restored as entries,
 * as the protection of a long 2: a sell stop of 2 is its stop; a buy
 * stop would add to it and a sell limit of 1 more would not fit beside
 * the stop (the reduce-only rule), so they stay entries.  Once the
 * restart has settled, what is taken over shrinks with the position as
 * any exit.
 */
static void
test_order_mgr_adopt(void **state)
{
	struct fx		*f = *state;
	struct errmsg		 err = { "" };
	struct venue_event	 e;

	order_mgr_set_position(f->om, I0, 2);
	restore_working(f, 5, TD_SELL, ORD_STOP, 2, 990, 0);
	restore_working(f, 6, TD_SELL, ORD_LIMIT, 1, 1010, 0);
	restore_working(f, 7, TD_BUY, ORD_STOP, 1, 1020, 0);
	assert_false(order_mgr_protected(f->om, I0, 2));

	assert_int_equal(order_mgr_adopt(f->om, 7, ROLE_STOP, 0, &err), -1);
	assert_string_equal(err.msg, "order 7: it would open or add to the "
	    "position");
	assert_int_equal(order_mgr_adopt(f->om, 5, ROLE_ENTRY, 0, &err), -1);
	assert_int_equal(order_mgr_adopt(f->om, 99, ROLE_STOP, 0, &err), -1);
	assert_int_equal(order_mgr_adopt(f->om, 5, ROLE_STOP, 0, &err), 0);
	assert_int_equal(order_mgr_find(f->om, 5)->role, ROLE_STOP);
	assert_int_equal(order_mgr_find(f->om, 5)->parent, 0);
	assert_true(order_mgr_protected(f->om, I0, 2));
	assert_int_equal(order_mgr_cover(f->om, I0, TD_BUY), 2);
	assert_int_equal(order_mgr_adopt(f->om, 5, ROLE_STOP, 0, &err), -1);
	assert_int_equal(order_mgr_adopt(f->om, 6, ROLE_TARGET, 0, &err), -1);
	assert_string_equal(err.msg, "order 6: 1 more to close a position of "
	    "2 would not fit beside the other exits");
	assert_int_equal(order_mgr_find(f->om, 6)->role, ROLE_ENTRY);
	assert_int_equal(order_mgr_exit_qty(f->om, I0), 2);

	/* The restart settles; then the sell limit fills: long 1, the stop
	 * follows. */
	order_mgr_settle(f->om, 0);
	assert_int_equal(order_mgr_exit_qty(f->om, I0), 2);
	e = ev(VEV_FILL, 6, 1, 1010, 0, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, NULL, &err), 0);
	assert_int_equal(order_mgr_position(f->om, I0), 1);
	assert_int_equal(order_mgr_exit_qty(f->om, I0), 1);
	assert_true(order_mgr_protected(f->om, I0, 1));
}

/*
 * Taken over as the legs of their filled entry (their OCO group), a stop
 * and a target are one pair: a partial fill of the target takes as much
 * off the stop, as the venue does, and the stop still covers the rest.
 */
static void
test_order_mgr_adopt_legs(void **state)
{
	struct fx		*f = *state;
	struct order		 entry = {
		.id = 3, .inst = I0, .side = TD_BUY, .type = ORD_MARKET,
		.state = ORD_FILLED, .role = ROLE_ENTRY, .qty = 2, .filled = 2,
		.fill_cost = 2000, .owner = MANUAL,
	};
	struct errmsg		 err = { "" };
	struct venue_event	 e;

	order_mgr_set_position(f->om, I0, 2);
	assert_int_equal(order_mgr_restore(f->om, &entry, &err), 0);
	restore_working(f, 4, TD_SELL, ORD_STOP, 2, 990, 3);
	restore_working(f, 5, TD_SELL, ORD_LIMIT, 2, 1010, 3);
	assert_int_equal(order_mgr_adopt(f->om, 4, ROLE_STOP, 3, &err), 0);
	assert_int_equal(order_mgr_adopt(f->om, 5, ROLE_TARGET, 3, &err), 0);
	assert_int_equal(order_mgr_find(f->om, 5)->parent, 3);
	assert_int_equal(order_mgr_find(f->om, 3)->npairs, 1);
	assert_int_equal(order_mgr_exit_qty(f->om, I0), 2);
	assert_true(order_mgr_protected(f->om, I0, 2));

	e = ev(VEV_FILL, 5, 1, 1010, 1, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, NULL, &err), 0);
	assert_int_equal(order_mgr_position(f->om, I0), 1);
	assert_int_equal(order_mgr_exit_qty(f->om, I0), 1);
	assert_int_equal(order_mgr_cover(f->om, I0, TD_BUY), 1);
	assert_int_equal(order_mgr_find(f->om, 5)->state, ORD_PARTIAL);
}

/*
 * A restart replays an entry's lost fills after putting back the legs the
 * venue works for it now: short 1, the entry buys 2 (flat, then long 1),
 * its stop and target sell 1.  Passing through flat must not cancel them;
 * after settle they protect the long 1.
 */
static void
test_order_mgr_restore_replay_through_flat(void **state)
{
	struct fx		*f = *state;
	struct order		 entry = {
		.id = 3, .inst = I0, .side = TD_BUY, .type = ORD_MARKET,
		.state = ORD_WORKING, .role = ROLE_ENTRY, .qty = 2,
		.owner = MANUAL,
	};
	struct order		 leg = {
		.inst = I0, .side = TD_SELL, .state = ORD_WORKING, .qty = 1,
		.parent = 3, .oco = 3, .owner = MANUAL,
	};
	struct errmsg		 err = { "" };
	struct venue_event	 e;

	order_mgr_set_position(f->om, I0, -1);
	assert_int_equal(order_mgr_restore(f->om, &entry, &err), 0);
	leg.id = 4;
	leg.role = ROLE_STOP;
	leg.type = ORD_STOP;
	leg.price = 990;
	assert_int_equal(order_mgr_restore(f->om, &leg, &err), 0);
	leg.id = 5;
	leg.role = ROLE_TARGET;
	leg.type = ORD_LIMIT;
	leg.price = 1010;
	assert_int_equal(order_mgr_restore(f->om, &leg, &err), 0);

	e = ev(VEV_FILL, 3, 1, 1000, 1, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, NULL, &err), 0);
	assert_int_equal(order_mgr_position(f->om, I0), 0);
	e = ev(VEV_FILL, 3, 1, 1000, 0, "");
	assert_int_equal(order_mgr_on_event(f->om, &e, NULL, &err), 0);
	assert_int_equal(order_mgr_position(f->om, I0), 1);
	for (uint64_t id = 4; id <= 5; id++) {
		assert_non_null(order_mgr_find(f->om, id));
		assert_false(order_mgr_find(f->om, id)->cancel_pending);
	}
	order_mgr_settle(f->om, T0);
	assert_true(order_mgr_protected(f->om, I0, 1));
	assert_int_equal(order_mgr_exit_qty(f->om, I0), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_order_mgr_names),
		T(test_order_mgr_transition_table),
		T(test_order_mgr_fill_path),
		T(test_order_mgr_fill_and_cancel_paths),
		T(test_order_mgr_reject_paths),
		T(test_order_mgr_replace_keeps_state),
		T(test_order_mgr_transitions_from_other_venues),
		T(test_order_mgr_illegal_transitions_change_nothing),
		T(test_order_mgr_bracket_long),
		T(test_order_mgr_bracket_short),
		T(test_order_mgr_partial_entry_resizes_legs),
		T(test_order_mgr_target_fill_cancels_stop),
		T(test_order_mgr_stop_fill_cancels_target),
		T(test_order_mgr_bar_touching_both_fills_only_stop),
		T(test_order_mgr_gap_through_stop_fills_at_open),
		T(test_order_mgr_slippage),
		T(test_order_mgr_latency),
		T(test_order_mgr_move_stop),
		T(test_order_mgr_flatten),
		T(test_order_mgr_cancel_all_filters),
		T(test_order_mgr_cancel_all_selects_exactly),
		T(test_order_mgr_rebracket_after_target),
		T(test_order_mgr_entry_and_leg_in_same_bar),
		T(test_order_mgr_tight_pool_keeps_entry),
		T(test_order_mgr_pool_full_of_live_orders),
		T(test_order_mgr_pool_recycles_over_100000_orders),
		T(test_order_mgr_leg_filled_while_cancelled),
		T(test_order_mgr_atm_scale_out),
		T(test_order_mgr_bracket_note_after_event),
		T(test_order_mgr_atm_scaled_shares),
		T(test_order_mgr_atm_breakeven),
		T(test_order_mgr_atm_trailing),
		T(test_order_mgr_atm_refused),
		T(test_order_mgr_adopt),
		T(test_order_mgr_adopt_legs),
		T(test_order_mgr_restore_replay_through_flat),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
