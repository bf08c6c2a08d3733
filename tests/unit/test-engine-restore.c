/*
 * test-engine-restore.c -- restarts: the engine rebuilt from the journal
 * and the simulated venue's book, and the outcomes of reconciliation:
 * match, a fill the journal lacks, an order the venue no longer has, an
 * order only the venue knows (one that would open a position is
 * cancelled), a fill the venue never made (a position mismatch) ->
 * HALTED; a venue book emptied or deleted (the journal's history
 * stands); no new order on a flat position after a lost OCO cancel; a
 * bracket leg known from the journal though the venue's answers were
 * lost; a journal restored from a backup, whose position's stop only the
 * venue knows, or its market exit beside a stop-limit too large for both
 * to fit; a bracket leg whose cancel the venue never got after the
 * journal recorded its bracket closed, or whose contracts a replayed
 * fill took across flat; a crash just before a target's fill is
 * recorded (its contracts counted closed once), or just after it (its
 * bracket recorded with it); a stop the venue lost, placed again; the
 * state latch; a clean restart; the day's P&L; a session that died (no
 * clean end in the journal) restarts HALTED, one closed cleanly as it
 * was.
 *
 * Recovery asks the venue through venue.h and reads no file of it: the
 * same journal recovered against the simulator and against a venue of
 * the test's own that only repeats the simulator's answers (with the
 * book deleted) comes back the same.
 *
 * A "crash" is the engine and the journal going away between two events:
 * every event is committed when it happens, so closing is all a kill
 * leaves behind (tests/cli/crash.sh kills a real process).  Lost events
 * are made by detaching the journal while the venue goes on, or by a
 * journal that stops recording after a given fill (struct cut).
 *
 * `test-engine-restore check JOURNAL BOOK` is crash.sh's independent
 * check instead: the journal's fills against the venue's, one line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "engine.h"
#include "errmsg.h"
#include "journal.h"
#include "journal-backup.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "risk.h"
#include "rollout.h"
#include "snapshot.h"
#include "trades.h"
#include "venue-sim.h"

#include "alert-keep.h"
#include "fixture.h"
#include "venue-double.h"

struct tr {
	char		 dir[64];
	char		 journal[128];
	char		 book[136];
	struct engine	*e;
	struct journal	*j;
	struct engine_recovery rec;
	int		 minute;	/* of the next bar, from 10:00 */
	bool		 orb;		/* sessions run SimpleORB on ES */
	bool		 ladder;	/* a rollout of two stages */
	const struct venue_sim_cfg *vc;	/* NULL: the fixture's */
	struct alert_hub *alerts;	/* NULL: none */
	char		 crit[2048];	/* the critical lines logged */
};

static int
setup(void **state)
{
	struct tr	*t = calloc(1, sizeof *t);

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/td-restore-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->journal, sizeof t->journal, "%s/journal.db", t->dir);
	snprintf(t->book, sizeof t->book, "%s.venue", t->journal);
	*state = t;
	return 0;
}

static void
keep_critical(void *arg, const struct log_line *line)
{
	struct tr	*t = arg;
	size_t		 n = strlen(t->crit);

	if (line->level == LOG_CRITICAL)
		snprintf(t->crit + n, sizeof t->crit - n, "%s: %s\n",
		    line->component, line->msg);
}

static void
stop(struct tr *t)
{
	engine_free(t->e);
	journal_close(t->j);
	t->e = NULL;
	t->j = NULL;
}

static int
teardown(void **state)
{
	struct tr	*t = *state;

	stop(t);
	fixture_rmtree(t->dir);
	free(t);
	return 0;
}

/*
 * A session: a new engine (attended, no strategy unless t->orb) recovered
 * and begun.
 */
static void
start(struct tr *t)
{
	struct engine_config		 cfg;
	struct journal_session_info	 info = { .mode = "paper" };
	const struct strategy_ops	*orb =
	    strat_registry_find(strat_registry_builtin(), "orb");
	struct errmsg			 err;

	fixture_config(&cfg);
	cfg.unattended = false;
	if (t->orb) {
		cfg.nstrat = 1;
		memset(&cfg.strat[0], 0, sizeof cfg.strat[0]);
		strcpy(cfg.strat[0].name, "orb");
		strcpy(cfg.strat[0].type, "orb");
		strcpy(cfg.strat[0].symbol, "ES");
		cfg.strat[0].enabled = true;
		for (int i = 0; orb->params[i].name != NULL; i++)
			cfg.strat[0].params[i] = orb->params[i].def;
	}
	if (t->ladder) {
		cfg.rollout.nstages = 2;
		for (int i = 0; i < 2; i++) {
			rollout_stage_defaults(&cfg.rollout.stage[i]);
			snprintf(cfg.rollout.stage[i].name,
			    sizeof cfg.rollout.stage[i].name, i == 0 ?
			    "micro" : "small");
		}
	}
	if ((t->e = fixture_engine_book(&cfg, t->vc, t->book, &err)) == NULL ||
	    (t->j = journal_open(t->journal, JOURNAL_CREATE, &err)) == NULL)
		fail_msg("%s", err.msg);
	t->crit[0] = '\0';
	engine_set_log(t->e, keep_critical, t, LOG_CRITICAL);
	engine_set_alerts(t->e, t->alerts);
	if (engine_recover(t->e, t->j, &info, &t->rec, &err) == -1)
		fail_msg("%s", err.msg);
}

/*
 * A clean end (quit, SIGTERM's flatten-halt-exit, the console's end), as
 * session_free makes it: the engine and its venue go, then the journal
 * records the session's end.
 */
static void
close_clean(struct tr *t)
{
	struct errmsg	 err;

	engine_free(t->e);
	t->e = NULL;
	if (journal_end(t->j, fixture_ny(2024, 3, 12, 17, 0), &err) == -1)
		fail_msg("%s", err.msg);
	stop(t);
}

/* A clean end, then a new session. */
static void
restart(struct tr *t)
{
	close_clean(t);
	start(t);
}

/* A crash (a kill -9): the next session finds no end of this one. */
static void
crash(struct tr *t)
{
	stop(t);
	start(t);
}

/* A session on a venue that fills one contract a bar (of 100). */
static void
start_one_a_bar(struct tr *t, struct venue_sim_cfg *vc)
{
	fixture_venue_config(vc);
	vc->participation_pct = 1;
	t->vc = vc;
	start(t);
}

