/*
 * rollout.c -- the rollout ladder (see rollout.h).
 *
 * It owns a copy of the ladder's configuration, the index of the current
 * stage and the evidence gathered in it since it was entered.  The engine
 * makes the events and journals them; a restart hands the journal's rows
 * back through rollout_apply, so the ladder is rebuilt exactly.  Judging
 * the criteria reads the evidence only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "rollout.h"

struct rollout {
	struct rollout_cfg	 cfg;
	int			 cur;
	bool			 begun;
	struct rollout_evidence	 ev;
};

static const char *const rollout_path_names[ROLLOUT_NPATHS] = {
	[ROLLOUT_PATH_STOP] = "stop",
	[ROLLOUT_PATH_TARGET] = "target",
	[ROLLOUT_PATH_DAILY_HALT] = "daily_halt",
};

static const char *const rollout_demote_names[ROLLOUT_NDEMOTES] = {
	[ROLLOUT_DEMOTE_LOSS_LIMIT] = "loss_limit",
	[ROLLOUT_DEMOTE_BREAKER] = "breaker",
};

static const char *const rollout_event_names[ROLLOUT_NEVENTS] = {
	[ROLLOUT_EV_MOVE] = "move",
	[ROLLOUT_EV_SESSION] = "session",
	[ROLLOUT_EV_PATH] = "path",
	[ROLLOUT_EV_FILL] = "fill",
	[ROLLOUT_EV_INCIDENT] = "incident",
};

const char *
rollout_path_name(enum rollout_path p)
{
	return (unsigned)p < ROLLOUT_NPATHS ? rollout_path_names[p] : NULL;
}

const char *
rollout_demote_name(enum rollout_demote d)
{
	return (unsigned)d < ROLLOUT_NDEMOTES ? rollout_demote_names[d] : NULL;
}

const char *
rollout_event_name(enum rollout_ev_kind k)
{
	return (unsigned)k < ROLLOUT_NEVENTS ? rollout_event_names[k] : NULL;
}

/* The index of name in names[0 .. n), or -1. */
static int
rollout_name_index(const char *const *names, int n, const char *name)
{
	for (int k = 0; k < n; k++) {
		if (strcmp(names[k], name) == 0)
			return k;
	}
	return -1;
}

int
rollout_event_kind(const char *name, enum rollout_ev_kind *out)
{
	int	 k = rollout_name_index(rollout_event_names, ROLLOUT_NEVENTS,
		    name);

	if (k != -1)
		*out = (enum rollout_ev_kind)k;
	return k == -1 ? -1 : 0;
}

int
rollout_path_find(const char *name, enum rollout_path *out)
{
	int	 k = rollout_name_index(rollout_path_names, ROLLOUT_NPATHS,
		    name);

	if (k != -1)
		*out = (enum rollout_path)k;
	return k == -1 ? -1 : 0;
}

/* ------------------------------------------------------------ limits */

void
rollout_stage_defaults(struct rollout_stage *st)
{
	memset(st, 0, sizeof *st);
	/* Every limit at 0: off, or hours start == end, always open. */
}

void
rollout_stage_limits(const struct rollout_stage *st,
    const struct risk_cfg *base, struct risk_cfg *out)
{
	const struct risk_limit	*l = risk_limits();
	struct errmsg		 err;

	*out = *base;
	for (int i = 0; i < RISK_NLIMITS; i++) {
		int64_t	 b = risk_limit_get(&l[i], base);
		int64_t	 s = risk_limit_get(&l[i], &st->risk);

		if (s != b && !risk_limit_loosens(&l[i], b, s))
			(void)risk_limit_set(&l[i], out, s, &err);
	}
}

void
rollout_limits(const struct rollout *r, const struct risk_cfg *base,
    struct risk_cfg *out)
{
	rollout_stage_limits(&r->cfg.stage[r->cur], base, out);
}

bool
rollout_allows(const struct rollout *r, const char *symbol)
{
	const struct rollout_stage	*st = &r->cfg.stage[r->cur];

	if (st->nsymbols == 0)
		return true;
	for (int i = 0; i < st->nsymbols; i++) {
		if (strcmp(st->symbols[i], symbol) == 0)
			return true;
	}
	return false;
}

char *
rollout_symbols(const struct rollout_stage *st, char *buf, size_t len)
{
	size_t	 used = 0;

	buf[0] = '\0';
	if (st->nsymbols == 0)
		snprintf(buf, len, "all instruments");
	for (int i = 0; i < st->nsymbols && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i > 0 ? ", " : "", st->symbols[i]);
	return buf;
}

/* ------------------------------------------------------------ the ladder */

