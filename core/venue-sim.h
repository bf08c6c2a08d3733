/*
 * venue-sim.h -- the simulated exchange: a venue (see venue.h) that matches
 * orders against the market data the engine feeds it.
 *
 * The same engine code runs against this venue in backtests, replays and
 * paper trading, so the fill model below is the whole truth about how a
 * simulated order fills.  It is deterministic: the same orders and the same
 * market events give the same fills, in the same order, every run.
 *
 * Fill model
 *
 *   What follows is the default model, FILL_TICKDESK.  cfg->fill_model
 *   names another (fill-model.h: NinjaTrader 8's Default and Liberal
 *   fills, backtrader's broker), which changes how limits fill, the
 *   order of fills inside a bar, whether orders sent during a bar match
 *   its rest, and where slippage stops; timing, ticks, OCO,
 *   participation, time in force, reduce-only and rejects hold under
 *   every model as written here.
 *
 *   Timing.  An order takes part only in market events of its instrument
 *   that start at or after the time it was sent plus latency (a bar's
 *   start, a tick's time), never in one that began before it existed.  A
 *   market order fills at the first such event's price: a bar's open or a
 *   tick's trade price (bid and ask are not used).  A bar in progress when
 *   the order arrives does not fill it: not at its open, which traded
 *   before the order was there, nor at its high or low, since a bar does
 *   not say whether they came before or after that instant; the order
 *   waits for the next bar.  This holds without latency too, across
 *   instruments: the engine learns of a bar at its end, so an order sent
 *   on ES's bar that ends at T does not fill on MES's bar that ends at T
 *   (it began before T), but at the open of MES's next bar.  The one
 *   exception is the same bar, below.  Acknowledgements, cancels and
 *   replaces are answered at once.
 *
 *   Bars.  Everything in a bar happens after its open.  on_market first
 *   fills at the open whatever is due there: market orders, stops left
 *   over from a partial fill, and stops or limits the bar opened beyond.
 *   Then stops and limits trigger from the bar's high and low.
 *   Stop-limits count as stops until they reach their stop, and as
 *   limits (at their limit price) after.
 *
 *   The same bar.  Stop and limit orders of the bar's instrument sent
 *   while the engine still processes the bar (after on_market, before
 *   settle -- the bracket legs placed when an entry fills at the open) are
 *   matched against the rest of the same bar.  The venue does this when it
 *   is next polled (or at settle), taking together every order sent since,
 *   so a bracket's two legs are matched as one OCO group whichever leg was
 *   sent first.  "The rest of the bar" starts where the fill the engine
 *   polled last happened (the open when it has polled none): an order
 *   already beyond that price fills at it, and with SIM_OHLC only the
 *   remaining path counts.  Market orders, orders with latency and orders
 *   sent while a tick is processed wait for the next event.  The engine
 *   must call settle before strategies see the bar, or they would trade on
 *   prices of a bar they already know.
 *
 *   Stops trigger when the price trades at or through them (buy stop:
 *   high >= stop, sell stop: low <= stop) and fill at the stop price, or at
 *   the open when the bar or tick opens beyond it (a gap).
 *
 *   Limits fill on a touch (buy limit: low <= limit, sell limit: high >=
 *   limit), the common and slightly optimistic rule, at the limit price or
 *   at the open when the bar or tick opens through it.
 *
 *   Stop-limits (price the stop, limit the limit price; a buy's limit at
 *   or above its stop, a sell's at or below) trigger like stops: when the
 *   price trades at or through the stop.  At that point the order is a
 *   limit that the market is at or better than, so it fills there like
 *   a stop -- at the stop, or at the open of a gap, with slippage -- but
 *   never beyond its limit: the fill is clipped to the limit.  When the
 *   bar or tick opens beyond the limit (a gap through both), the order
 *   triggers without filling and works on as a limit at its limit price,
 *   filling on a touch of it like any limit (in the same bar: once the
 *   bar comes back to it, with SIM_STOP_FIRST after the stops, with
 *   SIM_OHLC where the path reaches it).  A stop-limit that filled in
 *   part has triggered: its rest works as that limit.  Triggering is
 *   kept in the book.
 *
 *   Slippage.  Market and stop fills are slippage_ticks worse for the
 *   trader (a buy higher, a sell lower), a stop-limit's fill at its
 *   trigger too, up to its limit.  Limit fills have none, nor the fills
 *   of a stop-limit working as a limit.
 *
 *   Stop or limit first.  With SIM_STOP_FIRST (the default) the bar's path
 *   is unknown: after the fills at the open, every touched stop fills
 *   before any touched limit, so a bar that touches both legs of a bracket
 *   fills the stop, and the OCO rule cancels the target.  With SIM_OHLC the
 *   bar moves open -> nearer extreme -> other extreme -> close (on a tie,
 *   the low first when the bar closes at or above its open, else the high
 *   first) and orders fill in the order the path reaches them; a stop and
 *   a limit at the same point fill stop first.
 *
 *   Ticks.  Each tick is one price: market orders, stops at or through it
 *   and limits at or through it all fill at the tick's price (stops and
 *   market orders with slippage).
 *
 *   OCO.  When an order of an OCO group fills, fully or partly, each other
 *   order of the group is reduced by the filled quantity (VEV_REDUCED: qty
 *   is the order's new total, leaves what still works) and cancelled when
 *   nothing is left (VEV_CANCELLED, reason "oco").  Groups are matched in
 *   the order above, so a stop that fills in a bar keeps its target from
 *   filling in the same bar.
 *
 *   Participation.  With participation_pct > 0 an order fills at most that
 *   share of the event's volume per event (at least one contract); the
 *   rest stays working and fills on later events.  The cap is per order.
 *   A stop that filled in part has triggered: its rest fills like a market
 *   order on the next event.
 *
 *   Time in force.  GTC orders work until they fill or are cancelled.
 *   An IOC order takes part in the first market event it is eligible
 *   for under the timing rules above (for an order sent while a bar is
 *   processed, the rest of that bar, as in "the same bar"), market, limit,
 *   stop or stop-limit alike: what that event does not fill of it
 *   expires right after it (VEV_CANCELLED, reason "expired: immediate or
 *   cancel"), so an IOC stop whose stop the event does not reach
 *   expires unfilled.  DAY orders expire when the engine says that their
 *   instrument's regular session closed (ops->session_close): each is
 *   cancelled with reason "expired: end of day", the event carrying the
 *   time of the close.  Bracket legs are GTC (the order manager sends
 *   them so) and never expire.
 *
 *   Reduce-only.  The venue keeps the account's net position per
 *   instrument from its own fills (venue_sim_position).  A reduce-only
 *   order fills only on the side that reduces that position and never
 *   more than brings it to zero: a fill that would go further is clipped
 *   to the position, and when a fill closes the position what is left of
 *   the order is cancelled at once (VEV_FILL with the rest as leaves, then
 *   VEV_CANCELLED, reason "reduce-only: position closed"; a fill of all
 *   that is left is a plain VEV_FILL, leaves 0).  A reduce-only order due
 *   to fill while the position is flat or on its own side is cancelled
 *   with that reason without filling.  Its OCO group is reduced by what it
 *   filled, as for any fill; the cancel of its rest leaves the group alone.
 *   With a book the position is what the book's fills add up to, so it
 *   survives a restart.
 *
 *   Rejects.  qty <= 0, an unknown type or time in force, an instrument
 *   outside 0..VENUE_SIM_MAX_INST-1, a price <= 0 for a limit, a stop or
 *   a stop-limit, a stop-limit's limit <= 0 or on the wrong side of its
 *   stop ("buy stop-limit's limit 99 is below its stop 100 (ticks)"), a
 *   stop or stop-limit on the wrong side of the market, a duplicate id
 *   and a full venue (max_orders working) give VEV_REJECT.  A buy stop
 *   must be above the market and a sell stop below it, as at an exchange
 *   ("buy stop 19960 is not above the market 20000 (ticks)"; the venue
 *   knows prices only in ticks); a stop-limit's stop too.  The market is the
 *   instrument's last price, or, for an order matched against the rest of
 *   the same bar, the point of the bar it starts at; before the
 *   instrument's first event it is unknown and any stop is taken.  A
 *   reduce-only stop the market has already passed (a protective stop
 *   placed after a fast move) is not refused: it triggers at the next
 *   event, closing what it protects.  Cancel
 *   or replace of an order that is not working gives VEV_CANCEL_REJECT.
 *   mass_cancel(inst) cancels every working order of inst (-1: all) as a
 *   cancel of each would, in the order they arrived.
 *   replace(id, qty, price): qty is the new total quantity (filled
 *   included; 0 keeps it; it must leave at least one contract working),
 *   price the new limit or stop price (0 keeps it); the answer is
 *   VEV_REPLACED.  replace_limit(id, qty, price, limit) also sets a
 *   stop-limit's limit (0 keeps it; another order has none to set), and
 *   VEV_REPLACED says the limit the order has after it (event.limit).
 *   The limit must stay on its side of the stop, as on submit.  The venue
 *   does not judge a replaced stop against the market: one moved through
 *   it fills on the next event (a stop-limit triggers then).  A
 *   stop-limit that has triggered works as a limit: moving its stop
 *   changes nothing of how it fills, moving its limit does.
 *
 *   Every event carries the venue's time: the time of the current market
 *   event (a bar's end, a tick's time), or the caller's time before the
 *   first one; a DAY expiry the time of the close when that is later.
 *
 * The venue allocates everything in venue_sim_create.  Its event queue
 * holds 4 x max_orders + 64 events; the engine polls after every call, so
 * it never fills in practice, but if it does, submit, cancel, replace and
 * session_close return -1 and matching holds back fills and IOC expiries
 * (venue_sim_held counts them) rather than lose an event.
 */
