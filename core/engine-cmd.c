/*
 * engine-cmd.c -- the trader's commands on the engine: manual orders,
 * cancel, move, kill, strategies and risk limits at run time.
 *
 * They run on the engine thread (from the runner's command function) and
 * take the same road as the strategies' intents: a manual order goes
 * through the risk manager and the order manager; only orders that reduce
 * a position pass every limit.  Each command gets its own correlation id so
 * the orders and fills it causes can be traced back to it.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "engine-int.h"
#include "errmsg.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "risk.h"

/*
 * Who the closing part of a manual order belongs to: the trader's own
 * position when it covers the quantity, else the strategy holding the
 * largest position it closes (its protective orders shrink first).
 */
static struct td_owner
engine_manual_owner(const struct engine *e, const struct manual_order *m)
{
	int64_t	 manual = portfolio_position(e->pf, m->inst) -
		    engine_strat_position(e, m->inst);
	int	 best = -1;

	if (manual * m->side <= -m->qty)
		return td_owner_manual();
	for (int i = 0; i < e->nstrat; i++) {
		int64_t	 p = e->strat[i].position[m->inst.i];
		int64_t	 b = best == -1 ? 0 :
			    e->strat[best].position[m->inst.i];

		if (p * m->side < 0 && (best == -1 || (p < 0 ? -p : p) >
		    (b < 0 ? -b : b)))
			best = i;
	}
	return best == -1 ? td_owner_manual() :
	    td_owner_strat(td_strat_at(best));
}

/*
 * A stop-limit's limit: above 0, and on its side of the stop (a buy's at
 * or above it, a sell's at or below), or it could never fill once
 * triggered.
 */
int
engine_limit_check(struct engine *e, struct td_inst inst, enum td_side side,
    td_ticks stop, td_ticks limit, struct errmsg *err)
{
	char	 a[32], b[32];
	bool	 buy = side == TD_BUY;

	if (limit <= 0)
		return errmsg_set(err, "a stop-limit needs a limit price above "
		    "0");
	if (buy ? limit >= stop : limit <= stop)
		return 0;
	return errmsg_set(err, "%s stop-limit's limit %s is %s its stop %s",
	    buy ? "buy" : "sell", engine_px(e, inst, limit, a, sizeof a),
	    buy ? "below" : "above", engine_px(e, inst, stop, b, sizeof b));
}

/* A manual order the engine can take at all, before risk judges it. */
static int
engine_manual_check(struct engine *e, const struct manual_order *m,
    struct errmsg *err)
{
	if (!td_inst_in(m->inst, e->cfg.ninst))
		return errmsg_set(err, "unknown instrument");
	if (m->qty <= 0)
		return errmsg_set(err, "quantity must be positive");
	if ((unsigned)m->type >= ORD_NTYPES)
		return errmsg_set(err, "unknown order type %d", (int)m->type);
	if ((unsigned)m->tif >= ORD_NTIFS)
		return errmsg_set(err, "unknown time in force %d",
		    (int)m->tif);
	if (m->type != ORD_MARKET && m->price <= 0)
		return errmsg_set(err, "price must be positive");
	if (m->type == ORD_STOP_LIMIT && engine_limit_check(e, m->inst,
	    m->side, m->price, m->limit, err) == -1)
		return -1;
	return 0;
}

int
engine_manual_order(struct engine *e, const struct manual_order *m,
    uint64_t *id, struct errmsg *err)
{
	struct engine_entry	 en = {
		.inst = m->inst,
		.side = m->side,
		.type = m->type,
		.price = m->price,
		.limit = m->limit,
		.tif = m->tif,
		.qty = m->qty,
		.br = m->br,
		.close_owner = td_owner_manual(),
		.why = "manual",
	};
	uint64_t		 corr = engine_take_corr(e);
	int			 rc;

	if (engine_manual_check(e, m, err) == -1)
		return -1;
	en.close_owner = engine_manual_owner(e, m);
	if (td_owner_is_strat(en.close_owner))
		engine_log(e, LOG_INFO, "orders", corr, "manual order closes "
		    "strategy %s's position", engine_owner_name(e,
		    en.close_owner));
	rc = engine_enter(e, td_owner_manual(), &en, corr, id, err);
	engine_drain(e);
	return rc;
}

