/*
 * portfolio.c -- positions, FIFO lots and P&L in exact cents.
 *
 * Every fill the order manager reports comes here first.  A fill that
 * adds to a position (or opens one) appends a lot at the tail of the
 * instrument's ring of lots, or grows the tail lot when the price is the
 * same; a fill against the position eats lots from the head, first in,
 * first out, and each contract closed realizes (exit - entry) ticks x tick
 * value cents.  Because ticks and tick values are integers, every figure is
 * exact and the blotter never drifts.
 *
 * The account keeps its totals incrementally (each fill or mark applies
 * the change of one instrument), so nothing here walks all instruments in
 * the hot path.  The ring of lots for every instrument is one block taken
 * at create time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "instrument.h"
#include "portfolio.h"

struct lot {
	td_ticks	 price;
	int64_t		 qty;		/* > 0; the side is the position's */
};

struct pf_inst {
	struct instrument inst;
	int64_t		 position;
	td_ticks	 cost;		/* sum of price x qty of open lots */
	bool		 has_last;
	td_ticks	 last;
	td_cents	 unrealized;
	td_cents	 realized;
	td_cents	 commissions;
	int64_t		 fills;
	td_ns		 last_fill;
	struct lot	*lots;		/* ring of PORTFOLIO_LOTS */
	int		 head;		/* oldest lot */
	int		 nlots;
};

struct portfolio {
	int		 n;
	struct pf_inst	*inst;
	struct lot	*lots;		/* n x PORTFOLIO_LOTS */

	td_cents	 realized;
	td_cents	 unrealized;
	td_cents	 commissions;
	int64_t		 fills;
	int		 open;		/* instruments with a position */

	td_cents	 day_realized;
	td_cents	 day_commissions;
	td_cents	 day_unreal_start;
	td_cents	 day_peak;
	td_cents	 week_realized;
	td_cents	 week_commissions;
	td_cents	 week_unreal_start;
};

static const int64_t pf_pow10[] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL,
};

struct portfolio *
portfolio_create(const struct instrument *insts, int n, struct errmsg *err)
{
	struct portfolio	*pf;
	int			 i;

	if (n <= 0 || insts == NULL) {
		errmsg_set(err, "portfolio needs at least one instrument");
		return NULL;
	}
	pf = calloc(1, sizeof *pf);
	if (pf == NULL)
		goto nomem;
	pf->n = n;
	pf->inst = calloc((size_t)n, sizeof *pf->inst);
	pf->lots = calloc((size_t)n * PORTFOLIO_LOTS, sizeof *pf->lots);
	if (pf->inst == NULL || pf->lots == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		pf->inst[i].inst = insts[i];
		pf->inst[i].lots = pf->lots + (size_t)i * PORTFOLIO_LOTS;
	}
	return pf;

nomem:
	portfolio_free(pf);
	errmsg_set(err, "portfolio: out of memory");
	return NULL;
}

void
portfolio_free(struct portfolio *pf)
{
	if (pf == NULL)
		return;
	free(pf->inst);
	free(pf->lots);
	free(pf);
}

static const struct pf_inst *
pf_get(const struct portfolio *pf, struct td_inst inst)
{
	if (pf == NULL || !td_inst_in(inst, pf->n))
		return NULL;
	return &pf->inst[inst.i];
}

/* Unrealized P&L of one instrument at its last price. */
static td_cents
pf_unrealized(const struct pf_inst *pi)
{
	int64_t	 qty;

	if (pi->position == 0 || !pi->has_last)
		return 0;
	qty = pi->position > 0 ? pi->position : -pi->position;
	if (pi->position > 0)
		return (pi->last * qty - pi->cost) * pi->inst.tick_value;
	return (pi->cost - pi->last * qty) * pi->inst.tick_value;
}

static td_cents
pf_day_pnl(const struct portfolio *pf)
{
	return pf->day_realized - pf->day_commissions +
	    (pf->unrealized - pf->day_unreal_start);
}

