/*
 * fuzz-journal.c -- the journal reader (core/journal.h): the input is a
 * journal file, as `tickdesk report` would open it (read only).  A damaged
 * file must be refused with a message; one that opens is read table by
 * table, and every row handed out must be usable.
 */
#include "errmsg.h"
#include "journal.h"

#include "fuzz.h"

static int
on_session(void *arg, const struct journal_session *s)
{
	*(long *)arg += (long)strlen(s->mode) + (long)strlen(s->config);
	return 0;
}

static int
on_instrument(void *arg, const struct journal_instrument *in)
{
	*(long *)arg += (long)strlen(in->inst.symbol);
	return 0;
}

static int
on_order(void *arg, const struct journal_order *o)
{
	*(long *)arg += (long)strlen(o->symbol) + (long)strlen(o->owner_name) +
	    (long)strlen(journal_event_name(o->event)) +
	    (long)strlen(o->order.reason);
	return 0;
}

static int
on_fill(void *arg, const struct journal_fill *f)
{
	*(long *)arg += (long)strlen(f->symbol) + (long)strlen(f->reason);
	return 0;
}

static int
on_position(void *arg, const struct journal_position *p)
{
	*(long *)arg += (long)strlen(p->owner_name);
	return 0;
}

static int
on_state(void *arg, const struct journal_state *s)
{
	*(long *)arg += (long)strlen(s->who) + (long)strlen(s->why);
	return 0;
}

static int
on_command(void *arg, const struct journal_command *c)
{
	*(long *)arg += (long)strlen(c->line);
	return 0;
}

static int
on_day(void *arg, const struct journal_day *d)
{
	*(long *)arg += d->day != 0;
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_tmpdir();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal	*j;
	struct errmsg	 err;
	char		 path[512], side[600];
	long		 sum = 0;

	fuzz_path(path, sizeof path, "journal.db");
	fuzz_write(path, data, size);
	if ((j = journal_open(path, JOURNAL_READONLY, &err)) != NULL) {
		(void)journal_schema_version(j);
		journal_read_sessions(j, on_session, &sum, &err);
		journal_read_instruments(j, on_instrument, &sum, &err);
		journal_read_orders(j, 0, 0, on_order, &sum, &err);
		journal_read_fills(j, 0, 0, on_fill, &sum, &err);
		journal_read_positions(j, 0, 0, on_position, &sum, &err);
		journal_read_states(j, 0, 0, on_state, &sum, &err);
		journal_read_commands(j, 0, 0, on_command, &sum, &err);
		journal_read_days(j, 0, 0, on_day, &sum, &err);
		journal_read_orders(j, 20240102, 20240105, on_order, &sum,
		    &err);
		journal_close(j);
	}
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	return sum < 0;
}
