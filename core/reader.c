/*
 * reader.c -- streaming market data files into td_md events (see reader.h).
 *
 * A reader owns one file descriptor, one 1 MiB line buffer and, for .xz
 * input, a liblzma decoder with its own input buffer (reader-input.c).
 * reader_open looks at the first lines to pick the format, check a header
 * and set the time zone; reader_next takes one line at a time, has
 * reader-row.c parse it in place, and checks the order of time stamps.
 * Nothing is allocated after reader_open.
 *
 * The engine sees readers through feed-file.c, which merges the readers of
 * several instruments in time order; each reader guarantees order inside
 * its own file.  A live feed (feed-pipe.c) reads its own bytes and hands
 * the reader whole lines (reader_take_line): the same format detection,
 * row parser and order check, without a file of the reader's own.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "reader-int.h"
#include "tz.h"

#define READER_MAX_MINUTES	(31 * 1440)	/* longest bar: a month */


const struct reader_fmtinfo reader_fmts[READER_NFMT] = {
	[READER_AUTO] = { .name = "auto" },
	[READER_CSV] = { .name = "csv", .sep = ',', .minf = 5,
	    .maxf = READER_MAXF, .tz = "America/New_York" },
	[READER_NT_MINUTE] = { .name = "nt-minute", .sep = ';', .minf = 6,
	    .maxf = 6, .tz = "UTC", .stamp_end = 1 },
	[READER_NT_DAY] = { .name = "nt-day", .sep = ';', .minf = 6,
	    .maxf = 6, .tz = "UTC" },
	[READER_NT_TICK] = { .name = "nt-tick", .sep = ';', .minf = 3,
	    .maxf = 5, .tz = "UTC", .ticks = 1 },
	[READER_LEAN_MINUTE] = { .name = "lean-minute", .sep = ',',
	    .minf = 6, .maxf = 6, .tz = "UTC", .name_date = 1 },
	[READER_TICK_CSV] = { .name = "tick-csv", .sep = ',', .minf = 3,
	    .maxf = 3, .tz = "UTC", .ticks = 1 },
	[READER_LEAN_TICK] = { .name = "lean-tick", .sep = ',', .minf = 6,
	    .maxf = 6, .tz = "America/New_York", .ticks = 1,
	    .name_date = 1 },
};

/* ------------------------------------------------------------ the loop */

static int
reader_fail(struct reader *r, struct errmsg *err)
{
	r->failed = 1;
	if (err != NULL)
		*err = r->err;
	return -1;
}

/*
 * One data row: 1 and an event, 0 when it is skipped (flagged, or out of
 * order under READER_SKIP), -1 with "path:line: reason" in r->err.
 */
static inline int
reader_take(struct reader *r, const char *s, size_t n, struct td_md *md)
{
	struct reader_field	 f[READER_MAXF];
	int			 rc;
	td_ns			 t;

	r->st.rows++;
	if ((rc = reader_row(r, s, n, md)) == -1) {
		if (r->nonl)
			errmsg_prefix(&r->err, "truncated last line");
		errmsg_prefix(&r->err, "%s:%lld", r->path, (long long)r->line);
		return -1;
	}
	if (rc == 1) {
		r->st.skipped_flagged++;
		return 0;
	}

	/* Bars never repeat a start; ticks may share a time. */
	t = td_md_start(md);
	if (r->have_prev && (t < r->prev ||
	    (t == r->prev && md->kind == TD_MD_BAR))) {
		if (r->disorder == READER_SKIP) {
			r->st.skipped_disorder++;
			return 0;
		}
		reader_split(s, n, r->fi->sep, f, 1);
		return errmsg_set(&r->err, "%s:%lld: timestamp %.*s is %s the "
		    "previous row", r->path, (long long)r->line,
		    f[0].n > READER_SHOW ? READER_SHOW : (int)f[0].n,
		    f[0].s, md->kind == TD_MD_BAR ? "not after" : "before");
	}
	r->prev = t;
	r->have_prev = 1;
	md->inst = r->inst_idx;
	r->st.events++;
	return 1;
}

int
reader_next(struct reader *r, struct td_md *md, struct errmsg *err)
{
	const char		*s = NULL;
	size_t			 n = 0;
	int			 rc;

	if (r->failed)
		return reader_fail(r, err);
	for (;;) {
		if ((rc = reader_line(r, &s, &n, &r->err)) <= 0) {
			if (rc == -1)
				return reader_fail(r, err);
			return 0;
		}
		if (n == 0)
			continue;
		if (r->line == r->header_line) {
			r->st.skipped_header++;
			continue;
		}
		if ((rc = reader_take(r, s, n, md)) == 1)
			return 1;
		if (rc == -1)
			return reader_fail(r, err);
	}
}

