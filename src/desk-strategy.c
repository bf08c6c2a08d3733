/*
 * desk-strategy.c -- `strategy list | enable NAME | disable NAME | set
 * NAME PARAM VALUE`: the strategy instances of the configuration at run
 * time.  Disabling a strategy leaves its orders (flatten closes them); a
 * parameter changes only while the strategy is disabled, and it starts
 * again from the new value when enabled.  A strategy the engine disabled
 * (errored: it broke its contract) is listed with the reason, and
 * enabling it makes a new instance.  A value is read by the
 * parameter's type (strat-param.h): a whole number, a decimal, true or
 * false, one of an enumeration's names, or a string.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "strategy.h"

static const char *
desk_strategy_run(enum snap_strat_run run)
{
	switch (run) {
	case SNAP_RUNNING:
		return "running";
	case SNAP_WAITING:
		return "waiting";
	case SNAP_DISABLED:
		return "disabled";
	case SNAP_ERRORED:
		return "errored";
	}
	return "?";
}

/* Why the engine disabled it, or the invalid requests it made today. */
static void
desk_strategy_why(struct desk_cmd *c, struct td_strat s,
    const struct snap_strat *ss)
{
	int	 n = engine_strategy_invalid(c->engine, s);

	if (ss->run == SNAP_ERRORED)
		desk_print(c, "  disabled by the engine: %s (strategy enable "
		    "%s starts a new instance)", engine_strategy_why(c->engine,
		    s), ss->name);
	else if (n > 0)
		desk_print(c, "  %d request%s refused as invalid today (%d in "
		    "a day disable it)", n, n == 1 ? "" : "s",
		    STRAT_MAX_INVALID);
}

static void
desk_strategy_list(struct desk_cmd *c)
{
	const struct snapshot	*s = desk_snapshot(c);

	if (s->nstrat == 0) {
		desk_print(c, "no strategies configured");
		return;
	}
	for (int i = 0; i < s->nstrat; i++) {
		const struct snap_strat	*ss = &s->strat[i];
		const struct strategy_cfg *cfg = engine_strategy_cfg(c->engine,
					     td_strat_at(i));
		const struct strategy_ops *ops = engine_strategy_ops(c->engine,
					     td_strat_at(i));
		char			 pnl[48], params[512];
		size_t			 used = 0;

		params[0] = '\0';
		for (int p = 0; ops != NULL && ops->params[p].name != NULL &&
		    used < sizeof params; p++) {
			const struct strat_param *def = &ops->params[p];
			bool		 text = def->type == STRAT_PARAM_STRING;
			char		 v[STRAT_STRING_MAX + 32];

			used += (size_t)snprintf(params + used,
			    sizeof params - used, " %s=%s%s%s", def->name,
			    text ? "\"" : "", strat_param_format(def,
			    cfg->params[p], strat_param_get_text(ops,
			    cfg->param_text, p), v, sizeof v),
			    text ? "\"" : "");
		}
		desk_print(c, "%s (%s on %s) %s%s, position %+lld, day P&L "
		    "%s;%s", ss->name, ss->type, ss->symbol,
		    desk_strategy_run(ss->run),
		    engine_strategy_waits_flat(c->engine, td_strat_at(i)) ?
		    ", holding new orders until the account is flat" : "",
		    (long long)ss->position,
		    desk_money(ss->day_pnl, pnl, sizeof pnl), params);
		desk_strategy_why(c, td_strat_at(i), ss);
	}
}

static void
desk_strategy_enable(struct desk_cmd *c, bool on)
{
	struct errmsg	 err;
	struct td_strat	 s;
	bool		 fresh;

	if (c->argc != 3) {
		if (c->argc > 3)
			desk_unexpected(c, c->argv[3]);
		else
			desk_usage(c);
		return;
	}
	if (desk_arg_strategy(c, c->argv[2], &s) == -1)
		return;
	fresh = on && engine_strategy_why(c->engine, s)[0] != '\0';
	if (engine_strategy_enable(c->engine, c->argv[2], on, &err) == -1) {
		desk_fail(c, 1, "strategy: %s", err.msg);
		return;
	}
	desk_print(c, "strategy %s %s", c->argv[2], fresh ? "enabled: a new "
	    "instance, started afresh" : on ? "enabled" : "disabled (its "
	    "working orders stay: flatten closes them)");
}

