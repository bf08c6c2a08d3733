/*
 * test-strategy.c -- the strategy API (strategy.h) on a real engine: the
 * registry, order handles and the events of a strategy's orders,
 * subscriptions and the bars the engine builds for them, timers and data
 * events, and the filters that let a strategy's entries through on them.
 *
 * A probe strategy, added to a registry of the test's own, makes the
 * subscriptions of a plan in its start and keeps every event it hears.
 * A strategy calls the API only from inside its callbacks, so the tests
 * act through the probe: they hand it an act and send it a data event of
 * source "act", and its on_data does the act (act_submit, act_position,
 * ...) and keeps what came back.  The contract's tests break that rule
 * and others on purpose and check that the engine disables the probe
 * alone, its position still protected.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "errmsg.h"
#include "alert.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "snapshot.h"
#include "strat-registry.h"
#include "trades.h"

#include "alert-keep.h"
#include "fixture.h"

#define PROBE_MAX_EV	64
#define P0		td_strat_at(0)		/* the probe, p */
#define P1		td_strat_at(1)		/* a second one, q */
#define PROBE_MAX_BARS	256
#define PROBE_MAX_SUBS	8

/* A subscription the probe makes in its start. */
struct plan_sub {
	const char		*symbol;
	struct strat_bar_type	 type;
	int			 history;
};

struct probe_bar {
	int			 sub;
	struct td_bar		 bar;
	bool			 in_history;	/* strat_bar(sub, 0) was it */
};

struct act;

struct probe {
	struct strat_ctx	*ctx;
	struct act		*act;		/* to do at the next "act" */
	int			 fail_at;	/* on_bar fails on this bar */
	int			 fail_rc;	/* its answer (-1: a message) */
	int			 nev;
	struct strat_order_ev	 ev[PROBE_MAX_EV];
	char			 reason[PROBE_MAX_EV][96];
	struct strat_sub	 sub[PROBE_MAX_SUBS];
	char			 sub_err[PROBE_MAX_SUBS][ERRMSG_MAX];
	int			 nbar;
	struct probe_bar	 bar[PROBE_MAX_BARS];
	int			 ticks[PROBE_MAX_SUBS];
	int			 hist[PROBE_MAX_SUBS];	/* strat_bars, */
	td_ns			 oldest[PROBE_MAX_SUBS];	/* its first */
	int			 opens[4];	/* per instrument */
	char			 log[2048];	/* timers, closes, data */
};

/*
 * The probe of the engine under test, a second instance of it when the
 * test runs two (probe_other), the engine, and the plan.
 */
static struct probe	*probe_now;
static struct probe	*probe_other;
static struct engine	*probe_e;
static struct plan_sub	 plan[PROBE_MAX_SUBS];
static int		 nplan;
static const char	*plan_src[4];	/* data sources, NULL ended */

/* "HH:MM:SS" of an instant in New York. */
static const char *
ny_time(td_ns t, char *buf, size_t len)
{
	static struct tz	*ny;
	struct tz_tm		 tm;

	if (ny == NULL)
		ny = tz_load("America/New_York", NULL);
	tz_to_local(ny, t, &tm);
	snprintf(buf, len, "%02d-%02d:%02d:%02d", tm.mday, tm.hour, tm.min,
	    tm.sec);
	return buf;
}

static void
probe_log(struct probe *p, const char *what, td_ns t)
{
	char	 a[32], b[32];
	size_t	 n = strlen(p->log);

	snprintf(p->log + n, sizeof p->log - n, "%s%s@%s(%s)", n > 0 ? " " :
	    "", what, ny_time(t, a, sizeof a), ny_time(strat_now(p->ctx), b,
	    sizeof b));
}

static const struct strat_param probe_params[] = {
	{ .name = NULL },
};

/* What the probe's create tries, and what it was told. */
static bool	 create_tries;
static char	 create_said[3][ERRMSG_MAX];

/* In create the engine has not started: no orders, timers, subscriptions. */
static void
probe_create_tries(struct strat_ctx *ctx)
{
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = 1 };
	struct strat_order	 h;
	struct strat_timer	 t;
	struct strat_sub	 sub;
	struct errmsg		 err;

	assert_int_equal(strat_submit(ctx, &r, &h, &err), -1);
	snprintf(create_said[0], sizeof create_said[0], "%s", err.msg);
	assert_int_equal(strat_timer_every(ctx, 60, &t, &err), -1);
	snprintf(create_said[1], sizeof create_said[1], "%s", err.msg);
	assert_int_equal(strat_subscribe(ctx, NULL, (struct strat_bar_type){
	    STRAT_MINUTES, 5 }, 0, &sub, &err), -1);
	snprintf(create_said[2], sizeof create_said[2], "%s", err.msg);
	/* What create may ask. */
	assert_int_equal(strat_inst(ctx, NULL), 0);
	assert_int_equal(strat_now(ctx), 0);
}

static void *
probe_create(struct strat_ctx *ctx, struct errmsg *err)
{
	struct probe	*p;

	if (create_tries)
		probe_create_tries(ctx);
	if ((p = calloc(1, sizeof *p)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	if (probe_now == NULL)
		probe_now = p;
	else
		probe_other = p;
	return p;
}

static void
probe_destroy(void *self)
{
	if (self == probe_now)
		probe_now = NULL;
	if (self == probe_other)
		probe_other = NULL;
	free(self);
}

static int
probe_start(void *self, struct strat_ctx *ctx, struct errmsg *err)
{
	struct probe	*p = self;
	struct errmsg	 e;

	(void)err;
	p->ctx = ctx;
	for (int i = 0; i < nplan; i++) {
		p->sub[i].id = -1;
		if (strat_subscribe(ctx, plan[i].symbol, plan[i].type,
		    plan[i].history, &p->sub[i], &e) == -1)
			snprintf(p->sub_err[i], sizeof p->sub_err[i], "%s",
			    e.msg);
	}
	for (int i = 0; plan_src[i] != NULL; i++) {
		if (strat_subscribe_data(ctx, plan_src[i], &e) == -1)
			fail_msg("%s", e.msg);
	}
	if (strat_subscribe_data(ctx, "act", &e) == -1)
		fail_msg("%s", e.msg);
	return 0;
}

static int
probe_on_timer(void *self, struct strat_ctx *ctx, struct strat_timer t,
    td_ns when, struct errmsg *err)
{
	char	 what[32];

	(void)ctx;
	(void)err;
	snprintf(what, sizeof what, "timer%d", t.id);
	probe_log(self, what, when);
	return 0;
}

static void	 probe_act(struct probe *, struct strat_ctx *);

static int
probe_on_data(void *self, struct strat_ctx *ctx, const struct td_data *d,
    struct errmsg *err)
{
	char	 what[96];

	(void)err;
	if (strcmp(d->source, "act") == 0) {
		probe_act(self, ctx);
		return 0;
	}
	snprintf(what, sizeof what, "%s/%s=%lld", d->source, d->name,
	    (long long)d->value);
	probe_log(self, what, d->time);
	return 0;
}

static int
probe_session_close(void *self, struct strat_ctx *ctx,
    const struct strat_session *s, struct errmsg *err)
{
	(void)ctx;
	(void)err;
	probe_log(self, "close", s->close);
	return 0;
}

static int
probe_on_bar(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_bar *bar, struct errmsg *err)
{
	struct probe		*p = self;
	const struct td_bar	*h = strat_bar(ctx, sub, 0);

	if (p->nbar + 1 == p->fail_at)
		return p->fail_rc != -1 ? p->fail_rc : strat_error(err,
		    "bar %d: failing on purpose", p->fail_at);
	if (p->nbar == PROBE_MAX_BARS)
		return 0;
	p->bar[p->nbar].sub = sub.id;
	p->bar[p->nbar].bar = *bar;
	p->bar[p->nbar].in_history = h != NULL &&
	    memcmp(h, bar, sizeof *h) == 0;
	if (sub.id >= 0 && sub.id < PROBE_MAX_SUBS &&
	    (p->hist[sub.id] = strat_bars(ctx, sub)) > 0)
		p->oldest[sub.id] = strat_bar(ctx, sub,
		    p->hist[sub.id] - 1)->start;
	p->nbar++;
	return 0;
}

static int
probe_on_tick(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_tick *tick, struct errmsg *err)
{
	struct probe	*p = self;

	(void)ctx;
	(void)tick;
	(void)err;
	if (sub.id >= 0 && sub.id < PROBE_MAX_SUBS)
		p->ticks[sub.id]++;
	return 0;
}

static int
probe_session_open(void *self, struct strat_ctx *ctx,
    const struct strat_session *s, struct errmsg *err)
{
	struct probe	*p = self;

	(void)ctx;
	(void)err;
	p->opens[s->inst]++;
	return 0;
}

static int
probe_on_order(void *self, struct strat_ctx *ctx,
    const struct strat_order_ev *ev, struct errmsg *err)
{
	struct probe	*p = self;

	(void)ctx;
	(void)err;
	if (p->nev == PROBE_MAX_EV)
		return 0;
	p->ev[p->nev] = *ev;
	snprintf(p->reason[p->nev], sizeof p->reason[0], "%s", ev->reason);
	p->ev[p->nev].reason = p->reason[p->nev];
	p->nev++;
	return 0;
}

static const struct strategy_ops probe_ops = {
	.abi = TD_STRATEGY_ABI,
	.name = "probe",
	.summary = "the tests' strategy",
	.params = probe_params,
	.create = probe_create,
	.destroy = probe_destroy,
	.start = probe_start,
	.on_bar = probe_on_bar,
	.on_tick = probe_on_tick,
	.on_order = probe_on_order,
	.on_timer = probe_on_timer,
	.on_data = probe_on_data,
	.on_session_open = probe_session_open,
	.on_session_close = probe_session_close,
};

struct fx {
	struct strat_registry	*reg;
	struct engine		*e;
};

static struct engine *
probe_engine_vc(struct fx *fx, void (*tune)(struct engine_config *),
    const struct venue_sim_cfg *vc)
{
	struct engine_config	 cfg;
	struct errmsg		 err;

	fixture_config(&cfg);
	cfg.nstrat = 1;
	memset(&cfg.strat[0], 0, sizeof cfg.strat[0]);
	strcpy(cfg.strat[0].name, "p");
	strcpy(cfg.strat[0].type, "probe");
	strcpy(cfg.strat[0].symbol, "ES");
	cfg.strat[0].enabled = true;
	if (tune != NULL)
		tune(&cfg);
	if ((fx->e = fixture_engine_reg(&cfg, vc, NULL, fx->reg,
	    &err)) == NULL)
		fail_msg("%s", err.msg);
	probe_e = fx->e;
	return fx->e;
}

static struct engine *
probe_engine(struct fx *fx, void (*tune)(struct engine_config *))
{
	return probe_engine_vc(fx, tune, NULL);
}

static int
setup(void **state)
{
	struct fx	*fx = calloc(1, sizeof *fx);
	struct errmsg	 err;

	assert_non_null(fx);
	assert_non_null(fx->reg = strat_registry_create(&err));
	assert_int_equal(strat_registry_add(fx->reg, &probe_ops, &err), 0);
	nplan = 0;
	plan_src[0] = NULL;
	create_tries = false;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	engine_free(fx->e);
	probe_e = NULL;
	strat_registry_free(fx->reg);
	free(fx);
	return 0;
}

/* One ES 1-minute bar of 2024-03-14 (New York time), prices in points. */
static void
bar(struct engine *e, int h, int m, double o, double hi, double lo, double c)
{
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 14, h, m), P(o),
			    P(hi), P(lo), P(c));
	struct errmsg	 err;

	if (engine_on_market(e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

/* ---------------------------------------------------------------- acts */

/*
 * One call of the API the probe makes inside its on_data: fn makes it
 * with the arguments here and keeps what came back in rc and ptr.
 */
struct act {
	void		 (*fn)(struct strat_ctx *, struct act *);
	const void	*req;
	void		*out;
	struct errmsg	*err;
	const char	*text;
	int64_t		 n[4];
	struct strat_sub sub;
	struct strat_order h;
	struct strat_timer t;
	struct strat_bar_type type;
	int64_t		 rc;
	const void	*ptr;
};

static void
probe_act(struct probe *p, struct strat_ctx *ctx)
{
	struct act	*a = p->act;

	if (a == NULL)
		return;
	p->act = NULL;
	a->fn(ctx, a);
}

/* Have probe p do a at once; false when it did not (it hears nothing). */
static bool
try_act_of(struct probe *p, struct act *a)
{
	struct td_data	 d = { .inst = -1, .kind = TD_DATA_VALUE };
	struct errmsg	 err;

	snprintf(d.source, sizeof d.source, "act");
	d.time = engine_now(probe_e);
	p->act = a;
	if (engine_on_data(probe_e, &d, &err) == -1)
		fail_msg("%s", err.msg);
	if (p->act == NULL)
		return true;
	p->act = NULL;
	return false;
}

static int64_t
act_of(struct probe *p, struct act *a)
{
	if (!try_act_of(p, a))
		fail_msg("the probe did not act: it is not running");
	return a->rc;
}

static int64_t
act(struct act *a)
{
	return act_of(probe_now, a);
}

static void
submit_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_submit(ctx, a->req, a->out, a->err);
}

static int
act_submit(const struct strat_order_req *r, struct strat_order *h,
    struct errmsg *err)
{
	return (int)act(&(struct act){ .fn = submit_fn, .req = r, .out = h,
	    .err = err });
}

static void
modify_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_modify(ctx, a->h, a->n[0], a->n[1], a->n[2], a->err);
}

static int
act_modify(struct strat_order h, int64_t qty, td_ticks price, td_ticks limit,
    struct errmsg *err)
{
	return (int)act(&(struct act){ .fn = modify_fn, .h = h,
	    .n = { qty, price, limit }, .err = err });
}

static void
cancel_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_cancel(ctx, a->h, a->err);
}

