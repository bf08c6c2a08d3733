/*
 * cmd.h -- the subcommands of the tickdesk program, one table.
 *
 * Each subcommand is one src/cmd-*.c file exporting a const struct
 * cmd_entry.  main() finds the entry by its exact name; help, usage errors
 * and the man-page check all come from the table in cmd.c.
 */
#ifndef TD_CMD_H
#define TD_CMD_H

#include <stdint.h>

/* Exit status of the program and of every subcommand. */
enum {
	EXIT_OK = 0,		/* done */
	EXIT_RUNTIME = 1,	/* failed while running */
	EXIT_USAGE = 2,		/* bad arguments, configuration or data */
};

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* arguments after the name */
	const char	*summary;	/* one line for --help */
	const char	*help;		/* the paragraph for `help NAME` */
	/* argv[0] is the subcommand name; returns an exit status. */
	int		(*exec)(int argc, char **argv);
};

extern const struct cmd_entry cmd_backtest_entry;
extern const struct cmd_entry cmd_config_entry;
extern const struct cmd_entry cmd_console_entry;
extern const struct cmd_entry cmd_ctl_entry;
extern const struct cmd_entry cmd_data_entry;
extern const struct cmd_entry cmd_generate_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_montecarlo_entry;
extern const struct cmd_entry cmd_optimize_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_train_entry;

const struct cmd_entry *const *cmd_table(void);
const struct cmd_entry *cmd_find(const char *name);
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
/* Print "usage: tickdesk NAME USAGE" to stderr and return EXIT_USAGE. */
int		 cmd_usage(const struct cmd_entry *entry);

#endif
