/*
 * engine-obs.c -- the engine's observers: the list, the delivery of each
 * event, and the journal's start on the engine's books.
 *
 * The engine keeps a small array of observers (engine.h), the recorder
 * (the journal) in slot 0 when there is one, and for each kind of event
 * the list of those who hear it, so that an event nobody hears costs one
 * test.  An event goes to the recorder first: when it cannot keep the
 * event the engine halts, logs and alerts (it will not trade on books it
 * cannot write down), and for what the refusal stops (engine_emit_veto:
 * an order's creation, a resume) the others are not told.  The other
 * observers' answers are ignored: they describe, they do not decide.
 *
 * The journal is started here from the engine's books as plain data
 * (struct journal_books), so that it never reads the engine itself.
 */
#include <stdlib.h>
#include <string.h>

#include "engine-int.h"
#include "errmsg.h"
#include "journal.h"
#include "portfolio.h"
#include "risk.h"

static bool
engine_obs_hears(const struct engine_observer *o, enum engine_ev_kind kind)
{
	return o->mask == 0 || (o->mask & EEV_BIT(kind)) != 0;
}

/* Who hears each kind. */
static void
engine_obs_mask(struct engine *e)
{
	memset(e->nhearer, 0, sizeof e->nhearer);
	for (int i = 0; i < e->nobs; i++) {
		for (int k = 0; k < EEV_KINDS; k++) {
			if (engine_obs_hears(&e->obs[i], (enum engine_ev_kind)k))
				e->hearer[k][e->nhearer[k]++] = (uint8_t)i;
		}
	}
}

static bool
engine_has_recorder(const struct engine *e)
{
	return e->nobs > 0 && e->obs[0].record;
}

int
engine_observer_add(struct engine *e, const struct engine_observer *obs,
    struct errmsg *err)
{
	int	 at;

	if (obs->fn == NULL)
		return errmsg_set(err, "an observer needs a function");
	if (e->nobs == ENGINE_MAX_OBS)
		return errmsg_set(err, "the engine has %d observers already",
		    ENGINE_MAX_OBS);
	if (obs->record && engine_has_recorder(e))
		return errmsg_set(err, "the engine has a recorder already");
	/* The recorder hears first. */
	at = obs->record ? 0 : e->nobs;
	memmove(&e->obs[at + 1], &e->obs[at], (size_t)(e->nobs - at) *
	    sizeof e->obs[0]);
	e->obs[at] = *obs;
	e->nobs++;
	engine_obs_mask(e);
	return 0;
}

int
engine_observer_remove(struct engine *e, engine_observer_fn fn, void *arg)
{
	for (int i = 0; i < e->nobs; i++) {
		if (e->obs[i].fn != fn || e->obs[i].arg != arg)
			continue;
		memmove(&e->obs[i], &e->obs[i + 1], (size_t)(e->nobs - i - 1) *
		    sizeof e->obs[0]);
		e->nobs--;
		engine_obs_mask(e);
		return 0;
	}
	return -1;
}

/* The recorder could not keep ev (why in err): halt, log and alert. */
static void
engine_unrecorded(struct engine *e, const struct engine_ev *ev,
    struct errmsg *err)
{
	struct errmsg	 serr;

	if (err->msg[0] == '\0')
		errmsg_set(err, "the journal gave no reason");
	engine_log(e, LOG_CRITICAL, "journal", ev->corr, "the journal could "
	    "not record an event (%s): trading halted", err->msg);
	engine_alert(e, ALERT_CRITICAL, ALERT_EV_JOURNAL, "the journal could "
	    "not record an event (%s): trading halted", err->msg);
	if (ev->kind != EEV_STATE && risk_state(e->risk) < TS_HALTED &&
	    risk_set_state(e->risk, TS_HALTED, "engine", "journal failure",
	    e->now, &serr) == -1)
		engine_log(e, LOG_CRITICAL, "risk", 0, "%s", serr.msg);
}

static int
engine_deliver(struct engine *e, const struct engine_ev *ev, bool veto,
    struct errmsg *err)
{
	struct portfolio_account acct;
	struct engine_ev	 x;
	struct errmsg		 own;
	int			 rc = 0, i = 0;

