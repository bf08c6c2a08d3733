/*
 * venue-fix.c -- the venue.h table over a FIX session (see venue-fix.h).
 *
 * Owns the link, the session and its store, the message log, the table
 * of orders (what each is at the counterparty: its ClOrdID and OrderID,
 * what is filled and left, what was asked of it and not yet answered,
 * what waits for the link), the queue of events for poll, the queue of
 * notices for the log, and the answers a question is waiting for.
 *
 * ClOrdIDs are the engine's order id, then ".n" for the n-th cancel or
 * replace of it: the id is read back from any of them, and the store
 * keeps each order's current ClOrdID and OrderID across restarts.
 *
 * FIX 4.2 (cfg.begin) differs in what the venue uses, and the functions
 * named ...42 keep the differences: it has no OrderMassCancelRequest (one
 * cancel per order) nor OrderMassStatusRequest (the status of each
 * working order is asked on its own), no OrdStatusReqID (an order
 * remembers which question asked its status, and the answer is told by
 * its ClOrdID), and ExecTransType (20) says what ExecType I, H and G say
 * in 4.4: 3 a status answer, 1 a trade cancelled, 2 a trade corrected.
 *
 * The emergency session (cfg.em) is a second connection to the same
 * counterparty that only the kill switch opens, and only while the main
 * session is down: once it is up, what the kill left waiting goes on it
 * (a mass cancel of the account first where the counterparty takes
 * those, then the cancels and exits), and so does whatever reduces the
 * position until the main session is back.  It logs out once the main
 * session is back and no order it placed is working.  Its fills are kept
 * with the main session's, by ExecID.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "fix-codec.h"
#include "fix-conn.h"
#include "fix-store.h"
#include "log.h"
#include "tz.h"
#include "venue-fix.h"

#define VF_SEC		1000000000LL
#define VF_SENT		256	/* application messages remembered */
#define VF_EM_TURN	(VF_SEC / 50)	/* the emergency session's run */

/* FIX 4.2: who asked an order's status (vf_order.asked42). */
#define VF_ASK_RESYNC	0x1	/* the reconnect */
#define VF_ASK_STATUS	0x2	/* order_status */
#define VF_ASK_MASS	0x4	/* mass_status */

/* What an application message sent was about. */
struct vf_sent {
	int64_t		 seq;
	uint64_t	 id;		/* the order, 0: none */
	char		 type[4];
};

struct vf_order {
	struct venue_order o;		/* qty and price as working now */
	char		 clordid[32];	/* the current one */
	char		 orderid[64];
	int		 rev;
	int64_t		 filled;
	int64_t		 leaves;
	bool		 acked;
	bool		 done;
	bool		 recalled;	/* placed by an earlier run */
	/* Asked and not answered: the ClOrdID of the request. */
	char		 pending[32];
	bool		 pending_cancel;
	bool		 batch;		/* a cancel asked this turn */
	bool		 mass;		/* in a mass cancel */
	bool		 oco_cut;	/* the request is an OCO reduction */
	bool		 em;		/* placed on the emergency session */
	int64_t		 pending_qty;
	/* Waiting for the link. */
	bool		 wait_new, wait_cancel, wait_replace;
	int64_t		 wait_qty;
	td_ticks	 wait_price, wait_limit;
	unsigned	 asked42;	/* VF_ASK_*: its status asked */
};

enum vf_em {
	VF_EM_IDLE,		/* not connected, not wanted */
	VF_EM_ACTIVE,		/* a kill wants it: connect, send */
	VF_EM_CLOSING,		/* done: logging out */
};

/* The answer a question is waiting for. */
struct vf_query {
	bool		 active;
	bool		 done;
	bool		 refused;
	char		 id[32];	/* OrdStatusReqID or MassStatusReqID */
	uint64_t	 order;		/* order_status: which */
	struct venue_status st;		/* order_status: the answer */
	venue_status_fn	 fn;		/* mass_status: each answer */
	void		*arg;
	int		 stop;
};

struct vf {
	struct venue		 v;
	struct venue_fix_cfg	 cfg;
	struct instrument	 inst[VENUE_FIX_MAX_INST];
	int			 ninst;
	const char		*where;		/* host:port, for messages */
	struct fix_conn		*c;		/* the session, kept up */

	struct vf_order		*ord;
	int			 nord, capord;

	struct venue_event	*ev;
	size_t			 evhead, evlen, evcap;

	struct vf_query		 q;
	int			 nreq;
	struct vf_sent		 sent[VF_SENT];
	/* The emergency session: NULL when none is configured. */
	struct fix_conn		*em;
	enum vf_em		 em_state;
	bool			 in_em;		/* its message is being read */
	struct vf_sent		 em_sent[VF_SENT];
	bool			 no_mass;	/* refused once: not again */
	bool			 reconciled;	/* the restart asked its fills */
	struct tz		*tz;		/* of the session hours */
	int			 ndisc;		/* found after reconnects */
	struct fix_out		 f;
	td_ns			 now;
};

static int	vf_submit(void *, const struct venue_order *, td_ns);
static int	vf_cancel(void *, uint64_t, td_ns);
static int	vf_replace(void *, uint64_t, int64_t, td_ticks, td_ns);
static int	vf_replace_limit(void *, uint64_t, int64_t, td_ticks,
		    td_ticks, td_ns);
static int	vf_mass_cancel(void *, int, td_ns);
static int	vf_on_market(void *, const struct td_md *);
static void	vf_settle(void *);
static int	vf_poll(void *, struct venue_event *);
static int	vf_order_status(void *, uint64_t, struct venue_status *,
		    struct errmsg *);
static int	vf_mass_status(void *, venue_status_fn, void *,
		    struct errmsg *);
static int	vf_executions(void *, td_ns, venue_exec_fn, void *,
		    struct errmsg *);
static enum venue_conn vf_conn(void *);
static int	vf_fd(void *);
static void	vf_run(void *, td_ns);
static td_ns	vf_wake(void *);
static int	vf_notice(void *, int *, char *, size_t);
static td_ns	vf_heard(void *);
static int	vf_discrepancies(void *);
static void	vf_kill(void *, td_ns);
static void	vf_destroy(void *);
static bool	vf_in_hours(const struct vf *, td_ns);

static const struct venue_ops vf_ops = {
	.name = "fix",
	.wall_clock = true,
	.submit = vf_submit,
	.cancel = vf_cancel,
	.replace = vf_replace,
	.replace_limit = vf_replace_limit,
	.mass_cancel = vf_mass_cancel,
	.on_market = vf_on_market,
	.settle = vf_settle,
	.poll = vf_poll,
	.order_status = vf_order_status,
	.mass_status = vf_mass_status,
	.executions = vf_executions,
	.conn = vf_conn,
	.fd = vf_fd,
	.run = vf_run,
	.wake = vf_wake,
	.notice = vf_notice,
	.heard = vf_heard,
	.discrepancies = vf_discrepancies,
	.kill = vf_kill,
	.destroy = vf_destroy,
};

/* ------------------------------------------------------------ small */

static td_ns
vf_clock(const struct vf *v)
{
	return fix_conn_clock(v->cfg.clock, v->cfg.clock_arg);
}

/* A line for the log, through the connection's notices. */
#define vf_say(v, ...)	fix_conn_say((v)->c, __VA_ARGS__)

static bool
vf_fix42(const struct vf *v)
{
	return strcmp(v->cfg.begin, "FIX.4.2") == 0;
}

static int
vf_push(struct vf *v, const struct venue_event *ev)
{
	if (v->evlen == v->evcap) {
		size_t			 cap = v->evcap == 0 ? 64 : 2 * v->evcap;
		struct venue_event	*n = malloc(cap * sizeof *n);

		if (n == NULL)
			return -1;
		for (size_t i = 0; i < v->evlen; i++)
			n[i] = v->ev[(v->evhead + i) % v->evcap];
		free(v->ev);
		v->ev = n;
		v->evcap = cap;
		v->evhead = 0;
	}
	v->ev[(v->evhead + v->evlen++) % v->evcap] = *ev;
	return 0;
}

