/*
 * test-fix-conn.c -- one FIX connection kept up (core/fix-conn.h) against
 * a counterparty the test plays on a real socket on 127.0.0.1: logon and
 * ready once, application messages both ways, the link lost and made
 * again after a backoff on the test's clock, a hold that keeps it down,
 * and the notices.  Waits are on sockets, with a generous guard.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errmsg.h"
#include "fix-codec.h"
#include "fix-conn.h"

#define SEC		1000000000LL
#define T0		(1733300000LL * SEC)

struct fc {
	int		 lfd;		/* the counterparty listens */
	int		 port;
	int		 peer;		/* its side of the link, -1: none */
	struct fix_conn	*c;
	td_ns		 now;
	int		 napp;
	char		 buf[8192];
	size_t		 len;
	int64_t		 seq;		/* the counterparty's next */
};

static void
on_app(void *arg, const struct fix_msg *m, bool possdup)
{
	struct fc	*t = arg;

	(void)possdup;
	if (strcmp(m->type, "8") == 0)
		t->napp++;
}

static int
setup(void **state)
{
	struct fc		*t = calloc(1, sizeof *t);
	struct sockaddr_in	 a = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t		 n = sizeof a;
	struct fix_conn_cfg	 cfg = { .host = "127.0.0.1", .begin = "FIX.4.4",
				    .sender = "TD", .target = "CP",
				    .heartbeat = 30, .backoff_min = SEC,
				    .backoff_max = 4 * SEC, .seed = 7,
				    .lost_means = "orders wait" };
	struct fix_conn_cb	 cb;
	struct errmsg		 err;

	assert_non_null(t);
	t->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(t->lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(t->lfd, 4), 0);
	assert_int_equal(getsockname(t->lfd, (struct sockaddr *)&a, &n), 0);
	t->port = ntohs(a.sin_port);
	t->peer = -1;
	t->now = T0;
	t->seq = 1;
	cfg.port = t->port;
	cb = (struct fix_conn_cb){ .arg = t, .app = on_app };
	if ((t->c = fix_conn_create(&cfg, &cb, &err)) == NULL)
		fail_msg("%s", err.msg);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct fc	*t = *state;

	fix_conn_free(t->c);
	if (t->peer != -1)
		close(t->peer);
	close(t->lfd);
	free(t);
	return 0;
}

/* Run the connection until cond, on the test's clock moved by step. */
static int
turn(struct fc *t, td_ns step)
{
	struct pollfd	 p = { .fd = fix_conn_fd(t->c), .events = POLLIN };
	int		 rc;

	t->now += step;
	rc = fix_conn_run(t->c, t->now);
	if (p.fd != -1)
		poll(&p, 1, 10);
	return rc;
}

/* Accept the link, or fail after a generous wait. */
static void
accept_link(struct fc *t)
{
	struct pollfd	 p = { .fd = t->lfd, .events = POLLIN };

	for (int i = 0; i < 500 && poll(&p, 1, 0) == 0; i++)
		turn(t, 0);
	assert_int_equal(poll(&p, 1, 1000), 1);
	t->peer = accept(t->lfd, NULL, NULL);
	assert_true(t->peer != -1);
	t->len = 0;
}

/* The next message from the connection, whole. */
static void
read_msg(struct fc *t, struct fix_msg *m)
{
	struct fix_error	 e;
	size_t			 used;
	ssize_t			 n;

	for (int i = 0; i < 500; i++) {
		if (t->len > 0 && fix_parse(t->buf, t->len, m, &used, &e) ==
		    FIX_OK) {
			memmove(t->buf, t->buf + used, t->len - used);
			t->len -= used;
			return;
		}
		turn(t, 0);
		n = recv(t->peer, t->buf + t->len, sizeof t->buf - t->len,
		    MSG_DONTWAIT);
		if (n > 0)
			t->len += (size_t)n;
	}
	fail_msg("no message from the connection");
}

static void
send_msg(struct fc *t, const char *type, const struct fix_out *fields)
{
	struct fix_out	 o;

	fix_out_begin(&o, type);
	fix_out_str(&o, FIX_T_SENDER_COMP_ID, "CP");
	fix_out_str(&o, FIX_T_TARGET_COMP_ID, "TD");
	fix_out_int(&o, FIX_T_MSG_SEQ_NUM, t->seq++);
	fix_out_time(&o, FIX_T_SENDING_TIME, t->now);
	if (fields != NULL)
		fix_out_append(&o, fields);
	assert_int_equal(fix_out_finish(&o, "FIX.4.4"), 0);
	assert_int_equal(send(t->peer, o.buf, o.len, 0), (ssize_t)o.len);
}

/* Log on: the connection's Logon read, ours sent, ready once. */
static void
logon(struct fc *t)
{
	struct fix_msg	*m = malloc(sizeof *m);
	struct fix_out	 f;
	int		 ready = 0;

	assert_non_null(m);
	accept_link(t);
	read_msg(t, m);
	assert_string_equal(m->type, "A");
	fix_out_begin(&f, NULL);
	fix_out_int(&f, FIX_T_ENCRYPT_METHOD, 0);
	fix_out_int(&f, FIX_T_HEART_BT_INT, 30);
	send_msg(t, "A", &f);
	for (int i = 0; i < 500 && !ready; i++)
		ready = turn(t, 0);
	if (ready != 1) {
		char	 line[256];
		int	 level;

		while (fix_conn_notice(t->c, &level, line, sizeof line) == 1)
			print_message("notice: %s\n", line);
	}
	assert_int_equal(ready, 1);
	assert_true(fix_conn_ready(t->c));
	assert_int_equal(turn(t, 0), 0);	/* once */
	free(m);
}

