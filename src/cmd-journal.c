/*
 * cmd-journal.c -- `tickdesk journal backup | verify | restore`: backups
 * of the trading journal and the venue's book beside it, taken while a
 * session runs, their verification, and restoring one (core/journal-
 * backup.h does the work; this file parses, asks and prints).
 *
 * The journal is --journal, else journal.path of the configuration, else
 * the user's data directory, as for every command (cmd_journal_path).
 * `restore` replaces the journal a session would trade on: it asks
 * [y/N] on a terminal and needs --yes without one.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "errmsg.h"
#include "journal-backup.h"
#include "journal.h"
#include "portfolio.h"
#include "suggest.h"

/* The options each action takes. */
enum {
	JC_CONFIG = 0x1,	/* -c, --env, --journal */
	JC_FORCE = 0x2,
	JC_YES = 0x4,
};

struct jc_opts {
	const char	*config, *env, *journal;
	bool		 force, yes;
	int		 given;		/* JC_* seen */
	const char	*arg;		/* DEST, FILE or BACKUP */
};

struct jc_action {
	const char	*name;
	int		 takes;		/* JC_* */
	int		(*fn)(const struct jc_opts *);
};

/* "-$1,234.50" */
static char *
jc_money(td_cents c, char *buf, size_t len)
{
	char	 m[PORTFOLIO_FMT_MAX];

	portfolio_format_money(c < 0 ? -c : c, m, sizeof m);
	snprintf(buf, len, "%s$%s", c < 0 ? "-" : "", m);
	return buf;
}

static void
jc_print_file(const char *what, const struct jbackup_file *f)
{
	printf("%s %s -> %s: %lld bytes, sha256 %s", what, f->from, f->path,
	    (long long)f->bytes, f->sha256);
	if (f->restarts > 0)
		printf(" (the copy started over %d time%s as the session "
		    "wrote)", f->restarts, f->restarts == 1 ? "" : "s");
	printf("\n");
}

static void
jc_print_summary(const char *path, const struct jbackup_summary *s)
{
	char	 r[PORTFOLIO_FMT_MAX + 4], c[PORTFOLIO_FMT_MAX + 4];
	char	 n[PORTFOLIO_FMT_MAX + 4];
	int	 open = 0;

	printf("%s: ok: schema %d, %lld session%s, %lld order%s (%lld "
	    "events), %lld fill%s", path, s->schema, (long long)s->sessions,
	    s->sessions == 1 ? "" : "s", (long long)s->orders,
	    s->orders == 1 ? "" : "s", (long long)s->order_events,
	    (long long)s->fills, s->fills == 1 ? "" : "s");
	if (s->voided > 0)
		printf(", %lld voided at a restart", (long long)s->voided);
	printf("\nreplay of the fills: %lld position row%s and %lld day%s of "
	    "P&L agree\n", (long long)s->checked_positions,
	    s->checked_positions == 1 ? "" : "s", (long long)s->checked_days,
	    s->checked_days == 1 ? "" : "s");
	if (s->session == 0) {
		printf("no session yet\n");
	} else {
		printf("session %lld (%s): positions", (long long)s->session,
		    s->mode);
		for (int i = 0; i < s->ninst; i++) {
			if (s->position[i] == 0)
				continue;
			printf("%s %s %+lld", open++ > 0 ? "," : "",
			    s->symbol[i], (long long)s->position[i]);
		}
		printf("%s; realized %s, commissions %s, net %s\n",
		    open == 0 ? " flat" : "",
		    jc_money(s->realized, r, sizeof r),
		    jc_money(s->commissions, c, sizeof c),
		    jc_money(s->realized - s->commissions, n, sizeof n));
	}
	printf("venue book: %s\n", s->book ? "beside it, whole" : "none");
}

static int
jc_journal(const struct jc_opts *o, char *buf, size_t len)
{
	return cmd_journal_path(o->journal, o->config, o->env, buf, len);
}