#ifndef TD_VENUE_SIM_H
#define TD_VENUE_SIM_H

#include "fill-model.h"
#include "venue.h"

struct errmsg;

/* Instruments are indexes 0 .. VENUE_SIM_MAX_INST - 1. */
#define VENUE_SIM_MAX_INST	256

enum sim_bar_path {
	SIM_STOP_FIRST,		/* stops before limits: conservative */
	SIM_OHLC,		/* open, near extreme, far one, close */
};

struct venue_sim_cfg {
	int			 slippage_ticks;	/* >= 0 */
	enum sim_bar_path	 bar_path;
	int			 participation_pct;	/* 0 = off, 1..100 */
	td_ns			 latency;		/* >= 0 */
	int			 max_orders;		/* working, >= 1 */
	enum fill_model		 fill_model;	/* FILL_TICKDESK: above;
						   bar_path is its alone */
};

/*
 * Create a simulated venue.  cfg NULL means no slippage, SIM_STOP_FIRST,
 * no participation cap, no latency, 256 orders and FILL_TICKDESK.  Fails (NULL and a
 * message) on a value out of range or when memory runs out.  The caller
 * frees the venue with venue_sim_free, unless it handed it to
 * engine_create, which then owns it.
 */
struct venue	*venue_sim_create(const struct venue_sim_cfg *cfg,
		     struct errmsg *err);

