/*
 * reload.c -- re-reading the configuration of a running session (see
 * reload.h).
 *
 * The reloader keeps three settings: those in effect (the session's, whose
 * live parts are refreshed from the engine and the runner before each
 * comparison), those of the last successful read (for the hooks), and a
 * scratch one for the read in progress; all made in reload_create, so a
 * reload allocates nothing.  settings_diff lists the differences between
 * what is in effect and the new read, in table order; each is applied
 * through the engine's own commands (the same as `risk set`, `strategy
 * set`, `log level`), handed to a hook, or reported.  Which risk limits
 * may change and which way loosens each comes from the risk module's
 * table (risk_limits), as for `risk set`.  Nothing is printed
 * of a value that is not a number, so a secret never shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "reload.h"
#include "risk.h"
#include "runner.h"
#include "settings.h"
#include "strategy.h"

#define RELOAD_ERRORS	16384
#define RELOAD_DIFFS	256
#define RELOAD_PATH_MAX	256
#define RELOAD_PREFIX	32

struct reload_diff {
	const struct settings_key *key;
	int			 idx;
	char			 path[RELOAD_PATH_MAX];
};

struct reload_hook {
	char		 prefix[RELOAD_PREFIX];
	reload_hook_fn	 fn;
	void		*arg;
	bool		 hit;
};

struct reload {
	char			 path[SETTINGS_SOURCE_MAX];
	char			 env[SETTINGS_ENV_MAX];
	struct settings		*cur;		/* in effect */
	struct settings		*last;		/* the last read */
	struct settings		*next;		/* the read in progress */
	char			*errors;
	struct reload_diff	*diffs;
	int			 ndiffs;
	int			 more;		/* differences not kept */
	struct reload_hook	 hooks[RELOAD_HOOKS];
	int			 nhooks;
	int			 applied;
	int			 left;
};

struct reload *
reload_create(const char *path, const char *env, const struct settings *st,
    struct errmsg *err)
{
	struct reload	*r;

	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->cur = malloc(sizeof *r->cur)) == NULL ||
	    (r->last = malloc(sizeof *r->last)) == NULL ||
	    (r->next = malloc(sizeof *r->next)) == NULL ||
	    (r->errors = malloc(RELOAD_ERRORS)) == NULL ||
	    (r->diffs = calloc(RELOAD_DIFFS, sizeof *r->diffs)) == NULL) {
		reload_free(r);
		errmsg_set(err, "reload: out of memory");
		return NULL;
	}
	snprintf(r->path, sizeof r->path, "%s", path);
	snprintf(r->env, sizeof r->env, "%s", env != NULL ? env : "");
	settings_copy(r->cur, st);
	settings_copy(r->last, st);
	return r;
}

void
reload_free(struct reload *r)
{
	if (r == NULL)
		return;
	free(r->cur);
	free(r->last);
	free(r->next);
	free(r->errors);
	free(r->diffs);
	free(r);
}

int
reload_hook(struct reload *r, const char *prefix, reload_hook_fn fn,
    void *arg, struct errmsg *err)
{
	struct reload_hook	*h;

	if (r->nhooks == RELOAD_HOOKS)
		return errmsg_set(err, "reload: more than %d hooks",
		    RELOAD_HOOKS);
	h = &r->hooks[r->nhooks++];
	snprintf(h->prefix, sizeof h->prefix, "%s", prefix);
	h->fn = fn;
	h->arg = arg;
	return 0;
}

/* ---------------------------------------------------------------- compare */

/* Is path prefix itself or under it ("alerts", "alerts.x", "alerts[0]")? */
static bool
reload_under(const char *path, const char *prefix)
{
	size_t	 n = strlen(prefix);

	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' ||
	    path[n] == '.' || path[n] == '[');
}

static struct reload_hook *
reload_hook_of(struct reload *r, const char *path)
{
	for (int i = 0; i < r->nhooks; i++) {
		if (reload_under(path, r->hooks[i].prefix))
			return &r->hooks[i];
	}
	return NULL;
}

static void
reload_collect(void *arg, const struct settings_key *key, int idx,
    const char *path)
{
	struct reload		*r = arg;
	struct reload_diff	*d;

	if (r->ndiffs == RELOAD_DIFFS) {
		r->more++;
		return;
	}
	d = &r->diffs[r->ndiffs++];
	d->key = key;
	d->idx = idx;
	snprintf(d->path, sizeof d->path, "%s", path);
}

