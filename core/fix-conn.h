/*
 * fix-conn.h -- one FIX connection kept up: the link (TCP or TLS), the
 * session on it with its store, reconnects with exponential backoff and
 * jitter, the notices for the log and the message log; the rejects the
 * counterparty sends (35=3 and 35=j) go on record in the store.
 *
 * The FIX venue and the FIX market data feed each keep one; what they
 * send and what the application messages say is theirs (the app
 * callback).  fix_conn_run does what is due by now and says when the
 * session has just become ready (logged on, the resend after the logon
 * done): the owner then sends what waited, or asks for its data.
 * fix_conn_wake says when run is due again.  Time is handed in; only
 * fix_conn_clock and a wait without a clock of the owner's read the wall
 * clock.
 *
 * The connection owns its link, session, store, notices and message log
 * file; the callback's argument is borrowed.
 */
#ifndef TD_FIX_CONN_H
#define TD_FIX_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fix-codec.h"
#include "types.h"

struct errmsg;
struct fix_conn;
struct fix_store;

struct fix_conn_cfg {
	const char	*host;
	int		 port;
	bool		 tls;
	bool		 tls_verify;
	const char	*tls_ca_file;		/* NULL: the system's */
	const char	*begin;			/* "FIX.4.4" or "FIX.4.2" */
	const char	*sender;
	const char	*target;
	const char	*username;		/* NULL: none */
	const char	*password;		/* NULL: none */
	int		 heartbeat;		/* s */
	bool		 reset_on_logon;
	const struct fix_out *logon_fields;	/* NULL: none */
	td_ns		 backoff_min;
	td_ns		 backoff_max;
	uint64_t	 seed;			/* of the jitter */
	const char	*msglog;		/* NULL: no message log */
	/* What a lost link leaves behind, for its notice ("prices are
	   stale"); NULL: nothing said. */
	const char	*lost_means;
};

struct fix_conn_cb {
	void		*arg;
	/* An application message, or a session Reject (fix-session.h). */
	void		(*app)(void *arg, const struct fix_msg *m, bool possdup);
};

struct fix_conn	*fix_conn_create(const struct fix_conn_cfg *cfg,
		    const struct fix_conn_cb *cb, struct errmsg *err);
void		 fix_conn_free(struct fix_conn *c);

/*
 * Keep the session in the store at path (the journal's file); before the
 * first run only.  Without it the first run keeps it in memory.
 */
int		 fix_conn_open_store(struct fix_conn *c, const char *path,
		    struct errmsg *err);
struct fix_store *fix_conn_store(struct fix_conn *c);

/* What is due by now; 1 when the session has just become ready. */
int		 fix_conn_run(struct fix_conn *c, td_ns now);
/* When run is due again (INT64_MAX: when the descriptor is readable). */
td_ns		 fix_conn_wake(const struct fix_conn *c);
/* The clock handed in (clock may be NULL: the wall clock, UTC). */
td_ns		 fix_conn_clock(td_ns (*clock)(void *), void *arg);
/*
 * Run until done(arg) or timeout, waiting on the link between runs, on
 * the clock handed in (NULL: the wall clock).
 */
int		 fix_conn_wait(struct fix_conn *c, td_ns (*clock)(void *),
		    void *clock_arg, bool (*done)(void *), void *arg,
		    td_ns timeout, const char *what, struct errmsg *err);

/* An application message now; *seq (may be NULL) says its number. */
int		 fix_conn_send(struct fix_conn *c, const char *type,
		    const struct fix_out *fields, int64_t *seq,
		    struct errmsg *err);
/*
 * Log out (why: for the log) and stay down until then (the session
 * hours' next opening; INT64_MAX: until told); 0: connect again now.
 */
void		 fix_conn_hold(struct fix_conn *c, td_ns until,
		    const char *why);

bool		 fix_conn_ready(const struct fix_conn *c);
bool		 fix_conn_ever_up(const struct fix_conn *c);
bool		 fix_conn_down(const struct fix_conn *c);
int		 fix_conn_fd(const struct fix_conn *c);
bool		 fix_conn_want_write(const struct fix_conn *c);
/* When the counterparty last spoke (0: never). */
td_ns		 fix_conn_heard(const struct fix_conn *c);
/* "host:port", for messages. */
const char	*fix_conn_where(const struct fix_conn *c);

/* A line for the log, and the next one waiting (1), or none (0). */
void		 fix_conn_say(struct fix_conn *c, int level, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
int		 fix_conn_notice(struct fix_conn *c, int *level, char *buf,
		    size_t len);

#endif
