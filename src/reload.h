/*
 * reload.h -- re-reading the configuration of a running session: the
 * `reload` desk command, and SIGHUP in a headless session.
 *
 * A reload reads the files again (the base file and the environment the
 * session started with) and compares what they say with what is in
 * effect.  A file with problems is refused whole: nothing is applied and
 * every problem is listed.  Otherwise each difference is either applied
 * or reported by name and left alone:
 *
 *   logging.level		applied (the session's log stream);
 *   risk.* limits		those the risk table marks live: applied
 *				unless they would loosen (engine_risk_set),
 *				reported when they would (a person does
 *				that with `risk set`); the others
 *				(trading_hours, flatten_on_breach) cannot
 *				change live;
 *   strategies[i].params.*	applied while that strategy is disabled
 *				(engine_strategy_set), reported while it is
 *				enabled;
 *   a hooked group (alerts)	handed to its hook (reload_hook);
 *   everything else		instruments, sessions, venue, journal, the
 *				list of strategies and their other keys,
 *				the log file, ...: cannot change live.
 *
 * What is in effect is the settings the session started with, with the
 * risk limits, strategy parameters and enabled flags and the log level
 * as the engine and runner have them now (a trader's `risk set` counts).
 * A hook is given the settings of the previous successful read and the
 * new ones instead, and owns what it applies.
 *
 * reload_exec is the desk's reload function (desk_set_reload): it runs on
 * the engine thread, as every desk command does; reading the files there
 * is acceptable for a command a person gives now and then.
 */
#ifndef TD_RELOAD_H
#define TD_RELOAD_H

struct desk_cmd;
struct errmsg;
struct reload;
struct settings;

#define RELOAD_HOOKS	8

/*
 * A group's own reload: called once per reload in which any key under its
 * prefix differs between was (the last read) and now, on the engine
 * thread.  It applies what it can, says what it did with desk_print (one
 * line per key, "KEY: ..."; never a secret's value) and adds the keys it
 * applied and left alone to *applied and *left.
 */
typedef void	(*reload_hook_fn)(void *arg, const struct settings *was,
		    const struct settings *now, struct desk_cmd *c,
		    int *applied, int *left);

/*
 * A reloader for the files path and env (env NULL or "" for none; both
 * copied) of a session whose settings in effect are st (copied).  NULL
 * and a message when memory runs out.  Free with reload_free (NULL is
 * fine) after the runner that calls reload_exec has stopped.
 */
struct reload	*reload_create(const char *path, const char *env,
		     const struct settings *st, struct errmsg *err);
void		 reload_free(struct reload *r);

/*
 * Hand the keys under prefix ("alerts" for alerts.*) to fn.  -1 and a
 * message when RELOAD_HOOKS are already set.  Set hooks before the
 * runner starts.
 */
int		 reload_hook(struct reload *r, const char *prefix,
		     reload_hook_fn fn, void *arg, struct errmsg *err);

/* The reload command (a desk_reload_fn; arg is the struct reload). */
void		 reload_exec(void *arg, struct desk_cmd *c);

#endif
