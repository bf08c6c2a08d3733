/*
 * engine-snap.c -- what the console sees of the engine: snapshots.
 *
 * engine_snapshot copies what the panes show of the engine's own state
 * into a struct snapshot sized for it (engine_snapshot_sizes: every
 * instrument and strategy, the working orders up to the order capacity
 * or SNAPSHOT_ORDERS_MAX, and the rows the observers ask for), then lets
 * each observer add its part: the blotter and the sparklines
 * (snap-obs.h), the counters and timings (health-obs.h).  Nothing is
 * allocated here; a snapshot too small is filled as far as it goes and
 * said to be so.
 * The stale-feed figure comes from the guard's own function
 * (risk_feed_late), at the time the guard last judged, so the risk pane
 * shows what the guard sees.  Each position's protection is counted as
 * the order manager counts it (order_mgr_cover, order_mgr_protected) and
 * written out once here, so the positions pane and command say the same.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "engine-int.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "risk.h"
#include "snapshot.h"

const char *
engine_owner_name(const struct engine *e, struct td_owner owner)
{
	if (!td_owner_is_strat(owner) || !td_strat_in(owner.strat, e->nstrat))
		return "manual";
	return e->strat[owner.strat.i].cfg->name;
}

/* A stop-limit's limit price, "" for every other type. */
static void
snap_limit(const struct engine *e, const struct order *o, char *buf,
    size_t len)
{
	if (o->type == ORD_STOP_LIMIT)
		engine_px(e, o->inst, o->limit, buf, len);
	else
		buf[0] = '\0';
}

static void
snap_order(const struct engine *e, const struct order *o,
    struct snap_order *so)
{
	so->id = o->id;
	snapshot_name(so->symbol, sizeof so->symbol,
	    e->cfg.inst[o->inst.i].symbol);
	snapshot_name(so->side, sizeof so->side, o->side == TD_BUY ? "buy" :
	    "sell");
	snapshot_name(so->type, sizeof so->type, order_type_name(o->type));
	snapshot_name(so->role, sizeof so->role, order_role_name(o->role));
	snapshot_name(so->state, sizeof so->state, order_state_name(o->state));
	snapshot_name(so->owner, sizeof so->owner,
	    engine_owner_name(e, o->owner));
	snapshot_name_upper(so->tif, sizeof so->tif, order_tif_name(o->tif));
	so->parent = o->parent;
	so->oco = o->oco;
	so->qty = o->qty;
	so->filled = o->filled;
	if (o->type == ORD_MARKET)
		so->price[0] = '\0';
	else
		engine_px(e, o->inst, o->price, so->price, sizeof so->price);
	snap_limit(e, o, so->limit, sizeof so->limit);
	so->px = o->type == ORD_MARKET ? 0 : o->price;
	so->time = o->updated;
}

/*
 * What protects the position pos of instrument i: the live exits on the
 * side that closes it and not on their way out, as order_mgr_cover
 * counts them -- stops and market exits cover it; targets are listed.
 */
static void
snap_protection(const struct engine *e, struct td_inst i, int64_t pos,
    struct snap_inst *si)
{
	enum td_side	 close = pos > 0 ? TD_SELL : TD_BUY;
	int64_t		 size = pos < 0 ? -pos : pos;
	char		 head[SNAP_PROTECT - 16];	/* room for the tail */
	char		 targets[SNAP_PROTECT] = "";
	const char	*tail;
	size_t		 n, room;

	si->stop_qty = si->exit_qty = 0;
	si->ntargets = 0;
	memset(si->target, 0, sizeof si->target);
	si->protect[0] = '\0';
	if (pos == 0)
		return;
	for (int k = 0; k < order_mgr_live_count(e->om); k++) {
		const struct order	*o = order_mgr_live_at(e->om, k);
		int64_t			 left = o->want - o->filled;

		if (!td_inst_eq(o->inst, i) || o->role == ROLE_ENTRY ||
		    o->side != close || o->cancel_pending ||
		    order_mgr_final(o->state) || left <= 0)
			continue;
		if (o->role == ROLE_STOP)
			si->stop_qty += left;
		else if (o->type == ORD_MARKET)
			si->exit_qty += left;
		else if (o->role == ROLE_TARGET) {
			if (si->ntargets < SNAP_TARGETS)
				si->target[si->ntargets] = left;
			si->ntargets++;
		}
	}
	snprintf(head, sizeof head, si->naked ? "stops cover %lld of %lld" :
	    "stops %lld/%lld", (long long)si->stop_qty, (long long)size);
	if (si->exit_qty > 0)
		snprintf(head + strlen(head), sizeof head - strlen(head),
		    " closing %lld", (long long)si->exit_qty);
	for (int k = 0; k < si->ntargets && k <= SNAP_TARGETS; k++) {
		n = strlen(targets);
		if (k == SNAP_TARGETS)
			snprintf(targets + n, sizeof targets - n, "+...");
		else
			snprintf(targets + n, sizeof targets - n, "%s%lld",
			    k == 0 ? " targets " : "+",
			    (long long)si->target[k]);
	}
	/* The targets give way first: NOT PROTECTED always shows. */
	tail = si->naked ? " NOT PROTECTED" : "";
	n = strlen(head);
	room = sizeof si->protect - 1 - n - strlen(tail);
	if (room > strlen(targets))
		room = strlen(targets);
	memcpy(si->protect, head, n);
	memcpy(si->protect + n, targets, room);
	memcpy(si->protect + n + room, tail, strlen(tail) + 1);
}