/* The next 1-minute bar of 2024-03-12 from 10:00, o h l c in points. */
static void
bar(struct tr *t, double o, double h, double l, double c)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 12, 10,
			    t->minute++), P(o), P(h), P(l), P(c));

	if (engine_on_market(t->e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

/* A trader's order; its id. */
static uint64_t
place(struct tr *t, const struct manual_order *m)
{
	struct errmsg	 err;
	uint64_t	 id;

	if (engine_manual_order(t->e, m, &id, &err) == -1)
		fail_msg("%s", err.msg);
	return id;
}

static uint64_t
buy(struct tr *t, enum order_type type, double price, int32_t stop,
    int32_t target)
{
	struct manual_order	 m = {
		.inst = ES,
		.side = TD_BUY,
		.type = type,
		.qty = 1,
		.price = P(price),
		.br = { .stop_ticks = stop, .ntargets = target > 0,
		    .target_ticks = { target } },
	};

	return place(t, &m);
}

static const struct order *
live_order(const struct tr *t, uint64_t id)
{
	const struct order_mgr	*om = engine_orders(t->e);

	for (int i = 0; i < order_mgr_live_count(om); i++) {
		if (order_mgr_live_at(om, i)->id == id)
			return order_mgr_live_at(om, i);
	}
	return NULL;
}

static int64_t
position(const struct tr *t)
{
	return portfolio_position(engine_portfolio(t->e), ES);
}

/* Fills in the journal (not voided), and how many came from the venue. */
static int
count_fill(void *arg, const struct journal_fill *f)
{
	int	*n = arg;

	n[0]++;
	if (strcmp(f->source, "venue") == 0)
		n[1]++;
	n[2] += f->side == TD_BUY ? (int)f->qty : -(int)f->qty;
	return 0;
}

/* The venue's fills, and its position (with what it carried in). */
static int
count_vfill(void *arg, const struct venue_exec *f)
{
	int	*n = arg;

	n[0] += f->order_id != 0;
	n[2] += f->side == TD_BUY ? (int)f->qty : -(int)f->qty;
	return 0;
}

/* The journal holds exactly the venue's fills, and the same position. */
static void
assert_books_agree(struct tr *t, int fills)
{
	struct engine_config	 cfg;
	struct venue		*v;
	struct errmsg		 err;
	int			 jn[3] = { 0 }, vn[3] = { 0 };

	fixture_config(&cfg);
	assert_int_equal(journal_read_fills(t->j, 0, 0, count_fill, jn, NULL),
	    0);
	/* Ask the venue as a second reader of its book. */
	v = venue_sim_create(NULL, &err);
	assert_non_null(v);
	assert_int_equal(venue_sim_open_book(v, t->book, &err), 0);
	assert_int_equal(v->ops->executions(v->ctx, 0, count_vfill, vn, &err),
	    0);
	venue_sim_free(v);
	assert_int_equal(jn[0], fills);
	assert_int_equal(vn[0], fills);
	assert_int_equal(jn[2], vn[2]);
	assert_int_equal(position(t), vn[2]);
}

static void
sql(const char *path, const char *text)
{
	sqlite3	*db;
	char	*msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", text, msg);
	assert_int_equal(sqlite3_changes(db) > 0, 1);
	sqlite3_close(db);
}

/* A bar of 2024-03-12 at hh:mm (minutes of the day), prices in points. */
static void
bar_at(struct tr *t, int hm, double o, double h, double l, double c)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 12, hm / 60,
			    hm % 60), P(o), P(h), P(l), P(c));

	if (engine_on_market(t->e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

/* The live order of a role (the first), or NULL. */
static const struct order *
live_role(const struct tr *t, enum order_role role)
{
	const struct order_mgr	*om = engine_orders(t->e);

	for (int i = 0; i < order_mgr_live_count(om); i++) {
		if (order_mgr_live_at(om, i)->role == role)
			return order_mgr_live_at(om, i);
	}
	return NULL;
}

/* Orders working in the venue's book, asked as a second reader. */
static int
count_working(void *arg, const struct venue_status *w)
{
	(void)w;
	(*(int *)arg)++;
	return 0;
}

static int
book_working(const struct tr *t)
{
	struct venue	*v;
	struct errmsg	 err;
	int		 n = 0;

	assert_non_null(v = venue_sim_create(NULL, &err));
	assert_int_equal(venue_sim_open_book(v, t->book, &err), 0);
	assert_int_equal(v->ops->mass_status(v->ctx, count_working, &n, &err),
	    0);
	venue_sim_free(v);
	return n;
}

/*
 * A journal that dies after a fill of an order of role `after` (or just
 * before it, with `before`): the fill is written (or not), every later
 * event is lost (the process crashed before it reached the journal) while
 * the venue goes on.
 */
struct cut {
	struct journal	*j;
	enum order_role	 after;
	bool		 before;
	bool		 cut;
	int		 lost;
};

static int
cut_observe(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	struct cut	*c = arg;
	bool		 at = ev->kind == EEV_FILL && ev->order->role == c->after;
	int		 rc;

	if (at && c->before)
		c->cut = true;
	if (c->cut) {
		c->lost++;
		return 0;
	}
	rc = journal_observe(c->j, ev, err);
	if (at)
		c->cut = true;
	return rc;
}

static void
cut_at(struct tr *t, struct cut *c, enum order_role after, bool before)
{
	*c = (struct cut){ .j = t->j, .after = after, .before = before };
	assert_int_equal(engine_observer_remove(t->e, journal_observe, t->j),
	    0);
	assert_int_equal(engine_observer_add(t->e, &(struct engine_observer){
	    .fn = cut_observe, .arg = c, .mask = EEV_BOOKS, .record = true },
	    NULL), 0);
}

/* Collect the journal's fills and orders. */
#define MAXROWS	32

struct rows {
	int			 nf, no;
	struct journal_fill	 f[MAXROWS];
	struct journal_order	 o[MAXROWS];
};

static int
keep_fill(void *arg, const struct journal_fill *f)
{
	struct rows	*r = arg;

	if (r->nf < MAXROWS)
		r->f[r->nf++] = *f;
	return 0;
}

static int
keep_order(void *arg, const struct journal_order *o)
{
	struct rows	*r = arg;

	if (r->no < MAXROWS)
		r->o[r->no++] = *o;
	return 0;
}

static struct rows *
read_rows(struct tr *t)
{
	struct rows	*r = calloc(1, sizeof *r);

	assert_non_null(r);
	assert_int_equal(journal_read_fills(t->j, 0, 0, keep_fill, r, NULL),
	    0);
	assert_int_equal(journal_read_orders(t->j, 0, 0, keep_order, r, NULL),
	    0);
	return r;
}

/* The session ends, the venue's book loses order id, a session starts. */
static void
restart_without(struct tr *t, uint64_t id)
{
	char	 q[64];

	stop(t);
	snprintf(q, sizeof q, "DELETE FROM orders WHERE id = %llu",
	    (unsigned long long)id);
	sql(t->book, q);
	start(t);
}

/* ------------------------------------------------------------ tests */

/* A fresh journal and book: nothing to recover, ACTIVE. */
static void
test_engine_restore_fresh(void **state)
{
	struct tr	*t = *state;

	start(t);
	assert_int_equal(t->rec.resumed, 0);
	assert_int_equal(t->rec.session, 1);
	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(t->rec.unclean, 0);
	assert_int_equal(engine_state(t->e), TS_ACTIVE);
	assert_int_equal(t->rec.resumed_at, 0);
}

/* Journal and venue agree: the position and the bracket come back. */
static void
test_engine_restore_match(void **state)
{
	struct tr	*t = *state;
	uint64_t	 id;
	td_cents	 day;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	id = buy(t, ORD_MARKET, 0, 8, 16);
	bar(t, 5000, 5001, 4999.75, 5000.5);	/* fills at 5000 */
	assert_int_equal(position(t), 1);
	day = portfolio_day_pnl(engine_portfolio(t->e));
	restart(t);

	assert_int_equal(t->rec.resumed, 1);
	assert_int_equal(t->rec.session, 2);
	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(t->rec.unclean, 0);
	assert_int_equal(t->rec.fills, 1);
	assert_int_equal(t->rec.orders, 2);		/* stop and target */
	assert_int_equal(engine_state(t->e), TS_ACTIVE);
	assert_int_equal(position(t), 1);
	assert_true(order_mgr_protected(engine_orders(t->e), ES, 1));
	assert_int_equal(engine_now(t->e), t->rec.resumed_at);
	/* Marked where it was, the day's P&L is what it was. */
	bar(t, 5000.5, 5000.5, 5000.5, 5000.5);
	assert_int_equal(portfolio_day_pnl(engine_portfolio(t->e)), day);
	/* New orders get new ids; the bracket works on: the target fills. */
	assert_true(buy(t, ORD_LIMIT, 4990, 0, 0) > id + 2);
	bar(t, 5000.5, 5004.5, 5000.5, 5004);
	assert_int_equal(position(t), 0);
	assert_books_agree(t, 2);
	/* The trade spans the restart and has the target as its exit. */
	assert_int_equal(trades_count(engine_trades(t->e)), 1);
	assert_string_equal(trades_get(engine_trades(t->e), 0)->reason,
	    "target");
}

/* Sessions as the journal has them, by id from 1. */
static int
keep_session(void *arg, const struct journal_session *js)
{
	struct journal_session	*out = arg;

	if (js->id >= 1 && js->id <= 4)
		out[js->id - 1] = *js;
	return 0;
}

/*
 * A restart after an unclean end is a critical incident of the rollout
 * stage (no_critical is then unmet); a clean restart is none.
 */
static void
test_engine_restore_unclean_end_incident(void **state)
{
	struct tr			*t = *state;
	const struct rollout_evidence	*ev;

	t->ladder = true;
	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	restart(t);
	ev = rollout_evidence(engine_rollout(t->e));
	assert_int_equal(ev->incidents, 0);
	crash(t);
	ev = rollout_evidence(engine_rollout(t->e));
	assert_int_equal(ev->incidents, 1);
	assert_string_equal(ev->incident, "restart after an unclean end of "
	    "session 2");
}

/*
 * A session that died (no clean end) restarts HALTED, by "restart", with
 * a critical line and a recovery alert, though the venue agrees with the
 * journal; its protective orders work on.  Only a person resumes, and a
 * clean end after that restarts ACTIVE.
 */
static void
test_engine_restore_unclean_end_halts(void **state)
{
	struct tr		*t = *state;
	struct journal_session	 js[4];
	struct keep		 k;
	const struct alert	*a;

	t->alerts = keep_hub(&k);
	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy(t, ORD_MARKET, 0, 8, 16);
	bar(t, 5000, 5001, 4999.75, 5000.5);	/* long 1 at 5000 */
	assert_int_equal(engine_state(t->e), TS_ACTIVE);
	crash(t);

	assert_int_equal(t->rec.unclean, 1);
	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(t->rec.state, TS_HALTED);
	fixture_assert_state(t->e, "HALTED", "restart", "restart after an "
	    "unclean end of session 1");
	assert_non_null(strstr(t->crit, "recovery: restart after an unclean "
	    "end of session 1: it never closed (a crash, a kill, a power cut, "
	    "the watchdog, or a backup taken while it ran restored); trading "
	    "HALTED until resume\n"));
	assert_non_null(a = keep_find(t->alerts, &k, ALERT_EV_RECOVERY));
	assert_int_equal(a->severity, ALERT_CRITICAL);
	assert_string_equal(a->text, "restart after an unclean end of session "
	    "1: trading HALTED until resume");
	/* The books came back whole; the bracket protects the position. */
	assert_int_equal(position(t), 1);
	assert_true(order_mgr_protected(engine_orders(t->e), ES, 1));
	/* Nothing new goes out until a person resumes. */
	assert_int_equal(engine_set_state(t->e, TS_ACTIVE, "engine", "no",
	    NULL), -1);
	assert_int_equal(engine_set_state(t->e, TS_ACTIVE, "ann", "checked",
	    NULL), 0);
	restart(t);
	assert_int_equal(t->rec.unclean, 0);
	assert_int_equal(engine_state(t->e), TS_ACTIVE);
	assert_int_equal(position(t), 1);
	/* The journal: session 1 died, session 2 closed at its end. */
	memset(js, 0, sizeof js);
	assert_int_equal(journal_read_sessions(t->j, keep_session, js, NULL),
	    0);
	assert_int_equal(js[0].ended, 0);
	assert_int_equal(js[1].resumes, 1);
	assert_int_equal(js[1].ended, fixture_ny(2024, 3, 12, 17, 0));
	assert_int_equal(js[2].resumes, 2);
	assert_int_equal(js[2].ended, 0);		/* still running */
	stop(t);
	alert_free(t->alerts);
	t->alerts = NULL;
}

/*
 * An unclean end never moves the state up: a session halted by a person
 * keeps who and why, one killed stays KILLED; each restart after a crash
 * says so all the same.
 */
static void
test_engine_restore_unclean_end_keeps_worse(void **state)
{
	struct tr	*t = *state;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(engine_set_state(t->e, TS_HALTED, "ann", "lunch",
	    NULL), 0);
	crash(t);
	assert_int_equal(t->rec.unclean, 1);
	fixture_assert_state(t->e, "HALTED", "ann", "lunch");
	engine_kill(t->e, "bob");
	crash(t);
	assert_int_equal(t->rec.unclean, 1);
	assert_int_equal(engine_state(t->e), TS_KILLED);
	assert_non_null(strstr(t->crit, "restart after an unclean end of "
	    "session 2: it never closed (a crash, a kill, a power cut, the "
	    "watchdog, or a backup taken while it ran restored); trading "
	    "KILLED until resume"));
}

/* The venue filled while the journal was away: applied, HALTED. */
static void
test_engine_restore_missing_fill(void **state)
{
	struct tr	*t = *state;
	int		 n[3] = { 0 };

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy(t, ORD_MARKET, 0, 8, 16);
	engine_observer_remove(t->e, journal_observe, t->j);
	bar(t, 5000, 5001, 4999.75, 5000.5);	/* the venue fills */
	crash(t);

	assert_int_equal(t->rec.missing_fills, 1);
	assert_int_equal(t->rec.mismatches, 1);	/* journal 0, venue +1 */
	assert_int_equal(t->rec.strays, 2);	/* the legs, placed unheard */
	assert_int_equal(t->rec.discrepancies, 4);
	assert_int_equal(t->rec.orders, 2);	/* one bracket, not two */
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), 1);
	/* The journal has it now, from the venue; the legs are working. */
	assert_int_equal(journal_read_fills(t->j, 0, 0, count_fill, n, NULL),
	    0);
	assert_int_equal(n[0], 1);
	assert_int_equal(n[1], 1);
	assert_true(order_mgr_protected(engine_orders(t->e), ES, 1));
	assert_books_agree(t, 1);
	/* Halted, but the protective stop still works. */
	bar(t, 5000.5, 5000.5, 4997, 4997);
	assert_int_equal(position(t), 0);
	assert_books_agree(t, 2);
	/* And a second restart finds nothing amiss, but stays HALTED. */
	restart(t);
	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(engine_state(t->e), TS_HALTED);
}

