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
	if ((unsigned)type > ORD_STOP)
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

static struct order *
om_live_order(struct order_mgr *om, uint64_t id)
{
	struct order	*o;

	if (id == 0 || (o = order_mgr_find(om, id)) == NULL ||
	    order_mgr_final(o->state))
		return NULL;
	return o;
}

/* Create an order and send it; keep is an order the pool must not reuse. */
static struct order *
om_send(struct order_mgr *om, const struct order_req *req, uint64_t parent,
    uint64_t oco, const struct order *keep, td_ns now, struct errmsg *err)
{
	struct venue_order	 vo;
	struct order		*o;

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
		.price = req->type == ORD_MARKET ? 0 : req->price,
		.owner = req->owner,
		.corr = req->corr,
		.parent = parent,
		.oco = oco,
		.stop_ticks = req->role == ROLE_ENTRY ? req->stop_ticks : 0,
		.target_ticks = req->role == ROLE_ENTRY ? req->target_ticks : 0,
		.created = now,
		.updated = now,
	};
	om_hash_add(om, om_slot(om, o));
	om->live[om->nlive++] = om_slot(om, o);

	vo = (struct venue_order){
		.id = o->id,
		.inst = o->inst,
		.side = o->side,
		.type = o->type,
		.qty = o->qty,
		.price = o->price,
		.oco = o->oco,
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
	return o;
}

struct order_mgr *
order_mgr_create(int capacity, struct venue *venue, struct errmsg *err)
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
	if (om->pool == NULL || om->freel == NULL || om->live == NULL ||
	    om->term == NULL || om->hash == NULL) {
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
	free(om);
}

struct order *
order_mgr_find(struct order_mgr *om, uint64_t id)
{
	int	 slot = om_hash_find(om, id);

	return slot == -1 ? NULL : &om->pool[slot];
}

struct order *
order_mgr_submit(struct order_mgr *om, const struct order_req *req, td_ns now,
    struct errmsg *err)
{
	if (req->side != TD_BUY && req->side != TD_SELL) {
		errmsg_set(err, "unknown side %d", (int)req->side);
		return NULL;
	}
	if ((unsigned)req->type > ORD_STOP) {
		errmsg_set(err, "unknown order type %d", (int)req->type);
		return NULL;
	}
	if ((unsigned)req->role > ROLE_EXIT) {
		errmsg_set(err, "unknown order role %d", (int)req->role);
		return NULL;
	}
	if (req->role == ROLE_ENTRY &&
	    (req->stop_ticks < 0 || req->target_ticks < 0)) {
		errmsg_set(err, "bracket distances %d/%d below 0",
		    (int)req->stop_ticks, (int)req->target_ticks);
		return NULL;
	}
	return om_send(om, req, 0, 0, NULL, now, err);
}

/* Someone else took a bracket leg away: leave that bracket alone. */
static void
om_abandon_bracket(struct order_mgr *om, const struct order *o)
{
	struct order	*entry;

	if (o->role != ROLE_STOP && o->role != ROLE_TARGET)
		return;
	if ((entry = order_mgr_find(om, o->parent)) != NULL)
		entry->bracket_off = true;
}

static int
om_cancel(struct order_mgr *om, struct order *o, td_ns now,
    struct errmsg *err)
{
	if (o->cancel_pending)
		return 0;
	if (om->venue->ops->cancel(om->venue->ctx, o->id, now) != 0)
		return errmsg_set(err, "order %llu: venue cannot take the "
		    "cancel", (unsigned long long)o->id);
	o->cancel_pending = true;
	om_abandon_bracket(om, o);
	return 0;
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
	return om_cancel(om, o, now, err);
}

int
order_mgr_cancel_all(struct order_mgr *om, int inst, int owner_filter,
    td_ns now)
{
	struct order	*o;
	int		 i, n = 0;

	/* Cancels change no state until answered: the list holds still. */
	for (i = 0; i < om->nlive; i++) {
		o = &om->pool[om->live[i]];
		if ((inst != -1 && o->inst != inst) ||
		    (owner_filter != -2 && o->owner != owner_filter) ||
		    o->cancel_pending)
			continue;
		if (om_cancel(om, o, now, NULL) == 0)
			n++;
	}
	return n;
}