static void
snap_inst(const struct engine *e, int i, struct snap_inst *si)
{
	const struct inst_state	*is = &e->is[i];
	struct td_inst		 in = td_inst_at(i);
	int64_t			 pos = portfolio_position(e->pf, in);
	td_ns			 clock = e->clock > e->now ? e->clock : e->now;
	td_ns			 rth_close;
	struct risk_feed	 f;
	struct portfolio_pos	 pp;

	snapshot_name(si->symbol, sizeof si->symbol, e->cfg.inst[i].symbol);
	si->position = pos;
	if (pos != 0)
		portfolio_avg_format(e->pf, in, si->avg, sizeof si->avg);
	else
		si->avg[0] = '\0';
	if (is->has_last)
		engine_px(e, in, is->last, si->last, sizeof si->last);
	else
		si->last[0] = '\0';
	si->last_ticks = is->last;
	si->unrealized = portfolio_unrealized(e->pf, in);
	si->realized = portfolio_realized(e->pf, in);
	portfolio_get(e->pf, in, &pp);
	si->commissions = pp.commissions;
	si->stop_cover = pos != 0 ? order_mgr_cover(e->om, in, pos > 0 ?
	    TD_BUY : TD_SELL) : 0;
	si->naked = pos != 0 && !order_mgr_protected(e->om, in, pos);
	snap_protection(e, in, pos, si);
	si->last_md = is->last_md;
	si->md_bars = is->md_every > 0;
	si->md_watched = engine_feed(e, i, clock, &f);
	si->md_late = si->md_watched ? risk_feed_late(&f, clock) : 0;
	snapshot_name(si->phase, sizeof si->phase, calendar_phase_name(
	    calendar_phase(e->cal[is->cal], e->now)));
	si->nspark = 0;		/* the observers' */
	si->ncandle = si->nmark = 0;
	si->bars = si->fills = 0;
	si->tick_size = e->cfg.inst[i].tick_size;
	si->rth_open = 0;
	if (e->now != 0 && calendar_rth(e->cal[is->cal],
	    calendar_trading_day(e->cal[is->cal], e->now), &si->rth_open,
	    &rth_close) == -1)
		si->rth_open = 0;
}

/* A strategy's opening_range_minutes parameter, 0 when it has none. */
static int64_t
snap_range_minutes(const struct strat_slot *sl)
{
	const struct strat_param	*p = sl->ops->params;

	for (int k = 0; p != NULL && p[k].name != NULL &&
	    k < STRAT_MAX_PARAMS; k++) {
		if (strcmp(p[k].name, "opening_range_minutes") == 0)
			return sl->cfg->params[k];
	}
	return 0;
}

static enum snap_strat_run
snap_strat_run(const struct engine *e, const struct strat_slot *s)
{
	switch (s->run) {
	case STRAT_DISABLED:
		return SNAP_DISABLED;
	case STRAT_ERRORED:
		return SNAP_ERRORED;
	default:
		break;
	}
	return calendar_phase(e->cal[e->is[s->inst].cal], e->now) ==
	    CAL_RTH ? SNAP_RUNNING : SNAP_WAITING;
}

static void
snap_risk(const struct engine *e, struct snapshot *s)
{
	const struct risk_cfg	*c = risk_config(e->risk);
	td_cents		 day = portfolio_day_pnl(e->pf);
	td_cents		 week = portfolio_week_pnl(e->pf);

	s->daily_loss.used = day < 0 ? -day : 0;
	s->daily_loss.limit = c->daily_loss;
	s->weekly_loss.used = week < 0 ? -week : 0;
	s->weekly_loss.limit = c->weekly_loss;
	s->positions.used = portfolio_open_positions(e->pf);
	s->positions.limit = c->max_positions;
	s->contracts.used = 0;
	for (int i = 0; i < e->cfg.ninst; i++) {
		int64_t	 p = portfolio_position(e->pf, td_inst_at(i));

		if ((p < 0 ? -p : p) > s->contracts.used)
			s->contracts.used = p < 0 ? -p : p;
	}
	s->contracts.limit = c->max_contracts;
	s->order_rate.used = risk_recent_orders(e->risk, e->now);
	s->order_rate.limit = c->throttle_orders;
	s->stale_after = c->stale_after;
	snapshot_name(s->state, sizeof s->state,
	    trading_state_name(risk_state(e->risk)));
	snapshot_name(s->state_who, sizeof s->state_who,
	    risk_state_who(e->risk));
	snapshot_name(s->state_why, sizeof s->state_why,
	    risk_state_why(e->risk));
	s->state_when = risk_state_when(e->risk);
	s->rollout_stages = e->ro != NULL ?
	    rollout_config(e->ro)->nstages : 0;
	s->rollout_stage = e->ro != NULL ? rollout_index(e->ro) : 0;
	snapshot_name(s->rollout, sizeof s->rollout, e->ro != NULL ?
	    rollout_current(e->ro)->name : "");
}

