/*
 * fix-link.c -- the FIX session's byte link: TCP, optionally TLS, and the
 * reconnect backoff (fix-link.h).
 *
 * A link owns its socket, the addresses of its peer while a connect is
 * under way (each is tried in turn), its TLS context and session, and one
 * write queue: bytes go into the queue and out from its head as the
 * socket takes them, so a partial write never loses or reorders
 * anything.  The queue grows by doubling up to queue_max and keeps its
 * memory across reconnects.
 *
 * TLS runs over a BIO of our own instead of OpenSSL's socket BIO, for
 * one reason: the socket BIO writes with write(2), which raises SIGPIPE
 * when the peer has gone; ours sends with MSG_NOSIGNAL.  It also notes
 * the errno of a failed send or recv, so messages say what the system
 * said.  OpenSSL keeps its errors in a per-thread queue, cleared before
 * every call whose errors we read.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "errmsg.h"
#include "fix-link.h"
#include "rng.h"

#define FIX_LINK_QUEUE_MIN	4096		/* first allocation */
#define FIX_LINK_TLS_CHUNK	(64 * 1024)	/* most bytes per SSL_write */

struct fix_link {
	char			 host[FIX_LINK_HOST_MAX];
	char			 port[8];
	char			 peer[FIX_LINK_HOST_MAX + 16];
	char			 server_name[FIX_LINK_HOST_MAX];
	bool			 tls;
	bool			 verify;
	td_ns			 timeout;
	size_t			 queue_max;

	enum fix_link_state	 state;
	int			 fd;
	td_ns			 deadline;
	struct addrinfo		*ai;		/* while CONNECTING */
	struct addrinfo		*ai_next;	/* the next to try */

	SSL_CTX			*ctx;		/* with TLS, for life */
	BIO_METHOD		*biom;
	SSL			*ssl;		/* HANDSHAKE and UP */
	bool			 hs_want_write;	/* handshake waits to write */
	bool			 rd_want_write;	/* SSL_read waits to write */
	bool			 wr_want_read;	/* SSL_write waits to read */
	int			 bio_errno;	/* of the last failed I/O */
	bool			 bio_eof;	/* the peer closed its side */

	char			*q;		/* the write queue */
	size_t			 qoff;		/* where its bytes start */
	size_t			 qlen;
	size_t			 qcap;
};

static const char *const fix_link_state_names[] = {
	[FIX_LINK_DOWN] = "down",
	[FIX_LINK_CONNECTING] = "connecting",
	[FIX_LINK_HANDSHAKE] = "handshake",
	[FIX_LINK_UP] = "up",
};

