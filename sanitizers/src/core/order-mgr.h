/*
 * order-mgr.h -- the engine's orders: their state machine and brackets.
 *
 * The order manager owns every order the engine sends, strategy or manual,
 * in a pool allocated once.  It sends them to a venue (venue.h) and applies
 * what the venue answers, one event at a time, checking each change of
 * state against a table of legal transitions:
 *
 *   new -> submitted | rejected
 *   submitted -> submitted | working | partial | filled | cancelled
 *                | rejected | expired
 *   working -> working | partial | filled | cancelled | expired
 *   partial -> partial | filled | cancelled | expired
 *   filled, cancelled, rejected, expired: final
 *
 * (x -> x is a replace or an OCO reduction.)  An event that would break the
 * table is refused and changes nothing.  A VEV_CANCELLED whose reason
 * begins with "expired" makes the order expired.
 *
 * Brackets.  An entry with stop_ticks or target_ticks gets, on its first
 * fill, a protective stop (stop order stop_ticks from the fill price, on
 * the losing side) and a target (limit order target_ticks from it), both
 * sized to the filled quantity and held at the venue as one OCO group.
 * Each later fill of the entry resizes the legs (venue replace) to what
 * the entry has filled minus what the legs have already closed, so the
 * position is never larger than its working stop.  When the entry fills
 * again after both legs are gone (a target filled while the entry was
 * still working), a new bracket is placed from that fill's price.  Once
 * someone cancels a leg (cancel, cancel_all, flatten) or the venue refuses
 * one, the bracket is left alone.
 *
 * Pointers.  A pointer to an order stays valid while the order is live.
 * When the pool needs room for a new order it recycles the oldest final
 * order, so a final order may vanish on a later submit (order_mgr_find
 * then returns NULL); copy what you keep.  Do not modify orders through
 * the pointers.
 *
 * Nothing is allocated after order_mgr_create.
 */
#ifndef TD_ORDER_MGR_H
#define TD_ORDER_MGR_H

#include "venue.h"

struct errmsg;

enum order_state {
	ORD_NEW,
	ORD_SUBMITTED,
	ORD_WORKING,
	ORD_PARTIAL,
	ORD_FILLED,
	ORD_CANCELLED,
	ORD_REJECTED,
	ORD_EXPIRED,
};
#define ORD_NSTATES	(ORD_EXPIRED + 1)

enum order_role {
	ROLE_ENTRY,
	ROLE_STOP,
	ROLE_TARGET,
	ROLE_EXIT,		/* flatten, manual close, strategy exit */
};

struct order {
	uint64_t	 id;
	int		 inst;
	enum td_side	 side;
	enum order_type	 type;
	enum order_state state;
	enum order_role	 role;
	int64_t		 qty;
	int64_t		 filled;
	td_ticks	 price;
	int64_t		 fill_cost;	/* sum of price x qty, ticks */
	int		 owner;		/* strategy, -1 = manual */
	uint64_t	 corr;		/* correlation id */
	uint64_t	 parent;	/* entry id for bracket legs */
	uint64_t	 oco;
	int32_t		 stop_ticks;	/* entry's bracket, 0 = none */
	int32_t		 target_ticks;
	td_ns		 created;
	td_ns		 updated;
	char		 reason[96];

	/* Bookkeeping of the order manager (read only). */
	uint64_t	 stop_id;	/* an entry's current legs, 0 = none */
	uint64_t	 target_id;
	int64_t		 legs_filled;	/* closed by an entry's legs */
	int		 replace_pending; /* replaces not yet answered */
	bool		 cancel_pending;
	bool		 bracket_off;	/* leave an entry's legs alone */
};

struct order_req {
	int		 inst;
	enum td_side	 side;
	enum order_type	 type;
	int64_t		 qty;
	td_ticks	 price;		/* limit or stop, not market */
	enum order_role	 role;
	int		 owner;
	uint64_t	 corr;
	int32_t		 stop_ticks;	/* entries only, >= 0 */
	int32_t		 target_ticks;
};

/* What one venue event did. */
struct order_update {
	struct order	 order;		/* the order after it, a copy */
	enum venue_ev_kind kind;
	enum order_state from;
	enum order_state to;		/* == from when the state stays */
	bool		 fill;
	int		 inst;		/* for fills: */
	enum td_side	 side;
	int64_t		 qty;
	td_ticks	 price;
	td_ns		 time;
	uint64_t	 stop_id;	/* legs it placed, 0 = none */
	uint64_t	 target_id;
	bool		 unprotected;	/* a stop is missing: see note */
	char		 note[160];	/* the venue's reason, or why */
};

struct order_mgr;

/*
 * Create an order manager with a pool of capacity orders sending to venue
 * (not owned; it must outlive the manager).  NULL and a message on a bad
 * capacity or no memory.  Free with order_mgr_free (NULL is fine).
 */
struct order_mgr *order_mgr_create(int capacity, struct venue *venue,
		     struct errmsg *err);
