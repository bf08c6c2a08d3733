/*
 * test-sdnotify.c -- the service manager's protocol against real AF_UNIX
 * datagram sockets the test binds (a path and an abstract name): READY=1,
 * STATUS= only on a change and STOPPING=1 arrive as one datagram each; the
 * watchdog's WATCHDOG=1 comes at the loop's first turn and then every half
 * interval of a clock the test steps, never while the loop is not run,
 * and one ping (not a burst) when it turns again; a manager that is gone
 * is said once; and the parsing of $WATCHDOG_USEC and $JOURNAL_STREAM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "errmsg.h"
#include "loop.h"
#include "sdnotify.h"

struct fx {
	char		 dir[64];
	char		 path[128];	/* the manager's socket */
	int		 fd;		/* bound there */
	struct loop	*l;
	td_ns		 now;		/* the loop's clock */
	int		 nlog;
	char		 log[512];	/* the watchdog's lines */
};

static td_ns
fx_clock(void *arg)
{
	return ((struct fx *)arg)->now;
}

static void
fx_log(void *arg, const struct log_line *line)
{
	struct fx	*fx = arg;
	size_t		 used = strlen(fx->log);

	fx->nlog++;
	snprintf(fx->log + used, sizeof fx->log - used, "%s: %s|",
	    log_level_name(line->level), line->msg);
}

/* A datagram socket bound at name ("@..." abstract); the descriptor. */
static int
fx_bind(const char *name)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, name, strlen(name));
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(name) + (name[0] == '@' ? 0 : 1));
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	assert_true((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC,
	    0)) != -1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, len), 0);
	return fd;
}

/* The next datagram, or "" when there is none now. */
static const char *
fx_recv(int fd, char *buf, size_t len)
{
	ssize_t	 n = recv(fd, buf, len - 1, MSG_DONTWAIT);

	if (n == -1) {
		assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
		n = 0;
	}
	buf[n] = '\0';
	return buf;
}

static int
setup(void **state)
{
	struct fx	*fx = calloc(1, sizeof *fx);
	struct errmsg	 err;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "%s/td-sdn.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof fx->path, "%s/notify", fx->dir);
	fx->fd = fx_bind(fx->path);
	assert_non_null(fx->l = loop_create(&err));
	fx->now = 1000;
	loop_set_clock(fx->l, fx_clock, fx);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	loop_free(fx->l);
	if (fx->fd != -1)
		close(fx->fd);
	unlink(fx->path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static struct sdn *
fx_sdn(struct fx *fx, td_ns watchdog)
{
	struct sdn_cfg	 cfg = { .socket = fx->path, .watchdog = watchdog };
	struct errmsg	 err;
	struct sdn	*n = sdn_create(&cfg, &err);

	assert_non_null(n);
	return n;
}

static void
fx_turn(struct fx *fx)
{
	struct errmsg	 err;

	assert_true(loop_turn(fx->l, false, &err) >= 0);
}

static void
test_sdnotify_ready_status_stopping(void **state)
{
	struct fx	*fx = *state;
	struct sdn	*n = fx_sdn(fx, 0);
	struct errmsg	 err;
	char		 buf[512];

	assert_int_equal(sdn_ready(n, "trading", &err), 0);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf),
	    "READY=1\nSTATUS=trading");
	/* The same state again says nothing. */
	assert_int_equal(sdn_status(n, "trading", &err), 0);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "");
	assert_int_equal(sdn_status(n, "HALTED: daily loss", &err), 1);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf),
	    "STATUS=HALTED: daily loss");
	assert_int_equal(sdn_stopping(n, "flattening", &err), 0);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf),
	    "STOPPING=1\nSTATUS=flattening");
	assert_int_equal(sdn_status(n, "flattening", &err), 0);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "");
	sdn_free(n);
}