static void
vf_event(struct vf *v, enum venue_ev_kind kind, const struct vf_order *o,
    int64_t qty, td_ticks price, const char *reason)
{
	struct venue_event	 ev = {
		.kind = kind,
		.id = o->o.id,
		.qty = qty,
		.price = price,
		.limit = o->o.limit,
		.leaves = o->leaves,
		.time = v->now,
	};

	if (reason != NULL)
		snprintf(ev.reason, sizeof ev.reason, "%s", reason);
	if (vf_push(v, &ev) == -1)
		vf_say(v, LOG_CRITICAL, "out of memory: an event of order %llu "
		    "is lost", (unsigned long long)o->o.id);
}

static struct vf_order *
vf_find(struct vf *v, uint64_t id)
{
	for (int i = 0; i < v->nord; i++) {
		if (v->ord[i].o.id == id)
			return &v->ord[i];
	}
	return NULL;
}

/* The order a ClOrdID names: its id before any ".n". */
static struct vf_order *
vf_by_clordid(struct vf *v, const char *clordid)
{
	char		*end;
	uint64_t	 id;

	if (clordid == NULL)
		return NULL;
	errno = 0;
	id = strtoull(clordid, &end, 10);
	if (errno != 0 || end == clordid || (*end != '\0' && *end != '.'))
		return NULL;
	return vf_find(v, id);
}

static struct vf_order *
vf_add(struct vf *v, const struct venue_order *o)
{
	struct vf_order	*n;

	/* Done orders make room for new ones. */
	for (int i = 0; i < v->nord && v->nord == v->capord; i++) {
		if (v->ord[i].done && v->ord[i].pending[0] == '\0') {
			v->ord[i] = v->ord[--v->nord];
			i--;
		}
	}
	if (v->nord == v->capord) {
		int	 cap = v->capord == 0 ? 64 : 2 * v->capord;

		if (cap > VENUE_FIX_MAX_ORDERS ||
		    (n = realloc(v->ord, (size_t)cap * sizeof *n)) == NULL)
			return NULL;
		v->ord = n;
		v->capord = cap;
	}
	n = &v->ord[v->nord++];
	memset(n, 0, sizeof *n);
	n->o = *o;
	n->leaves = o->qty;
	snprintf(n->clordid, sizeof n->clordid, "%llu",
	    (unsigned long long)o->id);
	return n;
}

/* What the store keeps of an order: its ids, and what it was. */
static void
vf_keep(struct vf *v, const struct vf_order *o)
{
	struct fix_store_order	 so = { .id = o->o.id };
	struct errmsg		 err;

	snprintf(so.clordid, sizeof so.clordid, "%s", o->clordid);
	snprintf(so.orderid, sizeof so.orderid, "%s", o->orderid);
	snprintf(so.text, sizeof so.text, "%d %d %d %d %lld %lld %lld %d "
	    "%llu %lld %lld %d", o->o.inst, (int)o->o.side, (int)o->o.type,
	    (int)o->o.tif, (long long)o->o.qty, (long long)o->o.price,
	    (long long)o->o.limit, o->rev, (unsigned long long)o->o.oco,
	    (long long)o->filled, (long long)o->leaves, o->done);
	if (fix_store_order_put(fix_conn_store(v->c), &so, &err) == -1)
		vf_say(v, LOG_CRITICAL, "%s", err.msg);
}

/* An order of an earlier run, from the store, to ask about it. */
static struct vf_order *
vf_recall(struct vf *v, uint64_t id)
{
	struct fix_store_order	 so;
	struct venue_order	 vo = { .id = id };
	struct vf_order		*o;
	struct errmsg		 err;
	int			 side, type, tif, done;
	long long		 qty, price, limit, filled, leaves;
	unsigned long long	 oco;

	if (fix_store_order_get(fix_conn_store(v->c), id, &so, &err) != 1 ||
	    sscanf(so.text, "%d %d %d %d %lld %lld %lld %*d %llu %lld %lld %d",
	    &vo.inst, &side, &type, &tif, &qty, &price, &limit, &oco, &filled,
	    &leaves, &done) != 11 || vo.inst < 0 || vo.inst >= v->ninst ||
	    type < 0 || type >= ORD_NTYPES || tif < 0 || tif >= ORD_NTIFS)
		return NULL;
	vo.side = side == TD_BUY ? TD_BUY : TD_SELL;
	vo.type = (enum order_type)type;
	vo.tif = (enum order_tif)tif;
	vo.qty = qty;
	vo.price = price;
	vo.limit = limit;
	vo.oco = oco;
	if ((o = vf_add(v, &vo)) == NULL)
		return NULL;
	snprintf(o->clordid, sizeof o->clordid, "%s", so.clordid);
	snprintf(o->orderid, sizeof o->orderid, "%s", so.orderid);
	o->filled = filled;
	o->leaves = leaves;
	o->done = done != 0;
	o->acked = so.orderid[0] != '\0';
	return o;
}

/* ------------------------------------------------------------ prices */

static void
vf_out_price(struct vf *v, int tag, int inst, td_ticks t)
{
	const struct instrument	*in = &v->inst[inst];
	td_px			 px = instrument_px(in, t);
	int64_t			 div = 1;

	for (int k = in->decimals; k < 9; k++)
		div *= 10;
	fix_out_decimal(&v->f, tag, px / div, in->decimals);
}

/* A price field as ticks of inst: 0, or -1 when absent or off the grid. */
static int
vf_price(struct vf *v, const struct fix_msg *m, int tag, int inst,
    td_ticks *t)
{
	td_px	 px;
	bool	 present;

	if (fix_get_decimal(m, tag, 9, &px, &present) == -1)
		return -1;
	return instrument_ticks(&v->inst[inst], px, t, NULL);
}

static int
vf_inst(const struct vf *v, const char *symbol)
{
	for (int i = 0; symbol != NULL && i < v->ninst; i++) {
		if (strcmp(v->inst[i].symbol, symbol) == 0)
			return i;
	}
	return -1;
}

/* ------------------------------------------------------------ sending */

/* The main session is up: anything may go. */
static bool
vf_main_up(const struct vf *v)
{
	return fix_conn_ready(v->c);
}

/* The session requests go on now: the main one, else the emergency one. */
static struct fix_conn *
vf_route(const struct vf *v)
{
	if (vf_main_up(v))
		return v->c;
	if (v->em_state == VF_EM_ACTIVE && fix_conn_ready(v->em))
		return v->em;
	return NULL;
}

static bool
vf_can_send(const struct vf *v)
{
	return vf_route(v) != NULL;
}

/*
 * v->f as an application message of type, about order id (0: none): the
 * sequence number it goes with is kept, so that a session-level Reject of
 * it can be told to the order.
 */
static int
vf_send(struct vf *v, const char *type, uint64_t id)
{
	struct fix_conn	*c = vf_route(v);
	struct vf_order	*o;
	struct errmsg	 err;
	struct vf_sent	*k;
	int64_t		 seq;

	if (c == NULL || fix_conn_send(c, type, &v->f, &seq, &err) == -1) {
		vf_say(v, LOG_ERROR, "%s", c == NULL ? "no session is up" :
		    err.msg);
		return -1;
	}
	if (c == v->em && strcmp(type, "D") == 0 &&
	    (o = vf_find(v, id)) != NULL)
		o->em = true;
	k = &(c == v->em ? v->em_sent : v->sent)[seq % VF_SENT];
	k->seq = seq;
	k->id = id;
	snprintf(k->type, sizeof k->type, "%s", type);
	return 0;
}

/*
 * The question asking the status of o (id "R", "S" or "M" and a number)
 * goes out as OrdStatusReqID; FIX 4.2 has none, so o keeps which kind of
 * question asked (vf_on_status42).
 */
static void
vf_status_id(struct vf *v, struct vf_order *o, const char *id)
{
	if (!vf_fix42(v))
		fix_out_str(&v->f, 790, id);
	else
		o->asked42 |= id[0] == 'R' ? VF_ASK_RESYNC : id[0] == 'S' ?
		    VF_ASK_STATUS : VF_ASK_MASS;
}