/* ---------------------------------------------------------- opening */

static int
reader_all_digits(const struct reader_field *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		if (!reader_isdigit(f->s[i]))
			return 0;
	}
	return f->n > 0;
}

/* Pick a format from the first data row, the way NinjaTrader does. */
static enum reader_format
reader_detect(const char *s, size_t n)
{
	struct reader_field	 f[READER_MAXF];
	int			 nf, digits = 0, other = 0, alpha = 0;
	size_t			 i;

	nf = reader_split(s, n, ';', f, READER_MAXF);
	if (nf >= 3) {
		for (i = 0; i < f[0].n; i++) {
			if (reader_isdigit(f[0].s[i]))
				digits++;
			else if (f[0].s[i] != ' ')
				other++;
		}
		if (other != 0 || nf > READER_MAXF)
			return READER_UNKNOWN;
		if (nf == 6 && digits == 8)
			return READER_NT_DAY;
		if (nf == 6 && (digits == 12 || digits == 14))
			return READER_NT_MINUTE;
		if ((nf == 3 || nf == 5) && (digits == 14 || digits == 21))
			return READER_NT_TICK;
		return READER_UNKNOWN;
	}
	nf = reader_split(s, n, ',', f, READER_MAXF);
	if (nf < 3 || nf > READER_MAXF)
		return READER_UNKNOWN;
	if (f[0].n >= 10 && f[0].s[4] == '-' && f[0].s[7] == '-') {
		if (nf == 3 && reader_all_digits(&f[1]) && f[1].n >= 13)
			return READER_TICK_CSV;
		return nf >= 5 ? READER_CSV : READER_UNKNOWN;
	}
	if (nf == 6 && reader_all_digits(&f[0])) {
		for (i = 0; i < f[3].n; i++) {
			char	 c = (char)(f[3].s[i] | 0x20);

			alpha += c >= 'a' && c <= 'z';
		}
		return alpha ? READER_LEAN_TICK : READER_LEAN_MINUTE;
	}
	return READER_UNKNOWN;
}

/*
 * A header is a line of names: printable text, as many fields as the
 * data, each with a letter in it.  Anything else is not a file we know.
 */
static int
reader_header(struct reader *r, const char *s, size_t n, int nfields,
    struct errmsg *err)
{
	struct reader_field	 f[READER_MAXF];
	int			 nf, i, letter;
	size_t			 j;

	for (j = 0; j < n; j++) {
		if ((unsigned char)s[j] < 0x20 && s[j] != '\t')
			goto garbage;
	}
	nf = reader_split(s, n, r->fi->sep, f, READER_MAXF);
	if (nf != nfields)
		goto garbage;
	for (i = 0; i < nf; i++) {
		letter = 0;
		for (j = 0; j < f[i].n; j++) {
			char	 c = (char)(f[i].s[j] | 0x20);

			letter |= c >= 'a' && c <= 'z';
		}
		if (!letter)
			goto garbage;
		if (f[i].n == 6 && strncasecmp(f[i].s, "volume", 6) == 0 &&
		    r->fmt == READER_CSV)
			r->vol_col = i;
	}
	return 0;

garbage:
	return errmsg_set(err, "%s:%lld: not a header and not a data row: "
	    "'%.*s'", r->path, (long long)r->header_line,
	    n > READER_SHOW ? READER_SHOW : (int)n, s);
}

/* "ES_5min_sample.csv" says 5, "ES_1hour_x" 60; 0 when the name is silent. */
static int
reader_name_minutes(const char *base)
{
	const char	*p;
	int		 v;

	for (p = base; *p != '\0'; p++) {
		if (!reader_isdigit(*p) || (p > base && p[-1] != '_' &&
		    p[-1] != '-' && p[-1] != ' ' && p[-1] != '.'))
			continue;
		for (v = 0; reader_isdigit(*p) && v < 100000; p++)
			v = v * 10 + (*p - '0');
		if (strncmp(p, "min", 3) == 0 && !reader_isdigit(p[3]) &&
		    (p[3] < 'a' || p[3] > 'z'))
			return v;
		if (strncmp(p, "hour", 4) == 0)
			return v * 60;
		if (*p == '\0')
			break;
	}
	return 0;
}

