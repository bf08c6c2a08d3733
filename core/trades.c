/*
 * trades.c -- the round-trip ledger (see trades.h).
 *
 * The engine hands every fill to the portfolio (positions, live P&L) and
 * to this ledger (what the trader calls a trade: in, out, why, how much).
 * Each instrument has one slot for its open trade and a signed position;
 * closing a trade copies the slot to the end of the ledger.  The room for
 * that copy is made before the fill changes anything, so an out of memory
 * refusal leaves the ledger as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "instrument.h"
#include "trades.h"

#define TRADES_INITIAL	256

struct trades {
	int		 n;
	struct instrument *inst;	/* n, copied */
	struct trade	*slot;		/* n open trades */
	int64_t		*pos;		/* n signed positions */
	int64_t		 next_id;

	struct trade	*done;		/* closed, in closing order */
	size_t		 ndone;
	size_t		 cap;
};

struct trades *
trades_create(const struct instrument *insts, int n, struct errmsg *err)
{
	struct trades	*tl;

	if (n <= 0 || insts == NULL) {
		errmsg_set(err, "trades ledger needs at least one instrument");
		return NULL;
	}
	tl = calloc(1, sizeof *tl);
	if (tl == NULL)
		goto nomem;
	tl->n = n;
	tl->next_id = 1;
	tl->inst = calloc((size_t)n, sizeof *tl->inst);
	tl->slot = calloc((size_t)n, sizeof *tl->slot);
	tl->pos = calloc((size_t)n, sizeof *tl->pos);
	tl->cap = TRADES_INITIAL;
	tl->done = calloc(tl->cap, sizeof *tl->done);
	if (tl->inst == NULL || tl->slot == NULL || tl->pos == NULL ||
	    tl->done == NULL)
		goto nomem;
	memcpy(tl->inst, insts, (size_t)n * sizeof *tl->inst);
	return tl;

nomem:
	trades_free(tl);
	errmsg_set(err, "trades ledger: out of memory");
	return NULL;
}

void
trades_free(struct trades *tl)
{
	if (tl == NULL)
		return;
	free(tl->inst);
	free(tl->slot);
	free(tl->pos);
	free(tl->done);
	free(tl);
}

/* Make room for one more closed trade. */
static int
trades_reserve(struct trades *tl, struct errmsg *err)
{
	struct trade	*p;
	size_t		 cap;

	if (tl->ndone < tl->cap)
		return 0;
	cap = tl->cap * 2;
	if (cap < tl->cap || cap > SIZE_MAX / sizeof *p)
		return errmsg_set(err, "trades ledger is full");
	p = realloc(tl->done, cap * sizeof *p);
	if (p == NULL)
		return errmsg_set(err, "trades ledger: out of memory");
	tl->done = p;
	tl->cap = cap;
	return 0;
}

int
trades_presize(struct trades *tl, size_t n, struct errmsg *err)
{
	struct trade	*p;

	if (n > SIZE_MAX / sizeof *p - tl->ndone)
		return errmsg_set(err, "trades ledger: %zu trades is too many",
		    n);
	n += tl->ndone;
	if (n > tl->cap) {
		if ((p = realloc(tl->done, n * sizeof *p)) == NULL)
			return errmsg_set(err, "trades ledger: out of memory");
		tl->done = p;
		tl->cap = n;
	}
	/* Touch every page now rather than at the first closing in it. */
	memset(tl->done + tl->ndone, 0, (tl->cap - tl->ndone) * sizeof *p);
	return 0;
}

static void
trades_begin(struct trades *tl, struct td_inst inst, struct td_owner owner,
    enum td_side side, td_ticks price, td_ns t)
{
	tl->slot[inst.i] = (struct trade){
		.id = tl->next_id++,
		.inst = inst,
		.owner = owner,
		.side = side,
		.entry_time = t,
		.exit_time = t,
		.high = price,
		.low = price,
		.open = true,
	};
}

/* The open trade has seen prices from lo to hi. */
static inline void
trades_widen(struct trade *tr, td_ticks hi, td_ticks lo)
{
	if (hi > tr->high)
		tr->high = hi;
	if (lo < tr->low)
		tr->low = lo;
}

