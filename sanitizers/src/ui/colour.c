/*
 * colour.c -- the colour schemes.
 *
 * One row per role: the foreground of the colour scheme (-1 keeps the
 * terminal's default), the attributes added to it, and the attributes of
 * the monochrome scheme.  Backgrounds are always the terminal's default
 * except where a role is drawn reversed.  Pair n + 1 belongs to role n.
 */
#include <stdlib.h>

#include "colour.h"

struct colour_row {
	short		 fg;
	attr_t		 attr;
	attr_t		 mono;
};

static const struct colour_row colour_table[COLOUR_NROLES] = {
	[COLOUR_NORMAL] =	{ -1, A_NORMAL, A_NORMAL },
	[COLOUR_DIM] =		{ -1, A_DIM, A_NORMAL },
	[COLOUR_TITLE] =	{ COLOR_CYAN, A_BOLD, A_UNDERLINE },
	[COLOUR_TITLE_FOCUS] =	{ COLOR_CYAN, A_BOLD | A_REVERSE,
				    A_BOLD | A_REVERSE },
	[COLOUR_STATUS] =	{ -1, A_REVERSE, A_REVERSE },
	[COLOUR_PNL_UP] =	{ COLOR_GREEN, A_NORMAL, A_NORMAL },
	[COLOUR_PNL_DOWN] =	{ COLOR_RED, A_NORMAL, A_NORMAL },
	[COLOUR_WARN] =		{ COLOR_YELLOW, A_BOLD, A_BOLD | A_UNDERLINE },
	[COLOUR_RISK_OK] =	{ COLOR_GREEN, A_NORMAL, A_NORMAL },
	[COLOUR_RISK_WARN] =	{ COLOR_YELLOW, A_BOLD, A_BOLD },
	[COLOUR_RISK_BREACH] =	{ COLOR_RED, A_BOLD | A_REVERSE,
				    A_BOLD | A_REVERSE },
	[COLOUR_STATE_ACTIVE] =	{ COLOR_GREEN, A_BOLD, A_BOLD },
	[COLOUR_STATE_REDUCING] = { COLOR_YELLOW, A_BOLD, A_BOLD | A_UNDERLINE },
	[COLOUR_STATE_HALTED] =	{ COLOR_YELLOW, A_BOLD | A_REVERSE,
				    A_BOLD | A_REVERSE },
	[COLOUR_STATE_KILLED] =	{ COLOR_RED, A_BOLD | A_REVERSE,
				    A_BOLD | A_REVERSE | A_UNDERLINE },
	[COLOUR_STRAT_RUNNING] = { COLOR_GREEN, A_NORMAL, A_BOLD },
	[COLOUR_STRAT_WAITING] = { COLOR_CYAN, A_NORMAL, A_NORMAL },
	[COLOUR_STRAT_DISABLED] = { -1, A_DIM, A_NORMAL },
	[COLOUR_STRAT_ERRORED] = { COLOR_RED, A_BOLD, A_BOLD | A_REVERSE },
	[COLOUR_ORDER_WORKING] = { COLOR_CYAN, A_NORMAL, A_NORMAL },
	[COLOUR_ORDER_FILLED] =	{ COLOR_GREEN, A_BOLD, A_BOLD },
	[COLOUR_ORDER_DONE] =	{ -1, A_DIM, A_NORMAL },
	[COLOUR_ORDER_REJECTED] = { COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE },
	[COLOUR_LOG_DEBUG] =	{ -1, A_DIM, A_NORMAL },
	[COLOUR_LOG_INFO] =	{ -1, A_NORMAL, A_NORMAL },
	[COLOUR_LOG_WARNING] =	{ COLOR_YELLOW, A_NORMAL, A_BOLD },
	[COLOUR_LOG_ERROR] =	{ COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE },
	[COLOUR_LOG_CRITICAL] =	{ COLOR_RED, A_BOLD | A_REVERSE,
				    A_BOLD | A_REVERSE },
	[COLOUR_SPARK] =	{ COLOR_BLUE, A_BOLD, A_NORMAL },
	[COLOUR_MARK_BUY] =	{ COLOR_GREEN, A_BOLD, A_BOLD },
	[COLOUR_MARK_SELL] =	{ COLOR_RED, A_BOLD, A_BOLD },
	[COLOUR_PROMPT] =	{ -1, A_BOLD, A_BOLD },
	[COLOUR_QUESTION] =	{ COLOR_YELLOW, A_BOLD | A_REVERSE,
				    A_BOLD | A_REVERSE },
};

void
colour_setup(struct colour *c, bool mono)
{
	c->mono = mono || !has_colors() || start_color() == ERR;
	if (!c->mono)
		use_default_colors();
	for (int i = 0; i < COLOUR_NROLES; i++) {
		const struct colour_row	*row = &colour_table[i];

		if (c->mono) {
			c->attr[i] = row->mono;
			continue;
		}
		if (row->fg == -1 || i + 1 >= COLOR_PAIRS) {
			c->attr[i] = row->attr;
			continue;
		}
		init_pair((short)(i + 1), row->fg, -1);
		c->attr[i] = COLOR_PAIR(i + 1) | row->attr;
	}
}

attr_t
colour_attr(const struct colour *c, enum colour_role role)
{
	if ((int)role < 0 || role >= COLOUR_NROLES)
		return c->attr[COLOUR_NORMAL];
	return c->attr[role];
}

bool
colour_env_mono(void)
{
	const char	*s = getenv("NO_COLOR");

	return s != NULL && *s != '\0';
}
