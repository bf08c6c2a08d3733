/*
 * desk-reload.c -- `reload`: read the configuration files again and apply
 * what may change while the session runs (the log level, tighter risk
 * limits, the parameters of disabled strategies, hooked groups such as
 * the alerts); report the rest by name and leave it alone.  A file with
 * problems is refused whole.  The work is the session's (src/reload.h);
 * SIGHUP to a headless session sends this command.
 */
#include "desk.h"

static void
desk_reload_exec(struct desk_cmd *c)
{
	if (c->argc > 1) {
		desk_unexpected(c, c->argv[1]);
		return;
	}
	if (desk_run_reload(c) == -1)
		desk_fail(c, 1, "reload: no configuration file in this "
		    "session");
}

const struct desk_entry desk_reload_entry = {
	.name = "reload",
	.usage = "",
	.summary = "read the configuration again and apply what may change "
	    "live",
	.flags = DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_reload_exec,
};
