/*
 * notify-peer.c -- the service manager's end of the notify socket for
 * tests/cli/notify.sh: a datagram socket that prints what a session tells
 * it.
 *
 *	notify-peer PATH
 *
 * binds an AF_UNIX datagram socket at PATH ("@NAME" for the abstract
 * namespace), prints "listening", then each datagram on a line of its
 * own, its newlines shown as '|' ("READY=1|STATUS=trading").  On SIGTERM
 * it prints the datagrams still queued and ends; it ends by itself after
 * 120 s, so that a test that dies cannot leave it behind for long.  Built
 * for make check only.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PEER_SECONDS	120

static volatile sig_atomic_t	 peer_term;

static void
peer_on_term(int signo)
{
	(void)signo;
	peer_term = 1;
}

static int
peer_bind(const char *name)
{
	struct sockaddr_un	 sun;
	size_t			 len = strlen(name);
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (len < 2 || len >= sizeof sun.sun_path) {
		fprintf(stderr, "notify-peer: %s: bad name\n", name);
		return -1;
	}
	memcpy(sun.sun_path, name, len);
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	else
		len++;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) == -1) {
		fprintf(stderr, "notify-peer: %s: %s\n", name, strerror(errno));
		return -1;
	}
	return fd;
}

/* Print every datagram queued now; -1 on an error. */
static int
peer_drain(int fd)
{
	char	 buf[4096];
	ssize_t	 n;

	while ((n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT)) >= 0) {
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\n')
				buf[i] = '|';
		printf("%.*s\n", (int)n, buf);
	}
	fflush(stdout);
	return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct sigaction	 sa;
	struct pollfd		 pfd;
	sigset_t		 block, none;
	int			 fd;

	if (argc != 2) {
		fprintf(stderr, "usage: notify-peer PATH\n");
		return 2;
	}
	alarm(PEER_SECONDS);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = peer_on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	/* SIGTERM only inside ppoll: none is missed between two waits. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&none);
	if ((fd = peer_bind(argv[1])) == -1)
		return 1;
	printf("listening\n");
	fflush(stdout);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	while (!peer_term) {
		if (ppoll(&pfd, 1, NULL, &none) == -1 && errno != EINTR)
			break;
		if (peer_drain(fd) == -1)
			break;
	}
	peer_drain(fd);
	close(fd);
	if (argv[1][0] != '@')
		unlink(argv[1]);
	return 0;
}
