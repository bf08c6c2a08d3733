/*
 * cmd.h -- the subcommands of the tickdesk program, one table.
 *
 * Each subcommand is one src/cmd-*.c file exporting a const struct
 * cmd_entry.  main() finds the entry by its exact name; --help, `help
 * NAME`, usage errors, "did you mean" and the man-page check all come from
 * the table in cmd.c and each entry's options.
 */
#ifndef TD_CMD_H
#define TD_CMD_H

#include <stdint.h>
#include <stdio.h>

/* Exit status of the program and of every subcommand. */
enum {
	EXIT_OK = 0,		/* done */
	EXIT_RUNTIME = 1,	/* failed while running */
	EXIT_USAGE = 2,		/* bad arguments, configuration or data */
};

/*
 * One option as --help shows it: flags is "-c, --config CONFIG" (its
 * names, then the argument's name when it takes one), text one line.
 */
struct cmd_option {
	const char	*flags;
	const char	*text;
};

struct cmd_entry {
	const char	*name;
	/* Arguments after the name; a newline starts another form. */
	const char	*usage;
	const char	*summary;	/* one line for the list of commands */
	const char	*help;		/* the paragraph of --help */
	/* The options, ending with a NULL flags; NULL for none. */
	const struct cmd_option *options;
	/* Options end at the first other word (ctl: the rest is a command). */
	int		 words_end_options;
	/* argv[0] is the subcommand name; returns an exit status. */
	int		(*exec)(int argc, char **argv);
};

extern const struct cmd_entry cmd_alert_entry;
extern const struct cmd_entry cmd_backtest_entry;
extern const struct cmd_entry cmd_config_entry;
extern const struct cmd_entry cmd_console_entry;
extern const struct cmd_entry cmd_ctl_entry;
extern const struct cmd_entry cmd_data_entry;
extern const struct cmd_entry cmd_generate_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_journal_entry;
extern const struct cmd_entry cmd_montecarlo_entry;
extern const struct cmd_entry cmd_optimize_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_train_entry;

const struct cmd_entry *const *cmd_table(void);
/* The entry of an exact name; NULL when there is none. */
const struct cmd_entry *cmd_find(const char *name);
/* The name closest to a mistyped one, or NULL (core/suggest.h). */
const char	*cmd_suggest(const char *name);
/*
 * Is --help or -h among the options of argv (argv[0] the name)?  An
 * option's argument ("--data -h") and the words after "--" are not.
 */
int		 cmd_wants_help(const struct cmd_entry *entry, int argc,
		     char **argv);
/* The --help of entry: its usage, paragraph and options, in 80 columns. */
void		 cmd_help(FILE *f, const struct cmd_entry *entry);
/* Print text from column col, wrapped at 80, each new line at indent. */
void		 cmd_wrap(FILE *f, const char *text, int col, int indent);
/* A whole number in [lo, hi] from an option; -1 after saying why. */
int		 cmd_number(const char *s, long long lo, long long hi,
		     long long *out);
/* A date option "YYYY-MM-DD" as yyyymmdd; -1 after saying why. */
int		 cmd_date(const char *s, int32_t *out);
/* The directory of --svg charts, made when missing; -1 after saying why. */
int		 cmd_svg_dir(const char *dir);
struct engine_config;
/*
 * A --data argument, "SYMBOL=FILE" or "FILE" (the first instrument): the
 * file's path (in arg) and its instrument's index; -1 after saying why.
 */
int		 cmd_data_arg(char *arg, const struct engine_config *ec,
		     const char **path, int *inst);
struct settings;
/*
 * The settings of the configuration file (-c, else settings_path) with
 * the environment (--env, else settings_env) laid over it, in *out (the
 * caller frees it): EXIT_OK; or EXIT_USAGE after printing every problem
 * of the files, EXIT_RUNTIME after saying that memory ran out.
 */
int		 cmd_settings(const char *file, const char *env,
		     struct settings **out);
/*
 * The journal a command works on: journal (--journal) when given, else
 * journal.path of the configuration (config, else the one found; with
 * the environment env laid over it) when it sets one, else the user's
 * data directory (journal_default_path).  -1 after saying why.
 */
int		 cmd_journal_path(const char *journal, const char *config,
		     const char *env, char *buf, size_t len);
/*
 * Print the usage, wrapped, and where --help is to stderr; return
 * EXIT_USAGE.
 */
int		 cmd_usage(const struct cmd_entry *entry);

#endif