/* Mark the hooks whose keys changed between the last read and this one. */
static void
reload_mark(void *arg, const struct settings_key *key, int idx,
    const char *path)
{
	struct reload_hook	*h = reload_hook_of(arg, path);

	(void)key;
	(void)idx;
	if (h != NULL)
		h->hit = true;
}

/* What is in effect: the live parts as the engine and runner have them. */
static void
reload_refresh(struct reload *r, struct desk_cmd *c)
{
	struct engine_config	*ec = &r->cur->engine;

	ec->risk = *engine_risk_cfg(c->engine);
	for (int i = 0; i < ec->nstrat && i < engine_nstrat(c->engine); i++) {
		const struct strategy_cfg *sc = engine_strategy_cfg(c->engine,
					     td_strat_at(i));

		if (strcmp(sc->name, ec->strat[i].name) != 0)
			continue;
		ec->strat[i].enabled = sc->enabled;
		memcpy(ec->strat[i].params, sc->params,
		    sizeof ec->strat[i].params);
		memcpy(ec->strat[i].param_text, sc->param_text,
		    sizeof ec->strat[i].param_text);
	}
	if (c->runner != NULL)
		ec->log_level = runner_log_level(c->runner);
}

/* ---------------------------------------------------------------- apply */

static void
reload_left(struct reload *r, struct desk_cmd *c, const char *path,
    const char *why)
{
	desk_print(c, "%s: %s: left alone", path, why);
	r->left++;
}

/*
 * A risk limit as the table says: one that cannot change while trading is
 * left alone, one that would loosen (risk_limit_loosens) is named with
 * the command that does it by hand, the rest apply at once.
 */
static void
reload_risk(struct reload *r, struct desk_cmd *c, const struct reload_diff *d)
{
	const struct risk_limit	*l;
	struct errmsg		 err;
	char			 was[RISK_LIMIT_FMT_MAX];
	char			 to[RISK_LIMIT_FMT_MAX];
	char			 typed[RISK_LIMIT_FMT_MAX];
	int64_t			 old, v;

	l = risk_limit_find(d->path + strlen("risk."));
	if (l == NULL || (l->flags & RISK_LIMIT_LIVE) == 0) {
		reload_left(r, c, d->path, "cannot change while the session "
		    "runs (restart to apply)");
		return;
	}
	old = risk_limit_get(l, &r->cur->engine.risk);
	v = risk_limit_get(l, &r->next->engine.risk);
	risk_limit_format(l, old, RISK_FMT_SHOW, was, sizeof was);
	risk_limit_format(l, v, RISK_FMT_SHOW, to, sizeof to);
	if (risk_limit_loosens(l, old, v)) {
		desk_print(c, "%s: %s would loosen the limit in effect (%s): "
		    "left alone (risk set %s %s does it by hand)", d->path, to,
		    was, l->name, risk_limit_format(l, v, RISK_FMT_INPUT,
		    typed, sizeof typed));
		r->left++;
		return;
	}
	/* A tightening never asks. */
	if (engine_risk_set(c->engine, l->name, v, true, &err) != 0) {
		desk_print(c, "%s: %s: left alone", d->path, err.msg);
		r->left++;
		return;
	}
	desk_print(c, "%s: %s (was %s)", d->path, to, was);
	r->applied++;
}

static void
reload_param(struct reload *r, struct desk_cmd *c, const struct reload_diff *d)
{
	const struct strategy_cfg	*now = &r->next->engine.strat[d->idx];
	const struct strategy_cfg	*was = &r->cur->engine.strat[d->idx];
	const struct strategy_ops	*ops = NULL;
	const struct snapshot		*snap;
	const char			*param = strrchr(d->path, '.') + 1;
	struct errmsg			 err;
	char				 why[160], to[STRAT_STRING_MAX + 32];
	char				 from[STRAT_STRING_MAX + 32];
	struct td_strat			 s;
	int				 k = -1;

	if (engine_strategy_find(c->engine, now->name, &s) == 0)
		ops = engine_strategy_ops(c->engine, s);
	if (ops != NULL)
		k = strat_param_index(ops, param);
	if (strcmp(now->name, was->name) != 0 || k == -1) {
		reload_left(r, c, d->path, "another strategy than the one "
		    "running: cannot change while the session runs");
		return;
	}
	snap = desk_snapshot(c);
	if (s.i >= snap->nstrat || (snap->strat[s.i].run != SNAP_DISABLED &&
	    snap->strat[s.i].run != SNAP_ERRORED)) {
		snprintf(why, sizeof why, "strategy %s is enabled (disable "
		    "it, then reload)", now->name);
		reload_left(r, c, d->path, why);
		return;
	}
	strat_param_format(&ops->params[k], now->params[k],
	    strat_param_get_text(ops, now->param_text, k), to, sizeof to);
	strat_param_format(&ops->params[k], was->params[k],
	    strat_param_get_text(ops, was->param_text, k), from,
	    sizeof from);
	if (engine_strategy_set(c->engine, now->name, param, to, &err) == -1) {
		reload_left(r, c, d->path, err.msg);
		return;
	}
	desk_print(c, "%s: %s (was %s)", d->path, to, from);
	r->applied++;
}

