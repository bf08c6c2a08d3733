/*
 * test-fix-link.c -- the FIX link against real servers on 127.0.0.1 that
 * the test runs on a thread of its own (plain TCP or TLS with a
 * certificate made here at run time): connect, echo of large payloads
 * through small socket buffers (so the write queue works), the peer
 * closing, a refused connect, writes to a peer that has gone (no
 * SIGPIPE), a full queue, timeouts on a clock the test steps, TLS
 * verification (good CA, other CA, wrong name, verification off), and
 * the reconnect backoff's delays over many seeds.
 *
 * Waits carry a generous bound only to turn a hang into a failure; no
 * test depends on how fast the machine is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "errmsg.h"
#include "fix-link.h"
#include "loop.h"
#include "rng.h"
#include "tls-cert.h"

#define NOW		(1000 * TD_NS_PER_SEC)	/* the link's clock */
#define TIMEOUT		(2 * TD_NS_PER_SEC)
#define WAIT_MS		20000	/* turns a hang into a failure */
#define BIG		(512 * 1024)
#define SMALL_BUF	4096	/* socket buffers, both ends */
/*
 * Segments well under the buffers (loopback's own are 64 KB): else each
 * side's window stays below one segment and TCP sends only when its
 * persist timer fires.
 */
#define SMALL_MSS	1024

/* ------------------------------------------------------------ certificates */

struct certs {
	char		 dir[64];
	char		 ca[128];	/* the server's certificate */
	char		 other[128];	/* another key's certificate */
	char		 junk[128];	/* not PEM at all */
	X509		*cert;
	EVP_PKEY	*key;
	X509		*other_cert;
	EVP_PKEY	*other_key;
};

static int
group_setup(void **state)
{
	struct certs	*c = calloc(1, sizeof *c);
	FILE		*f;

	assert_non_null(c);
	snprintf(c->dir, sizeof c->dir, "/tmp/test-fix-link.XXXXXX");
	assert_non_null(mkdtemp(c->dir));
	snprintf(c->ca, sizeof c->ca, "%s/ca.pem", c->dir);
	snprintf(c->other, sizeof c->other, "%s/other.pem", c->dir);
	snprintf(c->junk, sizeof c->junk, "%s/junk.pem", c->dir);
	assert_non_null(c->key = EVP_EC_gen("P-256"));
	assert_non_null(c->other_key = EVP_EC_gen("P-256"));
	c->cert = tls_cert_make(c->key, "localhost", "DNS:localhost", 1);
	c->other_cert = tls_cert_make(c->other_key, "tickdesk other CA",
	    "DNS:localhost", 2);
	assert_non_null(c->cert);
	assert_non_null(c->other_cert);
	assert_int_equal(tls_cert_write(c->cert, c->ca), 0);
	assert_int_equal(tls_cert_write(c->other_cert, c->other), 0);
	assert_non_null(f = fopen(c->junk, "w"));
	fputs("this is not a certificate\n", f);
	fclose(f);
	/* Writes to a peer that has gone must not raise it: prove it. */
	signal(SIGPIPE, SIG_DFL);
	*state = c;
	return 0;
}

static int
group_teardown(void **state)
{
	struct certs	*c = *state;

	unlink(c->ca);
	unlink(c->other);
	unlink(c->junk);
	rmdir(c->dir);
	X509_free(c->cert);
	X509_free(c->other_cert);
	EVP_PKEY_free(c->key);
	EVP_PKEY_free(c->other_key);
	free(c);
	return 0;
}

/* ------------------------------------------------------------ servers */

enum srv_mode {
	SRV_ECHO,	/* send back what comes, connection after connection */
	SRV_BYE,	/* say "bye\n" and close (TLS: with close_notify) */
	SRV_DROP,	/* close at once (TLS: after the handshake) */
	SRV_HOLD,	/* keep the connection, never read nor write */
	SRV_HANGUP,	/* read once, then close */
};

struct srv {
	int		 lfd;
	int		 port;
	int		 stop[2];
	pthread_t	 thread;
	SSL_CTX		*ctx;		/* NULL: plain TCP */
	enum srv_mode	 mode;
	atomic_long	 got;		/* bytes received, every connection */
	atomic_int	 conns;		/* connections accepted */
	atomic_int	 closed;	/* connections closed */
	atomic_int	 handshakes;	/* TLS handshakes that succeeded */
};

/* Wait for c to be readable or the stop pipe; false on stop. */
static bool
srv_wait(struct srv *s, int c)
{
	struct pollfd	 p[2] = {
		{ .fd = s->stop[0], .events = POLLIN },
		{ .fd = c, .events = POLLIN },
	};

	while (poll(p, c == -1 ? 1 : 2, -1) == -1)
		if (errno != EINTR)
			return false;
	return !(p[0].revents & POLLIN);
}