static int
act_cancel(struct strat_order h, struct errmsg *err)
{
	return (int)act(&(struct act){ .fn = cancel_fn, .h = h, .err = err });
}

static void
intent_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_intent(ctx, a->req);
}

static int
act_intent(const struct intent *in)
{
	return (int)act(&(struct act){ .fn = intent_fn, .req = in });
}

static void
timer_once_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_timer_once(ctx, a->n[0], a->out, a->err);
}

static int
act_timer_once(td_ns t, struct strat_timer *out, struct errmsg *err)
{
	return (int)act(&(struct act){ .fn = timer_once_fn, .n = { t },
	    .out = out, .err = err });
}

static void
timer_every_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_timer_every(ctx, (int)a->n[0], a->out, a->err);
}

static int
act_timer_every(int seconds, struct strat_timer *out, struct errmsg *err)
{
	return (int)act(&(struct act){ .fn = timer_every_fn,
	    .n = { seconds }, .out = out, .err = err });
}

static void
timer_at_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_timer_at(ctx, (int)a->n[0], (int)a->n[1], (int)a->n[2],
	    (int)a->n[3], a->out, a->err);
}

static int
act_timer_at(int inst, int h, int m, int sec, struct strat_timer *out,
    struct errmsg *err)
{
	return (int)act(&(struct act){ .fn = timer_at_fn,
	    .n = { inst, h, m, sec }, .out = out, .err = err });
}

static void
timer_cancel_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_timer_cancel(ctx, a->t);
}

static int
act_timer_cancel(struct strat_timer t)
{
	return (int)act(&(struct act){ .fn = timer_cancel_fn, .t = t });
}

static void
subscribe_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_subscribe(ctx, a->text, a->type, (int)a->n[0], a->out,
	    a->err);
}

static int
act_subscribe(const char *symbol, struct strat_bar_type type, int history,
    struct strat_sub *out, struct errmsg *err)
{
	return (int)act(&(struct act){ .fn = subscribe_fn, .text = symbol,
	    .type = type, .n = { history }, .out = out, .err = err });
}

static void
subscribe_data_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_subscribe_data(ctx, a->text, a->err);
}

static int
act_subscribe_data(const char *source, struct errmsg *err)
{
	return (int)act(&(struct act){ .fn = subscribe_data_fn,
	    .text = source, .err = err });
}

static void
position_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_position(ctx, (int)a->n[0]);
}

static int64_t
act_position(int inst)
{
	return act(&(struct act){ .fn = position_fn, .n = { inst } });
}

static void
bars_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_bars(ctx, a->sub);
}

static int
act_bars(struct strat_sub sub)
{
	return (int)act(&(struct act){ .fn = bars_fn, .sub = sub });
}

static void
bar_fn(struct strat_ctx *ctx, struct act *a)
{
	a->ptr = strat_bar(ctx, a->sub, (int)a->n[0]);
}

static const struct td_bar *
act_bar(struct strat_sub sub, int ago)
{
	struct act	 a = { .fn = bar_fn, .sub = sub, .n = { ago } };

	act(&a);
	return a.ptr;
}

static void
sub_inst_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_sub_inst(ctx, a->sub);
}

static int
act_sub_inst(struct strat_sub sub)
{
	return (int)act(&(struct act){ .fn = sub_inst_fn, .sub = sub });
}

static void
inst_fn(struct strat_ctx *ctx, struct act *a)
{
	a->rc = strat_inst(ctx, a->text);
}

static int
act_inst(const char *symbol)
{
	return (int)act(&(struct act){ .fn = inst_fn, .text = symbol });
}

static const struct strat_order_ev *
last_ev(void)
{
	assert_true(probe_now->nev > 0);
	return &probe_now->ev[probe_now->nev - 1];
}

