/*
 * test-fix-codec.c -- the FIX tag=value codec (core/fix-codec.h).
 *
 * Messages in these tests are written with '|' for SOH.  Where a test
 * needs a message framed by hand, frame() below works out BodyLength and
 * CheckSum itself, so the codec is checked against arithmetic it does not
 * share; the captures of real sessions carry the CheckSum their sender
 * computed.
 *
 * The property test builds seeded random messages, parses them back and
 * compares, then mutates them and checks that the parser always answers
 * one of its four results within the bytes it was given.  The seed is
 * printed on failure; TD_PROP_SEED=<seed> replays it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix-codec.h"
#include "rng.h"

#define DEF_SEED	0xf1c0dec0ULL
#define PROP_MESSAGES	3000
#define PROP_MUTATIONS	20000
#define DEC_SCALE_MAX_TEST 18

/* Big structs: one of each, reused (the tests run one at a time). */
static struct fix_msg	 M, ONE;
static struct fix_out	 O;
static struct fix_error	 E;

/* pipes with '|' as SOH into out; the length. */
static size_t
soh(char *out, const char *pipes)
{
	size_t	 n = strlen(pipes);

	for (size_t i = 0; i < n; i++)
		out[i] = pipes[i] == '|' ? FIX_SOH : pipes[i];
	out[n] = '\0';
	return n;
}

/* The sum of the bytes mod 256, as the standard defines CheckSum. */
static unsigned
sum256(const char *s, size_t n)
{
	unsigned long	 sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (unsigned char)s[i];
	return (unsigned)(sum % 256);
}

/* "8=begin|9=N|" body "10=nnn|" with N and nnn worked out here. */
static size_t
frame_bytes(char *out, const char *begin, const char *body, size_t blen)
{
	size_t	 n = (size_t)sprintf(out, "8=%s\001" "9=%zu\001", begin, blen);

	memcpy(out + n, body, blen);
	n += blen;
	n += (size_t)sprintf(out + n, "10=%03u\001", sum256(out, n));
	return n;
}

/* A FIX.4.4 message around the body given with '|'. */
static size_t
frame(char *out, const char *body_pipes)
{
	char	 body[FIX_MSG_MAX * 2];

	return frame_bytes(out, "FIX.4.4", body, soh(body, body_pipes));
}

static enum fix_parse_rc
parse(const char *buf, size_t len, size_t *used)
{
	return fix_parse(buf, len, &M, used, &E);
}

/* Fields of m from 35 to before 10 as "tag=value|...", for comparing. */
static void
fields_str(const struct fix_msg *m, char *out, size_t outlen)
{
	size_t	 n = 0;

	out[0] = '\0';
	for (int i = 2; i < m->n - 1 && n < outlen; i++)
		n += (size_t)snprintf(out + n, outlen - n, "%d=%s|",
		    m->f[i].tag, m->f[i].value);
}

/* Build the body given with '|' (35 first) with fix_out; finish's rc. */
static int
build(struct fix_out *o, const char *body_pipes, const char *begin)
{
	char	 copy[FIX_MSG_MAX], *field, *save = NULL;
	bool	 first = true;

	snprintf(copy, sizeof copy, "%s", body_pipes);
	for (field = strtok_r(copy, "|", &save); field != NULL;
	    field = strtok_r(NULL, "|", &save)) {
		char	*eq = strchr(field, '=');

		assert_non_null(eq);
		*eq = '\0';
		if (first)
			fix_out_begin(o, eq + 1);
		else
			fix_out_str(o, atoi(field), eq + 1);
		first = false;
	}
	return fix_out_finish(o, begin);
}

/* ---------------------------------------------------------------- real */

/*
 * A QuickFIX session between its Banzai and Executor examples (FIX.4.1),
 * the ExecutionReport of the FIX article on Wikipedia (FIX.4.2) and a
 * FIX.4.4 Heartbeat from a venue's log, each with the CheckSum its
 * sender put on the wire.
 */
static const struct {
	const char	*wire;
	int		 body;		/* published BodyLength */
	unsigned	 sum;		/* published CheckSum */
	const char	*type;
	int64_t		 seq;
} captures[] = {
	{ "8=FIX.4.1|9=61|35=A|34=1|49=EXEC|52=20121105-23:24:06|"
	    "56=BANZAI|98=0|108=30|10=003|", 61, 3, "A", 1 },
	{ "8=FIX.4.1|9=49|35=0|34=2|49=BANZAI|52=20121105-23:24:37|"
	    "56=EXEC|10=228|", 49, 228, "0", 2 },
	{ "8=FIX.4.1|9=103|35=D|34=3|49=BANZAI|52=20121105-23:24:42|"
	    "56=EXEC|11=1352157882577|21=1|38=10000|40=1|54=1|55=MSFT|59=0|"
	    "10=062|", 103, 62, "D", 3 },
	{ "8=FIX.4.1|9=139|35=8|34=3|49=EXEC|52=20121105-23:24:42|"
	    "56=BANZAI|6=0|11=1352157882577|14=0|17=1|20=0|31=0|32=0|37=1|"
	    "38=10000|39=0|54=1|55=MSFT|150=2|151=0|10=059|", 139, 59, "8",
	    3 },
	{ "8=FIX.4.1|9=153|35=8|34=4|49=EXEC|52=20121105-23:24:42|"
	    "56=BANZAI|6=12.3|11=1352157882577|14=10000|17=2|20=0|31=12.3|"
	    "32=10000|37=2|38=10000|39=2|54=1|55=MSFT|150=2|151=0|10=230|",
	    153, 230, "8", 4 },
	{ "8=FIX.4.1|9=104|35=F|34=6|49=BANZAI|52=20121105-23:25:16|"
	    "56=EXEC|11=1352157916437|38=10000|41=1352157912357|54=1|55=SPY|"
	    "10=198|", 104, 198, "F", 6 },
	{ "8=FIX.4.1|9=82|35=3|34=8|49=EXEC|52=20121105-23:25:16|"
	    "56=BANZAI|45=6|58=Unsupported message type|10=000|", 82, 0, "3",
	    8 },
	{ "8=FIX.4.2|9=178|35=8|49=PHLX|56=PERS|"
	    "52=20071123-05:30:00.000|11=ATOMNOCCC9990900|20=3|150=E|39=E|"
	    "55=MSFT|167=CS|54=1|38=15|40=2|44=15|58=PHLX EQUITY TESTING|"
	    "59=0|47=C|32=0|31=0|151=15|14=0|6=0|10=128|", 178, 128, "8", 0 },
	{ "8=FIX.4.4|9=57|35=0|34=3|49=RCLRA310|52=20170627-14:24:14.804|"
	    "56=OE103C|10=082|", 57, 82, "0", 3 },
};

/* BodyLength: the bytes after the SOH ending 9=... up to 10=. */
static int
body_length(const char *w, size_t len)
{
	const char	*b = strchr(strstr(w, "\0019=") + 1, FIX_SOH) + 1;
	const char	*t = w + len - 7;

	return (int)(t - b);
}

