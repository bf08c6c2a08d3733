/*
 * portfolio.h -- positions, FIFO lots and P&L in exact cents.
 *
 * The portfolio holds one position per instrument of the engine: the signed
 * quantity, the open lots in the order they were filled (so realized P&L is
 * first in, first out and exact), the last price and the P&L figures that
 * follow from them.  The account adds them up and keeps day and week totals
 * between boundaries the engine marks with portfolio_day_start and
 * portfolio_week_start.
 *
 * All memory is taken by portfolio_create; fills and marks allocate
 * nothing.  Each instrument has room for PORTFOLIO_LOTS open lots (adjacent
 * lots at the same price are merged); a fill that would need one more lot is
 * refused and changes nothing.  Only a fill that adds to a position at a new
 * price can need a lot: fills that reduce, close or reverse a position
 * always fit.
 *
 * Day P&L = realized today - commissions today + (unrealized now -
 * unrealized at the start of the day), so a position carried over a
 * boundary counts only the move since the boundary.  The week is the same
 * with the week boundary.
 */
#ifndef TD_PORTFOLIO_H
#define TD_PORTFOLIO_H

#include "ids.h"
#include "types.h"

struct errmsg;
struct instrument;
struct portfolio;

/* Open lots each instrument can hold. */
#define PORTFOLIO_LOTS		256

/* What portfolio_fill returns for a refused fill (err says why). */
#define PORTFOLIO_REFUSED	INT64_MIN

/* Room portfolio_format_money and portfolio_format_avg always fit in. */
#define PORTFOLIO_FMT_MAX	48

/* What one fill did. */
struct portfolio_fill_result {
	td_cents	 realized;	/* gross P&L of the closed part */
	td_cents	 commission;	/* of this fill */
	int64_t		 before;	/* signed position before */
	int64_t		 position;	/* signed position after */
	int64_t		 closed;	/* contracts closed (>= 0) */
	int64_t		 opened;	/* contracts opened (>= 0) */
};

/* One instrument's position, as portfolio_get copies it out. */
struct portfolio_pos {
	int64_t		 position;	/* signed: > 0 long, < 0 short */
	td_ticks	 cost;		/* sum of open lots' price x qty */
	int64_t		 qty;		/* |position|; average = cost / qty */
	bool		 has_last;
	td_ticks	 last;		/* last price (mark or first fill) */
	td_cents	 unrealized;
	td_cents	 realized;	/* gross, since create */
	td_cents	 commissions;	/* since create */
	int64_t		 fills;
	int		 lots;		/* open lots in use */
	td_ns		 last_fill;	/* time of the last fill, 0 if none */
};

/* The whole account. */
struct portfolio_account {
	td_cents	 realized;	/* gross, since create */
	td_cents	 unrealized;
	td_cents	 commissions;
	td_cents	 net;		/* realized + unrealized - commission */
	td_cents	 day_pnl;	/* net, since portfolio_day_start */
	td_cents	 day_peak;	/* highest day_pnl today, >= 0 */
	td_cents	 week_pnl;	/* net, since portfolio_week_start */
	td_cents	 day_realized;	/* gross, today */
	td_cents	 day_commissions;
	int64_t		 fills;
	int		 open_positions;
};

/*
 * A portfolio over n instruments (copied; index i is insts[i]).  NULL and
 * a message when n is not positive or memory runs out.  The caller frees
 * it with portfolio_free.
 */
struct portfolio *portfolio_create(const struct instrument *insts, int n,
		     struct errmsg *err);
void		 portfolio_free(struct portfolio *pf);

/*
 * Apply a fill of qty contracts (> 0) on side at price (ticks) at time t.
 * Returns the gross realized P&L of the fill in cents and fills res when
 * it is not NULL.  Returns PORTFOLIO_REFUSED, changing nothing, when the
 * instrument index or the side is bad, qty is not positive, or the
 * instrument's lots are full ("ES: all 256 lots in use, fill refused").
 * The first fill of an instrument that has no mark yet sets its last price.
 */
td_cents	 portfolio_fill(struct portfolio *pf, struct td_inst inst,
		     enum td_side side, int64_t qty, td_ticks price, td_ns t,
		     struct portfolio_fill_result *res, struct errmsg *err);

/*
 * A new last price for an instrument; revalues its position.  Returns the
 * position (0 for an instrument it does not hold).
 */
int64_t		 portfolio_mark(struct portfolio *pf, struct td_inst inst,
		     td_ticks last);

/* Mark the start of a trading day / week: the totals start again. */
void		 portfolio_day_start(struct portfolio *pf);
void		 portfolio_week_start(struct portfolio *pf);

/*
 * A restart (engine_recover): after the journal's fills were applied again
 * and the positions marked, make the day's and the week's P&L what they
 * were (day_realized and day_commissions: the day's own, from its fills;
 * the day's peak is at least day_pnl).  From here they move with fills and
 * marks as usual.
 */
void		 portfolio_restore_pnl(struct portfolio *pf, td_cents day_pnl,
		     td_cents day_realized, td_cents day_commissions,
		     td_cents day_peak, td_cents week_pnl);

/* Getters.  A bad instrument index reads as an empty position. */
int		 portfolio_count(const struct portfolio *pf);
const struct instrument *portfolio_instrument(const struct portfolio *pf,
		     struct td_inst inst);
void		 portfolio_get(const struct portfolio *pf, struct td_inst inst,
		     struct portfolio_pos *out);
void		 portfolio_get_account(const struct portfolio *pf,
		     struct portfolio_account *out);
int64_t		 portfolio_position(const struct portfolio *pf,
		     struct td_inst inst);
/* true and *last set when the instrument has a last price. */
bool		 portfolio_last(const struct portfolio *pf,
		     struct td_inst inst, td_ticks *last);
td_cents	 portfolio_unrealized(const struct portfolio *pf,
		     struct td_inst inst);
td_cents	 portfolio_realized(const struct portfolio *pf,
		     struct td_inst inst);
td_cents	 portfolio_day_pnl(const struct portfolio *pf);
td_cents	 portfolio_day_peak(const struct portfolio *pf);
td_cents	 portfolio_week_pnl(const struct portfolio *pf);
td_cents	 portfolio_net(const struct portfolio *pf);
int		 portfolio_open_positions(const struct portfolio *pf);

/*
 * The average price of an open position (cost / qty ticks) as text:
 * "" when flat, the instrument's own format when it is a whole tick
 * ("4801.25"), otherwise two more decimals than the instrument prints,
 * rounded half away from zero ("4801.1250").  Returns buf.
 */
char		*portfolio_avg_format(const struct portfolio *pf,
		     struct td_inst inst, char *buf, size_t len);

/* The same for any fraction sum / qty ticks (qty > 0). */
char		*portfolio_format_avg(const struct instrument *inst,
		     td_ticks sum, int64_t qty, char *buf, size_t len);

/* Cents as money text: "-1,234.50".  Returns buf. */
char		*portfolio_format_money(td_cents c, char *buf, size_t len);

#endif
