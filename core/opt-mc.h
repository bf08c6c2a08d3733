/*
 * opt-mc.h -- Monte Carlo on a trade list: how the same trades could have
 * gone.
 *
 * A reshuffle draws the trades again in another order (each once): the
 * final P&L stays, the path and so the drawdown and the losing streaks
 * change.  A resample draws as many trades with replacement: some come
 * twice, some not at all, and the final P&L varies too.  Each run walks
 * its sequence from 0 and keeps its maximum drawdown (peak to trough of
 * the closed-trade equity), its final P&L and its longest run of losing
 * trades; with an account, a run is ruined when its equity falls by
 * ruin_loss from the start at any point.
 *
 * Money is in cents and every figure is exact; the runs are drawn from the
 * caller's seed (rng.h), so the same trades, seed and runs give the same
 * result on every machine.  The result owns its samples (mc_free).
 */
#ifndef TD_OPT_MC_H
#define TD_OPT_MC_H

#include <stdint.h>

#include "types.h"

struct errmsg;

enum mc_method {
	MC_RESHUFFLE,
	MC_RESAMPLE,
};

#define MC_RUNS_MAX	1000000
#define MC_TRADES_MAX	10000000

struct mc_cfg {
	enum mc_method	 method;
	int		 runs;		/* 1 .. MC_RUNS_MAX */
	uint64_t	 seed;
	td_cents	 ruin_loss;	/* > 0: the loss that ruins; 0: none */
};

/* The percentiles reported, in percent. */
#define MC_NPCT		7
extern const int mc_pct[MC_NPCT];	/* 1 5 25 50 75 95 99 */

/* What one run, or the trades as they came, came to. */
struct mc_path {
	td_cents	 max_drawdown;	/* >= 0 */
	td_cents	 final;
	int64_t		 losing_streak;	/* longest, in trades */
	bool		 ruined;
};

/* Each figure over the runs: the percentiles (nearest rank), and more. */
struct mc_dist {
	int64_t		 pct[MC_NPCT];
	int64_t		 min, max;
	double		 mean;
};

struct mc_result {
	struct mc_cfg	 cfg;
	int64_t		 ntrades;
	struct mc_path	 actual;	/* the trades in their own order */
	struct mc_dist	 drawdown, final, streak;
	int64_t		 ruined;	/* runs ruined (0 without ruin_loss) */
	/* Each run's figures, sorted ascending, runs long each. */
	int64_t		*drawdowns, *finals, *streaks;
};

/* The figures of one sequence of trades' net P&L. */
void		 mc_walk(const td_cents *net, int64_t n, td_cents ruin_loss,
		    struct mc_path *p);

/*
 * cfg->runs runs over the n trades' net P&L (n >= 1): 0 and *r, or -1
 * with a message (no trades, runs out of range, out of memory).
 */
int		 mc_run(const struct mc_cfg *cfg, const td_cents *net,
		    int64_t n, struct mc_result *r, struct errmsg *err);
void		 mc_free(struct mc_result *r);

/* "reshuffle", "resample"; -1 for another name. */
int		 mc_method_parse(const char *name);
const char	*mc_method_name(enum mc_method m);

#endif
