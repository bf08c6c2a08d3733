/*
 * engine-restore.c -- a restart: the engine rebuilt from the journal and
 * reconciled with the venue (engine_recover, see engine.h).
 *
 * The journal says what the engine knew; the venue says what the exchange
 * did, asked through venue.h only (mass_status, executions since the
 * chain's first event, order_status), whatever it keeps to answer.  A
 * crash leaves them apart in a few ways only, because the venue records
 * each change before the engine hears of it and the engine journals each
 * event before it acts on it further: the venue may have made fills,
 * placed legs or cancelled siblings that the journal never heard of.
 * Anything else (a journaled fill the venue never made, an order the
 * venue lost) means a file was damaged or replaced; it is settled the
 * same way, by the venue's truth.
 *
 * The restart, in order:
 *   1. the chain: the last session of the mode and those it continued;
 *      then the venue is asked about everything since the chain began;
 *   2. the chain's fills that the venue also made are applied again, in
 *      the venue's order, to the portfolio, the trade ledger and the
 *      strategies' positions; the day's and week's P&L come back from the
 *      journal's day figures; the clock, the session timers and the
 *      correlation ids go on from the last event;
 *   3. a new session of the journal starts on the engine, which journals
 *      as usual from here;
 *   4. the orders working per journal or at the venue go back into the
 *      order manager as they were before the lost events (a working
 *      order only the venue knows during step 5, when its moment comes:
 *      struct rv_late);
 *   5. the lost events are replayed through the engine's own path, as
 *      if the venue said them now: the fills the journal lacks, and
 *      cancels of orders the venue no longer has (asked once more, one
 *      by one); bracket legs follow as usual;
 *   6. the working orders only the venue knows whose entry the journal
 *      does not know (a journal older than the venue's book: a backup
 *      restored) become the protection of the position they can close,
 *      or are cancelled (rv_late_settle); then every bracket covers
 *      again what is left uncovered (order_mgr_settle);
 *   7. the trading state: the journal's (a latch), HALTED on any
 *      discrepancy (a critical incident of the rollout stage), and at
 *      least HALTED when the session continued has no clean end
 *      (journal_end): it died, and a person looks before it trades.
 * The rollout stage and its evidence come back with step 1, from the
 * chain's rows of the rollout table, in order.
 * Everything allocated here is freed before returning: this is a load
 * step, not the hot path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "alert.h"
#include "array.h"
#include "engine-int.h"
#include "errmsg.h"
#include "journal.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "risk.h"
#include "trades.h"
#include "venue.h"

/* A journaled fill and what the venue says of it. */
struct rv_fill {
	struct journal_fill	 f;
	uint64_t		 exec;		/* the venue's; 0: none */
	bool			 dup;		/* a second row of one fill */
};

/* A fill of the venue and whether the journal has it. */
struct rv_vfill {
	struct venue_exec	 f;
	bool			 journaled;
};

/*
 * A working order only the venue knows.  It was placed after the
 * journal ends, at a moment the venue does not say: it goes back into
 * the order manager just before the first lost fill of its own or of
 * its entry (its legs were placed on that fill, or grew with it), else
 * once the lost fills are in, so that no fill from before it was placed
 * can cancel it or place a second one beside it.
 */
struct rv_late {
	struct order		 o;
	const struct venue_status *w;		/* as the venue has it now */
	int64_t			 missing;	/* its own lost fills */
	uint64_t		 at;		/* that fill's exec; UINT64_MAX:
						   after the fills */
	bool			 done;
	bool			 tried;		/* as an exit (rv_late_settle) */
};

struct rv {
	struct engine		*e;
	struct journal		*j;
	struct engine_recovery	*out;
	const char		*mode;

	struct journal_session	*sess;		/* all sessions, oldest first */
	size_t			 nsess;
	int64_t			*chain;
	size_t			 nchain;
	int64_t			 resumed;

	struct rv_fill		*jf;
	size_t			 njf, capjf;
	struct journal_order	*lo;		/* latest row per id, by id */
	size_t			 nlo, caplo;
	struct journal_state	 state;
	bool			 has_state;
	struct journal_day	 day;
	bool			 has_day;
	td_ns			 first_time;	/* of the chain; 0: none */
	td_ns			 started;	/* its first session, wall
						   clock; 0: none */
	bool			 has_first;
	td_ns			 last_time;
	uint64_t		 max_corr;
	uint64_t		 max_id;

	/* The venue's word stands: false when it knew nothing (lost). */
	bool			 book;
	td_ns			 adopted_time;	/* it took over; 0: never */
	/* Per instrument, as many as the engine has (rv_create). */
	int64_t			*adopted;	/* the venue took over */
	int64_t			*jpos, *vpos;	/* per journal, per venue */
	td_ticks		*last;		/* the last fill's price */
	bool			*has_last;
	struct rv_vfill		*vf;
	size_t			 nvf, capvf;
	struct venue_status	*vw;		/* working at the venue */
	size_t			 nvw, capvw;
	struct rv_late		*late;		/* working at the venue only */
	size_t			 nlate, caplate;
	struct errmsg		 err;		/* from the callbacks */
};

static bool
rv_in_chain(const struct rv *rv, int64_t session)
{
	for (size_t i = 0; i < rv->nchain; i++) {
		if (rv->chain[i] == session)
			return true;
	}
	return false;
}

static void
rv_saw(struct rv *rv, td_ns t, uint64_t corr)
{
	if (!rv->has_first || t < rv->first_time) {
		rv->first_time = t;
		rv->has_first = true;
	}
	if (t > rv->last_time)
		rv->last_time = t;
	if (corr > rv->max_corr)
		rv->max_corr = corr;
}

/* ------------------------------------------------------------ reading */

static int
rv_on_session(void *arg, const struct journal_session *s)
{
	struct rv	*rv = arg;
	void		*n;

	if ((n = realloc(rv->sess, (rv->nsess + 1) * sizeof *rv->sess)) ==
	    NULL)
		return errmsg_set(&rv->err, "out of memory");
	rv->sess = n;
	rv->sess[rv->nsess++] = *s;
	return 0;
}

/* The last session of the mode and every session it continued. */
static int
rv_chain(struct rv *rv)
{
	int64_t	 want = 0;
	size_t	 i;

	for (i = rv->nsess; i-- > 0; ) {
		if (strcmp(rv->sess[i].mode, rv->mode) == 0) {
			want = rv->sess[i].id;
			rv->out->unclean = rv->sess[i].ended == 0;
			break;
		}
	}
	rv->resumed = want;
	if ((rv->chain = calloc(rv->nsess + 1, sizeof *rv->chain)) == NULL)
		return errmsg_set(&rv->err, "out of memory");
	while (want != 0 && !rv_in_chain(rv, want)) {
		rv->chain[rv->nchain++] = want;
		for (i = 0; i < rv->nsess && rv->sess[i].id != want; i++)
			continue;
		if (i < rv->nsess && rv->sess[i].started > 0 &&
		    (rv->started == 0 || rv->sess[i].started < rv->started))
			rv->started = rv->sess[i].started;
		want = i < rv->nsess ? rv->sess[i].resumes : 0;
	}
	return 0;
}

