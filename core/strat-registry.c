/*
 * strat-registry.c -- the strategies an engine can run (see
 * strat-registry.h).
 *
 * Adding a built-in strategy: write core/strat-NAME.c exporting a const
 * struct strategy_ops (copy strat-minimal.c), declare it below and add it
 * to the table.
 */
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "strat-param.h"
#include "strat-registry.h"

extern const struct strategy_ops strat_minimal_ops;
extern const struct strategy_ops strat_orb_ops;
extern const struct strategy_ops strat_ml_ops;

static const struct strategy_ops *const strat_builtin_table[] = {
	&strat_minimal_ops,
	&strat_orb_ops,
	&strat_ml_ops,
};
#define STRAT_NBUILTIN	\
	((int)(sizeof strat_builtin_table / sizeof strat_builtin_table[0]))

/* What keeps an adopted table alive, released with the registry. */
struct strat_release {
	void			(*fn)(void *);
	void			*arg;
	struct strat_release	*next;
};

struct strat_registry {
	const struct strategy_ops *const *ops;
	int			 n;
	int			 cap;		/* 0: the shared built-ins */
	const struct strategy_ops **own;	/* ops, when it grows */
	struct strat_release	*release;	/* the last adopted first */
};

static const struct strat_registry strat_builtin = {
	.ops = strat_builtin_table,
	.n = STRAT_NBUILTIN,
};

const struct strat_registry *
strat_registry_builtin(void)
{
	return &strat_builtin;
}

struct strat_registry *
strat_registry_create(struct errmsg *err)
{
	struct strat_registry	*r;

	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->own = calloc(STRAT_NBUILTIN + 8, sizeof *r->own)) == NULL) {
		free(r);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	r->cap = STRAT_NBUILTIN + 8;
	for (int i = 0; i < STRAT_NBUILTIN; i++)
		r->own[i] = strat_builtin_table[i];
	r->n = STRAT_NBUILTIN;
	r->ops = r->own;
	return r;
}

void
strat_registry_free(struct strat_registry *r)
{
	struct strat_release	*rel;

	if (r == NULL || r == &strat_builtin)
		return;
	free(r->own);
	while ((rel = r->release) != NULL) {
		r->release = rel->next;
		rel->fn(rel->arg);
		free(rel);
	}
	free(r);
}

/* Is ops a table this registry can take?  -1 and why not. */
static int
strat_registry_check(const struct strat_registry *r,
    const struct strategy_ops *ops, struct errmsg *err)
{
	if (ops->abi != TD_STRATEGY_ABI)
		return errmsg_set(err, "strategy ABI version %d, this tickdesk "
		    "runs version %d", ops->abi, TD_STRATEGY_ABI);
	if (ops->name == NULL || ops->name[0] == '\0' ||
	    strlen(ops->name) >= TD_NAME_MAX)
		return errmsg_set(err, "a strategy needs a name of 1 to %d "
		    "characters", TD_NAME_MAX - 1);
	if (strat_registry_find(r, ops->name) != NULL)
		return errmsg_set(err, "a strategy named %s is already there",
		    ops->name);
	if (ops->create == NULL || ops->destroy == NULL)
		return errmsg_set(err, "strategy %s has no create or destroy",
		    ops->name);
	if (strat_param_check(ops, err) == -1) {
		errmsg_prefix(err, "strategy %s", ops->name);
		return -1;
	}
	return 0;
}

int
strat_registry_add(struct strat_registry *r, const struct strategy_ops *ops,
    struct errmsg *err)
{
	const struct strategy_ops	**p;

	if (r == &strat_builtin)
		return errmsg_set(err, "the built-in registry is read-only");
	if (strat_registry_check(r, ops, err) == -1)
		return -1;
	if (r->n == r->cap) {
		if ((p = realloc(r->own, (size_t)r->cap * 2 *
		    sizeof *p)) == NULL)
			return errmsg_set(err, "out of memory");
		r->own = p;
		r->ops = p;
		r->cap *= 2;
	}
	r->own[r->n++] = ops;
	return 0;
}

int
strat_registry_adopt(struct strat_registry *r, const struct strategy_ops *ops,
    void (*release)(void *), void *arg, struct errmsg *err)
{
	struct strat_release	*rel;

	if ((rel = malloc(sizeof *rel)) == NULL)
		return errmsg_set(err, "out of memory");
	if (strat_registry_add(r, ops, err) == -1) {
		free(rel);
		return -1;
	}
	rel->fn = release;
	rel->arg = arg;
	rel->next = r->release;
	r->release = rel;
	return 0;
}

const struct strategy_ops *
strat_registry_find(const struct strat_registry *r, const char *name)
{
	for (int i = 0; i < r->n; i++) {
		if (strcmp(r->ops[i]->name, name) == 0)
			return r->ops[i];
	}
	return NULL;
}

int
strat_registry_count(const struct strat_registry *r)
{
	return r->n;
}

const struct strategy_ops *
strat_registry_at(const struct strat_registry *r, int i)
{
	return i >= 0 && i < r->n ? r->ops[i] : NULL;
}
