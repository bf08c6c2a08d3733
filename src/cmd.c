/*
 * cmd.c -- the table of subcommands, sorted by name.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "engine.h"
#include "tz.h"


static const struct cmd_entry *const cmd_entries[] = {
	&cmd_backtest_entry,
	&cmd_config_entry,
	&cmd_console_entry,
	&cmd_ctl_entry,
	&cmd_data_entry,
	&cmd_generate_entry,
	&cmd_help_entry,
	&cmd_montecarlo_entry,
	&cmd_optimize_entry,
	&cmd_report_entry,
	&cmd_run_entry,
	&cmd_train_entry,
	NULL,
};

const struct cmd_entry *const *
cmd_table(void)
{
	return cmd_entries;
}

/* Exact names only: a subcommand never matches on a prefix. */
const struct cmd_entry *
cmd_find(const char *name)
{
	for (size_t i = 0; cmd_entries[i] != NULL; i++) {
		if (strcmp(cmd_entries[i]->name, name) == 0)
			return cmd_entries[i];
	}
	return NULL;
}

int
cmd_data_arg(char *arg, const struct engine_config *ec, const char **path,
    int *inst)
{
	char	*eq = strchr(arg, '=');

	*path = arg;
	*inst = 0;
	if (eq == NULL)
		return 0;
	*eq = '\0';
	*path = eq + 1;
	for (int k = 0; k < ec->ninst; k++) {
		if (strcmp(ec->inst[k].symbol, arg) == 0) {
			*inst = k;
			return 0;
		}
	}
	fprintf(stderr, "tickdesk: --data %s=%s: no instrument '%s' in the "
	    "configuration\n", arg, eq + 1, arg);
	return -1;
}

int
cmd_usage(const struct cmd_entry *entry)
{
	fprintf(stderr, "usage: tickdesk %s %s\n", entry->name, entry->usage);
	return EXIT_USAGE;
}

int
cmd_number(const char *s, long long lo, long long hi, long long *out)
{
	char	*end;

	*out = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || *out < lo || *out > hi) {
		fprintf(stderr, "tickdesk: %s: expected a number from %lld "
		    "to %lld\n", s, lo, hi);
		return -1;
	}
	return 0;
}

int
cmd_date(const char *s, int32_t *out)
{
	int	 y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    s[n] != '\0' || m < 1 || m > 12 || d < 1 ||
	    d > tz_month_days(y, m)) {
		fprintf(stderr, "tickdesk: %s: not a date (YYYY-MM-DD)\n", s);
		return -1;
	}
	*out = y * 10000 + m * 100 + d;
	return 0;
}

int
cmd_svg_dir(const char *dir)
{
	struct stat	 sb;

	if ((mkdir(dir, 0777) == -1 && errno != EEXIST) ||
	    stat(dir, &sb) == -1) {
		fprintf(stderr, "tickdesk: --svg %s: %s\n", dir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "tickdesk: --svg %s: not a directory\n", dir);
		return -1;
	}
	return 0;
}