/*
 * The bracket protecting inst's position: that of the newest entry with
 * a live leg, or NULL.
 */
static const struct bracket *
engine_position_bracket(struct engine *e, struct td_inst inst)
{
	const struct order	*leg, *entry;

	for (int i = order_mgr_live_count(e->om) - 1; i >= 0; i--) {
		leg = order_mgr_live_at(e->om, i);
		if (td_inst_eq(leg->inst, inst) && (leg->role == ROLE_STOP ||
		    leg->role == ROLE_TARGET) && (entry = order_mgr_find(e->om,
		    leg->parent)) != NULL)
			return &entry->br;
	}
	return NULL;
}

int
engine_reverse(struct engine *e, struct td_inst inst,
    const struct bracket *br, uint64_t *id, struct errmsg *err)
{
	struct bracket		 keep = { 0 };
	const struct bracket	*now;
	struct manual_order	 m;
	int64_t			 pos;

	if (!td_inst_in(inst, e->cfg.ninst))
		return errmsg_set(err, "unknown instrument");
	if ((pos = order_mgr_position(e->om, inst)) == 0)
		return errmsg_set(err, "%s is flat: nothing to reverse",
		    e->cfg.inst[inst.i].symbol);
	if (br == NULL && (now = engine_position_bracket(e, inst)) != NULL)
		keep = *now;
	m = (struct manual_order){
		.inst = inst,
		.side = pos > 0 ? TD_SELL : TD_BUY,
		.type = ORD_MARKET,
		.qty = 2 * (pos < 0 ? -pos : pos),
		.br = br != NULL ? *br : keep,
	};
	/*
	 * The closing half takes its room from the old side's protection,
	 * which the order manager cancels once the position has turned.
	 */
	return engine_manual_order(e, &m, id, err);
}

int
engine_manual_oco(struct engine *e, const struct manual_order *m,
    uint64_t ids[2], struct errmsg *err)
{
	struct engine_entry	 en;
	uint64_t		 corr = engine_take_corr(e), group;
	int64_t			 pos;

	for (int k = 0; k < 2; k++) {
		if (engine_manual_check(e, &m[k], err) == -1)
			return -1;
		pos = order_mgr_position(e->om, m[k].inst);
		if (pos * m[k].side < 0)
			return errmsg_set(err, "the %s would close the %s "
			    "position: an OCO pair is two entries",
			    m[k].side == TD_BUY ? "buy" : "sell",
			    e->cfg.inst[m[k].inst.i].symbol);
	}
	/* An id no order takes: brackets group their legs by entry ids. */
	group = order_mgr_next_id(e->om);
	order_mgr_reserve_ids(e->om, group + 1);
	for (int k = 0; k < 2; k++) {
		en = (struct engine_entry){ .inst = m[k].inst,
		    .side = m[k].side, .type = m[k].type, .price = m[k].price,
		    .limit = m[k].limit, .tif = m[k].tif, .qty = m[k].qty,
		    .br = m[k].br, .close_owner = td_owner_manual(),
		    .oco = group, .why = "manual oco" };
		if (engine_enter(e, td_owner_manual(), &en, corr, &ids[k],
		    err) == 0)
			continue;
		/* Both or neither: the first goes back. */
		if (k == 1)
			order_mgr_cancel(e->om, ids[0], e->now, NULL);
		engine_drain(e);
		return -1;
	}
	engine_drain(e);
	return 0;
}

static struct order *
engine_find_working(struct engine *e, uint64_t id, struct errmsg *err)
{
	struct order	*o = order_mgr_find(e->om, id);

	if (o == NULL || order_mgr_final(o->state)) {
		errmsg_set(err, "no working order %llu",
		    (unsigned long long)id);
		return NULL;
	}
	return o;
}

