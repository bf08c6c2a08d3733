/*
 * opt-run.h -- an optimisation's evaluations: each point of a parameter
 * space (opt-space.h) is a whole backtest on an engine of its own, over
 * bar caches every engine reads at once, on as many threads as asked.
 *
 * Each evaluation copies the base configuration, sets the point's
 * values, makes its own simulated exchange, engine and feed (borrowing
 * the caches), runs the data to its end and keeps the figures of
 * stats.h; nothing is shared but read-only data, so the rows are the same
 * bit for bit whatever the number of threads.  A point is feasible when
 * it has at least min_trades trades and, with max_drawdown, no deeper
 * drawdown; its score is the objective (higher is better).
 *
 * opt_run blocks until every point is done or *stop is set (points not
 * begun then stay undone); progress, when given, is called from the
 * caller's thread about once a second.  Rows are the caller's.
 */
#ifndef TD_OPT_RUN_H
#define TD_OPT_RUN_H

#include <signal.h>
#include <stdint.h>

#include "barcache.h"
#include "engine.h"
#include "opt-space.h"
#include "stats.h"
#include "venue-sim.h"

struct errmsg;
struct strat_registry;

enum opt_objective {
	OPT_NET,		/* net P&L */
	OPT_SHARPE,		/* Sharpe ratio of daily P&L */
	OPT_PROFIT_FACTOR,
	OPT_EXPECTANCY,		/* net per trade */
	OPT_ROMAD,		/* net over maximum drawdown */
};
#define OPT_NOBJECTIVES	(OPT_ROMAD + 1)

#define OPT_THREADS_MAX	256

struct opt_job {
	const struct engine_config *base;
	const struct venue_sim_cfg *venue;
	const struct strat_registry *reg;
	const struct opt_space	*space;
	/* The points to evaluate, npoints of them; NULL: the whole space. */
	const int64_t		*points;
	int64_t			 npoints;
	const struct barcache_src *data;	/* borrowed by every feed */
	int			 ndata;
	/* The trading days backtested, yyyymmdd, to excluded; 0: open. */
	int32_t			 from_day, to_day;
	enum opt_objective	 objective;
	int64_t			 min_trades;
	td_cents		 max_drawdown;	/* 0: no limit */
	int			 threads;	/* 1 .. OPT_THREADS_MAX */
	volatile sig_atomic_t	*stop;		/* may be NULL */
	void			(*progress)(void *arg, int64_t done,
				    int64_t total);
	void			*progress_arg;
};

struct opt_row {
	bool		 done;
	bool		 feasible;
	double		 score;		/* NAN when it has none */
	struct stats	 st;
};

/*
 * Evaluate job->points (or every point of job->space) into rows, one row
 * for each in the same order.  Returns the number of points done, or -1
 * and the first error an evaluation met (then the others stop).
 */
int64_t		 opt_run(const struct opt_job *job, struct opt_row *rows,
		    struct errmsg *err);

/* The score of figures under an objective; NAN when undefined. */
double		 opt_score(enum opt_objective o, const struct stats *st);

/* "net", "sharpe", "profit_factor", "expectancy", "romad"; -1 unknown. */
int		 opt_objective_parse(const char *name);
const char	*opt_objective_name(enum opt_objective o);

/*
 * Which of two rows is better: feasible before infeasible, higher scores
 * first, NAN and undone last, ties to the lower point number pa or pb.
 * Negative when a is better, positive when b is, 0 for the same point.
 */
int		 opt_row_cmp(const struct opt_row *a, int64_t pa,
		    const struct opt_row *b, int64_t pb);
/*
 * order[] gets 0 .. n - 1 sorted best first by opt_row_cmp, rows[i]
 * being point points[i] (NULL: point i).
 */
void		 opt_rank(const struct opt_row *rows, const int64_t *points,
		    int64_t n, int64_t *order);

#endif