static void
test_fix_codec_real_captures(void **state)
{
	char	 w[1024], again[1024];
	size_t	 len, used;
	int64_t	 v;
	td_ns	 t;

	(void)state;
	for (size_t i = 0; i < sizeof captures / sizeof captures[0]; i++) {
		len = soh(w, captures[i].wire);
		/* Our arithmetic agrees with the sender's... */
		assert_int_equal(body_length(w, len), captures[i].body);
		assert_int_equal(sum256(w, len - 7), captures[i].sum);
		/* ... and so does the codec. */
		assert_int_equal(parse(w, len, &used), FIX_OK);
		assert_int_equal(used, len);
		assert_int_equal(M.rawlen, len);
		assert_memory_equal(M.raw, w, len);
		assert_string_equal(M.type, captures[i].type);
		assert_true(M.seq == captures[i].seq);
		assert_int_equal(M.f[0].tag, 8);
		assert_int_equal(M.f[1].tag, 9);
		assert_int_equal(M.f[2].tag, 35);
		assert_int_equal(M.f[M.n - 1].tag, 10);
		/* Rebuilt from its fields, it is the same bytes. */
		fields_str(&M, again, sizeof again);
		assert_int_equal(build(&O, again, M.f[0].value), 0);
		assert_int_equal(O.len, len);
		assert_memory_equal(O.buf, w, len);
	}
	len = soh(w, captures[4].wire);
	assert_int_equal(parse(w, len, &used), FIX_OK);
	assert_int_equal(fix_get_decimal(&M, 6, 2, &v, NULL), 0);
	assert_true(v == 1230);
	assert_int_equal(fix_get_int(&M, 14, &v, NULL), 0);
	assert_true(v == 10000);
	assert_int_equal(fix_get_time(&M, 52, &t, NULL), 0);
	/* ClOrdID was Banzai's clock in ms: 23:24:42.577. */
	assert_true(t == 1352157882LL * TD_NS_PER_SEC);
	assert_string_equal(fix_get(&M, 55), "MSFT");
	assert_null(fix_get(&M, 44));
}

/*
 * Published with its BodyLength wrong (67 for a body of 63), and with
 * MsgSeqNum before MsgType: refused on the second count already.
 */
static void
test_fix_codec_real_misframed(void **state)
{
	char	 w[256];
	size_t	 len, used;

	(void)state;
	len = soh(w, "8=FIX.4.2|9=67|34=1|35=A|49=DWFIX01|"
	    "52=20160201-00:00:19|56=TEST1|98=0|108=60|10=073|");
	assert_int_equal(parse(w, len, &used), FIX_GARBLED);
	assert_string_equal(E.text, "MsgType (35) not third");
	assert_int_equal(used, len);
}

/* ---------------------------------------------------------------- kinds */

#define HDR(seq)	"|34=" seq "|49=TICKDESK|52=20240311-13:30:00.125" \
			"|56=BROKER"

static const char *const kinds[] = {
	/* Logon */
	"35=A" HDR("1") "|98=0|108=30|141=Y|553=trader|554=s3cret|",
	/* Heartbeat */
	"35=0" HDR("2") "|112=TEST-1|",
	/* TestRequest */
	"35=1" HDR("3") "|112=TEST-2|",
	/* ResendRequest */
	"35=2" HDR("4") "|7=5|16=0|",
	/* SequenceReset, gap fill */
	"35=4" HDR("5") "|43=Y|122=20240311-13:29:59.000|123=Y|36=9|",
	/* NewOrderSingle */
	"35=D" HDR("6") "|1=ACCT-1|11=ORD-0001|21=1|38=2|40=2|44=5001.25|"
	    "54=1|55=ES|59=0|60=20240311-13:30:00.125|",
	/* ExecutionReport, partial fill */
	"35=8" HDR("7") "|6=5001.25|11=ORD-0001|14=1|17=EX-1|31=5001.25|"
	    "32=1|37=BRK-1|38=2|39=1|54=1|55=ES|150=F|151=1|",
	/* OrderCancelReject */
	"35=9" HDR("8") "|11=ORD-0002|37=BRK-1|39=1|41=ORD-0001|102=1|"
	    "434=1|58=Too late to cancel|",
	/* MarketDataSnapshotFullRefresh */
	"35=W" HDR("9") "|262=MD-1|55=ES|268=3|269=0|270=5001.00|271=12|"
	    "269=1|270=5001.25|271=9|269=2|270=5001.25|271=1|",
	/* MarketDataIncrementalRefresh */
	"35=X" HDR("10") "|262=MD-1|268=2|279=0|269=0|55=ES|270=5001.00|"
	    "271=14|279=1|269=1|55=ES|270=5001.50|271=3|",
	/* Reject */
	"35=3" HDR("11") "|45=7|371=44|372=D|373=6|"
	    "58=Incorrect data format for value|",
	/* Logout */
	"35=5" HDR("12") "|58=session ends|",
	/* OrderCancelRequest */
	"35=F" HDR("13") "|11=ORD-0003|41=ORD-0001|54=1|55=ES|"
	    "60=20240311-13:30:02.000|",
};

static void
test_fix_codec_round_trip_kinds(void **state)
{
	char	 w[FIX_MSG_MAX + 1], got[FIX_MSG_MAX], type[8];
	size_t	 len, used;

	(void)state;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		assert_int_equal(build(&O, kinds[i], "FIX.4.4"), 0);
		/* BodyLength and CheckSum as this test works them out. */
		len = frame(w, kinds[i]);
		assert_int_equal(O.len, len);
		assert_memory_equal(O.buf, w, len);
		assert_int_equal(parse(O.buf, O.len, &used), FIX_OK);
		assert_int_equal(used, O.len);
		fields_str(&M, got, sizeof got);
		assert_string_equal(got, kinds[i]);
		assert_true(M.seq == (int64_t)i + 1);
		assert_int_equal(sscanf(kinds[i], "35=%7[^|]", type), 1);
		assert_string_equal(M.type, type);
	}
}

/* The body length and checksum fix_out writes, recomputed here. */
static void
test_fix_codec_out_length_checksum(void **state)
{
	char	 w[256];
	size_t	 len;

	(void)state;
	fix_out_begin(&O, "0");
	fix_out_int(&O, 34, 2);
	fix_out_str(&O, 49, "BANZAI");
	fix_out_str(&O, 52, "20121105-23:24:37");
	fix_out_str(&O, 56, "EXEC");
	assert_int_equal(fix_out_finish(&O, "FIX.4.1"), 0);
	len = soh(w, captures[1].wire);
	assert_int_equal(O.len, len);
	assert_memory_equal(O.buf, w, len);
	assert_int_equal(O.buf[O.len], '\0');
	assert_int_equal(body_length(O.buf, O.len), 49);
	assert_int_equal(sum256(O.buf, O.len - 7), 228);
	assert_int_equal(O.body, strlen("8=FIX.4.1|9=49|"));
}

/* ---------------------------------------------------------------- garbled */

struct garbled {
	const char	*what;
	const char	*text;		/* err->text */
	size_t		 used;		/* 0: the whole input */
};

static void
check_garbled(const char *w, size_t len, const struct garbled *g)
{
	size_t	 used = 99999;

	if (parse(w, len, &used) != FIX_GARBLED)
		fail_msg("%s: not garbled", g->what);
	if (strcmp(E.text, g->text) != 0)
		fail_msg("%s: \"%s\", expected \"%s\"", g->what, E.text,
		    g->text);
	if (used != (g->used == 0 ? len : g->used))
		fail_msg("%s: used %zu, expected %zu", g->what, used,
		    g->used == 0 ? len : g->used);
}

