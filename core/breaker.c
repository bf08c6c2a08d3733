/*
 * breaker.c -- the circuit breakers (breaker.h).
 *
 * The engine feeds them on its own thread: a rejection where it counts an
 * order refused, each line it logs at error level or above, the account's
 * P&L after every mark, and each venue error.  A feed call that trips a
 * breaker returns true and the engine acts (halt, flatten, alert); the
 * breaker then ignores what it is fed until a person resets it.
 *
 * Counting breakers keep the times of their last N events in a ring of N
 * entries: with the ring full, the oldest entry younger than the window
 * means N events within it.  The P&L breaker keeps 60 buckets of a
 * sixtieth of its window, each with the lowest and highest P&L marked in
 * it and the number of its slice of time; the lowest and highest of the
 * other 59 buckets are worked out again only when a mark opens a new
 * bucket, so a mark costs a handful of comparisons.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "breaker.h"
#include "errmsg.h"
#include "portfolio.h"

#define PNL_BUCKETS	60

struct breaker_ring {
	td_ns		*t;
	int		 cap;		/* the threshold */
	int		 n;
	int		 head;		/* next slot; the oldest when full */
};

struct breaker_text {
	bool		 used;
	uint64_t	 hash;
	td_ns		 last;		/* for eviction */
	char		 sample[80];	/* component: text, cut */
	struct breaker_ring ring;
};

struct pnl_bucket {
	bool		 used;
	int64_t		 slice;		/* time / width */
	td_cents	 lo;
	td_cents	 hi;
};

struct breaker_one {
	bool		 tripped;
	td_ns		 when;
	char		 why[BREAKER_WHY_MAX];
	int64_t		 trips;
};

struct breaker {
	struct breaker_cfg	 cfg;
	struct breaker_one	 one[BREAKER_KINDS];

	struct breaker_ring	 rejects;
	struct breaker_ring	 venue;
	struct breaker_text	 text[BREAKER_ERROR_SLOTS];
	td_ns			*text_times;	/* the texts' rings */

	struct pnl_bucket	 pnl[PNL_BUCKETS];
	td_ns			 pnl_width;
	int64_t			 pnl_slice;	/* of the current bucket */
	bool			 pnl_rest;	/* rest_lo and rest_hi hold */
	td_cents		 rest_lo;	/* over the other buckets */
	td_cents		 rest_hi;
};

static const char *const breaker_names[BREAKER_KINDS] = {
	[BREAKER_REJECTS] = "rejects",
	[BREAKER_ERRORS] = "errors",
	[BREAKER_PNL_SWING] = "pnl_swing",
	[BREAKER_VENUE] = "venue",
};

const char *
breaker_name(enum breaker_kind k)
{
	if ((unsigned)k >= BREAKER_KINDS)
		return "?";
	return breaker_names[k];
}

int
breaker_parse(const char *name, enum breaker_kind *out)
{
	for (int k = 0; k < BREAKER_KINDS; k++) {
		if (strcmp(breaker_names[k], name) == 0) {
			*out = (enum breaker_kind)k;
			return 0;
		}
	}
	return -1;
}

/* "60 min", "90 s", "2 h", "1 day". */
static char *
breaker_span(td_ns t, char *buf, size_t len)
{
	int64_t	 s = t / TD_NS_PER_SEC;

	if (s % 86400 == 0)
		snprintf(buf, len, "%lld day%s", (long long)(s / 86400),
		    s == 86400 ? "" : "s");
	else if (s % 3600 == 0 && s > 3600)
		snprintf(buf, len, "%lld h", (long long)(s / 3600));
	else if (s % 60 == 0)
		snprintf(buf, len, "%lld min", (long long)(s / 60));
	else
		snprintf(buf, len, "%lld s", (long long)s);
	return buf;
}

/* ---------------------------------------------------------------- rings */

static void
ring_clear(struct breaker_ring *r)
{
	r->n = 0;
	r->head = 0;
}

/* Add an event at now; true when the ring holds cap events in window. */
static bool
ring_add(struct breaker_ring *r, td_ns now, td_ns window)
{
	r->t[r->head] = now;
	r->head = (r->head + 1) % r->cap;
	if (r->n < r->cap)
		r->n++;
	/* Full: head is the oldest of the last cap events. */
	return r->n == r->cap && now - r->t[r->head % r->cap] < window;
}

