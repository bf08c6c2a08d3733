/*
 * reader-input.c -- the reader's bytes and lines (see reader-int.h).
 *
 * One 1 MiB buffer holds the text; plain files are read() into it and xz
 * files are decoded into it by liblzma from a 64 KiB input buffer, so a
 * compressed year never exists uncompressed in memory.  A line is handed
 * out as a pointer into the buffer; when a line runs past the end, the
 * unread part moves to the front and the buffer is topped up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader-int.h"


int
reader_syserr(struct reader *r, const char *what, struct errmsg *err)
{
	return errmsg_sys(err, r->path, what);
}

static ssize_t
reader_read(struct reader *r, void *p, size_t n, struct errmsg *err)
{
	ssize_t	 got;

	do
		got = read(r->fd, p, n);
	while (got == -1 && errno == EINTR);
	if (got == -1)
		reader_syserr(r, "read error", err);
	return got;
}

/* Decode more xz data into buf[end..]; sets eof at the end of the stream. */
static int
reader_unxz(struct reader *r, struct errmsg *err)
{
	lzma_ret	 ret;
	ssize_t		 got;
	size_t		 before = r->end;

	r->lz.next_out = (uint8_t *)r->buf + r->end;
	r->lz.avail_out = READER_BUF - r->end;
	for (;;) {
		if (r->lz.avail_in == 0 && !r->zin_eof) {
			if ((got = reader_read(r, r->zin, READER_ZBUF,
			    err)) == -1)
				return -1;
			if (got == 0)
				r->zin_eof = 1;
			r->lz.next_in = r->zin;
			r->lz.avail_in = (size_t)got;
		}
		ret = lzma_code(&r->lz, r->zin_eof ? LZMA_FINISH : LZMA_RUN);
		r->end = READER_BUF - r->lz.avail_out;
		if (ret == LZMA_STREAM_END) {
			r->eof = 1;
			return 0;
		}
		if (ret == LZMA_BUF_ERROR && r->zin_eof)
			return errmsg_set(err, "%s: truncated xz data",
			    r->path);
		if (ret == LZMA_MEM_ERROR)
			return errmsg_set(err, "%s: out of memory", r->path);
		if (ret == LZMA_OPTIONS_ERROR ||
		    ret == LZMA_UNSUPPORTED_CHECK)
			return errmsg_set(err, "%s: unsupported xz options",
			    r->path);
		if (ret != LZMA_OK)
			return errmsg_set(err, "%s: corrupt xz data",
			    r->path);
		if (r->end > before || r->end == READER_BUF)
			return 0;
	}
}

/* Keep the unread bytes, move them to the front and add more. */
static int
reader_fill(struct reader *r, struct errmsg *err)
{
	ssize_t	 got;

	if (r->beg > 0) {
		memmove(r->buf, r->buf + r->beg, r->end - r->beg);
		r->end -= r->beg;
		r->beg = 0;
	}
	if (r->eof || r->end == READER_BUF)
		return 0;
	if (r->xz)
		return reader_unxz(r, err);
	if ((got = reader_read(r, r->buf + r->end, READER_BUF - r->end,
	    err)) == -1)
		return -1;
	if (got == 0)
		r->eof = 1;
	r->end += (size_t)got;
	return 0;
}

/*
 * The next line without its "\n" or "\r\n": 1 and *s, *n (valid until the
 * next call), 0 at the end, -1 on a read error or an endless line.
 */
int
reader_line(struct reader *r, const char **s, size_t *n, struct errmsg *err)
{
	char	*p, *nl;
	size_t	 len;

	for (;;) {
		p = r->buf + r->beg;
		nl = memchr(p, '\n', r->end - r->beg);
		if (nl != NULL) {
			len = (size_t)(nl - p);
			r->beg += len + 1;
			r->nonl = 0;
			break;
		}
		if (r->eof) {
			if (r->beg == r->end)
				return 0;
			len = r->end - r->beg;
			r->beg = r->end;
			r->nonl = 1;
			break;
		}
		if (r->beg == 0 && r->end == READER_BUF)
			return errmsg_set(err, "%s:%lld: line longer than "
			    "%d bytes", r->path, (long long)r->line + 1,
			    READER_BUF);
		if (reader_fill(r, err) == -1)
			return -1;
	}
	if (r->line++ == 0 && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		len -= 3;
	}
	if (len > 0 && p[len - 1] == '\r')
		len--;
	*s = p;
	*n = len;
	return 1;
}

int
reader_start(struct reader *r, struct errmsg *err)
{
	static const uint8_t	 xzmagic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	ssize_t			 got;
	size_t			 have = 0;

	/* The first bytes tell plain text from xz. */
	while (have < sizeof xzmagic) {
		if ((got = reader_read(r, r->buf + have,
		    READER_ZBUF - have, err)) == -1)
			return -1;
		if (got == 0) {
			r->eof = 1;
			break;
		}
		have += (size_t)got;
	}
	if (have >= 2 && (uint8_t)r->buf[0] == 0x1f &&
	    (uint8_t)r->buf[1] == 0x8b)
		return errmsg_set(err, "%s: gzip data is not supported, use xz",
		    r->path);
	if (have >= sizeof xzmagic && memcmp(r->buf, xzmagic,
	    sizeof xzmagic) == 0) {
		if ((r->zin = malloc(READER_ZBUF)) == NULL)
			return errmsg_set(err, "%s: out of memory", r->path);
		if (lzma_stream_decoder(&r->lz, UINT64_MAX,
		    LZMA_CONCATENATED) != LZMA_OK)
			return errmsg_set(err, "%s: cannot start the xz "
			    "decoder", r->path);
		r->xz = 1;
		/* The bytes read so far are compressed input. */
		memcpy(r->zin, r->buf, have);
		r->lz.next_in = r->zin;
		r->lz.avail_in = have;
		r->eof = 0;
	} else
		r->end = have;

	/* Enough text for the first lines. */
	while (!r->eof && r->end < READER_BUF &&
	    memchr(r->buf, '\n', r->end) == NULL) {
		if (reader_fill(r, err) == -1)
			return -1;
	}
	if (!r->eof && r->end < READER_BUF / 2 && reader_fill(r, err) == -1)
		return -1;
	return 0;
}
