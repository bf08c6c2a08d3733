/*
 * venue-sim.c -- the simulated exchange (the fill model is in venue-sim.h).
 *
 * The venue owns its working orders, a queue of events for the engine, a
 * last price and the account's net position (from its own fills) per
 * instrument, all allocated in venue_sim_create.  The engine loop drives
 * it: on_market matches one market event, the engine polls the fills and
 * reacts (the order manager places bracket legs), those reactions are
 * matched against the rest of the same bar on the next poll, and settle
 * closes the event.
 *
 * Working orders sit in one array in arrival order, so every pass over them
 * is in time priority and deterministic.  An order that finishes is marked
 * dead and the array is compacted at the end of each call, so nothing
 * moves under a pass.  A bar is matched in phases (the open, then the
 * path or the stops-then-limits rule); each fill remembers where on the
 * bar it happened so that orders the engine sends in reply start there.
 * Where the named fill models differ (fill-model.h) the venue asks the
 * rules of its model (s->rules) and fill-model's price rules; with the
 * default model every answer is the rule written here.
 *
 * The book.  In paper trading the venue keeps its orders (working and
 * finished) and its fills in a small SQLite file of its own
 * (venue_sim_open_book), as an exchange keeps its book apart from the
 * trader's journal: every change is committed (and a fill synced) before
 * the event that tells the engine is queued, so after a crash the venue
 * can be asked what it holds and what it filled (order_status,
 * mass_status, executions), and the journal reconciled with it.  Without
 * a book (backtests) nothing of this runs.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include <sqlite3.h>

#include "errmsg.h"
#include "fill-model.h"
#include "venue-sim.h"

struct sim_order {
	struct venue_order	 o;
	int64_t			 filled;
	int64_t			 leaves;
	uint64_t		 seq;		/* arrival order */
	uint64_t		 after_ev;	/* matches later events */
	uint64_t		 done_ev;	/* event it last filled in */
	td_ns			 active_at;	/* submit + latency */
	int			 start_seg;	/* same bar: arrived at */
	td_ticks		 start_px;
	td_ticks		 signal;	/* last price when sent */
	bool			 triggered;	/* a stop began to fill,
						   a stop-limit reached
						   its stop */
	bool			 pending;	/* match with this bar */
	bool			 dead;
	bool			 filled_out;	/* dead because all filled */
};

/* A queued event and, for fills, where on the bar it happened. */
struct sim_qev {
	struct venue_event	 ev;
	uint64_t		 evno;
	int			 inst;
	int			 seg;
	td_ticks		 px;
	bool			 has_pos;
};

/* A stop or limit that one segment of the bar path reaches. */
struct sim_hit {
	int			 idx;
	td_ticks		 level;
	td_ticks		 dist;
	int			 rank;		/* 0 stop, 1 limit */
	uint64_t		 seq;
};

/* The book on disk; see the header comment. */
enum {
	B_BEGIN,
	B_COMMIT,
	B_ROLLBACK,
	B_PUT,
	B_FILL,
	B_SEL_ORDERS,
	B_SEL_FILLS,
	B_SEL_ORDER,
	B_SEL_ADOPTED,
	B_COUNT,
};

struct sim_book {
	sqlite3		*db;
	sqlite3_stmt	*st[B_COUNT];
	bool		 failed;
	bool		 open_tx;
	bool		 sync;		/* the transaction holds a fill */
	struct errmsg	 err;
};

/* Why the venue cancels a reduce-only order, or expires one. */
#define SIM_REDUCE_ONLY	"reduce-only: position closed"
#define SIM_IOC		"expired: immediate or cancel"
#define SIM_DAY		"expired: end of day"

/*
 * How an order works now: like a market order (market orders, stops that
 * began to fill), a stop (stops, stop-limits short of their stop) or a
 * limit (limits, stop-limits past their stop).
 */
enum sim_kind {
	SK_MARKET,
	SK_STOP,
	SK_LIMIT,
};

/* Which orders a matching pass looks at. */
struct sim_pass {
	bool			 pending;	/* same-bar batch only */
	int			 seg;		/* batch start */
	td_ticks		 px;
};

struct sim {
	struct venue		 v;
	struct venue_sim_cfg	 cfg;
	const struct fill_rules	*rules;		/* of cfg.fill_model */

	struct sim_order	*ord;
	int			 n;
	uint64_t		 seq;

	struct sim_qev		*q;
	int			 qcap;
	int			 qhead;
	int			 qlen;
	int64_t			 held;

	struct sim_hit		*hits;

	td_ticks		 last[VENUE_SIM_MAX_INST];
	int64_t			 pos[VENUE_SIM_MAX_INST];	/* net, of fills */

	/*
	 * The current market event: what matching needs of it, kept in
	 * fields rather than a copy of the whole event.
	 */
	uint64_t		 evno;
	enum td_md_kind		 md_kind;
	int			 md_inst;
	td_ns			 md_start;
	td_ticks		 md_open;	/* a bar's open */
	td_ticks		 md_high;	/* ... high, low and close */
	td_ticks		 md_low;
	td_ticks		 md_close;
	bool			 path_ok;	/* pts, high, low are this bar's */
	bool			 have_md;
	bool			 any_pending;	/* an order waits for this bar */
	bool			 window;	/* on_market .. settle */
	td_ns			 time;
	int64_t			 cap;		/* per order */
	td_ticks		 pts[4];	/* bar path: open .. close */
	td_ticks		 high;
	td_ticks		 low;
	int			 cur_seg;	/* last polled fill */
	td_ticks		 cur_px;

	struct sim_book		*book;		/* NULL: none (backtests) */
};

static void	 sim_bar_path(struct sim *);
static void	 sim_match_arrival(struct sim *, const struct sim_pass *);
static int	 sim_submit(void *, const struct venue_order *, td_ns);
static int	 sim_cancel(void *, uint64_t, td_ns);
static int	 sim_replace(void *, uint64_t, int64_t, td_ticks, td_ns);
static int	 sim_replace_limit(void *, uint64_t, int64_t, td_ticks,
		     td_ticks, td_ns);
static int	 sim_session_close(void *, int, td_ns);
static int	 sim_on_market(void *, const struct td_md *);
static void	 sim_settle(void *);
static int	 sim_poll(void *, struct venue_event *);
static int	 sim_mass_cancel(void *, int, td_ns);
static int	 sim_order_status(void *, uint64_t, struct venue_status *,
		     struct errmsg *);
static int	 sim_mass_status(void *, venue_status_fn, void *,
		     struct errmsg *);
static int	 sim_executions(void *, td_ns, venue_exec_fn, void *,
		     struct errmsg *);
static int	 sim_adopt_position(void *, int, int64_t, td_ns,
		     struct errmsg *);
static enum venue_conn sim_conn(void *);
static void	 sim_destroy(void *);

static const struct venue_ops sim_ops = {
	.name = "sim",
	.submit = sim_submit,
	.cancel = sim_cancel,
	.replace = sim_replace,
	.replace_limit = sim_replace_limit,
	.mass_cancel = sim_mass_cancel,
	.session_close = sim_session_close,
	.on_market = sim_on_market,
	.settle = sim_settle,
	.poll = sim_poll,
	.order_status = sim_order_status,
	.mass_status = sim_mass_status,
	.executions = sim_executions,
	.adopt_position = sim_adopt_position,
	.conn = sim_conn,
	.destroy = sim_destroy,
};

static td_ns
sim_now(const struct sim *s, td_ns now)
{
	return s->have_md ? s->time : now;
}

static int
sim_room(const struct sim *s)
{
	return s->qcap - s->qlen;
}

