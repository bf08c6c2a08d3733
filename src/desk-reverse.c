/*
 * desk-reverse.c -- `reverse SYMBOL [stop TICKS] [target TICKS] [atm
 * NAME]`: turn a position around at market in one command.  One order of
 * twice the position closes it and opens as much the other way, with the
 * bracket given, or else the one that protected the old side.  The old
 * side's stops and targets go once the position has turned; until then
 * the closing order stands in for them.  The opening half is an entry:
 * the risk manager may refuse it, and then nothing is sent.
 */
#include <stdio.h>
#include <string.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "order-mgr.h"

static void
desk_reverse_exec(struct desk_cmd *c)
{
	struct bracket	 br;
	struct errmsg	 err;
	char		 bracket[80] = "";
	uint64_t	 id;
	int64_t		 pos;
	struct td_inst	 inst;

	if (c->argc < 2) {
		desk_usage(c);
		return;
	}
	if (desk_arg_inst(c, c->argv[1], &inst) == -1 ||
	    desk_arg_bracket(c, 2, &br, bracket, sizeof bracket) == -1)
		return;
	pos = order_mgr_position(engine_orders(c->engine), inst);
	if (engine_reverse(c->engine, inst, bracket[0] != '\0' ? &br : NULL,
	    &id, &err) == -1) {
		desk_refused(c, err.msg);
		return;
	}
	desk_print(c, "order %llu: reverse %s %+lld: %s %lld mkt%s",
	    (unsigned long long)id, engine_instrument(c->engine, inst)->symbol,
	    (long long)pos, pos > 0 ? "sell" : "buy",
	    (long long)(2 * (pos < 0 ? -pos : pos)), bracket[0] != '\0' ?
	    bracket : ", the old side's bracket");
}

static void
desk_reverse_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	const char	*last = argv[argc - 1];

	if (argc == 1) {
		desk_words_symbols(out, snap, prefix);
		return;
	}
	if (!desk_bracket_word(last))
		desk_words_bracket(out, prefix);
}

const struct desk_entry desk_reverse_entry = {
	.name = "reverse",
	.usage = "SYMBOL [stop TICKS] [target TICKS] [atm NAME]",
	.summary = "close a position and open as much the other way, "
	    "protected",
	.flags = DESK_AUDIT | DESK_EXACT,
	.exec = desk_reverse_exec,
	.complete = desk_reverse_complete,
};
