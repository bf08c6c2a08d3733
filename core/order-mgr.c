/*
 * order-mgr.c -- orders, their state machine and brackets (see order-mgr.h).
 *
 * The manager owns a pool of orders allocated once, an index from id to
 * slot (open addressing), the list of live orders in creation order and a
 * ring of final orders, oldest first, from which slots are recycled when
 * the free list is empty.  It sits between the engine and the venue: the
 * engine sends intents down through submit, cancel and replace, and feeds
 * every venue event back through order_mgr_on_event, which is the only
 * place an order changes state.
 *
 * Brackets are kept in step from events only.  The venue answers in the
 * order it acted, so what this module knows of an order is at worst a few
 * events old: legs are resized with absolute quantities, one replace per
 * leg in flight, and resized again when the answer comes; by the time the
 * engine has drained the venue's events (before the next market event)
 * the legs match the position.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "errmsg.h"
#include "order-mgr.h"

struct order_mgr {
	struct venue	*venue;
	int		 cap;
	struct order	*pool;
	uint64_t	 next_id;

	int		*freel;		/* never used slots */
	int		 nfree;
	int		*live;		/* live slots, oldest first */
	int		 nlive;
	int		*term;		/* ring of final slots */
	int		 thead;
	int		 tlen;

	uint32_t	*hash;		/* slot + 1, 0 = empty */
	uint32_t	 hmask;

	int		 ninst;
	int64_t		*pos;		/* net position per instrument */
	bool		 restoring;	/* restored, not yet settled */
	bool		 in_event;	/* applying a venue event */
	int		 notes_due;	/* entries with note_due */
	order_note_fn	 note;
	void		*note_arg;
};

static const bool legal[ORD_NSTATES][ORD_NSTATES] = {
	[ORD_NEW] = {
		[ORD_SUBMITTED] = true,
		[ORD_REJECTED] = true,
	},
	[ORD_SUBMITTED] = {
		[ORD_SUBMITTED] = true,
		[ORD_WORKING] = true,
		[ORD_PARTIAL] = true,
		[ORD_FILLED] = true,
		[ORD_CANCELLED] = true,
		[ORD_REJECTED] = true,
		[ORD_EXPIRED] = true,
	},
	[ORD_WORKING] = {
		[ORD_WORKING] = true,
		[ORD_PARTIAL] = true,
		[ORD_FILLED] = true,
		[ORD_CANCELLED] = true,
		[ORD_EXPIRED] = true,
	},
	[ORD_PARTIAL] = {
		[ORD_PARTIAL] = true,
		[ORD_FILLED] = true,
		[ORD_CANCELLED] = true,
		[ORD_EXPIRED] = true,
	},
};

static const char *state_names[ORD_NSTATES] = {
	[ORD_NEW] = "new",
	[ORD_SUBMITTED] = "submitted",
	[ORD_WORKING] = "working",
	[ORD_PARTIAL] = "partial",
	[ORD_FILLED] = "filled",
	[ORD_CANCELLED] = "cancelled",
	[ORD_REJECTED] = "rejected",
	[ORD_EXPIRED] = "expired",
};

static const char *role_names[] = {
	[ROLE_ENTRY] = "entry",
	[ROLE_STOP] = "stop",
	[ROLE_TARGET] = "target",
	[ROLE_EXIT] = "exit",
};

static const char *type_names[] = {
	[ORD_MARKET] = "mkt",
	[ORD_LIMIT] = "lmt",
	[ORD_STOP] = "stp",
	[ORD_STOP_LIMIT] = "stplmt",
};

bool
order_mgr_legal(enum order_state from, enum order_state to)
{
	if ((unsigned)from >= ORD_NSTATES || (unsigned)to >= ORD_NSTATES)
		return false;
	return legal[from][to];
}

bool
order_mgr_final(enum order_state state)
{
	return state == ORD_FILLED || state == ORD_CANCELLED ||
	    state == ORD_REJECTED || state == ORD_EXPIRED;
}

const char *
order_state_name(enum order_state state)
{
	if ((unsigned)state >= ORD_NSTATES)
		return "?";
	return state_names[state];
}

const char *
order_role_name(enum order_role role)
{
	if ((unsigned)role > ROLE_EXIT)
		return "?";
	return role_names[role];
}

const char *
order_type_name(enum order_type type)
{
	if ((unsigned)type >= ORD_NTYPES)
		return "?";
	return type_names[type];
}

/* The id index. */

static uint32_t
om_hash_home(const struct order_mgr *om, uint64_t id)
{
	id *= 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(id >> 32) & om->hmask;
}

static int
om_hash_find(const struct order_mgr *om, uint64_t id)
{
	uint32_t	 i = om_hash_home(om, id);

	while (om->hash[i] != 0) {
		if (om->pool[om->hash[i] - 1].id == id)
			return (int)om->hash[i] - 1;
		i = (i + 1) & om->hmask;
	}
	return -1;
}

static void
om_hash_add(struct order_mgr *om, int slot)
{
	uint32_t	 i = om_hash_home(om, om->pool[slot].id);

	while (om->hash[i] != 0)
		i = (i + 1) & om->hmask;
	om->hash[i] = (uint32_t)slot + 1;
}