static bool
has_notice(struct fc *t, const char *text)
{
	char	 line[256];
	int	 level;
	bool	 found = false;

	while (fix_conn_notice(t->c, &level, line, sizeof line) == 1)
		found |= strstr(line, text) != NULL;
	return found;
}

/* The notices name text and never avoid. */
static bool
has_notice_only(struct fc *t, const char *text, const char *avoid)
{
	char	 line[256];
	int	 level;
	bool	 found = false, bad = false;

	while (fix_conn_notice(t->c, &level, line, sizeof line) == 1) {
		found |= strstr(line, text) != NULL;
		bad |= strstr(line, avoid) != NULL;
	}
	return found && !bad;
}

static void
test_fix_conn_logon_and_messages(void **state)
{
	struct fc	*t = *state;
	struct fix_msg	*m = malloc(sizeof *m);
	struct fix_out	 f;
	struct errmsg	 err;
	int64_t		 seq;

	assert_non_null(m);
	assert_false(fix_conn_ready(t->c));
	fix_out_begin(&f, NULL);
	fix_out_str(&f, 11, "1");
	assert_int_equal(fix_conn_send(t->c, "D", &f, &seq, &err), -1);
	logon(t);
	assert_int_equal(fix_conn_send(t->c, "D", &f, &seq, &err), 0);
	assert_int_equal(seq, 2);
	read_msg(t, m);
	assert_string_equal(m->type, "D");
	assert_string_equal(fix_get(m, 11), "1");
	fix_out_begin(&f, NULL);
	fix_out_str(&f, 150, "0");
	send_msg(t, "8", &f);
	for (int i = 0; i < 500 && t->napp == 0; i++)
		turn(t, 0);
	assert_int_equal(t->napp, 1);
	assert_true(fix_conn_heard(t->c) == t->now);
	assert_true(fix_conn_wake(t->c) > t->now);
	free(m);
}

/*
 * The counterparty closes the link: lost, said with what it means, and
 * nothing is tried before the backoff's wait has passed on the clock.
 */
static void
test_fix_conn_lost_and_back(void **state)
{
	struct fc	*t = *state;
	struct pollfd	 p = { .fd = -1, .events = POLLIN };
	td_ns		 wait;

	logon(t);
	close(t->peer);
	t->peer = -1;
	for (int i = 0; i < 500 && fix_conn_ready(t->c); i++)
		turn(t, 0);
	assert_false(fix_conn_ready(t->c));
	assert_true(fix_conn_ever_up(t->c));
	assert_true(fix_conn_down(t->c));
	assert_true(has_notice(t, "orders wait; again in"));
	wait = fix_conn_wake(t->c) - t->now;
	assert_true(wait >= 0 && wait <= SEC);
	p.fd = t->lfd;
	if (wait > 0) {
		turn(t, 0);
		assert_int_equal(poll(&p, 1, 50), 0);	/* not yet */
	}
	t->now += wait;
	logon(t);
}

/* The connection's Logout read and answered: then it is down. */
static void
logged_out(struct fc *t, struct fix_msg *m)
{
	read_msg(t, m);
	assert_string_equal(m->type, "5");
	send_msg(t, "5", NULL);
	for (int i = 0; i < 500 && !fix_conn_down(t->c); i++)
		turn(t, 0);
	assert_true(fix_conn_down(t->c));
}

/* Held down: logged out, closed, and not made again until the hold. */
static void
test_fix_conn_hold(void **state)
{
	struct fc	*t = *state;
	struct fix_msg	*m = malloc(sizeof *m);
	struct pollfd	 p = { .fd = -1, .events = POLLIN };

	assert_non_null(m);
	logon(t);
	fix_conn_hold(t->c, t->now + 3600 * SEC, "outside the session hours");
	logged_out(t, m);
	/* Said once, and not as a lost link. */
	assert_true(has_notice_only(t, "outside the session hours",
	    "again in"));
	close(t->peer);
	t->peer = -1;
	turn(t, 600 * SEC);
	p.fd = t->lfd;
	assert_int_equal(poll(&p, 1, 50), 0);	/* still held */
	assert_int_equal(fix_conn_wake(t->c), T0 + 3600 * SEC);
	t->now = T0 + 3600 * SEC;
	logon(t);
	free(m);
}

/* Held until told (an emergency session's rest), then told: at once. */
static void
test_fix_conn_hold_until_told(void **state)
{
	struct fc	*t = *state;
	struct fix_msg	*m = malloc(sizeof *m);

	assert_non_null(m);
	logon(t);
	fix_conn_hold(t->c, INT64_MAX, "the main session is back");
	logged_out(t, m);
	assert_true(has_notice(t, "the main session is back: logged out"));
	close(t->peer);
	t->peer = -1;
	turn(t, 24 * 3600 * SEC);
	assert_int_equal(fix_conn_wake(t->c), INT64_MAX);
	fix_conn_hold(t->c, 0, NULL);
	logon(t);
	assert_true(fix_conn_ready(t->c));
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_fix_conn_logon_and_messages),
		T(test_fix_conn_lost_and_back),
		T(test_fix_conn_hold),
		T(test_fix_conn_hold_until_told),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
