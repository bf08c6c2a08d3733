/*
 * cmd.c -- the table of subcommands, sorted by name, and what comes from
 * it: finding a command (or the one a typo meant), --help and the usage
 * printed on a usage error, wrapped to 80 columns.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "engine.h"
#include "errmsg.h"
#include "journal.h"
#include "settings.h"
#include "suggest.h"
#include "tz.h"


static const struct cmd_entry *const cmd_entries[] = {
	&cmd_alert_entry,
	&cmd_backtest_entry,
	&cmd_config_entry,
	&cmd_console_entry,
	&cmd_ctl_entry,
	&cmd_data_entry,
	&cmd_generate_entry,
	&cmd_help_entry,
	&cmd_journal_entry,
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

const char *
cmd_suggest(const char *name)
{
	struct suggest	 s;

	suggest_init(&s, name);
	for (size_t i = 0; cmd_entries[i] != NULL; i++)
		suggest_add(&s, cmd_entries[i]->name);
	return suggest_best(&s);
}

/* ---------------------------------------------------------------- help */

/* Lines end before this column, so that 80 columns hold them. */
#define CMD_WIDTH	80
/* The column of the options' descriptions, at most. */
#define CMD_FLAGS_MAX	26

void
cmd_wrap(FILE *f, const char *text, int col, int indent)
{
	const char	*p = text;

	while (*p != '\0') {
		size_t	 n;
		int	 breaks = 0;

		/* A blank line in the text is a new paragraph. */
		for (; *p == ' ' || *p == '\n'; p++)
			breaks += *p == '\n';
		if (*p == '\0')
			break;
		n = strcspn(p, " \n");
		if (breaks > 1 && col > indent) {
			fprintf(f, "\n\n%*s", indent, "");
			col = indent;
		} else if (col > indent && col + 1 + (int)n >= CMD_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)n, p);
		col += (int)n;
		p += n;
	}
	fputc('\n', f);
}

/* One form of the usage, broken only between bracketed words. */
static void
cmd_synopsis_form(FILE *f, const char *form, int col, int indent)
{
	const char	*p = form;

	while (*p != '\0') {
		const char	*q = p;
		int		 depth = 0;

		while (*q != '\0' && (*q != ' ' || depth > 0)) {
			depth += *q == '[' ? 1 : *q == ']' ? -1 : 0;
			q++;
		}
		if (col > indent && col + 1 + (q - p) >= CMD_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)(q - p), p);
		col += (int)(q - p);
		p = q + strspn(q, " ");
	}
	fputc('\n', f);
}

/* "usage: tickdesk NAME FORM", each form of the usage on its own line. */
static void
cmd_synopsis(FILE *f, const struct cmd_entry *entry)
{
	const char	*p = entry->usage;
	char		 form[1024];
	int		 head;

	head = (int)strlen("usage: tickdesk ") + (int)strlen(entry->name) + 1;
	for (int first = 1; first || *p != '\0'; first = 0) {
		size_t	 n = strcspn(p, "\n");

		snprintf(form, sizeof form, "%.*s", (int)n, p);
		fprintf(f, "%s%s ", first ? "usage: tickdesk " :
		    "       tickdesk ", entry->name);
		cmd_synopsis_form(f, form, head, head);
		p += n + (p[n] == '\n');
	}
}

void
cmd_help(FILE *f, const struct cmd_entry *entry)
{
	const struct cmd_option	*o = entry->options;
	int			 w = 0;

	cmd_synopsis(f, entry);
	fputc('\n', f);
	cmd_wrap(f, entry->help, 0, 0);
	if (o == NULL || o->flags == NULL)
		return;
	for (size_t i = 0; o[i].flags != NULL; i++) {
		int	 n = (int)strlen(o[i].flags);

		if (n <= CMD_FLAGS_MAX && n > w)
			w = n;
	}
	fprintf(f, "\nOptions:\n");
	for (size_t i = 0; o[i].flags != NULL; i++) {
		if ((int)strlen(o[i].flags) > w)
			fprintf(f, "  %s\n%*s", o[i].flags, w + 4, "");
		else
			fprintf(f, "  %-*s  ", w, o[i].flags);
		cmd_wrap(f, o[i].text, w + 4, w + 4);
	}
}

