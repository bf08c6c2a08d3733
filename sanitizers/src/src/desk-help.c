/*
 * desk-help.c -- `help [COMMAND]`: the commands, or the usage of one and
 * what its flags mean for it.  Everything comes from the table.
 */
#include <stdio.h>

#include "desk.h"

static void
desk_help_exec(struct desk_cmd *c)
{
	const struct desk_entry *const *t = desk_table();
	const struct desk_entry	*d;
	char			 cause[256];

	if (c->argc > 2) {
		desk_unexpected(c, c->argv[2]);
		return;
	}
	if (c->argc == 1) {
		for (size_t i = 0; t[i] != NULL; i++)
			desk_print(c, "%-9s %s", t[i]->name, t[i]->summary);
		desk_print(c, "help COMMAND shows its usage; commands that "
		    "trade are typed in full");
		return;
	}
	if ((d = desk_find(c->argv[1], cause, sizeof cause)) == NULL) {
		desk_fail(c, 2, "help: %s", cause);
		return;
	}
	desk_print(c, "usage: %s%s%s", d->name, *d->usage != '\0' ? " " : "",
	    d->usage);
	desk_print(c, "%s", d->summary);
	desk_print(c, "%s%s%s%s",
	    d->flags & DESK_WHILE_HALTED ? "runs while halted" :
	    "refused while halted or killed",
	    d->flags & DESK_CONFIRM ? "; may ask to confirm" : "",
	    d->flags & DESK_AUDIT ? "; written to the journal" : "",
	    d->flags & DESK_EXACT ? "; typed in full" :
	    "; a unique prefix is enough");
}

static void
desk_help_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	const struct desk_entry *const *t = desk_table();

	(void)snap;
	(void)argv;
	if (argc != 1)
		return;
	for (size_t i = 0; t[i] != NULL; i++)
		desk_words_add(out, prefix, t[i]->name);
}

const struct desk_entry desk_help_entry = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "list the commands, or describe one",
	.flags = DESK_WHILE_HALTED,
	.exec = desk_help_exec,
	.complete = desk_help_complete,
};
