/*
 * fuzz-fix.c -- the FIX tag=value codec (core/fix-codec.h): the input is
 * the byte stream a counterparty sends.
 *
 * It is read as the session reads it: fix_parse at the head, *used bytes
 * consumed, until the parser wants more.  Every answer must be one of the
 * four, within the bytes given.  A message that parses is read with every
 * getter, as groups, and into the message log; then it is built again
 * from its fields with fix_out and must come out as the same bytes (the
 * parser accepts only the spelling fix_out writes: no leading zero in
 * BodyLength or a tag, a three-digit CheckSum).  RawData may hold NUL
 * and SOH, and fix_out_str takes a string: cut at its first NUL, a
 * RawData that is empty or holds SOH must make finish fail, and one cut
 * short is built but not compared.  Numbers and
 * timestamps the getters read are written back and must read the same.
 */
#include "fix-codec.h"

#include "fuzz.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz-fix: %s:%d: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

/* Big: one of each, reused (the fuzzer runs one input at a time). */
static struct fix_msg	 msg, again, one;
static struct fix_out	 out;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/* Parse out.buf alone into again: one whole message. */
static void
reparse(void)
{
	struct fix_error	 err;
	size_t			 used;

	CHECK(fix_parse(out.buf, out.len, &again, &used, &err) == FIX_OK);
	CHECK(used == out.len);
}

/*
 * A number read from a value, written as 44 (a tag free to appear once in
 * a Heartbeat) and read again: the same.
 */
static void
number_back(const char *value)
{
	int64_t		 v, w;
	td_ns		 t, u;

	one.n = 1;
	one.f[0] = (struct fix_field){ .tag = 44, .value = value,
	    .len = (int)strlen(value) };
	if (fix_get_int(&one, 44, &v, NULL) == 0) {
		CHECK(fix_get_decimal(&one, 44, 0, &w, NULL) == 0 && v == w);
		fix_out_begin(&out, "0");
		fix_out_int(&out, 44, v);
		CHECK(fix_out_finish(&out, "FIX.4.4") == 0);
		reparse();
		CHECK(fix_get_int(&again, 44, &w, NULL) == 0 && v == w);
	}
	if (fix_get_decimal(&one, 44, 6, &v, NULL) == 0) {
		fix_out_begin(&out, "0");
		fix_out_decimal(&out, 44, v, 6);
		CHECK(fix_out_finish(&out, "FIX.4.4") == 0);
		reparse();
		CHECK(fix_get_decimal(&again, 44, 6, &w, NULL) == 0 &&
		    v == w);
	}
	if (fix_get_time(&one, 44, &t, NULL) == 0) {
		fix_out_begin(&out, "0");
		fix_out_time(&out, 44, t);
		CHECK(fix_out_finish(&out, "FIX.4.4") == 0);
		reparse();
		CHECK(fix_get_time(&again, 44, &u, NULL) == 0);
		/* Written to the millisecond. */
		CHECK(u <= t && t - u < 1000000);
	}
}

/* Every field through the getters. */
static void
read_fields(const struct fix_msg *m)
{
	int64_t	 v;
	td_ns	 t;
	bool	 present;

	for (int i = 0; i < m->n; i++) {
		const struct fix_field	*f = &m->f[i];

		CHECK(fix_get(m, f->tag) != NULL);
		(void)fix_get_int(m, f->tag, &v, &present);
		CHECK(present);
		(void)fix_get_decimal(m, f->tag, i % 19, &v, &present);
		(void)fix_get_time(m, f->tag, &t, &present);
		if (i < 16 && f->tag != FIX_T_RAW_DATA)
			number_back(f->value);
	}
}

/* A group as it was found: entries in order, each begun by first. */
static void
group_check(const struct fix_msg *m, int at, int first,
    const struct fix_group *g)
{
	int64_t	 count;

	CHECK(fix_get_int(m, m->f[at].tag, &count, NULL) == 0);
	CHECK(count == g->count);
	for (int k = 0; k < g->count; k++) {
		CHECK(g->start[k] > (k == 0 ? at : g->start[k - 1]));
		CHECK(m->f[g->start[k]].tag == first);
		CHECK(fix_group_get(m, g, k, first) ==
		    m->f[g->start[k]].value);
	}
	CHECK(g->count == 0 || g->end > g->start[g->count - 1]);
	CHECK(g->end < m->n);
	CHECK(fix_group_get(m, g, g->count, first) == NULL);
}

