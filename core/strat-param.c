/*
 * strat-param.c -- a strategy's parameter table: lookups, checks, and
 * values to and from text by type (see strat-param.h).
 *
 * Decimals are read exactly, as prices are (fixed.h): the text goes to a
 * fixed-point value of nine decimals, which must have no more than the
 * parameter's scale, and is then held in units of that scale.
 */
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "fixed.h"
#include "strat-param.h"

int
strat_param_index(const struct strategy_ops *ops, const char *name)
{
	for (int i = 0; ops->params[i].name != NULL; i++) {
		if (strcmp(ops->params[i].name, name) == 0)
			return i;
	}
	return -1;
}

int
strat_param_count(const struct strategy_ops *ops)
{
	int	 n = 0;

	while (ops->params[n].name != NULL)
		n++;
	return n;
}

/* Which of the texts parameter i has, or -1 for no string. */
static int
strat_param_slot(const struct strategy_ops *ops, int i)
{
	int	 k = 0;

	if (i < 0 || i >= strat_param_count(ops) ||
	    ops->params[i].type != STRAT_PARAM_STRING)
		return -1;
	for (int j = 0; j < i; j++)
		k += ops->params[j].type == STRAT_PARAM_STRING;
	return k < STRAT_MAX_STRINGS ? k : -1;
}

const char *
strat_param_get_text(const struct strategy_ops *ops,
    const char (*text)[STRAT_STRING_MAX], int i)
{
	int	 k = strat_param_slot(ops, i);

	return k == -1 ? "" : text[k];
}

char *
strat_param_text_at(const struct strategy_ops *ops,
    char (*text)[STRAT_STRING_MAX], int i)
{
	int	 k = strat_param_slot(ops, i);

	return k == -1 ? NULL : text[k];
}

void
strat_param_defaults(const struct strategy_ops *ops, int64_t *num,
    char (*text)[STRAT_STRING_MAX])
{
	char	*t;

	for (int i = 0; ops->params[i].name != NULL; i++) {
		const struct strat_param	*p = &ops->params[i];

		num[i] = p->type == STRAT_PARAM_STRING ? 0 : p->def;
		if (text != NULL && (t = strat_param_text_at(ops, text,
		    i)) != NULL)
			snprintf(t, STRAT_STRING_MAX, "%s", p->def_text !=
			    NULL ? p->def_text : "");
	}
}

/* 10^n for n in 0..9. */
static int64_t
strat_param_pow10(int n)
{
	int64_t	 v = 1;

	while (n-- > 0)
		v *= 10;
	return v;
}

static int
strat_param_names(const struct strat_param *p)
{
	int	 n = 0;

	while (p->names != NULL && p->names[n] != NULL)
		n++;
	return n;
}

