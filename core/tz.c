/*
 * tz.c -- time zones read from TZif files, without process-global state.
 *
 * The data readers turn exchange-local timestamps into UTC and the session
 * calendars turn exchange hours into instants, once per market event, so
 * the conversions must be fast, allocation-free and thread-safe.  A zone is
 * loaded once (tz_load) into a flat table: the UTC instants of its
 * transitions and the offset in effect after each one, found by binary
 * search.  Instants after the last transition follow the POSIX TZ rule of
 * the file's footer ("EST5EDT,M3.2.0,M11.1.0"), evaluated from the year of
 * the instant, so 2100 is as right as 2024 whether the file is "fat"
 * (transitions listed to 2037) or "slim" (rule only after 2007, Debian's).
 * Working out a rule's day is the costly part, and with slim files every
 * instant since 2007 needs it, so the rule's two instants of each year from
 * TZ_RULE_Y0 to TZ_RULE_Y1 are worked out once at load into a table; other
 * years are worked out on the fly, the same way.
 *
 * Conversions come in runs of nearby instants (a data file, a calendar's
 * year), so a zone remembers where its last search in the table of
 * transitions ended (hint) and tries that interval, then the next one,
 * before searching.  The hint is one atomic word, read and written
 * relaxed: any value of it gives the right answer, so threads sharing the
 * zone need no more than that; it is the only thing a loaded zone writes.
 *
 * The TZif format is RFC 8536.  Version 1 files have 32-bit times only; in
 * version 2 and later we skip the 32-bit block and read the 64-bit one and
 * the footer.  Leap-second ("right/") zones are refused: engine time is
 * POSIX time.  Time type designations (EST, EDT) are not kept; nothing in
 * the engine needs them.
 */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errmsg.h"
#include "tz.h"

#define TZ_NAME_LEN	256
#define TZ_FILE_MAX	(1024 * 1024)
#define TZ_TRANS_MAX	100000
#define TZ_OFF_MAX	(26 * 3600 - 1)	/* RFC 8536: |utoff| <= 25:59:59 */
#define SECS_PER_DAY	86400
#define TZ_RULE_Y0	1800		/* years of the rule table */
#define TZ_RULE_Y1	2300

/* One date-and-time rule of a POSIX TZ string: Jn, n or Mm.w.d with /time. */
struct tz_rule {
	char		 kind;		/* 'J', 'N' (zero-based n) or 'M' */
	int		 n;		/* day: 'J' 1..365, 'N' 0..365 */
	int		 m;		/* month 1..12 for 'M' */
	int		 w;		/* week 1..5 (5 = last) for 'M' */
	int		 d;		/* weekday 0..6 for 'M' */
	int32_t		 time;		/* local seconds after midnight */
};

/* A parsed POSIX TZ string. */
struct tz_posix {
	int32_t		 std_off;	/* seconds east */
	int32_t		 dst_off;
	bool		 has_dst;
	struct tz_rule	 start;		/* DST starts, time in standard time */
	struct tz_rule	 end;		/* DST ends, time in daylight time */
};

struct tz {
	char		 name[TZ_NAME_LEN];
	int32_t		 off_before;	/* offset before the first transition */
	bool		 has_footer;
	struct tz_posix	 footer;
	size_t		 ntrans;
	int64_t		*trans;		/* UTC seconds, strictly ascending */
	int32_t		*off;		/* offset from trans[i] on */
	/* The footer's DST start and end (UTC seconds) of each year. */
	int64_t		*rule_start;	/* TZ_RULE_Y0 .. TZ_RULE_Y1, or NULL */
	int64_t		*rule_end;
	_Atomic size_t	 hint;		/* last interval found, a guess */
};

/* A TZif header: the counts that size the data block after it. */
struct tzif_hdr {
	int		 version;	/* 1, 2, 3, ... */
	uint32_t	 isutcnt;
	uint32_t	 isstdcnt;
	uint32_t	 leapcnt;
	uint32_t	 timecnt;
	uint32_t	 typecnt;
	uint32_t	 charcnt;
};