/* The date a Lean file name starts with: "20131007_es_minute_...". */
static int
reader_name_date(struct reader *r, const char *base, struct errmsg *err)
{
	if (strlen(base) < 9 || base[8] != '_' ||
	    reader_date(r, base, 0, &r->name_days) == -1)
		return errmsg_set(err, "%s: the file name must start with the "
		    "date as YYYYMMDD_", r->path);
	r->date_len = 0;
	return 0;
}

/*
 * Look at the first lines in the buffer, without taking them: the header
 * candidate (a first line not starting with a digit) and the first row.
 */
static int
reader_peek(struct reader *r, const char **row, size_t *rown,
    int64_t *rowline, const char **hdr, size_t *hdrn)
{
	const char	*p = r->buf + r->beg, *end = r->buf + r->end, *nl;
	int64_t		 line = 0;
	size_t		 n;

	*hdr = NULL;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL && !r->eof)
			return -1;	/* more than a buffer: no row */
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (++line == 1 && n >= 3 &&
		    memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			n -= 3;
		}
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0) {
			if (reader_isdigit(*p)) {
				*row = p;
				*rown = n;
				*rowline = line;
				return 0;
			}
			if (*hdr != NULL)
				return -1;
			*hdr = p;
			*hdrn = n;
			r->header_line = line;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return -1;
}

/* Check the options and allocate a reader with a buffer of len bytes. */
static struct reader *
reader_alloc(const char *path, const struct reader_opts *o, size_t len,
    struct errmsg *err)
{
	struct reader	*r;

	if (o->format < READER_AUTO || o->format >= READER_NFMT) {
		errmsg_set(err, "%s: unknown data format", path);
		return NULL;
	}
	if (o->bar_minutes > READER_MAX_MINUTES) {
		errmsg_set(err, "%s: bar length %d minutes is too long", path,
		    o->bar_minutes);
		return NULL;
	}
	if ((r = calloc(1, sizeof *r)) == NULL) {
		errmsg_set(err, "%s: out of memory", path);
		return NULL;
	}
	r->fd = -1;
	if ((r->path = strdup(path)) == NULL ||
	    (r->buf = malloc(len)) == NULL) {
		errmsg_set(err, "%s: out of memory", path);
		reader_close(r);
		return NULL;
	}
	r->hour_key = INT64_MIN;
	r->vol_col = -1;
	r->inst = o->instrument;
	r->inst_idx = o->inst;
	r->disorder = o->disorder;
	return r;
}

/*
 * From the first data row (and the header line before it, hdr NULL for
 * none): the format, the row layout, the time zone and the bar length.
 */
static int
reader_setup(struct reader *r, const struct reader_opts *o, const char *row,
    size_t rown, int64_t rowline, const char *hdr, size_t hdrn,
    struct errmsg *err)
{
	struct reader_field	 f[READER_MAXF];
	const char		*base, *tzname;
	int			 nf, minutes;

	if ((base = strrchr(r->path, '/')) != NULL)
		base++;
	else
		base = r->path;
	r->fmt = o->format;
	if (r->fmt == READER_AUTO &&
	    (r->fmt = reader_detect(row, rown)) == READER_UNKNOWN)
		return errmsg_set(err, "%s:%lld: cannot tell the data format "
		    "from '%.*s'", r->path, (long long)rowline,
		    rown > READER_SHOW ? READER_SHOW : (int)rown, row);
	r->fi = &reader_fmts[r->fmt];

	/* Rows must all have the field count of the first, if it fits. */
	nf = reader_split(row, rown, r->fi->sep, f, READER_MAXF);
	r->nfields = r->fi->minf;
	if (nf >= r->fi->minf && nf <= r->fi->maxf &&
	    !(r->fmt == READER_NT_TICK && nf == 4))
		r->nfields = nf;
	if (r->fmt == READER_CSV && r->nfields >= 6)
		r->vol_col = 5;
	if (r->fmt == READER_NT_MINUTE || r->fmt == READER_NT_DAY ||
	    r->fmt == READER_LEAN_MINUTE)
		r->vol_col = 5;
	if (hdr != NULL && reader_header(r, hdr, hdrn, r->nfields,
	    err) == -1)
		return -1;

	if (r->fi->name_date && reader_name_date(r, base, err) == -1)
		return -1;
	tzname = o->tz != NULL ? o->tz : r->fi->tz;
	if (r->fmt != READER_TICK_CSV && strcmp(tzname, "UTC") != 0 &&
	    strcmp(tzname, "Etc/UTC") != 0 &&
	    (r->tz = tz_load(tzname, err)) == NULL) {
		errmsg_prefix(err, "%s", r->path);
		return -1;
	}

