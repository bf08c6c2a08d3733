/*
 * engine-health.c -- what keeps an unattended engine safe and observable:
 * the circuit breakers, the alerts it raises, and the timings of its
 * stages.
 *
 * The loop (engine.c) reports here as things happen: an order refused,
 * an order accepted, a venue error, a line logged at error level, a mark,
 * the end of each market event.  Each report is a few comparisons and
 * allocates nothing; only a trip, an alert or a latency outlier does more.
 * What only describes (orders refused, events, the stages' timings) goes
 * out as events to the observers (health-obs.h keeps the counts); what
 * decides (a streak of refusals, a breaker, a slow event) stays here.
 * A trip is acted on here: the state goes to HALTED through the risk
 * manager and the journal hears of it as of any change of state
 * (engine_state_changed), everything is flattened when
 * breakers.flatten_on_trip says so, and a critical line and alert go out.
 * Trips that happen while a trip is being acted on (a flatten that fails
 * and logs errors) wait in trip_pending and are acted on in turn.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "breaker.h"
#include "engine-int.h"
#include "errmsg.h"
#include "portfolio.h"
#include "risk.h"

#define LATENCY_ALERT_GAP	(60 * TD_NS_PER_SEC)	/* wall time */

static const char *const engine_stage_names[SNAP_STAGES] = {
	[SNAP_STAGE_ON_BAR] = "on_bar",
	[SNAP_STAGE_RISK] = "risk",
	[SNAP_STAGE_SIZING] = "sizing",
	[SNAP_STAGE_SUBMIT] = "submit",
	[SNAP_STAGE_EVENT] = "event",
};

const char *
engine_stage_name(int stage)
{
	if (stage < 0 || stage >= SNAP_STAGES)
		return "?";
	return engine_stage_names[stage];
}

/* ---------------------------------------------------------------- alerts */

void
engine_set_alerts(struct engine *e, struct alert_hub *hub)
{
	e->alerts = hub;
}

struct alert_hub *
engine_alerts(const struct engine *e)
{
	return e->alerts;
}

void
engine_alert_levels(struct engine *e, const struct alert_cfg *cfg)
{
	e->cfg.alerts.loss_warning_pct = cfg->loss_warning_pct;
	e->cfg.alerts.reject_streak = cfg->reject_streak;
	e->cfg.alerts.latency = cfg->latency;
}

