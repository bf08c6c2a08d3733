/*
 * opt-space.h -- the parameter space an optimisation searches: one
 * dimension per strategy parameter, each a list of values, and the grid
 * of every combination of them, numbered 0 .. npoints - 1.
 *
 * A dimension is given as text, "[STRATEGY.]PARAM=VALUES", STRATEGY the
 * instance name (strategies.name; it may be left out when one strategy
 * is enabled); or a setting of the engine: "risk.KEY", "sizing.KEY" or
 * "atm.TEMPLATE.KEY" (a bracket template's distances), money in dollars
 * and distances in ticks as tickdesk.conf(5) writes them.  VALUES is one
 * of:
 *	A:B:STEP	A, A + STEP, ... up to B (numbers: int and decimal)
 *	A:B*F		A, A x F, A x F x F, ... up to B, each rounded to the
 *			parameter's precision (a log range; F > 1)
 *	A,B,C		a list (any type but string)
 * every value read and checked as the configuration reads the parameter
 * (strat-param.h) or the setting, so a space holds only values they
 * take.
 *
 * Point idx takes its values in mixed radix, the last dimension fastest.
 * The space owns its value arrays (opt_space_free).
 */
#ifndef TD_OPT_SPACE_H
#define TD_OPT_SPACE_H

#include <stdint.h>

#include "engine.h"

struct errmsg;
struct opt_field;
struct strat_registry;

#define OPT_MAX_DIMS	8
#define OPT_MAX_VALUES	10000
#define OPT_MAX_POINTS	100000000LL

struct opt_dim {
	char		 name[3 * TD_NAME_MAX];	/* "orb-es.stop_ticks" */
	int		 strat;			/* engine_config strat[] */
	const struct strat_param *param;
	int		 index;			/* in its ops->params */
	/* Or a setting of the engine (param NULL), of atm[atm]. */
	const struct opt_field	*field;
	int		 atm;
	int64_t		*vals;			/* as the parameter holds them */
	int		 nvals;
};

struct opt_space {
	struct opt_dim	 dim[OPT_MAX_DIMS];
	int		 ndim;
	int64_t		 npoints;	/* 1 with no dimension */
};

void		 opt_space_init(struct opt_space *s);
void		 opt_space_free(struct opt_space *s);

/*
 * Add the dimension spec of the strategies of ec (their types found in
 * reg).  -1 and what is wrong: "stop_ticks=0:8:2: 0: must be >= 1", an
 * unknown strategy or parameter, a parameter given twice, too many
 * values or points.
 */
int		 opt_space_add(struct opt_space *s, const struct engine_config *ec,
		    const struct strat_registry *reg, const char *spec,
		    struct errmsg *err);

/* The values of point idx, one per dimension. */
void		 opt_space_point(const struct opt_space *s, int64_t idx,
		    int64_t *vals);
/* Set ec's parameters to vals (one per dimension). */
void		 opt_space_apply(const struct opt_space *s, const int64_t *vals,
		    struct engine_config *ec);
/* Value vals of dimension d as text, as the configuration writes it. */
char		*opt_space_format(const struct opt_space *s, int d, int64_t val,
		    char *buf, size_t len);

#endif