/*
 * What the live sell orders of ES could fill together, each left as the
 * order stands (not as the order manager wants it): an OCO group once,
 * by its largest member.
 */
static int64_t
exits_worst(const struct tr *t)
{
	const struct order_mgr	*om = engine_orders(t->e);
	int64_t			 n = 0;

	for (int i = 0; i < order_mgr_live_count(om); i++) {
		const struct order	*o = order_mgr_live_at(om, i);
		int64_t			 most = o->qty - o->filled;
		bool			 first = true;

		if (o->side != TD_SELL)
			continue;
		for (int k = 0; k < order_mgr_live_count(om) && o->oco != 0;
		    k++) {
			const struct order	*q = order_mgr_live_at(om, k);

			if (q->side != TD_SELL || q->oco != o->oco || q == o)
				continue;
			if (k < i)
				first = false;
			else if (q->qty - q->filled > most)
				most = q->qty - q->filled;
		}
		if (first)
			n += most;
	}
	return n;
}

/*
 * Long 3 with a scale-out bracket: pairs of 2 and 1.  Both stops fill
 * one contract while the journal is away (the venue fills one per order
 * and bar), and the venue takes that one off each stop's target.  The
 * restart brings the targets down as the venue has them: the exits never
 * add up to more than the one contract left, and the books agree.
 */
static void
test_engine_restore_partial_stop_fill_reduces_target(void **state)
{
	struct tr		*t = *state;
	struct venue_sim_cfg	 vc;
	struct manual_order	 m = {
		.inst = ES, .side = TD_BUY, .type = ORD_MARKET, .qty = 3,
		.br = { .stop_ticks = 8, .ntargets = 2,
		    .target_ticks = { 8, 16 }, .target_qty = { 2, 1 } },
	};

	start_one_a_bar(t, &vc);
	bar(t, 5000, 5000, 5000, 5000);
	place(t, &m);
	for (int k = 0; k < 4; k++)
		bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 3);
	assert_int_equal(exits_worst(t), 3);
	engine_observer_remove(t->e, journal_observe, t->j);
	bar(t, 5000, 5000, 4997, 4997);		/* each stop fills one */
	crash(t);

	assert_int_equal(t->rec.missing_fills, 2);
	assert_int_equal(t->rec.orphans, 0);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), 1);
	assert_int_equal(order_mgr_position(engine_orders(t->e), ES), 1);
	assert_int_equal(exits_worst(t), 1);
	assert_int_equal(order_mgr_exit_qty(engine_orders(t->e), ES), 1);
	assert_true(order_mgr_protected(engine_orders(t->e), ES, 1));
	/* The first pair's stop and target, one contract left each. */
	assert_int_equal(order_mgr_live_count(engine_orders(t->e)), 2);
	assert_books_agree(t, 5);
	/* The stop still works: flat, and nothing left working. */
	bar(t, 4997, 4997, 4990, 4990);
	assert_int_equal(position(t), 0);
	assert_int_equal(order_mgr_live_count(engine_orders(t->e)), 0);
	assert_books_agree(t, 6);
}

/*
 * The trader cancels a bracket's stop and sells part of the position at
 * market, which takes as much off the bracket's target, then buys more
 * without a bracket.  A restart after a crash finds the bracket as the
 * trader left it: its target is not grown back over the contracts the
 * sale closed, into the room the unbracketed contracts leave.
 */
static void
test_engine_restore_trimmed_bracket_stays(void **state)
{
	struct tr		*t = *state;
	struct manual_order	 m = {
		.inst = ES, .side = TD_BUY, .type = ORD_MARKET, .qty = 3,
		.br = { .stop_ticks = 8, .ntargets = 1, .target_ticks = { 8 } },
	};
	const struct order	*o;
	struct errmsg		 err;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	place(t, &m);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 3);
	assert_non_null(o = live_role(t, ROLE_STOP));
	if (engine_cancel(t->e, o->id, &err) == -1)
		fail_msg("%s", err.msg);
	m.side = TD_SELL;
	m.qty = 2;
	m.br = (struct bracket){ 0 };
	place(t, &m);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 1);
	assert_int_equal(exits_worst(t), 1);
	m.side = TD_BUY;
	place(t, &m);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 3);
	crash(t);

	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(position(t), 3);
	assert_int_equal(order_mgr_live_count(engine_orders(t->e)), 1);
	assert_non_null(o = live_role(t, ROLE_TARGET));
	assert_int_equal(o->qty - o->filled, 1);
	assert_int_equal(exits_worst(t), 1);
	assert_int_equal(book_working(t), 1);
	assert_books_agree(t, 3);
}

