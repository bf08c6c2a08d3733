/*
 * engine.c -- the engine loop: one market event at a time.
 *
 * The engine owns the venue (handed in by the caller), the order manager,
 * the portfolio, the trade ledger, the risk manager and the strategies,
 * and is the only place where they meet; it reads the instruments and
 * calendars of a market (handed in and shared, or its own).  It keeps no
 * clock: the time of each market event is the engine's time, so the same
 * code runs a backtest and a live session.
 *
 * For one market event (a bar known at its end, or a tick):
 *   1. session boundaries due by the event's start fire (day and week
 *      resets, session open and close for the strategies);
 *   2. for ticks, a 1-minute bar completed by this tick goes to on_bar;
 *   3. the venue matches working orders against the event and the engine
 *      drains what it says: order manager, portfolio, trade ledger,
 *      strategy fills;
 *   4. the venue settles (later orders wait for the next event), positions
 *      are marked at the last price and the loss limits are checked;
 *   5. strategies see the bar or tick and answer with intents, which take
 *      the road sizer -> risk -> order manager -> venue.
 * Manual orders and flatten take the same road (the sizer is skipped).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barbuild.h"
#include "calendar.h"
#include "engine.h"
#include "errmsg.h"
#include "feed.h"
#include "market.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "risk.h"
#include "rollout.h"
#include "signal-src.h"
#include "sizer.h"
#include "stats.h"
#include "trades.h"
#include "tz.h"
#include "venue.h"

#include "engine-int.h"


/* ---------------------------------------------------------------- logging */

void
engine_log(struct engine *e, enum log_level level, const char *component,
    uint64_t corr, const char *fmt, ...)
{
	struct log_line	 line;
	char		 msg[512];
	va_list		 ap;
	bool		 sink, watch;

	/* Errors feed the breakers whether or not anyone reads the log. */
	sink = e->cfg.log != NULL && level >= e->cfg.log_level;
	watch = level >= LOG_ERROR && e->brk != NULL;
	if (!sink && !watch)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (sink) {
		line.time = e->now;
		line.level = level;
		line.component = component;
		line.corr = corr;
		line.msg = msg;
		e->cfg.log(e->cfg.log_arg, &line);
	}
	if (watch)
		engine_watch_error(e, component, msg);
}

char *
engine_px(const struct engine *e, struct td_inst inst, td_ticks t, char *buf,
    size_t len)
{
	return instrument_format(&e->cfg.inst[inst.i], t, buf, len);
}

/* ---------------------------------------------------------------- setup */

void
engine_config_defaults(struct engine_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->sizing.method = SIZER_FIXED;
	cfg->sizing.contracts = 1;
	cfg->sizing.min_contracts = 1;
	cfg->sizing.max_contracts = 1;
	cfg->order_capacity = 1024;
	cfg->log_level = LOG_INFO;
}

/* Journal before venue: the order manager asks before sending. */
static int
engine_order_note(void *arg, const struct order *o, int from,
    struct errmsg *err)
{
	return engine_emit_order(arg, o, from, err);
}

/* A venue the engine can trade with: the calls it cannot do without. */
static int
engine_check_venue(const struct venue *v, struct errmsg *err)
{
	const struct venue_ops	*ops;

	if (v == NULL || (ops = v->ops) == NULL)
		return errmsg_set(err, "no venue");
	if (ops->submit == NULL || ops->cancel == NULL ||
	    ops->replace == NULL || ops->poll == NULL ||
	    ops->mass_status == NULL || ops->order_status == NULL ||
	    ops->executions == NULL || ops->destroy == NULL)
		return errmsg_set(err, "venue %s: cannot submit, cancel, "
		    "replace, poll, tell its orders and fills, or be freed",
		    ops->name != NULL ? ops->name : "?");
	return 0;
}

/*
 * The counts of cfg's tables, and of its instruments and session
 * templates when the engine is to make its market from them.
 */
static int
engine_check_counts(const struct engine_config *cfg,
    const struct market *given, struct errmsg *err)
{
	if (given == NULL && (cfg->ninst < 1 || cfg->ninst > ENGINE_MAX_INST))
		return errmsg_set(err, "need 1 to %d instruments",
		    ENGINE_MAX_INST);
	if ((given == NULL && (cfg->ncal < 1 || cfg->ncal > ENGINE_MAX_CAL)) ||
	    cfg->nstrat < 0 || cfg->nstrat > ENGINE_MAX_STRAT)
		return errmsg_set(err, "need 1 to %d sessions and at most %d "
		    "strategies", ENGINE_MAX_CAL, ENGINE_MAX_STRAT);
	if (cfg->natm < 0 || cfg->natm > ENGINE_MAX_ATM)
		return errmsg_set(err, "at most %d bracket templates",
		    ENGINE_MAX_ATM);
	if (cfg->nfilter < 0 || cfg->nfilter > ENGINE_MAX_FILTERS)
		return errmsg_set(err, "at most %d filters",
		    ENGINE_MAX_FILTERS);
	for (int i = 0; i < cfg->nfilter; i++) {
		int	 k = 0;

		while (k < cfg->nstrat && strcmp(cfg->strat[k].name,
		    cfg->filter[i].strategy) != 0)
			k++;
		if (k == cfg->nstrat)
			return errmsg_set(err, "filter %d: no strategy '%s'",
			    i + 1, cfg->filter[i].strategy);
	}
	return 0;
}

/* n zeroed entries of size bytes at *pp; none (NULL) when n is 0. */
static int
engine_table(void *pp, int n, size_t size)
{
	void	**p = pp;

	*p = NULL;
	if (n > 0 && (*p = calloc((size_t)n, size)) == NULL)
		return -1;
	return 0;
}

/* The market handed in, or one of the engine's own made from cfg. */
static int
engine_market(struct engine *e, const struct engine_config *cfg,
    const struct market *given, struct errmsg *err)
{
	if (given == NULL) {
		if ((e->own_market = market_create(cfg->inst, cfg->ninst,
		    cfg->cal, cfg->ncal, err)) == NULL)
			return -1;
		given = e->own_market;
	}
	e->market = given;
	e->cfg.ninst = market_ninst(given);
	e->cfg.inst = market_instruments(given);
	e->cfg.ncal = market_ncal(given);
	return 0;
}

/* What the engine keeps of cfg (struct engine_settings). */
static int
engine_keep(struct engine *e, const struct engine_config *cfg,
    struct errmsg *err)
{
	struct engine_settings	*k = &e->cfg;

