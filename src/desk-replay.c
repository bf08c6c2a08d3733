/*
 * desk-replay.c -- `replay pause | resume | speed X | step [bar | N] |
 * goto DATE [TIME]`: the pace of a replay or paper session (the runner's
 * controls).  X is how many times real time (1, 60, 0.5) or "max".  A
 * step processes exactly one more market event of a paused replay; `step
 * bar` and `step N` one or N one-minute bars.  goto seeks in exchange
 * time (the first instrument's session zone), forward at full speed or
 * back through a reset of the simulated account (runner_seek), which it
 * refuses outside a replay on the simulator.  A session without a runner
 * (or a live one, or one on a live feed) has no replay to control.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "errmsg.h"
#include "fixed.h"
#include "tz.h"

#define DESK_SPEED_MAX	100000
#define DESK_STEP_MAX	100000	/* bars in one step */

/* "max" (0) or a number above 0 and at most DESK_SPEED_MAX. */
static int
desk_replay_speed(const char *s, double *out)
{
	td_px	 px;

	if (strcasecmp(s, "max") == 0) {
		*out = 0;
		return 0;
	}
	if (fixed_parse(s, strlen(s), &px) == -1 || px <= 0 ||
	    px > DESK_SPEED_MAX * TD_PX_SCALE)
		return -1;
	*out = (double)px / (double)TD_PX_SCALE;
	return 0;
}

/* "YYYY-MM-DD" into y, m, d: 0, or -1 when it is no such date. */
static int
desk_replay_date(const char *s, int *y, int *m, int *d)
{
	char	 tail;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", y, m, d,
	    &tail) != 3 || s[4] != '-' || s[7] != '-')
		return -1;
	if (*y < 1970 || *y > 2200 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > tz_month_days(*y, *m))
		return -1;
	return 0;
}

/* "HH:MM" or "HH:MM:SS" into seconds of the day: 0, or -1. */
static int
desk_replay_clock(const char *s, int *h, int *mi, int *sec)
{
	char	 tail;
	int	 n;

	*sec = 0;
	n = sscanf(s, "%2d:%2d:%2d%c", h, mi, sec, &tail);
	if (!(n == 3 && strlen(s) == 8) &&
	    !(sscanf(s, "%2d:%2d%c", h, mi, &tail) == 2 && strlen(s) == 5))
		return -1;
	if (*h < 0 || *h > 23 || *mi < 0 || *mi > 59 || *sec < 0 ||
	    *sec > 59)
		return -1;
	return 0;
}

/* The open positions and working orders a reset drops, for the reply. */
static void
desk_replay_dropped(struct desk_cmd *c, const struct snapshot *s)
{
	char	 money[32];
	int	 open = 0;

	for (int i = 0; i < s->ninst; i++) {
		const struct snap_inst	*in = &s->inst[i];

		if (in->position == 0)
			continue;
		open++;
		desk_print(c, "replay: position dropped by the reset: %s %+lld "
		    "at %s, unrealized %s", in->symbol,
		    (long long)in->position, in->avg, desk_money(
		    in->unrealized, money, sizeof money));
	}
	if (s->nworking > 0)
		desk_print(c, "replay: %d working order%s dropped by the reset",
		    s->nworking, s->nworking == 1 ? "" : "s");
	if (open == 0 && s->nworking == 0)
		desk_print(c, "replay: the account was flat: nothing dropped");
}

/* replay goto DATE [TIME], in the exchange's zone. */
static void
desk_replay_goto(struct desk_cmd *c)
{
	const struct snapshot	*s = desk_snapshot(c);
	struct errmsg		 err;
	struct tz		*tz = NULL;
	char			 when[32], first[32];
	int			 y, m, d, h = 0, mi = 0, sec = 0;
	td_ns			 to, from;
	bool			 back;

	if (desk_replay_date(c->argv[2], &y, &m, &d) == -1) {
		desk_fail(c, 2, "replay goto: bad date '%s': YYYY-MM-DD, a day "
		    "that exists", c->argv[2]);
		return;
	}
	if (c->argc == 4 && desk_replay_clock(c->argv[3], &h, &mi,
	    &sec) == -1) {
		desk_fail(c, 2, "replay goto: bad time '%s': HH:MM or "
		    "HH:MM:SS, 00:00 to 23:59:59", c->argv[3]);
		return;
	}
	if (!runner_can_seek(c->runner)) {
		desk_fail(c, 1, "replay goto: only a replay on the simulated "
		    "venue can seek (this session trades on %s); nothing was "
		    "changed", s->venue[0] != '\0' ? s->venue : "a live venue");
		return;
	}
	if (s->tz[0] != '\0' && (tz = tz_load(s->tz, &err)) == NULL) {
		desk_fail(c, 1, "replay goto: %s", err.msg);
		return;
	}
	to = tz != NULL ? tz_to_utc(tz, y, m, d, h, mi, sec) :
	    (td_ns)(tz_days_from_civil(y, m, d) * 86400 + h * 3600 +
	    mi * 60 + sec) * TD_NS_PER_SEC;
	tz_free(tz);
	from = runner_first(c->runner);
	desk_time(c, to, when, sizeof when);
	if (from != 0 && to < from) {
		desk_fail(c, 1, "replay goto: %s %s is before the data's first "
		    "event at %s", when, s->tz, desk_time(c, from, first,
		    sizeof first));
		return;
	}
	if (to < s->now && (s->ninst > 0 || s->nworking > 0))
		desk_replay_dropped(c, s);
	if (runner_seek(c->runner, to, &back, &err) == -1) {
		desk_fail(c, 1, "replay goto: %s", err.msg);
		return;
	}
	desk_print(c, "replay: %s to %s exchange time%s", back ? "back" :
	    "forward", when, back ? ", on a fresh account" :
	    ", at full speed");
}