/* A working order the venue no longer has: cancelled, HALTED. */
static void
test_engine_restore_orphan_order(void **state)
{
	struct tr	*t = *state;
	uint64_t	 id;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	id = buy(t, ORD_LIMIT, 4990, 0, 0);
	restart_without(t, id);

	assert_int_equal(t->rec.orphans, 1);
	assert_int_equal(t->rec.discrepancies, 1);
	assert_int_equal(t->rec.orders, 0);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_null(live_order(t, id));
	assert_int_equal(order_mgr_live_count(engine_orders(t->e)), 0);
}

/*
 * The journal's last row of order id, or NULL; r from read_rows.
 */
static const struct journal_order *
last_row(const struct rows *r, uint64_t id)
{
	const struct journal_order	*last = NULL;

	for (int i = 0; i < r->no; i++) {
		if (r->o[i].order.id == id)
			last = &r->o[i];
	}
	return last;
}

/*
 * An order only the venue knows that would open a position: nobody knows
 * its bracket, so it is taken over into the journal and cancelled, and
 * the restart is HALTED.  The market through its price fills nothing.
 */
static void
test_engine_restore_stray_order(void **state)
{
	struct tr			*t = *state;
	const struct journal_order	*jo;
	struct rows			*r;
	uint64_t			 id;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	engine_observer_remove(t->e, journal_observe, t->j);
	id = buy(t, ORD_STOP, 5010, 0, 0);
	crash(t);

	assert_int_equal(t->rec.strays, 1);
	assert_int_equal(t->rec.refused, 1);
	assert_int_equal(t->rec.orders, 0);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_null(live_order(t, id));
	assert_int_equal(book_working(t), 0);
	r = read_rows(t);
	assert_non_null(jo = last_row(r, id));
	assert_int_equal(jo->order.state, ORD_CANCELLED);
	assert_int_equal(jo->order.role, ROLE_ENTRY);
	assert_int_equal(jo->order.type, ORD_STOP);
	assert_int_equal(jo->order.price, P(5010));
	free(r);
	bar(t, 5009, 5011, 5009, 5011);
	assert_int_equal(position(t), 0);
	assert_books_agree(t, 0);
}

/*
 * A stop-limit's limit and the time in force come back with a working
 * order, from the venue's book too: for one of a journal from before
 * schema 4, which has neither, and for an order only the venue knows
 * (journaled as the venue has it, then cancelled: it would open a
 * position).
 */
static void
test_engine_restore_limit_and_tif(void **state)
{
	struct tr		*t = *state;
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				     .type = ORD_STOP_LIMIT, .qty = 1,
				     .price = P(5005), .limit = P(5006),
				     .tif = TIF_DAY };
	struct errmsg		 err;
	const struct order	*o;
	const struct journal_order *jo;
	struct rows		*r;
	char			 q[96];
	uint64_t		 a, b;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(engine_manual_order(t->e, &m, &a, &err), 0);
	engine_observer_remove(t->e, journal_observe, t->j);
	m.tif = TIF_IOC;
	m.limit = P(5007);
	assert_int_equal(engine_manual_order(t->e, &m, &b, &err), 0);
	stop(t);
	/* Order a's rows as a journal from before schema 4 has them. */
	snprintf(q, sizeof q, "UPDATE orders SET limit_price = NULL, tif = "
	    "NULL WHERE order_id = %llu", (unsigned long long)a);
	sql(t->journal, q);
	start(t);

	assert_int_equal(t->rec.strays, 1);
	assert_non_null(o = live_order(t, a));
	assert_int_equal(o->type, ORD_STOP_LIMIT);
	assert_int_equal(o->limit, P(5006));
	assert_int_equal(o->tif, TIF_DAY);
	/* Order b would open a position: journaled as the venue has it. */
	assert_int_equal(t->rec.refused, 1);
	r = read_rows(t);
	assert_non_null(jo = last_row(r, b));
	assert_int_equal(jo->order.type, ORD_STOP_LIMIT);
	assert_int_equal(jo->order.limit, P(5007));
	assert_int_equal(jo->order.tif, TIF_IOC);
	free(r);
}

/* A journaled fill the venue never made: voided, the venue's position. */
static void
test_engine_restore_position_mismatch(void **state)
{
	struct tr	*t = *state;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy(t, ORD_MARKET, 0, 0, 0);
	bar(t, 5000, 5000, 5000, 5000);
	buy(t, ORD_MARKET, 0, 0, 0);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 2);
	stop(t);
	sql(t->book, "DELETE FROM fills WHERE exec = (SELECT MAX(exec) FROM "
	    "fills)");
	start(t);

	assert_int_equal(t->rec.unknown_fills, 1);
	assert_int_equal(t->rec.mismatches, 1);
	assert_int_equal(t->rec.book_lost, 0);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), 1);
	assert_books_agree(t, 1);
}

/*
 * A venue book emptied (or missing: the same, it is created empty) while
 * the journal has fills: the history stands, nothing is voided, HALTED.
 */
static void
test_engine_restore_book_lost_keeps_history(void **state)
{
	struct tr	*t = *state;
	int		 n[3] = { 0 };

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy(t, ORD_MARKET, 0, 0, 0);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 1);
	stop(t);
	sql(t->book, "DELETE FROM fills");
	start(t);

	assert_int_equal(t->rec.book_lost, 1);
	assert_int_equal(t->rec.unknown_fills, 0);
	assert_true(t->rec.discrepancies >= 1);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), 1);
	assert_int_equal(journal_read_fills(t->j, 0, 0, count_fill, n, NULL),
	    0);
	assert_int_equal(n[0], 1);
	/* The venue took the position over: flatten works on it. */
	assert_int_equal(engine_flatten(t->e, td_inst_all(), "test"), 0);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 0);
	restart(t);
	assert_int_equal(position(t), 0);
	assert_int_equal(t->rec.mismatches, 0);
}

/*
 * The stop filled and the fill reached the journal, but the crash came
 * before the target's OCO cancel did.  The restart finds the target gone
 * at the venue (cancelled) and places nothing on the flat position: no
 * order working, no new order id taken, nothing in the venue's book; and
 * the engine, HALTED by the discrepancy, gets no fill as the market runs
 * through every price a bracket had.
 */
static void
test_engine_restore_stop_fill_before_oco_cancel(void **state)
{
	struct tr	*t = *state;
	struct cut	 c;
	uint64_t	 next;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy(t, ORD_MARKET, 0, 8, 16);
	bar(t, 5000, 5000, 5000, 5000);		/* long at 5000 */
	assert_int_equal(order_mgr_live_count(engine_orders(t->e)), 2);
	cut_at(t, &c, ROLE_STOP, false);
	bar(t, 5000, 5000, 4997, 4997);		/* the stop at 4998 fills */
	assert_true(c.cut);
	assert_true(c.lost >= 1);		/* the target's cancel */
	assert_int_equal(position(t), 0);
	next = order_mgr_next_id(engine_orders(t->e));
	crash(t);

	assert_int_equal(t->rec.fills, 2);
	assert_int_equal(t->rec.missing_fills, 0);
	assert_int_equal(t->rec.orphans, 1);	/* the target */
	assert_int_equal(t->rec.strays, 0);
	assert_int_equal(t->rec.orders, 0);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), 0);
	assert_int_equal(order_mgr_live_count(engine_orders(t->e)), 0);
	assert_int_equal(order_mgr_next_id(engine_orders(t->e)), next);
	assert_int_equal(book_working(t), 0);
	/* Down through the stop's price, up through the target's. */
	bar(t, 4997, 4997, 4990, 4990);
	bar(t, 4990, 5010, 4990, 5010);
	assert_int_equal(position(t), 0);
	assert_int_equal(order_mgr_next_id(engine_orders(t->e)), next);
	assert_books_agree(t, 2);
	restart(t);
	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(order_mgr_live_count(engine_orders(t->e)), 0);
}

/*
 * Journal before venue: SimpleORB's breakout entry fills, the venue
 * takes the bracket's legs, and the journal dies right after the entry's
 * fill is written (the venue's answers for the legs are lost); then the
 * venue fills the stop.  The legs were journaled before the venue saw
 * them, so the restart knows the stop's owner (orb), role and type: the
 * venue's fill is applied as the strategy's stop, not taken over as an
 * order of nobody's; the strategy's position and the account's agree
 * (flat), the trade closes on "stop", and the strategy's exit at the
 * session close sends nothing.
 */