static struct strat_order
submit(enum td_side side, enum strat_order_type type, int64_t qty,
    double price, enum strat_tif tif)
{
	struct strat_order_req	 r = {
		.inst = 0, .side = side, .type = type, .qty = qty,
		.price = P(price), .tif = tif, .why = "test",
	};
	struct strat_order	 h;
	struct errmsg		 err;

	if (act_submit(&r, &h, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_not_equal(h.id, 0);
	return h;
}

/* ---------------------------------------------------------------- registry */

static void
test_strategy_registry(void **state)
{
	struct fx		*fx = *state;
	struct strategy_ops	 bad = probe_ops;
	struct strat_param	 dup[] = {
		{ .name = "a", .def = 1, .min = 0, .max = 2 },
		{ .name = "a", .def = 1, .min = 0, .max = 2 },
		{ .name = NULL },
	};
	const struct strat_registry *b = strat_registry_builtin();
	struct errmsg		 err;

	/* The built-ins first, then what was added. */
	assert_int_equal(strat_registry_count(b), 3);
	assert_string_equal(strat_registry_at(b, 0)->name, "minimal");
	assert_string_equal(strat_registry_at(b, 1)->name, "orb");
	assert_string_equal(strat_registry_at(b, 2)->name, "ml");
	assert_null(strat_registry_at(b, 3));
	assert_int_equal(strat_registry_count(fx->reg), 4);
	assert_ptr_equal(strat_registry_find(fx->reg, "probe"), &probe_ops);
	assert_ptr_equal(strat_registry_find(fx->reg, "orb"),
	    strat_registry_find(b, "orb"));
	assert_null(strat_registry_find(b, "probe"));
	assert_null(strat_registry_find(fx->reg, "nosuch"));

	assert_int_equal(strat_registry_add(fx->reg, &probe_ops, &err), -1);
	assert_string_equal(err.msg, "a strategy named probe is already there");
	bad.name = "old";
	bad.abi = TD_STRATEGY_ABI - 1;
	assert_int_equal(strat_registry_add(fx->reg, &bad, &err), -1);
	assert_string_equal(err.msg, "strategy ABI version 1, this tickdesk "
	    "runs version 2");
	bad.abi = TD_STRATEGY_ABI;
	bad.create = NULL;
	assert_int_equal(strat_registry_add(fx->reg, &bad, &err), -1);
	assert_string_equal(err.msg, "strategy old has no create or destroy");
	bad.create = probe_create;
	bad.params = dup;
	assert_int_equal(strat_registry_add(fx->reg, &bad, &err), -1);
	assert_string_equal(err.msg, "strategy old: parameter 'a' twice");
	dup[1].name = "b";
	dup[1].def = 5;
	assert_int_equal(strat_registry_add(fx->reg, &bad, &err), -1);
	assert_string_equal(err.msg, "strategy old: parameter 'b': default 5 "
	    "is out of its range 0..2");
	dup[1].def = 2;
	assert_int_equal(strat_registry_add(fx->reg, &bad, &err), 0);
	assert_int_equal(strat_registry_count(fx->reg), 5);
	assert_int_equal(strat_registry_add((struct strat_registry *)b,
	    &bad, &err), -1);
	strat_registry_free(NULL);
}

/* An engine finds its strategies in the registry it is handed. */
static void
test_strategy_registry_engine(void **state)
{
	struct fx		*fx = *state;
	struct engine_config	 cfg;
	struct errmsg		 err;

	fixture_config(&cfg);
	cfg.nstrat = 1;
	memset(&cfg.strat[0], 0, sizeof cfg.strat[0]);
	strcpy(cfg.strat[0].name, "p");
	strcpy(cfg.strat[0].type, "probe");
	strcpy(cfg.strat[0].symbol, "ES");
	/* Not among the built-ins. */
	assert_null(fixture_engine(&cfg, NULL, &err));
	assert_string_equal(err.msg, "strategy p: unknown type 'probe'");
	probe_engine(fx, NULL);
	assert_ptr_equal(engine_strategy_ops(fx->e, P0),
	    &probe_ops);
}

/* ---------------------------------------------------------------- orders */

/* Accepted, then filled: the handle's events in order. */
static void
test_strategy_order_accept_fill(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_order	 h;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	h = submit(TD_BUY, STRAT_LIMIT, 2, 4999, STRAT_GTC);
	assert_int_equal(probe_now->nev, 1);
	assert_int_equal(last_ev()->kind, STRAT_ORDER_ACCEPTED);
	assert_int_equal(last_ev()->order.id, h.id);
	assert_int_equal(last_ev()->role, STRAT_ROLE_ENTRY);
	assert_int_equal(last_ev()->type, STRAT_LIMIT);
	assert_int_equal(last_ev()->qty, 2);
	assert_int_equal(last_ev()->price, P(4999));
	assert_string_equal(last_ev()->reason, "");
	bar(e, 10, 1, 5000, 5000, 4998.75, 4999);
	assert_int_equal(last_ev()->kind, STRAT_ORDER_FILLED);
	assert_int_equal(last_ev()->fill_qty, 2);
	assert_int_equal(last_ev()->fill_price, P(4999));
	assert_int_equal(last_ev()->position, 2);
	assert_int_equal(act_position(0), 2);
	assert_int_equal(engine_strat_position(e, ES), 2);
}

/* The venue fills part of an order, then the rest. */
static void
test_strategy_order_partial(void **state)
{
	struct fx		*fx = *state;
	struct venue_sim_cfg	 vc;
	struct engine		*e;
	struct strat_order	 h;
	int			 n;

	fixture_venue_config(&vc);
	vc.participation_pct = 1;
	e = probe_engine_vc(fx, NULL, &vc);

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	/* 1% of a 100-lot bar: one contract a bar. */
	h = submit(TD_BUY, STRAT_LIMIT, 2, 5000, STRAT_GTC);
	bar(e, 10, 1, 5000, 5000, 4999, 4999);
	n = probe_now->nev;
	assert_int_equal(probe_now->ev[n - 1].kind, STRAT_ORDER_PARTIAL);
	assert_int_equal(probe_now->ev[n - 1].order.id, h.id);
	assert_int_equal(probe_now->ev[n - 1].fill_qty, 1);
	assert_int_equal(probe_now->ev[n - 1].filled, 1);
	assert_int_equal(probe_now->ev[n - 1].position, 1);
	bar(e, 10, 2, 5000, 5000, 4999, 4999);
	assert_int_equal(last_ev()->kind, STRAT_ORDER_FILLED);
	assert_int_equal(last_ev()->filled, 2);
	assert_int_equal(last_ev()->position, 2);
}

/*
 * Refused before the venue: -1 and the reason, no handle, no event.  The
 * risk manager's word is an answer; a request that makes no sense is
 * refused as invalid and counted, and the third of a trading day
 * disables the strategy.
 */
static void
test_strategy_order_refused(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_LIMIT, .qty = 1,
				    .price = 0 };
	struct strat_order	 h = { 99 };
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(act_submit(&r, &h, &err), -1);
	assert_string_equal(err.msg, "price must be positive");
	assert_int_equal(h.id, 0);
	assert_int_equal(engine_strategy_invalid(e, P0), 1);
	r.price = P(4990);
	r.atm = "nosuch";
	assert_int_equal(act_submit(&r, &h, &err), -1);
	assert_string_equal(err.msg, "no bracket template (atm) 'nosuch'");
	assert_int_equal(engine_strategy_invalid(e, P0), 2);
	r.atm = NULL;
	assert_int_equal(probe_now->nev, 0);
	/* The risk manager's word comes back as it is, and is not counted. */
	engine_set_state(e, TS_HALTED, "test", "a test", &err);
	r.type = STRAT_MARKET;
	assert_int_equal(act_submit(&r, &h, &err), -1);
	assert_non_null(strstr(err.msg, "order refused: "));
	assert_int_equal(probe_now->nev, 0);
	assert_int_equal(engine_strategy_invalid(e, P0), 2);
	assert_string_equal(engine_strategy_why(e, P0), "");
	r.type = STRAT_STOP_LIMIT;
	r.limit = P(4989);
	assert_int_equal(act_submit(&r, &h, &err), -1);
	assert_string_equal(err.msg, "buy stop-limit's limit 4989.00 is below "
	    "its stop 4990.00 (3 invalid requests today): strategy disabled");
	assert_string_equal(engine_strategy_why(e, P0), "3 invalid requests "
	    "today: buy stop-limit's limit 4989.00 is below its stop 4990.00");
	assert_false(try_act_of(probe_now, &(struct act){
	    .fn = position_fn }));
}

/* The venue refuses a buy stop below the market: REJECTED, its reason. */
static void
test_strategy_order_rejected(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_order	 h;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	h = submit(TD_BUY, STRAT_STOP, 1, 4990, STRAT_GTC);
	assert_int_equal(probe_now->nev, 1);
	assert_int_equal(last_ev()->kind, STRAT_ORDER_REJECTED);
	assert_int_equal(last_ev()->order.id, h.id);
	assert_string_equal(last_ev()->reason, "buy stop 19960 is not above "
	    "the market 20000 (ticks)");
}

/* Cancelled by the strategy, and a DAY order expired at the close. */
static void
test_strategy_order_cancelled(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_order	 h, day, other = { 12345 };
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	h = submit(TD_BUY, STRAT_LIMIT, 1, 4990, STRAT_GTC);
	day = submit(TD_BUY, STRAT_LIMIT, 1, 4980, STRAT_DAY);
	assert_int_equal(act_cancel(h, &err), 0);
	assert_int_equal(last_ev()->kind, STRAT_ORDER_CANCELLED);
	assert_int_equal(last_ev()->order.id, h.id);
	assert_int_not_equal(last_ev()->reason[0], '\0');
	/* Its own order, ended: an answer, not counted. */
	assert_int_equal(act_cancel(h, &err), -1);
	assert_string_equal(err.msg, "no working order 1 (cancelled)");
	assert_int_equal(engine_strategy_invalid(e, P0), 0);
	/* A handle the engine never gave: invalid. */
	assert_int_equal(act_cancel(other, &err), -1);
	assert_string_equal(err.msg, "no order 12345: not a handle the "
	    "engine gave");
	assert_int_equal(act_cancel((struct strat_order){ 0 }, &err), -1);
	assert_int_equal(engine_strategy_invalid(e, P0), 2);

	bar(e, 15, 59, 5000, 5000, 5000, 5000);
	bar(e, 16, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(last_ev()->kind, STRAT_ORDER_CANCELLED);
	assert_int_equal(last_ev()->order.id, day.id);
	assert_int_equal(strncmp(last_ev()->reason, "expired", 7), 0);
}

/*
 * A strategy changes its own orders; a change that cannot be is refused
 * as invalid, one the venue's rules refuse is an answer.
 */
static void
test_strategy_order_modify(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_order	 h;
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	h = submit(TD_BUY, STRAT_LIMIT, 1, 4990, STRAT_GTC);
	assert_int_equal(act_modify(h, 2, P(4991), 0, &err), 0);
	assert_int_equal(last_ev()->kind, STRAT_ORDER_MODIFIED);
	assert_int_equal(last_ev()->qty, 2);
	assert_int_equal(last_ev()->price, P(4991));
	assert_int_equal(act_modify(h, 0, 0, 0, &err), -1);
	assert_string_equal(err.msg, "nothing to change");
	assert_int_equal(act_modify(h, 0, 0, P(4990), &err), -1);
	assert_string_equal(err.msg, "order 1 is a lmt order: only a "
	    "stop-limit has a limit price");
	assert_int_equal(engine_strategy_invalid(e, P0), 2);
	/* Through the market is the venue's and the collar's to judge. */
	assert_int_equal(act_modify(h, 0, P(5010), 0, &err), 0);
	assert_int_equal(engine_strategy_invalid(e, P0), 2);
	assert_string_equal(engine_strategy_why(e, P0), "");
}

/*
 * An entry with a bracket: the legs are the strategy's orders too, with
 * their entry as parent, and the target's fill closes its position.
 */
static void
test_strategy_order_bracket(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_bracket	 br = { .stop_ticks = 8, .ntargets = 1,
				    .target_ticks = { 4 } };
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = 1,
				    .bracket = &br };
	struct strat_order	 h;
	struct errmsg		 err;
	bool			 stop = false, target = false;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(act_submit(&r, &h, &err), 0);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	for (int i = 0; i < probe_now->nev; i++) {
		const struct strat_order_ev *ev = &probe_now->ev[i];

		if (ev->kind != STRAT_ORDER_ACCEPTED || ev->order.id == h.id)
			continue;
		assert_int_equal(ev->parent.id, h.id);
		stop |= ev->role == STRAT_ROLE_STOP && ev->price == P(4998);
		target |= ev->role == STRAT_ROLE_TARGET &&
		    ev->price == P(5001);
	}
	assert_true(stop && target);
	assert_int_equal(act_position(0), 1);
	bar(e, 10, 2, 5000, 5001.5, 5000, 5001);
	assert_int_equal(last_ev()->kind, STRAT_ORDER_CANCELLED);
	assert_int_equal(last_ev()->role, STRAT_ROLE_STOP);
	assert_int_equal(act_position(0), 0);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
}

/*
 * The protection invariants hold for a strategy's orders: a limit exit
 * that would close more than the position its stops already cover is
 * refused by the order manager, and an order against the position is
 * split: the closing part an exit, the rest an entry.
 */
static void
test_strategy_order_protection(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_bracket	 br = { .stop_ticks = 8 };
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = 1,
				    .bracket = &br };
	struct strat_order	 h;
	const struct order	*o;
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(act_submit(&r, &h, &err), 0);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	assert_int_equal(act_position(0), 1);
	r = (struct strat_order_req){ .inst = 0, .side = TD_SELL,
	    .type = STRAT_LIMIT, .qty = 1, .price = P(5010) };
	assert_int_equal(act_submit(&r, &h, &err), -1);
	assert_non_null(strstr(err.msg, "exit refused"));
	/* Sell 3 from long 1 at market: 1 closes (exit), 2 open short. */
	r.type = STRAT_MARKET;
	r.qty = 3;
	assert_int_equal(act_submit(&r, &h, &err), 0);
	assert_non_null(o = order_mgr_find((struct order_mgr *)
	    engine_orders(e), h.id));
	assert_int_equal(o->role, ROLE_ENTRY);
	assert_int_equal(o->qty, 2);
	assert_non_null(o = order_mgr_find((struct order_mgr *)
	    engine_orders(e), h.id - 1));
	assert_int_equal(o->role, ROLE_EXIT);
	assert_true(td_owner_is(o->owner, P0));
	bar(e, 10, 2, 5000, 5000, 5000, 5000);
	assert_int_equal(act_position(0), -2);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), -2);
}

