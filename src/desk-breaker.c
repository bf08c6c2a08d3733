/*
 * desk-breaker.c -- `breaker list | reset NAME`: the circuit breakers.
 *
 * A tripped breaker halted trading and stays tripped until a person
 * resets it here; resume is refused while one is tripped.  Resetting does
 * not resume: the trader looks at what tripped it, resets, then types
 * resume (which asks to confirm after the engine's halt).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "breaker.h"
#include "desk.h"
#include "engine.h"
#include "errmsg.h"

/* "60 min", "90 s", "2 h". */
static char *
desk_breaker_span(td_ns t, char *buf, size_t len)
{
	int64_t	 s = t / TD_NS_PER_SEC;

	if (s >= 7200 && s % 3600 == 0)
		snprintf(buf, len, "%lld h", (long long)(s / 3600));
	else if (s >= 60 && s % 60 == 0)
		snprintf(buf, len, "%lld min", (long long)(s / 60));
	else
		snprintf(buf, len, "%lld s", (long long)s);
	return buf;
}

static void
desk_breaker_list(struct desk_cmd *c)
{
	const struct snapshot	*s = desk_snapshot(c);
	char			 span[32], a[48], b[48], when[32];

	for (int i = 0; i < SNAP_BREAKERS; i++) {
		const struct snap_breaker	*k = &s->breakers[i];

		if (!k->on && !k->tripped) {
			desk_print(c, "%-10s off", k->name);
			continue;
		}
		desk_breaker_span(k->window, span, sizeof span);
		if (k->tripped) {
			desk_print(c, "%-10s TRIPPED at %s: %s (breaker reset "
			    "%s)", k->name, desk_time(c, k->when, when,
			    sizeof when), k->why, k->name);
			continue;
		}
		if (i == BREAKER_PNL_SWING)
			desk_print(c, "%-10s ok, P&L swing %s of %s within %s",
			    k->name, desk_money(k->level, a, sizeof a),
			    desk_money(k->limit, b, sizeof b), span);
		else
			desk_print(c, "%-10s ok, %lld of %lld %s within %s",
			    k->name, (long long)k->level, (long long)k->limit,
			    i == BREAKER_REJECTS ? "orders refused" :
			    i == BREAKER_ERRORS ? "same errors" :
			    "venue errors", span);
	}
}

static void
desk_breaker_reset(struct desk_cmd *c, const char *name)
{
	const struct snapshot	*s;
	struct errmsg		 err;
	int			 rc, left = 0;

	if ((rc = engine_breaker_reset(c->engine, name, desk_who(c),
	    &err)) == -1) {
		desk_fail(c, 2, "breaker: %s", err.msg);
		return;
	}
	s = desk_snapshot(c);
	for (int i = 0; i < SNAP_BREAKERS; i++) {
		if (s->breakers[i].tripped)
			left++;
	}
	if (rc == 1)
		desk_print(c, "breaker %s was not tripped (its count starts "
		    "again)", name);
	else
		desk_print(c, "breaker %s reset", name);
	if (left > 0)
		desk_print(c, "%d other breaker%s still tripped (breaker "
		    "list)", left, left == 1 ? " is" : "s are");
	else if (strcmp(s->state, "ACTIVE") != 0)
		desk_print(c, "trading is still %s: resume to trade",
		    s->state);
}

static void
desk_breaker_exec(struct desk_cmd *c)
{
	if (c->argc == 1 || strcasecmp(c->argv[1], "list") == 0) {
		if (c->argc > 2) {
			desk_unexpected(c, c->argv[2]);
			return;
		}
		desk_breaker_list(c);
		return;
	}
	if (strcasecmp(c->argv[1], "reset") != 0 || c->argc != 3) {
		if (strcasecmp(c->argv[1], "reset") == 0 && c->argc > 3)
			desk_unexpected(c, c->argv[3]);
		else
			desk_usage(c);
		return;
	}
	desk_breaker_reset(c, c->argv[2]);
}

static void
desk_breaker_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	(void)snap;
	if (argc == 1) {
		desk_words_add(out, prefix, "list");
		desk_words_add(out, prefix, "reset");
	} else if (argc == 2 && strcasecmp(argv[1], "reset") == 0) {
		for (int k = 0; k < BREAKER_KINDS; k++)
			desk_words_add(out, prefix,
			    breaker_name((enum breaker_kind)k));
	}
}

const struct desk_entry desk_breaker_entry = {
	.name = "breaker",
	.usage = "[list | reset NAME]",
	.summary = "the circuit breakers; reset one that tripped",
	.flags = DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_breaker_exec,
	.complete = desk_breaker_complete,
};
