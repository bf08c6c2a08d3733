/*
 * fix-codec.h -- FIX tag=value messages: framing, parsing and building.
 *
 * A message on the wire is 8=BeginString|9=BodyLength|35=MsgType|...|
 * 10=CheckSum| with SOH (0x01) for |.  fix_parse finds one message at
 * the head of a byte stream, verifies its framing (BeginString first,
 * BodyLength second and exact, MsgType third, CheckSum last and right)
 * and splits it into fields; fix_out builds one, computing BodyLength
 * and CheckSum.  The codec knows no dictionary: which tags a message
 * needs is the session's business; repeating groups are read by their
 * count tag, their first tag and the tags that may follow in an entry.
 *
 * Strict limits: a message longer than FIX_MSG_MAX bytes, with more than
 * FIX_FIELDS_MAX fields or with a value longer than FIX_VALUE_MAX is
 * refused.  Nothing here allocates; a parsed message owns a copy of its
 * bytes (values are NUL-terminated strings inside it) and stays valid
 * until it is parsed into again.  A value holding NUL is refused, save
 * RawData (96), which RawDataLength (95) sizes: it may hold NUL and SOH,
 * and its len is the one to use.
 *
 * The standard says what to do with bad input, and the result says
 * which case it is: a garbled message (framing, BodyLength or CheckSum
 * wrong) is skipped without a word (FIX_GARBLED, *used says how far);
 * a well framed message with a bad field is answered with a session
 * Reject naming the tag and the reason (FIX_INVALID, the message's
 * MsgSeqNum is known when it could be read).
 */
#ifndef TD_FIX_CODEC_H
#define TD_FIX_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "types.h"

#define FIX_SOH		'\001'
#define FIX_MSG_MAX	8192	/* one message, bytes, header to trailer */
#define FIX_FIELDS_MAX	256	/* fields in one message */
#define FIX_VALUE_MAX	1024	/* one value, bytes */
#define FIX_TAG_MAX	99999	/* highest tag number accepted */

/* Header, trailer and session tags the codec and the session use. */
enum {
	FIX_T_BEGIN_STRING = 8,
	FIX_T_BODY_LENGTH = 9,
	FIX_T_CHECKSUM = 10,
	FIX_T_MSG_SEQ_NUM = 34,
	FIX_T_MSG_TYPE = 35,
	FIX_T_NEW_SEQ_NO = 36,
	FIX_T_POSS_DUP = 43,
	FIX_T_REF_SEQ_NUM = 45,
	FIX_T_SENDER_COMP_ID = 49,
	FIX_T_SENDING_TIME = 52,
	FIX_T_TARGET_COMP_ID = 56,
	FIX_T_TEXT = 58,
	FIX_T_BEGIN_SEQ_NO = 7,
	FIX_T_END_SEQ_NO = 16,
	FIX_T_POSS_RESEND = 97,
	FIX_T_ENCRYPT_METHOD = 98,
	FIX_T_HEART_BT_INT = 108,
	FIX_T_TEST_REQ_ID = 112,
	FIX_T_ORIG_SENDING_TIME = 122,
	FIX_T_GAP_FILL = 123,
	FIX_T_RESET_SEQ_NUM = 141,
	FIX_T_REF_TAG_ID = 371,
	FIX_T_REF_MSG_TYPE = 372,
	FIX_T_SESSION_REJECT_REASON = 373,
	FIX_T_RAW_DATA_LENGTH = 95,
	FIX_T_RAW_DATA = 96,
	FIX_T_PASSWORD = 554,
	FIX_T_NEW_PASSWORD = 925,
};

/* SessionRejectReason (373) values the codec can give. */
enum fix_reject_reason {
	FIX_RJ_INVALID_TAG = 0,		/* Invalid tag number */
	FIX_RJ_REQUIRED_MISSING = 1,	/* Required tag missing */
	FIX_RJ_UNDEFINED_TAG = 3,	/* Undefined Tag */
	FIX_RJ_NO_VALUE = 4,		/* Tag specified without a value */
	FIX_RJ_BAD_VALUE = 5,		/* Value is incorrect (out of range) */
	FIX_RJ_BAD_FORMAT = 6,		/* Incorrect data format for value */
	FIX_RJ_SENDING_TIME = 10,	/* SendingTime accuracy problem */
	FIX_RJ_REPEATED_TAG = 13,	/* Tag appears more than once */
	FIX_RJ_GROUP_ORDER = 15,	/* Repeating group fields out of order */
	FIX_RJ_GROUP_COUNT = 16,	/* Incorrect NumInGroup count */
	FIX_RJ_OTHER = 99,		/* Other */
};

/* What fix_parse found at the head of the bytes. */
enum fix_parse_rc {
	FIX_NEED_MORE = 0,	/* no whole message yet: read more */
	FIX_OK = 1,		/* one message in *m, *used bytes long */
	FIX_GARBLED = 2,	/* skip *used bytes, say nothing */
	FIX_INVALID = 3,	/* framed, but a field is bad: Reject */
};

struct fix_field {
	int		 tag;
	const char	*value;		/* NUL-terminated, inside the message */
	int		 len;
};

