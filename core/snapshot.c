/*
 * snapshot.c -- a snapshot's tables (snapshot.h): taking them, copying
 * a snapshot into another, and emptying one.
 *
 * Each table is one array taken at create or resize and owned by the
 * snapshot; the fixed part is the struct itself.  A copy moves the fixed
 * part and the rows in use only, so a quiet engine costs little to
 * publish however large its tables are, and nothing is allocated once
 * the tables are there.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "snapshot.h"

/* The tables of a snapshot, apart from it. */
struct snapshot_tables {
	struct snap_inst	*inst;
	struct snap_strat	*strat;
	struct snap_order	*orders;
	struct snap_blot	*blot;
};

static struct snapshot_tables
snapshot_tables_of(const struct snapshot *s)
{
	return (struct snapshot_tables){ .inst = s->inst, .strat = s->strat,
	    .orders = s->orders, .blot = s->blot };
}

static void
snapshot_tables_free(struct snapshot_tables *t)
{
	free(t->inst);
	free(t->strat);
	free(t->orders);
	free(t->blot);
}

/* rows of size bytes, zero; NULL for 0 rows.  *ok false when out of memory. */
static void *
snapshot_table(int rows, size_t size, bool *ok)
{
	void	*p;

	if (rows == 0 || !*ok)
		return NULL;
	if ((p = calloc((size_t)rows, size)) == NULL)
		*ok = false;
	return p;
}

static int
snapshot_tables(struct snapshot_tables *t, const struct snapshot_sizes *sz,
    struct errmsg *err)
{
	bool	 ok = true;

	memset(t, 0, sizeof *t);
	if (sz->ninst < 0 || sz->nstrat < 0 || sz->orders < 0 ||
	    sz->blotter < 0)
		return errmsg_set(err, "snapshot: negative size (%d "
		    "instruments, %d strategies, %d orders, %d blotter rows)",
		    sz->ninst, sz->nstrat, sz->orders, sz->blotter);
	t->inst = snapshot_table(sz->ninst, sizeof *t->inst, &ok);
	t->strat = snapshot_table(sz->nstrat, sizeof *t->strat, &ok);
	t->orders = snapshot_table(sz->orders, sizeof *t->orders, &ok);
	t->blot = snapshot_table(sz->blotter, sizeof *t->blot, &ok);
	if (!ok) {
		snapshot_tables_free(t);
		return errmsg_set(err, "snapshot: out of memory");
	}
	return 0;
}

/* Hand t's tables (of sizes sz) to s, which holds no rows of them yet. */
static void
snapshot_take(struct snapshot *s, const struct snapshot_tables *t,
    const struct snapshot_sizes *sz)
{
	s->cap = *sz;
	s->inst = t->inst;
	s->strat = t->strat;
	s->orders = t->orders;
	s->blot = t->blot;
	s->ninst = s->nstrat = s->norders = s->nworking = s->nblot = 0;
}

struct snapshot *
snapshot_create(const struct snapshot_sizes *sz, struct errmsg *err)
{
	static const struct snapshot_sizes none;
	struct snapshot_tables	 t;
	struct snapshot		*s;

	if (sz == NULL)
		sz = &none;
	if (snapshot_tables(&t, sz, err) == -1)
		return NULL;
	if ((s = calloc(1, sizeof *s)) == NULL) {
		snapshot_tables_free(&t);
		errmsg_set(err, "snapshot: out of memory");
		return NULL;
	}
	snapshot_take(s, &t, sz);
	return s;
}

void
snapshot_free(struct snapshot *s)
{
	struct snapshot_tables	 t;

	if (s == NULL)
		return;
	t = snapshot_tables_of(s);
	snapshot_tables_free(&t);
	free(s);
}

int
snapshot_resize(struct snapshot *s, const struct snapshot_sizes *sz,
    struct errmsg *err)
{
	struct snapshot_tables	 t, old = snapshot_tables_of(s);

	if (snapshot_tables(&t, sz, err) == -1)
		return -1;
	snapshot_tables_free(&old);
	snapshot_take(s, &t, sz);
	return 0;
}

bool
snapshot_holds(const struct snapshot *s, const struct snapshot_sizes *sz)
{
	return s->cap.ninst >= sz->ninst && s->cap.nstrat >= sz->nstrat &&
	    s->cap.orders >= sz->orders && s->cap.blotter >= sz->blotter;
}

void
snapshot_clear(struct snapshot *s)
{
	struct snapshot_tables	 t = snapshot_tables_of(s);
	struct snapshot_sizes	 cap = s->cap;

	memset(s, 0, sizeof *s);
	snapshot_take(s, &t, &cap);
}

int
snapshot_copy(struct snapshot *dst, const struct snapshot *src)
{
	struct snapshot_tables	 t = snapshot_tables_of(dst);
	struct snapshot_sizes	 cap = dst->cap;

	if (dst == src)
		return 0;
	if (cap.ninst < src->ninst || cap.nstrat < src->nstrat ||
	    cap.orders < src->norders || cap.blotter < src->nblot)
		return -1;
	*dst = *src;
	snapshot_take(dst, &t, &cap);
	dst->ninst = src->ninst;
	dst->nstrat = src->nstrat;
	dst->norders = src->norders;
	dst->nworking = src->nworking;
	dst->nblot = src->nblot;
	if (src->ninst > 0)
		memcpy(dst->inst, src->inst, (size_t)src->ninst *
		    sizeof *dst->inst);
	if (src->nstrat > 0)
		memcpy(dst->strat, src->strat, (size_t)src->nstrat *
		    sizeof *dst->strat);
	if (src->norders > 0)
		memcpy(dst->orders, src->orders, (size_t)src->norders *
		    sizeof *dst->orders);
	if (src->nblot > 0)
		memcpy(dst->blot, src->blot, (size_t)src->nblot *
		    sizeof *dst->blot);
	return 0;
}

void
snapshot_name(char *dst, size_t len, const char *src)
{
	size_t	 i;

	for (i = 0; i + 1 < len && src != NULL && src[i] != '\0'; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

void
snapshot_name_upper(char *dst, size_t len, const char *src)
{
	snapshot_name(dst, len, src);
	for (; *dst != '\0'; dst++)
		if (*dst >= 'a' && *dst <= 'z')
			*dst = (char)(*dst - 'a' + 'A');
}
