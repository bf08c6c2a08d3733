/*
 * desk-replay.c -- `replay pause | resume | speed X | step`: the pace of
 * a replay or paper session (the runner's controls).  X is how many
 * times real time (1, 60, 0.5) or "max".  A step processes exactly one
 * more market event of a paused replay.  A session without a runner (or a
 * live one, or one on a live feed) has no replay to control.
 */
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "fixed.h"

#define DESK_SPEED_MAX	100000

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

static void
desk_replay_exec(struct desk_cmd *c)
{
	const char	*sub = c->argc > 1 ? c->argv[1] : "";
	char		 speed[32];
	double		 x;
	int		 want = strcasecmp(sub, "speed") == 0 ? 3 : 2;

	if (strcasecmp(sub, "pause") != 0 && strcasecmp(sub, "resume") != 0 &&
	    strcasecmp(sub, "speed") != 0 && strcasecmp(sub, "step") != 0) {
		desk_usage(c);
		return;
	}
	if (c->argc != want) {
		if (c->argc > want)
			desk_unexpected(c, c->argv[want]);
		else
			desk_usage(c);
		return;
	}
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
	} else {
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
	} else if (argc == 2 && strcasecmp(argv[1], "speed") == 0) {
		desk_words_add(out, prefix, "1");
		desk_words_add(out, prefix, "10");
		desk_words_add(out, prefix, "60");
		desk_words_add(out, prefix, "max");
	}
}

const struct desk_entry desk_replay_entry = {
	.name = "replay",
	.usage = "pause | resume | speed X | step",
	.summary = "pause, resume, pace or step the replay",
	.flags = DESK_WHILE_HALTED,
	.exec = desk_replay_exec,
	.complete = desk_replay_complete,
};
