/*
 * engine-strat.c -- the strategies' side of the engine: their slots, the
 * calls they make through their context (strategy.h) and the events of
 * their orders.
 *
 * A slot holds one configured strategy instance: its ops, its state
 * (self, owned through ops->create and ops->destroy), its run state and
 * its own position on each instrument, kept from the fills of the orders
 * it owns.  A strategy's orders take the road of a manual order --
 * engine_enter: the sizer when no quantity is given, the risk manager,
 * the order manager -- with the strategy as owner, so the order manager's
 * protection invariants hold for them as for any order.  Every change of
 * one of its orders (the venue's answers, fills, the legs of its
 * brackets) comes back to it through on_order, after the engine has
 * booked it.
 *
 * The engine also holds each strategy, built-in or plug-in, to its
 * contract (strategy.h, tickdesk-plugin(7)): the API is called only from
 * inside the strategy's own callbacks, on the thread that runs them; it
 * acts only on its own orders and instruments; its requests make sense.
 * A strategy that breaks it is disabled alone -- its working entries
 * cancelled, its stops and targets left working, a position of it that
 * nothing protects closed -- and the desk trades on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barbuild.h"
#include "engine.h"
#include "errmsg.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "risk.h"
#include "signal-src.h"
#include "strat-param.h"
#include "tz.h"

#include "engine-int.h"

_Static_assert(STRAT_MAX_TARGETS == OM_MAX_TARGETS,
    "a strategy's bracket has as many targets as the order manager's");

/* ---------------------------------------------------------------- slots */

static const char *
engine_strat_component(const struct strat_slot *s, char *buf, size_t len)
{
	snprintf(buf, len, "strategy:%s", s->cfg->name);
	return buf;
}


/* Room for one more subscription of s; NULL without memory. */
static struct strat_subn *
engine_strat_new_sub(struct strat_slot *s, int inst,
    struct strat_bar_type type)
{
	struct strat_subn	*p;

	if ((p = realloc(s->sub, (size_t)(s->nsub + 1) * sizeof *p)) == NULL)
		return NULL;
	s->sub = p;
	p = &s->sub[s->nsub++];
	*p = (struct strat_subn){ .inst = inst, .type = type };
	return p;
}

/*
 * Subscription 0, the configured instrument's 1-minute bars, and its
 * ticks too for a strategy that reads them.
 */
static int
engine_strat_default_subs(struct engine *e, struct strat_slot *s,
    struct errmsg *err)
{
	if (engine_strat_new_sub(s, s->inst, (struct strat_bar_type){
	    STRAT_MINUTES, 1 }) == NULL)
		return errmsg_set(err, "out of memory");
	e->subs_dirty = true;
	if (s->ops->on_tick == NULL)
		return 0;
	if (engine_strat_new_sub(s, s->inst, (struct strat_bar_type){
	    STRAT_TICKS, 0 }) == NULL)
		return errmsg_set(err, "out of memory");
	e->is[s->inst].tick_subs++;
	e->subs_dirty = true;
	return 0;
}

static void
engine_strat_free_subs(struct engine *e, struct strat_slot *s)
{
	for (int k = 0; k < s->nsub; k++) {
		if (s->sub[k].type.unit == STRAT_TICKS)
			e->is[s->sub[k].inst].tick_subs--;
		else if (s->sub[k].type.unit == STRAT_SECONDS)
			e->is[s->sub[k].inst].sec_subs--;
		barbuild_free(s->sub[k].build);
		free(s->sub[k].hist);
	}
	free(s->sub);
	s->sub = NULL;
	s->nsub = 0;
	e->subs_dirty = true;
}

/* ---------------------------------------------------------------- contract */

/*
 * Each callback is counted in (engine_strat_push) and out; each call of
 * the API asks engine_strat_caller first, which refuses a call made
 * outside the strategy's callbacks or on another thread than the one
 * running them.  Such a call may come from any thread, so it only marks
 * the strategy (guard.breach, the call's name); the engine's thread
 * disables it when it next looks: before any callback of it, and at each
 * market, timer and data event (engine_strat_sweep).
 *
 * What the engine judges on its own thread has one of four verdicts:
 * fine; refused as an answer (the risk manager's word, an order that has
 * just filled: the strategy could not know); refused as invalid (a
 * request that makes no sense: a bad side, type, quantity or price, a
 * handle of no order, a subscription after start), logged and counted,
 * the STRAT_MAX_INVALID-th of a trading day disabling it; or a breach
 * (acting on another's order, on an instrument outside its
 * subscriptions), which disables it at once: a strategy confused about
 * what is its own is not trusted with what is.
 */
enum strat_verdict {
	SV_OK,
	SV_NO,
	SV_INVALID,
	SV_BREACH,
};

/* Is the caller inside one of s's callbacks, on the thread running it? */
static bool
engine_strat_inside(struct strat_slot *s)
{
	return atomic_load_explicit(&s->guard.depth,
	    memory_order_acquire) > 0 && atomic_load_explicit(
	    &s->guard.thread, memory_order_relaxed) == engine_thread_id();
}

/*
 * The slot of the strategy calling `call` through ctx, or NULL and why
 * (err may be NULL): a call outside its callbacks is refused and marked,
 * and one create may not make (may_create false: the engine has not
 * started) is refused.  Any thread may ask: nothing else is touched.
 */
static struct strat_slot *
engine_strat_caller(const struct strat_ctx *ctx, const char *call,
    bool may_create, struct errmsg *err)
{
	struct strat_slot	*s = &ctx->e->strat[ctx->slot.i];
	const char		*none = NULL;

	if (!engine_strat_inside(s)) {
		atomic_compare_exchange_strong(&s->guard.breach, &none, call);
		atomic_store_explicit(&ctx->e->strat_breach, true,
		    memory_order_release);
		errmsg_set(err, "%s called outside the strategy's callbacks: "
		    "refused, strategy disabled", call);
		return NULL;
	}
	if (s->guard.in_create && !may_create) {
		errmsg_set(err, "%s: not from create (the engine has not "
		    "started)", call);
		return NULL;
	}
	return s;
}

/* Cancel s's working entries: nothing new opens for it.  How many. */
static int
engine_strat_drop_entries(struct engine *e, struct strat_slot *s)
{
	int	 n = 0;

	for (int i = 0; i < order_mgr_live_count(e->om); i++) {
		const struct order	*o = order_mgr_live_at(e->om, i);

		if (!td_owner_is(o->owner, s->ctx.slot) || o->role != ROLE_ENTRY ||
		    o->cancel_pending)
			continue;
		if (order_mgr_cancel(e->om, o->id, e->now, NULL) == 0)
			n++;
	}
	return n;
}

/*
 * s's positions, now that nothing of it manages them: one its stops (or
 * market exits) protect stays, for the trader to close; one they do not
 * is closed at market.  What became of them, for the alert, in says.
 */
static void
engine_strat_keep(struct engine *e, struct strat_slot *s, char *says,
    size_t len)
{
	size_t	 used = 0;
	char	 comp[64];

	engine_strat_component(s, comp, sizeof comp);
	says[0] = '\0';
	for (int i = 0; i < e->cfg.ninst && used < len; i++) {
		const char	*sym = e->cfg.inst[i].symbol, *fate;
		long long	 pos = (long long)s->position[i];
		struct td_inst	 inst = td_inst_at(i);
		enum log_level	 level = LOG_WARNING;

		if (pos == 0)
			continue;
		if (order_mgr_protected(e->om, inst, order_mgr_position(e->om,
		    inst)))
			fate = "stays, protected by its stops";
		else if (engine_exit(e, inst, td_owner_strat(s->ctx.slot),
		    ++e->corr, "strategy disabled, position not protected") ==
		    0)
			fate = "closed at market: not protected";
		else {
			fate = "NOT PROTECTED and not closed: flatten it";
			level = LOG_CRITICAL;
		}
		engine_log(e, level, comp, 0, "its %s position %+lld %s", sym,
		    pos, fate);
		used += (size_t)snprintf(says + used, len - used, "; its %s "
		    "%+lld %s", sym, pos, fate);
	}
}

/*
 * s stops for good (what: "on_bar failed", "broke its contract"; detail:
 * why): it hears nothing more until the trader enables it again, which
 * makes a new instance.  An error line and a strategy-error alert say
 * so; its entries go, its protection stays (engine_strat_keep).
 */
static void
engine_strat_disable(struct engine *e, struct strat_slot *s,
    const char *what, const char *detail)
{
	char	 comp[64], says[256];
	int	 n;

	if (s->run == STRAT_ERRORED)
		return;
	engine_strat_run(e, s, STRAT_ERRORED);
	s->wait_flat = false;
	snprintf(s->guard.why, sizeof s->guard.why, "%s: %s", what, detail);
	engine_strat_component(s, comp, sizeof comp);
	engine_log(e, LOG_ERROR, comp, 0, "%s, strategy disabled: %s", what,
	    detail);
	if ((n = engine_strat_drop_entries(e, s)) > 0)
		engine_log(e, LOG_WARNING, comp, 0, "its %d working "
		    "entr%s cancelled", n, n == 1 ? "y" : "ies");
	engine_strat_keep(e, s, says, sizeof says);
	/* Its positions first: an alert's text may be cut. */
	engine_alert(e, ALERT_ERROR, ALERT_EV_STRATEGY_ERROR, "strategy %s: "
	    "%s, strategy disabled (the others go on%s): %s", s->cfg->name,
	    what, says, detail);
	engine_drain(e);
}

