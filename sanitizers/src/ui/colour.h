/*
 * colour.h -- colours by role, schemes in a table.
 *
 * Pane code never picks a colour pair: it asks for a role (P&L up, risk
 * breach, order rejected, ...) and gets the attribute of the scheme in
 * use.  The colour scheme keeps the terminal's own foreground and
 * background (use_default_colors) and adds colour; the monochrome scheme,
 * chosen by NO_COLOR, --no-color or a terminal without colours, uses only
 * bold, underline and reverse, so a breach or a KILLED state still stands
 * out.  Colour is always an addition: every figure also carries its sign
 * or its word.
 */
#ifndef TD_UI_COLOUR_H
#define TD_UI_COLOUR_H

#include <stdbool.h>

#include <curses.h>

enum colour_role {
	COLOUR_NORMAL,
	COLOUR_DIM,		/* column headers, secondary text */
	COLOUR_TITLE,		/* a pane's title line */
	COLOUR_TITLE_FOCUS,	/* the focused pane's title line */
	COLOUR_STATUS,		/* the status bar */
	COLOUR_PNL_UP,
	COLOUR_PNL_DOWN,
	COLOUR_WARN,		/* naked position, stale feed */
	COLOUR_RISK_OK,
	COLOUR_RISK_WARN,	/* 80% of a limit */
	COLOUR_RISK_BREACH,	/* 100% of a limit, tripped breaker */
	COLOUR_STATE_ACTIVE,
	COLOUR_STATE_REDUCING,
	COLOUR_STATE_HALTED,
	COLOUR_STATE_KILLED,
	COLOUR_STRAT_RUNNING,
	COLOUR_STRAT_WAITING,
	COLOUR_STRAT_DISABLED,
	COLOUR_STRAT_ERRORED,
	COLOUR_ORDER_WORKING,
	COLOUR_ORDER_FILLED,
	COLOUR_ORDER_DONE,	/* cancelled, expired */
	COLOUR_ORDER_REJECTED,
	COLOUR_LOG_DEBUG,
	COLOUR_LOG_INFO,
	COLOUR_LOG_WARNING,
	COLOUR_LOG_ERROR,
	COLOUR_LOG_CRITICAL,
	COLOUR_SPARK,		/* the price line */
	COLOUR_MARK_BUY,	/* a buy fill on the price line */
	COLOUR_MARK_SELL,
	COLOUR_PROMPT,
	COLOUR_QUESTION,	/* a confirmation asked on the command line */
	COLOUR_NROLES,
};

/* The attributes of every role in the scheme in use. */
struct colour {
	bool		 mono;
	attr_t		 attr[COLOUR_NROLES];
};

/*
 * Choose the scheme and set up its colour pairs; call after initscr.
 * Falls back to monochrome when mono is asked for or the terminal has no
 * colours.  Cannot fail.
 */
void		 colour_setup(struct colour *c, bool mono);

/* The attribute of a role (COLOUR_NORMAL for an out-of-range role). */
attr_t		 colour_attr(const struct colour *c, enum colour_role role);

/*
 * True when the environment asks for no colour: NO_COLOR set to a
 * non-empty value (https://no-color.org).
 */
bool		 colour_env_mono(void);

#endif
