/*
 * cmd-run.c -- `tickdesk run --headless`: a paper session without a
 * screen, on a replay or a live feed.  The engine runs on its own thread as under the console; the
 * trader's commands come through the control socket (`tickdesk ctl`) and
 * the log goes to standard error, one line per entry.
 *
 * The session runs until a `quit` (at the end of the data it keeps
 * serving the socket, so that a person can still look at it, flatten and
 * quit).  Signals come through a self-pipe into the poll loop: SIGINT
 * does not stop the engine (it says how to quit), SIGTERM follows the
 * session's policy (session.h), and SIGHUP reloads the configuration
 * (there is no terminal to lose).
 *
 * Under a service manager (systemd's Type=notify units, dist/systemd/)
 * this file reads what the manager put in the environment and hands it to
 * core: $NOTIFY_SOCKET and $WATCHDOG_USEC (for this process when
 * $WATCHDOG_PID says so) make the notifier (sdnotify.h), which says READY=1
 * with the trading state once the session is recovered and its first
 * snapshot is in, STATUS= when that state changes and STOPPING=1 on
 * SIGTERM, while the engine thread's loop feeds the watchdog; they are
 * then taken out of the environment, so that no child (an alert's
 * command) speaks for the session.  When $JOURNAL_STREAM names standard
 * error, each line there starts with its syslog priority ("<4>") so that
 * the system journal keeps the levels.  Without them nothing changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "ctl.h"
#include "errmsg.h"
#include "runner.h"
#include "sdnotify.h"
#include "session.h"

#define RUN_FDS		(2 + CTL_CLIENTS + 1)

/* What the service manager asked of the session (the environment). */
struct run_svc {
	struct sdn	*notify;	/* NULL: no $NOTIFY_SOCKET */
	struct snapshot	*snap;		/* the state told, with notify */
	bool		 ready;		/* READY=1 was sent */
	bool		 stopping;	/* STOPPING=1 was sent */
	bool		 journal;	/* stderr is the system journal */
};

/* The write end of the self-pipe: a signal handler's only way out. */
static int	run_signal_fd = -1;

static void
run_on_signal(int signo)
{
	unsigned char	 c = (unsigned char)signo;
	int		 saved = errno;

	(void)!write(run_signal_fd, &c, 1);
	errno = saved;
}

static int
run_signals(int pipefd[2])
{
	struct sigaction	 sa;

	if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) == -1) {
		fprintf(stderr, "tickdesk: pipe: %s\n", strerror(errno));
		return -1;
	}
	run_signal_fd = pipefd[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = run_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
}

/*
 * Text to standard error, each line of it with its syslog priority first
 * when that is the system journal's stream.
 */
