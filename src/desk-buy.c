/*
 * desk-buy.c -- `buy` and `sell`: a manual order, market by default, a
 * limit or a stop, with an optional bracket (a protective stop and a
 * target, in ticks from the fill, or a template by name: atm NAME).
 * The part of an order that closes the position goes as an exit, without
 * a bracket; the rest opens with it.
 *
 * The order takes the strategies' road without the sizer: the risk
 * manager judges it like any entry, and only an order that reduces a
 * position passes every limit.  Both commands are refused outright while
 * trading is halted or killed (they lack DESK_WHILE_HALTED); flatten
 * closes positions then.
 */
#include <stdio.h>
#include <string.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "instrument.h"
#include "portfolio.h"


static void
desk_buy_order(struct desk_cmd *c, enum td_side side)
{
	struct manual_order	 m = {
		.side = side,
		.type = ORD_MARKET,
	};
	const struct instrument	*in;
	struct errmsg		 err;
	char			 px[32] = "", bracket[80] = "";
	uint64_t		 id;
	int64_t			 pos, close;
	char			 split[96] = "";
	int			 i = 3;

	if (c->argc < 3) {
		desk_usage(c);
		return;
	}
	if (desk_arg_qty(c, c->argv[1], &m.qty) == -1 ||
	    desk_arg_inst(c, c->argv[2], &m.inst) == -1)
		return;
	in = engine_instrument(c->engine, m.inst);
	if (i < c->argc && strcmp(c->argv[i], "mkt") == 0)
		i++;
	else if (i < c->argc && (strcmp(c->argv[i], "lmt") == 0 ||
	    strcmp(c->argv[i], "stp") == 0)) {
		m.type = c->argv[i][0] == 'l' ? ORD_LIMIT : ORD_STOP;
		if (++i == c->argc) {
			desk_fail(c, 2, "%s: %s needs a price", c->entry->name,
			    c->argv[i - 1]);
			return;
		}
		if (desk_arg_price(c, m.inst, c->argv[i++], &m.price) == -1)
			return;
	}
	if (desk_arg_bracket(c, i, &m.br, bracket, sizeof bracket) == -1)
		return;
	pos = portfolio_position(engine_portfolio(c->engine), m.inst);
	close = pos * side < 0 ? (m.qty < -pos * side ? m.qty :
	    -pos * side) : 0;
	if (engine_manual_order(c->engine, &m, &id, &err) == -1) {
		desk_fail(c, 1, "%s: refused: %s", c->entry->name, err.msg);
		return;
	}
	if (m.type != ORD_MARKET) {
		px[0] = ' ';
		instrument_format(in, m.price, px + 1, sizeof px - 1);
	}
	if (close > 0 && close < m.qty)
		snprintf(split, sizeof split, ": %lld closes the position, "
		    "%lld opens%s", (long long)close, (long long)(m.qty - close),
		    bracket[0] != '\0' ? " with the bracket" : "");
	else if (close > 0 && bracket[0] != '\0')
		snprintf(split, sizeof split, ": it closes the position, no "
		    "bracket");
	desk_print(c, "order %llu: %s %lld %s %s%s%s%s", (unsigned long long)id,
	    c->entry->name, (long long)m.qty, in->symbol,
	    m.type == ORD_MARKET ? "mkt" : m.type == ORD_LIMIT ? "lmt" : "stp",
	    px, bracket, split);
}

static void
desk_buy_exec(struct desk_cmd *c)
{
	desk_buy_order(c, TD_BUY);
}

static void
desk_sell_exec(struct desk_cmd *c)
{
	desk_buy_order(c, TD_SELL);
}

static void
desk_buy_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	const char	*last = argv[argc - 1];

	if (argc == 2) {
		desk_words_symbols(out, snap, prefix);
		return;
	}
	if (argc < 3 || strcmp(last, "lmt") == 0 ||
	    strcmp(last, "stp") == 0 || strcmp(last, "stop") == 0 ||
	    strcmp(last, "target") == 0 || strcmp(last, "atm") == 0)
		return;
	if (argc == 3) {
		desk_words_add(out, prefix, "mkt");
		desk_words_add(out, prefix, "lmt");
		desk_words_add(out, prefix, "stp");
	}
	desk_words_add(out, prefix, "stop");
	desk_words_add(out, prefix, "target");
	desk_words_add(out, prefix, "atm");
}

#define DESK_BUY_USAGE	"QTY SYMBOL [mkt | lmt PRICE | stp PRICE] " \
			"[stop TICKS] [target TICKS] [atm NAME]"

const struct desk_entry desk_buy_entry = {
	.name = "buy",
	.usage = DESK_BUY_USAGE,
	.summary = "send a manual buy order through the risk manager",
	.flags = DESK_AUDIT | DESK_EXACT,
	.exec = desk_buy_exec,
	.complete = desk_buy_complete,
};

const struct desk_entry desk_sell_entry = {
	.name = "sell",
	.usage = DESK_BUY_USAGE,
	.summary = "send a manual sell order through the risk manager",
	.flags = DESK_AUDIT | DESK_EXACT,
	.exec = desk_sell_exec,
	.complete = desk_buy_complete,
};
