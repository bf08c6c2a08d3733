/*
 * console.c -- the console's loop: keys, the runner's output, signals,
 * and drawing the dirty panes.
 *
 * One turn: poll the terminal, the signal pipe, the runner's descriptor
 * and the hooks' descriptors (the control socket) -> read every key (keys
 * for the command line go to readline, the console's own keys act) ->
 * let the hooks serve the socket -> take the newest snapshot (marking the
 * panes whose data changed), the log lines and the replies -> handle
 * signals -> ask the hooks whether the session goes on -> if a frame is
 * due (at most 30 a second) lay out again after a resize and redraw the
 * dirty panes, each with wnoutrefresh, the command line last (it owns the
 * cursor), then one doupdate.  Nothing here calls the engine: commands go
 * through runner_submit with ids below 2^62 (the session's own and the
 * control socket's are above).
 *
 * When the terminal is lost (SIGHUP) the console stops drawing, lets go
 * of ncurses and keeps the loop going without a screen: the control
 * socket is still served and log lines go to standard error.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <termios.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "cmdline.h"
#include "colour.h"
#include "console.h"
#include "errmsg.h"
#include "fmt.h"
#include "layout.h"
#include "logring.h"
#include "pane.h"
#include "reply.h"
#include "tz.h"

#define CONSOLE_FRAME_NS	(TD_NS_PER_SEC / 30)
#define CONSOLE_LOG_LINES	5000
#define CONSOLE_PENDING		64
#define CONSOLE_FDS		32
#define CONSOLE_TICK_MS		100	/* the session wants a turn this often */
/* Ids from here up belong to the session and the control socket. */
#define CONSOLE_OTHER_IDS	(1ULL << 62)
#define CONSOLE_PROMPT		"tickdesk> "
#define CONSOLE_PANIC		"flatten all and halt? [y/N] "

enum console_ask {
	ASK_NONE,
	ASK_YES,		/* a command's question, answered y */
	ASK_PANIC,		/* F12 */
};

/* The panes in focus order (Tab); the status bar takes no focus. */
static const struct pane_ops *const console_panes[] = {
	&pane_status_ops,
	&pane_positions_ops,
	&pane_strategies_ops,
	&pane_risk_ops,
	&pane_price_ops,
	&pane_blotter_ops,
	&pane_log_ops,
};
#define CONSOLE_NPANES	((int)(sizeof console_panes / sizeof console_panes[0]))
#define CONSOLE_LOG_PANE	(CONSOLE_NPANES - 1)

static const char *const console_keys_help[] = {
	"keys",
	"  F1          this help (PgUp/PgDn scroll it, other keys close it)",
	"  Tab         next pane when the line is empty, else complete",
	"  Shift-Tab   previous pane",
	"  PgUp/PgDn   scroll the focused pane",
	"  End         at the end of the line: the focused pane and the log "
	"back to their newest rows",
	"  F2          the focused pane's key: log level filter, blotter",
	"              fills only, positions next symbol (price line),",
	"              chart candle minutes (1 2 3 5 10 15 30 60)",
	"  F3          candlestick chart and equity curve / price line",
	"  F12         panic: asks, then halt and flatten all",
	"  Ctrl-C      clear the line (never stops the engine)",
	"  Ctrl-L      repaint the screen",
	"  Up/Down     history (kept across runs); Ctrl-R searches it",
	"  reply line  above the command line: the last answer, question or "
	"completion list; the whole answer is in the log",
	"  Emacs keys  Ctrl-A/E/K/U/W/Y, Alt-B/F, ... edit the line",
	"",
	"commands (help COMMAND for more)",
	NULL,
};

/* A line sent to the engine, kept until its reply for confirmations. */
struct console_pending {
	uint64_t	 id;
	char		 line[RUNNER_LINE_MAX];
};

struct console {
	const struct console_cfg *cfg;
	struct runner		*r;
	struct snapshot		*snap;		/* the newest */
	struct snapshot		*old;		/* the one before */
	struct logring		*log;
	struct colour		 colour;
	struct layout		 layout;
	struct pane		 pane[CONSOLE_NPANES];
	struct pane_ctx		 ctx;
	int			 focus;		/* index into pane[] */
	bool			 chart;		/* F3: the chart, not the price
						   line */
	SCREEN			*scr;
	WINDOW			*cmdwin;
	WINDOW			*msgwin;
	WINDOW			*helpwin;
	WINDOW			*replywin;
	struct reply		 reply;		/* the reply line */
	bool			 help;
	int			 help_scroll;
	bool			 relayout;
	bool			 repaint;
	bool			 msg_dirty;
	bool			 cmd_dirty;
	td_ns			 last_draw;
	td_ns			 now;		/* the newest engine time seen */
	struct tz		*tz;
	char			 tzname[64];

	uint64_t		 next_id;
	struct console_pending	 pending[CONSOLE_PENDING];
	int			 pending_next;
	enum console_ask	 ask;
	char			 ask_line[RUNNER_LINE_MAX];

	bool			 headless;
	enum console_end	 end;
	int			 sig[2];	/* the signal pipe */
};

