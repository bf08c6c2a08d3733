/*
 * snap-obs.c -- the console's observer (snap-obs.h): the blotter ring (its
 * length given at create) and a ring of closes per instrument.
 *
 * A blotter row is written whole when its event is heard, with its prices
 * formatted for the instrument (instrument_format) and its names copied,
 * so that filling a snapshot is a copy.  The rings overwrite their oldest
 * entry when full.
 */
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "instrument.h"
#include "order-mgr.h"
#include "snap-obs.h"

struct snap_spark {
	int		 n;
	int		 head;		/* next slot */
	td_ticks	 close[SNAP_SPARK];
};

/* The chart's rings of one instrument: bars and fills. */
struct snap_chart {
	uint64_t		 bars;
	int			 head;		/* next candle slot */
	int			 n;
	struct snap_candle	 candle[SNAP_CANDLES];
	uint64_t		 fills;
	int			 mhead;
	int			 nmark;
	struct snap_mark	 mark[SNAP_MARKS];
};

struct snap_obs {
	struct snap_chart	*chart;		/* per instrument */
	int			 nequity;	/* the curve, oldest first */
	struct snap_point	 equity[SNAP_EQUITY];
	struct snap_blot	*blot;		/* the ring, blot_len rows */
	int			 blot_len;
	int			 blot_head;	/* next slot */
	int			 nblot;
	int			 ninst;
	struct snap_spark	*spark;		/* per instrument */
};

