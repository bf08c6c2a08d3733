/*
 * desk-rollout.c -- `rollout [status | next | back]`: the rollout ladder
 * (core/rollout.h, tickdesk.conf(5): rollout).
 *
 * status lists the current stage, its limits and each criterion to leave
 * it, met or not, with its evidence (session dates, counts, the worst
 * slippage and where).  next moves one stage up only when every
 * criterion is met, and asks to confirm first: the limits grow.  back
 * moves one stage down at once, with no question: it only tightens.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "rollout.h"

/* "max_contracts 1, daily_loss 100.00" (the stage's own limits); buf. */
static char *
desk_rollout_limits(const struct rollout_stage *st, char *buf, size_t len)
{
	const struct risk_limit	*l = risk_limits();
	char			 v[RISK_LIMIT_FMT_MAX];
	size_t			 used = 0;

	buf[0] = '\0';
	for (int i = 0; i < RISK_NLIMITS && used < len; i++) {
		int64_t	 x = risk_limit_get(&l[i], &st->risk);

		if (x == 0)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s %s",
		    used > 0 ? ", " : "", l[i].name, risk_limit_format(&l[i],
		    x, RISK_FMT_SHOW, v, sizeof v));
	}
	if (used == 0)
		snprintf(buf, len, "the configured limits");
	return buf;
}

static void
desk_rollout_status(struct desk_cmd *c, const struct rollout *r)
{
	const struct rollout_cfg	*cfg = rollout_config(r);
	const struct rollout_stage	*st = rollout_current(r);
	const struct rollout_evidence	*ev = rollout_evidence(r);
	struct rollout_check		 chk[ROLLOUT_NCRITS];
	char				 lim[256], syms[160], when[32];
	int				 cur = rollout_index(r), unmet, judged = 0;

	desk_print(c, "stage %s (%d of %d), since %s by %s: %s", st->name,
	    cur + 1, cfg->nstages, ev->since != 0 ? desk_time(c, ev->since,
	    when, sizeof when) : "the start", ev->who, ev->why);
	desk_print(c, "  trades %s; %s", rollout_symbols(st, syms,
	    sizeof syms), desk_rollout_limits(st, lim, sizeof lim));
	unmet = rollout_evaluate(r, chk);
	for (int i = 0; i < ROLLOUT_NCRITS; i++) {
		if (!chk[i].judged)
			continue;
		judged++;
		desk_print(c, "  %-5s %s: %s", chk[i].met ? "met" : "UNMET",
		    chk[i].name, chk[i].evidence);
	}
	if (judged == 0)
		desk_print(c, "  no criteria to leave it");
	if (cur + 1 == cfg->nstages)
		desk_print(c, "last stage");
	else if (unmet > 0)
		desk_print(c, "next: %s, once %d more criteri%s met",
		    cfg->stage[cur + 1].name, unmet, unmet == 1 ? "on is" :
		    "a are");
	else
		desk_print(c, "next: %s, every criterion met (rollout next)",
		    cfg->stage[cur + 1].name);
}

static void
desk_rollout_next(struct desk_cmd *c, const struct rollout *r)
{
	const struct rollout_cfg	*cfg = rollout_config(r);
	const struct rollout_stage	*to;
	struct errmsg			 err;
	char				 unmet[ROLLOUT_EVIDENCE_MAX * 2];
	char				 lim[256], syms[160], from[TD_NAME_MAX];
	int				 cur = rollout_index(r);

	if (cur + 1 == cfg->nstages) {
		desk_fail(c, 1, "rollout: next: refused: %s is the last stage",
		    rollout_current(r)->name);
		return;
	}
	if (rollout_unmet(r, unmet, sizeof unmet)[0] != '\0') {
		desk_fail(c, 1, "rollout: next: refused: criteria of %s not "
		    "met: %s", rollout_current(r)->name, unmet);
		return;
	}
	to = &cfg->stage[cur + 1];
	if (!c->confirmed) {
		desk_ask(c, "move up from %s to %s (%s; %s)? [y/N]",
		    rollout_current(r)->name, to->name, rollout_symbols(to,
		    syms, sizeof syms), desk_rollout_limits(to, lim,
		    sizeof lim));
		return;
	}
	snprintf(from, sizeof from, "%s", rollout_current(r)->name);
	if (engine_rollout_move(c->engine, cur + 1, desk_who(c),
	    "rollout next", &err) == -1) {
		desk_fail(c, 1, "rollout: next: %s", err.msg);
		return;
	}
	desk_print(c, "rollout stage %s (was %s)", to->name, from);
}

static void
desk_rollout_back(struct desk_cmd *c, const struct rollout *r)
{
	struct errmsg	 err;
	char		 from[TD_NAME_MAX];
	int		 cur = rollout_index(r);

	if (cur == 0) {
		desk_fail(c, 1, "rollout: back: refused: %s is the first stage",
		    rollout_current(r)->name);
		return;
	}
	snprintf(from, sizeof from, "%s", rollout_current(r)->name);
	if (engine_rollout_move(c->engine, cur - 1, desk_who(c),
	    "rollout back", &err) == -1) {
		desk_fail(c, 1, "rollout: back: %s", err.msg);
		return;
	}
	desk_print(c, "rollout stage %s (was %s)", rollout_current(r)->name,
	    from);
}

static void
desk_rollout_exec(struct desk_cmd *c)
{
	const struct rollout	*r = engine_rollout(c->engine);
	const char		*what = c->argc > 1 ? c->argv[1] : "status";

	if (c->argc > 2) {
		desk_unexpected(c, c->argv[2]);
		return;
	}
	if (strcasecmp(what, "status") != 0 && strcasecmp(what, "next") != 0 &&
	    strcasecmp(what, "back") != 0) {
		desk_usage(c);
		return;
	}
	if (r == NULL) {
		desk_fail(c, 1, "rollout: no rollout is configured "
		    "(rollout.stages, see tickdesk.conf(5))");
		return;
	}
	if (strcasecmp(what, "status") == 0)
		desk_rollout_status(c, r);
	else if (strcasecmp(what, "next") == 0)
		desk_rollout_next(c, r);
	else
		desk_rollout_back(c, r);
}

static void
desk_rollout_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	(void)snap;
	(void)argv;
	if (argc != 1)
		return;
	desk_words_add(out, prefix, "status");
	desk_words_add(out, prefix, "next");
	desk_words_add(out, prefix, "back");
}

const struct desk_entry desk_rollout_entry = {
	.name = "rollout",
	.usage = "[status | next | back]",
	.summary = "the rollout stage: its criteria; up when met, or down",
	.flags = DESK_CONFIRM | DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_rollout_exec,
	.complete = desk_rollout_complete,
};