int
order_mgr_replace(struct order_mgr *om, uint64_t id, int64_t qty,
    td_ticks price, td_ns now, struct errmsg *err)
{
	struct order	*o;

	if ((o = order_mgr_find(om, id)) == NULL)
		return errmsg_set(err, "order %llu: unknown order",
		    (unsigned long long)id);
	if (order_mgr_final(o->state))
		return errmsg_set(err, "order %llu: already %s",
		    (unsigned long long)id, order_state_name(o->state));
	if (o->cancel_pending)
		return errmsg_set(err, "order %llu: cancel pending",
		    (unsigned long long)id);
	if (qty < 0 || (qty > 0 && qty <= o->filled))
		return errmsg_set(err, "order %llu: qty %lld not above filled "
		    "%lld", (unsigned long long)id, (long long)qty,
		    (long long)o->filled);
	if (price < 0 || (price > 0 && o->type == ORD_MARKET))
		return errmsg_set(err, "order %llu: bad price %lld",
		    (unsigned long long)id, (long long)price);
	if (qty == 0 && price == 0)
		return errmsg_set(err, "order %llu: nothing to change",
		    (unsigned long long)id);
	if (om->venue->ops->replace(om->venue->ctx, id, qty, price, now) != 0)
		return errmsg_set(err, "order %llu: venue cannot take the "
		    "replace", (unsigned long long)id);
	o->replace_pending++;
	return 0;
}

int
order_mgr_flatten(struct order_mgr *om, int inst, int64_t position,
    uint64_t corr, td_ns now, struct errmsg *err)
{
	struct order_req	 req;
	struct order		*o;

	order_mgr_cancel_all(om, inst, -2, now);
	if (position == 0)
		return 0;
	req = (struct order_req){
		.inst = inst,
		.side = position > 0 ? TD_SELL : TD_BUY,
		.type = ORD_MARKET,
		.qty = position > 0 ? position : -position,
		.role = ROLE_EXIT,
		.owner = -1,
		.corr = corr,
	};
	if ((o = om_send(om, &req, 0, 0, NULL, now, err)) == NULL) {
		errmsg_prefix(err, "flatten");
		return -1;
	}
	if (o->state == ORD_REJECTED) {
		errmsg_prefix(err, "flatten");
		return -1;
	}
	return 0;
}

/* Say in out that a position may lack its stop, and why. */
static void
om_note(struct order_update *out, uint64_t entry, const char *what,
    const char *why)
{
	out->unprotected = true;
	snprintf(out->note, sizeof out->note, "order %llu: %s: %.100s",
	    (unsigned long long)entry, what, why);
}

/* Place a new bracket for the open quantity of entry e from price base. */
static void
om_bracket_place(struct order_mgr *om, struct order *e, int64_t open,
    td_ticks base, td_ns now, struct order_update *out)
{
	struct order_req	 req;
	struct order		*leg;
	struct errmsg		 err;
	uint64_t		 oco, eid = e->id;
	int			 k;

	/*
	 * The group is the entry's id.  A later bracket reuses it safely: it
	 * is placed only when the venue has finished every earlier leg.
	 */
	oco = eid;
	e->stop_id = e->target_id = 0;
	for (k = 0; k < 2; k++) {
		if ((k == 0 ? e->stop_ticks : e->target_ticks) == 0)
			continue;
		req = (struct order_req){
			.inst = e->inst,
			.side = e->side == TD_BUY ? TD_SELL : TD_BUY,
			.type = k == 0 ? ORD_STOP : ORD_LIMIT,
			.qty = open,
			.price = k == 0 ? base - e->side * e->stop_ticks :
			    base + e->side * e->target_ticks,
			.role = k == 0 ? ROLE_STOP : ROLE_TARGET,
			.owner = e->owner,
			.corr = e->corr,
		};
		leg = om_send(om, &req, eid, oco, e, now, &err);
		if (leg == NULL) {
			if (k == 0)
				om_note(out, eid, "no stop", err.msg);
			continue;
		}
		if (k == 0)
			e->stop_id = leg->id;
		else
			e->target_id = leg->id;
		if (out != NULL) {
			if (k == 0)
				out->stop_id = leg->id;
			else
				out->target_id = leg->id;
		}
		if (k == 0 && leg->state == ORD_REJECTED)
			om_note(out, eid, "no stop", err.msg);
	}
}

/*
 * Keep entry e's bracket in step with its open quantity: place one when no
 * leg is live, else resize the live legs that have no replace in flight.
 * base is the price a new bracket is placed from.
 */
