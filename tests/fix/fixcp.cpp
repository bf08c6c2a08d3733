/*
 * fixcp.cpp -- the FIX 4.4 (or 4.2) counterparty tickdesk is tested
 * against: an acceptor built on QuickFIX that keeps an order book,
 * fills, partially fills and rejects orders by scenario, drops the link
 * on command, withholds messages to force resend requests and publishes
 * market data replayed from a tick file.  A test program (C++ only here:
 * the product is C); tests/fix/README says how to run it by hand as a
 * live demo.
 *
 *	fixcp --port N [--sender-comp-id CP] [--target-comp-id TD]
 *	      [--data FILE --symbol ES] [--restamp] [--store DIR] [--log DIR]
 *	      [--password X] [--heartbeat-check] [--fix-version 4.2|4.4]
 *	      [--emergency-port N [--emergency-target-comp-id TDK]]
 *
 * It listens on 127.0.0.1:N only (N 0: a free port) and prints "ready
 * port N" on stdout once it does; a port it cannot bind makes it exit
 * with status 3 (and say so on stderr); bad arguments exit 2, a store or
 * log it cannot open 1.  The session is FIX.4.4 (--fix-version 4.2:
 * FIX.4.2) with SenderCompID CP and TargetCompID TD (the initiator's are
 * the other way round).  Under FIX 4.2 the messages are shaped as 4.2
 * has them: ExecTransType (20) on every ExecutionReport, 0 new or 3 a
 * status answer (whose ExecType is the order's status, with no
 * OrdStatusReqID); fills as ExecType 1 or 2, not F; no reason code 4.3
 * added; OrderMassCancelRequest (q) and OrderMassStatusRequest (AF),
 * which 4.2 does not have, answered with a BusinessMessageReject 380=3
 * (and `mass-cancel` refused); market data in 4.2's group order.  --store
 * keeps the QuickFIX file store (sequence numbers, sent messages) and the
 * order book (fixcp.book), --log the QuickFIX message and event logs;
 * either left out goes to a temporary directory removed at exit.
 *
 * --emergency-port opens a second session on a port of its own (0: a
 * free one; "ready port N emergency M"), CompIDs CP and TDK, for the
 * same account and book: the session an initiator's kill switch uses
 * when its main session is down.  A request on it is answered on it, and
 * the reports of the orders it placed go to it; a cancel it makes of an
 * order of the main session is answered on it too.
 *
 * Commands on stdin, one a line, each answered on stdout by exactly one
 * line "ok ..." or "error WHY" once it has taken effect; EOF on stdin
 * logs out (if logged on) and exits 0, as do SIGINT and SIGTERM.
 *
 *   status                   ok logged-on 0|1 next-in N next-out N orders N
 *   tick N                   the next N trades of --data: market data,
 *                            fills (ok SYMBOL LASTPRICE)
 *   price SYM PX             one trade of SYM at PX
 *   play RATE, pause         replay --data at RATE ticks a second; stop
 *   fill full|partial K      fills take all, or at most K a trade and order
 *   reject next [TEXT]       the next NewOrderSingle: ExecType 8, 58=TEXT
 *   reject type market|limit|stop|stoplimit [TEXT]
 *                            every order of that type until reject off
 *   reject cancel next [TEXT]
 *                            the next cancel or replace: OrderCancelReject
 *   reject off               no more rejects
 *   cancel ID                unsolicited cancel (ClOrdID or OrderID)
 *   restate ID QTY           ExecType D, OrderQty down to QTY
 *   expire                   day orders expire (ExecType C); ok N
 *   session-reject next      the next application message: Reject 35=3
 *   bmr next [TEXT]          the next application message: 35=j
 *   drop                     close the TCP connection, no Logout
 *   refuse on|off            close every new connection of the main
 *                            session at once (its gateway is down)
 *   emergency                ok logged-on 0|1 requests N (the emergency
 *                            session's application messages)
 *   logout [TEXT]            Logout; ok once the connection is closed
 *   withhold N               lose the next N application messages (stored
 *                            and numbered: the initiator sees a gap)
 *   gap N                    skip N outgoing seqnums (resent as a gap fill)
 *   expect-lower N           expect an incoming seqnum N lower (fixcp
 *                            sends a ResendRequest for the last N)
 *   silence on|off           hold back everything, heartbeats too
 *   mass-cancel on|off       OrderMassCancelRequest taken, or refused (35=j)
 *                            (FIX 4.4 only)
 *   pending on|off           Pending New/Cancel/Replace reports first
 *   fills                    ok COUNT SYM:+N ...  (net signed quantity)
 *   orders                   ok ID:SYM:SIDE:QTY:LEAVES:TYPE:PX;...
 *   heartbeats               ok interval S received N late N
 *                            longest-gap-ms N check on|off
 *   help                     ok and the command names
 *
 * One thread: poll(2) on stdin, the listening socket and the connection,
 * with a timer for QuickFIX's heartbeats (a second at most) and the
 * replay.  The classes: Wire (cp-wire), the TCP side; SessionApp
 * (cp-session), the QuickFIX application; OrderBook (cp-book);
 * MarketData (cp-market); Control (cp-control), the command channel.
 */
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "quickfix/Dictionary.h"
#include "quickfix/FileLog.h"
#include "quickfix/FileStore.h"
#include "quickfix/Session.h"
#include "quickfix/SessionFactory.h"
#include "quickfix/SessionID.h"

