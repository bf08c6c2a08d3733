/*
 * venue-double.h -- a venue for tests made of venue.h and nothing else:
 * no file, no matching.  It answers mass_status, order_status and
 * executions from tables the test fills (vd_work, vd_exec, vd_done),
 * acknowledges, cancels and replaces what the engine sends (taking an
 * order into vd_work or out of it), reports the connection the test sets
 * (vd_conn) and the discrepancies it found (vd_disc), refuses stop orders
 * when told to (reject_stops), and counts
 * the questions it is asked.  It sees market data
 * and fills nothing: what it filled is what the test says it did.
 *
 * Made with vdouble_create; whoever holds the struct venue frees it
 * (engine_free once an engine took it, else venue_free), and *destroyed,
 * when set, says that it happened.
 */
#ifndef TD_TEST_VENUE_DOUBLE_H
#define TD_TEST_VENUE_DOUBLE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "venue.h"

#define VD_MAX		32
#define VD_QUEUE	(4 * VD_MAX)

struct vdouble {
	struct venue		 v;
	struct venue_status	 vd_work[VD_MAX];	/* working, oldest 1st */
	int			 nwork;
	struct venue_exec	 vd_exec[VD_MAX];	/* fills, oldest 1st */
	int			 nexec;
	struct venue_status	 vd_done[VD_MAX];	/* no longer working */
	int			 ndone;
	enum venue_conn		 vd_conn;
	bool			 reject_stops;	/* refuse every stop order */
	int			 vd_disc;	/* its discrepancies, as told */
	struct venue_event	 q[VD_QUEUE];
	int			 qhead, qlen;
	/* What it was asked. */
	int			 asked_mass, asked_status, asked_exec;
	td_ns			 since;		/* of the last executions */
	int			 adopted;
	bool			*destroyed;
};

static struct venue_event *
vd_push(struct vdouble *d, enum venue_ev_kind kind, uint64_t id, td_ns now)
{
	struct venue_event	*ev;

	if (d->qlen == VD_QUEUE)
		return NULL;
	ev = &d->q[(d->qhead + d->qlen++) % VD_QUEUE];
	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
	ev->id = id;
	ev->time = now;
	return ev;
}

static int
vd_find(const struct vdouble *d, uint64_t id)
{
	for (int i = 0; i < d->nwork; i++) {
		if (d->vd_work[i].order.id == id)
			return i;
	}
	return -1;
}

static int
vd_submit(void *ctx, const struct venue_order *o, td_ns now)
{
	struct vdouble		*d = ctx;
	struct venue_event	*ev;

	if (d->reject_stops && o->type == ORD_STOP) {
		if ((ev = vd_push(d, VEV_REJECT, o->id, now)) == NULL)
			return -1;
		snprintf(ev->reason, sizeof ev->reason, "stop refused");
		return 0;
	}
	if (d->nwork == VD_MAX || (ev = vd_push(d, VEV_ACK, o->id,
	    now)) == NULL)
		return -1;
	d->vd_work[d->nwork++] = (struct venue_status){ .order = *o,
	    .state = VOS_WORKING, .leaves = o->qty };
	ev->qty = ev->leaves = o->qty;
	ev->price = o->price;
	return 0;
}

/* Order i of vd_work ends cancelled: into vd_done, and said so. */
static int
vd_end(struct vdouble *d, int i, td_ns now)
{
	struct venue_status	 st = d->vd_work[i];
	struct venue_event	*ev;

	if ((ev = vd_push(d, VEV_CANCELLED, st.order.id, now)) == NULL)
		return -1;
	ev->qty = st.filled;
	ev->price = st.order.price;
	snprintf(ev->reason, sizeof ev->reason, "cancelled");
	memmove(&d->vd_work[i], &d->vd_work[i + 1], (size_t)(d->nwork - i -
	    1) * sizeof *d->vd_work);
	d->nwork--;
	st.state = VOS_CANCELLED;
	st.leaves = 0;
	if (d->ndone < VD_MAX)
		d->vd_done[d->ndone++] = st;
	return 0;
}

static int
vd_cancel(void *ctx, uint64_t id, td_ns now)
{
	struct vdouble		*d = ctx;
	struct venue_event	*ev;
	int			 i;

	if ((i = vd_find(d, id)) != -1)
		return vd_end(d, i, now);
	if ((ev = vd_push(d, VEV_CANCEL_REJECT, id, now)) == NULL)
		return -1;
	snprintf(ev->reason, sizeof ev->reason, "order %llu not working",
	    (unsigned long long)id);
	return 0;
}

