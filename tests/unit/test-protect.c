/*
 * test-protect.c -- the protection invariants of DESIGN.md, by property.
 *
 * Seeded random sequences of what can happen to a desk run on an engine
 * fed ES and MES that trades both, or (a third of the sequences) ES
 * alone (demo data made in memory, bars or ticks), through
 * the simulated venue with its book, and a real SQLite journal in a
 * temporary directory: manual orders (buy or sell 1..4, market, limit,
 * stop or stop-limit near the last price, GTC, DAY or IOC, with or
 * without a bracket: a stop and a target, either alone, a scale-out with
 * breakeven or a trailing stop, the configuration's template), two
 * entries as one OCO pair, reverse,
 * cancel (one order or all), move, flatten (one instrument or all), halt,
 * resume, kill, market data, the orb strategy switched on and off on ES
 * and MES, a clean restart, a crash, a backup of the journal and a
 * restart from it (a restore).  The settings vary by sequence:
 * venue latency 0 or 50 ms, participation, slippage, the bar path, the
 * fill model, the max_contracts and max_positions limits, max_trade_risk
 * on or off.
 *
 * After every step, the engine quiet (the venue drained), every invariant
 * is checked per instrument, P being the account's net position:
 *
 *   I1  no live reduce-only order (role stop, target or exit) on the side
 *       that would make |P| larger, and none at all when P is 0;
 *   I2  what the live reduce-only orders on the closing side could fill
 *       at worst -- each OCO group its largest remaining quantity, each
 *       order outside a group its own -- is at most |P|;
 *   I3  while a position opened by an entry with a stop is open, the live
 *       stops and market exits on the closing side cover what such entries
 *       opened (all of |P| when every entry had a stop);
 *   I4  |P| <= max_contracts, instruments with a position <= max_positions
 *       (when set);
 *   I5  (on each fill, against the position before it) a reduce-only
 *       order never makes |P| larger and never crosses 0;
 *   I6  after a restart: every position is the venue's, the journal holds
 *       each of the venue's fills once and no other, and no flat
 *       instrument has a live reduce-only order; a restart after a crash
 *       (no clean end in the journal) is at least HALTED, one after a
 *       clean end is not taken for a crash; every backup, taken while
 *       the session runs, verifies (`journal restore` refuses one that
 *       does not);
 *   I7  journal before venue: after a restart or a crash, every order the
 *       venue's book knows (working or filled) is in the journal, with its
 *       instrument, side and type (not after a restore: that journal is
 *       behind on purpose).
 *
 * Orders whose cancel is pending are leaving: no invariant counts them.
 * I3's requirement follows the fills, in contracts: an entry fill with a
 * stop adds what it opened, a fill that reduces the position takes off
 * what it closed (whichever contracts those were), a flat or reversed
 * position starts again; contracts opened without a stop never need one.
 * A cancel the trader asked for that takes a stop or a market exit away
 * lifts what that order covered (the trader chose to run without it),
 * and later fills of an entry whose stop the trader cancelled need none.
 *
 * A restore is what a trader does with `journal backup` and `journal
 * restore`: a backup taken while the session runs (a step of its own),
 * some steps later the session ends, the backup goes in place of its
 * journal, and the restart reconciles that older journal with the
 * venue's book of the present, which made fills and took orders the
 * journal never heard of.  I3's requirements stay the present's: the
 * stops the venue works are the positions' protection, and every
 * invariant holds as after any restart.
 *
 * A crash forks.  The child arms a SIGKILL at a random journal event,
 * just before or just after the journal records it, runs on for a few
 * steps and _exits if the kill never came; the parent waits, discards its
 * engine without writing anything and recovers a new one from the files;
 * that restart comes up HALTED (the session never ended), and the trader
 * resumes it.  A clean restart records the session's end first.
 * What the child learnt (I3's requirements, a violation) it leaves in
 * shared memory.  The parent's generator goes on from the fork, so every
 * sequence is a function of its seed.
 *
 * Each sequence stops at its first violation.  Every sequence runs; the
 * violations are listed (the first of each invariant with the live
 * orders), counted per invariant, and the test fails with the first.
 *
 * Environment:
 *   TD_PROP_SEQUENCES  sequences to run (default 100)
 *   TD_PROP_STEPS      steps in each (default 300)
 *   TD_PROP_SEED       seed of the first sequence (default 0x7d5eed0000,
 *                      after the seeds that once failed, prop_found);
 *                      sequence n runs seed + n, so TD_PROP_SEED=<the seed
 *                      of a failure> TD_PROP_SEQUENCES=1 replays it alone
 *   TD_PROP_TMPDIR     where the files go (default /dev/shm, else $TMPDIR,
 *                      else /tmp); a failed sequence's stay there
 *   TD_PROP_KEEP=1     keep every sequence's files (the journal, the
 *                      venue's book), to read them after its last step
 *   TD_PROP_TRACE=1    print the engine's log, each step and the positions
 *                      and live orders it left (with TD_PROP_SEED, to
 *                      read one failure)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "array.h"
#include "demo.h"
#include "engine.h"
#include "errmsg.h"
#include "journal.h"
#include "journal-backup.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "rng.h"
#include "snapshot.h"
#include "venue-sim.h"

#include "fixture.h"

#define NINST		2
#define DEF_SEQUENCES	100
#define DEF_STEPS	300
#define DEF_SEED	0x7d5eed0000ULL
#define CHILD_STEPS	4	/* a crashing process runs on, at most */
#define KILL_WITHIN	6	/* the kill comes at journal event 1..N */
#define PROP_ASIDE_EPOCH 1710000000	/* dates a restore's aside name */
#define STEP_SECONDS	60	/* longer is an endless loop */
#define LIFT_MAX	64	/* orders one cancel may lift */
#define NAKED_MAX	64	/* entries whose stop the trader cancelled */
#define MSG_MAX		1024
#define DUMP_MAX	8192

static const char *const prop_sym[NINST] = { "ES", "MES" };
static const char *const prop_strat[NINST] = { "orb-es", "orb-mes" };

/* A sequence's settings, drawn from its seed. */
struct prop_conf {
	bool			 bars;
	td_ns			 latency;
	int			 participation;
	int			 slippage;
	enum sim_bar_path	 path;
	enum fill_model		 model;
	int64_t			 max_contracts;
	int			 max_positions;
	td_cents		 max_trade_risk;
	bool			 orb[NINST];
	int			 ntraded;	/* ES alone (1) or both (2) */
};

/* An order covering for I3 that a trader's cancel may take away. */
struct prop_lift {
	uint64_t	 id;
	uint64_t	 parent;	/* a stop leg's entry, 0 */
	int		 inst;
	int64_t		 qty;		/* remaining */
};

/* Shared with a crashing child (MAP_SHARED): what it learnt. */
struct prop_shared {
	int64_t		 need[NINST];	/* I3: stops must cover */
	int		 nlift;		/* a cancel under way */
	struct prop_lift lift[LIFT_MAX];
	int		 nnaked;	/* ring */
	uint64_t	 naked[NAKED_MAX];
	int		 inv;		/* first invariant violated */
	long		 steps;		/* what the sequence did */
	long		 restarts;
	long		 restores;	/* of an older journal */
	long		 crashes;
	long		 kills;		/* crashes that died by SIGKILL */
	bool		 harness;	/* the child could not go on */
	char		 msg[MSG_MAX];
	char		 dump[DUMP_MAX];
};

/* Two demo generators merged in time order. */
struct prop_feed {
	struct demo	*d[NINST];
	struct td_md	 next[NINST];
	bool		 has[NINST];
};

struct prop {
	uint64_t		 seed;
	long			 seqno;
	long			 step;
	int			 cstep;		/* in a child */
	bool			 child;
	char			 text[160];	/* what the step does */
	struct prop_conf	 conf;
	struct engine_config	 cfg;
	struct venue_sim_cfg	 vcfg;
	struct rng		 rng;
	struct prop_feed	 feed;
	td_ticks		 last[NINST];
	bool			 seen[NINST];
	char			 dir[256];
	char			 journal[300];
	char			 book[320];
	char			 backup[320];	/* an older journal */
	long			 backup_step;	/* its step; 0: none */
	struct engine		*e;
	struct journal		*j;
	struct engine_recovery	 rec;
	bool			 recovering;	/* no engine to dump */
	struct prop_shared	*sh;
	/* The crash: SIGKILL at journal event kill_at (0: never). */
	int64_t			 nev;
	int64_t			 kill_at;
	bool			 kill_before;
};

/* ------------------------------------------------------------ text */

static void
prop_vcat(char *buf, size_t len, size_t *used, const char *fmt, va_list ap)
{
	int	 n;

	if (*used >= len)
		return;
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	if (n > 0)
		*used += (size_t)n;
	if (*used >= len)
		*used = len;
}

static void __attribute__((format(printf, 4, 5)))
prop_cat(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	prop_vcat(buf, len, used, fmt, ap);
	va_end(ap);
}

static const char *
prop_symbol(int inst)
{
	return inst >= 0 && inst < NINST ? prop_sym[inst] : "?";
}

/* "long 2", "short 1", "flat". */
static char *
prop_pos(int64_t pos, char *buf, size_t len)
{
	if (pos == 0)
		snprintf(buf, len, "flat");
	else
		snprintf(buf, len, "%s %lld", pos > 0 ? "long" : "short",
		    (long long)(pos > 0 ? pos : -pos));
	return buf;
}

/* "sell 1 ES stp 5010.25", "buy 2 MES mkt", "buy 1 ES stplmt 5001 5002". */
static char *
prop_otext(const struct prop *p, int inst, enum td_side side, int64_t qty,
    enum order_type type, td_ticks price, td_ticks limit, char *buf,
    size_t len)
{
	char	 px[32] = "", lim[32] = "";

	if (type != ORD_MARKET && inst >= 0 && inst < NINST)
		instrument_format(&p->cfg.inst[inst], price, px, sizeof px);
	if (type == ORD_STOP_LIMIT && inst >= 0 && inst < NINST)
		instrument_format(&p->cfg.inst[inst], limit, lim, sizeof lim);
	snprintf(buf, len, "%s %lld %s %s%s%s%s%s", side == TD_BUY ? "buy" :
	    "sell", (long long)qty, prop_symbol(inst), order_type_name(type),
	    px[0] != '\0' ? " " : "", px, lim[0] != '\0' ? " " : "", lim);
	return buf;
}