static void
test_engine_restore_leg_journaled_before_venue(void **state)
{
	struct tr		*t = *state;
	struct cut		 c;
	struct rows		*r;
	const struct order	*stp;
	const struct trade	*tr;
	uint64_t		 sid, next;
	bool			 created = false;

	t->orb = true;
	start(t);
	for (int m = 9 * 60 + 30; m < 10 * 60; m++)
		bar_at(t, m, 5000, 5000, 5000, 5000);
	bar_at(t, 10 * 60, 5000, 5001, 5000, 5001);	/* the breakout */
	cut_at(t, &c, ROLE_ENTRY, false);
	bar_at(t, 10 * 60 + 1, 5001, 5001, 5001, 5001);	/* long at 5001 */
	assert_true(c.cut);
	assert_int_equal(position(t), 1);
	assert_non_null(stp = live_role(t, ROLE_STOP));
	sid = stp->id;
	assert_int_equal(stp->price, P(4999));
	bar_at(t, 10 * 60 + 2, 5001, 5001, 4998, 4998);	/* the stop fills */
	assert_int_equal(position(t), 0);
	next = order_mgr_next_id(engine_orders(t->e));
	crash(t);

	assert_int_equal(t->rec.missing_fills, 1);
	assert_int_equal(t->rec.strays, 0);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), 0);
	assert_int_equal(engine_strat_position(t->e, ES), 0);
	assert_int_equal(order_mgr_live_count(engine_orders(t->e)), 0);
	r = read_rows(t);
	assert_int_equal(r->nf, 2);
	assert_int_equal(r->f[1].order_id, sid);
	assert_string_equal(r->f[1].source, "venue");
	assert_int_equal(r->f[1].role, ROLE_STOP);
	assert_string_equal(r->f[1].owner_name, "orb");
	assert_int_equal(r->f[1].side, TD_SELL);
	for (int i = 0; i < r->no; i++) {
		if (r->o[i].order.id != sid || r->o[i].event != JEV_CREATED)
			continue;
		created = true;
		assert_int_equal(r->o[i].order.type, ORD_STOP);
		assert_int_equal(r->o[i].order.role, ROLE_STOP);
		assert_true(td_owner_is(r->o[i].order.owner, td_strat_at(0)));
		assert_string_equal(r->o[i].owner_name, "orb");
	}
	assert_true(created);
	free(r);
	assert_int_equal(trades_count(engine_trades(t->e)), 1);
	tr = trades_get(engine_trades(t->e), 0);
	assert_true(td_owner_is(tr->owner, td_strat_at(0)));
	assert_string_equal(tr->reason, "stop");
	/* To the session close: the strategy has nothing to close. */
	for (int m = 10 * 60 + 3; m <= 16 * 60; m++)
		bar_at(t, m, 4998, 4998, 4998, 4998);
	assert_int_equal(position(t), 0);
	assert_int_equal(order_mgr_next_id(engine_orders(t->e)), next);
	assert_books_agree(t, 2);
}

/* Buy qty ES with a stop of stop ticks; type market or a limit at price. */
static uint64_t
buy_n(struct tr *t, enum order_type type, double price, int64_t qty,
    int32_t stop)
{
	struct manual_order	 m = {
		.inst = ES, .side = TD_BUY, .type = type, .qty = qty,
		.price = type == ORD_MARKET ? 0 : P(price),
		.br = { .stop_ticks = stop },
	};

	return place(t, &m);
}

/* The live stops of ES, and what they have left to fill together. */
static int
live_stops(const struct tr *t, int64_t *left)
{
	const struct order_mgr	*om = engine_orders(t->e);
	int			 n = 0;

	*left = 0;
	for (int i = 0; i < order_mgr_live_count(om); i++) {
		const struct order	*o = order_mgr_live_at(om, i);

		if (o->role == ROLE_STOP && !o->cancel_pending) {
			n++;
			*left += o->qty - o->filled;
		}
	}
	return n;
}

/*
 * A journal restored from a backup several events behind the venue (as
 * tests/cli/backup.sh does with the program): the backup has long 1 with
 * its stop; then the position was flattened and a 2-lot limit entry
 * filled one contract a bar, its stop placed for the first and resized
 * for the second.  The journal knows neither that entry nor its stop.
 * The restart takes the venue's position, and the venue's stop as that
 * position's stop: protected, one stop, none placed beside it, the
 * earlier flat moment of the replay cancels nothing; HALTED.  The stop
 * then works, and a second restart agrees.
 */
static void
test_engine_restore_older_journal_adopts_stop(void **state)
{
	struct tr		*t = *state;
	struct venue_sim_cfg	 vc;
	struct jbackup_result	 bk;
	struct jbackup_restored	 rs;
	struct jbackup_opts	 opts = { .now = 1 };
	const struct order	*stp;
	struct errmsg		 err;
	char			 copy[160];
	uint64_t		 entry, sid;
	int64_t			 left;

	start_one_a_bar(t, &vc);
	bar(t, 5000, 5000, 5000, 5000);
	buy_n(t, ORD_MARKET, 0, 1, 8);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 1);
	assert_int_equal(live_stops(t, &left), 1);
	snprintf(copy, sizeof copy, "%s/backup.db", t->dir);
	if (jbackup_take(t->journal, copy, &opts, &bk, &err) == -1)
		fail_msg("%s", err.msg);

	/* The session goes on: flat, then long 2 a contract at a time. */
	assert_int_equal(engine_flatten(t->e, td_inst_only(ES), "test"), 0);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 0);
	entry = buy_n(t, ORD_LIMIT, 5000, 2, 8);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 1);
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 1);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 2);
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 2);		/* resized */
	assert_non_null(stp = live_role(t, ROLE_STOP));
	sid = stp->id;
	stop(t);
	if (jbackup_restore(copy, t->journal, 2, &rs, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(rs.book, JBACKUP_BOOK_KEPT);
	start(t);

	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), 2);
	assert_int_equal(t->rec.missing_fills, 3);	/* exit, 2 entry */
	assert_int_equal(t->rec.strays, 3);	/* exit, entry, stop */
	assert_int_equal(t->rec.refused, 0);
	assert_int_equal(t->rec.orders, 1);
	assert_true(order_mgr_protected(engine_orders(t->e), ES, 2));
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 2);
	assert_non_null(stp = live_role(t, ROLE_STOP));
	assert_int_equal(stp->id, sid);
	assert_int_equal(stp->side, TD_SELL);
	assert_null(live_order(t, entry));
	assert_int_equal(book_working(t), 1);
	assert_int_equal(order_mgr_exit_qty(engine_orders(t->e), ES), 2);
	assert_books_agree(t, 4);

	/* Halted, the stop works: a contract a bar, then flat and bare. */
	bar(t, 5000, 5000, 4990, 4990);
	bar(t, 4990, 4990, 4990, 4990);
	assert_int_equal(position(t), 0);
	assert_int_equal(order_mgr_live_count(engine_orders(t->e)), 0);
	assert_books_agree(t, 6);
	restart(t);
	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(engine_state(t->e), TS_HALTED);
}

/*
 * A journal restored from a backup taken while flat, behind a venue that
 * holds long 4 (2 opened under a stop), that stop trimmed to 1, the
 * trader's market exit of 3 and a stop-limit sell 3 placed before the
 * entries.  Only one of the exit and the stop-limit fits beside the stop:
 * the market exit, which surely closes, is taken over; the stop-limit,
 * which its limit may pass by, is cancelled as too large, not as an
 * opening order.  The exit then fills, and the stop covers what is left.
 */
static void
test_engine_restore_older_journal_market_exit_first(void **state)
{
	struct tr		*t = *state;
	struct manual_order	 m = {
		.inst = ES, .side = TD_SELL, .type = ORD_STOP_LIMIT, .qty = 3,
		.price = P(4990), .limit = P(4989.75),
	};
	struct jbackup_result	 bk;
	struct jbackup_restored	 rs;
	struct jbackup_opts	 opts = { .now = 1 };
	const struct order	*o;
	struct errmsg		 err;
	char			 copy[160];
	uint64_t		 stplmt, exit;
	int64_t			 left;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	snprintf(copy, sizeof copy, "%s/backup.db", t->dir);
	if (jbackup_take(t->journal, copy, &opts, &bk, &err) == -1 ||
	    engine_manual_order(t->e, &m, &stplmt, &err) == -1)
		fail_msg("%s", err.msg);
	buy_n(t, ORD_MARKET, 0, 2, 8);
	buy_n(t, ORD_MARKET, 0, 2, 0);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 4);
	m.type = ORD_MARKET;
	m.price = m.limit = 0;
	exit = place(t, &m);
	assert_non_null(o = live_order(t, exit));
	assert_int_equal(o->role, ROLE_EXIT);
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 1);
	stop(t);
	if (jbackup_restore(copy, t->journal, 2, &rs, &err) == -1)
		fail_msg("%s", err.msg);
	start(t);

	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), 4);
	assert_int_equal(t->rec.refused, 1);
	assert_null(live_order(t, stplmt));
	assert_non_null(strstr(t->crit, "it would close more than the position"
	    " beside its other exits: cancelled"));
	assert_non_null(o = live_order(t, exit));
	assert_int_equal(o->role, ROLE_EXIT);
	assert_int_equal(o->qty - o->filled, 3);
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 1);
	assert_int_equal(book_working(t), 2);

	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 1);
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 1);
	assert_books_agree(t, 3);
}