int
engine_cancel(struct engine *e, uint64_t id, struct errmsg *err)
{
	int	 n;

	if (id == 0) {
		n = order_mgr_cancel_all(e->om, td_inst_all(), td_owner_any(),
		    e->now);
		engine_log(e, LOG_INFO, "orders", 0, "cancel all: %d order%s",
		    n, n == 1 ? "" : "s");
		engine_drain(e);
		return 0;
	}
	if (engine_find_working(e, id, err) == NULL ||
	    order_mgr_cancel(e->om, id, e->now, err) == -1)
		return -1;
	engine_drain(e);
	return 0;
}

/*
 * May working order o's price of this type (a stop-limit's stop is a
 * stop) move from old to price?  A stop must stay on its side of the last
 * price (a buy stop above it, a sell stop below), or it would fill at
 * once; and the new price must lie within the price collar, like a new
 * order's, unless it brings the order nearer the last price than it is
 * (tightening a stop the market has left outside the collar is never
 * refused).  RISK_OK, or the rule broken with the reason in why.
 */
static enum risk_reason
engine_move_check(struct engine *e, const struct order *o,
    enum order_type type, td_ticks old, td_ticks price, char *why, size_t n)
{
	const struct instrument	*inst = &e->cfg.inst[o->inst.i];
	enum risk_reason	 rr;
	char			 a[32], b[32];
	td_ticks		 last;
	bool			 known, buy = o->side == TD_BUY;

	known = portfolio_last(e->pf, o->inst, &last);
	if (known && type == ORD_STOP && (buy ? price <= last :
	    price >= last)) {
		snprintf(why, n, "%s stop %s is not %s the market %s",
		    buy ? "buy" : "sell", engine_px(e, o->inst, price, a,
		    sizeof a), buy ? "above" : "below", engine_px(e, o->inst,
		    last, b, sizeof b));
		return RISK_BAD_ORDER;
	}
	rr = risk_check_collar(e->risk, e->pf, inst, o->inst, type, price,
	    why, n);
	if (rr != RISK_OK && known && (price > last ? price - last :
	    last - price) < (old > last ? old - last : last - old))
		rr = RISK_OK;
	return rr;
}

/*
 * A bigger entry opens more: the risk manager judges what it adds, as
 * for a new order.  Exits and legs are the order manager's to judge.
 */
static int
engine_modify_risk(struct engine *e, const struct order *o, int64_t qty,
    struct errmsg *err)
{
	struct engine_entry	 en = {
		.inst = o->inst,
		.side = o->side,
		.type = o->type,
		.price = o->price,
		.limit = o->limit,
		.tif = o->tif,
		.br = o->br,
	};
	int64_t			 had = o->want > o->qty ? o->want : o->qty;

	if (o->role != ROLE_ENTRY || qty <= had)
		return 0;
	return engine_risk(e, &en, qty - had, order_mgr_position(e->om,
	    o->inst), engine_take_corr(e), err);
}