void		 order_mgr_free(struct order_mgr *om);

/*
 * Create an order and send it to the venue.  NULL and a message when the
 * request is malformed (side, type, role, bracket distances) or the pool is
 * full of live orders.  Otherwise the order, submitted -- or rejected, with
 * a reason and a message, when the venue could not even take it.  Quantity
 * and price are the venue's to judge: it answers with a reject event.
 */
struct order	*order_mgr_submit(struct order_mgr *om,
		     const struct order_req *req, td_ns now,
		     struct errmsg *err);

/*
 * Ask the venue to cancel a live order; the order changes when the answer
 * comes.  -1 when the order is unknown or final, or the venue cannot take
 * the request.  Asking again while a cancel is pending does nothing.
 */
int		 order_mgr_cancel(struct order_mgr *om, uint64_t id,
		     td_ns now, struct errmsg *err);

/*
 * Cancel every live order of inst (-1 = all) and owner (-2 = any); returns
 * how many cancels were sent.
 */
int		 order_mgr_cancel_all(struct order_mgr *om, int inst,
		     int owner_filter, td_ns now);

/*
 * Change a live order: qty is its new total quantity (0 keeps it; it must
 * stay above what has filled), price its new limit or stop price (0 keeps
 * it).  -1 on an unknown or final order, a bad value, a pending cancel or
 * a venue that cannot take it.
 */
int		 order_mgr_replace(struct order_mgr *om, uint64_t id,
		     int64_t qty, td_ticks price, td_ns now,
		     struct errmsg *err);

/*
 * Cancel every live order of inst, then send one market exit order
 * (owner -1, corr) for -position; nothing more when position is 0.  -1
 * when the exit order could not be created or sent.
 */
int		 order_mgr_flatten(struct order_mgr *om, int inst,
		     int64_t position, uint64_t corr, td_ns now,
		     struct errmsg *err);

/*
 * Apply one venue event and say in out (may be NULL) what it did.  -1 with
 * a message, changing nothing, when the order is unknown, the transition
 * is illegal ("order 12: illegal transition filled -> working") or the
 * event does not fit the order (a fill above its quantity).  A cancel
 * reject for an order already recycled is a late answer, not an error: 0,
 * with out->order blank but for its id (state new, from = to = new).
 */
int		 order_mgr_on_event(struct order_mgr *om,
		     const struct venue_event *ev, struct order_update *out,
		     struct errmsg *err);

/*
 * Poll the venue once and apply the event: 1 when out was filled, 0 when
 * the venue had nothing, -1 when the event was refused (as on_event).
 */
int		 order_mgr_poll(struct order_mgr *om,
		     struct order_update *out, struct errmsg *err);

/* The order with this id, or NULL when unknown or recycled. */
struct order	*order_mgr_find(struct order_mgr *om, uint64_t id);

/* Live (not final) orders in creation order: index 0 .. count - 1. */
int		 order_mgr_live_count(const struct order_mgr *om);
const struct order *order_mgr_live_at(const struct order_mgr *om, int i);
void		 order_mgr_foreach(const struct order_mgr *om,
		     void (*fn)(const struct order *, void *), void *arg);

/* Live orders of inst (-1 = all). */
int		 order_mgr_working_count(const struct order_mgr *om,
		     int inst);

/*
 * Quantity still working in live protective stops (role stop) of inst that
 * would close a position on position_side; stops with a pending cancel do
 * not count.
 */
int64_t		 order_mgr_stop_cover(const struct order_mgr *om,
		     int inst, enum td_side position_side);

/* True when position is 0 or its stops cover all of it. */
bool		 order_mgr_protected(const struct order_mgr *om, int inst,
		     int64_t position);

/* Quantity still working in live entries of inst on side. */
int64_t		 order_mgr_working_entry_qty(const struct order_mgr *om,
		     int inst, enum td_side side);

/*
 * Restarts.  order_mgr_restore puts an order known from the journal and the
 * venue back into the pool as it is (its id, state, fills and bracket
 * bookkeeping), without sending anything: a live one as live, a final one
 * (the entry of live bracket legs) as final.  Restore in id order.  -1 on
 * an order in state new, an id already known or a full pool.  New orders
 * get ids above every restored one, and at least next after
 * order_mgr_reserve_ids (ids the venue may still know).
 */
int		 order_mgr_restore(struct order_mgr *om,
		     const struct order *o, struct errmsg *err);
void		 order_mgr_reserve_ids(struct order_mgr *om, uint64_t next);
uint64_t	 order_mgr_next_id(const struct order_mgr *om);

/* The transition table. */
bool		 order_mgr_legal(enum order_state from,
		     enum order_state to);
bool		 order_mgr_final(enum order_state state);

/*
 * Lower-case names: "working", "stp", "target"; "?" when out of range.
 * (Named after the enums rather than the module, as the engine asked.)
 */
const char	*order_state_name(enum order_state state);
const char	*order_role_name(enum order_role role);
const char	*order_type_name(enum order_type type);

#endif