/*
 * Does the option of name (n bytes: "--data", "-c") take an argument?
 * -1 when the entry has no such option.
 */
static int
cmd_option_arg(const struct cmd_entry *entry, const char *name, size_t n)
{
	const struct cmd_option	*o = entry->options;

	for (size_t i = 0; o != NULL && o[i].flags != NULL; i++) {
		const char	*p = o[i].flags;
		int		 arg = 0;

		/* An argument follows the names after a lone blank. */
		for (const char *q = p + 1; *q != '\0'; q++)
			arg |= *q == ' ' && q[-1] != ',';
		while (*p == '-') {
			size_t	 len = strcspn(p, ", ");

			if (len == n && strncmp(p, name, n) == 0)
				return arg;
			p += len;
			if (strncmp(p, ", ", 2) != 0)
				break;
			p += 2;
		}
	}
	return -1;
}

int
cmd_wants_help(const struct cmd_entry *entry, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char	*a = argv[i];

		if (strcmp(a, "--") == 0)
			break;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		if (a[0] != '-' || a[1] == '\0') {
			if (entry->words_end_options)
				break;
			continue;
		}
		if (a[1] == '-') {
			if (strchr(a, '=') == NULL &&
			    cmd_option_arg(entry, a, strlen(a)) == 1)
				i++;
			continue;
		}
		/* A cluster of short options: "-vv", "-c FILE", "-cFILE". */
		for (const char *c = a + 1; *c != '\0'; c++) {
			char	 opt[2] = { '-', *c };

			if (*c == 'h')
				return 1;
			if (cmd_option_arg(entry, opt, 2) == 1) {
				i += c[1] == '\0';
				break;
			}
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- options */

/* Room for every problem of a badly broken file. */
#define CMD_ERRORS_MAX	65536

int
cmd_settings(const char *file, const char *env, struct settings **out)
{
	char	*errors, user[SETTINGS_SOURCE_MAX];
	int	 rc = EXIT_OK;

	*out = malloc(sizeof **out);
	errors = malloc(CMD_ERRORS_MAX);
	if (*out == NULL || errors == NULL) {
		fprintf(stderr, "tickdesk: out of memory\n");
		rc = EXIT_RUNTIME;
	} else if (settings_load_env(settings_path(file, user, sizeof user),
	    settings_env(env), *out, errors, CMD_ERRORS_MAX) == -1) {
		fputs(errors, stderr);
		rc = EXIT_USAGE;
	}
	free(errors);
	if (rc != EXIT_OK) {
		free(*out);
		*out = NULL;
	}
	return rc;
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
cmd_journal_path(const char *journal, const char *config, const char *env,
    char *buf, size_t len)
{
	struct settings	*st;
	struct stat	 sb;
	struct errmsg	 err;
	const char	*cfg;
	char		 errors[4096], user[SETTINGS_SOURCE_MAX];

	if (journal != NULL) {
		snprintf(buf, len, "%s", journal);
		return 0;
	}
	cfg = settings_path(config, user, sizeof user);
	if (config != NULL || stat(cfg, &sb) == 0) {
		if ((st = calloc(1, sizeof *st)) == NULL) {
			fprintf(stderr, "tickdesk: out of memory\n");
			return -1;
		}
		if (settings_load_env(cfg, settings_env(env), st, errors,
		    sizeof errors) == -1) {
			fputs(errors, stderr);
			free(st);
			return -1;
		}
		if (st->journal_path[0] != '\0') {
			snprintf(buf, len, "%s", st->journal_path);
			free(st);
			return 0;
		}
		free(st);
	}
	if (journal_default_path(buf, len, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return -1;
	}
	return 0;
}

int
cmd_usage(const struct cmd_entry *entry)
{
	cmd_synopsis(stderr, entry);
	fprintf(stderr, "'tickdesk %s --help' describes the options\n",
	    entry->name);
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
