/*
 * alert-sink.c -- webhook, e-mail and command sinks for the alert hub
 * (alert-sink.h).
 *
 * Each sink owns what it needs for its sends (a libcurl easy handle, the
 * recipients, the command), made when it is added; a send runs on the
 * sink's own hub thread, so the handle is never shared and the engine
 * never waits for a network.  libcurl runs without signals (the program
 * is threaded) and with a progress callback that abandons a transfer as
 * soon as the hub stops.  Response bodies are read and thrown away: a sink
 * never writes to the terminal.
 *
 * Time: libcurl times its transfers itself; the command sink times its
 * command on a clock it is given, the monotonic clock unless a test
 * passes its own (alert_sink_command_clock).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "alert-sink.h"
#include "errmsg.h"

extern char	**environ;

/* ---------------------------------------------------------------- common */

static size_t
sink_discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static int
sink_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	const atomic_bool	*stop = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return stop != NULL && atomic_load(stop) ? 1 : 0;
}

/* A handle with what every transfer of a sink shares. */
static CURL *
sink_curl(const char *url, td_ns timeout, char *errbuf, struct errmsg *err)
{
	CURL	*c;
	long	 ms = (long)(timeout / 1000000);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		errmsg_set(err, "alerts: libcurl cannot start");
		return NULL;
	}
	if ((c = curl_easy_init()) == NULL) {
		curl_global_cleanup();
		errmsg_set(err, "alerts: libcurl cannot start");
		return NULL;
	}
	if (ms <= 0)
		ms = 10000;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ms);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_discard);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, sink_progress);
	return c;
}

static void
sink_curl_free(CURL *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c);
	curl_global_cleanup();
}

/* The reason of a failed transfer, without the URL. */
static void
sink_curl_why(CURLcode rc, const char *errbuf, const atomic_bool *stop,
    char *why, size_t n)
{
	if (rc == CURLE_ABORTED_BY_CALLBACK && atomic_load(stop))
		snprintf(why, n, "abandoned: the session is ending");
	else if (errbuf[0] != '\0')
		snprintf(why, n, "%s", errbuf);
	else
		snprintf(why, n, "%s", curl_easy_strerror(rc));
}

/* ---------------------------------------------------------------- webhook */

struct webhook {
	CURL			*curl;
	struct curl_slist	*headers;
	char			 errbuf[CURL_ERROR_SIZE];
	char			 body[2048];
};

/* Append s to buf as the inside of a JSON string; -1 when full. */
static int
json_string(char *buf, size_t len, size_t *off, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";

	for (; *s != '\0'; s++) {
		unsigned char	 ch = (unsigned char)*s;
		char		 esc[7];
		size_t		 k = 0;

		if (ch == '"' || ch == '\\') {
			esc[k++] = '\\';
			esc[k++] = (char)ch;
		} else if (ch < 0x20) {
			memcpy(esc, "\\u00", 4);
			k = 4;
			esc[k++] = hex[ch >> 4];
			esc[k++] = hex[ch & 15];
		} else
			esc[k++] = (char)ch;
		if (*off + k + 1 > len)
			return -1;
		memcpy(buf + *off, esc, k);
		*off += k;
	}
	buf[*off] = '\0';
	return 0;
}

static int
json_raw(char *buf, size_t len, size_t *off, const char *s)
{
	size_t	 k = strlen(s);

	if (*off + k + 1 > len)
		return -1;
	memcpy(buf + *off, s, k + 1);
	*off += k;
	return 0;
}

int
alert_sink_json(const struct alert *a, char *buf, size_t len)
{
	char	 line[ALERT_TEXT_MAX + 128];
	size_t	 off = 0;

	alert_format(a, line, sizeof line);
	if (len == 0 ||
	    json_raw(buf, len, &off, "{\"text\": \"") == -1 ||
	    json_string(buf, len, &off, line) == -1 ||
	    json_raw(buf, len, &off, "\", \"content\": \"") == -1 ||
	    json_string(buf, len, &off, line) == -1 ||
	    json_raw(buf, len, &off, "\"}") == -1)
		return -1;
	return 0;
}

