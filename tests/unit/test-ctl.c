/*
 * test-ctl.c -- the control socket (src/ctl.c): idle clients closed on
 * the loop's clock, the slot kept for kill, flatten and halt, and the
 * rule on the default socket's directory shared by the session and the
 * client.
 *
 * Each test has a fresh directory under $TMPDIR with a socket in it and a
 * paused engine thread whose command function echoes the line.  The test
 * is the session's main loop: serve() polls without waiting and calls
 * ctl_service with the time the test chooses; a client's bytes are in
 * the server's socket before its send returns, so nothing waits on the
 * machine's speed except the replies of the engine thread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "runner.h"

#include "fixture.h"

#define T0		(1000 * TD_NS_PER_SEC)	/* the loop's clock */

struct fx {
	char		 dir[256];
	char		 path[320];
	struct ctl	*ctl;
	struct runner	*r;
};

/* The command function: answers with the line. */
static void
echo_exec(void *arg, struct runner *r, struct engine *e, const char *line,
    struct runner_reply *reply)
{
	(void)arg;
	(void)r;
	(void)e;
	snprintf(reply->text, sizeof reply->text, "ran %s", line);
}

static int
setup(void **state)
{
	struct fx		*fx = calloc(1, sizeof *fx);
	const char		*tmp = getenv("TMPDIR");
	struct demo_cfg		 dc = { .seed = 3, .days = 1 };
	struct runner_cfg	 rc = {
		.paused = true,
		.mode = SNAP_PAPER,
		.exec = echo_exec,
	};
	struct errmsg		 err;
	struct feed		*f;

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/test-ctl.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->path, sizeof fx->path, "%s/ctl.sock", fx->dir);
	if ((fx->ctl = ctl_open(fx->path, &err)) == NULL)
		fail_msg("%s", err.msg);
	if ((f = feed_demo_create(&dc, &err)) == NULL ||
	    (fx->r = runner_create(&rc, fixture_orb_engine(false, 0), f,
	    &err)) == NULL || runner_start(fx->r, &err) == -1)
		fail_msg("%s", err.msg);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;
	char		 cmd[400];

	runner_free(fx->r);
	ctl_close(fx->ctl);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

/* One turn of the session's loop at time now, without waiting. */
static void
serve(struct fx *fx, td_ns now)
{
	struct pollfd	 fds[CTL_CLIENTS + 1];
	int		 n = ctl_pollfds(fx->ctl, fds, CTL_CLIENTS + 1);

	assert_true(poll(fds, (nfds_t)n, 0) >= 0);
	ctl_service(fx->ctl, fds, n, fx->r, now);
}

/* Hand the engine's replies to the socket until one came (up to 10 s). */
static void
pump(struct fx *fx)
{
	struct pollfd		 pfd = { .fd = runner_fd(fx->r),
				     .events = POLLIN };
	struct runner_reply	 rep;

	for (int i = 0; i < 1000; i++) {
		runner_ack(fx->r);
		if (runner_reply(fx->r, &rep) == 1) {
			assert_true(ctl_take_reply(fx->ctl, &rep));
			return;
		}
		poll(&pfd, 1, 10);
	}
	fail_msg("no reply from the engine thread");
}

