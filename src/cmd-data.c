/*
 * cmd-data.c -- `tickdesk data import`: market data files to binary bar
 * caches (core/barcache.h), so that later backtests map the bars instead
 * of parsing text.
 *
 * Each FILE gets its cache next to it, FILE.tdc, which `tickdesk backtest
 * --data FILE` then uses by itself while it stays newer than FILE and was
 * made with the same reader options and tick grid (the options and the
 * configuration below are the backtest's, so the same command line fits
 * both).  With -o the files go, one after the other, into one cache that
 * is given to the backtest by its own name (--data CACHE.tdc).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barcache.h"
#include "cmd.h"
#include "errmsg.h"
#include "settings.h"
#include "tz.h"

#define DATA_MAX_FILES	1024

struct data_opts {
	const char	*config;
	const char	*env;		/* --env, NULL: $TICKDESK_ENV */
	const char	*out;
	const char	*symbol;
	const char	*format;
	const char	*tz;
	const char	*stamp;
	bool		 skip_disorder;
	int		 nfiles;
	char		*files[DATA_MAX_FILES];
	const struct instrument *inst[DATA_MAX_FILES];
};

static int
data_parse(int argc, char **argv, struct data_opts *o)
{
	enum { O_FORMAT = 256, O_TZ, O_STAMP, O_SKIP, O_SYMBOL, O_ENV };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, O_ENV },
		{ "output", required_argument, NULL, 'o' },
		{ "symbol", required_argument, NULL, O_SYMBOL },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "tz", required_argument, NULL, O_TZ },
		{ "stamp", required_argument, NULL, O_STAMP },
		{ "skip-disorder", no_argument, NULL, O_SKIP },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case O_ENV:
			o->env = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case O_SYMBOL:
			o->symbol = optarg;
			break;
		case O_FORMAT:
			o->format = optarg;
			break;
		case O_TZ:
			o->tz = optarg;
			break;
		case O_STAMP:
			o->stamp = optarg;
			break;
		case O_SKIP:
			o->skip_disorder = true;
			break;
		default:
			return -1;
		}
	}
	/* GNU getopt has moved the action and the files to the end. */
	if (optind >= argc || strcmp(argv[optind], "import") != 0) {
		fprintf(stderr, "tickdesk: data: %s\n", optind >= argc ?
		    "missing action (import)" : "unknown action");
		return -1;
	}
	for (optind++; optind < argc; optind++) {
		if (o->nfiles == DATA_MAX_FILES) {
			fprintf(stderr, "tickdesk: more than %d data files\n",
			    DATA_MAX_FILES);
			return -1;
		}
		o->files[o->nfiles++] = argv[optind];
	}
	if (o->nfiles == 0) {
		fprintf(stderr, "tickdesk: data import: no files\n");
		return -1;
	}
	return 0;
}

/* The reader options of a backtest with the same arguments. */
static int
data_reader_opts(const struct data_opts *o, const struct settings *st,
    struct reader_opts *ro)
{
	return settings_reader_opts(st, o->format, o->tz, o->stamp,
	    o->skip_disorder, ro);
}

/* The instrument of "SYMBOL=FILE" (which becomes FILE), else --symbol. */
static const struct instrument *
data_instrument(const struct data_opts *o, const struct engine_config *ec,
    char **file)
{
	const char	*sym = o->symbol;
	char		*eq = strchr(*file, '=');

	if (eq != NULL) {
		*eq = '\0';
		sym = *file;
		*file = eq + 1;
	}
	if (sym == NULL)
		return &ec->inst[0];
	for (int k = 0; k < ec->ninst; k++) {
		if (strcmp(ec->inst[k].symbol, sym) == 0)
			return &ec->inst[k];
	}
	fprintf(stderr, "tickdesk: %s: no instrument '%s' in the "
	    "configuration\n", *file, sym);
	return NULL;
}

