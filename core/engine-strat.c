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
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "errmsg.h"
#include "order-mgr.h"

#include "engine-int.h"

_Static_assert(STRAT_MAX_TARGETS == OM_MAX_TARGETS,
    "a strategy's bracket has as many targets as the order manager's");

/* ---------------------------------------------------------------- slots */

int
engine_strat_setup(struct engine *e, struct errmsg *err)
{
	const struct strat_registry	*reg = e->cfg.strategies != NULL ?
					    e->cfg.strategies :
					    strat_registry_builtin();

	for (int i = 0; i < e->cfg.nstrat; i++) {
		const struct strategy_cfg	*sc = &e->cfg.strat[i];
		struct strat_slot		*s = &e->strat[i];

		if ((s->ops = strat_registry_find(reg, sc->type)) == NULL)
			return errmsg_set(err, "strategy %s: unknown type '%s'",
			    sc->name, sc->type);
		if ((s->inst = engine_inst_index(e, sc->symbol)) == -1)
			return errmsg_set(err, "strategy %s: unknown symbol "
			    "'%s'", sc->name, sc->symbol);
		s->cfg = sc;
		if (sc->atm[0] != '\0' &&
		    (s->atm = engine_atm(e, sc->atm)) == NULL)
			return errmsg_set(err, "strategy %s: no bracket "
			    "template (atm) '%s'", sc->name, sc->atm);
		s->ctx.e = e;
		s->ctx.slot = i;
		s->run = sc->enabled ? STRAT_RUNNING : STRAT_DISABLED;
		if (s->ops->on_tick != NULL)
			e->is[s->inst].tick_strats++;
		s->self = s->ops->create(sc->params, s->inst, err);
		if (s->self == NULL) {
			errmsg_prefix(err, "strategy %s", sc->name);
			return -1;
		}
		e->nstrat = i + 1;
	}
	return 0;
}

void
engine_strat_free(struct engine *e)
{
	for (int i = 0; i < e->nstrat; i++) {
		if (e->strat[i].ops != NULL && e->strat[i].self != NULL)
			e->strat[i].ops->destroy(e->strat[i].self);
	}
}

/* Does strategy s trade (or may it trade) instrument inst? */
bool
engine_strat_trades(const struct strat_slot *s, int inst)
{
	return s->inst == inst;
}

static const char *
engine_strat_component(const struct strat_slot *s, char *buf, size_t len)
{
	snprintf(buf, len, "strategy:%s", s->cfg->name);
	return buf;
}

/* A callback failed: that strategy stops, the engine goes on. */
void
engine_strat_failed(struct engine *e, struct strat_slot *s,
    const char *callback, const struct errmsg *err)
{
	char	 comp[64];

	s->run = STRAT_ERRORED;
	engine_log(e, LOG_ERROR, engine_strat_component(s, comp, sizeof comp),
	    0, "%s failed, strategy disabled: %s", callback, err->msg);
	engine_alert(e, ALERT_ERROR, ALERT_EV_STRATEGY_ERROR, "strategy %s: "
	    "%s failed, strategy disabled (the others go on): %s",
	    s->cfg->name, callback, err->msg);
}

const struct strategy_ops *
engine_strategy_ops(const struct engine *e, int i)
{
	return e->strat[i].ops;
}

/* Sum of the strategies' positions on an instrument. */
int64_t
engine_strat_position(const struct engine *e, int inst)
{
	int64_t	 sum = 0;

	for (int i = 0; i < e->nstrat; i++)
		sum += e->strat[i].position[inst];
	return sum;
}

/* ---------------------------------------------------------------- context */

td_ns
strat_now(const struct strat_ctx *ctx)
{
	return ctx->e->now;
}

int64_t
strat_position(const struct strat_ctx *ctx, int inst)
{
	if (inst < 0 || inst >= ctx->e->cfg.ninst)
		return 0;
	return ctx->e->strat[ctx->slot].position[inst];
}

char *
strat_format(const struct strat_ctx *ctx, td_ticks px, char *buf, size_t len)
{
	return engine_px(ctx->e, ctx->e->strat[ctx->slot].inst, px, buf, len);
}

void
strat_log(struct strat_ctx *ctx, const char *fmt, ...)
{
	struct engine	*e = ctx->e;
	char		 msg[400], comp[64];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	engine_log(e, LOG_INFO, engine_strat_component(&e->strat[ctx->slot],
	    comp, sizeof comp), e->corr, "%s", msg);
}

/* ---------------------------------------------------------------- orders */