static int
jc_backup(const struct jc_opts *o)
{
	struct jbackup_opts	 bo = { .force = o->force, .now = time(NULL) };
	struct jbackup_result	 r;
	struct errmsg		 err;
	char			 path[JOURNAL_PATH_MAX];

	if (jc_journal(o, path, sizeof path) == -1)
		return EXIT_USAGE;
	if (jbackup_take(path, o->arg, &bo, &r, &err) == -1) {
		fprintf(stderr, "tickdesk: journal backup: %s\n", err.msg);
		return EXIT_RUNTIME;
	}
	jc_print_file("journal", &r.journal);
	if (r.book.path[0] != '\0')
		jc_print_file("venue book", &r.book);
	else
		printf("venue book: none beside %s\n", path);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

static int
jc_verify(const struct jc_opts *o)
{
	struct jbackup_summary	 s;
	struct errmsg		 err;

	if (jbackup_verify(o->arg, &s, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return EXIT_USAGE;
	}
	jc_print_summary(o->arg, &s);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

/* Ask on the terminal; false for anything but y or yes. */
static bool
jc_confirm(const char *journal, const char *backup)
{
	char	 line[16];

	printf("replace the journal %s with the backup %s (the journal there "
	    "is kept under a dated name)? [y/N] ", journal, backup);
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return false;
	line[strcspn(line, "\n")] = '\0';
	return strcmp(line, "y") == 0 || strcmp(line, "yes") == 0;
}

static void
jc_print_restored(const char *journal, const struct jbackup_restored *r)
{
	printf("restored %s as %s: %lld bytes, sha256 %s\n", r->journal.from,
	    journal, (long long)r->journal.bytes, r->journal.sha256);
	if (r->aside[0] != '\0')
		printf("the journal it replaced is kept as %s\n", r->aside);
	switch (r->book) {
	case JBACKUP_BOOK_KEPT:
		printf("the venue's book %s is kept: the next session "
		    "reconciles the journal with it and starts HALTED on any "
		    "difference\n", r->book_path);
		break;
	case JBACKUP_BOOK_RESTORED:
		printf("the backup's venue book is restored as %s\n",
		    r->book_path);
		break;
	case JBACKUP_BOOK_NONE:
		break;
	}
}

static int
jc_restore(const struct jc_opts *o)
{
	struct jbackup_summary	 s;
	struct jbackup_restored	 r;
	struct errmsg		 err;
	char			 path[JOURNAL_PATH_MAX];
	int			 busy;

	if (jc_journal(o, path, sizeof path) == -1)
		return EXIT_USAGE;
	if (jbackup_verify(o->arg, &s, &err) == -1) {
		fprintf(stderr, "tickdesk: journal restore: %s\n", err.msg);
		return EXIT_USAGE;
	}
	jc_print_summary(o->arg, &s);
	if ((busy = jbackup_in_use(path, &err)) != 0) {
		fprintf(stderr, "tickdesk: journal restore: %s\n", busy == 1 ?
		    "the journal is in use by a running session: end it "
		    "first (quit, or tickdesk ctl quit)" : err.msg);
		return EXIT_RUNTIME;
	}
	if (!o->yes && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "tickdesk: journal restore: replacing %s needs "
		    "--yes without a terminal\n", path);
		return EXIT_USAGE;
	}
	if (!o->yes && !jc_confirm(path, o->arg)) {
		printf("not restored\n");
		return EXIT_RUNTIME;
	}
	if (jbackup_restore(o->arg, path, time(NULL), &r, &err) == -1) {
		fprintf(stderr, "tickdesk: journal restore: %s\n", err.msg);
		return EXIT_RUNTIME;
	}
	jc_print_restored(path, &r);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

static const struct jc_action jc_actions[] = {
	{ "backup", JC_CONFIG | JC_FORCE, jc_backup },
	{ "restore", JC_CONFIG | JC_YES, jc_restore },
	{ "verify", 0, jc_verify },
};
#define JC_NACTIONS	(sizeof jc_actions / sizeof jc_actions[0])

/* The options and the one word after the action; -1 after saying why. */
static int
jc_parse(const struct jc_action *a, int argc, char **argv, struct jc_opts *o)
{
	enum { O_ENV = 256, O_JOURNAL, O_FORCE };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, O_ENV },
		{ "journal", required_argument, NULL, O_JOURNAL },
		{ "force", no_argument, NULL, O_FORCE },
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:y", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			o->given |= JC_CONFIG;
			break;
		case O_ENV:
			o->env = optarg;
			o->given |= JC_CONFIG;
			break;
		case O_JOURNAL:
			o->journal = optarg;
			o->given |= JC_CONFIG;
			break;
		case O_FORCE:
			o->force = true;
			o->given |= JC_FORCE;
			break;
		case 'y':
			o->yes = true;
			o->given |= JC_YES;
			break;
		default:
			return -1;
		}
	}
	if ((o->given & ~a->takes) != 0) {
		fprintf(stderr, "tickdesk: journal %s: an option of another "
		    "action\n", a->name);
		return -1;
	}
	if (optind + 1 != argc)
		return -1;
	o->arg = argv[optind];
	return 0;
}