/* A call s made outside its callbacks, marked: s is disabled. */
void
engine_strat_police_slow(struct engine *e, struct strat_slot *s)
{
	const char	*call;
	char		 why[160];

	call = atomic_exchange(&s->guard.breach, NULL);
	if (call == NULL || s->run == STRAT_ERRORED)
		return;
	snprintf(why, sizeof why, "%s called outside its callbacks (another "
	    "thread, or a context kept for later)", call);
	engine_strat_disable(e, s, "broke its contract", why);
}

/*
 * Every strategy's marked call, acted on.  The flag is cleared before the
 * slots are read: a mark made after that sets it again for the next.
 */
void
engine_strat_sweep(struct engine *e)
{
	if (!atomic_load_explicit(&e->strat_breach, memory_order_acquire))
		return;
	atomic_store_explicit(&e->strat_breach, false, memory_order_release);
	for (int i = 0; i < e->nstrat; i++)
		engine_strat_police(e, &e->strat[i]);
}

void
engine_strat_leave(struct engine *e, struct strat_slot *s,
    const char *callback, int rc, const struct errmsg *err)
{
	struct errmsg	 bad;

	if (rc == -1)
		engine_strat_failed(e, s, callback, err);
	else if (rc != 0) {
		errmsg_set(&bad, "it returned %d: a callback returns 0, or -1 "
		    "with a message", rc);
		engine_strat_failed(e, s, callback, &bad);
	}
	engine_strat_police(e, s);
}

/* A callback failed: that strategy stops, the engine goes on. */
void
engine_strat_failed(struct engine *e, struct strat_slot *s,
    const char *callback, const struct errmsg *err)
{
	char	 what[64];

	snprintf(what, sizeof what, "%s failed", callback);
	engine_strat_disable(e, s, what, err->msg[0] != '\0' ? err->msg :
	    "no reason given");
}

/*
 * A request of s refused (why in err), judged by v: an invalid one is
 * logged and counted, a breach disables s.  0 for SV_OK, else -1.
 */
static int
engine_strat_judge(struct engine *e, struct strat_slot *s,
    enum strat_verdict v, struct errmsg *err)
{
	char	 comp[64], why[ERRMSG_MAX], what[64];

	if (v == SV_OK)
		return 0;
	if (v == SV_NO)
		return -1;
	snprintf(why, sizeof why, "%s", err->msg);
	if (v == SV_BREACH) {
		engine_strat_disable(e, s, "broke its contract", why);
		errmsg_set(err, "%s: strategy disabled", why);
		return -1;
	}
	if (s->guard.invalid_day != e->day) {
		s->guard.invalid_day = e->day;
		s->guard.invalid = 0;
	}
	s->guard.invalid++;
	engine_log(e, LOG_WARNING, engine_strat_component(s, comp,
	    sizeof comp), 0, "refused as invalid (%d of %d today): %s",
	    s->guard.invalid, STRAT_MAX_INVALID, why);
	if (s->guard.invalid < STRAT_MAX_INVALID)
		return -1;
	snprintf(what, sizeof what, "%d invalid requests today",
	    s->guard.invalid);
	engine_strat_disable(e, s, what, why);
	errmsg_set(err, "%s (%s): strategy disabled", why, what);
	return -1;
}

/* Are the configured values of s's parameters ones its table allows? */
static int
engine_strat_values(const struct strat_slot *s, struct errmsg *err)
{
	const struct strat_param	*p;
	char				 why[160];

	for (int k = 0; (p = &s->ops->params[k])->name != NULL; k++) {
		if (strat_param_valid(p, s->cfg->params[k],
		    strat_param_get_text(s->ops, s->cfg->param_text, k), why,
		    sizeof why) == -1)
			return errmsg_set(err, "strategy %s: parameter %s: %s",
			    s->cfg->name, p->name, why);
	}
	return 0;
}

/* A new instance of s's strategy, create counted as its callback. */
static void *
engine_strat_create(struct strat_slot *s, struct errmsg *err)
{
	void	*self;

	s->guard.in_create = true;
	engine_strat_push(s);
	self = s->ops->create(&s->ctx, err);
	engine_strat_pop(s);
	s->guard.in_create = false;
	return self;
}

static int	 engine_strat_index(struct engine *);

int
engine_strat_setup(struct engine *e, struct errmsg *err)
{
	const struct strat_registry	*reg = e->strategies;

	atomic_init(&e->strat_breach, false);
	for (int i = 0; i < e->cfg.nstrat; i++) {
		const struct strategy_cfg	*sc = &e->cfg.strat[i];
		struct strat_slot		*s = &e->strat[i];
		struct td_inst			 inst;

		if ((s->ops = strat_registry_find(reg, sc->type)) == NULL)
			return errmsg_set(err, "strategy %s: unknown type '%s'",
			    sc->name, sc->type);
		if (engine_inst_find(e, sc->symbol, &inst) == -1)
			return errmsg_set(err, "strategy %s: unknown symbol "
			    "'%s'", sc->name, sc->symbol);
		s->inst = inst.i;
		s->cfg = sc;
		if (engine_strat_values(s, err) == -1)
			return -1;
		if (sc->atm[0] != '\0' &&
		    (s->atm = engine_atm(e, sc->atm)) == NULL)
			return errmsg_set(err, "strategy %s: no bracket "
			    "template (atm) '%s'", sc->name, sc->atm);
		s->ctx.e = e;
		s->ctx.slot = td_strat_at(i);
		atomic_init(&s->guard.depth, 0);
		atomic_init(&s->guard.breach, NULL);
		engine_strat_run(e, s, sc->enabled ? STRAT_RUNNING :
		    STRAT_DISABLED);
		e->nstrat = i + 1;
		if ((s->timer = calloc(STRAT_MAX_TIMERS,
		    sizeof *s->timer)) == NULL)
			return errmsg_set(err, "out of memory");
		if (engine_strat_default_subs(e, s, err) == -1)
			return -1;
		s->self = engine_strat_create(s, err);
		if (s->self == NULL) {
			errmsg_prefix(err, "strategy %s", sc->name);
			return -1;
		}
	}
	/* The lists of who hears minute bars, taken now: none per event. */
	if (engine_strat_index(e) == -1)
		return errmsg_set(err, "out of memory");
	return 0;
}

void
engine_strat_free(struct engine *e)
{
	for (int i = 0; i < e->nstrat; i++) {
		if (e->strat[i].ops != NULL && e->strat[i].self != NULL)
			e->strat[i].ops->destroy(e->strat[i].self);
		engine_strat_free_subs(e, &e->strat[i]);
		free(e->strat[i].timer);
		free(e->strat[i].src);
	}
}

/* Does strategy s trade (or may it trade) instrument inst? */
bool
engine_strat_trades(const struct strat_slot *s, struct td_inst inst)
{
	for (int k = 0; k < s->nsub; k++) {
		if (s->sub[k].inst == inst.i)
			return true;
	}
	return false;
}

/* Is subscription k the first of s on its instrument? */
static bool
engine_strat_first(const struct strat_slot *s, int k)
{
	for (int j = 0; j < k; j++) {
		if (s->sub[j].inst == s->sub[k].inst)
			return false;
	}
	return true;
}

/* Is the account flat on every instrument of s? */
static bool
engine_strat_all_flat(const struct engine *e, const struct strat_slot *s)
{
	for (int k = 0; k < s->nsub; k++) {
		if (order_mgr_position(e->om, td_inst_at(s->sub[k].inst)) != 0)
			return false;
	}
	return true;
}

/* A strategy holding its orders: trading once the account is flat. */
static void
engine_strat_flat_now(struct engine *e, struct strat_slot *s)
{
	char	 comp[64];

	if (!s->wait_flat || !engine_strat_all_flat(e, s))
		return;
	s->wait_flat = false;
	engine_log(e, LOG_INFO, engine_strat_component(s, comp, sizeof comp),
	    0, "the account is flat on its instruments: trading");
}

/* The account's position on s's instruments that no strategy holds. */
static void
engine_strat_adopt(struct engine *e, struct strat_slot *s)
{
	char	 comp[64];

	for (int k = 0; k < s->nsub; k++) {
		int	 inst = s->sub[k].inst;
		int64_t	 rest;

		if (!engine_strat_first(s, k))
			continue;
		rest = portfolio_position(e->pf, td_inst_at(inst)) -
		    engine_strat_position(e, td_inst_at(inst));
		if (rest == 0)
			continue;
		s->position[inst] += rest;
		engine_log(e, LOG_WARNING, engine_strat_component(s, comp,
		    sizeof comp), 0, "adopts the account's %s position %+lld "
		    "(no strategy's), now %+lld", e->cfg.inst[inst].symbol,
		    (long long)rest, (long long)s->position[inst]);
	}
}

/* The strategy's start behaviour, once its start has run. */
static void
engine_strat_begin(struct engine *e, struct strat_slot *s)
{
	char	 comp[64];

	switch (s->cfg->start) {
	case STRAT_START_WAIT_FLAT:
		s->wait_flat = true;
		engine_strat_flat_now(e, s);
		if (s->wait_flat)
			engine_log(e, LOG_WARNING, engine_strat_component(s,
			    comp, sizeof comp), 0, "holds its new orders "
			    "until the account is flat on its instruments");
		break;
	case STRAT_START_ADOPT:
		engine_strat_adopt(e, s);
		break;
	default:
		break;
	}
}

