/*
 * cmd-alert.c -- `tickdesk alert test`: send a test alert through every
 * alert sink the configuration has, and say what became of each.
 *
 * The sinks are made exactly as a session makes them (alert-setup.h, the
 * same settings and secrets), but the hub is never started: each sink
 * gets the alert on this thread, once, with no retry (alert_send_now), so
 * its own answer comes back at once and a failure is not hidden behind
 * the hub's retries.  The alert is of event "test" and of the sink's own
 * least severity, so that it takes the path the least alert the sink
 * takes would take; its text says it is a test.  A running session is
 * not involved: this runs beside it or without one.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert-setup.h"
#include "alert.h"
#include "cmd.h"
#include "errmsg.h"
#include "settings.h"
#include "suggest.h"

/* Where a sink sends, without a secret: for the report's lines. */
static void
cmd_alert_target(const struct alert_cfg *cfg, const char *name, char *buf,
    size_t len)
{
	if (strcmp(name, "webhook") == 0)
		/* The URL carries a token: its reference only. */
		snprintf(buf, len, "%s", cfg->webhook.url);
	else if (strcmp(name, "email") == 0)
		snprintf(buf, len, "%s to %s", cfg->email.server,
		    cfg->email.to);
	else if (strcmp(name, "command") == 0)
		snprintf(buf, len, "%s", cfg->command.command);
	else
		snprintf(buf, len, "-");
}

/* The test alert's text: what it is, from where, and that it is a test. */
static void
cmd_alert_text(const struct settings *st, char *buf, size_t len)
{
	const char	*file = strrchr(st->source, '/');
	char		 host[64];

	if (gethostname(host, sizeof host) == -1)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	file = file != NULL ? file + 1 : st->source;
	snprintf(buf, len, "TEST ALERT from tickdesk alert test on %s "
	    "(%.64s%s%s): no action needed", host, file,
	    st->env[0] != '\0' ? ", environment " : "", st->env);
}

/*
 * Send to each sink of the hub and print a line for each; EXIT_OK when
 * every one delivered, EXIT_RUNTIME after saying how many failed or that
 * there is none.
 */
static int
cmd_alert_send(struct alert_hub *h, const struct settings *st)
{
	const struct alert_cfg	*cfg = &st->engine.alerts;
	struct alert_stats	 stats;
	struct alert		 a = { .event = ALERT_EV_TEST, .about = -1 };
	struct timespec		 ts;
	char			 target[1200], why[ALERT_ERROR_MAX];
	int			 failed = 0;

	alert_stats(h, &stats);
	if (stats.nsinks == 0) {
		fprintf(stderr, "tickdesk: alert test: no alert sink is "
		    "configured (alerts.webhook.url, alerts.email.server and "
		    "alerts.command.run are empty): no alert would reach "
		    "anyone\n");
		return EXIT_RUNTIME;
	}
	cmd_alert_text(st, a.text, sizeof a.text);
	for (int i = 0; i < stats.nsinks; i++) {
		const struct alert_sink_stats	*s = &stats.sink[i];

		clock_gettime(CLOCK_REALTIME, &ts);
		a.time = (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
		a.severity = s->min_severity;
		cmd_alert_target(cfg, s->name, target, sizeof target);
		if (alert_send_now(h, i, &a, why, sizeof why) == 0)
			printf("%-8s %s: ok, sent as %s\n", s->name, target,
			    alert_severity_name(a.severity));
		else {
			printf("%-8s %s: FAILED: %s\n", s->name, target, why);
			failed++;
		}
		fflush(stdout);
	}
	if (failed == 0)
		return EXIT_OK;
	fprintf(stderr, "tickdesk: alert test: %d of %d sink%s failed\n",
	    failed, stats.nsinks, stats.nsinks == 1 ? "" : "s");
	return EXIT_RUNTIME;
}

static int
cmd_alert_test(int argc, char **argv)
{
	enum { O_ENV = 256 };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, O_ENV },
		{ NULL, 0, NULL, 0 },
	};
	struct alert_setup	*as;
	struct settings		*st;
	struct errmsg		 err;
	const char		*file = NULL, *env = NULL;
	int			 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case O_ENV:
			env = optarg;
			break;
		default:
			return cmd_usage(&cmd_alert_entry);
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_alert_entry);

	if ((rc = cmd_settings(file, env, &st)) != EXIT_OK)
		return rc;
	if ((as = alert_setup_create(&st->engine.alerts, &err)) == NULL) {
		fprintf(stderr, "tickdesk: alert test: %s\n", err.msg);
		rc = EXIT_RUNTIME;
	} else
		rc = cmd_alert_send(alert_setup_hub(as), st);
	alert_setup_free(as);
	free(st);
	return rc;
}

static int
cmd_alert_exec(int argc, char **argv)
{
	struct suggest	 sg;

	if (argc < 2)
		return cmd_usage(&cmd_alert_entry);
	if (strcmp(argv[1], "test") == 0)
		return cmd_alert_test(argc - 1, argv + 1);
	suggest_init(&sg, argv[1]);
	suggest_add(&sg, "test");
	if (suggest_best(&sg) != NULL)
		fprintf(stderr, "tickdesk: alert: unknown action '%s'; did you "
		    "mean '%s'?\n", argv[1], suggest_best(&sg));
	else
		fprintf(stderr, "tickdesk: alert: unknown action '%s'\n",
		    argv[1]);
	return cmd_usage(&cmd_alert_entry);
}

static const struct cmd_option cmd_alert_options[] = {
	{ "-c, --config FILE",
	    "the configuration (else $TICKDESK_CONFIG, else "
	    "conf/tickdesk.cfg)" },
	{ "--env NAME",
	    "lay the environment env/NAME.cfg over it (else "
	    "$TICKDESK_ENV)" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_alert_entry = {
	.name = "alert",
	.usage = "test [-c FILE] [--env NAME]",
	.summary = "send a test alert through every configured sink",
	.help = "'alert test' makes the alert sinks of the configuration "
	    "(alerts.webhook, alerts.email, alerts.command of "
	    "tickdesk.conf(5)) as a session would, and sends each one alert "
	    "of event 'test', at the sink's own min_severity, whose text says "
	    "it is a test.  Each sink is tried once, one after the other, for "
	    "at most alerts.timeout_seconds, and gets a line: its name, where "
	    "it sends (the webhook as its secret's reference, never the URL) "
	    "and 'ok' or 'FAILED:' with the reason.  It exits 1 when a sink "
	    "failed or when none is configured, 2 for a bad configuration.  "
	    "A running session is not involved.",
	.options = cmd_alert_options,
	.exec = cmd_alert_exec,
};