static void
test_fix_codec_garbled_header(void **state)
{
	static const struct {
		const char	*wire;
		struct garbled	 g;
	} cases[] = {
		{ "xx8=FIX.4.4|9=5|35=0|10=000|",
		    { "junk first", "message does not begin with 8=", 2 } },
		{ "9=5|35=0|10=000|",
		    { "no 8", "message does not begin with 8=", 0 } },
		{ "8=|9=5|35=0|10=000|",
		    { "empty 8", "BeginString (8) empty", 0 } },
		{ "8=FIX 4.4|9=5|",
		    { "space in 8", "BeginString (8) is not a FIX version",
		    0 } },
		{ "8=FIX.4.4.4.4.4.4.4.4|9=5|",
		    { "long 8", "BeginString (8) is not a FIX version", 0 } },
		{ "8=FIX.4.4|35=0|9=5|10=000|",
		    { "9 not second", "BodyLength (9) not second", 0 } },
		{ "8=FIX.4.4|9=abc|35=0|",
		    { "9 letters", "BodyLength (9) not a positive number",
		    0 } },
		{ "8=FIX.4.4|9=05|35=0|",
		    { "9 leading zero", "BodyLength (9) not a positive number",
		    0 } },
		{ "8=FIX.4.4|9=0|35=0|",
		    { "9 zero", "BodyLength (9) not a positive number", 0 } },
		{ "8=FIX.4.4|9=|35=0|",
		    { "9 empty", "BodyLength (9) not a positive number", 0 } },
		{ "8=FIX.4.4|9=-5|35=0|",
		    { "9 negative", "BodyLength (9) not a positive number",
		    0 } },
		/* Not waited for: no message can be that long. */
		{ "8=FIX.4.4|9=99999",
		    { "9 huge, cut", "BodyLength (9) over 8192", 0 } },
		{ "8=FIX.4.4|9=8193|35=0|",
		    { "9 over max", "BodyLength (9) over 8192", 0 } },
		{ "8=FIX.4.4|9=8180|35=0|",
		    { "9 with header over max",
		    "BodyLength 8180 makes a message over 8192 bytes", 0 } },
		{ "8=FIX.4.4|9=5|34=0|35=0|10=000|",
		    { "35 not third", "MsgType (35) not third", 0 } },
	};
	char	 w[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_garbled(w, soh(w, cases[i].wire), &cases[i].g);
}

static void
test_fix_codec_garbled_trailer(void **state)
{
	char		 w[512], body[256], text[64];
	size_t		 len, blen, used;
	unsigned	 sum;
	char		*digit;

	(void)state;
	blen = soh(body, "35=0|34=2|49=A|56=B|52=20240311-13:30:00|");
	len = frame_bytes(w, "FIX.4.4", body, blen);
	/* The message twice: a long BodyLength still has bytes to count. */
	memcpy(w + len, w, len);
	digit = strchr(w + 12, FIX_SOH) - 1;
	/* A BodyLength one short, one long: no "10=" where it points. */
	(*digit)--;
	snprintf(text, sizeof text, "BodyLength %zu but CheckSum not found "
	    "there", blen - 1);
	check_garbled(w, 2 * len, &(struct garbled){ "short", text, len });
	*digit = (char)(*digit + 2);
	snprintf(text, sizeof text, "BodyLength %zu but CheckSum not found "
	    "there", blen + 1);
	check_garbled(w, 2 * len, &(struct garbled){ "long", text, len });
	/* Long, with no more bytes yet: it may still come. */
	assert_int_equal(parse(w, len, &used), FIX_NEED_MORE);
	(*digit)--;
	assert_int_equal(parse(w, len, &used), FIX_OK);
	/* A CheckSum one more than the right one. */
	sum = sum256(w, len - 7);
	sprintf(w + len - 4, "%03u\001", (sum + 1) % 256);
	snprintf(text, sizeof text, "CheckSum %03u, computed %03u",
	    (sum + 1) % 256, sum);
	check_garbled(w, len, &(struct garbled){ "sum", text, 0 });
	memcpy(w + len - 4, "1a3", 3);
	check_garbled(w, len, &(struct garbled){ "sum letters",
	    "CheckSum (10) not three digits", 0 });
	memcpy(w + len - 4, "123", 3);
	w[len - 1] = 'x';
	check_garbled(w, len, &(struct garbled){ "sum no SOH",
	    "CheckSum (10) not three digits", 0 });
	/* Four digits: the SOH is not where it belongs. */
	len = soh(w, "8=FIX.4.4|9=5|35=0|10=0000|");
	check_garbled(w, len, &(struct garbled){ "sum 4 digits",
	    "CheckSum (10) not three digits", 0 });
}

/* Garbled, then the next message is found whole. */
static void
test_fix_codec_resync(void **state)
{
	char	 w[2048], good[512];
	size_t	 glen, len, used, off = 0;
	int	 ok = 0, garbled = 0;

	(void)state;
	glen = frame(good, "35=0|34=2|49=A|56=B|52=20240311-13:30:00|");
	/* Junk with a SOH and false starts, then the message. */
	len = soh(w, "junk|8=|38=5|8=FIX.4.4|9=|8=FIX.4.4|9=12x|58");
	memcpy(w + len, good, glen);
	len += glen;
	while (off < len) {
		enum fix_parse_rc	 rc = parse(w + off, len - off, &used);

		assert_true(rc == FIX_OK || rc == FIX_GARBLED);
		assert_true(used >= 1 && used <= len - off);
		if (rc == FIX_OK) {
			ok++;
			assert_int_equal(off, len - glen);
			assert_memory_equal(M.raw, good, glen);
		} else
			garbled++;
		off += used;
	}
	assert_int_equal(ok, 1);
	assert_true(garbled >= 1);
	/* A message with a bad CheckSum costs that message only. */
	memcpy(w, good, glen);
	w[glen - 2] = w[glen - 2] == '9' ? '0' : (char)(w[glen - 2] + 1);
	memcpy(w + glen, good, glen);
	assert_int_equal(parse(w, 2 * glen, &used), FIX_GARBLED);
	assert_int_equal(used, glen);
	assert_int_equal(parse(w + used, glen, &used), FIX_OK);
	/* A '8' at the end may begin the next message: kept. */
	len = soh(w, "abc|de8");
	assert_int_equal(parse(w, len, &used), FIX_GARBLED);
	assert_int_equal(used, len - 1);
	assert_int_equal(parse(w + used, 1, &used), FIX_NEED_MORE);
	assert_int_equal(used, 0);
	len = soh(w, "abc|de8=FIX.4.4|9=1");
	assert_int_equal(parse(w, len, &used), FIX_GARBLED);
	assert_int_equal(used, 6);
	/* Nothing that could begin a message: all of it. */
	len = soh(w, "abc|8=x|35=0|");
	assert_int_equal(parse(w, len, &used), FIX_GARBLED);
	assert_int_equal(used, len);
}

/* ---------------------------------------------------------------- streams */

static void
test_fix_codec_stream_every_split(void **state)
{
	char	 w[512];
	size_t	 len, used;

	(void)state;
	len = soh(w, captures[3].wire);
	assert_int_equal(parse(w, 0, &used), FIX_NEED_MORE);
	for (size_t k = 1; k < len; k++) {
		used = 77;
		if (parse(w, k, &used) != FIX_NEED_MORE || used != 0)
			fail_msg("first %zu of %zu bytes: not NEED_MORE", k,
			    len);
	}
	assert_int_equal(parse(w, len, &used), FIX_OK);
	assert_int_equal(used, len);
}

/* Bytes arriving in chunks of every size: the same two messages. */
static void
test_fix_codec_stream_chunks(void **state)
{
	char	 w[1024], acc[1024];
	size_t	 len, l1, used;

	(void)state;
	l1 = soh(w, captures[2].wire);
	len = l1 + soh(w + l1, captures[3].wire);
	assert_int_equal(parse(w, len, &used), FIX_OK);
	assert_int_equal(used, l1);
	assert_string_equal(M.type, "D");
	assert_int_equal(parse(w + used, len - used, &used), FIX_OK);
	assert_int_equal(used, len - l1);
	assert_string_equal(M.type, "8");
	for (size_t chunk = 1; chunk <= len; chunk++) {
		size_t	 have = 0, in = 0;
		int	 got = 0;

		while (in < len || have > 0) {
			size_t	 n = len - in < chunk ? len - in : chunk;
			enum fix_parse_rc rc;

			memcpy(acc + have, w + in, n);
			have += n;
			in += n;
			while ((rc = parse(acc, have, &used)) == FIX_OK) {
				assert_string_equal(M.type, got == 0 ? "D" :
				    "8");
				got++;
				memmove(acc, acc + used, have - used);
				have -= used;
			}
			assert_int_equal(rc, FIX_NEED_MORE);
			if (in == len)
				break;
		}
		if (got != 2 || have != 0)
			fail_msg("chunks of %zu: %d messages, %zu left", chunk,
			    got, have);
	}
}

/* ---------------------------------------------------------------- invalid */

struct invalid {
	const char		*body;	/* framed by frame() */
	enum fix_reject_reason	 reason;
	int			 tag;
	const char		*text;
	int64_t			 seq;
};

static void
check_invalid(const char *w, size_t len, const struct invalid *c)
{
	size_t	 used = 0;

	if (parse(w, len, &used) != FIX_INVALID)
		fail_msg("%s: not invalid (%s)", c->body, E.text);
	if (E.reason != c->reason || E.tag != c->tag ||
	    strcmp(E.text, c->text) != 0)
		fail_msg("%s: %d %d \"%s\"", c->body, E.reason, E.tag,
		    E.text);
	if (used != len || M.seq != c->seq || M.type == NULL ||
	    strcmp(M.type, "D") != 0)
		fail_msg("%s: used %zu of %zu, seq %" PRId64, c->body, used,
		    len, M.seq);
}

static void
test_fix_codec_invalid_fields(void **state)
{
	static const struct invalid	 cases[] = {
		{ "35=D|34=7|abc=1|", FIX_RJ_INVALID_TAG, 0,
		    "invalid tag number at byte 25", 7 },
		{ "35=D|34=7|058=x|", FIX_RJ_INVALID_TAG, 0,
		    "invalid tag number at byte 25", 7 },
		{ "35=D|34=7|100000=x|", FIX_RJ_INVALID_TAG, 0,
		    "invalid tag number at byte 25", 7 },
		{ "35=D|34=7|=x|", FIX_RJ_INVALID_TAG, 0,
		    "invalid tag number at byte 25", 7 },
		{ "35=D|34=7|58|", FIX_RJ_INVALID_TAG, 0,
		    "invalid tag number at byte 25", 7 },
		{ "35=D|34=7|5 8=x|", FIX_RJ_INVALID_TAG, 0,
		    "invalid tag number at byte 25", 7 },
		/* MsgSeqNum after the bad field is still found. */
		{ "35=D|x=1|34=9|", FIX_RJ_INVALID_TAG, 0,
		    "invalid tag number at byte 20", 9 },
		{ "35=D|34=7|58=|", FIX_RJ_NO_VALUE, 58,
		    "tag 58 without a value", 7 },
		{ "35=D|34=7|34=8|", FIX_RJ_REPEATED_TAG, 34,
		    "tag 34 appears more than once", 7 },
		{ "35=D|34=7|35=D|", FIX_RJ_REPEATED_TAG, 35,
		    "tag 35 appears more than once", 7 },
		{ "35=D|34=7|49=A|56=B|49=A|", FIX_RJ_REPEATED_TAG, 49,
		    "tag 49 appears more than once", 7 },
		{ "35=D|34=7|56=B|56=B|", FIX_RJ_REPEATED_TAG, 56,
		    "tag 56 appears more than once", 7 },
		{ "35=D|34=7|52=20240311-13:30:00|52=20240311-13:30:00|",
		    FIX_RJ_REPEATED_TAG, 52,
		    "tag 52 appears more than once", 7 },
		{ "35=D|34=7|10=000|", FIX_RJ_REPEATED_TAG, 10,
		    "tag 10 appears more than once", 7 },
		{ "35=D|34=7|9=5|", FIX_RJ_REPEATED_TAG, 9,
		    "tag 9 appears more than once", 7 },
		{ "35=D|34=7|96=abc|", FIX_RJ_REQUIRED_MISSING, 95,
		    "RawData (96) not after RawDataLength (95)", 7 },
		{ "35=D|34=7|95=x|96=abc|", FIX_RJ_BAD_FORMAT, 95,
		    "RawDataLength (95) not a length", 7 },
		{ "35=D|34=7|95=2|96=abc|", FIX_RJ_BAD_VALUE, 95,
		    "RawDataLength 2 does not end RawData (96) at a SOH", 7 },
		{ "35=D|34=7|95=60|96=abc|", FIX_RJ_BAD_VALUE, 95,
		    "RawDataLength 60 does not end RawData (96) at a SOH", 7 },
		{ "35=D|34=7|95=0|96=|", FIX_RJ_NO_VALUE, 96,
		    "tag 96 without a value", 7 },
	};
	char	 w[512];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_invalid(w, frame(w, cases[i].body), &cases[i]);
}

static void
test_fix_codec_invalid_limits(void **state)
{
	char	 body[FIX_MSG_MAX * 2], w[FIX_MSG_MAX * 2];
	size_t	 n, len, used;

	(void)state;
	/* 256 fields is the most: 8, 9, 35, 252 more, 10. */
	n = (size_t)sprintf(body, "35=D|");
	for (int i = 0; i < 252; i++)
		n += (size_t)sprintf(body + n, "58=%d|", i);
	len = frame(w, body);
	assert_int_equal(parse(w, len, &used), FIX_OK);
	assert_int_equal(M.n, FIX_FIELDS_MAX);
	sprintf(body + n, "58=x|");
	check_invalid(w, frame(w, body), &(struct invalid){ "257 fields",
	    FIX_RJ_OTHER, 10, "more than 256 fields", 0 });
	/* A value of 1024 bytes is the longest. */
	n = (size_t)sprintf(body, "35=D|34=3|58=");
	memset(body + n, 'v', FIX_VALUE_MAX);
	strcpy(body + n + FIX_VALUE_MAX, "|");
	len = frame(w, body);
	assert_int_equal(parse(w, len, &used), FIX_OK);
	assert_int_equal(strlen(fix_get(&M, 58)), FIX_VALUE_MAX);
	strcpy(body + n + FIX_VALUE_MAX, "v|");
	check_invalid(w, frame(w, body), &(struct invalid){ "1025 bytes",
	    FIX_RJ_OTHER, 58, "value of tag 58 longer than 1024 bytes", 3 });
}

/* A message exactly FIX_MSG_MAX bytes long is read; one more is not. */
static void
test_fix_codec_message_max(void **state)
{
	char	 body[FIX_MSG_MAX * 2], w[FIX_MSG_MAX * 2];
	size_t	 n, len, used, pad;

	(void)state;
	n = (size_t)sprintf(body, "35=D|");
	for (int i = 0; i < 8; i++)
		n += (size_t)sprintf(body + n, "58=%01000d|", i);
	len = frame(w, body);
	pad = FIX_MSG_MAX - len - strlen("58=|");
	n += (size_t)sprintf(body + n, "58=%0*d|", (int)pad, 1);
	len = frame(w, body);
	assert_int_equal(len, FIX_MSG_MAX);
	assert_int_equal(parse(w, len, &used), FIX_OK);
	assert_int_equal(used, FIX_MSG_MAX);
	/* One byte more: its BodyLength alone says it is too long. */
	sprintf(body + n - 1, "0|");
	len = frame(w, body);
	assert_int_equal(len, FIX_MSG_MAX + 1);
	assert_int_equal(parse(w, 40, &used), FIX_GARBLED);
	assert_string_equal(E.text, "BodyLength 8169 makes a message over "
	    "8192 bytes");
}

/* NUL inside a value; RawData may hold SOH and NUL, by its length. */
static void
test_fix_codec_raw_data(void **state)
{
	char	 body[128], w[256];
	size_t	 n, len, used;

	(void)state;
	n = soh(body, "35=A|34=1|95=7|96=a|b");
	memcpy(body + n, "\0c|d|", 5);
	soh(body + n + 1, "c|d|");
	n += 5;
	n += soh(body + n, "98=0|");
	len = frame_bytes(w, "FIX.4.4", body, n);
	assert_int_equal(parse(w, len, &used), FIX_OK);
	assert_int_equal(M.n, 8);
	assert_int_equal(M.f[5].tag, 96);
	assert_int_equal(M.f[5].len, 7);
	assert_memory_equal(M.f[5].value, "a\001b\0c\001d", 7);
	assert_string_equal(fix_get(&M, 98), "0");
	/* A NUL elsewhere is refused. */
	n = soh(body, "35=D|34=4|58=a");
	memcpy(body + n, "\0b|", 3);
	body[n + 2] = FIX_SOH;
	len = frame_bytes(w, "FIX.4.4", body, n + 3);
	assert_int_equal(parse(w, len, &used), FIX_INVALID);
	assert_int_equal(E.reason, FIX_RJ_BAD_FORMAT);
	assert_int_equal(E.tag, 58);
	assert_string_equal(E.text, "NUL byte in the value of tag 58");
	assert_true(M.seq == 4);
	/* RawData with SOH cannot be built: finish refuses it. */
	fix_out_begin(&O, "A");
	fix_out_int(&O, 95, 3);
	fix_out_str(&O, 96, "a\001b");
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
}

/* A NULL err is allowed; MsgSeqNum 0 or junk leaves seq 0. */
static void
test_fix_codec_seq_and_null_err(void **state)
{
	char	 w[256];
	size_t	 len, used;

	(void)state;
	len = frame(w, "35=0|34=0|");
	assert_int_equal(fix_parse(w, len, &M, &used, NULL), FIX_OK);
	assert_true(M.seq == 0);
	len = frame(w, "35=0|34=-3|");
	assert_int_equal(fix_parse(w, len, &M, &used, NULL), FIX_OK);
	assert_true(M.seq == 0);
	len = frame(w, "35=0|34=99999999999999999999|");
	assert_int_equal(fix_parse(w, len, &M, &used, NULL), FIX_OK);
	assert_true(M.seq == 0);
	len = frame(w, "35=0|34=0042|");
	assert_int_equal(fix_parse(w, len, &M, &used, NULL), FIX_OK);
	assert_true(M.seq == 42);
	assert_int_equal(fix_parse(w, len - 1, &M, &used, NULL),
	    FIX_NEED_MORE);
	assert_int_equal(fix_parse("x", 1, &M, &used, NULL), FIX_GARBLED);
	len = frame(w, "35=|34=5|");
	assert_int_equal(fix_parse(w, len, &M, &used, NULL), FIX_INVALID);
	assert_null(M.type);
	assert_true(M.seq == 5);
}

/* ---------------------------------------------------------------- groups */

static const int md_members[] = { 270, 271, 290, 0 };

/* One field list parsed into M from the body given with '|'. */
static void
parse_body(const char *body)
{
	char	 w[2048];
	size_t	 used;

	if (parse(w, frame(w, body), &used) != FIX_OK)
		fail_msg("%s: %s", body, E.text);
}

static void
test_fix_codec_group_read(void **state)
{
	struct fix_group	 g;

	(void)state;
	parse_body("35=W|34=2|55=ES|268=3|269=0|270=5001.00|271=12|"
	    "269=1|270=5001.25|269=2|271=1|290=1|58=after|");
	assert_int_equal(fix_group_find(&M, 268, 269, md_members, &g, &E), 0);
	assert_int_equal(g.count, 3);
	assert_string_equal(fix_group_get(&M, &g, 0, 269), "0");
	assert_string_equal(fix_group_get(&M, &g, 0, 271), "12");
	assert_string_equal(fix_group_get(&M, &g, 1, 270), "5001.25");
	assert_null(fix_group_get(&M, &g, 1, 271));
	assert_null(fix_group_get(&M, &g, 2, 270));
	assert_string_equal(fix_group_get(&M, &g, 2, 290), "1");
	/* The group ends at the first tag not in it. */
	assert_null(fix_group_get(&M, &g, 2, 58));
	assert_int_equal(M.f[g.end].tag, 58);
	assert_null(fix_group_get(&M, &g, 3, 269));
	assert_null(fix_group_get(&M, &g, -1, 269));
	/* Absent: no entries, no error. */
	assert_int_equal(fix_group_find(&M, 146, 55, md_members, &g, &E), 0);
	assert_int_equal(g.count, 0);
	assert_null(fix_group_get(&M, &g, 0, 55));
	/* NumInGroup 0 and nothing after it. */
	parse_body("35=W|268=0|58=x|");
	assert_int_equal(fix_group_find(&M, 268, 269, md_members, &g, &E), 0);
	assert_int_equal(g.count, 0);
}

static void
check_group_error(const char *body, enum fix_reject_reason reason,
    const char *text)
{
	struct fix_group	 g;

	parse_body(body);
	E = (struct fix_error){ 0 };
	if (fix_group_find(&M, 268, 269, md_members, &g, &E) != -1)
		fail_msg("%s: group read", body);
	if (E.reason != reason || strcmp(E.text, text) != 0)
		fail_msg("%s: %d \"%s\"", body, E.reason, E.text);
}

static void
test_fix_codec_group_errors(void **state)
{
	(void)state;
	check_group_error("35=W|268=2|269=0|270=1|269=1|270=2|269=2|",
	    FIX_RJ_GROUP_COUNT, "NumInGroup (268) 2 but 3 entries");
	check_group_error("35=W|268=4|269=0|270=1|269=1|270=2|269=2|",
	    FIX_RJ_GROUP_COUNT, "NumInGroup (268) 4 but 3 entries");
	check_group_error("35=W|268=1|58=x|",
	    FIX_RJ_GROUP_COUNT, "NumInGroup (268) 1 but 0 entries");
	check_group_error("35=W|268=0|269=0|",
	    FIX_RJ_GROUP_COUNT, "NumInGroup (268) 0 but 1 entries");
	check_group_error("35=W|268=2|270=1|269=0|269=1|",
	    FIX_RJ_GROUP_ORDER,
	    "group 268: tag 270 out of order, entries begin with 269");
	check_group_error("35=W|268=1|269=0|270=1|270=2|",
	    FIX_RJ_GROUP_ORDER,
	    "group 268: tag 270 out of order, entries begin with 269");
	check_group_error("35=W|268=x|269=0|",
	    FIX_RJ_BAD_FORMAT, "NumInGroup (268) not a count");
	check_group_error("35=W|268=-1|",
	    FIX_RJ_BAD_FORMAT, "NumInGroup (268) not a count");
	assert_int_equal(E.tag, 268);
}

/* ---------------------------------------------------------------- values */

/* M holds one message with 44=value. */
static void
with_value(const char *value)
{
	size_t	 used;

	fix_out_begin(&O, "D");
	fix_out_str(&O, 44, value);
	if (fix_out_finish(&O, "FIX.4.4") == -1 ||
	    parse(O.buf, O.len, &used) != FIX_OK)
		fail_msg("'%s': no message", value);
}

static int
decimal(const char *value, int scale, int64_t *v)
{
	with_value(value);
	return fix_get_decimal(&M, 44, scale, v, NULL);
}

static void
test_fix_codec_decimal(void **state)
{
	static const struct {
		const char	*s;
		int		 scale;
		int		 rc;
		int64_t		 v;
	} cases[] = {
		{ "5001.25", 2, 0, 500125 }, { "5001.2", 2, 0, 500120 },
		{ "5001", 2, 0, 500100 }, { "5001.", 2, 0, 500100 },
		{ ".25", 2, 0, 25 }, { "-0.05", 2, 0, -5 }, { "-0", 0, 0, 0 },
		{ "0007.50", 2, 0, 750 }, { "12", 0, 0, 12 },
		{ "5001.255", 2, -1, 0 }, { "5.0", 0, -1, 0 },
		{ "+1", 2, -1, 0 }, { " 1", 2, -1, 0 }, { "1 ", 2, -1, 0 },
		{ ".", 2, -1, 0 }, { "-", 2, -1, 0 }, { "-.", 2, -1, 0 },
		{ "1.2.3", 2, -1, 0 }, { "1e5", 2, -1, 0 },
		{ "0x10", 0, -1, 0 }, { "--1", 0, -1, 0 }, { "1-", 0, -1, 0 },
		{ "9223372036854775807", 0, 0, INT64_MAX },
		{ "9223372036854775808", 0, -1, 0 },
		{ "-9223372036854775808", 0, 0, INT64_MIN },
		{ "-9223372036854775809", 0, -1, 0 },
		{ "92233720368547758.07", 2, 0, INT64_MAX },
		{ "92233720368547758.08", 2, -1, 0 },
		{ "92233720368547759", 2, -1, 0 },
		{ "1", 18, 0, 1000000000000000000LL },
		{ "10", 18, -1, 0 }, { "1", 19, -1, 0 }, { "1", -1, -1, 0 },
		{ "0.000000000000000001", 18, 0, 1 },
	};
	int64_t	 v;
	bool	 present = false;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		v = 0;
		if (decimal(cases[i].s, cases[i].scale, &v) != cases[i].rc ||
		    (cases[i].rc == 0 && v != cases[i].v))
			fail_msg("'%s' scale %d: %" PRId64, cases[i].s,
			    cases[i].scale, v);
	}
	assert_int_equal(fix_get_decimal(&M, 45, 2, &v, &present), -1);
	assert_false(present);
	assert_int_equal(fix_get_decimal(&M, 44, 19, &v, &present), -1);
	assert_true(present);
}