static void
vf_order_fields(struct vf *v, const struct vf_order *o, int64_t qty,
    td_ticks price, td_ticks limit)
{
	static const char *const ordtype[ORD_NTYPES] = { "1", "2", "3", "4" };
	static const char *const tif[ORD_NTIFS] = {
		[TIF_GTC] = "1", [TIF_DAY] = "0", [TIF_IOC] = "3",
	};

	if (v->cfg.account[0] != '\0')
		fix_out_str(&v->f, 1, v->cfg.account);
	fix_out_str(&v->f, 21, "1");
	fix_out_str(&v->f, 55, v->inst[o->o.inst].symbol);
	fix_out_str(&v->f, 54, o->o.side == TD_BUY ? "1" : "2");
	fix_out_time(&v->f, 60, v->now);
	fix_out_int(&v->f, 38, qty);
	fix_out_str(&v->f, 40, ordtype[o->o.type]);
	if (o->o.type == ORD_LIMIT)
		vf_out_price(v, 44, o->o.inst, price);
	else if (o->o.type == ORD_STOP)
		vf_out_price(v, 99, o->o.inst, price);
	else if (o->o.type == ORD_STOP_LIMIT) {
		vf_out_price(v, 44, o->o.inst, limit);
		vf_out_price(v, 99, o->o.inst, price);
	}
	fix_out_str(&v->f, 59, tif[o->o.tif]);
}

static int
vf_send_new(struct vf *v, struct vf_order *o)
{
	fix_out_begin(&v->f, NULL);
	fix_out_str(&v->f, 11, o->clordid);
	vf_order_fields(v, o, o->o.qty, o->o.price, o->o.limit);
	o->wait_new = false;
	vf_keep(v, o);
	return vf_send(v, "D", o->o.id);
}

/* A new ClOrdID for a request on o. */
static void
vf_next_id(struct vf_order *o)
{
	snprintf(o->pending, sizeof o->pending, "%llu.%d",
	    (unsigned long long)o->o.id, ++o->rev);
}

static int
vf_send_cancel(struct vf *v, struct vf_order *o, bool oco)
{
	vf_next_id(o);
	o->pending_cancel = true;
	o->oco_cut = oco;
	o->wait_cancel = false;
	fix_out_begin(&v->f, NULL);
	fix_out_str(&v->f, 41, o->clordid);
	if (o->orderid[0] != '\0')
		fix_out_str(&v->f, 37, o->orderid);
	fix_out_str(&v->f, 11, o->pending);
	if (v->cfg.account[0] != '\0')
		fix_out_str(&v->f, 1, v->cfg.account);
	fix_out_str(&v->f, 55, v->inst[o->o.inst].symbol);
	fix_out_str(&v->f, 54, o->o.side == TD_BUY ? "1" : "2");
	fix_out_time(&v->f, 60, v->now);
	fix_out_int(&v->f, 38, o->o.qty);
	vf_keep(v, o);
	return vf_send(v, "F", o->o.id);
}

static int
vf_send_replace(struct vf *v, struct vf_order *o, int64_t qty, td_ticks price,
    td_ticks limit, bool oco)
{
	vf_next_id(o);
	o->pending_cancel = false;
	o->oco_cut = oco;
	o->pending_qty = qty;
	o->wait_replace = false;
	fix_out_begin(&v->f, NULL);
	fix_out_str(&v->f, 41, o->clordid);
	if (o->orderid[0] != '\0')
		fix_out_str(&v->f, 37, o->orderid);
	fix_out_str(&v->f, 11, o->pending);
	vf_order_fields(v, o, qty, price, limit);
	vf_keep(v, o);
	return vf_send(v, "G", o->o.id);
}

/* ------------------------------------------------------------ the ops */

static int
vf_submit(void *ctx, const struct venue_order *vo, td_ns now)
{
	struct vf	*v = ctx;
	struct vf_order	*o;

	v->now = vf_clock(v);	/* the session's clock, not the engine's */
	if (vo->inst < 0 || vo->inst >= v->ninst || vf_find(v, vo->id) != NULL)
		return -1;
	if (!vf_main_up(v) && !vo->reduce_only)
		return -1;	/* nothing that opens goes on a lost link */
	if ((o = vf_add(v, vo)) == NULL)
		return -1;
	if (!vf_can_send(v)) {
		o->wait_new = true;
		vf_keep(v, o);
		vf_say(v, LOG_WARNING, "order %llu waits for the link to %s",
		    (unsigned long long)vo->id, v->where);
		return 0;
	}
	vf_send_new(v, o);
	return 0;
}

static int
vf_cancel(void *ctx, uint64_t id, td_ns now)
{
	struct vf	*v = ctx;
	struct vf_order	*o = vf_find(v, id);

	v->now = vf_clock(v);
	if (o == NULL || o->done)
		return -1;
	if (o->wait_new) {
		/* It never went: it ends here. */
		o->wait_new = false;
		o->done = true;
		o->leaves = 0;
		vf_event(v, VEV_CANCELLED, o, o->filled, o->o.price,
		    "cancelled before the link came back");
		vf_keep(v, o);
		return 0;
	}
	if (!vf_can_send(v) || (o->pending[0] != '\0' && !o->pending_cancel)) {
		/* After the link, or the answer to the request out. */
		o->wait_cancel = true;
		return 0;
	}
	if (!o->pending_cancel)
		o->batch = true;	/* with the others of this turn */
	return 0;
}

static int
vf_change(struct vf *v, uint64_t id, int64_t qty, td_ticks price,
    td_ticks limit, td_ns now)
{
	struct vf_order	*o = vf_find(v, id);

	v->now = vf_clock(v);
	if (o == NULL || o->done || o->pending_cancel || o->wait_cancel)
		return -1;
	if (qty == 0)
		qty = o->o.qty;
	if (price == 0)
		price = o->o.price;
	if (limit == 0)
		limit = o->o.limit;
	if (!vf_can_send(v) || o->pending[0] != '\0' || o->wait_new) {
		/* One request at a time: this one goes when it can. */
		o->wait_replace = true;
		o->wait_qty = qty;
		o->wait_price = price;
		o->wait_limit = limit;
		return 0;
	}
	vf_send_replace(v, o, qty, price, limit, false);
	return 0;
}

static int
vf_replace(void *ctx, uint64_t id, int64_t qty, td_ticks price, td_ns now)
{
	return vf_change(ctx, id, qty, price, 0, now);
}

static int
vf_replace_limit(void *ctx, uint64_t id, int64_t qty, td_ticks price,
    td_ticks limit, td_ns now)
{
	return vf_change(ctx, id, qty, price, limit, now);
}

/* Working here and at the counterparty, nothing asked of it. */
static bool
vf_idle(const struct vf_order *o, int inst)
{
	return !o->done && !o->wait_new && o->pending[0] == '\0' &&
	    (inst < 0 || o->o.inst == inst);
}

/* One OrderMassCancelRequest for the idle orders of inst (-1: all). */
static int
vf_send_mass(struct vf *v, int inst)
{
	char	 id[32];

	snprintf(id, sizeof id, "MC%d", ++v->nreq);
	fix_out_begin(&v->f, NULL);
	fix_out_str(&v->f, 11, id);
	fix_out_str(&v->f, 530, inst >= 0 ? "1" : "7");
	if (inst >= 0)
		fix_out_str(&v->f, 55, v->inst[inst].symbol);
	fix_out_time(&v->f, 60, v->now);
	if (vf_send(v, "q", 0) == -1)
		return -1;
	for (int i = 0; i < v->nord; i++) {
		struct vf_order	*o = &v->ord[i];

		if (!vf_idle(o, inst))
			continue;
		o->batch = false;
		o->mass = o->pending_cancel = true;
		snprintf(o->pending, sizeof o->pending, "%s", id);
	}
	return 0;
}

/* FIX 4.2 has no OrderMassCancelRequest. */
static bool
vf_mass_ok(const struct vf *v)
{
	return vf_can_send(v) && !v->no_mass && !vf_fix42(v) &&
	    v->cfg.mass_cancel != VFIX_MASS_OFF;
}

/*
 * The cancels asked since the last turn go out: as one mass cancel when
 * they are every working order (and the counterparty takes those), else
 * one by one.
 */
