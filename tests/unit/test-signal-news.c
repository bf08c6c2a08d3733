/*
 * test-signal-news.c -- headlines from JSON lines (core/signal-news.h):
 * the keys kept and the ones skipped, escapes, times in UTC and with an
 * offset, and every malformed line refused with its file and line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "signal-news.h"
#include "tz.h"

#define SEC	TD_NS_PER_SEC

static td_ns
utc(int y, int mo, int d, int h, int mi, int s)
{
	return (tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    s) * SEC;
}

static void
test_signal_news_parse(void **state)
{
	struct news_item	 it;
	char			 why[160];

	(void)state;
	assert_int_equal(news_parse("{\"time\": \"2024-03-12T13:31:05Z\", "
	    "\"source\": \"wire\", \"symbols\": [\"ES\", \"MES\"], \"text\": "
	    "\"Stocks \\\"rally\\\" \\u2014 again\", \"id\": 7, \"tags\": "
	    "{\"a\": [1, true, null]}}\n", &it, why, sizeof why), 0);
	assert_int_equal(it.time, utc(2024, 3, 12, 13, 31, 5));
	assert_string_equal(it.source, "wire");
	assert_int_equal(it.nsymbols, 2);
	assert_string_equal(it.symbols[1], "MES");
	assert_string_equal(it.text, "Stocks \"rally\" \xe2\x80\x94 again");
	/* An offset, a fraction, no symbols: the whole market. */
	assert_int_equal(news_parse("{\"text\":\"Fed holds\",\"time\":"
	    "\"2024-03-12T09:31:05.25-04:00\"}", &it, why, sizeof why), 0);
	assert_int_equal(it.time, utc(2024, 3, 12, 13, 31, 5) + SEC / 4);
	assert_int_equal(it.nsymbols, 0);
	assert_string_equal(it.source, "");
}

static void
refused(const char *line, const char *want)
{
	struct news_item	 it;
	char			 why[160];

	assert_int_equal(news_parse(line, &it, why, sizeof why), -1);
	if (strstr(why, want) == NULL)
		fail_msg("'%s': '%s' lacks '%s'", line, why, want);
}

static void
test_signal_news_refused(void **state)
{
	(void)state;
	refused("[1, 2]", "a JSON object was expected");
	refused("{\"time\": \"2024-03-12T13:31:05Z\"}", "no text");
	refused("{\"text\": \"x\"}", "no time");
	refused("{\"time\": \"12/03/2024 13:31\", \"text\": \"x\"}",
	    "time '12/03/2024 13:31' is not ISO 8601");
	refused("{\"time\": \"2024-13-12T13:31:05Z\", \"text\": \"x\"}",
	    "is not ISO 8601");
	refused("{\"time\": \"2024-03-12T13:31:05\", \"text\": \"x\"}",
	    "is not ISO 8601");
	refused("{\"time\": \"2024-03-12T13:31:05Z\", \"text\": \"x}",
	    "a string does not end");
	refused("{\"time\": \"2024-03-12T13:31:05Z\" \"text\": \"x\"}",
	    "',' or '}' was expected");
	refused("{\"time\": \"2024-03-12T13:31:05Z\", \"text\": \"x\"} x",
	    "something after the object");
	refused("{\"symbols\": \"ES\", \"time\": \"2024-03-12T13:31:05Z\", "
	    "\"text\": \"x\"}", "symbols: an array of strings");
	refused("{\"symbols\": [\"\"], \"text\": \"x\"}",
	    "symbols: an empty symbol");
	refused("{\"text\": \"\\q\"}", "a bad escape");
	refused("{\"x\": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}",
	    "nested too deep");
}

static void
test_signal_news_file(void **state)
{
	char			 path[] = "/tmp/td-news-XXXXXX";
	struct news_file	*nf;
	struct news_item	 it;
	struct errmsg		 err;
	FILE			*f;
	int			 fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fputs("# headlines for the test\n"
	    "{\"time\": \"2024-03-12T13:31:05Z\", \"text\": \"one\"}\n"
	    "\n"
	    "{\"time\": \"2024-03-12T13:31:05Z\", \"text\": \"two\"}\n"
	    "{\"time\": \"2024-03-12T13:30:00Z\", \"text\": \"three\"}\n", f);
	fclose(f);
	assert_non_null(nf = news_open(path, &err));
	assert_int_equal(news_next(nf, &it, &err), 1);
	assert_string_equal(it.text, "one");
	assert_int_equal(news_next(nf, &it, &err), 1);
	assert_string_equal(it.text, "two");
	assert_int_equal(news_next(nf, &it, &err), -1);
	assert_non_null(strstr(err.msg, ":5: earlier than the headline "
	    "before it"));
	assert_int_equal(news_count(nf), 2);
	news_close(nf);
	unlink(path);
	assert_null(news_open("/nonexistent/news.jsonl", &err));
	assert_string_equal(err.msg, "/nonexistent/news.jsonl: No such file "
	    "or directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_news_parse),
		cmocka_unit_test(test_signal_news_refused),
		cmocka_unit_test(test_signal_news_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
