/*
 * breaker.h -- circuit breakers: stop trading when something goes wrong
 * faster than a person can react.
 *
 * Four breakers watch what the engine tells them:
 *
 *   rejects	orders refused (by the sizer, the risk manager or the
 *		venue): `rejects` of them within `rejects_window`;
 *   errors	one error line (the same component and text, logged at
 *		error level or above) `errors` times within `errors_window`;
 *   pnl_swing	the account's P&L (realized + unrealized - commissions)
 *		moving by `pnl_swing` or more within `pnl_window`, up or
 *		down;
 *   venue	venue errors (an order the venue rejected, a cancel or
 *		replace it refused for a working order, an answer that
 *		makes no sense): `venue` of them within `venue_window`.
 *
 * A threshold of 0 turns its breaker off.  A breaker that trips stays
 * tripped -- a latch -- until breaker_reset, which only a person asks for
 * (`breaker reset NAME`); nothing here decides what a trip does: the
 * engine halts trading, flattens when flatten_on_trip says so, logs and
 * raises an alert.  Time is the engine's time (the exchange's), so a
 * replay at any speed trips exactly as the session did.
 *
 * Counting windows are exact: each counting breaker keeps the times of its
 * last N events in a ring of N (N the threshold), and trips when the
 * oldest of them is younger than the window.  Errors are told apart by a
 * 64-bit hash of component and text, for the last BREAKER_ERROR_SLOTS
 * different texts.  The P&L window is kept as 60 buckets of a sixtieth of
 * the window each, with the lowest and highest P&L seen in each, so the
 * window is between 59/60 and all of pnl_window long.
 *
 * All memory is taken by breaker_create; feeding allocates nothing, and
 * costs a few comparisons per market event.
 */
#ifndef TD_BREAKER_H
#define TD_BREAKER_H

#include "types.h"

struct errmsg;
struct breaker;

enum breaker_kind {
	BREAKER_REJECTS,
	BREAKER_ERRORS,
	BREAKER_PNL_SWING,
	BREAKER_VENUE,
};
#define BREAKER_KINDS		4

#define BREAKER_COUNT_MAX	1000	/* largest rejects or venue threshold */
#define BREAKER_ERRORS_MAX	100	/* largest errors threshold */
#define BREAKER_ERROR_SLOTS	16	/* different error texts watched */
#define BREAKER_WINDOW_MAX	(7 * TD_NS_PER_DAY)
#define BREAKER_WHY_MAX		160

struct breaker_cfg {
	int		 rejects;		/* 0 = off */
	td_ns		 rejects_window;
	int		 errors;		/* 0 = off */
	td_ns		 errors_window;
	td_cents	 pnl_swing;		/* 0 = off */
	td_ns		 pnl_window;
	int		 venue;			/* 0 = off */
	td_ns		 venue_window;
	bool		 flatten_on_trip;	/* for the engine */
};

/* One breaker as `breaker list`, `status` and the risk pane show it. */
struct breaker_state {
	bool		 on;		/* threshold not 0 */
	bool		 tripped;
	td_ns		 when;		/* of the trip */
	char		 why[BREAKER_WHY_MAX];	/* of the trip */
	int64_t		 level;		/* now: count in window, or swing
					   in cents */
	int64_t		 limit;		/* the threshold (cents for P&L) */
	td_ns		 window;
	int64_t		 trips;		/* since create */
};

/* "rejects", "errors", "pnl_swing", "venue". */
const char	*breaker_name(enum breaker_kind k);
/* The kind of a name; -1 when there is none. */
int		 breaker_parse(const char *name, enum breaker_kind *out);

/*
 * Breakers with their own copy of cfg, none tripped.  NULL and a message
 * for a bad configuration ("breakers: rejects must be 0 to 1000", "...
 * window must be 1 s to 7 days") or no memory.  Free with breaker_free.
 */
struct breaker	*breaker_create(const struct breaker_cfg *cfg,
		     struct errmsg *err);
void		 breaker_free(struct breaker *b);
const struct breaker_cfg *breaker_config(const struct breaker *b);

/*
 * What happened, at engine time now.  Each returns true when this very
 * call tripped its breaker (a tripped breaker ignores what it is fed
 * until it is reset, so it trips once).
 */
bool		 breaker_on_reject(struct breaker *b, td_ns now);
bool		 breaker_on_error(struct breaker *b, td_ns now,
		     const char *component, const char *text);
bool		 breaker_on_pnl(struct breaker *b, td_ns now, td_cents pnl);
bool		 breaker_on_venue_error(struct breaker *b, td_ns now);

bool		 breaker_tripped(const struct breaker *b, enum breaker_kind k);
/* A bit (1 << kind) for each tripped breaker; 0 when none is. */
unsigned	 breaker_tripped_mask(const struct breaker *b);
/* The state of one breaker at time now. */
void		 breaker_get(const struct breaker *b, enum breaker_kind k,
		     td_ns now, struct breaker_state *out);
/*
 * Reset one breaker: untripped, its history forgotten (the P&L window
 * starts again from the next mark).  0 when it was tripped, 1 when it was
 * not (its history is forgotten all the same).
 */
int		 breaker_reset(struct breaker *b, enum breaker_kind k);

#endif
