/*
 * signal-filter.c -- entries let through or skipped on the latest typed
 * data (see signal-filter.h).  Owns the table of latest values.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "signal-filter.h"

struct signal_last {
	int		 n;
	struct td_data	 v[SIGNAL_LAST_MAX];
};

struct signal_last *
signal_last_create(struct errmsg *err)
{
	struct signal_last	*t = calloc(1, sizeof *t);

	if (t == NULL)
		errmsg_set(err, "out of memory");
	return t;
}

void
signal_last_free(struct signal_last *t)
{
	free(t);
}

static struct td_data *
sl_find(const struct signal_last *t, const char *source, const char *name,
    int inst)
{
	for (int i = 0; t != NULL && i < t->n; i++) {
		const struct td_data	*d = &t->v[i];

		if (d->inst == inst && strcmp(d->source, source) == 0 &&
		    strcmp(d->name, name) == 0)
			return (struct td_data *)d;
	}
	return NULL;
}

int
signal_last_put(struct signal_last *t, const struct td_data *d,
    struct errmsg *err)
{
	struct td_data	*have = sl_find(t, d->source, d->name, d->inst);

	if (have == NULL) {
		if (t->n == SIGNAL_LAST_MAX)
			return errmsg_set(err, "%s %s: more than %d data "
			    "series", d->source, d->name, SIGNAL_LAST_MAX);
		have = &t->v[t->n++];
	}
	*have = *d;
	return 0;
}

const struct td_data *
signal_last_get(const struct signal_last *t, const char *source,
    const char *name, int inst)
{
	const struct td_data	*d = sl_find(t, source, name, inst);

	return d != NULL || inst == -1 ? d : sl_find(t, source, name, -1);
}

/* "0.5500", "-0.2000": a value of TD_DATA_SCALE per 1, to 4 places. */
static char *
sf_value(int64_t v, char *buf, size_t len)
{
	int64_t		 a = v < 0 ? -v : v;
	int64_t		 q = (a + TD_DATA_SCALE / 20000) / (TD_DATA_SCALE /
			    10000);

	snprintf(buf, len, "%s%" PRId64 ".%04" PRId64, v < 0 ? "-" : "",
	    q / 10000, q % 10000);
	return buf;
}

bool
signal_filter_pass(const struct signal_filter *f, const struct signal_last *t,
    int inst, enum td_side side, td_ns now, char *why, size_t len)
{
	const struct td_data	*d = signal_last_get(t, f->source, f->name,
				    inst);
	const char		*what = side == TD_BUY ? "long" : "short";
	int64_t			 bound = side == TD_BUY ? f->long_min :
				    f->short_max;
	char			 a[32], b[32];

	if (d == NULL || (f->max_age > 0 && now - d->time > f->max_age)) {
		snprintf(why, len, "%s %s %s for a %s entry", f->source,
		    f->name, d == NULL ? "not heard yet" : "too old", what);
		return f->missing == SIGNAL_MISSING_TRADE;
	}
	if (side == TD_BUY ? d->value >= bound : d->value <= bound)
		return true;
	snprintf(why, len, "%s %s %s %s %s for a %s entry", f->source, f->name,
	    sf_value(d->value, a, sizeof a), side == TD_BUY ? "below" :
	    "above", sf_value(bound, b, sizeof b), what);
	return false;
}
