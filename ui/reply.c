/*
 * reply.c -- the reply line's text, how many rows it wants and drawing
 * it (reply.h).
 */
#include <stdio.h>
#include <string.h>

#include "reply.h"

void
reply_set(struct reply *r, enum log_level level, const char *text,
    bool question)
{
	const char	*s = text, *nl;
	size_t		 n;
	int		 more = 0;

	/* The first line with something on it. */
	while (*s == '\n')
		s++;
	n = strcspn(s, "\n");
	for (nl = s + n; *nl != '\0'; nl++) {
		if (*nl == '\n' && nl[1] != '\0' && nl[1] != '\n')
			more++;
	}
	if (n >= sizeof r->text)
		n = sizeof r->text - 1;
	if (more > 0)
		snprintf(r->text, sizeof r->text, "%.*s  (+%d line%s in the "
		    "log)", (int)(n < sizeof r->text - 40 ? n :
		    sizeof r->text - 40), s, more, more == 1 ? "" : "s");
	else
		snprintf(r->text, sizeof r->text, "%.*s", (int)n, s);
	r->level = level;
	r->question = question;
	r->folded = false;
	r->dirty = true;
}

void
reply_fold(struct reply *r)
{
	if (r->folded)
		return;
	r->folded = true;
	r->dirty = true;
}

/*
 * Where each row of text at width w starts and how long it is: break
 * after the last blank of the row when there is one in its second half.
 * Returns the rows needed (at most max).
 */
static int
reply_wrap(const char *text, int w, int max, int *start, int *len)
{
	int	 total = (int)strlen(text), at = 0, rows = 0;

	while (at < total && rows < max) {
		int	 n = total - at <= w ? total - at : w;

		if (at + n < total) {
			for (int k = n - 1; k > w / 2; k--) {
				if (text[at + k] == ' ') {
					n = k + 1;
					break;
				}
			}
		}
		start[rows] = at;
		len[rows++] = n;
		at += n;
		while (text[at] == ' ')
			at++;
	}
	return rows;
}

int
reply_rows(const struct reply *r, int width, int max)
{
	int	 start[REPLY_ROWS_MAX], len[REPLY_ROWS_MAX], rows;

	if (max > REPLY_ROWS_MAX)
		max = REPLY_ROWS_MAX;
	if (max < 1 || width < 8 || r->folded)
		return 1;
	rows = reply_wrap(r->text, width, max, start, len);
	return rows < 1 ? 1 : rows;
}

static enum colour_role
reply_role(const struct reply *r)
{
	if (r->question)
		return COLOUR_QUESTION;
	switch (r->level) {
	case LOG_DEBUG:
	case LOG_INFO:
		return COLOUR_NORMAL;
	case LOG_WARNING:
		return COLOUR_LOG_WARNING;
	case LOG_ERROR:
		return COLOUR_LOG_ERROR;
	case LOG_CRITICAL:
		return COLOUR_LOG_CRITICAL;
	}
	return COLOUR_NORMAL;
}

void
reply_draw(const struct reply *r, WINDOW *win, const struct colour *colour)
{
	int	 h, w, rows, start[REPLY_ROWS_MAX], len[REPLY_ROWS_MAX];
	int	 total = (int)strlen(r->text);

	getmaxyx(win, h, w);
	werase(win);
	if (w < 1 || h < 1)
		return;
	if (h > REPLY_ROWS_MAX)
		h = REPLY_ROWS_MAX;
	rows = reply_wrap(r->text, w, h, start, len);
	wattrset(win, colour_attr(colour, reply_role(r)));
	for (int i = 0; i < rows; i++) {
		/* The last row of a text that goes on ends in "...". */
		if (i == rows - 1 && start[i] + len[i] < total && w > 3) {
			int	 n = len[i] <= w - 3 ? len[i] : w - 3;

			mvwaddnstr(win, i, 0, r->text + start[i], n);
			waddstr(win, "...");
		} else
			mvwaddnstr(win, i, 0, r->text + start[i], len[i]);
	}
	wattrset(win, A_NORMAL);
}
