/*
 * ctl-peer.c -- the other ends of a control socket for tests/cli/ctl.sh:
 * clients that connect and never say a word, and a listener that pretends
 * to be a session.
 *
 *	ctl-peer hold PATH N
 *	ctl-peer serve PATH
 *
 * hold connects N times to PATH, prints "holding N" once every connection
 * is made, and keeps them all open and silent until it is killed.  serve
 * listens on PATH, prints "listening", takes one connection, prints each
 * line it receives as "received: LINE" and answers it as a session that
 * has just killed would ("KILLED", status 0); it ends when that client
 * has gone.  Both end by themselves after 60 s, so that a test that dies
 * cannot leave them behind for long.  Built for make check only.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PEER_SECONDS	60

static int
peer_usage(void)
{
	fprintf(stderr, "usage: ctl-peer hold PATH N | serve PATH\n");
	return 2;
}

static int
peer_address(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun->sun_path) {
		fprintf(stderr, "ctl-peer: %s: path too long\n", path);
		return -1;
	}
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

static int
peer_hold(const char *path, const char *count)
{
	struct sockaddr_un	 sun;
	char			*end;
	long			 n = strtol(count, &end, 10);
	int			 fd;

	if (*count == '\0' || *end != '\0' || n < 0 || n > 1000)
		return peer_usage();
	if (peer_address(path, &sun) == -1)
		return 1;
	for (long i = 0; i < n; i++) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
		    connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
			fprintf(stderr, "ctl-peer: connection %ld to %s: %s\n",
			    i + 1, path, strerror(errno));
			return 1;
		}
	}
	printf("holding %ld\n", n);
	fflush(stdout);
	for (;;)
		pause();
}

/* Print each whole line of buf (n bytes) and answer it; returns the rest. */
static size_t
peer_lines(int fd, char *buf, size_t n)
{
	static const char	 answer[] = "KILLED\n\0040\n";
	char			*nl;

	while ((nl = memchr(buf, '\n', n)) != NULL) {
		*nl = '\0';
		printf("received: %s\n", buf);
		fflush(stdout);
		(void)!write(fd, answer, sizeof answer - 1);
		n -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, n);
	}
	return n;
}

static int
peer_serve(const char *path)
{
	struct sockaddr_un	 sun;
	char			 buf[1024];
	size_t			 n = 0;
	ssize_t			 got;
	int			 lfd, fd;

	if (peer_address(path, &sun) == -1)
		return 1;
	if ((lfd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(lfd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    listen(lfd, 4) == -1) {
		fprintf(stderr, "ctl-peer: %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	if ((fd = accept(lfd, NULL, NULL)) == -1) {
		fprintf(stderr, "ctl-peer: accept: %s\n", strerror(errno));
		return 1;
	}
	while ((got = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n = peer_lines(fd, buf, n + (size_t)got);
	close(fd);
	close(lfd);
	unlink(path);
	return 0;
}

int
main(int argc, char **argv)
{
	alarm(PEER_SECONDS);
	if (argc == 4 && strcmp(argv[1], "hold") == 0)
		return peer_hold(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		return peer_serve(argv[2]);
	return peer_usage();
}