/* Re-value one instrument and carry the change into the account. */
static inline void
pf_revalue(struct portfolio *pf, struct pf_inst *pi)
{
	td_cents	 u, day;

	u = pf_unrealized(pi);
	pf->unrealized += u - pi->unrealized;
	pi->unrealized = u;
	day = pf_day_pnl(pf);
	if (day > pf->day_peak)
		pf->day_peak = day;
}

static struct lot *
pf_lot(struct pf_inst *pi, int k)
{
	return &pi->lots[(pi->head + k) % PORTFOLIO_LOTS];
}

td_cents
portfolio_fill(struct portfolio *pf, struct td_inst inst, enum td_side side,
    int64_t qty, td_ticks price, td_ns t, struct portfolio_fill_result *res,
    struct errmsg *err)
{
	struct pf_inst	*pi;
	struct lot	*lot;
	int64_t		 dir, open, close, take, rest;
	td_ticks	 ticks = 0;	/* realized, in ticks x contracts */
	td_cents	 realized, commission;
	int64_t		 before;
	bool		 adds;

	if (pf == NULL || !td_inst_in(inst, pf->n)) {
		errmsg_set(err, "fill for unknown instrument %d", inst.i);
		return PORTFOLIO_REFUSED;
	}
	pi = &pf->inst[inst.i];
	if (side != TD_BUY && side != TD_SELL) {
		errmsg_set(err, "%s: fill with a bad side", pi->inst.symbol);
		return PORTFOLIO_REFUSED;
	}
	if (qty <= 0) {
		errmsg_set(err, "%s: fill qty %lld must be positive",
		    pi->inst.symbol, (long long)qty);
		return PORTFOLIO_REFUSED;
	}

	before = pi->position;
	dir = before > 0 ? 1 : (before < 0 ? -1 : 0);
	open = dir * before;
	adds = (dir == 0 || dir == side);

	/* Check for room before touching anything: refusing changes nothing. */
	if (adds && pi->nlots == PORTFOLIO_LOTS &&
	    pf_lot(pi, pi->nlots - 1)->price != price) {
		errmsg_set(err, "%s: all %d lots in use, fill refused",
		    pi->inst.symbol, PORTFOLIO_LOTS);
		return PORTFOLIO_REFUSED;
	}

	close = adds ? 0 : (qty < open ? qty : open);
	rest = qty - close;

	/* Close first in, first out. */
	take = close;
	while (take > 0) {
		int64_t	 n;

		lot = pf_lot(pi, 0);
		n = lot->qty < take ? lot->qty : take;
		ticks += (price - lot->price) * n * dir;
		pi->cost -= lot->price * n;
		lot->qty -= n;
		take -= n;
		if (lot->qty == 0) {
			pi->head = (pi->head + 1) % PORTFOLIO_LOTS;
			pi->nlots--;
		}
	}
	pi->position += side * close;
	if (pi->nlots == 0)
		pi->head = 0;

	/* Open (or add) with what is left. */
	if (rest > 0) {
		lot = pi->nlots > 0 ? pf_lot(pi, pi->nlots - 1) : NULL;
		if (lot != NULL && lot->price == price)
			lot->qty += rest;
		else {
			lot = pf_lot(pi, pi->nlots);
			lot->price = price;
			lot->qty = rest;
			pi->nlots++;
		}
		pi->cost += price * rest;
		pi->position += side * rest;
	}

	realized = ticks * pi->inst.tick_value;
	commission = qty * pi->inst.commission;
	pi->realized += realized;
	pi->commissions += commission;
	pi->fills++;
	pi->last_fill = t;
	pf->realized += realized;
	pf->commissions += commission;
	pf->day_realized += realized;
	pf->day_commissions += commission;
	pf->week_realized += realized;
	pf->week_commissions += commission;
	pf->fills++;
	if (before == 0 && pi->position != 0)
		pf->open++;
	else if (before != 0 && pi->position == 0)
		pf->open--;
	if (!pi->has_last) {
		pi->has_last = true;
		pi->last = price;
	}
	pf_revalue(pf, pi);

