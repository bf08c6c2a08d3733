/*
 * fixcp-ctl.c -- drive the FIX test counterparty from C (fixcp-ctl.h).
 *
 * Owns the child process and the two pipes to it.  The port is drawn at
 * random from the ephemeral range and the counterparty says whether it
 * could listen there ("ready port N", or exit status 3 when the port is
 * taken, and another is tried).
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixcp-ctl.h"

const char *
fixcp_path(void)
{
#ifdef FIXCP_PATH
	return access(FIXCP_PATH, X_OK) == 0 ? FIXCP_PATH : NULL;
#else
	return NULL;
#endif
}

static pid_t
fixcp_spawn(struct fixcp *cp, int port, const char *const *extra, int *to,
    int *from)
{
	const char	*argv[32];
	char		 sport[16];
	int		 in[2], out[2], n = 0;
	pid_t		 pid;

	if (pipe(in) == -1 || pipe(out) == -1)
		return -1;
	snprintf(sport, sizeof sport, "%d", port);
	argv[n++] = fixcp_path();
	argv[n++] = "--port";
	argv[n++] = sport;
	argv[n++] = "--store";
	argv[n++] = cp->dir;
	for (int i = 0; extra != NULL && extra[i] != NULL && n < 31; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	*to = in[1];
	*from = out[0];
	return pid;
}

int
fixcp_start(struct fixcp *cp, const char *const *extra)
{
	unsigned	 seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	int		 to, from, status;

	if (fixcp_path() == NULL)
		return -1;
	if (cp->dir[0] == '\0') {
		snprintf(cp->dir, sizeof cp->dir, "/tmp/td-fixcp-XXXXXX");
		if (mkdtemp(cp->dir) == NULL)
			return -1;
	}
	for (int tries = 0; tries < 20; tries++) {
		int	 port = 20000 + (int)(rand_r(&seed) % 30000);

		if ((cp->pid = fixcp_spawn(cp, port, extra, &to, &from)) == -1)
			return -1;
		cp->in = fdopen(to, "w");
		cp->out = fdopen(from, "r");
		if (fgets(cp->reply, sizeof cp->reply, cp->out) != NULL &&
		    strncmp(cp->reply, "ready port ", 11) == 0) {
			const char *em = strstr(cp->reply, " emergency ");

			cp->port = atoi(cp->reply + 11);
			cp->em_port = em != NULL ? atoi(em + 11) : 0;
			return 0;
		}
		fclose(cp->in);
		fclose(cp->out);
		waitpid(cp->pid, &status, 0);
		cp->pid = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 3)
			return -1;	/* not a port taken: give up */
	}
	return -1;
}

int
fixcp_cmd(struct fixcp *cp, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 n;

	va_start(ap, fmt);
	vfprintf(cp->in, fmt, ap);
	va_end(ap);
	fputc('\n', cp->in);
	fflush(cp->in);
	if (fgets(cp->reply, sizeof cp->reply, cp->out) == NULL) {
		snprintf(cp->reply, sizeof cp->reply, "error: no answer (the "
		    "counterparty ended)");
		return -1;
	}
	n = strlen(cp->reply);
	if (n > 0 && cp->reply[n - 1] == '\n')
		cp->reply[n - 1] = '\0';
	return strncmp(cp->reply, "ok", 2) == 0 ? 0 : -1;
}

void
fixcp_stop(struct fixcp *cp)
{
	int	 status;

	if (cp->pid <= 0)
		return;
	fclose(cp->in);
	fclose(cp->out);
	/* A guard only: it ends at EOF, at once. */
	for (int i = 0; i < 1000; i++) {
		if (waitpid(cp->pid, &status, WNOHANG) != 0) {
			cp->pid = 0;
			return;
		}
		usleep(10000);
	}
	kill(cp->pid, SIGKILL);
	waitpid(cp->pid, &status, 0);
	cp->pid = 0;
}
