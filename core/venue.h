/*
 * venue.h -- where orders go: a table of functions and its context.
 *
 * The simulated exchange and a broker session fill the same slot.  The
 * engine calls submit, cancel and replace; the venue never calls back into
 * the engine.  Everything the venue has to say (acknowledgements, fills,
 * rejects, cancels) is queued and read with poll, so a venue may answer at
 * once (the simulator) or later (a broker), and no call re-enters the
 * engine.  Brackets are held at the venue as OCO groups: when one order of
 * a group fills, the venue reduces the others by the filled quantity and
 * cancels them when nothing is left, and says so with events.  A
 * reduce-only order (protective stops, targets, exits) never fills beyond
 * the account's position at the venue nor on the side that would grow it:
 * the venue clips such a fill and cancels the rest, reason "reduce-only:
 * position closed".
 *
 * Time in force belongs to the venue too: an IOC order's unfilled rest
 * ends after the first market event it takes part in, and the engine
 * tells the venue when an instrument's regular session closes
 * (session_close) so that its DAY orders end; both are answered with
 * VEV_CANCELLED whose reason begins with "expired".
 */
#ifndef TD_VENUE_H
#define TD_VENUE_H

#include "types.h"

enum order_type {
	ORD_MARKET,
	ORD_LIMIT,
	ORD_STOP,
	ORD_STOP_LIMIT,		/* at price it becomes a limit at limit */
};
#define ORD_NTYPES	(ORD_STOP_LIMIT + 1)

/*
 * Time in force.  GTC works until filled or cancelled; DAY expires at the
 * close of the instrument's regular session; IOC takes what the first
 * market event it meets can fill and the rest expires.
 */
enum order_tif {
	TIF_GTC,
	TIF_DAY,
	TIF_IOC,
};
#define ORD_NTIFS	(TIF_IOC + 1)

struct venue_order {
	uint64_t	 id;		/* engine order id, unique */
	int		 inst;
	enum td_side	 side;
	enum order_type	 type;
	int64_t		 qty;
	td_ticks	 price;		/* limit or stop price; unused for market */
	td_ticks	 limit;		/* a stop-limit's limit price */
	enum order_tif	 tif;
	uint64_t	 oco;		/* OCO group id, 0 for none */
	bool		 reduce_only;	/* never open or add to a position */
};

enum venue_ev_kind {
	VEV_ACK,		/* accepted and working */
	VEV_REJECT,		/* refused; reason says why */
	VEV_FILL,		/* qty filled at price; leaves is what remains */
	VEV_CANCELLED,		/* no longer working (also OCO sibling done) */
	VEV_REPLACED,		/* qty and/or price changed as asked */
	VEV_REDUCED,		/* OCO sibling reduced to leaves by a fill */
	VEV_CANCEL_REJECT,	/* a cancel or replace could not be done */
};

struct venue_event {
	enum venue_ev_kind kind;
	uint64_t	 id;
	int64_t		 qty;		/* fill quantity, or the new quantity */
	td_ticks	 price;		/* fill price, or the new price */
	td_ticks	 limit;		/* REPLACED: a stop-limit's */
	int64_t		 leaves;	/* quantity still working after it */
	td_ns		 time;
	char		 reason[96];
};

struct venue_ops {
	const char	*name;
	/* 0 when queued for the venue; -1 only when it cannot even be sent. */
	int		(*submit)(void *ctx, const struct venue_order *o,
			    td_ns now);
	int		(*cancel)(void *ctx, uint64_t id, td_ns now);
	int		(*replace)(void *ctx, uint64_t id, int64_t qty,
			    td_ticks price, td_ns now);
	/*
	 * replace that also sets a stop-limit's limit price (0 keeps it);
	 * NULL when the venue cannot change a limit.
	 */
	int		(*replace_limit)(void *ctx, uint64_t id, int64_t qty,
			    td_ticks price, td_ticks limit, td_ns now);
	/*
	 * The regular session of inst has closed: its DAY orders expire.
	 * Returns how many, -1 when the venue cannot take the request now.
	 * NULL for a venue whose exchange expires them itself.
	 */
	int		(*session_close)(void *ctx, int inst, td_ns now);
	/* Market data for matching (NULL for a broker). */
	void		(*on_market)(void *ctx, const struct td_md *md);
	/* The current market event is done: later orders wait for the next. */
	void		(*settle)(void *ctx);
	/* 1 and fills ev when an event is waiting, else 0. */
	int		(*poll)(void *ctx, struct venue_event *ev);
	bool		(*connected)(void *ctx);
	/*
	 * A descriptor that becomes readable when the venue has something
	 * to say (poll then returns it), for the runner's loop; NULL or -1
	 * for a venue that answers only inside the engine's calls (the
	 * simulator).
	 */
	int		(*fd)(void *ctx);
	void		(*destroy)(void *ctx);
};

struct venue {
	const struct venue_ops	*ops;
	void			*ctx;
};

#endif