int64_t
tz_floor_div(int64_t a, int64_t b)
{
	int64_t	 q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int
tz_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
tz_month_days(int year, int mon)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (mon < 1 || mon > 12)
		return 0;
	if (mon == 2 && tz_is_leap(year))
		return 29;
	return days[mon - 1];
}

/*
 * Howard Hinnant's days_from_civil: exact over the whole int range, no
 * tables, no loops.  The year is shifted to start in March so that the
 * leap day is the last day of the shifted year.
 */
int64_t
tz_days_from_civil(int year, int mon, int mday)
{
	int64_t	 y = year, m = mon, era, yoe, doy, doe;

	if (m < 1 || m > 12) {
		y += tz_floor_div(m - 1, 12);
		m -= tz_floor_div(m - 1, 12) * 12;
	}
	y -= m <= 2;
	era = tz_floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)mday - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
tz_civil_from_days(int64_t days, int *year, int *mon, int *mday)
{
	int64_t	 z = days + 719468, era, doe, yoe, doy, mp, y, m, d;

	era = tz_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (year != NULL)
		*year = (int)y;
	if (mon != NULL)
		*mon = (int)m;
	if (mday != NULL)
		*mday = (int)d;
}

int
tz_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday. */
	return (int)((days % 7 + 11) % 7);
}

/* --- POSIX TZ rules ----------------------------------------------------- */

static const char *
posix_name(const char *p)
{
	const char	*start;

	if (*p == '<') {
		start = ++p;
		while (*p != '\0' && *p != '>')
			p++;
		if (*p != '>' || p == start)
			return NULL;
		return p + 1;
	}
	/* POSIX: an unquoted name is at least three letters. */
	start = p;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p - start < 3 ? NULL : p;
}

static const char *
posix_number(const char *p, int maxdigits, int *out)
{
	int	 n = 0, i;

	for (i = 0; i < maxdigits && *p >= '0' && *p <= '9'; i++)
		n = n * 10 + (*p++ - '0');
	if (i == 0)
		return NULL;
	*out = n;
	return p;
}

