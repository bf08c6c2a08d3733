/*
 * cmd-generate.c -- `tickdesk generate`: the demo generator's data as a
 * file, 1-minute bars in the csv format (New York stamps, bar start) or
 * trade ticks in the NinjaTrader tick format (UTC).  The same seed and start
 * give the same bytes, so the file replays exactly as the demo session.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "demo.h"
#include "errmsg.h"
#include "instrument.h"
#include "tz.h"

struct gen_opts {
	struct demo_cfg	 dc;
	const char	*out;
};

static int
gen_parse(int argc, char **argv, struct gen_opts *o)
{
	static const struct option longopts[] = {
		{ "days", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "start", required_argument, NULL, 'S' },
		{ "ticks", no_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	long long	 v;
	int32_t		 day;
	int		 ch;

	o->dc.days = 20;
	o->dc.seed = 1;
	o->dc.output = DEMO_BARS;
	o->dc.bar_minutes = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (cmd_number(optarg, 1, 20000, &v) == -1)
				return -1;
			o->dc.days = (int)v;
			break;
		case 's':
			if (cmd_number(optarg, 0, INT64_MAX, &v) == -1)
				return -1;
			o->dc.seed = (uint64_t)v;
			break;
		case 'S':
			if (cmd_date(optarg, &day) == -1)
				return -1;
			o->dc.year = day / 10000;
			o->dc.mon = day / 100 % 100;
			o->dc.mday = day % 100;
			break;
		case 't':
			o->dc.output = DEMO_TICKS;
			break;
		case 'o':
			o->out = optarg;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tickdesk: unexpected argument '%s'\n",
		    argv[optind]);
		return -1;
	}
	return 0;
}

static void
gen_bar(FILE *f, const struct instrument *es, const struct tz *ny,
    const struct td_bar *b)
{
	struct tz_tm	 tm;
	char		 o[32], h[32], l[32], c[32];

	tz_to_local(ny, b->start, &tm);
	fprintf(f, "%04d-%02d-%02d %02d:%02d:%02d,%s,%s,%s,%s,%lld\n",
	    tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec,
	    instrument_format(es, b->open, o, sizeof o),
	    instrument_format(es, b->high, h, sizeof h),
	    instrument_format(es, b->low, l, sizeof l),
	    instrument_format(es, b->close, c, sizeof c),
	    (long long)b->volume);
}

static void
gen_tick(FILE *f, const struct instrument *es, const struct tz *utc,
    const struct td_tick *t)
{
	struct tz_tm	 tm;
	char		 p[32];

	tz_to_local(utc, t->time, &tm);
	fprintf(f, "%04d%02d%02d %02d%02d%02d %07lld;%s;%lld\n", tm.year,
	    tm.mon, tm.mday, tm.hour, tm.min, tm.sec,
	    (long long)(tm.nsec / 100),
	    instrument_format(es, t->price, p, sizeof p),
	    (long long)t->volume);
}

static int
gen_write(FILE *f, struct demo *d, const struct instrument *es,
    const struct tz *zone)
{
	struct td_md	 md;

	while (demo_next(d, &md) == 1) {
		if (md.kind == TD_MD_BAR)
			gen_bar(f, es, zone, &md.bar);
		else
			gen_tick(f, es, zone, &md.tick);
	}
	return ferror(f) ? -1 : 0;
}

static int
cmd_generate_exec(int argc, char **argv)
{
	struct gen_opts		 o;
	struct instrument	 es = {
		.symbol = "ES",
		.tick_size = TD_PX_SCALE / 4,
		.point_value = 5000,
	};
	struct errmsg		 err;
	struct demo		*d = NULL;
	struct tz		*zone = NULL;
	FILE			*f = stdout;
	int			 rc = EXIT_USAGE;

	memset(&o, 0, sizeof o);
	if (gen_parse(argc, argv, &o) == -1)
		return cmd_usage(&cmd_generate_entry);
	instrument_init(&es, NULL);
	o.dc.instrument = &es;
	if ((d = demo_create(&o.dc, &err)) == NULL ||
	    (zone = tz_load(o.dc.output == DEMO_BARS ? "America/New_York" :
	    "UTC", &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		goto out;
	}
	if (o.out != NULL && (f = fopen(o.out, "w")) == NULL) {
		perror(o.out);
		rc = EXIT_RUNTIME;
		goto out;
	}
	rc = gen_write(f, d, &es, zone) == -1 ? EXIT_RUNTIME : EXIT_OK;
	if (f != stdout && fclose(f) != 0)
		rc = EXIT_RUNTIME;
	if (rc != EXIT_OK)
		fprintf(stderr, "tickdesk: write failed\n");

out:
	tz_free(zone);
	demo_free(d);
	return rc;
}

/* What --help says of each option. */
static const struct cmd_option cmd_generate_options[] = {
	{ "--days N",
	    "how many trading days to write (20)" },
	{ "--seed N",
	    "the generator's seed (1)" },
	{ "--start YYYY-MM-DD",
	    "the first day (2024-01-02)" },
	{ "--ticks",
	    "trade ticks in the NinjaTrader tick format (UTC) instead "
	    "of 1-minute bars" },
	{ "-o, --output FILE",
	    "write to FILE instead of standard output" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_generate_entry = {
	.name = "generate",
	.usage = "[--days N] [--seed N] [--start YYYY-MM-DD] [--ticks] "
	    "[-o FILE]",
	.summary = "write the demo generator's data as CSV",
	.help = "Write the deterministic demo data: 1-minute bars in the csv "
	    "format (New York\nstamps, bar start), or with --ticks trade "
	    "ticks in the NinjaTrader tick format\n(UTC).  The same seed and "
	    "start date give the same bytes.",
	.options = cmd_generate_options,
	.exec = cmd_generate_exec,
};
