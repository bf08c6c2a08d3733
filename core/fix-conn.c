/*
 * fix-conn.c -- one FIX connection kept up (see fix-conn.h).
 *
 * Owns the link, the session and its store (made at the first run, or by
 * fix_conn_open_store), the backoff and its generator, the time a
 * reconnect is due and a hold on connecting (the session hours), the
 * ring of notices and the message log file.
 */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errmsg.h"
#include "fix-conn.h"
#include "fix-link.h"
#include "fix-session.h"
#include "fix-store.h"
#include "log.h"
#include "rng.h"

#define FC_SEC		1000000000LL
#define FC_NOTICES	64
#define FC_READ		16384

struct fc_notice {
	int		 level;
	char		 text[200];
};

struct fix_conn {
	struct fix_conn_cb	 cb;
	struct fix_session_cfg	 scfg;
	char			 begin[16], sender[64], target[64];
	char			 username[64], password[128];
	struct fix_out		 logon_fields;
	bool			 has_logon_fields;
	char			 lost_means[64];
	char			 where[300];

	struct fix_link		*l;
	struct fix_session	*s;
	struct fix_store	*st;
	struct fix_backoff	 bo;
	struct rng		 rng;
	td_ns			 now;
	td_ns			 retry_at;
	td_ns			 hold_until;	/* no connecting before it */
	bool			 ready;
	bool			 ever_up;
	FILE			*msglog;

	struct fc_notice	 note[FC_NOTICES];
	int			 nhead, nlen;
};

/* ------------------------------------------------------------ notices */

void
fix_conn_say(struct fix_conn *c, int level, const char *fmt, ...)
{
	struct fc_notice	*n;
	va_list			 ap;

	if (c->nlen == FC_NOTICES) {		/* the oldest goes */
		c->nhead = (c->nhead + 1) % FC_NOTICES;
		c->nlen--;
	}
	n = &c->note[(c->nhead + c->nlen++) % FC_NOTICES];
	n->level = level;
	va_start(ap, fmt);
	vsnprintf(n->text, sizeof n->text, fmt, ap);
	va_end(ap);
}

int
fix_conn_notice(struct fix_conn *c, int *level, char *buf, size_t len)
{
	if (c->nlen == 0)
		return 0;
	*level = c->note[c->nhead].level;
	snprintf(buf, len, "%s", c->note[c->nhead].text);
	c->nhead = (c->nhead + 1) % FC_NOTICES;
	c->nlen--;
	return 1;
}

/* ------------------------------------------------------------ session */

static int
fc_cb_send(void *arg, const char *buf, size_t len)
{
	struct fix_conn	*c = arg;
	struct errmsg	 err;

	if (fix_link_write(c->l, buf, len, &err) == -1) {
		fix_conn_say(c, LOG_ERROR, "%s", err.msg);
		return -1;
	}
	return 0;
}

/* A number of m, -1 when absent or no number. */
static int64_t
fc_num(const struct fix_msg *m, int tag)
{
	int64_t	 v;
	bool	 present;

	return fix_get_int(m, tag, &v, &present) == 0 && present ? v : -1;
}

static void
fc_text(char *buf, size_t len, const struct fix_msg *m, int tag)
{
	const char	*v = fix_get(m, tag);

	snprintf(buf, len, "%s", v != NULL ? v : "");
}

/* A Reject or a BusinessMessageReject goes on record as it came. */
static void
fc_keep_reject(struct fix_conn *c, const struct fix_msg *m)
{
	struct fix_store_reject	 r = {
		.time = c->now, .seq = m->seq, .ref_seq = fc_num(m, 45),
		.ref_tag = fc_num(m, 371),
		.reason = fc_num(m, strcmp(m->type, "3") == 0 ? 373 : 380),
	};
	struct errmsg		 err;

	snprintf(r.type, sizeof r.type, "%s", m->type);
	fc_text(r.ref_type, sizeof r.ref_type, m, 372);
	fc_text(r.ref_id, sizeof r.ref_id, m, 379);
	fc_text(r.text, sizeof r.text, m, 58);
	if (fix_store_reject(c->st, &r, &err) == -1)
		fix_conn_say(c, LOG_ERROR, "%s", err.msg);
}

static void
fc_cb_app(void *arg, const struct fix_msg *m, bool possdup)
{
	struct fix_conn	*c = arg;

	if (strcmp(m->type, "3") == 0 || strcmp(m->type, "j") == 0)
		fc_keep_reject(c, m);
	c->cb.app(c->cb.arg, m, possdup);
}

