/*
 * cmd-help.c -- `tickdesk help [COMMAND]`: the --help of one command, or
 * the list of all of them.
 */
#include <stdio.h>

#include "cmd.h"

static int
cmd_help_exec(int argc, char **argv)
{
	const struct cmd_entry *const *t = cmd_table();
	const struct cmd_entry	*entry;
	const char		*near;

	if (argc > 2)
		return cmd_usage(&cmd_help_entry);
	if (argc == 1) {
		for (size_t i = 0; t[i] != NULL; i++)
			printf("%-10s %s\n", t[i]->name, t[i]->summary);
		return EXIT_OK;
	}
	if ((entry = cmd_find(argv[1])) == NULL) {
		if ((near = cmd_suggest(argv[1])) != NULL)
			fprintf(stderr, "tickdesk: unknown command '%s'; did "
			    "you mean '%s'?\n", argv[1], near);
		else
			fprintf(stderr, "tickdesk: unknown command '%s'\n",
			    argv[1]);
		return EXIT_USAGE;
	}
	cmd_help(stdout, entry);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "describe a command",
	.help = "Without an argument, list the commands; with one, print what "
	    "'tickdesk COMMAND --help' prints: its usage, what it does and "
	    "its options.",
	.exec = cmd_help_exec,
};