/* ---------------------------------------------------------------- data */

/* A second instrument, MES, on the same session. */
static void
tune_mes(struct engine_config *cfg)
{
	cfg->ninst = 2;
	cfg->inst[1] = cfg->inst[0];
	strcpy(cfg->inst[1].symbol, "MES");
	cfg->inst[1].point_value = 500;
	if (instrument_init(&cfg->inst[1], NULL) == -1)
		fail();
}

static void
bar_of(struct engine *e, int inst, int h, int m, double o, double hi,
    double lo, double c)
{
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 14, h, m), P(o),
			    P(hi), P(lo), P(c));
	struct errmsg	 err;

	md.inst = inst;
	if (engine_on_market(e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
tick_at(struct engine *e, int h, int m, int s, double px)
{
	struct td_md	 md = { .kind = TD_MD_TICK, .inst = 0 };
	struct errmsg	 err;

	md.tick.time = fixture_ny(2024, 3, 14, h, m) + s * TD_NS_PER_SEC;
	md.tick.price = P(px);
	md.tick.volume = 1;
	if (engine_on_market(e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
check_bar(const struct probe_bar *b, int sub, td_ns start, td_ns len,
    double o, double hi, double lo, double c)
{
	assert_int_equal(b->sub, sub);
	assert_int_equal(b->bar.start, start);
	assert_int_equal(b->bar.end, start + len);
	assert_int_equal(b->bar.open, P(o));
	assert_int_equal(b->bar.high, P(hi));
	assert_int_equal(b->bar.low, P(lo));
	assert_int_equal(b->bar.close, P(c));
}

/* What strat_subscribe takes and refuses, and the handles it gives. */
static void
test_strategy_subscribe_checks(void **state)
{
	struct fx		*fx = *state;
	const struct plan_sub	 p[] = {
		{ "NQ", { STRAT_MINUTES, 1 }, 0 },
		{ NULL, { STRAT_SECONDS, 0 }, 0 },
		{ NULL, { STRAT_TICKS, 0 }, 5 },
		{ NULL, { STRAT_MINUTES, 1 }, STRAT_MAX_HISTORY + 1 },
		{ NULL, { STRAT_MINUTES, 1 }, 3 },	/* the configured one */
		{ NULL, { STRAT_MINUTES, 5 }, 2 },
		{ "ES", { STRAT_MINUTES, 5 }, 4 },	/* the same again */
		{ NULL, { STRAT_MINUTES, 1441 }, 0 },
	};
	struct strat_sub	 h;
	struct errmsg		 err;

	memcpy(plan, p, sizeof p);
	nplan = 8;
	probe_engine(fx, NULL);
	bar(fx->e, 10, 0, 5000, 5000, 5000, 5000);
	assert_string_equal(probe_now->sub_err[0], "no instrument 'NQ'");
	assert_string_equal(probe_now->sub_err[1], "bars of 0 seconds: 1 to "
	    "86400");
	assert_string_equal(probe_now->sub_err[2], "ticks keep no history");
	assert_string_equal(probe_now->sub_err[3], "history of 100001 bars: "
	    "0 to 100000");
	assert_string_equal(probe_now->sub_err[4], "");
	assert_int_equal(probe_now->sub[4].id, 0);
	/* 0: ES 1-minute, 1: ES ticks (the probe has an on_tick), 2. */
	assert_int_equal(probe_now->sub[5].id, 2);
	assert_int_equal(probe_now->sub[6].id, 2);
	assert_string_equal(probe_now->sub_err[7], "bars of 1441 minutes: 1 "
	    "to 1440");
	assert_int_equal(act_sub_inst(probe_now->sub[5]), 0);
	assert_int_equal(act_sub_inst((struct strat_sub){ 3 }), -1);
	assert_int_equal(act_inst(NULL), 0);
	assert_int_equal(act_inst("NQ"), -1);
	/* The configured subscription now keeps 3 bars. */
	assert_int_equal(act_bars((struct strat_sub){ 0 }),
	    1);
	assert_int_equal(act_subscribe(NULL,
	    (struct strat_bar_type){ STRAT_MINUTES, 1 }, 0, &h, &err), -1);
	assert_string_equal(err.msg, "strategy p: subscriptions are made in "
	    "start");
}

/*
 * Two instruments and 5-minute bars built from 1-minute bars: each bar
 * goes to its subscription, in the history first; sessions are heard
 * for each instrument; positions are kept per instrument.
 */
static void
test_strategy_subscribe_minutes(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e;
	const struct plan_sub	 p[] = {
		{ NULL, { STRAT_MINUTES, 5 }, 2 },
		{ "MES", { STRAT_MINUTES, 1 }, 0 },
	};
	struct strat_order_req	 r = { .inst = 1, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = 1 };
	struct strat_order	 h;
	struct strat_sub	 five;
	const struct probe_bar	*b;
	struct errmsg		 err;
	int			 n5 = 0, nmes = 0;

	memcpy(plan, p, sizeof p);
	nplan = 2;
	e = probe_engine(fx, tune_mes);
	for (int m = 0; m < 11; m++) {
		bar_of(e, 0, 10, m, 5000 + m, 5000.5 + m, 4999 + m, 5000 + m);
		bar_of(e, 1, 10, m, 5000, 5000, 5000, 5000);
	}
	five = probe_now->sub[0];
	assert_int_equal(five.id, 2);
	assert_int_equal(probe_now->sub[1].id, 3);
	assert_int_equal(probe_now->opens[0], 1);
	assert_int_equal(probe_now->opens[1], 1);
	for (int i = 0; i < probe_now->nbar; i++) {
		b = &probe_now->bar[i];
		if (b->sub == 3)
			nmes++;
		if (b->sub != five.id)
			continue;
		assert_true(b->in_history);
		check_bar(b, five.id, fixture_ny(2024, 3, 14, 10, 5 * n5),
		    5 * TD_NS_PER_MIN, 5000 + 5 * n5, 5004.5 + 5 * n5,
		    4999 + 5 * n5, 5004 + 5 * n5);
		n5++;
	}
	/* 10:00-10:05 and 10:05-10:10; 10:10 is still being built. */
	assert_int_equal(n5, 2);
	assert_int_equal(nmes, 11);
	assert_int_equal(act_bars(five), 2);
	assert_int_equal(act_bar(five, 1)->start,
	    fixture_ny(2024, 3, 14, 10, 0));
	assert_int_equal(act_bar(five, 0)->start,
	    fixture_ny(2024, 3, 14, 10, 5));
	assert_null(act_bar(five, 2));
	assert_null(act_bar((struct strat_sub){ 0 }, 0));

	assert_int_equal(act_submit(&r, &h, &err), 0);
	bar_of(e, 1, 10, 11, 5000, 5000, 5000, 5000);
	assert_int_equal(act_position(1), 1);
	assert_int_equal(act_position(0), 0);
	assert_int_equal(engine_strat_position(e, td_inst_at(1)), 1);
	assert_int_equal(engine_strat_position(e, ES), 0);
	/* The last 5-minute bar comes out at the end of the data. */
	engine_finish(e, engine_now(e));
	b = &probe_now->bar[probe_now->nbar - 1];
	check_bar(b, five.id, fixture_ny(2024, 3, 14, 10, 10),
	    5 * TD_NS_PER_MIN, 5010, 5010.5, 5009, 5010);
}

/*
 * From ticks: 30-second bars, the 1-minute bars built from the ticks and
 * 2-minute bars built from those, each delivered once a later tick shows
 * it complete, the rest at the end of the data.
 */
static void
test_strategy_subscribe_from_ticks(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e;
	const struct plan_sub	 p[] = {
		{ NULL, { STRAT_SECONDS, 30 }, 4 },
		{ NULL, { STRAT_MINUTES, 2 }, 0 },
	};
	const td_ns		 t0 = fixture_ny(2024, 3, 14, 10, 0);
	const td_ns		 s30 = 30 * TD_NS_PER_SEC;
	const struct probe_bar	*b;

	memcpy(plan, p, sizeof p);
	nplan = 2;
	e = probe_engine(fx, NULL);
	tick_at(e, 10, 0, 5, 5000);
	tick_at(e, 10, 0, 20, 5001);
	tick_at(e, 10, 0, 40, 4999);
	assert_int_equal(probe_now->nbar, 1);
	b = &probe_now->bar[0];
	check_bar(b, 2, t0, s30, 5000, 5001, 5000, 5001);
	tick_at(e, 10, 1, 10, 5002);
	tick_at(e, 10, 2, 1, 5003);
	engine_finish(e, engine_now(e));

	assert_int_equal(probe_now->ticks[1], 5);
	assert_int_equal(probe_now->nbar, 9);
	b = probe_now->bar;
	/* 10:01:10: the minute 10:00, then the half minute 10:00:30. */
	check_bar(&b[1], 0, t0, TD_NS_PER_MIN, 5000, 5001, 4999, 4999);
	check_bar(&b[2], 2, t0 + s30, s30, 4999, 4999, 4999, 4999);
	/* 10:02:01: the minute 10:01 completes the two minutes 10:00. */
	check_bar(&b[3], 0, t0 + TD_NS_PER_MIN, TD_NS_PER_MIN, 5002, 5002,
	    5002, 5002);
	check_bar(&b[4], 3, t0, 2 * TD_NS_PER_MIN, 5000, 5002, 4999, 5002);
	check_bar(&b[5], 2, t0 + 2 * s30, s30, 5002, 5002, 5002, 5002);
	/* The end of the data: what was being built. */
	check_bar(&b[6], 0, t0 + 2 * TD_NS_PER_MIN, TD_NS_PER_MIN, 5003,
	    5003, 5003, 5003);
	check_bar(&b[7], 2, t0 + 4 * s30, s30, 5003, 5003, 5003, 5003);
	check_bar(&b[8], 3, t0 + 2 * TD_NS_PER_MIN, 2 * TD_NS_PER_MIN, 5003,
	    5003, 5003, 5003);
	assert_int_equal(probe_now->hist[2], 4);
	assert_int_equal(probe_now->oldest[2], t0);
}

/* ---------------------------------------------------------------- timers */

/*
 * Timers fire without market data when the clock passes them, in time
 * order with the session boundaries, on the instrument's session days
 * for a time of day, and say when the next is due.
 */
static void
test_strategy_timers_without_data(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_timer	 once, every, at, past;
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(act_timer_once(fixture_ny(2024, 3, 14, 10, 5) +
	    30 * TD_NS_PER_SEC, &once, &err), 0);
	assert_int_equal(act_timer_every(120, &every, &err),
	    0);
	assert_int_equal(act_timer_at(0, 15, 50, 0, &at,
	    &err), 0);
	assert_int_equal(engine_next_timer(e), fixture_ny(2024, 3, 14, 10, 3));
	engine_advance(e, fixture_ny(2024, 3, 14, 10, 6));
	assert_string_equal(probe_now->log, "timer2@14-10:03:00(14-10:03:00) "
	    "timer2@14-10:05:00(14-10:05:00) "
	    "timer1@14-10:05:30(14-10:05:30)");
	assert_int_equal(engine_next_timer(e), fixture_ny(2024, 3, 14, 10, 7));
	/* A once timer is gone when it has fired. */
	assert_int_equal(act_timer_cancel(once), -1);
	assert_int_equal(act_timer_cancel(every), 0);
	assert_int_equal(act_timer_cancel(every), -1);
	assert_int_equal(engine_next_timer(e), fixture_ny(2024, 3, 14, 15,
	    50));
	/*
	 * A time already passed fires at the next chance, at the engine's time
	 * (the last timer's: advance never moves it to now itself); it
	 * takes the first timer's free place, under a new handle.
	 */
	assert_int_equal(act_timer_once(fixture_ny(2024, 3, 14, 9, 0), &past,
	    &err), 0);
	assert_int_equal(past.id, STRAT_MAX_TIMERS + 1);
	probe_now->log[0] = '\0';
	engine_advance(e, fixture_ny(2024, 3, 14, 10, 7));
	assert_string_equal(probe_now->log, "timer17@14-09:00:00(14-10:05:30)");
	/* 15:50 comes before the 16:00 close, then Friday, then Monday. */
	probe_now->log[0] = '\0';
	engine_advance(e, fixture_ny(2024, 3, 18, 16, 1));
	assert_string_equal(probe_now->log, "timer3@14-15:50:00(14-15:50:00) "
	    "close@14-16:00:00(14-16:00:00) timer3@15-15:50:00(15-15:50:00) "
	    "close@15-16:00:00(15-16:00:00) timer3@18-15:50:00(18-15:50:00) "
	    "close@18-16:00:00(18-16:00:00)");
	assert_int_equal(engine_next_timer(e) > fixture_ny(2024, 3, 18, 16, 1),
	    1);
	assert_int_equal(act_timer_cancel(at), 0);
}

/* With market data a timer fires before the first event at or after it. */
static void
test_strategy_timers_with_data(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_timer	 t;
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(act_timer_once(fixture_ny(2024, 3, 14, 10, 3), &t,
	    &err), 0);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	bar(e, 10, 2, 5000, 5000, 5000, 5000);
	assert_string_equal(probe_now->log, "");
	assert_int_equal(probe_now->nbar, 3);
	bar(e, 10, 3, 5000, 5000, 5000, 5000);
	assert_string_equal(probe_now->log, "timer1@14-10:03:00(14-10:03:00)");
	assert_int_equal(probe_now->nbar, 4);
}

/* What the timer calls refuse. */
static void
test_strategy_timers_refused(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_timer	 t;
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(act_timer_at(0, 24, 0, 0, &t,
	    &err), -1);
	assert_string_equal(err.msg, "24:00:00 is no time of day");
	assert_int_equal(act_timer_at(3, 10, 0, 0, &t,
	    &err), -1);
	assert_string_equal(err.msg, "unknown instrument 3");
	assert_int_equal(act_timer_every(0, &t, &err), -1);
	assert_string_equal(err.msg, "every 0 seconds: 1 to 86400");
	assert_int_equal(act_timer_once(0, &t, &err), -1);
	for (int i = 0; i < STRAT_MAX_TIMERS; i++)
		assert_int_equal(act_timer_every(60 + i, &t,
		    &err), 0);
	assert_int_equal(act_timer_every(60, &t, &err), -1);
	assert_string_equal(err.msg, "strategy p: 16 timers armed already");
	assert_int_equal(act_timer_cancel((struct strat_timer){ 0 }), -1);
}

/* ---------------------------------------------------------------- data */

static struct td_data
data(const char *source, const char *name, enum td_data_kind kind,
    int64_t value, td_ns t)
{
	struct td_data	 d = { .inst = -1, .kind = kind, .value = value,
			    .time = t };

	snprintf(d.source, sizeof d.source, "%s", source);
	snprintf(d.name, sizeof d.name, "%s", name);
	return d;
}

/*
 * A data event reaches the strategies that subscribed to its source, after
 * the timers due by its time; bad ones are refused and change nothing.
 */
static void
test_strategy_data_events(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e;
	struct td_data		 d;
	struct strat_timer	 t;
	struct errmsg		 err;
	const td_ns		 t5 = fixture_ny(2024, 3, 14, 10, 5);

	plan_src[0] = "model";
	plan_src[1] = NULL;
	e = probe_engine(fx, NULL);
	d = data("model", "p_up", TD_DATA_PROBABILITY, 700000000, t5);
	assert_int_equal(engine_on_data(e, &d, &err), -1);
	assert_string_equal(err.msg, "data event before the first market "
	    "event: the engine has not started");
	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(act_timer_once(fixture_ny(2024, 3, 14, 10, 3), &t,
	    &err), 0);
	assert_int_equal(engine_on_data(e, &d, &err), 0);
	d = data("news", "tone", TD_DATA_SCORE, -500000000, t5);
	assert_int_equal(engine_on_data(e, &d, &err), 0);
	assert_string_equal(probe_now->log, "timer1@14-10:03:00(14-10:03:00) "
	    "model/p_up=700000000@14-10:05:00(14-10:05:00)");
	assert_int_equal(engine_now(e), t5);

	d = data("model", "p_up", TD_DATA_PROBABILITY, 1200000000, t5);
	assert_int_equal(engine_on_data(e, &d, &err), -1);
	assert_string_equal(err.msg, "data event: a probability lies between 0 "
	    "and 1");
	d = data("news", "tone", TD_DATA_SCORE, -2 * TD_DATA_SCALE, t5);
	assert_int_equal(engine_on_data(e, &d, &err), -1);
	assert_string_equal(err.msg, "data event: a score lies between -1 and "
	    "1");
	d = data("", "x", TD_DATA_VALUE, 1, t5);
	assert_int_equal(engine_on_data(e, &d, &err), -1);
	assert_string_equal(err.msg, "data event: a data event needs a source");
	d = data("model", "x", TD_DATA_VALUE, 1, t5);
	d.inst = 1;
	assert_int_equal(engine_on_data(e, &d, &err), -1);
	assert_string_equal(err.msg, "data event: unknown instrument");
	d.inst = 0;
	d.kind = (enum td_data_kind)7;
	assert_int_equal(engine_on_data(e, &d, &err), -1);
	assert_string_equal(err.msg, "data event: unknown kind of data");
	d = data("model", "x", TD_DATA_VALUE, 1, t5 - 1);
	assert_int_equal(engine_on_data(e, &d, &err), -1);
	assert_string_equal(err.msg, "data event goes back in time");
	assert_int_equal(act_subscribe_data("x", &err), -1);
}

/* "*" hears every source. */
static void
test_strategy_data_any_source(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e;
	struct td_data		 d;
	struct errmsg		 err;

	plan_src[0] = "*";
	plan_src[1] = "model";
	plan_src[2] = NULL;
	e = probe_engine(fx, NULL);
	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	d = data("news", "tone", TD_DATA_SCORE, -500000000,
	    fixture_ny(2024, 3, 14, 10, 1));
	assert_int_equal(engine_on_data(e, &d, &err), 0);
	d = data("model", "p", TD_DATA_VALUE, 3, fixture_ny(2024, 3, 14, 10,
	    1));
	assert_int_equal(engine_on_data(e, &d, &err), 0);
	assert_string_equal(probe_now->log, "news/tone=-500000000@"
	    "14-10:01:00(14-10:01:00) model/p=3@14-10:01:00(14-10:01:00)");
}

/* ---------------------------------------------------------------- start */

static void
tune_wait(struct engine_config *cfg)
{
	cfg->strat[0].start = STRAT_START_WAIT_FLAT;
	cfg->strat[0].enabled = false;
}

static void
tune_adopt(struct engine_config *cfg)
{
	cfg->strat[0].start = STRAT_START_ADOPT;
	cfg->strat[0].enabled = false;
}

static void
tune_later(struct engine_config *cfg)
{
	cfg->strat[0].enabled = false;
}

/* A manual position of qty contracts of ES, filled at the next bar. */
static void
manual(struct engine *e, enum td_side side, int64_t qty)
{
	struct manual_order	 m = { .inst = ES, .side = side,
				    .type = ORD_MARKET, .qty = qty };
	uint64_t		 id;
	struct errmsg		 err;

	if (engine_manual_order(e, &m, &id, &err) == -1)
		fail_msg("%s", err.msg);
}

/*
 * Wait until flat: enabled while the account holds a manual position, the
 * strategy starts holding its new orders (its exits go), and trades once
 * the account is flat.
 */
static void
test_strategy_start_wait_until_flat(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, tune_wait);
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = 1 };
	struct intent		 out = { .kind = INTENT_EXIT, .inst = 0 };
	struct strat_order	 h;
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	manual(e, TD_BUY, 1);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	assert_int_equal(engine_strategy_enable(e, "p", true, &err), 0);
	assert_true(engine_strategy_waits_flat(e, P0));
	assert_int_equal(act_submit(&r, &h, &err), -1);
	assert_string_equal(err.msg, "strategy p waits until the account is "
	    "flat on its instruments");
	/* Flat itself: its exit has nothing to close, and is not held. */
	assert_int_equal(act_intent(&out), 0);
	assert_int_equal(act_position(0), 0);
	manual(e, TD_SELL, 1);
	bar(e, 10, 2, 5000, 5000, 5000, 5000);
	assert_false(engine_strategy_waits_flat(e, P0));
	assert_int_equal(act_submit(&r, &h, &err), 0);
	bar(e, 10, 3, 5000, 5000, 5000, 5000);
	assert_int_equal(act_position(0), 1);
}

/* An account flat at the start: nothing to wait for. */
static void
test_strategy_start_wait_flat_already(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, tune_wait);
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(engine_strategy_enable(e, "p", true, &err), 0);
	assert_false(engine_strategy_waits_flat(e, P0));
}

/*
 * Adopt: the account's position that no strategy holds becomes the
 * strategy's own, which it may then close.
 */
static void
test_strategy_start_adopt(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, tune_adopt);
	struct intent		 out = { .kind = INTENT_EXIT, .inst = 0,
				    .why = "adopted, closed" };
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	manual(e, TD_SELL, 2);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	assert_int_equal(engine_strategy_enable(e, "p", true, &err), 0);
	assert_false(engine_strategy_waits_flat(e, P0));
	assert_int_equal(act_position(0), -2);
	assert_int_equal(engine_strat_position(e, ES), -2);
	assert_int_equal(act_intent(&out), 0);
	bar(e, 10, 2, 5000, 5000, 5000, 5000);
	assert_int_equal(act_position(0), 0);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
}

/* Immediately (the default): its own position 0, trading at once. */
static void
test_strategy_start_immediately(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, tune_later);
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = 1 };
	struct strat_order	 h;
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	manual(e, TD_BUY, 1);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	assert_int_equal(engine_strategy_enable(e, "p", true, &err), 0);
	assert_int_equal(act_position(0), 0);
	assert_int_equal(act_submit(&r, &h, &err), 0);
	bar(e, 10, 2, 5000, 5000, 5000, 5000);
	assert_int_equal(act_position(0), 1);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 2);
}

