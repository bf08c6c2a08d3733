/*
 * engine-ev.h -- what leaves the kernel: the events its observers hear.
 *
 * The engine says what happens as it happens, on its own thread, one
 * struct engine_ev on its stack per event, to the observers handed to it
 * (engine.h: engine_observer_add): the journal, the console's snapshot
 * (snap-obs.h), the health counters (health-obs.h), the report's day
 * table (stats.h).  An observer keeps what it needs of an event by value
 * (the pointers live only for the call) and never calls back into the
 * engine.  An observer module includes this header, not engine.h.
 *
 * Which fields an event fills is said beside each; the others are 0 or
 * NULL.  Every event has its kind and the engine's time.
 */
#ifndef TD_ENGINE_EV_H
#define TD_ENGINE_EV_H

#include <stdint.h>

#include "ids.h"
#include "risk.h"
#include "types.h"

struct errmsg;
struct instrument;
struct order;
struct portfolio_account;
struct rollout_event;
struct stats_day;

enum engine_ev_kind {
	/*
	 * The books, for the journal: an order created (before the venue
	 * sees it) or changing state, a fill (the portfolio has applied
	 * it), a change of the trading state, a trader's command.
	 */
	EEV_ORDER,
	EEV_FILL,
	EEV_STATE,
	EEV_COMMAND,
	/* What the venue's answer made of an order (the blotter's rows). */
	EEV_UPDATE,
	/* An order refused: by the sizer, risk, the order manager, the
	   venue. */
	EEV_REFUSED,
	/* A bar closed: given or built from ticks, before the strategies. */
	EEV_BAR,
	/* A market event processed, to its end. */
	EEV_MARKET,
	/* A trading day closed, with its figures. */
	EEV_DAY,
	/* A stage of a market event timed (health.latency on). */
	EEV_STAGE,
	/*
	 * The rollout ladder (rollout.h): a stage entered, its evidence
	 * and its incidents, for the journal.  One of the books.
	 */
	EEV_ROLLOUT,
	EEV_KINDS
};

/* An observer's mask: the kinds it hears. */
#define EEV_BIT(kind)	(1u << (kind))
#define EEV_BOOKS	(EEV_BIT(EEV_ORDER) | EEV_BIT(EEV_FILL) |	\
			 EEV_BIT(EEV_STATE) | EEV_BIT(EEV_COMMAND) |	\
			 EEV_BIT(EEV_ROLLOUT))

struct engine_ev {
	enum engine_ev_kind	 kind;
	td_ns			 time;
	uint64_t		 corr;		/* the books, REFUSED */
	const struct order	*order;		/* ORDER, FILL, UPDATE: as
						   it is now */
	int			 from;		/* ORDER, UPDATE: previous
						   order_state, -1 when just
						   created */
	struct td_inst		 inst;		/* FILL, BAR, MARKET; ORDER */
	/* Its instrument and its owner's name ("manual" for none). */
	const struct instrument	*instrument;	/* ORDER, FILL, UPDATE, BAR */
	const char		*owner;		/* ORDER, FILL, UPDATE */
	enum td_side		 side;		/* FILL; ORDER */
	int64_t			 qty;
	td_ticks		 price;
	/*
	 * FILL: the highest and lowest price the instrument's open trade
	 * saw before this fill (trades.h), 0 when it was flat; the journal
	 * keeps them so that a report has the trade's excursions.
	 */
	td_ticks		 trade_high, trade_low;
	/*
	 * FILL of a bracket's leg: its entry, when the fill changed what
	 * the bracket protects, to record with the fill (a restart that
	 * found one without the other would count the contracts twice or
	 * not at all); NULL otherwise.
	 */
	const struct order	*bracket;
	enum trading_state	 state_from;	/* STATE */
	enum trading_state	 state_to;
	const char		*who;		/* STATE */
	const char		*text;		/* STATE: why; COMMAND: the
						   line; REFUSED: why */
	/*
	 * The account as the event leaves it (a fill's figures include
	 * it), for the journal's day figures, written in the event's own
	 * transaction: the books' kinds.
	 */
	const struct portfolio_account *account;
	const struct td_bar	*bar;		/* BAR */
	const struct stats_day	*day;		/* DAY */
	const struct rollout_event *rollout;	/* ROLLOUT */
	int			 stage;		/* STAGE: enum snap_stage */
	td_ns			 took;		/* STAGE: its duration */
};

/*
 * An observer's function.  The recorder (the journal) answers 0 when it
 * has kept the event and -1 with why in err (may be NULL) when it could
 * not; every other observer's answer is ignored.
 */
typedef int	(*engine_observer_fn)(void *arg, const struct engine_ev *ev,
		     struct errmsg *err);

#endif
