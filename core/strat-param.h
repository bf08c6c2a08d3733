/*
 * strat-param.h -- a strategy's parameter table (struct strat_param in
 * strategy.h), read by the engine's side: lookups, defaults, checks, and
 * values to and from text by their type.
 *
 * The configuration loader, `strategy set` in the desk, `config keys`
 * and the strategy registry all read a strategy's parameters through
 * these functions, so that every one of them judges a value the same way.
 * A value is held as a number (num) and, for a string, a text of
 * STRAT_STRING_MAX bytes: the texts of a strategy's string parameters
 * are kept apart, at most STRAT_MAX_STRINGS, in table order.
 */
#ifndef TD_STRAT_PARAM_H
#define TD_STRAT_PARAM_H

#include "strategy.h"

struct errmsg;

/* Index of a parameter in ops->params, or -1. */
int		 strat_param_index(const struct strategy_ops *ops,
		     const char *name);
/* How many parameters ops has. */
int		 strat_param_count(const struct strategy_ops *ops);
/*
 * Every parameter of ops at its default: num[i], and the texts of its
 * string parameters when text (STRAT_MAX_STRINGS of them) is not NULL.
 */
void		 strat_param_defaults(const struct strategy_ops *ops,
		     int64_t *num, char (*text)[STRAT_STRING_MAX]);
/*
 * The text of parameter i among a strategy's texts: "" for a parameter
 * that is no string (strat_param_get_text); the place to write it, or
 * NULL for one that is no string (strat_param_text_at).
 */
const char	*strat_param_get_text(const struct strategy_ops *ops,
		     const char (*text)[STRAT_STRING_MAX], int i);
char		*strat_param_text_at(const struct strategy_ops *ops,
		     char (*text)[STRAT_STRING_MAX], int i);
/*
 * Is the table usable?  -1 and what is wrong ("parameter 'x': default 0
 * is out of its range 1..10") for more than STRAT_MAX_PARAMS entries, a
 * name missing, repeated or too long, an unknown type, a default out of
 * its range, a decimal's scale not 1..9, an enumeration without names or
 * with one twice, a string's lengths beyond STRAT_STRING_MAX - 1, or more
 * than STRAT_MAX_STRINGS strings.
 */
int		 strat_param_check(const struct strategy_ops *ops,
		     struct errmsg *err);

/*
 * A value of p from text: "12" (int), "0.65" (decimal, at most p->scale
 * decimals), "true" or "false", one of an enumeration's names, any text
 * of the allowed length.  0 and the value in *num (and text, for a
 * string), or -1 and why not in why ("must be >= 1", "must be true or
 * false", "must be one of close|high|low", "at most 2 decimals").
 */
int		 strat_param_parse(const struct strat_param *p,
		     const char *s, int64_t *num, char *text, char *why,
		     size_t len);
/*
 * Does a value held for p fit it (a number in its range, a boolean 0 or
 * 1, an enumeration's index, a string of its lengths)?  0, or -1 and why
 * not in why, as strat_param_parse says it.
 */
int		 strat_param_valid(const struct strat_param *p, int64_t num,
		     const char *text, char *why, size_t len);
/* A value of p as text, as strat_param_parse reads it back. */
char		*strat_param_format(const struct strat_param *p, int64_t num,
		     const char *text, char *buf, size_t len);
/* What p takes: "1..390", "0.00..10.00", "true|false", "a|b", "0..20 chars". */
char		*strat_param_range(const struct strat_param *p, char *buf,
		     size_t len);
/* "int", "decimal", "bool", "enum", "string"; "?" when out of range. */
const char	*strat_param_type_name(enum strat_param_type type);

#endif
