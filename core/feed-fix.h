/*
 * feed-fix.h -- a live feed of market data over a FIX 4.4 (or 4.2)
 * session of its own: the feed.h table on a counterparty's
 * MarketDataRequest, snapshots and incremental refreshes.
 *
 * Once logged on (and the session's resend done) the feed asks one
 * MarketDataRequest per instrument: snapshot and updates, top of book,
 * incremental refresh, bids, offers and trades.  Each trade of a
 * MarketDataSnapshotFullRefresh (W) or MarketDataIncrementalRefresh (X)
 * becomes a TD_MD_TICK: the price in ticks of its instrument, the size
 * as volume, and the bid and ask the feed knows then (0: none).  A bid
 * or an offer changes the top of book that later ticks carry (a price of
 * 0, or a delete, is no quote); a snapshot replaces it whole.  A tick's time is the exchange's: the
 * entry's MDEntryDate and MDEntryTime (a time alone takes its date from
 * SendingTime), else the message's SendingTime (OrigSendingTime for a
 * message sent again); never the local clock.  The engine's clock never
 * steps back, so a tick stamped before the one delivered before it takes
 * that one's time.  A snapshot's trade is delivered only when it is
 * later than the last tick of its instrument (after a reconnect it is
 * usually the trade seen already).
 *
 * Bad data is refused, one message each, and the feed goes on with the
 * next entry (next returns -1): a price off its instrument's tick grid
 * or not above zero, a symbol the feed did not ask for, a malformed
 * group.  A MarketDataRequestReject (Y) is told the same way and the
 * instrument is not asked again until the next logon.
 *
 * The link is kept by next, on the feed's own clock: every call
 * connects when the backoff says, reads what came, and sends the
 * heartbeats and test requests due, so the session lives through a quiet
 * market as long as next is called when the feed's descriptor is
 * readable.  That descriptor is an epoll set of the link's socket and a
 * timer armed for the session's next due work (a heartbeat, a reconnect,
 * a connect's deadline): it becomes readable when bytes came, when a
 * connect finished, or when the timer fired.  After a loss the feed
 * reconnects with exponential backoff and jitter, logs on and asks again
 * for every instrument; the snapshots that answer reset the top of book.
 * The link's story (logged on, lost, again in N ms) is told through
 * feed_notice, its state through feed_conn and feed_heard.
 *
 * The feed owns its link, session, store, message log and queue of
 * ticks; the instruments are copied at create.
 */
#ifndef TD_FEED_FIX_H
#define TD_FEED_FIX_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "instrument.h"

struct errmsg;
struct feed;

#define FEED_FIX_MAX_INST	16
#define FEED_FIX_SYMBOLS_MAX	256	/* the symbols text, with its NUL */

struct feed_fix_cfg {
	char		 host[256];
	int		 port;
	bool		 tls;
	bool		 tls_verify;
	char		 tls_ca_file[PATH_MAX];
	char		 begin[16];		/* "FIX.4.4" (default) or 4.2 */
	char		 sender[64];
	char		 target[64];
	char		 username[64];		/* tag 553, "": none */
	char		 password[128];		/* tag 554, "": none */
	int		 heartbeat;		/* s, default 30 */
	bool		 reset_on_logon;
	td_ns		 backoff_min;		/* default 1 s */
	td_ns		 backoff_max;		/* default 60 s */
	uint64_t	 seed;			/* of the jitter */
	char		 msglog[PATH_MAX];	/* "": no message log */
	/*
	 * The instruments to ask for, by symbol, separated by commas or
	 * blanks ("ES, NQ"); "": every instrument.
	 */
	char		 symbols[FEED_FIX_SYMBOLS_MAX];
	/* The wall clock (UTC); NULL: CLOCK_REALTIME. */
	td_ns		(*clock)(void *arg);
	void		*clock_arg;
};

/* Defaults for everything but host, port and the CompIDs. */
void		 feed_fix_defaults(struct feed_fix_cfg *cfg);

/*
 * Which of the ninst instruments symbols names: mask bit i for inst[i]
 * (every one for ""), or -1 and a message naming a symbol that is no
 * instrument or is given twice.
 */
int		 feed_fix_symbols(const char *symbols,
		     const struct instrument *inst, int ninst, uint32_t *mask,
		     struct errmsg *err);

/*
 * A FIX feed of the instruments cfg->symbols names among ninst (indexed
 * as the engine's).  Its session is kept where feed_fix_open_store says
 * before next is first called, else in memory (it then starts from
 * sequence number 1).  It does not connect until next is first called.
 * NULL and a message for a bad host, port, symbol, CA file or message
 * log.  Free with feed_free.
 */
struct feed	*feed_fix_create(const struct feed_fix_cfg *cfg,
		     const struct instrument *inst, int ninst,
		     struct errmsg *err);
/*
 * Keep the session's sequence numbers and sent messages in the SQLite
 * file at path (the journal's), in rows of its own: a restart resumes
 * the session.  Once, before the feed first runs; -1 and a message
 * otherwise or when the file cannot be opened.
 */
int		 feed_fix_open_store(struct feed *f, const char *path,
		     struct errmsg *err);

#endif