/* ---------------------------------------------------------------- contract */

/* The engine's log lines, "component: message" each. */
struct logs {
	char	 text[16384];
};

static void
logs_fn(void *arg, const struct log_line *l)
{
	struct logs	*g = arg;
	size_t		 n = strlen(g->text);

	snprintf(g->text + n, sizeof g->text - n, "%s: %s\n", l->component,
	    l->msg);
}

static void
logs_has(const struct logs *g, const char *line)
{
	if (strstr(g->text, line) == NULL)
		fail_msg("no log line '%s' in:\n%s", line, g->text);
}

/* Two probes on ES: p (probe_now) and q (probe_other). */
static void
tune_two(struct engine_config *cfg)
{
	cfg->nstrat = 2;
	cfg->strat[1] = cfg->strat[0];
	strcpy(cfg->strat[1].name, "q");
}

/* Buy qty at market, with a stop of stop_ticks (0: none), as probe p. */
static void
enter(struct probe *p, int64_t qty, int32_t stop_ticks)
{
	struct strat_bracket	 br = { .stop_ticks = stop_ticks };
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = qty,
				    .bracket = stop_ticks > 0 ? &br : NULL };
	struct strat_order	 h;
	struct errmsg		 err;

	if (act_of(p, &(struct act){ .fn = submit_fn, .req = &r, .out = &h,
	    .err = &err }) == -1)
		fail_msg("%s", err.msg);
}

