/*
 * opt-ga.h -- a genetic search of a parameter space (opt-space.h) for
 * spaces too large to backtest whole.
 *
 * A genome is one value of each dimension: a point.  The first
 * generation is drawn at random; each next one keeps the elite best
 * points as they are and breeds the rest: two parents, each the best of
 * a tournament of randomly drawn members, crossed over gene by gene
 * (uniform crossover, with probability crossover; else the first parent
 * is copied) and mutated gene by gene (probability mutation: another
 * value of that dimension).  Points are judged by opt_row_cmp; a point
 * met again is not backtested again.  The search stops after generations,
 * or after stagnation generations without a better best point, or when
 * the job's stop is set.
 *
 * Every random draw is made on the caller's thread from seed, so a run is
 * the same, point for point, on any number of threads.  The result owns
 * its arrays (opt_ga_free).
 */
#ifndef TD_OPT_GA_H
#define TD_OPT_GA_H

#include "opt-run.h"

#define OPT_GA_POP_MAX	10000
#define OPT_GA_GEN_MAX	100000

struct opt_ga_cfg {
	int		 population;	/* 2 .. OPT_GA_POP_MAX */
	int		 generations;	/* 1 .. OPT_GA_GEN_MAX */
	int		 tournament;	/* 1 .. population */
	int		 elite;		/* 0 .. population - 1 */
	int		 stagnation;	/* 0: never stop early */
	double		 crossover;	/* 0 .. 1 */
	double		 mutation;	/* per gene, 0 .. 1 */
	uint64_t	 seed;
	/*
	 * Evaluates each generation's new points as opt_run does (NULL:
	 * opt_run), with eval_arg: the caller may share them among
	 * processes, take some from a stored run, or keep them as they come.
	 */
	int64_t		(*eval)(void *arg, const struct opt_job *job,
			    struct opt_row *rows, struct errmsg *err);
	void		*eval_arg;
};

struct opt_ga_result {
	int64_t		*points;	/* every point evaluated, as first met */
	struct opt_row	*rows;		/* its row */
	int64_t		 n;
	int		 generations;	/* evaluated */
	bool		 stagnated;	/* stopped for no better best */
	bool		 stopped;	/* the job's stop was set */
};

/*
 * The defaults for a space: population 40, 50 generations, tournaments
 * of 3, 2 elite, crossover 0.9, mutation 1 / dimensions, stop after 10
 * generations without a better best, seed 1.
 */
void		 opt_ga_defaults(struct opt_ga_cfg *cfg,
		    const struct opt_space *s);
/*
 * Search job->space (job->points is ignored).  0 and *r, or -1 with a
 * message (a setting out of range, an evaluation that failed).
 */
int		 opt_ga_run(const struct opt_job *job,
		    const struct opt_ga_cfg *cfg, struct opt_ga_result *r,
		    struct errmsg *err);
void		 opt_ga_free(struct opt_ga_result *r);

#endif