/* The checks of one entry by its type; -1 and what is wrong. */
static int
strat_param_check_one(const struct strat_param *p, struct errmsg *err)
{
	int	 n;
	size_t	 len;

	switch (p->type) {
	case STRAT_PARAM_DECIMAL:
		if (p->scale < 1 || p->scale > 9)
			return errmsg_set(err, "parameter '%s': scale %d is "
			    "not 1 to 9", p->name, p->scale);
		/* FALLTHROUGH */
	case STRAT_PARAM_INT:
		if (p->min > p->max || p->def < p->min || p->def > p->max)
			return errmsg_set(err, "parameter '%s': default %lld "
			    "is out of its range %lld..%lld", p->name,
			    (long long)p->def, (long long)p->min,
			    (long long)p->max);
		return 0;
	case STRAT_PARAM_BOOL:
		if (p->def != 0 && p->def != 1)
			return errmsg_set(err, "parameter '%s': a boolean's "
			    "default is 0 or 1", p->name);
		return 0;
	case STRAT_PARAM_ENUM:
		if ((n = strat_param_names(p)) == 0)
			return errmsg_set(err, "parameter '%s': an "
			    "enumeration needs names", p->name);
		for (int k = 0; k < n; k++) {
			for (int j = 0; j < k; j++) {
				if (strcmp(p->names[j], p->names[k]) == 0)
					return errmsg_set(err, "parameter "
					    "'%s': '%s' twice", p->name,
					    p->names[k]);
			}
		}
		if (p->def < 0 || p->def >= n)
			return errmsg_set(err, "parameter '%s': default %lld "
			    "is no index of its names", p->name,
			    (long long)p->def);
		return 0;
	case STRAT_PARAM_STRING:
		len = p->def_text != NULL ? strlen(p->def_text) : 0;
		if (p->min < 0 || p->min > p->max ||
		    p->max >= STRAT_STRING_MAX)
			return errmsg_set(err, "parameter '%s': lengths "
			    "%lld..%lld, at most %d", p->name,
			    (long long)p->min, (long long)p->max,
			    STRAT_STRING_MAX - 1);
		if ((int64_t)len < p->min || (int64_t)len > p->max)
			return errmsg_set(err, "parameter '%s': default of %zu "
			    "characters", p->name, len);
		return 0;
	}
	return errmsg_set(err, "parameter '%s': unknown type %d", p->name,
	    (int)p->type);
}

int
strat_param_check(const struct strategy_ops *ops, struct errmsg *err)
{
	const struct strat_param	*p;
	int				 strings = 0;

	if (ops->params == NULL)
		return errmsg_set(err, "no parameter table (an empty one ends "
		    "with a NULL name)");
	for (int i = 0; (p = &ops->params[i])->name != NULL; i++) {
		if (i == STRAT_MAX_PARAMS)
			return errmsg_set(err, "more than %d parameters",
			    STRAT_MAX_PARAMS);
		if (p->name[0] == '\0' || strlen(p->name) >= TD_NAME_MAX)
			return errmsg_set(err, "parameter %d: a name of 1 to "
			    "%d characters", i, TD_NAME_MAX - 1);
		if (strat_param_index(ops, p->name) != i)
			return errmsg_set(err, "parameter '%s' twice",
			    p->name);
		if (strat_param_check_one(p, err) == -1)
			return -1;
		if (p->type == STRAT_PARAM_STRING &&
		    ++strings > STRAT_MAX_STRINGS)
			return errmsg_set(err, "more than %d string parameters",
			    STRAT_MAX_STRINGS);
	}
	return 0;
}

/* A number of p's kind in range; -1 and why. */
static int
strat_param_number(const struct strat_param *p, const char *s, int64_t *num,
    char *why, size_t len)
{
	char	 b[FIXED_FMT_MAX];
	td_px	 v;
	int64_t	 unit;

	if (p->type == STRAT_PARAM_INT) {
		if (fixed_parse_int(s, strlen(s), num) == -1) {
			snprintf(why, len, "must be an integer");
			return -1;
		}
	} else {
		unit = strat_param_pow10(FIXED_DECIMALS - p->scale);
		if (fixed_parse(s, strlen(s), &v) == -1) {
			snprintf(why, len, "must be a number (%s)",
			    strat_param_format(p, p->def, NULL, b, sizeof b));
			return -1;
		}
		if (v % unit != 0) {
			snprintf(why, len, "at most %d decimal%s", p->scale,
			    p->scale == 1 ? "" : "s");
			return -1;
		}
		*num = v / unit;
	}
	if (*num < p->min) {
		snprintf(why, len, "must be >= %s", strat_param_format(p,
		    p->min, NULL, b, sizeof b));
		return -1;
	}
	if (*num > p->max) {
		snprintf(why, len, "must be <= %s", strat_param_format(p,
		    p->max, NULL, b, sizeof b));
		return -1;
	}
	return 0;
}

