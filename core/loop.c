/*
 * loop.c -- the event loop (see loop.h).
 *
 * The loop owns two small arrays: the file events (descriptor, mask and a
 * callback per direction) and the armed timers (id, time, callback).  A
 * loop watches a handful of descriptors and timers, so both are searched
 * from end to end; a turn rebuilds the pollfd array from the file events
 * and looks each ready descriptor up again before calling it, since an
 * earlier callback of the same turn may have removed it.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errmsg.h"
#include "loop.h"

struct loop_file {
	int		 fd;
	int		 mask;
	loop_file_fn	 rfn;
	void		*rarg;
	loop_file_fn	 wfn;
	void		*warg;
};

struct loop_timer {
	uint64_t	 id;
	td_ns		 when;
	loop_timer_fn	 fn;
	void		*arg;
};

struct loop {
	struct loop_file	*files;
	int			 nfiles;
	int			 capfiles;
	struct pollfd		*pfds;		/* as many as capfiles */

	struct loop_timer	*timers;
	int			 ntimers;
	int			 captimers;
	uint64_t		 next_id;

	loop_clock_fn		 clock;
	void			*clock_arg;
	loop_hook_fn		 before;
	void			*before_arg;
	bool			 stop;
};

static td_ns
loop_monotonic(void *arg)
{
	struct timespec	 ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

struct loop *
loop_create(struct errmsg *err)
{
	struct loop	*l;

	if ((l = calloc(1, sizeof *l)) == NULL) {
		errmsg_set(err, "loop: out of memory");
		return NULL;
	}
	l->clock = loop_monotonic;
	l->next_id = 1;
	return l;
}

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	free(l->files);
	free(l->pfds);
	free(l->timers);
	free(l);
}

void
loop_set_clock(struct loop *l, loop_clock_fn fn, void *arg)
{
	l->clock = fn != NULL ? fn : loop_monotonic;
	l->clock_arg = fn != NULL ? arg : NULL;
}

td_ns
loop_now(const struct loop *l)
{
	return l->clock(l->clock_arg);
}

void
loop_set_before_sleep(struct loop *l, loop_hook_fn fn, void *arg)
{
	l->before = fn;
	l->before_arg = arg;
}

void
loop_stop(struct loop *l)
{
	l->stop = true;
}

/* ---------------------------------------------------------------- files */

static struct loop_file *
loop_find(const struct loop *l, int fd)
{
	for (int i = 0; i < l->nfiles; i++) {
		if (l->files[i].fd == fd)
			return &l->files[i];
	}
	return NULL;
}

static int
loop_grow_files(struct loop *l, struct errmsg *err)
{
	struct loop_file	*f;
	struct pollfd		*p;
	int			 cap = l->capfiles == 0 ? 8 : l->capfiles * 2;

	if (l->nfiles < l->capfiles)
		return 0;
	if ((f = realloc(l->files, (size_t)cap * sizeof *f)) == NULL)
		return errmsg_set(err, "loop: out of memory");
	l->files = f;
	if ((p = realloc(l->pfds, (size_t)cap * sizeof *p)) == NULL)
		return errmsg_set(err, "loop: out of memory");
	l->pfds = p;
	l->capfiles = cap;
	return 0;
}

int
loop_add_file(struct loop *l, int fd, int mask, loop_file_fn fn, void *arg,
    struct errmsg *err)
{
	struct loop_file	*f;

	if (fd < 0)
		return errmsg_set(err, "loop: bad descriptor %d", fd);
	if ((mask & (LOOP_READ | LOOP_WRITE)) == 0 ||
	    (mask & ~(LOOP_READ | LOOP_WRITE)) != 0 || fn == NULL)
		return errmsg_set(err, "loop: bad event mask %d", mask);
	if ((f = loop_find(l, fd)) == NULL) {
		if (loop_grow_files(l, err) == -1)
			return -1;
		f = &l->files[l->nfiles++];
		memset(f, 0, sizeof *f);
		f->fd = fd;
	}
	f->mask |= mask;
	if (mask & LOOP_READ) {
		f->rfn = fn;
		f->rarg = arg;
	}
	if (mask & LOOP_WRITE) {
		f->wfn = fn;
		f->warg = arg;
	}
	return 0;
}

void
loop_del_file(struct loop *l, int fd, int mask)
{
	struct loop_file	*f = loop_find(l, fd);

	if (f == NULL)
		return;
	f->mask &= ~mask;
	if (f->mask != 0)
		return;
	*f = l->files[--l->nfiles];
}

int
loop_file_mask(const struct loop *l, int fd)
{
	const struct loop_file	*f = loop_find(l, fd);

	return f == NULL ? 0 : f->mask;
}

/* ---------------------------------------------------------------- timers */