static void
fc_cb_note(void *arg, enum fix_sess_note n, const char *text)
{
	static const int level[] = {
		[FIX_SN_UP] = LOG_INFO,
		[FIX_SN_DOWN] = LOG_WARNING,
		[FIX_SN_REJECTED] = LOG_ERROR,
		[FIX_SN_REJECT] = LOG_WARNING,
		[FIX_SN_GAP] = LOG_WARNING,
		[FIX_SN_RESEND] = LOG_INFO,
		[FIX_SN_GARBLED] = LOG_WARNING,
		[FIX_SN_TEST] = LOG_INFO,
	};
	struct fix_conn	*c = arg;

	fix_conn_say(c, level[n], "%s: %s", c->where, text);
}

static void
fc_cb_wire(void *arg, bool in, const char *raw, size_t len)
{
	struct fix_conn	*c = arg;
	char		 line[2 * FIX_MSG_MAX];

	if (c->msglog == NULL)
		return;
	fix_log_line(raw, len, line, sizeof line);
	fprintf(c->msglog, "%lld.%09lld %s %s\n", (long long)(c->now / FC_SEC),
	    (long long)(c->now % FC_SEC), in ? "<" : ">", line);
	fflush(c->msglog);
}

int
fix_conn_open_store(struct fix_conn *c, const char *path, struct errmsg *err)
{
	struct fix_session_cb	 cb = { .arg = c, .send = fc_cb_send,
				    .app = fc_cb_app, .note = fc_cb_note,
				    .wire = fc_cb_wire };
	char			 key[200];

	if (c->s != NULL)
		return errmsg_set(err, "%s: the FIX session is open already",
		    c->where);
	snprintf(key, sizeof key, "%s:%s->%s", c->begin, c->sender, c->target);
	if ((c->st = fix_store_open(path, key, err)) == NULL)
		return -1;
	if ((c->s = fix_session_create(&c->scfg, c->st, &cb, err)) == NULL) {
		fix_store_close(c->st);
		c->st = NULL;
		return -1;
	}
	return 0;
}

struct fix_store *
fix_conn_store(struct fix_conn *c)
{
	return c->st;
}

/* ------------------------------------------------------------ the link */

static void
fc_lost(struct fix_conn *c, const char *why)
{
	td_ns	 wait = fix_backoff_next(&c->bo, &c->rng);
	bool	 named = strncmp(why, c->where, strlen(c->where)) == 0;

	if (c->s != NULL)
		fix_session_lost(c->s);
	fix_link_close(c->l);
	c->ready = false;
	c->retry_at = c->now + wait;
	/* The link's own messages name host:port already. */
	fix_conn_say(c, c->ever_up ? LOG_CRITICAL : LOG_WARNING,
	    "%s%s%s%s%s; again in %lld ms", named ? "" : c->where,
	    named ? "" : ": ", why, c->ever_up && c->lost_means[0] != '\0' ?
	    ": " : "", c->ever_up ? c->lost_means : "",
	    (long long)(wait / 1000000));
}

static void
fc_read(struct fix_conn *c)
{
	char		 buf[FC_READ];
	struct errmsg	 err;
	ssize_t		 n;

	while ((n = fix_link_read(c->l, buf, sizeof buf, &err)) > 0) {
		fix_session_input(c->s, buf, (size_t)n, c->now);
		if (fix_session_state(c->s) == FIX_SS_DOWN)
			return;
	}
	if (n == -1)
		fc_lost(c, err.msg);
}

/* Held down (the session hours): log out, then close, and wait. */
static bool
fc_held(struct fix_conn *c)
{
	if (c->hold_until <= c->now) {
		c->hold_until = 0;
		return false;
	}
	c->ready = false;
	if (fix_link_state(c->l) == FIX_LINK_DOWN) {
		c->retry_at = c->hold_until;
		return true;
	}
	if (fix_session_state(c->s) == FIX_SS_UP)
		fix_session_logout(c->s, "end of the session hours", c->now);
	else if (fix_session_state(c->s) != FIX_SS_LOGOUT_SENT) {
		fix_session_lost(c->s);
		fix_link_close(c->l);
		c->retry_at = c->hold_until;
		return true;
	}
	return false;
}