static void
test_fix_codec_int(void **state)
{
	int64_t	 v;
	bool	 present = false;

	(void)state;
	with_value("007");
	assert_int_equal(fix_get_int(&M, 44, &v, &present), 0);
	assert_true(present && v == 7);
	with_value("-12");
	assert_int_equal(fix_get_int(&M, 44, &v, NULL), 0);
	assert_true(v == -12);
	with_value("12.0");
	assert_int_equal(fix_get_int(&M, 44, &v, &present), -1);
	assert_true(present);
	with_value("+12");
	assert_int_equal(fix_get_int(&M, 44, &v, NULL), -1);
	with_value("12 ");
	assert_int_equal(fix_get_int(&M, 44, &v, NULL), -1);
	with_value("18446744073709551616");
	assert_int_equal(fix_get_int(&M, 44, &v, NULL), -1);
	assert_int_equal(fix_get_int(&M, 38, &v, &present), -1);
	assert_false(present);
}

static int
utc(const char *value, td_ns *t)
{
	with_value(value);
	return fix_get_time(&M, 44, t, NULL);
}

static void
test_fix_codec_time(void **state)
{
	static const struct {
		const char	*s;
		int		 rc;
		td_ns		 t;
	} cases[] = {
		{ "19700101-00:00:00", 0, 0 },
		{ "19691231-23:59:59", 0, -TD_NS_PER_SEC },
		{ "20121105-23:24:42.577", 0, 1352157882577000000LL },
		{ "20121105-23:24:42.577123", 0, 1352157882577123000LL },
		{ "20240229-12:00:00", 0, 1709208000LL * TD_NS_PER_SEC },
		{ "20000229-00:00:00", 0, 951782400LL * TD_NS_PER_SEC },
		{ "20161231-23:59:60", 0, 1483228800LL * TD_NS_PER_SEC },
		{ "22611231-23:59:59.999", 0, 9214646399999000000LL },
		{ "16780101-00:00:00", 0, -9214560000LL * TD_NS_PER_SEC },
		{ "20230229-12:00:00", -1, 0 }, { "19000229-12:00:00", -1, 0 },
		{ "20240431-12:00:00", -1, 0 }, { "20241301-12:00:00", -1, 0 },
		{ "20240001-12:00:00", -1, 0 }, { "20240100-12:00:00", -1, 0 },
		{ "20240101-24:00:00", -1, 0 }, { "20240101-12:60:00", -1, 0 },
		{ "20240101-12:00:61", -1, 0 },
		{ "20240101-12:00:00.12", -1, 0 },
		{ "20240101-12:00:00.1234", -1, 0 },
		{ "20240101-12:00:00.123456789", -1, 0 },
		{ "20240101-12:00:00,123", -1, 0 },
		{ "20240101 12:00:00", -1, 0 },
		{ "2024-01-01-12:00:00", -1, 0 },
		{ "20240101-12:00:00Z", -1, 0 }, { "20240101-12-00-00", -1, 0 },
		{ "20240101-1:00:000", -1, 0 }, { "20240101-12:00:0a", -1, 0 },
		{ "22620101-00:00:00", -1, 0 }, { "16771231-00:00:00", -1, 0 },
		{ "20240101", -1, 0 }, { "20240101-12:00:00.-12", -1, 0 },
	};
	td_ns	 t;
	bool	 present;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = 0;
		if (utc(cases[i].s, &t) != cases[i].rc ||
		    (cases[i].rc == 0 && t != cases[i].t))
			fail_msg("'%s': %" PRId64, cases[i].s, t);
	}
	assert_int_equal(fix_get_time(&M, 52, &t, &present), -1);
	assert_false(present);
}