/* Start the running strategies that have not started yet. */
void
engine_strat_start(struct engine *e)
{
	struct errmsg	 err;
	int		 rc;

	for (int i = 0; i < e->nstrat; i++) {
		struct strat_slot	*s = &e->strat[i];

		engine_strat_police(e, s);
		if (s->run != STRAT_RUNNING || s->started)
			continue;
		s->started = true;
		err.msg[0] = '\0';
		s->in_start = true;
		if (s->ops->start != NULL && engine_strat_enter(e, s)) {
			rc = s->ops->start(s->self, &s->ctx, &err);
			engine_strat_pop(s);
			engine_strat_leave(e, s, "start", rc, &err);
		}
		s->in_start = false;
		if (s->run == STRAT_RUNNING)
			engine_strat_begin(e, s);
	}
	/* Their subscriptions are known: the lists, made now, not per bar. */
	if (e->subs_dirty)
		(void)engine_strat_index(e);
}

bool
engine_strategy_waits_flat(const struct engine *e, struct td_strat s)
{
	return td_strat_in(s, e->nstrat) && e->strat[s.i].wait_flat;
}

const struct strategy_ops *
engine_strategy_ops(const struct engine *e, struct td_strat s)
{
	return e->strat[s.i].ops;
}

/* Sum of the strategies' positions on an instrument. */
int64_t
engine_strat_position(const struct engine *e, struct td_inst inst)
{
	int64_t	 sum = 0;

	for (int i = 0; i < e->nstrat; i++)
		sum += e->strat[i].position[inst.i];
	return sum;
}

/* ---------------------------------------------------------------- context */

/*
 * Each call asks engine_strat_caller first; one that returns a value
 * gives a neutral one when refused (0, "", -1, NULL).
 */
td_ns
strat_now(const struct strat_ctx *ctx)
{
	if (engine_strat_caller(ctx, "strat_now", true, NULL) == NULL)
		return 0;
	return ctx->e->now;
}

int64_t
strat_param(const struct strat_ctx *ctx, int i)
{
	const struct strat_slot	*s;

	if ((s = engine_strat_caller(ctx, "strat_param", true,
	    NULL)) == NULL || i < 0 || i >= strat_param_count(s->ops))
		return 0;
	return s->cfg->params[i];
}

const char *
strat_param_text(const struct strat_ctx *ctx, int i)
{
	const struct strat_slot	*s;

	if ((s = engine_strat_caller(ctx, "strat_param_text", true,
	    NULL)) == NULL || i < 0 || i >= strat_param_count(s->ops))
		return "";
	return strat_param_get_text(s->ops, s->cfg->param_text, i);
}

