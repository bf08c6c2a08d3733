/*
 * desk-resume.c -- `resume`: back to ACTIVE.  After a kill, or when the
 * engine itself stopped trading (a loss limit breached, a stale feed), it
 * asks to confirm first: the person should know what they are undoing.
 * A halt by hand resumes at once.
 */
#include <string.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "risk.h"

static void
desk_resume_exec(struct desk_cmd *c)
{
	enum trading_state	 state = engine_state(c->engine);
	const struct snapshot	*s;
	struct errmsg		 err;
	int			 disabled = 0;

	if (c->argc != 1) {
		desk_unexpected(c, c->argv[1]);
		return;
	}
	if (state == TS_ACTIVE) {
		desk_print(c, "already ACTIVE");
		return;
	}
	s = desk_snapshot(c);
	if (!c->confirmed && (state == TS_KILLED ||
	    strcmp(s->state_who, "engine") == 0)) {
		desk_ask(c, "resume trading after %s by %s (%s)? [y/N]",
		    s->state, s->state_who, s->state_why);
		return;
	}
	if (engine_set_state(c->engine, TS_ACTIVE, desk_who(c),
	    "resume command", &err) == -1) {
		desk_fail(c, 1, "resume: %s", err.msg);
		return;
	}
	for (int i = 0; i < s->nstrat; i++) {
		if (s->strat[i].run == SNAP_DISABLED)
			disabled++;
	}
	desk_print(c, "ACTIVE: trading resumed (was %s)", s->state);
	if (state == TS_KILLED && disabled > 0)
		desk_print(c, "the kill stopped the strategies: strategy "
		    "enable NAME starts one again");
}

const struct desk_entry desk_resume_entry = {
	.name = "resume",
	.usage = "",
	.summary = "trade again (asks to confirm after a breach or a kill)",
	.flags = DESK_CONFIRM | DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_resume_exec,
};