static int
cmd_journal_exec(int argc, char **argv)
{
	struct jc_opts	 o;
	struct suggest	 sg;

	if (argc < 2)
		return cmd_usage(&cmd_journal_entry);
	suggest_init(&sg, argv[1]);
	for (size_t i = 0; i < JC_NACTIONS; i++) {
		if (strcmp(argv[1], jc_actions[i].name) == 0) {
			memset(&o, 0, sizeof o);
			if (jc_parse(&jc_actions[i], argc - 1, argv + 1,
			    &o) == -1)
				return cmd_usage(&cmd_journal_entry);
			return jc_actions[i].fn(&o);
		}
		suggest_add(&sg, jc_actions[i].name);
	}
	if (suggest_best(&sg) != NULL)
		fprintf(stderr, "tickdesk: journal: unknown action '%s'; did "
		    "you mean '%s'?\n", argv[1], suggest_best(&sg));
	else
		fprintf(stderr, "tickdesk: journal: unknown action '%s'\n",
		    argv[1]);
	return cmd_usage(&cmd_journal_entry);
}

static const struct cmd_option cmd_journal_options[] = {
	{ "-c, --config FILE",
	    "take journal.path from FILE (else $TICKDESK_CONFIG, else "
	    "conf/tickdesk.cfg)" },
	{ "--env NAME",
	    "lay the environment env/NAME.cfg over it (else "
	    "$TICKDESK_ENV)" },
	{ "--journal FILE",
	    "the journal (else journal.path, else journal.db in the data "
	    "directory)" },
	{ "--force",
	    "backup: replace the backup at DEST when DEST is a file name" },
	{ "-y, --yes",
	    "restore: replace the journal without asking" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_journal_entry = {
	.name = "journal",
	.usage = "backup [-c FILE] [--env NAME] [--journal FILE] [--force] "
	    "DEST\nverify FILE\nrestore [-c FILE] [--env NAME] [--journal "
	    "FILE] [--yes] BACKUP",
	.summary = "back up, verify or restore the trading journal",
	.help = "'journal backup' copies the journal and the simulated "
	    "venue's book beside it\n(JOURNAL.venue) while a session runs and "
	    "writes (SQLite's online backup, a\nfew pages at a time), syncs "
	    "them and prints each file's SHA-256.  DEST is a\ndirectory (an "
	    "existing one, or a name ending in /): the backup gets a new\n"
	    "dated name in it, STEM-backup-YYYYMMDD-HHMMSS.db (UTC); or a file "
	    "name, never\noverwritten without --force; the book goes beside as "
	    "DEST.venue.  'journal\nverify' checks a journal or a backup "
	    "whole (PRAGMA integrity_check, the schema\nversion) and replays "
	    "its fills against its own position and P&L records;\nit prints "
	    "what the file holds, or FILE: what is wrong and exits 2.\n"
	    "'journal restore' verifies BACKUP, refuses while a session holds "
	    "the journal,\nkeeps the journal there as STEM-YYYYMMDD-HHMMSS.db "
	    "and puts the backup in its\nplace; the venue's book there stays, "
	    "so the next session reconciles with it\nand starts HALTED on any "
	    "difference.  It asks [y/N] on a terminal and needs\n--yes "
	    "without one.  tickdesk(1) describes them.",
	.options = cmd_journal_options,
	.exec = cmd_journal_exec,
};
