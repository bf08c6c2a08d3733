/*
 * reader-row.c -- one line of a data file to one event (see reader-int.h).
 *
 * This is the inner loop of every backtest that reads files, so it parses
 * in place: fields are pointer and length, dates and times sit at fixed
 * positions, numbers go through fixed_parse.  The day number of the last
 * date string and the UTC offset of the last local hour are cached in the
 * reader, so the time zone rules are looked at about once an hour of data.
 * Errors go to r->err without the "path:line: " part, which the caller adds.
 * Every price is checked to be above zero (or allowed at zero and below by
 * the instrument) before it is put on the tick grid.
 */
#include <stdio.h>
#include <string.h>

#include "fixed.h"
#include "instrument.h"
#include "reader-int.h"
#include "tz.h"

static const int64_t reader_pow10[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
};

/* Cut s at sep into at most max fields; returns the real field count. */
int
reader_split(const char *s, size_t n, char sep, struct reader_field *f,
    int max)
{
	const char	*end = s + n, *p;
	int		 nf = 0;

	for (;;) {
		p = memchr(s, sep, (size_t)(end - s));
		if (p == NULL)
			p = end;
		if (nf < max) {
			f[nf].s = s;
			f[nf].n = (size_t)(p - s);
		}
		nf++;
		if (p == end)
			return nf;
		s = p + 1;
	}
}

