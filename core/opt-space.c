/*
 * opt-space.c -- the parameter space of an optimisation (see
 * opt-space.h): parsing a dimension, numbering the grid.
 *
 * Owns the value array of each dimension.  Values are parsed by
 * strat_param_parse, the configuration's own reader, so a range's ends
 * and step obey the parameter's type, range and decimals.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "fixed.h"
#include "opt-space.h"
#include "stats.h"
#include "strat-param.h"
#include "strat-registry.h"

void
opt_space_init(struct opt_space *s)
{
	memset(s, 0, sizeof *s);
	s->npoints = 1;
}

void
opt_space_free(struct opt_space *s)
{
	for (int i = 0; i < s->ndim; i++)
		free(s->dim[i].vals);
	opt_space_init(s);
}

/* A setting of the engine a space may search. */
struct opt_field {
	const char	*name;		/* after "risk.", "sizing.", "atm.T." */
	size_t		 offset;	/* in engine_config, or in a bracket */
	size_t		 size;		/* of the field: 4 or 8 */
	bool		 money;		/* cents, written in dollars */
	bool		 atm;
	int		 target;	/* atm: target k (1..3) must exist */
	int64_t		 min, max;
};

#define OS_MONEY_MAX	100000000000LL
#define OS_ENGINE(f)	offsetof(struct engine_config, f), \
			sizeof(((struct engine_config *)0)->f)
#define OS_BRACKET(f)	offsetof(struct bracket, f), \
			sizeof(((struct bracket *)0)->f)

static const struct opt_field os_fields[] = {
	{ "risk.daily_loss", OS_ENGINE(risk.daily_loss), true, false, 0, 0,
	    OS_MONEY_MAX },
	{ "risk.trailing_loss", OS_ENGINE(risk.trailing_loss), true, false,
	    0, 0, OS_MONEY_MAX },
	{ "risk.weekly_loss", OS_ENGINE(risk.weekly_loss), true, false, 0, 0,
	    OS_MONEY_MAX },
	{ "risk.max_trade_risk", OS_ENGINE(risk.max_trade_risk), true, false,
	    0, 0, OS_MONEY_MAX },
	{ "risk.max_contracts", OS_ENGINE(risk.max_contracts), false, false,
	    0, 0, 100000 },
	{ "sizing.contracts", OS_ENGINE(sizing.contracts), false, false, 0,
	    1, 100000 },
	{ "sizing.risk_per_trade", OS_ENGINE(sizing.risk_per_trade), true,
	    false, 0, 0, OS_MONEY_MAX },
	{ "sizing.max_contracts", OS_ENGINE(sizing.max_contracts), false,
	    false, 0, 1, 100000 },
	{ "stop_ticks", OS_BRACKET(stop_ticks), false, true, 0, 1, 10000 },
	{ "target1_ticks", OS_BRACKET(target_ticks[0]), false, true, 1, 1,
	    10000 },
	{ "target2_ticks", OS_BRACKET(target_ticks[1]), false, true, 2, 1,
	    10000 },
	{ "target3_ticks", OS_BRACKET(target_ticks[2]), false, true, 3, 1,
	    10000 },
	{ "breakeven_ticks", OS_BRACKET(be_trigger), false, true, 0, 0,
	    10000 },
	{ "trail_ticks", OS_BRACKET(trail_dist), false, true, 0, 0, 10000 },
	{ "trail_trigger", OS_BRACKET(trail_trigger), false, true, 0, 0,
	    10000 },
};

/* "risk.KEY", "sizing.KEY" or "atm.TEMPLATE.KEY": 1 found, 0 not one. */
static int
os_find_field(struct opt_dim *d, const struct engine_config *ec,
    const char *name, struct errmsg *err)
{
	const char	*key = name, *dot;

	d->atm = -1;
	if (strncmp(name, "atm.", 4) == 0) {
		if ((dot = strchr(name + 4, '.')) == NULL)
			return errmsg_set(err, "%s: atm.TEMPLATE.KEY", name);
		for (int i = 0; i < ec->natm; i++)
			if (strlen(ec->atm[i].name) == (size_t)(dot - name - 4) &&
			    strncmp(ec->atm[i].name, name + 4,
			    (size_t)(dot - name - 4)) == 0)
				d->atm = i;
		if (d->atm == -1)
			return errmsg_set(err, "%s: no atm template of that "
			    "name", name);
		key = dot + 1;
	} else if (strncmp(name, "risk.", 5) != 0 &&
	    strncmp(name, "sizing.", 7) != 0)
		return 0;
	for (size_t i = 0; i < sizeof os_fields / sizeof os_fields[0]; i++)
		if (os_fields[i].atm == (d->atm != -1) &&
		    strcmp(os_fields[i].name, key) == 0)
			d->field = &os_fields[i];
	if (d->field == NULL)
		return errmsg_set(err, "%s: no setting a search can change",
		    name);
	if (d->atm != -1 && d->field->target > ec->atm[d->atm].br.ntargets)
		return errmsg_set(err, "%s: template %s has no target %d", name,
		    ec->atm[d->atm].name, d->field->target);
	snprintf(d->name, sizeof d->name, "%s", name);
	return 1;
}