struct snap_obs *
snap_obs_create(int ninst, int blotter, struct errmsg *err)
{
	struct snap_obs	*so;

	if (ninst < 1 || ninst > 1000000) {
		errmsg_set(err, "snapshot observer: %d instruments", ninst);
		return NULL;
	}
	if (blotter < 1 || blotter > 1000000) {
		errmsg_set(err, "snapshot observer: %d blotter rows", blotter);
		return NULL;
	}
	if ((so = calloc(1, sizeof *so)) == NULL ||
	    (so->spark = calloc((size_t)ninst, sizeof *so->spark)) == NULL ||
	    (so->chart = calloc((size_t)ninst, sizeof *so->chart)) == NULL ||
	    (so->blot = calloc((size_t)blotter, sizeof *so->blot)) == NULL) {
		snap_obs_free(so);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	so->ninst = ninst;
	so->blot_len = blotter;
	return so;
}

void
snap_obs_free(struct snap_obs *so)
{
	if (so == NULL)
		return;
	free(so->spark);
	free(so->chart);
	free(so->blot);
	free(so);
}

static void
snap_obs_px(const struct instrument *in, td_ticks t, char *buf, size_t len)
{
	if (in != NULL)
		instrument_format(in, t, buf, len);
	else
		buf[0] = '\0';
}

/*
 * A row: an order as an update left it, or a fill of ev->qty at
 * ev->price (its time the order's last change, the fill's).
 */
static void
snap_obs_blot(struct snap_obs *so, const struct engine_ev *ev, bool fill)
{
	struct snap_blot	*b = &so->blot[so->blot_head];
	const struct order	*o = ev->order;

	b->time = fill ? o->updated : ev->time;
	b->id = o->id;
	b->fill = fill;
	snapshot_name(b->symbol, sizeof b->symbol, ev->instrument != NULL ?
	    ev->instrument->symbol : "");
	snapshot_name(b->side, sizeof b->side, o->side == TD_BUY ? "buy" :
	    "sell");
	snapshot_name(b->type, sizeof b->type, order_type_name(o->type));
	snapshot_name(b->role, sizeof b->role, order_role_name(o->role));
	snapshot_name_upper(b->tif, sizeof b->tif, order_tif_name(o->tif));
	b->parent = o->parent;
	b->oco = o->oco;
	b->qty = fill ? ev->qty : o->qty;
	if (fill || o->type != ORD_MARKET)
		snap_obs_px(ev->instrument, fill ? ev->price : o->price,
		    b->price, sizeof b->price);
	else
		b->price[0] = '\0';
	if (!fill && o->type == ORD_STOP_LIMIT)
		snap_obs_px(ev->instrument, o->limit, b->limit,
		    sizeof b->limit);
	else
		b->limit[0] = '\0';
	snapshot_name(b->state, sizeof b->state, fill ? "fill" :
	    order_state_name(o->state));
	snapshot_name(b->owner, sizeof b->owner, ev->owner != NULL ?
	    ev->owner : "manual");
	so->blot_head = (so->blot_head + 1) % so->blot_len;
	if (so->nblot < so->blot_len)
		so->nblot++;
}

static void
snap_obs_candle(struct snap_chart *ch, const struct td_bar *bar)
{
	ch->candle[ch->head] = (struct snap_candle){ .start = bar->start,
	    .end = bar->end, .open = bar->open, .high = bar->high,
	    .low = bar->low, .close = bar->close };
	ch->head = (ch->head + 1) % SNAP_CANDLES;
	if (ch->n < SNAP_CANDLES)
		ch->n++;
	ch->bars++;
}

/* A fill as a mark on its instrument's chart: entry or exit. */
static void
snap_obs_mark(struct snap_obs *so, const struct engine_ev *ev)
{
	struct snap_chart	*ch;

	if (ev->inst.i < 0 || ev->inst.i >= so->ninst)
		return;
	ch = &so->chart[ev->inst.i];
	ch->mark[ch->mhead] = (struct snap_mark){ .time = ev->time,
	    .price = ev->price, .buy = ev->side == TD_BUY,
	    .exit = ev->order->role != ROLE_ENTRY };
	ch->mhead = (ch->mhead + 1) % SNAP_MARKS;
	if (ch->nmark < SNAP_MARKS)
		ch->nmark++;
	ch->fills++;
}

/*
 * The account's net P&L at a snapshot: a new point in a new minute of
 * exchange time, else the last one moves; when full, every other point
 * goes so that the curve keeps the whole session.
 */
static void
snap_obs_equity(struct snap_obs *so, td_ns now, td_cents net)
{
	struct snap_point	*last;

	if (now == 0)
		return;
	last = so->nequity > 0 ? &so->equity[so->nequity - 1] : NULL;
	if (last != NULL && now / TD_NS_PER_MIN <= last->time / TD_NS_PER_MIN) {
		last->net = net;
		return;
	}
	if (so->nequity == SNAP_EQUITY) {
		for (int i = 0; i < SNAP_EQUITY / 2; i++)
			so->equity[i] = so->equity[2 * i + 1];
		so->nequity = SNAP_EQUITY / 2;
	}
	so->equity[so->nequity++] = (struct snap_point){ .time = now,
	    .net = net };
}

static void
snap_obs_bar(struct snap_obs *so, int inst, const struct td_bar *bar)
{
	struct snap_spark	*sp;

	if (inst < 0 || inst >= so->ninst || bar == NULL)
		return;
	sp = &so->spark[inst];
	sp->close[sp->head] = bar->close;
	if (++sp->head == SNAP_SPARK)
		sp->head = 0;
	if (sp->n < SNAP_SPARK)
		sp->n++;
	snap_obs_candle(&so->chart[inst], bar);
}

int
snap_obs_observe(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	struct snap_obs	*so = arg;

	(void)err;
	switch (ev->kind) {
	case EEV_UPDATE:
	case EEV_FILL:
		if (ev->order != NULL)
			snap_obs_blot(so, ev, ev->kind == EEV_FILL);
		if (ev->order != NULL && ev->kind == EEV_FILL)
			snap_obs_mark(so, ev);
		break;
	case EEV_BAR:
		snap_obs_bar(so, ev->inst.i, ev->bar);
		break;
	default:
		break;
	}
	return 0;
}

/* The chart's candles and marks of one instrument, oldest first. */
static void
snap_obs_fill_chart(const struct snap_chart *ch, struct snap_inst *si)
{
	si->bars = ch->bars;
	si->ncandle = ch->n;
	for (int k = 0; k < ch->n; k++)
		si->candle[k] = ch->candle[(ch->head + SNAP_CANDLES - ch->n +
		    k) % SNAP_CANDLES];
	si->fills = ch->fills;
	si->nmark = ch->nmark;
	for (int k = 0; k < ch->nmark; k++)
		si->mark[k] = ch->mark[(ch->mhead + SNAP_MARKS - ch->nmark +
		    k) % SNAP_MARKS];
}

void
snap_obs_fill(void *arg, struct snapshot *s)
{
	struct snap_obs		*so = arg;

	snap_obs_equity(so, s->now, s->net);
	s->nequity = so->nequity;
	memcpy(s->equity, so->equity, sizeof s->equity[0] *
	    (size_t)so->nequity);
	for (int i = 0; i < s->ninst && i < so->ninst; i++)
		snap_obs_fill_chart(&so->chart[i], &s->inst[i]);
	for (int i = 0; i < s->ninst; i++) {
		const struct snap_spark	*sp = i < so->ninst ? &so->spark[i] :
					    NULL;
		struct snap_inst	*si = &s->inst[i];

		si->nspark = sp != NULL ? sp->n : 0;
		for (int k = 0; k < si->nspark; k++)
			si->spark[k] = sp->close[(sp->head + SNAP_SPARK -
			    sp->n + k) % SNAP_SPARK];
	}
	s->nblot = so->nblot < s->cap.blotter ? so->nblot : s->cap.blotter;
	for (int i = 0; i < s->nblot; i++)
		s->blot[i] = so->blot[(so->blot_head + so->blot_len - 1 -
		    i) % so->blot_len];
}

void
snap_obs_sizes(void *arg, struct snapshot_sizes *sz)
{
	const struct snap_obs	*so = arg;

	if (sz->blotter < so->blot_len)
		sz->blotter = so->blot_len;
}
