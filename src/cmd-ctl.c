/*
 * cmd-ctl.c -- `tickdesk ctl COMMAND...`: send one desk command to a
 * running session (the console or `tickdesk run --headless`) through its
 * control socket and print the answer.
 *
 * The words are joined with blanks into one command line; the session's
 * desk does all the checking.  A command that asks to confirm is not
 * confirmed here: ctl prints the question and exits 2, and --yes sends
 * the line confirmed (or use kill!, which never asks).  Whom it talks
 * to is checked in ctl_request (src/ctl.c) before a byte is sent.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctl.h"
#include "desk.h"
#include "errmsg.h"
#include "runner.h"

static int
cmd_ctl_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "yes", no_argument, NULL, 'y' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl_answer	 ans;
	struct errmsg		 err;
	const char		*path = NULL;	/* the default, checked */
	char			 line[RUNNER_LINE_MAX];
	char			*end;
	size_t			 used = 0;
	long			 timeout = 10;
	bool			 yes = false;
	int			 ch;

	optind = 1;
	/* "+": the command's own words (quit --flatten) are not ours. */
	while ((ch = getopt_long(argc, argv, "+s:yt:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 's':
			path = optarg;
			break;
		case 'y':
			yes = true;
			break;
		case 't':
			timeout = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || timeout < 1 ||
			    timeout > 3600) {
				fprintf(stderr, "tickdesk: --timeout %s: seconds "
				    "from 1 to 3600\n", optarg);
				return cmd_usage(&cmd_ctl_entry);
			}
			break;
		default:
			return cmd_usage(&cmd_ctl_entry);
		}
	}
	if (optind == argc)
		return cmd_usage(&cmd_ctl_entry);
	line[0] = '\0';
	for (int i = optind; i <= argc; i++) {
		const char	*w = i < argc ? argv[i] : yes ? DESK_CONFIRMED :
				     NULL;
		int		 n;

		if (w == NULL)
			break;
		if (strchr(w, '\n') != NULL) {
			fprintf(stderr, "tickdesk: a newline in a command "
			    "word\n");
			return EXIT_USAGE;
		}
		n = snprintf(line + used, sizeof line - used, "%s%s",
		    used > 0 ? " " : "", w);
		if (n < 0 || (size_t)n >= sizeof line - used - 1) {
			fprintf(stderr, "tickdesk: command longer than %d "
			    "bytes\n", RUNNER_LINE_MAX - 2);
			return EXIT_USAGE;
		}
		used += (size_t)n;
	}
	if (ctl_request(path, line, (int)timeout * 1000, &ans, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return EXIT_RUNTIME;
	}
	if (ans.confirm) {
		fprintf(stderr, "%s\ntickdesk: not confirmed: repeat with "
		    "tickdesk ctl --yes to confirm\n", ans.text);
		return EXIT_USAGE;
	}
	if (ans.text[0] != '\0')
		fprintf(ans.status == 0 ? stdout : stderr, "%s\n", ans.text);
	return ans.status == 0 ? EXIT_OK : ans.status == 1 ? EXIT_RUNTIME :
	    EXIT_USAGE;
}

/* What --help says of each option. */
static const struct cmd_option cmd_ctl_options[] = {
	{ "-s, --socket PATH",
	    "the session's control socket instead of the default one" },
	{ "-y, --yes",
	    "confirm the command if it asks to (kill, resume, risk set, "
	    "cancel all, ...)" },
	{ "-t, --timeout SECONDS",
	    "how long to wait for the answer, 1 to 3600 (10)" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_ctl_entry = {
	.name = "ctl",
	.usage = "[--socket PATH] [--yes] [--timeout SECONDS] COMMAND "
	    "[ARGS]...",
	.summary = "send a command to a running session",
	.help = "Send one desk command (status, buy, flatten, halt, kill!, "
	    "quit, ...) to the\nsession listening on the control socket and "
	    "print its answer; nothing is\nsent to a socket in a directory "
	    "open to others or of another user, nor to\na listener of "
	    "another user than you or root.  Exit status 0 when it was\n"
	    "done, 1 when it failed, no session listens or the socket is not "
	    "trusted,\n2 for a bad command or one that asks to confirm (--yes "
	    "confirms it).\nSee tickdesk(1).",
	.options = cmd_ctl_options,
	.words_end_options = 1,
	.exec = cmd_ctl_exec,
};
