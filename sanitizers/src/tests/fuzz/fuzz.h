/*
 * fuzz.h -- what the fuzz harnesses share.
 *
 * Each tests/fuzz/fuzz-NAME.c is one libFuzzer harness for one parser of
 * outside input: it defines LLVMFuzzerTestOneInput (and
 * LLVMFuzzerInitialize).  `make fuzz` builds them with clang
 * -fsanitize=fuzzer,address,undefined and runs each for FUZZ_SECONDS over
 * its seed corpus, tests/fuzz/corpus/NAME/.  `make check` builds the same
 * files with the ordinary compiler and replay.c as main(), and feeds them
 * every file of the corpus: an input that once crashed, saved there, stays
 * a regression test.
 *
 * A harness must be deterministic and free everything it allocates (the
 * fuzzer reports leaks).  Inputs that need a file are written into one
 * temporary directory per process, removed at exit.
 */
#ifndef TD_FUZZ_H
#define TD_FUZZ_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv);

/* The process's scratch directory ("" until made). */
static inline char *
fuzz_dir(void)
{
	static char	 path[256];

	return path;
}

static inline void
fuzz_cleanup(void)
{
	rmdir(fuzz_dir());
}

/* The scratch directory, made on first use. */
static inline const char *
fuzz_tmpdir(void)
{
	const char	*t = getenv("TMPDIR");
	char		*dir = fuzz_dir();

	if (dir[0] != '\0')
		return dir;
	snprintf(dir, 256, "%s/tickdesk-fuzz.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	atexit(fuzz_cleanup);
	return dir;
}

/* A file of the scratch directory, name in buf. */
static inline const char *
fuzz_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", fuzz_tmpdir(), name);
	return buf;
}

/* Write data to path (replacing it); aborts when the disk is the problem. */
static inline void
fuzz_write(const char *path, const uint8_t *data, size_t size)
{
	int	 fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t	 got;

	if (fd == -1) {
		perror(path);
		abort();
	}
	while (size > 0) {
		if ((got = write(fd, data, size)) == -1 && errno == EINTR)
			continue;
		if (got <= 0) {
			perror(path);
			abort();
		}
		data += got;
		size -= (size_t)got;
	}
	close(fd);
}

#endif
