/*
 * desk-risk.c -- `risk show | set LIMIT VALUE`: the risk limits at run
 * time, as the risk module's table (risk_limits) describes them.  Money is
 * typed in dollars ("500" or "500.00"), the rest as whole numbers; 0 or
 * "off" turns a limit off.  Tightening applies at once; loosening (raising
 * a limit, shortening the throttle's window, or turning a limit off) while
 * a position is open asks to confirm.  Limits the table does not mark live
 * (the trading hours, flatten_on_breach) are shown, and wait for a
 * restart to change.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "risk.h"

/* What the snapshot says is used of limit id, or NULL. */
static const struct snap_gauge *
desk_risk_gauge(const struct snapshot *s, int id)
{
	switch (id) {
	case RISK_LIM_DAILY_LOSS:
		return &s->daily_loss;
	case RISK_LIM_WEEKLY_LOSS:
		return &s->weekly_loss;
	case RISK_LIM_MAX_POSITIONS:
		return &s->positions;
	case RISK_LIM_MAX_CONTRACTS:
		return &s->contracts;
	case RISK_LIM_THROTTLE_ORDERS:
		return &s->order_rate;
	default:
		return NULL;
	}
}

static void
desk_risk_show_one(struct desk_cmd *c, int id)
{
	const struct risk_limit	*l = &risk_limits()[id];
	const struct snap_gauge	*g = desk_risk_gauge(desk_snapshot(c), id);
	char			 v[RISK_LIMIT_FMT_MAX], used[64] = "";

	if (g != NULL && l->unit == RISK_UNIT_MONEY)
		snprintf(used, sizeof used, ", used %s",
		    desk_money(g->used, v, sizeof v));
	else if (g != NULL)
		snprintf(used, sizeof used, ", used %lld", (long long)g->used);
	desk_print(c, "%-19s %s%s", l->name, risk_limit_format(l,
	    risk_limit_get(l, engine_risk_cfg(c->engine)), RISK_FMT_SHOW, v,
	    sizeof v), used);
}

/* The limits that change while trading, then those that wait. */
static void
desk_risk_show(struct desk_cmd *c)
{
	for (int live = 1; live >= 0; live--) {
		for (int i = 0; i < RISK_NLIMITS; i++) {
			if (((risk_limits()[i].flags & RISK_LIMIT_LIVE) != 0) ==
			    (live != 0))
				desk_risk_show_one(c, i);
		}
	}
}

/* "risk: unknown limit 'frob' (daily_loss, ...)", the live ones. */
static void
desk_risk_unknown(struct desk_cmd *c, const char *name)
{
	char	 list[512] = "";
	size_t	 used = 0;

	for (int i = 0; i < RISK_NLIMITS && used < sizeof list; i++) {
		if (risk_limits()[i].flags & RISK_LIMIT_LIVE)
			used += (size_t)snprintf(list + used,
			    sizeof list - used, "%s%s", used > 0 ? ", " : "",
			    risk_limits()[i].name);
	}
	desk_fail(c, 2, "risk: unknown limit '%s' (%s)", name, list);
}

static void
desk_risk_set(struct desk_cmd *c)
{
	const struct risk_limit	*l;
	struct errmsg		 err;
	char			 was[RISK_LIMIT_FMT_MAX];
	char			 to[RISK_LIMIT_FMT_MAX];
	int64_t			 v, old;
	int			 rc;

	if (c->argc != 4) {
		if (c->argc > 4)
			desk_unexpected(c, c->argv[4]);
		else
			desk_usage(c);
		return;
	}
	if ((l = risk_limit_find(c->argv[2])) == NULL) {
		desk_risk_unknown(c, c->argv[2]);
		return;
	}
	if ((l->flags & RISK_LIMIT_LIVE) == 0) {
		desk_fail(c, 1, "risk: %s cannot change while the session runs "
		    "(restart to apply)", l->name);
		return;
	}
	if (risk_limit_parse(l, c->argv[3], &v, &err) == -1) {
		desk_fail(c, 2, "risk: %s", err.msg);
		return;
	}
	old = risk_limit_get(l, engine_risk_cfg(c->engine));
	rc = engine_risk_set(c->engine, l->name, v, c->confirmed, &err);
	if (rc == 1) {
		desk_ask(c, "%s [y/N]", err.msg);
		return;
	}
	if (rc == -1) {
		desk_fail(c, 1, "risk: %s", err.msg);
		return;
	}
	desk_print(c, "%s %s (was %s)", l->name, risk_limit_format(l, v,
	    RISK_FMT_SHOW, to, sizeof to), risk_limit_format(l, old,
	    RISK_FMT_SHOW, was, sizeof was));
}

static void
desk_risk_exec(struct desk_cmd *c)
{
	const char	*sub = c->argc > 1 ? c->argv[1] : "";

	if (strcasecmp(sub, "show") == 0) {
		if (c->argc > 2)
			desk_unexpected(c, c->argv[2]);
		else
			desk_risk_show(c);
	} else if (strcasecmp(sub, "set") == 0)
		desk_risk_set(c);
	else
		desk_usage(c);
}

static void
desk_risk_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	(void)snap;
	if (argc == 1) {
		desk_words_add(out, prefix, "show");
		desk_words_add(out, prefix, "set");
	} else if (argc == 2 && strcasecmp(argv[1], "set") == 0) {
		for (int i = 0; i < RISK_NLIMITS; i++) {
			if (risk_limits()[i].flags & RISK_LIMIT_LIVE)
				desk_words_add(out, prefix,
				    risk_limits()[i].name);
		}
	}
}

const struct desk_entry desk_risk_entry = {
	.name = "risk",
	.usage = "show | set LIMIT VALUE",
	.summary = "show the risk limits, or change one (loosening asks)",
	.flags = DESK_CONFIRM | DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_risk_exec,
	.complete = desk_risk_complete,
};