/*
 * A bracket the journal knows closed (a buy took its short flat) whose
 * target's cancel never reached the venue before the process died, and a
 * short 2 under a stop the journal did not hear filled: the restart finds
 * that target working, puts it back as its entry's leg, and cancels it,
 * since the journal says its bracket protects nothing; the new entry's
 * stop covers all of short 2.
 */
static void
test_engine_restore_closed_bracket_leg_cancelled(void **state)
{
	struct tr		*t = *state;
	struct manual_order	 m = {
		.inst = ES, .side = TD_SELL, .type = ORD_MARKET, .qty = 1,
		.br = { .stop_ticks = 8, .ntargets = 1, .target_ticks = { 8 } },
	};
	const struct order	*o;
	char			 q[64];
	uint64_t		 id, tid;
	int64_t			 left;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	id = place(t, &m);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), -1);
	assert_non_null(o = live_role(t, ROLE_TARGET));
	tid = o->id;
	buy(t, ORD_MARKET, 0, 0, 0);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 0);
	assert_null(live_order(t, tid));
	m.qty = 2;
	id = place(t, &m);
	/* The journal hears no more; the entry fills, its legs go out. */
	engine_observer_remove(t->e, journal_observe, t->j);
	bar(t, 5000, 5000, 5000, 5000);
	stop(t);
	/* The target's cancel never reached the venue. */
	snprintf(q, sizeof q, "UPDATE orders SET done = 0 WHERE id = %llu",
	    (unsigned long long)tid);
	sql(t->book, q);
	start(t);

	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), -2);
	assert_null(live_order(t, tid));
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 2);
	assert_non_null(o = live_role(t, ROLE_TARGET));
	assert_int_equal(o->parent, id);
	assert_int_equal(o->qty - o->filled, 2);
	assert_true(order_mgr_protected(engine_orders(t->e), ES, -2));
	assert_int_equal(book_working(t), 2);
	assert_books_agree(t, 3);
}

/*
 * A crash just before the journal records the fill of a bracket's first
 * target: what that fill did to the bracket is not recorded either, so
 * the restart, which applies the fill again, counts its contracts closed
 * once; the second pair still protects the 2 contracts left.
 */
static void
test_engine_restore_target_fill_counted_once(void **state)
{
	struct tr		*t = *state;
	struct manual_order	 m = {
		.inst = ES, .side = TD_BUY, .type = ORD_MARKET, .qty = 4,
		.br = { .stop_ticks = 8, .ntargets = 2,
		    .target_ticks = { 8, 16 }, .target_qty = { 1, 1 } },
	};
	const struct order	*o;
	struct cut		 c;
	uint64_t		 id;
	int64_t			 left;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	id = place(t, &m);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 4);
	assert_int_equal(live_stops(t, &left), 2);
	assert_int_equal(left, 4);
	cut_at(t, &c, ROLE_TARGET, true);
	bar(t, 5000, 5002.5, 5000, 5002);
	assert_int_equal(position(t), 2);
	assert_true(c.cut);
	crash(t);

	assert_int_equal(t->rec.missing_fills, 1);
	assert_int_equal(position(t), 2);
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 2);
	assert_non_null(o = live_role(t, ROLE_TARGET));
	assert_int_equal(o->parent, id);
	assert_int_equal(o->qty - o->filled, 2);
	assert_true(order_mgr_protected(engine_orders(t->e), ES, 2));
	assert_books_agree(t, 2);
}

/*
 * A crash just after the journal records the fill of a bracket's first
 * target, beside 2 contracts bought without a stop: what the fill did to
 * the bracket is recorded with it, so the restart does not grow the
 * bracket back over the unprotected contracts (the trader chose to run
 * them without a stop); the second pair protects its 2 contracts.
 */
static void
test_engine_restore_target_fill_with_its_bracket(void **state)
{
	struct tr		*t = *state;
	struct manual_order	 m = {
		.inst = ES, .side = TD_BUY, .type = ORD_MARKET, .qty = 4,
		.br = { .stop_ticks = 8, .ntargets = 2,
		    .target_ticks = { 8, 16 }, .target_qty = { 1, 1 } },
	};
	struct cut		 c;
	int64_t			 left;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	place(t, &m);
	buy_n(t, ORD_MARKET, 0, 2, 0);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 6);
	cut_at(t, &c, ROLE_TARGET, false);
	bar(t, 5000, 5002.5, 5000, 5002);
	assert_int_equal(position(t), 4);
	assert_true(c.cut);
	crash(t);

	assert_int_equal(t->rec.missing_fills, 0);
	assert_int_equal(position(t), 4);
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 2);
	assert_int_equal(exits_worst(t), 2);
	assert_books_agree(t, 3);
}

/*
 * A buy 2 and a sell 3 under a stop wait below and above the market; a
 * sell 1 under a bracket fills.  The journal knows all of that.  Then,
 * the journal lost, the buy fills across flat and the sell 3 fills; the
 * process dies before the venue has the cancel of the first bracket or
 * the legs of the sell 3 (the book says so).  The restart replays the
 * two fills: the buy closed what the first bracket protected, so its
 * legs are cancelled, and the sell 3 gets a stop for the 2 contracts
 * still open.
 */
static void
test_engine_restore_replay_through_flat_ends_bracket(void **state)
{
	struct tr		*t = *state;
	struct manual_order	 m = {
		.inst = ES, .side = TD_SELL, .type = ORD_LIMIT, .qty = 3,
		.price = P(5001), .br = { .stop_ticks = 8 },
	};
	const struct order	*o;
	struct cut		 c;
	char			 q[160];
	uint64_t		 sa, ta, b;
	int64_t			 left;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy_n(t, ORD_LIMIT, 4998, 2, 0);
	b = place(t, &m);
	m = (struct manual_order){ .inst = ES, .side = TD_SELL,
	    .type = ORD_MARKET, .qty = 1, .br = { .stop_ticks = 8,
	    .ntargets = 1, .target_ticks = { 8 } } };
	place(t, &m);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), -1);
	assert_non_null(o = live_role(t, ROLE_STOP));
	sa = o->id;
	assert_non_null(o = live_role(t, ROLE_TARGET));
	ta = o->id;
	cut_at(t, &c, ROLE_ENTRY, true);
	bar(t, 5000, 5000, 4997.5, 4998);
	assert_int_equal(position(t), 1);
	bar(t, 4998, 5001.5, 4998, 5001);
	assert_int_equal(position(t), -2);
	assert_true(c.cut);
	stop(t);
	snprintf(q, sizeof q, "UPDATE orders SET done = 0 WHERE id IN "
	    "(%llu, %llu)", (unsigned long long)sa, (unsigned long long)ta);
	sql(t->book, q);
	snprintf(q, sizeof q, "DELETE FROM orders WHERE id > %llu",
	    (unsigned long long)ta);
	sql(t->book, q);
	start(t);

	assert_int_equal(t->rec.missing_fills, 2);
	assert_int_equal(position(t), -2);
	assert_null(live_order(t, sa));
	assert_null(live_order(t, ta));
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 2);
	assert_non_null(o = live_role(t, ROLE_STOP));
	assert_int_equal(o->parent, b);
	assert_true(order_mgr_protected(engine_orders(t->e), ES, -2));
	assert_books_agree(t, 3);
}

/*
 * A position's stop the venue no longer has (the journal knows the entry
 * and its bracket): the restart comes up HALTED, and places a new stop
 * all the same, for the whole position and no more; a second restart,
 * the venue holding it, places none.
 */
static void
test_engine_restore_lost_stop_placed_again(void **state)
{
	struct tr		*t = *state;
	const struct order	*stp;
	uint64_t		 sid;
	int64_t			 left;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy_n(t, ORD_MARKET, 0, 2, 8);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 2);
	assert_non_null(stp = live_role(t, ROLE_STOP));
	sid = stp->id;
	restart_without(t, sid);

	assert_int_equal(t->rec.orphans, 1);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), 2);
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 2);
	assert_non_null(stp = live_role(t, ROLE_STOP));
	assert_true(stp->id > sid);
	assert_int_equal(stp->price, P(4998));
	assert_true(order_mgr_protected(engine_orders(t->e), ES, 2));
	assert_int_equal(book_working(t), 1);
	restart(t);
	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(live_stops(t, &left), 1);
	assert_int_equal(left, 2);
	assert_int_equal(book_working(t), 1);
}

/*
 * A venue book deleted (not emptied) while the journal has a long with
 * its protective stop: the journal's fill stands (nothing voided, the
 * trade is still there to report), the stop the venue no longer has is
 * counted, the engine starts HALTED, and flatten closes the position on
 * the venue that took it over.  The next restart agrees with that book.
 */
