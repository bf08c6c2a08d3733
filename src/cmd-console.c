/*
 * cmd-console.c -- `tickdesk console` (and `tickdesk` alone on a
 * terminal): a paper session on the simulated exchange, watched and
 * driven from the console.
 *
 * The session (src/session.h) is the same as `tickdesk run --headless`:
 * the demo generator or the --data files replayed at --speed (or a live
 * feed: FIFOs, or files followed with --follow) through the simulated
 * exchange, the configuration's enabled strategies trading, the
 * desk's commands on the engine thread, the control socket for `tickdesk
 * ctl`, and the policy for quit and signals.  This file adds the console
 * (ui/console.h) in front of it and wires the two together with the
 * console's hooks; the console talks to the engine only through the
 * runner's queues.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "colour.h"
#include "console.h"
#include "desk.h"
#include "errmsg.h"
#include "session.h"
#include "settings.h"
#include "xdg.h"

#define CON_HISTORY_MAX		1024
#define CON_DEMO_DAYS		20

struct con_opts {
	struct session_opts	 so;
	bool			 no_color;
};

/* What the console's hooks and the session's notes need. */
struct con {
	struct session		*session;
	struct console		*console;
};

static int
con_parse(int argc, char **argv, struct con_opts *o)
{
	enum { O_DATA = 256, O_SPEED, O_NOCOLOR, O_SOCKET, O_ENV, O_FOLLOW,
	    O_JOURNAL, O_NEW, O_NEWS };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, O_ENV },
		{ "data", required_argument, NULL, O_DATA },
		{ "follow", no_argument, NULL, O_FOLLOW },
		{ "news", required_argument, NULL, O_NEWS },
		{ "speed", required_argument, NULL, O_SPEED },
		{ "no-color", no_argument, NULL, O_NOCOLOR },
		{ "socket", required_argument, NULL, O_SOCKET },
		{ "journal", required_argument, NULL, O_JOURNAL },
		{ "new-session", no_argument, NULL, O_NEW },
		{ NULL, 0, NULL, 0 },
	};
	struct errmsg	 err;
	int		 ch;

	session_opts_init(&o->so);
	o->so.demo_days = CON_DEMO_DAYS;
	o->so.mode = SNAP_PAPER;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->so.config = optarg;
			break;
		case O_ENV:
			o->so.env = optarg;
			break;
		case O_DATA:
			if (session_opt_data(&o->so, optarg, &err) == -1) {
				fprintf(stderr, "tickdesk: %s\n", err.msg);
				return -1;
			}
			break;
		case O_FOLLOW:
			o->so.follow = true;
			break;
		case O_NEWS:
			o->so.news = optarg;
			break;
		case O_SPEED:
			if (session_opt_speed(optarg, &o->so.speed) == -1) {
				fprintf(stderr, "tickdesk: --speed %s: use a "
				    "number above 0 (1 = real time) or max\n",
				    optarg);
				return -1;
			}
			break;
		case O_NOCOLOR:
			o->no_color = true;
			break;
		case O_SOCKET:
			o->so.socket = optarg;
			break;
		case O_JOURNAL:
			o->so.journal = optarg;
			break;
		case O_NEW:
			o->so.new_session = true;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tickdesk: unexpected argument '%s'\n",
		    argv[optind]);
		return -1;
	}
	return 0;
}