/* Index of the first field of tag, or -1. */
static int
field_at(const struct fix_msg *m, int tag)
{
	for (int i = 0; i < m->n; i++) {
		if (m->f[i].tag == tag)
			return i;
	}
	return -1;
}

/*
 * Groups: the market data entries, and at every field whose value is a
 * count, a group of the tags that follow it (as a session with some
 * dictionary might ask).
 */
static void
read_groups(const struct fix_msg *m)
{
	static const int	 md[] = { 270, 271, 272, 273, 279, 290, 55, 0 };
	struct fix_group	 g;
	struct fix_error	 err;
	int			 members[5], at;
	int64_t			 v;

	if (fix_group_find(m, 268, 269, md, &g, &err) == 0 &&
	    (at = field_at(m, 268)) != -1)
		group_check(m, at, 269, &g);
	for (int i = 3; i + 1 < m->n - 1; i++) {
		if (field_at(m, m->f[i].tag) != i ||
		    fix_get_int(m, m->f[i].tag, &v, NULL) == -1 || v < 0 ||
		    v > 64)
			continue;
		for (int k = 0; k < 4; k++)
			members[k] = i + 2 + k < m->n - 1 ?
			    m->f[i + 2 + k].tag : 0;
		members[4] = 0;
		if (fix_group_find(m, m->f[i].tag, m->f[i + 1].tag, members,
		    &g, &err) == 0)
			group_check(m, i, m->f[i + 1].tag, &g);
	}
}

/* Built again from its fields, the message is the same bytes. */
static void
rebuild(const struct fix_msg *m)
{
	bool	 refused = false, nul = false;

	fix_out_begin(&out, m->type);
	for (int i = 3; i < m->n - 1; i++) {
		const struct fix_field	*f = &m->f[i];

		/*
		 * fix_out_str sees the value up to its first NUL, and
		 * refuses it when that is empty or holds SOH.
		 */
		refused |= f->value[0] == '\0' ||
		    memchr(f->value, FIX_SOH, strlen(f->value)) != NULL;
		nul |= strlen(f->value) != (size_t)f->len;
		fix_out_str(&out, f->tag, f->value);
	}
	if (refused) {
		CHECK(fix_out_finish(&out, m->f[0].value) == -1);
		return;
	}
	CHECK(fix_out_finish(&out, m->f[0].value) == 0);
	if (nul)
		return;
	CHECK(out.len == m->rawlen);
	CHECK(memcmp(out.buf, m->raw, m->rawlen) == 0);
	reparse();
	CHECK(again.n == m->n);
}

static void
read_message(const struct fix_msg *m, size_t used)
{
	char	 line[FIX_MSG_MAX + 64];

	CHECK(m->rawlen == used && m->n >= 4);
	CHECK(m->f[0].tag == 8 && m->f[1].tag == 9 && m->f[2].tag == 35);
	CHECK(m->f[m->n - 1].tag == 10);
	CHECK(m->type == m->f[2].value);
	fix_log_line(m->raw, m->rawlen, line, sizeof line);
	CHECK(strlen(line) == m->rawlen ||
	    fix_get(m, FIX_T_PASSWORD) != NULL ||
	    fix_get(m, FIX_T_NEW_PASSWORD) != NULL ||
	    fix_get(m, FIX_T_RAW_DATA) != NULL);
	read_fields(m);
	read_groups(m);
	rebuild(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*buf = (const char *)data;
	struct fix_error	 err;
	enum fix_parse_rc	 rc;
	size_t			 off = 0, used;
	char			 line[128];

	fix_log_line(buf, size, line, 1 + size % sizeof line);
	CHECK(strlen(line) <= size % sizeof line);
	while (off < size) {
		rc = fix_parse(buf + off, size - off, &msg, &used, &err);
		CHECK(rc == FIX_NEED_MORE || rc == FIX_OK ||
		    rc == FIX_GARBLED || rc == FIX_INVALID);
		if (rc == FIX_NEED_MORE) {
			CHECK(used == 0);
			break;
		}
		CHECK(used >= 1 && used <= size - off);
		CHECK(memchr(err.text, '\0', sizeof err.text) != NULL);
		if (rc == FIX_OK)
			read_message(&msg, used);
		else if (rc == FIX_INVALID) {
			CHECK(used == msg.rawlen);
			read_fields(&msg);
		}
		off += used;
	}
	return 0;
}
