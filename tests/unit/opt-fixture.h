/*
 * opt-fixture.h -- what the optimiser's tests share: a bar cache of 40
 * trading days of the demo generator's 1-minute bars, SimpleORB on ES
 * over it, and a job over a space of 6 points (stop_ticks 4, 8, 12 by
 * target_ticks 8, 16).  Include after fixture.h.
 */
#ifndef TD_TEST_OPT_FIXTURE_H
#define TD_TEST_OPT_FIXTURE_H

#include <unistd.h>

#include "barcache.h"
#include "demo.h"
#include "opt-run.h"
#include "reader.h"
#include "strat-registry.h"
#include "tz.h"

struct ort {
	char			 dir[64];
	char			 csv[96];
	char			 cache[112];
	struct engine_config	 cfg;
	struct venue_sim_cfg	 vc;
	struct opt_space	 space;
	struct barcache_src	 src;
	struct opt_job		 job;
};

/* 40 trading days of the demo's 1-minute bars as a CSV, New York time. */
static inline void
opt_fixture_demo(const char *path)
{
	struct demo_cfg	 dc = { .seed = 11, .days = 40, .output = DEMO_BARS };
	struct demo	*d;
	struct tz	*ny;
	struct td_md	 md;
	struct tz_tm	 tm;
	FILE		*f = fopen(path, "w");

	assert_non_null(f);
	assert_non_null(d = demo_create(&dc, NULL));
	assert_non_null(ny = tz_load("America/New_York", NULL));
	fprintf(f, "timestamp,open,high,low,close,volume\n");
	while (demo_next(d, &md) == 1) {
		const struct td_bar *b = &md.bar;

		tz_to_local(ny, b->start, &tm);
		fprintf(f, "%04d-%02d-%02d %02d:%02d:00,%lld.%02lld,"
		    "%lld.%02lld,%lld.%02lld,%lld.%02lld,%lld\n", tm.year,
		    tm.mon, tm.mday, tm.hour, tm.min,
		    (long long)b->open / 4, (long long)b->open % 4 * 25,
		    (long long)b->high / 4, (long long)b->high % 4 * 25,
		    (long long)b->low / 4, (long long)b->low % 4 * 25,
		    (long long)b->close / 4, (long long)b->close % 4 * 25,
		    (long long)b->volume);
	}
	demo_free(d);
	tz_free(ny);
	assert_int_equal(fclose(f), 0);
}

static inline int
opt_fixture_setup(void **state)
{
	struct ort		*t = calloc(1, sizeof *t);
	struct reader_opts	 ro = { 0 };
	const char		*src[1];
	struct errmsg		 err;

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/td-opt-run-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->csv, sizeof t->csv, "%s/ES_1min.csv", t->dir);
	snprintf(t->cache, sizeof t->cache, "%s.tdc", t->csv);
	opt_fixture_demo(t->csv);
	fixture_orb_config(&t->cfg, true, 0);
	fixture_venue_config(&t->vc);
	ro.instrument = &t->cfg.inst[0];
	src[0] = t->csv;
	if (barcache_import(t->cache, src, 1, &ro, NULL, &err) == -1 ||
	    (t->src.cache = barcache_open(t->cache, &err)) == NULL)
		fail_msg("%s", err.msg);
	opt_space_init(&t->space);
	if (opt_space_add(&t->space, &t->cfg, strat_registry_builtin(),
	    "stop_ticks=4:12:4", &err) == -1 || opt_space_add(&t->space,
	    &t->cfg, strat_registry_builtin(), "target_ticks=8,16", &err) == -1)
		fail_msg("%s", err.msg);
	t->job = (struct opt_job){ .base = &t->cfg, .venue = &t->vc,
	    .reg = strat_registry_builtin(), .space = &t->space,
	    .data = &t->src, .ndata = 1, .objective = OPT_NET,
	    .min_trades = 1, .threads = 1 };
	*state = t;
	return 0;
}

static inline int
opt_fixture_teardown(void **state)
{
	struct ort	*t = *state;

	barcache_close(t->src.cache);
	opt_space_free(&t->space);
	unlink(t->cache);
	unlink(t->csv);
	rmdir(t->dir);
	free(t);
	return 0;
}

#endif