static void
vf_flush_cancels(struct vf *v)
{
	int	 asked = 0, idle = 0;

	for (int i = 0; i < v->nord; i++) {
		asked += v->ord[i].batch;
		idle += vf_idle(&v->ord[i], -1);
	}
	if (asked == 0)
		return;
	if (asked == idle && asked >= 2 && vf_mass_ok(v) &&
	    vf_send_mass(v, -1) == 0)
		return;
	for (int i = 0; i < v->nord; i++) {
		if (v->ord[i].batch) {
			v->ord[i].batch = false;
			if (!v->ord[i].done)
				vf_send_cancel(v, &v->ord[i], false);
		}
	}
}

static int
vf_mass_cancel(void *ctx, int inst, td_ns now)
{
	struct vf	*v = ctx;
	int		 n = 0;

	v->now = vf_clock(v);
	for (int i = 0; i < v->nord; i++) {
		struct vf_order	*o = &v->ord[i];

		if (o->done || (inst >= 0 && o->o.inst != inst))
			continue;
		n++;
		if (!vf_mass_ok(v) || !vf_idle(o, inst))
			vf_cancel(v, o->o.id, now);
	}
	if (vf_mass_ok(v) && vf_send_mass(v, inst) == -1)
		return -1;
	vf_flush_cancels(v);
	return n;
}

/* The counterparty took no mass cancel: each order of it on its own. */
static void
vf_mass_refused(struct vf *v, const char *why)
{
	v->no_mass = true;
	vf_say(v, LOG_WARNING, "%s takes no mass cancel (%s): one cancel per "
	    "order from now on", v->where, why);
	for (int i = 0; i < v->nord; i++) {
		struct vf_order	*o = &v->ord[i];

		if (!o->mass || o->done)
			continue;
		o->mass = o->pending_cancel = false;
		o->pending[0] = '\0';
		vf_send_cancel(v, o, false);
	}
}

/*
 * The counterparty matches: market data is none of the venue's business.
 * Its reports come in on their own: poll is always worth asking.
 */
static int
vf_on_market(void *ctx, const struct td_md *md)
{
	(void)ctx;
	(void)md;
	return 1;
}

static void
vf_settle(void *ctx)
{
	(void)ctx;
}

static int
vf_poll(void *ctx, struct venue_event *ev)
{
	struct vf	*v = ctx;

	vf_flush_cancels(v);

	if (v->evlen == 0)
		return 0;
	*ev = v->ev[v->evhead];
	v->evhead = (v->evhead + 1) % v->evcap;
	v->evlen--;
	return 1;
}

static int
vf_notice(void *ctx, int *level, char *buf, size_t len)
{
	struct vf	*v = ctx;

	if (fix_conn_notice(v->c, level, buf, len) == 1)
		return 1;
	return v->em != NULL ? fix_conn_notice(v->em, level, buf, len) : 0;
}

static int
vf_discrepancies(void *ctx)
{
	return ((const struct vf *)ctx)->ndisc;
}

static td_ns
vf_heard(void *ctx)
{
	return fix_conn_heard(((struct vf *)ctx)->c);
}

static enum venue_conn
vf_conn(void *ctx)
{
	struct vf	*v = ctx;

	if (vf_main_up(v))
		return VENUE_UP;
	if (!vf_in_hours(v, vf_clock(v)))
		return VENUE_CLOSED;
	return fix_conn_ever_up(v->c) ? VENUE_LOST : VENUE_CONNECTING;
}

static int
vf_fd(void *ctx)
{
	return fix_conn_fd(((struct vf *)ctx)->c);
}

/* ------------------------------------------------------------ reports */

static const char *
vf_text(const struct fix_msg *m)
{
	const char	*t = fix_get(m, FIX_T_TEXT);

	return t != NULL ? t : "no reason given";
}

/* A fill of one order of an OCO group comes off the others. */
static void
vf_oco(struct vf *v, const struct vf_order *from, int64_t qty)
{
	for (int i = 0; i < v->nord; i++) {
		struct vf_order	*o = &v->ord[i];
		int64_t		 left;

		if (o == from || o->done || from->o.oco == 0 ||
		    o->o.oco != from->o.oco)
			continue;
		left = o->leaves - qty;
		if (o->pending[0] != '\0' || !vf_can_send(v)) {
			/* After the answer, or the link: as a replace. */
			o->wait_replace = left > 0;
			o->wait_cancel = left <= 0;
			o->wait_qty = o->filled + (left > 0 ? left : 0);
			o->wait_price = o->o.price;
			o->wait_limit = o->o.limit;
			continue;
		}
		if (left <= 0)
			vf_send_cancel(v, o, true);
		else
			vf_send_replace(v, o, o->filled + left, o->o.price,
			    o->o.limit, true);
	}
}

static bool
vf_quiet(const struct vf *v, const struct vf_order *o)
{
	/* An order of an earlier run: the restart's questions cover it. */
	return o->recalled && !v->reconciled;
}

static void
vf_on_fill(struct vf *v, struct vf_order *o, const struct fix_msg *m)
{
	const char		*exec_id = fix_get(m, 17);
	/* Timed when it came, on our clock: a restart's since is too. */
	struct venue_exec	 x = { .order_id = o->o.id, .inst = o->o.inst,
				    .side = o->o.side, .time = vf_clock(v) };
	struct errmsg		 err;
	int64_t			 leaves;
	bool			 present;
	int			 rc;

	if (exec_id == NULL || fix_get_int(m, 32, &x.qty, &present) == -1 ||
	    x.qty <= 0 || vf_price(v, m, 31, o->o.inst, &x.price) == -1) {
		vf_say(v, LOG_CRITICAL, "order %llu: a fill without a good "
		    "ExecID, LastQty or LastPx: %s", (unsigned long long)o->o.id,
		    "check the position at the counterparty");
		return;
	}
	x.order_filled = o->filled + x.qty;
	if ((rc = fix_store_exec(fix_conn_store(v->c), exec_id, &x, &err)) == -1)
		vf_say(v, LOG_CRITICAL, "%s", err.msg);
	if (rc == 0)
		return;		/* had it: a resend */
	o->filled += x.qty;
	if (fix_get_int(m, 151, &leaves, &present) == -1 || !present)
		leaves = o->o.qty - o->filled;
	o->leaves = leaves > 0 ? leaves : 0;
	o->done = o->leaves == 0;
	vf_keep(v, o);
	if (!vf_quiet(v, o))
		vf_event(v, VEV_FILL, o, x.qty, x.price, NULL);
	vf_oco(v, o, x.qty);
}

/* A request on o was answered: what waited behind it goes now. */
static void
vf_next_request(struct vf *v, struct vf_order *o)
{
	o->pending[0] = '\0';
	o->pending_cancel = o->oco_cut = false;
	if (o->done || !vf_can_send(v))
		return;
	if (o->wait_cancel)
		vf_send_cancel(v, o, true);
	else if (o->wait_replace)
		vf_send_replace(v, o, o->wait_qty, o->wait_price,
		    o->wait_limit, false);
}

static void
vf_on_replaced(struct vf *v, struct vf_order *o, const struct fix_msg *m)
{
	int64_t		 qty, leaves;
	td_ticks	 t;
	bool		 present, oco = o->oco_cut;

	if (o->pending[0] != '\0')
		snprintf(o->clordid, sizeof o->clordid, "%s", o->pending);
	if (fix_get_int(m, 38, &qty, &present) == 0 && present && qty > 0)
		o->o.qty = qty;
	if (o->o.type == ORD_LIMIT && vf_price(v, m, 44, o->o.inst, &t) == 0)
		o->o.price = t;
	if ((o->o.type == ORD_STOP || o->o.type == ORD_STOP_LIMIT) &&
	    vf_price(v, m, 99, o->o.inst, &t) == 0)
		o->o.price = t;
	if (o->o.type == ORD_STOP_LIMIT &&
	    vf_price(v, m, 44, o->o.inst, &t) == 0)
		o->o.limit = t;
	if (fix_get_int(m, 151, &leaves, &present) == 0 && present)
		o->leaves = leaves;
	else
		o->leaves = o->o.qty - o->filled;
	vf_keep(v, o);
	if (!vf_quiet(v, o))
		vf_event(v, oco ? VEV_REDUCED : VEV_REPLACED, o, o->o.qty,
		    o->o.price, NULL);
	vf_next_request(v, o);
}