static struct sim_qev *
sim_push(struct sim *s, enum venue_ev_kind kind, uint64_t id, int64_t qty,
    td_ticks price, int64_t leaves, td_ns time, const char *reason)
{
	struct sim_qev	*e;

	if (s->qlen == s->qcap)
		return NULL;	/* callers check sim_room first */
	e = &s->q[(s->qhead + s->qlen) % s->qcap];
	s->qlen++;
	*e = (struct sim_qev){
		.ev = {
			.kind = kind,
			.id = id,
			.qty = qty,
			.price = price,
			.leaves = leaves,
			.time = time,
		},
	};
	if (reason != NULL)
		snprintf(e->ev.reason, sizeof e->ev.reason, "%s", reason);
	return e;
}

static int
sim_find(const struct sim *s, uint64_t id)
{
	int	 i;

	for (i = 0; i < s->n; i++) {
		if (!s->ord[i].dead && s->ord[i].o.id == id)
			return i;
	}
	return -1;
}

/* ---------------------------------------------------------------- book */

static void
book_fail(struct sim *s, const char *what)
{
	if (!s->book->failed)
		errmsg_set(&s->book->err, "venue book: %s: %s", what,
		    sqlite3_errmsg(s->book->db));
	s->book->failed = true;
}

static int
book_step(struct sim *s, int which)
{
	sqlite3_stmt	*st = s->book->st[which];
	int		 rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Open a transaction for the change about to be made (once per call). */
static void
book_begin(struct sim *s)
{
	if (s->book == NULL || s->book->failed || s->book->open_tx)
		return;
	if (book_step(s, B_BEGIN) == -1) {
		book_fail(s, "begin");
		return;
	}
	s->book->open_tx = true;
	s->book->sync = false;
}

/* Commit what the call changed; a fill is synced to disk. */
static void
book_commit(struct sim *s)
{
	sqlite3_file	*f = NULL;

	if (s->book == NULL || !s->book->open_tx)
		return;
	s->book->open_tx = false;
	if (s->book->failed) {
		book_step(s, B_ROLLBACK);
		return;
	}
	if (book_step(s, B_COMMIT) == -1) {
		book_fail(s, "commit");
		book_step(s, B_ROLLBACK);
		return;
	}
	if (s->book->sync && sqlite3_file_control(s->book->db, "main",
	    SQLITE_FCNTL_JOURNAL_POINTER, &f) == SQLITE_OK && f != NULL &&
	    f->pMethods != NULL && f->pMethods->xSync(f,
	    SQLITE_SYNC_FULL) != SQLITE_OK)
		book_fail(s, "sync");
}

/* The order as it is now: working, or done (kept for order_status). */
static void
book_order(struct sim *s, const struct sim_order *o)
{
	sqlite3_stmt	*st;
	int		 b;

	if (s->book == NULL || s->book->failed)
		return;
	st = s->book->st[B_PUT];
	b = sqlite3_bind_int64(st, 1, (int64_t)o->o.id) |
	    sqlite3_bind_int(st, 2, o->o.inst) |
	    sqlite3_bind_int(st, 3, (int)o->o.side) |
	    sqlite3_bind_int(st, 4, (int)o->o.type) |
	    sqlite3_bind_int64(st, 5, o->o.qty) |
	    sqlite3_bind_int64(st, 6, o->o.price) |
	    sqlite3_bind_int64(st, 7, (int64_t)o->o.oco) |
	    sqlite3_bind_int64(st, 8, o->filled) |
	    sqlite3_bind_int64(st, 9, o->leaves) |
	    sqlite3_bind_int64(st, 10, (int64_t)o->seq) |
	    sqlite3_bind_int(st, 11, o->triggered) |
	    sqlite3_bind_int(st, 12, o->o.reduce_only) |
	    sqlite3_bind_int64(st, 13, o->o.limit) |
	    sqlite3_bind_int(st, 14, (int)o->o.tif) |
	    sqlite3_bind_int(st, 15, !o->dead ? 0 : o->filled_out ? 1 : 2);
	if (b != SQLITE_OK || book_step(s, B_PUT) == -1)
		book_fail(s, "store order");
}

static void
book_fill(struct sim *s, const struct sim_order *o, int64_t qty,
    td_ticks price, td_ns time)
{
	sqlite3_stmt	*st;
	int		 b;

	if (s->book == NULL || s->book->failed)
		return;
	st = s->book->st[B_FILL];
	b = sqlite3_bind_int64(st, 1, (int64_t)o->o.id) |
	    sqlite3_bind_int(st, 2, o->o.inst) |
	    sqlite3_bind_int(st, 3, (int)o->o.side) |
	    sqlite3_bind_int64(st, 4, qty) |
	    sqlite3_bind_int64(st, 5, price) |
	    sqlite3_bind_int64(st, 6, time) |
	    sqlite3_bind_int64(st, 7, o->filled);
	if (b != SQLITE_OK || book_step(s, B_FILL) == -1)
		book_fail(s, "store fill");
	s->book->sync = true;
}

/* Drop dead orders, keeping arrival order. */
static void
sim_compact(struct sim *s)
{
	int	 i, j;

	for (i = j = 0; i < s->n; i++) {
		if (s->ord[i].dead)
			continue;
		if (i != j)
			s->ord[j] = s->ord[i];
		j++;
	}
	s->n = j;
}

static int
sim_siblings(const struct sim *s, int idx)
{
	uint64_t	 oco = s->ord[idx].o.oco;
	int		 i, n = 0;

	if (oco == 0)
		return 0;
	for (i = 0; i < s->n; i++) {
		if (i != idx && !s->ord[i].dead && s->ord[i].o.oco == oco)
			n++;
	}
	return n;
}

/* A fill of qty in order idx reduces every other order of its group. */
static void
sim_reduce_siblings(struct sim *s, int idx, int64_t qty)
{
	struct sim_order	*y;
	uint64_t		 oco = s->ord[idx].o.oco;
	int			 i;

	if (oco == 0)
		return;
	for (i = 0; i < s->n; i++) {
		y = &s->ord[i];
		if (i == idx || y->dead || y->o.oco != oco)
			continue;
		y->leaves -= qty;
		if (y->leaves <= 0) {
			y->leaves = 0;
			y->dead = true;
			sim_push(s, VEV_CANCELLED, y->o.id, y->filled,
			    y->o.price, 0, s->time, "oco");
		} else {
			sim_push(s, VEV_REDUCED, y->o.id, y->filled + y->leaves,
			    y->o.price, y->leaves, s->time, NULL);
		}
		book_order(s, y);
	}
}

/* How much of the venue's position an order on side may close. */
static int64_t
sim_reducible(const struct sim *s, const struct sim_order *o)
{
	int64_t	 pos = s->pos[o->o.inst];

	if (o->o.side == TD_SELL)
		return pos > 0 ? pos : 0;
	return pos < 0 ? -pos : 0;
}

/*
 * Fill order idx at price (slip: add slippage) as far as the
 * participation cap allows; seg and px say where on the bar it happened
 * (the fill model may price a limit elsewhere than where it filled).  A
 * reduce-only order fills at most what closes the position, and what is
 * left of it is cancelled (header).
 */
static void
sim_fill(struct sim *s, int idx, td_ticks px, td_ticks price, bool slip,
    int seg)
{
	struct sim_order	*o = &s->ord[idx];
	struct sim_qev		*e;
	bool			 bar = s->md_kind == TD_MD_BAR;
	int64_t			 qty, most;
	td_ns			 t;
	bool			 cut = false;

	if (sim_room(s) < 1 + sim_siblings(s, idx) + o->o.reduce_only) {
		s->held++;
		return;
	}
	/* A fill at a bar's open happened at its start, not at its end. */
	t = s->md_kind == TD_MD_BAR && seg == 0 && px == s->md_open ?
	    s->md_start : s->time;
	qty = o->leaves < s->cap ? o->leaves : s->cap;
	if (o->o.reduce_only) {
		most = sim_reducible(s, o);
		if (most == 0) {
			o->dead = true;
			book_begin(s);
			book_order(s, o);
			book_commit(s);
			sim_push(s, VEV_CANCELLED, o->o.id, o->filled,
			    o->o.price, 0, t, SIM_REDUCE_ONLY);
			return;
		}
		if (qty >= most) {
			qty = most;
			cut = most < o->leaves;
		}
	}
	if (slip)
		price = fill_model_slip(s->cfg.fill_model, o->o.side, price,
		    s->cfg.slippage_ticks, bar ? s->high : 0, bar ? s->low : 0);
	/* A stop-limit never fills beyond its limit. */
	if (o->o.type == ORD_STOP_LIMIT && (price - o->o.limit) *
	    (td_ticks)o->o.side > 0)
		price = o->o.limit;
	o->leaves -= qty;
	o->filled += qty;
	o->done_ev = s->evno;
	s->pos[o->o.inst] += (int64_t)o->o.side * qty;
	if (o->o.type == ORD_STOP || o->o.type == ORD_STOP_LIMIT)
		o->triggered = true;
	e = sim_push(s, VEV_FILL, o->o.id, qty, price, o->leaves, t, NULL);
	if (s->rules->signal_base && !o->o.reduce_only)
		e->ev.base = o->signal;
	e->evno = s->evno;
	e->inst = o->o.inst;
	e->seg = seg;
	e->px = px;
	e->has_pos = true;
	/* The position is closed: nothing of the order may fill any more. */
	if (cut)
		sim_push(s, VEV_CANCELLED, o->o.id, o->filled, o->o.price, 0,
		    t, SIM_REDUCE_ONLY);
	if (o->leaves == 0 || cut)
		o->dead = true;
	o->filled_out = o->leaves == 0 && !cut;
	/* The fill and what it did to the group: one transaction. */
	book_begin(s);
	book_fill(s, o, qty, price, t);
	book_order(s, o);
	sim_reduce_siblings(s, idx, qty);
	book_commit(s);
}

/*
 * Does order o take part in the current market event in pass p?  Filled
 * or not: an IOC order that does is done after it.
 */
static bool
sim_eligible(const struct sim *s, const struct sim_order *o,
    const struct sim_pass *p)
{
	if (o->dead || o->o.inst != s->md_inst)
		return false;
	if (p->pending)
		return o->pending && o->start_seg == p->seg &&
		    o->start_px == p->px;
	if (o->pending || o->after_ev >= s->evno)
		return false;
	/* Never an event that began before the order was there (header). */
	return o->active_at <= s->md_start;
}

static bool
sim_candidate(const struct sim *s, const struct sim_order *o,
    const struct sim_pass *p)
{
	return o->leaves > 0 && o->done_ev != s->evno &&
	    sim_eligible(s, o, p);
}

static enum sim_kind
sim_kind(const struct sim_order *o)
{
	switch (o->o.type) {
	case ORD_MARKET:
		return SK_MARKET;
	case ORD_STOP:
		return o->triggered ? SK_MARKET : SK_STOP;
	case ORD_STOP_LIMIT:
		return o->triggered ? SK_LIMIT : SK_STOP;
	default:
		return SK_LIMIT;
	}
}

/* The price a stop or limit waits for: a stop-limit's limit once past. */
static td_ticks
sim_level(const struct sim_order *o)
{
	if (o->o.type == ORD_STOP_LIMIT && o->triggered)
		return o->o.limit;
	return o->o.price;
}

/* Is order o due at price px: a market order, or at or beyond it? */
static bool
sim_beyond(const struct sim_order *o, td_ticks px)
{
	bool	 buy = o->o.side == TD_BUY;

	switch (sim_kind(o)) {
	case SK_MARKET:
		return true;
	case SK_STOP:
		return buy ? px >= sim_level(o) : px <= sim_level(o);
	default:
		return buy ? px <= sim_level(o) : px >= sim_level(o);
	}
}

/* Stop-limit idx reached its stop: it works as a limit from now on. */
static void
sim_trigger(struct sim *s, int idx)
{
	struct sim_order	*o = &s->ord[idx];

	if (o->o.type != ORD_STOP_LIMIT || o->triggered)
		return;
	o->triggered = true;
	book_begin(s);
	book_order(s, o);
	book_commit(s);
}

/*
 * Fill order idx, due at price px: market orders and stops with slippage,
 * limits without.  A stop-limit due at its stop triggers, and fills there
 * only if px is at or better than its limit (the fill clipped to it);
 * else it waits as a limit.
 */
static void
sim_fill_at(struct sim *s, int idx, td_ticks px, int seg)
{
	struct sim_order	*o = &s->ord[idx];
	enum sim_kind		 kind = sim_kind(o);

	if (kind == SK_STOP && o->o.type == ORD_STOP_LIMIT) {
		sim_trigger(s, idx);
		if ((px - o->o.limit) * (td_ticks)o->o.side > 0)
			return;
	}
	sim_fill(s, idx, px, px, kind != SK_LIMIT, seg);
}

/*
 * The best price for a buy (the highest) or a sell (the lowest) that the
 * rest of the event reaches from point (seg, px): a tick has no rest.
 */
static td_ticks
sim_far(const struct sim *s, int seg, td_ticks px, bool buy)
{
	td_ticks	 far = px;

	if (s->md_kind != TD_MD_BAR)
		return px;
	for (int k = seg > 0 ? seg : 1; k < 4; k++) {
		if (buy ? s->pts[k] > far : s->pts[k] < far)
			far = s->pts[k];
	}
	return far;
}

/*
 * Limit idx meets price px at point seg: the fill model says whether and
 * at what price it fills there.
 */
static void
sim_limit_at(struct sim *s, int idx, td_ticks px, int seg)
{
	const struct sim_order	*o = &s->ord[idx];
	bool			 buy = o->o.side == TD_BUY;
	td_ticks		 far = px, price;

	if (s->rules->gap == FILL_GAP_EXTREME)
		far = sim_far(s, seg, px, buy);
	price = fill_model_limit_at(s->cfg.fill_model, o->o.side,
	    sim_level(o), px, far);
	if (price != 0)
		sim_fill(s, idx, px, price, false, seg);
}

/* Fill every candidate due at price px: market first, then stops. */
static void
sim_match_at(struct sim *s, const struct sim_pass *p, td_ticks px, int seg)
{
	struct sim_order	*o;
	int			 rank, i;

	for (rank = SK_MARKET; rank <= SK_LIMIT; rank++) {
		for (i = 0; i < s->n; i++) {
			o = &s->ord[i];
			if ((int)sim_kind(o) != rank || !sim_candidate(s, o, p))
				continue;
			if (rank == SK_LIMIT)
				sim_limit_at(s, i, px, seg);
			else if (sim_beyond(o, px))
				sim_fill_at(s, i, px, seg);
		}
	}
}

/* SIM_STOP_FIRST: touched stops at their price, then touched limits. */
static void
sim_match_touched(struct sim *s, const struct sim_pass *p)
{
	struct sim_order	*o;
	enum sim_kind		 kind;
	td_ticks		 lvl;
	bool			 buy, hit;
	int			 i, k;

	for (k = 0; k < 2; k++) {
		kind = k == 0 ? SK_STOP : SK_LIMIT;
		for (i = 0; i < s->n; i++) {
			o = &s->ord[i];
			if (sim_kind(o) != kind || !sim_candidate(s, o, p))
				continue;
			buy = o->o.side == TD_BUY;
			lvl = sim_level(o);
			if (kind == SK_STOP)
				hit = buy ? s->high >= lvl : s->low <= lvl;
			else
				hit = buy ? s->low <= lvl : s->high >= lvl;
			if (hit)
				sim_fill_at(s, i, lvl, 0);
		}
	}
}

static int
sim_hit_cmp(const void *va, const void *vb)
{
	const struct sim_hit	*a = va, *b = vb;

	if (a->dist != b->dist)
		return a->dist < b->dist ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank - b->rank;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* SIM_OHLC: the price moves from a to b; fill what it reaches, in order. */
static void
sim_match_segment(struct sim *s, const struct sim_pass *p, td_ticks a,
    td_ticks b, int seg)
{
	struct sim_order	*o;
	struct sim_hit		*h;
	enum sim_kind		 kind;
	td_ticks		 lvl;
	bool			 up = b > a, buy, reach;
	int			 i, nh = 0;

	if (a == b)
		return;
	for (i = 0; i < s->n; i++) {
		o = &s->ord[i];
		kind = sim_kind(o);
		if (kind == SK_MARKET || !sim_candidate(s, o, p))
			continue;
		buy = o->o.side == TD_BUY;
		/* Rising prices reach buy stops and sell limits. */
		if ((kind == SK_STOP) != (buy == up))
			continue;
		lvl = sim_level(o);
		if (kind == SK_LIMIT)
			reach = fill_model_limit_reached(s->cfg.fill_model,
			    o->o.side, lvl, a, b);
		else if (up)
			reach = a < lvl && lvl <= b;
		else
			reach = b <= lvl && lvl < a;
		if (!reach)
			continue;
		s->hits[nh++] = (struct sim_hit){
			.idx = i,
			.level = lvl,
			.dist = up ? lvl - a : a - lvl,
			.rank = kind == SK_STOP ? 0 : 1,
			.seq = o->seq,
		};
	}
	qsort(s->hits, nh, sizeof *s->hits, sim_hit_cmp);
	for (i = 0; i < nh; i++) {
		h = &s->hits[i];
		o = &s->ord[h->idx];
		if (!sim_candidate(s, o, p))
			continue;	/* an OCO sibling filled first */
		sim_fill_at(s, h->idx, h->level, seg);
	}
}

/*
 * The IOC orders that took part in the event (pass p) are done: what is
 * left of them expires.
 */
static void
sim_expire_ioc(struct sim *s, const struct sim_pass *p)
{
	struct sim_order	*o;

	for (int i = 0; i < s->n; i++) {
		o = &s->ord[i];
		if (o->o.tif != TIF_IOC || !sim_eligible(s, o, p))
			continue;
		if (sim_room(s) < 1) {
			s->held++;	/* it takes part in the next event */
			continue;
		}
		o->dead = true;
		book_begin(s);
		book_order(s, o);
		book_commit(s);
		sim_push(s, VEV_CANCELLED, o->o.id, o->filled, o->o.price, 0,
		    s->time, SIM_IOC);
	}
}

/*
 * FILL_BACKTRADER: every candidate, in arrival order, against the whole
 * bar.  A stop-limit the bar opens beyond its limit triggers without a
 * fill there and is then a limit the rest of the bar may reach.
 */
static void
sim_match_arrival(struct sim *s, const struct sim_pass *p)
{
	struct sim_order	*o;
	enum sim_kind		 kind;
	td_ticks		 at;

	for (int i = 0; i < s->n; i++) {
		o = &s->ord[i];
		if (!sim_candidate(s, o, p))
			continue;
		kind = sim_kind(o);
		if (kind == SK_MARKET) {
			sim_fill_at(s, i, s->md_open, 0);
			continue;
		}
		at = fill_model_bar_fill(kind == SK_STOP ? FILL_KIND_STOP :
		    FILL_KIND_LIMIT, o->o.side, sim_level(o), s->md_open,
		    s->high, s->low);
		if (at == 0)
			continue;
		sim_fill_at(s, i, at, 0);
		if (kind != SK_STOP || !sim_candidate(s, o, p) ||
		    o->o.type != ORD_STOP_LIMIT)
			continue;
		at = fill_model_bar_fill(FILL_KIND_LIMIT, o->o.side,
		    sim_level(o), s->md_open, s->high, s->low);
		if (at != 0)
			sim_fill_at(s, i, at, 0);
	}
}

/* Match a bar from point (seg, px) of its path. */
static void
sim_match_bar(struct sim *s, const struct sim_pass *p, int seg, td_ticks px)
{
	int	 k;

	/* seg is a point of the path: 0 (the open) .. 3 (the close). */
	if (seg < 0 || seg > 3)
		return;
	if (!s->path_ok)
		sim_bar_path(s);
	if (s->rules->arrival) {
		sim_match_arrival(s, p);
		return;
	}
	sim_match_at(s, p, px, seg);
	if (s->cfg.bar_path == SIM_STOP_FIRST && !s->rules->path) {
		sim_match_touched(s, p);
		return;
	}
	if (seg > 0)
		sim_match_segment(s, p, px, s->pts[seg], seg);
	for (k = seg + 1; k < 4; k++)
		sim_match_segment(s, p, s->pts[k - 1], s->pts[k], k);
}

/* Match the orders sent since on_market against the rest of the bar. */
static void
sim_match_pending(struct sim *s)
{
	struct sim_pass	 p;
	int		 i, first;

	for (;;) {
		first = -1;
		for (i = 0; i < s->n; i++) {
			if (!s->ord[i].dead && s->ord[i].pending) {
				first = i;
				break;
			}
		}
		if (first == -1)
			break;
		p = (struct sim_pass){
			.pending = true,
			.seg = s->ord[first].start_seg,
			.px = s->ord[first].start_px,
		};
		sim_match_bar(s, &p, p.seg, p.px);
		sim_expire_ioc(s, &p);
		for (i = 0; i < s->n; i++) {
			if (s->ord[i].pending &&
			    s->ord[i].start_seg == p.seg &&
			    s->ord[i].start_px == p.px)
				s->ord[i].pending = false;
		}
	}
	s->any_pending = false;
	sim_compact(s);
}

/* The path of the current bar, worked out when an order needs it. */
static void
sim_bar_path(struct sim *s)
{
	td_ticks	 o = s->md_open, c = s->md_close, h = s->md_high;
	td_ticks	 l = s->md_low;
	bool		 low_first;

	/* A malformed bar is widened to hold its open and close. */
	if (h < o) h = o;
	if (h < c) h = c;
	if (l > o) l = o;
	if (l > c) l = c;
	if (o - l != h - o)
		low_first = o - l < h - o;
	else
		low_first = c >= o;
	s->high = h;
	s->low = l;
	s->pts[0] = o;
	s->pts[1] = low_first ? l : h;
	s->pts[2] = low_first ? h : l;
	s->pts[3] = c;
	s->path_ok = true;
}

/*
 * One market event: the replies to the last one are matched, then the
 * working orders against this one.  1 when events wait for poll; 0 when
 * none do, and then no reply can come before settle: the window closes
 * here (venue.h).
 */
static int
sim_on_market(void *ctx, const struct td_md *md)
{
	struct sim	*s = ctx;
	struct sim_pass	 all = { .pending = false };
	int64_t		 vol;

	if (s->window && s->any_pending)
		sim_match_pending(s);
	s->window = false;
	if (md->inst < 0 || md->inst >= VENUE_SIM_MAX_INST)
		return s->qlen > 0;
	s->evno++;
	s->have_md = true;
	s->time = td_md_time(md);
	/*
	 * Nothing working and nothing to say, as for most events of a
	 * backtest: nothing can fill before the next event, so the event is
	 * only its time and last price.  The rest of it is for matching and
	 * for the replies sent while it is open, and this one is settled
	 * here (the next sets it all again).
	 */
	if (s->n == 0 && s->qlen == 0) {
		s->last[md->inst] = md->kind == TD_MD_BAR ? md->bar.close :
		    md->tick.price;
		return 0;
	}
	s->md_kind = md->kind;
	s->md_inst = md->inst;
	s->md_start = td_md_start(md);
	s->md_open = md->kind == TD_MD_BAR ? md->bar.open : 0;
	s->window = true;
	vol = md->kind == TD_MD_BAR ? md->bar.volume : md->tick.volume;
	if (s->cfg.participation_pct > 0) {
		s->cap = vol > 0 ? vol * s->cfg.participation_pct / 100 : 0;
		if (s->cap < 1)
			s->cap = 1;
	} else
		s->cap = INT64_MAX;

	/* Most events find no order working: nothing to match. */
	if (md->kind == TD_MD_BAR) {
		s->md_high = md->bar.high;
		s->md_low = md->bar.low;
		s->md_close = md->bar.close;
		s->path_ok = false;
		s->cur_seg = 0;
		s->cur_px = md->bar.open;
		if (s->n > 0) {
			sim_match_bar(s, &all, 0, md->bar.open);
			sim_expire_ioc(s, &all);
		}
		s->last[md->inst] = md->bar.close;
	} else {
		s->cur_seg = 0;
		s->cur_px = md->tick.price;
		if (s->n > 0) {
			sim_match_at(s, &all, md->tick.price, 0);
			sim_expire_ioc(s, &all);
		}
		s->last[md->inst] = md->tick.price;
	}
	if (s->n > 0)
		sim_compact(s);
	if (s->qlen > 0)
		return 1;
	s->window = false;
	return 0;
}

static void
sim_settle(void *ctx)
{
	struct sim	*s = ctx;

	if (s->window && s->any_pending)
		sim_match_pending(s);
	s->window = false;
}

/*
 * Is a stop at price on side on the wrong side of the market mkt (0:
 * unknown)?  Then buf says so, as an exchange would.
 */
static bool
sim_stop_through(enum td_side side, td_ticks price, td_ticks mkt, char *buf,
    size_t len)
{
	bool	 buy = side == TD_BUY;

	if (mkt <= 0 || (buy ? price > mkt : price < mkt))
		return false;
	snprintf(buf, len, "%s stop %lld is not %s the market %lld (ticks)",
	    buy ? "buy" : "sell", (long long)price, buy ? "above" : "below",
	    (long long)mkt);
	return true;
}

/*
 * Is a stop-limit's limit on the wrong side of its stop (a buy's below
 * it, a sell's above)?  Then buf says so.
 */
static bool
sim_limit_through(enum td_side side, td_ticks stop, td_ticks limit,
    char *buf, size_t len)
{
	bool	 buy = side == TD_BUY;

	if (buy ? limit >= stop : limit <= stop)
		return false;
	snprintf(buf, len, "%s stop-limit's limit %lld is %s its stop %lld "
	    "(ticks)", buy ? "buy" : "sell", (long long)limit, buy ? "below" :
	    "above", (long long)stop);
	return true;
}

/*
 * The market an order sent now meets: where the engine's last polled fill
 * left the bar for an order matched against the rest of it (same_bar),
 * else the last trade; 0 before the instrument's first event.
 */
static td_ticks
sim_market(const struct sim *s, int inst, bool same_bar)
{
	return same_bar ? s->cur_px : s->last[inst];
}

/* Is an order sent now a reply to the bar being processed (header)? */
static bool
sim_same_bar(const struct sim *s, const struct venue_order *o)
{
	return s->window && s->md_kind == TD_MD_BAR && o->inst == s->md_inst &&
	    o->type != ORD_MARKET && s->cfg.latency == 0 &&
	    s->rules->same_bar;
}

static const char *
sim_refuse(const struct sim *s, const struct venue_order *o, char *buf,
    size_t len)
{
	if (o->side != TD_BUY && o->side != TD_SELL)
		snprintf(buf, len, "unknown side %d", (int)o->side);
	else if ((unsigned)o->type >= ORD_NTYPES)
		snprintf(buf, len, "unknown order type %d", (int)o->type);
	else if ((unsigned)o->tif >= ORD_NTIFS)
		snprintf(buf, len, "unknown time in force %d", (int)o->tif);
	else if (o->qty <= 0)
		snprintf(buf, len, "qty %lld not positive", (long long)o->qty);
	else if (o->inst < 0 || o->inst >= VENUE_SIM_MAX_INST)
		snprintf(buf, len, "unknown instrument %d", o->inst);
	else if (o->type != ORD_MARKET && o->price <= 0)
		snprintf(buf, len, "price %lld not positive",
		    (long long)o->price);
	else if (o->type == ORD_STOP_LIMIT && o->limit <= 0)
		snprintf(buf, len, "limit %lld not positive",
		    (long long)o->limit);
	else if (o->type == ORD_STOP_LIMIT && sim_limit_through(o->side,
	    o->price, o->limit, buf, len))
		return buf;
	/* A protective stop the market passed triggers: it is not refused. */
	else if ((o->type == ORD_STOP || o->type == ORD_STOP_LIMIT) &&
	    !o->reduce_only &&
	    sim_stop_through(o->side, o->price, sim_market(s, o->inst,
	    sim_same_bar(s, o)), buf, len))
		return buf;
	else if (sim_find(s, o->id) != -1)
		snprintf(buf, len, "duplicate order id %llu",
		    (unsigned long long)o->id);
	else if (s->n >= s->cfg.max_orders)
		snprintf(buf, len, "venue full: %d working orders", s->n);
	else
		return NULL;
	return buf;
}

static int
sim_submit(void *ctx, const struct venue_order *vo, td_ns now)
{
	struct sim		*s = ctx;
	struct sim_order	*o;
	const char		*why;
	char			 buf[96];

	if (sim_room(s) < 1)
		return -1;
	why = sim_refuse(s, vo, buf, sizeof buf);
	if (why != NULL) {
		sim_push(s, VEV_REJECT, vo->id, vo->qty, vo->price, 0,
		    sim_now(s, now), why);
		return 0;
	}
	o = &s->ord[s->n++];
	*o = (struct sim_order){
		.o = *vo,
		.leaves = vo->qty,
		.seq = ++s->seq,
		.after_ev = s->evno,
		.active_at = now + s->cfg.latency,
		.signal = s->last[vo->inst],
	};
	if (o->o.type == ORD_MARKET)
		o->o.price = 0;
	if (o->o.type != ORD_STOP_LIMIT)
		o->o.limit = 0;
	/* Replies to this bar are matched against its rest (header). */
	if (sim_same_bar(s, vo)) {
		o->pending = true;
		o->start_seg = s->cur_seg;
		o->start_px = s->cur_px;
		s->any_pending = true;
	}
	book_begin(s);
	book_order(s, o);
	book_commit(s);
	sim_push(s, VEV_ACK, vo->id, vo->qty, o->o.price, vo->qty,
	    sim_now(s, now), NULL);
	return 0;
}

static int
sim_cancel(void *ctx, uint64_t id, td_ns now)
{
	struct sim		*s = ctx;
	struct sim_order	*o;
	char			 buf[96];
	int			 i;

	if (sim_room(s) < 1)
		return -1;
	if ((i = sim_find(s, id)) == -1) {
		snprintf(buf, sizeof buf, "order %llu not working",
		    (unsigned long long)id);
		sim_push(s, VEV_CANCEL_REJECT, id, 0, 0, 0, sim_now(s, now),
		    buf);
		return 0;
	}
	o = &s->ord[i];
	o->dead = true;
	book_begin(s);
	book_order(s, o);
	book_commit(s);
	sim_push(s, VEV_CANCELLED, id, o->filled, o->o.price, 0,
	    sim_now(s, now), "cancelled");
	sim_compact(s);
	return 0;
}

/* Cancel every working order of inst (-1: all), oldest first. */
static int
sim_mass_cancel(void *ctx, int inst, td_ns now)
{
	struct sim		*s = ctx;
	struct sim_order	*o;
	int			 i, n = 0;

	for (i = 0; i < s->n; i++) {
		o = &s->ord[i];
		n += !o->dead && (inst == -1 || o->o.inst == inst);
	}
	if (n > sim_room(s))
		return -1;
	for (i = 0; i < s->n; i++) {
		o = &s->ord[i];
		if (o->dead || (inst != -1 && o->o.inst != inst))
			continue;
		o->dead = true;
		book_begin(s);
		book_order(s, o);
		book_commit(s);
		sim_push(s, VEV_CANCELLED, o->o.id, o->filled, o->o.price, 0,
		    sim_now(s, now), "cancelled");
	}
	sim_compact(s);
	return n;
}

static int
sim_replace(void *ctx, uint64_t id, int64_t qty, td_ticks price, td_ns now)
{
	return sim_replace_limit(ctx, id, qty, price, 0, now);
}

static int
sim_replace_limit(void *ctx, uint64_t id, int64_t qty, td_ticks price,
    td_ticks limit, td_ns now)
{
	struct sim		*s = ctx;
	struct sim_order	*o;
	struct sim_qev		*e;
	char			 buf[96];
	int			 i;

	if (sim_room(s) < 1)
		return -1;
	buf[0] = '\0';
	if ((i = sim_find(s, id)) == -1) {
		snprintf(buf, sizeof buf, "order %llu not working",
		    (unsigned long long)id);
		sim_push(s, VEV_CANCEL_REJECT, id, qty, price, 0,
		    sim_now(s, now), buf);
		return 0;
	}
	o = &s->ord[i];
	if (qty == 0)
		qty = o->filled + o->leaves;
	if (qty < 1 || qty <= o->filled)
		snprintf(buf, sizeof buf, "qty %lld not above filled %lld",
		    (long long)qty, (long long)o->filled);
	else if (price < 0)
		snprintf(buf, sizeof buf, "price %lld not positive",
		    (long long)price);
	else if (price != 0 && o->o.type == ORD_MARKET)
		snprintf(buf, sizeof buf, "a market order has no price");
	else if (limit < 0)
		snprintf(buf, sizeof buf, "limit %lld not positive",
		    (long long)limit);
	else if (limit != 0 && o->o.type != ORD_STOP_LIMIT)
		snprintf(buf, sizeof buf, "only a stop-limit has a limit "
		    "price");
	else if (o->o.type == ORD_STOP_LIMIT)
		sim_limit_through(o->o.side, price != 0 ? price : o->o.price,
		    limit != 0 ? limit : o->o.limit, buf, sizeof buf);
	if (buf[0] != '\0') {
		sim_push(s, VEV_CANCEL_REJECT, id, qty, price, o->leaves,
		    sim_now(s, now), buf);
		return 0;
	}
	if (price != 0)
		o->o.price = price;
	if (limit != 0)
		o->o.limit = limit;
	o->o.qty = qty;
	o->leaves = qty - o->filled;
	book_begin(s);
	book_order(s, o);
	book_commit(s);
	e = sim_push(s, VEV_REPLACED, id, qty, o->o.price, o->leaves,
	    sim_now(s, now), NULL);
	e->ev.limit = o->o.limit;
	return 0;
}

/* The session of inst closed: its DAY orders expire, at the close. */
static int
sim_session_close(void *ctx, int inst, td_ns now)
{
	struct sim		*s = ctx;
	struct sim_order	*o;
	td_ns			 t = sim_now(s, now);
	int			 i, n = 0;

	if (s->window && s->any_pending)
		sim_match_pending(s);
	for (i = 0; i < s->n; i++) {
		o = &s->ord[i];
		n += !o->dead && o->o.inst == inst && o->o.tif == TIF_DAY;
	}
	if (n > sim_room(s))
		return -1;
	if (now > t)
		t = now;
	for (i = 0; i < s->n; i++) {
		o = &s->ord[i];
		if (o->dead || o->o.inst != inst || o->o.tif != TIF_DAY)
			continue;
		o->dead = true;
		book_begin(s);
		book_order(s, o);
		book_commit(s);
		sim_push(s, VEV_CANCELLED, o->o.id, o->filled, o->o.price, 0,
		    t, SIM_DAY);
	}
	sim_compact(s);
	return n;
}

static int
sim_poll(void *ctx, struct venue_event *ev)
{
	struct sim	*s = ctx;
	struct sim_qev	*e;

	if (s->window && s->any_pending)
		sim_match_pending(s);
	if (s->qlen == 0)
		return 0;
	e = &s->q[s->qhead];
	s->qhead = (s->qhead + 1) % s->qcap;
	s->qlen--;
	*ev = e->ev;
	/* Orders the engine sends in reply start where this fill was. */
	if (e->has_pos && s->window && e->evno == s->evno &&
	    e->inst == s->md_inst) {
		s->cur_seg = e->seg;
		s->cur_px = e->px;
	}
	return 1;
}

/* The simulator is always there, unless its book cannot be written. */
static enum venue_conn
sim_conn(void *ctx)
{
	const struct sim	*s = ctx;

	return s->book == NULL || !s->book->failed ? VENUE_UP : VENUE_LOST;
}

static void
book_close(struct sim_book *b)
{
	if (b == NULL)
		return;
	for (int i = 0; i < B_COUNT; i++)
		sqlite3_finalize(b->st[i]);
	sqlite3_close(b->db);
	free(b);
}

static void
sim_destroy(void *ctx)
{
	struct sim	*s = ctx;

	if (s == NULL)
		return;
	book_close(s->book);
	free(s->ord);
	free(s->q);
	free(s->hits);
	free(s);
}

struct venue *
venue_sim_create(const struct venue_sim_cfg *cfg, struct errmsg *err)
{
	static const struct venue_sim_cfg defaults = {
		.slippage_ticks = 0,
		.bar_path = SIM_STOP_FIRST,
		.participation_pct = 0,
		.latency = 0,
		.max_orders = 256,
	};
	struct sim	*s;

	if (cfg == NULL)
		cfg = &defaults;
	if (cfg->slippage_ticks < 0) {
		errmsg_set(err, "slippage_ticks %d below 0",
		    cfg->slippage_ticks);
		return NULL;
	}
	if (cfg->bar_path != SIM_STOP_FIRST && cfg->bar_path != SIM_OHLC) {
		errmsg_set(err, "unknown bar path %d", (int)cfg->bar_path);
		return NULL;
	}
	if ((unsigned)cfg->fill_model >= FILL_NMODELS) {
		errmsg_set(err, "unknown fill model %d", (int)cfg->fill_model);
		return NULL;
	}
	if (cfg->participation_pct < 0 || cfg->participation_pct > 100) {
		errmsg_set(err, "participation_pct %d not in 0..100",
		    cfg->participation_pct);
		return NULL;
	}
	if (cfg->latency < 0) {
		errmsg_set(err, "latency %lld below 0",
		    (long long)cfg->latency);
		return NULL;
	}
	if (cfg->max_orders < 1 || cfg->max_orders > 1000000) {
		errmsg_set(err, "max_orders %d not in 1..1000000",
		    cfg->max_orders);
		return NULL;
	}

	if ((s = calloc(1, sizeof *s)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	s->rules = fill_model_rules(cfg->fill_model);
	s->qcap = 4 * cfg->max_orders + 64;
	s->ord = calloc(cfg->max_orders, sizeof *s->ord);
	s->q = calloc(s->qcap, sizeof *s->q);
	s->hits = calloc(cfg->max_orders, sizeof *s->hits);
	if (s->ord == NULL || s->q == NULL || s->hits == NULL) {
		sim_destroy(s);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	s->v.ops = &sim_ops;
	s->v.ctx = s;
	return &s->v;
}

void
venue_sim_free(struct venue *v)
{
	if (v != NULL)
		v->ops->destroy(v->ctx);
}

td_ticks
venue_sim_last_price(const struct venue *v, int inst)
{
	const struct sim	*s = v->ctx;

	if (inst < 0 || inst >= VENUE_SIM_MAX_INST)
		return 0;
	return s->last[inst];
}

int64_t
venue_sim_position(const struct venue *v, int inst)
{
	const struct sim	*s = v->ctx;

	if (inst < 0 || inst >= VENUE_SIM_MAX_INST)
		return 0;
	return s->pos[inst];
}

int
venue_sim_working(const struct venue *v)
{
	const struct sim	*s = v->ctx;
	int			 i, n = 0;

	for (i = 0; i < s->n; i++)
		n += !s->ord[i].dead;
	return n;
}

int64_t
venue_sim_held(const struct venue *v)
{
	const struct sim	*s = v->ctx;

	return s->held;
}

/* ---------------------------------------------------------------- book */

static const char *const book_sql[B_COUNT] = {
	[B_BEGIN] = "BEGIN IMMEDIATE",
	[B_COMMIT] = "COMMIT",
	[B_ROLLBACK] = "ROLLBACK",
	[B_PUT] = "INSERT OR REPLACE INTO orders (id, inst, side, type, qty, "
	    "price, oco, filled, leaves, seq, triggered, reduce_only, "
	    "limit_price, tif, done) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	[B_FILL] = "INSERT INTO fills (order_id, inst, side, qty, price, time, "
	    "order_filled) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[B_SEL_ORDERS] = "SELECT id, inst, side, type, qty, price, oco, "
	    "filled, leaves, seq, triggered, reduce_only, limit_price, tif, "
	    "done FROM orders WHERE done = 0 ORDER BY seq",
	[B_SEL_FILLS] = "SELECT exec, order_id, inst, side, qty, price, time, "
	    "order_filled FROM fills WHERE time >= ?1 ORDER BY exec",
	[B_SEL_ORDER] = "SELECT id, inst, side, type, qty, price, oco, "
	    "filled, leaves, seq, triggered, reduce_only, limit_price, tif, "
	    "done FROM orders WHERE id = ?1",
	[B_SEL_ADOPTED] = "SELECT inst, qty, time FROM adopted WHERE time >= "
	    "?1 ORDER BY inst",
};

/* Positions the venue took over from the engine (a lost book). */
#define BOOK_ADOPTED	"CREATE TABLE IF NOT EXISTS adopted (inst INTEGER " \
			"PRIMARY KEY, qty INTEGER NOT NULL, time INTEGER " \
			"NOT NULL);"

static const char book_schema[] =
    "CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY,"
    " inst INTEGER NOT NULL, side INTEGER NOT NULL, type INTEGER NOT NULL,"
    " qty INTEGER NOT NULL, price INTEGER NOT NULL, oco INTEGER NOT NULL,"
    " filled INTEGER NOT NULL, leaves INTEGER NOT NULL,"
    " seq INTEGER NOT NULL, triggered INTEGER NOT NULL,"
    " reduce_only INTEGER NOT NULL DEFAULT 0,"
    " limit_price INTEGER NOT NULL DEFAULT 0,"
    " tif INTEGER NOT NULL DEFAULT 0,"
    " done INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS fills (exec INTEGER PRIMARY KEY,"
    " order_id INTEGER NOT NULL, inst INTEGER NOT NULL,"
    " side INTEGER NOT NULL, qty INTEGER NOT NULL, price INTEGER NOT NULL,"
    " time INTEGER NOT NULL, order_filled INTEGER NOT NULL);"
    BOOK_ADOPTED;

static int
book_pragma(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && out != NULL)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Columns of the orders table added since the first books, oldest first:
 * an older book gets them with the value its orders had (not reduce-only,
 * no limit price, GTC, working: it kept no finished order).
 */
static const char *const book_columns[][2] = {
	{ "reduce_only", "reduce_only INTEGER NOT NULL DEFAULT 0" },
	{ "limit_price", "limit_price INTEGER NOT NULL DEFAULT 0" },
	{ "tif", "tif INTEGER NOT NULL DEFAULT 0" },
	{ "done", "done INTEGER NOT NULL DEFAULT 0" },
};

/* An older book gets the columns and tables it lacks. */
static int
book_upgrade(sqlite3 *db, const char *path, struct errmsg *err)
{
	sqlite3_stmt	*st;
	char		 sql[128];
	int		 rc;

	if (sqlite3_exec(db, BOOK_ADOPTED, NULL, NULL, NULL) != SQLITE_OK)
		return errmsg_set(err, "%s: %s", path, sqlite3_errmsg(db));
	for (size_t i = 0; i < sizeof book_columns / sizeof *book_columns;
	    i++) {
		if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info("
		    "'orders') WHERE name = ?1", -1, &st, NULL) != SQLITE_OK)
			return errmsg_set(err, "%s: %s", path,
			    sqlite3_errmsg(db));
		sqlite3_bind_text(st, 1, book_columns[i][0], -1,
		    SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc == SQLITE_ROW)
			continue;
		snprintf(sql, sizeof sql, "ALTER TABLE orders ADD COLUMN %s",
		    book_columns[i][1]);
		if (rc != SQLITE_DONE || sqlite3_exec(db, sql, NULL, NULL,
		    NULL) != SQLITE_OK)
			return errmsg_set(err, "%s: cannot upgrade: %s", path,
			    sqlite3_errmsg(db));
	}
	return 0;
}

/* A new book gets its schema; an old one must be ours and whole. */
static int
book_check(sqlite3 *db, const char *path, struct errmsg *err)
{
	sqlite3_stmt	*st;
	int64_t		 app = 0, pages = 0;
	const char	*ok;
	int		 rc;

	if (book_pragma(db, "PRAGMA application_id", &app) == -1 ||
	    book_pragma(db, "PRAGMA page_count", &pages) == -1)
		return errmsg_set(err, "%s: %s: move it aside and restart",
		    path, sqlite3_errmsg(db));
	if (pages == 0) {
		/* 1413764657 is VENUE_SIM_BOOK_ID, "TDV1". */
		if (sqlite3_exec(db, book_schema, NULL, NULL, NULL) !=
		    SQLITE_OK || book_pragma(db, "PRAGMA application_id = "
		    "1413764657", NULL) == -1)
			return errmsg_set(err, "%s: cannot create: %s", path,
			    sqlite3_errmsg(db));
		return 0;
	}
	if (app != VENUE_SIM_BOOK_ID)
		return errmsg_set(err, "%s: not a venue book", path);
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return errmsg_set(err, "%s: damaged (%s): move it aside and "
		    "restart", path, sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	ok = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) :
	    NULL;
	rc = ok != NULL && strcmp(ok, "ok") == 0 ? 0 : -1;
	sqlite3_finalize(st);
	if (rc == -1)
		return errmsg_set(err, "%s: damaged: move it aside and restart",
		    path);
	return book_upgrade(db, path, err);
}

/*
 * The account's position per instrument is what the book's fills add up
 * to, from what it adopted.
 */
static int
book_positions(struct sim *s, struct errmsg *err)
{
	sqlite3_stmt	*st;
	int		 rc, inst;

	memset(s->pos, 0, sizeof s->pos);
	if (sqlite3_prepare_v2(s->book->db, "SELECT inst, SUM(q) FROM (SELECT "
	    "inst, side * qty AS q FROM fills UNION ALL SELECT inst, qty FROM "
	    "adopted) GROUP BY inst", -1, &st, NULL) != SQLITE_OK)
		return errmsg_set(err, "venue book: %s",
		    sqlite3_errmsg(s->book->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		inst = sqlite3_column_int(st, 0);
		if (inst < 0 || inst >= VENUE_SIM_MAX_INST) {
			sqlite3_finalize(st);
			return errmsg_set(err, "venue book: a fill of unknown "
			    "instrument %d", inst);
		}
		s->pos[inst] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return errmsg_set(err, "venue book: %s",
		    sqlite3_errmsg(s->book->db));
	return 0;
}

/* An order row of the book (B_SEL_ORDERS, B_SEL_ORDER). */
static struct sim_order
book_row(sqlite3_stmt *st)
{
	return (struct sim_order){
		.o = {
			.id = (uint64_t)sqlite3_column_int64(st, 0),
			.inst = sqlite3_column_int(st, 1),
			.side = (enum td_side)sqlite3_column_int(st, 2),
			.type = (enum order_type)sqlite3_column_int(st, 3),
			.qty = sqlite3_column_int64(st, 4),
			.price = sqlite3_column_int64(st, 5),
			.oco = (uint64_t)sqlite3_column_int64(st, 6),
			.reduce_only = sqlite3_column_int(st, 11) != 0,
			.limit = sqlite3_column_int64(st, 12),
			.tif = (enum order_tif)sqlite3_column_int(st, 13),
		},
		.filled = sqlite3_column_int64(st, 7),
		.leaves = sqlite3_column_int64(st, 8),
		.seq = (uint64_t)sqlite3_column_int64(st, 9),
		.triggered = sqlite3_column_int(st, 10) != 0,
		.dead = sqlite3_column_int(st, 14) != 0,
		.filled_out = sqlite3_column_int(st, 14) == 1,
	};
}

/* Load the working orders of the book: they work on from here. */
static int
book_load(struct sim *s, struct errmsg *err)
{
	sqlite3_stmt	*st = s->book->st[B_SEL_ORDERS];
	int		 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sim_order	*o;

		if (s->n >= s->cfg.max_orders) {
			sqlite3_reset(st);
			return errmsg_set(err, "venue book: more than %d "
			    "working orders", s->cfg.max_orders);
		}
		o = &s->ord[s->n++];
		*o = book_row(st);
		if (o->seq > s->seq)
			s->seq = o->seq;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return errmsg_set(err, "venue book: %s",
		    sqlite3_errmsg(s->book->db));
	return book_positions(s, err);
}

int
venue_sim_open_book(struct venue *v, const char *path, struct errmsg *err)
{
	struct sim	*s = v->ctx;
	struct sim_book	*b;

	if (s->book != NULL || s->n > 0)
		return errmsg_set(err, "venue book: open it before trading");
	if ((b = calloc(1, sizeof *b)) == NULL)
		return errmsg_set(err, "out of memory");
	if (sqlite3_open_v2(path, &b->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		errmsg_set(err, "%s: %s", path, b->db != NULL ?
		    sqlite3_errmsg(b->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(b->db, 5000);
	if (book_check(b->db, path, err) == -1)
		goto fail;
	if (sqlite3_exec(b->db, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
		errmsg_set(err, "%s: %s", path, sqlite3_errmsg(b->db));
		goto fail;
	}
	for (int i = 0; i < B_COUNT; i++) {
		if (sqlite3_prepare_v3(b->db, book_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &b->st[i], NULL) != SQLITE_OK) {
			errmsg_set(err, "%s: %s", path, sqlite3_errmsg(b->db));
			goto fail;
		}
	}
	s->book = b;
	if (book_load(s, err) == -1) {
		s->n = 0;
		memset(s->pos, 0, sizeof s->pos);
		s->book = NULL;
		goto fail;
	}
	return 0;

fail:
	book_close(b);
	return -1;
}

const char *
venue_sim_book_error(const struct venue *v)
{
	const struct sim	*s = v->ctx;

	return s->book != NULL && s->book->failed ? s->book->err.msg : NULL;
}

/* --------------------------------------------------------- questions */

/* What a sim order is for the one who asks. */
static void
sim_status(const struct sim_order *o, struct venue_status *st)
{
	st->order = o->o;
	/* Fills of its OCO group took their part off a live order. */
	if (!o->dead)
		st->order.qty = o->filled + o->leaves;
	st->filled = o->filled;
	st->leaves = o->dead ? 0 : o->leaves;
	if (!o->dead)
		st->state = VOS_WORKING;
	else
		st->state = o->filled_out ? VOS_FILLED : VOS_CANCELLED;
}

static int
sim_order_status(void *ctx, uint64_t id, struct venue_status *st,
    struct errmsg *err)
{
	struct sim		*s = ctx;
	struct sim_order	 o;
	sqlite3_stmt		*q;
	int			 i, rc;

	memset(st, 0, sizeof *st);
	st->order.id = id;
	st->state = VOS_UNKNOWN;
	if ((i = sim_find(s, id)) != -1) {
		sim_status(&s->ord[i], st);
		return 0;
	}
	if (s->book == NULL)
		return 0;
	q = s->book->st[B_SEL_ORDER];
	sqlite3_bind_int64(q, 1, (int64_t)id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		o = book_row(q);
		sim_status(&o, st);
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return errmsg_set(err, "venue book: %s",
		    sqlite3_errmsg(s->book->db));
	return 0;
}

static int
sim_mass_status(void *ctx, venue_status_fn fn, void *arg, struct errmsg *err)
{
	struct sim		*s = ctx;
	struct venue_status	 st;

	(void)err;
	for (int i = 0; i < s->n; i++) {
		if (s->ord[i].dead)
			continue;
		sim_status(&s->ord[i], &st);
		if (fn(arg, &st) != 0)
			break;
	}
	return 0;
}

/* The positions the book took over at or after since (order_id 0). */
static int
book_adopted(struct sim *s, td_ns since, venue_exec_fn fn, void *arg,
    struct errmsg *err)
{
	sqlite3_stmt	*st = s->book->st[B_SEL_ADOPTED];
	int		 rc, stop = 0;

	sqlite3_bind_int64(st, 1, since);
	while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t			 qty = sqlite3_column_int64(st, 1);
		struct venue_exec	 x = {
			.inst = sqlite3_column_int(st, 0),
			.side = qty < 0 ? TD_SELL : TD_BUY,
			.qty = qty < 0 ? -qty : qty,
			.time = sqlite3_column_int64(st, 2),
		};

		stop = fn(arg, &x);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (stop == 0 && rc != SQLITE_DONE)
		return errmsg_set(err, "venue book: %s",
		    sqlite3_errmsg(s->book->db));
	return stop;
}

static int
sim_executions(void *ctx, td_ns since, venue_exec_fn fn, void *arg,
    struct errmsg *err)
{
	struct sim	*s = ctx;
	sqlite3_stmt	*st;
	int		 rc, stop = 0;

	if (s->book == NULL)
		return 0;
	st = s->book->st[B_SEL_FILLS];
	sqlite3_bind_int64(st, 1, since);
	while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct venue_exec	 x = {
			.exec = (uint64_t)sqlite3_column_int64(st, 0),
			.order_id = (uint64_t)sqlite3_column_int64(st, 1),
			.inst = sqlite3_column_int(st, 2),
			.side = (enum td_side)sqlite3_column_int(st, 3),
			.qty = sqlite3_column_int64(st, 4),
			.price = sqlite3_column_int64(st, 5),
			.time = sqlite3_column_int64(st, 6),
			.order_filled = sqlite3_column_int64(st, 7),
		};

		stop = fn(arg, &x);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (stop == 0 && rc != SQLITE_DONE)
		return errmsg_set(err, "venue book: %s",
		    sqlite3_errmsg(s->book->db));
	if (stop != 0)
		return 0;
	return book_adopted(s, since, fn, arg, err) == -1 ? -1 : 0;
}

/*
 * Take over the account's position on inst: kept in the book (as a
 * difference to what its fills add up to) and reported by executions.
 */
static int
sim_adopt_position(void *ctx, int inst, int64_t position, td_ns time,
    struct errmsg *err)
{
	struct sim	*s = ctx;
	sqlite3_stmt	*st;
	int		 rc;

	if (inst < 0 || inst >= VENUE_SIM_MAX_INST)
		return errmsg_set(err, "venue: unknown instrument %d", inst);
	if (s->book != NULL) {
		if (sqlite3_prepare_v2(s->book->db, "INSERT INTO adopted "
		    "(inst, qty, time) VALUES (?1, ?2, ?3) ON CONFLICT (inst) "
		    "DO UPDATE SET qty = qty + ?2, time = ?3", -1, &st,
		    NULL) != SQLITE_OK)
			return errmsg_set(err, "venue book: %s",
			    sqlite3_errmsg(s->book->db));
		sqlite3_bind_int(st, 1, inst);
		sqlite3_bind_int64(st, 2, position - s->pos[inst]);
		sqlite3_bind_int64(st, 3, time);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return errmsg_set(err, "venue book: %s",
			    sqlite3_errmsg(s->book->db));
	}
	s->pos[inst] = position;
	return 0;
}