static void
test_sdnotify_abstract_socket(void **state)
{
	struct fx	*fx = *state;
	struct sdn_cfg	 cfg = { .socket = NULL };
	struct errmsg	 err;
	struct sdn	*n;
	char		 name[64], buf[128];
	int		 fd;

	(void)fx;
	snprintf(name, sizeof name, "@tickdesk-test-sdn-%ld", (long)getpid());
	fd = fx_bind(name);
	cfg.socket = name;
	assert_non_null(n = sdn_create(&cfg, &err));
	assert_int_equal(sdn_ready(n, "trading", &err), 0);
	assert_string_equal(fx_recv(fd, buf, sizeof buf),
	    "READY=1\nSTATUS=trading");
	sdn_free(n);
	close(fd);
}

static void
test_sdnotify_bad_address(void **state)
{
	static const char *const bad[] = { "notify.sock", "", "@", "/" };
	struct sdn_cfg		 cfg = { .socket = NULL };
	struct errmsg		 err;
	char			 lng[200];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cfg.socket = bad[i];
		err.msg[0] = '\0';
		assert_null(sdn_create(&cfg, &err));
		assert_non_null(strstr(err.msg, "socket '"));
	}
	memset(lng, 'x', sizeof lng - 1);
	lng[0] = '/';
	lng[sizeof lng - 1] = '\0';
	cfg.socket = lng;
	assert_null(sdn_create(&cfg, &err));
	assert_non_null(strstr(err.msg, "too long"));
}

/* WATCHDOG=1 at the first turn, then every half interval, and only then. */
static void
test_sdnotify_watchdog_every_half_interval(void **state)
{
	struct fx	*fx = *state;
	struct sdn	*n = fx_sdn(fx, 10 * TD_NS_PER_SEC);
	struct errmsg	 err;
	char		 buf[128];

	assert_int_equal(sdn_watchdog(n), 10 * TD_NS_PER_SEC);
	assert_int_equal(sdn_watch(n, fx->l, fx_log, fx, &err), 0);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "");
	fx_turn(fx);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "WATCHDOG=1");
	for (int i = 0; i < 3; i++) {
		fx->now += 5 * TD_NS_PER_SEC - 1;
		fx_turn(fx);
		assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "");
		fx->now += 1;
		fx_turn(fx);
		assert_string_equal(fx_recv(fx->fd, buf, sizeof buf),
		    "WATCHDOG=1");
		assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "");
	}
	/* A second loop cannot feed it too. */
	assert_int_equal(sdn_watch(n, fx->l, fx_log, fx, &err), -1);
	sdn_unwatch(n);
	fx->now += 60 * TD_NS_PER_SEC;
	fx_turn(fx);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "");
	assert_int_equal(fx->nlog, 0);
	sdn_free(n);
}

/* A loop that does not turn sends nothing, however long; then one ping. */
static void
test_sdnotify_wedged_loop_stops_the_pings(void **state)
{
	struct fx	*fx = *state;
	struct sdn	*n = fx_sdn(fx, 2 * TD_NS_PER_SEC);
	struct errmsg	 err;
	char		 buf[128];

	assert_int_equal(sdn_watch(n, fx->l, fx_log, fx, &err), 0);
	fx_turn(fx);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "WATCHDOG=1");
	/* Wedged: the clock runs on, the loop is not run. */
	fx->now += 60 * TD_NS_PER_SEC;
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "");
	fx_turn(fx);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "WATCHDOG=1");
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "");
	/* And from there, every second again. */
	fx->now += TD_NS_PER_SEC;
	fx_turn(fx);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "WATCHDOG=1");
	sdn_unwatch(n);
	sdn_free(n);
}

static void
test_sdnotify_no_watchdog(void **state)
{
	struct fx	*fx = *state;
	struct sdn	*n = fx_sdn(fx, 0);
	struct errmsg	 err;
	char		 buf[128];

	assert_int_equal(sdn_watch(n, fx->l, fx_log, fx, &err), 0);
	for (int i = 0; i < 5; i++) {
		fx_turn(fx);
		fx->now += 10 * TD_NS_PER_SEC;
	}
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "");
	sdn_unwatch(n);
	sdn_free(n);
}