/* A client connected to the socket, having sent text (may be ""). */
static int
client(struct fx *fx, const char *text)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	int			 fd;

	memcpy(sun.sun_path, fx->path, strlen(fx->path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	if (text[0] != '\0')
		assert_int_equal(send(fd, text, strlen(text), MSG_NOSIGNAL),
		    (ssize_t)strlen(text));
	return fd;
}

/* What the server has written to fd so far (never waits). */
static char *
got(int fd, char *buf, size_t len)
{
	ssize_t	 n = recv(fd, buf, len - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Whether the server has closed fd (after what it wrote). */
static bool
closed(int fd)
{
	char	 buf[8192];
	ssize_t	 n;

	while ((n = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
		continue;
	return n == 0;
}

/* A client that says nothing is told and closed after CTL_IDLE_NS. */
static void
test_ctl_idle_client_closed(void **state)
{
	struct fx	*fx = *state;
	char		 buf[512];
	int		 silent, slow;

	silent = client(fx, "");
	serve(fx, T0);
	/* Half a line does not count: only a whole one does. */
	slow = client(fx, "sta");
	serve(fx, T0 + TD_NS_PER_SEC);
	serve(fx, T0 + CTL_IDLE_NS - 1);
	assert_string_equal(got(silent, buf, sizeof buf), "");
	assert_false(closed(silent));
	serve(fx, T0 + CTL_IDLE_NS);
	assert_string_equal(got(silent, buf, sizeof buf), "no whole command "
	    "line within 5 s: closing\n\0041\n");
	assert_true(closed(silent));
	assert_false(closed(slow));
	serve(fx, T0 + TD_NS_PER_SEC + CTL_IDLE_NS);
	assert_non_null(strstr(got(slow, buf, sizeof buf), "no whole"));
	assert_true(closed(slow));
	close(silent);
	close(slow);
}

/* A command in flight is not idle; the time runs again from its answer. */
static void
test_ctl_idle_counts_from_the_answer(void **state)
{
	struct fx	*fx = *state;
	char		 buf[512];
	int		 fd;

	fd = client(fx, "status\n");
	serve(fx, T0);
	serve(fx, T0);
	serve(fx, T0 + 2 * CTL_IDLE_NS);
	assert_false(closed(fd));
	pump(fx);
	assert_string_equal(got(fd, buf, sizeof buf), "ran status\n\0040\n");
	serve(fx, T0 + 3 * CTL_IDLE_NS - 1);
	assert_false(closed(fd));
	serve(fx, T0 + 3 * CTL_IDLE_NS);
	assert_true(closed(fd));
	close(fd);
}

/* CTL_ORDINARY silent clients, all accepted; their descriptors in fds. */
static void
fill(struct fx *fx, int *fds)
{
	for (int i = 0; i < CTL_ORDINARY; i++)
		fds[i] = client(fx, "");
	serve(fx, T0);
	for (int i = 0; i < CTL_ORDINARY; i++)
		assert_false(closed(fds[i]));
}

static void
unfill(const int *fds)
{
	for (int i = 0; i < CTL_ORDINARY; i++) {
		assert_false(closed(fds[i]));
		close(fds[i]);
	}
}

/* The ordinary slots full: the kept one serves kill, flatten, halt only. */
static void
test_ctl_kept_slot_serves_kill_only(void **state)
{
	static const char *const served[] = {
		"kill!", "kill", "  flatten all", "flatten ES", "halt",
	};
	static const char *const refused[] = {
		"status", "killall", "flat", "hal", "resume --confirmed", "",
	};
	struct fx	*fx = *state;
	char		 line[64], want[96], buf[512];
	int		 idle[CTL_ORDINARY], fd;

	fill(fx, idle);
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		snprintf(line, sizeof line, "%s\n", refused[i]);
		fd = client(fx, line);
		serve(fx, T0);
		serve(fx, T0);
		assert_string_equal(got(fd, buf, sizeof buf), "control socket "
		    "busy: only kill, flatten and halt are served now\n"
		    "\0041\n");
		assert_true(closed(fd));
		close(fd);
	}
	for (size_t i = 0; i < sizeof served / sizeof served[0]; i++) {
		snprintf(line, sizeof line, "%s\n", served[i]);
		fd = client(fx, line);
		serve(fx, T0);
		serve(fx, T0);
		pump(fx);
		snprintf(want, sizeof want, "ran %s\n\0040\n", served[i]);
		assert_string_equal(got(fd, buf, sizeof buf), want);
		close(fd);
	}
	unfill(idle);
}

/* Silent clients in every slot cannot keep kill! out. */
static void
test_ctl_kept_slot_idle_gives_way(void **state)
{
	struct fx	*fx = *state;
	char		 buf[512];
	int		 idle[CTL_ORDINARY], silent, fd;

	fill(fx, idle);
	silent = client(fx, "");
	serve(fx, T0);
	assert_false(closed(silent));
	fd = client(fx, "kill!\n");
	serve(fx, T0);
	assert_true(closed(silent));
	serve(fx, T0);
	pump(fx);
	assert_string_equal(got(fd, buf, sizeof buf), "ran kill!\n\0040\n");
	close(silent);
	close(fd);
	unfill(idle);
}

/* A line already sent in the kept slot is served, not lost to a newer one. */
static void
test_ctl_kept_slot_line_not_lost(void **state)
{
	struct fx	*fx = *state;
	char		 buf[512];
	int		 idle[CTL_ORDINARY], first, second;

	fill(fx, idle);
	/* Both wait to be accepted in the same turn. */
	first = client(fx, "halt\n");
	second = client(fx, "kill!\n");
	serve(fx, T0);
	assert_string_equal(got(second, buf, sizeof buf),
	    "too many clients\n\0041\n");
	pump(fx);
	assert_string_equal(got(first, buf, sizeof buf), "ran halt\n\0040\n");
	close(first);
	close(second);
	unfill(idle);
}

/* $XDG_RUNTIME_DIR/tickdesk with mode, as in a session's environment. */
static void
runtime_dir(struct fx *fx, char *dir, size_t len, mode_t mode)
{
	snprintf(dir, len, "%s/tickdesk", fx->dir);
	assert_int_equal(setenv("XDG_RUNTIME_DIR", fx->dir, 1), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, mode), 0);
}

/* The session and the client hold the default directory to one rule. */
static void
test_ctl_open_dir_refused(void **state)
{
	static const mode_t	 modes[] = { 0777, 0770, 0701, 0750 };
	struct fx		*fx = *state;
	struct ctl_answer	 ans;
	struct errmsg		 err;
	char			 dir[300], want[400];

	assert_int_equal(setenv("XDG_RUNTIME_DIR", fx->dir, 1), 0);
	assert_int_equal(ctl_request(NULL, "kill!", 1000, &ans, &err), -1);
	snprintf(want, sizeof want, "no tickdesk session is listening on "
	    "%s/tickdesk/ctl.sock", fx->dir);
	assert_string_equal(err.msg, want);
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		runtime_dir(fx, dir, sizeof dir, modes[i]);
		snprintf(want, sizeof want, "%s: mode %04o lets other users "
		    "in; the control socket's directory must be yours, mode "
		    "0700", dir, (unsigned)modes[i]);
		assert_null(ctl_open(NULL, &err));
		assert_string_equal(err.msg, want);
		assert_int_equal(ctl_request(NULL, "kill!", 1000, &ans, &err),
		    -1);
		assert_non_null(strstr(err.msg, "refusing the control "
		    "socket: "));
		assert_string_equal(strstr(err.msg, dir), want);
		assert_int_equal(rmdir(dir), 0);
	}
	unsetenv("XDG_RUNTIME_DIR");
}

/* A directory of another user is refused by both (root can make one). */
static void
test_ctl_foreign_dir_refused(void **state)
{
	struct fx		*fx = *state;
	struct ctl_answer	 ans;
	struct errmsg		 err;
	char			 dir[300], want[400];

	if (geteuid() != 0)
		skip();
	runtime_dir(fx, dir, sizeof dir, 0700);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	snprintf(want, sizeof want, "%s: owned by uid 65534, not by you (uid "
	    "0); the control socket's directory must be yours, mode 0700",
	    dir);
	assert_null(ctl_open(NULL, &err));
	assert_string_equal(err.msg, want);
	assert_int_equal(ctl_request(NULL, "kill!", 1000, &ans, &err), -1);
	assert_string_equal(strstr(err.msg, dir), want);
	unsetenv("XDG_RUNTIME_DIR");
}

/* A link where the directory should be is refused by both. */
static void
test_ctl_link_dir_refused(void **state)
{
	struct fx		*fx = *state;
	struct ctl_answer	 ans;
	struct errmsg		 err;
	char			 dir[300], link[300];

	runtime_dir(fx, dir, sizeof dir, 0700);
	snprintf(link, sizeof link, "%s/other", fx->dir);
	assert_int_equal(rename(dir, link), 0);
	assert_int_equal(symlink(link, dir), 0);
	assert_null(ctl_open(NULL, &err));
	assert_non_null(strstr(err.msg, "tickdesk: not a directory"));
	assert_int_equal(ctl_request(NULL, "kill!", 1000, &ans, &err), -1);
	assert_non_null(strstr(err.msg, "tickdesk: not a directory"));
	unsetenv("XDG_RUNTIME_DIR");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ctl_idle_client_closed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ctl_idle_counts_from_the_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ctl_kept_slot_serves_kill_only, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ctl_kept_slot_idle_gives_way, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ctl_kept_slot_line_not_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctl_open_dir_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctl_foreign_dir_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctl_link_dir_refused,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
