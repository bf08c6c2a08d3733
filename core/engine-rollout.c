/*
 * engine-rollout.c -- the engine's side of the rollout ladder (rollout.h):
 * the current stage's limits applied to the risk manager, its instruments
 * and size cap applied to new entries, and the events that make its
 * evidence (sessions closed, protective paths, fills and their slippage,
 * critical incidents) journaled and then taken by the ladder.
 *
 * The configured limits stay in e->risk_base; the risk manager holds
 * them with the stage laid over (rollout_limits), so a `risk set` or a
 * stage change recomputes them.  Nothing here runs without a ladder
 * (e->ro NULL): a configuration without rollout.stages trades as before.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "engine-int.h"
#include "errmsg.h"
#include "rollout.h"

const struct rollout *
engine_rollout(const struct engine *e)
{
	return e->ro;
}

/* The trading day of the engine's time, as the journal stamps it. */
static int32_t
engine_rollout_day(const struct engine *e)
{
	return e->now != 0 ? calendar_trading_day(e->cal[0], e->now) : 0;
}

/* Journal ev (in the current stage), then let the ladder take it. */
static void
engine_rollout_event(struct engine *e, struct rollout_event *ev)
{
	struct errmsg	 err;

	ev->time = e->now;
	ev->day = engine_rollout_day(e);
	if (ev->stage == NULL)
		ev->stage = rollout_current(e->ro)->name;
	engine_emit(e, &(struct engine_ev){ .kind = EEV_ROLLOUT,
	    .time = e->now, .rollout = ev }, NULL);
	if (rollout_apply(e->ro, ev, &err) == -1)
		engine_log(e, LOG_ERROR, "rollout", 0, "%s", err.msg);
}

int
engine_rollout_limits(struct engine *e, const struct risk_cfg *base,
    struct errmsg *err)
{
	struct risk_cfg	 eff;

	if (e->ro == NULL)
		return risk_update(e->risk, base, err);
	rollout_limits(e->ro, base, &eff);
	return risk_update(e->risk, &eff, err);
}

int
engine_rollout_move(struct engine *e, int to, const char *who,
    const char *why, struct errmsg *err)
{
	const struct rollout_stage	*from;
	struct rollout_event		 ev;
	char				 unmet[ROLLOUT_EVIDENCE_MAX * 2];
	int				 cur;

	if (e->ro == NULL)
		return errmsg_set(err, "no rollout is configured");
	cur = rollout_index(e->ro);
	if (to < 0 || to >= rollout_config(e->ro)->nstages)
		return errmsg_set(err, "already at the %s stage",
		    to < 0 ? "first" : "last");
	if (to == cur)
		return 0;
	if (to > cur && (strcmp(who, "engine") == 0 || to != cur + 1))
		return errmsg_set(err, "only a person moves the rollout up, "
		    "one stage at a time");
	if (to > cur && rollout_unmet(e->ro, unmet, sizeof unmet)[0] != '\0')
		return errmsg_set(err, "criteria of %s not met: %s",
		    rollout_current(e->ro)->name, unmet);
	from = rollout_current(e->ro);
	ev = (struct rollout_event){ .kind = ROLLOUT_EV_MOVE,
	    .stage = from->name, .to = rollout_config(e->ro)->stage[to].name,
	    .who = who, .why = why };
	engine_rollout_event(e, &ev);
	if (engine_rollout_limits(e, &e->risk_base, err) == -1) {
		engine_log(e, LOG_CRITICAL, "rollout", 0, "stage %s: its "
		    "limits: %s", rollout_current(e->ro)->name, err->msg);
		return -1;
	}
	e->pnl_dirty = true;
	engine_log(e, LOG_WARNING, "rollout", 0, "stage %s -> %s by %s: %s",
	    ev.stage, ev.to, who, why);
	return 0;
}

/* The ladder's start, on the record once: the first stage entered. */
void
engine_rollout_begin(struct engine *e)
{
	struct errmsg	 err;

	if (e->ro == NULL || rollout_begun(e->ro))
		return;
	engine_rollout_event(e, &(struct rollout_event){
	    .kind = ROLLOUT_EV_MOVE, .stage = "",
	    .to = rollout_current(e->ro)->name, .who = "config",
	    .why = "the rollout begins" });
	if (engine_rollout_limits(e, &e->risk_base, &err) == -1)
		engine_log(e, LOG_CRITICAL, "rollout", 0, "%s", err.msg);
}

/* A restart: the journal's rows of the session chain, in order. */
void
engine_rollout_restore(struct engine *e, const struct rollout_event *ev)
{
	struct errmsg	 err;

	if (e->ro == NULL)
		return;
	if (rollout_apply(e->ro, ev, &err) == -1)
		engine_log(e, LOG_CRITICAL, "rollout", 0, "restart: %s; the "
		    "ladder stays at %s", err.msg,
		    rollout_current(e->ro)->name);
}

void
engine_rollout_restored(struct engine *e)
{
	struct errmsg	 err;

	if (e->ro != NULL && engine_rollout_limits(e, &e->risk_base,
	    &err) == -1)
		engine_log(e, LOG_CRITICAL, "rollout", 0, "%s", err.msg);
}

void
engine_rollout_incident(struct engine *e, const char *why)
{
	if (e->ro == NULL)
		return;
	engine_rollout_event(e, &(struct rollout_event){
	    .kind = ROLLOUT_EV_INCIDENT, .why = why });
	engine_log(e, LOG_WARNING, "rollout", 0, "critical incident in stage "
	    "%s: %s", rollout_current(e->ro)->name, why);
}

