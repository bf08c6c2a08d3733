/*
 * fuzz-settings.c -- the configuration loader and validator
 * (src/settings.h): the input is a tickdesk.cfg.  A file that loads must
 * print (settings_print) as a file that loads again and prints the same
 * (but for the first line, which names the file): the printed
 * configuration is what `config check` shows a person.
 */
#include "settings.h"

#include "fuzz.h"

static struct settings	 st, again;
static char		 errors[8192];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_tmpdir();
	return 0;
}

/* The printed settings, as text in buf; the length, or -1. */
static long
print_to(const struct settings *s, const char *path, char *buf, size_t len)
{
	FILE	*f = fopen(path, "w+");
	long	 n;

	if (f == NULL)
		abort();
	if (settings_print(f, s) == -1 || fflush(f) != 0)
		abort();
	rewind(f);
	n = (long)fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 a[65536], b[65536];
	char		 path[512], printed[512], *pa, *pb;
	long		 na, nb;

	fuzz_path(path, sizeof path, "tickdesk.cfg");
	fuzz_path(printed, sizeof printed, "printed.cfg");
	fuzz_write(path, data, size);
	if (settings_load(path, &st, errors, sizeof errors) == 0) {
		na = print_to(&st, printed, a, sizeof a);
		if (settings_load(printed, &again, errors, sizeof errors) != 0) {
			fprintf(stderr, "fuzz-settings: the printed "
			    "configuration does not load:\n%s\n%s", errors, a);
			abort();
		}
		nb = print_to(&again, printed, b, sizeof b);
		/* The first line names the file it came from. */
		pa = strchr(a, '\n');
		pb = strchr(b, '\n');
		if (pa == NULL || pb == NULL || na - (pa - a) != nb - (pb - b) ||
		    strcmp(pa, pb) != 0) {
			fprintf(stderr, "fuzz-settings: printed twice, "
			    "different:\n%s\n----\n%s", a, b);
			abort();
		}
		unlink(printed);
	}
	unlink(path);
	return 0;
}