int
engine_modify(struct engine *e, uint64_t id, int64_t qty, td_ticks price,
    td_ticks limit, struct errmsg *err)
{
	struct order		*o;
	enum risk_reason	 rr = RISK_OK;
	enum order_type		 type;
	char			 why[RISK_WHY_MAX];

	if ((o = engine_find_working(e, id, err)) == NULL)
		return -1;
	if (qty < 0 || price < 0 || limit < 0)
		return errmsg_set(err, "quantity and prices must be positive");
	if (qty == 0 && price == 0 && limit == 0)
		return errmsg_set(err, "nothing to change");
	if (o->type == ORD_MARKET && (price != 0 || limit != 0))
		return errmsg_set(err, "order %llu is a market order",
		    (unsigned long long)id);
	if (limit != 0 && o->type != ORD_STOP_LIMIT)
		return errmsg_set(err, "order %llu is a %s order: only a "
		    "stop-limit has a limit price", (unsigned long long)id,
		    order_type_name(o->type));
	if (o->type == ORD_STOP_LIMIT && engine_limit_check(e, o->inst,
	    o->side, price != 0 ? price : o->price, limit != 0 ? limit :
	    o->limit, err) == -1)
		return -1;
	type = o->type == ORD_STOP_LIMIT ? ORD_STOP : o->type;
	if (price != 0)
		rr = engine_move_check(e, o, type, o->price, price, why,
		    sizeof why);
	if (rr == RISK_OK && limit != 0)
		rr = engine_move_check(e, o, ORD_LIMIT, o->limit, limit, why,
		    sizeof why);
	if (rr != RISK_OK) {
		uint64_t	 corr = engine_take_corr(e);

		if (!engine_for_command(e, corr))
			engine_log(e, LOG_WARNING, "risk", corr, "move of "
			    "order %llu refused: %s (%s)",
			    (unsigned long long)id, why, risk_reason_name(rr));
		return errmsg_set(err, "refused: %s", why);
	}
	if (qty > 0 && engine_modify_risk(e, o, qty, err) == -1)
		return -1;
	if (order_mgr_replace_limit(e->om, id, qty, price, limit, e->now,
	    err) == -1)
		return -1;
	engine_drain(e);
	return 0;
}

int
engine_move(struct engine *e, uint64_t id, td_ticks price,
    struct errmsg *err)
{
	if (price <= 0)
		return errmsg_set(err, "price must be positive");
	return engine_modify(e, id, 0, price, 0, err);
}

void
engine_kill(struct engine *e, const char *who)
{
	struct errmsg		 err;

	enum trading_state	 before = risk_state(e->risk);

	if (risk_set_state(e->risk, TS_KILLED, who, "kill switch", e->now,
	    &err) == -1)
		engine_log(e, LOG_CRITICAL, "risk", 0, "kill: %s", err.msg);
	engine_state_changed(e, before);
	engine_log(e, LOG_CRITICAL, "risk", 0, "KILL by %s: cancel all, "
	    "flatten all, strategies stopped", who);
	engine_alert(e, ALERT_CRITICAL, ALERT_EV_KILL, "kill switch by %s: "
	    "every order cancelled, every position flattened, strategies "
	    "stopped", who);
	for (int i = 0; i < e->nstrat; i++) {
		if (e->strat[i].run == STRAT_RUNNING)
			engine_strat_run(e, &e->strat[i], STRAT_DISABLED);
	}
	engine_flatten(e, td_inst_all(), "kill");
	if (e->venue->ops->kill != NULL) {
		e->venue->ops->kill(e->venue->ctx, e->now);
		engine_drain(e);
	}
}

int
engine_risk_set(struct engine *e, const char *limit, int64_t value,
    bool confirmed, struct errmsg *err)
{
	const struct risk_limit	*l = risk_limit_find(limit);
	struct risk_cfg		 c = e->risk_base;
	char			 was[RISK_LIMIT_FMT_MAX];
	char			 to[RISK_LIMIT_FMT_MAX];
	int64_t			 old;

	if (l == NULL)
		return errmsg_set(err, "no risk limit '%s'", limit);
	if ((l->flags & RISK_LIMIT_LIVE) == 0)
		return errmsg_set(err, "%s cannot change while trading "
		    "(restart to apply)", limit);
	old = risk_limit_get(l, &c);
	if (risk_limit_set(l, &c, value, err) == -1)
		return -1;
	risk_limit_format(l, old, RISK_FMT_SHOW, was, sizeof was);
	risk_limit_format(l, value, RISK_FMT_SHOW, to, sizeof to);
	if (risk_limit_loosens(l, old, value) && !confirmed &&
	    portfolio_open_positions(e->pf) > 0) {
		errmsg_set(err, "loosen %s from %s to %s with positions open?",
		    limit, was, to);
		return 1;
	}
	/* No window, no throttle: risk_update refuses one without. */
	if (l == &risk_limits()[RISK_LIM_THROTTLE_SECONDS] && value == 0)
		c.throttle_orders = 0;
	if (engine_rollout_limits(e, &c, err) == -1)
		return -1;
	e->risk_base = c;
	e->pnl_dirty = true;
	engine_log(e, LOG_WARNING, "risk", 0, "risk limit %s: %s -> %s",
	    limit, was, to);
	return 0;
}

