/*
 * reply.h -- the reply line: the last answer the console got, always in
 * view just above the command line.
 *
 * Every command's reply, every question, every message of the
 * console's own about what was typed (refusals, "not confirmed",
 * completion lists) and the session's own warnings (nothing left to
 * replay, a quit that waits) go here as well as to the log pane, so a scrolled
 * or filtered log, a small terminal or a pane in the way never hides it.
 * The reply line holds the first line of a reply; a reply of several
 * lines says how many more are in the log ("(+12 lines in the log)").  A
 * text longer than the line wraps onto up to REPLY_ROWS_MAX rows, drawn
 * over the bottom of the panes above until a key is typed (reply_fold),
 * after which it takes one row again and is cut with "...".
 *
 * Pure state and drawing: the console owns the value and its window.
 */
#ifndef TD_UI_REPLY_H
#define TD_UI_REPLY_H

#include <stdbool.h>

#include <curses.h>

#include "colour.h"
#include "log.h"

#define REPLY_TEXT_MAX	512
#define REPLY_ROWS_MAX	3

struct reply {
	char		 text[REPLY_TEXT_MAX];	/* the first line, and the
						   count of the rest */
	enum log_level	 level;
	bool		 question;	/* a confirmation being asked */
	bool		 folded;	/* a key was typed since */
	bool		 dirty;
};

/*
 * A new reply: the first non-empty line of text and how many lines
 * follow it.  question: the text asks to confirm (drawn in the question
 * colour).
 */
void		 reply_set(struct reply *r, enum log_level level,
		     const char *text, bool question);
/* A key was typed: a wrapped reply folds back to one row. */
void		 reply_fold(struct reply *r);
/*
 * The rows the reply wants at a width: 1 to REPLY_ROWS_MAX (1 when
 * folded), never more than max.
 */
int		 reply_rows(const struct reply *r, int width, int max);
/* Draw into win (its whole size), wrapping at blanks. */
void		 reply_draw(const struct reply *r, WINDOW *win,
		     const struct colour *colour);

#endif
