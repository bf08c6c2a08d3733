/*
 * fix-session.h -- the session layer of a FIX initiator (FIX 4.4, or 4.2):
 * logon, heartbeats and test requests, sequence numbers kept in a
 * fix_store, resend requests both ways, sequence reset and gap fill,
 * PossDupFlag, reject and logout.
 *
 * It moves no bytes and reads no clock of its own: its owner (the FIX
 * venue or feed) hands it what the link read (fix_session_input) and the
 * time with every call, calls fix_session_tick when fix_session_next
 * says, and gives it a send callback that writes to the link.  What the
 * session has to tell comes back through callbacks, never re-entering the
 * owner's own calls in a way it does not expect: app for each
 * application message in sequence order (a gap is first filled by a
 * resend; messages after it wait in order), and for each session-level
 * Reject (after its note), so that the owner can tell the order it was
 * about; note for what happened to
 * the session, wire for every message in and out (the message log).
 *
 * When the session decides the link must go (logout done, heartbeat
 * timeout, a sequence number too low, no answer to the logon) it says
 * FIX_SN_DOWN with the reason and is down at once; the owner closes the
 * link and, later, reconnects and calls fix_session_start again.
 *
 * The session owns its input buffer and the messages that wait for a
 * gap to fill; the store and the callbacks' argument are borrowed.
 */
#ifndef TD_FIX_SESSION_H
#define TD_FIX_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "fix-codec.h"
#include "types.h"

struct errmsg;
struct fix_store;
struct fix_session;

enum fix_sess_state {
	FIX_SS_DOWN,		/* no link, or the link is going */
	FIX_SS_LOGON_SENT,	/* waiting for the counterparty's Logon */
	FIX_SS_UP,		/* logged on: application messages go */
	FIX_SS_LOGOUT_SENT,	/* waiting for the counterparty's Logout */
};

enum fix_sess_note {
	FIX_SN_UP,		/* logged on */
	FIX_SN_DOWN,		/* the link must close: text says why */
	FIX_SN_REJECTED,	/* the counterparty rejected one of ours */
	FIX_SN_REJECT,		/* we rejected one of theirs */
	FIX_SN_GAP,		/* messages missing: a resend was asked */
	FIX_SN_RESEND,		/* the counterparty asked: we resent */
	FIX_SN_GARBLED,		/* bytes skipped */
	FIX_SN_TEST,		/* the counterparty was quiet: TestRequest */
};

struct fix_session_cfg {
	const char	*begin;		/* "FIX.4.4" or "FIX.4.2" */
	const char	*sender;	/* SenderCompID (49) */
	const char	*target;	/* TargetCompID (56) */
	int		 heartbeat;	/* HeartBtInt (108), seconds, >= 1 */
	bool		 reset_on_logon;	/* 141=Y: both sides from 1 */
	const char	*username;	/* 553, NULL: none */
	const char	*password;	/* 554, NULL: none */
	/* More Logon fields (e.g. a CancelOnDisconnect tag); may be NULL. */
	const struct fix_out *logon_fields;
	td_ns		 logon_timeout;	/* 0: 10 s */
	td_ns		 logout_timeout;	/* 0: 5 s */
};

struct fix_session_cb {
	void		*arg;
	/* Bytes for the link: 0, or -1 when it cannot take them. */
	int		(*send)(void *arg, const char *buf, size_t len);
	/* An application message; possdup: it may have come before. */
	void		(*app)(void *arg, const struct fix_msg *m, bool possdup);
	void		(*note)(void *arg, enum fix_sess_note n,
			    const char *text);
	/* Every message in (in true) and out; may be NULL. */
	void		(*wire)(void *arg, bool in, const char *raw,
			    size_t len);
};

struct fix_session *fix_session_create(const struct fix_session_cfg *cfg,
		    struct fix_store *st, const struct fix_session_cb *cb,
		    struct errmsg *err);
void		 fix_session_free(struct fix_session *s);

/* The link is up: send the Logon.  -1 when the store or link fails. */
int		 fix_session_start(struct fix_session *s, td_ns now,
		    struct errmsg *err);
/* Bytes the link read, any amount: whole messages are handled now. */
void		 fix_session_input(struct fix_session *s, const char *buf,
		    size_t len, td_ns now);
/*
 * An application message (fields: a list begun with type NULL) with the
 * next sequence number, stored before it goes.  -1 with a message when
 * not logged on, or when the store or the link fails.
 */
int		 fix_session_send(struct fix_session *s, const char *type,
		    const struct fix_out *fields, td_ns now,
		    struct errmsg *err);
/* Log out (text may be NULL); FIX_SN_DOWN follows the answer. */
void		 fix_session_logout(struct fix_session *s, const char *text,
		    td_ns now);
/* The link closed under the session: down, without a word. */
void		 fix_session_lost(struct fix_session *s);
/* Heartbeats, test requests and timeouts due by now. */
void		 fix_session_tick(struct fix_session *s, td_ns now);
/* When fix_session_tick must run next (INT64_MAX: nothing due). */
td_ns		 fix_session_next(const struct fix_session *s);

enum fix_sess_state fix_session_state(const struct fix_session *s);
/* The counterparty spoke last at (0: never, this link). */
td_ns		 fix_session_heard(const struct fix_session *s);
/* A resend the session asked for is still coming. */
bool		 fix_session_recovering(const struct fix_session *s);
const char	*fix_session_state_name(enum fix_sess_state st);

#endif