/* [+-]hh[:mm[:ss]] with hours up to maxh; seconds into *out. */
static const char *
posix_hms(const char *p, int maxh, int32_t *out)
{
	int	 sign = 1, h, m = 0, s = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if ((p = posix_number(p, 3, &h)) == NULL || h > maxh)
		return NULL;
	if (*p == ':') {
		if ((p = posix_number(p + 1, 2, &m)) == NULL || m > 59)
			return NULL;
		if (*p == ':') {
			if ((p = posix_number(p + 1, 2, &s)) == NULL || s > 59)
				return NULL;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *
posix_rule(const char *p, struct tz_rule *r)
{
	*r = (struct tz_rule){ .time = 7200 };
	if (*p == 'J') {
		r->kind = 'J';
		if ((p = posix_number(p + 1, 3, &r->n)) == NULL ||
		    r->n < 1 || r->n > 365)
			return NULL;
	} else if (*p == 'M') {
		r->kind = 'M';
		if ((p = posix_number(p + 1, 2, &r->m)) == NULL ||
		    r->m < 1 || r->m > 12 || *p != '.')
			return NULL;
		if ((p = posix_number(p + 1, 1, &r->w)) == NULL ||
		    r->w < 1 || r->w > 5 || *p != '.')
			return NULL;
		if ((p = posix_number(p + 1, 1, &r->d)) == NULL || r->d > 6)
			return NULL;
	} else {
		r->kind = 'N';
		if ((p = posix_number(p, 3, &r->n)) == NULL || r->n > 365)
			return NULL;
	}
	/* RFC 8536 (version 3) allows -167..167 hours here. */
	if (*p == '/')
		p = posix_hms(p + 1, 167, &r->time);
	return p;
}

static int
posix_parse(const char *s, struct tz_posix *px)
{
	const char	*p = s;
	int32_t		 west;

	*px = (struct tz_posix){ 0 };
	if ((p = posix_name(p)) == NULL)
		return -1;
	if ((p = posix_hms(p, 24, &west)) == NULL)
		return -1;
	px->std_off = -west;
	px->dst_off = px->std_off;
	if (*p == '\0')
		return 0;

	if ((p = posix_name(p)) == NULL)
		return -1;
	px->has_dst = true;
	px->dst_off = px->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if ((p = posix_hms(p, 24, &west)) == NULL)
			return -1;
		px->dst_off = -west;
	}
	if (*p == '\0') {
		/* No rule given: the US rule, as glibc assumes. */
		p = ",M3.2.0,M11.1.0";
	}
	if (*p != ',' || (p = posix_rule(p + 1, &px->start)) == NULL)
		return -1;
	if (*p != ',' || (p = posix_rule(p + 1, &px->end)) == NULL)
		return -1;
	return *p == '\0' ? 0 : -1;
}

/* The local day (days since the epoch) a rule falls on in a year. */
static int64_t
rule_day(const struct tz_rule *r, int year)
{
	int64_t	 first, day;
	int	 mdays;

	switch (r->kind) {
	case 'J':
		/* 1..365, February 29 never counted. */
		day = tz_days_from_civil(year, 1, 1) + r->n - 1;
		if (r->n >= 60 && tz_is_leap(year))
			day++;
		return day;
	case 'N':
		return tz_days_from_civil(year, 1, 1) + r->n;
	default:
		first = tz_days_from_civil(year, r->m, 1);
		day = first + (r->d - tz_weekday(first) + 7) % 7;
		day += (int64_t)(r->w - 1) * 7;
		mdays = tz_month_days(year, r->m);
		while (day >= first + mdays)
			day -= 7;
		return day;
	}
}

/* The UTC second a rule fires in a year, given the offset its time is in. */
static int64_t
rule_utc(const struct tz_rule *r, int year, int32_t off)
{
	return rule_day(r, year) * SECS_PER_DAY + r->time - off;
}

/* The footer's offset at s, the rule's instants from the table if any. */
static int32_t
posix_offset(const struct tz *tz, int64_t s)
{
	const struct tz_posix	*px = &tz->footer;
	int64_t			 start, end;
	int			 year;
	bool			 dst;

	if (!px->has_dst)
		return px->std_off;
	tz_civil_from_days(tz_floor_div(s + px->std_off, SECS_PER_DAY), &year,
	    NULL, NULL);
	if (tz->rule_start != NULL && year >= TZ_RULE_Y0 &&
	    year <= TZ_RULE_Y1) {
		start = tz->rule_start[year - TZ_RULE_Y0];
		end = tz->rule_end[year - TZ_RULE_Y0];
	} else {
		start = rule_utc(&px->start, year, px->std_off);
		end = rule_utc(&px->end, year, px->dst_off);
	}
	if (start < end)			/* northern hemisphere */
		dst = s >= start && s < end;
	else if (start > end)		/* southern: DST spans new year */
		dst = s < end || s >= start;
	else
		dst = false;
	return dst ? px->dst_off : px->std_off;
}

/* Work out the footer's instants of every year of the table: 0, or -1. */
static int
posix_table(struct tz *tz)
{
	const struct tz_posix	*px = &tz->footer;
	size_t			 n = TZ_RULE_Y1 - TZ_RULE_Y0 + 1;

	if (!tz->has_footer || !px->has_dst)
		return 0;
	if ((tz->rule_start = calloc(2 * n, sizeof *tz->rule_start)) == NULL)
		return -1;
	tz->rule_end = tz->rule_start + n;
	for (int y = TZ_RULE_Y0; y <= TZ_RULE_Y1; y++) {
		tz->rule_start[y - TZ_RULE_Y0] = rule_utc(&px->start, y,
		    px->std_off);
		tz->rule_end[y - TZ_RULE_Y0] = rule_utc(&px->end, y,
		    px->dst_off);
	}
	return 0;
}

/* --- lookups ------------------------------------------------------------ */

/* Is s in the interval that starts at transition h (h + 1 < ntrans)? */
static inline bool
in_interval(const struct tz *tz, size_t h, int64_t s)
{
	return h + 1 < tz->ntrans && tz->trans[h] <= s && s < tz->trans[h + 1];
}

static int32_t
offset_at(const struct tz *tz, int64_t s)
{
	/* The hint is a cache of a zone that is otherwise read-only. */
	_Atomic size_t	*hint = (_Atomic size_t *)&tz->hint;
	size_t		 lo, hi, mid, h;

	if (tz->ntrans == 0)
		return tz->has_footer ? posix_offset(tz, s) : tz->off_before;
	if (s < tz->trans[0])
		return tz->off_before;
	if (s >= tz->trans[tz->ntrans - 1])
		return tz->has_footer ? posix_offset(tz, s) :
		    tz->off[tz->ntrans - 1];
	h = atomic_load_explicit(hint, memory_order_relaxed);
	if (in_interval(tz, h, s))
		return tz->off[h];
	if (in_interval(tz, h + 1, s)) {
		atomic_store_explicit(hint, h + 1, memory_order_relaxed);
		return tz->off[h + 1];
	}

	/* Last transition at or before s: trans[lo] <= s < trans[hi]. */
	lo = 0;
	hi = tz->ntrans - 1;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (tz->trans[mid] <= s)
			lo = mid;
		else
			hi = mid;
	}
	atomic_store_explicit(hint, lo, memory_order_relaxed);
	return tz->off[lo];
}

const char *
tz_name(const struct tz *tz)
{
	return tz->name;
}

int64_t
tz_offset(const struct tz *tz, td_ns utc)
{
	return offset_at(tz, tz_floor_div(utc, TD_NS_PER_SEC));
}

void
tz_to_local(const struct tz *tz, td_ns utc, struct tz_tm *out)
{
	int64_t	 s, l, days, rem;
	int32_t	 off;

	s = tz_floor_div(utc, TD_NS_PER_SEC);
	off = offset_at(tz, s);
	l = s + off;
	days = tz_floor_div(l, SECS_PER_DAY);
	rem = l - days * SECS_PER_DAY;
	tz_civil_from_days(days, &out->year, &out->mon, &out->mday);
	out->hour = (int)(rem / 3600);
	out->min = (int)(rem / 60 % 60);
	out->sec = (int)(rem % 60);
	out->wday = tz_weekday(days);
	out->yday = (int)(days - tz_days_from_civil(out->year, 1, 1));
	out->nsec = utc - s * TD_NS_PER_SEC;
	out->utcoff = off;
}

/*
 * A wall time L has at most two readings near it: with the offset in
 * effect a day before (o1) and a day after (o2).  A reading is valid when
 * the offset at the resulting instant is the one it was read with.  Both
 * valid: an overlap, take the earlier.  Neither: a gap, read with the
 * offset before it.  Zones never change twice within two days.
 */
td_ns
tz_to_utc(const struct tz *tz, int year, int mon, int mday, int hour,
    int min, int sec)
{
	int64_t	 l, u1, u2, u;
	int32_t	 o1, o2;
	bool	 v1, v2;

	l = tz_days_from_civil(year, mon, mday) * SECS_PER_DAY +
	    (int64_t)hour * 3600 + (int64_t)min * 60 + sec;
	o1 = offset_at(tz, l - SECS_PER_DAY);
	o2 = offset_at(tz, l + SECS_PER_DAY);
	u1 = l - o1;
	u2 = l - o2;
	v1 = offset_at(tz, u1) == o1;
	v2 = o1 != o2 && offset_at(tz, u2) == o2;
	if (v1 && v2)
		u = u1 < u2 ? u1 : u2;
	else if (v2)
		u = u2;
	else
		u = u1;

	if (u > INT64_MAX / TD_NS_PER_SEC)
		return INT64_MAX;
	if (u < INT64_MIN / TD_NS_PER_SEC)
		return INT64_MIN;
	return u * TD_NS_PER_SEC;
}

/* --- loading ------------------------------------------------------------ */

static struct tz *
tz_alloc(const char *name, size_t ntrans)
{
	struct tz	*tz;

	/* One block: the struct, then the times, then the offsets. */
	tz = calloc(1, sizeof *tz + ntrans * (sizeof *tz->trans +
	    sizeof *tz->off));
	if (tz == NULL)
		return NULL;
	snprintf(tz->name, sizeof tz->name, "%s", name);
	tz->ntrans = ntrans;
	tz->trans = (int64_t *)(tz + 1);
	tz->off = (int32_t *)(tz->trans + ntrans);
	return tz;
}

void
tz_free(struct tz *tz)
{
	if (tz != NULL)
		free(tz->rule_start);
	free(tz);
}

struct tz *
tz_load_posix(const char *rule, struct errmsg *err)
{
	struct tz_posix	 px;
	struct tz	*tz;

	if (rule == NULL || strlen(rule) >= TZ_NAME_LEN ||
	    posix_parse(rule, &px) != 0) {
		errmsg_set(err, "invalid time zone rule '%s'",
		    rule == NULL ? "" : rule);
		return NULL;
	}
	if ((tz = tz_alloc(rule, 0)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	tz->has_footer = true;
	tz->footer = px;
	tz->off_before = px.std_off;
	if (posix_table(tz) == -1) {
		tz_free(tz);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	return tz;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
get64(const uint8_t *p)
{
	return (int64_t)((uint64_t)get32(p) << 32 | get32(p + 4));
}

static int
tzif_header(const uint8_t *p, size_t len, struct tzif_hdr *h)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	h->version = p[4] == 0 ? 1 : p[4] - '0';
	if (h->version < 1 || h->version > 9)
		return -1;
	h->isutcnt = get32(p + 20);
	h->isstdcnt = get32(p + 24);
	h->leapcnt = get32(p + 28);
	h->timecnt = get32(p + 32);
	h->typecnt = get32(p + 36);
	h->charcnt = get32(p + 40);
	if (h->timecnt > TZ_TRANS_MAX || h->typecnt == 0 ||
	    h->typecnt > 256 || h->charcnt > 65536 || h->leapcnt > 65536 ||
	    h->isutcnt > 256 || h->isstdcnt > 256)
		return -1;
	return 0;
}

/* Size of the data block after a header, with 4- or 8-byte times. */
static size_t
tzif_block(const struct tzif_hdr *h, size_t tsize)
{
	return (size_t)h->timecnt * tsize + h->timecnt + h->typecnt * 6 +
	    h->charcnt + h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

/* Parse a whole TZif file; *why says what is wrong on failure. */
static struct tz *
tzif_parse(const char *name, const uint8_t *buf, size_t len,
    const char **why)
{
	struct tzif_hdr	 h;
	struct tz	*tz;
	const uint8_t	*p, *times, *idx, *types, *end;
	char		 footer[TZ_NAME_LEN];
	size_t		 tsize = 4, i, flen;
	int32_t		 utoff;

	*why = "not a TZif file";
	if (tzif_header(buf, len, &h) != 0)
		return NULL;
	p = buf + 44;
	if (tzif_block(&h, 4) > len - 44)
		return NULL;
	if (h.version >= 2) {
		/* Skip the 32-bit data; the 64-bit header and data follow. */
		p += tzif_block(&h, 4);
		if (tzif_header(p, len - (size_t)(p - buf), &h) != 0)
			return NULL;
		p += 44;
		tsize = 8;
		if (tzif_block(&h, 8) > len - (size_t)(p - buf))
			return NULL;
	}
	if (h.leapcnt != 0) {
		*why = "leap-second zones are not supported";
		return NULL;
	}
	times = p;
	idx = times + (size_t)h.timecnt * tsize;
	types = idx + h.timecnt;
	end = p + tzif_block(&h, tsize);

	/* Footer: "\nRULE\n" right after the version 2+ data. */
	footer[0] = '\0';
	if (h.version >= 2 && end < buf + len && *end == '\n') {
		const uint8_t	*nl;

		nl = memchr(end + 1, '\n', len - (size_t)(end + 1 - buf));
		flen = nl == NULL ? 0 : (size_t)(nl - end - 1);
		if (nl == NULL || flen >= sizeof footer) {
			*why = "bad footer";
			return NULL;
		}
		memcpy(footer, end + 1, flen);
		footer[flen] = '\0';
	}

	if ((tz = tz_alloc(name, h.timecnt)) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	for (i = 0; i < h.typecnt; i++) {
		utoff = (int32_t)get32(types + i * 6);
		if (utoff < -TZ_OFF_MAX || utoff > TZ_OFF_MAX) {
			*why = "offset out of range";
			goto fail;
		}
	}
	/* RFC 8536: type 0 is in effect before the first transition. */
	tz->off_before = (int32_t)get32(types);
	for (i = 0; i < h.timecnt; i++) {
		if (idx[i] >= h.typecnt) {
			*why = "bad time type index";
			goto fail;
		}
		tz->trans[i] = tsize == 8 ? get64(times + i * 8) :
		    (int32_t)get32(times + i * 4);
		if (i > 0 && tz->trans[i] <= tz->trans[i - 1]) {
			*why = "transitions out of order";
			goto fail;
		}
		tz->off[i] = (int32_t)get32(types + idx[i] * 6);
	}
	if (footer[0] != '\0') {
		if (posix_parse(footer, &tz->footer) != 0) {
			*why = "bad footer";
			goto fail;
		}
		tz->has_footer = true;
		if (posix_table(tz) == -1) {
			*why = "out of memory";
			goto fail;
		}
	}
	return tz;

fail:
	tz_free(tz);
	return NULL;
}

static bool
tz_name_ok(const char *name)
{
	const char	*p;

	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL ||
	    strlen(name) >= TZ_NAME_LEN)
		return false;
	for (p = name; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("/_-+.", *p) != NULL)
			continue;
		return false;
	}
	return true;
}

struct tz *
tz_load(const char *name, struct errmsg *err)
{
	const char	*dir, *why;
	char		 path[PATH_MAX];
	struct stat	 st;
	struct tz	*tz;
	uint8_t		*buf;
	FILE		*f;
	size_t		 len;

	if (name == NULL || !tz_name_ok(name)) {
		errmsg_set(err, "invalid time zone name '%s'",
		    name == NULL ? "" : name);
		return NULL;
	}
	dir = getenv("TZDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >=
	    sizeof path) {
		errmsg_set(err, "invalid time zone name '%s'", name);
		return NULL;
	}

	f = fopen(path, "rb");
	if (f == NULL || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		if (f != NULL)
			fclose(f);
		else if (errno != ENOENT && errno != ENOTDIR) {
			errmsg_set(err, "time zone '%s': %s: %s", name, path,
			    strerror(errno));
			return NULL;
		}
		/* UTC is always known, zone database or not. */
		if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
			if ((tz = tz_load_posix("UTC0", err)) != NULL)
				snprintf(tz->name, sizeof tz->name, "%s", name);
			return tz;
		}
		errmsg_set(err, "unknown time zone '%s'", name);
		return NULL;
	}
	if (st.st_size > TZ_FILE_MAX) {
		fclose(f);
		errmsg_set(err, "time zone '%s': not a TZif file", name);
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(f);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		errmsg_set(err, "time zone '%s': %s: read error", name, path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);

	tz = tzif_parse(name, buf, len, &why);
	free(buf);
	if (tz == NULL)
		errmsg_set(err, "time zone '%s': %s", name, why);
	return tz;
}