int
trades_fill(struct trades *tl, struct td_inst inst, struct td_owner owner,
    enum td_side side, int64_t qty, td_ticks price, td_ns t,
    const char *reason, struct errmsg *err)
{
	const struct instrument	*in;
	struct trade		*tr;
	int64_t			 pos, open, close, rest;

	if (tl == NULL || !td_inst_in(inst, tl->n))
		return errmsg_set(err, "fill for unknown instrument %d",
		    inst.i);
	in = &tl->inst[inst.i];
	if (side != TD_BUY && side != TD_SELL)
		return errmsg_set(err, "%s: fill with a bad side", in->symbol);
	if (qty <= 0)
		return errmsg_set(err, "%s: fill qty %lld must be positive",
		    in->symbol, (long long)qty);

	pos = tl->pos[inst.i];
	tr = &tl->slot[inst.i];
	if (pos == 0 || (pos > 0) == (side == TD_BUY)) {
		/* Opens or adds: an entry. */
		if (pos == 0)
			trades_begin(tl, inst, owner, side, price, t);
		trades_widen(tr, price, price);
		tr->entry_sum += price * qty;
		tr->entry_qty += qty;
		tr->commission += qty * in->commission;
		tr->fills++;
		tr->exit_time = t;
		pos += side * qty;
		tr->qty = pos > 0 ? pos : -pos;
		if (tr->qty > tr->max_qty)
			tr->max_qty = tr->qty;
		tr->net = -tr->commission;
		tl->pos[inst.i] = pos;
		return 0;
	}

	/* Against the position: an exit, maybe a close and a new trade. */
	open = pos > 0 ? pos : -pos;
	close = qty < open ? qty : open;
	rest = qty - close;
	if (close == open && trades_reserve(tl, err) == -1)
		return -1;
	trades_widen(tr, price, price);
	tr->exit_sum += price * close;
	tr->exit_qty += close;
	tr->commission += close * in->commission;
	tr->fills++;
	tr->exit_time = t;
	pos += side * close;
	tr->qty = pos > 0 ? pos : -pos;
	tl->pos[inst.i] = pos;
	if (pos != 0) {
		tr->net = -tr->commission;
		return 0;
	}

	tr->gross = tr->side * (tr->exit_sum - tr->entry_sum) *
	    in->tick_value;
	tr->net = tr->gross - tr->commission;
	tr->open = false;
	snprintf(tr->reason, sizeof tr->reason, "%s",
	    reason != NULL ? reason : "");
	tl->done[tl->ndone++] = *tr;
	memset(tr, 0, sizeof *tr);

	if (rest > 0) {
		trades_begin(tl, inst, owner, side, price, t);
		tr->entry_sum = price * rest;
		tr->entry_qty = rest;
		tr->commission = rest * in->commission;
		tr->fills = 1;
		tr->qty = rest;
		tr->max_qty = rest;
		tr->net = -tr->commission;
		tl->pos[inst.i] = side * rest;
	}
	return 1;
}

void
trades_mark(struct trades *tl, struct td_inst inst, td_ticks hi, td_ticks lo)
{
	if (td_inst_in(inst, tl->n) && tl->pos[inst.i] != 0)
		trades_widen(&tl->slot[inst.i], hi, lo);
}

/* (price - average entry) x tick value x qty, truncated toward zero. */
static td_cents
trades_move(const struct instrument *in, const struct trade *t,
    td_ticks price, int64_t qty)
{
	__int128	 v;

	if (t->entry_qty <= 0)
		return 0;
	v = ((__int128)price * t->entry_qty - t->entry_sum) * t->side *
	    in->tick_value * qty;
	return (td_cents)(v / t->entry_qty);
}

void
trades_excursion(const struct trades *tl, const struct trade *t,
    td_cents *mae, td_cents *mfe)
{
	const struct instrument	*in = trades_instrument(tl, t->inst);
	td_cents		 up, down;

	*mae = *mfe = 0;
	if (in == NULL)
		return;
	up = trades_move(in, t, t->high, t->max_qty);
	down = trades_move(in, t, t->low, t->max_qty);
	/* For a short, the high is the adverse end. */
	*mfe = up > down ? up : down;
	*mae = up < down ? up : down;
	if (*mfe < 0)
		*mfe = 0;
	if (*mae > 0)
		*mae = 0;
}

size_t
trades_count(const struct trades *tl)
{
	return tl->ndone;
}

const struct trade *
trades_get(const struct trades *tl, size_t i)
{
	if (i >= tl->ndone)
		return NULL;
	return &tl->done[i];
}

const struct trade *
trades_open(const struct trades *tl, struct td_inst inst)
{
	if (!td_inst_in(inst, tl->n) || tl->pos[inst.i] == 0)
		return NULL;
	return &tl->slot[inst.i];
}

int
trades_ninst(const struct trades *tl)
{
	return tl->n;
}

const struct instrument *
trades_instrument(const struct trades *tl, struct td_inst inst)
{
	if (!td_inst_in(inst, tl->n))
		return NULL;
	return &tl->inst[inst.i];
}
