/*
 * desk.c -- the table of the trader's commands, the tokenizer, the
 * dispatcher, and what the command files share: replies, argument
 * parsers and completion word lists.
 *
 * Command words and keywords (buy, mkt, all, stop, set, ...) are taken in
 * any case, `BUY 1 ES MKT` as `buy 1 ES mkt`; names (symbols, strategies,
 * templates, parameters) are those of the configuration, a symbol also
 * by its one case-blind match.
 *
 * A command line goes: split into words on blanks (a control character
 * refuses the line); a last word "--confirmed" becomes a flag; the first
 * word finds the entry (desk_find); an entry without DESK_WHILE_HALTED is
 * refused while the trading state is HALTED or KILLED; an entry with
 * DESK_AUDIT is written to the journal; then its exec function parses the
 * rest and calls the engine.  Commands never wait for the market: flatten
 * sends its orders and answers, and the fills come with later events.
 *
 * The desk runs on the engine thread (desk_exec is the runner's command
 * function).  It keeps a scratch snapshot and the exchange's time zone
 * for its answers, both taken in desk_create or on first use (the
 * snapshot's tables as large as the engine asks), never per event.  Completion runs on the console's thread and touches neither.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "fixed.h"
#include "instrument.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "risk.h"
#include "suggest.h"
#include "tz.h"

#define DESK_QTY_MAX	100000

struct desk {
	char		 who[TD_NAME_MAX];
	enum snap_mode	 mode;
	struct snapshot	*snap;		/* desk_snapshot's scratch */
	struct tz	*tz;		/* the snapshot's zone, for times */
	char		 tzname[64];
	char		 line[RUNNER_LINE_MAX];	/* the words of a command */
	atomic_bool	 quit_when_flat;
	desk_reload_fn	 reload;
	void		*reload_arg;
};

static const struct desk_entry *const desk_entries[] = {
	&desk_status_entry,
	&desk_positions_entry,
	&desk_orders_entry,
	&desk_buy_entry,
	&desk_sell_entry,
	&desk_cancel_entry,
	&desk_move_entry,
	&desk_reverse_entry,
	&desk_oco_entry,
	&desk_flatten_entry,
	&desk_halt_entry,
	&desk_resume_entry,
	&desk_kill_entry,
	&desk_kill_now_entry,
	&desk_strategy_entry,
	&desk_risk_entry,
	&desk_breaker_entry,
	&desk_rollout_entry,
	&desk_replay_entry,
	&desk_log_entry,
	&desk_reload_entry,
	&desk_help_entry,
	&desk_quit_entry,
	NULL,
};

const struct desk_entry *const *
desk_table(void)
{
	return desk_entries;
}

/* The command a mistyped name likely meant ("flaten"), or NULL. */
static const char *
desk_suggest(const char *name)
{
	struct suggest	 s;

	suggest_init(&s, name);
	for (size_t i = 0; desk_entries[i] != NULL; i++)
		suggest_add(&s, desk_entries[i]->name);
	return suggest_best(&s);
}

const struct desk_entry *
desk_find(const char *name, char *cause, size_t len)
{
	const struct desk_entry	*found = NULL, *full = NULL;
	const char		*near;
	size_t			 n = strlen(name);
	int			 matches = 0;
	char			 list[256] = "";

	for (size_t i = 0; desk_entries[i] != NULL; i++) {
		const struct desk_entry	*d = desk_entries[i];

		if (strcasecmp(d->name, name) == 0)
			return d;
		if (n == 0 || strncasecmp(d->name, name, n) != 0)
			continue;
		if (d->flags & DESK_EXACT) {
			if (full == NULL)
				full = d;
			continue;
		}
		found = d;
		matches++;
		snprintf(list + strlen(list), sizeof list - strlen(list),
		    "%s%s", matches > 1 ? ", " : "", d->name);
	}
	if (matches == 1)
		return found;
	if (matches > 1)
		snprintf(cause, len, "ambiguous command '%s' (%s)", name, list);
	else if (full != NULL)
		snprintf(cause, len, "'%s' is short for %s: commands that "
		    "trade are typed in full", name, full->name);
	else if ((near = desk_suggest(name)) != NULL)
		snprintf(cause, len, "unknown command '%s'; did you mean "
		    "'%s'?", name, near);
	else
		snprintf(cause, len, "unknown command '%s' (help lists the "
		    "commands)", name);
	return NULL;
}

