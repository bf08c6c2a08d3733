/*
 * test-feed-pipe.c -- the live feed: rows written into a FIFO or appended
 * to a followed file come out in order as they arrive, a partial line
 * waits for its newline, a bad row gives path:line and the feed goes on,
 * a writer that goes leaves the feed waiting for the next, the feed's
 * descriptor wakes its reader, and what it cannot read is refused when it
 * is made.  Waits are for the descriptor to become readable, never for a
 * time to pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "errmsg.h"
#include "feed-pipe.h"
#include "feed.h"

#include "fixture.h"

#define ROW(min, px)	"2024-03-01 10:" min ":00," px "," px "," px "," px \
			",10\n"

struct fx {
	char			 dir[256];
	char			 path[300];
	struct engine_config	 cfg;
	struct feed		*f;
	int			 w;		/* the test's writer */
};

static int
setup(void **state)
{
	struct fx	*fx = calloc(1, sizeof *fx);
	const char	*tmp = getenv("TMPDIR");

	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "%s/test-feed-pipe.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	fixture_config(&fx->cfg);
	fx->w = -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;
	char		 cmd[400];

	feed_free(fx->f);
	if (fx->w != -1)
		close(fx->w);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static struct feed *
make_feed(struct fx *fx, const char *name, bool follow, struct errmsg *err)
{
	struct feed_pipe_src	 src = { .path = fx->path, .inst = 0,
	    .follow = follow };
	struct reader_opts	 o;

	memset(&o, 0, sizeof o);
	snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
	if (!follow && mkfifo(fx->path, 0600) == -1)
		fail_msg("mkfifo");
	return feed_pipe_create(&src, 1, &o, fx->cfg.inst, fx->cfg.ninst,
	    err);
}

static void
put(int fd, const char *s)
{
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* Wait (up to 10 s) for the feed's descriptor to say there is input. */
static void
wait_readable(struct feed *f)
{
	struct pollfd	 p = { .fd = feed_fd(f), .events = POLLIN };

	assert_true(p.fd >= 0);
	assert_int_equal(poll(&p, 1, 10000), 1);
}

/* The close (in ticks) of the next event, which must be there. */
static td_ticks
next_close(struct feed *f)
{
	struct td_md	 md;
	struct errmsg	 err;
	int		 rc = feed_next(f, &md, &err);

	if (rc != 1)
		fail_msg("feed_next %d: %s", rc, rc == -1 ? err.msg : "");
	assert_int_equal(md.kind, TD_MD_BAR);
	assert_int_equal(md.inst, 0);
	return md.bar.close;
}

static int
next_rc(struct feed *f, struct errmsg *err)
{
	struct td_md	 md;

	return feed_next(f, &md, err);
}

static void
test_feed_pipe_fifo_rows_in_order(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;
	struct feed_sub	 sub;

	assert_non_null(fx->f = make_feed(fx, "es.fifo", false, &err));
	assert_true(feed_live(fx->f));
	/* No writer yet: nothing, and no end. */
	assert_int_equal(next_rc(fx->f, &err), FEED_AGAIN);
	assert_int_equal(feed_subs(fx->f, &sub, 1), 1);
	assert_int_equal(sub.inst, 0);
	assert_int_equal(sub.data, FEED_TICKS | FEED_BARS);

	fx->w = open(fx->path, O_WRONLY | O_NONBLOCK);
	assert_true(fx->w >= 0);
	assert_int_equal(next_rc(fx->f, &err), FEED_AGAIN);
	put(fx->w, ROW("00", "5000.00") ROW("01", "5000.25"));
	wait_readable(fx->f);
	assert_int_equal(next_close(fx->f), P(5000.00));
	assert_int_equal(next_close(fx->f), P(5000.25));
	assert_int_equal(next_rc(fx->f, &err), FEED_AGAIN);
	assert_int_equal(feed_subs(fx->f, &sub, 1), 1);
	assert_int_equal(sub.data, FEED_BARS);

	/* A partial line waits for its newline. */
	put(fx->w, "2024-03-01 10:02:00,5001.00,5001.00,");
	wait_readable(fx->f);
	assert_int_equal(next_rc(fx->f, &err), FEED_AGAIN);
	put(fx->w, "5001.00,5001.00,10\n");
	wait_readable(fx->f);
	assert_int_equal(next_close(fx->f), P(5001.00));

	/* A bad row: path:line and the reason; the next row still comes. */
	put(fx->w, "2024-03-01 10:03:00,5001.00,5000.00,5001.00,5001.00,10\n"
	    ROW("04", "5002.00"));
	wait_readable(fx->f);
	assert_int_equal(next_rc(fx->f, &err), -1);
	assert_non_null(strstr(err.msg, "es.fifo:4: "));
	assert_int_equal(next_close(fx->f), P(5002.00));
	/* A row out of order is refused as the replay reader refuses it. */
	put(fx->w, ROW("04", "5003.00"));
	wait_readable(fx->f);
	assert_int_equal(next_rc(fx->f, &err), -1);
	assert_non_null(strstr(err.msg, "es.fifo:6: timestamp"));
}

/* The writer goes (its last line unfinished) and another comes. */
static void
test_feed_pipe_fifo_writer_comes_back(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;

	assert_non_null(fx->f = make_feed(fx, "es.fifo", false, &err));
	fx->w = open(fx->path, O_WRONLY | O_NONBLOCK);
	assert_true(fx->w >= 0);
	put(fx->w, ROW("00", "5000.00") "2024-03-01 10:01:00,50");
	close(fx->w);
	fx->w = -1;
	wait_readable(fx->f);
	assert_int_equal(next_close(fx->f), P(5000.00));
	assert_int_equal(next_rc(fx->f, &err), -1);
	assert_non_null(strstr(err.msg, "es.fifo:2: line cut short"));
	/* Waiting for the next writer: nothing to read, no end. */
	assert_int_equal(next_rc(fx->f, &err), FEED_AGAIN);
	fx->w = open(fx->path, O_WRONLY | O_NONBLOCK);
	assert_true(fx->w >= 0);
	put(fx->w, ROW("02", "5000.50"));
	wait_readable(fx->f);
	assert_int_equal(next_close(fx->f), P(5000.50));
	assert_int_equal(next_rc(fx->f, &err), FEED_AGAIN);
}

static void
test_feed_pipe_follow_growing_file(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;

	snprintf(fx->path, sizeof fx->path, "%s/es.csv", fx->dir);
	fx->w = open(fx->path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	assert_true(fx->w >= 0);
	put(fx->w, "timestamp,open,high,low,close,volume\n"
	    ROW("00", "5000.00") ROW("01", "5000.25") "2024-03-01 10:02");
	assert_non_null(fx->f = make_feed(fx, "es.csv", true, &err));
	/* The rows already there first, then the partial line waits. */
	assert_int_equal(next_close(fx->f), P(5000.00));
	assert_int_equal(next_close(fx->f), P(5000.25));
	assert_int_equal(next_rc(fx->f, &err), FEED_AGAIN);
	put(fx->w, ":00,5000.75,5000.75,5000.75,5000.75,10\n");
	wait_readable(fx->f);
	assert_int_equal(next_close(fx->f), P(5000.75));
	assert_int_equal(next_rc(fx->f, &err), FEED_AGAIN);
	put(fx->w, "2024-03-01 10:03:00,x,1,1,1,1\n" ROW("04", "5001.00"));
	wait_readable(fx->f);
	assert_int_equal(next_rc(fx->f, &err), -1);
	assert_non_null(strstr(err.msg, "es.csv:5: "));
	assert_int_equal(next_close(fx->f), P(5001.00));
	assert_int_equal(next_rc(fx->f, &err), FEED_AGAIN);
	/* Truncated, it is no longer followed: the feed has ended. */
	assert_int_equal(ftruncate(fx->w, 0), 0);
	assert_int_equal(next_rc(fx->f, &err), -1);
	assert_non_null(strstr(err.msg, "shrank"));
	assert_int_equal(next_rc(fx->f, &err), 0);
}

static void
test_feed_pipe_refusals(void **state)
{
	struct fx		*fx = *state;
	struct errmsg		 err;
	struct reader_opts	 o;
	struct feed_pipe_src	 two[2];
	int			 fd;

	memset(&o, 0, sizeof o);
	/* A FIFO is not followed, and a file is not a FIFO. */
	snprintf(fx->path, sizeof fx->path, "%s/p", fx->dir);
	assert_int_equal(mkfifo(fx->path, 0600), 0);
	assert_true(feed_pipe_is_fifo(fx->path));
	two[0] = (struct feed_pipe_src){ .path = fx->path, .follow = true };
	assert_null(feed_pipe_create(two, 1, &o, fx->cfg.inst, 1, &err));
	assert_non_null(strstr(err.msg, "not a regular file"));
	snprintf(fx->path, sizeof fx->path, "%s/f.csv", fx->dir);
	fd = open(fx->path, O_WRONLY | O_CREAT, 0600);
	close(fd);
	assert_false(feed_pipe_is_fifo(fx->path));
	two[0] = (struct feed_pipe_src){ .path = fx->path };
	assert_null(feed_pipe_create(two, 1, &o, fx->cfg.inst, 1, &err));
	assert_non_null(strstr(err.msg, "not a FIFO"));
	/* One source per instrument; a missing file says so. */
	two[0].follow = two[1].follow = true;
	two[1] = two[0];
	assert_null(feed_pipe_create(two, 2, &o, fx->cfg.inst, 1, &err));
	assert_non_null(strstr(err.msg, "a second live source for ES"));
	two[0].path = "/nonexistent/es.csv";
	assert_null(feed_pipe_create(two, 1, &o, fx->cfg.inst, 1, &err));
	assert_string_equal(err.msg, "/nonexistent/es.csv: no such file or "
	    "directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_feed_pipe_fifo_rows_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_pipe_fifo_writer_comes_back, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_pipe_follow_growing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_pipe_refusals, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