struct rollout *
rollout_create(const struct rollout_cfg *cfg, struct errmsg *err)
{
	struct rollout	*r;

	if (cfg->nstages < 1 || cfg->nstages > ROLLOUT_MAX_STAGES) {
		errmsg_set(err, "rollout: %d stages, 1 to %d", cfg->nstages,
		    ROLLOUT_MAX_STAGES);
		return NULL;
	}
	for (int i = 0; i < cfg->nstages; i++) {
		if (cfg->stage[i].name[0] == '\0') {
			errmsg_set(err, "rollout: stage %d has no name", i + 1);
			return NULL;
		}
		for (int k = 0; k < i; k++) {
			if (strcmp(cfg->stage[k].name,
			    cfg->stage[i].name) == 0) {
				errmsg_set(err, "rollout: stage %d: name '%s' "
				    "is used twice", i + 1, cfg->stage[i].name);
				return NULL;
			}
		}
	}
	if ((r = calloc(1, sizeof *r)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	r->cfg = *cfg;
	return r;
}

void
rollout_free(struct rollout *r)
{
	free(r);
}

const struct rollout_cfg *
rollout_config(const struct rollout *r)
{
	return &r->cfg;
}

int
rollout_index(const struct rollout *r)
{
	return r->cur;
}

const struct rollout_stage *
rollout_current(const struct rollout *r)
{
	return &r->cfg.stage[r->cur];
}

int
rollout_find(const struct rollout *r, const char *name)
{
	for (int i = 0; i < r->cfg.nstages; i++) {
		if (strcmp(r->cfg.stage[i].name, name) == 0)
			return i;
	}
	return -1;
}

bool
rollout_begun(const struct rollout *r)
{
	return r->begun;
}

const struct rollout_evidence *
rollout_evidence(const struct rollout *r)
{
	return &r->ev;
}

static void
rollout_session(struct rollout *r, int32_t day)
{
	struct rollout_evidence	*ev = &r->ev;
	int			 kept = ev->nsessions < ROLLOUT_DAYS_MAX ?
				    ev->nsessions : ROLLOUT_DAYS_MAX;

	for (int i = 0; i < kept; i++) {
		if (ev->days[i] == day)
			return;
	}
	if (kept > 0 && day <= ev->days[kept - 1])
		return;		/* an older day than the last: seen */
	if (kept < ROLLOUT_DAYS_MAX)
		ev->days[kept] = day;
	ev->nsessions++;
}

static void
rollout_fill(struct rollout *r, const struct rollout_event *e)
{
	struct rollout_evidence	*ev = &r->ev;

	if (ev->fills == 0 || e->ticks > ev->worst) {
		ev->worst = e->ticks;
		ev->worst_day = e->day;
		ev->worst_order = e->order_id;
		snprintf(ev->worst_symbol, sizeof ev->worst_symbol, "%s",
		    e->symbol != NULL ? e->symbol : "");
	}
	ev->fills++;
}

int
rollout_apply(struct rollout *r, const struct rollout_event *e,
    struct errmsg *err)
{
	struct rollout_evidence	*ev = &r->ev;
	int			 to;

	if (e->kind == ROLLOUT_EV_MOVE) {
		if ((to = rollout_find(r, e->to != NULL ? e->to : "")) == -1)
			return errmsg_set(err, "rollout: no stage '%s'",
			    e->to != NULL ? e->to : "");
		r->cur = to;
		r->begun = true;
		memset(ev, 0, sizeof *ev);
		ev->since = e->time;
		snprintf(ev->who, sizeof ev->who, "%s",
		    e->who != NULL ? e->who : "");
		snprintf(ev->why, sizeof ev->why, "%s",
		    e->why != NULL ? e->why : "");
		return 0;
	}
	if (e->stage == NULL || strcmp(e->stage, r->cfg.stage[r->cur].name))
		return 0;
	switch (e->kind) {
	case ROLLOUT_EV_SESSION:
		rollout_session(r, e->day);
		break;
	case ROLLOUT_EV_PATH:
		if ((unsigned)e->path >= ROLLOUT_NPATHS)
			break;
		if (ev->paths[e->path]++ == 0)
			ev->path_day[e->path] = e->day;
		break;
	case ROLLOUT_EV_FILL:
		rollout_fill(r, e);
		break;
	case ROLLOUT_EV_INCIDENT:
		ev->incidents++;
		ev->incident_day = e->day;
		snprintf(ev->incident, sizeof ev->incident, "%s",
		    e->why != NULL ? e->why : "");
		break;
	default:
		break;
	}
	return 0;
}

/* ------------------------------------------------------------ criteria */

char *
rollout_day(int32_t day, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", (int)(day / 10000),
	    (int)(day / 100 % 100), (int)(day % 100));
	return buf;
}

int64_t
rollout_slippage(enum td_side side, td_ticks expected, td_ticks price)
{
	return side == TD_BUY ? price - expected : expected - price;
}

static void
rollout_judge_sessions(const struct rollout *r, struct rollout_check *c)
{
	const struct rollout_evidence	*ev = &r->ev;
	size_t				 used;
	char				 d[16];
	int				 kept = ev->nsessions < ROLLOUT_DAYS_MAX ?
					    ev->nsessions : ROLLOUT_DAYS_MAX;

	c->judged = r->cfg.stage[r->cur].sessions > 0;
	c->met = ev->nsessions >= r->cfg.stage[r->cur].sessions;
	used = (size_t)snprintf(c->evidence, sizeof c->evidence, "%d of %d",
	    ev->nsessions, r->cfg.stage[r->cur].sessions);
	for (int i = 0; i < kept && used < sizeof c->evidence; i++)
		used += (size_t)snprintf(c->evidence + used,
		    sizeof c->evidence - used, "%s%s", i == 0 ? ": " : ", ",
		    rollout_day(ev->days[i], d, sizeof d));
}

static void
rollout_judge_path(const struct rollout *r, enum rollout_path p,
    struct rollout_check *c)
{
	const struct rollout_evidence	*ev = &r->ev;
	char				 d[16];

	c->judged = (r->cfg.stage[r->cur].paths & (1u << p)) != 0;
	c->met = ev->paths[p] > 0;
	if (ev->paths[p] == 0)
		snprintf(c->evidence, sizeof c->evidence, "not seen");
	else
		snprintf(c->evidence, sizeof c->evidence, "seen %lld time%s, "
		    "first on %s", (long long)ev->paths[p], ev->paths[p] == 1 ?
		    "" : "s", rollout_day(ev->path_day[p], d, sizeof d));
}

static void
rollout_judge_slippage(const struct rollout *r, struct rollout_check *c)
{
	const struct rollout_evidence	*ev = &r->ev;
	int64_t				 max;
	char				 d[16];

	max = r->cfg.stage[r->cur].max_slippage_ticks;
	c->judged = max > 0;
	c->met = ev->fills == 0 || ev->worst <= max;
	if (ev->fills == 0)
		snprintf(c->evidence, sizeof c->evidence, "no fills, at most "
		    "%lld ticks", (long long)max);
	else
		snprintf(c->evidence, sizeof c->evidence, "worst %lld tick%s "
		    "of %lld fill%s (at most %lld), order %llu %s on %s",
		    (long long)ev->worst, ev->worst == 1 ? "" : "s",
		    (long long)ev->fills, ev->fills == 1 ? "" : "s",
		    (long long)max, (unsigned long long)ev->worst_order,
		    ev->worst_symbol, rollout_day(ev->worst_day, d, sizeof d));
}

int
rollout_evaluate(const struct rollout *r,
    struct rollout_check out[ROLLOUT_NCRITS])
{
	const struct rollout_evidence	*ev = &r->ev;
	static const char *const	 names[ROLLOUT_NCRITS] = {
		"sessions", "no_critical", "stop", "target", "daily_halt",
		"max_slippage_ticks",
	};
	char				 d[16];
	int				 unmet = 0;

	memset(out, 0, ROLLOUT_NCRITS * sizeof *out);
	for (int i = 0; i < ROLLOUT_NCRITS; i++)
		out[i].name = names[i];
	rollout_judge_sessions(r, &out[ROLLOUT_CRIT_SESSIONS]);
	out[ROLLOUT_CRIT_NO_CRITICAL].judged =
	    r->cfg.stage[r->cur].no_critical;
	out[ROLLOUT_CRIT_NO_CRITICAL].met = ev->incidents == 0;
	if (ev->incidents == 0)
		snprintf(out[ROLLOUT_CRIT_NO_CRITICAL].evidence,
		    ROLLOUT_EVIDENCE_MAX, "none");
	else
		snprintf(out[ROLLOUT_CRIT_NO_CRITICAL].evidence,
		    ROLLOUT_EVIDENCE_MAX, "%d, the last on %s: %s",
		    ev->incidents, rollout_day(ev->incident_day, d, sizeof d),
		    ev->incident);
	rollout_judge_path(r, ROLLOUT_PATH_STOP, &out[ROLLOUT_CRIT_STOP]);
	rollout_judge_path(r, ROLLOUT_PATH_TARGET, &out[ROLLOUT_CRIT_TARGET]);
	rollout_judge_path(r, ROLLOUT_PATH_DAILY_HALT,
	    &out[ROLLOUT_CRIT_DAILY_HALT]);
	rollout_judge_slippage(r, &out[ROLLOUT_CRIT_SLIPPAGE]);
	for (int i = 0; i < ROLLOUT_NCRITS; i++)
		unmet += out[i].judged && !out[i].met;
	return unmet;
}

char *
rollout_unmet(const struct rollout *r, char *buf, size_t len)
{
	struct rollout_check	 c[ROLLOUT_NCRITS];
	size_t			 used = 0;

	buf[0] = '\0';
	rollout_evaluate(r, c);
	for (int i = 0; i < ROLLOUT_NCRITS && used < len; i++) {
		if (c[i].judged && !c[i].met)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s: %s", used > 0 ? "; " : "", c[i].name,
			    c[i].evidence);
	}
	return buf;
}
