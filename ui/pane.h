/*
 * pane.h -- a pane of the console: a table of functions and its window.
 *
 * Each pane is one ui/pane-*.c file exporting a const struct pane_ops, as
 * tmux's window modes and htop's meters do.  The console owns the struct
 * pane values (window, rectangle, focus, scroll offset, dirty bit) and
 * calls the ops: layout when the rectangle changes, changed when a new
 * snapshot arrives (only panes whose data moved are redrawn), draw to
 * paint the whole pane from the snapshot into its window, scroll_by for
 * PgUp/PgDn (curses already has a scroll macro), key for the pane's own
 * action key (F2).  A pane reads only
 * the snapshot and the log ring in its pane_ctx; it never sees the engine.
 * Drawing only fills the window: the console calls wnoutrefresh and one
 * doupdate per turn.
 */
#ifndef TD_UI_PANE_H
#define TD_UI_PANE_H

#include <stdbool.h>

#include <curses.h>

#include "colour.h"
#include "layout.h"
#include "snapshot.h"

struct logring;
struct tz;

/* The pane's own action key. */
#define PANE_ACTION_KEY		KEY_F(2)

/* What every pane draws from; owned by the console. */
struct pane_ctx {
	const struct snapshot	*snap;
	const struct colour	*colour;
	const struct tz		*tz;		/* exchange zone; NULL: UTC */
	const struct logring	*log;
	int			 inst;		/* the focused instrument */
	bool			 utf8;		/* block characters allowed */
};

struct pane;

struct pane_ops {
	const char		*title;
	enum layout_pane	 slot;
	/* What PANE_ACTION_KEY does, shown on the focused title; or NULL. */
	const char		*action;
	/* The rectangle changed (p->rect): optional. */
	void	(*layout)(struct pane *p);
	/* Whether a new snapshot changes the pane; NULL: always. */
	bool	(*changed)(const struct snapshot *old,
		    const struct snapshot *cur);
	/* Paint the whole pane into p->win. */
	void	(*draw)(struct pane *p, const struct pane_ctx *ctx);
	/* Scroll n rows (negative: back towards the start); optional. */
	void	(*scroll_by)(struct pane *p, int n);
	/* The action key; true when it changed something. */
	bool	(*key)(struct pane *p, int key, struct pane_ctx *ctx);
};

struct pane {
	const struct pane_ops	*ops;
	WINDOW			*win;
	struct layout_rect	 rect;
	bool			 focus;
	bool			 dirty;
	int			 scroll;	/* rows scrolled away */
	int			 rows;		/* rows there are to show */
	int			 mode;		/* the pane's own setting */
};

extern const struct pane_ops pane_status_ops;
extern const struct pane_ops pane_positions_ops;
extern const struct pane_ops pane_strategies_ops;
extern const struct pane_ops pane_blotter_ops;
extern const struct pane_ops pane_risk_ops;
extern const struct pane_ops pane_log_ops;
extern const struct pane_ops pane_price_ops;
extern const struct pane_ops pane_chart_ops;	/* in pane_price's place */

/* ---------------------------------------------------------------- helpers */

/*
 * Draw the title line (row 0): the title, then extra, in the title colour
 * (reversed when focused, with the action key's hint at the right).
 */
void		 pane_title(struct pane *p, const struct pane_ctx *ctx,
		     const char *extra);
/*
 * Put text at row y, column x, in a role's colour, cut at the window's
 * right edge (and at x + maxw when maxw > 0).  Control characters and
 * bytes outside ASCII show as '?'.  Returns the column after the text.
 */
int		 pane_put(struct pane *p, const struct pane_ctx *ctx, int y,
		     int x, int maxw, enum colour_role role, const char *text);
/*
 * Put text from row y down, wrapped at blanks to the pane's width, on at
 * most rows rows (the last one cut).  Returns the rows used.
 */
int		 pane_wrap(struct pane *p, const struct pane_ctx *ctx, int y,
		     int rows, enum colour_role role, const char *text);
/* pane_put with a format. */
int		 pane_printf(struct pane *p, const struct pane_ctx *ctx, int y,
		     int x, int maxw, enum colour_role role, const char *fmt,
		     ...) __attribute__((format(printf, 7, 8)));
/*
 * Clamp p->scroll for rows of content and visible rows on screen, and
 * remember rows.  The default scroll op adds n and clamps at the next draw.
 */
void		 pane_clamp(struct pane *p, int rows, int visible);
void		 pane_scroll_default(struct pane *p, int n);
/* The colour role of P&L: up, down or normal for zero. */
enum colour_role pane_pnl_role(td_cents c);
/* The colour role of an order state name ("working", "fill", ...). */
enum colour_role pane_order_role(const char *state);

#endif
