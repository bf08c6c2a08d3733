/*
 * desk-risk.c -- `risk show | set LIMIT VALUE`: the risk limits at run
 * time.  Money is typed in dollars ("500" or "500.00"), the rest as whole
 * numbers; 0 or "off" turns a limit off.  Tightening applies at once;
 * loosening (raising a limit, or turning it off) while a position is open
 * asks to confirm.
 */
#include <stdio.h>
#include <string.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "fixed.h"
#include "risk.h"

enum desk_limit_kind {
	DESK_LIMIT_MONEY,	/* dollars -> cents */
	DESK_LIMIT_COUNT,
	DESK_LIMIT_SECONDS,
	DESK_LIMIT_TICKS,
};

/* The limits engine_risk_set knows, by their configuration names. */
struct desk_limit {
	const char		*name;
	enum desk_limit_kind	 kind;
	const char		*text;
};

static const struct desk_limit desk_limits[] = {
	{ "daily_loss", DESK_LIMIT_MONEY, "halt at this loss in a day" },
	{ "trailing_loss", DESK_LIMIT_MONEY, "halt at this loss from the "
	  "day's peak" },
	{ "weekly_loss", DESK_LIMIT_MONEY, "halt at this loss in a week" },
	{ "max_trade_risk", DESK_LIMIT_MONEY, "money at risk to the stop per "
	  "entry" },
	{ "max_positions", DESK_LIMIT_COUNT, "instruments with a position" },
	{ "max_contracts", DESK_LIMIT_COUNT, "contracts per instrument, "
	  "working entries too" },
	{ "throttle_orders", DESK_LIMIT_COUNT, "orders per throttle window" },
	{ "throttle_seconds", DESK_LIMIT_SECONDS, "the throttle window" },
	{ "price_collar_ticks", DESK_LIMIT_TICKS, "limit and stop prices "
	  "within this of the last" },
	{ "stale_feed_seconds", DESK_LIMIT_SECONDS, "exits only after this "
	  "long without data" },
	{ NULL, DESK_LIMIT_COUNT, NULL },
};

static int64_t
desk_limit_value(const struct risk_cfg *rc, const char *name)
{
	int64_t	 v = 0;

	risk_limit_get(rc, name, &v);	/* names come from our own table */
	return v;
}

static char *
desk_limit_format(const struct desk_limit *l, int64_t v, char *buf,
    size_t len)
{
	if (v == 0)
		snprintf(buf, len, "off");
	else if (l->kind == DESK_LIMIT_MONEY)
		desk_money(v, buf, len);
	else
		snprintf(buf, len, "%lld%s", (long long)v,
		    l->kind == DESK_LIMIT_SECONDS ? " s" :
		    l->kind == DESK_LIMIT_TICKS ? " ticks" : "");
	return buf;
}

static void
desk_risk_show(struct desk_cmd *c)
{
	const struct risk_cfg	*rc = engine_risk_cfg(c->engine);
	const struct snapshot	*s = desk_snapshot(c);

	for (const struct desk_limit *l = desk_limits; l->name != NULL; l++) {
		const struct snap_gauge	*g = NULL;
		char			 v[48], used[64] = "";

		if (strcmp(l->name, "daily_loss") == 0)
			g = &s->daily_loss;
		else if (strcmp(l->name, "weekly_loss") == 0)
			g = &s->weekly_loss;
		else if (strcmp(l->name, "max_positions") == 0)
			g = &s->positions;
		else if (strcmp(l->name, "max_contracts") == 0)
			g = &s->contracts;
		else if (strcmp(l->name, "throttle_orders") == 0)
			g = &s->order_rate;
		if (g != NULL && l->kind == DESK_LIMIT_MONEY)
			snprintf(used, sizeof used, ", used %s",
			    desk_money(g->used, v, sizeof v));
		else if (g != NULL)
			snprintf(used, sizeof used, ", used %lld",
			    (long long)g->used);
		desk_print(c, "%-19s %s%s", l->name, desk_limit_format(l,
		    desk_limit_value(rc, l->name), v, sizeof v), used);
	}
	desk_print(c, "%-19s %02d:%02d-%02d:%02d", "trading_hours",
	    rc->hours_start / 60, rc->hours_start % 60, rc->hours_end / 60,
	    rc->hours_end % 60);
	desk_print(c, "%-19s %s", "flatten_on_breach",
	    rc->flatten_on_breach ? "yes" : "no");
}

/* Dollars with at most 2 decimals to cents; -1 when it is not that. */
static int
desk_risk_money(const char *s, int64_t *out)
{
	td_px	 px;

	if (fixed_parse(s, strlen(s), &px) == -1 || px < 0 ||
	    px % (TD_PX_SCALE / 100) != 0)
		return -1;
	*out = px / (TD_PX_SCALE / 100);
	return 0;
}

static void
desk_risk_set(struct desk_cmd *c)
{
	const struct desk_limit	*l;
	struct errmsg		 err;
	char			 list[512], was[48], to[48];
	size_t			 used = 0;
	int64_t			 v, old;
	int			 rc;

	if (c->argc != 4) {
		if (c->argc > 4)
			desk_unexpected(c, c->argv[4]);
		else
			desk_usage(c);
		return;
	}
	for (l = desk_limits; l->name != NULL; l++) {
		if (strcmp(l->name, c->argv[2]) == 0)
			break;
	}
	if (l->name == NULL) {
		list[0] = '\0';
		for (l = desk_limits; l->name != NULL && used < sizeof list;
		    l++)
			used += (size_t)snprintf(list + used,
			    sizeof list - used, "%s%s", used > 0 ? ", " : "",
			    l->name);
		desk_fail(c, 2, "risk: unknown limit '%s' (%s)", c->argv[2],
		    list);
		return;
	}
	if (strcmp(c->argv[3], "off") == 0)
		v = 0;
	else if (l->kind == DESK_LIMIT_MONEY) {
		if (desk_risk_money(c->argv[3], &v) == -1) {
			desk_fail(c, 2, "risk: bad amount '%s' for %s: "
			    "dollars with at most 2 decimals (500.00), or off",
			    c->argv[3], l->name);
			return;
		}
	} else if (desk_arg_int(c, l->name, c->argv[3], 0, 1000000,
	    &v) == -1)
		return;
	old = desk_limit_value(engine_risk_cfg(c->engine), l->name);
	desk_limit_format(l, old, was, sizeof was);
	desk_limit_format(l, v, to, sizeof to);
	rc = engine_risk_set(c->engine, l->name, v, c->confirmed, &err);
	if (rc == 1) {
		desk_ask(c, "loosen %s from %s to %s with positions open? "
		    "[y/N]", l->name, was, to);
		return;
	}
	if (rc == -1) {
		desk_fail(c, 1, "risk: %s", err.msg);
		return;
	}
	desk_print(c, "%s %s (was %s)", l->name, to, was);
}

static void
desk_risk_exec(struct desk_cmd *c)
{
	const char	*sub = c->argc > 1 ? c->argv[1] : "";

	if (strcmp(sub, "show") == 0) {
		if (c->argc > 2)
			desk_unexpected(c, c->argv[2]);
		else
			desk_risk_show(c);
	} else if (strcmp(sub, "set") == 0)
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
	} else if (argc == 2 && strcmp(argv[1], "set") == 0) {
		for (const struct desk_limit *l = desk_limits; l->name != NULL;
		    l++)
			desk_words_add(out, prefix, l->name);
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