/* Events younger than window at now. */
static int64_t
ring_count(const struct breaker_ring *r, td_ns now, td_ns window)
{
	int64_t	 n = 0;

	for (int i = 0; i < r->n; i++) {
		if (now - r->t[i] < window)
			n++;
	}
	return n;
}

/* ---------------------------------------------------------------- setup */

static int
breaker_check_window(const char *name, td_ns w, struct errmsg *err)
{
	if (w < TD_NS_PER_SEC || w > BREAKER_WINDOW_MAX)
		return errmsg_set(err, "breakers: %s window must be 1 s to 7 "
		    "days", name);
	return 0;
}

static int
breaker_check(const struct breaker_cfg *c, struct errmsg *err)
{
	if (c->rejects < 0 || c->rejects > BREAKER_COUNT_MAX)
		return errmsg_set(err, "breakers: rejects must be 0 to %d",
		    BREAKER_COUNT_MAX);
	if (c->venue < 0 || c->venue > BREAKER_COUNT_MAX)
		return errmsg_set(err, "breakers: venue errors must be 0 to "
		    "%d", BREAKER_COUNT_MAX);
	if (c->errors < 0 || c->errors > BREAKER_ERRORS_MAX)
		return errmsg_set(err, "breakers: errors must be 0 to %d",
		    BREAKER_ERRORS_MAX);
	if (c->pnl_swing < 0)
		return errmsg_set(err, "breakers: pnl swing must not be "
		    "negative");
	if ((c->rejects > 0 && breaker_check_window("rejects",
	    c->rejects_window, err) == -1) ||
	    (c->errors > 0 && breaker_check_window("errors",
	    c->errors_window, err) == -1) ||
	    (c->pnl_swing > 0 && breaker_check_window("pnl_swing",
	    c->pnl_window, err) == -1) ||
	    (c->venue > 0 && breaker_check_window("venue",
	    c->venue_window, err) == -1))
		return -1;
	return 0;
}

struct breaker *
breaker_create(const struct breaker_cfg *cfg, struct errmsg *err)
{
	struct breaker	*b;

	if (breaker_check(cfg, err) == -1)
		return NULL;
	if ((b = calloc(1, sizeof *b)) == NULL)
		goto nomem;
	b->cfg = *cfg;
	/* Rings of at least one slot, so an off breaker needs no checks. */
	b->rejects.cap = cfg->rejects > 0 ? cfg->rejects : 1;
	b->venue.cap = cfg->venue > 0 ? cfg->venue : 1;
	if ((b->rejects.t = calloc((size_t)b->rejects.cap,
	    sizeof *b->rejects.t)) == NULL ||
	    (b->venue.t = calloc((size_t)b->venue.cap,
	    sizeof *b->venue.t)) == NULL)
		goto nomem;
	if (cfg->errors > 0) {
		if ((b->text_times = calloc((size_t)cfg->errors *
		    BREAKER_ERROR_SLOTS, sizeof *b->text_times)) == NULL)
			goto nomem;
		for (int i = 0; i < BREAKER_ERROR_SLOTS; i++) {
			b->text[i].ring.t = b->text_times + i * cfg->errors;
			b->text[i].ring.cap = cfg->errors;
		}
	}
	b->pnl_width = cfg->pnl_window / PNL_BUCKETS;
	if (b->pnl_width < 1)
		b->pnl_width = 1;
	return b;

nomem:
	breaker_free(b);
	errmsg_set(err, "breakers: out of memory");
	return NULL;
}

void
breaker_free(struct breaker *b)
{
	if (b == NULL)
		return;
	free(b->rejects.t);
	free(b->venue.t);
	free(b->text_times);
	free(b);
}

const struct breaker_cfg *
breaker_config(const struct breaker *b)
{
	return &b->cfg;
}

/* ---------------------------------------------------------------- trips */

