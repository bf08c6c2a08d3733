/*
 * http-sink.c -- the local servers of tests/cli/alerts.sh in a process of
 * their own: an HTTP server that records what is POSTed to it, answering
 * the first N requests with 500, and an SMTP sink that records each
 * message (tests/unit/localsrv.c, the unit tests' servers).
 *
 *	http-sink --ports FILE --http-out FILE --smtp-out FILE
 *	    [--fail N] [--seconds N]
 *
 * Both listen on 127.0.0.1 on ports the system picks, written to the
 * ports file as "http PORT" and "smtp PORT" lines once both listen (the
 * file appears whole, by a rename).  Each request or message received is
 * appended to its out file as a line "--- 200" or "--- 500" (HTTP) or
 * "--- mail" (SMTP) followed by the body.  The program ends on SIGTERM or
 * SIGINT, or after --seconds (default 60) so that a test that dies cannot
 * leave it behind for long.  Built for make check only.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "localsrv.h"

static volatile sig_atomic_t	 sink_done;

static void
sink_stop(int signo)
{
	(void)signo;
	sink_done = 1;
}

static int
sink_usage(void)
{
	fprintf(stderr, "usage: http-sink --ports FILE --http-out FILE "
	    "--smtp-out FILE [--fail N] [--seconds N]\n");
	return 2;
}

/* Append the records from *seen on to path. */
static int
sink_drain(struct localsrv *s, const char *path, int *seen, bool http)
{
	static char	 buf[LOCALSRV_RECORD_MAX];
	FILE		*f;
	int		 ok;

	if (localsrv_received(s) <= *seen)
		return 0;
	if ((f = fopen(path, "a")) == NULL)
		return -1;
	while (localsrv_record(s, *seen, buf, sizeof buf, &ok) == 0) {
		fprintf(f, "--- %s\n%s\n", http ? (ok ? "200" : "500") :
		    "mail", buf);
		(*seen)++;
	}
	return fclose(f);
}

int
main(int argc, char **argv)
{
	const char		*ports = NULL, *hout = NULL, *sout = NULL;
	struct localsrv		*http, *smtp;
	struct sigaction	 sa;
	struct timespec		 nap = { 0, 50000000 };
	char			 tmp[4096];
	FILE			*f;
	long			 fail = 0, seconds = 60;
	int			 hseen = 0, sseen = 0;

	for (int i = 1; i < argc; i++) {
		if (i + 1 == argc)
			return sink_usage();
		if (strcmp(argv[i], "--ports") == 0)
			ports = argv[++i];
		else if (strcmp(argv[i], "--http-out") == 0)
			hout = argv[++i];
		else if (strcmp(argv[i], "--smtp-out") == 0)
			sout = argv[++i];
		else if (strcmp(argv[i], "--fail") == 0)
			fail = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = strtol(argv[++i], NULL, 10);
		else
			return sink_usage();
	}
	if (ports == NULL || hout == NULL || sout == NULL || fail < 0 ||
	    seconds < 1)
		return sink_usage();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = sink_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((http = localsrv_http((int)fail)) == NULL ||
	    (smtp = localsrv_smtp()) == NULL) {
		fprintf(stderr, "http-sink: cannot listen on 127.0.0.1\n");
		return 1;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp", ports);
	if ((f = fopen(tmp, "w")) == NULL) {
		perror(tmp);
		return 1;
	}
	fprintf(f, "http %d\nsmtp %d\n", localsrv_port(http),
	    localsrv_port(smtp));
	if (fclose(f) != 0 || rename(tmp, ports) != 0) {
		perror(ports);
		return 1;
	}
	for (long t = 0; !sink_done && t < seconds * 20; t++) {
		if (sink_drain(http, hout, &hseen, true) == -1 ||
		    sink_drain(smtp, sout, &sseen, false) == -1) {
			perror("http-sink");
			break;
		}
		nanosleep(&nap, NULL);
	}
	sink_drain(http, hout, &hseen, true);
	sink_drain(smtp, sout, &sseen, false);
	localsrv_free(http);
	localsrv_free(smtp);
	return 0;
}