/* Up to the session: the link connected, then the logon, then reading. */
static bool
fc_link(struct fix_conn *c, enum fix_link_state was)
{
	struct errmsg	 err;

	if (was == FIX_LINK_DOWN) {
		if (c->now >= c->retry_at &&
		    fix_link_connect(c->l, c->now, &err) == -1)
			fc_lost(c, err.msg);
		return false;
	}
	if (fix_link_on_ready(c->l, true, true, c->now, &err) == -1) {
		fc_lost(c, err.msg);
		return false;
	}
	if (fix_link_state(c->l) != FIX_LINK_UP) {
		if (fix_link_timed_out(c->l, c->now, &err))
			fc_lost(c, err.msg);
		return false;
	}
	if (was != FIX_LINK_UP && fix_session_start(c->s, c->now,
	    &err) == -1) {
		fc_lost(c, err.msg);
		return false;
	}
	return true;
}

int
fix_conn_run(struct fix_conn *c, td_ns now)
{
	struct errmsg	 err;

	c->now = now;
	if (c->s == NULL) {
		fix_conn_say(c, LOG_WARNING, "%s: no journal: the FIX session "
		    "keeps its sequence numbers in memory only", c->where);
		if (fix_conn_open_store(c, NULL, &err) == -1) {
			fix_conn_say(c, LOG_CRITICAL, "%s", err.msg);
			return 0;
		}
	}
	if (fc_held(c) || !fc_link(c, fix_link_state(c->l)))
		return 0;
	fc_read(c);
	if (fix_link_state(c->l) == FIX_LINK_UP)
		fix_session_tick(c->s, now);
	if (fix_session_state(c->s) == FIX_SS_DOWN) {
		if (fix_link_state(c->l) == FIX_LINK_DOWN)
			return 0;
		if (c->hold_until > now) {
			/* Logged out on schedule: no loss to report. */
			fix_link_close(c->l);
			c->retry_at = c->hold_until;
		} else
			fc_lost(c, "session ended");
		return 0;
	}
	if (c->ready || fix_session_state(c->s) != FIX_SS_UP ||
	    fix_session_recovering(c->s) || c->hold_until != 0)
		return 0;
	c->ready = c->ever_up = true;
	fix_backoff_reset(&c->bo);
	return 1;
}

td_ns
fix_conn_wake(const struct fix_conn *c)
{
	td_ns	 t;

	if (c->s == NULL)
		return c->now;
	switch (fix_link_state(c->l)) {
	case FIX_LINK_DOWN:
		return c->retry_at;
	case FIX_LINK_UP:
		t = fix_session_next(c->s);
		/* Bytes the link could not take yet go at the next turn. */
		if (fix_link_want_write(c->l) && c->now + FC_SEC / 100 < t)
			t = c->now + FC_SEC / 100;
		return t;
	default:
		/*
		 * A connect ends in writability, which not every owner
		 * watches: look again soon, or at the deadline.
		 */
		t = fix_link_deadline(c->l);
		return c->now + FC_SEC / 100 < t ? c->now + FC_SEC / 100 : t;
	}
}

td_ns
fix_conn_clock(td_ns (*clock)(void *), void *arg)
{
	struct timespec	 ts;

	if (clock != NULL)
		return clock(arg);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (td_ns)ts.tv_sec * FC_SEC + ts.tv_nsec;
}

int
fix_conn_wait(struct fix_conn *c, td_ns (*clock)(void *), void *clock_arg,
    bool (*done)(void *), void *arg, td_ns timeout, const char *what,
    struct errmsg *err)
{
	td_ns	 start = fix_conn_clock(clock, clock_arg), now, until;
	int	 ms;

	for (;;) {
		now = fix_conn_clock(clock, clock_arg);
		fix_conn_run(c, now);
		if (done(arg))
			return 0;
		if (now - start >= timeout)
			return errmsg_set(err, "%s: %s: no answer within %lld s",
			    c->where, what, (long long)(timeout / FC_SEC));
		until = fix_conn_wake(c);
		if (until > start + timeout)
			until = start + timeout;
		ms = until <= now ? 0 : (int)((until - now + 999999) / 1000000);
		if (fix_link_fd(c->l) == -1)
			poll(NULL, 0, ms);
		else if (fix_link_wait(c->l, true, ms, err) == -1)
			return -1;
	}
}

int
fix_conn_send(struct fix_conn *c, const char *type,
    const struct fix_out *fields, int64_t *seq, struct errmsg *err)
{
	if (c->s == NULL || !c->ready)
		return errmsg_set(err, "%s: the FIX session is not up",
		    c->where);
	if (seq != NULL)
		*seq = fix_store_next_out(c->st);
	return fix_session_send(c->s, type, fields, c->now, err);
}

