/*
 * desk-buy.c -- `buy` and `sell`: a manual order, market by default, a
 * limit, a stop or a stop-limit, with a time in force and an optional
 * bracket (a protective stop and a target, in ticks from the fill, or a
 * template by name: atm NAME).  The part of an order that closes the
 * position goes as an exit, without a bracket; the rest opens with it.
 *
 * Times in force as a NinjaTrader user knows them: limit, stop and
 * stop-limit orders are DAY unless gtc or ioc is given.  A market order
 * fills at the next price whatever it says, so it has none: day and ioc
 * are refused with it (gtc, what it is, is taken).
 *
 * The order takes the strategies' road without the sizer: the risk
 * manager judges it like any entry, and only an order that reduces a
 * position passes every limit.  Both commands are refused outright while
 * trading is halted or killed (they lack DESK_WHILE_HALTED); flatten
 * closes positions then.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "instrument.h"
#include "order-mgr.h"
#include "portfolio.h"

/*
 * The order type at argv[*i] (its name: mkt, lmt, stp, stplmt) and its
 * prices, market when absent.  -1 after failing the command.
 */
static int
desk_buy_type(struct desk_cmd *c, int *i, struct manual_order *m)
{
	int	 t, n;

	m->type = ORD_MARKET;
	if (*i == c->argc)
		return 0;
	for (t = 0; t < ORD_NTYPES; t++) {
		if (strcasecmp(c->argv[*i], order_type_name(t)) == 0)
			break;
	}
	if (t == ORD_NTYPES)
		return 0;
	m->type = (enum order_type)t;
	n = t == ORD_MARKET ? 0 : t == ORD_STOP_LIMIT ? 2 : 1;
	if (*i + n >= c->argc) {
		desk_fail(c, 2, "%s: %s needs %s", c->entry->name,
		    c->argv[*i], n == 1 ? "a price" :
		    "a stop and a limit price");
		return -1;
	}
	(*i)++;
	if (n > 0 && desk_arg_price(c, m->inst, c->argv[(*i)++],
	    &m->price) == -1)
		return -1;
	if (n > 1 && desk_arg_price(c, m->inst, c->argv[(*i)++],
	    &m->limit) == -1)
		return -1;
	return 0;
}

/*
 * The time in force at argv[*i]: [day | gtc | ioc], DAY when absent
 * except for a market order, which has none (header).
 */
static int
desk_buy_tif(struct desk_cmd *c, int *i, struct manual_order *m)
{
	int	 k;

	m->tif = m->type == ORD_MARKET ? TIF_GTC : TIF_DAY;
	if (*i == c->argc)
		return 0;
	for (k = 0; k < ORD_NTIFS; k++) {
		if (strcasecmp(c->argv[*i], order_tif_name(k)) == 0)
			break;
	}
	if (k == ORD_NTIFS)
		return 0;
	if (m->type == ORD_MARKET && k != TIF_GTC) {
		desk_fail(c, 2, "%s: a market order fills at the next price: "
		    "%s is for lmt, stp and stplmt orders", c->entry->name,
		    c->argv[*i]);
		return -1;
	}
	m->tif = (enum order_tif)k;
	(*i)++;
	return 0;
}

/*
 * The order as `orders` shows it: "mkt", "lmt 4990.00 DAY",
 * "stplmt 5005.00 limit 5006.00 GTC".
 */
static void
desk_buy_what(const struct instrument *in, const struct manual_order *m,
    char *buf, size_t len)
{
	const char	*name = order_tif_name(m->tif);
	char		 px[32], lim[48] = "", tif[4];
	size_t		 k;

	if (m->type == ORD_MARKET) {
		snprintf(buf, len, "mkt");
		return;
	}
	if (m->type == ORD_STOP_LIMIT) {
		snprintf(lim, sizeof lim, " limit ");
		instrument_format(in, m->limit, lim + 7, sizeof lim - 7);
	}
	for (k = 0; k + 1 < sizeof tif && name[k] != '\0'; k++)
		tif[k] = (char)toupper((unsigned char)name[k]);
	tif[k] = '\0';
	snprintf(buf, len, "%s %s%s %s", order_type_name(m->type),
	    instrument_format(in, m->price, px, sizeof px), lim, tif);
}