	if (err == NULL)
		err = &own;
	err->msg[0] = '\0';
	if (!engine_hears(e, ev->kind))
		return 0;
	if ((EEV_BOOKS & EEV_BIT(ev->kind)) != 0 && ev->account == NULL) {
		portfolio_get_account(e->pf, &acct);
		x = *ev;
		x.account = &acct;
		ev = &x;
	}
	if (engine_has_recorder(e)) {
		i = 1;
		if (engine_obs_hears(&e->obs[0], ev->kind) &&
		    e->obs[0].fn(e->obs[0].arg, ev, err) == -1) {
			engine_unrecorded(e, ev, err);
			if (veto)
				return -1;
			rc = -1;
		}
	}
	for (; i < e->nobs; i++) {
		if (engine_obs_hears(&e->obs[i], ev->kind))
			e->obs[i].fn(e->obs[i].arg, ev, NULL);
	}
	return rc;
}

int
engine_emit(struct engine *e, const struct engine_ev *ev, struct errmsg *err)
{
	return engine_deliver(e, ev, false, err);
}

void
engine_tell(struct engine *e, const struct engine_ev *ev)
{
	int	 k = ev->kind;

	for (int j = 0; j < e->nhearer[k]; j++) {
		const struct engine_observer	*o = &e->obs[e->hearer[k][j]];

		o->fn(o->arg, ev, NULL);
	}
}

int
engine_emit_veto(struct engine *e, const struct engine_ev *ev,
    struct errmsg *err)
{
	return engine_deliver(e, ev, true, err);
}

/*
 * An order created (from -1: not sent unless recorded) or changed state.
 */
int
engine_emit_order(struct engine *e, const struct order *o, int from,
    struct errmsg *err)
{
	struct engine_ev	 ev = {
		.kind = EEV_ORDER,
		.time = e->now,
		.corr = o->corr,
		.order = o,
		.from = from,
		.inst = o->inst,
		.instrument = &e->cfg.inst[o->inst.i],
		.owner = engine_owner_name(e, o->owner),
		.side = o->side,
		.qty = o->qty,
		.price = o->price,
		.text = o->reason,
	};

	return from < 0 ? engine_emit_veto(e, &ev, err) :
	    engine_emit(e, &ev, err);
}

/* What a venue event made of order o, changed from state from. */
void
engine_emit_update(struct engine *e, const struct order *o, int from)
{
	if (!engine_hears(e, EEV_UPDATE))
		return;
	engine_emit(e, &(struct engine_ev){ .kind = EEV_UPDATE,
	    .time = e->now, .corr = o->corr, .order = o, .from = from,
	    .inst = o->inst, .instrument = &e->cfg.inst[o->inst.i],
	    .owner = engine_owner_name(e, o->owner) }, NULL);
}

void
engine_snap_observers(const struct engine *e, struct snapshot *s)
{
	for (int i = 0; i < e->nobs; i++) {
		if (e->obs[i].snapshot != NULL)
			e->obs[i].snapshot(e->obs[i].arg, s);
	}
}

/* ---------------------------------------------------------------- journal */

int64_t
engine_journal(struct engine *e, struct journal *j,
    const struct journal_session_info *info, struct errmsg *err)
{
	struct journal_books	 b = {
		.cal = e->cal[0],
		.now = e->now,
		.ninst = e->cfg.ninst,
		.inst = e->cfg.inst,
		.nstrat = e->nstrat,
	};
	struct journal_strategy	*st;
	int64_t			*pos, session = -1;

	if (engine_has_recorder(e))
		return errmsg_set(err, "the engine has a recorder already");
	if (e->nobs == ENGINE_MAX_OBS)
		return errmsg_set(err, "the engine has %d observers already",
		    ENGINE_MAX_OBS);
	pos = calloc((size_t)e->cfg.ninst, sizeof *pos);
	st = calloc((size_t)e->nstrat + 1, sizeof *st);
	if (pos == NULL || st == NULL) {
		errmsg_set(err, "out of memory");
		goto out;
	}
	for (int i = 0; i < e->cfg.ninst; i++)
		pos[i] = portfolio_position(e->pf, td_inst_at(i));
	for (int i = 0; i < e->nstrat; i++)
		st[i] = (struct journal_strategy){
			.name = e->strat[i].cfg->name,
			.type = e->strat[i].cfg->type,
			.symbol = e->strat[i].cfg->symbol,
			.inst = e->strat[i].inst,
			.position = e->strat[i].position,
		};
	b.position = pos;
	b.strat = st;
	if ((session = journal_begin(j, info, &b, err)) != -1) {
		engine_observer_add(e, &(struct engine_observer){
		    .fn = journal_observe, .arg = j, .mask = EEV_BOOKS,
		    .record = true }, err);
		/* A ladder not yet on record starts there. */
		engine_rollout_begin(e);
	}
out:
	free(pos);
	free(st);
	return session;
}