static void
test_engine_restore_book_deleted_keeps_history(void **state)
{
	struct tr		*t = *state;
	const struct trade	*tr;
	char			 side[160];
	int			 n[3] = { 0 };

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy(t, ORD_MARKET, 0, 8, 0);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(position(t), 1);
	stop(t);
	assert_int_equal(unlink(t->book), 0);
	snprintf(side, sizeof side, "%s-wal", t->book);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", t->book);
	unlink(side);
	start(t);

	assert_int_equal(t->rec.book_lost, 1);
	assert_int_equal(t->rec.unknown_fills, 0);
	assert_int_equal(t->rec.fills, 1);
	assert_int_equal(t->rec.orphans, 1);		/* the stop */
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(position(t), 1);
	assert_int_equal(journal_read_fills(t->j, 0, 0, count_fill, n, NULL),
	    0);
	assert_int_equal(n[0], 1);
	assert_int_equal(n[2], 1);
	assert_int_equal(engine_flatten(t->e, td_inst_all(), "test"), 0);
	bar(t, 5001, 5001, 5001, 5001);
	assert_int_equal(position(t), 0);
	assert_int_equal(trades_count(engine_trades(t->e)), 1);
	tr = trades_get(engine_trades(t->e), 0);
	assert_int_equal(tr->entry_sum, P(5000));
	assert_int_equal(tr->exit_sum, P(5001));
	restart(t);
	assert_int_equal(t->rec.book_lost, 0);
	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(position(t), 0);
	assert_int_equal(trades_count(engine_trades(t->e)), 1);
}

/* The state is a latch, with who, why and when. */
static void
test_engine_restore_state_latch(void **state)
{
	struct tr	*t = *state;
	const struct risk_cfg *rc;
	td_ns		 when;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(engine_set_state(t->e, TS_HALTED, "ann", "lunch",
	    NULL), 0);
	when = engine_now(t->e);
	restart(t);
	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	{
		struct snapshot	*s = snapshot_create(NULL, NULL);

		assert_non_null(s);
		fixture_snapshot(t->e, s);
		assert_string_equal(s->state, "HALTED");
		assert_string_equal(s->state_who, "ann");
		assert_string_equal(s->state_why, "lunch");
		assert_int_equal(s->state_when, when);
		snapshot_free(s);
	}
	engine_kill(t->e, "bob");
	restart(t);
	assert_int_equal(engine_state(t->e), TS_KILLED);
	/* Only a person moves it up. */
	assert_int_equal(engine_set_state(t->e, TS_ACTIVE, "ann", "back",
	    NULL), 0);
	restart(t);
	assert_int_equal(engine_state(t->e), TS_ACTIVE);
	rc = engine_risk_cfg(t->e);
	assert_non_null(rc);
}

/* A clean restart from ACTIVE, flat: ACTIVE; the day's loss is kept. */
static void
test_engine_restore_day_pnl(void **state)
{
	struct tr	*t = *state;
	td_cents	 day;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy(t, ORD_MARKET, 0, 0, 0);
	bar(t, 5000, 5000, 5000, 5000);		/* long 1 at 5000 */
	engine_flatten(t->e, td_inst_all(), "test");
	bar(t, 4998, 4998, 4998, 4998);		/* out at 4998: -100 - 1.24 */
	assert_int_equal(position(t), 0);
	day = portfolio_day_pnl(engine_portfolio(t->e));
	assert_int_equal(day, -10124);
	restart(t);
	assert_int_equal(t->rec.discrepancies, 0);
	assert_int_equal(engine_state(t->e), TS_ACTIVE);
	assert_int_equal(portfolio_day_pnl(engine_portfolio(t->e)), day);
	assert_int_equal(portfolio_week_pnl(engine_portfolio(t->e)), day);
	/* The daily loss limit counts it: tighten it below the loss. */
	assert_int_equal(engine_risk_set(t->e, "daily_loss", 10000, false,
	    NULL), 0);
	bar(t, 4998, 4998, 4998, 4998);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_books_agree(t, 2);
}

/* ------------------------------------------------------ a venue of our own */

static int
take_work(void *arg, const struct venue_status *st)
{
	struct vdouble	*d = arg;

	assert_true(d->nwork < VD_MAX);
	d->vd_work[d->nwork++] = *st;
	return 0;
}

static int
take_exec(void *arg, const struct venue_exec *x)
{
	struct vdouble	*d = arg;

	assert_true(d->nexec < VD_MAX);
	d->vd_exec[d->nexec++] = *x;
	return 0;
}

/*
 * A double that knows what the simulator's book says now (asked as a
 * second reader): its working orders, its fills, and what became of each
 * order it no longer works.
 */
static struct vdouble *
double_of_book(const char *book, bool *destroyed)
{
	struct vdouble		*d = vdouble_create(destroyed);
	struct venue		*v;
	struct venue_status	 st;
	struct errmsg		 err;

	assert_non_null(d);
	assert_non_null(v = venue_sim_create(NULL, &err));
	assert_int_equal(venue_sim_open_book(v, book, &err), 0);
	assert_int_equal(v->ops->mass_status(v->ctx, take_work, d, &err), 0);
	assert_int_equal(v->ops->executions(v->ctx, 0, take_exec, d, &err),
	    0);
	for (uint64_t id = 1; id <= VD_MAX; id++) {
		assert_int_equal(v->ops->order_status(v->ctx, id, &st, &err),
		    0);
		if (st.state == VOS_FILLED || st.state == VOS_CANCELLED)
			d->vd_done[d->ndone++] = st;
	}
	venue_sim_free(v);
	return d;
}