/* mkdir -p with mode 0700 for the directories above the file path. */
static int
con_mkdirs(char *path)
{
	for (char *s = path + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

/*
 * The history file: $XDG_STATE_HOME/tickdesk/history, else
 * ~/.local/state/tickdesk/history; NULL (history for this run only) when
 * neither is known or the directory cannot be made.
 */
static const char *
con_history(char *buf, size_t len)
{
	if (xdg_path(XDG_STATE, "tickdesk/history", buf, len) == -1 ||
	    con_mkdirs(buf) == -1)
		return NULL;
	return buf;
}

/* The F1 overlay's list, "name usage" and the summary, from the table. */
static char *
con_commands(void)
{
	const struct desk_entry *const *t = desk_table();
	size_t		 len = 1, off = 0;
	char		*s, head[160];

	for (size_t i = 0; t[i] != NULL; i++)
		len += strlen(t[i]->name) + strlen(t[i]->usage) +
		    strlen(t[i]->summary) + 48;
	if ((s = malloc(len)) == NULL)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; t[i] != NULL; i++) {
		snprintf(head, sizeof head, "%s%s%s", t[i]->name,
		    t[i]->usage[0] != '\0' ? " " : "", t[i]->usage);
		if (strlen(head) <= 28)
			off += (size_t)snprintf(s + off, len - off,
			    "%-28s  %s\n", head, t[i]->summary);
		else
			off += (size_t)snprintf(s + off, len - off,
			    "%s\n%-28s  %s\n", head, "", t[i]->summary);
	}
	return s;
}

/* ---------------------------------------------------------------- hooks */

/* The session's own messages: the log pane, or stderr without one. */
static void
con_note(void *arg, enum log_level level, const char *msg)
{
	struct con	*k = arg;

	if (k->console != NULL)
		console_note(k->console, level, msg);
	else
		fprintf(stderr, "tickdesk: %s\n", msg);
}

static int
con_pollfds(void *arg, struct pollfd *fds, int max)
{
	struct con	*k = arg;

	return session_pollfds(k->session, fds, max);
}

static void
con_service(void *arg, struct pollfd *fds, int n)
{
	struct con	*k = arg;

	session_service(k->session, fds, n);
}

static bool
con_reply(void *arg, const struct runner_reply *rep)
{
	struct con	*k = arg;

	return session_reply(k->session, rep);
}

static void
con_signal(void *arg, int signo)
{
	struct con	*k = arg;

	session_signal(k->session, signo);
}

static enum console_end
con_check(void *arg)
{
	struct con	*k = arg;

	switch (session_check(k->session)) {
	case SESSION_RUNNING:
		return CONSOLE_RUNNING;
	case SESSION_DONE:
		return CONSOLE_DONE;
	case SESSION_FAILED:
		break;
	}
	return CONSOLE_FAILED;
}

static int
con_complete(void *arg, const struct snapshot *snap, const char *line,
    size_t point, struct cmdline_words *out)
{
	struct desk_words	 dw;

	out->n = 0;
	desk_complete(snap, line, point, &dw);
	for (int i = 0; i < dw.n && out->n < CMDLINE_WORDS_MAX; i++)
		snprintf(out->word[out->n++], CMDLINE_WORD_MAX, "%s",
		    dw.word[i]);
	return out->n;
}

/* ---------------------------------------------------------------- run */

static int
cmd_console_exec(int argc, char **argv)
{
	struct con_opts		 o = { 0 };
	struct con		 k = { 0 };
	struct console_cfg	 cc;
	struct errmsg		 err;
	char			 history[CON_HISTORY_MAX], *commands = NULL;
	int			 rc;

	/* Characters only: numbers keep the C locale's decimal point. */
	setlocale(LC_CTYPE, "");
	if (con_parse(argc, argv, &o) == -1)
		return cmd_usage(&cmd_console_entry);
	/* Say so before a session starts trading for nobody to see. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "tickdesk: the console needs a terminal (use "
		    "'tickdesk run --headless' without one)\n");
		return EXIT_USAGE;
	}
	o.so.note = con_note;
	o.so.note_arg = &k;
	if ((rc = session_create(&o.so, &k.session, &err)) != 0) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return rc;
	}
	if ((commands = con_commands()) == NULL) {
		fprintf(stderr, "tickdesk: out of memory\n");
		rc = EXIT_RUNTIME;
		goto out;
	}
	cc = (struct console_cfg){
		.runner = session_runner(k.session),
		.hooks = {
			.arg = &k,
			.pollfds = con_pollfds,
			.service = con_service,
			.reply = con_reply,
			.signal = con_signal,
			.check = con_check,
			.complete = con_complete,
		},
		.history = con_history(history, sizeof history),
		.commands = commands,
		.mono = o.no_color || colour_env_mono(),
	};
	if ((k.console = console_create(&cc, &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		rc = EXIT_RUNTIME;
		goto out;
	}
	rc = console_run(k.console) == CONSOLE_DONE ? EXIT_OK : EXIT_RUNTIME;
	console_free(k.console);
	k.console = NULL;

out:
	session_free(k.session);	/* stops the engine thread */
	free(commands);
	return rc;
}

/* What --help says of each option. */
static const struct cmd_option cmd_console_options[] = {
	{ "-c, --config CONFIG",
	    "the configuration file (else $TICKDESK_CONFIG, else "
	    "conf/tickdesk.cfg)" },
	{ "--env NAME",
	    "lay the environment env/NAME.cfg over it (else "
	    "$TICKDESK_ENV)" },
	{ "--data [SYMBOL=]FILE",
	    "replay a data file for SYMBOL (the first instrument), or "
	    "take a FIFO as a live feed; without it, the demo session" },
	{ "--follow",
	    "follow the data files as another program appends to them "
	    "(a live feed)" },
	{ "--news FILE",
	    "tail FILE for JSON-lines headlines as they are appended "
	    "(instead of news.file): their sentiment feeds the filters" },
	{ "--speed N|max",
	    "the replay speed: 1 is real time, 60 (the default) a "
	    "minute per second, max as fast as it goes" },
	{ "--no-color",
	    "no colours: bold, underline and reverse only" },
	{ "--socket PATH",
	    "the control socket instead of the default one" },
	{ "--journal FILE",
	    "the journal instead of the configuration's journal.path; "
	    "its session goes on" },
	{ "--new-session",
	    "start a new session, the journal's old one moved aside under "
	    "a dated name" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_console_entry = {
	.name = "console",
	.usage = "[-c CONFIG] [--env NAME] [--data [SYMBOL=]FILE]... "
	    "[--follow] [--news FILE] [--speed 1|60|max] [--no-color] "
	    "[--socket PATH] "
	    "[--journal FILE] [--new-session]",
	.summary = "watch and trade a paper session (the default command)",
	.help = "Open the console on a paper session: the demo generator (or "
	    "the --data files)\nreplayed through the simulated exchange at "
	    "--speed (1 = real time, 60 by\ndefault, max), or a live feed "
	    "(a FIFO, or files followed with --follow) as\nits rows arrive, "
	    "with the enabled strategies of the configuration trading.\n"
	    "Panes show positions, "
	    "strategies, the blotter, risk gauges, the log and a\nprice line; "
	    "the command line takes the desk's commands (F1 lists them), and\n"
	    "the control socket takes them from 'tickdesk ctl'.  The journal "
	    "(--journal FILE)\ngoes on where its session left off; "
	    "--new-session keeps the old one aside\nunder a dated name and "
	    "starts afresh.  See tickdesk(1).",
	.options = cmd_console_options,
	.exec = cmd_console_exec,
};
