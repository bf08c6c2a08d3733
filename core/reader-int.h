/*
 * reader-int.h -- what the parts of the reader share (not a public header).
 *
 * The reader is split in three files: reader.c opens files (or takes
 * lines handed in by a live feed), finds their format and runs the row
 * loop; reader-input.c owns the byte source (plain
 * reads or xz decoding) and cuts it into lines; reader-row.c turns one
 * line into one event.  Only these three include this header.
 */
#ifndef TD_READER_INT_H
#define TD_READER_INT_H

#include <lzma.h>

#include "errmsg.h"
#include "reader.h"

#define READER_BUF	(1 << 20)	/* longest line, and read size */
#define READER_ZBUF	(64 << 10)	/* compressed input per read */
#define READER_MAXF	16		/* fields looked at in a row */
#define READER_SHOW	40		/* bytes of a bad field in a message */
#define READER_HDR_MAX	4096		/* a line reader's header line */

struct reader_field {
	const char	*s;
	size_t		 n;
};

/* What each format is: separator, field counts and defaults. */
struct reader_fmtinfo {
	const char	*name;
	char		 sep;
	int		 minf;		/* fields per row */
	int		 maxf;
	const char	*tz;		/* default zone of the stamps */
	int		 stamp_end;	/* bars stamped at their end */
	int		 ticks;		/* rows are trades, not bars */
	int		 name_date;	/* the date comes from the file name */
};

#define READER_NFMT	(READER_LEAN_TICK + 1)
extern const struct reader_fmtinfo reader_fmts[READER_NFMT];

struct reader {
	char			*path;
	const struct reader_fmtinfo *fi;
	enum reader_format	 fmt;

	/* Input: plain reads, or xz decoded into the same buffer. */
	int			 fd;
	int			 xz;
	lzma_stream		 lz;
	uint8_t			*zin;
	int			 zin_eof;
	char			*buf;
	size_t			 beg;		/* unread bytes are beg..end */
	size_t			 end;
	int			 eof;		/* no more bytes to add */
	int64_t			 line;		/* number of the last line */
	int			 nonl;		/* it had no newline */
	int64_t			 header_line;	/* 0 for none */

	/* A reader of lines (reader_open_lines): its options, its header. */
	struct reader_opts	 lines;
	size_t			 hdr_len;	/* held in buf until a row */

	/* Row layout. */
	int			 nfields;
	int			 vol_col;	/* -1: no volume */
	int			 stamp_end;
	td_ns			 bar_ns;
	int64_t			 name_days;	/* date of the file name */

	/* Time: zone (NULL for UTC) and the caches in front of it. */
	struct tz		*tz;
	int64_t			 hour_key;	/* local days * 24 + hour */
	int64_t			 hour_off;	/* its UTC - local, seconds */
	char			 date_txt[10];
	size_t			 date_len;
	int64_t			 date_days;

	const struct instrument	*inst;
	int			 inst_idx;
	enum reader_disorder	 disorder;
	td_ns			 prev;
	int			 have_prev;
	int			 failed;
	struct errmsg		 err;		/* the first error, kept */
	struct reader_stats	 st;
};

static inline int
reader_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

/* reader-input.c */
int	 reader_syserr(struct reader *r, const char *what,
	     struct errmsg *err);
int	 reader_start(struct reader *r, struct errmsg *err);
int	 reader_line(struct reader *r, const char **s, size_t *n,
	     struct errmsg *err);

/* reader-row.c */
int	 reader_split(const char *s, size_t n, char sep,
	     struct reader_field *f, int max);
int	 reader_date(struct reader *r, const char *s, int dashed,
	     int64_t *days);
int	 reader_row(struct reader *r, const char *s, size_t n,
	     struct td_md *md);

#endif
