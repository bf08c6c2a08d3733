/*
 * alert-setup.h -- a session's alerts: the hub (core/alert.h) with the
 * sinks the alerts group of the configuration asks for, their secrets
 * read (settings_secret_ref), and its replacement when a reload changes
 * the group.
 *
 * The session makes it with the settings, gives its hub to the engine
 * (engine_set_alerts) before recovery, sets the log function once the
 * runner exists, starts it with the engine thread, and hooks
 * alert_setup_reload for "alerts" (reload.h).  A reload builds a new hub
 * from the new settings and starts it; the engine raises its alerts there
 * from the next event on.  The old hub is retired, not stopped, so what
 * it still holds goes out; retired hubs are stopped with the session.
 */
#ifndef TD_ALERT_SETUP_H
#define TD_ALERT_SETUP_H

#include "alert.h"
#include "log.h"

struct alert_setup;
struct desk_cmd;
struct errmsg;
struct settings;

#define ALERT_SETUP_RETIRED	8

/*
 * The hub of cfg with its sinks, not started.  NULL and a message naming
 * the key ("alerts.webhook.url: environment variable HOOK is not set",
 * "alerts.email: ...") when a secret cannot be read or a sink not made.
 * Free with alert_setup_free.
 */
struct alert_setup *alert_setup_create(const struct alert_cfg *cfg,
		     struct errmsg *err);
struct alert_hub *alert_setup_hub(const struct alert_setup *a);
/* Where the hubs' threads log (thread-safe): before alert_setup_start. */
void		 alert_setup_set_log(struct alert_setup *a, log_fn fn,
		     void *arg);
int		 alert_setup_start(struct alert_setup *a, struct errmsg *err);
/* Let every hub drain for up to drain, then stop them all. */
void		 alert_setup_stop(struct alert_setup *a, td_ns drain);
void		 alert_setup_free(struct alert_setup *a);

/*
 * The reload hook of the alerts group (a reload_hook_fn; arg is the
 * struct alert_setup): on the engine thread, build and start a hub for
 * now's alerts group and hand it to the engine, or say why not and keep
 * the old one.
 */
void		 alert_setup_reload(void *arg, const struct settings *was,
		     const struct settings *now, struct desk_cmd *c,
		     int *applied, int *left);

#endif