/* ---------------------------------------------------------------- building */

/* The value of tag as fix_out wrote it. */
static const char *
built(int tag)
{
	size_t	 used;

	if (fix_out_finish(&O, "FIX.4.4") == -1 ||
	    parse(O.buf, O.len, &used) != FIX_OK)
		fail_msg("tag %d: no message", tag);
	return fix_get(&M, tag);
}

static void
test_fix_codec_out_values(void **state)
{
	static const struct {
		int64_t		 v;
		int		 scale;
		const char	*s;
	} dec[] = {
		{ 500125, 2, "5001.25" }, { -500125, 2, "-5001.25" },
		{ 500100, 2, "5001.00" }, { 5, 2, "0.05" }, { -5, 2, "-0.05" },
		{ 7, 0, "7" }, { -7, 0, "-7" }, { 0, 3, "0.000" },
		{ INT64_MIN, 0, "-9223372036854775808" },
		{ INT64_MIN, 18, "-9.223372036854775808" },
		{ INT64_MAX, 18, "9.223372036854775807" },
		{ 1, 18, "0.000000000000000001" },
	};
	static const struct {
		td_ns		 t;
		const char	*s;
	} times[] = {
		{ 0, "19700101-00:00:00.000" },
		{ -1, "19691231-23:59:59.999" },
		{ 1352157882577999999LL, "20121105-23:24:42.577" },
		{ 1709208000LL * TD_NS_PER_SEC, "20240229-12:00:00.000" },
		{ INT64_MAX, "22620411-23:47:16.854" },
		{ INT64_MIN, "16770921-00:12:43.145" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof dec / sizeof dec[0]; i++) {
		fix_out_begin(&O, "D");
		fix_out_decimal(&O, 44, dec[i].v, dec[i].scale);
		assert_string_equal(built(44), dec[i].s);
	}
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		fix_out_begin(&O, "D");
		fix_out_time(&O, 60, times[i].t);
		assert_string_equal(built(60), times[i].s);
	}
	fix_out_begin(&O, "D");
	fix_out_int(&O, 38, INT64_MIN);
	fix_out_int(&O, 34, 0);
	assert_string_equal(built(38), "-9223372036854775808");
	assert_string_equal(fix_get(&M, 34), "0");
}