/*
 * The write end of the signal pipe: a signal handler takes no argument,
 * so this is the console's one global (there is one terminal to own).
 */
static volatile sig_atomic_t console_sigfd = -1;

static td_ns
console_wall(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

/* ---------------------------------------------------------------- log */

static void
console_stderr(struct console *c, td_ns t, enum log_level level,
    const char *component, const char *msg)
{
	char	 clock[32];

	fmt_clock(clock, sizeof clock, c->tz, t, 1);
	fprintf(stderr, "%s %-8s %s%s%s\n", clock, log_level_name(level),
	    component, component[0] != '\0' ? ": " : "", msg);
}

/* One line into the log pane (and to stderr without a screen). */
static void
console_log(struct console *c, td_ns t, enum log_level level,
    const char *component, const char *msg)
{
	struct pane	*lp = &c->pane[CONSOLE_LOG_PANE];

	logring_add(c->log, t, level, component, msg);
	/* A pane scrolled back stays on the lines it shows. */
	if (lp->scroll > 0 && (int)level >= lp->mode)
		lp->scroll++;
	lp->dirty = true;
	if (c->headless)
		console_stderr(c, t, level, component, msg);
}

static void
console_say(struct console *c, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
console_say(struct console *c, enum log_level level, const char *fmt, ...)
{
	char	 msg[LOGRING_MSG];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	console_log(c, c->now, level, "console", msg);
	/* What the console says is about what was typed: in view. */
	reply_set(&c->reply, level, msg, false);
}

/* ---------------------------------------------------------------- commands */

/* Send a line to the engine; 0, or -1 after saying why in the log. */
static int
console_submit(struct console *c, const char *line)
{
	struct console_pending	*p;
	uint64_t		 id = c->next_id++;

	if (runner_submit(c->r, id, line) == -1) {
		console_say(c, LOG_ERROR, "the engine is busy: '%s' was not "
		    "sent, try again", line);
		return -1;
	}
	p = &c->pending[c->pending_next];
	c->pending_next = (c->pending_next + 1) % CONSOLE_PENDING;
	p->id = id;
	snprintf(p->line, sizeof p->line, "%s", line);
	return 0;
}

static const char *
console_pending_line(struct console *c, uint64_t id)
{
	for (int i = 0; i < CONSOLE_PENDING; i++) {
		if (c->pending[i].id == id && c->pending[i].line[0] != '\0')
			return c->pending[i].line;
	}
	return NULL;
}

/*
 * A question: whole on the reply line, and on the command line only the
 * answer it wants, what follows its last '?' ("[y/N]"), so that neither
 * is ever cut.
 */
static void
console_ask(struct console *c, enum console_ask ask, const char *line,
    const char *question)
{
	char		 prompt[160];
	const char	*q = strrchr(question, '?');

	c->ask = ask;
	snprintf(c->ask_line, sizeof c->ask_line, "%s", line);
	reply_set(&c->reply, LOG_WARNING, question, true);
	q = q != NULL && q[1] != '\0' ? q + 1 + strspn(q + 1, " ") : "[y/N]";
	snprintf(prompt, sizeof prompt, "%.150s ", q);
	cmdline_ask(prompt);
	c->cmd_dirty = true;
}

static void
console_unask(struct console *c)
{
	c->ask = ASK_NONE;
	c->ask_line[0] = '\0';
	cmdline_ask(NULL);
	c->cmd_dirty = true;
}

static void
console_answer(struct console *c, const char *answer)
{
	char		 line[RUNNER_LINE_MAX + 16];
	enum console_ask ask = c->ask;
	bool		 yes;

	yes = strcasecmp(answer, "y") == 0 || strcasecmp(answer, "yes") == 0;
	snprintf(line, sizeof line, "%s", c->ask_line);
	console_unask(c);
	if (!yes) {
		console_say(c, LOG_INFO, "not confirmed: %s",
		    ask == ASK_PANIC ? "panic" : line);
		return;
	}
	if (ask == ASK_PANIC) {
		console_say(c, LOG_WARNING, "panic: halt, then flatten all");
		if (console_submit(c, "halt") == 0)
			console_submit(c, "flatten all");
		return;
	}
	if (strlen(line) + sizeof " --confirmed" > RUNNER_LINE_MAX) {
		console_say(c, LOG_ERROR, "line too long to confirm");
		return;
	}
	strcat(line, " --confirmed");
	console_submit(c, line);
}

/* A line from the command line (readline's handler). */
static void
console_line(void *arg, const char *text)
{
	struct console	*c = arg;
	char		 line[RUNNER_LINE_MAX];
	size_t		 n;

	/* Trim blanks at both ends. */
	text += strspn(text, " \t");
	snprintf(line, sizeof line, "%s", text);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		line[--n] = '\0';
	if (strlen(text) >= sizeof line) {
		console_say(c, LOG_ERROR, "line too long (at most %d "
		    "characters)", RUNNER_LINE_MAX - 1);
		return;
	}
	if (c->ask != ASK_NONE) {
		console_answer(c, line);
		return;
	}
	if (line[0] == '\0')
		return;
	console_submit(c, line);
}

static void
console_eof(void *arg)
{
	struct console	*c = arg;

	if (c->ask != ASK_NONE) {
		console_answer(c, "");
		return;
	}
	console_say(c, LOG_INFO, "type quit to end the session");
}

static int
console_complete(void *arg, const char *line, size_t point,
    struct cmdline_words *out)
{
	struct console	*c = arg;

	if (c->ask != ASK_NONE || c->cfg->hooks.complete == NULL)
		return 0;
	return c->cfg->hooks.complete(c->cfg->hooks.arg, c->snap, line, point,
	    out);
}

/* The list of completions: on the reply line, not in the log. */
static void
console_message(void *arg, const char *text)
{
	struct console	*c = arg;

	reply_set(&c->reply, LOG_INFO, text, false);
}

static void
console_repaint(void *arg)
{
	struct console	*c = arg;

	c->repaint = true;
}

/* ---------------------------------------------------------------- output */

static enum log_level
console_reply_level(const struct runner_reply *rep)
{
	if (rep->confirm)
		return LOG_WARNING;
	return rep->status == 0 ? LOG_INFO : rep->status == 1 ? LOG_WARNING :
	    LOG_ERROR;
}

/* Every line of a reply goes to the log pane, named by its command. */
static void
console_reply(struct console *c, const struct runner_reply *rep)
{
	const char	*line = console_pending_line(c, rep->id);
	const char	*s = rep->text, *nl, *last = rep->text;
	char		 msg[LOGRING_MSG];
	size_t		 n;

	/* The desk's answers name their command: no component needed. */
	if (*s == '\0')
		s = "done";
	if (!rep->confirm)
		reply_set(&c->reply, console_reply_level(rep), s, false);
	/* The rest of a long answer is in the log: show its end. */
	if (strchr(s, '\n') != NULL && s[strcspn(s, "\n") + 1] != '\0')
		c->pane[CONSOLE_LOG_PANE].scroll = 0;
	do {
		nl = strchr(s, '\n');
		n = nl != NULL ? (size_t)(nl - s) : strlen(s);
		if (n >= sizeof msg)
			n = sizeof msg - 1;
		memcpy(msg, s, n);
		msg[n] = '\0';
		if (n > 0)
			last = s;
		if (n > 0 || nl == NULL)
			console_log(c, c->now, console_reply_level(rep), "",
			    msg);
		s = nl != NULL ? nl + 1 : NULL;
	} while (s != NULL && *s != '\0');

	if (!rep->confirm)
		return;
	if (line == NULL) {
		console_say(c, LOG_ERROR, "a question for a line the console "
		    "no longer has; type the command again");
		return;
	}
	n = strcspn(last, "\n");
	if (n >= sizeof msg)
		n = sizeof msg - 1;
	memcpy(msg, last, n);
	msg[n] = '\0';
	console_ask(c, ASK_YES, line, msg);
}

static void
console_zone(struct console *c)
{
	struct errmsg	 err;

	if (strcmp(c->tzname, c->snap->tz) == 0)
		return;
	snprintf(c->tzname, sizeof c->tzname, "%s", c->snap->tz);
	tz_free(c->tz);
	c->tz = c->tzname[0] != '\0' ? tz_load(c->tzname, &err) : NULL;
	c->ctx.tz = c->tz;
	for (int i = 0; i < CONSOLE_NPANES; i++)
		c->pane[i].dirty = true;
}

static void
console_runner(struct console *c)
{
	struct runner_reply	 rep;
	struct runner_log	 l;
	struct snapshot		*t;

	runner_ack(c->r);
	/* The snapshot first: replies and lines are stamped with its time. */
	c->old->seq = c->snap->seq;
	if (runner_snapshot(c->r, c->old) == 1) {
		t = c->snap;
		c->snap = c->old;
		c->old = t;
		c->ctx.snap = c->snap;
		/* A replay seeking back moves the clock back too. */
		if (c->snap->now > c->now || c->snap->resets != c->old->resets)
			c->now = c->snap->now;
		if (c->ctx.inst >= c->snap->ninst)
			c->ctx.inst = 0;
		console_zone(c);
		for (int i = 0; i < CONSOLE_NPANES; i++) {
			const struct pane_ops	*ops = c->pane[i].ops;

			if (ops->changed == NULL ||
			    ops->changed(c->old, c->snap))
				c->pane[i].dirty = true;
		}
	}
	/* The engine's lines of a command come before its answer. */
	while (runner_log(c->r, &l)) {
		if (l.time > c->now)
			c->now = l.time;
		console_log(c, l.time, l.level, l.component, l.msg);
		/* The session's warnings are for the person: in view. */
		if (l.level >= LOG_WARNING && strcmp(l.component,
		    "session") == 0)
			reply_set(&c->reply, l.level, l.msg, false);
	}
	while (runner_reply(c->r, &rep)) {
		/* Without a session to say so, a quit ends the console. */
		if (rep.quit && c->cfg->hooks.check == NULL)
			c->end = CONSOLE_DONE;
		if (c->cfg->hooks.reply != NULL &&
		    !c->cfg->hooks.reply(c->cfg->hooks.arg, &rep))
			continue;
		if (rep.id >= CONSOLE_OTHER_IDS)
			continue;
		console_reply(c, &rep);
	}
}

/* ---------------------------------------------------------------- screen */

static void
console_focus(struct console *c, int step)
{
	c->pane[c->focus].focus = false;
	c->pane[c->focus].dirty = true;
	/* Not the status bar, nor a pane the chart hides (F3). */
	for (int i = 0; i < CONSOLE_NPANES; i++) {
		c->focus = (c->focus + step + CONSOLE_NPANES) % CONSOLE_NPANES;
		if (c->focus != 0 && (c->pane[c->focus].win != NULL ||
		    c->layout.too_small))
			break;
	}
	c->pane[c->focus].focus = true;
	c->pane[c->focus].dirty = true;
}

static WINDOW *
console_window(WINDOW *old, const struct layout_rect *r)
{
	WINDOW	*w;

	if (old != NULL)
		delwin(old);
	if (!layout_visible(r))
		return NULL;
	if ((w = newwin(r->h, r->w, r->y, r->x)) != NULL)
		leaveok(w, TRUE);
	return w;
}

/*
 * The reply line's window: its slot in the layout, grown upwards over the
 * panes while a long reply wraps (never over the status bar).  When it
 * shrinks, what it covered is drawn again.
 */
static void
console_reply_window(struct console *c)
{
	const struct layout_rect *slot = &c->layout.pane[LAYOUT_REPLY];
	struct layout_rect	 r = *slot;
	int			 want, oldh = 0;

	if (layout_visible(slot)) {
		want = reply_rows(&c->reply, slot->w, slot->y + slot->h - 1);
		if (want > r.h) {
			r.y -= want - r.h;
			r.h = want;
		}
	}
	if (c->replywin != NULL) {
		oldh = getmaxy(c->replywin);
		if (oldh == r.h && layout_visible(slot) &&
		    getbegy(c->replywin) == r.y &&
		    getmaxx(c->replywin) == r.w)
			return;
	}
	c->replywin = console_window(c->replywin, &r);
	if (oldh > r.h) {
		for (int i = 0; i < CONSOLE_NPANES; i++)
			c->pane[i].dirty = true;
		c->msg_dirty = true;
	}
	c->reply.dirty = true;
}

static void
console_layout(struct console *c)
{
	struct layout_rect	 key = { .y = 0, .x = 0, .h = 1, .w = 1 };
	int			 lines, cols;

	getmaxyx(stdscr, lines, cols);
	layout_compute(&c->layout, cols, lines);
	if (c->chart)
		layout_chart(&c->layout);
	werase(stdscr);
	wnoutrefresh(stdscr);
	for (int i = 0; i < CONSOLE_NPANES; i++) {
		struct pane	*p = &c->pane[i];

		p->rect = c->layout.pane[p->ops->slot];
		p->win = console_window(p->win, &p->rect);
		if (p->win == NULL)
			p->rect.h = p->rect.w = 0;
		p->dirty = true;
		if (p->ops->layout != NULL)
			p->ops->layout(p);
	}
	c->msgwin = console_window(c->msgwin, &c->layout.message);
	c->msg_dirty = true;
	if (c->replywin != NULL) {
		delwin(c->replywin);
		c->replywin = NULL;
	}
	console_reply_window(c);
	if (c->helpwin != NULL) {
		delwin(c->helpwin);
		c->helpwin = NULL;
	}
	/*
	 * Keys are read from the command window; on a screen with no room
	 * for it a 1x1 window at the top left reads them all the same.
	 */
	cmdline_set_window(NULL);
	if (c->cmdwin != NULL)
		delwin(c->cmdwin);
	if (layout_visible(&c->layout.pane[LAYOUT_CMDLINE])) {
		c->cmdwin = console_window(NULL,
		    &c->layout.pane[LAYOUT_CMDLINE]);
		if (c->cmdwin != NULL)
			cmdline_set_window(c->cmdwin);
	} else
		c->cmdwin = console_window(NULL, &key);
	if (c->cmdwin != NULL) {
		keypad(c->cmdwin, TRUE);
		nodelay(c->cmdwin, TRUE);
	}
	c->cmd_dirty = true;
	c->relayout = false;
}

static void
console_draw_small(struct console *c)
{
	const char	*lines[] = {
		"terminal too small",
		"",
		"the panes need 80x24",
		"",
		"the command line below still works:",
		"flatten, halt, kill!, quit",
	};
	int		 h, w, n = (int)(sizeof lines / sizeof lines[0]), y0;
	char		 size[64];

	if (c->msgwin == NULL)
		return;
	getmaxyx(c->msgwin, h, w);
	werase(c->msgwin);
	snprintf(size, sizeof size, "this one is %dx%d", c->layout.cols,
	    c->layout.lines);
	y0 = h > n + 2 ? (h - n - 2) / 2 : 0;
	for (int i = 0; i <= n && y0 + i < h; i++) {
		const char	*s = i < n ? lines[i] : size;
		int		 len = (int)strlen(s);

		wattrset(c->msgwin, colour_attr(&c->colour, i == 0 ?
		    COLOUR_WARN : COLOUR_NORMAL));
		mvwaddnstr(c->msgwin, y0 + i, len < w ? (w - len) / 2 : 0, s,
		    w);
	}
	wattrset(c->msgwin, A_NORMAL);
	wnoutrefresh(c->msgwin);
}

/* The F1 overlay's rows: wrapped text and whether it is a heading. */
struct console_help_row {
	char		 text[160];
	bool		 head;
};

/*
 * Add a line of the overlay wrapped to w columns at blanks, its
 * continuation rows indented to `indent` (where a command's summary
 * starts); returns the rows there are now (at most max).
 */
static int
console_help_add(struct console_help_row *rows, int n, int max, int w,
    const char *line, int indent, bool head)
{
	int	 len = (int)strlen(line), at = 0, first = 1;

	do {
		int	 pad = first ? 0 : indent, room = w - pad, k;
		int	 take = len - at <= room ? len - at : room;

		if (n == max)
			return n;
		if (at + take < len) {
			for (k = take - 1; k > room / 2; k--) {
				if (line[at + k] == ' ') {
					take = k + 1;
					break;
				}
			}
		}
		snprintf(rows[n].text, sizeof rows[n].text, "%*s%.*s", pad, "",
		    take, line + at);
		rows[n++].head = head;
		at += take;
		while (line[at] == ' ')
			at++;
		first = 0;
	} while (at < len);
	return n;
}

/* The F1 overlay: keys, then the commands; scrolls with PgUp/PgDn. */
static void
console_draw_help(struct console *c)
{
	const char		*s = c->cfg->commands != NULL ?
				    c->cfg->commands : "";
	struct console_help_row	*rows;
	int			 max = 512, total = 0, h, w, shown, y = 1;
	char			 buf[256];

	w = c->layout.cols - 4 < 76 ? c->layout.cols - 4 : 76;
	if (w < 20 || (rows = calloc((size_t)max, sizeof *rows)) == NULL)
		return;
	for (int i = 0; console_keys_help[i] != NULL; i++)
		total = console_help_add(rows, total, max, w - 2,
		    console_keys_help[i], 14, console_keys_help[i][0] != ' ' &&
		    console_keys_help[i][0] != '\0');
	while (*s != '\0') {
		size_t	 n = strcspn(s, "\n");

		snprintf(buf, sizeof buf, "  %.*s", (int)n, s);
		total = console_help_add(rows, total, max, w - 2, buf, 32,
		    false);
		s += n + (s[n] == '\n');
	}
	h = total + 2 < c->layout.lines - 2 ? total + 2 : c->layout.lines - 2;
	if (h < 3)
		goto out;
	if (c->helpwin == NULL && (c->helpwin = newwin(h, w,
	    (c->layout.lines - 1 - h) / 2, (c->layout.cols - w) / 2)) == NULL)
		goto out;
	shown = h - 2;
	if (c->help_scroll > total - shown)
		c->help_scroll = total - shown;
	if (c->help_scroll < 0)
		c->help_scroll = 0;
	werase(c->helpwin);
	wattrset(c->helpwin, colour_attr(&c->colour, COLOUR_TITLE));
	box(c->helpwin, 0, 0);
	mvwaddstr(c->helpwin, 0, 2, " tickdesk help ");
	if (total > shown)
		mvwprintw(c->helpwin, h - 1, 2, " %d-%d of %d, PgUp/PgDn ",
		    c->help_scroll + 1, c->help_scroll + shown, total);
	for (int i = c->help_scroll; i < total && y <= shown; i++) {
		wattrset(c->helpwin, colour_attr(&c->colour, rows[i].head ?
		    COLOUR_TITLE : COLOUR_NORMAL));
		mvwaddnstr(c->helpwin, y++, 1, rows[i].text, w - 2);
	}
	wattrset(c->helpwin, A_NORMAL);
	wnoutrefresh(c->helpwin);
out:
	free(rows);
}

static void
console_draw(struct console *c)
{
	bool	 any = false;

	if (c->relayout)
		console_layout(c);
	if (c->repaint) {
		clearok(curscr, TRUE);
		for (int i = 0; i < CONSOLE_NPANES; i++)
			c->pane[i].dirty = true;
		c->msg_dirty = true;
		c->repaint = false;
	}
	/* Its size first: a smaller one uncovers panes to draw. */
	console_reply_window(c);
	if (c->layout.too_small && c->msg_dirty) {
		console_draw_small(c);
		any = true;
	}
	c->msg_dirty = false;
	for (int i = 0; i < CONSOLE_NPANES; i++) {
		struct pane	*p = &c->pane[i];

		if (!p->dirty)
			continue;
		p->dirty = false;
		if (p->win == NULL)
			continue;
		werase(p->win);
		p->ops->draw(p, &c->ctx);
		wnoutrefresh(p->win);
		any = true;
	}
	/* Over the panes when it wraps, so after them. */
	if (c->replywin != NULL && (any || c->reply.dirty)) {
		reply_draw(&c->reply, c->replywin, &c->colour);
		touchwin(c->replywin);
		wnoutrefresh(c->replywin);
	}
	c->reply.dirty = false;
	if (c->help && (any || c->helpwin == NULL || c->cmd_dirty))
		console_draw_help(c);
	/* The command line last: it leaves the cursor where typing goes. */
	cmdline_draw();
	c->cmd_dirty = false;
	doupdate();
	c->last_draw = console_wall();
}

static bool
console_dirty(const struct console *c)
{
	if (c->relayout || c->repaint || c->msg_dirty || c->cmd_dirty ||
	    c->reply.dirty)
		return true;
	for (int i = 0; i < CONSOLE_NPANES; i++) {
		if (c->pane[i].dirty)
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------- keys */

static void
console_interrupt(struct console *c)
{
	cmdline_clear();
	if (c->ask != ASK_NONE) {
		console_say(c, LOG_INFO, "question withdrawn: %s",
		    c->ask == ASK_PANIC ? "panic" : c->ask_line);
		console_unask(c);
	}
	c->cmd_dirty = true;
}

static void
console_help_key(struct console *c, int key)
{
	int	 page = c->layout.lines > 8 ? c->layout.lines - 6 : 1;

	switch (key) {
	case KEY_PPAGE:
	case KEY_UP:
		c->help_scroll -= key == KEY_UP ? 1 : page;
		break;
	case KEY_NPAGE:
	case KEY_DOWN:
		c->help_scroll += key == KEY_DOWN ? 1 : page;
		break;
	default:
		c->help = false;
		if (c->helpwin != NULL) {
			delwin(c->helpwin);
			c->helpwin = NULL;
		}
		c->repaint = true;
		return;
	}
	if (c->help_scroll < 0)
		c->help_scroll = 0;
	c->cmd_dirty = true;
}

/* F3: the chart in the price line's place, or back. */
static void
console_chart(struct console *c)
{
	c->chart = !c->chart;
	for (int i = 0; i < CONSOLE_NPANES; i++) {
		if (c->pane[i].ops->slot == LAYOUT_PRICE)
			c->pane[i].ops = c->chart ? &pane_chart_ops :
			    &pane_price_ops;
	}
	c->relayout = true;
}

static void
console_key(struct console *c, int key)
{
	struct pane	*p = &c->pane[c->focus];
	int		 page = p->rect.h > 3 ? p->rect.h - 2 : 1;

	if (key == KEY_RESIZE) {
		/* From scratch: nothing drawn for the old size survives. */
		c->relayout = true;
		c->repaint = true;
		return;
	}
	if (c->help) {
		console_help_key(c, key);
		return;
	}
	switch (key) {
	case KEY_F(1):
		c->help = true;
		c->help_scroll = 0;
		c->cmd_dirty = true;
		return;
	case KEY_F(12):
		console_ask(c, ASK_PANIC, "", CONSOLE_PANIC);
		return;
	case KEY_BTAB:
		console_focus(c, -1);
		return;
	case '\t':
		/* The readline keys before this one decide "empty". */
		cmdline_flush();
		if (cmdline_empty() && c->ask == ASK_NONE)
			console_focus(c, 1);
		else
			cmdline_key(key);
		return;
	case KEY_END:
		/* At the end of the line already: back to the newest rows. */
		if (!cmdline_at_end()) {
			cmdline_key(key);
			return;
		}
		p->scroll = 0;
		p->dirty = true;
		c->pane[CONSOLE_LOG_PANE].scroll = 0;
		c->pane[CONSOLE_LOG_PANE].dirty = true;
		return;
	case KEY_PPAGE:
	case KEY_NPAGE:
		if (p->ops->scroll_by != NULL) {
			p->ops->scroll_by(p, key == KEY_PPAGE ? -page : page);
			p->dirty = true;
		}
		return;
	case 3:		/* Ctrl-C in raw mode */
		cmdline_flush();
		console_interrupt(c);
		return;
	case PANE_ACTION_KEY:
		if (p->ops->key != NULL && p->ops->key(p, key, &c->ctx)) {
			p->dirty = true;
			/* The instrument moved: the price line follows. */
			for (int i = 0; i < CONSOLE_NPANES; i++) {
				if (c->pane[i].ops->slot == LAYOUT_PRICE)
					c->pane[i].dirty = true;
			}
		}
		return;
	case KEY_F(3):
		console_chart(c);
		return;
	default:
		cmdline_key(key);
		return;
	}
}

static void
console_keys(struct console *c)
{
	int	 key;

	if (c->cmdwin == NULL)
		return;
	while ((key = wgetch(c->cmdwin)) != ERR) {
		/* Typing folds a long reply; a question stays whole. */
		if (key != KEY_RESIZE && c->ask == ASK_NONE)
			reply_fold(&c->reply);
		/* Keys for readline queue up; anything else runs after them. */
		if (key < 256 && key != '\t' && key != 3 && !c->help) {
			cmdline_key(key);
			continue;
		}
		cmdline_flush();
		console_key(c, key);
		if (c->cmdwin == NULL)
			break;
	}
	cmdline_flush();
	c->cmd_dirty = true;
}

/* ---------------------------------------------------------------- signals */

static void
console_on_signal(int sig)
{
	int		 save = errno;
	unsigned char	 b = (unsigned char)sig;

	if (console_sigfd != -1 && write(console_sigfd, &b, 1) == -1)
		(void)0;	/* the pipe is full: the signal is noted */
	errno = save;
}

static int
console_signals(struct console *c)
{
	struct sigaction	 sa;
	sigset_t		 set;

	if (pipe(c->sig) == -1) {
		c->sig[0] = c->sig[1] = -1;
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(c->sig[i], F_SETFL, O_NONBLOCK);
		fcntl(c->sig[i], F_SETFD, FD_CLOEXEC);
	}
	console_sigfd = c->sig[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = console_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* Writes to a closed socket or terminal fail with EPIPE instead. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Stopping the process would stop the engine: Ctrl-Z does nothing. */
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGTTIN, &sa, NULL);
	sigaction(SIGTTOU, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGWINCH);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	return 0;
}

static void
console_signals_done(struct console *c)
{
	struct sigaction	 sa;

	if (c->sig[0] == -1)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	console_sigfd = -1;
	close(c->sig[0]);
	close(c->sig[1]);
	c->sig[0] = c->sig[1] = -1;
}

/* The terminal is gone: no more drawing, no more keys. */
static void
console_go_headless(struct console *c)
{
	if (c->headless)
		return;
	c->headless = true;
	cmdline_stop();
	/* endwin's output fails on a hung-up terminal, harmlessly. */
	endwin();
	console_log(c, c->now, LOG_WARNING, "console", "terminal lost "
	    "(SIGHUP): going on without a screen; tickdesk ctl reaches the "
	    "session");
}

static void
console_signal(struct console *c, int sig)
{
	switch (sig) {
	case SIGINT:
		if (!c->headless)
			console_interrupt(c);
		return;
	case SIGHUP:
		if (c->headless)
			return;
		console_go_headless(c);
		break;
	case SIGTERM:
		break;
	default:
		return;
	}
	if (c->cfg->hooks.signal != NULL)
		c->cfg->hooks.signal(c->cfg->hooks.arg, sig);
	else if (sig == SIGTERM)
		c->end = CONSOLE_DONE;
}

static void
console_signals_read(struct console *c)
{
	unsigned char	 buf[32];
	ssize_t		 n;

	while ((n = read(c->sig[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			console_signal(c, buf[i]);
	}
}

/* ---------------------------------------------------------------- setup */

/*
 * Does the terminal draw a block character one column wide?  The block
 * elements are of ambiguous width: a terminal (or a tmux server) outside
 * a UTF-8 locale, or one set to draw them wide, takes two columns for
 * each, and a price line of them runs into the pane beside it.  So ask:
 * write one at the start of the line and read the cursor's position back
 * (CSI 6n).  No answer within the timeout (a terminal that does not
 * report) trusts the locale.
 */
static bool
console_blocks_narrow(void)
{
	static const char probe[] = "\r\xe2\x96\x88\033[6n";
	struct termios	 old, raw;
	struct pollfd	 pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	char		 buf[32];
	size_t		 n = 0;
	int		 row, col = 0;

	if (tcgetattr(STDIN_FILENO, &old) == -1)
		return true;
	raw = old;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	if (write(STDOUT_FILENO, probe, sizeof probe - 1) ==
	    (ssize_t)(sizeof probe - 1)) {
		while (n < sizeof buf - 1 && poll(&pfd, 1, 500) == 1) {
			ssize_t	 k = read(STDIN_FILENO, buf + n, 1);

			if (k != 1)
				break;
			if (buf[n++] == 'R')
				break;
		}
	}
	buf[n] = '\0';
	(void)!write(STDOUT_FILENO, "\r  \r", 5);
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	if (strchr(buf, '\033') == NULL || sscanf(strchr(buf, '\033'),
	    "\033[%d;%dR", &row, &col) != 2)
		return true;
	return col == 2;
}

static int
console_screen(struct console *c, struct errmsg *err)
{
	struct cmdline_cfg	 cl = {
		.prompt = CONSOLE_PROMPT,
		.history = c->cfg->history,
		.arg = c,
		.line = console_line,
		.eof = console_eof,
		.complete = console_complete,
		.message = console_message,
		.repaint = console_repaint,
	};
	const char		*term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return errmsg_set(err, "the console needs a terminal (use "
		    "'tickdesk run --headless' without one)");
	/* Before ncurses has the terminal: the probe reads its answer. */
	c->ctx.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0 &&
	    console_blocks_narrow();
	if ((c->scr = newterm(NULL, stdout, stdin)) == NULL)
		return errmsg_set(err, "cannot use the terminal type '%s'",
		    term != NULL ? term : "");
	set_term(c->scr);
	/* Panes need a cursor that moves: "dumb" and the like cannot. */
	if (tigetstr("cup") == NULL || tigetstr("cup") == (char *)-1) {
		endwin();
		return errmsg_set(err, "the terminal type '%s' cannot move "
		    "the cursor", term != NULL ? term : "");
	}
	raw();
	noecho();
	nonl();
	set_escdelay(25);
	/* End as terminals (and tmux) send it, whatever terminfo says. */
	define_key("\033[4~", KEY_END);
	define_key("\033[8~", KEY_END);
	define_key("\033[F", KEY_END);
	define_key("\033OF", KEY_END);
	colour_setup(&c->colour, c->cfg->mono);
	c->ctx.colour = &c->colour;
	if (cmdline_start(&cl, &c->colour) == -1)
		return errmsg_set(err, "cannot set up readline");
	console_layout(c);
	return 0;
}

struct console *
console_create(const struct console_cfg *cfg, struct errmsg *err)
{
	struct console	*c;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	c->cfg = cfg;
	c->r = cfg->runner;
	c->next_id = 1;
	c->sig[0] = c->sig[1] = -1;
	/* Sized by their first copies (runner_snapshot). */
	c->snap = snapshot_create(NULL, NULL);
	c->old = snapshot_create(NULL, NULL);
	c->log = logring_create(CONSOLE_LOG_LINES);
	if (c->snap == NULL || c->old == NULL || c->log == NULL) {
		errmsg_set(err, "out of memory");
		goto fail;
	}
	c->ctx.snap = c->snap;
	c->ctx.log = c->log;
	for (int i = 0; i < CONSOLE_NPANES; i++) {
		c->pane[i].ops = console_panes[i];
		c->pane[i].dirty = true;
	}
	c->pane[CONSOLE_LOG_PANE].mode = LOG_DEBUG;
	c->focus = CONSOLE_LOG_PANE;
	c->pane[c->focus].focus = true;
	if (console_screen(c, err) == -1)
		goto fail;
	if (console_signals(c) == -1) {
		errmsg_set(err, "signal pipe: %s", strerror(errno));
		goto fail;
	}
	console_log(c, 0, LOG_INFO, "console", "F1 help, F12 panic; type "
	    "help for the commands");
	reply_set(&c->reply, LOG_INFO, "F1 help, F12 panic; type help for "
	    "the commands; answers show here", false);
	return c;

fail:
	console_free(c);
	return NULL;
}

void
console_free(struct console *c)
{
	if (c == NULL)
		return;
	console_signals_done(c);
	for (int i = 0; i < CONSOLE_NPANES; i++) {
		if (c->pane[i].win != NULL)
			delwin(c->pane[i].win);
	}
	if (c->msgwin != NULL)
		delwin(c->msgwin);
	if (c->helpwin != NULL)
		delwin(c->helpwin);
	if (c->replywin != NULL)
		delwin(c->replywin);
	if (c->cmdwin != NULL)
		delwin(c->cmdwin);
	cmdline_stop();
	if (c->scr != NULL) {
		if (!c->headless)
			endwin();
		delscreen(c->scr);
	}
	tz_free(c->tz);
	logring_free(c->log);
	snapshot_free(c->snap);
	snapshot_free(c->old);
	free(c);
}

void
console_note(struct console *c, enum log_level level, const char *msg)
{
	console_log(c, c->now, level, "session", msg);
	if (level >= LOG_WARNING)
		reply_set(&c->reply, level, msg, false);
}

/* How long poll may sleep: until the next frame when something waits. */
static int
console_timeout(const struct console *c)
{
	td_ns	 left;
	int	 ms = CONSOLE_TICK_MS;

	if (!c->headless && console_dirty(c)) {
		left = c->last_draw + CONSOLE_FRAME_NS - console_wall();
		if (left < (td_ns)ms * 1000000)
			ms = left <= 0 ? 0 : (int)(left / 1000000) + 1;
	}
	return ms;
}

enum console_end
console_run(struct console *c)
{
	const struct console_hooks *h = &c->cfg->hooks;
	struct pollfd	 fds[CONSOLE_FDS];

	while (c->end == CONSOLE_RUNNING) {
		int	 n = 0, nhook = 0, rn;

		fds[n++] = (struct pollfd){ .fd = c->sig[0], .events = POLLIN };
		fds[n++] = (struct pollfd){ .fd = runner_fd(c->r),
		    .events = POLLIN };
		if (!c->headless)
			fds[n++] = (struct pollfd){ .fd = STDIN_FILENO,
			    .events = POLLIN };
		if (h->pollfds != NULL)
			nhook = h->pollfds(h->arg, fds + n, CONSOLE_FDS - n);
		rn = poll(fds, (nfds_t)(n + nhook), console_timeout(c));
		if (rn == -1 && errno != EINTR) {
			console_log(c, c->now, LOG_CRITICAL, "console",
			    strerror(errno));
			c->end = CONSOLE_FAILED;
			break;
		}
		if (!c->headless) {
			/* After EINTR too: a resize comes as KEY_RESIZE. */
			if (fds[2].revents & (POLLHUP | POLLERR | POLLNVAL))
				console_signal(c, SIGHUP);
			else
				console_keys(c);
		}
		if (h->service != NULL)
			h->service(h->arg, fds + n, nhook);
		console_runner(c);
		console_signals_read(c);
		if (h->check != NULL && c->end == CONSOLE_RUNNING)
			c->end = h->check(h->arg);
		if (!c->headless && console_dirty(c) &&
		    console_wall() - c->last_draw >= CONSOLE_FRAME_NS)
			console_draw(c);
	}
	/* The last answers (the one to quit) are worth a look in the log. */
	console_runner(c);
	return c->end;
}
