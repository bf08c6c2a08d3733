/*
 * desk-oco.c -- `oco buy|sell ... / buy|sell ...`: two entries as one
 * free-standing OCO pair, each written as `buy` and `sell` take it
 * (QTY SYMBOL [type] [tif] [bracket]), the two halves split by a lone
 * "/".  When one fills, the venue takes as much off the other, so a
 * breakout on either side of a range opens one position, not two.  Each
 * entry carries its own bracket.  Both go or neither; an order of the
 * pair that would close a position is refused (a pair is two entries).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"

/* One half, argv[from] to argv[to - 1], parsed as its own command. */
static int
desk_oco_half(struct desk_cmd *c, int from, int to, struct manual_order *m,
    char *text, size_t len)
{
	struct desk_cmd	 sub = *c;
	enum td_side	 side;
	int		 rc;

	if (strcasecmp(c->argv[from], "buy") == 0)
		side = TD_BUY;
	else if (strcasecmp(c->argv[from], "sell") == 0)
		side = TD_SELL;
	else {
		desk_fail(c, 2, "oco: '%s' is neither buy nor sell",
		    c->argv[from]);
		return -1;
	}
	sub.argc = to - from;
	memcpy(sub.argv, c->argv + from, sub.argc * sizeof *sub.argv);
	rc = desk_buy_parse(&sub, side, m, text, len);
	c->len = sub.len;
	c->full = sub.full;
	return rc == -1 ? -1 : 0;
}

static void
desk_oco_exec(struct desk_cmd *c)
{
	struct manual_order	 m[2];
	struct errmsg		 err;
	char			 text[2][192];
	uint64_t		 ids[2];
	int			 slash = 0;

	for (int i = 1; i < c->argc; i++) {
		if (strcasecmp(c->argv[i], "/") == 0 && slash == 0)
			slash = i;
	}
	if (slash < 2 || slash + 1 >= c->argc) {
		desk_usage(c);
		return;
	}
	if (desk_oco_half(c, 1, slash, &m[0], text[0], sizeof text[0]) ==
	    -1 || desk_oco_half(c, slash + 1, c->argc, &m[1], text[1],
	    sizeof text[1]) == -1)
		return;
	if (engine_manual_oco(c->engine, m, ids, &err) == -1) {
		desk_refused(c, err.msg);
		return;
	}
	desk_print(c, "orders %llu and %llu, one cancels the other: %s / %s",
	    (unsigned long long)ids[0], (unsigned long long)ids[1], text[0],
	    text[1]);
}

static void
desk_oco_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	const char	*last = argv[argc - 1];

	if (argc == 1 || strcasecmp(last, "/") == 0) {
		desk_words_add(out, prefix, "buy");
		desk_words_add(out, prefix, "sell");
	} else if (strcasecmp(last, "buy") != 0 && strcasecmp(last, "sell") != 0)
		desk_words_add(out, prefix, "/");
	else
		desk_words_symbols(out, snap, prefix);
}

const struct desk_entry desk_oco_entry = {
	.name = "oco",
	.usage = "buy|sell QTY SYMBOL ... / buy|sell QTY SYMBOL ...",
	.summary = "two entries as one pair: when one fills, the other goes",
	.flags = DESK_AUDIT | DESK_EXACT,
	.exec = desk_oco_exec,
	.complete = desk_oco_complete,
};