static int
webhook_send(void *ctx, const struct alert *a, const atomic_bool *stop,
    char *why, size_t n)
{
	struct webhook	*w = ctx;
	CURLcode	 rc;
	long		 code = 0;

	if (alert_sink_json(a, w->body, sizeof w->body) == -1) {
		snprintf(why, n, "alert too long for the webhook");
		return -2;
	}
	w->errbuf[0] = '\0';
	curl_easy_setopt(w->curl, CURLOPT_POSTFIELDS, w->body);
	curl_easy_setopt(w->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(w->body));
	curl_easy_setopt(w->curl, CURLOPT_XFERINFODATA,
	    (void *)(uintptr_t)stop);
	if ((rc = curl_easy_perform(w->curl)) != CURLE_OK) {
		sink_curl_why(rc, w->errbuf, stop, why, n);
		return -1;
	}
	curl_easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 200 && code < 300)
		return 0;
	snprintf(why, n, "HTTP %ld", code);
	return code == 408 || code == 429 || code >= 500 ? -1 : -2;
}

static void
webhook_free(void *ctx)
{
	struct webhook	*w = ctx;

	if (w == NULL)
		return;
	curl_slist_free_all(w->headers);
	sink_curl_free(w->curl);
	free(w);
}

static const struct alert_sink_ops webhook_ops = {
	.name = "webhook",
	.send = webhook_send,
	.free = webhook_free,
};

int
alert_sink_webhook(struct alert_hub *h, const char *url,
    enum alert_severity min, struct errmsg *err)
{
	struct webhook	*w;

	if (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0)
		return errmsg_set(err, "alerts: webhook url must start with "
		    "http:// or https://");
	if ((w = calloc(1, sizeof *w)) == NULL)
		return errmsg_set(err, "alerts: out of memory");
	if ((w->curl = sink_curl(url, alert_config(h)->timeout, w->errbuf,
	    err)) == NULL) {
		free(w);
		return -1;
	}
	w->headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	if (w->headers == NULL) {
		webhook_free(w);
		return errmsg_set(err, "alerts: out of memory");
	}
	curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, w->headers);
	curl_easy_setopt(w->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(w->curl, CURLOPT_USERAGENT, "tickdesk");
	return alert_add_sink(h, "webhook", &webhook_ops, w, min, err);
}

/* ---------------------------------------------------------------- e-mail */

struct email {
	CURL			*curl;
	struct curl_slist	*rcpt;
	char			 errbuf[CURL_ERROR_SIZE];
	char			 from[256];
	char			 to[512];
	char			 host[64];
	char			 msg[4096];
	size_t			 len;
	size_t			 off;
};

static size_t
email_read(char *p, size_t size, size_t n, void *arg)
{
	struct email	*m = arg;
	size_t		 want = size * n, left = m->len - m->off;

	if (want > left)
		want = left;
	memcpy(p, m->msg + m->off, want);
	m->off += want;
	return want;
}

