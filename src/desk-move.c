/*
 * desk-move.c -- `move ORDER_ID [PRICE] [limit PRICE] [qty QTY]`: a
 * working order to a new price (a stop-limit's stop), a stop-limit to a
 * new limit price, or any limit, stop or stop-limit order to a new
 * quantity; one replace at the venue (engine_modify).
 *
 * The quantity is the order's new total, filled part included.  The
 * engine holds prices to the collar and a stop to its side of the market,
 * judges a bigger entry like a new order, and the order manager refuses
 * a bracket leg's quantity (it follows its entry) and an exit grown
 * beyond the position.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "instrument.h"
#include "order-mgr.h"

/* What a move asks: 0 keeps a value. */
struct desk_move {
	td_ticks	 price;
	td_ticks	 limit;
	int64_t		 qty;
};

/*
 * The words after the order id: an optional price, then limit PRICE and
 * qty QTY in any order, each once.  -1 after failing the command.
 */
static int
desk_move_args(struct desk_cmd *c, struct td_inst inst,
    struct desk_move *mv)
{
	int	 i = 2;

	if (i < c->argc && strcasecmp(c->argv[i], "limit") != 0 &&
	    strcasecmp(c->argv[i], "qty") != 0 && desk_arg_price(c, inst,
	    c->argv[i++], &mv->price) == -1)
		return -1;
	for (; i < c->argc; i += 2) {
		bool	 qty = strcasecmp(c->argv[i], "qty") == 0;

		if (!qty && strcasecmp(c->argv[i], "limit") != 0) {
			desk_unexpected(c, c->argv[i]);
			return -1;
		}
		if (qty ? mv->qty != 0 : mv->limit != 0) {
			desk_fail(c, 2, "move: %s given twice", c->argv[i]);
			return -1;
		}
		if (i + 1 == c->argc) {
			desk_fail(c, 2, "move: %s needs %s", c->argv[i],
			    qty ? "a quantity" : "a price");
			return -1;
		}
		if (qty ? desk_arg_qty(c, c->argv[i + 1], &mv->qty) :
		    desk_arg_price(c, inst, c->argv[i + 1], &mv->limit))
			return -1;
	}
	return 0;
}

static void
desk_move_exec(struct desk_cmd *c)
{
	const struct instrument	*in;
	const struct order	*o;
	struct desk_move	 mv = { 0 };
	struct errmsg		 err;
	char			 what[96], px[32];
	size_t			 n = 0;
	uint64_t		 id;

	if (c->argc < 3) {
		desk_usage(c);
		return;
	}
	if (desk_arg_order(c, c->argv[1], &o) == -1)
		return;
	id = o->id;
	in = engine_instrument(c->engine, o->inst);
	if (o->type == ORD_MARKET) {
		desk_fail(c, 1, "move: order %llu is a market order: only "
		    "limit, stop and stop-limit orders move",
		    (unsigned long long)id);
		return;
	}
	if (desk_move_args(c, o->inst, &mv) == -1)
		return;
	if (engine_modify(c->engine, id, mv.qty, mv.price, mv.limit,
	    &err) == -1) {
		desk_fail(c, 1, "move: %s", err.msg);
		return;
	}
	what[0] = '\0';
	if (mv.price != 0)
		n += (size_t)snprintf(what + n, sizeof what - n, " %s",
		    instrument_format(in, mv.price, px, sizeof px));
	if (mv.limit != 0 && n < sizeof what)
		n += (size_t)snprintf(what + n, sizeof what - n, " limit %s",
		    instrument_format(in, mv.limit, px, sizeof px));
	if (mv.qty != 0 && n < sizeof what)
		snprintf(what + n, sizeof what - n, " qty %lld",
		    (long long)mv.qty);
	desk_print(c, "%s order %llu to%s", mv.price != 0 || mv.limit != 0 ?
	    "moving" : "changing", (unsigned long long)id, what);
}

static void
desk_move_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	if (argc == 1) {
		desk_words_orders(out, snap, prefix);
		return;
	}
	/* A price or a quantity comes next. */
	if (strcasecmp(argv[argc - 1], "limit") == 0 ||
	    strcasecmp(argv[argc - 1], "qty") == 0)
		return;
	desk_words_add(out, prefix, "limit");
	desk_words_add(out, prefix, "qty");
}

const struct desk_entry desk_move_entry = {
	.name = "move",
	.usage = "ORDER_ID [PRICE] [limit PRICE] [qty QTY]",
	.summary = "move a working order to a new price or quantity",
	.flags = DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_move_exec,
	.complete = desk_move_complete,
};