	if (res != NULL) {
		*res = (struct portfolio_fill_result){
			.realized = realized,
			.commission = commission,
			.before = before,
			.position = pi->position,
			.closed = close,
			.opened = rest,
		};
	}
	return realized;
}

int64_t
portfolio_mark(struct portfolio *pf, struct td_inst inst, td_ticks last)
{
	struct pf_inst	*pi;

	if (pf == NULL || !td_inst_in(inst, pf->n))
		return 0;
	pi = &pf->inst[inst.i];
	pi->has_last = true;
	pi->last = last;
	/*
	 * Flat and already valued flat, the revaluation would move nothing:
	 * every change of the day's figures has raised its peak already.
	 */
	if (pi->position != 0 || pi->unrealized != 0)
		pf_revalue(pf, pi);
	return pi->position;
}

void
portfolio_day_start(struct portfolio *pf)
{
	pf->day_realized = 0;
	pf->day_commissions = 0;
	pf->day_unreal_start = pf->unrealized;
	pf->day_peak = 0;
}

void
portfolio_week_start(struct portfolio *pf)
{
	pf->week_realized = 0;
	pf->week_commissions = 0;
	pf->week_unreal_start = pf->unrealized;
}

/*
 * A restart: the portfolio was rebuilt from the journal's fills, and the
 * day and week go on where they were.  realized and commissions are the
 * day's, from its fills; the unrealized part at the start is whatever
 * makes the totals come out as the journal had them.
 */
void
portfolio_restore_pnl(struct portfolio *pf, td_cents day_pnl,
    td_cents day_realized, td_cents day_commissions, td_cents day_peak,
    td_cents week_pnl)
{
	pf->day_realized = day_realized;
	pf->day_commissions = day_commissions;
	pf->day_unreal_start = day_realized - day_commissions +
	    pf->unrealized - day_pnl;
	pf->day_peak = day_peak > day_pnl ? day_peak : day_pnl;
	if (pf->day_peak < 0)
		pf->day_peak = 0;
	pf->week_realized = 0;
	pf->week_commissions = 0;
	pf->week_unreal_start = pf->unrealized - week_pnl;
}

int
portfolio_count(const struct portfolio *pf)
{
	return pf->n;
}

const struct instrument *
portfolio_instrument(const struct portfolio *pf, struct td_inst inst)
{
	const struct pf_inst	*pi = pf_get(pf, inst);

	return pi != NULL ? &pi->inst : NULL;
}

void
portfolio_get(const struct portfolio *pf, struct td_inst inst,
    struct portfolio_pos *out)
{
	const struct pf_inst	*pi = pf_get(pf, inst);

	memset(out, 0, sizeof *out);
	if (pi == NULL)
		return;
	*out = (struct portfolio_pos){
		.position = pi->position,
		.cost = pi->cost,
		.qty = pi->position > 0 ? pi->position : -pi->position,
		.has_last = pi->has_last,
		.last = pi->last,
		.unrealized = pi->unrealized,
		.realized = pi->realized,
		.commissions = pi->commissions,
		.fills = pi->fills,
		.lots = pi->nlots,
		.last_fill = pi->last_fill,
	};
}

void
portfolio_get_account(const struct portfolio *pf,
    struct portfolio_account *out)
{
	*out = (struct portfolio_account){
		.realized = pf->realized,
		.unrealized = pf->unrealized,
		.commissions = pf->commissions,
		.net = portfolio_net(pf),
		.day_pnl = pf_day_pnl(pf),
		.day_peak = pf->day_peak,
		.week_pnl = portfolio_week_pnl(pf),
		.day_realized = pf->day_realized,
		.day_commissions = pf->day_commissions,
		.fills = pf->fills,
		.open_positions = pf->open,
	};
}

int64_t
portfolio_position(const struct portfolio *pf, struct td_inst inst)
{
	const struct pf_inst	*pi = pf_get(pf, inst);

	return pi != NULL ? pi->position : 0;
}

bool
portfolio_last(const struct portfolio *pf, struct td_inst inst, td_ticks *last)
{
	const struct pf_inst	*pi = pf_get(pf, inst);

	if (pi == NULL || !pi->has_last)
		return false;
	if (last != NULL)
		*last = pi->last;
	return true;
}