/* Remove with backward shift, so probes never meet a hole. */
static void
om_hash_del(struct order_mgr *om, uint64_t id)
{
	uint32_t	 i = om_hash_home(om, id), j, k;

	while (om->hash[i] != 0 && om->pool[om->hash[i] - 1].id != id)
		i = (i + 1) & om->hmask;
	if (om->hash[i] == 0)
		return;
	om->hash[i] = 0;
	j = i;
	for (;;) {
		j = (j + 1) & om->hmask;
		if (om->hash[j] == 0)
			break;
		k = om_hash_home(om, om->pool[om->hash[j] - 1].id);
		/* Move j back to i unless its home lies in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		om->hash[i] = om->hash[j];
		om->hash[j] = 0;
		i = j;
	}
}

/* Slots. */

static int
om_slot(const struct order_mgr *om, const struct order *o)
{
	return (int)(o - om->pool);
}

/*
 * A slot for a new order: a never used one, else the oldest final order
 * (but not keep, which the caller still needs).  NULL when all are live.
 */
static struct order *
om_alloc(struct order_mgr *om, const struct order *keep)
{
	int	 slot, tries;

	if (om->nfree > 0)
		return &om->pool[om->freel[--om->nfree]];
	for (tries = 0; tries < 2 && om->tlen > 0; tries++) {
		slot = om->term[om->thead];
		om->thead = (om->thead + 1) % om->cap;
		om->tlen--;
		if (keep != NULL && slot == om_slot(om, keep)) {
			/* Keep it: it becomes the newest final order. */
			om->term[(om->thead + om->tlen) % om->cap] = slot;
			om->tlen++;
			continue;
		}
		om_hash_del(om, om->pool[slot].id);
		return &om->pool[slot];
	}
	return NULL;
}

static void
om_live_del(struct order_mgr *om, int slot)
{
	int	 i;

	for (i = 0; i < om->nlive; i++) {
		if (om->live[i] == slot) {
			memmove(&om->live[i], &om->live[i + 1],
			    (om->nlive - i - 1) * sizeof *om->live);
			om->nlive--;
			return;
		}
	}
}

/* Every state change goes through here; callers checked legality. */
static void
om_set_state(struct order_mgr *om, struct order *o, enum order_state to)
{
	int	 slot = om_slot(om, o);

	o->state = to;
	if (!order_mgr_final(to))
		return;
	o->cancel_pending = false;
	o->replace_pending = 0;
	om_live_del(om, slot);
	om->term[(om->thead + om->tlen) % om->cap] = slot;
	om->tlen++;
}

/* An exit: a stop, a target or a closing order (reduce-only). */
static bool
om_is_exit(const struct order *o)
{
	return o->role != ROLE_ENTRY;
}

/* Create an order and send it; keep is an order the pool must not reuse. */
static struct order *
om_send(struct order_mgr *om, const struct order_req *req, uint64_t parent,
    uint64_t oco, const struct order *keep, td_ns now, struct errmsg *err)
{
	struct venue_order	 vo;
	struct order		*o;
	struct errmsg		 nerr;

	if ((o = om_alloc(om, keep)) == NULL) {
		errmsg_set(err, "order pool full: %d live orders", om->nlive);
		return NULL;
	}
	*o = (struct order){
		.id = om->next_id++,
		.inst = req->inst,
		.side = req->side,
		.type = req->type,
		.state = ORD_NEW,
		.role = req->role,
		.qty = req->qty,
		.want = req->qty,
		.price = req->type == ORD_MARKET ? 0 : req->price,
		.limit = req->type == ORD_STOP_LIMIT ? req->limit : 0,
		/*
		 * Protection never expires while its position is open, nor
		 * does a market order (an exit may have taken its room).
		 */
		.tif = req->role == ROLE_STOP || req->role == ROLE_TARGET ||
		    req->type == ORD_MARKET ? TIF_GTC : req->tif,
		.owner = req->owner,
		.corr = req->corr,
		.parent = parent,
		.oco = oco,
		.created = now,
		.updated = now,
	};
	if (req->role == ROLE_ENTRY)
		o->br = req->br;
	om_hash_add(om, om_slot(om, o));
	om->live[om->nlive++] = om_slot(om, o);

	/* Journal before venue: what cannot be written is not sent. */
	nerr.msg[0] = '\0';
	if (om->note != NULL && om->note(om->note_arg, o, -1, &nerr) == -1) {
		snprintf(o->reason, sizeof o->reason, "not sent: %.80s",
		    nerr.msg);
		errmsg_set(err, "order %llu: %s", (unsigned long long)o->id,
		    o->reason);
		om_set_state(om, o, ORD_REJECTED);
		return o;
	}
	vo = (struct venue_order){
		.id = o->id,
		.inst = o->inst.i,
		.side = o->side,
		.type = o->type,
		.qty = o->qty,
		.price = o->price,
		.limit = o->limit,
		.tif = o->tif,
		.oco = o->oco,
		.reduce_only = om_is_exit(o),
	};
	if (om->venue->ops->submit(om->venue->ctx, &vo, now) == 0) {
		om_set_state(om, o, ORD_SUBMITTED);
		return o;
	}
	snprintf(o->reason, sizeof o->reason, "venue %s cannot take the order",
	    om->venue->ops->name);
	errmsg_set(err, "order %llu: %s", (unsigned long long)o->id,
	    o->reason);
	om_set_state(om, o, ORD_REJECTED);
	if (om->note != NULL)
		om->note(om->note_arg, o, ORD_SUBMITTED, &nerr);
	return o;
}

struct order_mgr *
order_mgr_create(int capacity, int ninst, struct venue *venue,
    struct errmsg *err)
{
	struct order_mgr	*om;
	uint32_t		 hsize = 16;
	int			 i;

	if (capacity < 4 || capacity > 10000000) {
		errmsg_set(err, "order pool capacity %d not in 4..10000000",
		    capacity);
		return NULL;
	}
	if (venue == NULL || venue->ops == NULL) {
		errmsg_set(err, "order manager needs a venue");
		return NULL;
	}
	if (ninst < 1 || ninst > 100000) {
		errmsg_set(err, "order manager: %d instruments not in "
		    "1..100000", ninst);
		return NULL;
	}
	while (hsize < 2 * (uint32_t)capacity)
		hsize *= 2;
	if ((om = calloc(1, sizeof *om)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	om->venue = venue;
	om->cap = capacity;
	om->next_id = 1;
	om->hmask = hsize - 1;
	om->pool = calloc(capacity, sizeof *om->pool);
	om->freel = calloc(capacity, sizeof *om->freel);
	om->live = calloc(capacity, sizeof *om->live);
	om->term = calloc(capacity, sizeof *om->term);
	om->hash = calloc(hsize, sizeof *om->hash);
	om->ninst = ninst;
	om->pos = calloc(ninst, sizeof *om->pos);
	if (om->pool == NULL || om->freel == NULL || om->live == NULL ||
	    om->term == NULL || om->hash == NULL || om->pos == NULL) {
		order_mgr_free(om);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	/* Hand out low slots first. */
	for (i = 0; i < capacity; i++)
		om->freel[i] = capacity - 1 - i;
	om->nfree = capacity;
	return om;
}

void
order_mgr_free(struct order_mgr *om)
{
	if (om == NULL)
		return;
	free(om->pool);
	free(om->freel);
	free(om->live);
	free(om->term);
	free(om->hash);
	free(om->pos);
	free(om);
}

void
order_mgr_set_note(struct order_mgr *om, order_note_fn fn, void *arg)
{
	om->note = fn;
	om->note_arg = arg;
}

struct order *
order_mgr_find(struct order_mgr *om, uint64_t id)
{
	int	 slot = om_hash_find(om, id);

	return slot == -1 ? NULL : &om->pool[slot];
}

/* ------------------------------------------------------------ exits */

/* What o will have left to fill once our requests reach the venue. */
static int64_t
om_left(const struct order *o)
{
	return o->want > o->filled ? o->want - o->filled : 0;
}

/* A live exit of inst that still counts: not on its way out. */
static bool
om_counts(const struct order *o, struct td_inst inst)
{
	return td_inst_eq(o->inst, inst) && om_is_exit(o) &&
	    !o->cancel_pending && !order_mgr_final(o->state);
}

static bool
om_earlier_in_group(const struct order_mgr *om, int upto, struct td_inst inst,
    uint64_t oco)
{
	for (int i = 0; i < upto; i++) {
		const struct order	*o = &om->pool[om->live[i]];

		if (om_counts(o, inst) && o->oco == oco)
			return true;
	}
	return false;
}

/* The largest left of the counted exits of group oco from index i on. */
static int64_t
om_group_left(const struct order_mgr *om, int from, struct td_inst inst,
    uint64_t oco)
{
	int64_t	 max = 0;

	for (int i = from; i < om->nlive; i++) {
		const struct order	*o = &om->pool[om->live[i]];

		if (om_counts(o, inst) && o->oco == oco && om_left(o) > max)
			max = om_left(o);
	}
	return max;
}

/*
 * The worst case of what the exits of inst on side can fill together: an
 * OCO group counts once, by its largest member.
 */
static int64_t
om_worst(const struct order_mgr *om, struct td_inst inst, enum td_side side)
{
	int64_t	 n = 0;

	for (int i = 0; i < om->nlive; i++) {
		const struct order	*o = &om->pool[om->live[i]];

		if (!om_counts(o, inst) || o->side != side)
			continue;
		if (o->oco == 0)
			n += om_left(o);
		else if (!om_earlier_in_group(om, i, inst, o->oco))
			n += om_group_left(om, i, inst, o->oco);
	}
	return n;
}

static enum td_side
om_closing_side(int64_t pos)
{
	return pos > 0 ? TD_SELL : TD_BUY;
}

static int64_t
om_abs(int64_t v)
{
	return v < 0 ? -v : v;
}

/* The entry and pair index of a bracket leg, or NULL. */
static struct order *
om_leg_pair(struct order_mgr *om, const struct order *leg, int *k)
{
	struct order	*e;

	if ((leg->role != ROLE_STOP && leg->role != ROLE_TARGET) ||
	    (e = order_mgr_find(om, leg->parent)) == NULL)
		return NULL;
	for (*k = 0; *k < e->npairs; (*k)++) {
		if (e->pair[*k].stop_id == leg->id ||
		    e->pair[*k].target_id == leg->id)
			return e;
	}
	return NULL;
}

static struct order *
om_live_order(struct order_mgr *om, uint64_t id)
{
	struct order	*o;

	if (id == 0 || (o = order_mgr_find(om, id)) == NULL ||
	    order_mgr_final(o->state))
		return NULL;
	return o;
}

/*
 * What entry e's bracket protects changed (contracts its legs no longer
 * cover, a leg or the whole bracket given up): the note hook hears of it,
 * so that a restart finds the bracket as it was -- after the venue event
 * that changed it, if one did (order_mgr_flush_notes).
 */
static void
om_note_bracket(struct order_mgr *om, struct order *e)
{
	struct errmsg	 nerr;

	if (om->in_event) {
		if (!e->note_due)
			om->notes_due++;
		e->note_due = true;
	} else if (om->note != NULL)
		om->note(om->note_arg, e, (int)e->state, &nerr);
}

const struct order *
order_mgr_take_note(struct order_mgr *om, uint64_t id)
{
	struct order	*e;

	if (om->notes_due == 0 || (e = order_mgr_find(om, id)) == NULL ||
	    !e->note_due)
		return NULL;
	e->note_due = false;
	om->notes_due--;
	return e;
}

void
order_mgr_flush_notes(struct order_mgr *om)
{
	for (int i = 0; i < om->cap && om->notes_due > 0; i++) {
		struct order	*e = &om->pool[i];

		if (e->id == 0 || !e->note_due)
			continue;
		e->note_due = false;
		om->notes_due--;
		om_note_bracket(om, e);
	}
	om->notes_due = 0;
}

/*
 * Send a cancel.  abandon: someone took the order away on purpose, so a
 * bracket it belongs to takes no more legs.
 */
static int
om_cancel(struct order_mgr *om, struct order *o, bool abandon, td_ns now,
    struct errmsg *err)
{
	struct order	*e;
	int		 k;

	if (o->cancel_pending)
		return 0;
	if (om->venue->ops->cancel(om->venue->ctx, o->id, now) != 0)
		return errmsg_set(err, "order %llu: venue cannot take the "
		    "cancel", (unsigned long long)o->id);
	o->cancel_pending = true;
	if ((e = om_leg_pair(om, o, &k)) != NULL) {
		/* Without its target a pair's stop still follows the entry. */
		if (abandon && o->role == ROLE_TARGET)
			e->pair[k].no_target = true;
		else if (abandon)
			e->bracket_off = true;
		else if (e->pair[k].open > 0) {
			e->legs_filled += e->pair[k].open;
			e->pair[k].open = 0;
		} else
			return 0;
		om_note_bracket(om, e);
	}
	return 0;
}

/* Ask the venue for a new quantity: want is the order's new total. */
static void
om_resize(struct order_mgr *om, struct order *o, int64_t want, td_ns now)
{
	if (want <= o->filled) {
		om_cancel(om, o, false, now, NULL);
		return;
	}
	if (want == o->want)
		return;
	if (om->venue->ops->replace(om->venue->ctx, o->id, want, 0,
	    now) == 0) {
		o->want = want;
		o->replace_pending++;
	} else
		om_cancel(om, o, false, now, NULL);
}

/* The legs of pair k of entry e follow what it protects. */
static void
om_pair_legs(struct order_mgr *om, struct order *e, int k, td_ns now)
{
	struct order_pair	*p = &e->pair[k];
	struct order		*leg;

	for (int l = 0; l < 2; l++) {
		if ((leg = om_live_order(om, l == 0 ? p->stop_id :
		    p->target_id)) == NULL || leg->cancel_pending)
			continue;
		if (p->open == 0)
			om_cancel(om, leg, false, now, NULL);
		else
			om_resize(om, leg, leg->filled + p->open, now);
	}
}

/* Pair k of entry e now protects open contracts: legs follow. */
static void
om_pair_set(struct order_mgr *om, struct order *e, int k, int64_t open,
    td_ns now)
{
	struct order_pair	*p = &e->pair[k];
	bool			 less = open < p->open;

	if (less)
		e->legs_filled += p->open - open;
	p->open = open;
	if (less)
		om_note_bracket(om, e);
	om_pair_legs(om, e, k, now);
}

/*
 * Take up to qty from one exit of inst on side: the newest, the exits of
 * the owners selected by first before the others (td_owner_any: all
 * alike); market exits only when markets.  Returns what it took, 0 when
 * no exit is left to take from.
 */
static int64_t
om_take_one(struct order_mgr *om, struct td_inst inst, enum td_side side,
    struct td_owner_sel first, bool markets, int64_t qty, td_ns now)
{
	struct order	*o, *e;
	int64_t		 take;
	int		 k;

	for (int pass = 0; pass < 2; pass++) {
		for (int i = om->nlive - 1; i >= 0; i--) {
			o = &om->pool[om->live[i]];
			if (!om_counts(o, inst) || o->side != side ||
			    om_left(o) == 0 || (pass == 0) !=
			    td_owner_sel_has(first, o->owner) ||
			    (!markets && o->type == ORD_MARKET))
				continue;
			if ((e = om_leg_pair(om, o, &k)) != NULL) {
				take = qty < e->pair[k].open ? qty :
				    e->pair[k].open;
				if (take == 0)
					continue;
				om_pair_set(om, e, k, e->pair[k].open - take,
				    now);
				return take;
			}
			take = qty < om_left(o) ? qty : om_left(o);
			om_resize(om, o, o->want - take, now);
			return take;
		}
	}
	return 0;
}

/* Shrink the exits of inst on side until they fit in limit. */
static void
om_trim(struct order_mgr *om, struct td_inst inst, enum td_side side,
    int64_t limit, struct td_owner_sel first, bool markets, td_ns now)
{
	int64_t	 excess;

	while ((excess = om_worst(om, inst, side) - limit) > 0) {
		if (om_take_one(om, inst, side, first, markets, excess,
		    now) == 0)
			return;
	}
}

/*
 * The position of inst moved: exits that would not reduce it go, the
 * rest shrink to fit in it.
 */
static void
om_protect(struct order_mgr *om, struct td_inst inst,
    struct td_owner_sel first, td_ns now)
{
	int64_t		 pos = om->pos[inst.i];
	enum td_side	 close = om_closing_side(pos);

	for (int i = 0; i < om->nlive; i++) {
		struct order	*o = &om->pool[om->live[i]];

		/* Cancels change no state until answered: the list holds. */
		if (om_counts(o, inst) && (pos == 0 || o->side != close))
			om_cancel(om, o, false, now, NULL);
	}
	if (pos != 0)
		om_trim(om, inst, close, om_abs(pos), first, true, now);
}

/* What the market exits of inst on side have left to fill. */
static int64_t
om_markets(const struct order_mgr *om, struct td_inst inst, enum td_side side)
{
	int64_t	 n = 0;

	for (int i = 0; i < om->nlive; i++) {
		const struct order	*o = &om->pool[om->live[i]];

		if (om_counts(o, inst) && o->side == side &&
		    o->type == ORD_MARKET)
			n += om_left(o);
	}
	return n;
}

/* The ids of the exits of inst on side, for a message. */
static void
om_exit_ids(const struct order_mgr *om, struct td_inst inst, enum td_side side,
    char *buf, size_t len)
{
	size_t	 n = 0;

	buf[0] = '\0';
	for (int i = 0; i < om->nlive && n + 24 < len; i++) {
		const struct order	*o = &om->pool[om->live[i]];

		if (om_counts(o, inst) && o->side == side)
			n += snprintf(buf + n, len - n, "%s%llu", n > 0 ?
			    ", " : "", (unsigned long long)o->id);
	}
}

/*
 * May an exit of qty on side be added to inst?  A market exit makes room
 * by shrinking the protective orders (the owner's first, newest first).
 */
static int
om_admit_exit(struct order_mgr *om, const struct order_req *req, td_ns now,
    struct errmsg *err)
{
	int64_t		 pos = om->pos[req->inst.i], worst;
	char		 ids[128];

	if (req->qty <= 0)
		return errmsg_set(err, "exit refused: qty %lld",
		    (long long)req->qty);
	if (pos == 0)
		return errmsg_set(err, "exit refused: no position to close");
	if (req->side != om_closing_side(pos))
		return errmsg_set(err, "exit refused: a %s would add to a %s "
		    "position of %lld", req->side == TD_BUY ? "buy" : "sell",
		    pos > 0 ? "long" : "short", (long long)om_abs(pos));
	/*
	 * A market exit takes its room from the protective orders once it
	 * is sent (order_mgr_submit), so that no moment has neither.
	 */
	if (req->type == ORD_MARKET && om_markets(om, req->inst, req->side) +
	    req->qty <= om_abs(pos))
		return 0;
	worst = om_worst(om, req->inst, req->side);
	if (worst + req->qty <= om_abs(pos))
		return 0;
	om_exit_ids(om, req->inst, req->side, ids, sizeof ids);
	return errmsg_set(err, "exit refused: %lld more would make %lld "
	    "working to close a position of %lld (order%s %s): move or "
	    "cancel %s first", (long long)req->qty,
	    (long long)(worst + req->qty), (long long)om_abs(pos),
	    strchr(ids, ',') != NULL ? "s" : "", ids,
	    strchr(ids, ',') != NULL ? "them" : "it");
}

int
order_mgr_check_bracket(const struct bracket *br, struct errmsg *err)
{
	if (br->stop_ticks < 0 || br->ntargets < 0 ||
	    br->ntargets > OM_MAX_TARGETS)
		return errmsg_set(err, "bad bracket: stop %d, %d targets",
		    (int)br->stop_ticks, br->ntargets);
	for (int k = 0; k < br->ntargets; k++) {
		if (br->target_ticks[k] <= 0 || br->target_qty[k] < 0)
			return errmsg_set(err, "bad bracket: target %d at %d "
			    "ticks for %lld", k + 1, (int)br->target_ticks[k],
			    (long long)br->target_qty[k]);
	}
	if (br->be_trigger < 0 || br->trail_trigger < 0 ||
	    br->trail_step < 0 || br->trail_dist < 0 ||
	    (br->be_trigger > 0 && br->be_offset >= br->be_trigger))
		return errmsg_set(err, "bad bracket: breakeven %d+%d, trail "
		    "%d/%d/%d", (int)br->be_trigger, (int)br->be_offset,
		    (int)br->trail_trigger, (int)br->trail_step,
		    (int)br->trail_dist);
	return 0;
}

struct order *
order_mgr_submit(struct order_mgr *om, const struct order_req *req, td_ns now,
    struct errmsg *err)
{
	struct order	*o;

	if (req->side != TD_BUY && req->side != TD_SELL) {
		errmsg_set(err, "unknown side %d", (int)req->side);
		return NULL;
	}
	if ((unsigned)req->type >= ORD_NTYPES) {
		errmsg_set(err, "unknown order type %d", (int)req->type);
		return NULL;
	}
	if ((unsigned)req->role > ROLE_EXIT) {
		errmsg_set(err, "unknown order role %d", (int)req->role);
		return NULL;
	}
	if (!td_inst_in(req->inst, om->ninst)) {
		errmsg_set(err, "unknown instrument %d", req->inst.i);
		return NULL;
	}
	if (req->role == ROLE_ENTRY &&
	    order_mgr_check_bracket(&req->br, err) == -1)
		return NULL;
	if (req->role != ROLE_ENTRY && om_admit_exit(om, req, now, err) == -1)
		return NULL;
	o = om_send(om, req, 0, req->oco, NULL, now, err);
	/* A market exit's room: the protective orders shrink behind it. */
	if (o != NULL && o->state != ORD_REJECTED && om_is_exit(o) &&
	    o->type == ORD_MARKET)
		om_trim(om, o->inst, o->side, om_abs(om->pos[o->inst.i]),
		    td_owner_only(o->owner), false, now);
	return o;
}

int
order_mgr_cancel(struct order_mgr *om, uint64_t id, td_ns now,
    struct errmsg *err)
{
	struct order	*o;

	if ((o = order_mgr_find(om, id)) == NULL)
		return errmsg_set(err, "order %llu: unknown order",
		    (unsigned long long)id);
	if (order_mgr_final(o->state))
		return errmsg_set(err, "order %llu: already %s",
		    (unsigned long long)id, order_state_name(o->state));
	return om_cancel(om, o, true, now, err);
}

int
order_mgr_cancel_all(struct order_mgr *om, struct td_inst_sel insts,
    struct td_owner_sel owners, td_ns now)
{
	struct order	*o;
	int		 i, n = 0;

	/* Cancels change no state until answered: the list holds still. */
	for (i = 0; i < om->nlive; i++) {
		o = &om->pool[om->live[i]];
		if (!td_inst_sel_has(insts, o->inst) ||
		    !td_owner_sel_has(owners, o->owner) || o->cancel_pending)
			continue;
		if (om_cancel(om, o, true, now, NULL) == 0)
			n++;
	}
	return n;
}

/* May exit o grow to qty?  The others must leave room for it. */
static int
om_exit_grow(struct order_mgr *om, const struct order *o, int64_t qty,
    struct errmsg *err)
{
	int64_t	 pos = om->pos[o->inst.i], worst;

	if (o->role == ROLE_STOP || o->role == ROLE_TARGET)
		return errmsg_set(err, "order %llu: a bracket leg's quantity "
		    "follows its entry", (unsigned long long)o->id);
	worst = om_worst(om, o->inst, o->side) - om_left(o) + qty - o->filled;
	if (worst > om_abs(pos))
		return errmsg_set(err, "order %llu: exit refused: %lld would "
		    "be working to close a position of %lld",
		    (unsigned long long)o->id, (long long)worst,
		    (long long)om_abs(pos));
	return 0;
}

/* The checks of a replace; limit is a stop-limit's new limit, 0 none. */
static struct order *
om_replace_order(struct order_mgr *om, uint64_t id, int64_t qty,
    td_ticks price, td_ticks limit, struct errmsg *err)
{
	struct order	*o;

	if ((o = order_mgr_find(om, id)) == NULL)
		return errmsg_set(err, "order %llu: unknown order",
		    (unsigned long long)id), NULL;
	if (order_mgr_final(o->state))
		return errmsg_set(err, "order %llu: already %s",
		    (unsigned long long)id, order_state_name(o->state)), NULL;
	if (limit != 0 && o->type != ORD_STOP_LIMIT)
		return errmsg_set(err, "order %llu: a %s order has no limit "
		    "price", (unsigned long long)id,
		    order_type_name(o->type)), NULL;
	if (o->cancel_pending)
		return errmsg_set(err, "order %llu: cancel pending",
		    (unsigned long long)id), NULL;
	if (qty < 0 || (qty > 0 && qty <= o->filled))
		return errmsg_set(err, "order %llu: qty %lld not above filled "
		    "%lld", (unsigned long long)id, (long long)qty,
		    (long long)o->filled), NULL;
	if (limit != 0 && (price < 0 || limit < 0))
		return errmsg_set(err, "order %llu: bad price %lld limit %lld",
		    (unsigned long long)id, (long long)price,
		    (long long)limit), NULL;
	if (limit == 0 && (price < 0 || (price > 0 && o->type == ORD_MARKET)))
		return errmsg_set(err, "order %llu: bad price %lld",
		    (unsigned long long)id, (long long)price), NULL;
	if (limit == 0 && qty == 0 && price == 0)
		return errmsg_set(err, "order %llu: nothing to change",
		    (unsigned long long)id), NULL;
	if (qty > 0 && qty != o->want && om_is_exit(o) &&
	    om_exit_grow(om, o, qty, err) == -1)
		return NULL;
	return o;
}

static int
om_replace(struct order_mgr *om, uint64_t id, int64_t qty, td_ticks price,
    td_ticks limit, td_ns now, struct errmsg *err)
{
	const struct venue_ops	*ops = om->venue->ops;
	struct order		*o;
	int			 rc;

	if ((o = om_replace_order(om, id, qty, price, limit, err)) == NULL)
		return -1;
	if (limit != 0 && ops->replace_limit == NULL)
		return errmsg_set(err, "order %llu: venue %s cannot change a "
		    "limit price", (unsigned long long)id, ops->name);
	rc = limit != 0 ? ops->replace_limit(om->venue->ctx, id, qty, price,
	    limit, now) : ops->replace(om->venue->ctx, id, qty, price, now);
	if (rc != 0)
		return errmsg_set(err, "order %llu: venue cannot take the "
		    "replace", (unsigned long long)id);
	if (qty > 0)
		o->want = qty;
	o->replace_pending++;
	return 0;
}

int
order_mgr_replace(struct order_mgr *om, uint64_t id, int64_t qty,
    td_ticks price, td_ns now, struct errmsg *err)
{
	return om_replace(om, id, qty, price, 0, now, err);
}

/* ------------------------------------------------------------ brackets */

/* Say in out that a position may lack its stop, and why. */
static void
om_unprotected(struct order_update *out, uint64_t entry, const char *what,
    const char *why)
{
	if (out == NULL)
		return;
	out->unprotected = true;
	snprintf(out->note, sizeof out->note, "order %llu: %s: %.100s",
	    (unsigned long long)entry, what, why);
}

/* Share the entry's quantity among its pairs, as the template says. */
static void
om_pairs_plan(struct order *e)
{
	const struct bracket	*br = &e->br;
	int64_t			 sum = 0, given = 0;
	int			 n = br->ntargets > 0 ? br->ntargets : 1;

	e->npairs = n;
	for (int k = 0; k < br->ntargets; k++)
		sum += br->target_qty[k];
	for (int k = 0; k < n; k++) {
		if (br->ntargets <= 1 || sum <= 0)
			e->pair[k].alloc = k == 0 ? e->qty : 0;
		else
			e->pair[k].alloc = e->qty * br->target_qty[k] / sum;
		given += e->pair[k].alloc;
	}
	e->pair[0].alloc += e->qty - given;
}

/* Place pair k's legs for its open contracts, from base. */
static void
om_pair_place(struct order_mgr *om, struct order *e, int k, td_ticks base,
    td_ns now, struct order_update *out)
{
	struct order_pair	*p = &e->pair[k];
	struct order_req	 req;
	struct order		*leg;
	struct errmsg		 err;
	uint64_t		 eid = e->id;

	/*
	 * The first pair's group is the entry's id (a restart finds the
	 * legs by it), the others' their first leg's.  A group is reused
	 * only once the venue has finished its earlier legs.
	 */
	p->stop_id = p->target_id = 0;
	p->oco = k == 0 ? eid : om->next_id;
	for (int l = 0; l < 2; l++) {
		int32_t	 ticks = l == 0 ? e->br.stop_ticks :
			    k < e->br.ntargets && !p->no_target ?
			    e->br.target_ticks[k] : 0;

		if (ticks == 0)
			continue;
		req = (struct order_req){
			.inst = e->inst,
			.side = e->side == TD_BUY ? TD_SELL : TD_BUY,
			.type = l == 0 ? ORD_STOP : ORD_LIMIT,
			.qty = p->open,
			.price = l == 0 ? (e->stop_px != 0 ? e->stop_px :
			    base - e->side * ticks) : base + e->side * ticks,
			.role = l == 0 ? ROLE_STOP : ROLE_TARGET,
			.owner = e->owner,
			.corr = e->corr,
		};
		leg = om_send(om, &req, eid, p->oco, e, now, &err);
		if (leg == NULL || leg->state == ORD_REJECTED) {
			if (l == 0)
				om_unprotected(out, eid, "no stop", err.msg);
			continue;
		}
		if (l == 0) {
			p->stop_id = leg->id;
			e->stop_px = leg->price;
		} else
			p->target_id = leg->id;
	}
}

/* A leg that still protects: live, and not on its way out. */
static bool
om_leg_working(struct order_mgr *om, uint64_t id)
{
	const struct order	*leg = om_live_order(om, id);

	return leg != NULL && !leg->cancel_pending && om_left(leg) > 0;
}

/*
 * How much more entry e's bracket may protect: what the account holds on
 * the entry's side that its exits cannot close yet (none when flat).
 */
static int64_t
om_room(const struct order_mgr *om, const struct order *e)
{
	int64_t	 pos = om->pos[e->inst.i];

	if (pos * e->side <= 0)
		return 0;
	return om_abs(pos) - om_worst(om, e->inst, -e->side);
}

/*
 * An entry's fill at price opened or added to the position: protect what
 * it opened that no pair protects yet (after a restart the legs the venue
 * placed may already cover a fill the journal lacked).
 */
static void
om_bracket_add(struct order_mgr *om, struct order *e, td_ticks price,
    td_ns now, struct order_update *out)
{
	int64_t	 take, room, add = e->opened - e->legs_filled;

	for (int k = 0; k < e->npairs; k++)
		add -= e->pair[k].open;
	if ((e->br.stop_ticks == 0 && e->br.ntargets == 0) ||
	    e->bracket_off || add <= 0)
		return;
	/* Never more than the account holds uncovered on the entry's side. */
	room = om_room(om, e);
	if (room < add) {
		e->legs_filled += add - (room > 0 ? room : 0);
		om_note_bracket(om, e);
		if ((add = room) <= 0)
			return;
	}
	if (e->npairs == 0) {
		om_pairs_plan(e);
		e->base = e->best = price;
	}
	for (int k = 0; k < e->npairs && add > 0; k++) {
		struct order_pair	*p = &e->pair[k];

		take = add < p->alloc ? add : p->alloc;
		/* What the plan did not foresee goes to the last pair. */
		if (k == e->npairs - 1)
			take = add;
		if (take == 0)
			continue;
		p->alloc -= take < p->alloc ? take : p->alloc;
		add -= take;
		if (!om_leg_working(om, p->stop_id) &&
		    !om_leg_working(om, p->target_id)) {
			p->open += take;
			om_pair_place(om, e, k, price, now, out);
		} else
			om_pair_set(om, e, k, p->open + take, now);
	}
}

/*
 * The venue ended a pair's legs while the pair still protects open
 * contracts (its OCO took a leg the entry had just grown, or a restart
 * found a leg gone): new legs, for no more of the account's position on
 * the entry's side than the other stops leave uncovered -- none when it
 * is flat.
 */
static void
om_pair_rearm(struct order_mgr *om, struct order *e, int k, td_ns now,
    struct order_update *out)
{
	struct order_pair	*p = &e->pair[k];
	int64_t			 room;

	/* A restart re-arms once everything is back (order_mgr_settle). */
	if (om->restoring || p->open <= 0 || e->bracket_off ||
	    om_leg_working(om, p->stop_id) || om_leg_working(om, p->target_id))
		return;
	room = om_room(om, e);
	if (room < p->open) {
		e->legs_filled += p->open - (room > 0 ? room : 0);
		p->open = room > 0 ? room : 0;
		om_note_bracket(om, e);
	}
	if (p->open > 0)
		om_pair_place(om, e, k, e->base, now, out);
}

/* The entry in pool slot i (filled or not), or NULL. */
static struct order *
om_entry_at(struct order_mgr *om, int i)
{
	struct order	*e = &om->pool[i];

	if (e->id == 0 || om_hash_find(om, e->id) != i ||
	    e->role != ROLE_ENTRY)
		return NULL;
	return e;
}

/*
 * A replayed fill took the position on inst flat or across: the entries
 * on side opened no contract still held, and their brackets protect
 * nothing; order_mgr_settle cancels the legs the venue still works for
 * them (om_pairs_bound).  An entry's later fills open anew.
 */
static void
om_replay_closed(struct order_mgr *om, struct td_inst inst, enum td_side side)
{
	for (int i = 0; i < om->cap; i++) {
		struct order	*e = om_entry_at(om, i);

		if (e == NULL || !td_inst_eq(e->inst, inst) ||
		    e->side != side || e->legs_filled >= e->opened)
			continue;
		e->legs_filled = e->opened;
		om_note_bracket(om, e);
	}
}

/*
 * A restart replays entry e's fill ev: its legs wait for order_mgr_settle,
 * from the price of its first fill.
 */
static void
om_hold(struct order *e, const struct venue_event *ev)
{
	int64_t	 before = e->filled - ev->qty;

	e->held = true;
	if (e->base != 0)
		return;
	if (before > 0)
		e->base = (e->fill_cost - ev->price * ev->qty) / before;
	else
		e->base = ev->base != 0 ? ev->base : ev->price;
	e->best = e->base;
}

/* Apply a fill to the position and keep every exit inside it. */
static void
om_on_fill(struct order_mgr *om, struct order *o, const struct venue_event *ev,
    struct order_update *out)
{
	int64_t		 before = om->pos[o->inst.i], opened;
	struct order	*e, *sib;
	int		 k;

	om->pos[o->inst.i] += o->side * ev->qty;
	if ((e = om_leg_pair(om, o, &k)) != NULL) {
		struct order_pair	*p = &e->pair[k];
		uint64_t		 other;
		int64_t			 closed;

		/*
		 * The leg closes what its pair still protects; the rest of
		 * the fill (a leg filled while its cancel was on the way,
		 * the pair already released) closed contracts of other
		 * entries, whose exits om_protect trims below.
		 */
		closed = ev->qty < p->open ? ev->qty : p->open;
		p->open -= closed;
		e->legs_filled += closed;
		if (closed > 0)
			om_note_bracket(om, e);
		/* The venue takes the fill off the other leg of the pair. */
		other = o->id == p->stop_id ? p->target_id : p->stop_id;
		if ((sib = om_live_order(om, other)) != NULL)
			sib->want -= ev->qty < om_left(sib) ? ev->qty :
			    om_left(sib);
	}
	/*
	 * A restart puts back the venue's legs as they are now, sized for
	 * fills it replays after them: no replayed fill trims them, as the
	 * position passes through sizes it no longer has (a fill that flattens
	 * the account before the next opens it again); order_mgr_settle
	 * fits them once, to the position the replay ends with.  What was
	 * opened before a replayed fill took the position flat or across is
	 * closed, though: no bracket protects it any more.
	 */
	if (!om->restoring)
		om_protect(om, o->inst, td_owner_only(o->owner), ev->time);
	else if (before != 0 && before * om->pos[o->inst.i] <= 0)
		om_replay_closed(om, o->inst, before > 0 ? TD_BUY : TD_SELL);
	if (e != NULL)
		om_pair_rearm(om, e, k, ev->time, out);
	if (o->role != ROLE_ENTRY)
		return;
	/* Only what opens or adds to the position is protected. */
	opened = before * o->side >= 0 ? ev->qty :
	    ev->qty - (om_abs(before) < ev->qty ? om_abs(before) : ev->qty);
	o->opened += opened;
	if (om->restoring && opened > 0) {
		om_hold(o, ev);
		return;
	}
	om_bracket_add(om, o, ev->base != 0 ? ev->base : ev->price, ev->time,
	    out);
}

/* What a bracket needs after an event on leg o. */
static void
om_after_event(struct order_mgr *om, struct order *o,
    const struct venue_event *ev, struct order_update *out)
{
	struct order	*e;
	int		 k;

	if (ev->kind == VEV_FILL) {
		om_on_fill(om, o, ev, out);
		return;
	}
	if ((e = om_leg_pair(om, o, &k)) == NULL)
		return;
	if (ev->kind == VEV_REJECT) {
		e->bracket_off = true;
		if (o->role == ROLE_STOP)
			om_unprotected(out, e->id, "stop rejected",
			    ev->reason);
		return;
	}
	/*
	 * An absolute replace can cross the venue's OCO reduction of the
	 * same leg: once its answers are in, a leg follows its pair again.
	 */
	if (ev->kind == VEV_REPLACED && o->replace_pending == 0 &&
	    !o->cancel_pending && !order_mgr_final(o->state) &&
	    o->want != o->filled + e->pair[k].open)
		om_resize(om, o, o->filled + e->pair[k].open, ev->time);
	om_pair_rearm(om, e, k, ev->time, out);
}

/* -------------------------------------------------- breakeven, trailing */

/* The stop price entry e's bracket wants at price, or its current. */
static td_ticks
om_stop_wanted(const struct order *e, td_ticks price)
{
	const struct bracket	*br = &e->br;
	td_ticks		 stop = e->stop_px, cand, gain;
	int64_t			 profit = (e->best - e->base) * e->side;

	if (br->be_trigger > 0 && profit >= br->be_trigger) {
		cand = e->base + e->side * br->be_offset;
		if ((cand - stop) * e->side > 0)
			stop = cand;
	}
	if (br->trail_dist > 0 && profit >= br->trail_trigger) {
		cand = e->best - e->side * br->trail_dist;
		gain = (cand - stop) * e->side;
		if (br->trail_step > 1)
			gain -= gain % br->trail_step;
		if (gain > 0)
			stop += e->side * gain;
	}
	/* Never at or through the market. */
	if ((price - stop) * e->side <= 0)
		return e->stop_px;
	return stop;
}

/* order_mgr_on_price with orders working. */
static int
om_move_stops(struct order_mgr *om, struct td_inst inst, td_ticks price,
    td_ns now)
{
	struct order	*e, *leg;
	td_ticks	 stop;
	int		 moved = 0;

	for (int i = 0; i < om->nlive; i++) {
		const struct order	*l = &om->pool[om->live[i]];
		int			 k;

		if (!td_inst_eq(l->inst, inst) || l->role != ROLE_STOP ||
		    l->cancel_pending || (e = om_leg_pair(om, l, &k)) ==
		    NULL || (e->br.be_trigger == 0 && e->br.trail_dist == 0))
			continue;
		if ((price - e->best) * e->side > 0)
			e->best = price;
		if ((stop = om_stop_wanted(e, price)) == e->stop_px)
			continue;
		e->stop_px = stop;
		for (k = 0; k < e->npairs; k++) {
			if ((leg = om_live_order(om, e->pair[k].stop_id)) !=
			    NULL && !leg->cancel_pending &&
			    om->venue->ops->replace(om->venue->ctx, leg->id, 0,
			    stop, now) == 0) {
				leg->replace_pending++;
				moved++;
			}
		}
	}
	return moved;
}

int
order_mgr_on_price(struct order_mgr *om, struct td_inst inst, td_ticks price,
    td_ns now)
{
	/* Nothing working, nothing to move: most prices of a backtest. */
	if (om->nlive == 0)
		return 0;
	return om_move_stops(om, inst, price, now);
}

static int
om_on_event(struct order_mgr *om, const struct venue_event *ev,
    struct order_update *out, struct errmsg *err)
{
	struct order_update	 scratch;
	struct order		*o;
	enum order_state	 from, to;
	unsigned long long	 id = ev->id;

	if (out == NULL)
		out = &scratch;
	if ((o = order_mgr_find(om, ev->id)) == NULL &&
	    ev->kind == VEV_CANCEL_REJECT) {
		/* A late answer for an order already final and recycled. */
		*out = (struct order_update){
			.order = { .id = ev->id },
			.kind = ev->kind,
			.time = ev->time,
		};
		snprintf(out->note, sizeof out->note, "%s", ev->reason);
		return 0;
	}
	if (o == NULL)
		return errmsg_set(err, "order %llu: unknown order", id);
	from = to = o->state;
	switch (ev->kind) {
	case VEV_ACK:
		to = ORD_WORKING;
		break;
	case VEV_REJECT:
		to = ORD_REJECTED;
		break;
	case VEV_FILL:
		if (ev->qty <= 0 || ev->leaves < 0)
			return errmsg_set(err, "order %llu: fill of %lld "
			    "leaving %lld", id, (long long)ev->qty,
			    (long long)ev->leaves);
		if (ev->qty > o->qty - o->filled)
			return errmsg_set(err, "order %llu: fill of %lld above "
			    "leaves %lld", id, (long long)ev->qty,
			    (long long)(o->qty - o->filled));
		to = ev->leaves == 0 ? ORD_FILLED : ORD_PARTIAL;
		break;
	case VEV_CANCELLED:
		to = strncmp(ev->reason, "expired", 7) == 0 ? ORD_EXPIRED :
		    ORD_CANCELLED;
		break;
	case VEV_REPLACED:
	case VEV_REDUCED:
		if (ev->qty < 1 || ev->qty < o->filled)
			return errmsg_set(err, "order %llu: new qty %lld below "
			    "filled %lld", id, (long long)ev->qty,
			    (long long)o->filled);
		break;
	case VEV_CANCEL_REJECT:
		break;
	default:
		return errmsg_set(err, "order %llu: unknown event %d", id,
		    (int)ev->kind);
	}
	if (ev->kind != VEV_CANCEL_REJECT && !legal[from][to])
		return errmsg_set(err, "order %llu: illegal transition "
		    "%s -> %s", id, order_state_name(from),
		    order_state_name(to));

	*out = (struct order_update){
		.kind = ev->kind,
		.from = from,
		.to = to,
		.time = ev->time,
	};
	snprintf(out->note, sizeof out->note, "%s", ev->reason);
	o->updated = ev->time;
	switch (ev->kind) {
	case VEV_FILL:
		o->filled += ev->qty;
		o->fill_cost += ev->price * ev->qty;
		out->fill = true;
		out->inst = o->inst;
		out->side = o->side;
		out->qty = ev->qty;
		out->price = ev->price;
		break;
	case VEV_REPLACED:
		if (o->replace_pending > 0)
			o->replace_pending--;
		o->qty = ev->qty;
		if (o->replace_pending == 0)
			o->want = o->qty;
		if (o->type != ORD_MARKET && ev->price > 0)
			o->price = ev->price;
		if (o->type == ORD_STOP_LIMIT && ev->limit > 0)
			o->limit = ev->limit;
		break;
	case VEV_REDUCED:
		o->qty = ev->qty;
		if (o->replace_pending == 0 || o->want > o->qty)
			o->want = o->qty;
		break;
	case VEV_CANCEL_REJECT:
		/* Answers come in order; no replace follows a cancel. */
		if (o->replace_pending > 0) {
			if (--o->replace_pending == 0)
				o->want = o->qty;
		} else
			o->cancel_pending = false;
		break;
	case VEV_REJECT:
	case VEV_CANCELLED:
		snprintf(o->reason, sizeof o->reason, "%s", ev->reason);
		break;
	default:
		break;
	}
	if (to != from)
		om_set_state(om, o, to);
	/*
	 * Placing legs may recycle a final leg's slot: copy the order first
	 * and again only if it is still there (an entry always is).
	 */
	out->order = *o;
	om_after_event(om, o, ev, out);
	if (o->id == out->order.id)
		out->order = *o;
	return 0;
}

int
order_mgr_on_event(struct order_mgr *om, const struct venue_event *ev,
    struct order_update *out, struct errmsg *err)
{
	int	 rc;

	om->in_event = true;
	rc = om_on_event(om, ev, out, err);
	om->in_event = false;
	return rc;
}

int
order_mgr_poll(struct order_mgr *om, struct order_update *out,
    struct errmsg *err)
{
	struct venue_event	 ev;

	if (!om->venue->ops->poll(om->venue->ctx, &ev))
		return 0;
	return order_mgr_on_event(om, &ev, out, err) == 0 ? 1 : -1;
}

int
order_mgr_live_count(const struct order_mgr *om)
{
	return om->nlive;
}

const struct order *
order_mgr_live_at(const struct order_mgr *om, int i)
{
	if (i < 0 || i >= om->nlive)
		return NULL;
	return &om->pool[om->live[i]];
}

void
order_mgr_foreach(const struct order_mgr *om,
    void (*fn)(const struct order *, void *), void *arg)
{
	int	 i;

	for (i = 0; i < om->nlive; i++)
		fn(&om->pool[om->live[i]], arg);
}

int
order_mgr_working_count(const struct order_mgr *om, struct td_inst_sel insts)
{
	int	 i, n = 0;

	for (i = 0; i < om->nlive; i++) {
		if (td_inst_sel_has(insts, om->pool[om->live[i]].inst))
			n++;
	}
	return n;
}

int64_t
order_mgr_cover(const struct order_mgr *om, struct td_inst inst,
    enum td_side position_side)
{
	int64_t	 n = 0;

	for (int i = 0; i < om->nlive; i++) {
		const struct order	*o = &om->pool[om->live[i]];

		if (om_counts(o, inst) && o->side == -position_side &&
		    (o->role == ROLE_STOP || o->type == ORD_MARKET))
			n += om_left(o);
	}
	return n;
}

bool
order_mgr_protected(const struct order_mgr *om, struct td_inst inst,
    int64_t position)
{
	if (position == 0)
		return true;
	return order_mgr_cover(om, inst, position > 0 ? TD_BUY : TD_SELL) >=
	    om_abs(position);
}

int64_t
order_mgr_position(const struct order_mgr *om, struct td_inst inst)
{
	return td_inst_in(inst, om->ninst) ? om->pos[inst.i] : 0;
}

void
order_mgr_set_position(struct order_mgr *om, struct td_inst inst,
    int64_t position)
{
	if (td_inst_in(inst, om->ninst))
		om->pos[inst.i] = position;
}

int64_t
order_mgr_market_exit_qty(const struct order_mgr *om, struct td_inst inst)
{
	int64_t	 pos = order_mgr_position(om, inst);

	return pos == 0 ? 0 : om_markets(om, inst, om_closing_side(pos));
}

int64_t
order_mgr_exit_qty(const struct order_mgr *om, struct td_inst inst)
{
	int64_t	 pos = order_mgr_position(om, inst);

	if (pos == 0)
		return om_worst(om, inst, TD_BUY) + om_worst(om, inst, TD_SELL);
	return om_worst(om, inst, om_closing_side(pos));
}

int64_t
order_mgr_working_entry_qty(const struct order_mgr *om, struct td_inst inst,
    enum td_side side)
{
	const struct order	*o;
	int64_t			 n = 0;
	int			 i;

	for (i = 0; i < om->nlive; i++) {
		o = &om->pool[om->live[i]];
		if (td_inst_eq(o->inst, inst) && o->role == ROLE_ENTRY &&
		    o->side == side)
			n += o->qty - o->filled;
	}
	return n;
}

/* ---------------------------------------------------------------- restart */

/*
 * A restart puts back what the journal and the venue agree on: the order
 * goes into the pool as it is, without a word to the venue (which holds it
 * already), live orders in the live list and final ones (the entries of
 * live bracket legs) in the ring of final orders.
 */
/*
 * A live leg joins its entry's pair by OCO group (a new pair when it is
 * the first of its group), protecting what it has left to fill.
 */
static void
om_restore_leg(struct order_mgr *om, const struct order *leg)
{
	struct order		*e;
	struct order_pair	*p = NULL;

	if ((leg->role != ROLE_STOP && leg->role != ROLE_TARGET) ||
	    (e = order_mgr_find(om, leg->parent)) == NULL ||
	    e->role != ROLE_ENTRY)
		return;
	for (int k = 0; k < e->npairs; k++) {
		if (e->pair[k].oco == leg->oco)
			p = &e->pair[k];
	}
	if (p == NULL) {
		if (e->npairs == OM_MAX_TARGETS)
			return;
		p = &e->pair[e->npairs++];
		*p = (struct order_pair){ .oco = leg->oco };
	}
	if (leg->role == ROLE_STOP) {
		p->stop_id = leg->id;
		e->stop_px = leg->price;
	} else
		p->target_id = leg->id;
	if (leg->qty - leg->filled > p->open)
		p->open = leg->qty - leg->filled;
	if (e->base == 0)
		e->base = e->best = e->filled > 0 ? e->fill_cost / e->filled :
		    e->price;
}

int
order_mgr_restore(struct order_mgr *om, const struct order *o,
    struct errmsg *err)
{
	struct order	*n;
	int		 slot;

	if (o->id == 0 || (unsigned)o->state >= ORD_NSTATES ||
	    o->state == ORD_NEW)
		return errmsg_set(err, "order %llu: cannot restore it in state "
		    "%s", (unsigned long long)o->id,
		    order_state_name(o->state));
	if (order_mgr_find(om, o->id) != NULL)
		return errmsg_set(err, "order %llu: already known",
		    (unsigned long long)o->id);
	if ((n = om_alloc(om, NULL)) == NULL)
		return errmsg_set(err, "order pool full: %d live orders",
		    om->nlive);
	om->restoring = true;
	*n = *o;
	n->cancel_pending = false;
	n->replace_pending = 0;
	n->want = n->qty;
	if (n->role == ROLE_ENTRY) {
		n->npairs = 0;
		n->opened = n->filled;
	}
	else if (!order_mgr_final(n->state))
		om_restore_leg(om, n);
	slot = om_slot(om, n);
	om_hash_add(om, slot);
	if (order_mgr_final(n->state)) {
		om->term[(om->thead + om->tlen) % om->cap] = slot;
		om->tlen++;
	} else
		om->live[om->nlive++] = slot;
	if (o->id >= om->next_id)
		om->next_id = o->id + 1;
	return 0;
}

int
order_mgr_adopt(struct order_mgr *om, uint64_t id, enum order_role role,
    uint64_t entry, struct errmsg *err)
{
	struct order	*o = om_live_order(om, id);
	int64_t		 pos;

	if (o == NULL || o->role != ROLE_ENTRY || o->cancel_pending)
		return errmsg_set(err, "order %llu: no live entry to take over",
		    (unsigned long long)id);
	if (role != ROLE_STOP && role != ROLE_TARGET && role != ROLE_EXIT)
		return errmsg_set(err, "order %llu: cannot take it over as %s",
		    (unsigned long long)id, order_role_name(role));
	pos = om->pos[o->inst.i];
	if (pos == 0 || o->side != om_closing_side(pos))
		return errmsg_set(err, "order %llu: it would open or add to "
		    "the position", (unsigned long long)id);
	o->role = role;
	if (om_worst(om, o->inst, o->side) > om_abs(pos)) {
		o->role = ROLE_ENTRY;
		return errmsg_set(err, "order %llu: %lld more to close a "
		    "position of %lld would not fit beside the other exits",
		    (unsigned long long)id, (long long)om_left(o),
		    (long long)om_abs(pos));
	}
	if (role != ROLE_EXIT && entry != 0) {
		o->parent = entry;
		om_restore_leg(om, o);
	}
	return 0;
}

/*
 * A restart put back entry e's legs as the venue works them, each pair
 * protecting what its legs have left; but the journal may know that the
 * bracket protects less (legs_filled: a fill elsewhere closed its
 * contracts, and the cancel of its legs never reached the venue before
 * the process died).  Its pairs keep no more than the entry opened less
 * what its legs closed or gave up, the first pairs first; the legs of
 * the rest are made smaller or cancelled.  legs_filled counts those
 * contracts already.
 */
static void
om_pairs_bound(struct order_mgr *om, struct order *e, td_ns now)
{
	int64_t	 left = e->opened - e->legs_filled;

	for (int k = 0; k < e->npairs; k++) {
		struct order_pair	*p = &e->pair[k];

		if (p->open > left) {
			p->open = left > 0 ? left : 0;
			om_pair_legs(om, e, k, now);
		}
		left -= p->open;
	}
}

/*
 * A restart's legs, once everything is back.  The fills it replayed never
 * trimmed a held entry's legs as they came (a fill that reduced the
 * position before another entry opened more), so the room the position
 * leaves may be less than the held entries opened: entries with a stop
 * take it first, so that what was opened under a stop keeps one.  No
 * bracket keeps more than the journal says it protects (om_pairs_bound).
 */
void
order_mgr_settle(struct order_mgr *om, td_ns now)
{
	struct order	*e;

	om->restoring = false;
	for (int i = 0; i < om->cap; i++) {
		if ((e = om_entry_at(om, i)) != NULL && e->npairs > 0)
			om_pairs_bound(om, e, now);
	}
	for (int i = 0; i < om->ninst; i++)
		om_protect(om, td_inst_at(i), td_owner_any(), now);
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < om->cap; i++) {
			if ((e = om_entry_at(om, i)) == NULL ||
			    (e->npairs == 0 && !e->held) ||
			    (e->br.stop_ticks > 0) != (pass == 0))
				continue;
			e->held = false;
			for (int k = 0; k < e->npairs; k++)
				om_pair_rearm(om, e, k, now, NULL);
			om_bracket_add(om, e, e->base, now, NULL);
		}
	}
}

void
order_mgr_reserve_ids(struct order_mgr *om, uint64_t next)
{
	if (next > om->next_id)
		om->next_id = next;
}

uint64_t
order_mgr_next_id(const struct order_mgr *om)
{
	return om->next_id;
}

/* ---------------------------------------------------------- stop-limits */

int
order_mgr_replace_limit(struct order_mgr *om, uint64_t id, int64_t qty,
    td_ticks price, td_ticks limit, td_ns now, struct errmsg *err)
{
	return om_replace(om, id, qty, price, limit, now, err);
}

const char *
order_tif_name(enum order_tif tif)
{
	static const char *const names[ORD_NTIFS] = {
		[TIF_GTC] = "gtc",
		[TIF_DAY] = "day",
		[TIF_IOC] = "ioc",
	};

	if ((unsigned)tif >= ORD_NTIFS)
		return "?";
	return names[tif];
}