const struct risk_cfg *
engine_risk_cfg(const struct engine *e)
{
	return risk_config(e->risk);
}

/*
 * The stale-feed guard's view of instrument i at t: false when the guard
 * does not watch it then (its session is not open, or it has had no
 * market data yet).  The guard and the snapshot both take it from here.
 */
bool
engine_feed(const struct engine *e, int i, td_ns t, struct risk_feed *f)
{
	const struct inst_state	*is = &e->is[i];
	const struct calendar	*cal = e->cal[is->cal];
	td_ns			 close;

	if (!is->has_last || calendar_phase(cal, t) != CAL_RTH ||
	    calendar_rth(cal, calendar_trading_day(cal, t), &f->open,
	    &close) == -1)
		return false;
	f->symbol = e->cfg.inst[i].symbol;
	f->last = is->last_md;
	f->every = is->md_every;
	return true;
}

void
engine_advance(struct engine *e, td_ns now)
{
	enum trading_state	 before = risk_state(e->risk);
	struct risk_feed	 f;

	if (!e->started || now < e->now || now < e->clock)
		return;
	e->cmd_corr = 0;
	engine_timers(e, now);
	e->clock = now;
	for (int i = 0; i < e->cfg.ninst; i++) {
		if (engine_feed(e, i, now, &f))
			risk_on_clock(e->risk, now, &f);
	}
	if (risk_state(e->risk) != before)
		engine_log(e, LOG_CRITICAL, "risk", 0, "state %s: %s",
		    trading_state_name(risk_state(e->risk)),
		    risk_state_why(e->risk));
	engine_state_changed(e, before);
	engine_watch_venue(e);
}

/* ---------------------------------------------------------------- journal */

/* Tell the journal when the trading state moved since `before`. */
void
engine_state_changed(struct engine *e, enum trading_state before)
{
	enum trading_state	 now = risk_state(e->risk);

	if (now == before)
		return;
	e->pnl_dirty = true;
	engine_emit(e, &(struct engine_ev){ .kind = EEV_STATE, .time = e->now,
	    .state_from = before, .state_to = now,
	    .who = risk_state_who(e->risk), .text = risk_state_why(e->risk) },
	    NULL);
	engine_rollout_state(e, before);
}

uint64_t
engine_note_command(struct engine *e, const char *line)
{
	uint64_t	 corr = ++e->corr;

	engine_emit(e, &(struct engine_ev){ .kind = EEV_COMMAND,
	    .time = e->now, .corr = corr, .text = line }, NULL);
	engine_log(e, LOG_INFO, "command", corr, "%s", line);
	e->cmd_corr = corr;
	e->last_cmd = corr;
	return corr;
}

/*
 * Is corr that of the last command?  Why its order was refused is then
 * the command's answer to the person who gave it, not a log line too:
 * each refusal is said once (and journaled, EEV_REFUSED, as any is).
 */
bool
engine_for_command(const struct engine *e, uint64_t corr)
{
	return corr != 0 && corr == e->last_cmd;
}

/*
 * The correlation id for what is about to happen: the command's when one is
 * being run (so its orders and fills trace back to it), else a new one.
 */
uint64_t
engine_take_corr(struct engine *e)
{
	uint64_t	 corr = e->cmd_corr != 0 ? e->cmd_corr : ++e->corr;

	e->cmd_corr = 0;
	return corr;
}