uint64_t
loop_add_timer(struct loop *l, td_ns when, loop_timer_fn fn, void *arg,
    struct errmsg *err)
{
	struct loop_timer	*t;

	if (l->ntimers == l->captimers) {
		int	 cap = l->captimers == 0 ? 8 : l->captimers * 2;

		if ((t = realloc(l->timers, (size_t)cap * sizeof *t)) == NULL) {
			errmsg_set(err, "loop: out of memory");
			return 0;
		}
		l->timers = t;
		l->captimers = cap;
	}
	t = &l->timers[l->ntimers++];
	t->id = l->next_id++;
	t->when = when;
	t->fn = fn;
	t->arg = arg;
	return t->id;
}

int
loop_del_timer(struct loop *l, uint64_t id)
{
	for (int i = 0; i < l->ntimers; i++) {
		if (l->timers[i].id == id) {
			l->timers[i] = l->timers[--l->ntimers];
			return 0;
		}
	}
	return -1;
}

/*
 * The timer to run next among those armed before the turn began (ids up
 * to last) and due by now: the earliest, the first added on a tie; -1
 * when none.
 */
static int
loop_due(const struct loop *l, uint64_t last, td_ns now)
{
	int	 best = -1;

	for (int i = 0; i < l->ntimers; i++) {
		const struct loop_timer	*t = &l->timers[i];

		if (t->id > last || t->when > now)
			continue;
		if (best == -1 || t->when < l->timers[best].when ||
		    (t->when == l->timers[best].when &&
		    t->id < l->timers[best].id))
			best = i;
	}
	return best;
}

static int
loop_run_timers(struct loop *l)
{
	uint64_t		 last = l->next_id - 1;
	td_ns			 now = loop_now(l);
	struct loop_timer	 t;
	int			 i, ran = 0;

	while ((i = loop_due(l, last, now)) != -1) {
		t = l->timers[i];
		l->timers[i] = l->timers[--l->ntimers];
		t.fn(l, t.id, t.arg);
		ran++;
	}
	return ran;
}

/* Milliseconds poll may wait: until the next timer, -1 for ever. */
static int
loop_timeout(const struct loop *l)
{
	td_ns	 first = 0, wait;
	bool	 any = false;

	for (int i = 0; i < l->ntimers; i++) {
		if (!any || l->timers[i].when < first)
			first = l->timers[i].when;
		any = true;
	}
	if (!any)
		return -1;
	wait = first - loop_now(l);
	if (wait <= 0)
		return 0;
	/* Round up: waking a little early would only wait again. */
	wait = (wait + 999999) / 1000000;
	return wait > INT_MAX ? INT_MAX : (int)wait;
}

/* ---------------------------------------------------------------- turns */

static int
loop_run_files(struct loop *l, int n)
{
	int	 ran = 0;

	for (int i = 0; i < n; i++) {
		struct loop_file	*f;
		short			 rev = l->pfds[i].revents;
		int			 fd = l->pfds[i].fd;
		bool			 fail;

		if (rev == 0)
			continue;
		fail = (rev & (POLLERR | POLLHUP | POLLNVAL)) != 0;
		if ((f = loop_find(l, fd)) != NULL && (f->mask & LOOP_READ) &&
		    (fail || (rev & POLLIN))) {
			f->rfn(l, fd, LOOP_READ, f->rarg);
			ran++;
		}
		/* The read callback may have removed it. */
		if ((f = loop_find(l, fd)) != NULL && (f->mask & LOOP_WRITE) &&
		    (fail || (rev & POLLOUT))) {
			f->wfn(l, fd, LOOP_WRITE, f->warg);
			ran++;
		}
	}
	return ran;
}

int
loop_turn(struct loop *l, bool wait, struct errmsg *err)
{
	int	 n, ready;

	if (l->before != NULL)
		l->before(l, l->before_arg);
	n = l->nfiles;
	for (int i = 0; i < n; i++) {
		l->pfds[i].fd = l->files[i].fd;
		l->pfds[i].events = (short)(((l->files[i].mask & LOOP_READ) ?
		    POLLIN : 0) | ((l->files[i].mask & LOOP_WRITE) ?
		    POLLOUT : 0));
		l->pfds[i].revents = 0;
	}
	ready = poll(l->pfds, (nfds_t)n, wait && !l->stop ? loop_timeout(l) :
	    0);
	if (ready == -1) {
		if (errno != EINTR)
			return errmsg_set(err, "loop: poll: %s",
			    strerror(errno));
		ready = 0;
	}
	n = ready > 0 ? loop_run_files(l, n) : 0;
	return n + loop_run_timers(l);
}

int
loop_run(struct loop *l, struct errmsg *err)
{
	l->stop = false;
	while (!l->stop) {
		if (loop_turn(l, true, err) == -1)
			return -1;
	}
	return 0;
}