struct desk *
desk_create(const char *who, enum snap_mode mode, struct errmsg *err)
{
	struct desk	*d;

	if ((d = calloc(1, sizeof *d)) == NULL ||
	    (d->snap = snapshot_create(NULL, err)) == NULL) {
		free(d);
		errmsg_set(err, "desk: out of memory");
		return NULL;
	}
	/* The risk manager reserves "engine" for its own moves. */
	if (who == NULL || *who == '\0' || strcmp(who, "engine") == 0)
		who = "trader";
	snprintf(d->who, sizeof d->who, "%s", who);
	d->mode = mode;
	atomic_init(&d->quit_when_flat, false);
	return d;
}

void
desk_free(struct desk *d)
{
	if (d == NULL)
		return;
	tz_free(d->tz);
	snapshot_free(d->snap);
	free(d);
}

bool
desk_take_quit_when_flat(struct desk *d)
{
	return atomic_exchange(&d->quit_when_flat, false);
}

void
desk_quit_when_flat(struct desk_cmd *c)
{
	atomic_store(&c->desk->quit_when_flat, true);
}

void
desk_set_reload(struct desk *d, desk_reload_fn fn, void *arg)
{
	d->reload = fn;
	d->reload_arg = arg;
}

int
desk_run_reload(struct desk_cmd *c)
{
	if (c->desk->reload == NULL)
		return -1;
	c->desk->reload(c->desk->reload_arg, c);
	return 0;
}

/* ---------------------------------------------------------------- replies */

static void
desk_vprint(struct desk_cmd *c, const char *fmt, va_list ap)
{
	char		 line[RUNNER_REPLY_MAX];
	size_t		 n, room = sizeof c->reply->text;
	char		*text = c->reply->text;

	if (c->full)
		return;
	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	/* Keep room for "\n..." to say that lines are missing. */
	if (c->len + 1 + n + 5 > room) {
		if (c->len + 5 <= room) {
			memcpy(text + c->len, "\n...", 5);
			c->len += 4;
		}
		c->full = true;
		return;
	}
	if (c->len > 0)
		text[c->len++] = '\n';
	memcpy(text + c->len, line, n + 1);
	c->len += n;
}

bool
desk_room(const struct desk_cmd *c, size_t n)
{
	/* As desk_vprint: a newline before it, room for "\n..." after. */
	return !c->full && c->len + 1 + n + 5 <= sizeof c->reply->text;
}

void
desk_print(struct desk_cmd *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	desk_vprint(c, fmt, ap);
	va_end(ap);
}

void
desk_fail(struct desk_cmd *c, int status, const char *fmt, ...)
{
	va_list	 ap;

	c->len = 0;
	c->full = false;
	c->reply->text[0] = '\0';
	c->reply->status = status;
	c->reply->confirm = false;
	c->reply->quit = false;
	va_start(ap, fmt);
	desk_vprint(c, fmt, ap);
	va_end(ap);
}

void
desk_refused(struct desk_cmd *c, const char *why)
{
	static const char *const said[] = { "order refused: ", "refused: ",
	    NULL };

	for (size_t i = 0; said[i] != NULL; i++) {
		if (strncmp(why, said[i], strlen(said[i])) == 0) {
			why += strlen(said[i]);
			break;
		}
	}
	desk_fail(c, 1, "%s: refused: %s", c->entry->name, why);
}

void
desk_usage(struct desk_cmd *c)
{
	desk_fail(c, 2, "usage: %s%s%s", c->entry->name,
	    *c->entry->usage != '\0' ? " " : "", c->entry->usage);
}

void
desk_unexpected(struct desk_cmd *c, const char *word)
{
	desk_fail(c, 2, "%s: unexpected word '%s'", c->entry->name, word);
}