static inline int
reader_digits(const char *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if ((unsigned)(s[i] - '0') >= 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "yyyy-MM-dd" (dashed) or "yyyyMMdd" to days since the epoch, cached. */
int
reader_date(struct reader *r, const char *s, int dashed, int64_t *days)
{
	size_t	 n = dashed ? 10 : 8;
	int	 y, m, d;

	if (n == r->date_len && memcmp(s, r->date_txt, n) == 0) {
		*days = r->date_days;
		return 0;
	}
	y = reader_digits(s, 4);
	if (dashed) {
		if (s[4] != '-' || s[7] != '-')
			return -1;
		m = reader_digits(s + 5, 2);
		d = reader_digits(s + 8, 2);
	} else {
		m = reader_digits(s + 4, 2);
		d = reader_digits(s + 6, 2);
	}
	/* Years td_ns holds with room for a bar or day after them. */
	if (y < 1700 || y > 2260 || m < 1 || m > 12 || d < 1 ||
	    d > tz_month_days(y, m))
		return -1;
	memcpy(r->date_txt, s, n);
	r->date_len = n;
	r->date_days = tz_days_from_civil(y, m, d);
	*days = r->date_days;
	return 0;
}

/* Hours, minutes, optional seconds: "HH:mm[:ss]" or "HHmm[ss]". */
static int
reader_hms(const char *s, size_t n, int colons, int *sod)
{
	int	 h, mi, se = 0, step = colons ? 3 : 2;

	if (n != (size_t)(2 * step - colons) &&
	    n != (size_t)(3 * step - colons))
		return -1;
	h = reader_digits(s, 2);
	mi = reader_digits(s + step, 2);
	if (colons && s[2] != ':')
		return -1;
	if (n == (size_t)(3 * step - colons)) {
		if (colons && s[5] != ':')
			return -1;
		se = reader_digits(s + 2 * step, 2);
	}
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
		return -1;
	*sod = h * 3600 + mi * 60 + se;
	return 0;
}

/* Local days and seconds of the day to UTC, via the per-hour cache. */
static td_ns
reader_utc(struct reader *r, int64_t days, int sod)
{
	int64_t	 local = days * 86400 + sod, key;
	int	 y, m, d, h;

	if (r->tz == NULL)
		return local * TD_NS_PER_SEC;
	h = sod / 3600;
	key = days * 24 + h;
	if (key != r->hour_key) {
		tz_civil_from_days(days, &y, &m, &d);
		r->hour_off = tz_to_utc(r->tz, y, m, d, h, 0, 0) /
		    TD_NS_PER_SEC - (days * 86400 + h * 3600);
		r->hour_key = key;
	}
	return (local + r->hour_off) * TD_NS_PER_SEC;
}

static int
reader_bad(struct errmsg *err, const char *what, const struct reader_field *f)
{
	return errmsg_set(err, "bad %s '%.*s'", what,
	    f->n > READER_SHOW ? READER_SHOW : (int)f->n, f->s);
}

/* Which prices at or below zero a field may hold (beyond the instrument). */
enum reader_sign {
	READER_ABOVE_ZERO,	/* a trade price */
	READER_QUOTE,		/* a bid or an ask: 0 is no quote */
	READER_ANY_SIGN,	/* a row the source flags, which is dropped */
};

/*
 * A fixed point price to ticks of the instrument (td_px without one).  A
 * price at or below zero is refused unless the instrument has
 * negative_prices: in a data file it is almost always a hole in the data,
 * and a stop would fill at it.
 */
static int
reader_px(struct reader *r, td_px px, const char *what, enum reader_sign sign,
    td_ticks *out)
{
	char	 name[24];

	if (px <= 0 && sign != READER_ANY_SIGN &&
	    !(sign == READER_QUOTE && px == 0)) {
		snprintf(name, sizeof name, "%s%s", what,
		    strcmp(what, "price") == 0 ? "" : " price");
		if (instrument_price_ok(r->inst, px, name, &r->err) == -1)
			return -1;
	}
	if (r->inst == NULL) {
		*out = px;
		return 0;
	}
	return instrument_ticks(r->inst, px, out, &r->err);
}

static int
reader_price(struct reader *r, const struct reader_field *f, const char *what,
    enum reader_sign sign, td_ticks *out)
{
	td_px	 px;

	if (fixed_parse(f->s, f->n, &px) == -1)
		return reader_bad(&r->err, what, f);
	return reader_px(r, px, what, sign, out);
}

/* A price written as an integer with a scale (Lean: x 10000). */
static int
reader_scaled(struct reader *r, const struct reader_field *f, int decimals,
    const char *what, enum reader_sign sign, td_ticks *out)
{
	int64_t	 v, mul = TD_PX_SCALE / reader_pow10[decimals];

	if (fixed_parse_int(f->s, f->n, &v) == -1 || v > INT64_MAX / mul ||
	    v < -(INT64_MAX / mul))
		return reader_bad(&r->err, what, f);
	return reader_px(r, v * mul, what, sign, out);
}

static int
reader_volume(struct reader *r, const struct reader_field *f, int64_t *out)
{
	if (fixed_parse_int(f->s, f->n, out) == -1)
		return reader_bad(&r->err, "volume", f);
	if (*out < 0)
		return errmsg_set(&r->err, "negative volume %lld",
		    (long long)*out);
	return 0;
}

/* Milliseconds since local midnight of the file name's date. */
static int
reader_ms(struct reader *r, const struct reader_field *f, td_ns *t)
{
	int64_t	 ms;

	if (fixed_parse_int(f->s, f->n, &ms) == -1 || ms < 0 ||
	    ms >= 86400000)
		return reader_bad(&r->err, "milliseconds since midnight", f);
	*t = reader_utc(r, r->name_days, (int)(ms / 1000)) +
	    ms % 1000 * 1000000;
	return 0;
}

/* open, high, low, close from four fields, checked against each other. */
static int
reader_ohlc(struct reader *r, const struct reader_field *f, struct td_bar *b)
{
	static const char *const names[] = { "open", "high", "low", "close" };
	td_ticks	 v[4];
	int		 i;

	for (i = 0; i < 4; i++) {
		if (reader_price(r, &f[i], names[i], READER_ABOVE_ZERO,
		    &v[i]) == -1)
			return -1;
	}
	b->open = v[0];
	b->high = v[1];
	b->low = v[2];
	b->close = v[3];
	if (b->high < b->open || b->high < b->close)
		return errmsg_set(&r->err, "high below open or close");
	if (b->low > b->open || b->low > b->close)
		return errmsg_set(&r->err, "low above open or close");
	return 0;
}

/* The first field of a bar row to its start and end in UTC. */
static int
reader_bar_time(struct reader *r, const struct reader_field *f,
    struct td_bar *b)
{
	int64_t	 days;
	int	 sod, dashed = 0;
	td_ns	 t;

	switch (r->fmt) {
	case READER_CSV:
		dashed = 1;
		if (f->n == 10)
			goto day;
		if (f->n < 16 || (f->s[10] != ' ' && f->s[10] != 'T'))
			return -1;
		if (reader_date(r, f->s, 1, &days) == -1 ||
		    reader_hms(f->s + 11, f->n - 11, 1, &sod) == -1)
			return -1;
		break;
	case READER_NT_MINUTE:
		if (f->n < 13 || f->s[8] != ' ' ||
		    reader_date(r, f->s, 0, &days) == -1 ||
		    reader_hms(f->s + 9, f->n - 9, 0, &sod) == -1)
			return -1;
		break;
	case READER_NT_DAY:
		if (f->n != 8)
			return -1;
		goto day;
	case READER_LEAN_MINUTE:
		if (reader_ms(r, f, &t) == -1)
			return -1;
		goto bar;
	default:
		return -1;
	}
	t = reader_utc(r, days, sod);
bar:
	if (r->stamp_end) {
		b->end = t;
		b->start = t - r->bar_ns;
	} else {
		b->start = t;
		b->end = t + r->bar_ns;
	}
	return 0;

day:
	/* A day bar spans local midnight to local midnight. */
	if (reader_date(r, f->s, dashed, &days) == -1)
		return -1;
	b->start = reader_utc(r, days, 0);
	b->end = reader_utc(r, days + 1, 0);
	return 0;
}

static int
reader_bar_row(struct reader *r, struct reader_field *f, struct td_md *md)
{
	struct td_bar	*b = &md->bar;

	md->kind = TD_MD_BAR;
	if (reader_bar_time(r, &f[0], b) == -1) {
		if (r->fmt == READER_LEAN_MINUTE)
			return -1;	/* reader_ms said why */
		return reader_bad(&r->err, "date/time", &f[0]);
	}
	if (reader_ohlc(r, &f[1], b) == -1)
		return -1;
	b->volume = 0;
	if (r->vol_col >= 0 && reader_volume(r, &f[r->vol_col],
	    &b->volume) == -1)
		return -1;
	return 0;
}

/* "yyyyMMdd HHmmss" or "yyyyMMdd HHmmss fffffff" (100 ns units). */
static int
reader_nt_stamp(struct reader *r, const struct reader_field *f, td_ns *t)
{
	int64_t	 days;
	int	 sod, frac = 0;

	if ((f->n != 15 && f->n != 23) || f->s[8] != ' ' ||
	    reader_date(r, f->s, 0, &days) == -1 ||
	    reader_hms(f->s + 9, 6, 0, &sod) == -1)
		return reader_bad(&r->err, "date/time", f);
	if (f->n == 23) {
		if (f->s[15] != ' ' || (frac = reader_digits(f->s + 16,
		    7)) < 0)
			return reader_bad(&r->err, "date/time", f);
	}
	*t = reader_utc(r, days, sod) + (td_ns)frac * 100;
	return 0;
}

static int
reader_tick_row(struct reader *r, struct reader_field *f, struct td_md *md)
{
	struct td_tick	*k = &md->tick;
	int64_t		 us;
	int		 flagged;

	md->kind = TD_MD_TICK;
	k->bid = k->ask = 0;
	k->volume = 0;
	switch (r->fmt) {
	case READER_NT_TICK:
		if (reader_nt_stamp(r, &f[0], &k->time) == -1 ||
		    reader_price(r, &f[1], "price", READER_ABOVE_ZERO,
		    &k->price) == -1)
			return -1;
		if (r->nfields == 5 &&
		    (reader_price(r, &f[2], "bid", READER_QUOTE,
		    &k->bid) == -1 ||
		    reader_price(r, &f[3], "ask", READER_QUOTE,
		    &k->ask) == -1))
			return -1;
		return reader_volume(r, &f[r->nfields - 1], &k->volume);
	case READER_TICK_CSV:
		if (fixed_parse_int(f[1].s, f[1].n, &us) == -1 || us < 0 ||
		    us > INT64_MAX / 1000)
			return reader_bad(&r->err, "epoch microseconds", &f[1]);
		k->time = us * 1000;
		return reader_price(r, &f[2], "price", READER_ABOVE_ZERO,
		    &k->price);
	case READER_LEAN_TICK:
		/* A suspicious row is dropped: its price may be anything. */
		if (f[5].n != 1 || (f[5].s[0] != '0' && f[5].s[0] != '1'))
			return reader_bad(&r->err, "suspicious flag", &f[5]);
		flagged = f[5].s[0] == '1';
		if (reader_ms(r, &f[0], &k->time) == -1 ||
		    reader_scaled(r, &f[1], 4, "price", flagged ?
		    READER_ANY_SIGN : READER_ABOVE_ZERO, &k->price) == -1 ||
		    reader_volume(r, &f[2], &k->volume) == -1)
			return -1;
		return flagged;		/* 1: skip the row */
	default:
		return errmsg_set(&r->err, "not a tick format");
	}
}

int
reader_row(struct reader *r, const char *s, size_t n, struct td_md *md)
{
	struct reader_field	 f[READER_MAXF];
	int			 nf;

	nf = reader_split(s, n, r->fi->sep, f, READER_MAXF);
	if (nf != r->nfields)
		return errmsg_set(&r->err, "wrong number of fields: %d, "
		    "expected %d", nf, r->nfields);
	if (r->fi->ticks)
		return reader_tick_row(r, f, md);
	return reader_bar_row(r, f, md);
}