/* The strategy and parameter "[STRATEGY.]PARAM" names. */
static int
os_find(struct opt_dim *d, const struct engine_config *ec,
    const struct strat_registry *reg, const char *name, struct errmsg *err)
{
	const struct strategy_ops	*ops;
	const char			*dot = strrchr(name, '.');
	const char			*param = dot != NULL ? dot + 1 : name;

	int				 n = 0;

	d->strat = -1;
	for (int i = 0; i < ec->nstrat; i++) {
		if (dot != NULL ? strlen(ec->strat[i].name) ==
		    (size_t)(dot - name) && strncmp(ec->strat[i].name, name,
		    (size_t)(dot - name)) == 0 : ec->strat[i].enabled) {
			d->strat = i;
			n++;
		}
	}
	if (d->strat == -1 || (dot == NULL && n > 1))
		return errmsg_set(err, "%s: %s", name, dot != NULL ?
		    "no strategy of that name" : n == 0 ? "no strategy is "
		    "enabled" : "name the strategy (STRATEGY.PARAM): more "
		    "than one is enabled");
	if ((ops = strat_registry_find(reg, ec->strat[d->strat].type)) ==
	    NULL || (d->index = strat_param_index(ops, param)) == -1)
		return errmsg_set(err, "%s: strategy %s has no parameter '%s'",
		    name, ec->strat[d->strat].name, param);
	d->param = &ops->params[d->index];
	if (d->param->type == STRAT_PARAM_STRING)
		return errmsg_set(err, "%s: a text parameter cannot be searched",
		    name);
	snprintf(d->name, sizeof d->name, "%s.%s", ec->strat[d->strat].name,
	    param);
	return 0;
}

static int
os_push(struct opt_dim *d, int64_t v, struct errmsg *err)
{
	int64_t	*n;

	for (int i = 0; i < d->nvals; i++)
		if (d->vals[i] == v)
			return 0;		/* once each */
	if (d->nvals == OPT_MAX_VALUES)
		return errmsg_set(err, "more than %d values", OPT_MAX_VALUES);
	if ((n = realloc(d->vals, (size_t)(d->nvals + 1) * sizeof *n)) == NULL)
		return errmsg_set(err, "out of memory");
	d->vals = n;
	d->vals[d->nvals++] = v;
	return 0;
}

/* A value of a setting: dollars to cents, or a whole number; in range. */
static int
os_field_value(const struct opt_field *f, const char *buf, int64_t *v,
    struct errmsg *err)
{
	td_px	 px;

	if (f->money) {
		if (fixed_parse(buf, strlen(buf), &px) == -1 ||
		    px % 10000000 != 0)
			return errmsg_set(err, "%s: not dollars with at most 2 "
			    "decimals", buf);
		*v = px / 10000000;
	} else if (fixed_parse_int(buf, strlen(buf), v) == -1)
		return errmsg_set(err, "%s: must be an integer", buf);
	if (*v < f->min || *v > f->max)
		return errmsg_set(err, "%s: out of its range", buf);
	return 0;
}

/* One value of d's parameter from the text [s, s + len). */
static int
os_value(const struct opt_dim *d, const char *s, size_t len, int64_t *v,
    struct errmsg *err)
{
	char	 text[STRAT_STRING_MAX], buf[64], why[96];

	if (len == 0 || len >= sizeof buf)
		return errmsg_set(err, "'%.*s': no value", (int)len, s);
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (d->field != NULL)
		return os_field_value(d->field, buf, v, err);
	if (strat_param_parse(d->param, buf, v, text, why, sizeof why) == -1)
		return errmsg_set(err, "%s: %s", buf, why);
	return 0;
}

static int
os_list(struct opt_dim *d, const char *vals, struct errmsg *err)
{
	int64_t	 v;

	for (const char *p = vals; ; p++) {
		size_t	 w = strcspn(p, ",");

		if (os_value(d, p, w, &v, err) == -1 ||
		    os_push(d, v, err) == -1)
			return -1;
		p += w;
		if (*p == '\0')
			return 0;
	}
}