void
desk_ask(struct desk_cmd *c, const char *fmt, ...)
{
	va_list	 ap;

	desk_fail(c, 2, "%s", "");
	va_start(ap, fmt);
	desk_vprint(c, fmt, ap);
	va_end(ap);
	c->reply->confirm = true;
}

/* ---------------------------------------------------------------- dispatch */

/* Split d->line into words; -1 after failing the command. */
static int
desk_split(struct desk_cmd *c, const char *line)
{
	char	*p, *save;

	snprintf(c->desk->line, sizeof c->desk->line, "%s", line);
	for (p = c->desk->line; *p != '\0'; p++) {
		unsigned char	 ch = (unsigned char)*p;

		if (ch == '\t' || ch == '\r' || ch == '\n')
			*p = ' ';
		else if (ch < 0x20 || ch == 0x7f) {
			desk_fail(c, 2, "bad character in command");
			return -1;
		}
	}
	c->argc = 0;
	for (p = strtok_r(c->desk->line, " ", &save); p != NULL;
	    p = strtok_r(NULL, " ", &save)) {
		if (c->argc == DESK_ARGS_MAX) {
			desk_fail(c, 2, "too many words (at most %d)",
			    DESK_ARGS_MAX);
			return -1;
		}
		c->argv[c->argc++] = p;
	}
	if (c->argc > 1 && strcmp(c->argv[c->argc - 1], DESK_CONFIRMED) == 0) {
		c->confirmed = true;
		c->argc--;
	}
	if (c->argc == 0) {
		desk_fail(c, 2, "empty command");
		return -1;
	}
	return 0;
}

void
desk_exec(void *arg, struct runner *r, struct engine *e, const char *line,
    struct runner_reply *reply)
{
	struct desk_cmd		 c = {
		.desk = arg,
		.runner = r,
		.engine = e,
		.reply = reply,
	};
	enum trading_state	 state;
	char			 cause[RUNNER_LINE_MAX + 64];

	reply->status = 0;
	reply->confirm = false;
	reply->quit = false;
	reply->text[0] = '\0';
	if (desk_split(&c, line) == -1)
		return;
	if ((c.entry = desk_find(c.argv[0], cause, sizeof cause)) == NULL) {
		desk_fail(&c, 2, "%s", cause);
		return;
	}
	state = engine_state(e);
	if (!(c.entry->flags & DESK_WHILE_HALTED) &&
	    (state == TS_HALTED || state == TS_KILLED)) {
		desk_fail(&c, 1, "%s: refused: trading is %s (flatten, cancel "
		    "and move still work; resume to trade)", c.entry->name,
		    trading_state_name(state));
		return;
	}
	if (c.entry->flags & DESK_AUDIT)
		engine_note_command(e, line);
	c.entry->exec(&c);
	/* Only a command that says it may ask can leave a question. */
	if (reply->confirm && !(c.entry->flags & DESK_CONFIRM))
		reply->confirm = false;
}

/* ---------------------------------------------------------------- arguments */

int
desk_arg_qty(struct desk_cmd *c, const char *s, int64_t *out)
{
	int64_t	 v;

	if (strspn(s, "0123456789") != strlen(s) ||
	    fixed_parse_int(s, strlen(s), &v) == -1 || v < 1 ||
	    v > DESK_QTY_MAX) {
		desk_fail(c, 2, "%s: bad quantity '%s': a whole number of "
		    "contracts from 1 to %d", c->entry->name, s, DESK_QTY_MAX);
		return -1;
	}
	*out = v;
	return 0;
}