/* May the strategy of ctx send an order on inst now?  -1 and why not. */
static int
engine_strat_may(struct strat_ctx *ctx, int inst, struct errmsg *err)
{
	struct engine		*e = ctx->e;
	const struct strat_slot	*s = &e->strat[ctx->slot];

	if (s->run != STRAT_RUNNING)
		return errmsg_set(err, "strategy %s is not running",
		    s->cfg->name);
	if (inst < 0 || inst >= e->cfg.ninst || !engine_strat_trades(s, inst))
		return errmsg_set(err, "strategy %s: instrument %d is not "
		    "one of its instruments", s->cfg->name, inst);
	return 0;
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
	const struct strat_slot	*s = &e->strat[ctx->slot];

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
		.inst = r->inst,
		.side = r->side,
		/* The two enums list the same types and times in force. */
		.type = (enum order_type)r->type,
		.price = r->type == STRAT_MARKET ? 0 : r->price,
		.limit = r->type == STRAT_STOP_LIMIT ? r->limit : 0,
		.tif = (enum order_tif)r->tif,
		.qty = r->qty,
		.close_owner = ctx->slot,
		.why = r->why != NULL ? r->why : "strategy order",
	};
	if (r->type == STRAT_STOP_LIMIT && engine_limit_check(e, r->inst,
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

	rc = engine_enter(e, ctx->slot, en, ++e->corr, &id, err);
	if (out != NULL)
		out->id = rc == 0 ? id : 0;
	engine_drain(e);
	return rc;
}

int
strat_submit(struct strat_ctx *ctx, const struct strat_order_req *req,
    struct strat_order *out, struct errmsg *err)
{
	struct engine_entry	 en;

	if (out != NULL)
		out->id = 0;
	if (engine_strat_may(ctx, req->inst, err) == -1 ||
	    engine_strat_entry(ctx, req, &en, err) == -1)
		return -1;
	return engine_strat_send(ctx, &en, out, err);
}

/* One of this strategy's working orders, or NULL and why not. */
static const struct order *
engine_strat_own(struct strat_ctx *ctx, struct strat_order h,
    struct errmsg *err)
{
	struct engine		*e = ctx->e;
	const struct order	*o;

	if (h.id == 0 || (o = order_mgr_find(e->om, h.id)) == NULL ||
	    order_mgr_final(o->state)) {
		errmsg_set(err, "no working order %llu",
		    (unsigned long long)h.id);
		return NULL;
	}
	if (o->owner != ctx->slot) {
		errmsg_set(err, "order %llu is not strategy %s's",
		    (unsigned long long)h.id, e->strat[ctx->slot].cfg->name);
		return NULL;
	}
	return o;
}

int
strat_modify(struct strat_ctx *ctx, struct strat_order h, int64_t qty,
    td_ticks price, td_ticks limit, struct errmsg *err)
{
	const struct order	*o;

	if ((o = engine_strat_own(ctx, h, err)) == NULL ||
	    engine_strat_may(ctx, o->inst, err) == -1)
		return -1;
	return engine_modify(ctx->e, h.id, qty, price, limit, err);
}

int
strat_cancel(struct strat_ctx *ctx, struct strat_order h, struct errmsg *err)
{
	if (engine_strat_own(ctx, h, err) == NULL)
		return -1;
	return engine_cancel(ctx->e, h.id, err);
}

int
strat_intent(struct strat_ctx *ctx, const struct intent *in)
{
	struct engine		*e = ctx->e;
	struct strat_slot	*s = &e->strat[ctx->slot];
	struct engine_entry	 en;
	int			 rc;

	if (engine_strat_may(ctx, in->inst, NULL) == -1)
		return -1;
	if (in->kind == INTENT_EXIT) {
		rc = engine_exit(e, in->inst, ctx->slot, ++e->corr,
		    in->why != NULL ? in->why : "strategy exit");
		engine_drain(e);
		return rc;
	}
	en = (struct engine_entry){
		.inst = in->inst,
		.side = in->side,
		.type = ORD_MARKET,
		.qty = in->qty,
		.br = {
			.stop_ticks = in->stop_ticks,
			.ntargets = in->target_ticks > 0,
			.target_ticks = { in->target_ticks },
		},
		.close_owner = ctx->slot,
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
		.inst = o->inst,
		.side = o->side,
		.type = (enum strat_order_type)o->type,
		.qty = o->qty,
		.filled = o->filled,
		.price = o->price,
		.fill_qty = fill ? up->qty : 0,
		.fill_price = fill ? up->price : 0,
		.position = s->position[o->inst],
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

	if (o->owner < 0 || o->owner >= e->nstrat)
		return;
	s = &e->strat[o->owner];
	if (up->fill)
		s->position[o->inst] += up->side == TD_BUY ? up->qty : -up->qty;
	if (s->ops->on_order == NULL || (kind = engine_strat_ev_kind(up)) == -1)
		return;
	if (up->fill && up->from == ORD_SUBMITTED)
		engine_strat_emit(e, s, up, STRAT_ORDER_ACCEPTED);
	engine_strat_emit(e, s, up, (enum strat_order_ev_kind)kind);
}