void
fix_conn_hold(struct fix_conn *c, td_ns until, const char *why)
{
	if (until != 0 && c->hold_until != until)
		fix_conn_say(c, LOG_INFO, "%s: %s: logged out", c->where, why);
	c->hold_until = until;
	if (until == 0 && fix_link_state(c->l) == FIX_LINK_DOWN)
		c->retry_at = 0;
}

bool
fix_conn_ready(const struct fix_conn *c)
{
	return c->ready && c->s != NULL && fix_session_state(c->s) == FIX_SS_UP;
}

bool
fix_conn_ever_up(const struct fix_conn *c)
{
	return c->ever_up;
}

bool
fix_conn_down(const struct fix_conn *c)
{
	return fix_link_state(c->l) == FIX_LINK_DOWN;
}

int
fix_conn_fd(const struct fix_conn *c)
{
	return fix_link_fd(c->l);
}

bool
fix_conn_want_write(const struct fix_conn *c)
{
	return fix_link_want_write(c->l);
}

td_ns
fix_conn_heard(const struct fix_conn *c)
{
	return c->s != NULL ? fix_session_heard(c->s) : 0;
}

const char *
fix_conn_where(const struct fix_conn *c)
{
	return c->where;
}

/* ------------------------------------------------------------ life */

static int
fc_copy(char *dst, size_t len, const char *src)
{
	if (src == NULL)
		return 0;
	if (strlen(src) >= len)
		return -1;
	memcpy(dst, src, strlen(src) + 1);
	return 1;
}

static int
fc_configure(struct fix_conn *c, const struct fix_conn_cfg *cfg,
    struct errmsg *err)
{
	int	 user, pass;

	if (fc_copy(c->begin, sizeof c->begin, cfg->begin) == -1 ||
	    fc_copy(c->sender, sizeof c->sender, cfg->sender) == -1 ||
	    fc_copy(c->target, sizeof c->target, cfg->target) == -1 ||
	    (user = fc_copy(c->username, sizeof c->username,
	    cfg->username)) == -1 ||
	    (pass = fc_copy(c->password, sizeof c->password,
	    cfg->password)) == -1 ||
	    fc_copy(c->lost_means, sizeof c->lost_means,
	    cfg->lost_means) == -1)
		return errmsg_set(err, "%s: a FIX setting is too long",
		    c->where);
	if ((c->has_logon_fields = cfg->logon_fields != NULL))
		c->logon_fields = *cfg->logon_fields;
	c->scfg = (struct fix_session_cfg){ .begin = c->begin,
	    .sender = c->sender, .target = c->target,
	    .heartbeat = cfg->heartbeat,
	    .reset_on_logon = cfg->reset_on_logon,
	    .username = user == 1 ? c->username : NULL,
	    .password = pass == 1 ? c->password : NULL,
	    .logon_fields = c->has_logon_fields ? &c->logon_fields : NULL };
	return 0;
}

struct fix_conn *
fix_conn_create(const struct fix_conn_cfg *cfg, const struct fix_conn_cb *cb,
    struct errmsg *err)
{
	struct fix_conn		*c;
	struct fix_link_cfg	 lc;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	c->cb = *cb;
	snprintf(c->where, sizeof c->where, "%s:%d", cfg->host, cfg->port);
	fix_link_cfg_default(&lc);
	lc.host = cfg->host;
	lc.port = cfg->port;
	lc.tls = cfg->tls;
	lc.tls_verify = cfg->tls_verify;
	lc.tls_ca_file = cfg->tls_ca_file;
	rng_seed(&c->rng, cfg->seed);
	if (fc_configure(c, cfg, err) == -1 ||
	    (c->l = fix_link_create(&lc, err)) == NULL ||
	    fix_backoff_init(&c->bo, cfg->backoff_min, cfg->backoff_max,
	    FIX_BACKOFF_FULL, err) == -1)
		goto fail;
	if (cfg->msglog != NULL && cfg->msglog[0] != '\0' &&
	    (c->msglog = fopen(cfg->msglog, "a")) == NULL) {
		errmsg_sys(err, cfg->msglog, "message log");
		goto fail;
	}
	return c;
fail:
	fix_conn_free(c);
	return NULL;
}

void
fix_conn_free(struct fix_conn *c)
{
	if (c == NULL)
		return;
	if (c->s != NULL && fix_session_state(c->s) == FIX_SS_UP)
		fix_session_logout(c->s, "tickdesk stops", c->now);
	fix_link_free(c->l);
	fix_session_free(c->s);
	fix_store_close(c->st);
	if (c->msglog != NULL)
		fclose(c->msglog);
	free(c);
}
