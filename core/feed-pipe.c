/*
 * feed-pipe.c -- a live feed from FIFOs and growing files (see
 * feed-pipe.h).
 *
 * The feed owns, per source, a non-blocking descriptor, a line buffer and
 * a reader of lines (reader_open_lines) that parses each whole line the
 * way a replay would.  Its own descriptor is an epoll set: the FIFOs, and
 * an inotify descriptor that hears when a followed file is written.  The
 * set is level-triggered, so the feed drains what it is told of before it
 * answers FEED_AGAIN: a FIFO until it would block, the inotify queue
 * before one last look at the followed files (an append after that look
 * queues a new notice, so nothing is missed).  Without inotify a followed
 * file is looked at whenever the runner asks (at least at each of its
 * turns).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "errmsg.h"
#include "feed-pipe.h"
#include "feed.h"
#include "instrument.h"

#define FP_BUF	(64 << 10)	/* longest line */

struct fp_src {
	const char	*path;
	int		 inst;
	bool		 follow;
	int		 fd;		/* -1 once it has stopped */
	struct reader	*r;
	char		*buf;
	size_t		 beg;		/* unread bytes are beg..end */
	size_t		 end;
	int64_t		 line;		/* lines handed to the reader */
	bool		 skipping;	/* the rest of an overlong line */
};

struct feed_pipe {
	struct feed	 feed;
	struct fp_src	 src[FEED_PIPE_MAX];
	int		 nsrc;
	int		 cur;		/* the source to look at first */
	int		 ep;		/* the feed's descriptor */
	int		 in;		/* inotify, -1 without */
};

bool
feed_pipe_is_fifo(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}


/* ---------------------------------------------------------------- lines */

/* A line to the reader, which counts it (a dropped one as empty). */
static int
fp_take(struct fp_src *s, const char *p, size_t n, struct td_md *md,
    struct errmsg *err)
{
	s->line++;
	return reader_take_line(s->r, p, n, md, err);
}

/*
 * The next whole line of the buffer to the reader: 1 and an event, 0 for
 * a line without one, -1 for a bad line, FEED_AGAIN when no whole line is
 * there.  A line longer than the buffer is dropped with a message.
 */
static int
fp_line(struct fp_src *s, struct td_md *md, struct errmsg *err)
{
	char	*p = s->buf + s->beg, *nl;
	size_t	 n;

	nl = memchr(p, '\n', s->end - s->beg);
	if (nl == NULL) {
		if (s->beg > 0 || s->end < FP_BUF)
			return FEED_AGAIN;
		s->beg = s->end = 0;
		if (s->skipping)
			return FEED_AGAIN;
		s->skipping = true;
		fp_take(s, "", 0, md, NULL);
		return errmsg_set(err, "%s:%lld: line longer than %d bytes: "
		    "dropped", s->path, (long long)s->line, FP_BUF);
	}
	n = (size_t)(nl - p);
	s->beg += n + 1;
	if (s->skipping) {
		s->skipping = false;
		return 0;
	}
	return fp_take(s, p, n, md, err);
}

