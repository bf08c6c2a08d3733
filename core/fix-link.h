/*
 * fix-link.h -- the byte link under a FIX session: a TCP client to
 * host:port, with TLS as an option, non-blocking, for one event loop;
 * and the backoff that spaces its reconnects.
 *
 * The link knows nothing of FIX: it carries bytes.  It moves through
 *
 *	DOWN -> CONNECTING (TCP) -> HANDSHAKE (TLS only) -> UP -> DOWN
 *
 * fix_link_connect starts a connect and always leaves the link
 * CONNECTING (even when the connect finished at once); from then on the
 * owner watches fix_link_fd for reading, and for writing while
 * fix_link_want_write says so, and calls fix_link_on_ready with what the
 * loop saw.  That finishes the connect, drives the TLS handshake and
 * writes what is queued.  Once UP, fix_link_read gives what came, and
 * fix_link_write queues bytes and writes what the socket takes.  Every
 * failure (refused, reset, closed by the peer, a certificate refused, a
 * timeout) closes the link, leaves it DOWN and fills the message; the
 * owner reconnects when its fix_backoff says so.  The descriptor changes
 * with every connect, so the owner registers it again each time.
 *
 * Time is never read here: the owner passes its clock's now, so tests
 * step time by hand.  Nothing is global: each link has its own TLS
 * context (OpenSSL 1.1 and later initialise themselves), and writes
 * never raise SIGPIPE, so a peer that goes away cannot kill the process.
 * A link belongs to one thread.
 *
 * Messages name the peer and what failed, e.g.
 * "127.0.0.1:9878: connect: connection refused",
 * "127.0.0.1:9878: connection closed by peer",
 * "fix.example.com:443: TLS: certificate verify failed: self-signed
 * certificate".
 */
#ifndef TD_FIX_LINK_H
#define TD_FIX_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "types.h"

struct errmsg;
struct fix_link;
struct rng;

#define FIX_LINK_HOST_MAX	256
#define FIX_LINK_TIMEOUT	(10 * TD_NS_PER_SEC)	/* default connect */
#define FIX_LINK_QUEUE_MAX	(1024 * 1024)		/* default, bytes */

enum fix_link_state {
	FIX_LINK_DOWN,
	FIX_LINK_CONNECTING,	/* TCP connect in progress */
	FIX_LINK_HANDSHAKE,	/* TLS handshake in progress */
	FIX_LINK_UP,
};

/* What fix_link_wait found ready. */
#define FIX_LINK_READABLE	0x1
#define FIX_LINK_WRITABLE	0x2

/*
 * Where to connect and how.  Fill it with fix_link_cfg_default, then
 * set host and port at least.  The strings are copied by
 * fix_link_create.
 */
struct fix_link_cfg {
	const char	*host;		/* name or numeric address */
	int		 port;		/* 1 .. 65535 */
	bool		 tls;
	/* PEM file of the certificates to trust; NULL: the system's. */
	const char	*tls_ca_file;
	/* Check the peer's certificate and its name (default true). */
	bool		 tls_verify;
	/* The name sent (SNI) and checked; NULL: host. */
	const char	*tls_server_name;
	/* Longest a connect and handshake may take (FIX_LINK_TIMEOUT). */
	td_ns		 connect_timeout;
	/* Most bytes queued for writing (FIX_LINK_QUEUE_MAX). */
	size_t		 queue_max;
};

/* The defaults: no host, TLS off but verifying when on, the limits above. */
void		 fix_link_cfg_default(struct fix_link_cfg *cfg);

/*
 * A DOWN link to cfg's peer.  With TLS, the context is made here and the
 * CA file read, so a missing or bad file is refused now.  NULL and a
 * message for a bad host, port, timeout or CA file, or when memory runs
 * out.  Free with fix_link_free (NULL is fine), which closes it.
 */
struct fix_link	*fix_link_create(const struct fix_link_cfg *cfg,
		     struct errmsg *err);
void		 fix_link_free(struct fix_link *l);

/*
 * Start connecting (the link must be DOWN): resolve the host (a name
 * may block in getaddrinfo; a numeric address never does), open a
 * non-blocking socket and start the connect, which must end by
 * now + connect_timeout.  0 and CONNECTING, or -1, DOWN and a message.
 * Addresses are tried in turn: when one fails, on_ready tries the next.
 */
int		 fix_link_connect(struct fix_link *l, td_ns now,
		     struct errmsg *err);