static int
vd_replace(void *ctx, uint64_t id, int64_t qty, td_ticks price, td_ns now)
{
	struct vdouble		*d = ctx;
	struct venue_status	*st;
	struct venue_event	*ev;
	int			 i;

	if ((i = vd_find(d, id)) == -1)
		return vd_cancel(ctx, id, now);	/* answered as not working */
	st = &d->vd_work[i];
	if (qty != 0) {
		st->order.qty = qty;
		st->leaves = qty - st->filled;
	}
	if (price != 0)
		st->order.price = price;
	if ((ev = vd_push(d, VEV_REPLACED, id, now)) == NULL)
		return -1;
	ev->qty = st->order.qty;
	ev->price = st->order.price;
	ev->leaves = st->leaves;
	return 0;
}

static int
vd_mass_cancel(void *ctx, int inst, td_ns now)
{
	struct vdouble	*d = ctx;
	int		 n = 0;

	for (int i = 0; i < d->nwork; ) {
		if (inst != -1 && d->vd_work[i].order.inst != inst) {
			i++;
			continue;
		}
		if (vd_end(d, i, now) == -1)
			return -1;
		n++;
	}
	return n;
}

static int
vd_on_market(void *ctx, const struct td_md *md)
{
	(void)ctx;
	(void)md;
	return 1;
}

static void
vd_settle(void *ctx)
{
	(void)ctx;
}

static int
vd_poll(void *ctx, struct venue_event *ev)
{
	struct vdouble	*d = ctx;

	if (d->qlen == 0)
		return 0;
	*ev = d->q[d->qhead];
	d->qhead = (d->qhead + 1) % VD_QUEUE;
	d->qlen--;
	return 1;
}

static int
vd_order_status(void *ctx, uint64_t id, struct venue_status *st,
    struct errmsg *err)
{
	struct vdouble	*d = ctx;
	int		 i;

	(void)err;
	d->asked_status++;
	if ((i = vd_find(d, id)) != -1) {
		*st = d->vd_work[i];
		return 0;
	}
	for (i = 0; i < d->ndone; i++) {
		if (d->vd_done[i].order.id == id) {
			*st = d->vd_done[i];
			return 0;
		}
	}
	memset(st, 0, sizeof *st);
	st->order.id = id;
	st->state = VOS_UNKNOWN;
	return 0;
}

static int
vd_mass_status(void *ctx, venue_status_fn fn, void *arg, struct errmsg *err)
{
	struct vdouble	*d = ctx;

	(void)err;
	d->asked_mass++;
	for (int i = 0; i < d->nwork; i++) {
		if (fn(arg, &d->vd_work[i]) != 0)
			break;
	}
	return 0;
}

static int
vd_executions(void *ctx, td_ns since, venue_exec_fn fn, void *arg,
    struct errmsg *err)
{
	struct vdouble	*d = ctx;

	(void)err;
	d->asked_exec++;
	d->since = since;
	for (int i = 0; i < d->nexec; i++) {
		if (d->vd_exec[i].time >= since && fn(arg, &d->vd_exec[i]) != 0)
			break;
	}
	return 0;
}

static int
vd_adopt_position(void *ctx, int inst, int64_t position, td_ns time,
    struct errmsg *err)
{
	struct vdouble	*d = ctx;

	(void)inst;
	(void)position;
	(void)time;
	(void)err;
	d->adopted++;
	return 0;
}

static enum venue_conn
vd_conn(void *ctx)
{
	return ((const struct vdouble *)ctx)->vd_conn;
}

static int
vd_discrepancies(void *ctx)
{
	return ((const struct vdouble *)ctx)->vd_disc;
}

static void
vd_destroy(void *ctx)
{
	struct vdouble	*d = ctx;

	if (d->destroyed != NULL)
		*d->destroyed = true;
	free(d);
}

static const struct venue_ops vdouble_ops = {
	.name = "double",
	.submit = vd_submit,
	.cancel = vd_cancel,
	.replace = vd_replace,
	.mass_cancel = vd_mass_cancel,
	.on_market = vd_on_market,
	.settle = vd_settle,
	.poll = vd_poll,
	.order_status = vd_order_status,
	.mass_status = vd_mass_status,
	.executions = vd_executions,
	.adopt_position = vd_adopt_position,
	.conn = vd_conn,
	.discrepancies = vd_discrepancies,
	.destroy = vd_destroy,
};

/* A double, up, knowing nothing; NULL when memory runs out. */
static inline struct vdouble *
vdouble_create(bool *destroyed)
{
	struct vdouble	*d = calloc(1, sizeof *d);

	if (d == NULL)
		return NULL;
	d->v.ops = &vdouble_ops;
	d->v.ctx = d;
	d->vd_conn = VENUE_UP;
	d->destroyed = destroyed;
	if (destroyed != NULL)
		*destroyed = false;
	return d;
}

#endif