/* An order as the checks name it: "order 7 (stop, sell 1 ES stp 4990)". */
static char *
prop_oname(const struct prop *p, const struct order *o, char *buf, size_t len)
{
	char	 t[96];

	snprintf(buf, len, "order %llu (%s, %s)", (unsigned long long)o->id,
	    order_role_name(o->role), prop_otext(p, o->inst.i, o->side,
	    o->qty - o->filled, o->type, o->price, o->limit, t, sizeof t));
	return buf;
}

/* The positions and every live order, for a violation. */
static void
prop_dump(const struct prop *p, char *buf, size_t len)
{
	const struct order_mgr	*om = engine_orders(p->e);
	size_t			 used = 0;
	char			 a[32], t[96];
	int			 n = order_mgr_live_count(om);

	prop_cat(buf, len, &used, "  positions:");
	for (int i = 0; i < NINST; i++) {
		prop_cat(buf, len, &used, " %s %s", prop_sym[i],
		    prop_pos(portfolio_position(engine_portfolio(p->e),
		    td_inst_at(i)), a, sizeof a));
		if (p->sh->need[i] > 0)
			prop_cat(buf, len, &used, " (%lld to cover)",
			    (long long)p->sh->need[i]);
		prop_cat(buf, len, &used, "%s", i + 1 < NINST ? "," : "");
	}
	prop_cat(buf, len, &used, "; trading %s\n  live orders:%s\n",
	    trading_state_name(engine_state(p->e)), n == 0 ? " none" : "");
	for (int k = 0; k < n; k++) {
		const struct order	*o = order_mgr_live_at(om, k);

		prop_cat(buf, len, &used, "    %llu %s: %s, %s, qty %lld "
		    "filled %lld, oco %llu, parent %llu, %s%s\n",
		    (unsigned long long)o->id, order_role_name(o->role),
		    prop_otext(p, o->inst.i, o->side, o->qty - o->filled,
		    o->type, o->price, o->limit, t, sizeof t),
		    order_state_name(o->state), (long long)o->qty,
		    (long long)o->filled, (unsigned long long)o->oco,
		    (unsigned long long)o->parent,
		    engine_owner_name(p->e, o->owner),
		    o->cancel_pending ? ", cancel pending" : "");
	}
}

/* Where we are: "seed 0x12 sequence 3 step 40: sell 1 ES lmt 5010.25". */
static void
prop_where(const struct prop *p, char *buf, size_t len, size_t *used)
{
	prop_cat(buf, len, used, "; seed 0x%llx sequence %ld step %ld",
	    (unsigned long long)p->seed, p->seqno, p->step);
	if (p->child)
		prop_cat(buf, len, used, " (the crashing process's step %d)",
		    p->cstep);
	prop_cat(buf, len, used, ": %s", p->text);
}

/* Record a violation; the first one of a sequence stands. */
static void __attribute__((format(printf, 3, 4)))
prop_violate(struct prop *p, int inv, const char *fmt, ...)
{
	struct prop_shared	*sh = p->sh;
	size_t			 used = 0;
	va_list			 ap;

	if (sh->inv != 0)
		return;
	sh->inv = inv;
	prop_cat(sh->msg, sizeof sh->msg, &used, "I%d violated: ", inv);
	va_start(ap, fmt);
	prop_vcat(sh->msg, sizeof sh->msg, &used, fmt, ap);
	va_end(ap);
	prop_where(p, sh->msg, sizeof sh->msg, &used);
	sh->dump[0] = '\0';
	/* Before a recovery the engine is empty: prop_start dumps later. */
	if (p->e != NULL && !p->recovering)
		prop_dump(p, sh->dump, sizeof sh->dump);
}

/* The sequence running, for the watchdog. */
static struct prop	*prop_running;

/* TD_PROP_TRACE: each step, the engine's log and what it left. */
static bool		 prop_trace;
static bool		 prop_keep;	/* TD_PROP_KEEP */

static void
prop_log(void *arg, const struct log_line *line)
{
	(void)arg;
	fprintf(stderr, "    log %s %s: %s\n", log_level_name(line->level),
	    line->component, line->msg);
}

/*
 * SIGALRM: a step did not come back (the engine loops).  Say where and
 * end the process; a crashing child leaves the message to its parent.
 */
static void
prop_watchdog(int sig)
{
	struct prop	*p = prop_running;
	char		 msg[MSG_MAX];
	size_t		 used = 0;
	ssize_t		 n;

	(void)sig;
	prop_cat(msg, sizeof msg, &used, "no answer: a step ran for %d s "
	    "(an endless loop?)", STEP_SECONDS);
	if (p != NULL)
		prop_where(p, msg, sizeof msg, &used);
	if (p != NULL && p->child) {
		memcpy(p->sh->msg, msg, sizeof p->sh->msg);
		p->sh->msg[sizeof p->sh->msg - 1] = '\0';
		p->sh->harness = true;
		_exit(2);
	}
	prop_cat(msg, sizeof msg, &used, "\n");
	n = write(STDERR_FILENO, msg, used < sizeof msg ? used :
	    sizeof msg - 1);
	(void)n;
	_exit(1);
}

/* The test itself cannot go on (not an invariant): fail, or tell. */
static void __attribute__((format(printf, 2, 3), noreturn))
prop_harness(struct prop *p, const char *fmt, ...)
{
	char	 msg[MSG_MAX];
	size_t	 used = 0;
	va_list	 ap;

	va_start(ap, fmt);
	prop_vcat(msg, sizeof msg, &used, fmt, ap);
	va_end(ap);
	prop_where(p, msg, sizeof msg, &used);
	prop_cat(msg, sizeof msg, &used, " (files in %s)", p->dir);
	if (p->child) {
		snprintf(p->sh->msg, sizeof p->sh->msg, "%s", msg);
		p->sh->harness = true;
		_exit(2);
	}
	alarm(0);
	fail_msg("%s", msg);
	abort();	/* fail_msg does not return */
}

/* ------------------------------------------------------------ invariants */

/* A reduce-only order of inst that counts: live, no cancel pending. */
static bool
prop_reducing(const struct order *o, int inst)
{
	return o->inst.i == inst && o->role != ROLE_ENTRY &&
	    !o->cancel_pending;
}

static void
prop_check_inst(struct prop *p, int i)
{
	const struct order_mgr	*om = engine_orders(p->e);
	const struct risk_cfg	*rc = engine_risk_cfg(p->e);
	int64_t			 pos, abs, worst = 0, cover = 0;
	enum td_side		 closing;
	int			 n = order_mgr_live_count(om);
	char			 a[32], o1[160], ids[256], cids[256];
	size_t			 iu = 0, cu = 0;

	pos = portfolio_position(engine_portfolio(p->e), td_inst_at(i));
	abs = pos < 0 ? -pos : pos;
	closing = pos > 0 ? TD_SELL : TD_BUY;
	prop_pos(pos, a, sizeof a);
	ids[0] = cids[0] = '\0';

	/* I1: on the closing side only, and none when flat. */
	for (int k = 0; k < n; k++) {
		const struct order	*o = order_mgr_live_at(om, k);

		if (!prop_reducing(o, i))
			continue;
		if (pos == 0)
			prop_violate(p, 1, "%s flat, but %s is live",
			    prop_sym[i], prop_oname(p, o, o1, sizeof o1));
		else if (o->side != closing)
			prop_violate(p, 1, "%s %s, but %s would add to it",
			    prop_sym[i], a, prop_oname(p, o, o1, sizeof o1));
	}

	/* I2: the worst the exits could fill; an OCO group fills once. */
	for (int k = 0; k < n && pos != 0; k++) {
		const struct order	*o = order_mgr_live_at(om, k);
		int64_t			 most = 0;
		bool			 first = true;

		if (!prop_reducing(o, i) || o->side != closing)
			continue;
		prop_cat(ids, sizeof ids, &iu, "%s%llu", iu > 0 ? ", " : "",
		    (unsigned long long)o->id);
		if (o->oco == 0) {
			worst += o->qty - o->filled;
			continue;
		}
		for (int m = 0; m < n && first; m++) {
			const struct order	*q = order_mgr_live_at(om, m);

			if (!prop_reducing(q, i) || q->side != closing ||
			    q->oco != o->oco)
				continue;
			if (m < k)
				first = false;
			else if (q->qty - q->filled > most)
				most = q->qty - q->filled;
		}
		if (first)
			worst += most;
	}
	if (worst > abs)
		prop_violate(p, 2, "%s %s, exits could fill %lld (orders %s)",
		    prop_sym[i], a, (long long)worst, ids);

	/* I3: what was opened with a stop keeps one. */
	if (p->sh->need[i] > abs)
		p->sh->need[i] = abs;
	if (p->sh->need[i] > 0) {
		for (int k = 0; k < n; k++) {
			const struct order	*o = order_mgr_live_at(om, k);

			if (!prop_reducing(o, i) || o->side != closing ||
			    (o->type != ORD_STOP && !(o->role == ROLE_EXIT &&
			    o->type == ORD_MARKET)))
				continue;
			cover += o->qty - o->filled;
			prop_cat(cids, sizeof cids, &cu, "%s%llu",
			    cu > 0 ? ", " : "", (unsigned long long)o->id);
		}
		if (cover < p->sh->need[i])
			prop_violate(p, 3, "%s %s, %lld opened with a stop, "
			    "stops and market exits cover %lld (orders %s)",
			    prop_sym[i], a, (long long)p->sh->need[i],
			    (long long)cover, cu > 0 ? cids : "none");
	}

	/* I4: contracts. */
	if (rc->max_contracts > 0 && abs > rc->max_contracts)
		prop_violate(p, 4, "%s %s exceeds max_contracts %lld",
		    prop_sym[i], a, (long long)rc->max_contracts);
}

static void
prop_check(struct prop *p)
{
	const struct risk_cfg	*rc = engine_risk_cfg(p->e);
	int			 open = 0;
	char			 a[NINST][32];

	for (int i = 0; i < NINST; i++) {
		int64_t	 pos;

		pos = portfolio_position(engine_portfolio(p->e), td_inst_at(i));
		prop_check_inst(p, i);
		prop_pos(pos, a[i], sizeof a[i]);
		if (pos != 0)
			open++;
	}
	/* I4: positions. */
	if (rc->max_positions > 0 && open > rc->max_positions)
		prop_violate(p, 4, "%d instruments with a position (ES %s, "
		    "MES %s) exceed max_positions %d", open, a[0], a[1],
		    rc->max_positions);
}

/* ------------------------------------------------------------ observer */