static void
run_print(const struct run_svc *v, enum log_level level, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
run_print(const struct run_svc *v, enum log_level level, const char *fmt,
    ...)
{
	char		 text[RUNNER_REPLY_MAX + 512];
	const char	*p;
	size_t		 n;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (!v->journal) {
		fputs(text, stderr);
		return;
	}
	for (p = text; *p != '\0'; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		fprintf(stderr, "<%d>%.*s\n", sdn_priority(level), (int)n, p);
	}
}

static void
run_note(void *arg, enum log_level level, const char *msg)
{
	run_print(arg, level, "tickdesk: %s: %s\n", log_level_name(level),
	    msg);
}

static void
run_log(const struct session *s, const struct run_svc *v,
    const struct runner_log *l)
{
	char	 when[32], corr[24];

	/* Before the first market event the engine has no time yet. */
	if (l->time == 0)
		snprintf(when, sizeof when, "%-19s", "-");
	else
		session_time(s, l->time, when, sizeof when);
	/* The correlation id ties a line to its intent or command. */
	if (l->corr != 0)
		snprintf(corr, sizeof corr, "#%llu",
		    (unsigned long long)l->corr);
	else
		snprintf(corr, sizeof corr, "-");
	run_print(v, l->level, "%s %-8s %-14s %-5s %s\n", when,
	    log_level_name(l->level), l->component, corr, l->msg);
}

static int
run_parse(int argc, char **argv, struct session_opts *o, bool *headless)
{
	enum { O_HEADLESS = 256, O_ENV, O_DATA, O_SPEED, O_PAUSED, O_SOCKET,
	    O_DAYS, O_SEED, O_JOURNAL, O_FOLLOW, O_NEW, O_NEWS };
	static const struct option longopts[] = {
		{ "headless", no_argument, NULL, O_HEADLESS },
		{ "config", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, O_ENV },
		{ "data", required_argument, NULL, O_DATA },
		{ "follow", no_argument, NULL, O_FOLLOW },
		{ "news", required_argument, NULL, O_NEWS },
		{ "speed", required_argument, NULL, O_SPEED },
		{ "paused", no_argument, NULL, O_PAUSED },
		{ "socket", required_argument, NULL, O_SOCKET },
		{ "journal", required_argument, NULL, O_JOURNAL },
		{ "new-session", no_argument, NULL, O_NEW },
		{ "demo-days", required_argument, NULL, O_DAYS },
		{ "seed", required_argument, NULL, O_SEED },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct errmsg	 err;
	long long	 v;
	int		 ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:v", longopts, NULL)) != -1) {
		switch (ch) {
		case O_HEADLESS:
			*headless = true;
			break;
		case 'c':
			o->config = optarg;
			break;
		case O_ENV:
			o->env = optarg;
			break;
		case 'v':
			o->log_level = LOG_DEBUG;
			break;
		case O_DATA:
			if (session_opt_data(o, optarg, &err) == -1) {
				fprintf(stderr, "tickdesk: %s\n", err.msg);
				return -1;
			}
			break;
		case O_FOLLOW:
			o->follow = true;
			break;
		case O_NEWS:
			o->news = optarg;
			break;
		case O_SPEED:
			if (session_opt_speed(optarg, &o->speed) == -1) {
				fprintf(stderr, "tickdesk: --speed %s: a number "
				    "above 0 (1 is real time) or max\n", optarg);
				return -1;
			}
			break;
		case O_PAUSED:
			o->paused = true;
			break;
		case O_SOCKET:
			o->socket = optarg;
			break;
		case O_JOURNAL:
			o->journal = optarg;
			break;
		case O_NEW:
			o->new_session = true;
			break;
		case O_DAYS:
			if (cmd_number(optarg, 1, 20000, &v) == -1)
				return -1;
			o->demo_days = (int)v;
			break;
		case O_SEED:
			if (cmd_number(optarg, 0, INT64_MAX, &v) == -1)
				return -1;
			o->seed = (uint64_t)v;
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

/* ---------------------------------------------------------------- service */

/*
 * The notifier the environment asks for ($NOTIFY_SOCKET, $WATCHDOG_USEC
 * for this process), then out of the environment; whether stderr is the
 * system journal ($JOURNAL_STREAM).  0, or -1 and a message for a value
 * that is not what a service manager gives.
 */
static int
run_service(struct run_svc *v, struct errmsg *err)
{
	const char	*usec = getenv("WATCHDOG_USEC");
	const char	*pid = getenv("WATCHDOG_PID");
	struct sdn_cfg	 cfg = { .socket = getenv("NOTIFY_SOCKET") };
	long long	 p;
	char		*end;

	v->journal = sdn_is_journal(getenv("JOURNAL_STREAM"), STDERR_FILENO);
	if (cfg.socket == NULL || cfg.socket[0] == '\0')
		return 0;
	if (usec != NULL && sdn_parse_usec(usec, &cfg.watchdog) == -1)
		return errmsg_set(err, "WATCHDOG_USEC '%s': not a number of "
		    "microseconds above 0", usec);
	if (usec != NULL && pid != NULL) {
		errno = 0;
		p = strtoll(pid, &end, 10);
		if (pid[0] < '1' || pid[0] > '9' || *end != '\0' ||
		    errno != 0)
			return errmsg_set(err, "WATCHDOG_PID '%s': not a "
			    "process id", pid);
		if (p != (long long)getpid())
			cfg.watchdog = 0;	/* another process's */
	}
	if ((v->notify = sdn_create(&cfg, err)) == NULL ||
	    (v->snap = snapshot_create(NULL, err)) == NULL) {
		errmsg_prefix(err, "NOTIFY_SOCKET");
		return -1;
	}
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	return 0;
}

/* "trading", "HALTED: why (who)", ...: the trading state in a snapshot. */
static void
run_status(const struct snapshot *snap, char *buf, size_t len)
{
	if (strcmp(snap->state, "ACTIVE") == 0)
		snprintf(buf, len, "trading%s", snap->finished ?
		    " (the data has ended)" : "");
	else
		snprintf(buf, len, "%s: %s (%s)", snap->state,
		    snap->state_why, snap->state_who);
}

/*
 * READY=1 with the state once the runner's first snapshot is in (the
 * session is recovered), then STATUS= when the state changes, until
 * STOPPING=1.
 */
static void
run_tell(struct run_svc *v, struct runner *r)
{
	char		 status[SDN_STATUS_MAX];
	struct errmsg	 err;
	int		 rc;

	if (v->notify == NULL || v->stopping ||
	    runner_snapshot(r, v->snap) != 1)
		return;
	run_status(v->snap, status, sizeof status);
	if (!v->ready) {
		v->ready = true;
		rc = sdn_ready(v->notify, status, &err);
	} else
		rc = sdn_status(v->notify, status, &err);
	if (rc == -1)
		run_print(v, LOG_WARNING, "tickdesk: warning: %s\n", err.msg);
}

static void
run_stopping(struct run_svc *v)
{
	struct errmsg	 err;

	if (v->notify == NULL || v->stopping)
		return;
	v->stopping = true;
	if (sdn_stopping(v->notify, "SIGTERM: halting and flattening, "
	    "ending once flat", &err) == -1)
		run_print(v, LOG_WARNING, "tickdesk: warning: %s\n", err.msg);
}

/* ---------------------------------------------------------------- loop */

/* Hand each signal that came to the session. */
static void
run_take_signals(struct session *s, struct run_svc *v, int fd)
{
	unsigned char	 sig[16];
	ssize_t		 n;

	while ((n = read(fd, sig, sizeof sig)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (sig[i] == SIGINT) {
				run_print(v, LOG_WARNING, "tickdesk: SIGINT "
				    "does not stop the engine: tickdesk ctl "
				    "--socket %s quit (or kill -TERM %ld to "
				    "flatten and exit)\n", session_socket(s),
				    (long)getpid());
				continue;
			}
			if (sig[i] == SIGTERM)
				run_stopping(v);
			session_signal(s, sig[i]);
		}
	}
}

static int
run_loop(struct session *s, struct run_svc *v, int sigfd)
{
	struct runner		*r = session_runner(s);
	struct pollfd		 fds[RUN_FDS];
	struct runner_reply	 rep;
	struct runner_log	 line;
	enum session_run	 state;
	int			 n;

	for (;;) {
		n = session_pollfds(s, fds, RUN_FDS - 1);
		fds[n] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		if (poll(fds, (nfds_t)n + 1, SESSION_TICK_MS) == -1 &&
		    errno != EINTR) {
			run_print(v, LOG_CRITICAL, "tickdesk: poll: %s\n",
			    strerror(errno));
			return EXIT_RUNTIME;
		}
		if (fds[n].revents & POLLIN)
			run_take_signals(s, v, sigfd);
		session_service(s, fds, n);
		while (runner_reply(r, &rep) == 1)
			(void)session_reply(s, &rep);
		while (runner_log(r, &line) == 1)
			run_log(s, v, &line);
		run_tell(v, r);
		if ((state = session_check(s)) != SESSION_RUNNING)
			break;
	}
	while (runner_log(r, &line) == 1)
		run_log(s, v, &line);
	return state == SESSION_DONE ? EXIT_OK : EXIT_RUNTIME;
}

static int
cmd_run_exec(int argc, char **argv)
{
	struct session_opts	 o;
	struct session		*s;
	struct errmsg		 err;
	struct run_svc		 v = { .notify = NULL };
	bool			 headless = false;
	char			 speed[48];
	int			 pipefd[2] = { -1, -1 }, rc;

	session_opts_init(&o);
	o.note = run_note;
	o.note_arg = &v;
	o.hup_reload = true;
	if (run_parse(argc, argv, &o, &headless) == -1)
		return cmd_usage(&cmd_run_entry);
	if (!headless) {
		fprintf(stderr, "tickdesk: run needs --headless (the session "
		    "with a screen is tickdesk console)\n");
		return cmd_usage(&cmd_run_entry);
	}
	if (run_service(&v, &err) == -1) {
		run_print(&v, LOG_ERROR, "tickdesk: %s\n", err.msg);
		rc = EXIT_USAGE;
		goto out;
	}
	o.watchdog = v.notify;
	/* Before the session: a SIGTERM while it starts is not lost. */
	if (run_signals(pipefd) == -1) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	if ((rc = session_create(&o, &s, &err)) != 0) {
		run_print(&v, LOG_ERROR, "tickdesk: %s\n", err.msg);
		goto out;
	}
	if (session_live(s))
		snprintf(speed, sizeof speed, "paced by arrival");
	else if (o.speed > 0)
		snprintf(speed, sizeof speed, "speed %gx%s", o.speed,
		    o.paused ? " (paused)" : "");
	else
		snprintf(speed, sizeof speed, "speed max%s",
		    o.paused ? " (paused)" : "");
	run_print(&v, LOG_INFO, "tickdesk: paper session on %s, %s; control "
	    "socket %s\n", session_live(s) ? "a live feed" : o.ndata > 0 ?
	    "data files" : "the demo data", speed, session_socket(s));
	rc = run_loop(s, &v, pipefd[0]);
	session_free(s);
	run_print(&v, rc == EXIT_OK ? LOG_INFO : LOG_CRITICAL,
	    "tickdesk: session ended\n");
out:
	if (pipefd[0] != -1) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		run_signal_fd = -1;
		close(pipefd[0]);
		close(pipefd[1]);
	}
	snapshot_free(v.snap);
	sdn_free(v.notify);
	return rc;
}

/* What --help says of each option. */
static const struct cmd_option cmd_run_options[] = {
	{ "--headless",
	    "required: the session with a screen is the console" },
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
	    "the replay speed: 1 is real time, 60 a minute per second, "
	    "max as fast as it goes" },
	{ "--paused",
	    "start paused: replay step then processes one event at a "
	    "time" },
	{ "--socket PATH",
	    "the control socket instead of the default one" },
	{ "--journal FILE",
	    "the journal instead of the configuration's journal.path; "
	    "its session goes on" },
	{ "--new-session",
	    "start a new session, the journal's old one moved aside under "
	    "a dated name" },
	{ "--demo-days N",
	    "the length of the demo session in days (5)" },
	{ "--seed N",
	    "the demo session's seed (1)" },
	{ "-v, --verbose",
	    "log at level debug instead of the configuration's "
	    "logging.level" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "--headless [-v] [-c CONFIG] [--env NAME] "
	    "[--data [SYMBOL=]FILE]... [--follow] [--news FILE] "
	    "[--speed N | max] [--paused] [--socket PATH] [--journal FILE] "
	    "[--new-session] [--demo-days N] [--seed N]",
	.summary = "run a paper session without a screen (tickdesk ctl "
	    "drives it)",
	.help = "Run a paper session of the enabled strategies on the data "
	    "files (or the built-in\ndemo session) at the replay speed, or "
	    "on a live feed (a FIFO, or files followed\nwith --follow) as "
	    "its rows arrive, without the console.  The trader's commands\n"
	    "come through the control socket: tickdesk ctl COMMAND.  The log "
	    "goes to standard\nerror.  The session ends on `quit`; SIGINT "
	    "does not stop it; SIGTERM flattens,\nhalts and exits once flat; "
	    "SIGHUP reloads the configuration.  --new-session keeps the "
	    "journal's old\nsession aside under a dated name and starts "
	    "afresh.  See tickdesk(1).",
	.options = cmd_run_options,
	.exec = cmd_run_exec,
};