static void
copy_file(const char *from, const char *to)
{
	FILE	*in = fopen(from, "rb"), *out = fopen(to, "wb");
	char	 buf[4096];
	size_t	 n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static void
rm_book(const struct tr *t)
{
	char	 side[160];

	unlink(t->book);
	snprintf(side, sizeof side, "%s-wal", t->book);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", t->book);
	unlink(side);
}

/*
 * The venue filled the stop, and so cancelled the target, while the
 * journal was away.  The journal is recovered twice: against the
 * simulator and its book, and, the book deleted, against a venue of the
 * test's own that repeats the simulator's answers.  Both come back the
 * same; the second asked the venue once for its working orders and once
 * for its fills since the journal began, and left no file behind.  The
 * target goes as the venue's OCO cancel that came with the lost fill,
 * not as an orphan: nobody has to ask the venue about it.
 */
static void
test_engine_restore_asks_only_the_venue(void **state)
{
	struct tr			*t = *state;
	struct journal_session_info	 info = { .mode = "paper" };
	struct engine_config		 cfg;
	struct engine_deps		 deps;
	struct engine_recovery		 sim;
	struct vdouble			*vd;
	struct errmsg			 err;
	enum trading_state		 state_sim;
	char				 copy[160];
	int64_t				 pos_sim;
	int				 live_sim;
	bool				 destroyed;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy(t, ORD_MARKET, 0, 8, 16);
	bar(t, 5000, 5000, 5000, 5000);		/* long at 5000 */
	engine_observer_remove(t->e, journal_observe, t->j);
	bar(t, 5000, 5000, 4997, 4997);		/* the stop fills, unheard */
	stop(t);
	vd = double_of_book(t->book, &destroyed);
	assert_int_equal(vd->nwork, 0);
	assert_int_equal(vd->nexec, 2);
	assert_int_equal(vd->ndone, 3);
	snprintf(copy, sizeof copy, "%s/copy.db", t->dir);
	copy_file(t->journal, copy);

	start(t);				/* the simulator's word */
	sim = t->rec;
	pos_sim = position(t);
	live_sim = order_mgr_live_count(engine_orders(t->e));
	state_sim = engine_state(t->e);
	stop(t);
	assert_int_equal(sim.missing_fills, 1);
	assert_int_equal(sim.orphans, 0);
	assert_int_equal(live_sim, 0);
	assert_int_equal(pos_sim, 0);

	rm_book(t);
	fixture_config(&cfg);
	cfg.unattended = false;
	deps = (struct engine_deps){ .venue = &vd->v };
	assert_non_null(t->e = engine_create(&cfg, &deps, &err));
	assert_non_null(t->j = journal_open(copy, JOURNAL_CREATE, &err));
	if (engine_recover(t->e, t->j, &info, &t->rec, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(t->rec.resumed, sim.resumed);
	assert_int_equal(t->rec.session, sim.session);
	assert_int_equal(t->rec.fills, sim.fills);
	assert_int_equal(t->rec.orders, sim.orders);
	assert_int_equal(t->rec.missing_fills, sim.missing_fills);
	assert_int_equal(t->rec.unknown_fills, sim.unknown_fills);
	assert_int_equal(t->rec.orphans, sim.orphans);
	assert_int_equal(t->rec.strays, sim.strays);
	assert_int_equal(t->rec.mismatches, sim.mismatches);
	assert_int_equal(t->rec.book_lost, sim.book_lost);
	assert_int_equal(t->rec.discrepancies, sim.discrepancies);
	assert_int_equal(t->rec.unclean, sim.unclean);
	assert_int_equal(t->rec.resumed_at, sim.resumed_at);
	assert_int_equal(t->rec.state, sim.state);
	assert_int_equal(position(t), pos_sim);
	assert_int_equal(order_mgr_live_count(engine_orders(t->e)), live_sim);
	assert_int_equal(engine_state(t->e), state_sim);

	assert_int_equal(vd->asked_mass, 1);
	assert_int_equal(vd->asked_exec, 1);
	assert_true(vd->since > 0);
	assert_true(vd->since <= vd->vd_exec[0].time);
	assert_int_equal(vd->asked_status, 0);
	assert_int_equal(vd->adopted, 0);
	assert_int_equal(access(t->book, F_OK), -1);
	stop(t);
	assert_true(destroyed);
}

/*
 * A venue that knows nothing of the journal's fills lost them: the
 * journal stands, and the venue is told to take the position over.
 */
static void
test_engine_restore_venue_knows_nothing(void **state)
{
	struct tr			*t = *state;
	struct journal_session_info	 info = { .mode = "paper" };
	struct engine_config		 cfg;
	struct engine_deps		 deps;
	struct vdouble			*vd;
	struct errmsg			 err;

	start(t);
	bar(t, 5000, 5000, 5000, 5000);
	buy(t, ORD_MARKET, 0, 0, 0);
	bar(t, 5000, 5000, 5000, 5000);
	stop(t);
	assert_non_null(vd = vdouble_create(NULL));
	fixture_config(&cfg);
	cfg.unattended = false;
	deps = (struct engine_deps){ .venue = &vd->v };
	assert_non_null(t->e = engine_create(&cfg, &deps, &err));
	assert_non_null(t->j = journal_open(t->journal, JOURNAL_CREATE, &err));
	if (engine_recover(t->e, t->j, &info, &t->rec, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(t->rec.book_lost, 1);
	assert_int_equal(t->rec.unknown_fills, 0);
	assert_int_equal(t->rec.fills, 1);
	assert_int_equal(position(t), 1);
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_int_equal(vd->adopted, cfg.ninst);
}

/* ------------------------------------------------------------ check */

struct ck_fill {
	uint64_t	 order;
	int64_t		 filled;
	int64_t		 qty;
	td_ticks	 price;
	int		 side;
	char		 symbol[TD_SYMBOL_MAX];
};

struct ck {
	struct ck_fill	*f;
	size_t		 n, cap;
	char		 sym[ENGINE_MAX_INST][TD_SYMBOL_MAX];
};

static int
ck_add(struct ck *c, uint64_t order, int64_t filled, int64_t qty,
    td_ticks price, int side, const char *symbol)
{
	if (c->n == c->cap) {
		size_t	 cap = c->cap == 0 ? 256 : c->cap * 2;
		void	*p = realloc(c->f, cap * sizeof *c->f);

		if (p == NULL)
			return -1;
		c->f = p;
		c->cap = cap;
	}
	c->f[c->n++] = (struct ck_fill){ .order = order, .filled = filled,
	    .qty = qty, .price = price, .side = side };
	snprintf(c->f[c->n - 1].symbol, TD_SYMBOL_MAX, "%s", symbol);
	return 0;
}

static int
ck_jfill(void *arg, const struct journal_fill *f)
{
	return ck_add(arg, f->order_id, f->order_filled, f->qty, f->price,
	    f->side, f->symbol);
}

static int
ck_vfill(void *arg, const struct venue_exec *f)
{
	struct ck	*c = arg;

	if (f->order_id == 0)
		return 0;	/* a position carried in, no fill */
	return ck_add(c, f->order_id, f->order_filled, f->qty, f->price,
	    f->side, f->inst >= 0 && f->inst < ENGINE_MAX_INST ?
	    c->sym[f->inst] : "?");
}

static int
ck_inst(void *arg, const struct journal_instrument *in)
{
	struct ck	*c = arg;

	if (in->idx >= 0 && in->idx < ENGINE_MAX_INST)
		snprintf(c->sym[in->idx], TD_SYMBOL_MAX, "%s",
		    in->inst.symbol);
	return 0;
}

static int
ck_cmp(const void *a, const void *b)
{
	const struct ck_fill	*x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return (x->filled > y->filled) - (x->filled < y->filled);
}

/* "ES +1, MES -2" or "flat", as the restart's log line has it. */
static void
ck_positions(const struct ck *c, char *buf, size_t len)
{
	size_t	 used = 0;

	buf[0] = '\0';
	for (int i = 0; i < ENGINE_MAX_INST && c->sym[i][0] != '\0'; i++) {
		int64_t	 p = 0;

		for (size_t k = 0; k < c->n; k++) {
			if (strcmp(c->f[k].symbol, c->sym[i]) == 0)
				p += c->f[k].side == TD_BUY ? c->f[k].qty :
				    -c->f[k].qty;
		}
		if (p != 0 && used < len)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s %+lld", used > 0 ? ", " : "", c->sym[i],
			    (long long)p);
	}
	if (used == 0)
		snprintf(buf, len, "flat");
}

/*
 * Every fill the venue made is in the journal once, and nothing else is:
 * "fills N lost L duplicated D unknown U position P".  Exit 0 when L, D
 * and U are 0.
 */
static int
check(const char *journal, const char *book)
{
	struct ck	 jc, vc;
	struct errmsg	 err;
	struct journal	*j;
	struct venue	*v;
	size_t		 a = 0, b = 0;
	long		 lost = 0, dup = 0, unknown = 0;
	char		 pos[256];

	memset(&jc, 0, sizeof jc);
	memset(&vc, 0, sizeof vc);
	if ((j = journal_open(journal, JOURNAL_READONLY, &err)) == NULL ||
	    journal_read_instruments(j, ck_inst, &vc, &err) == -1 ||
	    journal_read_fills(j, 0, 0, ck_jfill, &jc, &err) == -1) {
		fprintf(stderr, "check: %s\n", err.msg);
		return 2;
	}
	journal_close(j);
	if ((v = venue_sim_create(NULL, &err)) == NULL ||
	    venue_sim_open_book(v, book, &err) == -1 ||
	    v->ops->executions(v->ctx, 0, ck_vfill, &vc, &err) == -1) {
		fprintf(stderr, "check: %s\n", err.msg);
		return 2;
	}
	venue_sim_free(v);
	qsort(jc.f, jc.n, sizeof *jc.f, ck_cmp);
	qsort(vc.f, vc.n, sizeof *vc.f, ck_cmp);
	while (a < jc.n || b < vc.n) {
		int	 c = a == jc.n ? 1 : b == vc.n ? -1 :
			    ck_cmp(&jc.f[a], &vc.f[b]);

		if (c == 0 && (jc.f[a].qty != vc.f[b].qty ||
		    jc.f[a].price != vc.f[b].price))
			unknown++;	/* the same fill, told otherwise */
		if (c == 0) {
			a++;
			b++;
			while (a < jc.n && ck_cmp(&jc.f[a], &vc.f[b - 1]) ==
			    0) {
				dup++;
				a++;
			}
		} else if (c < 0) {
			unknown++;
			a++;
		} else {
			lost++;
			b++;
		}
	}
	ck_positions(&vc, pos, sizeof pos);
	printf("fills %zu lost %ld duplicated %ld unknown %ld position %s\n",
	    vc.n, lost, dup, unknown, pos);
	free(jc.f);
	free(vc.f);
	return lost == 0 && dup == 0 && unknown == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_engine_restore_fresh,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_unclean_end_halts, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_unclean_end_keeps_worse, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_unclean_end_incident, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_restore_match,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_missing_fill, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_orphan_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_stray_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_limit_and_tif, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_position_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_book_lost_keeps_history, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_book_deleted_keeps_history, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_stop_fill_before_oco_cancel, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_leg_journaled_before_venue, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_state_latch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_restore_day_pnl,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_asks_only_the_venue, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_partial_stop_fill_reduces_target,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_trimmed_bracket_stays, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_closed_bracket_leg_cancelled, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_target_fill_counted_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_target_fill_with_its_bracket, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_replay_through_flat_ends_bracket, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_venue_knows_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_older_journal_adopts_stop, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_older_journal_market_exit_first, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_restore_lost_stop_placed_again, setup,
		    teardown),
	};

	if (argc == 4 && strcmp(argv[1], "check") == 0)
		return check(argv[2], argv[3]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
