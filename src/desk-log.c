/*
 * desk-log.c -- `log level LEVEL`: the least severe level of the log
 * lines the session shows (debug, info, warning, error, critical).
 */
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "log.h"

static const char *const desk_log_levels[] = {
	"debug", "info", "warning", "error", "critical", NULL,
};

static void
desk_log_exec(struct desk_cmd *c)
{
	enum log_level	 level;

	if (c->argc < 3 || strcasecmp(c->argv[1], "level") != 0) {
		desk_usage(c);
		return;
	}
	if (c->argc > 3) {
		desk_unexpected(c, c->argv[3]);
		return;
	}
	if (log_level_parse(c->argv[2], &level) == -1) {
		desk_fail(c, 2, "log: unknown level '%s' (debug, info, warning, "
		    "error, critical)", c->argv[2]);
		return;
	}
	if (c->runner == NULL) {
		desk_fail(c, 1, "log: no log stream in this session");
		return;
	}
	runner_set_log_level(c->runner, level);
	desk_print(c, "log level %s", log_level_name(level));
}

static void
desk_log_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	(void)snap;
	if (argc == 1)
		desk_words_add(out, prefix, "level");
	else if (argc == 2 && strcasecmp(argv[1], "level") == 0) {
		for (int i = 0; desk_log_levels[i] != NULL; i++)
			desk_words_add(out, prefix, desk_log_levels[i]);
	}
}

const struct desk_entry desk_log_entry = {
	.name = "log",
	.usage = "level LEVEL",
	.summary = "show log lines from this level up",
	.flags = DESK_WHILE_HALTED,
	.exec = desk_log_exec,
	.complete = desk_log_complete,
};
