/*
 * cdp-page.c -- a live page in headless chromium, for tests/cli/monitor.sh:
 *
 *	cdp-page [--wait TEXT]... [--dom FILE] [--shot PNG] [--size WxH]
 *	    [--seconds N] [--profile DIR] URL
 *
 * A page that keeps a stream open (server-sent events) never lets
 * chromium's --dump-dom or --virtual-time-budget finish, so this drives
 * the browser over the DevTools protocol on a pipe (--remote-debugging-
 * pipe: commands on its fd 3, answers on its fd 4, each message a JSON
 * text ended by a NUL): it opens URL, reads the page's visible text
 * (document.body.innerText) every 200 ms until every TEXT is in it or
 * N seconds (default 30) have passed, then writes the page's HTML as its
 * scripts left it to FILE and a screenshot to PNG.  Exit 0 when every
 * TEXT was seen, 1 when not (the page and screenshot are written all the
 * same), 2 when the browser could not be driven.  CHROMIUM names the
 * browser (default: chromium).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MAX	16

static int	 to_browser = -1, from_browser = -1;
static pid_t	 browser;
static char	*inbuf;
static size_t	 inlen, incap;
static int	 next_id = 1;

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fputs("cdp-page: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (browser > 0)
		kill(browser, SIGKILL);
	exit(2);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The next whole message from the browser (NUL ended, in inbuf). */
static char *
read_message(size_t *used)
{
	char	*end;

	for (;;) {
		if (inlen > 0 && (end = memchr(inbuf, '\0', inlen)) != NULL) {
			*used = (size_t)(end - inbuf) + 1;
			return inbuf;
		}
		if (inlen + 65536 > incap) {
			char	*more = realloc(inbuf, incap * 2 + 65536);

			if (more == NULL)
				die("out of memory");
			inbuf = more;
			incap = incap * 2 + 65536;
		}
		ssize_t	 r = read(from_browser, inbuf + inlen, incap - inlen);

		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			die("the browser went away");
		inlen += (size_t)r;
	}
}

static void
drop_message(size_t used)
{
	memmove(inbuf, inbuf + used, inlen - used);
	inlen -= used;
}

/*
 * Send a command (params a JSON object, session "" for the browser's)
 * and wait for its answer, copied into a string the caller frees.
 */
static int
send_cmd(const char *session, const char *method, const char *params)
{
	char	*msg;
	int	 id = next_id++, n;

	n = asprintf(&msg, "{\"id\":%d,%s%s%s\"method\":\"%s\",\"params\":%s}",
	    id, *session != '\0' ? "\"sessionId\":\"" : "", session,
	    *session != '\0' ? "\"," : "", method, params);
	if (n < 0)
		die("out of memory");
	for (size_t off = 0; off < (size_t)n + 1;) {
		ssize_t	 w = write(to_browser, msg + off, (size_t)n + 1 - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			die("cannot write to the browser");
		off += (size_t)w;
	}
	free(msg);
	return id;
}

static char *
call(const char *session, const char *method, const char *params)
{
	char	*reply, prefix[32];
	size_t	 used;
	int	 id = send_cmd(session, method, params);

	snprintf(prefix, sizeof prefix, "{\"id\":%d,", id);
	for (;;) {
		char	*m = read_message(&used);

		if (strncmp(m, prefix, strlen(prefix)) == 0) {
			if (strstr(m, "\"error\":{") != NULL &&
			    strstr(m, "\"result\":") == NULL)
				die("%s: %s", method, m);
			if ((reply = strdup(m)) == NULL)
				die("out of memory");
			drop_message(used);
			return reply;
		}
		drop_message(used);
	}
}

static void
put_utf8(char **o, unsigned cp)
{
	unsigned char	*p = (unsigned char *)*o;

	if (cp < 0x80)
		*p++ = (unsigned char)cp;
	else if (cp < 0x800) {
		*p++ = (unsigned char)(0xc0 | cp >> 6);
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (unsigned char)(0xe0 | cp >> 12);
		*p++ = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (unsigned char)(0xf0 | cp >> 18);
		*p++ = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = (char *)p;
}

/* The string value of "key" in a message, unescaped; NULL when none. */
static char *
json_get(const char *msg, const char *key)
{
	char		 pat[64], *out, *o;
	const char	*p;

	snprintf(pat, sizeof pat, "\"%s\":\"", key);
	if ((p = strstr(msg, pat)) == NULL)
		return NULL;
	p += strlen(pat);
	if ((out = o = malloc(strlen(p) + 1)) == NULL)
		die("out of memory");
	for (; *p != '\0' && *p != '"'; p++) {
		unsigned	 cp, lo;

		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case 'n':
			*o++ = '\n';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'u':
			if (sscanf(p + 1, "%4x", &cp) != 1)
				die("bad \\u in %s", key);
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && p[1] == '\\' &&
			    p[2] == 'u' && sscanf(p + 3, "%4x", &lo) == 1) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			}
			put_utf8(&o, cp);
			break;
		case '\0':
			p--;
			break;
		default:
			*o++ = *p;
			break;
		}
	}
	*o = '\0';
	return out;
}