static void
vf_on_gone(struct vf *v, struct vf_order *o, const struct fix_msg *m,
    const char *et)
{
	char	 why[96];

	if (*et == 'C' || *et == '3')
		snprintf(why, sizeof why, "expired: %s", vf_text(m));
	else if (o->oco_cut)
		snprintf(why, sizeof why, "oco");
	else if (o->pending_cancel)
		snprintf(why, sizeof why, "cancelled");
	else
		snprintf(why, sizeof why, "cancelled by the venue: %s",
		    vf_text(m));
	o->done = true;
	o->leaves = 0;
	o->pending[0] = '\0';
	o->mass = o->batch = false;
	vf_keep(v, o);
	if (!vf_quiet(v, o))
		vf_event(v, VEV_CANCELLED, o, o->filled, o->o.price, why);
}

static void
vf_on_restated(struct vf *v, struct vf_order *o, const struct fix_msg *m)
{
	int64_t	 qty, leaves;
	bool	 present;
	char	 why[96];

	if (fix_get_int(m, 38, &qty, &present) == -1 || !present ||
	    qty < o->filled || qty == o->o.qty) {
		vf_say(v, LOG_WARNING, "order %llu restated by the venue: %s",
		    (unsigned long long)o->o.id, vf_text(m));
		return;
	}
	o->o.qty = qty;
	if (fix_get_int(m, 151, &leaves, &present) == 0 && present)
		o->leaves = leaves;
	else
		o->leaves = qty - o->filled;
	snprintf(why, sizeof why, "restated: %s", vf_text(m));
	vf_keep(v, o);
	if (!vf_quiet(v, o))
		vf_event(v, VEV_REDUCED, o, qty, o->o.price, why);
}

/* The counterparty's word on one order, as a status. */
static void
vf_status_of(struct vf *v, const struct fix_msg *m, uint64_t id,
    struct venue_status *st)
{
	const char	*os = fix_get(m, 39);
	const char	*sym = fix_get(m, 55);
	int64_t		 n;
	bool		 present;
	int		 inst = vf_inst(v, sym);

	memset(st, 0, sizeof *st);
	st->order.id = id;
	st->order.inst = inst;
	st->order.side = fix_get(m, 54) != NULL &&
	    strcmp(fix_get(m, 54), "2") == 0 ? TD_SELL : TD_BUY;
	if (fix_get_int(m, 38, &n, &present) == 0)
		st->order.qty = n;
	if (fix_get_int(m, 14, &n, &present) == 0)
		st->filled = n;
	if (fix_get_int(m, 151, &n, &present) == 0)
		st->leaves = n;
	if (inst >= 0 && vf_price(v, m, 99, inst, &st->order.price) == -1)
		vf_price(v, m, 44, inst, &st->order.price);
	if (os == NULL || strchr("01AE6", *os) != NULL) {
		st->state = os == NULL ? VOS_UNKNOWN : VOS_WORKING;
		return;
	}
	st->leaves = 0;
	st->state = *os == '2' ? VOS_FILLED :
	    strchr("4C38", *os) != NULL ? VOS_CANCELLED : VOS_UNKNOWN;
}

/*
 * The counterparty's word on an order after a reconnect: an order that is
 * gone there ends here too, and fills it made that were never reported
 * leave the books wrong; either is a discrepancy.
 */
static void
vf_on_resync(struct vf *v, struct vf_order *o, const struct fix_msg *m)
{
	struct venue_status	 st;

	if (o == NULL || o->done)
		return;
	vf_status_of(v, m, o->o.id, &st);
	if (st.filled > o->filled) {
		v->ndisc++;
		vf_say(v, LOG_CRITICAL, "order %llu: the counterparty has %lld "
		    "filled, %lld reported: check the position with the broker",
		    (unsigned long long)o->o.id, (long long)st.filled,
		    (long long)o->filled);
	}
	if (st.state == VOS_WORKING)
		return;
	v->ndisc++;
	o->done = true;
	o->leaves = 0;
	o->pending[0] = '\0';
	vf_keep(v, o);
	vf_event(v, VEV_CANCELLED, o, o->filled, o->o.price, "not working at "
	    "the venue after the reconnect");
}

/* FIX 4.2: an answer of mass_status's still to come? */
static bool
vf_mass_asking42(const struct vf *v)
{
	for (int i = 0; i < v->nord; i++) {
		if (v->ord[i].asked42 & VF_ASK_MASS)
			return true;
	}
	return false;
}

/*
 * FIX 4.2: a status answer (ExecTransType 3) on o goes to every question
 * that asked it: the reconnect's, order_status's, mass_status's.  One
 * answer serves them all; a second one, or one nobody asked for, is
 * news to nobody.
 */
static void
vf_on_status42(struct vf *v, struct vf_order *o, const struct fix_msg *m)
{
	struct venue_status	 st;
	unsigned		 asked;

	if (o == NULL || o->asked42 == 0)
		return;
	asked = o->asked42;
	o->asked42 = 0;
	vf_status_of(v, m, o->o.id, &st);
	if (asked & VF_ASK_RESYNC)
		vf_on_resync(v, o, m);
	if ((asked & VF_ASK_STATUS) && v->q.active && v->q.fn == NULL &&
	    v->q.order == o->o.id) {
		v->q.st = st;
		v->q.done = true;
	}
	if ((asked & VF_ASK_MASS) && v->q.active && v->q.fn != NULL) {
		if (v->q.stop == 0 && st.state == VOS_WORKING)
			v->q.stop = v->q.fn(v->q.arg, &st);
		v->q.done = !vf_mass_asking42(v);
	}
}

/* An answer to OrderStatusRequest or OrderMassStatusRequest. */
static void
vf_on_status(struct vf *v, struct vf_order *o, const struct fix_msg *m)
{
	const char		*req = fix_get(m, 790);
	const char		*mreq = fix_get(m, 584);
	const char		*last = fix_get(m, 912);
	struct venue_status	 st = { .state = VOS_UNKNOWN };
	bool			 mine;

	if (vf_fix42(v)) {
		vf_on_status42(v, o, m);
		return;
	}
	if (req != NULL && req[0] == 'R') {
		vf_on_resync(v, o, m);
		return;
	}
	mine = v->q.active && ((req != NULL && strcmp(req, v->q.id) == 0) ||
	    (mreq != NULL && strcmp(mreq, v->q.id) == 0));
	if (!mine)
		return;
	if (o != NULL)
		vf_status_of(v, m, o->o.id, &st);
	if (v->q.fn == NULL) {
		if (o != NULL && o->o.id == v->q.order)
			v->q.st = st;
		v->q.done = true;
		return;
	}
	if (o != NULL && v->q.stop == 0 && st.state == VOS_WORKING)
		v->q.stop = v->q.fn(v->q.arg, &st);
	if (last == NULL || strcmp(last, "Y") == 0)
		v->q.done = true;
}

static struct vf_order *
vf_report_order(struct vf *v, const struct fix_msg *m)
{
	struct vf_order	*o = vf_by_clordid(v, fix_get(m, 11));
	const char	*id = fix_get(m, 11);

	if (o == NULL)
		o = vf_by_clordid(v, id = fix_get(m, 41));
	if (o == NULL && id != NULL) {
		/* An order of an earlier run: the store remembers it. */
		if ((o = vf_recall(v, strtoull(id, NULL, 10))) != NULL)
			o->recalled = true;
	}
	return o;
}

/*
 * FIX 4.2's ExecTransType as 4.4's ExecType: 3 (status) is I, 1 (cancel)
 * H, 2 (correct) G; 0 (new) leaves ExecType as it is.  A status answer
 * has the order's status for ExecType, which is no fill.
 */
static const char *
vf_exec_type42(const struct fix_msg *m, const char *et)
{
	const char	*ett = fix_get(m, 20);

	if (ett == NULL || strlen(ett) != 1)
		return et;
	return *ett == '3' ? "I" : *ett == '1' ? "H" : *ett == '2' ? "G" : et;
}

