/*
 * main.c -- the tickdesk program: global options, then one subcommand
 * from the table in cmd.c.  Without a command on a terminal it opens the
 * console, the main job; without a terminal it prints the usage.  Options
 * of the console given without a command (`tickdesk --speed max`) are the
 * console's.
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

	fprintf(f, "usage: tickdesk [--help | --version]\n"
	    "       tickdesk [CONSOLE-OPTIONS]\n"
	    "       tickdesk COMMAND [--help | ARGS]\n\n"
	    "Without a command, open the console (the options of 'tickdesk "
	    "console' may be\ngiven).  The commands:\n");
	for (size_t i = 0; t[i] != NULL; i++) {
		fprintf(f, "  %-10s  ", t[i]->name);
		cmd_wrap(f, t[i]->summary, 14, 14);
	}
	fprintf(f, "\n'tickdesk COMMAND --help' or 'tickdesk help COMMAND' "
	    "describes one command;\ntickdesk(1) has the whole manual.\n");
}

/* Run entry with argv (argv[0] its name), or print its --help. */
static int
main_exec(const struct cmd_entry *entry, int argc, char **argv)
{
	if (cmd_wants_help(entry, argc, argv)) {
		cmd_help(stdout, entry);
		return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
	}
	return entry->exec(argc, argv);
}

int
main(int argc, char **argv)
{
	const struct cmd_entry	*entry;
	const char		*near;

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
	/* The default command's options: argv[0] stands for "console". */
	if (argv[1][0] == '-' && argv[1][1] != '\0') {
		argv[0] = (char *)cmd_console_entry.name;
		return main_exec(&cmd_console_entry, argc, argv);
	}
	if ((entry = cmd_find(argv[1])) == NULL) {
		if ((near = cmd_suggest(argv[1])) != NULL)
			fprintf(stderr, "tickdesk: unknown command '%s'; did "
			    "you mean '%s'?\n", argv[1], near);
		else
			fprintf(stderr, "tickdesk: unknown command '%s' (try "
			    "'tickdesk --help')\n", argv[1]);
		return EXIT_USAGE;
	}
	return main_exec(entry, argc - 1, argv + 1);
}
