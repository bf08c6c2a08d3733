/*
 * opt-mc.c -- Monte Carlo on a trade list (see opt-mc.h).
 *
 * Owns nothing between calls but the result's three sample arrays.  A
 * reshuffle is a Fisher-Yates shuffle of a copy of the trades; a resample
 * draws each place with replacement.  Percentiles are nearest-rank over
 * the sorted samples, so every one of them is a value some run had.
 */
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "opt-mc.h"
#include "rng.h"

const int mc_pct[MC_NPCT] = { 1, 5, 25, 50, 75, 95, 99 };

static const char *const mc_methods[] = {
	[MC_RESHUFFLE] = "reshuffle",
	[MC_RESAMPLE] = "resample",
};

int
mc_method_parse(const char *name)
{
	for (size_t i = 0; i < sizeof mc_methods / sizeof mc_methods[0]; i++)
		if (strcmp(name, mc_methods[i]) == 0)
			return (int)i;
	return -1;
}

const char *
mc_method_name(enum mc_method m)
{
	return (unsigned)m < sizeof mc_methods / sizeof mc_methods[0] ?
	    mc_methods[m] : "?";
}

void
mc_walk(const td_cents *net, int64_t n, td_cents ruin_loss,
    struct mc_path *p)
{
	td_cents	 equity = 0, peak = 0;
	int64_t		 streak = 0;

	memset(p, 0, sizeof *p);
	for (int64_t i = 0; i < n; i++) {
		equity += net[i];
		if (equity > peak)
			peak = equity;
		if (peak - equity > p->max_drawdown)
			p->max_drawdown = peak - equity;
		streak = net[i] < 0 ? streak + 1 : 0;
		if (streak > p->losing_streak)
			p->losing_streak = streak;
		if (ruin_loss > 0 && equity <= -ruin_loss)
			p->ruined = true;
	}
	p->final = equity;
}

/* One run's sequence in seq: the trades reshuffled, or drawn again. */
static void
mc_draw(enum mc_method m, struct rng *r, const td_cents *net, int64_t n,
    td_cents *seq)
{
	if (m == MC_RESAMPLE) {
		for (int64_t i = 0; i < n; i++)
			seq[i] = net[rng_below(r, (uint64_t)n)];
		return;
	}
	memcpy(seq, net, (size_t)n * sizeof *seq);
	for (int64_t i = n - 1; i > 0; i--) {
		int64_t		 j = (int64_t)rng_below(r, (uint64_t)i + 1);
		td_cents	 t = seq[i];

		seq[i] = seq[j];
		seq[j] = t;
	}
}

static int
mc_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Sort the runs' samples of one figure and sum it up. */
static void
mc_dist(int64_t *v, int runs, struct mc_dist *d)
{
	double	 sum = 0;

	qsort(v, (size_t)runs, sizeof *v, mc_cmp);
	for (int i = 0; i < MC_NPCT; i++) {
		/* nearest rank: the ceil(p / 100 * runs)-th value */
		int64_t	 rank = ((int64_t)mc_pct[i] * runs + 99) / 100;

		d->pct[i] = v[rank > 0 ? rank - 1 : 0];
	}
	for (int i = 0; i < runs; i++)
		sum += (double)v[i];
	d->min = v[0];
	d->max = v[runs - 1];
	d->mean = sum / runs;
}

static int
mc_check(const struct mc_cfg *cfg, int64_t n, struct errmsg *err)
{
	if (n < 1)
		return errmsg_set(err, "no trades to draw from");
	if (n > MC_TRADES_MAX)
		return errmsg_set(err, "%lld trades: at most %d",
		    (long long)n, MC_TRADES_MAX);
	if (cfg->runs < 1 || cfg->runs > MC_RUNS_MAX)
		return errmsg_set(err, "runs %d: 1 to %d", cfg->runs,
		    MC_RUNS_MAX);
	if (cfg->ruin_loss < 0)
		return errmsg_set(err, "the loss that ruins must not be "
		    "negative");
	if ((unsigned)cfg->method > MC_RESAMPLE)
		return errmsg_set(err, "no such method");
	return 0;
}

int
mc_run(const struct mc_cfg *cfg, const td_cents *net, int64_t n,
    struct mc_result *r, struct errmsg *err)
{
	struct mc_path	 p;
	struct rng	 g;
	td_cents	*seq;

	memset(r, 0, sizeof *r);
	if (mc_check(cfg, n, err) == -1)
		return -1;
	r->cfg = *cfg;
	r->ntrades = n;
	seq = malloc((size_t)n * sizeof *seq);
	r->drawdowns = malloc((size_t)cfg->runs * sizeof *r->drawdowns);
	r->finals = malloc((size_t)cfg->runs * sizeof *r->finals);
	r->streaks = malloc((size_t)cfg->runs * sizeof *r->streaks);
	if (seq == NULL || r->drawdowns == NULL || r->finals == NULL ||
	    r->streaks == NULL) {
		free(seq);
		mc_free(r);
		return errmsg_set(err, "out of memory");
	}
	mc_walk(net, n, cfg->ruin_loss, &r->actual);
	rng_seed(&g, cfg->seed);
	for (int i = 0; i < cfg->runs; i++) {
		mc_draw(cfg->method, &g, net, n, seq);
		mc_walk(seq, n, cfg->ruin_loss, &p);
		r->drawdowns[i] = p.max_drawdown;
		r->finals[i] = p.final;
		r->streaks[i] = p.losing_streak;
		r->ruined += p.ruined;
	}
	free(seq);
	mc_dist(r->drawdowns, cfg->runs, &r->drawdown);
	mc_dist(r->finals, cfg->runs, &r->final);
	mc_dist(r->streaks, cfg->runs, &r->streak);
	return 0;
}

void
mc_free(struct mc_result *r)
{
	free(r->drawdowns);
	free(r->finals);
	free(r->streaks);
	r->drawdowns = r->finals = r->streaks = NULL;
}