/* Every way to make finish fail. */
static void
test_fix_codec_out_refused(void **state)
{
	char		 big[FIX_VALUE_MAX + 2];
	struct fix_out	 list;

	(void)state;
	fix_out_begin(&O, "D");
	fix_out_str(&O, 58, "a\001b");
	fix_out_str(&O, 55, "ES");
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	assert_true(O.bad);
	fix_out_begin(&O, "D");
	fix_out_str(&O, 58, "");
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	fix_out_begin(&O, "D");
	fix_out_str(&O, 58, NULL);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	fix_out_begin(&O, "");
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	fix_out_begin(&O, "D");
	fix_out_str(&O, 0, "x");
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	fix_out_begin(&O, "D");
	fix_out_str(&O, FIX_TAG_MAX + 1, "x");
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	fix_out_begin(&O, "D");
	fix_out_decimal(&O, 44, 1, 19);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	fix_out_begin(&O, "D");
	fix_out_str(&O, 58, big);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	/* BeginString: empty, NULL, with SOH, '=' or too long. */
	fix_out_begin(&O, "0");
	assert_int_equal(fix_out_finish(&O, ""), -1);
	fix_out_begin(&O, "0");
	assert_int_equal(fix_out_finish(&O, NULL), -1);
	fix_out_begin(&O, "0");
	assert_int_equal(fix_out_finish(&O, "FIX\001"), -1);
	fix_out_begin(&O, "0");
	assert_int_equal(fix_out_finish(&O, "FIX=4"), -1);
	fix_out_begin(&O, "0");
	assert_int_equal(fix_out_finish(&O, "FIX.4.4.4.4.4.4.4"), -1);
	/* A list is no message; finishing twice neither. */
	fix_out_begin(&list, NULL);
	fix_out_str(&list, 58, "x");
	assert_int_equal(fix_out_finish(&list, "FIX.4.4"), -1);
	fix_out_begin(&O, "0");
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), 0);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
}

