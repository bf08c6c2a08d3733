/*
 * desk-status.c -- `status`: the trading state and who set it, the mode,
 * clock and replay speed, and the account's P&L.
 */
#include <stdio.h>
#include <string.h>

#include "desk.h"
#include "engine.h"

static const char *
desk_status_mode(enum snap_mode mode)
{
	switch (mode) {
	case SNAP_BACKTEST:
		return "backtest";
	case SNAP_REPLAY:
		return "replay";
	case SNAP_PAPER:
		return "paper";
	case SNAP_LIVE:
		return "live";
	}
	return "?";
}

static void
desk_status_exec(struct desk_cmd *c)
{
	const struct snapshot	*s;
	char			 when[32], now[32], speed[16], clock[128];
	char			 day[48], week[48], real[48], unreal[48];
	int			 open = 0;

	if (c->argc != 1) {
		desk_unexpected(c, c->argv[1]);
		return;
	}
	s = desk_snapshot(c);
	if (strcmp(s->state, "ACTIVE") == 0 || s->state_when == 0)
		desk_print(c, "state %s", s->state);
	else
		desk_print(c, "state %s since %s by %s: %s", s->state,
		    desk_time(c, s->state_when, when, sizeof when),
		    s->state_who, s->state_why);
	if (s->now != 0)
		snprintf(clock, sizeof clock, "%s %s", desk_time(c, s->now,
		    now, sizeof now), s->tz);
	else
		snprintf(clock, sizeof clock, "no data yet");
	desk_print(c, "mode %s%s%s%s, venue %s %s, session %s, %s",
	    desk_status_mode(s->mode), c->runner != NULL ? ", speed " : "",
	    c->runner != NULL ? desk_speed(s->speed, speed, sizeof speed) : "",
	    s->paused ? " (paused)" : "", s->venue,
	    s->venue_up ? "up" : "DOWN", s->session, clock);
	desk_print(c, "day P&L %s, week P&L %s (realized %s, unrealized %s)",
	    desk_money(s->day_pnl, day, sizeof day),
	    desk_money(s->week_pnl, week, sizeof week),
	    desk_money(s->realized, real, sizeof real),
	    desk_money(s->unrealized, unreal, sizeof unreal));
	for (int i = 0; i < s->ninst; i++) {
		if (s->inst[i].position != 0)
			open++;
	}
	desk_print(c, "positions %d, working orders %d, events %lld, orders "
	    "refused %lld", open, s->norders, (long long)s->events,
	    (long long)s->rejects);
}

const struct desk_entry desk_status_entry = {
	.name = "status",
	.usage = "",
	.summary = "trading state, mode, exchange time and P&L",
	.flags = DESK_WHILE_HALTED,
	.exec = desk_status_exec,
};