	if (engine_table(&k->strat, cfg->nstrat, sizeof *k->strat) == -1 ||
	    engine_table(&k->atm, cfg->natm, sizeof *k->atm) == -1 ||
	    engine_table(&k->filter, cfg->nfilter, sizeof *k->filter) == -1)
		return errmsg_set(err, "out of memory");
	if (cfg->nfilter > 0)
		memcpy(k->filter, cfg->filter, (size_t)cfg->nfilter *
		    sizeof *k->filter);
	k->nfilter = cfg->nfilter;
	if (cfg->nstrat > 0)
		memcpy(k->strat, cfg->strat, (size_t)cfg->nstrat *
		    sizeof *k->strat);
	if (cfg->natm > 0)
		memcpy(k->atm, cfg->atm, (size_t)cfg->natm * sizeof *k->atm);
	k->nstrat = cfg->nstrat;
	k->natm = cfg->natm;
	k->order_capacity = cfg->order_capacity;
	k->sizing = cfg->sizing;
	k->breakers = cfg->breakers;
	engine_alert_levels(e, &cfg->alerts);
	k->unattended = cfg->unattended;
	k->on_unprotected = cfg->on_unprotected;
	k->on_link_loss = cfg->on_link_loss;
	k->log_level = cfg->log_level;
	k->log = cfg->log;
	k->log_arg = cfg->log_arg;
	return 0;
}

/*
 * The state of each instrument, calendar and strategy, as many as the
 * market and the configuration have; each strategy's positions are a
 * row of strat_pos.
 */
static int
engine_tables(struct engine *e, struct errmsg *err)
{
	int	 ninst = e->cfg.ninst, ncal = e->cfg.ncal;
	int	 nstrat = e->cfg.nstrat;

	if (engine_table(&e->is, ninst, sizeof *e->is) == -1 ||
	    engine_table(&e->cal, ncal, sizeof *e->cal) == -1 ||
	    engine_table(&e->next, ncal, sizeof *e->next) == -1 ||
	    engine_table(&e->has_next, ncal, sizeof *e->has_next) == -1 ||
	    engine_table(&e->strat, nstrat, sizeof *e->strat) == -1 ||
	    engine_table(&e->strat_pos, nstrat * ninst,
	    sizeof *e->strat_pos) == -1)
		return errmsg_set(err, "out of memory");
	for (int i = 0; i < ncal; i++)
		e->cal[i] = market_calendar(e->market, i);
	for (int i = 0; i < ninst; i++)
		e->is[i].cal = e->cfg.inst[i].calendar;
	for (int i = 0; i < nstrat; i++)
		e->strat[i].position = e->strat_pos + (size_t)i * ninst;
	return 0;
}

struct engine *
engine_create(const struct engine_config *cfg, const struct engine_deps *deps,
    struct errmsg *err)
{
	struct engine	*e;