/* s as the inside of a JSON string (quotes and backslashes escaped). */
static char *
json_quote(const char *s)
{
	char	*out = malloc(strlen(s) * 2 + 1), *o = out;

	if (out == NULL)
		die("out of memory");
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static char *
evaluate(const char *session, const char *expr)
{
	char	*params, *reply, *value;

	if (asprintf(&params, "{\"expression\":\"%s\",\"returnByValue\":true}",
	    expr) < 0)
		die("out of memory");
	reply = call(session, "Runtime.evaluate", params);
	free(params);
	value = json_get(reply, "value");
	free(reply);
	return value != NULL ? value : strdup("");
}

static void
write_file(const char *path, const unsigned char *p, size_t n)
{
	FILE	*f = fopen(path, "wb");

	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		die("%s: %s", path, strerror(errno));
}

/* Base64 text into bytes, in place; the number of bytes. */
static size_t
base64_decode(char *s)
{
	static const char	 abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char		*o = (unsigned char *)s;
	unsigned		 acc = 0;
	int			 bits = 0;

	for (const char *p = s; *p != '\0' && *p != '='; p++) {
		const char	*k = strchr(abc, *p);

		if (k == NULL)
			continue;
		acc = acc << 6 | (unsigned)(k - abc);
		if ((bits += 6) >= 8) {
			bits -= 8;
			*o++ = (unsigned char)(acc >> bits & 0xff);
		}
	}
	return (size_t)(o - (unsigned char *)s);
}

static void
start_browser(const char *profile, int w, int h)
{
	const char	*bin = getenv("CHROMIUM");
	char		 dir[1100], size[64];
	int		 in[2], out[2];

	if (bin == NULL || *bin == '\0')
		bin = "chromium";
	snprintf(dir, sizeof dir, "--user-data-dir=%s", profile);
	snprintf(size, sizeof size, "--window-size=%d,%d", w, h);
	if (pipe(in) == -1 || pipe(out) == -1)
		die("pipe: %s", strerror(errno));
	if ((browser = fork()) == -1)
		die("fork: %s", strerror(errno));
	if (browser == 0) {
		/* Its fd 3 reads our commands, its fd 4 writes to us. */
		int	 a = dup(in[0]), b = dup(out[1]);

		if (a == -1 || b == -1 || dup2(a, 3) == -1 ||
		    dup2(b, 4) == -1)
			_exit(127);
		for (int fd = 5; fd < 64; fd++)
			close(fd);
		execlp(bin, bin, "--headless", "--no-sandbox", "--disable-gpu",
		    "--no-first-run", "--disable-extensions",
		    "--remote-debugging-pipe", dir, size, "about:blank",
		    (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	to_browser = in[1];
	from_browser = out[0];
}

static bool
all_seen(const char *text, char **want, int nwant)
{
	for (int i = 0; i < nwant; i++) {
		if (strstr(text, want[i]) == NULL)
			return false;
	}
	return true;
}

int
main(int argc, char **argv)
{
	char		*want[WAIT_MAX], *dom = NULL, *shot = NULL, *url;
	char		*reply, *target, *session, *text = NULL, *params, *q;
	const char	*profile = "./cdp-profile";
	double		 seconds = 30, until;
	int		 nwant = 0, w = 1280, h = 900, opt, status;
	bool		 seen = false;

	signal(SIGPIPE, SIG_IGN);
	for (opt = 1; opt + 1 < argc && strncmp(argv[opt], "--", 2) == 0;
	    opt += 2) {
		if (strcmp(argv[opt], "--wait") == 0 && nwant < WAIT_MAX)
			want[nwant++] = argv[opt + 1];
		else if (strcmp(argv[opt], "--dom") == 0)
			dom = argv[opt + 1];
		else if (strcmp(argv[opt], "--shot") == 0)
			shot = argv[opt + 1];
		else if (strcmp(argv[opt], "--size") == 0 &&
		    sscanf(argv[opt + 1], "%dx%d", &w, &h) == 2)
			continue;
		else if (strcmp(argv[opt], "--seconds") == 0)
			seconds = atof(argv[opt + 1]);
		else if (strcmp(argv[opt], "--profile") == 0)
			profile = argv[opt + 1];
		else
			die("usage: cdp-page [--wait TEXT]... [--dom FILE] "
			    "[--shot PNG] [--size WxH] [--seconds N] "
			    "[--profile DIR] URL");
	}
	if (opt != argc - 1)
		die("usage: cdp-page [options] URL");
	url = json_quote(argv[opt]);
	start_browser(profile, w, h);

	reply = call("", "Target.createTarget", "{\"url\":\"about:blank\"}");
	if ((target = json_get(reply, "targetId")) == NULL)
		die("no target: %s", reply);
	free(reply);
	if (asprintf(&params, "{\"targetId\":\"%s\",\"flatten\":true}",
	    target) < 0)
		die("out of memory");
	reply = call("", "Target.attachToTarget", params);
	free(params);
	if ((session = json_get(reply, "sessionId")) == NULL)
		die("no session: %s", reply);
	free(reply);
	if (asprintf(&params, "{\"width\":%d,\"height\":%d,"
	    "\"deviceScaleFactor\":1,\"mobile\":false}", w, h) < 0)
		die("out of memory");
	free(call(session, "Emulation.setDeviceMetricsOverride", params));
	free(params);
	if (asprintf(&params, "{\"url\":\"%s\"}", url) < 0)
		die("out of memory");
	free(call(session, "Page.navigate", params));
	free(params);

	for (until = now() + seconds; !seen && now() < until;) {
		struct timespec	 nap = { 0, 200000000 };

		free(text);
		text = evaluate(session, "document.body ? "
		    "document.body.innerText : ''");
		if (!(seen = all_seen(text, want, nwant)))
			nanosleep(&nap, NULL);
	}
	if (!seen) {
		fprintf(stderr, "cdp-page: after %.0f s the page lacks",
		    seconds);
		for (int i = 0; i < nwant; i++) {
			if (text == NULL || strstr(text, want[i]) == NULL)
				fprintf(stderr, " '%s'", want[i]);
		}
		fputc('\n', stderr);
	}
	if (dom != NULL) {
		q = evaluate(session, "document.documentElement.outerHTML");
		write_file(dom, (unsigned char *)q, strlen(q));
		free(q);
	}
	if (shot != NULL) {
		reply = call(session, "Page.captureScreenshot",
		    "{\"format\":\"png\"}");
		if ((q = json_get(reply, "data")) == NULL)
			die("no screenshot");
		write_file(shot, (unsigned char *)q, base64_decode(q));
		free(q);
		free(reply);
	}
	send_cmd("", "Browser.close", "{}");
	close(to_browser);
	for (int i = 0; i < 100; i++) {
		struct timespec	 nap = { 0, 50000000 };

		if (waitpid(browser, &status, WNOHANG) == browser) {
			browser = 0;
			break;
		}
		nanosleep(&nap, NULL);
	}
	if (browser > 0) {
		kill(browser, SIGKILL);
		waitpid(browser, &status, 0);
	}
	free(text);
	free(url);
	free(target);
	free(session);
	free(inbuf);
	return seen ? 0 : 1;
}