/*
 * The loop saw the descriptor readable and/or writable: finish the
 * connect, go on with the handshake, write what is queued.  0, or -1
 * when the link failed (it is DOWN, err says why).  After every event
 * the owner calls fix_link_read until it returns 0 (TLS may hold bytes
 * the socket no longer shows, or read only once it could write).
 */
int		 fix_link_on_ready(struct fix_link *l, bool readable,
		     bool writable, td_ns now, struct errmsg *err);

/*
 * Up to cap bytes that came from the peer: how many (> 0), 0 when there
 * are none now (or the link is not UP yet), or -1 when the link failed
 * or the peer closed it (it is DOWN, err says which) or is DOWN already.
 * TLS keeps bytes of its own, so read until 0 after every event.
 */
ssize_t		 fix_link_read(struct fix_link *l, void *buf, size_t cap,
		     struct errmsg *err);

/*
 * Queue len bytes and write what the socket takes now; the rest goes
 * out from on_ready.  All or nothing: 0, or -1 and a message when the
 * link is not UP, when the queue would pass queue_max (the link stays
 * UP and nothing is queued), or when the write failed (the link is DOWN).
 */
int		 fix_link_write(struct fix_link *l, const void *buf,
		     size_t len, struct errmsg *err);

/*
 * Close now and go DOWN: an UP TLS link sends close_notify if the socket
 * takes it; queued bytes are dropped (wait until fix_link_queued is 0 to
 * see a Logout out).  DOWN stays DOWN.
 */
void		 fix_link_close(struct fix_link *l);

/*
 * Has the connect or handshake passed its deadline at now?  When it has,
 * the link is closed (DOWN), err says so and the answer is true; false
 * otherwise, and always when the link is DOWN or UP.
 */
bool		 fix_link_timed_out(struct fix_link *l, td_ns now,
		     struct errmsg *err);
/* The deadline of the connect under way; 0 when DOWN or UP. */
td_ns		 fix_link_deadline(const struct fix_link *l);

enum fix_link_state fix_link_state(const struct fix_link *l);
const char	*fix_link_state_name(enum fix_link_state s);
/* The socket, -1 when DOWN.  A new one with every connect. */
int		 fix_link_fd(const struct fix_link *l);
/* Should the loop wait for the socket to be writable? */
bool		 fix_link_want_write(const struct fix_link *l);
/* Bytes queued and not yet written. */
size_t		 fix_link_queued(const struct fix_link *l);
/* "host:port", the name messages use. */
const char	*fix_link_peer(const struct fix_link *l);

/*
 * Block until the link can go on, for the rare synchronous case: poll
 * the socket for reading (when want_read) and for writing (when the
 * link wants it) for at most timeout_ms (-1: no limit).  The bits that
 * are ready (FIX_LINK_READABLE, FIX_LINK_WRITABLE; readable at once when
 * TLS holds bytes already), 0 when the time ran out, -1 and a message
 * when the link is DOWN or poll failed.  Pass the bits to on_ready.
 */
int		 fix_link_wait(struct fix_link *l, bool want_read,
		     int timeout_ms, struct errmsg *err);

/*
 * Reconnect backoff: exponential, doubling from initial up to max, with
 * jitter drawn from the caller's generator (so a seed gives the same
 * delays every run).  The envelope of attempt n (from 0) is
 * min(max, initial * 2^n); full jitter draws the delay from
 * [0, envelope], equal jitter from [envelope / 2, envelope].  Reset
 * after a logon succeeds.  A plain value the owner keeps.
 */
enum fix_backoff_jitter {
	FIX_BACKOFF_FULL,
	FIX_BACKOFF_EQUAL,
};

struct fix_backoff {
	td_ns		 initial;
	td_ns		 max;
	enum fix_backoff_jitter jitter;
	int		 attempt;	/* delays given since the last reset */
};

/* 0, or -1 and a message unless 0 < initial <= max. */
int		 fix_backoff_init(struct fix_backoff *b, td_ns initial,
		     td_ns max, enum fix_backoff_jitter jitter,
		     struct errmsg *err);
/* The delay before the next attempt; counts the attempt. */
td_ns		 fix_backoff_next(struct fix_backoff *b, struct rng *rng);
/* The envelope the next delay is drawn under. */
td_ns		 fix_backoff_envelope(const struct fix_backoff *b);
/* Back to the first attempt. */
void		 fix_backoff_reset(struct fix_backoff *b);

#endif
