/*
 * pane.c -- what every pane shares: the title line, clipped text, scroll
 * limits and the colour roles of P&L and order states.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pane.h"

void
pane_title(struct pane *p, const struct pane_ctx *ctx, const char *extra)
{
	enum colour_role role = p->focus ? COLOUR_TITLE_FOCUS : COLOUR_TITLE;
	int		 w = p->rect.w, x;
	char		 hint[32];

	wmove(p->win, 0, 0);
	wattrset(p->win, colour_attr(ctx->colour, role));
	for (int i = 0; i < w; i++)
		waddch(p->win, ' ');
	wattrset(p->win, A_NORMAL);
	x = pane_printf(p, ctx, 0, 0, 0, role, "%s%s", p->focus ? ">" : " ",
	    p->ops->title);
	/* The hint goes first when the figures would not fit beside it. */
	if (p->focus && p->ops->action != NULL) {
		snprintf(hint, sizeof hint, " F2 %s ", p->ops->action);
		if (extra != NULL && x + 1 + (int)strlen(extra) +
		    (int)strlen(hint) > w)
			hint[0] = '\0';
		if (hint[0] != '\0' && (int)strlen(hint) + x + 1 < w)
			pane_put(p, ctx, 0, w - (int)strlen(hint), 0, role,
			    hint);
		w -= (int)strlen(hint);
	}
	if (extra != NULL && extra[0] != '\0' && x + 1 < w)
		pane_put(p, ctx, 0, x + 1, w - x - 1, role, extra);
}

int
pane_put(struct pane *p, const struct pane_ctx *ctx, int y, int x, int maxw,
    enum colour_role role, const char *text)
{
	int	 room = p->rect.w - x;

	if (maxw > 0 && maxw < room)
		room = maxw;
	if (y < 0 || y >= p->rect.h || x < 0 || room <= 0)
		return x;
	wmove(p->win, y, x);
	wattrset(p->win, colour_attr(ctx->colour, role));
	for (; *text != '\0' && room > 0; text++, room--, x++) {
		unsigned char	 c = (unsigned char)*text;

		waddch(p->win, c >= 0x20 && c < 0x7f ? c : '?');
	}
	wattrset(p->win, A_NORMAL);
	return x;
}

int
pane_wrap(struct pane *p, const struct pane_ctx *ctx, int y, int rows,
    enum colour_role role, const char *text)
{
	int	 w = p->rect.w, used = 0, len = (int)strlen(text), at = 0;

	while (at < len && used < rows && y + used < p->rect.h && w > 0) {
		int	 n = len - at <= w ? len - at : w;

		/* Break after the last blank in the second half of the row. */
		if (at + n < len && used < rows - 1) {
			for (int k = n - 1; k > w / 2; k--) {
				if (text[at + k] == ' ') {
					n = k + 1;
					break;
				}
			}
		}
		pane_put(p, ctx, y + used, 0, n, role, text + at);
		used++;
		at += n;
		while (text[at] == ' ')
			at++;
	}
	return used;
}

int
pane_printf(struct pane *p, const struct pane_ctx *ctx, int y, int x,
    int maxw, enum colour_role role, const char *fmt, ...)
{
	char	 buf[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return pane_put(p, ctx, y, x, maxw, role, buf);
}

void
pane_clamp(struct pane *p, int rows, int visible)
{
	int	 max = rows - (visible > 0 ? visible : 0);

	p->rows = rows;
	if (max < 0)
		max = 0;
	if (p->scroll > max)
		p->scroll = max;
	if (p->scroll < 0)
		p->scroll = 0;
}

void
pane_scroll_default(struct pane *p, int n)
{
	p->scroll += n;
	if (p->scroll < 0)
		p->scroll = 0;
	if (p->scroll > p->rows)
		p->scroll = p->rows;
}

enum colour_role
pane_pnl_role(td_cents c)
{
	return c > 0 ? COLOUR_PNL_UP : c < 0 ? COLOUR_PNL_DOWN : COLOUR_NORMAL;
}

enum colour_role
pane_order_role(const char *state)
{
	if (strcmp(state, "fill") == 0 || strcmp(state, "filled") == 0)
		return COLOUR_ORDER_FILLED;
	if (strcmp(state, "rejected") == 0)
		return COLOUR_ORDER_REJECTED;
	if (strcmp(state, "cancelled") == 0 || strcmp(state, "expired") == 0)
		return COLOUR_ORDER_DONE;
	return COLOUR_ORDER_WORKING;
}
