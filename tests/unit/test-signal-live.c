/*
 * test-signal-live.c -- headlines as they arrive (core/signal-live.h): a
 * tailed file from its end, appends, a partial line that waits for its
 * newline, a bad line skipped with its file and line, an overlong one,
 * truncation and rotation; a socket against a real server on loopback
 * (TCP and unix), its lines split across writes, a lost connection
 * reconnected on the clock the test gives, and a refused one tried again
 * without a word more.  Nothing waits on time: the clock is the test's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "errmsg.h"
#include "signal-live.h"

#define SEC	TD_NS_PER_SEC

#define LINE(text) "{\"time\": \"2024-03-12T13:31:05Z\", \"source\": " \
	"\"wire\", \"symbols\": [\"ES\"], \"text\": \"" text "\"}\n"

struct fx {
	char	 dir[64];
	char	 path[96];
};

static int
setup(void **state)
{
	struct fx	*f = calloc(1, sizeof *f);

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/td-live-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/news.jsonl", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		 cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Append text to path (mode "a"), or write it afresh ("w"). */
static void
put(const char *path, const char *mode, const char *text)
{
	FILE	*fp = fopen(path, mode);

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/*
 * The input's answer must be rc, with text in its headline or message:
 * asked up to tries times, 10 ms apart, while it answers 0 (a server's
 * bytes travel through the kernel; the test's clock stays at now).
 */
static void
answer(struct signal_live *sl, td_ns now, int tries, int rc, const char *text)
{
	struct news_item	 it;
	struct errmsg		 err = { "" };
	int			 got;

	while ((got = signal_live_next(sl, now, &it, &err)) == 0 &&
	    --tries > 0)
		poll(NULL, 0, 10);
	if (got != rc)
		fail_msg("signal_live_next %d, not %d (%s)", got, rc, err.msg);
	if (text == NULL)
		return;
	if (rc == 1)
		assert_string_equal(it.text, text);
	else if (strstr(err.msg, text) == NULL)
		fail_msg("'%s' is not in '%s'", text, err.msg);
}

/* The very next answer; and one within 10 s. */
#define next_is(sl, now, rc, text)	answer(sl, now, 1, rc, text)
#define await(sl, now, rc, text)	answer(sl, now, 1000, rc, text)

static void
test_signal_live_file_tail(void **state)
{
	struct fx		*f = *state;
	struct signal_live	*sl;
	struct errmsg		 err;
	char			 where[160];

	/* What is there at the start is not read; a partial line waits. */
	put(f->path, "w", LINE("old news") LINE("older news") "{\"time\"");
	sl = signal_live_file(f->path, &err);
	assert_non_null(sl);
	assert_string_equal(signal_live_name(sl), f->path);
	next_is(sl, 0, 0, NULL);
	put(f->path, "a", ": \"2024-03-12T13:31:06Z\", \"text\": \"Stocks");
	next_is(sl, 0, 0, NULL);
	put(f->path, "a", " rally\"}\n" LINE("Futures slide"));
	next_is(sl, 0, 1, "Stocks rally");
	next_is(sl, 0, 1, "Futures slide");
	next_is(sl, 0, 0, NULL);
	/* A bad line: its file and line, skipped; the next one is read. */
	put(f->path, "a", "\n# a comment\n{\"text\": \"no time\"}\n"
	    LINE("Banks rebound"));
	snprintf(where, sizeof where, "%s:7: no time: skipped", f->path);
	next_is(sl, 0, -1, where);
	next_is(sl, 0, 1, "Banks rebound");
	next_is(sl, 0, 0, NULL);
	assert_int_equal(signal_live_count(sl), 3);
	assert_int_equal(signal_live_bad(sl), 1);
	signal_live_free(sl);
}

static void
test_signal_live_file_long_line(void **state)
{
	struct fx		*f = *state;
	struct signal_live	*sl;
	struct errmsg		 err;
	char			*big = malloc(NEWS_LINE_MAX + 100), where[160];

	assert_non_null(big);
	put(f->path, "w", "");
	assert_non_null(sl = signal_live_file(f->path, &err));
	memset(big, 'x', NEWS_LINE_MAX + 98);
	big[NEWS_LINE_MAX + 98] = '\n';
	big[NEWS_LINE_MAX + 99] = '\0';
	put(f->path, "a", LINE("first"));
	put(f->path, "a", big);
	put(f->path, "a", LINE("after the long one"));
	next_is(sl, 0, 1, "first");
	snprintf(where, sizeof where, "%s:2: longer than %d bytes: skipped",
	    f->path, NEWS_LINE_MAX);
	next_is(sl, 0, -1, where);
	next_is(sl, 0, 1, "after the long one");
	next_is(sl, 0, 0, NULL);
	signal_live_free(sl);
	free(big);
}

static void
test_signal_live_file_truncated(void **state)
{
	struct fx		*f = *state;
	struct signal_live	*sl;
	struct errmsg		 err;

	put(f->path, "w", LINE("one") LINE("two"));
	assert_non_null(sl = signal_live_file(f->path, &err));
	put(f->path, "a", LINE("three"));
	next_is(sl, 0, 1, "three");
	next_is(sl, 0, 0, NULL);
	/* Emptied and written again, shorter: read from its start. */
	put(f->path, "w", LINE("fresh"));
	next_is(sl, 0, SIGNAL_LIVE_NOTE, "the file shrank (truncated)");
	next_is(sl, 0, 1, "fresh");
	next_is(sl, 0, 0, NULL);
	signal_live_free(sl);
}

static void
test_signal_live_file_rotated(void **state)
{
	struct fx		*f = *state;
	struct signal_live	*sl;
	struct errmsg		 err;
	char			 old[128];

	put(f->path, "w", "");
	assert_non_null(sl = signal_live_file(f->path, &err));
	snprintf(old, sizeof old, "%s.1", f->path);
	/* Renamed away: the rest of the old file is still read. */
	put(f->path, "a", LINE("before the rotation"));
	assert_int_equal(rename(f->path, old), 0);
	put(old, "a", LINE("late in the old file"));
	next_is(sl, 0, 1, "before the rotation");
	next_is(sl, 0, 1, "late in the old file");
	next_is(sl, 0, SIGNAL_LIVE_NOTE, "no file has that name now");
	next_is(sl, 0, 0, NULL);
	/* A new file takes the name: read from its start. */
	put(f->path, "w", LINE("in the new file"));
	next_is(sl, 0, SIGNAL_LIVE_NOTE, "a new file has its name (rotated)");
	next_is(sl, 0, 1, "in the new file");
	next_is(sl, 0, 0, NULL);
	signal_live_free(sl);
	/* Refusals: no such file, not a regular file. */
	assert_null(signal_live_file("/nonexistent/x", &err));
	assert_string_equal(err.msg, "/nonexistent/x: no such file or "
	    "directory");
	assert_null(signal_live_file(f->dir, &err));
	assert_non_null(strstr(err.msg, "not a regular file"));
}

/* ------------------------------------------------------------ sockets */

/* A listening TCP socket on 127.0.0.1, its port in *port. */
static int
listen_tcp(int *port)
{
	struct sockaddr_in	 a = { .sin_family = AF_INET };
	socklen_t		 len = sizeof a;
	int			 fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* The connection the input made, accepted within 10 s. */
static int
accept_one(int lfd)
{
	struct pollfd	 p = { .fd = lfd, .events = POLLIN };
	int		 fd;

	assert_int_equal(poll(&p, 1, 10000), 1);
	fd = accept(lfd, NULL, NULL);
	assert_true(fd >= 0);
	return fd;
}

static void
say(int fd, const char *text)
{
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
}

static void
test_signal_live_socket_tcp(void **state)
{
	struct signal_live	*sl;
	struct errmsg		 err;
	char			 addr[64];
	int			 lfd, port, fd;
	td_ns			 now = 100 * SEC;

	(void)state;
	lfd = listen_tcp(&port);
	snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
	assert_non_null(sl = signal_live_socket(addr, &err));
	await(sl, now, SIGNAL_LIVE_NOTE, "connected");
	fd = accept_one(lfd);
	/* A line in two writes, then two lines and a bad one in one. */
	say(fd, "{\"time\": \"2024-03-12T13:31:05Z\", \"te");
	next_is(sl, now, 0, NULL);
	say(fd, "xt\": \"Chipmakers surge\"}\n" LINE("Oil slumps")
	    "{\"time\": 5, \"text\": \"x\"}\n" LINE("Gold climbs"));
	await(sl, now, 1, "Chipmakers surge");
	await(sl, now, 1, "Oil slumps");
	snprintf(addr, sizeof addr, "127.0.0.1:%d:3: a string was expected",
	    port);
	await(sl, now, -1, addr);
	await(sl, now, 1, "Gold climbs");
	/* The server goes, a line cut short: said, and tried again later. */
	say(fd, "{\"time\": \"2024");
	close(fd);
	await(sl, now, -1, "the server closed the connection; line 5, cut "
	    "short, is dropped: connecting again in 1 s");
	next_is(sl, now + SEC / 2, 0, NULL);
	await(sl, now + SEC, SIGNAL_LIVE_NOTE, "connected");
	fd = accept_one(lfd);
	say(fd, LINE("Back again"));
	await(sl, now + SEC, 1, "Back again");
	close(fd);
	close(lfd);
	/* Nobody listens now: said once, then quiet while it retries. */
	await(sl, now + 2 * SEC, -1, "the server closed the connection");
	await(sl, now + 3 * SEC, -1, "connect: connection refused: trying "
	    "again");
	next_is(sl, now + 4 * SEC, 0, NULL);
	next_is(sl, now + 10 * SEC, 0, NULL);
	next_is(sl, now + 60 * SEC, 0, NULL);
	signal_live_free(sl);
}

static void
test_signal_live_socket_unix(void **state)
{
	struct fx		*f = *state;
	struct sockaddr_un	 a = { .sun_family = AF_UNIX };
	struct signal_live	*sl;
	struct errmsg		 err;
	int			 lfd, fd;

	snprintf(a.sun_path, sizeof a.sun_path, "%s/news.sock", f->dir);
	/* Before the server is there: refused, said once, tried again. */
	assert_non_null(sl = signal_live_socket(a.sun_path, &err));
	next_is(sl, 0, -1, "connect: no such file or directory");
	next_is(sl, SEC / 2, 0, NULL);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(lfd, 1), 0);
	await(sl, SEC, SIGNAL_LIVE_NOTE, "connected");
	fd = accept_one(lfd);
	say(fd, LINE("Stocks rally as inflation eases"));
	await(sl, SEC, 1, "Stocks rally as inflation eases");
	close(fd);
	close(lfd);
	signal_live_free(sl);
	/* Addresses that do not parse. */
	assert_null(signal_live_socket("localhost", &err));
	assert_string_equal(err.msg, "localhost: HOST:PORT (a port from 1 to "
	    "65535), or the path of a unix socket");
	assert_null(signal_live_socket("127.0.0.1:70000", &err));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_signal_live_file_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_signal_live_file_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_signal_live_file_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_signal_live_file_rotated, setup, teardown),
		cmocka_unit_test(test_signal_live_socket_tcp),
		cmocka_unit_test_setup_teardown(
		    test_signal_live_socket_unix, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
