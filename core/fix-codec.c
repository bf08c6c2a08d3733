/*
 * fix-codec.c -- FIX tag=value messages: framing, fields, groups,
 * building, and the message log line.
 *
 * Reading is two steps.  Framing looks only at the head of the stream:
 * "8=" BeginString, "9=" BodyLength, "35=", then exactly BodyLength bytes
 * after the SOH ending 9=... the trailer "10=" three digits SOH, whose
 * value must be the sum of every byte before it mod 256.  When any of
 * that fails the bytes cannot be trusted as a message at all: they are
 * garbled, and the caller skips to the next "8=" the same header check
 * accepts, so one bad byte costs at most the message it is in.  A framed
 * message is copied into the caller's struct fix_msg and split into
 * fields; a bad field there makes the message invalid, which the session
 * answers with a Reject (it is a message, it had a sequence number).
 *
 * Building writes the fields at a small offset in struct fix_out and,
 * once BodyLength is known, moves them behind "8=...|9=...|" and appends
 * the CheckSum.  The offset is shorter than any header ("8=X|9=N|" is 8
 * bytes), so a body under construction is told from a finished message
 * and from a field list (offset 0), and shorter than header and trailer
 * together, so every body a message may carry fits while it is built:
 * only finish knows the exact length, and it alone refuses a message
 * one byte too long.  A builder that met a bad value stays bad until
 * finish says so, which keeps the callers' chains of adds free of checks.
 *
 * Nothing here allocates or keeps state between calls: every byte lives
 * in the caller's structs.  Timestamps go through tz.h's civil calendar
 * arithmetic (no timegm, no locale, no TZ).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fix-codec.h"
#include "tz.h"

#define BEGIN_MAX	16	/* longest BeginString ("FIXT.1.1" is 8) */
#define TRAILER_LEN	7	/* "10=nnn" SOH */
#define OUT_HEAD	7	/* where a body is built: below any header */
#define DEC_SCALE_MAX	18	/* 10^18 still fits int64 */
#define TIME_YEAR_MIN	1678	/* td_ns spans 1677-09-21 .. 2262-04-11 */
#define TIME_YEAR_MAX	2261

enum frame_rc {
	FRAME_OK,
	FRAME_MORE,
	FRAME_BAD,
};

/* Where the parts of a message at the head of the stream are. */
struct frame {
	size_t		 head;		/* the body begins: after 9=...SOH */
	size_t		 body;		/* BodyLength */
	size_t		 total;		/* header, body and trailer */
};

/* Splitting a framed message into fields. */
struct split {
	struct fix_msg	*m;
	size_t		 pos;		/* next byte of m->raw */
	size_t		 end;		/* where the trailer begins */
	size_t		 vals;		/* next byte of m->vals */
	unsigned	 seen;		/* once_tags met, one bit each */
};

/* Tags that may appear once only: header and trailer. */
static const int once_tags[] = {
	FIX_T_BEGIN_STRING, FIX_T_BODY_LENGTH, FIX_T_CHECKSUM,
	FIX_T_MSG_SEQ_NUM, FIX_T_MSG_TYPE, FIX_T_POSS_DUP,
	FIX_T_SENDER_COMP_ID, FIX_T_SENDING_TIME, FIX_T_TARGET_COMP_ID,
	FIX_T_POSS_RESEND, FIX_T_ORIG_SENDING_TIME,
};

static const uint64_t pow10_u64[DEC_SCALE_MAX + 1] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
};

static int	 fix_err(struct fix_error *, enum fix_reject_reason, int,
		    const char *, ...) __attribute__((format(printf, 4, 5)));