struct fix_msg {
	char		 raw[FIX_MSG_MAX + 1];	/* the bytes, SOH kept */
	size_t		 rawlen;
	char		 vals[FIX_MSG_MAX + 1];	/* the values, NUL-ended */
	struct fix_field f[FIX_FIELDS_MAX];	/* in wire order, 8 .. 10 */
	int		 n;
	const char	*type;			/* MsgType (35) */
	int64_t		 seq;			/* MsgSeqNum (34), 0: none */
};

/* Why a message was garbled or invalid, for the log and the Reject. */
struct fix_error {
	enum fix_reject_reason reason;
	int		 tag;		/* the tag at fault, 0: none */
	char		 text[128];	/* e.g. "CheckSum 112, computed 113" */
};

/*
 * The message at the head of buf[0 .. len): FIX_OK with *m and *used,
 * FIX_NEED_MORE, FIX_GARBLED with *used (at least 1: the bytes up to the
 * next "8=" that could begin a message) and *err, or FIX_INVALID with
 * *used, *m (as far as it was read: type and seq when they could be) and
 * *err.  err may be NULL.
 */
enum fix_parse_rc fix_parse(const char *buf, size_t len, struct fix_msg *m,
	    size_t *used, struct fix_error *err);

/* The value of the first field tag, or NULL. */
const char	*fix_get(const struct fix_msg *m, int tag);
/*
 * The value of tag as an integer (digits, an optional leading '-'), or
 * as a decimal scaled by 10^scale ("5001.25" scale 2 -> 500125; more
 * digits than scale are refused, fewer are padded).  0, or -1 when the
 * tag is absent (*present false) or not a number of that kind.  present
 * may be NULL.
 */
int		 fix_get_int(const struct fix_msg *m, int tag, int64_t *v,
		    bool *present);
int		 fix_get_decimal(const struct fix_msg *m, int tag, int scale,
		    int64_t *v, bool *present);
/* A UTCTimestamp "YYYYMMDD-HH:MM:SS[.sss[sss]]" as ns since the epoch. */
int		 fix_get_time(const struct fix_msg *m, int tag, td_ns *t,
		    bool *present);

/*
 * A repeating group: count_tag (NumInGroup) followed by entries, each
 * beginning with first_tag and made of tags from members (first_tag
 * included, 0-ended).  The group ends at the first tag not in members.
 */
struct fix_group {
	int		 count;		/* entries */
	int		 start[FIX_FIELDS_MAX];	/* field index of each entry */
	int		 end;		/* field index past the last entry */
};
/*
 * Find the group of count_tag: 0 (count 0 when absent), or -1 with err
 * (FIX_RJ_GROUP_COUNT when the entries do not match NumInGroup,
 * FIX_RJ_GROUP_ORDER when an entry does not begin with first_tag or has
 * a tag twice, FIX_RJ_BAD_FORMAT when NumInGroup is not a count).
 */
int		 fix_group_find(const struct fix_msg *m, int count_tag,
		    int first_tag, const int *members, struct fix_group *g,
		    struct fix_error *err);
/* The value of tag in entry k of g, or NULL. */
const char	*fix_group_get(const struct fix_msg *m,
		    const struct fix_group *g, int k, int tag);

/*
 * Building: fix_out_begin with the MsgType, fields in order, then
 * fix_out_finish with the BeginString, which puts 8 and 9 in front and
 * the CheckSum (10) at the end.  A value with SOH in it, or a message
 * past FIX_MSG_MAX, makes finish fail (-1); the adds never do.  So do an
 * empty or NULL value, a tag outside 1 .. FIX_TAG_MAX, a value longer
 * than FIX_VALUE_MAX, more than FIX_FIELDS_MAX fields, a BeginString the
 * parser would refuse, and a list or a finished message.
 */
struct fix_out {
	char		 buf[FIX_MSG_MAX + 1];
	size_t		 len;		/* after finish: the whole message */
	size_t		 body;		/* where the body begins in buf */
	bool		 bad;		/* a value could not be added */
};

/* type NULL: a list of fields only, for fix_out_append (no finish). */
void		 fix_out_begin(struct fix_out *o, const char *type);
/* The fields of list (begun with type NULL) after those of o. */
void		 fix_out_append(struct fix_out *o, const struct fix_out *list);
void		 fix_out_str(struct fix_out *o, int tag, const char *value);
void		 fix_out_int(struct fix_out *o, int tag, int64_t v);
/* v / 10^scale as a decimal, trailing zeros kept ("5001.25"). */
void		 fix_out_decimal(struct fix_out *o, int tag, int64_t v,
		    int scale);
/* A UTCTimestamp with milliseconds. */
void		 fix_out_time(struct fix_out *o, int tag, td_ns t);
int		 fix_out_finish(struct fix_out *o, const char *begin_string);

/*
 * One line for the message log: SOH shown as '|', the values of 554
 * (Password), 925 (NewPassword) and 96 (RawData) as "****".  Always
 * NUL-terminated; cut to outlen.
 */
void		 fix_log_line(const char *raw, size_t len, char *out,
		    size_t outlen);

#endif