/* A:B:STEP, or A:B*F. */
static int
os_range(struct opt_dim *d, const char *vals, struct errmsg *err)
{
	const char	*c1 = strchr(vals, ':'), *c2, *star;
	int64_t		 a, b, step;
	double		 f, x;
	char		*end;

	if (d->param != NULL && d->param->type != STRAT_PARAM_INT &&
	    d->param->type != STRAT_PARAM_DECIMAL)
		return errmsg_set(err, "a range of a parameter that is no "
		    "number");
	star = strchr(c1 + 1, '*');
	c2 = strchr(c1 + 1, ':');
	if ((c2 == NULL) == (star == NULL))
		return errmsg_set(err, "a range is A:B:STEP or A:B*FACTOR");
	if (os_value(d, vals, (size_t)(c1 - vals), &a, err) == -1 ||
	    os_value(d, c1 + 1, (size_t)((c2 ? c2 : star) - c1 - 1), &b,
	    err) == -1)
		return -1;
	if (b < a)
		return errmsg_set(err, "the range ends below its start");
	if (c2 != NULL) {
		if (os_value(d, c2 + 1, strlen(c2 + 1), &step, err) == -1)
			return -1;
		if (step <= 0)
			return errmsg_set(err, "the step must be above 0");
		for (int64_t v = a; v <= b; v += step)
			if (os_push(d, v, err) == -1)
				return -1;
		return 0;
	}
	f = strtod(star + 1, &end);
	if (*end != '\0' || !(f > 1) || a <= 0)
		return errmsg_set(err, "a log range needs a start above 0 and "
		    "a factor above 1");
	for (x = (double)a; llround(x) <= b; x *= f)
		if (os_push(d, llround(x), err) == -1)
			return -1;
	return 0;
}

int
opt_space_add(struct opt_space *s, const struct engine_config *ec,
    const struct strat_registry *reg, const char *spec, struct errmsg *err)
{
	const char	*eq = strchr(spec, '=');
	struct opt_dim	*d = &s->dim[s->ndim];
	char		 name[2 * TD_NAME_MAX];
	int		 rc;

	if (eq == NULL || eq == spec || (size_t)(eq - spec) >= sizeof name)
		return errmsg_set(err, "%s: not NAME=VALUES", spec);
	if (s->ndim == OPT_MAX_DIMS)
		return errmsg_set(err, "%s: at most %d parameters", spec,
		    OPT_MAX_DIMS);
	snprintf(name, sizeof name, "%.*s", (int)(eq - spec), spec);
	memset(d, 0, sizeof *d);
	if ((rc = os_find_field(d, ec, name, err)) == -1 ||
	    (rc == 0 && os_find(d, ec, reg, name, err) == -1))
		return -1;
	for (int i = 0; i < s->ndim; i++)
		if (strcmp(s->dim[i].name, d->name) == 0)
			return errmsg_set(err, "%s: given twice", d->name);
	rc = strchr(eq + 1, ':') != NULL ? os_range(d, eq + 1, err) :
	    os_list(d, eq + 1, err);
	if (rc == 0 && s->npoints * d->nvals > OPT_MAX_POINTS)
		rc = errmsg_set(err, "more than %lld points", OPT_MAX_POINTS);
	if (rc == -1) {
		errmsg_prefix(err, "%s", spec);
		free(d->vals);
		return -1;
	}
	s->npoints *= d->nvals;
	s->ndim++;
	return 0;
}

void
opt_space_point(const struct opt_space *s, int64_t idx, int64_t *vals)
{
	for (int i = s->ndim - 1; i >= 0; i--) {
		vals[i] = s->dim[i].vals[idx % s->dim[i].nvals];
		idx /= s->dim[i].nvals;
	}
}

static void
os_set_field(const struct opt_dim *d, int64_t v, struct engine_config *ec)
{
	char	*at = d->atm != -1 ? (char *)&ec->atm[d->atm].br :
		    (char *)ec;

	at += d->field->offset;
	if (d->field->size == sizeof(int64_t))
		memcpy(at, &v, sizeof v);
	else {
		int32_t	 w = (int32_t)v;

		memcpy(at, &w, sizeof w);
	}
}

void
opt_space_apply(const struct opt_space *s, const int64_t *vals,
    struct engine_config *ec)
{
	for (int i = 0; i < s->ndim; i++) {
		if (s->dim[i].field != NULL)
			os_set_field(&s->dim[i], vals[i], ec);
		else
			ec->strat[s->dim[i].strat].params[s->dim[i].index] =
			    vals[i];
	}
}

char *
opt_space_format(const struct opt_space *s, int d, int64_t val, char *buf,
    size_t len)
{
	const struct opt_field	*f = s->dim[d].field;

	if (f == NULL)
		return strat_param_format(s->dim[d].param, val, "", buf, len);
	if (f->money)
		stats_money_plain(val, buf, len);
	else
		snprintf(buf, len, "%lld", (long long)val);
	return buf;
}