int
strat_param_parse(const struct strat_param *p, const char *s, int64_t *num,
    char *text, char *why, size_t len)
{
	char	 r[256];
	size_t	 n;

	switch (p->type) {
	case STRAT_PARAM_INT:
	case STRAT_PARAM_DECIMAL:
		return strat_param_number(p, s, num, why, len);
	case STRAT_PARAM_BOOL:
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0) {
			snprintf(why, len, "must be true or false");
			return -1;
		}
		*num = s[0] == 't';
		return 0;
	case STRAT_PARAM_ENUM:
		for (int k = 0; p->names != NULL && p->names[k] != NULL; k++) {
			if (strcmp(p->names[k], s) == 0) {
				*num = k;
				return 0;
			}
		}
		snprintf(why, len, "must be one of %s", strat_param_range(p, r,
		    sizeof r));
		return -1;
	case STRAT_PARAM_STRING:
		if ((n = strlen(s)) < (size_t)p->min || n > (size_t)p->max) {
			snprintf(why, len, "%lld to %lld characters",
			    (long long)p->min, (long long)p->max);
			return -1;
		}
		*num = 0;
		if (text != NULL)
			snprintf(text, STRAT_STRING_MAX, "%s", s);
		return 0;
	}
	snprintf(why, len, "unknown type of parameter");
	return -1;
}

int
strat_param_valid(const struct strat_param *p, int64_t num, const char *text,
    char *why, size_t len)
{
	char	 b[STRAT_STRING_MAX + 32];
	int64_t	 v;

	if (p->type == STRAT_PARAM_STRING)
		return strat_param_parse(p, text, &v, NULL, why, len);
	return strat_param_parse(p, strat_param_format(p, num, NULL, b,
	    sizeof b), &v, NULL, why, len);
}

char *
strat_param_format(const struct strat_param *p, int64_t num,
    const char *text, char *buf, size_t len)
{
	int	 n;

	switch (p->type) {
	case STRAT_PARAM_DECIMAL:
		return fixed_format(num * strat_param_pow10(FIXED_DECIMALS -
		    p->scale), p->scale, buf, len);
	case STRAT_PARAM_BOOL:
		snprintf(buf, len, "%s", num != 0 ? "true" : "false");
		break;
	case STRAT_PARAM_ENUM:
		n = strat_param_names(p);
		snprintf(buf, len, "%s", num >= 0 && num < n ? p->names[num] :
		    "?");
		break;
	case STRAT_PARAM_STRING:
		snprintf(buf, len, "%s", text != NULL ? text : "");
		break;
	default:
		snprintf(buf, len, "%lld", (long long)num);
		break;
	}
	return buf;
}

char *
strat_param_range(const struct strat_param *p, char *buf, size_t len)
{
	char	 a[FIXED_FMT_MAX], b[FIXED_FMT_MAX];
	size_t	 used = 0;

	buf[0] = '\0';
	switch (p->type) {
	case STRAT_PARAM_BOOL:
		snprintf(buf, len, "true|false");
		break;
	case STRAT_PARAM_ENUM:
		for (int k = 0; p->names != NULL && p->names[k] != NULL &&
		    used < len; k++)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s", k > 0 ? "|" : "", p->names[k]);
		break;
	case STRAT_PARAM_STRING:
		snprintf(buf, len, "%lld..%lld chars", (long long)p->min,
		    (long long)p->max);
		break;
	default:
		snprintf(buf, len, "%s..%s", strat_param_format(p, p->min,
		    NULL, a, sizeof a), strat_param_format(p, p->max, NULL, b,
		    sizeof b));
		break;
	}
	return buf;
}

const char *
strat_param_type_name(enum strat_param_type type)
{
	static const char *const names[] = {
		[STRAT_PARAM_INT] = "int",
		[STRAT_PARAM_DECIMAL] = "decimal",
		[STRAT_PARAM_BOOL] = "bool",
		[STRAT_PARAM_ENUM] = "enum",
		[STRAT_PARAM_STRING] = "string",
	};

	if ((unsigned)type >= sizeof names / sizeof names[0])
		return "?";
	return names[type];
}