static void
test_fix_codec_out_overflow(void **state)
{
	char	 v[1001];
	int	 i;

	(void)state;
	memset(v, 'x', 1000);
	v[1000] = '\0';
	/* Past FIX_MSG_MAX in the adds. */
	fix_out_begin(&O, "D");
	for (i = 0; i < 9; i++)
		fix_out_str(&O, 58, v);
	assert_true(O.bad);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	/* Past it only once the header and trailer are on. */
	fix_out_begin(&O, "D");
	for (i = 0; i < 8; i++)
		fix_out_str(&O, 58, v);
	fix_out_str(&O, 58, v + 1000 - 140);
	assert_false(O.bad);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	/* Exactly FIX_MSG_MAX bytes. */
	fix_out_begin(&O, "D");
	for (i = 0; i < 8; i++)
		fix_out_str(&O, 58, v);
	fix_out_str(&O, 58, v + 1000 - 127);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), 0);
	assert_int_equal(O.len, FIX_MSG_MAX);
	/* More fields than a message may have. */
	fix_out_begin(&O, "D");
	for (i = 0; i < FIX_FIELDS_MAX - 3; i++)
		fix_out_int(&O, 58, i);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	fix_out_begin(&O, "D");
	for (i = 0; i < FIX_FIELDS_MAX - 4; i++)
		fix_out_int(&O, 58, i);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), 0);
}

static void
test_fix_codec_out_append(void **state)
{
	struct fix_out	 list, bad;
	char		 got[256];
	size_t		 used;

	(void)state;
	fix_out_begin(&list, NULL);
	fix_out_int(&list, 269, 0);
	fix_out_decimal(&list, 270, 500100, 2);
	fix_out_begin(&O, "W");
	fix_out_int(&O, 268, 1);
	fix_out_append(&O, &list);
	fix_out_str(&O, 58, "end");
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), 0);
	assert_int_equal(parse(O.buf, O.len, &used), FIX_OK);
	fields_str(&M, got, sizeof got);
	assert_string_equal(got, "35=W|268=1|269=0|270=5001.00|58=end|");
	fix_out_begin(&bad, NULL);
	fix_out_str(&bad, 58, "");
	fix_out_begin(&O, "W");
	fix_out_append(&O, &bad);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	/* A builder once bad stays bad. */
	fix_out_begin(&O, "W");
	fix_out_str(&O, 58, "");
	fix_out_begin(&list, NULL);
	fix_out_int(&list, 269, 0);
	fix_out_append(&O, &list);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
	/* A message is not a list. */
	fix_out_begin(&list, "0");
	fix_out_begin(&O, "W");
	fix_out_append(&O, &list);
	assert_int_equal(fix_out_finish(&O, "FIX.4.4"), -1);
}

/* ---------------------------------------------------------------- log */

static void
test_fix_codec_log_masks(void **state)
{
	char	 body[256], w[512], line[512], full[512];
	size_t	 n, len;

	(void)state;
	n = soh(body, "35=A|34=1|553=trader|554=hunter2|925=hunter3|95=8|"
	    "96=se|cr|et|98=0|");
	len = frame_bytes(w, "FIX.4.4", body, n);
	fix_log_line(w, len, full, sizeof full);
	assert_non_null(strstr(full, "|553=trader|554=****|925=****|95=8|"
	    "96=****|98=0|10="));
	assert_null(strstr(full, "hunter"));
	assert_null(strstr(full, "cr"));
	assert_null(strchr(full, FIX_SOH));
	assert_int_equal(strncmp(full, "8=FIX.4.4|9=", 12), 0);
	/* Cut anywhere: NUL-terminated, a prefix of the whole line. */
	for (size_t k = 1; k < sizeof line; k++) {
		size_t	 want = k - 1 < strlen(full) ? k - 1 : strlen(full);

		memset(line, 'Z', sizeof line);
		fix_log_line(w, len, line, k);
		assert_non_null(memchr(line, '\0', k));
		assert_int_equal(strlen(line), want);
		assert_memory_equal(line, full, want);
	}
	line[0] = 'Z';
	fix_log_line(w, len, line, 0);
	assert_int_equal(line[0], 'Z');
	/*
	 * RawData without its length: masked to the next SOH.  Control
	 * bytes show as '?' (one message, one line); UTF-8 passes.
	 */
	len = soh(w, "8=FIX.4.4|96=secret|58=x\n\033\177y\303\251|554=");
	fix_log_line(w, len, line, sizeof line);
	assert_string_equal(line, "8=FIX.4.4|96=****|58=x???y\303\251|"
	    "554=****");
	/* A RawDataLength past the end masks all that follows. */
	len = soh(w, "95=99|96=se|cr|et");
	fix_log_line(w, len, line, sizeof line);
	assert_string_equal(line, "95=99|96=****");
	/* Tags written with a leading zero are masked too. */
	len = soh(w, "0554=pw|x|=|");
	fix_log_line(w, len, line, sizeof line);
	assert_string_equal(line, "0554=****|x|=|");
}

/* ---------------------------------------------------------------- property */

struct prop {
	struct rng	 rng;
	uint64_t	 seed;
	long		 iter;
};

static uint64_t
prop_seed(void)
{
	const char		*s = getenv("TD_PROP_SEED");
	char			*end;
	unsigned long long	 v;

	if (s == NULL || s[0] == '\0')
		return DEF_SEED;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || s[0] == '-')
		fail_msg("TD_PROP_SEED: '%s' is not a seed (0x1234 or 4660)",
		    s);
	return v;
}

#define PROP_CHECK(p, cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "seed 0x%llx iteration %ld: ",		\
		    (unsigned long long)(p)->seed, (p)->iter);		\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n(replay: TD_PROP_SEED=0x%llx)\n",	\
		    (unsigned long long)(p)->seed);			\
		fail();							\
	}								\
} while (0)

/* A random printable value without SOH, 1 .. max bytes. */
static void
prop_value(struct prop *p, char *v, size_t max)
{
	size_t	 n = 1 + (size_t)rng_below(&p->rng, max);

	for (size_t i = 0; i < n; i++)
		v[i] = (char)(' ' + rng_below(&p->rng, 95));
	v[n] = '\0';
}

/* A tag the codec treats as a plain field. */
static int
prop_tag(struct prop *p)
{
	static const int	 avoid[] = { 8, 9, 10, 34, 35, 43, 49, 52, 56,
				    95, 96, 97, 122 };
	int			 tag;

again:
	tag = rng_below(&p->rng, 4) == 0 ?
	    1 + (int)rng_below(&p->rng, FIX_TAG_MAX) :
	    1 + (int)rng_below(&p->rng, 1000);
	for (size_t i = 0; i < sizeof avoid / sizeof avoid[0]; i++) {
		if (tag == avoid[i])
			goto again;
	}
	return tag;
}

