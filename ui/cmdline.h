/*
 * cmdline.h -- the command line at the bottom of the console: GNU
 * readline through its callback interface, inside ncurses.
 *
 * The console reads every key itself (wgetch on its own loop) and hands
 * the ones meant for the line to cmdline_key; readline reads them back
 * through its getc hook, so it never touches the terminal.  Its redisplay
 * hook draws the prompt and the line into the command window.  Emacs
 * editing keys, the user's ~/.inputrc, history kept in a file across runs,
 * and tab completion through a function the console gives.
 *
 * readline is one per process, so there is one command line: the state of
 * this module is the state of the library.  Not thread-safe; the console's
 * thread only.
 */
#ifndef TD_UI_CMDLINE_H
#define TD_UI_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "colour.h"

#define CMDLINE_WORDS_MAX	64
#define CMDLINE_WORD_MAX	32

/* Completion candidates for the word before the cursor. */
struct cmdline_words {
	int		 n;
	char		 word[CMDLINE_WORDS_MAX][CMDLINE_WORD_MAX];
};

struct cmdline_cfg {
	const char	*prompt;	/* "tickdesk> " */
	/* History file; NULL or "" keeps history for this run only. */
	const char	*history;
	void		*arg;
	/* A line was entered (Enter); the text is the console's to copy. */
	void		(*line)(void *arg, const char *line);
	/* Ctrl-D on an empty line. */
	void		(*eof)(void *arg);
	/*
	 * Candidates for the word before point in line[0 .. point); fills
	 * out, returns out->n.  May be NULL (no completion).
	 */
	int		(*complete)(void *arg, const char *line, size_t point,
			    struct cmdline_words *out);
	/* Text for the console to show (the list of ambiguous matches). */
	void		(*message)(void *arg, const char *text);
	/* Ctrl-L: the console should repaint the whole screen. */
	void		(*repaint)(void *arg);
};

/*
 * Set readline up and read the history.  -1 (nothing set up) when
 * readline cannot be used; the history file missing is not an error.
 */
int		 cmdline_start(const struct cmdline_cfg *cfg,
		     const struct colour *colour);
/* Save the history and let go of readline. */
void		 cmdline_stop(void);

/* The window to draw into (again after every resize); NULL: none. */
void		 cmdline_set_window(WINDOW *win);
/*
 * One key from wgetch (a byte, or KEY_LEFT, KEY_BACKSPACE, ... which are
 * translated into the sequences readline knows).  Keys are queued; call
 * cmdline_flush to run them.  Unknown function keys are dropped.
 */
void		 cmdline_key(int key);
void		 cmdline_flush(void);
/* True when nothing is typed on the line. */
bool		 cmdline_empty(void);
/* True when the cursor is at the end of the line (or it is empty). */
bool		 cmdline_at_end(void);
/*
 * Ask a question: the prompt becomes the question (in the question
 * colour) and the line is cleared; the answer comes to cfg->line like any
 * other line.  cmdline_ask(NULL) goes back to the ordinary prompt.
 */
void		 cmdline_ask(const char *question);
/* Forget what is typed (SIGINT, Ctrl-C), and any half-typed key. */
void		 cmdline_clear(void);
/* Draw the line into the window and wnoutrefresh it (cursor last). */
void		 cmdline_draw(void);

#endif