/* Strategy owner's working orders of a role, and their quantity. */
static int64_t
working(struct engine *e, int owner, enum order_role role)
{
	const struct order_mgr	*om = engine_orders(e);
	int64_t			 qty = 0;

	for (int i = 0; i < order_mgr_live_count(om); i++) {
		const struct order	*o = order_mgr_live_at(om, i);

		if (td_owner_is(o->owner, td_strat_at(owner)) &&
		    o->role == role && !o->cancel_pending)
			qty += o->qty - o->filled;
	}
	return qty;
}

/* The account's ES position, and is it covered by its stops? */
static void
covered(struct engine *e, int64_t pos)
{
	const struct order_mgr	*om = engine_orders(e);

	assert_int_equal(order_mgr_position(om, ES), pos);
	assert_true(order_mgr_protected(om, ES, pos));
}

static enum snap_strat_run
run_state(struct engine *e, int i)
{
	struct snapshot		*snap = snapshot_create(NULL, NULL);
	enum snap_strat_run	 run;

	assert_non_null(snap);
	fixture_snapshot(e, snap);
	run = snap->strat[i].run;
	snapshot_free(snap);
	return run;
}

/*
 * A call through a context kept for later (here the test's, outside any
 * callback) is refused with its neutral answer; the engine disables the
 * strategy before it hears anything more, its position stays with its
 * stop, and the other strategy trades on.
 */