static void
breaker_trip(struct breaker *b, enum breaker_kind k, td_ns now,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
breaker_trip(struct breaker *b, enum breaker_kind k, td_ns now,
    const char *fmt, ...)
{
	struct breaker_one	*o = &b->one[k];
	va_list			 ap;

	o->tripped = true;
	o->when = now;
	o->trips++;
	va_start(ap, fmt);
	vsnprintf(o->why, sizeof o->why, fmt, ap);
	va_end(ap);
}

bool
breaker_on_reject(struct breaker *b, td_ns now)
{
	char	 span[32];

	if (b->cfg.rejects == 0 || b->one[BREAKER_REJECTS].tripped ||
	    !ring_add(&b->rejects, now, b->cfg.rejects_window))
		return false;
	breaker_trip(b, BREAKER_REJECTS, now, "%d orders refused within %s",
	    b->cfg.rejects, breaker_span(b->cfg.rejects_window, span,
	    sizeof span));
	return true;
}

bool
breaker_on_venue_error(struct breaker *b, td_ns now)
{
	char	 span[32];

	if (b->cfg.venue == 0 || b->one[BREAKER_VENUE].tripped ||
	    !ring_add(&b->venue, now, b->cfg.venue_window))
		return false;
	breaker_trip(b, BREAKER_VENUE, now, "%d venue errors within %s",
	    b->cfg.venue, breaker_span(b->cfg.venue_window, span,
	    sizeof span));
	return true;
}

/* FNV-1a over the component, a separator and the text. */
static uint64_t
breaker_hash(const char *component, const char *text)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (const char *p = component; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	h = (h ^ 0xff) * 0x100000001b3ULL;
	for (const char *p = text; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return h;
}

/* The slot of a text: its own, a free one, or the one idle longest. */
static struct breaker_text *
breaker_text_slot(struct breaker *b, uint64_t h, const char *component,
    const char *text)
{
	struct breaker_text	*free_slot = NULL, *oldest = NULL, *t;

	for (int i = 0; i < BREAKER_ERROR_SLOTS; i++) {
		t = &b->text[i];
		if (t->used && t->hash == h)
			return t;
		if (!t->used) {
			if (free_slot == NULL)
				free_slot = t;
		} else if (oldest == NULL || t->last < oldest->last)
			oldest = t;
	}
	t = free_slot != NULL ? free_slot : oldest;
	t->used = true;
	t->hash = h;
	ring_clear(&t->ring);
	snprintf(t->sample, sizeof t->sample, "%s: %s", component, text);
	return t;
}

bool
breaker_on_error(struct breaker *b, td_ns now, const char *component,
    const char *text)
{
	struct breaker_text	*t;
	char			 span[32];

	if (b->cfg.errors == 0 || b->one[BREAKER_ERRORS].tripped)
		return false;
	t = breaker_text_slot(b, breaker_hash(component, text), component,
	    text);
	t->last = now;
	if (!ring_add(&t->ring, now, b->cfg.errors_window))
		return false;
	breaker_trip(b, BREAKER_ERRORS, now, "the same error %d times "
	    "within %s: %s", b->cfg.errors, breaker_span(b->cfg.errors_window,
	    span, sizeof span), t->sample);
	return true;
}

/* The bucket of a slice of time (times before 1970 too). */
static int
breaker_pnl_index(int64_t slice)
{
	return (int)(((slice % PNL_BUCKETS) + PNL_BUCKETS) % PNL_BUCKETS);
}

/* Lowest and highest P&L of the buckets in the window, but the current. */
static void
breaker_pnl_rest(struct breaker *b)
{
	b->pnl_rest = false;
	for (int i = 0; i < PNL_BUCKETS; i++) {
		const struct pnl_bucket	*k = &b->pnl[i];

		if (!k->used || k->slice == b->pnl_slice ||
		    k->slice <= b->pnl_slice - PNL_BUCKETS)
			continue;
		if (!b->pnl_rest || k->lo < b->rest_lo)
			b->rest_lo = k->lo;
		if (!b->pnl_rest || k->hi > b->rest_hi)
			b->rest_hi = k->hi;
		b->pnl_rest = true;
	}
}

/* Lowest and highest P&L in the window, the current bucket included. */
static bool
breaker_pnl_range(const struct breaker *b, td_cents *lo, td_cents *hi)
{
	const struct pnl_bucket	*cur = &b->pnl[breaker_pnl_index(b->pnl_slice)];

	if (!cur->used || cur->slice != b->pnl_slice)
		return false;
	*lo = cur->lo;
	*hi = cur->hi;
	if (b->pnl_rest) {
		if (b->rest_lo < *lo)
			*lo = b->rest_lo;
		if (b->rest_hi > *hi)
			*hi = b->rest_hi;
	}
	return true;
}

bool
breaker_on_pnl(struct breaker *b, td_ns now, td_cents pnl)
{
	struct pnl_bucket	*k;
	int64_t			 slice;
	td_cents		 lo, hi, from;
	char			 span[32], move[40], a[32], c[32];

	if (b->cfg.pnl_swing == 0 || b->one[BREAKER_PNL_SWING].tripped)
		return false;
	slice = now / b->pnl_width;
	k = &b->pnl[breaker_pnl_index(slice)];
	if (!k->used || k->slice != slice) {
		k->used = true;
		k->slice = slice;
		k->lo = k->hi = pnl;
		b->pnl_slice = slice;
		breaker_pnl_rest(b);
	} else {
		if (pnl < k->lo)
			k->lo = pnl;
		if (pnl > k->hi)
			k->hi = pnl;
	}
	if (!breaker_pnl_range(b, &lo, &hi) || hi - lo < b->cfg.pnl_swing)
		return false;
	/* This mark made the swing: it is the low or the high. */
	from = pnl == hi ? lo : hi;
	breaker_trip(b, BREAKER_PNL_SWING, now, "account P&L moved %s within "
	    "%s (%s to %s)", portfolio_format_money(pnl - from, move,
	    sizeof move), breaker_span(b->cfg.pnl_window, span, sizeof span),
	    portfolio_format_money(from, a, sizeof a),
	    portfolio_format_money(pnl, c, sizeof c));
	return true;
}

/* ---------------------------------------------------------------- state */

bool
breaker_tripped(const struct breaker *b, enum breaker_kind k)
{
	return (unsigned)k < BREAKER_KINDS && b->one[k].tripped;
}

unsigned
breaker_tripped_mask(const struct breaker *b)
{
	unsigned	 m = 0;

	for (int k = 0; k < BREAKER_KINDS; k++) {
		if (b->one[k].tripped)
			m |= 1u << k;
	}
	return m;
}

void
breaker_get(const struct breaker *b, enum breaker_kind k, td_ns now,
    struct breaker_state *out)
{
	const struct breaker_cfg	*c = &b->cfg;
	const struct breaker_one	*o = &b->one[k];
	td_cents			 lo, hi;

	memset(out, 0, sizeof *out);
	if ((unsigned)k >= BREAKER_KINDS)
		return;
	out->tripped = o->tripped;
	out->when = o->when;
	out->trips = o->trips;
	snprintf(out->why, sizeof out->why, "%s", o->why);
	switch (k) {
	case BREAKER_REJECTS:
		out->limit = c->rejects;
		out->window = c->rejects_window;
		if (c->rejects > 0)
			out->level = ring_count(&b->rejects, now,
			    c->rejects_window);
		break;
	case BREAKER_VENUE:
		out->limit = c->venue;
		out->window = c->venue_window;
		if (c->venue > 0)
			out->level = ring_count(&b->venue, now,
			    c->venue_window);
		break;
	case BREAKER_ERRORS:
		out->limit = c->errors;
		out->window = c->errors_window;
		for (int i = 0; c->errors > 0 && i < BREAKER_ERROR_SLOTS;
		    i++) {
			int64_t	 n;

			if (!b->text[i].used)
				continue;
			n = ring_count(&b->text[i].ring, now,
			    c->errors_window);
			if (n > out->level)
				out->level = n;
		}
		break;
	case BREAKER_PNL_SWING:
		out->limit = c->pnl_swing;
		out->window = c->pnl_window;
		/* The swing of the window as of the last mark. */
		if (c->pnl_swing > 0 && now / b->pnl_width - b->pnl_slice <
		    PNL_BUCKETS && breaker_pnl_range(b, &lo, &hi))
			out->level = hi - lo;
		break;
	}
	out->on = out->limit > 0;
}

int
breaker_reset(struct breaker *b, enum breaker_kind k)
{
	bool	 was;

	if ((unsigned)k >= BREAKER_KINDS)
		return 1;
	was = b->one[k].tripped;
	b->one[k].tripped = false;
	b->one[k].why[0] = '\0';
	switch (k) {
	case BREAKER_REJECTS:
		ring_clear(&b->rejects);
		break;
	case BREAKER_VENUE:
		ring_clear(&b->venue);
		break;
	case BREAKER_ERRORS:
		for (int i = 0; i < BREAKER_ERROR_SLOTS; i++) {
			b->text[i].used = false;
			ring_clear(&b->text[i].ring);
		}
		break;
	case BREAKER_PNL_SWING:
		memset(b->pnl, 0, sizeof b->pnl);
		b->pnl_rest = false;
		break;
	}
	return was ? 0 : 1;
}
