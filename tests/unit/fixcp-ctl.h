/*
 * fixcp-ctl.h -- the FIX test counterparty (tests/fix/fixcp) from a C
 * test: start it on a free loopback port, give it commands on its
 * standard input and read its one-line answers, stop it.
 *
 * Every command waits for its answer (the counterparty answers once the
 * command has taken effect), so a test never sleeps to let it act.
 */
#ifndef TD_TEST_FIXCP_CTL_H
#define TD_TEST_FIXCP_CTL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct fixcp {
	pid_t		 pid;
	int		 port;
	int		 em_port;	/* --emergency-port: its port */
	FILE		*in;		/* its standard input */
	FILE		*out;		/* its standard output */
	char		 dir[64];	/* its store and logs */
	char		 reply[4096];	/* the last answer */
};

/*
 * Start the counterparty (extra: more arguments, NULL-ended, may be
 * NULL), keeping its store in cp->dir (made when empty).  Returns 0, or
 * -1 when it could not be started (the test then says why and fails).
 */
int	fixcp_start(struct fixcp *cp, const char *const *extra);
/* The command's answer; 0 when it begins with "ok". */
int	fixcp_cmd(struct fixcp *cp, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Stop it (EOF on its input, then wait); the store stays. */
void	fixcp_stop(struct fixcp *cp);
/* The path of the program, or NULL when it was not built. */
const char *fixcp_path(void);

#endif
