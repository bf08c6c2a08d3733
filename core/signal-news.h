/*
 * signal-news.h -- timestamped headlines, one JSON object per line:
 *
 *   {"time": "2024-03-12T13:31:05Z", "source": "wire",
 *    "symbols": ["ES", "MES"], "text": "Stocks rally as inflation eases"}
 *
 * time is ISO 8601 in UTC ("Z") or with an offset ("-04:00"), to the
 * second or finer; symbols may be empty or left out (the headline is
 * about the whole market); other keys are skipped.  A file is replayed in
 * time order: a line earlier than the one before is refused, as is any
 * line that is not such an object, with the file and line.  Empty lines
 * and lines starting with '#' are skipped.
 *
 * struct news_file owns its stream.
 */
#ifndef TD_SIGNAL_NEWS_H
#define TD_SIGNAL_NEWS_H

#include <stdio.h>

#include "types.h"

#define NEWS_MAX_SYMBOLS	8
#define NEWS_SOURCE_MAX		64
#define NEWS_TEXT_MAX		1024
#define NEWS_LINE_MAX		8192

struct errmsg;

struct news_item {
	td_ns		 time;
	char		 source[NEWS_SOURCE_MAX];
	int		 nsymbols;
	char		 symbols[NEWS_MAX_SYMBOLS][TD_SYMBOL_MAX];
	char		 text[NEWS_TEXT_MAX];
};

/* One line into *it: 0, or -1 and what is wrong in why. */
int		 news_parse(const char *line, struct news_item *it, char *why,
		     size_t len);

struct news_file;

struct news_file *news_open(const char *path, struct errmsg *err);
void		 news_close(struct news_file *nf);
/* 1 and the next headline, 0 at the end, -1 and "file:line: why". */
int		 news_next(struct news_file *nf, struct news_item *it,
		     struct errmsg *err);
/* Lines read so far, and headlines. */
long		 news_lines(const struct news_file *nf);
long		 news_count(const struct news_file *nf);

#endif
