/*
 * models.h -- the configuration's models (tickdesk.conf(5) models), read
 * from their files and made into the engine's model sources.
 */
#ifndef TD_MODELS_H
#define TD_MODELS_H

struct errmsg;
struct settings;
struct signal_src;

/*
 * One source per entry of st's models list, in *out (malloc'd; *n of
 * them) for struct engine_deps, which the engine then owns.  A model
 * file that cannot be read, or that is refused (another version, other
 * features, corrupt), gives a broken source with the reason: the
 * strategies that hear it are disabled and the others run.  -1 and a
 * message only when a source cannot be made at all (out of memory).
 */
int	 models_load(const struct settings *st, struct signal_src ***out,
	     int *n, struct errmsg *err);
/* Free what models_load made when no engine took it. */
void	 models_free(struct signal_src **srcs, int n);

#endif
