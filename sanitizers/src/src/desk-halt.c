/*
 * desk-halt.c -- `halt`: no new entries from anyone; working orders and
 * protective stops stay.  Only a person moves the state back up (resume).
 */
#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "risk.h"

static void
desk_halt_exec(struct desk_cmd *c)
{
	enum trading_state	 state = engine_state(c->engine);
	struct errmsg		 err;

	if (c->argc != 1) {
		desk_unexpected(c, c->argv[1]);
		return;
	}
	/* KILLED is below HALTED: halting from there would be a step up. */
	if (state == TS_HALTED || state == TS_KILLED) {
		desk_print(c, "already %s", trading_state_name(state));
		return;
	}
	if (engine_set_state(c->engine, TS_HALTED, desk_who(c),
	    "halt command", &err) == -1) {
		desk_fail(c, 1, "halt: %s", err.msg);
		return;
	}
	desk_print(c, "HALTED: no new entries; working orders and protective "
	    "stops stay (resume to trade)");
}

const struct desk_entry desk_halt_entry = {
	.name = "halt",
	.usage = "",
	.summary = "stop new entries; protective orders stay",
	.flags = DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_halt_exec,
};