static enum frame_rc frame_bad(struct fix_error *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
err_vset(struct fix_error *err, enum fix_reject_reason reason, int tag,
    const char *fmt, va_list ap)
{
	if (err == NULL)
		return;
	err->reason = reason;
	err->tag = tag;
	vsnprintf(err->text, sizeof err->text, fmt, ap);
}

/* A bad field: fill err (when not NULL); always -1. */
static int
fix_err(struct fix_error *err, enum fix_reject_reason reason, int tag,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	err_vset(err, reason, tag, fmt, ap);
	va_end(ap);
	return -1;
}

/* A garbled message: no Reject will name a reason, the text says it. */
static enum frame_rc
frame_bad(struct fix_error *err, int tag, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	err_vset(err, FIX_RJ_OTHER, tag, fmt, ap);
	va_end(ap);
	return FRAME_BAD;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A byte a BeginString may hold: printable, not '='. */
static bool
begin_char(char c)
{
	return c > ' ' && c < 0x7f && c != '=';
}

/* ---------------------------------------------------------------- numbers */

/*
 * Digits with an optional leading '-' and, when point, an optional '.'
 * followed by at most scale digits; at least one digit in all.  The value
 * times 10^scale into *v; -1 when it is not such a number or overflows.
 */
static int
dec_parse(const char *s, size_t len, int scale, bool point, int64_t *v)
{
	bool		 neg = len > 0 && s[0] == '-';
	uint64_t	 lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
	uint64_t	 mag = 0;
	int		 ndig = 0, nfrac = -1;

	if (scale < 0 || scale > DEC_SCALE_MAX)
		return -1;
	for (size_t i = neg; i < len; i++) {
		unsigned	 d = (unsigned)(unsigned char)s[i] - '0';

		if (s[i] == '.' && point && nfrac == -1) {
			nfrac = 0;
			continue;
		}
		if (d > 9 || (nfrac >= 0 && ++nfrac > scale) ||
		    mag > (lim - d) / 10)
			return -1;
		mag = mag * 10 + d;
		ndig++;
	}
	if (ndig == 0 || mag > lim / pow10_u64[scale - (nfrac > 0 ?
	    nfrac : 0)])
		return -1;
	mag *= pow10_u64[scale - (nfrac > 0 ? nfrac : 0)];
	*v = !neg || mag == 0 ? (int64_t)mag : -(int64_t)(mag - 1) - 1;
	return 0;
}

/* n digits exactly into *v. */
static int
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "YYYYMMDD-HH:MM:SS" with an optional ".sss" or ".ssssss", checked. */
static int
time_parse(const char *s, size_t len, td_ns *t)
{
	int	 y, mo, d, h, mi, sec, frac = 0;

	if (len != 17 && len != 21 && len != 24)
		return -1;
	if (digits(s, 4, &y) || digits(s + 4, 2, &mo) ||
	    digits(s + 6, 2, &d) || s[8] != '-' || digits(s + 9, 2, &h) ||
	    s[11] != ':' || digits(s + 12, 2, &mi) || s[14] != ':' ||
	    digits(s + 15, 2, &sec))
		return -1;
	if (len > 17 && (s[17] != '.' || digits(s + 18, (int)len - 18,
	    &frac)))
		return -1;
	if (y < TIME_YEAR_MIN || y > TIME_YEAR_MAX || mo < 1 || mo > 12 ||
	    d < 1 || d > tz_month_days(y, mo) || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	*t = tz_days_from_civil(y, mo, d) * TD_NS_PER_DAY +
	    h * TD_NS_PER_HOUR + mi * TD_NS_PER_MIN + sec * TD_NS_PER_SEC +
	    (int64_t)frac * (len == 21 ? 1000000 : 1000);
	return 0;
}

/* ---------------------------------------------------------------- framing */

/* Whether b[pos ..] begins with lit, or could once more bytes come. */
static enum frame_rc
frame_lit(const char *b, size_t len, size_t pos, const char *lit)
{
	for (size_t i = 0; lit[i] != '\0'; i++) {
		if (pos + i == len)
			return FRAME_MORE;
		if (b[pos + i] != lit[i])
			return FRAME_BAD;
	}
	return FRAME_OK;
}

/* "8=" BeginString SOH; *pos past it. */
static enum frame_rc
frame_begin(const char *b, size_t len, size_t *pos, struct fix_error *err)
{
	enum frame_rc	 rc;
	size_t		 i;

	if ((rc = frame_lit(b, len, 0, "8=")) != FRAME_OK)
		return rc == FRAME_MORE ? rc : frame_bad(err,
		    FIX_T_BEGIN_STRING, "message does not begin with 8=");
	for (i = 2; i < len && b[i] != FIX_SOH; i++) {
		if (i - 2 == BEGIN_MAX || !begin_char(b[i]))
			return frame_bad(err, FIX_T_BEGIN_STRING,
			    "BeginString (8) is not a FIX version");
	}
	if (i == len)
		return FRAME_MORE;
	if (i == 2)
		return frame_bad(err, FIX_T_BEGIN_STRING,
		    "BeginString (8) empty");
	*pos = i + 1;
	return FRAME_OK;
}

/* "9=" BodyLength SOH at *pos: a positive number, no leading zero. */
static enum frame_rc
frame_length(const char *b, size_t len, size_t *pos, size_t *body,
    struct fix_error *err)
{
	enum frame_rc	 rc;
	size_t		 i, v = 0;

	if ((rc = frame_lit(b, len, *pos, "9=")) != FRAME_OK)
		return rc == FRAME_MORE ? rc : frame_bad(err,
		    FIX_T_BODY_LENGTH, "BodyLength (9) not second");
	for (i = *pos + 2; i < len && is_digit(b[i]); i++) {
		if (v == 0 && b[i] == '0')
			break;
		v = v * 10 + (size_t)(b[i] - '0');
		if (v > FIX_MSG_MAX)
			return frame_bad(err, FIX_T_BODY_LENGTH,
			    "BodyLength (9) over %d", FIX_MSG_MAX);
	}
	if (i == len)
		return FRAME_MORE;
	if (b[i] != FIX_SOH || v == 0)
		return frame_bad(err, FIX_T_BODY_LENGTH,
		    "BodyLength (9) not a positive number");
	*pos = i + 1;
	*body = v;
	return FRAME_OK;
}

/* The header up to "35=": where the body begins and how long it all is. */
static enum frame_rc
frame_head(const char *b, size_t len, struct frame *fr,
    struct fix_error *err)
{
	enum frame_rc	 rc;
	size_t		 pos = 0;

	if ((rc = frame_begin(b, len, &pos, err)) != FRAME_OK ||
	    (rc = frame_length(b, len, &pos, &fr->body, err)) != FRAME_OK)
		return rc;
	if ((rc = frame_lit(b, len, pos, "35=")) != FRAME_OK)
		return rc == FRAME_MORE ? rc : frame_bad(err, FIX_T_MSG_TYPE,
		    "MsgType (35) not third");
	fr->head = pos;
	fr->total = pos + fr->body + TRAILER_LEN;
	if (fr->total > FIX_MSG_MAX)
		return frame_bad(err, FIX_T_BODY_LENGTH,
		    "BodyLength %zu makes a message over %d bytes", fr->body,
		    FIX_MSG_MAX);
	return FRAME_OK;
}

/* "10=nnn" SOH right after the body, nnn the sum of the bytes before. */
static enum frame_rc
frame_trailer(const char *b, const struct frame *fr, struct fix_error *err)
{
	size_t		 t = fr->head + fr->body;
	unsigned	 sum = 0;
	int		 got;

	if (b[t - 1] != FIX_SOH || memcmp(b + t, "10=", 3) != 0)
		return frame_bad(err, FIX_T_CHECKSUM,
		    "BodyLength %zu but CheckSum not found there", fr->body);
	if (digits(b + t + 3, 3, &got) == -1 || b[t + 6] != FIX_SOH)
		return frame_bad(err, FIX_T_CHECKSUM,
		    "CheckSum (10) not three digits");
	for (size_t i = 0; i < t; i++)
		sum += (unsigned char)b[i];
	if ((int)(sum % 256) != got)
		return frame_bad(err, FIX_T_CHECKSUM,
		    "CheckSum %03d, computed %03u", got, sum % 256);
	return FRAME_OK;
}

/*
 * How far to skip after a garbled message: to the next "8=" whose header,
 * as far as the bytes go, could begin a message (a lone '8' at the end
 * could too), else all of it.  At least 1.
 */
static size_t
frame_resync(const char *b, size_t len)
{
	struct frame	 fr;
	const char	*p;

	for (size_t i = 1; i < len; i = (size_t)(p - b) + 1) {
		if ((p = memchr(b + i, '8', len - i)) == NULL)
			break;
		if (frame_head(p, len - (size_t)(p - b), &fr, NULL) !=
		    FRAME_BAD)
			return (size_t)(p - b);
	}
	return len;
}

/* ---------------------------------------------------------------- fields */

/* The tag at s->pos up to '=': digits, 1 .. FIX_TAG_MAX, no leading 0. */
static int
split_tag(struct split *s, int *tag, struct fix_error *err)
{
	const char	*r = s->m->raw;
	size_t		 i;
	int		 v = 0;

	/* raw is NUL-ended: the loop stops at rawlen at the latest. */
	for (i = s->pos; is_digit(r[i]); i++) {
		if ((i == s->pos && r[i] == '0') ||
		    (v = v * 10 + (r[i] - '0')) > FIX_TAG_MAX)
			break;
	}
	if (i == s->pos || r[i] != '=')
		return fix_err(err, FIX_RJ_INVALID_TAG, 0,
		    "invalid tag number at byte %zu", s->pos);
	*tag = v;
	s->pos = i + 1;
	return 0;
}

/* RawData's length: the value of RawDataLength right before it. */
static int
split_data_len(struct split *s, size_t *vlen, struct fix_error *err)
{
	const struct fix_msg	*m = s->m;
	int64_t			 n;

	if (m->n == 0 || m->f[m->n - 1].tag != FIX_T_RAW_DATA_LENGTH)
		return fix_err(err, FIX_RJ_REQUIRED_MISSING,
		    FIX_T_RAW_DATA_LENGTH,
		    "RawData (96) not after RawDataLength (95)");
	if (dec_parse(m->f[m->n - 1].value, (size_t)m->f[m->n - 1].len, 0,
	    false, &n) == -1 || n < 0)
		return fix_err(err, FIX_RJ_BAD_FORMAT, FIX_T_RAW_DATA_LENGTH,
		    "RawDataLength (95) not a length");
	if ((uint64_t)n >= s->end - s->pos ||
	    m->raw[s->pos + (size_t)n] != FIX_SOH)
		return fix_err(err, FIX_RJ_BAD_VALUE, FIX_T_RAW_DATA_LENGTH,
		    "RawDataLength %" PRId64 " does not end RawData (96) "
		    "at a SOH", n);
	*vlen = (size_t)n;
	return 0;
}

/* The value of tag at s->pos: its length, checked against the limits. */
static int
split_value(struct split *s, int tag, size_t *vlen, struct fix_error *err)
{
	const char	*v = s->m->raw + s->pos;

	if (tag == FIX_T_RAW_DATA) {
		if (split_data_len(s, vlen, err) == -1)
			return -1;
	} else
		*vlen = (size_t)((const char *)memchr(v, FIX_SOH,
		    s->m->rawlen - s->pos) - v);
	if (*vlen == 0)
		return fix_err(err, FIX_RJ_NO_VALUE, tag,
		    "tag %d without a value", tag);
	if (*vlen > FIX_VALUE_MAX)
		return fix_err(err, FIX_RJ_OTHER, tag,
		    "value of tag %d longer than %d bytes", tag,
		    FIX_VALUE_MAX);
	if (tag != FIX_T_RAW_DATA && memchr(v, '\0', *vlen) != NULL)
		return fix_err(err, FIX_RJ_BAD_FORMAT, tag,
		    "NUL byte in the value of tag %d", tag);
	return 0;
}

/* A header or trailer tag met a second time. */
static int
split_once(struct split *s, int tag, struct fix_error *err)
{
	for (size_t i = 0; i < sizeof once_tags / sizeof once_tags[0]; i++) {
		if (once_tags[i] != tag)
			continue;
		if (s->seen & 1U << i)
			return fix_err(err, FIX_RJ_REPEATED_TAG, tag,
			    "tag %d appears more than once", tag);
		s->seen |= 1U << i;
	}
	return 0;
}

/* Append the field at s->pos to the message. */
static int
split_field(struct split *s, struct fix_error *err)
{
	struct fix_msg		*m = s->m;
	struct fix_field	*f;
	size_t			 vlen = 0;
	int64_t			 seq;
	int			 tag = 0;

	if (split_tag(s, &tag, err) == -1 ||
	    split_value(s, tag, &vlen, err) == -1)
		return -1;
	if (m->n == FIX_FIELDS_MAX)
		return fix_err(err, FIX_RJ_OTHER, tag,
		    "more than %d fields", FIX_FIELDS_MAX);
	if (split_once(s, tag, err) == -1)
		return -1;
	f = &m->f[m->n++];
	memcpy(m->vals + s->vals, m->raw + s->pos, vlen);
	m->vals[s->vals + vlen] = '\0';
	*f = (struct fix_field){ .tag = tag, .value = m->vals + s->vals,
	    .len = (int)vlen };
	s->vals += vlen + 1;
	s->pos += vlen + 1;
	if (tag == FIX_T_MSG_TYPE && m->n == 3)
		m->type = f->value;
	if (tag == FIX_T_MSG_SEQ_NUM && dec_parse(f->value, vlen, 0, false,
	    &seq) == 0 && seq > 0)
		m->seq = seq;
	return 0;
}

/*
 * After an invalid field: MsgSeqNum from the bytes, when the split did not
 * reach it, so the Reject can name the message.
 */
static void
split_find_seq(struct fix_msg *m)
{
	const char	*p = m->raw, *end = m->raw + m->rawlen, *v, *e;
	int64_t		 seq;

	while (m->seq == 0 && (p = memmem(p, (size_t)(end - p), "\00134=",
	    4)) != NULL) {
		v = p + 4;
		e = memchr(v, FIX_SOH, (size_t)(end - v));
		if (e != NULL && dec_parse(v, (size_t)(e - v), 0, false,
		    &seq) == 0 && seq > 0)
			m->seq = seq;
		p = v;
	}
}

/* Every field of the framed message in m->raw. */
static int
split_all(struct fix_msg *m, size_t trailer, struct fix_error *err)
{
	struct split	 s = { .m = m, .end = trailer };

	while (s.pos < m->rawlen) {
		if (split_field(&s, err) == -1)
			return -1;
	}
	return 0;
}

enum fix_parse_rc
fix_parse(const char *buf, size_t len, struct fix_msg *m, size_t *used,
    struct fix_error *err)
{
	struct fix_error	 scratch;
	struct frame		 fr;
	enum frame_rc		 rc;

	if (err == NULL)
		err = &scratch;
	*err = (struct fix_error){ .reason = FIX_RJ_OTHER };
	m->rawlen = 0;
	m->n = 0;
	m->type = NULL;
	m->seq = 0;
	*used = 0;
	if ((rc = frame_head(buf, len, &fr, err)) == FRAME_OK)
		rc = fr.total > len ? FRAME_MORE :
		    frame_trailer(buf, &fr, err);
	if (rc == FRAME_MORE)
		return FIX_NEED_MORE;
	if (rc == FRAME_BAD) {
		*used = frame_resync(buf, len);
		return FIX_GARBLED;
	}
	memcpy(m->raw, buf, fr.total);
	m->raw[fr.total] = '\0';
	m->rawlen = fr.total;
	*used = fr.total;
	if (split_all(m, fr.head + fr.body, err) == -1) {
		split_find_seq(m);
		return FIX_INVALID;
	}
	return FIX_OK;
}

/* ---------------------------------------------------------------- getters */

static const struct fix_field *
field_find(const struct fix_msg *m, int tag, bool *present)
{
	const struct fix_field	*f = NULL;

	for (int i = 0; i < m->n; i++) {
		if (m->f[i].tag == tag) {
			f = &m->f[i];
			break;
		}
	}
	if (present != NULL)
		*present = f != NULL;
	return f;
}

const char *
fix_get(const struct fix_msg *m, int tag)
{
	const struct fix_field	*f = field_find(m, tag, NULL);

	return f != NULL ? f->value : NULL;
}

int
fix_get_int(const struct fix_msg *m, int tag, int64_t *v, bool *present)
{
	const struct fix_field	*f = field_find(m, tag, present);

	if (f == NULL)
		return -1;
	return dec_parse(f->value, (size_t)f->len, 0, false, v);
}

int
fix_get_decimal(const struct fix_msg *m, int tag, int scale, int64_t *v,
    bool *present)
{
	const struct fix_field	*f = field_find(m, tag, present);

	if (f == NULL)
		return -1;
	return dec_parse(f->value, (size_t)f->len, scale, true, v);
}

int
fix_get_time(const struct fix_msg *m, int tag, td_ns *t, bool *present)
{
	const struct fix_field	*f = field_find(m, tag, present);

	if (f == NULL)
		return -1;
	return time_parse(f->value, (size_t)f->len, t);
}

/* ---------------------------------------------------------------- groups */

/* Index of tag in the 0-ended members (first_tag counts as one), or -1. */
static int
group_member(int tag, int first_tag, const int *members)
{
	if (tag == first_tag)
		return 0;
	for (int i = 0; members[i] != 0; i++) {
		if (members[i] == tag)
			return i + 1;
	}
	return -1;
}

/* The entries from field i on, into g; -1 with err when out of order. */
static int
group_entries(const struct fix_msg *m, int i, int count_tag, int first_tag,
    const int *members, struct fix_group *g, struct fix_error *err)
{
	uint64_t	 seen = 0;
	int		 k;

	/* The CheckSum, last, is never part of a group. */
	for (; i < m->n - 1; i++) {
		if ((k = group_member(m->f[i].tag, first_tag, members)) == -1)
			break;
		if (k == 0 && g->count < FIX_FIELDS_MAX) {
			g->start[g->count++] = i;
			seen = 0;
		} else if (g->count == 0 || (k < 64 && (seen & 1ULL << k)))
			return fix_err(err, FIX_RJ_GROUP_ORDER, m->f[i].tag,
			    "group %d: tag %d out of order, entries begin "
			    "with %d", count_tag, m->f[i].tag, first_tag);
		if (k < 64)
			seen |= 1ULL << k;
	}
	g->end = i;
	return 0;
}

int
fix_group_find(const struct fix_msg *m, int count_tag, int first_tag,
    const int *members, struct fix_group *g, struct fix_error *err)
{
	const struct fix_field	*f = field_find(m, count_tag, NULL);
	int64_t			 count;
	int			 i;

	g->count = 0;
	g->end = 0;
	if (f == NULL)
		return 0;
	i = (int)(f - m->f);
	if (dec_parse(f->value, (size_t)f->len, 0, false, &count) == -1 ||
	    count < 0)
		return fix_err(err, FIX_RJ_BAD_FORMAT, count_tag,
		    "NumInGroup (%d) not a count", count_tag);
	if (group_entries(m, i + 1, count_tag, first_tag, members, g,
	    err) == -1)
		return -1;
	if (g->count != count)
		return fix_err(err, FIX_RJ_GROUP_COUNT, count_tag,
		    "NumInGroup (%d) %" PRId64 " but %d entries", count_tag,
		    count, g->count);
	return 0;
}

const char *
fix_group_get(const struct fix_msg *m, const struct fix_group *g, int k,
    int tag)
{
	int	 end;

	if (k < 0 || k >= g->count)
		return NULL;
	end = k + 1 < g->count ? g->start[k + 1] : g->end;
	for (int i = g->start[k]; i < end; i++) {
		if (m->f[i].tag == tag)
			return m->f[i].value;
	}
	return NULL;
}

/* ---------------------------------------------------------------- building */

/* One field at the end of o, or o bad. */
static void
out_field(struct fix_out *o, int tag, const char *v, size_t vlen)
{
	char	 t[16];
	size_t	 tlen;

	if (o->bad)
		return;
	if (tag < 1 || tag > FIX_TAG_MAX || v == NULL || vlen == 0 ||
	    vlen > FIX_VALUE_MAX || memchr(v, FIX_SOH, vlen) != NULL) {
		o->bad = true;
		return;
	}
	tlen = (size_t)snprintf(t, sizeof t, "%d=", tag);
	if (o->len + tlen + vlen + 1 > FIX_MSG_MAX) {
		o->bad = true;
		return;
	}
	memcpy(o->buf + o->len, t, tlen);
	memcpy(o->buf + o->len + tlen, v, vlen);
	o->len += tlen + vlen;
	o->buf[o->len++] = FIX_SOH;
}

void
fix_out_begin(struct fix_out *o, const char *type)
{
	o->len = o->body = type != NULL ? OUT_HEAD : 0;
	o->bad = false;
	if (type != NULL)
		fix_out_str(o, FIX_T_MSG_TYPE, type);
}

void
fix_out_append(struct fix_out *o, const struct fix_out *list)
{
	if (o->bad)
		return;
	if (list->bad || list->body != 0 ||
	    o->len + list->len > FIX_MSG_MAX) {
		o->bad = true;
		return;
	}
	memcpy(o->buf + o->len, list->buf, list->len);
	o->len += list->len;
}

void
fix_out_str(struct fix_out *o, int tag, const char *value)
{
	out_field(o, tag, value, value != NULL ? strlen(value) : 0);
}

void
fix_out_int(struct fix_out *o, int tag, int64_t v)
{
	char	 s[24];

	out_field(o, tag, s, (size_t)snprintf(s, sizeof s, "%" PRId64, v));
}

void
fix_out_decimal(struct fix_out *o, int tag, int64_t v, int scale)
{
	uint64_t	 mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v, p;
	char		 s[48];
	int		 n;

	if (scale < 0 || scale > DEC_SCALE_MAX) {
		o->bad = true;
		return;
	}
	p = pow10_u64[scale];
	n = snprintf(s, sizeof s, "%s%" PRIu64, v < 0 ? "-" : "", mag / p);
	if (scale > 0)
		n += snprintf(s + n, sizeof s - (size_t)n, ".%0*" PRIu64,
		    scale, mag % p);
	out_field(o, tag, s, (size_t)n);
}

void
fix_out_time(struct fix_out *o, int tag, td_ns t)
{
	int64_t	 days = t / TD_NS_PER_DAY, rem = t % TD_NS_PER_DAY;
	int	 y, mo, d;
	char	 s[32];

	if (rem < 0) {
		rem += TD_NS_PER_DAY;
		days--;
	}
	tz_civil_from_days(days, &y, &mo, &d);
	out_field(o, tag, s, (size_t)snprintf(s, sizeof s,
	    "%04d%02d%02d-%02d:%02d:%02d.%03d", y, mo, d,
	    (int)(rem / TD_NS_PER_HOUR), (int)(rem / TD_NS_PER_MIN % 60),
	    (int)(rem / TD_NS_PER_SEC % 60), (int)(rem / 1000000 % 1000)));
}

/* A BeginString the parser would take. */
static bool
out_begin_ok(const char *begin)
{
	size_t	 i;

	if (begin == NULL)
		return false;
	for (i = 0; begin[i] != '\0'; i++) {
		if (i == BEGIN_MAX || !begin_char(begin[i]))
			return false;
	}
	return i > 0;
}

/* Fields in the body being built (each ends with SOH). */
static int
out_count(const struct fix_out *o)
{
	const char	*p = o->buf + o->body, *end = o->buf + o->len;
	int		 n = 0;

	while ((p = memchr(p, FIX_SOH, (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

static int
out_fail(struct fix_out *o)
{
	o->bad = true;
	return -1;
}

int
fix_out_finish(struct fix_out *o, const char *begin_string)
{
	char		 head[48];
	size_t		 blen, hlen, total;
	unsigned	 sum = 0;

	/* A message being built still has its body at OUT_HEAD. */
	if (o->bad || o->body != OUT_HEAD || !out_begin_ok(begin_string))
		return out_fail(o);
	blen = o->len - o->body;
	hlen = (size_t)snprintf(head, sizeof head, "8=%s\001" "9=%zu\001",
	    begin_string, blen);
	total = hlen + blen + TRAILER_LEN;
	if (total > FIX_MSG_MAX || out_count(o) + 3 > FIX_FIELDS_MAX)
		return out_fail(o);
	memmove(o->buf + hlen, o->buf + o->body, blen);
	memcpy(o->buf, head, hlen);
	for (size_t i = 0; i < hlen + blen; i++)
		sum += (unsigned char)o->buf[i];
	snprintf(o->buf + hlen + blen, TRAILER_LEN + 1, "10=%03u\001",
	    sum % 256);
	o->len = total;
	o->body = hlen;
	return 0;
}

/* ---------------------------------------------------------------- log */

/* A line being written: always room for the NUL. */
struct logw {
	char		*out;
	size_t		 size;
	size_t		 n;
};

static void
log_put(struct logw *w, char c)
{
	if (c == FIX_SOH)
		c = '|';
	else if ((unsigned char)c < ' ' || c == 0x7f)
		c = '?';
	if (w->n + 1 < w->size)
		w->out[w->n++] = c;
}

static void
log_puts(struct logw *w, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		log_put(w, s[i]);
}

static bool
log_secret(long tag)
{
	return tag == FIX_T_PASSWORD || tag == FIX_T_NEW_PASSWORD ||
	    tag == FIX_T_RAW_DATA;
}

/*
 * Where the value beginning at v ends (its SOH, or len).  RawData after
 * RawDataLength n runs n bytes, SOH allowed; were n wrong, we mask up to
 * the first SOH after it, or to the end: more, never less.
 */
static size_t
log_value_end(const char *raw, size_t len, size_t v, long tag, long datalen)
{
	const char	*e;

	if (tag == FIX_T_RAW_DATA && datalen >= 0) {
		if ((size_t)datalen >= len - v)
			return len;
		v += (size_t)datalen;
	}
	e = memchr(raw + v, FIX_SOH, len - v);
	return e != NULL ? (size_t)(e - raw) : len;
}

/* One field from i: written, masked if secret; where the next begins. */
static size_t
log_field(const char *raw, size_t len, size_t i, struct logw *w,
    long *datalen)
{
	size_t	 eq = i, end;
	long	 tag = 0;

	for (; eq < len && is_digit(raw[eq]); eq++) {
		if (tag < 1000000)
			tag = tag * 10 + (raw[eq] - '0');
	}
	if (eq == i || eq == len || raw[eq] != '=')
		tag = -1;
	end = log_value_end(raw, len, tag == -1 ? i : eq + 1, tag,
	    *datalen);
	if (log_secret(tag)) {
		log_puts(w, raw + i, eq + 1 - i);
		log_puts(w, "****", 4);
	} else
		log_puts(w, raw + i, end - i);
	*datalen = -1;
	if (tag == FIX_T_RAW_DATA_LENGTH) {
		int64_t	 n;

		if (dec_parse(raw + eq + 1, end - eq - 1, 0, false, &n) == 0 &&
		    n >= 0 && n <= FIX_MSG_MAX)
			*datalen = (long)n;
	}
	if (end < len)
		log_put(w, raw[end++]);
	return end;
}

void
fix_log_line(const char *raw, size_t len, char *out, size_t outlen)
{
	struct logw	 w = { .out = out, .size = outlen };
	size_t		 i = 0;
	long		 datalen = -1;

	if (outlen == 0)
		return;
	while (i < len)
		i = log_field(raw, len, i, &w, &datalen);
	out[w.n] = '\0';
}