static int
rv_on_fill(void *arg, const struct journal_fill *f)
{
	struct rv	*rv = arg;

	if (!rv_in_chain(rv, f->session))
		return 0;
	if (array_grow(&rv->jf, &rv->capjf, rv->njf, sizeof *rv->jf) == -1)
		return errmsg_set(&rv->err, "out of memory");
	rv->jf[rv->njf++] = (struct rv_fill){ .f = *f };
	rv_saw(rv, f->time, f->corr);
	return 0;
}

/* The latest row of order id, or NULL. */
static struct journal_order *
rv_order(const struct rv *rv, uint64_t id)
{
	size_t	 lo = 0, hi = rv->nlo;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (rv->lo[mid].order.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rv->nlo && rv->lo[lo].order.id == id ? &rv->lo[lo] : NULL;
}

static int
rv_on_order(void *arg, const struct journal_order *o)
{
	struct rv		*rv = arg;
	struct journal_order	*have;
	size_t			 at;

	if (!rv_in_chain(rv, o->session))
		return 0;
	rv_saw(rv, o->time, o->order.corr);
	if (o->order.id > rv->max_id)
		rv->max_id = o->order.id;
	if ((have = rv_order(rv, o->order.id)) != NULL) {
		*have = *o;		/* rows come oldest first */
		return 0;
	}
	if (array_grow(&rv->lo, &rv->caplo, rv->nlo, sizeof *rv->lo) == -1)
		return errmsg_set(&rv->err, "out of memory");
	/* Ids are mostly seen in order: usually an append. */
	for (at = rv->nlo; at > 0 && rv->lo[at - 1].order.id > o->order.id;
	    at--)
		continue;
	memmove(&rv->lo[at + 1], &rv->lo[at], (rv->nlo - at) *
	    sizeof *rv->lo);
	rv->lo[at] = *o;
	rv->nlo++;
	return 0;
}

static int
rv_on_state(void *arg, const struct journal_state *s)
{
	struct rv	*rv = arg;

	if (!rv_in_chain(rv, s->session))
		return 0;
	rv->state = *s;
	rv->has_state = true;
	rv_saw(rv, s->time, s->corr);
	return 0;
}

static int
rv_on_command(void *arg, const struct journal_command *c)
{
	struct rv	*rv = arg;

	if (rv_in_chain(rv, c->session))
		rv_saw(rv, c->time, c->corr);
	return 0;
}

static int
rv_on_day(void *arg, const struct journal_day *d)
{
	struct rv	*rv = arg;

	if (!rv_in_chain(rv, d->session) ||
	    (rv->has_day && d->updated < rv->day.updated))
		return 0;
	rv->day = *d;
	rv->has_day = true;
	return 0;
}

/*
 * A fill of the venue, or a position it carried in (order 0): what it
 * took over, when, counts as its own.
 */
static int
rv_on_vfill(void *arg, const struct venue_exec *f)
{
	struct rv	*rv = arg;

	if (f->order_id == 0) {
		if (f->inst < 0 || f->inst >= rv->e->cfg.ninst)
			return 0;
		rv->adopted[f->inst] += f->side == TD_BUY ? f->qty : -f->qty;
		if (f->time > rv->adopted_time)
			rv->adopted_time = f->time;
		return 0;
	}
	if (array_grow(&rv->vf, &rv->capvf, rv->nvf, sizeof *rv->vf) == -1)
		return errmsg_set(&rv->err, "out of memory");
	rv->vf[rv->nvf++] = (struct rv_vfill){ .f = *f };
	if (f->order_id > rv->max_id)
		rv->max_id = f->order_id;
	return 0;
}

static int
rv_on_working(void *arg, const struct venue_status *w)
{
	struct rv	*rv = arg;

	if (array_grow(&rv->vw, &rv->capvw, rv->nvw, sizeof *rv->vw) == -1)
		return errmsg_set(&rv->err, "out of memory");
	rv->vw[rv->nvw++] = *w;
	if (w->order.id > rv->max_id)
		rv->max_id = w->order.id;
	return 0;
}

/*
 * What the venue holds, and what it did since the chain began: on the
 * engine's clock, or for a venue on the wall clock since its first
 * session started.
 */
static int
rv_ask(struct rv *rv, struct errmsg *err)
{
	const struct venue	*v = rv->e->venue;
	td_ns			 since = rv->has_first ? rv->first_time : 0;

	if (v->ops->wall_clock && rv->started > 0)
		since = rv->started;

	if (v->ops->mass_status(v->ctx, rv_on_working, rv, err) == -1 ||
	    v->ops->executions(v->ctx, since, rv_on_vfill, rv, err) == -1)
		return -1;
	return 0;
}

/* The rollout ladder's rows of the chain, taken in order. */
static int
rv_on_rollout(void *arg, const struct journal_rollout *r)
{
	struct rv	*rv = arg;

	if (rv_in_chain(rv, r->session))
		engine_rollout_restore(rv->e, &r->ev);
	return 0;
}

static int
rv_read(struct rv *rv, struct errmsg *err)
{
	if (journal_read_sessions(rv->j, rv_on_session, rv, err) == -1)
		return -1;
	if (rv->err.msg[0] == '\0' && rv_chain(rv) == -1)
		return errmsg_set(err, "%s", rv->err.msg);
	if (rv->nchain > 0 && (journal_read_fills(rv->j, 0, 0, rv_on_fill, rv,
	    err) == -1 || journal_read_orders(rv->j, 0, 0, rv_on_order, rv,
	    err) == -1 || journal_read_states(rv->j, 0, 0, rv_on_state, rv,
	    err) == -1 || journal_read_commands(rv->j, 0, 0, rv_on_command,
	    rv, err) == -1 || journal_read_days(rv->j, 0, 0, rv_on_day, rv,
	    err) == -1))
		return -1;
	if (rv->nchain > 0 && engine_rollout(rv->e) != NULL &&
	    journal_read_rollout(rv->j, 0, 0, rv_on_rollout, rv, err) == -1)
		return -1;
	engine_rollout_restored(rv->e);
	if (rv->err.msg[0] == '\0' && rv_ask(rv, err) == -1)
		return -1;
	if (rv->err.msg[0] != '\0')
		return errmsg_set(err, "%s", rv->err.msg);
	return 0;
}

/* ------------------------------------------------------------ matching */

static int
rv_key_cmp(uint64_t a_id, int64_t a_filled, uint64_t b_id, int64_t b_filled)
{
	if (a_id != b_id)
		return a_id < b_id ? -1 : 1;
	return (a_filled > b_filled) - (a_filled < b_filled);
}

static int
rv_jf_cmp(const void *a, const void *b)
{
	const struct rv_fill	*x = a, *y = b;
	int			 c = rv_key_cmp(x->f.order_id,
				    x->f.order_filled, y->f.order_id,
				    y->f.order_filled);

	if (c != 0)
		return c;
	return (x->f.seq > y->f.seq) - (x->f.seq < y->f.seq);
}

static int
rv_vf_cmp(const void *a, const void *b)
{
	const struct rv_vfill	*x = a, *y = b;

	return rv_key_cmp(x->f.order_id, x->f.order_filled, y->f.order_id,
	    y->f.order_filled);
}

/* The order in which the fills happened: the venue's, else the journal's. */
static int
rv_exec_cmp(const void *a, const void *b)
{
	const struct rv_fill	*x = a, *y = b;

	if (x->exec != y->exec)
		return x->exec < y->exec ? -1 : 1;
	return (x->f.seq > y->f.seq) - (x->f.seq < y->f.seq);
}

/*
 * A fill is the same in both when it is the same order's fill up to the
 * same filled quantity.  Without a book every journaled fill stands.
 */
static void
rv_match(struct rv *rv)
{
	size_t	 i = 0, k = 0;
	int	 c;

	if (rv->njf > 0)	/* qsort(NULL, 0) is undefined */
		qsort(rv->jf, rv->njf, sizeof *rv->jf, rv_jf_cmp);
	for (i = 1; i < rv->njf; i++) {
		if (rv_key_cmp(rv->jf[i].f.order_id, rv->jf[i].f.order_filled,
		    rv->jf[i - 1].f.order_id,
		    rv->jf[i - 1].f.order_filled) == 0)
			rv->jf[i].dup = true;
	}
	if (!rv->book) {
		for (i = 0; i < rv->njf; i++)
			rv->jf[i].exec = (uint64_t)rv->jf[i].f.seq;
		if (rv->njf > 0)	/* qsort(NULL, 0) is undefined */
			qsort(rv->jf, rv->njf, sizeof *rv->jf, rv_exec_cmp);
		return;
	}
	if (rv->nvf > 0)	/* qsort(NULL, 0) is undefined */
		qsort(rv->vf, rv->nvf, sizeof *rv->vf, rv_vf_cmp);
	for (i = 0; i < rv->njf; i++) {
		if (rv->jf[i].dup)
			continue;
		while (k < rv->nvf && (c = rv_key_cmp(rv->vf[k].f.order_id,
		    rv->vf[k].f.order_filled, rv->jf[i].f.order_id,
		    rv->jf[i].f.order_filled)) < 0)
			k++;
		if (k < rv->nvf && c == 0) {
			rv->jf[i].exec = rv->vf[k].f.exec;
			rv->vf[k].journaled = true;
		}
	}
	if (rv->njf > 0)	/* qsort(NULL, 0) is undefined */
		qsort(rv->jf, rv->njf, sizeof *rv->jf, rv_exec_cmp);
}

/*
 * Does the venue stand behind this journaled fill: it made it, or it has
 * no book, or it took over the positions (a lost book) after it?
 */
static bool
rv_known(const struct rv *rv, const struct rv_fill *f)
{
	return !rv->book || f->exec != 0 || (rv->adopted_time != 0 &&
	    f->f.time <= rv->adopted_time);
}

/* ------------------------------------------------------------ rebuild */

/*
 * The engine's instrument of this symbol, else the one at the journal's
 * index fallback: 0 and *out, or -1 when there is none.
 */
static int
rv_inst(const struct rv *rv, const char *symbol, int fallback,
    struct td_inst *out)
{
	if (symbol[0] != '\0' && engine_inst_find(rv->e, symbol, out) == 0)
		return 0;
	if (!td_inst_in(td_inst_at(fallback), rv->e->cfg.ninst))
		return -1;
	*out = td_inst_at(fallback);
	return 0;
}

/* The owner of this name: the trader's for "manual" or a gone strategy. */
static struct td_owner
rv_owner(const struct rv *rv, const char *name)
{
	struct td_strat	 s;

	if (name[0] == '\0' || strcmp(name, "manual") == 0 ||
	    engine_strategy_find(rv->e, name, &s) == -1)
		return td_owner_manual();
	return td_owner_strat(s);
}

/* Journaled fills the venue also made: applied again, not journaled. */
static void
rv_apply(struct rv *rv, int32_t today, td_cents *dr, td_cents *dc)
{
	struct engine	*e = rv->e;
	struct errmsg	 err;
	td_ticks	*last = rv->last;
	bool		*has = rv->has_last;

	*dr = *dc = 0;
	for (size_t i = 0; i < rv->njf; i++) {
		const struct journal_fill	*f = &rv->jf[i].f;
		struct td_inst			 inst;
		struct td_owner			 owner;
		td_cents			 r;

		if (rv->jf[i].dup || !rv_known(rv, &rv->jf[i]))
			continue;
		if (rv_inst(rv, f->symbol, f->inst, &inst) == -1) {
			engine_log(e, LOG_CRITICAL, "recovery", f->corr, "fill "
			    "of order %llu: no instrument '%s' any more: "
			    "left out", (unsigned long long)f->order_id,
			    f->symbol);
			continue;
		}
		owner = rv_owner(rv, f->owner_name);
		r = portfolio_fill(e->pf, inst, f->side, f->qty, f->price,
		    f->time, NULL, &err);
		if (r == PORTFOLIO_REFUSED) {
			engine_log(e, LOG_CRITICAL, "recovery", f->corr, "%s",
			    err.msg);
			continue;
		}
		if (f->day == today) {
			*dr += r;
			*dc += e->cfg.inst[inst.i].commission * f->qty;
		}
		if (trades_fill(e->trades, inst, owner, f->side, f->qty,
		    f->price, f->time, f->reason, &err) == 1 &&
		    f->day == today) {
			const struct trade	*t;

			t = trades_get(e->trades, trades_count(e->trades) - 1);
			e->day_trades++;
			if (td_owner_is_strat(owner))
				e->strat[owner.strat.i].day_pnl += t->net;
		}
		if (td_owner_is_strat(owner))
			e->strat[owner.strat.i].position[inst.i] +=
			    f->side == TD_BUY ? f->qty : -f->qty;
		last[inst.i] = f->price;
		has[inst.i] = true;
		rv->out->fills++;
	}
	/* Marked at the last fill until the market speaks again. */
	for (int i = 0; i < e->cfg.ninst; i++) {
		if (has[i])
			portfolio_mark(e->pf, td_inst_at(i), last[i]);
	}
}

/* Day and week P&L: the journal's, moved by what changed since. */
static void
rv_pnl(struct rv *rv, int32_t today, int32_t week, td_cents dr, td_cents dc)
{
	struct engine	*e = rv->e;
	td_cents	 net = portfolio_net(e->pf), day = 0, wk = 0, peak = 0;

	if (rv->has_day && rv->day.day == today) {
		day = net - (rv->day.net - rv->day.day_pnl);
		peak = rv->day.day_peak;
	} else
		dr = dc = 0;
	if (rv->has_day && rv->day.week == week)
		wk = net - (rv->day.net - rv->day.week_pnl);
	portfolio_restore_pnl(e->pf, day, dr, dc, peak, wk);
}

/* Start the clock where the journal ends, without a new day or week. */
static void
rv_clock(struct rv *rv, td_ns now)
{
	struct engine	*e = rv->e;

	e->started = true;
	e->now = now;
	e->day = calendar_trading_day(e->cal[0], now);
	e->corr = rv->max_corr;
	for (int i = 0; i < e->cfg.ncal; i++)
		e->has_next[i] = calendar_next_event(e->cal[i], now - 1,
		    &e->next[i]) == 0;
	engine_timer_due(e);
	engine_strat_start(e);
}

/* ------------------------------------------------------------ orders */

static const struct venue_status *
rv_working(const struct rv *rv, uint64_t id)
{
	for (size_t i = 0; i < rv->nvw; i++) {
		if (rv->vw[i].order.id == id)
			return &rv->vw[i];
	}
	return NULL;
}

/* What the venue filled of an order that the journal never heard of. */
static int64_t
rv_missing_qty(const struct rv *rv, uint64_t id, const struct rv_vfill **one)
{
	size_t	 lo = 0, hi = rv->nvf;
	int64_t	 n = 0;

	/* rv->vf is sorted by order id here (rv_match). */
	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (rv->vf[mid].f.order_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < rv->nvf && rv->vf[lo].f.order_id == id; lo++) {
		if (rv->vf[lo].journaled)
			continue;
		n += rv->vf[lo].f.qty;
		*one = &rv->vf[lo];
	}
	return n;
}

/* The OCO group of order id, as the venue or the journal knows it. */
static uint64_t
rv_oco(const struct rv *rv, uint64_t id)
{
	const struct venue_status	*w = rv_working(rv, id);
	const struct journal_order	*jo;

	if (w != NULL)
		return w->order.oco;
	return (jo = rv_order(rv, id)) != NULL ? jo->order.oco : 0;
}

/*
 * What the venue took off order id for the fills of its OCO group that
 * the journal lacks, from the venue's fill exec on (0: all): the venue
 * reduces an order by every fill of the other orders of its group.
 */
static int64_t
rv_group_missing(const struct rv *rv, uint64_t id, uint64_t oco,
    uint64_t from)
{
	int64_t	 n = 0;

	if (oco == 0)
		return 0;
	for (size_t i = 0; i < rv->nvf; i++) {
		if (!rv->vf[i].journaled && rv->vf[i].f.order_id != id &&
		    rv->vf[i].f.exec >= from &&
		    rv_oco(rv, rv->vf[i].f.order_id) == oco)
			n += rv->vf[i].f.qty;
	}
	return n;
}

/*
 * The entry of a bracket leg in OCO group oco, as the journal knows it:
 * the group is the entry's id for its first pair, the id of the pair's
 * first leg for the others.  NULL when the journal knows no such entry.
 */
static const struct journal_order *
rv_leg_entry(const struct rv *rv, uint64_t oco)
{
	const struct journal_order	*jo = rv_order(rv, oco);

	if (jo != NULL && jo->order.role != ROLE_ENTRY && jo->order.parent != 0)
		jo = rv_order(rv, jo->order.parent);
	return jo != NULL && jo->order.role == ROLE_ENTRY ? jo : NULL;
}

/* An order only the venue knows: made up from what the venue says. */
static void
rv_stray(const struct rv *rv, uint64_t id, const struct venue_status *w,
    const struct rv_vfill *vf, struct order *o)
{
	const struct journal_order	*parent;

	memset(o, 0, sizeof *o);
	o->id = id;
	o->owner = td_owner_manual();
	o->role = ROLE_ENTRY;
	if (w != NULL) {
		o->inst = td_inst_at(w->order.inst);
		o->side = w->order.side;
		o->type = w->order.type;
		o->qty = w->order.qty;
		o->price = w->order.price;
		o->limit = w->order.limit;
		o->tif = w->order.tif;
		o->oco = w->order.oco;
	} else {
		o->inst = td_inst_at(vf->f.inst);
		o->side = vf->f.side;
		o->type = ORD_MARKET;
		o->qty = vf->f.order_filled;
	}
	if (o->oco != 0 && (parent = rv_leg_entry(rv, o->oco)) != NULL) {
		o->parent = parent->order.id;
		o->role = o->type == ORD_STOP || o->type == ORD_STOP_LIMIT ?
		    ROLE_STOP : ROLE_TARGET;
		o->owner = rv_owner(rv, parent->owner_name);
		o->corr = parent->order.corr;
	}
	snprintf(o->reason, sizeof o->reason, "taken over from the venue");
}

static int
rv_restore_one(struct rv *rv, struct order *o, struct errmsg *err)
{
	if (order_mgr_restore(rv->e->om, o, err) == -1) {
		engine_log(rv->e, LOG_CRITICAL, "recovery", o->corr, "order "
		    "%llu: %s", (unsigned long long)o->id, err->msg);
		return -1;
	}
	return 0;
}

static int
rv_id_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int
rv_add_id(uint64_t **ids, size_t *n, size_t *cap, uint64_t id)
{
	if (id == 0)
		return 0;
	if (array_grow(ids, cap, *n, sizeof **ids) == -1)
		return -1;
	(*ids)[(*n)++] = id;
	return 0;
}

/*
 * The orders to put back: working per journal, working at the venue, or
 * with fills the journal lacks; and the entries of such legs.  Sorted,
 * each once.
 */
static int
rv_candidates(const struct rv *rv, uint64_t **ids, size_t *n)
{
	size_t	 cap = 0, k, m;

	*ids = NULL;
	*n = 0;
	for (size_t i = 0; i < rv->nlo; i++) {
		const struct order	*o = &rv->lo[i].order;

		if (!order_mgr_final(o->state) && o->state != ORD_NEW &&
		    (rv_add_id(ids, n, &cap, o->id) == -1 ||
		    rv_add_id(ids, n, &cap, o->parent) == -1))
			return -1;
	}
	for (size_t i = 0; i < rv->nvw; i++) {
		if (rv_add_id(ids, n, &cap, rv->vw[i].order.id) == -1 ||
		    rv_add_id(ids, n, &cap, rv->vw[i].order.oco) == -1)
			return -1;
	}
	for (size_t i = 0; i < rv->nvf; i++) {
		if (!rv->vf[i].journaled && rv_add_id(ids, n, &cap,
		    rv->vf[i].f.order_id) == -1)
			return -1;
	}
	if (*n > 0)	/* qsort(NULL, 0) is undefined */
		qsort(*ids, *n, sizeof **ids, rv_id_cmp);
	for (k = m = 0; k < *n; k++) {
		if (m == 0 || (*ids)[m - 1] != (*ids)[k])
			(*ids)[m++] = (*ids)[k];
	}
	*n = m;
	return 0;
}

/*
 * Say what became of an order only the venue knows: taken over as what
 * (a leg of its entry, an exit of the position, a filled order), or
 * cancelled (why).
 */
static void
rv_stray_log(const struct rv *rv, const struct order *o, bool working,
    const char *what)
{
	struct engine	*e = rv->e;
	const char	*sym = td_inst_in(o->inst, e->cfg.ninst) ?
			    e->cfg.inst[o->inst.i].symbol : "?";
	char		 px[32], as[96];

	if (what != NULL)
		snprintf(as, sizeof as, "%s", what);
	else if (o->parent != 0)
		snprintf(as, sizeof as, "taken over as the %s of order %llu",
		    order_role_name(o->role), (unsigned long long)o->parent);
	else if (o->role != ROLE_ENTRY)
		snprintf(as, sizeof as, "taken over as a%s %s of the %s "
		    "position", o->role == ROLE_EXIT ? "n" : "",
		    order_role_name(o->role), sym);
	else
		snprintf(as, sizeof as, "taken over");
	engine_log(e, LOG_CRITICAL, "recovery", o->corr, "order %llu (%s %lld "
	    "%s %s%s%s): %s at the venue but not in the journal: %s",
	    (unsigned long long)o->id, o->side == TD_BUY ? "buy" : "sell",
	    (long long)(o->qty - o->filled), sym, order_type_name(o->type),
	    o->type == ORD_MARKET ? "" : " ", o->type == ORD_MARKET ? "" :
	    engine_px(e, o->inst, o->price, px, sizeof px), working ?
	    "working" : "filled", as);
}

/* The exec of the first fill of order id that the journal lacks. */
static uint64_t
rv_first_lost(const struct rv *rv, uint64_t id)
{
	uint64_t	 at = UINT64_MAX;

	for (size_t i = 0; id != 0 && i < rv->nvf; i++) {
		if (rv->vf[i].f.order_id == id && !rv->vf[i].journaled &&
		    rv->vf[i].f.exec < at)
			at = rv->vf[i].f.exec;
	}
	return at;
}

/* A working order only the venue knows waits for its moment (rv_late). */
static int
rv_defer(struct rv *rv, const struct order *o, const struct venue_status *w,
    int64_t missing)
{
	uint64_t	 own = rv_first_lost(rv, o->id);
	uint64_t	 entry = rv_first_lost(rv, o->parent);

	if (array_grow(&rv->late, &rv->caplate, rv->nlate, sizeof *rv->late) ==
	    -1)
		return -1;
	rv->late[rv->nlate++] = (struct rv_late){
		.o = *o,
		.w = w,
		.missing = missing,
		.at = own < entry ? own : entry,
	};
	return 0;
}

/*
 * The orders only the venue works whose moment has come, before the lost
 * fill exec: put back as they were then (the fills of their OCO group
 * from exec on take their part yet), and journaled now.
 */
static int
rv_late_restore(struct rv *rv, uint64_t exec, struct errmsg *err)
{
	struct engine	*e = rv->e;

	for (size_t i = 0; i < rv->nlate; i++) {
		struct rv_late	*l = &rv->late[i];

		if (l->done || l->at > exec)
			continue;
		l->done = true;
		l->o.qty = l->w->order.qty + rv_group_missing(rv, l->o.id,
		    l->w->order.oco, exec);
		if (l->o.qty < l->o.filled + l->missing)
			l->o.qty = l->o.filled + l->missing;
		if (rv_restore_one(rv, &l->o, err) == -1)
			return -1;
		engine_emit_order(e, order_mgr_find(e->om, l->o.id), -1, NULL);
	}
	return 0;
}

/*
 * The order in which exits are taken over: what surely closes first.  A
 * stop-limit may be passed by its limit and never fill, so it comes after
 * the market exits; a target only closes at a profit.
 */
static int
rv_exit_rank(enum order_type type)
{
	switch (type) {
	case ORD_STOP:
		return 0;
	case ORD_MARKET:
		return 1;
	case ORD_STOP_LIMIT:
		return 2;
	default:
		return 3;
	}
}
#define RV_EXIT_RANKS	4

/* The exit an order of this type is when it closes a position. */
static enum order_role
rv_exit_role(enum order_type type)
{
	switch (type) {
	case ORD_STOP:
	case ORD_STOP_LIMIT:
		return ROLE_STOP;
	case ORD_LIMIT:
		return ROLE_TARGET;
	default:
		return ROLE_EXIT;
	}
}

/*
 * Is o a bracket leg of an entry the venue filled: is its OCO group the
 * id of an order on the other side with fills?  (The legs of an entry's
 * first pair have its id as their group and are placed on its fills.)
 */
static bool
rv_leg_of_fills(const struct rv *rv, const struct order *o)
{
	if (o->oco == 0 || o->oco == o->id)
		return false;
	for (size_t i = 0; i < rv->nvf; i++) {
		if (rv->vf[i].f.order_id == o->oco &&
		    rv->vf[i].f.side != o->side)
			return true;
	}
	return false;
}

/*
 * The next order only the venue works to take over with this rank
 * (rv_exit_rank; legs: of a filled entry, or the others): the largest,
 * the newest of those; NULL when none is left.
 */
static const struct order *
rv_late_next(struct rv *rv, int rank, bool legs)
{
	struct order_mgr	*om = rv->e->om;
	const struct order	*best = NULL;
	size_t			 at = 0;

	for (size_t i = rv->nlate; i-- > 0; ) {
		const struct order	*o = order_mgr_find(om,
					    rv->late[i].o.id);

		if (o == NULL || o->role != ROLE_ENTRY || rv->late[i].tried ||
		    order_mgr_final(o->state) ||
		    rv_exit_rank(o->type) != rank ||
		    rv_leg_of_fills(rv, o) != legs)
			continue;
		if (best == NULL || o->qty - o->filled > best->qty -
		    best->filled) {
			best = o;
			at = i;
		}
	}
	if (best != NULL)
		rv->late[at].tried = true;
	return best;
}

/*
 * The orders only the venue works whose entry the journal does not know,
 * once the venue's position is rebuilt: those that can close it and fit
 * in it beside its other exits (the reduce-only rule) are its protection,
 * so that no second stop is placed over them.  The legs of filled entries
 * come first, then the others; in each, what surely closes first
 * (rv_exit_rank), the largest first, so that they cover as much as they
 * can.  One that does not fit beside those would close more than the
 * position; any other would open or add to a position, now or once the
 * position has moved, with a bracket nobody knows: a fill would leave
 * contracts without their stop, and the restart comes up HALTED (nothing
 * new).  Either is cancelled; the trader places it again after resume if
 * it is still wanted.
 */
static void
rv_late_settle(struct rv *rv)
{
	struct engine		*e = rv->e;
	const struct order	*o;
	struct errmsg		 err;
	int64_t			 pos;

	for (int pass = 0; pass < 2 * RV_EXIT_RANKS; pass++) {
		bool	 legs = pass < RV_EXIT_RANKS;

		while ((o = rv_late_next(rv, pass % RV_EXIT_RANKS, legs)) !=
		    NULL) {
			if (order_mgr_adopt(e->om, o->id, rv_exit_role(o->type),
			    legs ? o->oco : 0, &err) == -1)
				continue;
			rv_stray_log(rv, o, true, NULL);
			engine_emit_order(e, o, o->state, NULL);
		}
	}
	for (size_t i = 0; i < rv->nlate; i++) {
		o = order_mgr_find(e->om, rv->late[i].o.id);
		if (o == NULL || o->role != ROLE_ENTRY ||
		    order_mgr_final(o->state))
			continue;
		rv->out->refused++;
		pos = order_mgr_position(e->om, o->inst);
		rv_stray_log(rv, o, true, pos != 0 && (pos > 0) ==
		    (o->side == TD_SELL) ? "it would close more than the "
		    "position beside its other exits: cancelled" : "it could "
		    "open or add to a position without a bracket: cancelled");
		if (order_mgr_cancel(e->om, o->id, e->now, &err) == -1)
			engine_log(e, LOG_CRITICAL, "recovery", o->corr, "%s",
			    err.msg);
	}
}

/*
 * Every candidate goes back into the order manager as the journal last
 * knew it, so that the lost events bring it up to date; a final entry of
 * a leg goes back as final.  ids keeps the orders put back live.  A
 * working order only the venue knows waits (rv_late).
 */
static int
rv_orders(struct rv *rv, uint64_t **ids, size_t *nids, struct errmsg *err)
{
	struct engine	*e = rv->e;
	uint64_t	*cand;
	size_t		 ncand, cap = 0;

	*ids = NULL;
	*nids = 0;
	if (rv_candidates(rv, &cand, &ncand) == -1)
		return errmsg_set(err, "out of memory");
	for (size_t c = 0; c < ncand; c++) {
		uint64_t			 id = cand[c];
		const struct journal_order	*jo = rv_order(rv, id);
		const struct venue_status	*w = rv_working(rv, id);
		const struct rv_vfill		*vf = NULL;
		int64_t				 missing;
		struct order			 o;
		bool				 live;

		missing = rv_missing_qty(rv, id, &vf);
		live = jo != NULL && !order_mgr_final(jo->order.state) &&
		    jo->order.state != ORD_NEW;
		if (!live && w == NULL && missing == 0) {
			/* The entry of a leg: final, and found by its legs. */
			if (jo != NULL && jo->order.state != ORD_NEW) {
				o = jo->order;
				if (rv_restore_one(rv, &o, err) == -1)
					goto fail;
			}
			continue;
		}
		if (jo != NULL)
			o = jo->order;
		else {
			rv_stray(rv, id, w, vf, &o);
			rv->out->strays++;
			/* A working one without its entry: rv_late_settle. */
			if (w == NULL || o.parent != 0)
				rv_stray_log(rv, &o, w != NULL, NULL);
		}
		if (jo != NULL && !live && w != NULL) {
			rv->out->strays++;
			engine_log(e, LOG_CRITICAL, "recovery", o.corr, "order "
			    "%llu: %s in the journal but working at the venue: "
			    "the venue's word stands", (unsigned long long)id,
			    order_state_name(jo->order.state));
		}
		/* As it was before the lost events. */
		if (w != NULL) {
			o.qty = w->order.qty + rv_group_missing(rv, id,
			    w->order.oco, 0);
			o.price = w->order.price;
			/* A journal before schema 4 has none of these. */
			o.limit = w->order.limit;
			o.tif = w->order.tif;
			o.filled = w->filled - missing;
		}
		if (o.filled < 0)
			o.filled = 0;
		if (o.qty < o.filled + missing)
			o.qty = o.filled + missing;
		o.state = o.filled > 0 ? ORD_PARTIAL : ORD_WORKING;
		if (o.filled == 0)
			o.fill_cost = 0;
		if (jo == NULL && w != NULL) {
			if (rv_defer(rv, &o, w, missing) == -1)
				goto fail;
			continue;
		}
		if (rv_restore_one(rv, &o, err) == -1 ||
		    rv_add_id(ids, nids, &cap, id) == -1)
			goto fail;
		/* An order only the venue knew enters the journal now. */
		if (jo == NULL)
			engine_emit_order(e, order_mgr_find(e->om, id), -1,
			    NULL);
	}
	order_mgr_reserve_ids(e->om, rv->max_id + 1);
	free(cand);
	return 0;
fail:
	free(cand);
	if (err->msg[0] == '\0')
		errmsg_set(err, "out of memory");
	return -1;
}

static int
rv_vf_exec_cmp(const void *a, const void *b)
{
	const struct rv_vfill	*x = a, *y = b;

	return (x->f.exec > y->f.exec) - (x->f.exec < y->f.exec);
}

/*
 * Is order id, which the venue's mass status left out, working there all
 * the same (a venue that took it while it was being asked)?
 */
static int
rv_still_working(struct rv *rv, uint64_t id, bool *working,
    struct errmsg *err)
{
	const struct venue	*v = rv->e->venue;
	struct venue_status	 st;

	if (v->ops->order_status(v->ctx, id, &st, err) == -1)
		return -1;
	*working = st.state == VOS_WORKING;
	return 0;
}

/*
 * The venue took a lost fill of order id off the other live orders of its
 * OCO group: those reductions were lost with it and come now, in order.
 */
static int
rv_lost_reductions(struct rv *rv, uint64_t id, uint64_t oco, int64_t qty,
    td_ns time)
{
	struct engine		*e = rv->e;
	struct venue_event	 ev;
	const struct order	*y;
	uint64_t		*group = NULL;
	size_t			 n = 0, cap = 0;

	if (oco == 0)
		return 0;
	/* Events change the live list: the group is read first. */
	for (int i = 0; i < order_mgr_live_count(e->om); i++) {
		y = order_mgr_live_at(e->om, i);
		/* Not one placed since: the venue took nothing off it. */
		if (y->id != id && y->oco == oco && y->id <= rv->max_id &&
		    rv_add_id(&group, &n, &cap, y->id) == -1) {
			free(group);
			return -1;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if ((y = order_mgr_find(e->om, group[k])) == NULL ||
		    order_mgr_final(y->state))
			continue;
		memset(&ev, 0, sizeof ev);
		ev.id = y->id;
		ev.price = y->price;
		ev.time = time;
		if (y->qty - y->filled <= qty) {
			ev.kind = VEV_CANCELLED;
			ev.qty = y->filled;
			snprintf(ev.reason, sizeof ev.reason, "oco");
		} else {
			ev.kind = VEV_REDUCED;
			ev.qty = y->qty - qty;
			ev.leaves = ev.qty - y->filled;
		}
		engine_venue_event(e, &ev);
	}
	free(group);
	return 0;
}

static int
rv_lost_events(struct rv *rv, const uint64_t *ids, size_t nids,
    struct errmsg *err)
{
	struct engine		*e = rv->e;
	struct venue_event	 ev;
	bool			 working;

	/* Fills the journal lacks, in the order the venue made them. */
	if (rv->nvf > 0)	/* qsort(NULL, 0) is undefined */
		qsort(rv->vf, rv->nvf, sizeof *rv->vf, rv_vf_exec_cmp);
	journal_set_fill_source(rv->j, "venue");
	for (size_t i = 0; i < rv->nvf; i++) {
		const struct venue_exec		*f = &rv->vf[i].f;
		const struct order		*o;
		struct td_inst			 inst;
		uint64_t			 oco = 0;
		bool				 known;

		if (rv->vf[i].journaled)
			continue;
		if (rv_late_restore(rv, f->exec, err) == -1)
			return -1;
		rv->out->missing_fills++;
		o = order_mgr_find(e->om, f->order_id);
		engine_log(e, LOG_CRITICAL, "recovery", o != NULL ? o->corr : 0,
		    "fill %llu of order %llu (%s %lld at %lld ticks) made by "
		    "the venue is not in the journal: applied", (unsigned long
		    long)f->exec, (unsigned long long)f->order_id,
		    f->side == TD_BUY ? "buy" : "sell", (long long)f->qty,
		    (long long)f->price);
		memset(&ev, 0, sizeof ev);
		ev.kind = VEV_FILL;
		ev.id = f->order_id;
		ev.qty = f->qty;
		ev.price = f->price;
		ev.leaves = o != NULL ? o->qty - f->order_filled : 0;
		ev.time = f->time;
		/* Read before the event: o may be recycled by it. */
		if ((known = o != NULL)) {
			inst = o->inst;
			oco = o->oco;
		}
		engine_venue_event(e, &ev);
		if (known && rv_lost_reductions(rv, f->order_id, oco, f->qty,
		    f->time) == -1)
			return errmsg_set(err, "out of memory");
		/* The venue's last fill is the freshest price there is. */
		if (known)
			portfolio_mark(e->pf, inst, f->price);
	}
	journal_set_fill_source(rv->j, NULL);
	if (rv_late_restore(rv, UINT64_MAX, err) == -1)
		return -1;

	/* Orders the venue no longer works: gone, whatever the journal says. */
	for (size_t i = 0; i < nids; i++) {
		const struct order	*o = order_mgr_find(e->om, ids[i]);

		if (o == NULL || order_mgr_final(o->state) ||
		    rv_working(rv, ids[i]) != NULL)
			continue;
		if (rv_still_working(rv, ids[i], &working, err) == -1)
			return -1;
		if (working)
			continue;
		rv->out->orphans++;
		engine_log(e, LOG_CRITICAL, "recovery", o->corr, "order %llu "
		    "(%s %s %lld) is not at the venue: cancelled",
		    (unsigned long long)o->id, order_role_name(o->role),
		    o->side == TD_BUY ? "buy" : "sell", (long long)o->qty);
		memset(&ev, 0, sizeof ev);
		ev.kind = VEV_CANCELLED;
		ev.id = o->id;
		ev.qty = o->filled;
		ev.price = o->price;
		ev.time = e->now;
		snprintf(ev.reason, sizeof ev.reason, "not at the venue after "
		    "a restart");
		engine_venue_event(e, &ev);
	}
	rv_late_settle(rv);
	return 0;
}

/* Journaled fills the venue never made leave the books. */
static int
rv_void(struct rv *rv, struct errmsg *err)
{
	for (size_t i = 0; i < rv->njf; i++) {
		const struct journal_fill	*f = &rv->jf[i].f;

		if (!rv->jf[i].dup && rv_known(rv, &rv->jf[i]))
			continue;
		rv->out->unknown_fills++;
		engine_log(rv->e, LOG_CRITICAL, "recovery", f->corr, "fill of "
		    "order %llu (%s %lld %s) %s: voided",
		    (unsigned long long)f->order_id,
		    f->side == TD_BUY ? "buy" : "sell", (long long)f->qty,
		    f->symbol, rv->jf[i].dup ? "is in the journal twice" :
		    "was never made by the venue");
		if (journal_void_fill(rv->j, f->seq, err) == -1)
			return -1;
	}
	return 0;
}

/* Positions per journal and per venue, before anything was settled. */
static void
rv_compare_positions(struct rv *rv)
{
	struct engine	*e = rv->e;
	int64_t		*jp = rv->jpos, *vp = rv->vpos;

	if (!rv->book)
		return;
	for (size_t i = 0; i < rv->njf; i++) {
		const struct journal_fill	*f = &rv->jf[i].f;
		struct td_inst			 k;

		if (rv_inst(rv, f->symbol, f->inst, &k) == 0 &&
		    !rv->jf[i].dup)
			jp[k.i] += f->side == TD_BUY ? f->qty : -f->qty;
	}
	for (size_t i = 0; i < rv->nvf; i++) {
		const struct venue_exec		*f = &rv->vf[i].f;
		const struct journal_order	*jo = rv_order(rv, f->order_id);
		struct td_inst			 k;

		if (rv_inst(rv, jo != NULL ? jo->symbol : "", f->inst,
		    &k) == 0)
			vp[k.i] += f->side == TD_BUY ? f->qty : -f->qty;
	}
	for (int i = 0; i < e->cfg.ninst; i++) {
		vp[i] += rv->adopted[i];
		if (jp[i] == vp[i])
			continue;
		rv->out->mismatches++;
		engine_log(e, LOG_CRITICAL, "recovery", 0, "%s position: "
		    "journal %+lld, venue %+lld: the venue's stands",
		    e->cfg.inst[i].symbol, (long long)jp[i], (long long)vp[i]);
	}
}

/*
 * The session continued died (a crash, a kill, a power cut, the service
 * manager's watchdog): whatever it was doing when it died, a person looks
 * before the desk trades again.  At least HALTED, and a critical incident
 * of the rollout stage.
 */
static void
rv_unclean(struct rv *rv)
{
	struct engine	*e = rv->e;
	struct errmsg	 err;
	char		 why[RISK_WHY_MAX];

	snprintf(why, sizeof why, "restart after an unclean end of session "
	    "%lld", (long long)rv->resumed);
	if (risk_state(e->risk) < TS_HALTED &&
	    engine_set_state(e, TS_HALTED, "restart", why, &err) == -1)
		engine_log(e, LOG_CRITICAL, "recovery", 0, "%s", err.msg);
	engine_log(e, LOG_CRITICAL, "recovery", 0, "%s: it never closed (a "
	    "crash, a kill, a power cut, the watchdog, or a backup taken "
	    "while it ran restored); trading %s until "
	    "resume", why, trading_state_name(risk_state(e->risk)));
	engine_alert(e, ALERT_CRITICAL, ALERT_EV_RECOVERY, "%s: trading %s "
	    "until resume", why, trading_state_name(risk_state(e->risk)));
	engine_rollout_incident(e, why);
}

/*
 * The journal's state is a latch; a discrepancy halts, and so does an
 * unclean end of the session continued.
 */
static void
rv_state(struct rv *rv)
{
	struct engine		*e = rv->e;
	struct engine_recovery	*out = rv->out;
	struct errmsg		 err;
	char			 why[RISK_WHY_MAX];

	if (rv->has_state && rv->state.to != TS_ACTIVE) {
		/* Set as it was, by whom and when: nothing new to journal. */
		if (risk_set_state(e->risk, rv->state.to, rv->state.who,
		    rv->state.why, rv->state.time, &err) == -1 &&
		    risk_set_state(e->risk, rv->state.to, "restart",
		    rv->state.why, rv->state.time, &err) == -1)
			engine_log(e, LOG_CRITICAL, "recovery", 0, "state: %s",
			    err.msg);
	}
	out->discrepancies = out->missing_fills + out->unknown_fills +
	    out->orphans + out->strays + out->mismatches + out->book_lost;
	if (out->discrepancies > 0)
		engine_alert(e, ALERT_CRITICAL, ALERT_EV_RECOVERY, "restart "
		    "found %d discrepanc%s with the venue: its truth adopted, "
		    "trading HALTED until resume", out->discrepancies,
		    out->discrepancies == 1 ? "y" : "ies");
	if (out->discrepancies > 0) {
		snprintf(why, sizeof why, "restart: %d discrepanc%s with the "
		    "venue", out->discrepancies, out->discrepancies == 1 ?
		    "y" : "ies");
		engine_rollout_incident(e, why);
	}
	if (out->discrepancies > 0 && risk_state(e->risk) < TS_HALTED) {
		if (engine_set_state(e, TS_HALTED, "engine", why, &err) == -1)
			engine_log(e, LOG_CRITICAL, "recovery", 0, "%s",
			    err.msg);
	}
	if (out->unclean)
		rv_unclean(rv);
	out->state = risk_state(e->risk);
}

/* ------------------------------------------------------------ the whole */

static void
rv_free(struct rv *rv)
{
	if (rv == NULL)
		return;
	free(rv->adopted);
	free(rv->jpos);
	free(rv->vpos);
	free(rv->last);
	free(rv->has_last);
	free(rv->sess);
	free(rv->chain);
	free(rv->jf);
	free(rv->lo);
	free(rv->vf);
	free(rv->vw);
	free(rv->late);
	free(rv);
}

/* A recovery of e, its tables per instrument zeroed; NULL: no memory. */
static struct rv *
rv_create(struct engine *e)
{
	size_t		 n = (size_t)e->cfg.ninst;
	struct rv	*rv;

	if ((rv = calloc(1, sizeof *rv)) == NULL)
		return NULL;
	rv->e = e;
	if ((rv->adopted = calloc(n, sizeof *rv->adopted)) == NULL ||
	    (rv->jpos = calloc(n, sizeof *rv->jpos)) == NULL ||
	    (rv->vpos = calloc(n, sizeof *rv->vpos)) == NULL ||
	    (rv->last = calloc(n, sizeof *rv->last)) == NULL ||
	    (rv->has_last = calloc(n, sizeof *rv->has_last)) == NULL) {
		rv_free(rv);
		return NULL;
	}
	return rv;
}

static void
rv_summary(struct rv *rv)
{
	struct engine		*e = rv->e;
	struct engine_recovery	*out = rv->out;
	char			 pos[256], money[PORTFOLIO_FMT_MAX];
	size_t			 used = 0;

	pos[0] = '\0';
	for (int i = 0; i < e->cfg.ninst; i++) {
		int64_t	 p = portfolio_position(e->pf, td_inst_at(i));

		if (p != 0 && used < sizeof pos)
			used += (size_t)snprintf(pos + used, sizeof pos - used,
			    "%s%s %+lld", used > 0 ? ", " : "",
			    e->cfg.inst[i].symbol, (long long)p);
	}
	engine_log(e, out->discrepancies > 0 || out->unclean ? LOG_CRITICAL :
	    LOG_WARNING,
	    "recovery", 0, "restart: session %lld continues %lld: %lld fills, "
	    "%d working orders, positions %s, day p&l %s; %d discrepanc%s "
	    "with the venue; trading %s (%s: %s)", (long long)out->session,
	    (long long)out->resumed, (long long)out->fills,
	    order_mgr_live_count(e->om), used > 0 ? pos : "flat",
	    portfolio_format_money(portfolio_day_pnl(e->pf), money,
	    sizeof money), out->discrepancies, out->discrepancies == 1 ?
	    "y" : "ies", trading_state_name(out->state),
	    risk_state_who(e->risk), risk_state_why(e->risk));
}

/*
 * A venue that knows nothing while the journal has fills lost its records
 * (the simulator's book missing, emptied, replaced): the journal's
 * history stands, nothing is voided, and the restart is a discrepancy.
 */
static void
rv_book_lost(struct rv *rv)
{
	size_t	 n = 0;

	if (!rv->book || rv->nvf > 0 || rv->nvw > 0 || rv->adopted_time != 0)
		return;
	for (size_t i = 0; i < rv->njf; i++)
		n += !rv->jf[i].dup;
	if (n == 0)
		return;
	rv->book = false;
	rv->out->book_lost = 1;
	engine_log(rv->e, LOG_CRITICAL, "recovery", 0, "the venue's book is "
	    "empty but the journal has %zu fill%s: the book was lost; the "
	    "journal's positions stand and nothing is voided", n,
	    n == 1 ? "" : "s");
}

/* The venue that lost its records takes over the journal's position. */
static int
rv_adopt(struct rv *rv, struct td_inst inst, td_ns now, struct errmsg *err)
{
	const struct venue	*v = rv->e->venue;

	if (v->ops->adopt_position == NULL)
		return 0;
	return v->ops->adopt_position(v->ctx, inst.i,
	    portfolio_position(rv->e->pf, inst), now, err);
}

int
engine_recover(struct engine *e, struct journal *j,
    const struct journal_session_info *info, struct engine_recovery *out,
    struct errmsg *err)
{
	struct journal_session_info	 si = *info;
	struct rv			*rv;
	uint64_t			*ids = NULL;
	size_t				 nids = 0;
	td_cents			 dr = 0, dc = 0;
	td_ns				 now;
	int32_t				 today, week;
	int				 rc = -1;

	memset(out, 0, sizeof *out);
	out->state = risk_state(e->risk);
	if (e->started || order_mgr_live_count(e->om) > 0)
		return errmsg_set(err, "recover the engine before it trades");
	if ((rv = rv_create(e)) == NULL)
		return errmsg_set(err, "out of memory");
	rv->j = j;
	rv->out = out;
	rv->mode = info->mode != NULL ? info->mode : "";
	rv->book = true;
	if (rv_read(rv, err) == -1)
		goto out;
	rv_book_lost(rv);
	out->resumed = rv->resumed;
	si.resumes = rv->resumed;

	rv_match(rv);
	for (size_t i = 0; i < rv->nvf; i++) {
		if (rv->vf[i].f.time > rv->last_time)
			rv->last_time = rv->vf[i].f.time;
	}
	now = rv->last_time;
	if (now != 0) {
		today = calendar_trading_day(e->cal[0], now);
		week = calendar_week(e->cal[0], now);
		rv_apply(rv, today, &dr, &dc);
		e->ro_day = today;
		rv_pnl(rv, today, week, dr, dc);
		rv_clock(rv, now);
	}
	out->resumed_at = now;
	for (int i = 0; i < e->cfg.ninst; i++) {
		struct td_inst	 inst = td_inst_at(i);

		order_mgr_set_position(e->om, inst,
		    portfolio_position(e->pf, inst));
		if (out->book_lost && rv_adopt(rv, inst, now, err) == -1)
			goto out;
	}
	rv_compare_positions(rv);

	if ((out->session = engine_journal(e, j, &si, err)) == -1)
		goto out;
	if (rv_void(rv, err) == -1 || rv_orders(rv, &ids, &nids, err) == -1)
		goto out;
	if (rv_lost_events(rv, ids, nids, err) == -1)
		goto out;
	order_mgr_settle(e->om, e->now);
	engine_drain(e);
	out->orders = order_mgr_live_count(e->om);
	rv_state(rv);
	if (now != 0 || out->discrepancies > 0 || out->unclean)
		rv_summary(rv);
	rc = 0;
out:
	free(ids);
	rv_free(rv);
	return rc;
}