/* "2026-11-21T09:30:00Z" and "Sat, 21 Nov 2026 09:30:00 +0000". */
static void
sink_times(td_ns t, char *iso, size_t ilen, char *rfc, size_t rlen)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t		 s = (time_t)(t / TD_NS_PER_SEC);
	struct tm	 tm;

	gmtime_r(&s, &tm);
	if (iso != NULL)
		snprintf(iso, ilen, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	if (rfc != NULL)
		snprintf(rfc, rlen, "%s, %02d %s %04d %02d:%02d:%02d +0000",
		    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int
email_send(void *ctx, const struct alert *a, const atomic_bool *stop,
    char *why, size_t n)
{
	struct email	*m = ctx;
	char		 line[ALERT_TEXT_MAX + 128], iso[80], rfc[80];
	char		 sev[16];
	CURLcode	 rc;
	int		 len;

	alert_format(a, line, sizeof line);
	sink_times(a->time, iso, sizeof iso, rfc, sizeof rfc);
	snprintf(sev, sizeof sev, "%s", alert_severity_name(a->severity));
	for (char *p = sev; *p != '\0'; p++)
		*p = (char)(*p - 'a' + 'A');
	len = snprintf(m->msg, sizeof m->msg,
	    "Date: %s\r\n"
	    "From: %s\r\n"
	    "To: %s\r\n"
	    "Subject: [tickdesk] %s %s\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "\r\n"
	    "%s\r\n"
	    "\r\n"
	    "Raised at %s on %s.\r\n",
	    rfc, m->from, m->to, sev, alert_event_name(a->event), line, iso,
	    m->host);
	if (len < 0 || (size_t)len >= sizeof m->msg) {
		snprintf(why, n, "alert too long for a message");
		return -2;
	}
	m->len = (size_t)len;
	m->off = 0;
	m->errbuf[0] = '\0';
	curl_easy_setopt(m->curl, CURLOPT_XFERINFODATA,
	    (void *)(uintptr_t)stop);
	if ((rc = curl_easy_perform(m->curl)) != CURLE_OK) {
		sink_curl_why(rc, m->errbuf, stop, why, n);
		/* A refused login or recipient will not work later either. */
		return rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED ?
		    -2 : -1;
	}
	return 0;
}

static void
email_free(void *ctx)
{
	struct email	*m = ctx;

	if (m == NULL)
		return;
	curl_slist_free_all(m->rcpt);
	sink_curl_free(m->curl);
	free(m);
}

static const struct alert_sink_ops email_ops = {
	.name = "email",
	.send = email_send,
	.free = email_free,
};

/* Each address of a comma-separated list, as "<addr>"; -1 when none. */
static int
email_recipients(struct email *m, const char *to, struct errmsg *err)
{
	char	 buf[512], addr[300], *p, *save;
	int	 n = 0;

	snprintf(buf, sizeof buf, "%s", to);
	for (p = strtok_r(buf, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		size_t	 k;

		p += strspn(p, " \t");
		k = strlen(p);
		while (k > 0 && (p[k - 1] == ' ' || p[k - 1] == '\t'))
			p[--k] = '\0';
		if (k == 0)
			continue;
		snprintf(addr, sizeof addr, "<%s>", p);
		if ((m->rcpt = curl_slist_append(m->rcpt, addr)) == NULL)
			return errmsg_set(err, "alerts: out of memory");
		n++;
	}
	if (n == 0)
		return errmsg_set(err, "alerts: email needs at least one "
		    "address in to");
	return 0;
}

int
alert_sink_email(struct alert_hub *h, const struct alert_email_cfg *cfg,
    struct errmsg *err)
{
	struct email	*m;
	char		 url[300], from[300];

	if (cfg->server[0] == '\0' || cfg->from[0] == '\0')
		return errmsg_set(err, "alerts: email needs a server and a "
		    "from address");
	if (strstr(cfg->server, "://") == NULL)
		snprintf(url, sizeof url, "smtp://%s", cfg->server);
	else if (strncmp(cfg->server, "smtp://", 7) == 0 ||
	    strncmp(cfg->server, "smtps://", 8) == 0)
		snprintf(url, sizeof url, "%s", cfg->server);
	else
		return errmsg_set(err, "alerts: email server must be "
		    "smtp://HOST[:PORT] or smtps://HOST[:PORT]");
	if ((m = calloc(1, sizeof *m)) == NULL)
		return errmsg_set(err, "alerts: out of memory");
	snprintf(m->from, sizeof m->from, "%s", cfg->from);
	snprintf(m->to, sizeof m->to, "%s", cfg->to);
	if (gethostname(m->host, sizeof m->host) == -1)
		snprintf(m->host, sizeof m->host, "localhost");
	m->host[sizeof m->host - 1] = '\0';
	if (email_recipients(m, cfg->to, err) == -1 ||
	    (m->curl = sink_curl(url, alert_config(h)->timeout, m->errbuf,
	    err)) == NULL) {
		email_free(m);
		return -1;
	}
	snprintf(from, sizeof from, "<%s>", cfg->from);
	curl_easy_setopt(m->curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(m->curl, CURLOPT_MAIL_RCPT, m->rcpt);
	curl_easy_setopt(m->curl, CURLOPT_READFUNCTION, email_read);
	curl_easy_setopt(m->curl, CURLOPT_READDATA, m);
	curl_easy_setopt(m->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(m->curl, CURLOPT_USE_SSL, cfg->starttls ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (cfg->username[0] != '\0') {
		curl_easy_setopt(m->curl, CURLOPT_USERNAME, cfg->username);
		curl_easy_setopt(m->curl, CURLOPT_PASSWORD, cfg->password);
	}
	return alert_add_sink(h, "email", &email_ops, m, cfg->min_severity,
	    err);
}

/* ---------------------------------------------------------------- command */

struct command {
	char		 command[1024];
	td_ns		 timeout;
	td_ns		(*now)(void *);	/* the clock of the timeout */
	void		*now_arg;
};

static td_ns
sink_mono(void *arg)
{
	struct timespec	 ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

/* The process's environment without TICKDESK_ALERT_*, and the alert's. */
static char **
command_env(const struct alert *a, char vars[5][ALERT_TEXT_MAX + 160])
{
	char	 line[ALERT_TEXT_MAX + 128], iso[80], **env;
	size_t	 n = 0, k = 0;

	for (char **e = environ; e != NULL && *e != NULL; e++)
		n++;
	if ((env = calloc(n + 6, sizeof *env)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (strncmp(environ[i], "TICKDESK_ALERT_", 15) != 0)
			env[k++] = environ[i];
	}
	alert_format(a, line, sizeof line);
	sink_times(a->time, iso, sizeof iso, NULL, 0);
	snprintf(vars[0], sizeof vars[0], "TICKDESK_ALERT_SEVERITY=%s",
	    alert_severity_name(a->severity));
	snprintf(vars[1], sizeof vars[1], "TICKDESK_ALERT_EVENT=%s",
	    alert_event_name(a->event));
	snprintf(vars[2], sizeof vars[2], "TICKDESK_ALERT_TEXT=%s", line);
	snprintf(vars[3], sizeof vars[3], "TICKDESK_ALERT_TIME=%s", iso);
	snprintf(vars[4], sizeof vars[4], "TICKDESK_ALERT_REPEATS=%lld",
	    (long long)a->repeats);
	for (int i = 0; i < 5; i++)
		env[k++] = vars[i];
	env[k] = NULL;
	return env;
}

static int
command_send(void *ctx, const struct alert *a, const atomic_bool *stop,
    char *why, size_t n)
{
	struct command			*c = ctx;
	char				 vars[5][ALERT_TEXT_MAX + 160];
	char				*argv[] = { "sh", "-c", c->command,
					    NULL };
	char				**env;
	posix_spawn_file_actions_t	 fa;
	struct timespec			 nap = { 0, 10000000 };
	td_ns				 until;
	pid_t				 pid, w;
	int				 rc, st = 0;

	if ((env = command_env(a, vars)) == NULL) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	for (int fd = 0; fd <= 2; fd++)
		posix_spawn_file_actions_addopen(&fa, fd, "/dev/null",
		    fd == 0 ? O_RDONLY : O_WRONLY, 0);
	rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	if (rc != 0) {
		snprintf(why, n, "cannot run /bin/sh: %s", strerror(rc));
		return -1;
	}
	until = c->now(c->now_arg) + c->timeout;
	while ((w = waitpid(pid, &st, WNOHANG)) == 0) {
		if (atomic_load(stop) || c->now(c->now_arg) >= until) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
				continue;
			snprintf(why, n, "%s", atomic_load(stop) ?
			    "abandoned: the session is ending" :
			    "command timed out and was killed");
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	if (w == -1) {
		snprintf(why, n, "waitpid: %s", strerror(errno));
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		snprintf(why, n, "command exited with status %d",
		    WEXITSTATUS(st));
	else
		snprintf(why, n, "command killed by signal %d",
		    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return -1;
}

static void
command_free(void *ctx)
{
	free(ctx);
}

static const struct alert_sink_ops command_ops = {
	.name = "command",
	.send = command_send,
	.free = command_free,
};

int
alert_sink_command(struct alert_hub *h, const char *command,
    enum alert_severity min, struct errmsg *err)
{
	return alert_sink_command_clock(h, command, min, NULL, NULL, err);
}

int
alert_sink_command_clock(struct alert_hub *h, const char *command,
    enum alert_severity min, td_ns (*now)(void *), void *arg,
    struct errmsg *err)
{
	struct command	*c;

	if (command[0] == '\0')
		return errmsg_set(err, "alerts: empty command");
	if (strlen(command) >= sizeof c->command)
		return errmsg_set(err, "alerts: command too long");
	if ((c = calloc(1, sizeof *c)) == NULL)
		return errmsg_set(err, "alerts: out of memory");
	snprintf(c->command, sizeof c->command, "%s", command);
	c->timeout = alert_config(h)->timeout > 0 ?
	    alert_config(h)->timeout : 10 * TD_NS_PER_SEC;
	c->now = now != NULL ? now : sink_mono;
	c->now_arg = now != NULL ? arg : NULL;
	return alert_add_sink(h, "command", &command_ops, c, min, err);
}
