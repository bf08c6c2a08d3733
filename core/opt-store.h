/*
 * opt-store.h -- an optimisation's results in an SQLite file: a row per
 * run in the table runs (when, the method, objective and constraints, the
 * parameters searched, the data files' identity and the whole
 * configuration), and a table of its own per run, run_N, with a row per
 * point done: the parameters' values, one column each, and the figures.
 *
 * A run stopped part way can be resumed: opt_store_load gives back the
 * rows of the points done, and the run goes on with the others.  Money is
 * stored in cents.  The store owns its connection.
 */
#ifndef TD_OPT_STORE_H
#define TD_OPT_STORE_H

#include <stdint.h>

#include "opt-run.h"

struct errmsg;
struct opt_store;

/* What a run is: resuming it needs every field the same. */
struct opt_store_run {
	const char	*method;	/* "grid" */
	const char	*search;	/* the method's settings; "": none */
	const char	*objective;
	int64_t		 min_trades;
	td_cents	 max_drawdown;
	const char	*params;	/* the --param texts, space separated */
	const char	*data;		/* the data files' identity */
	const char	*config;	/* the configuration as printed */
};

struct opt_store *opt_store_open(const char *path, struct errmsg *err);
void		 opt_store_close(struct opt_store *st);

/* A new run of space: its number in *run. */
int		 opt_store_begin(struct opt_store *st,
		    const struct opt_store_run *info,
		    const struct opt_space *space, int64_t *run,
		    struct errmsg *err);
/*
 * The rows of run's points done into rows[point] (done set); how many,
 * or -1 when run is no run of this file or was another search (info or
 * space differ: "run 3 searched other parameters").
 */
int64_t		 opt_store_load(struct opt_store *st, int64_t run,
		    const struct opt_store_run *info,
		    const struct opt_space *space, struct opt_row *rows,
		    struct errmsg *err);
/*
 * The same, a row at a time in the order of the points (for a search
 * that visits a few points of a large space): fn(arg, point, row).
 */
typedef void	(*opt_store_point_fn)(void *arg, int64_t point,
		    const struct opt_row *r);
int64_t		 opt_store_each(struct opt_store *st, int64_t run,
		    const struct opt_store_run *info,
		    const struct opt_space *space, opt_store_point_fn fn,
		    void *arg, struct errmsg *err);
/* What a run is, as the table runs has it. */
struct opt_store_summary {
	int64_t		 id;
	int64_t		 started;	/* s since the epoch */
	char		 method[16];
	char		 objective[24];
	int64_t		 points;	/* in the space */
	int64_t		 done;		/* rows in run_N */
	char		 params[512];
	char		 data[512];
};

/* Every run, oldest first; fn returning non-zero stops. */
typedef int	(*opt_store_run_fn)(void *arg,
		    const struct opt_store_summary *s);
int		 opt_store_runs(struct opt_store *st, opt_store_run_fn fn,
		    void *arg, struct errmsg *err);

/*
 * The first limit rows of run, best first (as opt_row_cmp ranks them):
 * the parameters' names (once, ndim of them) and, for each row, its
 * point, its values as text and its figures.
 */
typedef int	(*opt_store_row_fn)(void *arg, int64_t point,
		    const char *const *vals, const struct opt_row *r);
int		 opt_store_rows(struct opt_store *st, int64_t run,
		    int64_t limit, char (*names)[64], int *ndim,
		    opt_store_row_fn fn, void *arg, struct errmsg *err);

/* The rows done of points (NULL: rows[i] is point i), in one commit. */
int		 opt_store_put(struct opt_store *st, int64_t run,
		    const struct opt_space *space, const struct opt_row *rows,
		    const int64_t *points, int64_t n, struct errmsg *err);

#endif