static void
test_strategy_contract_outside(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, tune_two);
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = 1 };
	struct strat_order	 h = { 7 };
	struct probe		*p, *q;
	struct logs		 g = { "" };
	struct errmsg		 err;
	int			 heard;

	engine_set_log(e, logs_fn, &g, LOG_INFO);
	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	p = probe_now;
	q = probe_other;
	enter(p, 1, 8);
	enter(q, 1, 8);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	covered(e, 2);

	assert_int_equal(strat_submit(p->ctx, &r, &h, &err), -1);
	assert_string_equal(err.msg, "strat_submit called outside the "
	    "strategy's callbacks: refused, strategy disabled");
	assert_string_equal(strat_errmsg(&err), err.msg);
	assert_int_equal(h.id, 0);
	assert_int_equal(strat_position(p->ctx, 0), 0);
	assert_int_equal(strat_now(p->ctx), 0);
	assert_null(strat_bar(p->ctx, (struct strat_sub){ 0 }, 0));
	strat_log(p->ctx, "never logged");
	heard = p->nbar;
	bar(e, 10, 2, 5000, 5000, 5000, 5000);

	assert_int_equal(p->nbar, heard);
	assert_int_equal(run_state(e, 0), SNAP_ERRORED);
	assert_string_equal(engine_strategy_why(e, P0), "broke its contract: "
	    "strat_submit called outside its callbacks (another thread, or a "
	    "context kept for later)");
	logs_has(&g, "strategy:p: broke its contract, strategy disabled: "
	    "strat_submit called outside its callbacks");
	logs_has(&g, "strategy:p: its ES position +1 stays, protected by its "
	    "stops");
	assert_null(strstr(g.text, "never logged"));
	assert_int_equal(working(e, 0, ROLE_STOP), 1);
	covered(e, 2);
	/* The other trades on. */
	assert_int_not_equal(run_state(e, 1), SNAP_ERRORED);
	assert_int_equal(q->nbar, heard + 1);
	enter(q, 1, 8);
	bar(e, 10, 3, 5000, 5000, 5000, 5000);
	covered(e, 3);
	assert_int_equal(act_of(q, &(struct act){ .fn = position_fn }), 2);
	assert_string_equal(engine_strategy_why(e, P1), "");
}

/* What the strategy's own thread tells it, read with strat_errmsg. */
struct rogue {
	struct strat_ctx	*ctx;
	struct errmsg		 err;
	int			 rc;
	char			 said[ERRMSG_MAX];
};

static void *
rogue_run(void *arg)
{
	struct rogue		*t = arg;
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = 1 };
	struct strat_order	 h;

	t->rc = strat_submit(t->ctx, &r, &h, &t->err);
	snprintf(t->said, sizeof t->said, "%s", strat_errmsg(&t->err));
	return NULL;
}

/* Inside a callback: a thread of its own calls with its context. */
static void
thread_fn(struct strat_ctx *ctx, struct act *a)
{
	struct rogue	*t = a->out;
	pthread_t	 th;

	t->ctx = ctx;
	assert_int_equal(pthread_create(&th, NULL, rogue_run, t), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	a->rc = strat_position(ctx, 0);
}

/*
 * A call from another thread, even while the strategy's callback runs,
 * is refused; the strategy is disabled as the callback returns.
 */
static void
test_strategy_contract_thread(void **state)
{
	struct fx	*fx = *state;
	struct engine	*e = probe_engine(fx, tune_two);
	struct rogue	 t = { 0 };
	struct logs	 g = { "" };

	engine_set_log(e, logs_fn, &g, LOG_INFO);
	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	enter(probe_now, 1, 8);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	/* On its own thread, the callback's calls still answer. */
	assert_int_equal(act(&(struct act){ .fn = thread_fn, .out = &t }), 1);
	assert_int_equal(t.rc, -1);
	assert_string_equal(t.said, "strat_submit called outside the "
	    "strategy's callbacks: refused, strategy disabled");
	assert_int_equal(run_state(e, 0), SNAP_ERRORED);
	logs_has(&g, "strategy:p: broke its contract, strategy disabled: "
	    "strat_submit called outside its callbacks");
	assert_int_equal(working(e, 0, ROLE_STOP), 1);
	assert_int_equal(working(e, 0, ROLE_ENTRY), 0);
	covered(e, 1);
	assert_int_not_equal(run_state(e, 1), SNAP_ERRORED);
	enter(probe_other, 1, 8);
	bar(e, 10, 2, 5000, 5000, 5000, 5000);
	covered(e, 2);
}

/*
 * Cancelling another strategy's order disables at once: the order stays,
 * the offender's working entries are cancelled, its stop stays.
 */
static void
test_strategy_contract_foreign_order(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, tune_two);
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_LIMIT, .qty = 1,
				    .price = P(4990) };
	struct strat_order	 mine, theirs;
	struct keep		 k;
	struct alert_hub	*hub = keep_hub(&k);
	struct errmsg		 err;

	engine_set_alerts(e, hub);
	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	enter(probe_now, 1, 8);
	assert_int_equal(act_of(probe_other, &(struct act){ .fn = submit_fn,
	    .req = &r, .out = &theirs, .err = &err }), 0);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	assert_int_equal(act_submit(&r, &mine, &err), 0);
	assert_int_equal(working(e, 0, ROLE_ENTRY), 1);

	assert_int_equal(act_cancel(theirs, &err), -1);
	assert_string_equal(err.msg, "order 2 is not strategy p's: strategy "
	    "disabled");
	assert_int_equal(run_state(e, 0), SNAP_ERRORED);
	assert_string_equal(engine_strategy_why(e, P0), "broke its contract: "
	    "order 2 is not strategy p's");
	assert_int_equal(working(e, 1, ROLE_ENTRY), 1);
	assert_int_equal(working(e, 0, ROLE_ENTRY), 0);
	assert_int_equal(working(e, 0, ROLE_STOP), 1);
	covered(e, 1);
	assert_int_equal(alert_idle(hub, 2 * TD_NS_PER_SEC), 0);
	assert_int_equal(k.n, 1);
	assert_int_equal(k.got[0].severity, ALERT_ERROR);
	assert_int_equal(k.got[0].event, ALERT_EV_STRATEGY_ERROR);
	assert_string_equal(k.got[0].text, "strategy p: broke its contract, "
	    "strategy disabled (the others go on; its ES +1 stays, protected "
	    "by its stops): order 2 is not strategy p's");
	/* Nothing more of it, but the other goes on. */
	assert_false(try_act_of(probe_now, &(struct act){
	    .fn = position_fn }));
	assert_int_equal(act_of(probe_other, &(struct act){
	    .fn = position_fn }), 0);
	engine_set_alerts(e, NULL);
	alert_free(hub);
}

/* An order on an instrument outside its subscriptions: disabled at once. */
static void
test_strategy_contract_instrument(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, tune_mes);
	struct strat_order_req	 r = { .inst = 1, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = 1 };
	struct strat_order	 h;
	struct errmsg		 err;

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(act_submit(&r, &h, &err), -1);
	assert_string_equal(err.msg, "strategy p: instrument 1 is not one of "
	    "its instruments: strategy disabled");
	assert_int_equal(run_state(e, 0), SNAP_ERRORED);
	assert_int_equal(portfolio_position(engine_portfolio(e),
	    td_inst_at(1)), 0);
	assert_int_equal(order_mgr_live_count(engine_orders(e)), 0);
}

/*
 * A callback that fails disables with its message; a position of the
 * strategy that no stop protects is closed at market.
 */
static void
test_strategy_contract_callback_fails(void **state)
{
	struct fx	*fx = *state;
	struct engine	*e = probe_engine(fx, tune_two);
	struct logs	 g = { "" };
	struct keep	 k;
	struct alert_hub *hub = keep_hub(&k);

	engine_set_alerts(e, hub);
	engine_set_log(e, logs_fn, &g, LOG_INFO);
	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	enter(probe_now, 2, 0);
	enter(probe_other, 1, 8);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 3);
	probe_now->fail_at = probe_now->nbar + 1;
	probe_now->fail_rc = -1;
	bar(e, 10, 2, 5000, 5000, 5000, 5000);
	assert_string_equal(engine_strategy_why(e, P0), "on_bar failed: bar 3: "
	    "failing on purpose");
	logs_has(&g, "strategy:p: on_bar failed, strategy disabled: bar 3: "
	    "failing on purpose");
	logs_has(&g, "strategy:p: its ES position +2 closed at market: not "
	    "protected");
	bar(e, 10, 3, 5000, 5000, 5000, 5000);
	covered(e, 1);
	assert_int_equal(engine_strat_position(e, ES), 1);
	assert_int_equal(probe_other->nbar, 4);
	assert_int_equal(alert_idle(hub, 2 * TD_NS_PER_SEC), 0);
	assert_int_equal(k.n, 1);
	assert_string_equal(k.got[0].text, "strategy p: on_bar failed, "
	    "strategy disabled (the others go on; its ES +2 closed at market: "
	    "not protected): bar 3: failing on purpose");
	engine_set_alerts(e, NULL);
	alert_free(hub);
}