#include "cp-book.h"
#include "cp-control.h"
#include "cp-groups.h"
#include "cp-market.h"
#include "cp-session.h"
#include "cp-wire.h"

#define EXIT_USAGE	2
#define EXIT_PORT	3

struct Options {
	long		 port = -1;
	std::string	 sender = "CP";
	std::string	 target = "TD";
	std::string	 data;
	std::string	 symbol;
	std::string	 store;
	std::string	 log;
	std::string	 password;
	bool		 heartbeat_check = false;
	bool		 restamp = false;
	std::string	 begin = "FIX.4.4";
	long		 em_port = -1;		/* -1: no emergency session */
	std::string	 em_target = "TDK";
};

/* A session and the socket it is served on. */
struct Link {
	FIX::Session	*session;
	Wire		*wire;
};

static int	 signal_pipe[2] = { -1, -1 };

static void
usage(void)
{
	fprintf(stderr, "usage: fixcp --port N [--sender-comp-id CP] "
	    "[--target-comp-id TD]\n"
	    "             [--data FILE --symbol ES] [--restamp] [--store DIR] "
	    "[--log DIR]\n"
	    "             [--password X] [--heartbeat-check] "
	    "[--fix-version 4.2|4.4]\n"
	    "             [--emergency-port N [--emergency-target-comp-id "
	    "TDK]]\n");
	exit(EXIT_USAGE);
}

static Options
options(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "sender-comp-id", required_argument, NULL, 's' },
		{ "target-comp-id", required_argument, NULL, 't' },
		{ "data", required_argument, NULL, 'd' },
		{ "symbol", required_argument, NULL, 'y' },
		{ "store", required_argument, NULL, 'S' },
		{ "log", required_argument, NULL, 'L' },
		{ "password", required_argument, NULL, 'P' },
		{ "heartbeat-check", no_argument, NULL, 'H' },
		{ "restamp", no_argument, NULL, 'R' },
		{ "fix-version", required_argument, NULL, 'V' },
		{ "emergency-port", required_argument, NULL, 'e' },
		{ "emergency-target-comp-id", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	Options	 o;
	char	*end;
	int	 ch;

	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 'p':
		case 'e':
			(ch == 'p' ? o.port : o.em_port) = strtol(optarg, &end,
			    10);
			if (*end != '\0' || strtol(optarg, NULL, 10) < 0 ||
			    strtol(optarg, NULL, 10) > 65535) {
				fprintf(stderr, "fixcp: bad port %s\n", optarg);
				usage();
			}
			break;
		case 'E': o.em_target = optarg; break;
		case 's': o.sender = optarg; break;
		case 't': o.target = optarg; break;
		case 'd': o.data = optarg; break;
		case 'y': o.symbol = optarg; break;
		case 'S': o.store = optarg; break;
		case 'L': o.log = optarg; break;
		case 'P': o.password = optarg; break;
		case 'H': o.heartbeat_check = true; break;
		case 'R': o.restamp = true; break;
		case 'V':
			if (strcmp(optarg, "4.2") != 0 &&
			    strcmp(optarg, "4.4") != 0) {
				fprintf(stderr, "fixcp: FIX version %s: 4.2 or "
				    "4.4\n", optarg);
				usage();
			}
			o.begin = std::string("FIX.") + optarg;
			break;
		default: usage();
		}
	}
	if (optind != argc || o.port < 0 || o.data.empty() !=
	    o.symbol.empty() || o.sender.empty() || o.target.empty() ||
	    o.em_target.empty() || o.em_target == o.target)
		usage();
	if (!o.symbol.empty() && instrument_find(o.symbol) == NULL) {
		fprintf(stderr, "fixcp: unknown symbol %s\n", o.symbol.c_str());
		usage();
	}
	return o;
}