/*
 * I3's requirement learns a fill of order id that left the position at
 * after: the contracts an entry with a stop opens or adds must stay
 * covered (unless the trader cancelled that entry's stop); a fill that
 * reduces the position takes as many off (whichever contracts it closed),
 * and a position that is gone or reversed starts again.
 */
static bool
prop_naked(const struct prop *p, uint64_t entry)
{
	int	 n = p->sh->nnaked < NAKED_MAX ? p->sh->nnaked : NAKED_MAX;

	for (int k = 0; k < n; k++) {
		if (p->sh->naked[k] == entry)
			return true;
	}
	return false;
}

static void
prop_learn(struct prop *p, uint64_t id, int inst, enum order_role role,
    int32_t stop_ticks, enum td_side side, int64_t qty, int64_t after)
{
	int64_t	 before = after - (side == TD_BUY ? qty : -qty);
	int64_t	 b = before < 0 ? -before : before;
	int64_t	 a = after < 0 ? -after : after;
	int64_t	*need = &p->sh->need[inst];

	if (after == 0 || (before < 0) != (after < 0))
		*need = 0;
	else if (a < b)
		*need = *need > b - a ? *need - (b - a) : 0;
	if (prop_naked(p, id))
		return;
	if (role == ROLE_ENTRY && stop_ticks > 0 && a > 0 &&
	    (before == 0 || (before < 0) != (after < 0)))
		*need += a;
	else if (role == ROLE_ENTRY && stop_ticks > 0 && a > b)
		*need += a - b;
}

static int
prop_observe(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	struct prop	*p = arg;
	bool		 fill, kill;
	int		 rc;

	p->nev++;
	kill = p->kill_at != 0 && p->nev == p->kill_at;
	fill = ev->kind == EEV_FILL && ev->order != NULL &&
	    td_inst_in(ev->inst, NINST);
	if (fill && ev->order->role != ROLE_ENTRY) {
		const struct order	*o = ev->order;
		int64_t			 pos, abs;
		char			 a[32], t[96];

		pos = portfolio_position(engine_portfolio(p->e), ev->inst) -
		    (ev->side == TD_BUY ? ev->qty : -ev->qty);
		abs = pos < 0 ? -pos : pos;
		if (pos == 0 || (pos > 0) == (ev->side == TD_BUY) ||
		    ev->qty > abs)
			prop_violate(p, 5, "%s %s, order %llu (%s, %s) fills "
			    "%lld: %s", prop_sym[ev->inst.i],
			    prop_pos(pos, a, sizeof a),
			    (unsigned long long)o->id,
			    order_role_name(o->role), prop_otext(p, o->inst.i,
			    o->side, o->qty, o->type, o->price, o->limit, t,
			    sizeof t),
			    (long long)ev->qty, pos == 0 ?
			    "opens a position" : (pos > 0) ==
			    (ev->side == TD_BUY) ? "adds to it" :
			    "crosses zero");
	}
	if (kill && p->kill_before)
		raise(SIGKILL);
	if (fill)
		prop_learn(p, ev->order->id, ev->inst.i, ev->order->role,
		    ev->order->br.stop_ticks, ev->side, ev->qty,
		    portfolio_position(engine_portfolio(p->e), ev->inst));
	rc = journal_observe(p->j, ev, err);
	if (kill)
		raise(SIGKILL);
	return rc;
}

/* ------------------------------------------------------------ setup */

static void
prop_draw_conf(struct prop *p)
{
	struct rng		*r = &p->rng;
	struct prop_conf	*c = &p->conf;

	c->bars = rng_below(r, 4) != 0;
	c->latency = rng_below(r, 2) == 0 ? 0 : 50 * 1000 * 1000;
	c->participation = rng_below(r, 4) != 0 ? 0 : c->bars ? 10 : 50;
	c->slippage = rng_below(r, 3) == 0 ? 1 : 0;
	c->path = rng_below(r, 2) == 0 ? SIM_STOP_FIRST : SIM_OHLC;
	c->max_contracts = rng_below(r, 4) == 0 ? 0 :
	    2 + (int64_t)rng_below(r, 5);
	c->max_positions = rng_below(r, 3) == 0 ? 1 : 0;
	c->max_trade_risk = rng_below(r, 2) == 0 ? 0 : 100000;
	for (int i = 0; i < NINST; i++)
		c->orb[i] = rng_below(r, 2) == 0;
	/* A third of the sequences trade one instrument, MES only fed. */
	c->ntraded = rng_below(r, 3) == 0 ? 1 : NINST;
	if (c->ntraded == 1)
		c->orb[1] = false;
	c->model = (enum fill_model)rng_below(r, FILL_NMODELS);
}

static void
prop_config(struct prop *p)
{
	struct engine_config	*cfg = &p->cfg;
	const struct prop_conf	*c = &p->conf;
	const struct strategy_ops *orb =
	    strat_registry_find(strat_registry_builtin(), "orb");
	struct instrument	*mes = &cfg->inst[1];

	fixture_config(cfg);
	cfg->unattended = false;
	cfg->ninst = NINST;
	*mes = cfg->inst[0];
	snprintf(mes->symbol, sizeof mes->symbol, "MES");
	mes->point_value = 500;			/* $5.00 */
	mes->commission = 35;
	instrument_init(mes, NULL);
	/* Room enough for any sequence, and cheap to make at each restart. */
	cfg->order_capacity = 256;
	fixture_venue_config(&p->vcfg);
	p->vcfg.max_orders = 256;
	p->vcfg.latency = c->latency;
	p->vcfg.participation_pct = c->participation;
	p->vcfg.slippage_ticks = c->slippage;
	p->vcfg.bar_path = c->path;
	p->vcfg.fill_model = c->model;
	cfg->risk.max_contracts = c->max_contracts;
	cfg->risk.max_positions = c->max_positions;
	cfg->risk.max_trade_risk = c->max_trade_risk;
	if (prop_trace) {
		cfg->log = prop_log;
		cfg->log_level = LOG_DEBUG;
	}
	cfg->nstrat = NINST;
	for (int i = 0; i < NINST; i++) {
		struct strategy_cfg	*sc = &cfg->strat[i];

		memset(sc, 0, sizeof *sc);
		snprintf(sc->name, sizeof sc->name, "%s", prop_strat[i]);
		snprintf(sc->type, sizeof sc->type, "orb");
		snprintf(sc->symbol, sizeof sc->symbol, "%s", prop_sym[i]);
		sc->enabled = c->orb[i];
		for (int k = 0; orb->params[k].name != NULL; k++)
			sc->params[k] = orb->params[k].def;
		/* A short range: it trades within a sequence. */
		sc->params[strat_param_index(orb,
		    "opening_range_minutes")] = 5;
	}
}

static void
prop_feed_open(struct prop *p, long nsteps)
{
	struct errmsg	 err;

	for (int i = 0; i < NINST; i++) {
		struct demo_cfg	 dc = {
			.seed = p->seed * 2 + (uint64_t)i,
			.year = 2024,
			.mon = 3,
			.mday = 11,
			.days = 3 + (int)(nsteps / 100),
			.output = p->conf.bars ? DEMO_BARS : DEMO_TICKS,
			.bar_minutes = 1,
			.start_price = (5000 + 10 * i) * TD_PX_SCALE,
			.ticks_per_sec = p->conf.bars ? 0.5 : 0.05,
			.inst = i,
			.instrument = &p->cfg.inst[i],
		};

		if ((p->feed.d[i] = demo_create(&dc, &err)) == NULL)
			prop_harness(p, "demo: %s", err.msg);
		p->feed.has[i] = demo_next(p->feed.d[i], &p->feed.next[i]) ==
		    1;
		if (instrument_ticks(&p->cfg.inst[i], dc.start_price,
		    &p->last[i], &err) == -1)
			prop_harness(p, "start price: %s", err.msg);
	}
}

static void
prop_feed_close(struct prop *p)
{
	for (int i = 0; i < NINST; i++) {
		demo_free(p->feed.d[i]);
		p->feed.d[i] = NULL;
	}
}

/* The next market event of either instrument, in time order. */
static bool
prop_feed_take(struct prop *p, struct td_md *md)
{
	struct prop_feed	*f = &p->feed;
	int			 best = -1;

	for (int i = 0; i < NINST; i++) {
		if (f->has[i] && (best == -1 || td_md_time(&f->next[i]) <
		    td_md_time(&f->next[best])))
			best = i;
	}
	if (best == -1)
		return false;
	*md = f->next[best];
	f->has[best] = demo_next(f->d[best], &f->next[best]) == 1;
	p->last[best] = md->kind == TD_MD_BAR ? md->bar.close :
	    md->tick.price;
	p->seen[best] = true;
	return true;
}

/* Drop what the market did up to t (a crashed process saw it). */
static void
prop_feed_skip(struct prop *p, td_ns t)
{
	struct prop_feed	*f = &p->feed;

	for (int i = 0; i < NINST; i++) {
		while (f->has[i] && td_md_time(&f->next[i]) <= t) {
			const struct td_md	*md = &f->next[i];

			p->last[i] = md->kind == TD_MD_BAR ? md->bar.close :
			    md->tick.price;
			f->has[i] = demo_next(f->d[i], &f->next[i]) == 1;
		}
	}
}

/* ------------------------------------------------------------ restarts */

/* How a session starts. */
enum prop_from {
	PF_FRESH,		/* nothing to recover */
	PF_CLEAN,		/* the files the last session left */
	PF_CRASH,		/* those of a process that died */
	PF_OLDER,		/* a journal restored from an older backup,
				   the venue's book of the present */
};

/* An order the journal knows, as it last wrote it. */
struct prop_jord {
	uint64_t		 id;
	int			 inst;
	enum td_side		 side;
	enum order_type		 type;
	enum order_role		 role;
	int32_t			 stop_ticks;
};

/* A fill of the journal (not voided) or a position row, for matching. */
struct prop_jfill {
	int64_t			 seq;
	int64_t			 session;
	uint64_t		 order;
	int64_t			 filled;	/* the order's, after */
	int			 inst;
	enum td_side		 side;
	int64_t			 qty;
	enum order_role		 role;
	bool			 is_pos;	/* a position row: in qty */
};

/* What the files say around a restart. */
struct prop_books {
	struct prop_jord	*jo;		/* by id */
	size_t			 njo, capjo;
	struct prop_jfill	*jf;
	size_t			 njf, capjf;
	struct venue_exec	*vf;
	size_t			 nvf, capvf;
	struct venue_status	*vw;
	size_t			 nvw, capvw;
	int64_t			 session;	/* the restart's */
	bool			 oom;
};