/* A callback's answer is 0 or -1: anything else is a failure too. */
static void
test_strategy_contract_callback_answer(void **state)
{
	struct fx	*fx = *state;
	struct engine	*e = probe_engine(fx, NULL);

	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	probe_now->fail_at = probe_now->nbar + 1;
	probe_now->fail_rc = 2;
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	assert_string_equal(engine_strategy_why(e, P0), "on_bar failed: it "
	    "returned 2: a callback returns 0, or -1 with a message");
}

/*
 * Subscriptions after start and intents that make no sense are refused
 * as invalid and counted: the third of a trading day disables; the count
 * starts again each trading day.
 */
static void
test_strategy_contract_invalid(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_sub	 sub;
	struct intent		 in = { .kind = INTENT_ENTER, .inst = 0 };
	struct logs		 g = { "" };
	struct errmsg		 err;

	engine_set_log(e, logs_fn, &g, LOG_INFO);
	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(act_subscribe(NULL, (struct strat_bar_type){
	    STRAT_MINUTES, 5 }, 0, &sub, &err), -1);
	assert_string_equal(err.msg, "strategy p: subscriptions are made in "
	    "start");
	assert_int_equal(act_subscribe_data("news", &err), -1);
	assert_int_equal(engine_strategy_invalid(e, P0), 2);
	logs_has(&g, "strategy:p: refused as invalid (2 of 3 today): "
	    "strategy p: subscriptions are made in start");
	/* A new trading day (from 18:00 New York), a new count. */
	bar(e, 18, 5, 5000, 5000, 5000, 5000);
	assert_int_equal(engine_strategy_invalid(e, P0), 0);
	assert_int_equal(act_intent(&in), -1);
	in.side = TD_BUY;
	in.stop_ticks = -8;
	assert_int_equal(act_intent(&in), -1);
	assert_int_equal(engine_strategy_invalid(e, P0), 2);
	in.kind = (enum intent_kind)9;
	assert_int_equal(act_intent(&in), -1);
	assert_string_equal(engine_strategy_why(e, P0), "3 invalid requests "
	    "today: unknown intent 9");
	assert_int_equal(order_mgr_live_count(engine_orders(e)), 0);
}

/* In create the engine has not started: no orders, timers, subscriptions. */
static void
test_strategy_contract_create(void **state)
{
	struct fx	*fx = *state;
	struct engine	*e;

	create_tries = true;
	e = probe_engine(fx, NULL);
	assert_string_equal(create_said[0], "strat_submit: not from create "
	    "(the engine has not started)");
	assert_string_equal(create_said[1], "strat_timer_every: not from "
	    "create (the engine has not started)");
	assert_string_equal(create_said[2], "strat_subscribe: not from create "
	    "(the engine has not started)");
	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	assert_int_equal(run_state(e, 0), SNAP_RUNNING);
	assert_int_equal(engine_strategy_invalid(e, P0), 0);
}

/*
 * An errored strategy stays errored when disabled; enabled, it is a new
 * instance, which starts afresh with the old one's books.
 */
static void
test_strategy_contract_enable_again(void **state)
{
	struct fx		*fx = *state;
	struct engine		*e = probe_engine(fx, NULL);
	struct strat_order_req	 r = { .inst = 0, .side = TD_BUY,
				    .type = STRAT_MARKET, .qty = 1 };
	struct strat_order	 h;
	struct probe		*old;
	struct logs		 g = { "" };
	struct errmsg		 err;

	engine_set_log(e, logs_fn, &g, LOG_INFO);
	bar(e, 10, 0, 5000, 5000, 5000, 5000);
	enter(probe_now, 1, 8);
	bar(e, 10, 1, 5000, 5000, 5000, 5000);
	old = probe_now;
	assert_int_equal(strat_submit(old->ctx, &r, &h, &err), -1);
	bar(e, 10, 2, 5000, 5000, 5000, 5000);
	assert_int_equal(run_state(e, 0), SNAP_ERRORED);
	assert_int_equal(engine_strategy_enable(e, "p", false, &err), 0);
	assert_int_equal(run_state(e, 0), SNAP_ERRORED);
	assert_non_null(strstr(engine_strategy_why(e, P0), "strat_submit"));

	assert_int_equal(engine_strategy_enable(e, "p", true, &err), 0);
	assert_null(probe_now);		/* the old instance is gone */
	assert_non_null(probe_other);
	assert_int_equal(run_state(e, 0), SNAP_RUNNING);
	assert_string_equal(engine_strategy_why(e, P0), "");
	logs_has(&g, "strategy:p: a new instance replaces the one disabled "
	    "(broke its contract: strat_submit called outside");
	assert_int_equal(act_of(probe_other, &(struct act){ .fn = position_fn,
	    .n = { 0 } }), 1);
	enter(probe_other, 1, 8);
	bar(e, 10, 3, 5000, 5000, 5000, 5000);
	assert_int_equal(probe_other->nbar, 1);
	covered(e, 2);
}

/* ORB's engine with a filter on model:es p_up; its log lines kept. */
static char filter_log[1024];

static void
filter_log_fn(void *arg, const struct log_line *line)
{
	size_t	 n = strlen(filter_log);

	(void)arg;
	if (strstr(line->msg, "skipped") != NULL)
		snprintf(filter_log + n, sizeof filter_log - n, "%s: %s\n",
		    line->component, line->msg);
}

static struct engine *
filter_engine(enum signal_missing missing)
{
	struct engine_config	 cfg;
	struct signal_filter	*f = &cfg.filter[0];
	struct engine		*e;
	struct errmsg		 err;

	fixture_orb_config(&cfg, true, 0);
	cfg.nfilter = 1;
	memset(f, 0, sizeof *f);
	strcpy(f->strategy, "orb");
	strcpy(f->source, "model:es");
	strcpy(f->name, "p_up");
	f->long_min = 550000000;
	f->short_max = 450000000;
	f->missing = missing;
	cfg.log_level = LOG_INFO;
	cfg.log = filter_log_fn;
	filter_log[0] = '\0';
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	return e;
}

/*
 * ORB's entries pass its filter only on the model's say: a long breakout
 * with p_up 0.40 is skipped (logged, counted), a short one taken; exits
 * are never filtered.  A filter naming no strategy is refused.
 */
static void
test_strategy_filter(void **state)
{
	const struct fixture_override up[] = {
		{ 9, 30, P(5000), P(5005), P(4997.5), P(5000) },
		{ 10, 0, P(5000), P(5006), P(5000), P(5005.5) },
		{ 10, 1, P(5005.75), P(5006.25), P(5005.25), P(5006) },
	};
	const struct fixture_override down[] = {
		{ 9, 30, P(5000), P(5002.5), P(4998), P(5000) },
		{ 10, 0, P(4998.75), P(4998.75), P(4997.25), P(4997.5) },
		{ 10, 1, P(4997.5), P(4997.5), P(4997), P(4997.25) },
	};
	struct engine_config	 cfg;
	struct engine		*e;
	struct td_data		 d;
	struct errmsg		 err;

	(void)state;
	e = filter_engine(SIGNAL_MISSING_SKIP);
	fixture_day(e, 11, P(5000), NULL, 0);
	d = data("model:es", "p_up", TD_DATA_PROBABILITY, 400000000,
	    fixture_ny(2024, 3, 12, 9, 0));
	d.inst = 0;
	assert_int_equal(engine_on_data(e, &d, &err), 0);
	fixture_day(e, 12, P(5000), up, 3);
	assert_int_equal(trades_count(engine_trades(e)), 0);
	assert_int_equal(engine_strategy_filtered(e, td_strat_at(0)), 1);
	assert_string_equal(filter_log, "strategy:orb: long entry skipped: "
	    "model:es p_up 0.4000 below 0.5500 for a long entry\n");
	fixture_day(e, 13, P(5000), down, 3);
	engine_finish(e, engine_now(e));
	assert_int_equal(trades_count(engine_trades(e)), 1);
	assert_int_equal(trades_get(engine_trades(e), 0)->side, TD_SELL);
	assert_int_equal(engine_strategy_filtered(e, td_strat_at(0)), 1);
	engine_free(e);

	/* A silent model: no entry at all, unless missing says trade. */
	e = filter_engine(SIGNAL_MISSING_SKIP);
	fixture_day(e, 12, P(5000), up, 3);
	assert_int_equal(trades_count(engine_trades(e)), 0);
	assert_non_null(strstr(filter_log, "not heard yet"));
	engine_free(e);
	e = filter_engine(SIGNAL_MISSING_TRADE);
	fixture_day(e, 12, P(5000), up, 3);
	engine_finish(e, engine_now(e));
	assert_int_equal(trades_count(engine_trades(e)), 1);
	engine_free(e);

	fixture_orb_config(&cfg, true, 0);
	cfg.nfilter = 1;
	memset(&cfg.filter[0], 0, sizeof cfg.filter[0]);
	strcpy(cfg.filter[0].strategy, "orb-nq");
	assert_null(fixture_engine(&cfg, NULL, &err));
	assert_string_equal(err.msg, "filter 1: no strategy 'orb-nq'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_strategy_registry,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_registry_engine,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_order_accept_fill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_order_partial,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_order_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_order_rejected,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_order_cancelled,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_order_modify,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_order_bracket,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_order_protection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_subscribe_checks,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_subscribe_minutes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_subscribe_from_ticks, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_timers_without_data, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_timers_with_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_timers_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_data_events,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_data_any_source, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_start_wait_until_flat, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_start_wait_flat_already, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_start_adopt,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_start_immediately, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_contract_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_contract_thread, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_contract_foreign_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_contract_instrument, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_contract_callback_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_contract_callback_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_contract_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_contract_create, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strategy_contract_enable_again, setup, teardown),
		cmocka_unit_test(test_strategy_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
