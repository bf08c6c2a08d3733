/*
 * alert-setup.c -- a session's alert hub from its settings, and its
 * replacement on reload (alert-setup.h).
 *
 * Secrets (the webhook's URL, the SMTP password) are read here, just
 * before the sink that needs them is made, into a buffer wiped right
 * after; the settings keep only the reference (env:NAME, file:PATH).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert-setup.h"
#include "alert-sink.h"
#include "alert.h"
#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "settings.h"

struct alert_setup {
	struct alert_hub	*hub;
	struct alert_hub	*retired[ALERT_SETUP_RETIRED];
	int			 nretired;
	log_fn			 log;
	void			*log_arg;
	bool			 started;
};

/* The hub of cfg with its sinks; NULL and a message naming the key. */
static struct alert_hub *
alert_setup_build(const struct alert_cfg *cfg, struct errmsg *err)
{
	struct alert_hub	*h;
	struct alert_email_cfg	 m;
	char			*value;
	int			 rc = -1;

	if ((value = malloc(SETTINGS_SECRET_VALUE_MAX)) == NULL) {
		errmsg_set(err, "alerts: out of memory");
		return NULL;
	}
	if ((h = alert_create(cfg, err)) == NULL)
		goto out;
	if (cfg->webhook.url[0] != '\0') {
		if (settings_secret_ref(cfg->webhook.url, value,
		    SETTINGS_SECRET_VALUE_MAX, err) == -1) {
			errmsg_prefix(err, "alerts.webhook.url");
			goto out;
		}
		if (alert_sink_webhook(h, value, cfg->webhook.min_severity,
		    err) == -1)
			goto out;
	}
	if (cfg->email.server[0] != '\0') {
		m = cfg->email;
		if (m.password[0] != '\0') {
			if (settings_secret_ref(cfg->email.password, value,
			    SETTINGS_SECRET_VALUE_MAX, err) == -1) {
				errmsg_prefix(err, "alerts.email.password");
				goto out;
			}
			if (strlen(value) >= sizeof m.password) {
				errmsg_set(err, "alerts.email.password: longer "
				    "than %zu bytes", sizeof m.password - 1);
				goto out;
			}
			memcpy(m.password, value, strlen(value) + 1);
		}
		rc = alert_sink_email(h, &m, err);
		explicit_bzero(&m, sizeof m);
		if (rc == -1)
			goto out;
	}
	if (cfg->command.command[0] != '\0' && alert_sink_command(h,
	    cfg->command.command, cfg->command.min_severity, err) == -1)
		goto out;
	rc = 0;
out:
	explicit_bzero(value, SETTINGS_SECRET_VALUE_MAX);
	free(value);
	if (rc == -1) {
		alert_free(h);
		return NULL;
	}
	return h;
}

struct alert_setup *
alert_setup_create(const struct alert_cfg *cfg, struct errmsg *err)
{
	struct alert_setup	*a;

	if ((a = calloc(1, sizeof *a)) == NULL) {
		errmsg_set(err, "alerts: out of memory");
		return NULL;
	}
	if ((a->hub = alert_setup_build(cfg, err)) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

struct alert_hub *
alert_setup_hub(const struct alert_setup *a)
{
	return a->hub;
}

void
alert_setup_set_log(struct alert_setup *a, log_fn fn, void *arg)
{
	a->log = fn;
	a->log_arg = arg;
	alert_set_log(a->hub, fn, arg);
}

int
alert_setup_start(struct alert_setup *a, struct errmsg *err)
{
	if (alert_start(a->hub, err) == -1)
		return -1;
	a->started = true;
	return 0;
}

void
alert_setup_stop(struct alert_setup *a, td_ns drain)
{
	if (a == NULL)
		return;
	for (int i = 0; i < a->nretired; i++)
		alert_stop(a->retired[i], drain);
	alert_stop(a->hub, drain);
}

void
alert_setup_free(struct alert_setup *a)
{
	if (a == NULL)
		return;
	for (int i = 0; i < a->nretired; i++)
		alert_free(a->retired[i]);
	alert_free(a->hub);
	free(a);
}

/* ---------------------------------------------------------------- reload */

struct alert_setup_diff {
	struct desk_cmd	*c;
	int		 n;
	const char	*what;
};

static void
alert_setup_each(void *arg, const struct settings_key *key, int idx,
    const char *path)
{
	struct alert_setup_diff	*d = arg;

	(void)key;
	(void)idx;
	if (strncmp(path, "alerts.", 7) != 0)
		return;
	d->n++;
	if (d->c != NULL)
		desk_print(d->c, "%s: %s", path, d->what);
}

void
alert_setup_reload(void *arg, const struct settings *was,
    const struct settings *now, struct desk_cmd *c, int *applied, int *left)
{
	struct alert_setup	*a = arg;
	struct alert_setup_diff	 d = { .c = NULL };
	struct alert_hub	*h;
	struct errmsg		 err;

	settings_diff(was, now, alert_setup_each, &d);
	if ((h = alert_setup_build(&now->engine.alerts, &err)) != NULL) {
		alert_set_log(h, a->log, a->log_arg);
		if (a->started && alert_start(h, &err) == -1) {
			alert_free(h);
			h = NULL;
		}
	}
	if (h == NULL) {
		desk_print(c, "alerts: not applied, the old sinks stay: %s",
		    err.msg);
		d.c = c;
		d.what = "not applied";
		d.n = 0;
		settings_diff(was, now, alert_setup_each, &d);
		*left += d.n;
		return;
	}
	/* Full: the oldest retired hub is stopped now, what it held lost. */
	if (a->nretired == ALERT_SETUP_RETIRED) {
		alert_free(a->retired[0]);
		memmove(a->retired, a->retired + 1, (ALERT_SETUP_RETIRED - 1) *
		    sizeof a->retired[0]);
		a->nretired--;
	}
	a->retired[a->nretired++] = a->hub;
	a->hub = h;
	engine_set_alerts(c->engine, h);
	engine_alert_levels(c->engine, &now->engine.alerts);
	d.c = c;
	d.what = "applied (the alert sinks were made again)";
	d.n = 0;
	settings_diff(was, now, alert_setup_each, &d);
	*applied += d.n;
}
