/*
 * desk-cancel.c -- `cancel ORDER_ID | all`: ask the venue to cancel one
 * working order or all of them.  The order changes when the venue
 * answers.
 *
 * Cancelling the stop of an open position leaves it without protection,
 * so it asks first: the stop itself ("order 12 is the stop protecting ES
 * +1: cancel it? [y/N]"), or `cancel all` once while any position is
 * open.  Confirmed, each protective stop it cancels is logged as a
 * warning, and the answer says which positions no stop covers any more.
 * A stop of a flat instrument and an order that protects nothing go
 * without a question.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "instrument.h"
#include "log.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "runner.h"

#define CANCEL_LOGGED	32	/* protective stops logged one by one */

/* A stop of an open position, noted before its cancel is sent. */
struct cancel_stop {
	uint64_t	 id;
	struct td_inst	 inst;
	int64_t		 pos;
};

static int64_t
desk_cancel_pos(struct desk_cmd *c, struct td_inst inst)
{
	return portfolio_position(engine_portfolio(c->engine), inst);
}

static const char *
desk_cancel_sym(struct desk_cmd *c, struct td_inst inst)
{
	return engine_instrument(c->engine, inst)->symbol;
}

/* Does o protect an open position (a stop while its instrument is open)? */
static bool
desk_cancel_protects(struct desk_cmd *c, const struct order *o)
{
	return o->role == ROLE_STOP && desk_cancel_pos(c, o->inst) != 0;
}

/* Warn about each position of insts its stops no longer cover. */
static void
desk_cancel_warn(struct desk_cmd *c, struct td_inst_sel insts)
{
	const struct order_mgr	*om = engine_orders(c->engine);

	for (int i = 0; i < engine_ninst(c->engine); i++) {
		struct td_inst	 inst = td_inst_at(i);
		int64_t		 pos = desk_cancel_pos(c, inst);

		if (!td_inst_sel_has(insts, inst) ||
		    order_mgr_protected(om, inst, pos))
			continue;
		desk_print(c, "warning: %s position %+lld has no stop covering "
		    "it (flatten closes it)", desk_cancel_sym(c, inst),
		    (long long)pos);
	}
}

/* The log's warning for a protective stop whose cancel was sent. */
static void
desk_cancel_log(struct desk_cmd *c, const struct cancel_stop *s)
{
	const struct order_mgr	*om = engine_orders(c->engine);
	int64_t			 size = s->pos < 0 ? -s->pos : s->pos;
	int64_t			 cover;
	char			 how[128];

	if (c->runner == NULL)
		return;
	cover = order_mgr_cover(om, s->inst, s->pos > 0 ? TD_BUY : TD_SELL);
	if (order_mgr_protected(om, s->inst, s->pos))
		snprintf(how, sizeof how, "the position is still covered");
	else if (cover > 0)
		snprintf(how, sizeof how, "the position is not protected "
		    "(stops cover %lld of %lld)", (long long)cover,
		    (long long)size);
	else
		snprintf(how, sizeof how, "the position is not protected");
	runner_note(c->runner, LOG_WARNING, "orders", "protective stop %llu of "
	    "%s %+lld cancelled by hand: %s", (unsigned long long)s->id,
	    desk_cancel_sym(c, s->inst), (long long)s->pos, how);
}

/*
 * "ES +1, MES -2": the open positions, only those with a working stop
 * when stops is set.  Returns how many.
 */
static int
desk_cancel_open(struct desk_cmd *c, bool stops, char *buf, size_t len)
{
	const struct order_mgr	*om = engine_orders(c->engine);
	size_t			 used = 0;
	int			 n = 0;

	buf[0] = '\0';
	for (int i = 0; i < engine_ninst(c->engine); i++) {
		struct td_inst	 inst = td_inst_at(i);
		int64_t		 pos = desk_cancel_pos(c, inst);
		bool		 has = false;

		for (int k = 0; stops && k < order_mgr_live_count(om); k++) {
			const struct order	*o = order_mgr_live_at(om, k);

			if (td_inst_eq(o->inst, inst) &&
			    desk_cancel_protects(c, o))
				has = true;
		}
		if (pos == 0 || (stops && !has))
			continue;
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s %+lld", n > 0 ? ", " : "",
			    desk_cancel_sym(c, inst), (long long)pos);
		n++;
	}
	return n;
}