int
strat_error(struct errmsg *err, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
strat_errmsg(const struct errmsg *err)
{
	return err != NULL ? err->msg : "";
}

int64_t
strat_position(const struct strat_ctx *ctx, int inst)
{
	const struct strat_slot	*s;

	if ((s = engine_strat_caller(ctx, "strat_position", true,
	    NULL)) == NULL || inst < 0 || inst >= ctx->e->cfg.ninst)
		return 0;
	return s->position[inst];
}

char *
strat_format(const struct strat_ctx *ctx, int inst, td_ticks px, char *buf,
    size_t len)
{
	if (engine_strat_caller(ctx, "strat_format", true, NULL) == NULL ||
	    inst < 0 || inst >= ctx->e->cfg.ninst) {
		snprintf(buf, len, "?");
		return buf;
	}
	return engine_px(ctx->e, td_inst_at(inst), px, buf, len);
}

int
strat_inst(const struct strat_ctx *ctx, const char *symbol)
{
	const struct strat_slot	*s;
	struct td_inst		 inst;

	if ((s = engine_strat_caller(ctx, "strat_inst", true, NULL)) == NULL)
		return -1;
	if (symbol == NULL)
		return s->inst;
	return engine_inst_find(ctx->e, symbol, &inst) == 0 ? inst.i : -1;
}

void
strat_log(struct strat_ctx *ctx, const char *fmt, ...)
{
	struct engine		*e = ctx->e;
	struct strat_slot	*s;
	char			 msg[400], comp[64];
	va_list			 ap;

	if ((s = engine_strat_caller(ctx, "strat_log", true, NULL)) == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	engine_log(e, LOG_INFO, engine_strat_component(s, comp, sizeof comp),
	    e->corr, "%s", msg);
}

/* ---------------------------------------------------------------- data */

/* Is type a bar type one can subscribe to?  Its normal form in *out. */
static int
engine_strat_bar_type(struct strat_bar_type type, int history,
    struct strat_bar_type *out, struct errmsg *err)
{
	*out = type;
	switch (type.unit) {
	case STRAT_TICKS:
		out->length = 0;
		if (history != 0)
			return errmsg_set(err, "ticks keep no history");
		return 0;
	case STRAT_SECONDS:
		if (type.length < 1 || type.length > 86400)
			return errmsg_set(err, "bars of %d seconds: 1 to 86400",
			    type.length);
		return 0;
	case STRAT_MINUTES:
		if (type.length < 1 || type.length > 1440)
			return errmsg_set(err, "bars of %d minutes: 1 to 1440",
			    type.length);
		return 0;
	}
	return errmsg_set(err, "unknown bar unit %d", (int)type.unit);
}

/* Hold the last cap bars of u, keeping those it holds (newest last). */
static int
engine_strat_history(struct strat_subn *u, int cap, struct errmsg *err)
{
	struct td_bar	*h;
	int		 keep = u->n < cap ? u->n : cap;

	if (cap <= u->cap)
		return 0;
	if ((h = calloc((size_t)cap, sizeof *h)) == NULL)
		return errmsg_set(err, "out of memory");
	for (int k = 0; k < keep; k++)
		h[k] = u->hist[(u->head + u->cap - keep + k) % u->cap];
	free(u->hist);
	u->hist = h;
	u->cap = cap;
	u->n = keep;
	u->head = keep % cap;
	return 0;
}

/* A new subscription of s: its builder, and its ticks counted. */
static struct strat_subn *
engine_strat_add_sub(struct engine *e, struct strat_slot *s, int inst,
    struct strat_bar_type type, struct errmsg *err)
{
	struct strat_subn	*u;
	struct barbuild		*b = NULL;

	if (type.unit == STRAT_SECONDS)
		b = barbuild_create_seconds(type.length, err);
	else if (type.unit == STRAT_MINUTES && type.length > 1)
		b = barbuild_create(type.length, err);
	if (b == NULL && (type.unit == STRAT_SECONDS ||
	    (type.unit == STRAT_MINUTES && type.length > 1)))
		return NULL;
	if ((u = engine_strat_new_sub(s, inst, type)) == NULL) {
		barbuild_free(b);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	u->build = b;
	e->subs_dirty = true;
	if (type.unit == STRAT_TICKS)
		e->is[inst].tick_subs++;
	else if (type.unit == STRAT_SECONDS)
		e->is[inst].sec_subs++;
	return u;
}

/*
 * Is s in its start, where subscriptions are made?  A subscription asked
 * later is refused as invalid.
 */
static int
engine_strat_in_start(struct engine *e, struct strat_slot *s,
    struct errmsg *err)
{
	if (s->in_start)
		return 0;
	errmsg_set(err, "strategy %s: subscriptions are made in start",
	    s->cfg->name);
	return engine_strat_judge(e, s, SV_INVALID, err);
}

int
strat_subscribe(struct strat_ctx *ctx, const char *symbol,
    struct strat_bar_type type, int history, struct strat_sub *out,
    struct errmsg *err)
{
	struct engine		*e = ctx->e;
	struct strat_slot	*s;
	struct strat_subn	*u = NULL;
	struct errmsg		 own;
	int			 inst;

	if (err == NULL)
		err = &own;
	if ((s = engine_strat_caller(ctx, "strat_subscribe", false,
	    err)) == NULL || engine_strat_in_start(e, s, err) == -1)
		return -1;
	if ((inst = strat_inst(ctx, symbol)) == -1)
		return errmsg_set(err, "no instrument '%s'", symbol);
	if (engine_strat_bar_type(type, history, &type, err) == -1)
		return -1;
	if (history < 0 || history > STRAT_MAX_HISTORY)
		return errmsg_set(err, "history of %d bars: 0 to %d", history,
		    STRAT_MAX_HISTORY);
	for (int k = 0; k < s->nsub && u == NULL; k++) {
		if (s->sub[k].inst == inst && s->sub[k].type.unit ==
		    type.unit && s->sub[k].type.length == type.length)
			u = &s->sub[k];
	}
	if (u == NULL && (u = engine_strat_add_sub(e, s, inst, type,
	    err)) == NULL)
		return -1;
	if (engine_strat_history(u, history, err) == -1)
		return -1;
	e->subs_dirty = true;	/* its history decides how bars reach it */
	if (out != NULL)
		out->id = (int)(u - s->sub);
	return 0;
}

/* A subscription of the caller, or NULL (a bad handle, a refused call). */
static const struct strat_subn *
engine_strat_sub(const struct strat_ctx *ctx, const char *call,
    struct strat_sub sub)
{
	const struct strat_slot	*s;

	if ((s = engine_strat_caller(ctx, call, true, NULL)) == NULL)
		return NULL;
	return sub.id >= 0 && sub.id < s->nsub ? &s->sub[sub.id] : NULL;
}

int
strat_sub_inst(const struct strat_ctx *ctx, struct strat_sub sub)
{
	const struct strat_subn	*u = engine_strat_sub(ctx, "strat_sub_inst",
				    sub);

	return u != NULL ? u->inst : -1;
}

const struct td_bar *
strat_bar(const struct strat_ctx *ctx, struct strat_sub sub, int ago)
{
	const struct strat_subn	*u = engine_strat_sub(ctx, "strat_bar", sub);

	if (u == NULL || ago < 0 || ago >= u->n)
		return NULL;
	return &u->hist[(u->head + u->cap - 1 - ago) % u->cap];
}

int
strat_bars(const struct strat_ctx *ctx, struct strat_sub sub)
{
	const struct strat_subn	*u = engine_strat_sub(ctx, "strat_bars", sub);

	return u != NULL ? u->n : 0;
}

/* A bar of subscription k of s: into its history, then to on_bar. */
static void
engine_strat_deliver(struct engine *e, struct strat_slot *s, int k,
    const struct td_bar *bar)
{
	struct strat_subn	*u = &s->sub[k];
	struct strat_sub	 h = { k };

	if (u->cap > 0) {
		u->hist[u->head] = *bar;
		u->head = u->head + 1 == u->cap ? 0 : u->head + 1;
		if (u->n < u->cap)
			u->n++;
	}
	STRAT_CALL(e, s, on_bar, h, bar);
}

/* What builder b has finished by now, delivered in order. */
static void
engine_strat_due(struct engine *e, struct strat_slot *s, int k, td_ns now)
{
	struct td_bar	 bar;

	while (barbuild_due(s->sub[k].build, now, &bar) == 1)
		engine_strat_deliver(e, s, k, &bar);
}

/* A base bar into an N-minute subscription's builder. */
static void
engine_strat_build(struct engine *e, struct strat_slot *s, int k,
    const struct td_bar *bar)
{
	struct strat_subn	*u = &s->sub[k];
	struct errmsg		 err;
	char			 comp[64];

	if (barbuild_bar(u->build, bar, &err) == -1) {
		if (!u->warned)
			engine_log(e, LOG_WARNING, engine_strat_component(s,
			    comp, sizeof comp), 0, "%s bars of %d minutes: %s",
			    e->cfg.inst[u->inst].symbol, u->type.length,
			    err.msg);
		u->warned = true;
		return;
	}
	engine_strat_due(e, s, k, bar->end);
}

/* s runs, stops or fails: who hears minute bars is to be seen again. */
void
engine_strat_run(struct engine *e, struct strat_slot *s, enum strat_run run)
{
	s->run = run;
	e->subs_dirty = true;
}

/* Does subscription u of s keep or hear a bar given to it now? */
static bool
engine_strat_wants(const struct strat_slot *s, const struct strat_subn *u)
{
	return u->build != NULL || u->cap > 0 || (s->ops->on_bar != NULL &&
	    s->run == STRAT_RUNNING);
}

/* A base bar to subscription k of s, if it keeps or hears anything. */
static inline void
engine_strat_bar_to(struct engine *e, struct strat_slot *s, int k,
    const struct td_bar *bar)
{
	const struct strat_subn	*u = &s->sub[k];

	if (u->build != NULL)
		engine_strat_build(e, s, k, bar);
	else if (engine_strat_wants(s, u))
		engine_strat_deliver(e, s, k, bar);
}

/*
 * Each instrument's list of the subscriptions to its minute bars, in the
 * order of the strategies and of their subscriptions, made again after a
 * change; -1 without memory (the lists are then not to be used).
 */
static int
engine_strat_index(struct engine *e)
{
	for (int inst = 0; inst < e->cfg.ninst; inst++) {
		struct inst_state	*is = &e->is[inst];
		struct strat_ref	*p;
		int			 n = 0;

		for (int i = 0; i < e->nstrat; i++)
			n += e->strat[i].nsub;
		if (n > is->minute_cap) {
			if ((p = realloc(is->minute_subs, (size_t)n *
			    sizeof *p)) == NULL)
				return -1;
			is->minute_subs = p;
			is->minute_cap = n;
		}
		p = is->minute_subs;
		is->nminute_subs = 0;
		for (int i = 0; i < e->nstrat; i++) {
			for (int k = 0; k < e->strat[i].nsub; k++) {
				const struct strat_subn	*u = &e->strat[i].sub[k];

				if (u->inst == inst &&
				    u->type.unit == STRAT_MINUTES &&
				    engine_strat_wants(&e->strat[i], u))
					p[is->nminute_subs++] =
					    (struct strat_ref){ i, k,
					    u->build == NULL && u->cap == 0 };
			}
		}
	}
	e->subs_dirty = false;
	return 0;
}

/*
 * A base bar of inst (the feed's, or 1 minute built from ticks): to the
 * subscriptions of its 1-minute bars and into the builders of longer ones.
 */
void
engine_strat_bar(struct engine *e, int inst, const struct td_bar *bar)
{
	const struct inst_state	*is = &e->is[inst];

	if (!e->subs_dirty || engine_strat_index(e) == 0) {
		for (int j = 0; j < is->nminute_subs; j++) {
			const struct strat_ref	*r = &is->minute_subs[j];
			struct strat_slot	*s = &e->strat[r->slot];
			struct strat_sub	 h = { r->k };

			/* Most: a strategy's own 1-minute bars, no history. */
			if (r->plain)
				STRAT_CALL(e, s, on_bar, h, bar);
			else
				engine_strat_bar_to(e, s, r->k, bar);
		}
		return;
	}
	for (int i = 0; i < e->nstrat; i++) {
		for (int k = 0; k < e->strat[i].nsub; k++) {
			const struct strat_subn	*u = &e->strat[i].sub[k];

			if (u->inst == inst && u->type.unit == STRAT_MINUTES)
				engine_strat_bar_to(e, &e->strat[i], k, bar);
		}
	}
}

/* A tick of inst at t: the bars of seconds it shows complete. */
void
engine_strat_tick_bars(struct engine *e, int inst, td_ns t)
{
	for (int i = 0; i < e->nstrat; i++) {
		struct strat_slot	*s = &e->strat[i];

		for (int k = 0; k < s->nsub; k++) {
			if (s->sub[k].inst == inst &&
			    s->sub[k].type.unit == STRAT_SECONDS)
				engine_strat_due(e, s, k, t);
		}
	}
}

/* A tick of inst, after the venue has seen it: on_tick, then builders. */
void
engine_strat_tick(struct engine *e, int inst, const struct td_tick *t)
{
	for (int i = 0; i < e->nstrat; i++) {
		struct strat_slot	*s = &e->strat[i];

		for (int k = 0; k < s->nsub; k++) {
			struct strat_subn	*u = &s->sub[k];
			struct strat_sub	 h = { k };

			if (u->inst != inst)
				continue;
			if (u->type.unit == STRAT_TICKS)
				STRAT_CALL(e, s, on_tick, h, t);
			else if (u->type.unit == STRAT_SECONDS)
				barbuild_tick(u->build, t);
		}
	}
}

/*
 * A regular session of calendar cal opened or closed: each strategy hears
 * of it once for each of its instruments on that calendar.
 */
void
engine_strat_session(struct engine *e, int cal, const struct cal_event *ev)
{
	struct strat_session	 ss = { .day = ev->day };

	if (calendar_rth(e->cal[cal], ev->day, &ss.open, &ss.close) == -1)
		return;
	for (int i = 0; i < e->nstrat; i++) {
		struct strat_slot	*s = &e->strat[i];

		for (int k = 0; k < s->nsub; k++) {
			bool	 seen = false;

			ss.inst = s->sub[k].inst;
			for (int j = 0; j < k && !seen; j++)
				seen = s->sub[j].inst == ss.inst;
			if (seen || e->is[ss.inst].cal != cal)
				continue;
			if (ev->kind == CAL_RTH_OPEN)
				STRAT_CALL(e, s, on_session_open, &ss);
			else
				STRAT_CALL(e, s, on_session_close, &ss);
		}
	}
}

/* End of data: the bars still being built, then stop. */
void
engine_strat_finish(struct engine *e)
{
	struct td_bar	 bar;

	for (int i = 0; i < e->nstrat; i++) {
		struct strat_slot	*s = &e->strat[i];

		for (int k = 0; k < s->nsub; k++) {
			while (s->sub[k].build != NULL &&
			    barbuild_flush(s->sub[k].build, &bar) == 1)
				engine_strat_deliver(e, s, k, &bar);
		}
		if (s->ops->stop != NULL && engine_strat_enter(e, s)) {
			s->ops->stop(s->self, &s->ctx);
			engine_strat_pop(s);
			engine_strat_police(e, s);
		}
	}
}

/* ---------------------------------------------------------------- timers */

/* When the first armed strategy timer is due, 0 when none is. */
static void
engine_strat_rearm(struct engine *e)
{
	e->strat_next = 0;
	for (int i = 0; i < e->nstrat; i++) {
		for (int k = 0; k < STRAT_MAX_TIMERS; k++) {
			const struct strat_tmr	*t = &e->strat[i].timer[k];

			if (t->kind != STRAT_TMR_OFF && (e->strat_next == 0 ||
			    t->next < e->strat_next))
				e->strat_next = t->next;
		}
	}
	engine_timer_due(e);
}

/*
 * The first time of day tod (seconds) in inst's exchange zone after
 * `after` on one of its session days; 0 when none comes within two weeks.
 */
static td_ns
engine_strat_daily_next(const struct engine *e, int inst, int tod,
    td_ns after)
{
	const struct calendar	*cal = e->cal[e->is[inst].cal];
	const struct tz		*tz = calendar_tz(cal);
	struct tz_tm		 tm;
	td_ns			 t;

	tz_to_local(tz, after, &tm);
	for (int d = 0; d <= 14; d++) {
		t = tz_to_utc(tz, tm.year, tm.mon, tm.mday + d, tod / 3600,
		    tod / 60 % 60, tod % 60);
		if (t > after && calendar_is_session_day(cal,
		    calendar_trading_day(cal, t)))
			return t;
	}
	return 0;
}

/* Arm a free timer of ctx's strategy: 0 and its handle, or -1. */
static int
engine_strat_arm(struct strat_ctx *ctx, const struct strat_tmr *in,
    struct strat_timer *out, struct errmsg *err)
{
	struct engine		*e = ctx->e;
	struct strat_slot	*s = &e->strat[ctx->slot.i];

	for (int k = 0; k < STRAT_MAX_TIMERS; k++) {
		struct strat_tmr	*t = &s->timer[k];
		int			 gen = t->gen + 1;

		if (t->kind != STRAT_TMR_OFF)
			continue;
		*t = *in;
		t->gen = gen;
		if (out != NULL)
			out->id = (gen - 1) * STRAT_MAX_TIMERS + k + 1;
		engine_strat_rearm(e);
		return 0;
	}
	return errmsg_set(err, "strategy %s: %d timers armed already",
	    s->cfg->name, STRAT_MAX_TIMERS);
}

int
strat_timer_once(struct strat_ctx *ctx, td_ns t, struct strat_timer *out,
    struct errmsg *err)
{
	if (engine_strat_caller(ctx, "strat_timer_once", false, err) == NULL)
		return -1;
	if (t <= 0)
		return errmsg_set(err, "a timer needs a time after 1970");
	return engine_strat_arm(ctx, &(struct strat_tmr){ .kind =
	    STRAT_TMR_ONCE, .next = t }, out, err);
}

int
strat_timer_every(struct strat_ctx *ctx, int seconds, struct strat_timer *out,
    struct errmsg *err)
{
	td_ns	 p = (td_ns)seconds * TD_NS_PER_SEC;

	if (engine_strat_caller(ctx, "strat_timer_every", false, err) == NULL)
		return -1;
	if (seconds < 1 || seconds > 86400)
		return errmsg_set(err, "every %d seconds: 1 to 86400",
		    seconds);
	return engine_strat_arm(ctx, &(struct strat_tmr){ .kind =
	    STRAT_TMR_EVERY, .next = ctx->e->now + p, .period = p }, out,
	    err);
}

int
strat_timer_at(struct strat_ctx *ctx, int inst, int hour, int min, int sec,
    struct strat_timer *out, struct errmsg *err)
{
	struct engine	*e = ctx->e;
	int		 tod = hour * 3600 + min * 60 + sec;
	td_ns		 next;

	if (engine_strat_caller(ctx, "strat_timer_at", false, err) == NULL)
		return -1;
	if (inst < 0 || inst >= e->cfg.ninst)
		return errmsg_set(err, "unknown instrument %d", inst);
	if (hour < 0 || hour > 23 || min < 0 || min > 59 || sec < 0 ||
	    sec > 59)
		return errmsg_set(err, "%02d:%02d:%02d is no time of day",
		    hour, min, sec);
	if ((next = engine_strat_daily_next(e, inst, tod, e->now)) == 0)
		return errmsg_set(err, "%s has no session day ahead",
		    e->cfg.inst[inst].symbol);
	return engine_strat_arm(ctx, &(struct strat_tmr){ .kind =
	    STRAT_TMR_DAILY, .next = next, .inst = inst, .tod = tod }, out,
	    err);
}

/* The armed timer of a handle, or NULL. */
static struct strat_tmr *
engine_strat_tmr(struct strat_ctx *ctx, struct strat_timer h)
{
	struct strat_slot	*s = &ctx->e->strat[ctx->slot.i];
	struct strat_tmr	*t;

	if (h.id < 1)
		return NULL;
	t = &s->timer[(h.id - 1) % STRAT_MAX_TIMERS];
	if (t->kind == STRAT_TMR_OFF || t->gen != (h.id - 1) /
	    STRAT_MAX_TIMERS + 1)
		return NULL;
	return t;
}

int
strat_timer_cancel(struct strat_ctx *ctx, struct strat_timer h)
{
	struct strat_tmr	*t;

	if (engine_strat_caller(ctx, "strat_timer_cancel", false,
	    NULL) == NULL || (t = engine_strat_tmr(ctx, h)) == NULL)
		return -1;
	t->kind = STRAT_TMR_OFF;
	engine_strat_rearm(ctx->e);
	return 0;
}

/*
 * Fire the first strategy timer due (engine_timers calls this while one
 * is due): the engine's time moves to it, a once timer is disarmed
 * and a repeating one moves to its next time before its strategy hears
 * of it, so that on_timer may arm or cancel timers.
 */
void
engine_strat_timer(struct engine *e)
{
	struct strat_slot	*s = NULL;
	struct strat_tmr	*tm = NULL;
	struct strat_timer	 h;
	td_ns			 when;

	engine_strat_sweep(e);
	for (int i = 0; i < e->nstrat; i++) {
		for (int k = 0; k < STRAT_MAX_TIMERS; k++) {
			struct strat_tmr	*c = &e->strat[i].timer[k];

			if (c->kind != STRAT_TMR_OFF && (tm == NULL ||
			    c->next < tm->next)) {
				tm = c;
				s = &e->strat[i];
				h.id = (c->gen - 1) * STRAT_MAX_TIMERS + k + 1;
			}
		}
	}
	if (tm == NULL) {
		e->strat_next = 0;
		engine_timer_due(e);
		return;
	}
	when = tm->next;
	if (when > e->now)
		e->now = when;
	if (tm->kind == STRAT_TMR_ONCE)
		tm->kind = STRAT_TMR_OFF;
	else if (tm->kind == STRAT_TMR_EVERY)
		tm->next += tm->period;
	else if ((tm->next = engine_strat_daily_next(e, tm->inst, tm->tod,
	    when)) == 0)
		tm->kind = STRAT_TMR_OFF;
	engine_strat_rearm(e);
	STRAT_CALL(e, s, on_timer, h, when);
	engine_drain(e);
}

/* ---------------------------------------------------------------- events */

int
strat_subscribe_data(struct strat_ctx *ctx, const char *source,
    struct errmsg *err)
{
	struct strat_slot	*s;
	struct errmsg		 own;

	if (err == NULL)
		err = &own;
	if ((s = engine_strat_caller(ctx, "strat_subscribe_data", false,
	    err)) == NULL || engine_strat_in_start(ctx->e, s, err) == -1)
		return -1;
	if (source == NULL || source[0] == '\0' ||
	    strlen(source) >= TD_NAME_MAX)
		return errmsg_set(err, "a data source of 1 to %d characters",
		    TD_NAME_MAX - 1);
	for (int k = 0; k < s->nsrc; k++) {
		if (strcmp(s->src[k], source) == 0)
			return 0;
	}
	if (s->nsrc == STRAT_MAX_SOURCES)
		return errmsg_set(err, "strategy %s: %d data sources already",
		    s->cfg->name, STRAT_MAX_SOURCES);
	if (s->src == NULL && (s->src = calloc(STRAT_MAX_SOURCES,
	    sizeof *s->src)) == NULL)
		return errmsg_set(err, "out of memory");
	snprintf(s->src[s->nsrc++], sizeof s->src[0], "%s", source);
	return 0;
}

/* What is wrong with a data event, or NULL. */
static const char *
engine_data_check(const struct engine *e, const struct td_data *d)
{
	if (memchr(d->source, '\0', sizeof d->source) == NULL ||
	    memchr(d->name, '\0', sizeof d->name) == NULL)
		return "source and name must end within their fields";
	if (d->source[0] == '\0')
		return "a data event needs a source";
	if (d->inst < -1 || d->inst >= e->cfg.ninst)
		return "unknown instrument";
	switch (d->kind) {
	case TD_DATA_VALUE:
		return NULL;
	case TD_DATA_PROBABILITY:
		return d->value < 0 || d->value > TD_DATA_SCALE ?
		    "a probability lies between 0 and 1" : NULL;
	case TD_DATA_SCORE:
		return d->value < -TD_DATA_SCALE || d->value > TD_DATA_SCALE ?
		    "a score lies between -1 and 1" : NULL;
	}
	return "unknown kind of data";
}

int
engine_on_data(struct engine *e, const struct td_data *d, struct errmsg *err)
{
	const char	*bad;

	if (!e->started)
		return errmsg_set(err, "data event before the first market "
		    "event: the engine has not started");
	if ((bad = engine_data_check(e, d)) != NULL)
		return errmsg_set(err, "data event: %s", bad);
	if (d->time < e->now)
		return errmsg_set(err, "data event goes back in time");
	/* The filters read the latest value of every series heard. */
	if ((e->sig == NULL && (e->sig = signal_last_create(err)) == NULL) ||
	    signal_last_put(e->sig, d, err) == -1)
		return -1;
	e->cmd_corr = 0;
	engine_timers(e, d->time);
	e->now = d->time;
	engine_strat_sweep(e);
	for (int i = 0; i < e->nstrat; i++) {
		struct strat_slot	*s = &e->strat[i];

		for (int k = 0; k < s->nsrc; k++) {
			if (strcmp(s->src[k], "*") != 0 &&
			    strcmp(s->src[k], d->source) != 0)
				continue;
			STRAT_CALL(e, s, on_data, d);
			break;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- news */

int
engine_on_headline(struct engine *e, struct sent_book *b,
    const struct news_item *it, td_ns t, struct engine_news *c,
    struct errmsg *err)
{
	int64_t		 score = sent_score(it->text, NULL);
	struct td_data	 d;
	struct td_inst	 inst = { -1 };
	int		 k = 0;

	do {
		if (it->nsymbols > 0 && engine_inst_find(e, it->symbols[k],
		    &inst) == -1) {
			c->other++;
			continue;
		}
		sent_book_add(b, inst.i, t, score, &d);
		if (!e->started || d.time < e->now)
			c->early++;
		else if (engine_on_data(e, &d, err) == -1)
			return -1;
		else
			c->sent++;
	} while (++k < it->nsymbols);
	return 0;
}

int
engine_news_due(struct engine *e, struct sent_book *b, struct engine_news *c,
    struct errmsg *err)
{
	struct td_data	 d[SENT_MAX_INST + 1];
	int		 k;

	if (!e->started)
		return 0;
	k = sent_book_due(b, e->now, d, SENT_MAX_INST + 1);
	for (int i = 0; i < k; i++) {
		if (engine_on_data(e, &d[i], err) == -1)
			return -1;
		c->sent++;
	}
	return 0;
}

/* ---------------------------------------------------------------- models */

int
engine_signal_check(const struct engine *e, const struct engine_deps *deps,
    struct errmsg *err)
{
	if (deps->nsignals > 0 && deps->signals == NULL)
		return errmsg_set(err, "%d model sources and no array",
		    deps->nsignals);
	for (int i = 0; i < deps->nsignals; i++) {
		const struct signal_src	*s = deps->signals[i];

		if (signal_src_inst(s) < 0 || signal_src_inst(s) >=
		    e->cfg.ninst)
			return errmsg_set(err, "%s: unknown instrument %d",
			    signal_src_source(s), signal_src_inst(s));
		for (int k = 0; k < i; k++) {
			if (strcmp(signal_src_source(s), signal_src_source(
			    deps->signals[k])) == 0)
				return errmsg_set(err, "%s: two sources of "
				    "that name", signal_src_source(s));
		}
	}
	return 0;
}

/* Does s hear the events of source exactly (not through "*")? */
static bool
engine_strat_hears(const struct strat_slot *s, const char *source)
{
	for (int k = 0; k < s->nsrc; k++) {
		if (strcmp(s->src[k], source) == 0)
			return true;
	}
	return false;
}

/*
 * A model that did not load disables the strategies that hear it, and
 * those alone: the others trade on.
 */
void
engine_signal_start(struct engine *e)
{
	struct errmsg	 err;

	for (int i = 0; i < e->nmodels; i++) {
		const char	*src = signal_src_source(e->models[i]);
		const char	*why = signal_src_broken(e->models[i]);

		if (why == NULL)
			continue;
		engine_log(e, LOG_ERROR, src, 0, "model not loaded, it gives "
		    "nothing: %s", why);
		for (int k = 0; k < e->nstrat; k++) {
			struct strat_slot	*s = &e->strat[k];

			if (s->run != STRAT_RUNNING ||
			    !engine_strat_hears(s, src))
				continue;
			errmsg_set(&err, "%s did not load: %s", src, why);
			engine_strat_failed(e, s, "model", &err);
		}
	}
}

/* A 1-minute bar reached the strategies: the models of inst speak. */
void
engine_signal_bar(struct engine *e, int inst, const struct td_bar *bar)
{
	struct td_data	 d;
	struct errmsg	 err;

	for (int i = 0; i < e->nmodels; i++) {
		err.msg[0] = '\0';
		switch (signal_src_bar(e->models[i], inst, bar, e->now, &d,
		    &err)) {
		case SIGNAL_SRC_NONE:
			break;
		case SIGNAL_SRC_EVENT_OUT:
			if (engine_on_data(e, &d, &err) == -1)
				engine_log(e, LOG_ERROR,
				    signal_src_source(e->models[i]), 0, "%s",
				    err.msg);
			break;
		case SIGNAL_SRC_STALE:
			engine_log(e, LOG_WARNING,
			    signal_src_source(e->models[i]), 0, "%s: model "
			    "disabled", err.msg);
			break;
		}
	}
}

/* ---------------------------------------------------------------- orders */

/*
 * May s enter on side of inst, as its filters say?  A skipped entry is
 * logged and counted, and why says why.
 */
static bool
engine_strat_filters(struct engine *e, struct strat_slot *s, int inst,
    enum td_side side, struct errmsg *why)
{
	char	 comp[64];

	for (int i = 0; i < e->cfg.nfilter; i++) {
		const struct signal_filter	*f = &e->cfg.filter[i];

		if (strcmp(f->strategy, s->cfg->name) != 0 ||
		    signal_filter_pass(f, e->sig, inst, side, e->now,
		    why->msg, sizeof why->msg))
			continue;
		s->guard.filtered++;
		engine_log(e, LOG_INFO, engine_strat_component(s, comp,
		    sizeof comp), 0, "%s entry skipped: %s", side == TD_BUY ?
		    "long" : "short", why->msg);
		errmsg_prefix(why, "skipped by a filter");
		return false;
	}
	return true;
}

int
engine_nfilter(const struct engine *e)
{
	return e->cfg.nfilter;
}

int64_t
engine_strategy_filtered(const struct engine *e, struct td_strat s)
{
	return td_strat_in(s, e->nstrat) ? e->strat[s.i].guard.filtered : 0;
}

/*
 * May s send an order on inst now (new: one that may open, not an exit,
 * a cancel or a change)?  SV_OK, or the verdict and why not: an
 * instrument outside its subscriptions is a breach.
 */
static enum strat_verdict
engine_strat_may(struct engine *e, const struct strat_slot *s,
    struct td_inst inst, bool new, struct errmsg *err)
{
	if (s->run != STRAT_RUNNING) {
		errmsg_set(err, "strategy %s is not running", s->cfg->name);
		return SV_NO;
	}
	if (!td_inst_in(inst, e->cfg.ninst) || !engine_strat_trades(s,
	    inst)) {
		errmsg_set(err, "strategy %s: instrument %d is not one of its "
		    "instruments", s->cfg->name, inst.i);
		return SV_BREACH;
	}
	if (new && s->wait_flat) {
		errmsg_set(err, "strategy %s waits until the account is flat "
		    "on its instruments", s->cfg->name);
		return SV_NO;
	}
	return SV_OK;
}

static struct bracket
engine_strat_bracket(const struct strat_bracket *b)
{
	struct bracket	 br = {
		.stop_ticks = b->stop_ticks,
		.ntargets = b->ntargets,
		.be_trigger = b->be_trigger,
		.be_offset = b->be_offset,
		.trail_trigger = b->trail_trigger,
		.trail_step = b->trail_step,
		.trail_dist = b->trail_dist,
	};

	for (int k = 0; k < OM_MAX_TARGETS; k++) {
		br.target_ticks[k] = b->target_ticks[k];
		br.target_qty[k] = b->target_qty[k];
	}
	return br;
}

/* The bracket of a request: by name, its own, or none.  -1: bad. */
static int
engine_strat_req_bracket(struct engine *e, const struct strat_slot *s,
    const struct strat_order_req *r, struct bracket *br, struct errmsg *err)
{
	const struct bracket	*atm;

	memset(br, 0, sizeof *br);
	if (r->atm != NULL) {
		if ((atm = engine_atm(e, r->atm)) == NULL)
			return errmsg_set(err, "no bracket template (atm) "
			    "'%s'", r->atm);
		*br = *atm;
		return 0;
	}
	if (r->bracket == NULL)
		return 0;
	if (r->bracket->ntargets < 0 || r->bracket->ntargets >
	    STRAT_MAX_TARGETS)
		return errmsg_set(err, "bad bracket: %d targets (at most %d)",
		    r->bracket->ntargets, STRAT_MAX_TARGETS);
	*br = engine_strat_bracket(r->bracket);
	if (s->atm != NULL && (br->stop_ticks > 0 || br->ntargets > 0))
		*br = *s->atm;
	return order_mgr_check_bracket(br, err);
}

/* A request as an engine entry, or -1 and what is wrong with it. */
static int
engine_strat_entry(struct strat_ctx *ctx, const struct strat_order_req *r,
    struct engine_entry *en, struct errmsg *err)
{
	struct engine		*e = ctx->e;
	const struct strat_slot	*s = &e->strat[ctx->slot.i];

	if (r == NULL)
		return errmsg_set(err, "no order given");
	if (r->side != TD_BUY && r->side != TD_SELL)
		return errmsg_set(err, "side must be buy or sell");
	if ((unsigned)r->type > STRAT_STOP_LIMIT)
		return errmsg_set(err, "unknown order type %d", (int)r->type);
	if ((unsigned)r->tif > STRAT_IOC)
		return errmsg_set(err, "unknown time in force %d",
		    (int)r->tif);
	if (r->qty < 0)
		return errmsg_set(err, "quantity must not be negative");
	if (r->type != STRAT_MARKET && r->price <= 0)
		return errmsg_set(err, "price must be positive");
	*en = (struct engine_entry){
		.inst = td_inst_at(r->inst),
		.side = r->side,
		/* The two enums list the same types and times in force. */
		.type = (enum order_type)r->type,
		.price = r->type == STRAT_MARKET ? 0 : r->price,
		.limit = r->type == STRAT_STOP_LIMIT ? r->limit : 0,
		.tif = (enum order_tif)r->tif,
		.qty = r->qty,
		.close_owner = td_owner_strat(ctx->slot),
		.why = r->why != NULL ? r->why : "strategy order",
	};
	if (r->type == STRAT_STOP_LIMIT && engine_limit_check(e, en->inst,
	    r->side, r->price, r->limit, err) == -1)
		return -1;
	return engine_strat_req_bracket(e, s, r, &en->br, err);
}

_Static_assert((int)STRAT_MARKET == (int)ORD_MARKET &&
    (int)STRAT_STOP_LIMIT == (int)ORD_STOP_LIMIT &&
    (int)STRAT_LIMIT == (int)ORD_LIMIT && (int)STRAT_STOP == (int)ORD_STOP,
    "strategy order types are the order manager's");
_Static_assert((int)STRAT_GTC == (int)TIF_GTC &&
    (int)STRAT_DAY == (int)TIF_DAY && (int)STRAT_IOC ==
    (int)TIF_IOC, "strategy times in force are the venue's");

/* engine_enter for a strategy, then what the venue says at once. */
static int
engine_strat_send(struct strat_ctx *ctx, const struct engine_entry *en,
    struct strat_order *out, struct errmsg *err)
{
	struct engine	*e = ctx->e;
	uint64_t	 id = 0;
	int		 rc;

	rc = engine_enter(e, td_owner_strat(ctx->slot), en, ++e->corr, &id,
	    err);
	if (out != NULL)
		out->id = rc == 0 ? id : 0;
	engine_drain(e);
	return rc;
}

/* An order refused as invalid is refused as any order is, too. */
static int
engine_strat_refused(struct engine *e, struct strat_slot *s,
    struct errmsg *err)
{
	char	 text[ERRMSG_MAX + 64];

	snprintf(text, sizeof text, "strategy %s: %s", s->cfg->name,
	    err->msg);
	if (engine_hears(e, EEV_REFUSED))
		engine_emit(e, &(struct engine_ev){ .kind = EEV_REFUSED,
		    .time = e->now, .text = text }, NULL);
	return engine_strat_judge(e, s, SV_INVALID, err);
}

int
strat_submit(struct strat_ctx *ctx, const struct strat_order_req *req,
    struct strat_order *out, struct errmsg *err)
{
	struct strat_slot	*s;
	struct engine_entry	 en;
	struct errmsg		 own;

	if (out != NULL)
		out->id = 0;
	if (err == NULL)
		err = &own;
	if ((s = engine_strat_caller(ctx, "strat_submit", false,
	    err)) == NULL)
		return -1;
	if (req == NULL) {
		errmsg_set(err, "no order given");
		return engine_strat_refused(ctx->e, s, err);
	}
	if (engine_strat_judge(ctx->e, s, engine_strat_may(ctx->e, s,
	    td_inst_at(req->inst), true, err), err) == -1)
		return -1;
	if (engine_strat_entry(ctx, req, &en, err) == -1)
		return engine_strat_refused(ctx->e, s, err);
	/* Filters hold back what would open, not what closes. */
	if (portfolio_position(ctx->e->pf, en.inst) * en.side >= 0 &&
	    !engine_strat_filters(ctx->e, s, req->inst, en.side, err))
		return -1;
	return engine_strat_send(ctx, &en, out, err);
}

/*
 * Is h one of s's working orders (*o then)?  A handle of none, or of an
 * order never sent, is invalid; another's order a breach; an order of
 * its own that has ended (it may have filled a moment ago) only refused.
 */
static enum strat_verdict
engine_strat_own(struct engine *e, const struct strat_slot *s,
    struct strat_order h, const struct order **o, struct errmsg *err)
{
	unsigned long long	 id = (unsigned long long)h.id;

	*o = h.id != 0 ? order_mgr_find(e->om, h.id) : NULL;
	if (*o == NULL) {
		if (h.id == 0 || h.id >= order_mgr_next_id(e->om)) {
			errmsg_set(err, "no order %llu: not a handle the "
			    "engine gave", id);
			return SV_INVALID;
		}
		errmsg_set(err, "no working order %llu", id);
		return SV_NO;
	}
	if (!td_owner_is((*o)->owner, s->ctx.slot)) {
		errmsg_set(err, "order %llu is not strategy %s's", id,
		    s->cfg->name);
		return SV_BREACH;
	}
	if (order_mgr_final((*o)->state)) {
		errmsg_set(err, "no working order %llu (%s)", id,
		    order_state_name((*o)->state));
		return SV_NO;
	}
	return SV_OK;
}

/*
 * The slot of the strategy calling `call` on its working order h (*o
 * then), or NULL with why, the request judged (engine_strat_judge).
 */
static struct strat_slot *
engine_strat_working(const struct strat_ctx *ctx, const char *call,
    struct strat_order h, const struct order **o, struct errmsg *err)
{
	struct strat_slot	*s;

	if ((s = engine_strat_caller(ctx, call, false, err)) == NULL ||
	    engine_strat_judge(ctx->e, s, engine_strat_own(ctx->e, s, h, o,
	    err), err) == -1)
		return NULL;
	return s;
}

/* What no change of working order o can be, whatever the market. */
static int
engine_strat_change(const struct order *o, int64_t qty, td_ticks price,
    td_ticks limit, struct errmsg *err)
{
	unsigned long long	 id = (unsigned long long)o->id;

	if (qty < 0 || price < 0 || limit < 0)
		return errmsg_set(err, "quantity and prices must be positive");
	if (qty == 0 && price == 0 && limit == 0)
		return errmsg_set(err, "nothing to change");
	if (o->type == ORD_MARKET && (price != 0 || limit != 0))
		return errmsg_set(err, "order %llu is a market order", id);
	if (limit != 0 && o->type != ORD_STOP_LIMIT)
		return errmsg_set(err, "order %llu is a %s order: only a "
		    "stop-limit has a limit price", id,
		    order_type_name(o->type));
	return 0;
}

int
strat_modify(struct strat_ctx *ctx, struct strat_order h, int64_t qty,
    td_ticks price, td_ticks limit, struct errmsg *err)
{
	struct engine		*e = ctx->e;
	struct strat_slot	*s;
	const struct order	*o;
	struct errmsg		 own;

	if (err == NULL)
		err = &own;
	if ((s = engine_strat_working(ctx, "strat_modify", h, &o,
	    err)) == NULL || engine_strat_judge(e, s, engine_strat_may(e, s,
	    o->inst, false, err), err) == -1)
		return -1;
	if (engine_strat_change(o, qty, price, limit, err) == -1)
		return engine_strat_judge(e, s, SV_INVALID, err);
	return engine_modify(e, h.id, qty, price, limit, err);
}

int
strat_cancel(struct strat_ctx *ctx, struct strat_order h, struct errmsg *err)
{
	const struct order	*o;
	struct errmsg		 own;

	if (err == NULL)
		err = &own;
	if (engine_strat_working(ctx, "strat_cancel", h, &o, err) == NULL)
		return -1;
	return engine_cancel(ctx->e, h.id, err);
}

/* What is wrong with an intent whatever the market, or 0. */
static int
engine_strat_intent_check(const struct intent *in, struct errmsg *err)
{
	if (in->kind != INTENT_ENTER && in->kind != INTENT_EXIT)
		return errmsg_set(err, "unknown intent %d", (int)in->kind);
	if (in->kind == INTENT_EXIT)
		return 0;
	if (in->side != TD_BUY && in->side != TD_SELL)
		return errmsg_set(err, "side must be buy or sell");
	if (in->qty < 0)
		return errmsg_set(err, "quantity must not be negative");
	if (in->stop_ticks < 0 || in->target_ticks < 0)
		return errmsg_set(err, "stop and target distances must not be "
		    "negative");
	return 0;
}

int
strat_intent(struct strat_ctx *ctx, const struct intent *in)
{
	struct engine		*e = ctx->e;
	struct strat_slot	*s;
	struct engine_entry	 en;
	struct errmsg		 err;
	enum strat_verdict	 v;
	char			 comp[64];
	int			 rc;

	if ((s = engine_strat_caller(ctx, "strat_intent", false,
	    NULL)) == NULL)
		return -1;
	if (in == NULL || engine_strat_intent_check(in, &err) == -1) {
		if (in == NULL)
			errmsg_set(&err, "no intent given");
		return engine_strat_refused(e, s, &err);
	}
	if ((v = engine_strat_may(e, s, td_inst_at(in->inst), in->kind ==
	    INTENT_ENTER, &err)) != SV_OK) {
		if (v == SV_NO)
			engine_log(e, LOG_WARNING, engine_strat_component(s,
			    comp, sizeof comp), 0, "%s refused: %s",
			    in->kind == INTENT_ENTER ? "entry" : "exit",
			    err.msg);
		return engine_strat_judge(e, s, v, &err);
	}
	if (in->kind == INTENT_EXIT) {
		rc = engine_exit(e, td_inst_at(in->inst),
		    td_owner_strat(ctx->slot), ++e->corr,
		    in->why != NULL ? in->why : "strategy exit");
		engine_drain(e);
		return rc;
	}
	if (!engine_strat_filters(e, s, in->inst, in->side, &err))
		return -1;
	en = (struct engine_entry){
		.inst = td_inst_at(in->inst),
		.side = in->side,
		.type = ORD_MARKET,
		.qty = in->qty,
		.br = {
			.stop_ticks = in->stop_ticks,
			.ntargets = in->target_ticks > 0,
			.target_ticks = { in->target_ticks },
		},
		.close_owner = td_owner_strat(ctx->slot),
		.why = in->why,
	};
	if (s->atm != NULL)
		en.br = *s->atm;
	return engine_strat_send(ctx, &en, NULL, NULL);
}

/* ---------------------------------------------------------------- events */

/* What an update of an order says to its strategy; -1: nothing. */
static int
engine_strat_ev_kind(const struct order_update *up)
{
	if (up->fill)
		return up->to == ORD_FILLED ? STRAT_ORDER_FILLED :
		    STRAT_ORDER_PARTIAL;
	switch (up->kind) {
	case VEV_REPLACED:
	case VEV_REDUCED:
		return up->to == up->from ? STRAT_ORDER_MODIFIED : -1;
	case VEV_CANCEL_REJECT:
		return up->order.qty > 0 && !order_mgr_final(up->order.state) ?
		    STRAT_ORDER_REFUSED : -1;
	default:
		break;
	}
	if (up->to == up->from)
		return -1;
	switch (up->to) {
	case ORD_WORKING:
		return STRAT_ORDER_ACCEPTED;
	case ORD_REJECTED:
		return STRAT_ORDER_REJECTED;
	case ORD_CANCELLED:
	case ORD_EXPIRED:
		return STRAT_ORDER_CANCELLED;
	default:
		return -1;
	}
}

static void
engine_strat_emit(struct engine *e, struct strat_slot *s,
    const struct order_update *up, enum strat_order_ev_kind kind)
{
	const struct order	*o = &up->order;
	bool			 fill = kind == STRAT_ORDER_PARTIAL ||
				    kind == STRAT_ORDER_FILLED;
	struct strat_order_ev	 ev = {
		.kind = kind,
		.order = { o->id },
		.parent = { o->role == ROLE_STOP || o->role == ROLE_TARGET ?
		    o->parent : 0 },
		.role = (enum strat_order_role)o->role,
		.inst = o->inst.i,
		.side = o->side,
		.type = (enum strat_order_type)o->type,
		.qty = o->qty,
		.filled = o->filled,
		.price = o->price,
		.fill_qty = fill ? up->qty : 0,
		.fill_price = fill ? up->price : 0,
		.position = s->position[o->inst.i],
		.reason = kind == STRAT_ORDER_REJECTED ||
		    kind == STRAT_ORDER_CANCELLED ||
		    kind == STRAT_ORDER_REFUSED ? up->note : "",
		.time = up->time,
	};

	STRAT_CALL(e, s, on_order, &ev);
}

_Static_assert((int)STRAT_ROLE_ENTRY == (int)ROLE_ENTRY &&
    (int)STRAT_ROLE_EXIT == (int)ROLE_EXIT &&
    (int)STRAT_ROLE_STOP == (int)ROLE_STOP && (int)STRAT_ROLE_TARGET ==
    (int)ROLE_TARGET, "strategy order roles are the order manager's");

/* A fill on inst: the strategies waiting for a flat account look again. */
static void
engine_strat_flat_check(struct engine *e, struct td_inst inst)
{
	for (int i = 0; i < e->nstrat; i++) {
		if (e->strat[i].wait_flat && engine_strat_trades(&e->strat[i],
		    inst))
			engine_strat_flat_now(e, &e->strat[i]);
	}
}

/*
 * One update of an order: its owner's position follows its fills, and
 * the owner hears of it.  An order the venue fills before it said it
 * took it is accepted first, so that every order a strategy hears of
 * begins with ACCEPTED or REJECTED.
 */
void
engine_strat_order(struct engine *e, const struct order_update *up)
{
	const struct order	*o = &up->order;
	struct strat_slot	*s;
	int			 kind;

	if (!td_owner_is_strat(o->owner) ||
	    !td_strat_in(o->owner.strat, e->nstrat))
		s = NULL;
	else
		s = &e->strat[o->owner.strat.i];
	if (s != NULL && up->fill)
		s->position[o->inst.i] += up->side == TD_BUY ? up->qty :
		    -up->qty;
	if (up->fill)
		engine_strat_flat_check(e, o->inst);
	if (s == NULL)
		return;
	if (s->ops->on_order == NULL || (kind = engine_strat_ev_kind(up)) == -1)
		return;
	if (up->fill && up->from == ORD_SUBMITTED)
		engine_strat_emit(e, s, up, STRAT_ORDER_ACCEPTED);
	engine_strat_emit(e, s, up, (enum strat_order_ev_kind)kind);
}

/* ---------------------------------------------------------------- commands */

int
engine_strategy_find(const struct engine *e, const char *name,
    struct td_strat *out)
{
	for (int i = 0; i < e->nstrat; i++) {
		if (strcmp(e->strat[i].cfg->name, name) == 0) {
			*out = td_strat_at(i);
			return 0;
		}
	}
	return -1;
}

int
engine_nstrat(const struct engine *e)
{
	return e->nstrat;
}

const struct strategy_cfg *
engine_strategy_cfg(const struct engine *e, struct td_strat s)
{
	return &e->cfg.strat[s.i];
}

/*
 * A new instance of strategy s takes the old one's place: what the old
 * one asked for (subscriptions, timers, data sources) goes with it, and
 * the new one starts afresh.  Its positions stay: they are its books.
 */
static int
engine_strat_renew(struct engine *e, struct strat_slot *s, void *self,
    struct errmsg *err)
{
	s->ops->destroy(s->self);
	s->self = self;
	engine_strat_free_subs(e, s);
	memset(s->timer, 0, STRAT_MAX_TIMERS * sizeof *s->timer);
	engine_strat_rearm(e);
	s->nsrc = 0;
	s->started = false;
	s->guard.invalid = 0;
	s->guard.why[0] = '\0';
	return engine_strat_default_subs(e, s, err);
}

/*
 * An errored strategy's instance is not trusted again: enabling it makes
 * a new one from its parameters, which starts afresh.
 */
static int
engine_strat_fresh(struct engine *e, struct strat_slot *s,
    struct errmsg *err)
{
	char	 comp[64], why[ERRMSG_MAX];
	void	*self;

	snprintf(why, sizeof why, "%s", s->guard.why);
	if ((self = engine_strat_create(s, err)) == NULL) {
		errmsg_prefix(err, "strategy %s", s->cfg->name);
		return -1;
	}
	if (engine_strat_renew(e, s, self, err) == -1)
		return -1;
	engine_log(e, LOG_WARNING, engine_strat_component(s, comp,
	    sizeof comp), 0, "a new instance replaces the one disabled (%s)",
	    why);
	return 0;
}

int
engine_strategy_enable(struct engine *e, const char *name, bool on,
    struct errmsg *err)
{
	struct td_strat		 id;
	struct strat_slot	*s;
	int			 i;

	if (engine_strategy_find(e, name, &id) == -1)
		return errmsg_set(err, "no strategy '%s'", name);
	if (on && risk_state(e->risk) == TS_KILLED)
		return errmsg_set(err, "trading is KILLED: resume first");
	i = id.i;
	s = &e->strat[i];
	if (on && s->run == STRAT_ERRORED && engine_strat_fresh(e, s,
	    err) == -1)
		return -1;
	/* Disabled, an errored strategy stays errored: its reason stands. */
	if (on || s->run != STRAT_ERRORED)
		engine_strat_run(e, s, on ? STRAT_RUNNING : STRAT_DISABLED);
	e->cfg.strat[i].enabled = on;
	engine_log(e, LOG_INFO, "strategy", 0, "strategy %s %s", name,
	    on ? "enabled" : "disabled");
	/* One enabled after the engine started starts now. */
	if (on && e->started)
		engine_strat_start(e);
	return 0;
}

const char *
engine_strategy_why(const struct engine *e, struct td_strat s)
{
	if (!td_strat_in(s, e->nstrat) || e->strat[s.i].run != STRAT_ERRORED)
		return "";
	return e->strat[s.i].guard.why;
}

int
engine_strategy_invalid(const struct engine *e, struct td_strat s)
{
	if (!td_strat_in(s, e->nstrat) ||
	    e->strat[s.i].guard.invalid_day != e->day)
		return 0;
	return e->strat[s.i].guard.invalid;
}

int
engine_strategy_set(struct engine *e, const char *name, const char *param,
    const char *value, struct errmsg *err)
{
	struct td_strat		 id;
	int			 i, p;
	struct strategy_cfg	*sc;
	struct strat_slot	*s;
	int64_t			 num, saved;
	char			 text[STRAT_STRING_MAX], kept[STRAT_STRING_MAX];
	char			 why[160], shown[STRAT_STRING_MAX + 32], *t;
	void			*self;

	if (engine_strategy_find(e, name, &id) == -1)
		return errmsg_set(err, "no strategy '%s'", name);
	i = id.i;
	s = &e->strat[i];
	sc = &e->cfg.strat[i];
	if ((p = strat_param_index(s->ops, param)) == -1)
		return errmsg_set(err, "strategy %s has no parameter '%s'",
		    name, param);
	if (strat_param_parse(&s->ops->params[p], value, &num, text, why,
	    sizeof why) == -1)
		return errmsg_set(err, "%s: %s", param, why);
	if (s->run == STRAT_RUNNING)
		return errmsg_set(err, "strategy %s is running: disable it "
		    "first", name);
	saved = sc->params[p];
	if ((t = strat_param_text_at(s->ops, sc->param_text, p)) != NULL) {
		memcpy(kept, t, sizeof kept);
		memcpy(t, text, sizeof text);
	}
	sc->params[p] = num;
	if ((self = engine_strat_create(s, err)) == NULL) {
		sc->params[p] = saved;
		if (t != NULL)
			memcpy(t, kept, sizeof kept);
		return -1;
	}
	if (engine_strat_renew(e, s, self, err) == -1) {
		engine_strat_run(e, s, STRAT_ERRORED);
		snprintf(s->guard.why, sizeof s->guard.why, "%s", err->msg);
		return -1;
	}
	/* The instance that broke is gone: the new one waits for enable. */
	if (s->run == STRAT_ERRORED)
		engine_strat_run(e, s, STRAT_DISABLED);
	engine_log(e, LOG_INFO, "strategy", 0, "strategy %s: %s = %s", name,
	    param, strat_param_format(&s->ops->params[p], num, text, shown,
	    sizeof shown));
	return 0;
}
