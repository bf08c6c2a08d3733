/*
 * cmdline.c -- GNU readline's callback interface inside an ncurses window.
 *
 * readline normally owns the terminal; here it owns nothing.  Its getc
 * hook reads from a small queue that cmdline_key fills with the console's
 * keys (function keys translated to the escape sequences readline binds),
 * its redisplay hook draws prompt and line into the command window, its
 * terminal preparation is switched off (ncurses has the terminal in raw
 * mode already), it catches no signals, and anything it would print (a
 * bell, a newline after Enter) goes to /dev/null.  Ambiguous completions
 * are handed to the console as one line of text instead of being listed
 * on the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cmdline.h"

#define CMDLINE_QUEUE		256
#define CMDLINE_HISTORY		1000

static struct {
	struct cmdline_cfg	 cfg;
	const struct colour	*colour;
	WINDOW			*win;
	FILE			*null;
	bool			 started;
	bool			 asking;
	char			 prompt[160];
	unsigned char		 q[CMDLINE_QUEUE];
	int			 qhead;
	int			 qn;
	int			 hscroll;	/* columns scrolled off the left */
	struct cmdline_words	 words;
	int			 next_word;
} cl;

/* ---------------------------------------------------------------- input */

static void
cmdline_push(const char *bytes, size_t n)
{
	for (size_t i = 0; i < n && cl.qn < CMDLINE_QUEUE; i++)
		cl.q[(cl.qhead + cl.qn++) % CMDLINE_QUEUE] =
		    (unsigned char)bytes[i];
}

static int
cmdline_getc(FILE *f)
{
	int	 c;

	if (cl.qn == 0)
		return 0;	/* never EOF: that would end the line */
	c = cl.q[cl.qhead];
	cl.qhead = (cl.qhead + 1) % CMDLINE_QUEUE;
	cl.qn--;
	return c;
}

/* readline asks this to tell ESC alone from the start of a sequence. */
static int
cmdline_input_available(void)
{
	return cl.qn > 0;
}

void
cmdline_key(int key)
{
	static const struct {
		int		 key;
		const char	*seq;
	} map[] = {
		{ KEY_LEFT, "\033[D" },
		{ KEY_RIGHT, "\033[C" },
		{ KEY_UP, "\033[A" },
		{ KEY_DOWN, "\033[B" },
		{ KEY_HOME, "\033[H" },
		{ KEY_END, "\033[F" },
		{ KEY_DC, "\033[3~" },
		{ KEY_BACKSPACE, "\177" },
		{ KEY_ENTER, "\r" },
	};
	char	 c;

	if (key >= 0 && key < 256) {
		c = (char)key;
		cmdline_push(&c, 1);
		return;
	}
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (map[i].key == key) {
			cmdline_push(map[i].seq, strlen(map[i].seq));
			return;
		}
	}
}

void
cmdline_flush(void)
{
	if (!cl.started) {
		cl.qn = 0;
		return;
	}
	while (cl.qn > 0)
		rl_callback_read_char();
}

bool
cmdline_empty(void)
{
	return !cl.started || rl_end == 0;
}

bool
cmdline_at_end(void)
{
	return !cl.started || rl_point >= rl_end;
}

/* ---------------------------------------------------------------- display */

/* Columns of the bytes s[0 .. n) on screen. */
static int
cmdline_width(const char *s, size_t n)
{
	mbstate_t	 ps;
	int		 w = 0;
	size_t		 i = 0;

	memset(&ps, 0, sizeof ps);
	while (i < n) {
		wchar_t	 wc;
		size_t	 k = mbrtowc(&wc, s + i, n - i, &ps);
		int	 cw;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			k = 1;
			cw = 1;
		} else
			cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		w += cw;
		i += k;
	}
	return w;
}

/* The byte where column col starts (or the end). */
static size_t
cmdline_byte_at(const char *s, size_t n, int col)
{
	mbstate_t	 ps;
	int		 w = 0;
	size_t		 i = 0;

	memset(&ps, 0, sizeof ps);
	while (i < n && w < col) {
		wchar_t	 wc;
		size_t	 k = mbrtowc(&wc, s + i, n - i, &ps);

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			k = 1;
			w++;
		} else
			w += wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		i += k;
	}
	return i;
}

void
cmdline_draw(void)
{
	const char	*line = cl.started ? rl_line_buffer : "";
	size_t		 end = cl.started ? (size_t)rl_end : 0;
	size_t		 point = cl.started ? (size_t)rl_point : 0, from;
	int		 w, pw, avail, cur, plen;

	if (cl.win == NULL)
		return;
	w = getmaxx(cl.win);
	werase(cl.win);
	wattrset(cl.win, colour_attr(cl.colour, cl.asking ? COLOUR_QUESTION :
	    COLOUR_PROMPT));
	/*
	 * A question longer than two thirds of the line shows its end,
	 * where the answer it wants is ("... [y/N]").
	 */
	plen = (int)strlen(cl.prompt);
	if (plen > w * 2 / 3 && w * 2 / 3 > 3) {
		waddstr(cl.win, "...");
		waddstr(cl.win, cl.prompt + plen - (w * 2 / 3 - 3));
	} else
		waddnstr(cl.win, cl.prompt, w > 1 ? w - 1 : 0);
	wattrset(cl.win, A_NORMAL);
	pw = getcurx(cl.win);
	avail = w - pw - 1;
	if (avail < 1) {
		wnoutrefresh(cl.win);
		return;
	}
	/* Scroll sideways so that the cursor stays in view. */
	cur = cmdline_width(line, point > end ? end : point);
	if (cur - cl.hscroll >= avail)
		cl.hscroll = cur - avail + 1;
	if (cur < cl.hscroll)
		cl.hscroll = cur;
	from = cmdline_byte_at(line, end, cl.hscroll);
	for (size_t i = from; i < end && getcurx(cl.win) < w - 1; i++) {
		unsigned char	 c = (unsigned char)line[i];

		if (c < 0x20 || c == 0x7f) {
			waddch(cl.win, '^');
			continue;
		}
		waddnstr(cl.win, line + i, 1);
	}
	wmove(cl.win, 0, pw + cur - cl.hscroll);
	wnoutrefresh(cl.win);
}