static int
remove_one(const char *path, const struct stat *, int, struct FTW *)
{
	return remove(path);
}

static void
on_signal(int)
{
	int	 saved = errno;

	/* A full pipe has told the loop already. */
	(void)!write(signal_pipe[1], "x", 1);
	errno = saved;
}

static void
signals(void)
{
	struct sigaction	 sa;

	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		perror("fixcp: pipe");
		exit(1);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The QuickFIX session: an acceptor open all day, no data dictionary. */
static FIX::Dictionary
session_settings(const Options &o)
{
	FIX::Dictionary	 d;

	d.setString("ConnectionType", "acceptor");
	d.setString("StartTime", "00:00:00");
	d.setString("EndTime", "00:00:00");
	d.setString("UseDataDictionary", "N");
	d.setString("CheckLatency", "N");
	d.setString("FileStorePath", o.store);
	d.setString("FileLogPath", o.log);
	return d;
}

/*
 * Wait for stdin, the sockets and the timers; run what came.  Returns
 * once stdin is at its end (or a signal came) and the main session is
 * over.  links[0] is the main session, links[1] the emergency one.
 */
static void
loop(const std::vector<Link> &links, SessionApp &app, Control &control,
    MarketData &market)
{
	FIX::Session	&session = *links[0].session;
	Wire		&wire = *links[0].wire;
	bool		 eof = false, closing = false;
	char		 buf[4096];

	for (;;) {
		std::vector<struct pollfd>	 fds;
		int				 timeout = 1000;

		fds.push_back({ signal_pipe[0], POLLIN, 0 });
		fds.push_back({ STDIN_FILENO, (short)(eof || control.busy() ?
		    0 : POLLIN), 0 });
		for (const Link &k : links)
			k.wire->pollfds(fds);
		if (market.playing()) {
			auto ms = std::chrono::duration_cast<
			    std::chrono::milliseconds>(market.next_due() -
			    MarketData::Clock::now()).count();
			if (ms < timeout)
				timeout = ms < 0 ? 0 : (int)ms;
		}
		if (poll(fds.data(), fds.size(), timeout) == -1 &&
		    errno != EINTR) {
			perror("fixcp: poll");
			exit(1);
		}
		if (fds[0].revents & POLLIN)
			eof = true;
		if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
			if (n > 0)
				control.feed(buf, (size_t)n);
			else if (n == 0 || errno != EINTR) {
				control.feed_eof();
				eof = true;
			}
		}
		for (const Link &k : links)
			k.wire->handle(fds);
		control.play(market.due(MarketData::Clock::now(), 100));
		for (const Link &k : links)
			k.session->next(FIX::UtcTimeStamp());
		app.idle();
		control.run();
		if (eof && control.idle() && !closing) {
			closing = true;
			market.pause();
			if (app.logged_on()) {
				session.logout("fixcp exiting");
				session.next(FIX::UtcTimeStamp());
			} else
				wire.drop();
		}
		if (closing && !wire.connected())
			return;
		/* A Logout of ours disabled a session: take logons again. */
		for (const Link &k : links)
			if (!closing && !k.wire->connected() &&
			    !k.session->isEnabled())
				k.session->logon();
	}
}

/* mkdir -p DIR. */
static bool
make_dir(const std::string &dir)
{
	std::string::size_type	 slash = 0;

	do {
		slash = dir.find('/', slash + 1);
		std::string part = dir.substr(0, slash);
		if (mkdir(part.c_str(), 0777) == -1 && errno != EEXIST) {
			fprintf(stderr, "fixcp: %s: %s\n", part.c_str(),
			    strerror(errno));
			return false;
		}
	} while (slash != std::string::npos);
	return true;
}