static void
om_bracket_sync(struct order_mgr *om, struct order *e, td_ticks base,
    bool resize, td_ns now, struct order_update *out)
{
	struct order	*legs[2];
	int64_t		 open, want;
	int		 k;

	if ((e->stop_ticks == 0 && e->target_ticks == 0) || e->bracket_off)
		return;
	open = e->filled - e->legs_filled;
	legs[0] = om_live_order(om, e->stop_id);
	legs[1] = om_live_order(om, e->target_id);
	if (legs[0] == NULL && legs[1] == NULL) {
		if (open > 0)
			om_bracket_place(om, e, open, base, now, out);
		return;
	}
	if (!resize || open <= 0)
		return;
	for (k = 0; k < 2; k++) {
		if (legs[k] == NULL || legs[k]->replace_pending > 0 ||
		    legs[k]->cancel_pending)
			continue;
		want = legs[k]->filled + open;
		if (legs[k]->qty == want)
			continue;
		if (om->venue->ops->replace(om->venue->ctx, legs[k]->id, want,
		    0, now) == 0)
			legs[k]->replace_pending++;
		else if (k == 0)
			om_note(out, e->id, "stop not resized",
			    "venue busy");
	}
}

/* What a bracket needs after an event on order o. */
static void
om_after_event(struct order_mgr *om, struct order *o,
    const struct venue_event *ev, struct order_update *out)
{
	struct order	*e;
	bool		 answered;

	if (o->role == ROLE_ENTRY) {
		if (ev->kind == VEV_FILL)
			om_bracket_sync(om, o, ev->price, true, ev->time, out);
		return;
	}
	if ((o->role != ROLE_STOP && o->role != ROLE_TARGET) ||
	    (e = order_mgr_find(om, o->parent)) == NULL)
		return;
	if (ev->kind == VEV_FILL)
		e->legs_filled += ev->qty;
	if (ev->kind == VEV_REJECT) {
		e->bracket_off = true;
		if (o->role == ROLE_STOP)
			om_note(out, e->id, "stop rejected", ev->reason);
		return;
	}
	answered = (ev->kind == VEV_REPLACED ||
	    ev->kind == VEV_CANCEL_REJECT) && o->replace_pending == 0;
	if (order_mgr_final(o->state) || answered)
		om_bracket_sync(om, e, e->filled > 0 ? e->fill_cost /
		    e->filled : 0, answered, ev->time, out);
}

int
order_mgr_on_event(struct order_mgr *om, const struct venue_event *ev,
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
		if (o->type != ORD_MARKET && ev->price > 0)
			o->price = ev->price;
		break;
	case VEV_REDUCED:
		o->qty = ev->qty;
		break;
	case VEV_CANCEL_REJECT:
		/* Answers come in order; no replace follows a cancel. */
		if (o->replace_pending > 0)
			o->replace_pending--;
		else
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
order_mgr_working_count(const struct order_mgr *om, int inst)
{
	int	 i, n = 0;

	for (i = 0; i < om->nlive; i++) {
		if (inst == -1 || om->pool[om->live[i]].inst == inst)
			n++;
	}
	return n;
}

int64_t
order_mgr_stop_cover(const struct order_mgr *om, int inst,
    enum td_side position_side)
{
	const struct order	*o;
	int64_t			 n = 0;
	int			 i;

	for (i = 0; i < om->nlive; i++) {
		o = &om->pool[om->live[i]];
		if (o->inst == inst && o->role == ROLE_STOP &&
		    o->side == -position_side && !o->cancel_pending)
			n += o->qty - o->filled;
	}
	return n;
}

bool
order_mgr_protected(const struct order_mgr *om, int inst, int64_t position)
{
	if (position == 0)
		return true;
	if (position > 0)
		return order_mgr_stop_cover(om, inst, TD_BUY) >= position;
	return order_mgr_stop_cover(om, inst, TD_SELL) >= -position;
}

int64_t
order_mgr_working_entry_qty(const struct order_mgr *om, int inst,
    enum td_side side)
{
	const struct order	*o;
	int64_t			 n = 0;
	int			 i;

	for (i = 0; i < om->nlive; i++) {
		o = &om->pool[om->live[i]];
		if (o->inst == inst && o->role == ROLE_ENTRY && o->side == side)
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
	*n = *o;
	n->cancel_pending = false;
	n->replace_pending = 0;
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