	switch (o->stamp) {
	case READER_STAMP_START:
		r->stamp_end = 0;
		break;
	case READER_STAMP_END:
		r->stamp_end = 1;
		break;
	default:
		r->stamp_end = r->fi->stamp_end;
		break;
	}
	minutes = o->bar_minutes;
	if (minutes <= 0 && r->fmt == READER_CSV)
		minutes = reader_name_minutes(base);
	if (minutes <= 0)
		minutes = 1;
	r->bar_ns = (td_ns)minutes * TD_NS_PER_MIN;
	return 0;
}

struct reader *
reader_open(const char *path, const struct reader_opts *o, struct errmsg *err)
{
	struct reader		*r;
	const char		*row, *hdr;
	size_t			 rown = 0, hdrn = 0;
	int64_t			 rowline;

	if ((r = reader_alloc(path, o, READER_BUF, err)) == NULL)
		return NULL;
	if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		reader_syserr(r, NULL, err);
		goto fail;
	}
	if (reader_start(r, err) == -1)
		goto fail;
	if (reader_peek(r, &row, &rown, &rowline, &hdr, &hdrn) == -1) {
		if (r->end == 0)
			errmsg_set(err, "%s: empty file", path);
		else if (r->eof)
			errmsg_set(err, "%s: no data rows", path);
		else
			errmsg_set(err, "%s: no data row in the first %d "
			    "bytes", path, READER_BUF);
		goto fail;
	}
	if (reader_setup(r, o, row, rown, rowline, hdr, hdrn, err) == -1)
		goto fail;
	return r;

fail:
	reader_close(r);
	return NULL;
}

/* ---------------------------------------------------------- lines */

struct reader *
reader_open_lines(const char *name, const struct reader_opts *o,
    struct errmsg *err)
{
	struct reader	*r;

	if ((r = reader_alloc(name, o, READER_HDR_MAX, err)) == NULL)
		return NULL;
	r->lines = *o;
	return r;
}

/* A line before the first data row: the header (one at most). */
static int
reader_hold_header(struct reader *r, const char *s, size_t n,
    struct errmsg *err)
{
	if (r->header_line != 0 || n > READER_HDR_MAX)
		return errmsg_set(err, "%s:%lld: not a header and not a data "
		    "row: '%.*s'", r->path, (long long)r->line,
		    n > READER_SHOW ? READER_SHOW : (int)n, s);
	memcpy(r->buf, s, n);
	r->hdr_len = n;
	r->header_line = r->line;
	r->st.skipped_header++;
	return 0;
}

int
reader_take_line(struct reader *r, const char *s, size_t n,
    struct td_md *md, struct errmsg *err)
{
	int	 rc;

	if (r->line++ == 0 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (n == 0)
		return 0;
	if (r->fi == NULL) {
		if (!reader_isdigit(*s))
			return reader_hold_header(r, s, n, err) == -1 ? -1 : 0;
		rc = reader_setup(r, &r->lines, s, n, r->line,
		    r->header_line != 0 ? r->buf : NULL, r->hdr_len, err);
		/* Whatever was wrong, the next data row starts afresh. */
		r->header_line = 0;
		if (rc == -1) {
			r->fi = NULL;
			tz_free(r->tz);
			r->tz = NULL;
			r->vol_col = -1;
			return -1;
		}
	}
	if ((rc = reader_take(r, s, n, md)) == -1 && err != NULL)
		*err = r->err;
	return rc;
}

void
reader_close(struct reader *r)
{
	if (r == NULL)
		return;
	if (r->xz)
		lzma_end(&r->lz);
	if (r->fd != -1)
		close(r->fd);
	tz_free(r->tz);
	free(r->zin);
	free(r->buf);
	free(r->path);
	free(r);
}

const struct reader_stats *
reader_stats(const struct reader *r)
{
	return &r->st;
}

int64_t
reader_offset(const struct reader *r)
{
	return r->fd == -1 ? -1 : (int64_t)lseek(r->fd, 0, SEEK_CUR);
}

enum reader_format
reader_format_get(const struct reader *r)
{
	return r->fmt;
}

int
reader_ticks(const struct reader *r)
{
	if (r->fi == NULL)
		return -1;
	return r->fi->ticks != 0;
}

enum reader_format
reader_format_of(const char *name)
{
	int	 i;

	for (i = 0; i < READER_NFMT; i++) {
		if (strcmp(name, reader_fmts[i].name) == 0)
			return (enum reader_format)i;
	}
	return READER_UNKNOWN;
}

const char *
reader_format_name(enum reader_format f)
{
	if (f < READER_AUTO || f >= READER_NFMT)
		return "unknown";
	return reader_fmts[f].name;
}