static void
reload_level(struct reload *r, struct desk_cmd *c)
{
	enum log_level	 to = r->next->engine.log_level;

	if (c->runner == NULL) {
		reload_left(r, c, "logging.level", "no log stream in this "
		    "session");
		return;
	}
	desk_print(c, "logging.level: %s (was %s)", log_level_name(to),
	    log_level_name(r->cur->engine.log_level));
	runner_set_log_level(c->runner, to);
	r->cur->engine.log_level = to;
	r->applied++;
}

static void
reload_one(struct reload *r, struct desk_cmd *c, const struct reload_diff *d)
{
	if (strcmp(d->path, "logging.level") == 0)
		reload_level(r, c);
	else if (reload_under(d->path, "risk"))
		reload_risk(r, c, d);
	else if (d->idx >= 0 && d->key->type == SETTINGS_PARAMS)
		reload_param(r, c, d);
	else if (d->key->type == SETTINGS_BOOL && d->idx >= 0 &&
	    strcmp(d->key->path, "strategies.enabled") == 0)
		reload_left(r, c, d->path, "cannot change while the session "
		    "runs (strategy enable|disable does it by hand)");
	else
		reload_left(r, c, d->path, "cannot change while the session "
		    "runs (restart to apply)");
}

/* Each problem of the file, one reply line each. */
static void
reload_refuse(struct reload *r, struct desk_cmd *c)
{
	char	*line, *save;
	int	 n = 0;

	for (const char *p = r->errors; *p != '\0'; p++)
		n += *p == '\n';
	desk_fail(c, 1, "reload: refused, nothing applied: %d problem%s in "
	    "the configuration", n, n == 1 ? "" : "s");
	for (line = strtok_r(r->errors, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		desk_print(c, "%s", line);
	if (c->runner != NULL)
		runner_note(c->runner, LOG_ERROR, "config", "reload refused: "
		    "%d problem%s in the configuration (nothing applied)", n,
		    n == 1 ? "" : "s");
}

void
reload_exec(void *arg, struct desk_cmd *c)
{
	struct reload	*r = arg;

	if (settings_load_env(r->path, r->env[0] != '\0' ? r->env : NULL,
	    r->next, r->errors, RELOAD_ERRORS) == -1) {
		reload_refuse(r, c);
		return;
	}
	/* The running strategies' tables, plug-ins' too, name parameters. */
	r->next->strategies = r->cur->strategies;
	reload_refresh(r, c);
	r->ndiffs = r->more = r->applied = r->left = 0;
	for (int i = 0; i < r->nhooks; i++)
		r->hooks[i].hit = false;
	settings_diff(r->cur, r->next, reload_collect, r);
	settings_diff(r->last, r->next, reload_mark, r);

	desk_print(c, "reload: %s%s%s", r->path, r->env[0] != '\0' ?
	    " with " : "", r->env[0] != '\0' ? r->next->env_source : "");
	for (int i = 0; i < r->ndiffs; i++) {
		if (reload_hook_of(r, r->diffs[i].path) == NULL)
			reload_one(r, c, &r->diffs[i]);
	}
	if (r->more > 0) {
		desk_print(c, "... and %d more changes: left alone", r->more);
		r->left += r->more;
	}
	for (int i = 0; i < r->nhooks; i++) {
		if (r->hooks[i].hit)
			r->hooks[i].fn(r->hooks[i].arg, r->last, r->next, c,
			    &r->applied, &r->left);
	}
	settings_copy(r->last, r->next);
	if (r->applied == 0 && r->left == 0)
		desk_print(c, "reload: no change");
	else
		desk_print(c, "reload: %d applied, %d left alone", r->applied,
		    r->left);
	if (c->runner != NULL)
		runner_note(c->runner, r->left > 0 ? LOG_WARNING : LOG_INFO,
		    "config", "reload of %s%s%s: %d applied, %d left alone",
		    r->path, r->env[0] != '\0' ? " with environment " : "",
		    r->env, r->applied, r->left);
}