/*
 * A session closed: it counts when the desk had market data that day,
 * before a restart (the day it went on) or after it.
 */
void
engine_rollout_session(struct engine *e)
{
	if (e->ro != NULL && (e->day_md > 0 || e->ro_day == e->day))
		engine_rollout_event(e, &(struct rollout_event){
		    .kind = ROLLOUT_EV_SESSION });
}

/* The demotion rollout.demote_on asks for, on event d. */
static void
engine_rollout_demote(struct engine *e, enum rollout_demote d,
    const char *why)
{
	struct errmsg	 err;
	const char	*from;
	int		 cur;

	if ((rollout_config(e->ro)->demote_on & (1u << d)) == 0 ||
	    (cur = rollout_index(e->ro)) == 0)
		return;
	from = rollout_current(e->ro)->name;
	if (engine_rollout_move(e, cur - 1, "engine", why, &err) == -1)
		return;
	engine_alert(e, ALERT_WARNING, ALERT_EV_ROLLOUT, "rollout stage %s -> "
	    "%s: %s", from, rollout_current(e->ro)->name, why);
}

void
engine_rollout_breaker(struct engine *e, const char *why)
{
	if (e->ro != NULL)
		engine_rollout_demote(e, ROLLOUT_DEMOTE_BREAKER, why);
}

/* The trading state moved down from before (engine_state_changed). */
void
engine_rollout_state(struct engine *e, enum trading_state before)
{
	enum trading_state	 now = risk_state(e->risk);
	enum risk_reason	 cause = risk_state_cause(e->risk);
	char			 why[RISK_WHY_MAX + 32];

	if (e->ro == NULL || now <= before)
		return;
	if (now == TS_KILLED) {
		snprintf(why, sizeof why, "kill switch by %s: %s",
		    risk_state_who(e->risk), risk_state_why(e->risk));
		engine_rollout_incident(e, why);
		return;
	}
	if (now != TS_HALTED)
		return;
	if (cause == RISK_DAILY_LOSS)
		engine_rollout_event(e, &(struct rollout_event){
		    .kind = ROLLOUT_EV_PATH, .path = ROLLOUT_PATH_DAILY_HALT });
	if (cause == RISK_DAILY_LOSS || cause == RISK_TRAILING_LOSS ||
	    cause == RISK_WEEKLY_LOSS) {
		snprintf(why, sizeof why, "%s limit halted trading",
		    risk_reason_name(cause));
		engine_rollout_demote(e, ROLLOUT_DEMOTE_LOSS_LIMIT, why);
	}
}

/*
 * A fill: a protective path when a stop or a target filled, and its
 * slippage against what was expected (the order's price for a limit or
 * a stop, the last price when a market order was sent; a market order
 * sent before a restart has none and is not judged).
 */
void
engine_rollout_fill(struct engine *e, const struct order_update *up)
{
	const struct order	*o = &up->order;
	td_ticks		 expected;

	if (e->ro == NULL)
		return;
	if (o->role == ROLE_STOP || o->role == ROLE_TARGET)
		engine_rollout_event(e, &(struct rollout_event){
		    .kind = ROLLOUT_EV_PATH, .path = o->role == ROLE_STOP ?
		    ROLLOUT_PATH_STOP : ROLLOUT_PATH_TARGET });
	expected = o->type == ORD_MARKET ? o->ref : o->price;
	if (expected == 0)
		return;
	engine_rollout_event(e, &(struct rollout_event){
	    .kind = ROLLOUT_EV_FILL, .why = order_role_name(o->role),
	    .order_id = o->id, .symbol = e->cfg.inst[up->inst.i].symbol,
	    .expected = expected, .price = up->price,
	    .ticks = rollout_slippage(up->side, expected, up->price) });
}

/*
 * May the current stage open a position in inst?  True, or false with
 * the reason in why (n bytes): the stage does not trade the instrument.
 */
bool
engine_rollout_allows(const struct engine *e, struct td_inst inst, char *why,
    size_t n)
{
	const struct rollout_stage	*st;
	char				 syms[ROLLOUT_MAX_SYMBOLS *
					    (TD_SYMBOL_MAX + 2)];

	if (e->ro == NULL || rollout_allows(e->ro, e->cfg.inst[inst.i].symbol))
		return true;
	st = rollout_current(e->ro);
	snprintf(why, n, "%s is not traded in rollout stage %s (%s only)",
	    e->cfg.inst[inst.i].symbol, st->name,
	    rollout_symbols(st, syms, sizeof syms));
	return false;
}

/* The stage's max_contracts caps what the sizer chose. */
void
engine_rollout_cap(const struct engine *e, int64_t *qty)
{
	int64_t	 cap;

	if (e->ro != NULL && (cap = rollout_current(e->ro)->risk.
	    max_contracts) > 0 && *qty > cap)
		*qty = cap;
}

int
engine_rollout_create(struct engine *e, const struct engine_config *cfg,
    struct errmsg *err)
{
	e->risk_base = cfg->risk;
	if (cfg->rollout.nstages == 0)
		return 0;
	if ((e->ro = rollout_create(&cfg->rollout, err)) == NULL)
		return -1;
	return engine_rollout_limits(e, &e->risk_base, err);
}