/* Free a venue made by venue_sim_create; NULL is fine. */
void		 venue_sim_free(struct venue *v);

/*
 * Queries; v must come from venue_sim_create.  The last price of an
 * instrument (last tick, or last bar's close) is 0 before its first event
 * or for an instrument out of range.  The position is the account's net
 * position at the venue (its fills, the book's too: see reduce-only, and
 * what it took over with ops->adopt_position), 0 for an instrument out of
 * range.
 */
td_ticks	 venue_sim_last_price(const struct venue *v, int inst);
int64_t		 venue_sim_position(const struct venue *v, int inst);
int		 venue_sim_working(const struct venue *v);
int64_t		 venue_sim_held(const struct venue *v);

/* "TDV1": PRAGMA application_id of a venue book. */
#define VENUE_SIM_BOOK_ID	0x54445631

/*
 * The book, for paper trading: the venue keeps its orders and its fills
 * in an SQLite file of its own at path (created when missing), as an
 * exchange keeps its book apart from the trader's journal.  Every change
 * is committed, and every fill synced, before the event that reports it is
 * queued, so after a crash the venue knows what it holds and what it
 * filled.  Opening loads the working orders back (they work on) and the
 * position from the fills; a book written before reduce-only orders,
 * stop-limits, times in force or finished orders were kept is upgraded in
 * place.  Call it before any order; -1 with a message when the file
 * cannot be opened or is not a whole venue book.  When a write fails
 * later the venue reports its connection lost (ops->conn) and
 * venue_sim_book_error says why.
 *
 * The book answers the venue's questions (venue.h): order_status (a
 * finished order as it ended; without a book the venue forgets an order
 * once it is done), mass_status (the working orders), executions (the
 * fills in the order made, then the positions it took over with
 * adopt_position; without a book there are none).
 */
int		 venue_sim_open_book(struct venue *v, const char *path,
		     struct errmsg *err);
const char	*venue_sim_book_error(const struct venue *v);

#endif