static void
vf_on_exec(struct vf *v, const struct fix_msg *m)
{
	const char	*et = fix_get(m, 150), *oid = fix_get(m, 37);
	struct vf_order	*o = vf_report_order(v, m);

	if (vf_fix42(v))
		et = vf_exec_type42(m, et);
	if (et != NULL && strcmp(et, "I") == 0) {
		vf_on_status(v, o, m);
		return;
	}
	if (o == NULL || et == NULL) {
		vf_say(v, LOG_WARNING, "execution report for order %s that is "
		    "not ours: %s", fix_get(m, 11) != NULL ? fix_get(m, 11) :
		    "(none)", vf_text(m));
		return;
	}
	if (oid != NULL)
		snprintf(o->orderid, sizeof o->orderid, "%s", oid);
	switch (*et) {
	case '0':
		if (!o->acked) {
			o->acked = true;
			vf_keep(v, o);
			if (!vf_quiet(v, o))
				vf_event(v, VEV_ACK, o, o->o.qty, o->o.price,
				    NULL);
		}
		break;
	case '1': case '2': case 'F':
		o->acked = true;
		vf_on_fill(v, o, m);
		break;
	case '4': case 'C': case '3':
		vf_on_gone(v, o, m, et);
		break;
	case '5':
		vf_on_replaced(v, o, m);
		break;
	case '8':
		o->done = true;
		o->leaves = 0;
		vf_keep(v, o);
		if (!vf_quiet(v, o))
			vf_event(v, VEV_REJECT, o, 0, 0, vf_text(m));
		vf_oco(v, o, 0);
		break;
	case 'D':
		vf_on_restated(v, o, m);
		break;
	case 'G': case 'H':
		vf_say(v, LOG_CRITICAL, "order %llu: the venue %s a trade (%s): "
		    "check the position with the broker",
		    (unsigned long long)o->o.id, *et == 'H' ? "cancelled" :
		    "corrected", vf_text(m));
		break;
	default:
		break;		/* pending states: the answer follows */
	}
}

static void
vf_on_cancel_reject(struct vf *v, const struct fix_msg *m)
{
	struct vf_order	*o = vf_report_order(v, m);
	char		 why[96];

	if (o == NULL) {
		vf_say(v, LOG_WARNING, "cancel refused for an order that is not "
		    "ours: %s", vf_text(m));
		return;
	}
	if (o->oco_cut)
		vf_say(v, LOG_CRITICAL, "order %llu: the OCO reduction was "
		    "refused (%s): both orders of the group may fill",
		    (unsigned long long)o->o.id, vf_text(m));
	snprintf(why, sizeof why, "%s", vf_text(m));
	if (!vf_quiet(v, o))
		vf_event(v, VEV_CANCEL_REJECT, o, o->o.qty, o->o.price, why);
	vf_next_request(v, o);
}

static void
vf_on_business_reject(struct vf *v, const struct fix_msg *m)
{
	const char	*ref = fix_get(m, 372), *id = fix_get(m, 379);
	struct vf_order	*o = vf_by_clordid(v, id);
	char		 why[96];

	snprintf(why, sizeof why, "business reject: %s", vf_text(m));
	if (ref != NULL && (strcmp(ref, "AF") == 0 || strcmp(ref, "H") == 0) &&
	    v->q.active) {
		v->q.refused = v->q.done = true;
		return;
	}
	if (ref != NULL && strcmp(ref, "q") == 0) {
		vf_mass_refused(v, vf_text(m));
		return;
	}
	if (o == NULL || ref == NULL) {
		vf_say(v, LOG_ERROR, "%s", why);
		return;
	}
	if (strcmp(ref, "D") == 0 && !o->acked) {
		o->done = true;
		o->leaves = 0;
		vf_event(v, VEV_REJECT, o, 0, 0, why);
	} else {
		vf_event(v, VEV_CANCEL_REJECT, o, o->o.qty, o->o.price, why);
		vf_next_request(v, o);
	}
}

/*
 * A session-level Reject of one of ours: an order it was for is rejected
 * (a new one) or its request refused (a cancel or replace); a question
 * is refused.
 */
static void
vf_on_session_reject(struct vf *v, const struct fix_msg *m)
{
	const struct vf_sent	*k;
	struct vf_order		*o;
	int64_t			 ref;
	bool			 present;
	char			 why[96];

	if (fix_get_int(m, FIX_T_REF_SEQ_NUM, &ref, &present) == -1 ||
	    ref < 1 || (k = &(v->in_em ? v->em_sent : v->sent)[ref %
	    VF_SENT])->seq != ref)
		return;
	snprintf(why, sizeof why, "session reject: %s", vf_text(m));
	if ((strcmp(k->type, "H") == 0 || strcmp(k->type, "AF") == 0) &&
	    v->q.active) {
		v->q.refused = v->q.done = true;
		return;
	}
	if (k->id == 0 || (o = vf_find(v, k->id)) == NULL || o->done)
		return;
	if (strcmp(k->type, "D") == 0) {
		o->done = true;
		o->leaves = 0;
		vf_keep(v, o);
		vf_event(v, VEV_REJECT, o, 0, 0, why);
	} else if (strcmp(k->type, "F") == 0 || strcmp(k->type, "G") == 0) {
		vf_event(v, VEV_CANCEL_REJECT, o, o->o.qty, o->o.price, why);
		vf_next_request(v, o);
	}
}

static void
vf_on_mass_cancel_report(struct vf *v, const struct fix_msg *m)
{
	const char	*resp = fix_get(m, 531);

	if (resp == NULL || strcmp(resp, "0") != 0)
		return;		/* accepted: each cancel is reported */
	vf_mass_refused(v, vf_text(m));
}

/* ------------------------------------------------------------ session */

static void
vf_cb_app(void *arg, const struct fix_msg *m, bool possdup)
{
	struct vf	*v = arg;

	if (strcmp(m->type, "8") == 0)
		vf_on_exec(v, m);
	else if (strcmp(m->type, "9") == 0)
		vf_on_cancel_reject(v, m);
	else if (strcmp(m->type, "j") == 0)
		vf_on_business_reject(v, m);
	else if (strcmp(m->type, "r") == 0)
		vf_on_mass_cancel_report(v, m);
	else if (strcmp(m->type, "3") == 0)
		vf_on_session_reject(v, m);
	else
		vf_say(v, LOG_INFO, "%s: message type %s not used here",
		    v->where, m->type);
}

/* ------------------------------------------------------------ hours */

static bool
vf_all_day(const struct vf *v)
{
	return v->cfg.session_open == v->cfg.session_close;
}

static bool
vf_in_hours(const struct vf *v, td_ns now)
{
	struct tz_tm	 tm;
	int		 m, open = v->cfg.session_open, close = v->cfg.session_close;

	if (vf_all_day(v))
		return true;
	tz_to_local(v->tz, now, &tm);
	m = tm.hour * 60 + tm.min;
	return open < close ? m >= open && m < close : m >= open || m < close;
}

/* The next opening of the session hours after now. */
static td_ns
vf_next_open(const struct vf *v, td_ns now)
{
	struct tz_tm	 tm;
	td_ns		 t;

	tz_to_local(v->tz, now, &tm);
	for (int d = 0; d < 3; d++) {
		t = tz_to_utc(v->tz, tm.year, tm.mon, tm.mday + d,
		    v->cfg.session_open / 60, v->cfg.session_open % 60, 0);
		if (t > now)
			return t;
	}
	return now + 24 * 3600 * VF_SEC;
}

/* ------------------------------------------------------------ the link */

/* Logged on and the resend done: what waited goes, cancels first. */
static void
vf_flush(struct vf *v)
{
	for (int pass = 0; pass < 3; pass++) {
		for (int i = 0; i < v->nord; i++) {
			struct vf_order	*o = &v->ord[i];

			if (pass == 0 && o->wait_cancel && !o->done &&
			    o->pending[0] == '\0')
				vf_send_cancel(v, o, false);
			else if (pass == 1 && o->wait_new)
				vf_send_new(v, o);
			else if (pass == 2 && o->wait_replace && !o->done &&
			    o->pending[0] == '\0')
				vf_send_replace(v, o, o->wait_qty, o->wait_price,
				    o->wait_limit, false);
		}
	}
}

/* v->f as the OrderStatusRequest of o, under the request id. */
static void
vf_status_request(struct vf *v, struct vf_order *o, const char *id)
{
	fix_out_begin(&v->f, NULL);
	vf_status_id(v, o, id);
	fix_out_str(&v->f, 11, o->clordid);
	if (o->orderid[0] != '\0')
		fix_out_str(&v->f, 37, o->orderid);
	fix_out_str(&v->f, 55, v->inst[o->o.inst].symbol);
	fix_out_str(&v->f, 54, o->o.side == TD_BUY ? "1" : "2");
}