/* What a value of def must be, for a refusal: "true or false". */
static char *
desk_strategy_expect(const struct strat_param *def, char *buf, size_t len)
{
	char	 a[64], b[64], r[256];

	switch (def->type) {
	case STRAT_PARAM_INT:
		snprintf(buf, len, "a whole number from %s to %s",
		    strat_param_format(def, def->min, NULL, a, sizeof a),
		    strat_param_format(def, def->max, NULL, b, sizeof b));
		break;
	case STRAT_PARAM_DECIMAL:
		snprintf(buf, len, "a number from %s to %s with at most %d "
		    "decimals", strat_param_format(def, def->min, NULL, a,
		    sizeof a), strat_param_format(def, def->max, NULL, b,
		    sizeof b), def->scale);
		break;
	case STRAT_PARAM_BOOL:
		snprintf(buf, len, "true or false");
		break;
	case STRAT_PARAM_ENUM:
		snprintf(buf, len, "one of %s", strat_param_range(def, r,
		    sizeof r));
		break;
	case STRAT_PARAM_STRING:
		snprintf(buf, len, "%lld to %lld characters",
		    (long long)def->min, (long long)def->max);
		break;
	}
	return buf;
}

static void
desk_strategy_set(struct desk_cmd *c)
{
	const struct strategy_ops *ops;
	const struct strat_param *def;
	struct errmsg		 err;
	char			 list[512], why[160], text[STRAT_STRING_MAX];
	char			 shown[STRAT_STRING_MAX + 32];
	size_t			 used = 0;
	int64_t			 v;
	struct td_strat		 s;
	int			 p;
	bool			 unit;

	if (c->argc != 5) {
		if (c->argc > 5)
			desk_unexpected(c, c->argv[5]);
		else
			desk_usage(c);
		return;
	}
	if (desk_arg_strategy(c, c->argv[2], &s) == -1)
		return;
	ops = engine_strategy_ops(c->engine, s);
	if (ops == NULL || (p = strat_param_index(ops, c->argv[3])) == -1) {
		list[0] = '\0';
		for (int k = 0; ops != NULL && ops->params[k].name != NULL &&
		    used < sizeof list; k++)
			used += (size_t)snprintf(list + used,
			    sizeof list - used, "%s%s", k > 0 ? ", " : "",
			    ops->params[k].name);
		desk_fail(c, 2, "strategy: %s has no parameter '%s' (%s)",
		    c->argv[2], c->argv[3], used > 0 ? list : "none");
		return;
	}
	def = &ops->params[p];
	if (strat_param_parse(def, c->argv[4], &v, text, why,
	    sizeof why) == -1) {
		desk_fail(c, 2, "strategy: bad value of %s '%s': %s",
		    def->name, c->argv[4], desk_strategy_expect(def, why,
		    sizeof why));
		return;
	}
	if (engine_strategy_set(c->engine, c->argv[2], c->argv[3], c->argv[4],
	    &err) == -1) {
		desk_fail(c, 1, "strategy: %s", err.msg);
		return;
	}
	/* A number says its unit; a name, a boolean or a text is enough. */
	unit = def->unit != NULL && (def->type == STRAT_PARAM_INT ||
	    def->type == STRAT_PARAM_DECIMAL);
	desk_print(c, "strategy %s: %s = %s%s%s", c->argv[2], def->name,
	    strat_param_format(def, v, text, shown, sizeof shown),
	    unit ? " " : "", unit ? def->unit : "");
}

static void
desk_strategy_exec(struct desk_cmd *c)
{
	const char	*sub = c->argc > 1 ? c->argv[1] : "";

	if (strcasecmp(sub, "list") == 0) {
		if (c->argc > 2)
			desk_unexpected(c, c->argv[2]);
		else
			desk_strategy_list(c);
	} else if (strcasecmp(sub, "enable") == 0)
		desk_strategy_enable(c, true);
	else if (strcasecmp(sub, "disable") == 0)
		desk_strategy_enable(c, false);
	else if (strcasecmp(sub, "set") == 0)
		desk_strategy_set(c);
	else
		desk_usage(c);
}

static void
desk_strategy_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	const struct strategy_ops *ops = NULL;

	if (argc == 1) {
		desk_words_add(out, prefix, "list");
		desk_words_add(out, prefix, "enable");
		desk_words_add(out, prefix, "disable");
		desk_words_add(out, prefix, "set");
		return;
	}
	if (argc == 2 && strcasecmp(argv[1], "list") != 0) {
		desk_words_strategies(out, snap, prefix);
		return;
	}
	if (argc != 3 || strcasecmp(argv[1], "set") != 0 || snap == NULL)
		return;
	for (int i = 0; i < snap->nstrat; i++) {
		if (strcmp(snap->strat[i].name, argv[2]) == 0)
			ops = strat_registry_find(
			    strat_registry_builtin(), snap->strat[i].type);
	}
	for (int p = 0; ops != NULL && ops->params[p].name != NULL; p++)
		desk_words_add(out, prefix, ops->params[p].name);
}

const struct desk_entry desk_strategy_entry = {
	.name = "strategy",
	.usage = "list | enable NAME | disable NAME | set NAME PARAM VALUE",
	.summary = "list, enable, disable or tune the strategies",
	.flags = DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_strategy_exec,
	.complete = desk_strategy_complete,
};