void
engine_alert(struct engine *e, enum alert_severity sev, enum alert_event ev,
    const char *fmt, ...)
{
	char	 text[ALERT_TEXT_MAX];
	va_list	 ap;

	if (e->alerts == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	alert_raise(e->alerts, sev, ev, text);
}

/* ---------------------------------------------------------------- trips */

static void
engine_act_trip(struct engine *e, enum breaker_kind k)
{
	enum trading_state	 before = risk_state(e->risk);
	struct breaker_state	 bs;
	struct errmsg		 err;
	const char		*name = breaker_name(k);
	char			 why[BREAKER_WHY_MAX + 32];
	bool			 flatten = e->cfg.breakers.flatten_on_trip;

	breaker_get(e->brk, k, e->now, &bs);
	snprintf(why, sizeof why, "breaker %s: %s", name, bs.why);
	/* Moving down only: from KILLED the engine may not go to HALTED. */
	if (before < TS_HALTED) {
		if (risk_set_state(e->risk, TS_HALTED, "engine", why, e->now,
		    &err) == -1)
			engine_log(e, LOG_CRITICAL, "risk", 0, "%s", err.msg);
		else
			e->breaker_halt = true;
	}
	engine_state_changed(e, before);
	engine_log(e, LOG_CRITICAL, "breaker", 0, "breaker %s tripped: %s; "
	    "trading %s%s (breaker reset %s, then resume)", name, bs.why,
	    trading_state_name(risk_state(e->risk)), flatten ?
	    ", flattening" : "", name);
	engine_alert(e, ALERT_CRITICAL, ALERT_EV_BREAKER, "breaker %s "
	    "tripped: %s; trading %s%s", name, bs.why,
	    trading_state_name(risk_state(e->risk)), flatten ?
	    ", flattening" : "");
	if (flatten)
		engine_flatten(e, td_inst_all(), why);
	engine_rollout_breaker(e, why);
}

static void
engine_trip(struct engine *e, enum breaker_kind k)
{
	e->trip_pending |= 1u << k;
	if (e->in_trip)
		return;
	e->in_trip = true;
	while (e->trip_pending != 0) {
		int	 next = __builtin_ctz(e->trip_pending);

		e->trip_pending &= ~(1u << next);
		engine_act_trip(e, (enum breaker_kind)next);
	}
	e->in_trip = false;
}

int
engine_breaker_reset(struct engine *e, const char *name, const char *who,
    struct errmsg *err)
{
	enum breaker_kind	 k;
	int			 rc;

	if (breaker_parse(name, &k) == -1)
		return errmsg_set(err, "no breaker '%s' (rejects, errors, "
		    "pnl_swing, venue)", name);
	rc = breaker_reset(e->brk, k);
	engine_log(e, LOG_WARNING, "breaker", e->cmd_corr, "breaker %s reset "
	    "by %s%s", name, who, rc == 1 ? " (it was not tripped)" : "");
	return rc;
}

/* ---------------------------------------------------------------- watches */

void
engine_rejected(struct engine *e, uint64_t corr, const char *why)
{
	int	 streak = e->cfg.alerts.reject_streak;

	engine_emit(e, &(struct engine_ev){ .kind = EEV_REFUSED,
	    .time = e->now, .corr = corr, .text = why }, NULL);
	if (++e->reject_streak == streak && streak > 0) {
		engine_log(e, LOG_WARNING, "orders", corr, "%d orders refused "
		    "in a row, the last: %s", streak, why);
		engine_alert(e, ALERT_WARNING, ALERT_EV_REJECTIONS, "%d orders "
		    "refused in a row, the last: %s", streak, why);
	}
	if (breaker_on_reject(e->brk, e->now))
		engine_trip(e, BREAKER_REJECTS);
}

void
engine_accepted(struct engine *e)
{
	e->reject_streak = 0;
}

void
engine_venue_error(struct engine *e)
{
	if (breaker_on_venue_error(e->brk, e->now))
		engine_trip(e, BREAKER_VENUE);
}

void
engine_watch_error(struct engine *e, const char *component, const char *msg)
{
	if (breaker_on_error(e->brk, e->now, component, msg))
		engine_trip(e, BREAKER_ERRORS);
}

/* After a mark that may have moved the P&L. */
void
engine_watch_pnl(struct engine *e)
{
	const struct risk_cfg	*rc;
	td_cents		 day;
	int			 pct = e->cfg.alerts.loss_warning_pct;
	char			 a[32], b[32];

	if (e->cfg.breakers.pnl_swing > 0 &&
	    breaker_on_pnl(e->brk, e->now, portfolio_net(e->pf)))
		engine_trip(e, BREAKER_PNL_SWING);
	if (e->loss_warned || pct <= 0)
		return;
	rc = risk_config(e->risk);
	day = portfolio_day_pnl(e->pf);
	if (rc->daily_loss <= 0 || -day * 100 < rc->daily_loss * pct)
		return;
	e->loss_warned = true;
	engine_log(e, LOG_WARNING, "risk", 0, "day P&L %s: the loss is %d%% "
	    "or more of the daily limit %s", portfolio_format_money(day, a,
	    sizeof a), pct, portfolio_format_money(rc->daily_loss, b,
	    sizeof b));
	engine_alert(e, ALERT_WARNING, ALERT_EV_LOSS_WARNING, "day P&L %s: "
	    "the loss is %d%% or more of the daily limit %s", a, pct, b);
}

/* The link went: halt at once, unless the configuration keeps trading. */
static void
engine_link_lost(struct engine *e)
{
	struct errmsg	 err;

	if (e->cfg.on_link_loss == ENGINE_LINK_KEEP)
		return;
	e->flatten_when_up = e->cfg.on_link_loss == ENGINE_LINK_FLATTEN;
	if (risk_state(e->risk) < TS_HALTED && engine_set_state(e, TS_HALTED,
	    "engine", "the venue's link was lost", &err) == -1)
		engine_log(e, LOG_CRITICAL, "risk", 0, "%s", err.msg);
}

/*
 * The venue found, after a reconnect, orders that were not what it had
 * said: as a restart would, trading halts for a person.
 */
void
engine_watch_discrepancies(struct engine *e)
{
	const struct venue	*v = e->venue;
	struct errmsg		 err;
	int			 n;

	if (v->ops->discrepancies == NULL ||
	    (n = v->ops->discrepancies(v->ctx)) == e->venue_disc)
		return;
	e->venue_disc = n;
	engine_alert(e, ALERT_CRITICAL, ALERT_EV_RECOVERY, "venue %s: %d "
	    "discrepanc%s after a reconnect: trading HALTED until resume",
	    v->ops->name, n, n == 1 ? "y" : "ies");
	if (risk_state(e->risk) < TS_HALTED && engine_set_state(e, TS_HALTED,
	    "engine", "reconnect: the venue's orders differ", &err) == -1)
		engine_log(e, LOG_CRITICAL, "risk", 0, "%s", err.msg);
}

/* The link is back: a flatten the configuration owes goes out first. */
static void
engine_link_back(struct engine *e)
{
	if (!e->flatten_when_up)
		return;
	e->flatten_when_up = false;
	engine_log(e, LOG_WARNING, "venue", 0, "the link is back: flatten, "
	    "as venue.on_disconnect says");
	engine_flatten(e, td_inst_all(), "link lost");
}

/*
 * The venue's connection moved to c: going down (lost, or dropped and
 * connecting again) is critical, coming back up a warning; a first
 * connection, a lost one being tried again, and closing and opening on
 * the counterparty's session hours are only logged.
 */
void
engine_venue_moved(struct engine *e, enum venue_conn c)
{
	const char	*name = e->venue->ops->name;
	enum venue_conn	 was = e->venue_conn;

	e->venue_conn = c;
	if (c == VENUE_CLOSED || (c == VENUE_UP && was == VENUE_CLOSED)) {
		/* On schedule: the counterparty's session hours. */
		engine_log(e, LOG_INFO, "venue", 0, "venue %s %s", name,
		    c == VENUE_UP ? "connected: its session hours are open" :
		    "closed: outside its session hours");
		e->venue_was_up |= c == VENUE_UP;
	} else if (c == VENUE_UP && !e->venue_was_up) {
		e->venue_was_up = true;
		engine_log(e, LOG_INFO, "venue", 0, "venue %s connected", name);
	} else if (c == VENUE_UP) {
		engine_log(e, LOG_WARNING, "venue", 0, "venue %s connected "
		    "again", name);
		engine_alert(e, ALERT_WARNING, ALERT_EV_VENUE_UP, "venue %s "
		    "connected again", name);
		engine_link_back(e);
	} else if (was == VENUE_UP) {
		engine_log(e, LOG_CRITICAL, "venue", 0, "venue %s "
		    "disconnected%s", name, c == VENUE_CONNECTING ?
		    ", connecting again" : "");
		engine_alert(e, ALERT_CRITICAL, ALERT_EV_VENUE_DOWN, "venue %s "
		    "disconnected%s", name, c == VENUE_CONNECTING ?
		    ", connecting again" : "");
		engine_link_lost(e);
	} else
		engine_log(e, LOG_WARNING, "venue", 0, "venue %s %s", name,
		    c == VENUE_CONNECTING ? "connecting" : "lost");
}

/* The end of a market event that started at t0 (0: not timed). */
void
engine_watch_event(struct engine *e, td_ns t0)
{
	td_ns	 now, took, limit = e->cfg.alerts.latency;

	if (t0 == 0)
		return;
	now = engine_clock(e);
	took = now - t0;
	if (engine_hears(e, EEV_STAGE))
		engine_tell(e, &(struct engine_ev){ .kind = EEV_STAGE,
		    .time = e->now, .stage = SNAP_STAGE_EVENT, .took = took });
	if (limit <= 0 || took <= limit || now < e->lat_alert_next)
		return;
	e->lat_alert_next = now + LATENCY_ALERT_GAP;
	engine_log(e, LOG_WARNING, "engine", 0, "a market event took "
	    "%lld.%03lld ms, more than the %lld ms allowed (alerts.latency_ms)",
	    (long long)(took / 1000000), (long long)(took / 1000 % 1000),
	    (long long)(limit / 1000000));
	engine_alert(e, ALERT_WARNING, ALERT_EV_LATENCY, "a market event took "
	    "%lld.%03lld ms, more than the %lld ms allowed",
	    (long long)(took / 1000000), (long long)(took / 1000 % 1000),
	    (long long)(limit / 1000000));
}

/*
 * A new trading day.  The loss warning may come again.  Unattended (a
 * backtest: nobody can type breaker reset), tripped breakers are reset
 * and a halt they caused is lifted, as risk_day_start does for loss
 * limits.
 */
void
engine_health_day(struct engine *e)
{
	struct errmsg	 err;
	unsigned	 tripped = breaker_tripped_mask(e->brk);

	e->loss_warned = false;
	if (!e->cfg.unattended || tripped == 0)
		return;
	for (int k = 0; k < BREAKER_KINDS; k++) {
		if (tripped & (1u << k))
			breaker_reset(e->brk, (enum breaker_kind)k);
	}
	if (e->breaker_halt && risk_state(e->risk) == TS_HALTED &&
	    strcmp(risk_state_who(e->risk), "engine") == 0 &&
	    risk_set_state(e->risk, TS_ACTIVE, "unattended", "new trading "
	    "day: breakers reset", e->now, &err) == -1)
		engine_log(e, LOG_ERROR, "risk", 0, "%s", err.msg);
	e->breaker_halt = false;
}

/* ---------------------------------------------------------------- snapshot */

void
engine_snap_health(const struct engine *e, struct snapshot *s)
{
	struct alert_stats	 st;

	/* The timings themselves are the health observer's. */
	s->latency_on = e->lat_on;
	for (int k = 0; k < SNAP_BREAKERS && k < BREAKER_KINDS; k++) {
		struct breaker_state	 bs;
		struct snap_breaker	*b = &s->breakers[k];

		breaker_get(e->brk, (enum breaker_kind)k, e->now, &bs);
		snprintf(b->name, sizeof b->name, "%s",
		    breaker_name((enum breaker_kind)k));
		b->on = bs.on;
		b->tripped = bs.tripped;
		b->when = bs.when;
		snprintf(b->why, sizeof b->why, "%s", bs.why);
		b->level = bs.level;
		b->limit = bs.limit;
		b->window = bs.window;
	}
	memset(&s->alerts, 0, sizeof s->alerts);
	if (e->alerts == NULL)
		return;
	alert_stats(e->alerts, &st);
	s->alerts.on = true;
	s->alerts.raised = st.raised;
	s->alerts.suppressed = st.suppressed;
	s->alerts.dropped = st.dropped;
	s->alerts.sent = st.sent;
	s->alerts.failed = st.failed;
	s->alerts.queued = st.queued;
	s->alerts.capacity = st.capacity;
	s->alerts.nsinks = st.nsinks < SNAP_SINKS ? st.nsinks : SNAP_SINKS;
	for (int i = 0; i < s->alerts.nsinks; i++) {
		const struct alert_sink_stats	*k = &st.sink[i];
		struct snap_alert_sink		*o = &s->alerts.sink[i];

		snprintf(o->name, sizeof o->name, "%s", k->name);
		snprintf(o->min, sizeof o->min, "%s",
		    alert_severity_name(k->min_severity));
		o->sent = k->sent;
		o->retries = k->retries;
		o->failed = k->failed;
		o->dropped = k->dropped;
		o->queued = k->queued;
		o->failing = k->failing;
		snprintf(o->last_error, sizeof o->last_error, "%s",
		    k->last_error);
	}
}
