/*
 * main.c -- the tickdesk program: global options, then one subcommand
 * from the table in cmd.c.  Without a command on a terminal it opens the
 * console, the main job; without a terminal it prints the usage.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "cmd.h"

static void
main_help(FILE *f)
{
	const struct cmd_entry *const *t = cmd_table();

	fprintf(f, "usage: tickdesk [--help | --version] [COMMAND [ARGS]]\n\n"
	    "commands:\n");
	for (size_t i = 0; t[i] != NULL; i++)
		fprintf(f, "  %-10s %s\n", t[i]->name, t[i]->summary);
	fprintf(f, "\n'tickdesk help COMMAND' describes one command; "
	    "tickdesk(1) has the whole manual.\n");
}

int
main(int argc, char **argv)
{
	const struct cmd_entry	*entry;

	if (argc < 2) {
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return cmd_console_entry.exec(1, (char *[]){
			    "console", NULL });
		main_help(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		main_help(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("tickdesk %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if ((entry = cmd_find(argv[1])) == NULL) {
		fprintf(stderr, "tickdesk: unknown command '%s' (try "
		    "'tickdesk --help')\n", argv[1]);
		return EXIT_USAGE;
	}
	return entry->exec(argc - 1, argv + 1);
}