static int
prop_inst(const char *symbol, int fallback)
{
	for (int i = 0; i < NINST; i++) {
		if (strcmp(symbol, prop_sym[i]) == 0)
			return i;
	}
	return fallback;
}

/* The first order with an id at or above id. */
static size_t
prop_jo_at(const struct prop_books *b, uint64_t id)
{
	size_t	 lo = 0, hi = b->njo;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (b->jo[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct prop_jord *
prop_jo_find(const struct prop_books *b, uint64_t id)
{
	size_t	 at = prop_jo_at(b, id);

	return at < b->njo && b->jo[at].id == id ? &b->jo[at] : NULL;
}

static int
prop_on_jorder(void *arg, const struct journal_order *r)
{
	struct prop_books	*b = arg;
	size_t			 at = prop_jo_at(b, r->order.id);

	if (at == b->njo || b->jo[at].id != r->order.id) {
		if (array_grow(&b->jo, &b->capjo, b->njo, sizeof *b->jo) == -1) {
			b->oom = true;
			return 1;
		}
		memmove(&b->jo[at + 1], &b->jo[at], (b->njo - at) *
		    sizeof *b->jo);
		b->njo++;
	}
	b->jo[at] = (struct prop_jord){
		.id = r->order.id,
		.inst = prop_inst(r->symbol, r->order.inst.i),
		.side = r->order.side,
		.type = r->order.type,
		.role = r->order.role,
		.stop_ticks = r->order.br.stop_ticks,
	};
	return 0;
}

static int
prop_on_jfill(void *arg, const struct journal_fill *f)
{
	struct prop_books	*b = arg;

	if (array_grow(&b->jf, &b->capjf, b->njf, sizeof *b->jf) == -1) {
		b->oom = true;
		return 1;
	}
	b->jf[b->njf++] = (struct prop_jfill){
		.seq = f->seq,
		.session = f->session,
		.order = f->order_id,
		.filled = f->order_filled,
		.inst = prop_inst(f->symbol, f->inst),
		.side = f->side,
		.qty = f->qty,
		.role = f->role,
	};
	return 0;
}

/* Position rows of the restart's own session (fills taken from the venue). */
static int
prop_on_jpos(void *arg, const struct journal_position *r)
{
	struct prop_books	*b = arg;

	if (r->session != b->session)
		return 0;
	if (array_grow(&b->jf, &b->capjf, b->njf, sizeof *b->jf) == -1) {
		b->oom = true;
		return 1;
	}
	b->jf[b->njf++] = (struct prop_jfill){
		.seq = r->seq,
		.session = r->session,
		.inst = prop_inst(r->symbol, r->inst),
		.qty = r->position,
		.is_pos = true,
	};
	return 0;
}

static int
prop_on_vfill(void *arg, const struct venue_exec *f)
{
	struct prop_books	*b = arg;

	if (f->order_id == 0)
		return 0;	/* a position carried in, no fill */
	if (array_grow(&b->vf, &b->capvf, b->nvf, sizeof *b->vf) == -1) {
		b->oom = true;
		return 1;
	}
	b->vf[b->nvf++] = *f;
	return 0;
}

static int
prop_on_vorder(void *arg, const struct venue_status *w)
{
	struct prop_books	*b = arg;

	if (array_grow(&b->vw, &b->capvw, b->nvw, sizeof *b->vw) == -1) {
		b->oom = true;
		return 1;
	}
	b->vw[b->nvw++] = *w;
	return 0;
}

static void
prop_books_free(struct prop_books *b)
{
	free(b->jo);
	free(b->jf);
	free(b->vf);
	free(b->vw);
}

static int
prop_key_cmp(uint64_t a, int64_t af, uint64_t b, int64_t bf)
{
	if (a != b)
		return a < b ? -1 : 1;
	return (af > bf) - (af < bf);
}

static int
prop_jf_cmp(const void *x, const void *y)
{
	const struct prop_jfill	*a = x, *b = y;

	return prop_key_cmp(a->order, a->filled, b->order, b->filled);
}

static int
prop_seq_cmp(const void *x, const void *y)
{
	const struct prop_jfill	*a = x, *b = y;

	return (a->seq > b->seq) - (a->seq < b->seq);
}

static int
prop_vf_cmp(const void *x, const void *y)
{
	const struct venue_exec		*a = x, *b = y;

	return prop_key_cmp(a->order_id, a->order_filled, b->order_id,
	    b->order_filled);
}

/*
 * Before the recovery, the files as the last process left them: the
 * journal's orders and the venue's book (asked as a second reader).  I7:
 * every order the venue knows is in the journal, as the venue has it.
 */
static void
prop_before_recovery(struct prop *p, struct prop_books *b, enum prop_from from)
{
	struct venue		*v;
	struct errmsg		 err;
	char			 t[96], u[96];

	if (journal_read_orders(p->j, 0, 0, prop_on_jorder, b, &err) == -1)
		prop_harness(p, "journal orders: %s", err.msg);
	if ((v = venue_sim_create(&p->vcfg, &err)) == NULL ||
	    venue_sim_open_book(v, p->book, &err) == -1 ||
	    v->ops->executions(v->ctx, 0, prop_on_vfill, b, &err) == -1 ||
	    v->ops->mass_status(v->ctx, prop_on_vorder, b, &err) == -1) {
		venue_sim_free(v);
		prop_harness(p, "venue book: %s", err.msg);
	}
	venue_sim_free(v);
	if (b->oom)
		prop_harness(p, "out of memory");
	/* An older journal is behind the venue on purpose. */
	if (from == PF_OLDER)
		return;

	for (size_t i = 0; i < b->nvw; i++) {
		const struct venue_order	*w = &b->vw[i].order;
		const struct prop_jord		*o;

		o = prop_jo_find(b, w->id);
		prop_otext(p, w->inst, w->side, b->vw[i].leaves, w->type,
		    w->price, w->limit, t, sizeof t);
		if (o == NULL && w->oco != 0)
			prop_violate(p, 7, "order %llu (%s, oco %llu) is "
			    "working at the venue, the journal does not know "
			    "it",
			    (unsigned long long)w->id, t,
			    (unsigned long long)w->oco);
		else if (o == NULL)
			prop_violate(p, 7, "order %llu (%s) is working at the "
			    "venue, the journal does not know it",
			    (unsigned long long)w->id, t);
		else if (o->inst != w->inst || o->side != w->side ||
		    o->type != w->type)
			prop_violate(p, 7, "order %llu is %s at the venue, "
			    "%s in the journal", (unsigned long long)w->id, t,
			    prop_otext(p, o->inst, o->side, b->vw[i].leaves,
			    o->type, w->price, w->limit, u, sizeof u));
	}
	for (size_t i = 0; i < b->nvf; i++) {
		const struct venue_exec		*f = &b->vf[i];
		const struct prop_jord		*o;

		o = prop_jo_find(b, f->order_id);
		if (o == NULL)
			prop_violate(p, 7, "order %llu filled at the venue "
			    "(%s %lld %s), the journal does not know it",
			    (unsigned long long)f->order_id,
			    f->side == TD_BUY ? "bought" : "sold",
			    (long long)f->qty, prop_symbol(f->inst));
		else if (o->inst != f->inst || o->side != f->side)
			prop_violate(p, 7, "order %llu filled at the venue "
			    "(%s %s), the journal has it %s %s",
			    (unsigned long long)f->order_id,
			    f->side == TD_BUY ? "buy" : "sell",
			    prop_symbol(f->inst), o->side == TD_BUY ? "buy" :
			    "sell", prop_symbol(o->inst));
	}
}

/*
 * After the recovery.  I6: the positions are the venue's, the journal has
 * the venue's fills once each and none other, nothing protects a flat
 * position.  Then I3's requirements learn the fills the recovery took
 * from the venue (the journal's rows of the new session).
 */
static void
prop_after_recovery(struct prop *p, struct prop_books *b, enum prop_from from)
{
	const struct engine_recovery	*rec = &p->rec;
	const struct order_mgr		*om = engine_orders(p->e);
	struct errmsg			 err;
	int64_t				 vpos[NINST] = { 0 };
	size_t				 a = 0, k = 0, njf;
	char				 t[160], x[32], y[32];
	/* A crash, and a backup taken mid-session, left no clean end. */
	bool				 died = from != PF_CLEAN;
	const char			*how = from == PF_CRASH ? "crash's" :
					    from == PF_OLDER ?
					    "restored journal's" : "clean";

	b->session = rec->session;
	if (journal_read_fills(p->j, 0, 0, prop_on_jfill, b, &err) == -1)
		prop_harness(p, "journal fills: %s", err.msg);
	if (b->oom)
		prop_harness(p, "out of memory");
	njf = b->njf;

	if (rec->unknown_fills > 0)
		prop_violate(p, 6, "the journal had %d fill%s the venue never "
		    "made", rec->unknown_fills,
		    rec->unknown_fills == 1 ? "" : "s");
	if (died != (rec->unclean == 1))
		prop_violate(p, 6, "a %s restart took the session for one "
		    "that %s", how, died ? "ended cleanly" : "died");
	if (died && engine_state(p->e) < TS_HALTED)
		prop_violate(p, 6, "the %s restart is %s, not HALTED", how,
		    trading_state_name(engine_state(p->e)));
	if (from == PF_CLEAN && (rec->missing_fills > 0 ||
	    rec->mismatches > 0))
		prop_violate(p, 6, "a clean restart found %d fill%s of the "
		    "venue missing from the journal, %d position%s apart",
		    rec->missing_fills, rec->missing_fills == 1 ? "" : "s",
		    rec->mismatches, rec->mismatches == 1 ? "" : "s");

	/* The journal's fills against the venue's, by order and filled. */
	if (njf > 0)
		qsort(b->jf, njf, sizeof *b->jf, prop_jf_cmp);
	if (b->nvf > 0)
		qsort(b->vf, b->nvf, sizeof *b->vf, prop_vf_cmp);
	while (a < njf || k < b->nvf) {
		int	 c = a == njf ? 1 : k == b->nvf ? -1 :
			    prop_key_cmp(b->jf[a].order, b->jf[a].filled,
			    b->vf[k].order_id, b->vf[k].order_filled);

		if (c == 0 && a > 0 && prop_key_cmp(b->jf[a - 1].order,
		    b->jf[a - 1].filled, b->jf[a].order,
		    b->jf[a].filled) == 0)
			prop_violate(p, 6, "the journal has the fill of order "
			    "%llu up to %lld twice",
			    (unsigned long long)b->jf[a].order,
			    (long long)b->jf[a].filled);
		if (c == 0 && (b->jf[a].qty != b->vf[k].qty ||
		    b->jf[a].side != b->vf[k].side))
			prop_violate(p, 6, "the journal has the fill of order "
			    "%llu up to %lld as %lld, the venue as %lld",
			    (unsigned long long)b->jf[a].order,
			    (long long)b->jf[a].filled,
			    (long long)b->jf[a].qty, (long long)b->vf[k].qty);
		if (c < 0 && (k == 0 || prop_key_cmp(b->jf[a].order,
		    b->jf[a].filled, b->vf[k - 1].order_id,
		    b->vf[k - 1].order_filled) != 0))
			prop_violate(p, 6, "the journal has a fill of order "
			    "%llu (up to %lld) the venue never made",
			    (unsigned long long)b->jf[a].order,
			    (long long)b->jf[a].filled);
		else if (c < 0)
			prop_violate(p, 6, "the journal has the fill of order "
			    "%llu up to %lld twice",
			    (unsigned long long)b->jf[a].order,
			    (long long)b->jf[a].filled);
		if (c > 0)
			prop_violate(p, 6, "the venue's fill %llu of order "
			    "%llu (%s %lld %s) is not in the journal",
			    (unsigned long long)b->vf[k].exec,
			    (unsigned long long)b->vf[k].order_id,
			    b->vf[k].side == TD_BUY ? "bought" : "sold",
			    (long long)b->vf[k].qty,
			    prop_symbol(b->vf[k].inst));
		if (c <= 0)
			a++;
		if (c >= 0)
			k++;
	}
	for (size_t i = 0; i < b->nvf; i++) {
		if (b->vf[i].inst >= 0 && b->vf[i].inst < NINST)
			vpos[b->vf[i].inst] += b->vf[i].side == TD_BUY ?
			    b->vf[i].qty : -b->vf[i].qty;
	}
	for (int i = 0; i < NINST; i++) {
		int64_t	 pos;

		pos = portfolio_position(engine_portfolio(p->e), td_inst_at(i));
		if (pos != vpos[i])
			prop_violate(p, 6, "%s rebuilt %s, the venue's is %s",
			    prop_sym[i], prop_pos(pos, x, sizeof x),
			    prop_pos(vpos[i], y, sizeof y));
		if (pos != 0)
			continue;
		for (int m = 0; m < order_mgr_live_count(om); m++) {
			const struct order	*o = order_mgr_live_at(om, m);

			if (prop_reducing(o, i))
				prop_violate(p, 6, "%s flat after the restart, "
				    "but %s is live", prop_sym[i],
				    prop_oname(p, o, t, sizeof t));
		}
	}

	/*
	 * I3's requirements: the fills the journal took from the venue now
	 * (this session's rows, with their position rows), in order.  Those
	 * an older journal lacked were seen when they happened: the
	 * requirements are the present's already.
	 */
	if (from == PF_OLDER)
		return;
	b->njf = 0;
	if (journal_read_fills(p->j, 0, 0, prop_on_jfill, b, &err) == -1 ||
	    journal_read_positions(p->j, 0, 0, prop_on_jpos, b, &err) == -1)
		prop_harness(p, "journal: %s", err.msg);
	if (b->oom)
		prop_harness(p, "out of memory");
	if (b->njf > 0)
		qsort(b->jf, b->njf, sizeof *b->jf, prop_seq_cmp);
	for (size_t i = 0; i < b->njf; i++) {
		const struct prop_jfill	*f = &b->jf[i];
		const struct prop_jord	*o = prop_jo_find(b, f->order);
		int64_t			 after;
		size_t			 r;

		if (f->is_pos || f->session != b->session || f->inst < 0 ||
		    f->inst >= NINST)
			continue;
		/* Its position row follows it. */
		for (r = i + 1; r < b->njf && !(b->jf[r].is_pos &&
		    b->jf[r].inst == f->inst); r++)
			continue;
		after = r < b->njf ? b->jf[r].qty :
		    portfolio_position(engine_portfolio(p->e),
		    td_inst_at(f->inst));
		prop_learn(p, f->order, f->inst, f->role, o != NULL ?
		    o->stop_ticks : 0, f->side, f->qty, after);
	}
}

/*
 * A session: a new engine recovered from the journal and the venue's book
 * (nothing to recover the first time), with the observer in front of the
 * journal.
 */
static void
prop_start(struct prop *p, enum prop_from from)
{
	struct journal_session_info	 info = { .mode = "paper" };
	struct prop_books		 b;
	struct errmsg			 err;

	memset(&b, 0, sizeof b);
	if ((p->e = fixture_engine_book(&p->cfg, &p->vcfg, p->book,
	    &err)) == NULL)
		prop_harness(p, "engine: %s", err.msg);
	if ((p->j = journal_open(p->journal, JOURNAL_CREATE, &err)) == NULL)
		prop_harness(p, "journal: %s", err.msg);
	p->recovering = true;
	if (from != PF_FRESH)
		prop_before_recovery(p, &b, from);
	if (engine_recover(p->e, p->j, &info, &p->rec, &err) == -1) {
		prop_books_free(&b);
		prop_harness(p, "recovery: %s", err.msg);
	}
	p->recovering = false;
	if (p->sh->inv != 0 && p->sh->dump[0] == '\0')
		prop_dump(p, p->sh->dump, sizeof p->sh->dump);
	/* The journal as the recorder, watched by the invariants. */
	engine_observer_remove(p->e, journal_observe, p->j);
	if (engine_observer_add(p->e, &(struct engine_observer){
	    .fn = prop_observe, .arg = p, .mask = EEV_BOOKS, .record = true },
	    &err) == -1)
		prop_harness(p, "observer: %s", err.msg);
	if (from != PF_FRESH)
		prop_after_recovery(p, &b, from);
	prop_books_free(&b);
}

static void
prop_stop(struct prop *p)
{
	engine_free(p->e);
	journal_close(p->j);
	p->e = NULL;
	p->j = NULL;
}

/* ------------------------------------------------------------ steps */

static void
prop_replay(struct prop *p, int n)
{
	struct td_md	 md;
	struct errmsg	 err;

	for (int k = 0; k < n && p->sh->inv == 0 && prop_feed_take(p, &md);
	    k++) {
		if (engine_on_market(p->e, &md, &err) == -1)
			prop_harness(p, "market event: %s", err.msg);
	}
}

/*
 * A bracket for an entry, drawn: none, a stop and a target, a stop or a
 * target alone, a scale-out with breakeven or a trailing stop, or the
 * configuration's template; its words go to text.
 */
static void
prop_bracket(struct prop *p, struct bracket *br, char *text, size_t len,
    size_t *used)
{
	struct rng		*r = &p->rng;
	const struct bracket	*atm;
	uint64_t		 kind = rng_below(r, 20);
	int32_t			 stop, target;

	stop = 4 * (1 + (int32_t)rng_below(r, 3));
	target = 8 * (1 + (int32_t)rng_below(r, 3));
	*br = (struct bracket){ .stop_ticks = 0 };
	if (kind < 8)
		return;
	if (kind < 14)
		*br = (struct bracket){ .stop_ticks = stop, .ntargets = 1,
		    .target_ticks = { target } };
	else if (kind < 16)
		*br = (struct bracket){ .stop_ticks = stop };
	else if (kind < 17)
		*br = (struct bracket){ .ntargets = 1,
		    .target_ticks = { target } };
	else if (kind < 19) {
		*br = (struct bracket){ .stop_ticks = stop, .ntargets = 2,
		    .target_ticks = { 8, 8 + target }, .target_qty = { 1, 1 } };
		if (rng_below(r, 2) == 0) {
			br->be_trigger = 8;
			br->be_offset = 1;
		} else {
			br->trail_trigger = 8;
			br->trail_step = 2;
			br->trail_dist = 6;
		}
	} else if ((atm = engine_atm(p->e, "scalp")) != NULL) {
		*br = *atm;
		prop_cat(text, len, used, " atm scalp");
		return;
	}
	if (br->stop_ticks > 0)
		prop_cat(text, len, used, " stop %d", br->stop_ticks);
	for (int k = 0; k < br->ntargets; k++)
		prop_cat(text, len, used, "%s %d", k == 0 ? " target" : "",
		    br->target_ticks[k]);
	if (br->be_trigger > 0)
		prop_cat(text, len, used, " breakeven %d+%d", br->be_trigger,
		    br->be_offset);
	if (br->trail_trigger > 0)
		prop_cat(text, len, used, " trail %d/%d/%d", br->trail_trigger,
		    br->trail_step, br->trail_dist);
}

static void
prop_order(struct prop *p)
{
	struct rng		*r = &p->rng;
	static const enum order_type types[] = {
		ORD_MARKET, ORD_MARKET, ORD_MARKET, ORD_LIMIT, ORD_LIMIT,
		ORD_LIMIT, ORD_STOP, ORD_STOP, ORD_STOP, ORD_STOP_LIMIT,
	};
	static const char *const tifs[] = { "", " day", " ioc" };
	int			 inst = (int)rng_below(r, p->conf.ntraded);
	enum td_side		 side = rng_below(r, 2) == 0 ? TD_BUY :
				    TD_SELL;
	enum order_type		 type = types[rng_below(r, 10)];
	int64_t			 qty = 1 + (int64_t)rng_below(r, 4);
	uint64_t		 t10 = rng_below(r, 10), id;
	enum order_tif		 tif = t10 == 0 ? TIF_DAY : t10 == 1 ?
				    TIF_IOC : TIF_GTC;
	td_ticks		 price = 0, limit = 0;
	struct manual_order	 m;
	struct bracket		 br;
	struct errmsg		 err;
	size_t			 used = 0;
	char			 t[96];

	if (type != ORD_MARKET) {
		price = p->last[inst] + (td_ticks)rng_below(r, 25) - 12;
		if (price < 1)
			price = 1;
	}
	if (type == ORD_STOP_LIMIT)
		limit = price + side * (td_ticks)rng_below(r, 5);
	prop_cat(p->text, sizeof p->text, &used, "%s%s", prop_otext(p, inst,
	    side, qty, type, price, limit, t, sizeof t), tifs[tif]);
	prop_bracket(p, &br, p->text, sizeof p->text, &used);
	m = (struct manual_order){
		.inst = td_inst_at(inst),
		.side = side,
		.type = type,
		.qty = qty,
		.price = price,
		.limit = limit,
		.tif = tif,
		.br = br,
	};
	engine_note_command(p->e, p->text);
	/* A refusal is an answer too. */
	(void)engine_manual_order(p->e, &m, &id, &err);
}

/*
 * Two entries as one OCO pair: a breakout either way (stops on both sides
 * of the market) or a fade (limits), each with its own bracket.
 */
static void
prop_oco(struct prop *p)
{
	struct rng		*r = &p->rng;
	int			 inst = (int)rng_below(r, p->conf.ntraded);
	enum order_type		 type = rng_below(r, 2) == 0 ? ORD_STOP :
				    ORD_LIMIT;
	struct manual_order	 m[2];
	struct errmsg		 err;
	size_t			 used = 0;
	uint64_t		 ids[2];
	char			 t[96];

	prop_cat(p->text, sizeof p->text, &used, "oco");
	for (int k = 0; k < 2; k++) {
		enum td_side	 side = k == 0 ? TD_BUY : TD_SELL;
		int64_t		 qty = 1 + (int64_t)rng_below(r, 3);
		td_ticks	 away = 1 + (td_ticks)rng_below(r, 8);
		td_ticks	 price;

		/* A buy stop above, a buy limit below; a sell mirrors it. */
		price = p->last[inst] + (type == ORD_STOP ? side : -side) *
		    away;
		if (price < 1)
			price = 1;
		prop_cat(p->text, sizeof p->text, &used, "%s %s", k == 0 ?
		    "" : " /", prop_otext(p, inst, side, qty, type, price, 0,
		    t, sizeof t));
		m[k] = (struct manual_order){
			.inst = td_inst_at(inst),
			.side = side,
			.type = type,
			.qty = qty,
			.price = price,
		};
		prop_bracket(p, &m[k].br, p->text, sizeof p->text, &used);
	}
	engine_note_command(p->e, p->text);
	(void)engine_manual_oco(p->e, m, ids, &err);
}

/* Turn a position around, with a new bracket or the old one. */
static void
prop_reverse(struct prop *p)
{
	int		 inst = (int)rng_below(&p->rng, p->conf.ntraded);
	struct bracket	 br;
	struct errmsg	 err;
	size_t		 used = 0;
	uint64_t	 id;

	prop_cat(p->text, sizeof p->text, &used, "reverse %s",
	    prop_sym[inst]);
	prop_bracket(p, &br, p->text, sizeof p->text, &used);
	engine_note_command(p->e, p->text);
	(void)engine_reverse(p->e, td_inst_at(inst), br.stop_ticks > 0 ||
	    br.ntargets > 0 ? &br : NULL, &id, &err);
}

static const struct order *
prop_live(const struct prop *p, uint64_t id)
{
	const struct order_mgr	*om = engine_orders(p->e);

	for (int k = 0; k < order_mgr_live_count(om); k++) {
		if (order_mgr_live_at(om, k)->id == id)
			return order_mgr_live_at(om, k);
	}
	return NULL;
}

/*
 * The orders covering for I3 that a cancel of id (0: all) may take away;
 * kept in the shared memory while the cancel runs, so that a crash in the
 * middle of it lifts them too (prop_lift after the recovery).
 */
static void
prop_lift_note(struct prop *p, uint64_t id)
{
	const struct order_mgr	*om = engine_orders(p->e);
	struct prop_shared	*sh = p->sh;

	sh->nlift = 0;
	for (int k = 0; k < order_mgr_live_count(om) && sh->nlift < LIFT_MAX;
	    k++) {
		const struct order	*o = order_mgr_live_at(om, k);

		if ((id != 0 && o->id != id) || o->role == ROLE_ENTRY ||
		    o->cancel_pending || !td_inst_in(o->inst, NINST) ||
		    (o->type != ORD_STOP && !(o->role == ROLE_EXIT &&
		    o->type == ORD_MARKET)))
			continue;
		sh->lift[sh->nlift++] = (struct prop_lift){ .id = o->id,
		    .parent = o->role == ROLE_STOP ? o->parent : 0,
		    .inst = o->inst.i, .qty = o->qty - o->filled };
	}
}

/*
 * The trader took a stop or a market exit away: what it covered goes
 * without, and so does what its entry fills later.
 */
static void
prop_lift(struct prop *p)
{
	struct prop_shared	*sh = p->sh;

	for (int k = 0; k < sh->nlift; k++) {
		const struct prop_lift	*l = &sh->lift[k];
		const struct order	*o = prop_live(p, l->id);
		int64_t			*need = &sh->need[l->inst];

		if (o != NULL && !o->cancel_pending)
			continue;
		*need = *need > l->qty ? *need - l->qty : 0;
		if (l->parent != 0)
			sh->naked[sh->nnaked++ % NAKED_MAX] = l->parent;
	}
	sh->nlift = 0;
}

static void
prop_cancel(struct prop *p)
{
	const struct order_mgr	*om = engine_orders(p->e);
	int			 n = order_mgr_live_count(om);
	uint64_t		 id = 0;
	struct errmsg		 err;

	if (n > 0 && rng_below(&p->rng, 5) != 0)
		id = order_mgr_live_at(om, (int)rng_below(&p->rng,
		    (uint64_t)n))->id;
	if (id == 0)
		snprintf(p->text, sizeof p->text, "cancel all");
	else
		snprintf(p->text, sizeof p->text, "cancel %llu",
		    (unsigned long long)id);
	engine_note_command(p->e, p->text);
	prop_lift_note(p, id);
	if (engine_cancel(p->e, id, &err) == -1)
		p->sh->nlift = 0;
	else
		prop_lift(p);
}

static void
prop_move(struct prop *p)
{
	const struct order_mgr	*om = engine_orders(p->e);
	const struct order	*o;
	int			 n = 0;
	uint64_t		 ids[256];
	td_ticks		 price;
	struct errmsg		 err;
	char			 px[32];

	for (int k = 0; k < order_mgr_live_count(om) && n < 256; k++) {
		o = order_mgr_live_at(om, k);
		if (o->type != ORD_MARKET && !o->cancel_pending)
			ids[n++] = o->id;
	}
	if (n == 0) {
		snprintf(p->text, sizeof p->text, "move: no order to move");
		return;
	}
	o = prop_live(p, ids[rng_below(&p->rng, (uint64_t)n)]);
	price = p->last[o->inst.i] + (td_ticks)rng_below(&p->rng, 21) - 10;
	if (price < 1)
		price = 1;
	snprintf(p->text, sizeof p->text, "move %llu %s",
	    (unsigned long long)o->id,
	    instrument_format(&p->cfg.inst[o->inst.i], price, px, sizeof px));
	engine_note_command(p->e, p->text);
	(void)engine_move(p->e, o->id, price, &err);
}

static void
prop_flatten(struct prop *p)
{
	int	 inst = (int)rng_below(&p->rng, p->conf.ntraded + 1) - 1;

	snprintf(p->text, sizeof p->text, "flatten %s", inst == -1 ? "all" :
	    prop_sym[inst]);
	engine_note_command(p->e, p->text);
	(void)engine_flatten(p->e, inst == -1 ? td_inst_all() :
	    td_inst_only(td_inst_at(inst)), "flatten");
}

static void
prop_state(struct prop *p, enum trading_state to, const char *what)
{
	struct errmsg	 err;

	snprintf(p->text, sizeof p->text, "%s", what);
	engine_note_command(p->e, p->text);
	(void)engine_set_state(p->e, to, "trader", what, &err);
}

static void
prop_strategy(struct prop *p)
{
	int		 i = (int)rng_below(&p->rng, p->conf.ntraded);
	bool		 on = rng_below(&p->rng, 2) == 0;
	struct errmsg	 err;

	snprintf(p->text, sizeof p->text, "strategy %s %s", on ? "enable" :
	    "disable", prop_strat[i]);
	engine_note_command(p->e, p->text);
	(void)engine_strategy_enable(p->e, prop_strat[i], on, &err);
}

/* A clean end (as session_free makes it), then a new session. */
static void
prop_restart(struct prop *p)
{
	struct errmsg	 err;

	snprintf(p->text, sizeof p->text, "restart");
	p->sh->restarts++;
	engine_free(p->e);
	p->e = NULL;
	if (journal_end(p->j, (td_ns)time(NULL) * TD_NS_PER_SEC, &err) == -1)
		prop_harness(p, "journal end: %s", err.msg);
	prop_stop(p);
	prop_start(p, PF_CLEAN);
}

/* Nothing to wait for between the steps of a copy. */
static void
prop_no_pause(void *arg, int ms)
{
	(void)arg;
	(void)ms;
}

/*
 * A backup of the journal while the session runs, for a later restore
 * (the venue's book copied beside it is never used).
 */
static void
prop_backup(struct prop *p)
{
	struct jbackup_pace	 pace = { .pages = JBACKUP_PAGES,
				    .restarts = JBACKUP_RESTARTS,
				    .pause = prop_no_pause };
	struct jbackup_opts	 opts = { .force = true, .pace = &pace };
	struct jbackup_result	 res;
	struct errmsg		 err;

	snprintf(p->text, sizeof p->text, "back up the journal");
	if (jbackup_take(p->journal, p->backup, &opts, &res, &err) == -1)
		prop_harness(p, "backup: %s", err.msg);
	p->backup_step = p->step;
}

/*
 * The session ends, the backup is restored in place of its journal and a
 * session starts on it: the journal is some steps behind the venue's
 * book, which is the present's.  Without a backup yet, one is taken.
 * The restore is `journal restore`'s: the backup is verified (its
 * integrity and a replay of its fills against its records) before it goes
 * in place, and the journal it replaces is kept aside.
 */
static void
prop_restore(struct prop *p)
{
	struct jbackup_restored	 r;
	struct errmsg		 err;

	if (p->backup_step == 0) {
		prop_backup(p);
		return;
	}
	snprintf(p->text, sizeof p->text, "restore the journal of step %ld",
	    p->backup_step);
	p->sh->restores++;
	prop_stop(p);
	/* The aside's dated name: one second per step, never taken. */
	if (jbackup_restore(p->backup, p->journal, PROP_ASIDE_EPOCH + p->step,
	    &r, &err) == -1)
		prop_violate(p, 6, "restore: %s", err.msg);
	p->backup_step = 0;
	prop_start(p, PF_OLDER);
}

/*
 * After a crash the restart comes up HALTED; the trader looks and resumes
 * what it halted for the crash alone (not a halt of their own, nor one
 * for a discrepancy with the venue).
 */
static void
prop_resume_after_crash(struct prop *p)
{
	struct snapshot	*s;
	struct errmsg	 err;

	if ((s = snapshot_create(NULL, &err)) == NULL)
		prop_harness(p, "snapshot: %s", err.msg);
	fixture_snapshot(p->e, s);
	if (strcmp(s->state_who, "restart") == 0) {
		engine_note_command(p->e, "resume");
		(void)engine_set_state(p->e, TS_ACTIVE, "trader", "resume",
		    &err);
	}
	snapshot_free(s);
}

static void	prop_step(struct prop *, bool);

/* The crashing process: it never returns. */
static void __attribute__((noreturn))
prop_child(struct prop *p, uint64_t seed, int64_t kill_at, bool before,
    int nsteps)
{
	p->child = true;
	rng_seed(&p->rng, seed);
	p->nev = 0;
	p->kill_at = kill_at;
	p->kill_before = before;
	for (p->cstep = 1; p->cstep <= nsteps; p->cstep++) {
		alarm(STEP_SECONDS);
		prop_step(p, false);
		if (p->sh->inv == 0)
			prop_check(p);
		if (p->sh->inv != 0)
			_exit(1);
	}
	/* Never killed: it dies between two events. */
	_exit(0);
}

static void
prop_crash(struct prop *p)
{
	uint64_t	 seed = rng_next(&p->rng);
	int64_t		 kill_at = 1 + (int64_t)rng_below(&p->rng,
			    KILL_WITHIN);
	bool		 before = rng_below(&p->rng, 2) == 0;
	int		 nsteps = 1 + (int)rng_below(&p->rng, CHILD_STEPS);
	int		 status;
	pid_t		 pid;
	char		 text[sizeof p->text];

	snprintf(text, sizeof text, "crash: killed %s journal event %lld "
	    "within %d steps", before ? "before" : "after",
	    (long long)kill_at, nsteps);
	snprintf(p->text, sizeof p->text, "%s", text);
	fflush(NULL);
	if ((pid = fork()) == -1)
		prop_harness(p, "fork: %s", strerror(errno));
	if (pid == 0)
		prop_child(p, seed, kill_at, before, nsteps);
	/* Its own watchdog speaks first. */
	alarm((CHILD_STEPS + 1) * STEP_SECONDS);
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			prop_harness(p, "waitpid: %s", strerror(errno));
	}
	if (p->sh->harness) {
		alarm(0);
		fail_msg("%s", p->sh->msg);
	}
	alarm(STEP_SECONDS);
	if (p->sh->inv != 0)
		return;		/* the child's violation */
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) &&
	    !(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
		prop_harness(p, "the crashing process ended with status 0x%x",
		    (unsigned)status);

	p->sh->crashes++;
	p->sh->kills += WIFSIGNALED(status);
	/* Its files are the truth now: ours go, unwritten. */
	prop_stop(p);
	prop_start(p, PF_CRASH);
	prop_resume_after_crash(p);
	/* It died cancelling: what the cancel took away stays away. */
	if (p->sh->nlift > 0)
		prop_lift(p);
	/* The market went on while it ran: on from the engine's clock. */
	prop_feed_skip(p, engine_now(p->e));
}

enum prop_kind {
	PK_ORDER,
	PK_OCO,
	PK_REVERSE,
	PK_REPLAY,
	PK_CANCEL,
	PK_MOVE,
	PK_FLATTEN,
	PK_HALT,
	PK_RESUME,
	PK_KILL,
	PK_STRATEGY,
	PK_RESTART,
	PK_CRASH,
	PK_BACKUP,
	PK_RESTORE,
};

/* How often each step comes, out of 100. */
static const struct {
	enum prop_kind	 kind;
	int		 weight;
} prop_weights[] = {
	{ PK_ORDER, 26 },
	{ PK_OCO, 2 },
	{ PK_REVERSE, 2 },
	{ PK_REPLAY, 26 },
	{ PK_CANCEL, 7 },
	{ PK_MOVE, 7 },
	{ PK_FLATTEN, 5 },
	{ PK_HALT, 2 },
	{ PK_RESUME, 4 },
	{ PK_KILL, 1 },
	{ PK_STRATEGY, 8 },
	{ PK_RESTART, 3 },
	{ PK_CRASH, 3 },
	{ PK_BACKUP, 2 },
	{ PK_RESTORE, 2 },
};

/*
 * One step; top is false in a crashing child (no restart, no crash, no
 * backup or restore).
 */
static void
prop_step(struct prop *p, bool top)
{
	enum prop_kind	 kind;
	int		 n;

	do {
		int	 w = (int)rng_below(&p->rng, 100);
		size_t	 k = 0;

		while (w >= prop_weights[k].weight) {
			w -= prop_weights[k].weight;
			k++;
		}
		kind = prop_weights[k].kind;
	} while (!top && kind >= PK_RESTART);

	switch (kind) {
	case PK_ORDER:
		p->text[0] = '\0';
		prop_order(p);
		break;
	case PK_OCO:
		p->text[0] = '\0';
		prop_oco(p);
		break;
	case PK_REVERSE:
		p->text[0] = '\0';
		prop_reverse(p);
		break;
	case PK_REPLAY:
		/* Mostly a few events, now and then a stretch. */
		if (rng_below(&p->rng, 6) == 0)
			n = 20 + (int)rng_below(&p->rng, 61);
		else
			n = 1 + (int)rng_below(&p->rng, 8);
		snprintf(p->text, sizeof p->text, "replay %d", n);
		prop_replay(p, n);
		break;
	case PK_CANCEL:
		prop_cancel(p);
		break;
	case PK_MOVE:
		prop_move(p);
		break;
	case PK_FLATTEN:
		prop_flatten(p);
		break;
	case PK_HALT:
		prop_state(p, TS_HALTED, "halt");
		break;
	case PK_RESUME:
		prop_state(p, TS_ACTIVE, "resume");
		break;
	case PK_KILL:
		snprintf(p->text, sizeof p->text, "kill");
		engine_note_command(p->e, p->text);
		engine_kill(p->e, "trader");
		break;
	case PK_STRATEGY:
		prop_strategy(p);
		break;
	case PK_RESTART:
		prop_restart(p);
		break;
	case PK_CRASH:
		prop_crash(p);
		break;
	case PK_BACKUP:
		prop_backup(p);
		break;
	case PK_RESTORE:
		prop_restore(p);
		break;
	}
}

/* ------------------------------------------------------------ sequences */

/* Where the files go: somewhere fsync is cheap when there is one. */
static const char *
prop_tmpdir(void)
{
	const char	*d = getenv("TD_PROP_TMPDIR");

	if (d != NULL && d[0] != '\0')
		return d;
	if (access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	if ((d = getenv("TMPDIR")) != NULL && d[0] != '\0')
		return d;
	return "/tmp";
}

static void
prop_trace_step(struct prop *p)
{
	char	 dump[DUMP_MAX];

	prop_dump(p, dump, sizeof dump);
	fprintf(stderr, "step %ld: %s\n%s", p->step, p->text, dump);
}

/* One sequence; a violation is left in sh. */
static void
prop_sequence(uint64_t seed, long seqno, long nsteps, struct prop_shared *sh)
{
	struct prop	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		fail_msg("out of memory");
	p->seed = seed;
	p->seqno = seqno;
	p->sh = sh;
	prop_running = p;
	alarm(STEP_SECONDS);
	rng_seed(&p->rng, seed);
	prop_draw_conf(p);
	prop_config(p);
	snprintf(p->text, sizeof p->text, "start");
	snprintf(p->dir, sizeof p->dir, "%s/td-protect-XXXXXX", prop_tmpdir());
	if (mkdtemp(p->dir) == NULL)
		prop_harness(p, "mkdtemp %s: %s", p->dir, strerror(errno));
	snprintf(p->journal, sizeof p->journal, "%s/journal.db", p->dir);
	snprintf(p->book, sizeof p->book, "%s/venue.db", p->dir);
	snprintf(p->backup, sizeof p->backup, "%s/backup.db", p->dir);
	prop_feed_open(p, nsteps);
	prop_start(p, PF_FRESH);

	/* Both instruments have a price before the first step. */
	snprintf(p->text, sizeof p->text, "replay to the first prices");
	while ((!p->seen[0] || !p->seen[1]) && sh->inv == 0 &&
	    (p->feed.has[0] || p->feed.has[1]))
		prop_replay(p, 1);
	if (sh->inv == 0)
		prop_check(p);
	for (p->step = 1; p->step <= nsteps && sh->inv == 0; p->step++) {
		alarm(STEP_SECONDS);
		sh->steps++;
		prop_step(p, true);
		if (sh->inv == 0)
			prop_check(p);
		if (prop_trace)
			prop_trace_step(p);
	}

	alarm(0);
	prop_running = NULL;
	prop_stop(p);
	prop_feed_close(p);
	/* A failed sequence's files stay, to be read. */
	if (sh->inv == 0 && !prop_keep)
		fixture_rmtree(p->dir);
	else
		fprintf(stderr, "the files of seed %#llx are kept in %s\n",
		    (unsigned long long)seed, p->dir);
	free(p);
}

/* ------------------------------------------------------------ scripts */

/*
 * States that are fine must pass the checks.  These scripts build a few
 * on ES with the same engine, journal and observer as the sequences
 * (no limits, no latency, 1-minute bars from 10:00 set by hand).
 */
struct prop_script {
	struct prop		*p;
	struct prop_shared	*sh;
	int			 minute;
};

static int
prop_script_setup(void **state)
{
	struct prop_script	*sc = calloc(1, sizeof *sc);
	struct prop		*p;

	if (sc == NULL || (p = calloc(1, sizeof *p)) == NULL)
		return -1;
	sc->p = p;
	if ((sc->sh = mmap(NULL, sizeof *sc->sh, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		return -1;
	memset(sc->sh, 0, sizeof *sc->sh);
	p->sh = sc->sh;
	snprintf(p->text, sizeof p->text, "script");
	prop_config(p);
	for (int i = 0; i < NINST; i++)
		p->cfg.strat[i].enabled = false;
	snprintf(p->dir, sizeof p->dir, "%s/td-protect-XXXXXX",
	    prop_tmpdir());
	if (mkdtemp(p->dir) == NULL)
		return -1;
	snprintf(p->journal, sizeof p->journal, "%s/journal.db", p->dir);
	snprintf(p->book, sizeof p->book, "%s/venue.db", p->dir);
	prop_start(p, PF_FRESH);
	*state = sc;
	return 0;
}

static int
prop_script_teardown(void **state)
{
	struct prop_script	*sc = *state;

	prop_stop(sc->p);
	fixture_rmtree(sc->p->dir);
	munmap(sc->sh, sizeof *sc->sh);
	free(sc->p);
	free(sc);
	return 0;
}

/* The next ES bar, o h l c in points. */
static void
prop_script_bar(struct prop_script *sc, double o, double h, double l,
    double c)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 12, 10, 0) +
			    sc->minute++ * TD_NS_PER_MIN, P(o), P(h), P(l),
			    P(c));

	snprintf(sc->p->text, sizeof sc->p->text, "bar %.2f %.2f %.2f %.2f",
	    o, h, l, c);
	if (engine_on_market(sc->p->e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
prop_script_order(struct prop_script *sc, enum td_side side, int64_t qty,
    int32_t stop, int32_t target)
{
	struct manual_order	 m = {
		.inst = ES,
		.side = side,
		.type = ORD_MARKET,
		.qty = qty,
		.br = {
			.stop_ticks = stop,
			.ntargets = target > 0,
			.target_ticks = { target },
		},
	};
	struct errmsg		 err;
	uint64_t		 id;

	snprintf(sc->p->text, sizeof sc->p->text, "%s %lld ES mkt stop %d "
	    "target %d", side == TD_BUY ? "buy" : "sell", (long long)qty,
	    stop, target);
	if (engine_manual_order(sc->p->e, &m, &id, &err) == -1)
		fail_msg("%s", err.msg);
}

/* Every check passes now; the message and the dump when one does not. */
static void
prop_script_ok(struct prop_script *sc)
{
	prop_check(sc->p);
	if (sc->sh->inv != 0)
		fail_msg("%s\n%s", sc->sh->msg, sc->sh->dump);
}

/* The live reduce-only orders of ES: how many, and their remaining. */
static int
prop_script_exits(const struct prop_script *sc, int64_t *remaining)
{
	const struct order_mgr	*om = engine_orders(sc->p->e);
	int			 n = 0;

	*remaining = 0;
	for (int k = 0; k < order_mgr_live_count(om); k++) {
		const struct order	*o = order_mgr_live_at(om, k);

		if (prop_reducing(o, 0)) {
			n++;
			*remaining += o->qty - o->filled;
		}
	}
	return n;
}

/*
 * A bracket's stop and target are one OCO group: together they can close
 * the position once, so I2 counts them once; a restart keeps them.
 */
static void
test_protect_bracket_counts_once(void **state)
{
	struct prop_script	*sc = *state;
	int64_t			 rem;

	prop_script_bar(sc, 5000, 5000, 5000, 5000);
	prop_script_order(sc, TD_BUY, 2, 8, 16);
	prop_script_bar(sc, 5000, 5000.5, 4999.5, 5000);
	assert_int_equal(portfolio_position(engine_portfolio(sc->p->e),
	    ES), 2);
	assert_int_equal(prop_script_exits(sc, &rem), 2);
	assert_int_equal(rem, 4);		/* each leg alone covers 2 */
	prop_script_ok(sc);
	prop_restart(sc->p);
	assert_int_equal(prop_script_exits(sc, &rem), 2);
	prop_script_ok(sc);
	/* The target fills: the stop goes with it (OCO), flat and bare. */
	prop_script_bar(sc, 5000, 5004.5, 5000, 5004);
	assert_int_equal(portfolio_position(engine_portfolio(sc->p->e),
	    ES), 0);
	assert_int_equal(prop_script_exits(sc, &rem), 0);
	prop_script_ok(sc);
}

/*
 * A position partly opened without a stop: only what the bracketed entry
 * opened needs one, and once its stop has closed that part, the rest
 * needs none.
 */
static void
test_protect_stop_covers_its_entry(void **state)
{
	struct prop_script	*sc = *state;
	int64_t			 rem;

	prop_script_bar(sc, 5000, 5000, 5000, 5000);
	prop_script_order(sc, TD_BUY, 1, 0, 0);
	prop_script_bar(sc, 5000, 5000, 5000, 5000);
	prop_script_order(sc, TD_BUY, 1, 8, 0);
	prop_script_bar(sc, 5000, 5000, 5000, 5000);
	assert_int_equal(portfolio_position(engine_portfolio(sc->p->e),
	    ES), 2);
	assert_int_equal(sc->sh->need[0], 1);
	assert_int_equal(prop_script_exits(sc, &rem), 1);
	assert_int_equal(rem, 1);
	prop_script_ok(sc);
	/* The stop closes its contract: long 1, opened without a stop. */
	prop_script_bar(sc, 5000, 5000, 4997, 4997);
	assert_int_equal(portfolio_position(engine_portfolio(sc->p->e),
	    ES), 1);
	assert_int_equal(sc->sh->need[0], 0);
	prop_script_ok(sc);
}

/* The trader cancels the stop: the position goes on without one. */
static void
test_protect_trader_cancels_stop(void **state)
{
	struct prop_script	*sc = *state;
	int64_t			 rem;

	prop_script_bar(sc, 5000, 5000, 5000, 5000);
	prop_script_order(sc, TD_BUY, 1, 8, 0);
	prop_script_bar(sc, 5000, 5000, 5000, 5000);
	assert_int_equal(sc->sh->need[0], 1);
	assert_int_equal(prop_script_exits(sc, &rem), 1);
	/* "cancel all" or "cancel <the stop>": one order only is live. */
	rng_seed(&sc->p->rng, 1);
	prop_cancel(sc->p);
	assert_int_equal(prop_script_exits(sc, &rem), 0);
	assert_int_equal(sc->sh->need[0], 0);
	prop_script_ok(sc);
}

static long
prop_env(const char *name, long def, long min)
{
	const char	*s = getenv(name);
	char		*end;
	long		 v;

	if (s == NULL || s[0] == '\0')
		return def;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < min)
		fail_msg("%s: '%s' is not a number of at least %ld", name, s,
		    min);
	return v;
}

static uint64_t
prop_env_seed(void)
{
	const char		*s = getenv("TD_PROP_SEED");
	char			*end;
	unsigned long long	 v;

	if (s == NULL || s[0] == '\0')
		return DEF_SEED;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || s[0] == '-')
		fail_msg("TD_PROP_SEED: '%s' is not a seed (0x1234 or 4660)",
		    s);
	return v;
}

/*
 * Seeds whose sequences once broke an invariant, run before the others
 * every time (unless TD_PROP_SEED picks the seeds), so that each fix
 * stays fixed.
 */
static const uint64_t prop_found[] = {
	0x7d5eed0005ULL,	/* a crash after a fill: day row behind */
	0xfeed0003e0ULL,	/* a restore's replay through flat */
	0xfeed000af2ULL,	/* a bracket given up, grown back */
	0xfeed000401ULL,	/* flatten: protection gone before the exit */
	0x5eed3002a8ULL,	/* a target-only entry took a stop's room */
	0x123460010dULL,	/* a restore: a stop-limit took an exit's room */
	0x12346000d0ULL,	/* a closed bracket's leg the venue kept */
	0x99990000d6ULL,	/* a target fill counted twice at restart */
	0x999900039aULL,	/* a replay across flat kept a closed bracket */
};

static void
test_protect_invariants(void **state)
{
	struct prop_shared	*sh;
	struct sigaction	 sa, old;
	long			 nseq = prop_env("TD_PROP_SEQUENCES",
				    DEF_SEQUENCES, 1);
	long			 nsteps = prop_env("TD_PROP_STEPS",
				    DEF_STEPS, 1);
	uint64_t		 seed = prop_env_seed();
	long			 count[8] = { 0 }, failed = 0;
	long			 steps = 0, restarts = 0, restores = 0;
	long			 crashes = 0, kills = 0, nfound = 0;
	char			 first[MSG_MAX] = "";

	(void)state;
	prop_trace = prop_env("TD_PROP_TRACE", 0, 0) != 0;
	prop_keep = prop_env("TD_PROP_KEEP", 0, 0) != 0;
	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		fail_msg("mmap: %s", strerror(errno));
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = prop_watchdog;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	if (getenv("TD_PROP_SEED") == NULL)
		nfound = sizeof prop_found / sizeof prop_found[0];
	for (long n = 0; n < nfound + nseq; n++) {
		memset(sh, 0, sizeof *sh);
		prop_sequence(n < nfound ? prop_found[n] : seed +
		    (uint64_t)(n - nfound), n, nsteps, sh);
		steps += sh->steps;
		restarts += sh->restarts;
		restores += sh->restores;
		crashes += sh->crashes;
		kills += sh->kills;
		if (sh->inv == 0)
			continue;
		if (count[sh->inv]++ == 0)
			fprintf(stderr, "%s\n%s", sh->msg, sh->dump);
		else
			fprintf(stderr, "%s\n", sh->msg);
		if (failed++ == 0)
			snprintf(first, sizeof first, "%s", sh->msg);
	}
	fprintf(stderr, "%ld sequence%s of %ld steps from seed 0x%llx%s (%ld "
	    "steps run, %ld restarts, %ld from an older journal, %ld "
	    "crashes, %ld of them killed mid-run): ", nseq, nseq == 1 ? "" :
	    "s", nsteps, (unsigned long long)seed, nfound > 0 ? ", after "
	    "the seeds that once failed" : "", steps, restarts, restores,
	    crashes, kills);
	if (failed == 0)
		fprintf(stderr, "every invariant held\n");
	else {
		fprintf(stderr, "%ld failed:", failed);
		for (int i = 1; i < 8; i++) {
			if (count[i] > 0)
				fprintf(stderr, " I%d %ld", i, count[i]);
		}
		fprintf(stderr, "\n");
	}
	sigaction(SIGALRM, &old, NULL);
	munmap(sh, sizeof *sh);
	if (failed > 0)
		fail_msg("%s", first);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_protect_bracket_counts_once, prop_script_setup,
		    prop_script_teardown),
		cmocka_unit_test_setup_teardown(
		    test_protect_stop_covers_its_entry, prop_script_setup,
		    prop_script_teardown),
		cmocka_unit_test_setup_teardown(
		    test_protect_trader_cancels_stop, prop_script_setup,
		    prop_script_teardown),
		cmocka_unit_test(test_protect_invariants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