td_cents
portfolio_unrealized(const struct portfolio *pf, struct td_inst inst)
{
	const struct pf_inst	*pi = pf_get(pf, inst);

	return pi != NULL ? pi->unrealized : 0;
}

td_cents
portfolio_realized(const struct portfolio *pf, struct td_inst inst)
{
	const struct pf_inst	*pi = pf_get(pf, inst);

	return pi != NULL ? pi->realized : 0;
}

td_cents
portfolio_day_pnl(const struct portfolio *pf)
{
	return pf_day_pnl(pf);
}

td_cents
portfolio_day_peak(const struct portfolio *pf)
{
	return pf->day_peak;
}

td_cents
portfolio_week_pnl(const struct portfolio *pf)
{
	return pf->week_realized - pf->week_commissions +
	    (pf->unrealized - pf->week_unreal_start);
}

td_cents
portfolio_net(const struct portfolio *pf)
{
	return pf->realized + pf->unrealized - pf->commissions;
}

int
portfolio_open_positions(const struct portfolio *pf)
{
	return pf->open;
}

/* Write the decimal digits of v into buf backwards from end; returns start. */
static char *
pf_digits(unsigned __int128 v, char *end, int min_digits)
{
	char	*p = end;

	do {
		*--p = (char)('0' + (int)(v % 10));
		v /= 10;
		min_digits--;
	} while (v != 0 || min_digits > 0);
	return p;
}

char *
portfolio_format_avg(const struct instrument *inst, td_ticks sum,
    int64_t qty, char *buf, size_t len)
{
	char			 tmp[PORTFOLIO_FMT_MAX + 8], *end, *p;
	__int128		 num, den, q;
	unsigned __int128	 mag;
	int			 d;
	bool			 neg;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (qty <= 0)
		return buf;
	if (sum % qty == 0)
		return instrument_format(inst, sum / qty, buf, len);

	/* sum x tick size / qty points, in units of 10^-d, rounded. */
	d = inst->decimals + 2;
	if (d > 12)
		d = 12;
	num = (__int128)sum * inst->tick_size * pf_pow10[d];
	den = (__int128)qty * TD_PX_SCALE;
	neg = num < 0;
	if (neg)
		num = -num;
	q = num / den;
	if ((num % den) * 2 >= den)
		q++;
	mag = (unsigned __int128)q;

	end = tmp + sizeof tmp - 1;
	*end = '\0';
	p = pf_digits(mag % (unsigned __int128)pf_pow10[d], end, d);
	*--p = '.';
	p = pf_digits(mag / (unsigned __int128)pf_pow10[d], p, 1);
	if (neg)
		*--p = '-';
	snprintf(buf, len, "%s", p);
	return buf;
}

char *
portfolio_avg_format(const struct portfolio *pf, struct td_inst inst, char *buf,
    size_t len)
{
	const struct pf_inst	*pi = pf_get(pf, inst);
	int64_t			 qty;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (pi == NULL || pi->position == 0)
		return buf;
	qty = pi->position > 0 ? pi->position : -pi->position;
	return portfolio_format_avg(&pi->inst, pi->cost, qty, buf, len);
}

char *
portfolio_format_money(td_cents c, char *buf, size_t len)
{
	char		 tmp[PORTFOLIO_FMT_MAX], *p;
	uint64_t	 mag, whole;
	int		 n = 0;

	if (len == 0)
		return buf;
	/* The magnitude as unsigned so that INT64_MIN prints too. */
	mag = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
	whole = mag / 100;
	p = tmp + sizeof tmp - 1;
	*p = '\0';
	*--p = (char)('0' + mag % 10);
	*--p = (char)('0' + (mag / 10) % 10);
	*--p = '.';
	do {
		if (n > 0 && n % 3 == 0)
			*--p = ',';
		*--p = (char)('0' + whole % 10);
		whole /= 10;
		n++;
	} while (whole != 0);
	if (c < 0)
		*--p = '-';
	snprintf(buf, len, "%s", p);
	return buf;
}
