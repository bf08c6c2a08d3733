/*
 * venue-fix.h -- a broker or an exchange gateway over FIX 4.4 (or 4.2):
 * the venue.h table on a FIX session of our own.
 *
 * Orders go out as NewOrderSingle, OrderCancelRequest,
 * OrderCancelReplaceRequest and OrderMassCancelRequest (one cancel per
 * order where the counterparty does not take mass cancels, and always
 * in FIX 4.2, which has none); every
 * ExecutionReport, OrderCancelReject and BusinessMessageReject comes back
 * as the venue events the engine knows.  The counterparty knows nothing
 * of OCO groups: the venue keeps them, as venue.h promises, by reducing
 * or cancelling the other orders of a group when one fills, and says
 * VEV_REDUCED or VEV_CANCELLED ("oco") when the counterparty confirmed.
 *
 * The link (TCP, or TLS) is kept by run: connect, log on, and after a
 * loss reconnect with exponential backoff and jitter.  While it is down,
 * cancels and orders that only reduce a position wait and go out first
 * once the session is back and its resend is done; an order that would
 * open or add is refused ("link down").  The questions of a restart
 * (order_status, mass_status, executions) wait for the session, within
 * query_timeout, and the executions come from the store, where every
 * fill is kept by its ExecID the moment it is reported (a fill reported
 * twice counts once).
 *
 * The kill switch (ops->kill) may also use an emergency session (em):
 * a second session to the same counterparty, opened only while the main
 * one is down, that carries what the kill left waiting.
 *
 * The venue owns its links, sessions, stores, message logs and orders;
 * the instruments are copied at create.
 */
#ifndef TD_VENUE_FIX_H
#define TD_VENUE_FIX_H

#include <limits.h>

#include "instrument.h"
#include "venue.h"

#define VENUE_FIX_MAX_INST	16
#define VENUE_FIX_MAX_ORDERS	1024

enum venue_fix_mass {
	VFIX_MASS_AUTO,		/* try; one cancel per order if refused */
	VFIX_MASS_ON,
	VFIX_MASS_OFF,
};

/* The emergency session: host "" is the venue's; port 0: none. */
struct venue_fix_em {
	char		 host[256];
	int		 port;
	char		 sender[64];
	char		 target[64];
	char		 msglog[PATH_MAX];	/* "": no message log */
};

struct venue_fix_cfg {
	char		 host[256];
	int		 port;
	bool		 tls;
	bool		 tls_verify;
	char		 tls_ca_file[PATH_MAX];
	char		 begin[16];		/* "FIX.4.4" (default) or 4.2 */
	char		 sender[64];
	char		 target[64];
	char		 account[64];		/* tag 1, "": none */
	char		 username[64];		/* tag 553, "": none */
	char		 password[128];		/* tag 554, "": none */
	int		 heartbeat;		/* s, default 30 */
	bool		 reset_on_logon;
	/* Asked at logon as tag cod_tag=Y; 0: not asked. */
	int		 cod_tag;
	enum venue_fix_mass mass_cancel;
	td_ns		 backoff_min;		/* default 1 s */
	td_ns		 backoff_max;		/* default 60 s */
	uint64_t	 seed;			/* of the jitter */
	td_ns		 query_timeout;		/* default 10 s */
	char		 msglog[PATH_MAX];	/* "": no message log */
	/*
	 * The counterparty's session hours, minutes after midnight in
	 * session_tz (a close before the open spans midnight); equal: all
	 * day.  Outside them the venue logs out and stays out.
	 */
	int		 session_open;
	int		 session_close;
	char		 session_tz[64];	/* default "UTC" */
	struct venue_fix_em em;
	/* The wall clock (the runner's); NULL: CLOCK_REALTIME. */
	td_ns		(*clock)(void *arg);
	void		*clock_arg;
};

/* Defaults for everything but host, port and the CompIDs. */
void		 venue_fix_defaults(struct venue_fix_cfg *cfg);

/*
 * A FIX venue for ninst instruments (index as the engine's), its session
 * kept in the store at store_path (the journal's file), or, with NULL,
 * where venue_fix_open_store says before it first runs (in memory when
 * nobody does).  It does not connect until it first runs.
 */
struct venue	*venue_fix_create(const struct venue_fix_cfg *cfg,
		     const struct instrument *inst, int ninst,
		     const char *store_path, struct errmsg *err);
int		 venue_fix_open_store(struct venue *v, const char *path,
		     struct errmsg *err);
void		 venue_fix_free(struct venue *v);

#endif
