/*
 * trades.h -- the round-trip ledger: fills grouped into trades.
 *
 * A trade opens when an instrument's position leaves zero and closes when
 * it returns to zero; a fill that reverses the position closes one trade
 * and opens the next with the remainder.  Fills in the trade's direction
 * are entries, the others exits, so a closed trade has as many contracts
 * out as in and its gross P&L is exactly side x (exit ticks - entry ticks)
 * x tick value, whatever the order of scaling in and out.
 *
 * The ledger keeps its own position per instrument from the fills it is
 * given (the engine gives it the same fills as the portfolio).  Open trades
 * live in one fixed slot per instrument; a trade is appended to the ledger
 * when it closes, so the ledger is in closing order, which is the order of
 * the closed-trade equity curve.  The ledger is a report, not the hot
 * path: it grows geometrically, so appends are amortised.
 */
#ifndef TD_TRADES_H
#define TD_TRADES_H

#include "ids.h"
#include "types.h"

struct errmsg;
struct instrument;
struct trades;

#define TRADES_REASON_MAX	24

struct trade {
	int64_t		 id;		/* 1, 2, ... in opening order */
	struct td_inst	 inst;
	struct td_owner	 owner;
	enum td_side	 side;		/* of the entry */
	int64_t		 qty;		/* open now (0 once closed) */
	int64_t		 max_qty;	/* largest position held */
	td_ns		 entry_time;	/* first fill */
	td_ns		 exit_time;	/* last fill */
	td_ticks	 entry_sum;	/* sum of price x qty of entries */
	int64_t		 entry_qty;
	td_ticks	 exit_sum;	/* sum of price x qty of exits */
	int64_t		 exit_qty;
	td_cents	 gross;		/* final once closed; 0 while open */
	td_cents	 commission;	/* so far */
	td_cents	 net;		/* gross - commission */
	int		 fills;
	/*
	 * The highest and lowest price traded while the trade was open: its
	 * fills, and the bars and ticks the engine marked it with
	 * (trades_mark).  A bar marks a trade opened within it with its
	 * whole range.
	 */
	td_ticks	 high;
	td_ticks	 low;
	bool		 open;
	/* exit reason: the closing fill's */
	char		 reason[TRADES_REASON_MAX];
};

/*
 * A ledger over n instruments (copied: tick value and commission come from
 * them).  NULL and a message when n is not positive or memory runs out.
 * The caller frees it with trades_free.
 */
struct trades	*trades_create(const struct instrument *insts, int n,
		     struct errmsg *err);
void		 trades_free(struct trades *tl);

/*
 * Record a fill of qty (> 0) contracts on side at price ticks at time t.
 * owner is the order's owner; a trade keeps the owner of its first
 * fill.  reason ("stop", "target", "flatten",
 * "exit", ...; NULL for none) is kept as the exit reason when the fill
 * closes the trade.  Returns the number of trades it closed (0 or 1), or
 * -1 with a message for a bad instrument, side or qty, or when the ledger
 * cannot grow; a refused fill changes nothing.
 */
int		 trades_fill(struct trades *tl, struct td_inst inst,
		     struct td_owner owner,
		     enum td_side side, int64_t qty, td_ticks price, td_ns t,
		     const char *reason, struct errmsg *err);

/*
 * Room for n more closed trades, its memory touched, so that the next n
 * closings neither move the ledger nor fault a page in (for measurements
 * of the engine's latency).  -1 and a message when memory runs out.
 */
int		 trades_presize(struct trades *tl, size_t n,
		     struct errmsg *err);

/*
 * The open trade of inst (if any) saw prices from lo to hi: a bar's low
 * and high, or a tick's price twice.  Flat, nothing changes.
 */
void		 trades_mark(struct trades *tl, struct td_inst inst,
		     td_ticks hi, td_ticks lo);

/*
 * A trade's excursions in cents for its largest position, from its
 * average entry price: *mfe the best it was (>= 0, maximum favourable
 * excursion), *mae the worst (<= 0, maximum adverse excursion).
 */
void		 trades_excursion(const struct trades *tl,
		     const struct trade *t, td_cents *mae, td_cents *mfe);

/* Closed trades, in closing order. */
size_t		 trades_count(const struct trades *tl);

/*
 * The i-th closed trade, or NULL past the end.  The pointer is valid until
 * the next trades_fill (the ledger may move when it grows).
 */
const struct trade *trades_get(const struct trades *tl, size_t i);

/* The open trade of an instrument, or NULL when flat. */
const struct trade *trades_open(const struct trades *tl,
		     struct td_inst inst);

int		 trades_ninst(const struct trades *tl);
const struct instrument *trades_instrument(const struct trades *tl,
		     struct td_inst inst);

#endif
