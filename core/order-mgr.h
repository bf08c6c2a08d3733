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
 * Brackets.  An entry with a bracket (struct bracket: a stop, up to
 * OM_MAX_TARGETS targets with their quantities, auto-breakeven and a
 * trailing stop) gets its protection as it fills: the quantity a fill
 * opens or adds to the position is shared out among the bracket's
 * pairs, each a stop and its target held at the venue as one OCO group
 * (a stop alone when the bracket has no target for it).  The first fill
 * places a pair's legs from its price; later fills resize them.  A
 * second target makes a scale-out: the first pair's target is nearer,
 * and when it fills its stop goes with it while the other pairs stay.
 * Legs are placed on an entry's fills, and placed again only when the
 * venue ends a pair's legs while the account still holds, uncovered, the
 * position they protected (never for a flat one: a restart or a filled
 * leg never re-arms a closed trade).  Once someone cancels a stop
 * (cancel, cancel_all, flatten) or the venue refuses a leg, the bracket
 * takes no more legs; a target cancelled by hand goes alone, and its
 * pair's stop still follows the entry's fills.
 *
 * Protection invariants, kept here for every order of the account:
 *   - reduce-only: the order manager keeps each instrument's net
 *     position from the fills it applies.  Stops, targets and exits
 *     (roles other than entry) only close it: the worst case of what
 *     they can fill together -- the largest remaining quantity of each
 *     OCO group plus the remaining quantity of every other exit -- never
 *     exceeds the position.  An exit that does not fit is refused; a
 *     market exit first takes its room from the newest protective
 *     orders.  When the position shrinks, the other exits shrink or are
 *     cancelled in the same step (the same owner's first, newest first);
 *     when it is flat they are all cancelled.  The venue is asked to
 *     enforce the same (venue_order.reduce_only).
 *   - a bracket protects only what opens or adds to a position: the part
 *     of an entry's fill that closes an opposite position gets no legs.
 *   - journal before venue: the note hook (order_mgr_set_note) hears of
 *     every order before the venue does; when it cannot record it, the
 *     order is rejected and never sent.  What a venue event did to a
 *     bracket it hears after the event is recorded.
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

#include "ids.h"
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

#define OM_MAX_TARGETS	3

/*
 * A bracket template (a NinjaTrader ATM strategy): distances in ticks
 * from the entry's first fill price (or the base the venue gives with
 * the fill, venue_event.base).  target_qty[k] is target k's share
 * of the entry's quantity; when the shares do not add up to it they are
 * scaled, the rest going to the first target.  A breakeven trigger moves
 * the stops to the entry price plus offset once the market is trigger
 * ticks in profit; a trailing stop keeps the stops distance ticks behind
 * the best price once trigger is reached, moving step ticks at a time.
 * 0 switches a part off.
 */
struct bracket {
	int32_t		 stop_ticks;
	int		 ntargets;
	int32_t		 target_ticks[OM_MAX_TARGETS];
	int64_t		 target_qty[OM_MAX_TARGETS];
	int32_t		 be_trigger;
	int32_t		 be_offset;
	int32_t		 trail_trigger;
	int32_t		 trail_step;
	int32_t		 trail_dist;
};

/* One stop and its target: an OCO group protecting open contracts. */
struct order_pair {
	uint64_t	 stop_id;	/* 0 = none working */
	uint64_t	 target_id;
	int64_t		 open;		/* contracts this pair protects */
	int64_t		 alloc;		/* its planned share of the entry */
	uint64_t	 oco;
	bool		 no_target;	/* its target was cancelled by hand */
};

enum order_role {
	ROLE_ENTRY,
	ROLE_STOP,
	ROLE_TARGET,
	ROLE_EXIT,		/* flatten, manual close, strategy exit */
};

struct order {
	uint64_t	 id;
	struct td_inst	 inst;
	enum td_side	 side;
	enum order_type	 type;
	enum order_state state;
	enum order_role	 role;
	int64_t		 qty;
	int64_t		 filled;
	td_ticks	 price;
	td_ticks	 limit;		/* a stop-limit's limit price */
	enum order_tif	 tif;
	int64_t		 fill_cost;	/* sum of price x qty, ticks */
	struct td_owner	 owner;
	uint64_t	 corr;		/* correlation id */
	uint64_t	 parent;	/* entry id for bracket legs */
	uint64_t	 oco;
	struct bracket	 br;		/* an entry's bracket */
	td_ns		 created;
	td_ns		 updated;
	char		 reason[96];
	td_ticks	 ref;		/* a market order: the last price
					   when it was sent (its expected
					   fill), set by the engine; 0 */

	/* Bookkeeping of the order manager (read only). */
	int64_t		 want;		/* qty once our requests are done */
	int		 npairs;	/* an entry's pairs */
	struct order_pair pair[OM_MAX_TARGETS];
	td_ticks	 base;		/* its first fill's price */
	td_ticks	 stop_px;	/* its stops' price, once placed */
	td_ticks	 best;		/* best price seen since (trailing) */
	int64_t		 opened;	/* its fills that opened or added */
	int64_t		 legs_filled;	/* closed by its legs or trimmed */
	int		 replace_pending; /* replaces not yet answered */
	bool		 cancel_pending;
	bool		 bracket_off;	/* leave an entry's legs alone */
	bool		 held;		/* opened while a restart replayed:
					   legs at order_mgr_settle */
	bool		 note_due;	/* its bracket changed in a venue
					   event: order_mgr_flush_notes */
};

struct order_req {
	struct td_inst	 inst;
	enum td_side	 side;
	enum order_type	 type;
	int64_t		 qty;
	td_ticks	 price;		/* limit or stop, not market */
	td_ticks	 limit;		/* a stop-limit's limit price */
	enum order_tif	 tif;		/* legs and exits are always GTC */
	enum order_role	 role;
	struct td_owner	 owner;
	uint64_t	 corr;
	struct bracket	 br;		/* entries only */
	uint64_t	 oco;		/* a free-standing OCO group, 0 = none */
};

/* What one venue event did. */
struct order_update {
	struct order	 order;		/* the order after it, a copy */
	enum venue_ev_kind kind;
	enum order_state from;
	enum order_state to;		/* == from when the state stays */
	bool		 fill;
	struct td_inst	 inst;		/* for fills: */
	enum td_side	 side;
	int64_t		 qty;
	td_ticks	 price;
	td_ns		 time;
	bool		 unprotected;	/* a stop is missing: see note */
	char		 note[160];	/* the venue's reason, or why */
};

struct order_mgr;

/*
 * Create an order manager with a pool of capacity orders for ninst
 * instruments, sending to venue (not owned; it must outlive the
 * manager).  NULL and a message on a bad capacity or no memory.  Free
 * with order_mgr_free (NULL is fine).
 */
struct order_mgr *order_mgr_create(int capacity, int ninst,
		     struct venue *venue, struct errmsg *err);
void		 order_mgr_free(struct order_mgr *om);

/*
 * The note hook hears of every order as it is created, before the venue
 * does (from -1), of an order the venue could not take (from
 * ORD_SUBMITTED, now rejected), and of an entry whose bracket changed
 * (from its own state: contracts its legs no longer cover, a leg or the
 * bracket given up), so that a restart finds the bracket as it was.
 * When it returns -1 for a new order, with a message, the order is
 * rejected with that reason and never sent.  A bracket changed by a
 * venue event is heard of only when the owner has recorded the event
 * (order_mgr_flush_notes): a record never counts a fill's contracts as
 * closed before the fill itself, or a restart that replays the fill
 * would count them twice.
 */
typedef int	(*order_note_fn)(void *arg, const struct order *o, int from,
		     struct errmsg *err);
void		 order_mgr_set_note(struct order_mgr *om, order_note_fn fn,
		     void *arg);

/*
 * Create an order and send it to the venue.  NULL and a message when the
 * request is malformed (side, type, role, bracket distances), an exit
 * would break the reduce-only rule ("exit refused: ...") or the pool is
 * full of live orders.  Otherwise the order, submitted -- or rejected,
 * with a reason and a message, when the note hook or the venue could not
 * take it.  Quantity and price are the venue's to judge: it answers with a
 * reject event.
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
 * Is br a bracket an entry can carry?  -1 with a message ("bad bracket:
 * ...") for negative distances, more than OM_MAX_TARGETS targets, a
 * target without its distance, or a breakeven offset not below its
 * trigger.
 */
int		 order_mgr_check_bracket(const struct bracket *br,
		     struct errmsg *err);

/*
 * Cancel every live order of the instruments and owners selected (ids.h:
 * td_inst_all, td_owner_any); returns how many cancels were sent.
 */
int		 order_mgr_cancel_all(struct order_mgr *om,
		     struct td_inst_sel insts, struct td_owner_sel owners,
		     td_ns now);

/*
 * Change a live order: qty is its new total quantity (0 keeps it; it must
 * stay above what has filled), price its new limit or stop price (0 keeps
 * it).  -1 on an unknown or final order, a bad value, a pending cancel, an
 * exit grown beyond the position or a venue that cannot take it.  A
 * bracket leg's quantity follows its entry and cannot be changed here.
 */
int		 order_mgr_replace(struct order_mgr *om, uint64_t id,
		     int64_t qty, td_ticks price, td_ns now,
		     struct errmsg *err);
/*
 * order_mgr_replace that also sets a stop-limit's limit price (0 keeps
 * it): price is then its stop.  -1 as order_mgr_replace, and for a limit
 * on another type of order or a venue without replace_limit.
 */
int		 order_mgr_replace_limit(struct order_mgr *om, uint64_t id,
		     int64_t qty, td_ticks price, td_ticks limit, td_ns now,
		     struct errmsg *err);

/*
 * The account's net position on inst as the order manager knows it from
 * the fills it applied; a restart sets it (set_position) before the
 * orders are restored.
 */
int64_t		 order_mgr_position(const struct order_mgr *om,
		     struct td_inst inst);
void		 order_mgr_set_position(struct order_mgr *om,
		     struct td_inst inst, int64_t position);

/*
 * The worst case of what the live exits of inst can fill together (see
 * the invariants above), and the quantity of live stops plus market
 * exits that would close a position on position_side.
 */
int64_t		 order_mgr_exit_qty(const struct order_mgr *om,
		     struct td_inst inst);
/* What the live market exits of inst have left to close. */
int64_t		 order_mgr_market_exit_qty(const struct order_mgr *om,
		     struct td_inst inst);
int64_t		 order_mgr_cover(const struct order_mgr *om,
		     struct td_inst inst, enum td_side position_side);

/*
 * A new price of inst: brackets with a breakeven or a trailing stop move
 * their stops (replace) when the price has gone far enough their way.
 * Returns how many stops were moved.
 */
int		 order_mgr_on_price(struct order_mgr *om,
		     struct td_inst inst, td_ticks price, td_ns now);

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
 * The note hook hears now of the brackets the venue events applied since
 * the last call changed: call it once an event's own record is written.
 */
void		 order_mgr_flush_notes(struct order_mgr *om);

/*
 * The entry id, when a venue event changed its bracket and the note hook
 * has not heard of it yet: the caller records it with the event instead,
 * and the hook will not hear of it.  NULL otherwise.
 */
const struct order *order_mgr_take_note(struct order_mgr *om, uint64_t id);

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

/* Live orders of the instruments selected. */
int		 order_mgr_working_count(const struct order_mgr *om,
		     struct td_inst_sel insts);

/* True when position is 0 or its stops and market exits cover it. */
bool		 order_mgr_protected(const struct order_mgr *om,
		     struct td_inst inst, int64_t position);

/* Quantity still working in live entries of inst on side. */
int64_t		 order_mgr_working_entry_qty(const struct order_mgr *om,
		     struct td_inst inst, enum td_side side);

/*
 * Restarts.  order_mgr_restore puts an order known from the journal and the
 * venue back into the pool as it is (its id, state and fills), without
 * sending anything: a live one as live, a final one (the entry of live
 * bracket legs) as final.  A leg joins its entry's pair by its OCO group,
 * protecting what it has left to fill.  Restore in id order.  -1 on an
 * order in state new, an id already known or a full pool.  New orders get
 * ids above every restored one, and at least next after
 * order_mgr_reserve_ids (ids the venue may still know).
 */
int		 order_mgr_restore(struct order_mgr *om,
		     const struct order *o, struct errmsg *err);
void		 order_mgr_reserve_ids(struct order_mgr *om, uint64_t next);
/*
 * A restart takes over a live entry it restored, an order only the venue
 * knew, as an exit of role (stop, target or exit) of the position it can
 * close: a leg of entry (its stop or target, joining the pair of its OCO
 * group as order_mgr_restore does), or outside any bracket (entry 0).
 * -1 with a message, changing nothing, when the order is no live entry,
 * is on the side that would open or add to the position, or would not
 * fit in it beside the other exits (the reduce-only rule above).
 */
int		 order_mgr_adopt(struct order_mgr *om, uint64_t id,
		     enum order_role role, uint64_t entry, struct errmsg *err);
/*
 * After a restart has put everything back: exits that do not fit the
 * positions shrink or go, and each bracket covers again what its entry
 * opened and the account still holds uncovered (never a flat position).
 * From the first order_mgr_restore until then, no leg is placed (a fill
 * of an entry, a pair whose legs the venue ended): the orders the venue
 * works that the restart puts back later (order_mgr_adopt) may cover it.
 */
void		 order_mgr_settle(struct order_mgr *om, td_ns now);
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
/* "gtc", "day", "ioc"; "?" when out of range. */
const char	*order_tif_name(enum order_tif tif);

#endif