int
desk_buy_parse(struct desk_cmd *c, enum td_side side, struct manual_order *m,
    char *text, size_t len)
{
	char	 bracket[80] = "", what[96];
	int	 i = 3;

	*m = (struct manual_order){ .side = side, .type = ORD_MARKET };
	if (c->argc < 3) {
		desk_usage(c);
		return -1;
	}
	if (desk_arg_qty(c, c->argv[1], &m->qty) == -1 ||
	    desk_arg_inst(c, c->argv[2], &m->inst) == -1 ||
	    desk_buy_type(c, &i, m) == -1 || desk_buy_tif(c, &i, m) == -1 ||
	    desk_arg_bracket(c, i, &m->br, bracket, sizeof bracket) == -1)
		return -1;
	desk_buy_what(engine_instrument(c->engine, m->inst), m, what,
	    sizeof what);
	snprintf(text, len, "%s %lld %s %s%s", side == TD_BUY ? "buy" : "sell",
	    (long long)m->qty, engine_instrument(c->engine, m->inst)->symbol,
	    what, bracket);
	return bracket[0] != '\0';
}

static void
desk_buy_order(struct desk_cmd *c, enum td_side side)
{
	struct manual_order	 m;
	struct errmsg		 err;
	char			 text[192];
	uint64_t		 id;
	int64_t			 pos, close;
	char			 split[96] = "";
	int			 bracket;

	if ((bracket = desk_buy_parse(c, side, &m, text, sizeof text)) == -1)
		return;
	pos = portfolio_position(engine_portfolio(c->engine), m.inst);
	close = pos * side < 0 ? (m.qty < -pos * side ? m.qty :
	    -pos * side) : 0;
	if (engine_manual_order(c->engine, &m, &id, &err) == -1) {
		desk_refused(c, err.msg);
		return;
	}
	if (close > 0 && close < m.qty)
		snprintf(split, sizeof split, ": %lld closes the position, "
		    "%lld opens%s", (long long)close, (long long)(m.qty - close),
		    bracket ? " with the bracket" : "");
	else if (close > 0 && bracket)
		snprintf(split, sizeof split, ": it closes the position, no "
		    "bracket");
	desk_print(c, "order %llu: %s%s", (unsigned long long)id, text,
	    split);
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

/* Does argv[argc - 1] end the order type's prices (a tif may follow)? */
static bool
desk_buy_priced(int argc, char **argv)
{
	return (argc >= 5 && (strcasecmp(argv[argc - 2], "lmt") == 0 ||
	    strcasecmp(argv[argc - 2], "stp") == 0)) || (argc >= 6 &&
	    strcasecmp(argv[argc - 3], "stplmt") == 0);
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
	/* A price, a number of ticks or a name comes next. */
	if (argc < 3 || strcasecmp(last, "lmt") == 0 ||
	    strcasecmp(last, "stp") == 0 || strcasecmp(last, "stplmt") == 0 ||
	    (argc >= 5 && strcasecmp(argv[argc - 2], "stplmt") == 0) ||
	    desk_bracket_word(last))
		return;
	if (argc == 3) {
		desk_words_add(out, prefix, "mkt");
		desk_words_add(out, prefix, "lmt");
		desk_words_add(out, prefix, "stp");
		desk_words_add(out, prefix, "stplmt");
	}
	if (desk_buy_priced(argc, argv)) {
		desk_words_add(out, prefix, "day");
		desk_words_add(out, prefix, "gtc");
		desk_words_add(out, prefix, "ioc");
	}
	desk_words_bracket(out, prefix);
}

#define DESK_BUY_USAGE	"QTY SYMBOL [mkt | lmt PRICE | stp PRICE | " \
			"stplmt STOP LIMIT] [day | gtc | ioc] " \
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