static void
desk_cancel_all(struct desk_cmd *c)
{
	const struct order_mgr	*om = engine_orders(c->engine);
	struct cancel_stop	 stop[CANCEL_LOGGED];
	struct errmsg		 err;
	char			 open[256];
	int			 n, nstop = 0, more = 0;

	n = order_mgr_live_count(om);
	if (n == 0) {
		desk_print(c, "no working orders");
		return;
	}
	if (!c->confirmed) {
		if (desk_cancel_open(c, true, open, sizeof open) > 0) {
			desk_ask(c, "cancel all %d working order%s, the stops "
			    "protecting %s among them? [y/N]", n,
			    n == 1 ? "" : "s", open);
			return;
		}
		if (desk_cancel_open(c, false, open, sizeof open) > 0) {
			desk_ask(c, "cancel all %d working order%s with %s "
			    "open? [y/N]", n, n == 1 ? "" : "s", open);
			return;
		}
	}
	for (int k = 0; k < n; k++) {
		const struct order	*o = order_mgr_live_at(om, k);

		if (!desk_cancel_protects(c, o))
			continue;
		if (nstop == CANCEL_LOGGED) {
			more++;
			continue;
		}
		stop[nstop++] = (struct cancel_stop){ .id = o->id,
		    .inst = o->inst, .pos = desk_cancel_pos(c, o->inst) };
	}
	if (engine_cancel(c->engine, 0, &err) == -1) {
		desk_fail(c, 1, "cancel: %s", err.msg);
		return;
	}
	for (int k = 0; k < nstop; k++)
		desk_cancel_log(c, &stop[k]);
	if (more > 0 && c->runner != NULL)
		runner_note(c->runner, LOG_WARNING, "orders", "and %d more "
		    "protective stop%s cancelled by hand", more,
		    more == 1 ? "" : "s");
	desk_print(c, "cancelling %d order%s", n, n == 1 ? "" : "s");
	desk_cancel_warn(c, td_inst_all());
}

static void
desk_cancel_exec(struct desk_cmd *c)
{
	const struct order	*o;
	struct cancel_stop	 stop;
	struct errmsg		 err;
	bool			 protects;

	if (c->argc != 2) {
		if (c->argc > 2)
			desk_unexpected(c, c->argv[2]);
		else
			desk_usage(c);
		return;
	}
	if (strcasecmp(c->argv[1], "all") == 0) {
		desk_cancel_all(c);
		return;
	}
	if (desk_arg_order(c, c->argv[1], &o) == -1)
		return;
	stop = (struct cancel_stop){ .id = o->id, .inst = o->inst,
	    .pos = desk_cancel_pos(c, o->inst) };
	protects = desk_cancel_protects(c, o);
	if (protects && !c->confirmed) {
		desk_ask(c, "order %llu is the stop protecting %s %+lld: "
		    "cancel it? [y/N]", (unsigned long long)stop.id,
		    desk_cancel_sym(c, stop.inst), (long long)stop.pos);
		return;
	}
	if (engine_cancel(c->engine, stop.id, &err) == -1) {
		desk_fail(c, 1, "cancel: %s", err.msg);
		return;
	}
	if (protects) {
		desk_cancel_log(c, &stop);
		desk_print(c, "cancelling order %llu, the stop protecting %s "
		    "%+lld", (unsigned long long)stop.id,
		    desk_cancel_sym(c, stop.inst), (long long)stop.pos);
	} else
		desk_print(c, "cancelling order %llu",
		    (unsigned long long)stop.id);
	desk_cancel_warn(c, td_inst_only(stop.inst));
}

static void
desk_cancel_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	(void)argv;
	if (argc != 1)
		return;
	desk_words_add(out, prefix, "all");
	desk_words_orders(out, snap, prefix);
}

const struct desk_entry desk_cancel_entry = {
	.name = "cancel",
	.usage = "ORDER_ID | all",
	.summary = "cancel a working order, or all of them (a protective "
	    "stop asks)",
	.flags = DESK_CONFIRM | DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_cancel_exec,
	.complete = desk_cancel_complete,
};