static void
data_day(td_ns t, char *buf, size_t len)
{
	int64_t	 days = t / TD_NS_PER_DAY - (t % TD_NS_PER_DAY < 0);
	int	 y, m, d;

	tz_civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

static int
data_import(const char *out, const char *const *src, int n,
    const struct reader_opts *ro)
{
	struct barcache_info	 info;
	struct errmsg		 err;
	char			 a[16], b[16];

	if (barcache_import(out, src, n, ro, &info, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return -1;
	}
	data_day(info.first, a, sizeof a);
	data_day(info.last, b, sizeof b);
	printf("%s: %lld bars from %s to %s (UTC), %d file%s\n", out,
	    (long long)info.bars, a, b, n, n == 1 ? "" : "s");
	return 0;
}

static int
cmd_data_exec(int argc, char **argv)
{
	struct data_opts		*o;
	struct settings			*st = NULL;
	const struct instrument		*inst = NULL, *first = NULL;
	struct reader_opts		 ro;
	char				 errors[8192], name[4096];
	char				 cfg[SETTINGS_SOURCE_MAX];
	int				 rc = EXIT_USAGE;

	if ((o = calloc(1, sizeof *o)) == NULL ||
	    (st = calloc(1, sizeof *st)) == NULL) {
		fprintf(stderr, "tickdesk: out of memory\n");
		goto out;
	}
	if (data_parse(argc, argv, o) == -1) {
		rc = cmd_usage(&cmd_data_entry);
		goto out;
	}
	if (settings_load_env(settings_path(o->config, cfg, sizeof cfg),
	    settings_env(o->env), st, errors, sizeof errors) == -1) {
		fputs(errors, stderr);
		goto out;
	}
	if (data_reader_opts(o, st, &ro) == -1)
		goto out;
	for (int i = 0; i < o->nfiles; i++) {
		if ((inst = data_instrument(o, &st->engine,
		    &o->files[i])) == NULL)
			goto out;
		o->inst[i] = inst;
		if (first != NULL && inst != first && o->out != NULL) {
			fprintf(stderr, "tickdesk: -o: one cache holds one "
			    "instrument\n");
			goto out;
		}
		first = inst;
	}
	rc = EXIT_OK;
	if (o->out != NULL) {
		ro.instrument = first;
		if (data_import(o->out, (const char *const *)o->files,
		    o->nfiles, &ro) == -1)
			rc = EXIT_USAGE;
		goto out;
	}
	/* One cache per file, next to it, for the backtest to find. */
	for (int i = 0; i < o->nfiles; i++) {
		const char	*src = o->files[i];

		ro.instrument = o->inst[i];
		if (barcache_name(src, name, sizeof name) == NULL) {
			fprintf(stderr, "tickdesk: %s: name too long\n", src);
			rc = EXIT_USAGE;
			continue;
		}
		if (data_import(name, &src, 1, &ro) == -1)
			rc = EXIT_USAGE;
	}

out:
	free(st);
	free(o);
	return rc;
}

/* What --help says of each option. */
static const struct cmd_option cmd_data_options[] = {
	{ "-c, --config CONFIG",
	    "the configuration file, for the instruments (else "
	    "$TICKDESK_CONFIG, ...)" },
	{ "--env NAME",
	    "lay the environment env/NAME.cfg over it (else "
	    "$TICKDESK_ENV)" },
	{ "--symbol SYMBOL",
	    "the instrument of the files without SYMBOL= (else the "
	    "first one)" },
	{ "--format FMT",
	    "the data format instead of detecting it, as for backtest" },
	{ "--tz ZONE",
	    "the time zone of the data's stamps instead of the format's" },
	{ "--stamp start|end",
	    "whether a bar's stamp is its start or its end, instead of "
	    "the format's" },
	{ "--skip-disorder",
	    "skip and count rows whose time goes backwards instead of "
	    "refusing the file" },
	{ "-o, --output CACHE",
	    "one cache of all the files instead of FILE.tdc beside each" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_data_entry = {
	.name = "data",
	.usage = "import [-c CONFIG] [--env NAME] [--symbol SYMBOL] "
	    "[--format FMT] [--tz ZONE] [--stamp start|end] [--skip-disorder] "
	    "[SYMBOL=]FILE... [-o CACHE]",
	.summary = "turn market data files into binary bar caches",
	.help = "Read bar files (any format backtest reads) once and write "
	    "their bars to a binary\ncache: FILE.tdc next to each FILE, which "
	    "backtest then uses by itself while it\nis newer than FILE and "
	    "made with the same options; or with -o one cache of all\nthe "
	    "files, given to backtest as --data CACHE.  See tickdesk(1).",
	.options = cmd_data_options,
	.exec = cmd_data_exec,
};
