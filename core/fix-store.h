/*
 * fix-store.h -- what a FIX session keeps across restarts: its sequence
 * numbers, the messages it sent (for resending), the rejects it was sent,
 * and for the FIX venue the executions it was told of and the orders it
 * placed.
 *
 * The store lives in the journal's SQLite file, in tables of its own
 * (fix_seq, fix_out, fix_exec, fix_order, fix_reject), reached through a
 * connection of its own: a restart that resumes the journal resumes the
 * session where it stopped.  One
 * store serves one session, named by its key (BeginString, SenderCompID
 * and TargetCompID); other sessions' rows in the same file are left
 * alone.  Each call commits before it returns, so a message is on record
 * before it is written to the wire.  A NULL path keeps the store in
 * memory (a session that starts from 1 each time).
 *
 * The store owns its connection and its prepared statements.
 */
#ifndef TD_FIX_STORE_H
#define TD_FIX_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "types.h"

struct errmsg;
struct fix_store;

struct fix_store *fix_store_open(const char *path, const char *key,
		    struct errmsg *err);
void		 fix_store_close(struct fix_store *st);

/* The next sequence numbers to send and to receive (1 when new). */
int64_t		 fix_store_next_out(const struct fix_store *st);
int64_t		 fix_store_next_in(const struct fix_store *st);
int		 fix_store_set_next_in(struct fix_store *st, int64_t seq,
		    struct errmsg *err);
int		 fix_store_set_next_out(struct fix_store *st, int64_t seq,
		    struct errmsg *err);

/* Message seq as sent (next_out becomes seq + 1 in the same commit). */
int		 fix_store_put(struct fix_store *st, int64_t seq,
		    const char *raw, size_t len, struct errmsg *err);

/*
 * The stored messages with from <= seq <= to (to 0: no end), in order;
 * fn returning non-zero stops.  Sequence numbers with no message (a gap
 * the session filled, admin messages never stored) are simply absent.
 */
typedef int	(*fix_store_fn)(void *arg, int64_t seq, const char *raw,
		    size_t len);
int		 fix_store_get(struct fix_store *st, int64_t from, int64_t to,
		    fix_store_fn fn, void *arg, struct errmsg *err);

/* Both sequence numbers back to 1, the sent messages forgotten. */
int		 fix_store_reset(struct fix_store *st, struct errmsg *err);

/*
 * An execution (a fill) as the counterparty reported it, named by its
 * ExecID: 1 when it is new and now on record, 0 when it was already (a
 * message that came twice), -1 on error.  exec numbers them in the order
 * they came; x->exec is set.
 */
struct venue_exec;
int		 fix_store_exec(struct fix_store *st, const char *exec_id,
		    struct venue_exec *x, struct errmsg *err);
typedef int	(*fix_store_exec_fn)(void *arg, const struct venue_exec *x);
/* The executions at or after since, in the order they came. */
int		 fix_store_execs(struct fix_store *st, td_ns since,
		    fix_store_exec_fn fn, void *arg, struct errmsg *err);

/*
 * An order as the venue last knew it, by engine id: its identifiers at
 * the counterparty and what it was (a text the venue writes and reads).
 */
struct fix_store_order {
	uint64_t	 id;
	char		 clordid[32];
	char		 orderid[64];
	char		 text[256];
};
int		 fix_store_order_put(struct fix_store *st,
		    const struct fix_store_order *o, struct errmsg *err);
/* 1 and *o when the store has order id, 0 when not, -1 on error. */
int		 fix_store_order_get(struct fix_store *st, uint64_t id,
		    struct fix_store_order *o, struct errmsg *err);
/* Every order the store has, by id; fn returning non-zero stops. */
typedef int	(*fix_store_order_fn)(void *arg,
		    const struct fix_store_order *o);
int		 fix_store_orders(struct fix_store *st, fix_store_order_fn fn,
		    void *arg, struct errmsg *err);

/*
 * A session-level Reject (3) or BusinessMessageReject (j) the
 * counterparty sent, as it came: a record for a person (fix_reject), never
 * read back.  Numbers below 0 and empty texts are absent (NULL).
 */
struct fix_store_reject {
	td_ns		 time;		/* when it came */
	int64_t		 seq;		/* its MsgSeqNum */
	char		 type[4];	/* "3" or "j" */
	int64_t		 ref_seq;	/* RefSeqNum (45) */
	char		 ref_type[8];	/* RefMsgType (372) */
	int64_t		 ref_tag;	/* RefTagID (371) */
	int64_t		 reason;	/* 373, or 380 */
	char		 ref_id[64];	/* BusinessRejectRefID (379) */
	char		 text[256];	/* Text (58) */
};
int		 fix_store_reject(struct fix_store *st,
		    const struct fix_store_reject *r, struct errmsg *err);

#endif