static void
cmdline_redisplay(void)
{
	cmdline_draw();
}

void
cmdline_set_window(WINDOW *win)
{
	cl.win = win;
	if (win != NULL) {
		keypad(win, TRUE);
		leaveok(win, FALSE);
	}
}

void
cmdline_ask(const char *question)
{
	cl.asking = question != NULL;
	snprintf(cl.prompt, sizeof cl.prompt, "%s", question != NULL ?
	    question : cl.cfg.prompt);
	if (!cl.started)
		return;
	if (cl.asking) {
		/* Half-typed text must never become the answer. */
		rl_replace_line("", 0);
		rl_point = rl_end = rl_mark = 0;
	}
	rl_set_prompt(cl.prompt);
	cmdline_draw();
}

void
cmdline_clear(void)
{
	cl.qn = 0;
	if (!cl.started)
		return;
	/* Leave a search or a half-typed key sequence, then empty the line. */
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_point = rl_end = rl_mark = 0;
	cl.hscroll = 0;
	cmdline_draw();
}

/* ---------------------------------------------------------------- lines */

static void
cmdline_handler(char *line)
{
	if (line == NULL) {
		if (cl.cfg.eof != NULL)
			cl.cfg.eof(cl.cfg.arg);
		return;
	}
	cl.hscroll = 0;
	/* Answers to questions are not worth recalling. */
	if (!cl.asking && line[strspn(line, " \t")] != '\0') {
		HIST_ENTRY	*last = history_get(history_base +
		    history_length - 1);

		if (last == NULL || strcmp(last->line, line) != 0) {
			add_history(line);
			if (cl.cfg.history != NULL && cl.cfg.history[0] != '\0')
				append_history(1, cl.cfg.history);
		}
	}
	if (cl.cfg.line != NULL)
		cl.cfg.line(cl.cfg.arg, line);
	free(line);
}

/* ---------------------------------------------------------------- completion */

static char *
cmdline_generator(const char *text, int state)
{
	if (state == 0)
		cl.next_word = 0;
	if (cl.next_word < cl.words.n)
		return strdup(cl.words.word[cl.next_word++]);
	return NULL;
}

static char **
cmdline_completion(const char *text, int start, int end)
{
	/* Never fall back to readline's file names. */
	rl_attempted_completion_over = 1;
	memset(&cl.words, 0, sizeof cl.words);
	if (cl.cfg.complete == NULL || cl.cfg.complete(cl.cfg.arg,
	    rl_line_buffer, (size_t)end, &cl.words) <= 0)
		return NULL;
	return rl_completion_matches(text, cmdline_generator);
}

static void
cmdline_matches(char **matches, int n, int longest)
{
	char	 text[512];
	size_t	 len = 0;

	text[0] = '\0';
	for (int i = 1; i <= n && len + 2 < sizeof text; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "%s%s",
		    i > 1 ? " " : "", matches[i]);
	if (cl.cfg.message != NULL)
		cl.cfg.message(cl.cfg.arg, text);
	cmdline_draw();
}

static int
cmdline_repaint(int count, int key)
{
	if (cl.cfg.repaint != NULL)
		cl.cfg.repaint(cl.cfg.arg);
	return 0;
}

/* ---------------------------------------------------------------- setup */

int
cmdline_start(const struct cmdline_cfg *cfg, const struct colour *colour)
{
	memset(&cl, 0, sizeof cl);
	cl.cfg = *cfg;
	cl.colour = colour;
	snprintf(cl.prompt, sizeof cl.prompt, "%s", cfg->prompt);
	if ((cl.null = fopen("/dev/null", "r+")) == NULL)
		return -1;

	rl_readline_name = "tickdesk";
	rl_instream = cl.null;
	rl_outstream = cl.null;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = cmdline_getc;
	rl_input_available_hook = cmdline_input_available;
	rl_redisplay_function = cmdline_redisplay;
	rl_attempted_completion_function = cmdline_completion;
	rl_completion_display_matches_hook = cmdline_matches;
	rl_basic_word_break_characters = " \t";
	rl_initialize();
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("enable-bracketed-paste", "off");
	rl_bind_key('\f', cmdline_repaint);

	using_history();
	stifle_history(CMDLINE_HISTORY);
	if (cfg->history != NULL && cfg->history[0] != '\0' &&
	    read_history(cfg->history) != 0)
		write_history(cfg->history);	/* create it for appends */
	rl_callback_handler_install(cl.prompt, cmdline_handler);
	cl.started = true;
	return 0;
}

void
cmdline_stop(void)
{
	if (!cl.started)
		return;
	rl_callback_handler_remove();
	if (cl.cfg.history != NULL && cl.cfg.history[0] != '\0')
		history_truncate_file(cl.cfg.history, CMDLINE_HISTORY);
	rl_instream = NULL;
	rl_outstream = NULL;
	fclose(cl.null);
	cl.null = NULL;
	cl.started = false;
	cl.win = NULL;
}