/* The writer of a FIFO has gone: wait for the next one on a new open. */
static int
fp_reopen(struct feed_pipe *fp, struct fp_src *s, struct errmsg *err)
{
	struct epoll_event	 ev = { .events = EPOLLIN };
	int			 fd;

	fd = open(s->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	close(s->fd);
	s->fd = fd;
	if (fd == -1)
		return errmsg_sys(err, s->path, "cannot open it again after "
		    "its writer closed it");
	ev.data.fd = fd;
	if (epoll_ctl(fp->ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		errmsg_sys(err, s->path, "epoll");
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

/* At the end of a followed file: a file that shrank is no longer read. */
static int
fp_check_size(struct fp_src *s, struct errmsg *err)
{
	struct stat	 st;
	off_t		 at = lseek(s->fd, 0, SEEK_CUR);

	if (fstat(s->fd, &st) == -1 || at == -1)
		return errmsg_sys(err, s->path, NULL);
	if (st.st_size >= at)
		return FEED_AGAIN;
	close(s->fd);
	s->fd = -1;
	return errmsg_set(err, "%s: the file shrank (truncated?): following "
	    "it stops", s->path);
}

/* End of input on a FIFO: its writer has gone. */
static int
fp_hangup(struct feed_pipe *fp, struct fp_src *s, struct td_md *md,
    struct errmsg *err)
{
	bool	 cut = s->end > s->beg && !s->skipping;

	s->beg = s->end = 0;
	s->skipping = false;
	if (fp_reopen(fp, s, err) == -1)
		return -1;
	if (!cut)
		return FEED_AGAIN;
	fp_take(s, "", 0, md, NULL);
	return errmsg_set(err, "%s:%lld: line cut short by the writer closing "
	    "the pipe: dropped", s->path, (long long)s->line);
}

/* One source: as fp_line, reading more while it can. */
static int
fp_src_next(struct feed_pipe *fp, struct fp_src *s, struct td_md *md,
    struct errmsg *err)
{
	ssize_t	 got;
	int	 rc;

	for (;;) {
		if ((rc = fp_line(s, md, err)) != FEED_AGAIN) {
			if (rc == 0)
				continue;
			return rc;
		}
		if (s->beg > 0) {
			memmove(s->buf, s->buf + s->beg, s->end - s->beg);
			s->end -= s->beg;
			s->beg = 0;
		}
		do
			got = read(s->fd, s->buf + s->end, FP_BUF - s->end);
		while (got == -1 && errno == EINTR);
		if (got > 0) {
			s->end += (size_t)got;
			continue;
		}
		if (got == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return FEED_AGAIN;
		if (got == -1) {
			errmsg_sys(err, s->path, "read error");
			close(s->fd);
			s->fd = -1;
			return -1;
		}
		return s->follow ? fp_check_size(s, err) :
		    fp_hangup(fp, s, md, err);
	}
}

/* Empty the inotify queue; true when it said anything. */
static bool
fp_drain_notices(struct feed_pipe *fp)
{
	char	 buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	bool	 any = false;

	if (fp->in == -1)
		return true;	/* without notices, always look again */
	while (read(fp->in, buf, sizeof buf) > 0)
		any = true;
	return any;
}

static int
fp_next(void *ctx, struct td_md *md, struct errmsg *err)
{
	struct feed_pipe	*fp = ctx;
	bool			 open;
	int			 rc;

	for (int pass = 0; pass < 2; pass++) {
		open = false;
		for (int k = 0; k < fp->nsrc; k++) {
			int		 i = (fp->cur + k) % fp->nsrc;
			struct fp_src	*s = &fp->src[i];

			if (s->fd == -1)
				continue;
			rc = fp_src_next(fp, s, md, err);
			if (rc != FEED_AGAIN) {
				/* Sources take turns, row by row. */
				fp->cur = (i + 1) % fp->nsrc;
				return rc;
			}
			open = true;
		}
		if (!open)
			return 0;
		/* Only a notice drained now can mean more to read. */
		if (pass == 1 || !fp_drain_notices(fp))
			break;
	}
	return FEED_AGAIN;
}

static int
fp_fd(void *ctx)
{
	return ((struct feed_pipe *)ctx)->ep;
}

static bool
fp_live(void *ctx)
{
	(void)ctx;
	return true;
}

static int
fp_subs(void *ctx, struct feed_sub *out, int max)
{
	struct feed_pipe	*fp = ctx;

	for (int i = 0; i < fp->nsrc && i < max; i++) {
		int	 t = reader_ticks(fp->src[i].r);

		out[i].inst = fp->src[i].inst;
		out[i].data = t == 1 ? FEED_TICKS : t == 0 ? FEED_BARS :
		    FEED_TICKS | FEED_BARS;
	}
	return fp->nsrc;
}

static void
fp_destroy(void *ctx)
{
	struct feed_pipe	*fp = ctx;

	for (int i = 0; i < fp->nsrc; i++) {
		if (fp->src[i].fd != -1)
			close(fp->src[i].fd);
		reader_close(fp->src[i].r);
		free(fp->src[i].buf);
	}
	if (fp->in != -1)
		close(fp->in);
	if (fp->ep != -1)
		close(fp->ep);
	free(fp);
}

static const struct feed_ops feed_pipe_ops = {
	.name = "pipe",
	.next = fp_next,
	.fd = fp_fd,
	.live = fp_live,
	.subs = fp_subs,
	.destroy = fp_destroy,
};

/* ---------------------------------------------------------------- create */

/* The kind of file a source must be, opened without blocking. */
static int
fp_open(struct feed_pipe *fp, struct fp_src *s, struct errmsg *err)
{
	struct epoll_event	 ev = { .events = EPOLLIN };
	struct stat		 st;

	if ((s->fd = open(s->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
	    fstat(s->fd, &st) == -1)
		return errmsg_sys(err, s->path, NULL);
	if (s->follow && !S_ISREG(st.st_mode))
		return errmsg_set(err, "%s: not a regular file: --follow reads "
		    "a file that another program appends to", s->path);
	if (!s->follow && !S_ISFIFO(st.st_mode))
		return errmsg_set(err, "%s: not a FIFO: a live feed reads a "
		    "named pipe, or a growing file with --follow", s->path);
	if (s->follow) {
		if (fp->in != -1 && inotify_add_watch(fp->in, s->path,
		    IN_MODIFY) == -1)
			return errmsg_sys(err, s->path, "inotify");
		return 0;
	}
	ev.data.fd = s->fd;
	if (epoll_ctl(fp->ep, EPOLL_CTL_ADD, s->fd, &ev) == -1)
		return errmsg_sys(err, s->path, "epoll");
	return 0;
}

static int
fp_add(struct feed_pipe *fp, const struct feed_pipe_src *in,
    const struct reader_opts *opts, const struct instrument *insts,
    int ninst, struct errmsg *err)
{
	struct fp_src		*s = &fp->src[fp->nsrc];
	struct reader_opts	 o = *opts;

	if (in->inst < 0 || in->inst >= ninst)
		return errmsg_set(err, "%s: no instrument", in->path);
	for (int i = 0; i < fp->nsrc; i++) {
		if (fp->src[i].inst == in->inst)
			return errmsg_set(err, "%s: a second live source for "
			    "%s", in->path, insts[in->inst].symbol);
	}
	memset(s, 0, sizeof *s);
	s->fd = -1;
	fp->nsrc++;
	s->path = in->path;
	s->inst = in->inst;
	s->follow = in->follow;
	o.inst = in->inst;
	o.instrument = &insts[in->inst];
	if ((s->buf = malloc(FP_BUF)) == NULL)
		return errmsg_set(err, "out of memory");
	if ((s->r = reader_open_lines(in->path, &o, err)) == NULL)
		return -1;
	return fp_open(fp, s, err);
}

struct feed *
feed_pipe_create(const struct feed_pipe_src *src, int n,
    const struct reader_opts *opts, const struct instrument *insts,
    int ninst, struct errmsg *err)
{
	struct feed_pipe	*fp;
	struct epoll_event	 ev = { .events = EPOLLIN };

	if (n < 1 || n > FEED_PIPE_MAX) {
		errmsg_set(err, "a live feed has 1 to %d sources", FEED_PIPE_MAX);
		return NULL;
	}
	if ((fp = calloc(1, sizeof *fp)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	fp->in = -1;
	fp->feed.ops = &feed_pipe_ops;
	fp->feed.ctx = fp;
	if ((fp->ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		errmsg_sys(err, "live feed", "epoll");
		goto fail;
	}
	/* Without inotify a followed file is looked at on every call. */
	if ((fp->in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) != -1) {
		ev.data.fd = fp->in;
		if (epoll_ctl(fp->ep, EPOLL_CTL_ADD, fp->in, &ev) == -1) {
			close(fp->in);
			fp->in = -1;
		}
	}
	for (int i = 0; i < n; i++) {
		if (fp_add(fp, &src[i], opts, insts, ninst, err) == -1)
			goto fail;
	}
	return &fp->feed;

fail:
	fp_destroy(fp);
	return NULL;
}
