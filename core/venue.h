/*
 * venue.h -- where orders go: a table of functions and its context.
 *
 * The simulated exchange and a broker session fill the same slot.  The
 * engine calls submit, cancel, replace and mass_cancel; the venue never
 * calls back into the engine.  Everything the venue has to say
 * (acknowledgements, fills, rejects, cancels) is queued and read with
 * poll, so a venue may answer at once (the simulator) or later (a
 * broker), and no call re-enters the engine.  Brackets are held at the
 * venue as OCO groups: when one order of a group fills, the venue reduces
 * the others by the filled quantity and cancels them when nothing is
 * left, and says so with events.  A reduce-only order (protective stops,
 * targets, exits) never fills beyond the account's position at the venue
 * nor on the side that would grow it: the venue clips such a fill and
 * cancels the rest, reason "reduce-only: position closed".
 *
 * Time in force belongs to the venue too: an IOC order's unfilled rest
 * ends after the first market event it takes part in, and the engine
 * tells the venue when an instrument's regular session closes
 * (session_close) so that its DAY orders end; both are answered with
 * VEV_CANCELLED whose reason begins with "expired".
 *
 * Asking the venue.  A restart (engine_recover) believes the venue, not
 * any file of it: order_status says what became of one order,
 * mass_status lists every working order, and executions lists the fills
 * the venue made from a time on.  These answer before they return (a
 * broker's session waits for its reports, within its own timeout); what
 * a venue keeps to answer them, and where, is its own business.  The
 * connection (conn) says whether orders can go now: up, connecting, or
 * lost.
 *
 * Who owns a venue: whoever made it (venue_sim_create, ...) until it is
 * handed to engine_create, which takes it; engine_free destroys it
 * (ops->destroy).
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
	/*
	 * FILL: the price an entry's bracket is measured from when the
	 * venue's fill model says so (venue-sim's backtrader model: the
	 * signal's price); 0, as from every other venue: the fill price.
	 */
	td_ticks	 base;
	char		 reason[96];
};

/* The connection to the venue (ops->conn). */
enum venue_conn {
	VENUE_UP,		/* orders go, answers come */
	VENUE_CONNECTING,	/* not up yet, or up again soon */
	VENUE_LOST,		/* down: nothing goes until it is back */
	VENUE_CLOSED,		/* outside the counterparty's session
				   hours: logged out on schedule */
};
#define VENUE_NCONNS	(VENUE_CLOSED + 1)

/* "up", "connecting", "lost"; "?" for anything else. */
static inline const char *
venue_conn_name(enum venue_conn c)
{
	static const char *const names[VENUE_NCONNS] = {
		[VENUE_UP] = "up",
		[VENUE_CONNECTING] = "connecting",
		[VENUE_LOST] = "lost",
		[VENUE_CLOSED] = "closed",
	};

	return (unsigned)c < VENUE_NCONNS ? names[c] : "?";
}

/* What the venue says of one order (order_status, mass_status). */
enum venue_ord_state {
	VOS_UNKNOWN,		/* it has no such order, or forgot it */
	VOS_WORKING,		/* accepted, leaves still working */
	VOS_FILLED,		/* done: filled in full */
	VOS_CANCELLED,		/* done: cancelled, expired or reduced
				   away (filled says what filled first) */
};

struct venue_status {
	struct venue_order order;	/* as it works: qty is its total,
					   price its limit or stop now */
	enum venue_ord_state state;
	int64_t		 filled;
	int64_t		 leaves;	/* 0 once done */
};

/*
 * One fill the venue made (executions).  exec numbers the venue's fills
 * in the order it made them; order_filled is the order's filled after
 * this one, so (order_id, order_filled) names the fill on both sides of
 * a restart.  A record with order_id 0 is no fill but a position the
 * venue carried in at time (qty on side, exec and price 0): it took over
 * the account's position then (adopt_position), and every fill before
 * that time is accounted for in it.
 */
struct venue_exec {
	uint64_t	 exec;
	uint64_t	 order_id;
	int		 inst;
	enum td_side	 side;
	int64_t		 qty;
	td_ticks	 price;
	td_ns		 time;
	int64_t		 order_filled;
};

/* Callbacks of the queries: non-zero stops the listing. */
typedef int	(*venue_status_fn)(void *arg, const struct venue_status *st);
typedef int	(*venue_exec_fn)(void *arg, const struct venue_exec *x);

struct errmsg;

