/*
 * replay.c -- main() for a fuzz harness built without libFuzzer: feed it
 * every file of its corpus (tests/fuzz/corpus/NAME for the program
 * replay-NAME, or the directories and files given), in name order.  This
 * is how `make check` keeps every input that ever crashed a parser, and
 * every seed, as a regression test -- under the sanitizers too.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int
replay_file(const char *path)
{
	struct stat	 sb;
	uint8_t		*buf;
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &sb) == -1) {
		perror(path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	n = (size_t)sb.st_size;
	/* The fuzzer's inputs are never NULL; one byte more keeps it so. */
	if ((buf = malloc(n + 1)) == NULL || fread(buf, 1, n, f) != n) {
		fprintf(stderr, "%s: read error\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every regular file of dir; the count, or -1. */
static int
replay_dir(const char *dir)
{
	struct dirent	**de;
	char		  path[4096];
	int		  n, done = 0;

	if ((n = scandir(dir, &de, NULL, by_name)) == -1) {
		perror(dir);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct stat	 sb;

		snprintf(path, sizeof path, "%s/%s", dir, de[i]->d_name);
		if (de[i]->d_name[0] != '.' && stat(path, &sb) == 0 &&
		    S_ISREG(sb.st_mode)) {
			if (replay_file(path) == -1)
				done = -1;
			else if (done != -1)
				done++;
		}
		free(de[i]);
	}
	free(de);
	return done;
}

int
main(int argc, char **argv)
{
	const char	*base, *srcdir = getenv("srcdir");
	char		 dir[4096];
	int		 n, total = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			struct stat	 sb;

			if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
				n = replay_dir(argv[i]);
			else
				n = replay_file(argv[i]) == 0 ? 1 : -1;
			if (n == -1)
				return 1;
			total += n;
		}
		printf("%s: %d inputs\n", argv[0], total);
		return 0;
	}
	base = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 :
	    argv[0];
	if (strncmp(base, "replay-", 7) != 0) {
		fprintf(stderr, "usage: replay-NAME [FILE | DIR]...\n");
		return 2;
	}
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s",
	    srcdir != NULL ? srcdir : ".", base + 7);
	if ((n = replay_dir(dir)) < 1) {
		fprintf(stderr, "%s: no corpus in %s\n", base, dir);
		return 1;
	}
	printf("%s: %d inputs from %s\n", base, n, dir);
	return 0;
}
