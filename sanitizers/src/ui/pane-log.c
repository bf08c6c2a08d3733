/*
 * pane-log.c -- the engine's log lines and the answers to commands.
 *
 * Newest at the bottom, like a terminal.  PgUp/PgDn scroll back; while
 * scrolled back the pane stays where it is and the title counts the newer
 * lines.  F2 cycles the lowest level shown (all, info, warning, error),
 * which only filters the display; `log level` changes what the engine
 * sends.  Each line carries its level as a word, coloured by level, and
 * a line longer than the pane wraps onto indented rows.
 */
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "logring.h"
#include "pane.h"

/* Where the continuation of a long line starts: under the message. */
#define LOG_INDENT	15
#define LOG_ROWS_MAX	16

static enum colour_role
log_role(enum log_level level)
{
	switch (level) {
	case LOG_DEBUG:
		return COLOUR_LOG_DEBUG;
	case LOG_INFO:
		return COLOUR_LOG_INFO;
	case LOG_WARNING:
		return COLOUR_LOG_WARNING;
	case LOG_ERROR:
		return COLOUR_LOG_ERROR;
	case LOG_CRITICAL:
		return COLOUR_LOG_CRITICAL;
	}
	return COLOUR_NORMAL;
}

static const char *
log_tag(enum log_level level)
{
	switch (level) {
	case LOG_DEBUG:
		return "debug";
	case LOG_INFO:
		return "info";
	case LOG_WARNING:
		return "WARN";
	case LOG_ERROR:
		return "ERROR";
	case LOG_CRITICAL:
		return "CRIT";
	}
	return "?";
}

/* New snapshots never change the log; the console marks new lines. */
static bool
log_changed(const struct snapshot *old, const struct snapshot *cur)
{
	return false;
}

/*
 * Draw one line wrapped to the pane's width, its last row at row `last`:
 * rows break after a blank when there is one in the second half of the
 * row, and continuation rows are indented under the message.  Rows above
 * row 1 (the title) are not drawn.  Returns the number of rows it takes.
 */
static int
log_line(struct pane *p, const struct pane_ctx *ctx,
    const struct logring_line *l, int last)
{
	char		 text[LOGRING_MSG + LOGRING_COMPONENT + 32], clock[16];
	int		 start[LOG_ROWS_MAX], width[LOG_ROWS_MAX];
	int		 w = p->rect.w, len, rows = 0, at = 0, y;
	enum colour_role role = log_role(l->level);

	fmt_clock(clock, sizeof clock, ctx->tz, l->time, 0);
	len = snprintf(text, sizeof text, "%s %-5s %s%s%s", clock,
	    log_tag(l->level), l->component, l->component[0] != '\0' ?
	    ": " : "", l->msg);
	if (len >= (int)sizeof text)
		len = (int)sizeof text - 1;
	while (at < len && rows < LOG_ROWS_MAX) {
		int	 room = rows == 0 ? w : w - LOG_INDENT, n;

		if (room < 8)	/* too narrow to wrap: cut */
			room = len - at;
		n = len - at <= room ? len - at : room;
		if (at + n < len) {
			for (int k = n - 1; k > room / 2; k--) {
				if (text[at + k] == ' ') {
					n = k + 1;
					break;
				}
			}
		}
		start[rows] = at;
		width[rows++] = n;
		at += n;
	}
	if (rows == 0) {
		start[0] = width[0] = 0;
		rows = 1;
	}
	y = last - rows + 1;
	for (int k = 0; k < rows; k++) {
		char	 row[sizeof text];

		if (y + k < 1)
			continue;
		memcpy(row, text + start[k], (size_t)width[k]);
		row[width[k]] = '\0';
		pane_put(p, ctx, y + k, k == 0 ? 0 : LOG_INDENT, 0, role, row);
	}
	return rows;
}

static void
log_draw(struct pane *p, const struct pane_ctx *ctx)
{
	const struct logring	*lr = ctx->log;
	size_t			 n = logring_count(lr);
	char			 title[64];
	int			 shown = 0, y, skip, visible = p->rect.h - 1;

	for (size_t i = 0; i < n; i++) {
		if ((int)logring_get(lr, i)->level >= p->mode)
			shown++;
	}
	pane_clamp(p, shown, visible);
	if (p->scroll > 0)
		snprintf(title, sizeof title, "level %s and up, %d newer below",
		    log_level_name((enum log_level)p->mode), p->scroll);
	else
		snprintf(title, sizeof title, "level %s and up",
		    log_level_name((enum log_level)p->mode));
	pane_title(p, ctx, title);

	/* Newest at the bottom, each line wrapped to the width. */
	y = p->rect.h - 1;
	skip = p->scroll;
	for (size_t i = n; i > 0 && y >= 1; i--) {
		const struct logring_line	*l = logring_get(lr, i - 1);

		if ((int)l->level < p->mode || skip-- > 0)
			continue;
		y -= log_line(p, ctx, l, y);
	}
}

/* Back towards older lines is up: PgUp gives a negative n. */
static void
log_scroll(struct pane *p, int n)
{
	p->scroll -= n;
	if (p->scroll < 0)
		p->scroll = 0;
	if (p->scroll > p->rows)
		p->scroll = p->rows;
}

static bool
log_key(struct pane *p, int key, struct pane_ctx *ctx)
{
	if (key != PANE_ACTION_KEY)
		return false;
	/* all -> info -> warning -> error -> all */
	p->mode = p->mode >= LOG_ERROR ? LOG_DEBUG : p->mode + 1;
	p->scroll = 0;
	return true;
}

const struct pane_ops pane_log_ops = {
	.title = "Log",
	.slot = LAYOUT_LOG,
	.action = "filter level",
	.changed = log_changed,
	.draw = log_draw,
	.scroll_by = log_scroll,
	.key = log_key,
};
