/*
 * feed-demo.c -- the demo generator behind the feed interface (see
 * feed-demo.h).  It owns the generator and a copy of its configuration,
 * so that a rewind makes the same generator again.  Its progress is in
 * calendar days, from the first trading day to the last.
 */
#include <stdlib.h>

#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "tz.h"

#define FD_DAY	(24 * TD_NS_PER_HOUR)

struct feed_demo {
	struct feed	 feed;
	struct demo	*demo;
	struct demo_cfg	 cfg;
	int		 inst;
	int64_t		 first;		/* days since the epoch */
	int64_t		 span;		/* calendar days to the last */
	td_ns		 last;		/* time of the last event */
};

static int
fd_next(void *ctx, struct td_md *md, struct errmsg *err)
{
	struct feed_demo	*fd = ctx;
	int			 rc;

	(void)err;
	if ((rc = demo_next(fd->demo, md)) == 1)
		fd->last = td_md_time(md);
	return rc;
}

static int
fd_progress(void *ctx, int64_t *done, int64_t *total)
{
	struct feed_demo	*fd = ctx;

	*total = fd->span;
	*done = fd->last == 0 ? 0 : tz_floor_div(fd->last, FD_DAY) -
	    fd->first;
	if (*done < 0)
		*done = 0;
	if (*done > *total)
		*done = *total;
	return 1;
}

static int
fd_rewind(void *ctx, struct errmsg *err)
{
	struct feed_demo	*fd = ctx;
	struct demo		*d;

	if ((d = demo_create(&fd->cfg, err)) == NULL)
		return -1;
	demo_free(fd->demo);
	fd->demo = d;
	fd->last = 0;
	return 0;
}

/* The calendar days from the first trading day to the last, Mon-Fri. */
static void
fd_span(struct feed_demo *fd)
{
	const struct demo_cfg	*c = &fd->cfg;
	int64_t			 day, left = c->days > 0 ? c->days : 1;

	fd->first = c->year == 0 ? tz_days_from_civil(2024, 1, 2) :
	    tz_days_from_civil(c->year, c->mon, c->mday);
	for (day = fd->first; ; day++) {
		int	 wd = tz_weekday(day);

		if (wd != 0 && wd != 6 && --left == 0)
			break;
	}
	fd->span = day - fd->first + 1;
}

/* Trade ticks of the one instrument it generates. */
static int
fd_subs(void *ctx, struct feed_sub *out, int max)
{
	struct feed_demo	*fd = ctx;

	if (max > 0)
		out[0] = (struct feed_sub){ .inst = fd->inst,
		    .data = FEED_TICKS };
	return 1;
}

static void
fd_destroy(void *ctx)
{
	struct feed_demo	*fd = ctx;

	demo_free(fd->demo);
	free(fd);
}

static const struct feed_ops feed_demo_ops = {
	.name = "demo",
	.next = fd_next,
	.subs = fd_subs,
	.progress = fd_progress,
	.rewind = fd_rewind,
	.destroy = fd_destroy,
};

struct feed *
feed_demo_create(const struct demo_cfg *cfg, struct errmsg *err)
{
	struct feed_demo	*fd;

	if ((fd = calloc(1, sizeof *fd)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	if ((fd->demo = demo_create(cfg, err)) == NULL) {
		free(fd);
		return NULL;
	}
	fd->inst = cfg->inst;
	fd->cfg = *cfg;
	fd_span(fd);
	fd->feed.ops = &feed_demo_ops;
	fd->feed.ctx = fd;
	return &fd->feed;
}