/* Our style: a system or OpenSSL message starts lower-case. */
static void
fix_link_lower(char *s)
{
	if (s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z')
		s[0] = (char)(s[0] - 'A' + 'a');
}

static void
fix_link_strerror(int e, char *buf, size_t len)
{
	snprintf(buf, len, "%s", strerror(e));
	fix_link_lower(buf);
}

/* Close without a word to the peer and go DOWN. */
static void
fix_link_drop(struct fix_link *l)
{
	if (l->ssl != NULL) {
		SSL_free(l->ssl);	/* and its BIO */
		l->ssl = NULL;
	}
	if (l->fd != -1) {
		close(l->fd);
		l->fd = -1;
	}
	if (l->ai != NULL) {
		freeaddrinfo(l->ai);
		l->ai = l->ai_next = NULL;
	}
	l->state = FIX_LINK_DOWN;
	l->deadline = 0;
	l->qoff = l->qlen = 0;
	l->hs_want_write = l->rd_want_write = l->wr_want_read = false;
	l->bio_errno = 0;
	l->bio_eof = false;
}

/* Drop the link and say why, after "host:port: "; returns -1. */
static int
fix_link_fail(struct fix_link *l, struct errmsg *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fix_link_fail(struct fix_link *l, struct errmsg *err, const char *fmt, ...)
{
	char	 what[ERRMSG_MAX];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	fix_link_drop(l);
	return errmsg_set(err, "%s: %s", l->peer, what);
}

/* fix_link_fail with "what: " and the system's words for errno e. */
static int
fix_link_fail_sys(struct fix_link *l, struct errmsg *err, const char *what,
    int e)
{
	char	 msg[128];

	fix_link_strerror(e, msg, sizeof msg);
	return fix_link_fail(l, err, "%s: %s", what, msg);
}

/* The peer closed without TLS's close_notify (OpenSSL 3 says so). */
static bool
fix_link_unexpected_eof(unsigned long e)
{
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
	return ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
#else
	return false;
#endif
}

/*
 * A TLS call failed with SSL_get_error's sslerr: say why in the words
 * that help most -- the certificate check's own reason, OpenSSL's
 * reason, the system's, or the peer going away.
 */
static int
fix_link_fail_tls(struct fix_link *l, struct errmsg *err, int sslerr)
{
	unsigned long	 e = ERR_peek_error();
	long		 v = X509_V_OK;
	const char	*why = NULL;
	char		 buf[256];

	if (l->ssl != NULL)
		v = SSL_get_verify_result(l->ssl);
	if (ERR_GET_REASON(e) == SSL_R_CERTIFICATE_VERIFY_FAILED &&
	    v != X509_V_OK) {
		snprintf(buf, sizeof buf, "%s",
		    X509_verify_cert_error_string(v));
		fix_link_lower(buf);
		return fix_link_fail(l, err,
		    "TLS: certificate verify failed: %s", buf);
	}
	if (fix_link_unexpected_eof(e) || (e == 0 &&
	    (sslerr == SSL_ERROR_ZERO_RETURN || l->bio_eof)))
		return fix_link_fail(l, err, "connection closed by peer%s",
		    l->state == FIX_LINK_HANDSHAKE ? " in TLS handshake" : "");
	if (e == 0 && l->bio_errno != 0)
		return fix_link_fail_sys(l, err, "TLS", l->bio_errno);
	if (e != 0)
		why = ERR_reason_error_string(e);
	if (why == NULL)
		return fix_link_fail(l, err, "TLS: error %d (OpenSSL %lx)",
		    sslerr, e);
	snprintf(buf, sizeof buf, "%s", why);
	fix_link_lower(buf);
	return fix_link_fail(l, err, "TLS: %s", buf);
}

/* ------------------------------------------------------------ our BIO */

static int
fix_link_bio_write(BIO *b, const char *p, int n)
{
	struct fix_link	*l = BIO_get_data(b);
	ssize_t		 w;

	BIO_clear_retry_flags(b);
	do
		w = send(l->fd, p, (size_t)n, MSG_NOSIGNAL);
	while (w == -1 && errno == EINTR);
	if (w >= 0)
		return (int)w;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		BIO_set_retry_write(b);
	else
		l->bio_errno = errno;
	return -1;
}

static int
fix_link_bio_read(BIO *b, char *p, int n)
{
	struct fix_link	*l = BIO_get_data(b);
	ssize_t		 r;

	BIO_clear_retry_flags(b);
	do
		r = recv(l->fd, p, (size_t)n, 0);
	while (r == -1 && errno == EINTR);
	if (r > 0)
		return (int)r;
	if (r == 0)
		l->bio_eof = true;
	else if (errno == EAGAIN || errno == EWOULDBLOCK)
		BIO_set_retry_read(b);
	else
		l->bio_errno = errno;
	return (int)r;
}

static long
fix_link_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct fix_link	*l = BIO_get_data(b);

	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_EOF:
		return l != NULL && l->bio_eof;
	default:
		return 0;
	}
}

/* ------------------------------------------------------------ create */

void
fix_link_cfg_default(struct fix_link_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->tls_verify = true;
	cfg->connect_timeout = FIX_LINK_TIMEOUT;
	cfg->queue_max = FIX_LINK_QUEUE_MAX;
}