/* After a reconnect: the counterparty's word on each order still live. */
static void
vf_ask_all(struct vf *v)
{
	for (int i = 0; i < v->nord; i++) {
		struct vf_order	*o = &v->ord[i];
		char		 id[32];

		if (o->done || o->wait_new)
			continue;
		snprintf(id, sizeof id, "R%d", ++v->nreq);
		vf_status_request(v, o, id);
		vf_send(v, "H", o->o.id);
	}
}

/* Logged on, the resend done: what waited goes; after a reconnect, ask. */
static void
vf_became_ready(struct vf *v, bool again)
{
	vf_flush(v);
	if (again)
		vf_ask_all(v);
}

/* ------------------------------------------------------------ emergency */

static void
vf_cb_em(void *arg, const struct fix_msg *m, bool possdup)
{
	struct vf	*v = arg;

	v->in_em = true;
	vf_cb_app(v, m, possdup);
	v->in_em = false;
}

/* An order the emergency session placed is still working. */
static bool
vf_em_working(const struct vf *v)
{
	for (int i = 0; i < v->nord; i++)
		if (v->ord[i].em && !v->ord[i].done)
			return true;
	return false;
}

/*
 * The emergency session is up and the main one is not: the account's
 * orders cancelled at once where the counterparty takes a mass cancel,
 * then what waited for the link.
 */
static void
vf_em_kill(struct vf *v)
{
	bool	 mass = vf_mass_ok(v) && vf_send_mass(v, -1) == 0;
	int	 waiting = 0;

	for (int i = 0; i < v->nord; i++) {
		if (v->ord[i].mass)
			v->ord[i].wait_cancel = false;
		waiting += v->ord[i].wait_new || v->ord[i].wait_cancel;
	}
	vf_say(v, LOG_WARNING, "kill: the emergency session to %s is up: %s"
	    "%d waiting request%s go on it", fix_conn_where(v->em), mass ?
	    "a mass cancel of the account and " : "", waiting, waiting == 1 ?
	    "" : "s");
	vf_flush(v);
}

static void
vf_run_em(struct vf *v, td_ns now)
{
	if (v->em_state == VF_EM_IDLE)
		return;
	if (fix_conn_run(v->em, now) == 1 && v->em_state == VF_EM_ACTIVE &&
	    !vf_main_up(v))
		vf_em_kill(v);
	if (v->em_state == VF_EM_ACTIVE && vf_main_up(v) &&
	    !vf_em_working(v)) {
		v->em_state = VF_EM_CLOSING;
		fix_conn_hold(v->em, INT64_MAX, "the main session is back");
	}
	if (v->em_state == VF_EM_CLOSING && fix_conn_down(v->em))
		v->em_state = VF_EM_IDLE;
}

/* The kill switch: while the main session is down, the emergency one. */
static void
vf_kill(void *ctx, td_ns now)
{
	struct vf	*v = ctx;

	if (v->em == NULL || vf_main_up(v))
		return;
	if (v->em_state == VF_EM_ACTIVE) {
		if (fix_conn_ready(v->em))
			vf_flush(v);
		return;
	}
	vf_say(v, LOG_WARNING, "kill: %s is down: the emergency session to "
	    "%s connects", v->where, fix_conn_where(v->em));
	if (v->em_state == VF_EM_CLOSING)
		fix_conn_hold(v->em, 0, NULL);
	v->em_state = VF_EM_ACTIVE;
	vf_run_em(v, vf_clock(v));
}

/* ------------------------------------------------------------ running */

static void
vf_run(void *ctx, td_ns now)
{
	struct vf	*v = ctx;
	bool		 again = fix_conn_ever_up(v->c);

	v->now = now;
	vf_flush_cancels(v);
	if (!vf_in_hours(v, now))
		fix_conn_hold(v->c, vf_next_open(v, now),
		    "outside the session hours");
	if (fix_conn_run(v->c, now) == 1)
		vf_became_ready(v, again);
	vf_run_em(v, now);
}

/*
 * The main session's next turn; while the emergency session is open,
 * every VF_EM_TURN too (the runner watches one descriptor, the main's).
 */
static td_ns
vf_wake(void *ctx)
{
	struct vf	*v = ctx;
	td_ns		 t = fix_conn_wake(v->c), e;

	if (v->em_state == VF_EM_IDLE)
		return t;
	e = fix_conn_wake(v->em);
	if (e > v->now + VF_EM_TURN)
		e = v->now + VF_EM_TURN;
	return e < t ? e : t;
}

/* ------------------------------------------------------------ questions */

/* Run the venue until done says so, or query_timeout. */
static int
vf_wait(struct vf *v, bool (*done)(void *), const char *what,
    struct errmsg *err)
{
	return fix_conn_wait(v->c, v->cfg.clock, v->cfg.clock_arg, done, v,
	    v->cfg.query_timeout, what, err);
}

/* Questions go on the main session only (vf_wait runs no other). */
static bool
vf_is_ready(void *arg)
{
	return vf_main_up(arg);
}

static bool
vf_answered(void *arg)
{
	const struct vf	*v = arg;

	return v->q.done || !vf_main_up(v);
}

static int
vf_ask(struct vf *v, const char *type, const char *what, struct errmsg *err)
{
	v->q.done = v->q.refused = false;
	v->q.stop = 0;
	v->q.active = true;
	if (vf_send(v, type, 0) == -1) {
		v->q.active = false;
		return errmsg_set(err, "%s: %s: the session cannot take it",
		    v->where, what);
	}
	if (vf_wait(v, vf_answered, what, err) == -1) {
		v->q.active = false;
		return -1;
	}
	v->q.active = false;
	if (!v->q.done)
		return errmsg_set(err, "%s: %s: the link went down", v->where,
		    what);
	return 0;
}

static int
vf_order_status(void *ctx, uint64_t id, struct venue_status *st,
    struct errmsg *err)
{
	struct vf	*v = ctx;
	struct vf_order	*o = vf_find(v, id);

	memset(st, 0, sizeof *st);
	st->order.id = id;
	if (o == NULL && (o = vf_recall(v, id)) != NULL)
		o->recalled = true;
	if (o == NULL)
		return 0;		/* never placed here: unknown */
	if (vf_wait(v, vf_is_ready, "order status", err) == -1)
		return -1;
	v->q = (struct vf_query){ .order = id };
	snprintf(v->q.id, sizeof v->q.id, "S%d", ++v->nreq);
	vf_status_request(v, o, v->q.id);
	if (vf_ask(v, "H", "order status", err) == -1)
		return -1;
	if (!v->q.refused)
		*st = v->q.st;
	st->order.id = id;
	return 0;
}

/* FIX 4.2: the orders of the store that were working when last heard of. */
struct vf_ids42 {
	uint64_t	*id;
	int		 n, cap;
	bool		 nomem;
};

static int
vf_working42(void *arg, const struct fix_store_order *so)
{
	struct vf_ids42	*w = arg;
	const char	*done = strrchr(so->text, ' ');	/* vf_keep's last */
	uint64_t	*n;

	if (done == NULL || strcmp(done, " 0") != 0)
		return 0;
	if (w->n == w->cap) {
		w->cap = w->cap == 0 ? 16 : 2 * w->cap;
		if ((n = realloc(w->id, (size_t)w->cap * sizeof *n)) == NULL) {
			w->nomem = true;
			return -1;
		}
		w->id = n;
	}
	w->id[w->n++] = so->id;
	return 0;
}

/* FIX 4.2: OrderStatusRequest of order id, for mass_status. */
static int
vf_ask_one42(struct vf *v, uint64_t id)
{
	struct vf_order	*o = vf_find(v, id);

	if (o == NULL && (o = vf_recall(v, id)) != NULL)
		o->recalled = true;
	if (o == NULL)
		return -1;
	if (o->done || o->wait_new)
		return 0;
	vf_status_request(v, o, v->q.id);
	if (vf_send(v, "H", o->o.id) == -1)
		o->asked42 &= ~VF_ASK_MASS;
	return 0;
}