struct venue_ops {
	const char	*name;
	/* Its executions are timed on the wall clock (a broker's). */
	bool		 wall_clock;
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
	 * Cancel every working order of inst (-1: of every instrument), each
	 * answered with VEV_CANCELLED as a cancel is.  Returns how many, -1
	 * when the venue cannot take the request now.
	 */
	int		(*mass_cancel)(void *ctx, int inst, td_ns now);
	/*
	 * The regular session of inst has closed: its DAY orders expire.
	 * Returns how many, -1 when the venue cannot take the request now.
	 * NULL for a venue whose exchange expires them itself.
	 */
	int		(*session_close)(void *ctx, int inst, td_ns now);
	/*
	 * Market data for matching, and the end of one market event (later
	 * orders wait for the next); a broker's do nothing.  on_market
	 * returns 1 when poll may have something to say: the engine drains
	 * it (its replies match against the rest of the event), then calls
	 * settle.  0 when poll has nothing: the event is settled already,
	 * and the engine calls neither.  A venue that cannot tell says 1.
	 */
	int		(*on_market)(void *ctx, const struct td_md *md);
	void		(*settle)(void *ctx);
	/* 1 and fills ev when an event is waiting, else 0. */
	int		(*poll)(void *ctx, struct venue_event *ev);
	/*
	 * What the venue knows of order id now, in *st (VOS_UNKNOWN when
	 * nothing).  -1 with a message when it cannot be asked.
	 */
	int		(*order_status)(void *ctx, uint64_t id,
			    struct venue_status *st, struct errmsg *err);
	/*
	 * Every working order, in the order the venue took them.  -1 with
	 * a message when it cannot be asked.
	 */
	int		(*mass_status)(void *ctx, venue_status_fn fn, void *arg,
			    struct errmsg *err);
	/*
	 * Every fill made at or after since, in the order the venue made
	 * them, then the positions it carried in from then on.  -1 with a
	 * message when it cannot be asked.  since and the fills' times are
	 * on the engine's clock, or on the wall clock for a venue that says
	 * wall_clock.
	 */
	int		(*executions)(void *ctx, td_ns since, venue_exec_fn fn,
			    void *arg, struct errmsg *err);
	/*
	 * The account's position on inst is position from time on: a
	 * restart found that the venue knew nothing of the fills the
	 * journal has (its records lost), and the journal's positions
	 * stand.  The venue reports it with its executions from then on.
	 * NULL for a venue that keeps the account's positions itself (a
	 * broker).  -1 with a message when it cannot be done.
	 */
	int		(*adopt_position)(void *ctx, int inst, int64_t position,
			    td_ns time, struct errmsg *err);
	/* The connection now; NULL: always up. */
	enum venue_conn	(*conn)(void *ctx);
	/*
	 * A descriptor that becomes readable when the venue has something
	 * to say (poll then returns it), for the runner's loop; NULL or -1
	 * for a venue that answers only inside the engine's calls (the
	 * simulator).
	 */
	int		(*fd)(void *ctx);
	/*
	 * A venue with work of its own (a broker's session: heartbeats,
	 * reconnects, reading its link): run does what is due by now, and
	 * wake says when it must run next (INT64_MAX: when fd is readable).
	 * NULL for a venue that has none (the simulator).
	 */
	void		(*run)(void *ctx, td_ns now);
	td_ns		(*wake)(void *ctx);
	/*
	 * 1 with a line for the log and its level (LOG_*) when the venue
	 * has something to say that is no order's event (the session was
	 * rejected, a resend, the link); 0 when not.  NULL: never.
	 */
	int		(*notice)(void *ctx, int *level, char *buf,
			    size_t len);
	/* When the counterparty last spoke (0: never); NULL: no session. */
	td_ns		(*heard)(void *ctx);
	/*
	 * How many times since it was made the venue found, asking its
	 * counterparty after a reconnect, an order that was not what it
	 * had said (gone, or filled beyond the fills it reported); NULL:
	 * never.  The engine halts for a person when it grows.
	 */
	int		(*discrepancies)(void *ctx);
	/*
	 * The kill switch was thrown, and its cancels and exits asked
	 * through the calls above: a venue with a second way to its
	 * counterparty (an emergency session) sends what still waits for
	 * the link that way.  NULL: none.
	 */
	void		(*kill)(void *ctx, td_ns now);
	void		(*destroy)(void *ctx);
};

struct venue {
	const struct venue_ops	*ops;
	void			*ctx;
};

/* Destroy a venue no engine took (ops->destroy); NULL is fine. */
static inline void
venue_free(struct venue *v)
{
	if (v != NULL)
		v->ops->destroy(v->ctx);
}

#endif