/* What a field should read back as. */
struct prop_field {
	int		 tag;
	int		 kind;		/* 0 str, 1 int, 2 decimal, 3 time */
	int		 scale;
	int64_t		 v;
	char		 s[64];
};

static void
prop_add(struct prop *p, struct prop_field *f)
{
	f->tag = prop_tag(p);
	f->kind = (int)rng_below(&p->rng, 4);
	f->v = (int64_t)rng_next(&p->rng) >> rng_below(&p->rng, 63);
	f->scale = (int)rng_below(&p->rng, DEC_SCALE_MAX_TEST + 1);
	switch (f->kind) {
	case 0:
		prop_value(p, f->s, sizeof f->s - 1);
		fix_out_str(&O, f->tag, f->s);
		break;
	case 1:
		fix_out_int(&O, f->tag, f->v);
		break;
	case 2:
		fix_out_decimal(&O, f->tag, f->v, f->scale);
		break;
	default:
		/* 1970 .. 2100, to the millisecond. */
		f->v = (int64_t)rng_below(&p->rng, 4102444800000ULL) *
		    1000000;
		fix_out_time(&O, f->tag, f->v);
		break;
	}
}

/* The field at index i of M reads back as f. */
static bool
prop_same(int i, const struct prop_field *f)
{
	int64_t		 v;
	td_ns		 t;

	if (M.f[i].tag != f->tag)
		return false;
	/* The getters read the first field of a tag: one field alone. */
	ONE.n = 1;
	ONE.f[0] = M.f[i];
	switch (f->kind) {
	case 0:
		return strcmp(M.f[i].value, f->s) == 0;
	case 1:
		return fix_get_int(&ONE, f->tag, &v, NULL) == 0 && v == f->v;
	case 2:
		return fix_get_decimal(&ONE, f->tag, f->scale, &v, NULL) ==
		    0 && v == f->v;
	default:
		return fix_get_time(&ONE, f->tag, &t, NULL) == 0 && t == f->v;
	}
}

/* One random message built and read back; its bytes into w. */
static size_t
prop_message(struct prop *p, char *w)
{
	static struct prop_field	 f[FIX_FIELDS_MAX];
	char				 type[4];
	size_t				 used;
	int				 n = (int)rng_below(&p->rng, 60);

	prop_value(p, type, 2);
	fix_out_begin(&O, type);
	fix_out_int(&O, 34, 1 + (int64_t)rng_below(&p->rng, 1000000));
	for (int i = 0; i < n; i++)
		prop_add(p, &f[i]);
	PROP_CHECK(p, fix_out_finish(&O, "FIX.4.4") == 0, "not built");
	PROP_CHECK(p, fix_parse(O.buf, O.len, &M, &used, &E) == FIX_OK,
	    "built, not read: %s", E.text);
	PROP_CHECK(p, used == O.len && M.n == n + 5, "%zu of %zu bytes, %d "
	    "fields", used, O.len, M.n);
	for (int i = 0; i < n; i++)
		PROP_CHECK(p, prop_same(i + 4, &f[i]), "field %d (tag %d) "
		    "reads back as '%s'", i, f[i].tag, M.f[i + 4].value);
	memcpy(w, O.buf, O.len);
	return O.len;
}

/* Random damage to w[0 .. len); the new length. */
static size_t
prop_mutate(struct prop *p, char *w, size_t len, size_t cap)
{
	static const char	 bytes[] = "\001=0189|\0xA";
	int			 k = 1 + (int)rng_below(&p->rng, 4);

	while (k-- > 0 && len > 0) {
		size_t	 at = (size_t)rng_below(&p->rng, len);

		switch (rng_below(&p->rng, 5)) {
		case 0:
			w[at] = (char)rng_next(&p->rng);
			break;
		case 1:
			w[at] = bytes[rng_below(&p->rng, sizeof bytes - 1)];
			break;
		case 2:
			memmove(w + at, w + at + 1, len - at - 1);
			len--;
			break;
		case 3:
			if (len < cap) {
				memmove(w + at + 1, w + at, len - at);
				w[at] = bytes[rng_below(&p->rng,
				    sizeof bytes - 1)];
				len++;
			}
			break;
		default:
			len = at;
			break;
		}
	}
	return len;
}

/* Read w as a stream; every answer must be one of the four, in bounds. */
static void
prop_stream(struct prop *p, const char *w, size_t len)
{
	char	 line[256];
	size_t	 off = 0, used;

	fix_log_line(w, len, line, sizeof line);
	while (off < len) {
		enum fix_parse_rc	 rc;

		rc = fix_parse(w + off, len - off, &M, &used, &E);
		PROP_CHECK(p, rc == FIX_NEED_MORE || rc == FIX_OK ||
		    rc == FIX_GARBLED || rc == FIX_INVALID, "rc %d", rc);
		if (rc == FIX_NEED_MORE) {
			PROP_CHECK(p, used == 0, "need more, used %zu", used);
			break;
		}
		PROP_CHECK(p, used >= 1 && used <= len - off, "used %zu of "
		    "%zu", used, len - off);
		PROP_CHECK(p, rc == FIX_GARBLED || used == M.rawlen,
		    "used %zu, message %zu", used, M.rawlen);
		off += used;
	}
}

static void
test_fix_codec_property(void **state)
{
	static char	 w[3 * FIX_MSG_MAX];
	struct prop	 p = { .seed = prop_seed() };
	size_t		 len, one;

	(void)state;
	rng_seed(&p.rng, p.seed);
	for (p.iter = 0; p.iter < PROP_MESSAGES; p.iter++)
		prop_message(&p, w);
	for (p.iter = 0; p.iter < PROP_MUTATIONS; p.iter++) {
		one = prop_message(&p, w);
		len = one + prop_message(&p, w + one);
		len = prop_mutate(&p, w, len, sizeof w);
		prop_stream(&p, w, len);
	}
	fprintf(stderr, "%d messages and %d mutated streams from seed "
	    "0x%llx\n", PROP_MESSAGES, PROP_MUTATIONS,
	    (unsigned long long)p.seed);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_fix_codec_real_captures),
		cmocka_unit_test(test_fix_codec_real_misframed),
		cmocka_unit_test(test_fix_codec_round_trip_kinds),
		cmocka_unit_test(test_fix_codec_out_length_checksum),
		cmocka_unit_test(test_fix_codec_garbled_header),
		cmocka_unit_test(test_fix_codec_garbled_trailer),
		cmocka_unit_test(test_fix_codec_resync),
		cmocka_unit_test(test_fix_codec_stream_every_split),
		cmocka_unit_test(test_fix_codec_stream_chunks),
		cmocka_unit_test(test_fix_codec_invalid_fields),
		cmocka_unit_test(test_fix_codec_invalid_limits),
		cmocka_unit_test(test_fix_codec_message_max),
		cmocka_unit_test(test_fix_codec_raw_data),
		cmocka_unit_test(test_fix_codec_seq_and_null_err),
		cmocka_unit_test(test_fix_codec_group_read),
		cmocka_unit_test(test_fix_codec_group_errors),
		cmocka_unit_test(test_fix_codec_decimal),
		cmocka_unit_test(test_fix_codec_int),
		cmocka_unit_test(test_fix_codec_time),
		cmocka_unit_test(test_fix_codec_out_values),
		cmocka_unit_test(test_fix_codec_out_refused),
		cmocka_unit_test(test_fix_codec_out_overflow),
		cmocka_unit_test(test_fix_codec_out_append),
		cmocka_unit_test(test_fix_codec_log_masks),
		cmocka_unit_test(test_fix_codec_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