int
desk_arg_int(struct desk_cmd *c, const char *what, const char *s,
    int64_t min, int64_t max, int64_t *out)
{
	int64_t	 v;

	if (fixed_parse_int(s, strlen(s), &v) == -1 || *s == '+' ||
	    v < min || v > max) {
		desk_fail(c, 2, "%s: bad %s '%s': a whole number from %lld to "
		    "%lld", c->entry->name, what, s, (long long)min,
		    (long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

/* "ES, MES" */
static void
desk_symbol_list(const struct engine *e, char *buf, size_t len)
{
	size_t	 used = 0;

	buf[0] = '\0';
	for (int i = 0; i < engine_ninst(e) && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i > 0 ? ", " : "", engine_instrument(e,
		    td_inst_at(i))->symbol);
}

int
desk_arg_inst(struct desk_cmd *c, const char *s, struct td_inst *inst)
{
	char	 list[256];
	int	 found = -1, n = 0;

	if (engine_inst_find(c->engine, s, inst) == 0)
		return 0;
	for (int i = 0; i < engine_ninst(c->engine); i++) {
		if (strcasecmp(engine_instrument(c->engine,
		    td_inst_at(i))->symbol, s) == 0) {
			found = i;
			n++;
		}
	}
	if (n == 1) {
		*inst = td_inst_at(found);
		return 0;
	}
	desk_symbol_list(c->engine, list, sizeof list);
	desk_fail(c, 2, "%s: unknown symbol '%s' (%s)", c->entry->name, s,
	    list);
	return -1;
}

static const char *const desk_bracket_words[] = { "stop", "target", "atm",
    NULL };

bool
desk_bracket_word(const char *word)
{
	for (int k = 0; desk_bracket_words[k] != NULL; k++) {
		if (strcasecmp(word, desk_bracket_words[k]) == 0)
			return true;
	}
	return false;
}

void
desk_words_bracket(struct desk_words *out, const char *prefix)
{
	for (int k = 0; desk_bracket_words[k] != NULL; k++)
		desk_words_add(out, prefix, desk_bracket_words[k]);
}

/*
 * The bracket words from argv[i] on: stop TICKS, target TICKS, or a
 * template, atm NAME; what was asked in text (", bracket ...").
 */
int
desk_arg_bracket(struct desk_cmd *c, int i, struct bracket *br, char *text,
    size_t len)
{
	const struct bracket	*atm = NULL;
	const char		*name = NULL;
	int64_t			 v[2] = { 0, 0 };
	int			 k;

	for (; i < c->argc; i += 2) {
		/* Indexes of desk_bracket_words: stop, target, atm. */
		for (k = 0; desk_bracket_words[k] != NULL &&
		    strcasecmp(c->argv[i], desk_bracket_words[k]) != 0; k++)
			;
		if (desk_bracket_words[k] == NULL)
			return desk_unexpected(c, c->argv[i]), -1;
		if (i + 1 == c->argc)
			return desk_fail(c, 2, "%s: %s needs %s",
			    c->entry->name, c->argv[i], k == 2 ?
			    "a template name" : "a number of ticks"), -1;
		if ((k < 2 && v[k] != 0) || (k == 2 && atm != NULL))
			return desk_fail(c, 2, "%s: %s given twice",
			    c->entry->name, c->argv[i]), -1;
		if (k == 2 && (atm = engine_atm(c->engine,
		    name = c->argv[i + 1])) == NULL)
			return desk_fail(c, 2, "%s: no bracket template '%s' "
			    "(atm in the configuration)", c->entry->name,
			    c->argv[i + 1]), -1;
		if (k < 2 && desk_arg_int(c, k == 0 ? "stop ticks" :
		    "target ticks", c->argv[i + 1], 1, DESK_TICKS_MAX,
		    &v[k]) == -1)
			return -1;
	}
	if (atm != NULL && (v[0] != 0 || v[1] != 0))
		return desk_fail(c, 2, "%s: atm or stop and target, not both",
		    c->entry->name), -1;
	if (atm != NULL) {
		*br = *atm;
		snprintf(text, len, ", atm %s", name);
		return 0;
	}
	*br = (struct bracket){ .stop_ticks = (int32_t)v[0],
	    .ntargets = v[1] > 0, .target_ticks = { (int32_t)v[1] } };
	if (v[0] != 0 || v[1] != 0)
		snprintf(text, len, ", bracket stop %d target %d ticks",
		    (int)v[0], (int)v[1]);
	return 0;
}

int
desk_arg_price(struct desk_cmd *c, struct td_inst inst, const char *s,
    td_ticks *out)
{
	const struct instrument	*in = engine_instrument(c->engine, inst);
	struct errmsg		 err;
	td_px			 px;

	if (fixed_parse(s, strlen(s), &px) == -1) {
		desk_fail(c, 2, "%s: bad price '%s' for %s", c->entry->name, s,
		    in->symbol);
		return -1;
	}
	if (px <= 0) {
		desk_fail(c, 2, "%s: bad price '%s' for %s: it must be above 0",
		    c->entry->name, s, in->symbol);
		return -1;
	}
	if (instrument_ticks(in, px, out, &err) == -1) {
		desk_fail(c, 2, "%s: %s of %s", c->entry->name, err.msg,
		    in->symbol);
		return -1;
	}
	return 0;
}

/* What the blotter last said of an order that is no longer working. */
static const char *
desk_order_gone(struct desk_cmd *c, uint64_t id)
{
	const struct snapshot	*s = desk_snapshot(c);

	for (int i = 0; i < s->nblot; i++) {
		if (s->blot[i].id == id && !s->blot[i].fill)
			return s->blot[i].state;
	}
	for (int i = 0; i < s->nblot; i++) {
		if (s->blot[i].id == id)
			return "filled";
	}
	return NULL;
}

int
desk_arg_order(struct desk_cmd *c, const char *s, const struct order **out)
{
	const struct order_mgr	*om = engine_orders(c->engine);
	const char		*gone;
	int64_t			 v;

	if (strspn(s, "0123456789") != strlen(s) ||
	    fixed_parse_int(s, strlen(s), &v) == -1 || v < 1) {
		desk_fail(c, 2, "%s: bad order id '%s'", c->entry->name, s);
		return -1;
	}
	for (int i = 0; i < order_mgr_live_count(om); i++) {
		const struct order	*o = order_mgr_live_at(om, i);

		if (o->id == (uint64_t)v) {
			*out = o;
			return 0;
		}
	}
	if ((gone = desk_order_gone(c, (uint64_t)v)) != NULL)
		desk_fail(c, 1, "%s: order %lld is %s, no longer working",
		    c->entry->name, (long long)v, gone);
	else
		desk_fail(c, 2, "%s: unknown order id %lld", c->entry->name,
		    (long long)v);
	return -1;
}

int
desk_arg_strategy(struct desk_cmd *c, const char *s, struct td_strat *out)
{
	char	 list[512];
	size_t	 used = 0;

	if (engine_strategy_find(c->engine, s, out) == 0)
		return 0;
	list[0] = '\0';
	for (int i = 0; i < engine_nstrat(c->engine) && used < sizeof list;
	    i++)
		used += (size_t)snprintf(list + used, sizeof list - used,
		    "%s%s", i > 0 ? ", " : "",
		    engine_strategy_cfg(c->engine, td_strat_at(i))->name);
	desk_fail(c, 2, "%s: unknown strategy '%s' (%s)", c->entry->name, s,
	    used > 0 ? list : "none configured");
	return -1;
}

/* ---------------------------------------------------------------- helpers */

const char *
desk_who(const struct desk_cmd *c)
{
	return c->desk->who;
}

const struct snapshot *
desk_snapshot(struct desk_cmd *c)
{
	struct snapshot		*s = c->desk->snap;
	struct snapshot_sizes	 sz;
	struct errmsg		 err;

	/* Sized at the first command, and again only if the engine's are. */
	engine_snapshot_sizes(c->engine, &sz);
	if (!snapshot_holds(s, &sz) && snapshot_resize(s, &sz, &err) == -1)
		desk_print(c, "%s: this answer shows what fits", err.msg);
	snapshot_clear(s);
	engine_snapshot(c->engine, s);
	s->mode = c->desk->mode;
	if (c->runner != NULL) {
		s->speed = runner_speed(c->runner);
		s->paused = runner_paused(c->runner);
		runner_fill(c->runner, s);
	}
	return s;
}

char *
desk_time(struct desk_cmd *c, td_ns t, char *buf, size_t len)
{
	struct desk	*d = c->desk;
	const char	*zone = d->snap->tz;
	struct tz_tm	 tm;

	if (zone[0] != '\0' && strcmp(zone, d->tzname) != 0) {
		tz_free(d->tz);
		d->tz = tz_load(zone, NULL);
		snprintf(d->tzname, sizeof d->tzname, "%s", zone);
	}
	if (d->tz == NULL) {
		int64_t	 days = t / TD_NS_PER_DAY, rest;

		if (t % TD_NS_PER_DAY < 0)
			days--;
		rest = (t - days * TD_NS_PER_DAY) / TD_NS_PER_SEC;
		tz_civil_from_days(days, &tm.year, &tm.mon, &tm.mday);
		tm.hour = (int)(rest / 3600);
		tm.min = (int)(rest / 60 % 60);
		tm.sec = (int)(rest % 60);
	} else
		tz_to_local(d->tz, t, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", tm.year, tm.mon,
	    tm.mday, tm.hour, tm.min, tm.sec);
	return buf;
}

char *
desk_money(td_cents v, char *buf, size_t len)
{
	return portfolio_format_money(v, buf, len);
}

char *
desk_speed(double speed, char *buf, size_t len)
{
	if (speed <= 0)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%gx", speed);
	return buf;
}

/* ------------------------------------------------------------ completion */

void
desk_words_add(struct desk_words *out, const char *prefix, const char *word)
{
	if (out->n == DESK_WORDS_MAX ||
	    strncasecmp(word, prefix, strlen(prefix)) != 0)
		return;
	for (int i = 0; i < out->n; i++) {
		if (strcmp(out->word[i], word) == 0)
			return;
	}
	snprintf(out->word[out->n++], DESK_WORD_MAX, "%s", word);
}

void
desk_words_symbols(struct desk_words *out, const struct snapshot *snap,
    const char *prefix)
{
	for (int i = 0; snap != NULL && i < snap->ninst; i++)
		desk_words_add(out, prefix, snap->inst[i].symbol);
}

void
desk_words_orders(struct desk_words *out, const struct snapshot *snap,
    const char *prefix)
{
	char	 id[DESK_WORD_MAX];

	for (int i = 0; snap != NULL && i < snap->norders; i++) {
		snprintf(id, sizeof id, "%llu",
		    (unsigned long long)snap->orders[i].id);
		desk_words_add(out, prefix, id);
	}
}

void
desk_words_strategies(struct desk_words *out, const struct snapshot *snap,
    const char *prefix)
{
	for (int i = 0; snap != NULL && i < snap->nstrat; i++)
		desk_words_add(out, prefix, snap->strat[i].name);
}

int
desk_complete(const struct snapshot *snap, const char *line, size_t point,
    struct desk_words *out)
{
	const struct desk_entry	*entry;
	char			 buf[RUNNER_LINE_MAX], *argv[DESK_ARGS_MAX];
	char			 cause[RUNNER_LINE_MAX + 64];
	const char		*prefix;
	int			 argc = 0;
	char			*p, *save;

	out->n = 0;
	if (point >= sizeof buf)
		return 0;
	memcpy(buf, line, point);
	buf[point] = '\0';
	/* The word being completed runs from the last blank to the cursor. */
	p = buf + point;
	while (p > buf && p[-1] != ' ' && p[-1] != '\t')
		p--;
	prefix = p;
	if (p > buf)
		p[-1] = '\0';
	for (p = p > buf ? strtok_r(buf, " \t", &save) : NULL; p != NULL;
	    p = strtok_r(NULL, " \t", &save)) {
		if (argc == DESK_ARGS_MAX - 1)
			return 0;
		argv[argc++] = p;
	}
	if (argc == 0) {
		for (size_t i = 0; desk_entries[i] != NULL; i++)
			desk_words_add(out, prefix, desk_entries[i]->name);
		return out->n;
	}
	if ((entry = desk_find(argv[0], cause, sizeof cause)) == NULL ||
	    entry->complete == NULL)
		return 0;
	entry->complete(snap, argc, argv, prefix, out);
	return out->n;
}