/*
 * FIX 4.2 has no OrderMassStatusRequest: each order the store knows as
 * working (of this run or an earlier one) is asked on its own, and the
 * question is answered once each has answered.
 */
static int
vf_mass_status42(struct vf *v, venue_status_fn fn, void *arg,
    struct errmsg *err)
{
	struct vf_ids42	 w = { 0 };
	int		 rc = 0;

	for (int i = 0; i < v->nord; i++)
		v->ord[i].asked42 &= ~VF_ASK_MASS;
	if (fix_store_orders(fix_conn_store(v->c), vf_working42, &w,
	    err) == -1 || w.nomem) {
		free(w.id);
		return w.nomem ? errmsg_set(err, "out of memory") : -1;
	}
	v->q = (struct vf_query){ .fn = fn, .arg = arg, .active = true };
	snprintf(v->q.id, sizeof v->q.id, "M%d", ++v->nreq);
	for (int i = 0; i < w.n && rc == 0; i++) {
		if ((rc = vf_ask_one42(v, w.id[i])) == -1)
			errmsg_set(err, "%s: mass status: order %llu of the "
			    "store cannot be asked about", v->where,
			    (unsigned long long)w.id[i]);
	}
	free(w.id);
	v->q.done = !vf_mass_asking42(v);
	if (rc == 0 && !v->q.done)
		rc = vf_wait(v, vf_answered, "mass status", err);
	v->q.active = false;
	if (rc == -1)
		return -1;
	if (!v->q.done)
		return errmsg_set(err, "%s: mass status: the link went down",
		    v->where);
	if (v->q.refused)
		return errmsg_set(err, "%s: mass status: the counterparty "
		    "refused an order status request", v->where);
	return 0;
}

static int
vf_mass_status(void *ctx, venue_status_fn fn, void *arg, struct errmsg *err)
{
	struct vf	*v = ctx;

	if (vf_wait(v, vf_is_ready, "mass status", err) == -1)
		return -1;
	if (vf_fix42(v))
		return vf_mass_status42(v, fn, arg, err);
	v->q = (struct vf_query){ .fn = fn, .arg = arg };
	snprintf(v->q.id, sizeof v->q.id, "M%d", ++v->nreq);
	fix_out_begin(&v->f, NULL);
	fix_out_str(&v->f, 584, v->q.id);
	fix_out_str(&v->f, 585, "7");
	if (vf_ask(v, "AF", "mass status", err) == -1)
		return -1;
	if (v->q.refused)
		return errmsg_set(err, "%s: the counterparty takes no order "
		    "mass status request", v->where);
	return 0;
}

static int
vf_executions(void *ctx, td_ns since, venue_exec_fn fn, void *arg,
    struct errmsg *err)
{
	struct vf	*v = ctx;

	/* The resend after the logon brings what was missed first. */
	if (vf_wait(v, vf_is_ready, "executions", err) == -1)
		return -1;
	if (fix_store_execs(fix_conn_store(v->c), since, fn, arg, err) == -1)
		return -1;
	v->reconciled = true;
	return 0;
}

/* ------------------------------------------------------------ life */

void
venue_fix_defaults(struct venue_fix_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->begin, sizeof cfg->begin, "FIX.4.4");
	cfg->heartbeat = 30;
	cfg->tls_verify = true;
	cfg->backoff_min = VF_SEC;
	cfg->backoff_max = 60 * VF_SEC;
	cfg->query_timeout = 10 * VF_SEC;
	cfg->mass_cancel = VFIX_MASS_AUTO;
}

/* What the main and the emergency session have in common. */
static struct fix_conn_cfg
vf_conn_cfg(const struct venue_fix_cfg *f)
{
	return (struct fix_conn_cfg){
		.host = f->host, .port = f->port, .tls = f->tls,
		.tls_verify = f->tls_verify,
		.tls_ca_file = f->tls_ca_file[0] != '\0' ? f->tls_ca_file :
		    NULL,
		.begin = f->begin, .sender = f->sender, .target = f->target,
		.username = f->username[0] != '\0' ? f->username : NULL,
		.password = f->password[0] != '\0' ? f->password : NULL,
		.heartbeat = f->heartbeat, .reset_on_logon = f->reset_on_logon,
		.backoff_min = f->backoff_min, .backoff_max = f->backoff_max,
		.seed = f->seed,
		.msglog = f->msglog[0] != '\0' ? f->msglog : NULL,
	};
}

static int
vf_connection(struct vf *v, const char *store_path, struct errmsg *err)
{
	const struct venue_fix_cfg	*f = &v->cfg;
	struct fix_out			 cod;
	struct fix_conn_cfg		 cc = vf_conn_cfg(f);
	struct fix_conn_cb		 cb = { .arg = v, .app = vf_cb_app };

	if (f->cod_tag > 0) {
		fix_out_begin(&cod, NULL);
		fix_out_str(&cod, f->cod_tag, "Y");
		cc.logon_fields = &cod;
	}
	if ((v->c = fix_conn_create(&cc, &cb, err)) == NULL ||
	    (store_path != NULL && fix_conn_open_store(v->c, store_path,
	    err) == -1))
		return -1;
	v->where = fix_conn_where(v->c);
	return 0;
}

/* The emergency session, when there is one: made, not connected. */
static int
vf_em_connection(struct vf *v, const char *store_path, struct errmsg *err)
{
	const struct venue_fix_em	*em = &v->cfg.em;
	struct fix_conn_cfg		 cc = vf_conn_cfg(&v->cfg);
	struct fix_conn_cb		 cb = { .arg = v, .app = vf_cb_em };

	if (em->port == 0)
		return 0;
	if (em->host[0] != '\0')
		cc.host = em->host;
	cc.port = em->port;
	cc.sender = em->sender;
	cc.target = em->target;
	cc.msglog = em->msglog[0] != '\0' ? em->msglog : NULL;
	if ((v->em = fix_conn_create(&cc, &cb, err)) == NULL ||
	    (store_path != NULL && fix_conn_open_store(v->em, store_path,
	    err) == -1)) {
		errmsg_prefix(err, "emergency session");
		return -1;
	}
	return 0;
}

struct venue *
venue_fix_create(const struct venue_fix_cfg *cfg, const struct instrument *inst,
    int ninst, const char *store_path, struct errmsg *err)
{
	struct vf	*v;

	if (ninst < 1 || ninst > VENUE_FIX_MAX_INST) {
		errmsg_set(err, "fix venue: %d instruments (1..%d)", ninst,
		    VENUE_FIX_MAX_INST);
		return NULL;
	}
	if (cfg->port < 1 || cfg->port > 65535 || cfg->host[0] == '\0') {
		errmsg_set(err, "fix venue: host and port 1..65535 needed");
		return NULL;
	}
	if ((v = calloc(1, sizeof *v)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	v->cfg = *cfg;
	if (v->cfg.query_timeout <= 0)
		v->cfg.query_timeout = 10 * VF_SEC;
	memcpy(v->inst, inst, (size_t)ninst * sizeof *inst);
	v->ninst = ninst;
	if ((v->tz = tz_load(cfg->session_tz[0] != '\0' ? cfg->session_tz :
	    "UTC", err)) == NULL) {
		free(v);
		return NULL;
	}
	v->where = "";
	v->v.ops = &vf_ops;
	v->v.ctx = v;
	if (vf_connection(v, store_path, err) == -1 ||
	    vf_em_connection(v, store_path, err) == -1) {
		vf_destroy(v);
		return NULL;
	}
	return &v->v;
}

int
venue_fix_open_store(struct venue *vv, const char *path, struct errmsg *err)
{
	struct vf	*v = vv->ctx;

	if (fix_conn_open_store(v->c, path, err) == -1)
		return -1;
	if (v->em != NULL && fix_conn_open_store(v->em, path, err) == -1) {
		errmsg_prefix(err, "emergency session");
		return -1;
	}
	return 0;
}

static void
vf_destroy(void *ctx)
{
	struct vf	*v = ctx;

	fix_conn_free(v->c);
	fix_conn_free(v->em);
	free(v->ord);
	free(v->ev);
	tz_free(v->tz);
	free(v);
}

void
venue_fix_free(struct venue *v)
{
	if (v != NULL)
		vf_destroy(v->ctx);
}