	if (engine_check_venue(deps != NULL ? deps->venue : NULL, err) == -1 ||
	    engine_check_counts(cfg, deps->market, err) == -1)
		return NULL;
	if ((e = calloc(1, sizeof *e)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	e->strategies = deps->strategies != NULL ? deps->strategies :
	    strat_registry_builtin();
	e->pnl_dirty = true;
	e->ev_market.kind = EEV_MARKET;
	e->ev_bar.kind = EEV_BAR;
	if (engine_market(e, cfg, deps->market, err) == -1 ||
	    engine_keep(e, cfg, err) == -1 || engine_tables(e, err) == -1)
		goto fail;
	for (int i = 0; i < e->cfg.ninst; i++) {
		if ((e->is[i].bars = barbuild_create(1, err)) == NULL)
			goto fail;
	}
	if ((e->om = order_mgr_create(cfg->order_capacity, e->cfg.ninst,
	    deps->venue, err)) == NULL ||
	    (e->pf = portfolio_create(e->cfg.inst, e->cfg.ninst,
	    err)) == NULL ||
	    (e->trades = trades_create(e->cfg.inst, e->cfg.ninst,
	    err)) == NULL ||
	    (e->risk = risk_create(&cfg->risk, err)) == NULL ||
	    engine_rollout_create(e, cfg, err) == -1 ||
	    (e->brk = breaker_create(&cfg->breakers, err)) == NULL)
		goto fail;
	order_mgr_set_note(e->om, engine_order_note, e);
	e->lat_on = cfg->health.latency;
	e->venue_conn = deps->venue->ops->conn == NULL ? VENUE_UP :
	    deps->venue->ops->conn(deps->venue->ctx);
	e->venue_was_up = e->venue_conn == VENUE_UP;
	for (int i = 0; i < e->cfg.natm; i++) {
		if (order_mgr_check_bracket(&e->cfg.atm[i].br, err) == -1) {
			errmsg_prefix(err, "atm %s", e->cfg.atm[i].name);
			goto fail;
		}
	}
	if (engine_strat_setup(e, err) == -1 ||
	    engine_signal_check(e, deps, err) == -1)
		goto fail;
	/* From here on the venue and the model sources are the engine's. */
	e->venue = deps->venue;
	e->models = deps->signals;
	e->nmodels = deps->nsignals;
	return e;

fail:
	engine_free(e);
	return NULL;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	engine_strat_free(e);
	for (int i = 0; i < e->nmodels; i++)
		signal_src_free(e->models[i]);
	free(e->models);
	breaker_free(e->brk);
	risk_free(e->risk);
	rollout_free(e->ro);
	trades_free(e->trades);
	portfolio_free(e->pf);
	order_mgr_free(e->om);
	venue_free(e->venue);
	for (int i = 0; e->is != NULL && i < e->cfg.ninst; i++) {
		barbuild_free(e->is[i].bars);
		free(e->is[i].minute_subs);
	}
	free(e->is);
	free(e->strat_pos);
	free(e->strat);
	free(e->has_next);
	free(e->next);
	free(e->cal);
	free(e->cfg.atm);
	free(e->cfg.filter);
	free(e->cfg.strat);
	signal_last_free(e->sig);
	market_free(e->own_market);
	free(e);
}

const struct bracket *
engine_atm(const struct engine *e, const char *name)
{
	for (int i = 0; i < e->cfg.natm; i++) {
		if (strcmp(e->cfg.atm[i].name, name) == 0)
			return &e->cfg.atm[i].br;
	}
	return NULL;
}

int
engine_inst_find(const struct engine *e, const char *symbol,
    struct td_inst *out)
{
	for (int i = 0; i < e->cfg.ninst; i++) {
		if (strcmp(e->cfg.inst[i].symbol, symbol) == 0) {
			*out = td_inst_at(i);
			return 0;
		}
	}
	return -1;
}

/* ---------------------------------------------------------------- orders */

/* Size an entry: its own quantity, or the sizer's.  -1: refused. */
static int
engine_size(struct engine *e, const struct engine_entry *en, uint64_t corr,
    int64_t *qty, struct errmsg *err)
{
	char	 why[160];
	td_ns	 t0;
	int	 rc;

	if ((*qty = en->qty) != 0)
		return 0;
	t0 = engine_clock(e);
	rc = sizer_qty(&e->cfg.sizing, &e->cfg.inst[en->inst.i],
	    en->br.stop_ticks, qty, why, sizeof why);
	engine_time_stage(e, SNAP_STAGE_SIZING, t0);
	if (rc == 0)
		engine_rollout_cap(e, qty);
	/* A failure inside the sizer refuses the order, nothing more. */
	if (rc == -1) {
		if (!engine_for_command(e, corr))
			engine_log(e, LOG_ERROR, "sizer", corr, "%s", why);
		engine_rejected(e, corr, why);
		return errmsg_set(err, "sizer: %s", why);
	}
	if (*qty == 0) {
		if (!engine_for_command(e, corr))
			engine_log(e, LOG_WARNING, "sizer", corr, "no trade: "
			    "%s", why);
		engine_rejected(e, corr, why);
		return errmsg_set(err, "no trade: %s", why);
	}
	return 0;
}

/* Has inst, at position pos, a position or a working entry? */
static bool
engine_inst_exposed(const struct engine *e, struct td_inst inst, int64_t pos)
{
	return pos != 0 ||
	    order_mgr_working_entry_qty(e->om, inst, TD_BUY) > 0 ||
	    order_mgr_working_entry_qty(e->om, inst, TD_SELL) > 0;
}

/* Instruments with a position or a working entry, inst aside. */
static int
engine_exposed(const struct engine *e, struct td_inst inst)
{
	int	 n = 0;

	for (int i = 0; i < e->cfg.ninst; i++)
		n += i != inst.i && engine_inst_exposed(e, td_inst_at(i),
		    order_mgr_position(e->om, td_inst_at(i)));
	return n;
}

/*
 * The risk manager's word on opening qty from position pos.  It judges a
 * stop-limit as the stop it is until triggered, and then its limit price
 * against the collar like a limit's.
 */
int
engine_risk(struct engine *e, const struct engine_entry *en, int64_t qty,
    int64_t pos, uint64_t corr, struct errmsg *err)
{
	struct inst_state	*is = &e->is[en->inst.i];
	bool			 counted = risk_config(e->risk)->max_positions > 0;
	struct risk_order	 ro;
	struct tz_tm		 tm;
	enum risk_reason	 rr;
	char			 why[160];
	td_ns			 t0;

	tz_to_local(calendar_tz(e->cal[is->cal]), e->now, &tm);
	ro = (struct risk_order){
		.inst = en->inst,
		.side = en->side,
		.type = en->type == ORD_STOP_LIMIT ? ORD_STOP : en->type,
		.qty = qty,
		.price = en->price,
		.stop_ticks = en->br.stop_ticks,
		.position = pos,
		.working_same_side = order_mgr_working_entry_qty(e->om,
		    en->inst, en->side),
		/* Counted only for the limit that reads them. */
		.exposed = counted ? engine_exposed(e, en->inst) : 0,
		.inst_exposed = counted && engine_inst_exposed(e, en->inst,
		    pos),
		.tod = tm.hour * 60 + tm.min,
		.now = e->now,
	};
	if (!engine_rollout_allows(e, en->inst, why, sizeof why)) {
		if (!engine_for_command(e, corr))
			engine_log(e, LOG_WARNING, "rollout", corr, "order "
			    "refused: %s", why);
		engine_rejected(e, corr, why);
		return errmsg_set(err, "order refused: %s", why);
	}
	t0 = engine_clock(e);
	rr = risk_check(e->risk, e->pf, &e->cfg.inst[en->inst.i], &ro, why,
	    sizeof why);
	if (rr == RISK_OK && en->type == ORD_STOP_LIMIT)
		rr = risk_check_collar(e->risk, e->pf, &e->cfg.inst[en->inst.i],
		    en->inst, ORD_LIMIT, en->limit, why, sizeof why);
	engine_time_stage(e, SNAP_STAGE_RISK, t0);
	if (rr == RISK_OK)
		return 0;
	if (!engine_for_command(e, corr))
		engine_log(e, LOG_WARNING, "risk", corr, "order refused: %s "
		    "(%s)", why, risk_reason_name(rr));
	engine_rejected(e, corr, why);
	return errmsg_set(err, "order refused: %s", why);
}

/*
 * Hand one order to the order manager (which journals it before the
 * venue sees it).  NULL with the reason in err.
 */
static struct order *
engine_send(struct engine *e, const struct order_req *req, const char *why,
    struct errmsg *err)
{
	struct order	*o;
	td_ns		 t0 = engine_clock(e);

	o = order_mgr_submit(e->om, req, e->now, err);
	engine_time_stage(e, SNAP_STAGE_SUBMIT, t0);
	if (o == NULL)
		errmsg_prefix(err, "%s", e->cfg.inst[req->inst.i].symbol);
	if (o == NULL || o->state == ORD_REJECTED) {
		if (!engine_for_command(e, req->corr))
			engine_log(e, o == NULL ? LOG_WARNING : LOG_ERROR,
			    "orders", req->corr, "%s", err->msg);
		engine_rejected(e, req->corr, err->msg);
		return NULL;
	}
	engine_accepted(e);
	/* What a market order is expected to fill at: the last price. */
	if (o->type == ORD_MARKET && e->is[o->inst.i].has_last)
		o->ref = e->is[o->inst.i].last;
	if (why != NULL && req->role == ROLE_EXIT)
		snprintf(o->reason, sizeof o->reason, "%s", why);
	risk_note_order(e->risk, e->now);
	return o;
}

static void
engine_log_order(struct engine *e, const struct order *o, const char *why)
{
	char	 px[32], a[32], lim[48] = "", tif[8] = "";

	if (o->type == ORD_STOP_LIMIT)
		snprintf(lim, sizeof lim, " limit %s", engine_px(e, o->inst,
		    o->limit, a, sizeof a));
	/* GTC, the strategies' own, goes without saying. */
	if (o->tif != TIF_GTC)
		snprintf(tif, sizeof tif, " %s", order_tif_name(o->tif));
	engine_log(e, LOG_INFO, "orders", o->corr, "order %llu: %s %lld %s "
	    "%s%s%s%s%s %s%s stop %d target %d: %s", (unsigned long long)o->id,
	    o->side == TD_BUY ? "buy" : "sell", (long long)o->qty,
	    e->cfg.inst[o->inst.i].symbol, order_type_name(o->type),
	    o->type == ORD_MARKET ? "" : " ", o->type == ORD_MARKET ? "" :
	    engine_px(e, o->inst, o->price, px, sizeof px), lim, tif,
	    order_role_name(o->role), o->role == ROLE_ENTRY ? "," : "",
	    o->br.stop_ticks, o->br.ntargets > 0 ? o->br.target_ticks[0] : 0,
	    why != NULL ? why : "manual");
}

/*
 * Entry: sizer (unless a quantity is given), risk, order manager.  An
 * order against the position is split: the part that closes it goes as
 * an exit of close_owner (reduce-only, never blocked by a risk rule), the
 * rest as an entry with the bracket, judged by the risk manager from the
 * position the exit leaves before either part is sent.
 */
int
engine_enter(struct engine *e, struct td_owner owner,
    const struct engine_entry *en, uint64_t corr, uint64_t *id,
    struct errmsg *err)
{
	struct order_req	 req;
	struct order		*o = NULL;
	struct errmsg		 own;
	int64_t			 qty, pos, close;

	/* A strategy's intent gives no err; the messages below need one. */
	if (err == NULL)
		err = &own;
	if (engine_size(e, en, corr, &qty, err) == -1)
		return -1;
	pos = order_mgr_position(e->om, en->inst);
	close = pos * en->side < 0 ? (qty < -pos * en->side ? qty :
	    -pos * en->side) : 0;
	if (qty > close && engine_risk(e, en, qty - close, pos + en->side *
	    close, corr, err) == -1)
		return -1;
	req = (struct order_req){
		.inst = en->inst,
		.side = en->side,
		.type = en->type,
		.price = en->price,
		.limit = en->limit,
		.tif = en->tif,
		.corr = corr,
	};
	if (close > 0) {
		req.qty = close;
		req.role = ROLE_EXIT;
		req.owner = en->close_owner;
		if ((o = engine_send(e, &req, en->why, err)) == NULL)
			return -1;
		engine_log_order(e, o, en->why);
	}
	if (qty > close) {
		req.qty = qty - close;
		req.role = ROLE_ENTRY;
		req.owner = owner;
		req.br = en->br;
		req.oco = en->oco;
		if ((o = engine_send(e, &req, en->why, err)) == NULL)
			return -1;
		engine_log_order(e, o, en->why);
	}
	if (id != NULL)
		*id = o->id;
	return 0;
}

/*
 * Before closing at market: cancel the selected owners' orders on inst,
 * but for the market exits already closing it -- cancelling one only to
 * send another would leave a moment with neither.
 */
static void
engine_cancel_for_exit(struct engine *e, struct td_inst inst,
    struct td_owner_sel owners)
{
	for (int i = 0; i < order_mgr_live_count(e->om); i++) {
		const struct order	*o = order_mgr_live_at(e->om, i);

		if (!td_inst_eq(o->inst, inst) ||
		    !td_owner_sel_has(owners, o->owner) ||
		    o->cancel_pending || (o->role == ROLE_EXIT &&
		    o->type == ORD_MARKET))
			continue;
		order_mgr_cancel(e->om, o->id, e->now, NULL);
	}
}

/* What of the account's position on inst no market exit is closing. */
static int64_t
engine_unclosed(const struct engine *e, struct td_inst inst)
{
	int64_t	 acct = order_mgr_position(e->om, inst);

	return (acct < 0 ? -acct : acct) -
	    order_mgr_market_exit_qty(e->om, inst);
}

/* Close qty of the account's position on inst at market, for owner. */
static int
engine_market_exit(struct engine *e, struct td_inst inst,
    struct td_owner owner, int64_t qty, uint64_t corr, const char *why)
{
	struct order_req	 req = {
		.inst = inst,
		.side = order_mgr_position(e->om, inst) > 0 ? TD_SELL : TD_BUY,
		.type = ORD_MARKET,
		.qty = qty,
		.role = ROLE_EXIT,
		.owner = owner,
		.corr = corr,
	};
	struct errmsg		 err;

	if (engine_send(e, &req, why, &err) == NULL) {
		engine_log(e, LOG_CRITICAL, "orders", corr, "exit of %s "
		    "failed: %s", e->cfg.inst[inst.i].symbol, err.msg);
		return -1;
	}
	engine_log(e, LOG_INFO, "orders", corr, "%s %lld %s mkt: %s",
	    req.side == TD_BUY ? "buy" : "sell", (long long)qty,
	    e->cfg.inst[inst.i].symbol, why);
	return 0;
}

/* What the owner's market exits on inst have left to close. */
static int64_t
engine_exiting(const struct engine *e, struct td_inst inst,
    struct td_owner owner)
{
	int	 n = order_mgr_live_count(e->om);
	int64_t	 qty = 0;

	for (int i = 0; i < n; i++) {
		const struct order	*o = order_mgr_live_at(e->om, i);

		if (td_inst_eq(o->inst, inst) && td_owner_eq(o->owner, owner) &&
		    o->role == ROLE_EXIT && o->type == ORD_MARKET &&
		    !o->cancel_pending)
			qty += o->qty - o->filled;
	}
	return qty;
}

/*
 * Close one owner's position on an instrument at market: what its market
 * exits already on their way do not close goes in a new one, then its
 * working orders are cancelled so that no stop can fill after the exit.
 * Exits only reduce the account's position, so no risk rule, halt or
 * kill can block them; an owner whose books disagree with the account
 * closes no more than the account holds on its side.
 */
int
engine_exit(struct engine *e, struct td_inst inst, struct td_owner owner,
    uint64_t corr, const char *why)
{
	int64_t	 pos, acct, open, want;
	int	 rc = 0;

	pos = td_owner_is_strat(owner) ?
	    e->strat[owner.strat.i].position[inst.i] :
	    portfolio_position(e->pf, inst) - engine_strat_position(e, inst);
	acct = order_mgr_position(e->om, inst);
	open = engine_unclosed(e, inst);
	want = (pos < 0 ? -pos : pos) - engine_exiting(e, inst, owner);
	if (pos != 0 && pos * acct > 0 && open > 0 && want > 0)
		rc = engine_market_exit(e, inst, owner, want < open ? want :
		    open, corr, why);
	/*
	 * After the exit, so that its position is never left with neither
	 * (not even by a crash between the two); an exit that could not be
	 * sent leaves the protection where it is.
	 */
	if (rc == 0)
		engine_cancel_for_exit(e, inst, td_owner_only(owner));
	return rc;
}

/*
 * Whatever of the account's position on inst no exit is closing yet (the
 * owners' books may disagree with the account): closed at market too.
 */
static int
engine_exit_rest(struct engine *e, struct td_inst inst, uint64_t corr,
    const char *why)
{
	int64_t	 rest = engine_unclosed(e, inst);

	return rest > 0 ? engine_market_exit(e, inst, td_owner_manual(), rest,
	    corr, why) : 0;
}

int
engine_flatten(struct engine *e, struct td_inst_sel insts, const char *why)
{
	uint64_t corr = engine_take_corr(e);
	int	 rc = 0;

	for (int i = 0; i < e->cfg.ninst; i++) {
		struct td_inst	 inst = td_inst_at(i);

		if (!td_inst_sel_has(insts, inst))
			continue;
		engine_log(e, LOG_WARNING, "orders", corr, "flatten %s: %s",
		    e->cfg.inst[i].symbol, why);
		for (int s = 0; s < e->nstrat; s++) {
			if (engine_strat_trades(&e->strat[s], inst) &&
			    engine_exit(e, inst, td_owner_strat(td_strat_at(s)),
			    corr, why) == -1)
				rc = -1;
		}
		if (engine_exit(e, inst, td_owner_manual(), corr, why) == -1)
			rc = -1;
		if (engine_exit_rest(e, inst, corr, why) == -1)
			rc = -1;
		engine_cancel_for_exit(e, inst, td_owner_any());
	}
	engine_drain(e);
	return rc;
}

int
engine_set_state(struct engine *e, enum trading_state to, const char *who,
    const char *why, struct errmsg *err)
{
	enum trading_state	 from = risk_state(e->risk);
	unsigned		 tripped = breaker_tripped_mask(e->brk);

	if (to < TS_HALTED && to < from && tripped != 0) {
		const char	*name = breaker_name((enum breaker_kind)
				    __builtin_ctz(tripped));

		return errmsg_set(err, "breaker %s is tripped: breaker reset "
		    "%s first", name, name);
	}
	if (risk_may_set_state(e->risk, to, who, err) == -1)
		return -1;
	if (to == from)
		return 0;
	/* A move up that the journal cannot keep does not happen. */
	if (to < from && engine_emit_veto(e, &(struct engine_ev){
	    .kind = EEV_STATE, .time = e->now, .state_from = from,
	    .state_to = to, .who = who, .text = why }, err) == -1) {
		errmsg_prefix(err, "state stays %s: the journal could not "
		    "record the change", trading_state_name(from));
		return -1;
	}
	risk_set_state(e->risk, to, who, why, e->now, err);
	if (to < TS_HALTED)
		e->breaker_halt = false;
	/* A move down holds even when the journal fails. */
	if (to > from)
		engine_state_changed(e, from);
	else
		e->pnl_dirty = true;
	engine_log(e, LOG_WARNING, "risk", 0, "state %s -> %s by %s: %s",
	    trading_state_name(from), trading_state_name(to), who, why);
	return 0;
}

/* ---------------------------------------------------------------- fills */

static const char *
engine_exit_reason(const struct order *o)
{
	if (o->role == ROLE_EXIT && o->reason[0] != '\0')
		return o->reason;
	return order_role_name(o->role);
}

static void
engine_on_fill(struct engine *e, const struct order_update *up)
{
	const struct order	*o = &up->order, *bracket;
	const struct trade	*closed, *ot;
	struct errmsg		 err;
	char			 px[32];

	ot = trades_open(e->trades, up->inst);
	bracket = o->parent != 0 ? order_mgr_take_note(e->om, o->parent) :
	    NULL;
	/* The account first: the fill's event carries the figures after it. */
	if (portfolio_fill(e->pf, up->inst, up->side, up->qty, up->price,
	    up->time, NULL, &err) == PORTFOLIO_REFUSED)
		engine_log(e, LOG_CRITICAL, "portfolio", o->corr, "%s",
		    err.msg);
	engine_emit(e, &(struct engine_ev){ .kind = EEV_FILL, .time = up->time,
	    .corr = o->corr, .order = o, .inst = up->inst,
	    .instrument = &e->cfg.inst[up->inst.i],
	    .owner = engine_owner_name(e, o->owner), .side = up->side,
	    .qty = up->qty, .price = up->price,
	    .trade_high = ot != NULL ? ot->high : 0,
	    .trade_low = ot != NULL ? ot->low : 0, .bracket = bracket }, NULL);
	order_mgr_flush_notes(e->om);
	engine_rollout_fill(e, up);
	e->pnl_dirty = true;
	switch (trades_fill(e->trades, up->inst, o->owner, up->side, up->qty,
	    up->price, up->time, engine_exit_reason(o), &err)) {
	case -1:
		engine_log(e, LOG_ERROR, "trades", o->corr, "%s", err.msg);
		break;
	case 1:
		e->day_trades++;
		closed = trades_get(e->trades, trades_count(e->trades) - 1);
		if (td_owner_is_strat(closed->owner) &&
		    td_strat_in(closed->owner.strat, e->nstrat))
			e->strat[closed->owner.strat.i].day_pnl += closed->net;
		break;
	}
	engine_log(e, LOG_INFO, "fills", o->corr, "%s %lld %s @ %s (%s, "
	    "order %llu)", up->side == TD_BUY ? "bought" : "sold",
	    (long long)up->qty, e->cfg.inst[up->inst.i].symbol,
	    engine_px(e, up->inst, up->price, px, sizeof px),
	    order_role_name(o->role), (unsigned long long)o->id);
	engine_strat_order(e, up);
}

/*
 * The venue refused a position's stop: the position has none.  It is
 * flattened, or trading halts for a person, as the configuration says.
 */
static void
engine_unprotected(struct engine *e, const struct order *o, const char *why)
{
	const char		*sym = e->cfg.inst[o->inst.i].symbol;
	bool			 flatten;
	enum trading_state	 before = risk_state(e->risk);
	struct errmsg		 err;
	char			 text[200];

	flatten = e->cfg.on_unprotected == ENGINE_UNPROT_FLATTEN;
	snprintf(text, sizeof text, "%s position NOT PROTECTED: %s; %s", sym,
	    why, flatten ? "flattening it" : "trading HALTED until resume");
	engine_log(e, LOG_CRITICAL, "orders", o->corr, "%s", text);
	engine_alert(e, ALERT_CRITICAL, ALERT_EV_UNPROTECTED, "%s", text);
	engine_rollout_incident(e, text);
	if (flatten) {
		engine_flatten(e, td_inst_only(o->inst), "not protected");
		return;
	}
	if (before < TS_HALTED && engine_set_state(e, TS_HALTED, "engine",
	    "a stop was refused: position not protected", &err) == -1)
		engine_log(e, LOG_CRITICAL, "risk", 0, "%s", err.msg);
}

static void
engine_on_update(struct engine *e, const struct order_update *up)
{
	const struct order	*o = &up->order;

	if (up->unprotected)
		engine_unprotected(e, o, up->note);
	if (up->fill) {
		engine_on_fill(e, up);
		return;
	}
	if (up->to != up->from || up->kind == VEV_REPLACED)
		engine_emit_order(e, o, (int)up->from, NULL);
	/* The brackets the event changed, recorded after it. */
	order_mgr_flush_notes(e->om);
	if (up->kind == VEV_REPLACED) {
		char	 px[32];

		engine_emit_update(e, o, (int)up->from);
		engine_log(e, LOG_INFO, "orders", o->corr, "order %llu %s: "
		    "now %lld at %s", (unsigned long long)o->id,
		    order_role_name(o->role), (long long)(o->qty - o->filled),
		    o->type == ORD_MARKET ? "market" : engine_px(e, o->inst,
		    o->price, px, sizeof px));
	} else if (o->state == ORD_REJECTED) {
		engine_emit_update(e, o, (int)up->from);
		engine_log(e, LOG_WARNING, "orders", o->corr, "order %llu "
		    "rejected: %s", (unsigned long long)o->id, o->reason);
		engine_rejected(e, o->corr, o->reason);
		engine_venue_error(e);
	} else if (up->kind == VEV_CANCEL_REJECT && o->qty > 0 &&
	    !order_mgr_final(o->state)) {
		/* The venue would not cancel or change a working order. */
		engine_log(e, LOG_WARNING, "orders", o->corr, "order %llu: "
		    "cancel or replace refused by the venue: %s",
		    (unsigned long long)o->id, up->note);
		engine_venue_error(e);
	} else if (up->to != up->from) {
		engine_emit_update(e, o, (int)up->from);
		engine_log(e, LOG_DEBUG, "orders", o->corr, "order %llu %s -> "
		    "%s", (unsigned long long)o->id,
		    order_state_name(up->from), order_state_name(up->to));
	}
	engine_strat_order(e, up);
}

/* What the venue has to say that is no order's event goes to the log. */
static void
engine_venue_notices(struct engine *e)
{
	const struct venue	*v = e->venue;
	char			 line[256];
	int			 level;

	if (v->ops->notice == NULL)
		return;
	while (v->ops->notice(v->ctx, &level, line, sizeof line) == 1)
		engine_log(e, (enum log_level)level, "venue", 0, "%s", line);
}

/* Everything the venue has to say, until it has nothing more. */
void
engine_drain(struct engine *e)
{
	struct order_update	 up;
	struct errmsg		 err;
	int			 rc;

	while ((rc = order_mgr_poll(e->om, &up, &err)) != 0) {
		if (rc == -1) {
			/* An answer that makes no sense: one bad event. */
			engine_log(e, LOG_ERROR, "orders", 0, "%s", err.msg);
			engine_venue_error(e);
		} else
			engine_on_update(e, &up);
	}
	if (e->venue->ops->notice != NULL)
		engine_venue_notices(e);
}

/*
 * One venue event that did not come through poll (a restart replays what
 * the venue did while the engine was away), taken as a polled one is;
 * then whatever the venue says in reply.
 */
void
engine_venue_event(struct engine *e, const struct venue_event *ev)
{
	struct order_update	 up;
	struct errmsg		 err;

	if (order_mgr_on_event(e->om, ev, &up, &err) == -1) {
		engine_log(e, LOG_ERROR, "orders", 0, "%s", err.msg);
		engine_venue_error(e);
	} else
		engine_on_update(e, &up);
	engine_drain(e);
}

void
engine_on_venue(struct engine *e)
{
	e->cmd_corr = 0;
	engine_drain(e);
	engine_watch_venue(e);
}

void
engine_venue_run(struct engine *e, td_ns now)
{
	const struct venue	*v = e->venue;

	if (v->ops->run != NULL)
		v->ops->run(v->ctx, now);
	engine_on_venue(e);
}

td_ns
engine_venue_wake(const struct engine *e)
{
	const struct venue	*v = e->venue;

	return v->ops->wake == NULL ? INT64_MAX : v->ops->wake(v->ctx);
}

int
engine_venue_fd(const struct engine *e)
{
	const struct venue	*v = e->venue;

	return v->ops->fd == NULL ? -1 : v->ops->fd(v->ctx);
}

/* Loss limits after a mark or a fill: a breach halts and may flatten. */
static void
engine_check_pnl(struct engine *e)
{
	enum trading_state	 before = risk_state(e->risk);
	enum risk_reason	 rr;
	bool			 flatten = false;
	char			 money[32];
	const char		*what;
	td_cents		 pnl;

	rr = risk_on_pnl(e->risk, e->pf, e->now, &flatten);
	/* Within the limits risk_on_pnl changes nothing: the common case. */
	if (rr == RISK_OK)
		return;
	engine_state_changed(e, before);
	if (risk_state(e->risk) == before && !flatten)
		return;
	/* The figure the limit judged: the week's for the weekly loss. */
	what = risk_loss_pnl(rr, e->pf, &pnl);
	engine_log(e, LOG_CRITICAL, "risk", 0, "%s limit breached at %s %s, "
	    "state %s", risk_reason_name(rr), what, portfolio_format_money(pnl,
	    money, sizeof money), trading_state_name(risk_state(e->risk)));
	engine_alert(e, ALERT_CRITICAL, ALERT_EV_RISK_BREACH, "%s limit "
	    "breached at %s %s: trading %s%s", risk_reason_name(rr), what,
	    money, trading_state_name(risk_state(e->risk)), flatten ?
	    ", flattening" : "");
	if (flatten)
		engine_flatten(e, td_inst_all(), risk_reason_name(rr));
}

/* ---------------------------------------------------------------- sessions */

/* The trading day is over: its figures go to the observers. */
static void
engine_close_day(struct engine *e)
{
	if (e->day == 0)
		return;
	engine_emit(e, &(struct engine_ev){ .kind = EEV_DAY, .time = e->now,
	    .day = &(struct stats_day){ .day = e->day,
	    .net = portfolio_day_pnl(e->pf), .trades = e->day_trades,
	    .no_data = e->day_md == 0 } }, NULL);
}

/*
 * The regular session of calendar cal closed: the DAY orders of its
 * instruments expire at the venue (a broker's exchange expires them
 * itself).  Bracket legs are GTC and stay.
 */
static void
engine_expire_day(struct engine *e, int cal)
{
	const struct venue_ops	*ops = e->venue->ops;
	int			 n;

	if (ops->session_close == NULL)
		return;
	for (int i = 0; i < e->cfg.ninst; i++) {
		if (e->is[i].cal != cal)
			continue;
		if ((n = ops->session_close(e->venue->ctx, i, e->now)) == -1)
			engine_log(e, LOG_ERROR, "orders", 0, "%s: the venue "
			    "cannot expire the day orders now",
			    e->cfg.inst[i].symbol);
		else if (n > 0)
			engine_log(e, LOG_INFO, "orders", 0, "%s: session "
			    "closed, %d day order%s expired",
			    e->cfg.inst[i].symbol, n, n == 1 ? "" : "s");
	}
}

/* The end-of-day summary at the session close, for the log. */
static void
engine_day_summary(struct engine *e, int32_t day)
{
	struct portfolio_account a;
	char			 net[32], comm[32], week[32];

	e->closed_day = day;
	portfolio_get_account(e->pf, &a);
	engine_log(e, LOG_INFO, "session", 0, "end of day %04d-%02d-%02d: %d "
	    "trade%s, day P&L %s, commissions %s, week P&L %s, state %s",
	    (int)(day / 10000), (int)(day / 100 % 100), (int)(day % 100),
	    e->day_trades, e->day_trades == 1 ? "" : "s",
	    portfolio_format_money(a.day_pnl, net, sizeof net),
	    portfolio_format_money(a.day_commissions, comm, sizeof comm),
	    portfolio_format_money(a.week_pnl, week, sizeof week),
	    trading_state_name(risk_state(e->risk)));
}

static void
engine_fire(struct engine *e, int cal, const struct cal_event *ev)
{
	enum trading_state	 state = risk_state(e->risk);

	e->now = ev->time;
	engine_log(e, LOG_DEBUG, "session", 0, "%s %s %d",
	    calendar_cfg(e->cal[cal])->name, calendar_event_name(ev->kind),
	    (int)ev->day);
	switch (ev->kind) {
	case CAL_DAY_START:
		if (cal != 0 || ev->day == e->day)
			break;
		engine_close_day(e);
		e->day = ev->day;
		e->day_trades = 0;
		e->day_md = 0;
		for (int i = 0; i < e->nstrat; i++)
			e->strat[i].day_pnl = 0;
		portfolio_day_start(e->pf);
		risk_day_start(e->risk, e->now, e->cfg.unattended);
		e->pnl_dirty = true;
		engine_health_day(e);
		engine_state_changed(e, state);
		break;
	case CAL_WEEK_START:
		if (cal != 0)
			break;
		portfolio_week_start(e->pf);
		risk_week_start(e->risk, e->now, e->cfg.unattended);
		e->pnl_dirty = true;
		engine_state_changed(e, state);
		break;
	case CAL_RTH_OPEN:
		engine_strat_session(e, cal, ev);
		break;
	case CAL_RTH_CLOSE:
		engine_expire_day(e, cal);
		engine_strat_session(e, cal, ev);
		if (cal == 0) {
			engine_day_summary(e, ev->day);
			engine_rollout_session(e);
		}
		break;
	default:
		break;
	}
	engine_drain(e);
}

/* The calendar whose next boundary comes first, or -1 when none is armed. */
static int
engine_next_cal(const struct engine *e)
{
	int	 best = -1;

	for (int i = 0; i < e->cfg.ncal; i++) {
		if (e->has_next[i] && (best == -1 ||
		    e->next[i].time < e->next[best].time))
			best = i;
	}
	return best;
}

td_ns
engine_next_timer(const struct engine *e)
{
	int	 best = engine_next_cal(e);
	td_ns	 cal = best == -1 ? 0 : e->next[best].time;

	if (e->strat_next != 0 && (cal == 0 || e->strat_next < cal))
		return e->strat_next;
	return cal;
}

void
engine_timer_due(struct engine *e)
{
	e->timer_due = engine_next_timer(e);
}

/*
 * Fire, in time order, every session boundary and strategy timer at or
 * before t; a boundary before a strategy timer of the same time.  Most
 * events have none due: one comparison says so.
 */
void
engine_timers(struct engine *e, td_ns t)
{
	if (e->timer_due == 0 || e->timer_due > t)
		return;
	for (;;) {
		int	 best = engine_next_cal(e);
		bool	 cal = best != -1 && e->next[best].time <= t;
		bool	 strat = e->strat_next != 0 && e->strat_next <= t;

		if (!cal && !strat)
			break;
		if (strat && (!cal || e->strat_next < e->next[best].time)) {
			engine_strat_timer(e);
			continue;
		}
		engine_fire(e, best, &e->next[best]);
		e->has_next[best] = calendar_next_event_after(e->cal[best],
		    &e->next[best], &e->next[best]) == 0;
	}
	engine_timer_due(e);
}

/* The first event: settle on the current trading day, arm the timers. */
static void
engine_start(struct engine *e, td_ns t)
{
	e->started = true;
	e->now = t;
	e->day = calendar_trading_day(e->cal[0], t);
	portfolio_day_start(e->pf);
	portfolio_week_start(e->pf);
	e->pnl_dirty = true;
	/*
	 * Arm the timers from the start of the trading day, so that data
	 * starting just after the open still sees the session open.
	 */
	for (int i = 0; i < e->cfg.ncal; i++) {
		td_ns	 from = t;

		calendar_day_start(e->cal[i], calendar_trading_day(e->cal[i],
		    t), &from);
		e->has_next[i] = calendar_next_event(e->cal[i],
		    (from < t ? from : t) - 1, &e->next[i]) == 0;
	}
	engine_timer_due(e);
	engine_strat_start(e);
	engine_signal_start(e);
}

/* ---------------------------------------------------------------- market */

static inline void
engine_bar_to_strategies(struct engine *e, int inst, const struct td_bar *bar)
{
	td_ns	 t0;

	if (engine_hears(e, EEV_BAR)) {
		e->ev_bar.time = e->now;
		e->ev_bar.inst = td_inst_at(inst);
		e->ev_bar.instrument = &e->cfg.inst[inst];
		e->ev_bar.bar = bar;
		engine_tell(e, &e->ev_bar);
	}
	t0 = engine_clock(e);
	engine_strat_bar(e, inst, bar);
	engine_time_stage(e, SNAP_STAGE_ON_BAR, t0);
	if (e->nmodels > 0)
		engine_signal_bar(e, inst, bar);
}

static inline void
engine_mark(struct engine *e, int inst, td_ticks last)
{
	int64_t	 pos;

	e->is[inst].last = last;
	e->is[inst].has_last = true;
	e->is[inst].last_md = e->now;
	pos = portfolio_mark(e->pf, td_inst_at(inst), last);
	if (order_mgr_on_price(e->om, td_inst_at(inst), last, e->now) > 0) {
		engine_drain(e);
		pos = portfolio_position(e->pf, td_inst_at(inst));
	}
	/*
	 * Marking a flat instrument moves no P&L figure: unless something
	 * else did since the last check, the limits would say the same.
	 */
	if (e->pnl_dirty || pos != 0) {
		e->pnl_dirty = false;
		engine_check_pnl(e);
		engine_watch_pnl(e);
	}
}

/*
 * The venue matches md (the caller's event as it came: no copy, the venue
 * reads it in place); what it says back is taken before settle, when it
 * says there may be something (with nothing working, nothing is, and the
 * event is settled already).
 */
static inline void
engine_venue_md(struct engine *e, const struct td_md *md)
{
	const struct venue	*v = e->venue;

	if (v->ops->on_market(v->ctx, md) != 0) {
		engine_drain(e);
		v->ops->settle(v->ctx);
	}
}

static void
engine_on_bar(struct engine *e, const struct td_md *md)
{
	e->is[md->inst].md_every = md->bar.end - md->bar.start;
	engine_venue_md(e, md);
	engine_mark(e, md->inst, md->bar.close);
	engine_bar_to_strategies(e, md->inst, &md->bar);
	/* What the open trade saw of it: its excursions. */
	trades_mark(e->trades, td_inst_at(md->inst), md->bar.high,
	    md->bar.low);
}

static void
engine_on_tick(struct engine *e, const struct td_md *md)
{
	struct inst_state	*is = &e->is[md->inst];
	struct td_bar		 bar;
	td_ns			 t0;

	is->md_every = 0;
	if (barbuild_due(is->bars, md->tick.time, &bar) == 1)
		engine_bar_to_strategies(e, md->inst, &bar);
	if (is->sec_subs > 0)
		engine_strat_tick_bars(e, md->inst, md->tick.time);
	engine_venue_md(e, md);
	engine_mark(e, md->inst, md->tick.price);
	/* Most ticks go to no strategy: no clock read for an empty loop. */
	if (is->tick_subs > 0 || is->sec_subs > 0) {
		t0 = is->tick_subs > 0 ? engine_clock(e) : 0;
		engine_strat_tick(e, md->inst, &md->tick);
		engine_time_stage(e, SNAP_STAGE_ON_BAR, t0);
	}
	barbuild_tick(is->bars, &md->tick);
	trades_mark(e->trades, td_inst_at(md->inst), md->tick.price,
	    md->tick.price);
}

int
engine_on_market(struct engine *e, const struct td_md *md, struct errmsg *err)
{
	td_ns	 t = td_md_time(md), t0;

	if (md->inst < 0 || md->inst >= e->cfg.ninst)
		return errmsg_set(err, "market event for unknown instrument "
		    "%d", md->inst);
	if (e->started && t < e->now)
		return errmsg_set(err, "market event goes back in time");
	t0 = engine_clock(e);
	e->cmd_corr = 0;	/* a command's id ends with the command */
	/* Nearly always nothing to sweep: one load says so, no call. */
	if (atomic_load_explicit(&e->strat_breach, memory_order_acquire))
		engine_strat_sweep(e);
	if (!e->started)
		engine_start(e, td_md_start(md));
	engine_timers(e, td_md_start(md));
	e->day_md++;		/* after the timers: the day it falls in */
	e->now = t;
	/*
	 * No drain after this: every step above that speaks to the venue
	 * (matching, settling, intents, flatten, timers) drains right after
	 * it, so nothing is left to say.
	 */
	if (md->kind == TD_MD_BAR)
		engine_on_bar(e, md);
	else
		engine_on_tick(e, md);
	if (engine_hears(e, EEV_MARKET)) {
		e->ev_market.time = e->now;
		e->ev_market.inst = td_inst_at(md->inst);
		engine_tell(e, &e->ev_market);
	}
	engine_watch_venue(e);
	if (t0 != 0)
		engine_watch_event(e, t0);
	return 0;
}

int
engine_run(struct engine *e, struct feed *feed, struct errmsg *err)
{
	struct td_md	 md;
	int		 rc;

	while ((rc = feed_next(feed, &md, err)) == 1) {
		if (engine_on_market(e, &md, err) == -1)
			return -1;
	}
	if (rc == -1)
		return -1;
	engine_finish(e, e->now);
	return 0;
}

void
engine_finish(struct engine *e, td_ns end)
{
	char	 px[32];

	if (!e->started)
		return;
	engine_timers(e, end);
	for (int i = 0; i < e->cfg.ninst; i++) {
		struct td_bar	 bar;

		if (barbuild_flush(e->is[i].bars, &bar) == 1)
			engine_bar_to_strategies(e, i, &bar);
		if (portfolio_position(e->pf, td_inst_at(i)) != 0)
			engine_log(e, LOG_WARNING, "engine", 0, "end of data "
			    "with %s position %lld, marked at %s",
			    e->cfg.inst[i].symbol,
			    (long long)portfolio_position(e->pf, td_inst_at(i)),
			    engine_px(e, td_inst_at(i), e->is[i].last, px,
			    sizeof px));
	}
	engine_strat_finish(e);
	engine_drain(e);
	engine_close_day(e);
	e->day = 0;
	e->started = false;
}

/* ---------------------------------------------------------------- queries */

void
engine_set_log(struct engine *e, log_fn fn, void *arg, enum log_level level)
{
	e->cfg.log = fn;
	e->cfg.log_arg = arg;
	e->cfg.log_level = level;
}

td_ns
engine_now(const struct engine *e)
{
	return e->now;
}

bool
engine_started(const struct engine *e)
{
	return e->started;
}

const struct portfolio *
engine_portfolio(const struct engine *e)
{
	return e->pf;
}

const struct trades *
engine_trades(const struct engine *e)
{
	return e->trades;
}

const struct order_mgr *
engine_orders(const struct engine *e)
{
	return e->om;
}

const struct instrument *
engine_instrument(const struct engine *e, struct td_inst inst)
{
	return &e->cfg.inst[inst.i];
}

const struct calendar *
engine_calendar(const struct engine *e, int i)
{
	return e->cal[i];
}

int
engine_ninst(const struct engine *e)
{
	return e->cfg.ninst;
}

enum trading_state
engine_state(const struct engine *e)
{
	return risk_state(e->risk);
}

const struct breaker *
engine_breaker(const struct engine *e)
{
	return e->brk;
}