static std::string
temporary_dir(void)
{
	const char	*t = getenv("TMPDIR");
	std::string	 tmpl = std::string(t && *t ? t : "/tmp") +
			    "/fixcp.XXXXXX";
	std::vector<char> b(tmpl.begin(), tmpl.end());

	b.push_back('\0');
	if (mkdtemp(b.data()) == NULL) {
		fprintf(stderr, "fixcp: %s: %s\n", tmpl.c_str(),
		    strerror(errno));
		exit(1);
	}
	return b.data();
}

/* A session of the acceptor, destroyed by its factory. */
typedef std::unique_ptr<FIX::Session, std::function<void(FIX::Session *)>>
    SessionPtr;

static SessionPtr
make_session(FIX::SessionFactory &factory, const FIX::SessionID &id,
    const Options &o, const FIX::DataDictionaryProvider &groups)
{
	SessionPtr	 s(factory.create(id, session_settings(o)),
			    [&factory](FIX::Session *p) {
				factory.destroy(p); });

	s->setDataDictionaryProvider(groups);
	return s;
}

/* Listen for each session; "ready port N [emergency M]" once all do. */
static int
listen_all(const Options &o, std::vector<Link> &links)
{
	std::string	 err, line;
	bool		 in_use;

	for (size_t i = 0; i < links.size(); i++) {
		if (!links[i].wire->listen((int)(i == 0 ? o.port : o.em_port),
		    &err, &in_use)) {
			fprintf(stderr, "fixcp: %s\n", err.c_str());
			return in_use ? EXIT_PORT : 1;
		}
	}
	line = "ready port " + std::to_string(links[0].wire->port());
	if (links.size() > 1)
		line += " emergency " + std::to_string(links[1].wire->port());
	printf("%s\n", line.c_str());
	return 0;
}

/* The sessions on their sockets until the end; the exit status. */
static int
serve(const Options &o)
{
	bool		 fix42 = o.begin == "FIX.4.2";
	OrderBook	 book(o.store + "/fixcp.book");
	MarketData	 market(o.restamp, fix42);
	SessionApp	 app(book, market, o.password, o.heartbeat_check,
			    fix42);
	std::string	 err;
	int		 status = 0;

	if (!book.load(&err) ||
	    (!o.data.empty() && !market.open(o.data, o.symbol, &err))) {
		fprintf(stderr, "fixcp: %s\n", err.c_str());
		return 1;
	}
	try {
		FIX::FileStoreFactory	 stores(o.store);
		FIX::FileLogFactory	 logs(o.log);
		FIX::SessionFactory	 factory(app, stores, &logs);
		FIX::DataDictionaryProvider groups = fix_groups(o.begin);
		SessionPtr		 session = make_session(factory,
					    FIX::SessionID(o.begin, o.sender,
					    o.target), o, groups);
		SessionPtr		 em;
		Wire			 wire(*session);
		std::unique_ptr<Wire>	 em_wire;
		std::vector<Link>	 links = { { session.get(), &wire } };
		Control			 control(app, book, market, wire,
					    *session, o.heartbeat_check);

		app.attach(session.get());
		if (o.em_port >= 0) {
			em = make_session(factory, FIX::SessionID(o.begin,
			    o.sender, o.em_target), o, groups);
			em_wire.reset(new Wire(*em));
			links.push_back({ em.get(), em_wire.get() });
			app.attach_emergency(em.get());
		}
		wire.on_inbound([&app]() { app.inbound(); });
		if ((status = listen_all(o, links)) == 0)
			loop(links, app, control, market);
		app.attach(NULL);
		app.attach_emergency(NULL);
	} catch (std::exception &e) {
		fprintf(stderr, "fixcp: %s\n", e.what());
		status = 1;
	}
	return status;
}

int
main(int argc, char **argv)
{
	Options		 o = options(argc, argv);
	std::string	 tmp;
	int		 status = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signals();
	if (o.store.empty() || o.log.empty()) {
		tmp = temporary_dir();
		if (o.store.empty())
			o.store = tmp + "/store";
		if (o.log.empty())
			o.log = tmp + "/log";
	}
	if (make_dir(o.store) && make_dir(o.log))
		status = serve(o);
	if (!tmp.empty())
		nftw(tmp.c_str(), remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return status;
}