/* The context every connect of l starts its session from. */
static int
fix_link_tls_ctx(struct fix_link *l, const char *ca_file, struct errmsg *err)
{
	char	 why[256];

	ERR_clear_error();
	if ((l->ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    (l->biom = BIO_meth_new(BIO_TYPE_SOURCE_SINK, "fix-link")) == NULL)
		return errmsg_set(err, "%s: TLS: cannot make a context",
		    l->peer);
	BIO_meth_set_write(l->biom, fix_link_bio_write);
	BIO_meth_set_read(l->biom, fix_link_bio_read);
	BIO_meth_set_ctrl(l->biom, fix_link_bio_ctrl);
	SSL_CTX_set_min_proto_version(l->ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(l->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_verify(l->ctx, l->verify ? SSL_VERIFY_PEER :
	    SSL_VERIFY_NONE, NULL);
	if (ca_file == NULL) {
		if (SSL_CTX_set_default_verify_paths(l->ctx) != 1)
			return errmsg_set(err, "%s: TLS: cannot load the "
			    "system's certificates", l->peer);
		return 0;
	}
	if (access(ca_file, R_OK) == -1) {
		fix_link_strerror(errno, why, sizeof why);
		return errmsg_set(err, "%s: tls_ca_file %s: %s", l->peer,
		    ca_file, why);
	}
	if (SSL_CTX_load_verify_locations(l->ctx, ca_file, NULL) != 1) {
		snprintf(why, sizeof why, "%s",
		    ERR_reason_error_string(ERR_peek_last_error()) != NULL ?
		    ERR_reason_error_string(ERR_peek_last_error()) :
		    "not a PEM file of certificates");
		fix_link_lower(why);
		return errmsg_set(err, "%s: tls_ca_file %s: %s", l->peer,
		    ca_file, why);
	}
	return 0;
}

static int
fix_link_check_cfg(const struct fix_link_cfg *cfg, struct errmsg *err)
{
	if (cfg->host == NULL || cfg->host[0] == '\0')
		return errmsg_set(err, "fix link: no host");
	if (strlen(cfg->host) >= FIX_LINK_HOST_MAX)
		return errmsg_set(err, "fix link: host name longer than %d",
		    FIX_LINK_HOST_MAX - 1);
	if (cfg->port < 1 || cfg->port > 65535)
		return errmsg_set(err, "%s: port %d not in 1 .. 65535",
		    cfg->host, cfg->port);
	if (cfg->connect_timeout <= 0)
		return errmsg_set(err, "%s:%d: connect timeout must be "
		    "positive", cfg->host, cfg->port);
	if (cfg->queue_max == 0)
		return errmsg_set(err, "%s:%d: write queue must hold bytes",
		    cfg->host, cfg->port);
	if (cfg->tls_server_name != NULL &&
	    (cfg->tls_server_name[0] == '\0' ||
	    strlen(cfg->tls_server_name) >= FIX_LINK_HOST_MAX))
		return errmsg_set(err, "%s:%d: tls_server_name empty or "
		    "longer than %d", cfg->host, cfg->port,
		    FIX_LINK_HOST_MAX - 1);
	return 0;
}

struct fix_link *
fix_link_create(const struct fix_link_cfg *cfg, struct errmsg *err)
{
	struct fix_link	*l;
	const char	*fmt;

	if (fix_link_check_cfg(cfg, err) == -1)
		return NULL;
	if ((l = calloc(1, sizeof *l)) == NULL) {
		errmsg_set(err, "%s: out of memory", cfg->host);
		return NULL;
	}
	l->fd = -1;
	snprintf(l->host, sizeof l->host, "%s", cfg->host);
	snprintf(l->port, sizeof l->port, "%d", cfg->port);
	fmt = strchr(cfg->host, ':') != NULL ? "[%s]:%d" : "%s:%d";
	snprintf(l->peer, sizeof l->peer, fmt, cfg->host, cfg->port);
	snprintf(l->server_name, sizeof l->server_name, "%s",
	    cfg->tls_server_name != NULL ? cfg->tls_server_name : cfg->host);
	l->tls = cfg->tls;
	l->verify = cfg->tls_verify;
	l->timeout = cfg->connect_timeout;
	l->queue_max = cfg->queue_max;
	if (l->tls && fix_link_tls_ctx(l, cfg->tls_ca_file, err) == -1) {
		fix_link_free(l);
		return NULL;
	}
	return l;
}

void
fix_link_free(struct fix_link *l)
{
	if (l == NULL)
		return;
	fix_link_drop(l);
	SSL_CTX_free(l->ctx);
	BIO_meth_free(l->biom);
	free(l->q);
	free(l);
}

/* ------------------------------------------------------------ connect */

/*
 * Start a connect to the next address that takes one; 0, or -1 when
 * none is left, with the last address's reason (e).
 */
static int
fix_link_try(struct fix_link *l, int e, struct errmsg *err)
{
	struct addrinfo	*ai;
	int		 one = 1;

	while ((ai = l->ai_next) != NULL) {
		l->ai_next = ai->ai_next;
		l->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (l->fd == -1) {
			e = errno;
			continue;
		}
		setsockopt(l->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		if (connect(l->fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    errno == EINPROGRESS || errno == EINTR)
			return 0;
		e = errno;
		close(l->fd);
		l->fd = -1;
	}
	return fix_link_fail_sys(l, err, "connect", e);
}

int
fix_link_connect(struct fix_link *l, td_ns now, struct errmsg *err)
{
	struct addrinfo	 hints;
	int		 rc;
	char		 why[128];

	if (l->state != FIX_LINK_DOWN)
		return errmsg_set(err, "%s: connect: link is %s already",
		    l->peer, fix_link_state_name(l->state));
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(l->host, l->port, &hints, &l->ai)) != 0) {
		l->ai = NULL;
		snprintf(why, sizeof why, "%s", rc == EAI_SYSTEM ?
		    strerror(errno) : gai_strerror(rc));
		fix_link_lower(why);
		return errmsg_set(err, "%s: resolve: %s", l->peer, why);
	}
	l->ai_next = l->ai;
	l->state = FIX_LINK_CONNECTING;
	l->deadline = now + l->timeout;
	return fix_link_try(l, EHOSTUNREACH, err);
}

static int
fix_link_tls_start(struct fix_link *l, struct errmsg *err)
{
	unsigned char	 addr[sizeof(struct in6_addr)];
	bool		 ip;
	BIO		*bio;

	ip = inet_pton(AF_INET, l->server_name, addr) == 1 ||
	    inet_pton(AF_INET6, l->server_name, addr) == 1;
	l->state = FIX_LINK_HANDSHAKE;
	ERR_clear_error();
	if ((l->ssl = SSL_new(l->ctx)) == NULL ||
	    (bio = BIO_new(l->biom)) == NULL)
		return fix_link_fail_tls(l, err, SSL_ERROR_SSL);
	BIO_set_data(bio, l);
	BIO_set_init(bio, 1);
	SSL_set_bio(l->ssl, bio, bio);
	SSL_set_connect_state(l->ssl);
	/* SNI carries names only (RFC 6066), the check takes either. */
	if ((!ip && SSL_set_tlsext_host_name(l->ssl, l->server_name) != 1) ||
	    (l->verify && !ip && SSL_set1_host(l->ssl, l->server_name) != 1) ||
	    (l->verify && ip && X509_VERIFY_PARAM_set1_ip_asc(
	    SSL_get0_param(l->ssl), l->server_name) != 1))
		return fix_link_fail_tls(l, err, SSL_ERROR_SSL);
	return 0;
}

/*
 * The socket said something while CONNECTING: 0 when it is still
 * connecting or now connected (HANDSHAKE or UP), -1 when the last
 * address failed too.
 */
static int
fix_link_connected(struct fix_link *l, struct errmsg *err)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(int);
	int			 e = 0;

	if (getsockopt(l->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	len = sizeof ss;
	if (e == 0 && getpeername(l->fd, (struct sockaddr *)&ss, &len) == -1)
		e = errno;
	if (e == ENOTCONN || e == EINPROGRESS)
		return 0;
	if (e != 0) {
		close(l->fd);
		l->fd = -1;
		return fix_link_try(l, e, err);
	}
	freeaddrinfo(l->ai);
	l->ai = l->ai_next = NULL;
	if (l->tls)
		return fix_link_tls_start(l, err);
	l->state = FIX_LINK_UP;
	l->deadline = 0;
	return 0;
}

static int
fix_link_handshake(struct fix_link *l, struct errmsg *err)
{
	int	 rc, e;

	ERR_clear_error();
	l->bio_errno = 0;
	if ((rc = SSL_do_handshake(l->ssl)) == 1) {
		l->state = FIX_LINK_UP;
		l->deadline = 0;
		l->hs_want_write = false;
		return 0;
	}
	e = SSL_get_error(l->ssl, rc);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		l->hs_want_write = e == SSL_ERROR_WANT_WRITE;
		return 0;
	}
	return fix_link_fail_tls(l, err, e);
}

bool
fix_link_timed_out(struct fix_link *l, td_ns now, struct errmsg *err)
{
	if ((l->state != FIX_LINK_CONNECTING &&
	    l->state != FIX_LINK_HANDSHAKE) || now < l->deadline)
		return false;
	fix_link_fail(l, err, "%s timed out after %lld ms",
	    l->state == FIX_LINK_CONNECTING ? "connect" : "TLS handshake",
	    (long long)(l->timeout / 1000000));
	return true;
}

td_ns
fix_link_deadline(const struct fix_link *l)
{
	return l->deadline;
}

/* ------------------------------------------------------------ bytes */

/* Write from the head of the queue: bytes written, 0 (would block), -1. */
static ssize_t
fix_link_send(struct fix_link *l, struct errmsg *err)
{
	ssize_t	 w;
	int	 rc, e;

	if (l->ssl == NULL) {
		do
			w = send(l->fd, l->q + l->qoff, l->qlen,
			    MSG_NOSIGNAL);
		while (w == -1 && errno == EINTR);
		if (w >= 0)
			return w;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return fix_link_fail_sys(l, err, "write", errno);
	}
	/* A retried SSL_write gets at least as many bytes as the first. */
	ERR_clear_error();
	l->bio_errno = 0;
	rc = SSL_write(l->ssl, l->q + l->qoff, (int)(l->qlen <
	    FIX_LINK_TLS_CHUNK ? l->qlen : FIX_LINK_TLS_CHUNK));
	l->wr_want_read = false;
	if (rc > 0)
		return rc;
	e = SSL_get_error(l->ssl, rc);
	if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
		l->wr_want_read = e == SSL_ERROR_WANT_READ;
		return 0;
	}
	if (e == SSL_ERROR_SYSCALL && l->bio_errno != 0)
		return fix_link_fail_sys(l, err, "write", l->bio_errno);
	return fix_link_fail_tls(l, err, e);
}

static int
fix_link_flush(struct fix_link *l, struct errmsg *err)
{
	ssize_t	 w;

	while (l->qlen > 0) {
		if ((w = fix_link_send(l, err)) == -1)
			return -1;
		if (w == 0)
			break;
		l->qoff += (size_t)w;
		l->qlen -= (size_t)w;
	}
	if (l->qlen == 0)
		l->qoff = 0;
	return 0;
}

/* Room for len more bytes at the tail: move them to the front, grow. */
static int
fix_link_reserve(struct fix_link *l, size_t len, struct errmsg *err)
{
	size_t	 cap;
	char	*q;

	if (l->qoff + l->qlen + len <= l->qcap)
		return 0;
	if (l->qoff > 0) {
		memmove(l->q, l->q + l->qoff, l->qlen);
		l->qoff = 0;
	}
	if (l->qlen + len <= l->qcap)
		return 0;
	cap = l->qcap > 0 ? l->qcap : FIX_LINK_QUEUE_MIN;
	while (cap < l->qlen + len)
		cap *= 2;
	if (cap > l->queue_max)
		cap = l->queue_max;
	if ((q = realloc(l->q, cap)) == NULL)
		return errmsg_set(err, "%s: write: out of memory", l->peer);
	l->q = q;
	l->qcap = cap;
	return 0;
}

int
fix_link_write(struct fix_link *l, const void *buf, size_t len,
    struct errmsg *err)
{
	if (l->state != FIX_LINK_UP)
		return errmsg_set(err, "%s: write: link is %s", l->peer,
		    fix_link_state_name(l->state));
	if (len > l->queue_max - l->qlen)
		return errmsg_set(err, "%s: write: queue full (%zu bytes "
		    "waiting, %zu more refused)", l->peer, l->qlen, len);
	if (fix_link_reserve(l, len, err) == -1)
		return -1;
	memcpy(l->q + l->qoff + l->qlen, buf, len);
	l->qlen += len;
	return fix_link_flush(l, err);
}

static ssize_t
fix_link_read_tls(struct fix_link *l, void *buf, size_t cap,
    struct errmsg *err)
{
	int	 rc, e;

	ERR_clear_error();
	l->bio_errno = 0;
	rc = SSL_read(l->ssl, buf, (int)(cap < INT_MAX ? cap : INT_MAX));
	if (rc > 0) {
		l->rd_want_write = false;
		return rc;
	}
	e = SSL_get_error(l->ssl, rc);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		l->rd_want_write = e == SSL_ERROR_WANT_WRITE;
		return 0;
	}
	if (e == SSL_ERROR_SYSCALL && l->bio_errno != 0)
		return fix_link_fail_sys(l, err, "read", l->bio_errno);
	return fix_link_fail_tls(l, err, e);
}

ssize_t
fix_link_read(struct fix_link *l, void *buf, size_t cap, struct errmsg *err)
{
	ssize_t	 r;

	if (l->state == FIX_LINK_DOWN)
		return errmsg_set(err, "%s: read: link is down", l->peer);
	if (l->state != FIX_LINK_UP || cap == 0)
		return 0;
	if (l->ssl != NULL)
		return fix_link_read_tls(l, buf, cap, err);
	do
		r = recv(l->fd, buf, cap, 0);
	while (r == -1 && errno == EINTR);
	if (r > 0)
		return r;
	if (r == 0)
		return fix_link_fail(l, err, "connection closed by peer");
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	return fix_link_fail_sys(l, err, "read", errno);
}

int
fix_link_on_ready(struct fix_link *l, bool readable, bool writable,
    td_ns now, struct errmsg *err)
{
	if (fix_link_timed_out(l, now, err))
		return -1;
	if (l->state == FIX_LINK_CONNECTING && (readable || writable) &&
	    fix_link_connected(l, err) == -1)
		return -1;
	if (l->state == FIX_LINK_HANDSHAKE &&
	    fix_link_handshake(l, err) == -1)
		return -1;
	if (l->state == FIX_LINK_UP && l->qlen > 0 && (readable || writable))
		return fix_link_flush(l, err);
	return 0;
}

void
fix_link_close(struct fix_link *l)
{
	/* A polite close_notify, if it fits in the socket now. */
	if (l->state == FIX_LINK_UP && l->ssl != NULL) {
		SSL_shutdown(l->ssl);
		ERR_clear_error();
	}
	fix_link_drop(l);
}

/* ------------------------------------------------------------ state */

enum fix_link_state
fix_link_state(const struct fix_link *l)
{
	return l->state;
}

const char *
fix_link_state_name(enum fix_link_state s)
{
	if ((unsigned)s >= sizeof fix_link_state_names /
	    sizeof fix_link_state_names[0])
		return "?";
	return fix_link_state_names[s];
}

int
fix_link_fd(const struct fix_link *l)
{
	return l->fd;
}

bool
fix_link_want_write(const struct fix_link *l)
{
	switch (l->state) {
	case FIX_LINK_CONNECTING:
		return true;
	case FIX_LINK_HANDSHAKE:
		return l->hs_want_write;
	case FIX_LINK_UP:
		return (l->qlen > 0 && !l->wr_want_read) || l->rd_want_write;
	default:
		return false;
	}
}

size_t
fix_link_queued(const struct fix_link *l)
{
	return l->qlen;
}

const char *
fix_link_peer(const struct fix_link *l)
{
	return l->peer;
}

int
fix_link_wait(struct fix_link *l, bool want_read, int timeout_ms,
    struct errmsg *err)
{
	struct pollfd	 pfd;
	int		 rc, ready = 0;

	if (l->state == FIX_LINK_DOWN)
		return errmsg_set(err, "%s: wait: link is down", l->peer);
	if (want_read && l->ssl != NULL && SSL_pending(l->ssl) > 0)
		return FIX_LINK_READABLE;
	pfd.fd = l->fd;
	pfd.events = (short)((want_read ? POLLIN : 0) |
	    (fix_link_want_write(l) ? POLLOUT : 0));
	pfd.revents = 0;
	while ((rc = poll(&pfd, 1, timeout_ms)) == -1 && errno == EINTR)
		continue;
	if (rc == -1)
		return errmsg_sys(err, l->peer, "poll");
	/* A hang-up or an error is for the reader (and writer) to find. */
	if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
		ready |= FIX_LINK_READABLE;
	if (pfd.revents & (POLLOUT | POLLHUP | POLLERR) &&
	    (pfd.events & POLLOUT))
		ready |= FIX_LINK_WRITABLE;
	return ready;
}

/* ------------------------------------------------------------ backoff */

int
fix_backoff_init(struct fix_backoff *b, td_ns initial, td_ns max,
    enum fix_backoff_jitter jitter, struct errmsg *err)
{
	if (initial <= 0 || max < initial)
		return errmsg_set(err, "reconnect backoff: need 0 < initial "
		    "(%lld ns) <= max (%lld ns)", (long long)initial,
		    (long long)max);
	if (jitter != FIX_BACKOFF_FULL && jitter != FIX_BACKOFF_EQUAL)
		return errmsg_set(err, "reconnect backoff: unknown jitter %d",
		    (int)jitter);
	b->initial = initial;
	b->max = max;
	b->jitter = jitter;
	b->attempt = 0;
	return 0;
}

td_ns
fix_backoff_envelope(const struct fix_backoff *b)
{
	td_ns	 e = b->initial;
	int	 i;

	for (i = 0; i < b->attempt && e < b->max; i++)
		e = e > b->max / 2 ? b->max : e * 2;
	return e < b->max ? e : b->max;
}

td_ns
fix_backoff_next(struct fix_backoff *b, struct rng *rng)
{
	td_ns	 e = fix_backoff_envelope(b);
	td_ns	 d;

	if (b->attempt < INT_MAX)
		b->attempt++;
	if (b->jitter == FIX_BACKOFF_EQUAL) {
		d = e / 2;
		return d + (td_ns)rng_below(rng, (uint64_t)(e - d) + 1);
	}
	return (td_ns)rng_below(rng, (uint64_t)e + 1);
}

void
fix_backoff_reset(struct fix_backoff *b)
{
	b->attempt = 0;
}