static void
srv_send(SSL *ssl, int c, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t	 w = ssl != NULL ? SSL_write(ssl, p, (int)n) :
		    send(c, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void
srv_echo(struct srv *s, SSL *ssl, int c)
{
	char	 buf[4096];
	ssize_t	 n;

	for (;;) {
		if ((ssl == NULL || SSL_pending(ssl) == 0) && !srv_wait(s, c))
			return;
		n = ssl != NULL ? SSL_read(ssl, buf, sizeof buf) :
		    recv(c, buf, sizeof buf, 0);
		if (n <= 0)
			return;
		s->got += n;
		srv_send(ssl, c, buf, (size_t)n);
	}
}

static void
srv_serve(struct srv *s, int c)
{
	SSL	*ssl = NULL;
	char	 buf[4096];

	if (s->ctx != NULL) {
		ssl = SSL_new(s->ctx);
		SSL_set_fd(ssl, c);
		if (SSL_accept(ssl) != 1) {
			SSL_free(ssl);
			return;
		}
		s->handshakes++;
	}
	switch (s->mode) {
	case SRV_ECHO:
		srv_echo(s, ssl, c);
		break;
	case SRV_BYE:
		srv_send(ssl, c, "bye\n", 4);
		if (ssl != NULL)
			SSL_shutdown(ssl);
		break;
	case SRV_DROP:
		break;
	case SRV_HOLD:
		srv_wait(s, -1);
		break;
	case SRV_HANGUP:
		if (srv_wait(s, c) && recv(c, buf, sizeof buf, 0) > 0)
			s->got++;
		break;
	}
	SSL_free(ssl);
}

static void *
srv_main(void *arg)
{
	struct srv	*s = arg;
	struct timeval	 tv = { .tv_sec = 5 };
	sigset_t	 set;
	int		 c, one = 1;

	/* The server's own writes to a client that left are not the test. */
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	while (srv_wait(s, s->lfd)) {
		if ((c = accept(s->lfd, NULL, NULL)) == -1)
			continue;
		s->conns++;
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		srv_serve(s, c);
		close(c);
		s->closed++;
	}
	return NULL;
}

/* A socket listening on 127.0.0.1, a port of the system's choosing. */
static int
listener(int *port)
{
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	socklen_t		 len = sizeof sin;
	int			 fd, small = SMALL_BUF, mss = SMALL_MSS;

	assert_true((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
	setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static struct srv *
srv_start(enum srv_mode mode, const struct certs *c)
{
	struct srv	*s = calloc(1, sizeof *s);

	assert_non_null(s);
	s->mode = mode;
	if (c != NULL) {
		assert_non_null(s->ctx = SSL_CTX_new(TLS_server_method()));
		assert_int_equal(SSL_CTX_use_certificate(s->ctx, c->cert), 1);
		assert_int_equal(SSL_CTX_use_PrivateKey(s->ctx, c->key), 1);
	}
	s->lfd = listener(&s->port);
	assert_int_equal(pipe(s->stop), 0);
	assert_int_equal(pthread_create(&s->thread, NULL, srv_main, s), 0);
	return s;
}

static void
srv_stop(struct srv *s)
{
	assert_int_equal(write(s->stop[1], "x", 1), 1);
	pthread_join(s->thread, NULL);
	close(s->lfd);
	close(s->stop[0]);
	close(s->stop[1]);
	SSL_CTX_free(s->ctx);
	free(s);
}

/* ------------------------------------------------------------ the client */

static struct fix_link *
link_new(int port, bool tls, const char *ca, bool verify, const char *name)
{
	struct fix_link_cfg	 cfg;
	struct fix_link		*l;
	struct errmsg		 err;

	fix_link_cfg_default(&cfg);
	cfg.host = "127.0.0.1";
	cfg.port = port;
	cfg.tls = tls;
	cfg.tls_ca_file = ca;
	cfg.tls_verify = verify;
	cfg.tls_server_name = name;
	cfg.connect_timeout = TIMEOUT;
	if ((l = fix_link_create(&cfg, &err)) == NULL)
		fail_msg("%s", err.msg);
	return l;
}

/* Connect with small socket buffers, so that big writes queue. */
static int
link_connect(struct fix_link *l, struct errmsg *err)
{
	int	 small = SMALL_BUF;

	if (fix_link_connect(l, NOW, err) == -1)
		return -1;
	assert_int_equal(fix_link_state(l), FIX_LINK_CONNECTING);
	setsockopt(fix_link_fd(l), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
	setsockopt(fix_link_fd(l), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	return 0;
}

/*
 * One wait and what follows it: on_ready, then read into in (at most
 * cap bytes) until the link has nothing more.  Bytes read, or -1 when the
 * link failed.
 */
static ssize_t
step(struct fix_link *l, char *in, size_t cap, struct errmsg *err)
{
	ssize_t	 n = 0, got = 0;
	int	 ready;

	if ((ready = fix_link_wait(l, true, WAIT_MS, err)) == -1)
		return -1;
	if (ready == 0)
		fail_msg("%s: nothing for %d ms", fix_link_peer(l), WAIT_MS);
	if (fix_link_on_ready(l, ready & FIX_LINK_READABLE,
	    ready & FIX_LINK_WRITABLE, NOW, err) == -1)
		return -1;
	while ((size_t)got < cap &&
	    (n = fix_link_read(l, in + got, cap - (size_t)got, err)) > 0)
		got += n;
	return n == -1 ? -1 : got;
}

static int
link_up(struct fix_link *l, struct errmsg *err)
{
	char	 none[1];

	if (link_connect(l, err) == -1)
		return -1;
	while (fix_link_state(l) != FIX_LINK_UP)
		if (step(l, none, 0, err) == -1)
			return -1;
	return 0;
}

static void
fill(char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		p[i] = (char)(i * 7 + i / 251);
}

/* Send len bytes and check the echo; len >= BIG must queue. */
static void
echo_check(struct fix_link *l, size_t len)
{
	char		*out = malloc(len), *in = malloc(len);
	struct errmsg	 err;
	size_t		 got = 0;
	ssize_t		 n;

	assert_non_null(out);
	assert_non_null(in);
	fill(out, len);
	if (fix_link_write(l, out, len, &err) == -1)
		fail_msg("%s", err.msg);
	if (len >= BIG) {
		assert_true(fix_link_queued(l) > 0);
		assert_true(fix_link_want_write(l));
	}
	while (got < len) {
		if ((n = step(l, in + got, len - got, &err)) == -1)
			fail_msg("%s", err.msg);
		got += (size_t)n;
	}
	assert_memory_equal(in, out, len);
	assert_int_equal(fix_link_queued(l), 0);
	assert_false(fix_link_want_write(l));
	free(out);
	free(in);
}

/*
 * A stream of messages of random sizes, written while earlier ones are
 * still queued and the echo is read: the queue moves, grows and takes
 * more while TLS retries its writes, and every byte comes back in order.
 */
static void
stream_check(struct fix_link *l, size_t total, uint64_t seed)
{
	char		*out = malloc(total), *in = malloc(total);
	struct errmsg	 err;
	struct rng	 r;
	size_t		 sent = 0, got = 0, n, appends = 0;
	ssize_t		 k;

	assert_non_null(out);
	assert_non_null(in);
	fill(out, total);
	rng_seed(&r, seed);
	while (got < total) {
		n = 1 + (size_t)rng_below(&r, 20000);
		if (n > total - sent)
			n = total - sent;
		if (n > 0 && fix_link_write(l, out + sent, n, &err) == 0) {
			appends += fix_link_queued(l) > n;
			sent += n;
			continue;
		}
		if (fix_link_state(l) != FIX_LINK_UP)
			fail_msg("%s", err.msg);
		if ((k = step(l, in + got, total - got, &err)) == -1)
			fail_msg("%s", err.msg);
		got += (size_t)k;
	}
	assert_memory_equal(in, out, total);
	assert_true(appends > 0);	/* written behind queued bytes */
	free(out);
	free(in);
}

/* Read until the link fails; the message. */
static void
read_to_end(struct fix_link *l, char *msg, size_t len)
{
	struct errmsg	 err;
	char		 buf[256];

	while (step(l, buf, sizeof buf, &err) != -1)
		continue;
	snprintf(msg, len, "%s", err.msg);
}

/* ------------------------------------------------------------ tests */

static void
test_fix_link_create_refuses(void **state)
{
	struct certs		*c = *state;
	struct fix_link_cfg	 cfg;
	struct errmsg		 err;
	char			 want[512];

	fix_link_cfg_default(&cfg);
	assert_true(cfg.tls_verify);
	assert_int_equal(cfg.connect_timeout, FIX_LINK_TIMEOUT);
	assert_int_equal(cfg.queue_max, FIX_LINK_QUEUE_MAX);
	assert_null(fix_link_create(&cfg, &err));
	assert_string_equal(err.msg, "fix link: no host");
	cfg.host = "127.0.0.1";
	assert_null(fix_link_create(&cfg, &err));
	assert_string_equal(err.msg, "127.0.0.1: port 0 not in 1 .. 65535");
	cfg.port = 65536;
	assert_null(fix_link_create(&cfg, &err));
	cfg.port = 9878;
	cfg.connect_timeout = 0;
	assert_null(fix_link_create(&cfg, &err));
	assert_string_equal(err.msg,
	    "127.0.0.1:9878: connect timeout must be positive");
	cfg.connect_timeout = TIMEOUT;
	cfg.tls_server_name = "";
	assert_null(fix_link_create(&cfg, &err));
	cfg.tls_server_name = NULL;
	cfg.tls = true;
	cfg.tls_ca_file = "/nonexistent/ca.pem";
	assert_null(fix_link_create(&cfg, &err));
	assert_string_equal(err.msg, "127.0.0.1:9878: tls_ca_file "
	    "/nonexistent/ca.pem: no such file or directory");
	cfg.tls_ca_file = c->junk;
	assert_null(fix_link_create(&cfg, &err));
	snprintf(want, sizeof want, "127.0.0.1:9878: tls_ca_file %s: ",
	    c->junk);
	assert_memory_equal(err.msg, want, strlen(want));
}

static void
test_fix_link_idle_link(void **state)
{
	struct fix_link_cfg	 cfg;
	struct fix_link		*l;
	struct errmsg		 err;
	char			 buf[8];

	(void)state;
	fix_link_cfg_default(&cfg);
	cfg.host = "::1";
	cfg.port = 9878;
	assert_non_null(l = fix_link_create(&cfg, &err));
	assert_string_equal(fix_link_peer(l), "[::1]:9878");
	assert_int_equal(fix_link_state(l), FIX_LINK_DOWN);
	assert_string_equal(fix_link_state_name(FIX_LINK_DOWN), "down");
	assert_int_equal(fix_link_fd(l), -1);
	assert_false(fix_link_want_write(l));
	assert_int_equal(fix_link_deadline(l), 0);
	assert_false(fix_link_timed_out(l, NOW + 100 * TIMEOUT, &err));
	assert_int_equal(fix_link_write(l, "x", 1, &err), -1);
	assert_string_equal(err.msg, "[::1]:9878: write: link is down");
	assert_int_equal(fix_link_read(l, buf, sizeof buf, &err), -1);
	assert_string_equal(err.msg, "[::1]:9878: read: link is down");
	assert_int_equal(fix_link_wait(l, true, 0, &err), -1);
	assert_int_equal(fix_link_on_ready(l, true, true, NOW, &err), 0);
	fix_link_close(l);
	fix_link_free(l);
	fix_link_free(NULL);
}

static void
test_fix_link_echo_large(void **state)
{
	struct srv	*s = srv_start(SRV_ECHO, NULL);
	struct fix_link	*l = link_new(s->port, false, NULL, true, NULL);
	struct errmsg	 err;

	(void)state;
	if (link_up(l, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(fix_link_deadline(l), 0);
	/* Nothing to read, nothing to write: the wait ends empty. */
	assert_int_equal(fix_link_wait(l, true, 0, &err), 0);
	echo_check(l, 10);
	echo_check(l, BIG);
	echo_check(l, 3 * BIG / 2 + 17);
	assert_int_equal(s->got, 10 + BIG + 3 * BIG / 2 + 17);
	stream_check(l, 4 * BIG, 1);
	fix_link_free(l);
	srv_stop(s);
}

/* The link in a core/loop, as the session will run it. */
struct drive {
	struct fix_link	*l;
	char		*out;
	char		*in;
	size_t		 len;
	size_t		 got;
	bool		 sent;
	bool		 failed;
	struct errmsg	 err;
};

static void
drive_fd(struct loop *lp, int fd, int mask, void *arg)
{
	struct drive	*d = arg;
	ssize_t		 n;

	if (fix_link_on_ready(d->l, mask & LOOP_READ, mask & LOOP_WRITE,
	    NOW, &d->err) == -1)
		goto fail;
	if (fix_link_state(d->l) == FIX_LINK_UP && !d->sent) {
		if (fix_link_write(d->l, d->out, d->len, &d->err) == -1)
			goto fail;
		d->sent = true;
	}
	while ((n = fix_link_read(d->l, d->in + d->got, d->len - d->got,
	    &d->err)) > 0)
		d->got += (size_t)n;
	if (n == -1)
		goto fail;
	if (d->got == d->len)
		loop_stop(lp);
	return;
fail:
	d->failed = true;
	loop_stop(lp);
}

/* Watch for writing exactly while the link wants it. */
static void
drive_before(struct loop *lp, void *arg)
{
	struct drive	*d = arg;
	int		 fd = fix_link_fd(d->l);
	bool		 watching;

	if (fd == -1)
		return;
	watching = loop_file_mask(lp, fd) & LOOP_WRITE;
	if (fix_link_want_write(d->l) && !watching)
		assert_int_equal(loop_add_file(lp, fd, LOOP_WRITE, drive_fd,
		    d, NULL), 0);
	else if (!fix_link_want_write(d->l) && watching)
		loop_del_file(lp, fd, LOOP_WRITE);
}

static void
drive_guard(struct loop *lp, uint64_t id, void *arg)
{
	struct drive	*d = arg;

	d->failed = true;
	errmsg_set(&d->err, "no progress for %d ms", WAIT_MS);
	loop_stop(lp);
}

static void
test_fix_link_in_loop(void **state)
{
	struct srv	*s = srv_start(SRV_ECHO, NULL);
	struct drive	 d = { .len = 2 * BIG };
	struct loop	*lp;
	struct errmsg	 err;

	(void)state;
	d.l = link_new(s->port, false, NULL, true, NULL);
	assert_non_null(d.out = malloc(d.len));
	assert_non_null(d.in = malloc(d.len));
	fill(d.out, d.len);
	assert_non_null(lp = loop_create(&err));
	assert_int_equal(link_connect(d.l, &err), 0);
	assert_int_equal(loop_add_file(lp, fix_link_fd(d.l), LOOP_READ,
	    drive_fd, &d, &err), 0);
	loop_set_before_sleep(lp, drive_before, &d);
	assert_true(loop_add_timer(lp, loop_now(lp) + (td_ns)WAIT_MS *
	    1000000, drive_guard, &d, &err) != 0);
	assert_int_equal(loop_run(lp, &err), 0);
	if (d.failed)
		fail_msg("%s", d.err.msg);
	assert_true(d.sent);
	assert_memory_equal(d.in, d.out, d.len);
	loop_free(lp);
	fix_link_free(d.l);
	free(d.out);
	free(d.in);
	srv_stop(s);
}

static void
test_fix_link_peer_closes(void **state)
{
	struct srv	*s = srv_start(SRV_BYE, NULL);
	struct fix_link	*l = link_new(s->port, false, NULL, true, NULL);
	struct errmsg	 err;
	char		 buf[16], want[128], msg[ERRMSG_MAX];
	ssize_t		 n;

	(void)state;
	if (link_up(l, &err) == -1)
		fail_msg("%s", err.msg);
	while ((n = step(l, buf, 4, &err)) == 0)
		continue;
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "bye\n", 4);
	read_to_end(l, msg, sizeof msg);
	snprintf(want, sizeof want, "127.0.0.1:%d: connection closed by peer",
	    s->port);
	assert_string_equal(msg, want);
	assert_int_equal(fix_link_state(l), FIX_LINK_DOWN);
	assert_int_equal(fix_link_fd(l), -1);
	fix_link_free(l);
	srv_stop(s);
}

static void
test_fix_link_refused(void **state)
{
	struct fix_link	*l;
	struct errmsg	 err;
	char		 want[128], buf[8];
	int		 port, fd;

	(void)state;
	fd = listener(&port);
	close(fd);		/* nobody listens there now */
	l = link_new(port, false, NULL, true, NULL);
	if (fix_link_connect(l, NOW, &err) == 0)
		while (step(l, buf, sizeof buf, &err) != -1)
			continue;
	snprintf(want, sizeof want, "127.0.0.1:%d: connect: connection "
	    "refused", port);
	assert_string_equal(err.msg, want);
	assert_int_equal(fix_link_state(l), FIX_LINK_DOWN);
	assert_int_equal(fix_link_fd(l), -1);
	fix_link_free(l);
}

/* Write to a peer that has gone until the link says so; no SIGPIPE. */
static void
write_to_gone(struct srv *s, struct fix_link *l)
{
	struct errmsg	 err;
	char		 buf[1024], want[128];
	int		 i;

	memset(buf, 'x', sizeof buf);
	if (link_up(l, &err) == -1)
		fail_msg("%s", err.msg);
	while (s->closed == 0)
		assert_true(fix_link_wait(l, true, WAIT_MS, &err) > 0);
	for (i = 0; i < 1000; i++) {
		if (fix_link_write(l, buf, sizeof buf, &err) == -1)
			break;
		assert_true(fix_link_wait(l, true, WAIT_MS, &err) > 0);
	}
	assert_true(i < 1000);
	snprintf(want, sizeof want, "127.0.0.1:%d: write: ", s->port);
	assert_memory_equal(err.msg, want, strlen(want));
	assert_int_equal(fix_link_state(l), FIX_LINK_DOWN);
}

static void
test_fix_link_no_sigpipe(void **state)
{
	struct certs	*c = *state;
	struct srv	*s = srv_start(SRV_DROP, NULL);
	struct fix_link	*l = link_new(s->port, false, NULL, true, NULL);

	write_to_gone(s, l);
	fix_link_free(l);
	srv_stop(s);
	s = srv_start(SRV_DROP, c);
	l = link_new(s->port, true, c->ca, true, "localhost");
	write_to_gone(s, l);
	fix_link_free(l);
	srv_stop(s);
}

static void
test_fix_link_queue_full(void **state)
{
	struct srv		*s = srv_start(SRV_HOLD, NULL);
	struct fix_link_cfg	 cfg;
	struct fix_link		*l;
	struct errmsg		 err;
	char			 buf[8192], want[128];
	int			 i;

	(void)state;
	fix_link_cfg_default(&cfg);
	cfg.host = "127.0.0.1";
	cfg.port = s->port;
	cfg.queue_max = 64 * 1024;
	assert_non_null(l = fix_link_create(&cfg, &err));
	if (link_up(l, &err) == -1)
		fail_msg("%s", err.msg);
	memset(buf, 'q', sizeof buf);
	for (i = 0; i < 1000; i++)
		if (fix_link_write(l, buf, sizeof buf, &err) == -1)
			break;
	assert_true(i < 1000);
	snprintf(want, sizeof want, "127.0.0.1:%d: write: queue full (",
	    s->port);
	assert_memory_equal(err.msg, want, strlen(want));
	/* Nothing half-queued, and the link stays up. */
	assert_int_equal(fix_link_state(l), FIX_LINK_UP);
	assert_true(fix_link_queued(l) > cfg.queue_max - sizeof buf);
	assert_true(fix_link_queued(l) <= cfg.queue_max);
	assert_int_equal(fix_link_write(l, buf, cfg.queue_max -
	    fix_link_queued(l), &err), 0);
	assert_true(fix_link_queued(l) <= cfg.queue_max);
	assert_int_equal(fix_link_write(l, buf, cfg.queue_max + 1, &err), -1);
	assert_int_equal(fix_link_state(l), FIX_LINK_UP);
	fix_link_close(l);
	assert_int_equal(fix_link_state(l), FIX_LINK_DOWN);
	assert_int_equal(fix_link_queued(l), 0);
	fix_link_free(l);
	srv_stop(s);
}

static void
test_fix_link_reconnect(void **state)
{
	struct srv	*s = srv_start(SRV_ECHO, NULL);
	struct fix_link	*l = link_new(s->port, false, NULL, true, NULL);
	struct errmsg	 err;
	char		 want[128];

	(void)state;
	if (link_up(l, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(fix_link_connect(l, NOW, &err), -1);
	snprintf(want, sizeof want, "127.0.0.1:%d: connect: link is up "
	    "already", s->port);
	assert_string_equal(err.msg, want);
	echo_check(l, 100);
	fix_link_close(l);
	assert_int_equal(fix_link_fd(l), -1);
	if (link_up(l, &err) == -1)
		fail_msg("%s", err.msg);
	echo_check(l, BIG);
	assert_int_equal(s->conns, 2);
	fix_link_free(l);
	srv_stop(s);
}

/* A listener that never accepts: TCP completes, nothing more comes. */
static void
test_fix_link_connect_timeout(void **state)
{
	struct fix_link	*l;
	struct errmsg	 err;
	char		 want[128];
	int		 port, fd;

	(void)state;
	fd = listener(&port);
	l = link_new(port, false, NULL, true, NULL);
	assert_int_equal(fix_link_connect(l, NOW, &err), 0);
	assert_int_equal(fix_link_state(l), FIX_LINK_CONNECTING);
	assert_true(fix_link_want_write(l));
	assert_int_equal(fix_link_deadline(l), NOW + TIMEOUT);
	assert_false(fix_link_timed_out(l, NOW + TIMEOUT - 1, &err));
	assert_int_equal(fix_link_state(l), FIX_LINK_CONNECTING);
	assert_true(fix_link_timed_out(l, NOW + TIMEOUT, &err));
	snprintf(want, sizeof want, "127.0.0.1:%d: connect timed out after "
	    "2000 ms", port);
	assert_string_equal(err.msg, want);
	assert_int_equal(fix_link_state(l), FIX_LINK_DOWN);
	assert_int_equal(fix_link_fd(l), -1);
	/* on_ready past the deadline says the same. */
	assert_int_equal(fix_link_connect(l, NOW, &err), 0);
	assert_int_equal(fix_link_on_ready(l, false, true, NOW + TIMEOUT,
	    &err), -1);
	assert_string_equal(err.msg, want);
	fix_link_free(l);
	close(fd);
}

static void
test_fix_link_handshake_timeout(void **state)
{
	struct certs	*c = *state;
	struct fix_link	*l;
	struct errmsg	 err;
	char		 want[128], none[1];
	int		 port, fd;

	fd = listener(&port);
	l = link_new(port, true, c->ca, true, "localhost");
	assert_int_equal(link_connect(l, &err), 0);
	while (fix_link_state(l) == FIX_LINK_CONNECTING)
		assert_int_equal(step(l, none, 0, &err), 0);
	assert_int_equal(fix_link_state(l), FIX_LINK_HANDSHAKE);
	assert_int_equal(fix_link_deadline(l), NOW + TIMEOUT);
	assert_false(fix_link_timed_out(l, NOW + TIMEOUT - 1, &err));
	assert_true(fix_link_timed_out(l, NOW + TIMEOUT, &err));
	snprintf(want, sizeof want, "127.0.0.1:%d: TLS handshake timed out "
	    "after 2000 ms", port);
	assert_string_equal(err.msg, want);
	assert_int_equal(fix_link_state(l), FIX_LINK_DOWN);
	fix_link_free(l);
	close(fd);
}

static void
test_fix_link_tls_echo(void **state)
{
	struct certs	*c = *state;
	struct srv	*s = srv_start(SRV_ECHO, c);
	struct fix_link	*l = link_new(s->port, true, c->ca, true,
			    "localhost");
	struct errmsg	 err;

	if (link_up(l, &err) == -1)
		fail_msg("%s", err.msg);
	echo_check(l, 10);
	assert_int_equal(s->handshakes, 1);
	echo_check(l, BIG);
	echo_check(l, 3 * BIG / 2 + 3);
	stream_check(l, 4 * BIG, 2);
	fix_link_close(l);
	if (link_up(l, &err) == -1)
		fail_msg("%s", err.msg);
	echo_check(l, 1000);
	assert_int_equal(s->handshakes, 2);
	fix_link_free(l);
	srv_stop(s);
}

static void
test_fix_link_tls_peer_closes(void **state)
{
	struct certs	*c = *state;
	struct srv	*s = srv_start(SRV_BYE, c);
	struct fix_link	*l = link_new(s->port, true, c->ca, true,
			    "localhost");
	struct errmsg	 err;
	char		 buf[16], want[128], msg[ERRMSG_MAX];
	ssize_t		 n;

	if (link_up(l, &err) == -1)
		fail_msg("%s", err.msg);
	while ((n = step(l, buf, 4, &err)) == 0)
		continue;
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "bye\n", 4);
	read_to_end(l, msg, sizeof msg);
	snprintf(want, sizeof want, "127.0.0.1:%d: connection closed by peer",
	    s->port);
	assert_string_equal(msg, want);
	assert_int_equal(fix_link_state(l), FIX_LINK_DOWN);
	fix_link_free(l);
	srv_stop(s);
}

/* A TLS connect that must fail; its message after "127.0.0.1:port: ". */
static void
tls_refused(const struct certs *c, const char *ca, const char *name,
    const char *why)
{
	struct srv	*s = srv_start(SRV_ECHO, c);
	struct fix_link	*l = link_new(s->port, true, ca, true, name);
	struct errmsg	 err;
	char		 want[256];
	long		 got;

	assert_int_equal(link_up(l, &err), -1);
	snprintf(want, sizeof want, "127.0.0.1:%d: %s", s->port, why);
	assert_string_equal(err.msg, want);
	assert_int_equal(fix_link_state(l), FIX_LINK_DOWN);
	assert_int_equal(fix_link_write(l, "8=FIX", 5, &err), -1);
	fix_link_free(l);
	got = s->got;
	srv_stop(s);
	assert_int_equal(got, 0);	/* no data went to the wrong peer */
}

static void
test_fix_link_tls_verify_fails(void **state)
{
	struct certs	*c = *state;

	tls_refused(c, c->other, "localhost", "TLS: certificate verify "
	    "failed: self-signed certificate");
	tls_refused(c, c->ca, "wrong.example", "TLS: certificate verify "
	    "failed: hostname mismatch");
	/* Without a name the host is checked: the certificate has no IP. */
	tls_refused(c, c->ca, NULL, "TLS: certificate verify failed: "
	    "IP address mismatch");
}

static void
test_fix_link_tls_no_verify(void **state)
{
	struct certs	*c = *state;
	struct srv	*s = srv_start(SRV_ECHO, c);
	struct fix_link	*l = link_new(s->port, true, c->other, false,
			    "wrong.example");
	struct errmsg	 err;

	if (link_up(l, &err) == -1)
		fail_msg("%s", err.msg);
	echo_check(l, 4096);
	fix_link_free(l);
	srv_stop(s);
}

/*
 * A TLS link to a peer that does not speak TLS: one that hangs up after
 * the hello (having read it, so that its close is an end of file, not a
 * reset), one that echoes it.
 */
static void
test_fix_link_tls_plain_peer(void **state)
{
	struct certs	*c = *state;
	struct srv	*s = srv_start(SRV_HANGUP, NULL);
	struct fix_link	*l = link_new(s->port, true, c->ca, true,
			    "localhost");
	struct errmsg	 err;
	char		 want[128];

	assert_int_equal(link_up(l, &err), -1);
	snprintf(want, sizeof want, "127.0.0.1:%d: connection closed by "
	    "peer in TLS handshake", s->port);
	assert_string_equal(err.msg, want);
	assert_int_equal(s->got, 1);
	fix_link_free(l);
	srv_stop(s);
	/* An echo sends the hello back: not a server's answer. */
	s = srv_start(SRV_ECHO, NULL);
	l = link_new(s->port, true, c->ca, true, "localhost");
	assert_int_equal(link_up(l, &err), -1);
	snprintf(want, sizeof want, "127.0.0.1:%d: TLS: ", s->port);
	assert_memory_equal(err.msg, want, strlen(want));
	assert_int_equal(fix_link_state(l), FIX_LINK_DOWN);
	fix_link_free(l);
	srv_stop(s);
}

/* ------------------------------------------------------------ backoff */

static void
test_fix_backoff_refuses(void **state)
{
	struct fix_backoff	 b;
	struct errmsg		 err;

	(void)state;
	assert_int_equal(fix_backoff_init(&b, 0, 10, FIX_BACKOFF_FULL, &err),
	    -1);
	assert_int_equal(fix_backoff_init(&b, 10, 5, FIX_BACKOFF_FULL, &err),
	    -1);
	assert_string_equal(err.msg, "reconnect backoff: need 0 < initial "
	    "(10 ns) <= max (5 ns)");
	assert_int_equal(fix_backoff_init(&b, 10, 10, FIX_BACKOFF_EQUAL,
	    &err), 0);
}

static void
test_fix_backoff_sequence(void **state)
{
	static const td_ns	 env[] = { 100, 200, 400, 800, 1600, 3200,
				    5000, 5000, 5000 };
	struct fix_backoff	 b, b2;
	struct rng		 r, r2;
	td_ns			 d[9], d2;
	size_t			 i;
	int			 same = 0;

	(void)state;
	assert_int_equal(fix_backoff_init(&b, 100 * 1000000,
	    5 * TD_NS_PER_SEC, FIX_BACKOFF_FULL, NULL), 0);
	b2 = b;
	rng_seed(&r, 42);
	for (i = 0; i < 9; i++) {
		assert_int_equal(fix_backoff_envelope(&b),
		    env[i] * 1000000);
		d[i] = fix_backoff_next(&b, &r);
		assert_true(d[i] >= 0 && d[i] <= env[i] * 1000000);
	}
	/* After a reset the same seed gives the same delays again. */
	fix_backoff_reset(&b);
	assert_int_equal(b.attempt, 0);
	assert_int_equal(fix_backoff_envelope(&b), 100 * 1000000);
	rng_seed(&r, 42);
	rng_seed(&r2, 43);
	for (i = 0; i < 9; i++) {
		assert_int_equal(fix_backoff_next(&b, &r), d[i]);
		d2 = fix_backoff_next(&b2, &r2);
		assert_true(d2 >= 0 && d2 <= env[i] * 1000000);
		same += d2 == d[i];
	}
	assert_true(same < 9);	/* another seed, other delays */
	/* Equal jitter keeps at least half the envelope. */
	assert_int_equal(fix_backoff_init(&b, 100, 5000, FIX_BACKOFF_EQUAL,
	    NULL), 0);
	for (i = 0; i < 9; i++) {
		d2 = fix_backoff_next(&b, &r);
		assert_true(d2 >= env[i] / 2 && d2 <= env[i]);
	}
}

/*
 * Over many seeds: no delay passes the envelope or the maximum, the
 * mean delay (half the envelope, full jitter; three quarters, equal)
 * doubles from one attempt to the next until the cap, and a huge
 * maximum never overflows.
 */
static void
test_fix_backoff_property(void **state)
{
	enum { SEEDS = 4000, ATTEMPTS = 12 };
	const td_ns		 initial = 50 * 1000000;
	const td_ns		 max = 30 * TD_NS_PER_SEC;
	struct fix_backoff	 b;
	struct rng		 r;
	double			 sum[2][ATTEMPTS] = { { 0 } }, mean, want;
	td_ns			 d, env;
	int			 j, n, seed;

	(void)state;
	for (j = 0; j < 2; j++)
		for (seed = 1; seed <= SEEDS; seed++) {
			fix_backoff_init(&b, initial, max, j == 0 ?
			    FIX_BACKOFF_FULL : FIX_BACKOFF_EQUAL, NULL);
			rng_seed(&r, (uint64_t)seed);
			for (n = 0; n < ATTEMPTS; n++) {
				env = fix_backoff_envelope(&b);
				d = fix_backoff_next(&b, &r);
				assert_true(d >= (j == 0 ? 0 : env / 2));
				assert_true(d <= env && d <= max);
				sum[j][n] += (double)d;
			}
		}
	for (j = 0; j < 2; j++)
		for (n = 0; n < ATTEMPTS; n++) {
			env = initial << n < max ? initial << n : max;
			mean = sum[j][n] / SEEDS;
			want = (double)env * (j == 0 ? 0.5 : 0.75);
			assert_true(mean > want * 0.95 && mean < want * 1.05);
			if (n > 0 && initial << n < max)
				assert_true(mean / (sum[j][n - 1] / SEEDS) >
				    1.9);
		}
	fix_backoff_init(&b, 1, INT64_MAX, FIX_BACKOFF_FULL, NULL);
	for (n = 0; n < 200; n++)
		assert_true(fix_backoff_next(&b, &r) >= 0);
	assert_int_equal(fix_backoff_envelope(&b), INT64_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fix_link_create_refuses),
		cmocka_unit_test(test_fix_link_idle_link),
		cmocka_unit_test(test_fix_link_echo_large),
		cmocka_unit_test(test_fix_link_in_loop),
		cmocka_unit_test(test_fix_link_peer_closes),
		cmocka_unit_test(test_fix_link_refused),
		cmocka_unit_test(test_fix_link_no_sigpipe),
		cmocka_unit_test(test_fix_link_queue_full),
		cmocka_unit_test(test_fix_link_reconnect),
		cmocka_unit_test(test_fix_link_connect_timeout),
		cmocka_unit_test(test_fix_link_handshake_timeout),
		cmocka_unit_test(test_fix_link_tls_echo),
		cmocka_unit_test(test_fix_link_tls_peer_closes),
		cmocka_unit_test(test_fix_link_tls_verify_fails),
		cmocka_unit_test(test_fix_link_tls_no_verify),
		cmocka_unit_test(test_fix_link_tls_plain_peer),
		cmocka_unit_test(test_fix_backoff_refuses),
		cmocka_unit_test(test_fix_backoff_sequence),
		cmocka_unit_test(test_fix_backoff_property),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