void
engine_snapshot_sizes(const struct engine *e, struct snapshot_sizes *out)
{
	out->ninst = e->cfg.ninst;
	out->nstrat = e->nstrat;
	out->orders = e->cfg.order_capacity < SNAPSHOT_ORDERS_MAX ?
	    e->cfg.order_capacity : SNAPSHOT_ORDERS_MAX;
	out->blotter = 0;
	for (int i = 0; i < e->nobs; i++)
		if (e->obs[i].sizes != NULL)
			e->obs[i].sizes(e->obs[i].arg, out);
}

/* The sentiment strategy sl trades on (snapshot.h, struct snap_strat). */
static void
snap_sentiment(const struct engine *e, const struct strat_slot *sl,
    struct snap_strat *ss)
{
	const char		*name = "sentiment";
	const struct td_data	*d;

	for (int i = 0; i < e->cfg.nfilter; i++) {
		const struct signal_filter	*f = &e->cfg.filter[i];

		if (strcmp(f->strategy, sl->cfg->name) == 0 &&
		    strcmp(f->source, "news") == 0) {
			name = f->name;
			break;
		}
	}
	d = signal_last_get(e->sig, "news", name, sl->inst);
	ss->sentiment = d != NULL ? d->value : 0;
	ss->sentiment_at = d != NULL ? d->time : 0;
}

/* The strategies, as many as s holds. */
static void
snap_strats(const struct engine *e, struct snapshot *s)
{
	s->nstrat = e->nstrat < s->cap.nstrat ? e->nstrat : s->cap.nstrat;
	for (int i = 0; i < s->nstrat; i++) {
		const struct strat_slot	*sl = &e->strat[i];
		struct snap_strat	*ss = &s->strat[i];

		snapshot_name(ss->name, sizeof ss->name, sl->cfg->name);
		snapshot_name(ss->type, sizeof ss->type, sl->cfg->type);
		snapshot_name(ss->symbol, sizeof ss->symbol, sl->cfg->symbol);
		ss->run = snap_strat_run(e, sl);
		ss->position = sl->position[sl->inst];
		ss->day_pnl = sl->day_pnl;
		ss->range_minutes = snap_range_minutes(sl);
		snap_sentiment(e, sl, ss);
	}
}

/* The oldest working orders s holds, and how many there are in all. */
static void
snap_orders(const struct engine *e, struct snapshot *s)
{
	s->nworking = order_mgr_live_count(e->om);
	s->norders = s->nworking < s->cap.orders ? s->nworking :
	    s->cap.orders;
	for (int i = 0; i < s->norders; i++)
		snap_order(e, order_mgr_live_at(e->om, i), &s->orders[i]);
}

int
engine_snapshot(const struct engine *e, struct snapshot *s)
{
	const struct venue	*v = e->venue;
	struct snapshot_sizes	 need;

	s->now = e->now;
	s->closed_day = e->closed_day;
	snapshot_name(s->venue, sizeof s->venue, v->ops->name);
	s->venue_conn = v->ops->conn == NULL ? VENUE_UP : v->ops->conn(v->ctx);
	s->venue_heard = v->ops->heard == NULL ? 0 : v->ops->heard(v->ctx);
	/* The feed is the runner's: it says when it has a link. */
	s->feed_conn = -1;
	s->feed_heard = 0;
	snapshot_name(s->session, sizeof s->session, e->cfg.ninst > 0 ?
	    calendar_phase_name(calendar_phase(e->cal[e->is[0].cal],
	    e->now)) : "closed");
	snapshot_name(s->tz, sizeof s->tz, calendar_cfg(e->cal[0])->tz);
	s->day_pnl = portfolio_day_pnl(e->pf);
	s->week_pnl = portfolio_week_pnl(e->pf);
	s->realized = 0;
	s->unrealized = 0;
	s->commissions = 0;
	s->net = portfolio_net(e->pf);
	s->nequity = 0;
	for (int i = 0; i < e->cfg.ninst; i++) {
		struct portfolio_pos	 pp;

		portfolio_get(e->pf, td_inst_at(i), &pp);
		s->realized += pp.realized;
		s->unrealized += pp.unrealized;
		s->commissions += pp.commissions;
	}
	snap_risk(e, s);
	engine_snap_health(e, s);
	/* The observers' parts, empty without them. */
	s->events = s->rejects = 0;
	memset(s->latency, 0, sizeof s->latency);
	s->ninst = e->cfg.ninst < s->cap.ninst ? e->cfg.ninst : s->cap.ninst;
	for (int i = 0; i < s->ninst; i++)
		snap_inst(e, i, &s->inst[i]);
	snap_strats(e, s);
	snap_orders(e, s);
	s->nblot = 0;
	engine_snap_observers(e, s);
	engine_snapshot_sizes(e, &need);
	return snapshot_holds(s, &need) ? 0 : -1;
}
