/*
 * barbuild.c -- N-minute and N-second bars from ticks or shorter bars (see
 * barbuild.h).
 *
 * The engine keeps one builder per instrument to give strategies 1-minute
 * bars while it replays ticks, and one per strategy subscription to longer
 * bars or bars of seconds; tools resample minute files into longer bars
 * with it.  A builder holds the bar being built and at most one
 * finished bar that nobody has collected yet; each input costs a few
 * comparisons and one division.
 */
#include <stdlib.h>

#include "barbuild.h"
#include "errmsg.h"

struct barbuild {
	td_ns		 len;		/* bin length */
	int		 open;		/* cur is being built */
	struct td_bar	 cur;
	int		 waiting;	/* done holds a finished bar */
	struct td_bar	 done;
	int		 have_last;
	td_ns		 last;		/* time of the last tick, end of bar */
};

/* Floor division: bins before 1970 round down too. */
static inline td_ns
barbuild_floor(td_ns a, td_ns b)
{
	td_ns	 q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static struct barbuild *
barbuild_new(td_ns len, struct errmsg *err)
{
	struct barbuild	*b;

	if ((b = calloc(1, sizeof *b)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	b->len = len;
	return b;
}

struct barbuild *
barbuild_create(int minutes, struct errmsg *err)
{
	if (minutes < 1 || minutes > 1440) {
		errmsg_set(err, "bar length %d minutes is not 1 to 1440",
		    minutes);
		return NULL;
	}
	return barbuild_new((td_ns)minutes * TD_NS_PER_MIN, err);
}

struct barbuild *
barbuild_create_seconds(int seconds, struct errmsg *err)
{
	if (seconds < 1 || seconds > 86400) {
		errmsg_set(err, "bar length %d seconds is not 1 to 86400",
		    seconds);
		return NULL;
	}
	return barbuild_new((td_ns)seconds * TD_NS_PER_SEC, err);
}

void
barbuild_free(struct barbuild *b)
{
	free(b);
}

td_ns
barbuild_bin(const struct barbuild *b, td_ns t, td_ns *end)
{
	td_ns	 day, start;

	day = barbuild_floor(t, TD_NS_PER_DAY) * TD_NS_PER_DAY;
	start = day + (t - day) / b->len * b->len;
	if (end != NULL) {
		*end = start + b->len;
		if (*end > day + TD_NS_PER_DAY)
			*end = day + TD_NS_PER_DAY;
	}
	return start;
}

int
barbuild_due(struct barbuild *b, td_ns now, struct td_bar *out)
{
	if (b->waiting) {
		*out = b->done;
		b->waiting = 0;
		return 1;
	}
	if (b->open && now >= b->cur.end) {
		*out = b->cur;
		b->open = 0;
		return 1;
	}
	return 0;
}

/*
 * Make room for an input at time t: 0 when cur is open for it or free,
 * 1 when cur had to be finished into done, -1 when that is impossible.
 */
static int
barbuild_place(struct barbuild *b, td_ns t)
{
	if (b->open && t >= b->cur.end) {
		if (b->waiting)
			return -1;
		b->done = b->cur;
		b->waiting = 1;
		b->open = 0;
		return 1;
	}
	return 0;
}

static void
barbuild_merge(struct barbuild *b, td_ns t, td_ticks o, td_ticks h,
    td_ticks l, td_ticks c, int64_t v)
{
	struct td_bar	*cur = &b->cur;

	if (!b->open) {
		cur->start = barbuild_bin(b, t, &cur->end);
		cur->open = o;
		cur->high = h;
		cur->low = l;
		cur->close = c;
		cur->volume = v;
		b->open = 1;
		return;
	}
	if (h > cur->high)
		cur->high = h;
	if (l < cur->low)
		cur->low = l;
	cur->close = c;
	cur->volume += v;
}

int
barbuild_tick(struct barbuild *b, const struct td_tick *t)
{
	int	 rc;

	if (b->have_last && t->time < b->last)
		return -1;
	if ((rc = barbuild_place(b, t->time)) == -1)
		return -1;
	barbuild_merge(b, t->time, t->price, t->price, t->price, t->price,
	    t->volume);
	b->last = t->time;
	b->have_last = 1;
	return rc;
}

int
barbuild_bar(struct barbuild *b, const struct td_bar *in, struct errmsg *err)
{
	td_ns	 end;
	int	 rc;

	if (in->end <= in->start)
		return errmsg_set(err, "input bar ends before it starts");
	if (b->have_last && in->start < b->last)
		return errmsg_set(err, "input bar starts before the end of "
		    "the previous one");
	barbuild_bin(b, in->start, &end);
	if (in->end > end)
		return errmsg_set(err, "input bar of %lld s does not fit in "
		    "one bin of %lld s", (long long)((in->end - in->start) /
		    TD_NS_PER_SEC), (long long)(b->len / TD_NS_PER_SEC));
	if ((rc = barbuild_place(b, in->start)) == -1)
		return errmsg_set(err, "a finished bar was not collected");
	barbuild_merge(b, in->start, in->open, in->high, in->low, in->close,
	    in->volume);
	b->last = in->end;
	b->have_last = 1;
	return rc;
}

int
barbuild_flush(struct barbuild *b, struct td_bar *out)
{
	if (b->waiting) {
		*out = b->done;
		b->waiting = 0;
		return 1;
	}
	if (b->open) {
		*out = b->cur;
		b->open = 0;
		return 1;
	}
	return 0;
}