/* replay step bar | N: one or N one-minute bars of a paused replay. */
static void
desk_replay_bars(struct desk_cmd *c)
{
	struct errmsg	 err;
	const char	*w = c->argv[2];
	int64_t		 n = 1;

	if (strcasecmp(w, "bar") != 0 && desk_arg_int(c, "step (bar or a number "
	    "of bars)", w, 1, DESK_STEP_MAX, &n) == -1)
		return;
	if (!runner_paused(c->runner)) {
		desk_fail(c, 1, "replay: step needs a paused replay "
		    "(replay pause)");
		return;
	}
	if (runner_step_bars(c->runner, (int)n, &err) == -1) {
		desk_fail(c, 1, "replay step: %s", err.msg);
		return;
	}
	desk_print(c, "replay: stepping %lld one-minute bar%s", (long long)n,
	    n == 1 ? "" : "s");
}

static bool
desk_replay_argc(struct desk_cmd *c, const char *sub)
{
	int	 lo = 2, hi = 2;

	if (strcasecmp(sub, "speed") == 0)
		lo = hi = 3;
	else if (strcasecmp(sub, "step") == 0)
		hi = 3;
	else if (strcasecmp(sub, "goto") == 0) {
		lo = 3;
		hi = 4;
	}
	if (c->argc > hi)
		desk_unexpected(c, c->argv[hi]);
	else if (c->argc < lo)
		desk_usage(c);
	return c->argc >= lo && c->argc <= hi;
}

static void
desk_replay_exec(struct desk_cmd *c)
{
	const char	*sub = c->argc > 1 ? c->argv[1] : "";
	char		 speed[32];
	double		 x;

	if (strcasecmp(sub, "pause") != 0 && strcasecmp(sub, "resume") != 0 &&
	    strcasecmp(sub, "speed") != 0 && strcasecmp(sub, "step") != 0 &&
	    strcasecmp(sub, "goto") != 0) {
		desk_usage(c);
		return;
	}
	if (!desk_replay_argc(c, sub))
		return;
	if (c->runner == NULL || desk_snapshot(c)->mode == SNAP_LIVE) {
		desk_fail(c, 1, "replay: no replay in this session");
		return;
	}
	if (desk_snapshot(c)->feed_live) {
		desk_fail(c, 1, "replay: the feed is live, paced by arrival: "
		    "nothing to pause, step or speed up");
		return;
	}
	if (strcasecmp(sub, "pause") == 0) {
		runner_pause(c->runner, true);
		desk_print(c, "replay paused");
	} else if (strcasecmp(sub, "resume") == 0) {
		runner_pause(c->runner, false);
		desk_print(c, "replay running at %s", desk_speed(
		    runner_speed(c->runner), speed, sizeof speed));
	} else if (strcasecmp(sub, "speed") == 0) {
		if (desk_replay_speed(c->argv[2], &x) == -1) {
			desk_fail(c, 2, "replay: bad speed '%s': a number "
			    "above 0 up to %d (1 is real time), or max",
			    c->argv[2], DESK_SPEED_MAX);
			return;
		}
		runner_set_speed(c->runner, x);
		desk_print(c, "replay speed %s%s", desk_speed(x, speed,
		    sizeof speed), runner_paused(c->runner) ? " (paused)" :
		    "");
	} else if (strcasecmp(sub, "goto") == 0)
		desk_replay_goto(c);
	else if (c->argc == 3)
		desk_replay_bars(c);
	else {
		if (!runner_paused(c->runner)) {
			desk_fail(c, 1, "replay: step needs a paused replay "
			    "(replay pause)");
			return;
		}
		runner_step(c->runner);
		desk_print(c, "replay: one more event");
	}
}

static void
desk_replay_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	(void)snap;
	if (argc == 1) {
		desk_words_add(out, prefix, "pause");
		desk_words_add(out, prefix, "resume");
		desk_words_add(out, prefix, "speed");
		desk_words_add(out, prefix, "step");
		desk_words_add(out, prefix, "goto");
	} else if (argc == 2 && strcasecmp(argv[1], "step") == 0) {
		desk_words_add(out, prefix, "bar");
	} else if (argc == 2 && strcasecmp(argv[1], "speed") == 0) {
		desk_words_add(out, prefix, "1");
		desk_words_add(out, prefix, "10");
		desk_words_add(out, prefix, "60");
		desk_words_add(out, prefix, "max");
	}
}

const struct desk_entry desk_replay_entry = {
	.name = "replay",
	.usage = "pause | resume | speed X | step [bar | N] | goto DATE [TIME]",
	.summary = "pause, resume, pace, step or seek the replay",
	.flags = DESK_WHILE_HALTED,
	.exec = desk_replay_exec,
	.complete = desk_replay_complete,
};