/* A manager that has gone is said once, and its return once. */
static void
test_sdnotify_manager_gone(void **state)
{
	struct fx	*fx = *state;
	struct sdn	*n = fx_sdn(fx, 2 * TD_NS_PER_SEC);
	struct errmsg	 err;
	char		 buf[128];

	close(fx->fd);
	unlink(fx->path);
	fx->fd = -1;
	assert_int_equal(sdn_ready(n, "trading", &err), -1);
	assert_non_null(strstr(err.msg, "notify"));
	assert_int_equal(sdn_watch(n, fx->l, fx_log, fx, &err), 0);
	for (int i = 0; i < 3; i++) {
		fx_turn(fx);
		fx->now += TD_NS_PER_SEC;
	}
	assert_int_equal(fx->nlog, 1);
	assert_non_null(strstr(fx->log, "warning: "));
	assert_non_null(strstr(fx->log, "may restart the session"));
	fx->fd = fx_bind(fx->path);
	fx_turn(fx);
	assert_string_equal(fx_recv(fx->fd, buf, sizeof buf), "WATCHDOG=1");
	assert_int_equal(fx->nlog, 2);
	assert_non_null(strstr(fx->log, "info: the service manager hears"));
	sdn_unwatch(n);
	sdn_free(n);
}

static void
test_sdnotify_parse_usec(void **state)
{
	static const char *const bad[] = { "", "0", "-5", "12x", " 5", "5 ",
	    "+5", "99999999999999999999", "10000000000000000" };
	td_ns	 t = 0;

	(void)state;
	assert_int_equal(sdn_parse_usec("30000000", &t), 0);
	assert_int_equal(t, 30 * TD_NS_PER_SEC);
	assert_int_equal(sdn_parse_usec("1", &t), 0);
	assert_int_equal(t, 1000);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(sdn_parse_usec(bad[i], &t), -1);
}

static void
test_sdnotify_journal_stream(void **state)
{
	struct fx	*fx = *state;
	struct stat	 sb;
	char		 path[160], stream[64];
	int		 fd;

	snprintf(path, sizeof path, "%s/stderr", fx->dir);
	assert_true((fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC,
	    0600)) != -1);
	assert_int_equal(fstat(fd, &sb), 0);
	snprintf(stream, sizeof stream, "%llu:%llu",
	    (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino);
	assert_true(sdn_is_journal(stream, fd));
	snprintf(stream, sizeof stream, "%llu:%llu",
	    (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino + 1);
	assert_false(sdn_is_journal(stream, fd));
	snprintf(stream, sizeof stream, "%llu:%llux",
	    (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino);
	assert_false(sdn_is_journal(stream, fd));
	assert_false(sdn_is_journal("", fd));
	assert_false(sdn_is_journal("garbage", fd));
	assert_false(sdn_is_journal(NULL, fd));
	close(fd);
	unlink(path);
}

static void
test_sdnotify_priority(void **state)
{
	(void)state;
	assert_int_equal(sdn_priority(LOG_DEBUG), 7);
	assert_int_equal(sdn_priority(LOG_INFO), 6);
	assert_int_equal(sdn_priority(LOG_WARNING), 4);
	assert_int_equal(sdn_priority(LOG_ERROR), 3);
	assert_int_equal(sdn_priority(LOG_CRITICAL), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_sdnotify_ready_status_stopping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sdnotify_abstract_socket,
		    setup, teardown),
		cmocka_unit_test(test_sdnotify_bad_address),
		cmocka_unit_test_setup_teardown(
		    test_sdnotify_watchdog_every_half_interval, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_sdnotify_wedged_loop_stops_the_pings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sdnotify_no_watchdog,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_sdnotify_manager_gone,
		    setup, teardown),
		cmocka_unit_test(test_sdnotify_parse_usec),
		cmocka_unit_test_setup_teardown(test_sdnotify_journal_stream,
		    setup, teardown),
		cmocka_unit_test(test_sdnotify_priority),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
