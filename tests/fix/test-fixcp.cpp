/*
 * test-fixcp.cpp -- the counterparty's own test: a QuickFIX initiator
 * against a real fixcp on a free loopback port.
 *
 * It logs on, subscribes to market data, runs one order of each type
 * through `tick` and `price`, a partial fill, a reject, a drop and
 * reconnect with the order still working, a withheld report that comes
 * back once with PossDupFlag after the resend, mass status and mass
 * cancel, a restart of fixcp on the same store with the order still
 * there, compares `fills` with what the initiator received, and ends
 * with EOF on fixcp's stdin (a Logout, exit 0).  Then a second fixcp
 * with --fix-version 4.2 and a FIX.4.2 initiator: fills as ExecType 1
 * and 2 with ExecTransType 0, a status answer as ExecTransType 3, mass
 * cancel and mass status refused as message types 4.2 does not have,
 * market data in 4.2's groups.
 *
 * Nothing sleeps: every step waits for fixcp's answer on its control
 * channel or for the FIX messages the initiator receives.  A wait gives
 * up after WAIT_SECONDS and the whole test after GUARD_SECONDS, only as
 * guards against a hang.  fixcp is $TD_FIXCP, or fixcp beside this
 * program.  Exit 0 passes, 1 fails (saying what and where).
 */
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "quickfix/Application.h"
#include "quickfix/FileLog.h"
#include "quickfix/MessageStore.h"
#include "quickfix/Session.h"
#include "quickfix/SessionSettings.h"
#include "quickfix/ThreadedSocketInitiator.h"
#include "quickfix/fix42/MarketDataRequest.h"
#include "quickfix/fix44/MarketDataRequest.h"

#include "cp-groups.h"

#define WAIT_SECONDS	20
#define GUARD_SECONDS	180

static pid_t		 child = -1;
static std::string	 tmpdir;

#define CHECK(cond) do {						\
	if (!(cond))							\
		fail(__LINE__, "check failed: " #cond);			\
} while (0)

static void
cleanup(void)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = -1;
	}
}

[[noreturn]] static void
fail(int line, const std::string &what)
{
	fprintf(stderr, "FAIL: test-fixcp.cpp:%d: %s\n", line, what.c_str());
	cleanup();
	fprintf(stderr, "  (logs kept in %s)\n", tmpdir.c_str());
	_exit(1);
}

static void
on_alarm(int)
{
	static const char msg[] = "FAIL: test-fixcp: guard timeout\n";

	(void)!write(2, msg, sizeof msg - 1);
	if (child > 0)
		kill(child, SIGKILL);
	_exit(1);
}

/* FIX field 43/58/... of M, or "" (header fields looked up too). */
static std::string
get(const FIX::Message &m, int tag)
{
	if (m.isSetField(tag))
		return m.getField(tag);
	if (m.getHeader().isSetField(tag))
		return m.getHeader().getField(tag);
	return "";
}

/* ---------------------------------------------------------------- fixcp */

/* fixcp as a child: its stdin and stdout are the control channel. */
class Counterparty {
public:
	void	 start(const std::vector<std::string> &args);
	/* One command, its one answer line. */
	std::string cmd(const std::string &line);
	/* A command that must succeed; its answer after "ok". */
	std::string ok(const std::string &line, int at);
	/* EOF on stdin; the exit status. */
	int	 stop();
	int	 port() const { return port_; }

private:
	std::string read_line();

	int	 in_ = -1, out_ = -1, port_ = 0;
};

static std::string
fixcp_path(const char *argv0)
{
	const char	*env = getenv("TD_FIXCP");
	char		 self[PATH_MAX];
	ssize_t		 n;
	std::string	 dir;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	dir = n > 0 ? std::string(self, (size_t)n) : argv0;
	return dir.substr(0, dir.rfind('/') + 1) + "fixcp";
}

static std::string fixcp;

void
Counterparty::start(const std::vector<std::string> &args)
{
	int	 to[2], from[2];

	if (pipe2(to, O_CLOEXEC) == -1 || pipe2(from, O_CLOEXEC) == -1)
		fail(__LINE__, "pipe");
	if ((child = fork()) == -1)
		fail(__LINE__, "fork");
	if (child == 0) {
		std::vector<char *> argv;

		dup2(to[0], 0);
		dup2(from[1], 1);
		argv.push_back((char *)fixcp.c_str());
		for (const std::string &a : args)
			argv.push_back((char *)a.c_str());
		argv.push_back(NULL);
		execv(fixcp.c_str(), argv.data());
		perror(fixcp.c_str());
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	in_ = to[1];
	out_ = from[0];
	std::string ready = read_line();
	if (sscanf(ready.c_str(), "ready port %d", &port_) != 1)
		fail(__LINE__, "fixcp did not start: '" + ready + "'");
}

std::string
Counterparty::read_line()
{
	std::string	 line;
	char		 c;

	for (;;) {
		struct pollfd	 p = { out_, POLLIN, 0 };

		if (poll(&p, 1, WAIT_SECONDS * 1000) != 1)
			fail(__LINE__, "fixcp did not answer");
		if (read(out_, &c, 1) != 1)
			return line;	/* EOF: fixcp exited */
		if (c == '\n')
			return line;
		line += c;
	}
}

std::string
Counterparty::cmd(const std::string &line)
{
	std::string	 l = line + "\n";

	if (write(in_, l.data(), l.size()) != (ssize_t)l.size())
		fail(__LINE__, "write to fixcp");
	return read_line();
}

std::string
Counterparty::ok(const std::string &line, int at)
{
	std::string	 a = cmd(line);

	if (a.compare(0, 2, "ok") != 0)
		fail(at, "'" + line + "' answered '" + a + "'");
	return a.size() > 3 ? a.substr(3) : "";
}

int
Counterparty::stop()
{
	int	 status;

	close(in_);
	/* fixcp's stdout closes when it exits: wait on that, not a clock. */
	for (;;) {
		struct pollfd	 p = { out_, POLLIN, 0 };
		char		 c;

		if (poll(&p, 1, WAIT_SECONDS * 1000) != 1)
			fail(__LINE__, "fixcp did not exit");
		if (read(out_, &c, 1) <= 0)
			break;
	}
	close(out_);
	if (waitpid(child, &status, 0) != child)
		fail(__LINE__, "waitpid");
	child = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* ---------------------------------------------------------------- initiator */

/* What the initiator receives, for the test thread to wait on. */
class Recorder : public FIX::Application {
public:
	typedef std::function<bool(const FIX::Message &)> Pred;

	/* The first message not taken yet that PRED accepts. */
	FIX::Message expect(Pred pred, const std::string &what, int line);
	int	 count(Pred pred);
	/* The next logon, the next logout, since the last one waited for. */
	void	 next_logon(int line);
	void	 next_logout(int line);
	std::vector<FIX::Message> all();

	void	 onCreate(const FIX::SessionID &) override {}
	void	 onLogon(const FIX::SessionID &) override;
	void	 onLogout(const FIX::SessionID &) override;
	void	 toAdmin(FIX::Message &, const FIX::SessionID &) override {}
	void	 toApp(FIX::Message &, const FIX::SessionID &)
		    throw (FIX::DoNotSend) override {}
	void	 fromAdmin(const FIX::Message &m, const FIX::SessionID &)
		    throw (FIX::FieldNotFound, FIX::IncorrectDataFormat,
		    FIX::IncorrectTagValue, FIX::RejectLogon) override;
	void	 fromApp(const FIX::Message &m, const FIX::SessionID &)
		    throw (FIX::FieldNotFound, FIX::IncorrectDataFormat,
		    FIX::IncorrectTagValue,
		    FIX::UnsupportedMessageType) override;

private:
	void	 wait_for(std::function<bool()> done,
		    const std::string &what, int line,
		    std::unique_lock<std::mutex> &l);

	std::mutex			 mu_;
	std::condition_variable		 cv_;
	std::vector<FIX::Message>	 msgs_;
	std::vector<bool>		 taken_;
	int				 logons_ = 0, logouts_ = 0;
	int				 seen_logons_ = 0, seen_logouts_ = 0;
};

void
Recorder::onLogon(const FIX::SessionID &)
{
	std::lock_guard<std::mutex> l(mu_);
	logons_++;
	cv_.notify_all();
}

void
Recorder::onLogout(const FIX::SessionID &)
{
	std::lock_guard<std::mutex> l(mu_);
	logouts_++;
	cv_.notify_all();
}

/* ResendRequest, Reject, SequenceReset and Logout are kept too. */
void
Recorder::fromAdmin(const FIX::Message &m, const FIX::SessionID &)
    throw (FIX::FieldNotFound, FIX::IncorrectDataFormat,
    FIX::IncorrectTagValue, FIX::RejectLogon)
{
	std::string	 type = get(m, 35);

	if (type == "2" || type == "3" || type == "4" || type == "5") {
		std::lock_guard<std::mutex> l(mu_);
		msgs_.push_back(m);
		taken_.push_back(false);
		cv_.notify_all();
	}
}

void
Recorder::fromApp(const FIX::Message &m, const FIX::SessionID &)
    throw (FIX::FieldNotFound, FIX::IncorrectDataFormat,
    FIX::IncorrectTagValue, FIX::UnsupportedMessageType)
{
	std::lock_guard<std::mutex> l(mu_);
	msgs_.push_back(m);
	taken_.push_back(false);
	cv_.notify_all();
}

void
Recorder::wait_for(std::function<bool()> done, const std::string &what,
    int line, std::unique_lock<std::mutex> &l)
{
	auto	 until = std::chrono::steady_clock::now() +
	    std::chrono::seconds(WAIT_SECONDS);

	while (!done())
		if (cv_.wait_until(l, until) == std::cv_status::timeout &&
		    !done()) {
			for (const FIX::Message &m : msgs_) {
				std::string s = m.toString();
				for (char &c : s)
					if (c == '\001')
						c = '|';
				fprintf(stderr, "  received: %s\n", s.c_str());
			}
			fail(line, "no " + what);
		}
}

FIX::Message
Recorder::expect(Pred pred, const std::string &what, int line)
{
	std::unique_lock<std::mutex>	 l(mu_);
	size_t				 found = 0;

	wait_for([&]() {
		for (size_t i = 0; i < msgs_.size(); i++)
			if (!taken_[i] && pred(msgs_[i])) {
				found = i;
				return true;
			}
		return false;
	}, what, line, l);
	taken_[found] = true;
	return msgs_[found];
}

int
Recorder::count(Pred pred)
{
	std::lock_guard<std::mutex>	 l(mu_);
	int				 n = 0;

	for (const FIX::Message &m : msgs_)
		n += pred(m);
	return n;
}

void
Recorder::next_logon(int line)
{
	std::unique_lock<std::mutex> l(mu_);
	wait_for([&]() { return logons_ > seen_logons_; }, "logon " +
	    std::to_string(seen_logons_ + 1), line, l);
	seen_logons_++;
}

void
Recorder::next_logout(int line)
{
	std::unique_lock<std::mutex> l(mu_);
	wait_for([&]() { return logouts_ > seen_logouts_; }, "logout " +
	    std::to_string(seen_logouts_ + 1), line, l);
	seen_logouts_++;
}

std::vector<FIX::Message>
Recorder::all()
{
	std::lock_guard<std::mutex> l(mu_);
	return msgs_;
}

/* An ExecutionReport for ClOrdID CL with ExecType ET. */
static Recorder::Pred
er(const std::string &cl, char et)
{
	return [cl, et](const FIX::Message &m) {
		return get(m, 35) == "8" && get(m, 11) == cl &&
		    get(m, 150) == std::string(1, et);
	};
}

/* ---------------------------------------------------------------- messages */

/* The session the test sends on: FIX.4.4, then FIX.4.2. */
static FIX::SessionID session_id("FIX.4.4", "TD", "CP");

static void
send(FIX::Message m)
{
	if (!FIX::Session::sendToTarget(m, session_id))
		fail(__LINE__, "the initiator could not send");
}

static FIX::Message
message(const char *type)
{
	FIX::Message	 m;

	m.getHeader().setField(35, type);
	m.setField(60, FIX::UtcTimeStampConvertor::convert(
	    FIX::UtcTimeStamp(), 3));
	return m;
}

/* NewOrderSingle: TYPE 1 market 2 limit 3 stop 4 stop-limit. */
static void
order(const std::string &cl, char side, int qty, char type,
    const std::string &px = "", const std::string &stop = "",
    char tif = '0')
{
	FIX::Message	 m = message("D");

	m.setField(11, cl);
	m.setField(55, "ES");
	m.setField(54, std::string(1, side));
	m.setField(38, std::to_string(qty));
	m.setField(40, std::string(1, type));
	if (!px.empty())
		m.setField(44, px);
	if (!stop.empty())
		m.setField(99, stop);
	m.setField(59, std::string(1, tif));
	send(m);
}

/* OrderStatusRequest of CL; REQ its OrdStatusReqID ("": none, 4.2). */
static void
status_request(const std::string &cl, const std::string &req)
{
	FIX::Message	 m = message("H");

	m.setField(11, cl);
	m.setField(55, "ES");
	m.setField(54, "1");
	if (!req.empty())
		m.setField(790, req);
	send(m);
}

static void
mass_status(const std::string &req)
{
	FIX::Message	 m = message("AF");

	m.setField(584, req);
	m.setField(585, "7");
	send(m);
}

/* OrderCancelRequest (F) or OrderCancelReplaceRequest (G) of ORIG. */
static void
amend(const char *type, const std::string &cl, const std::string &orig,
    int qty, const std::string &px = "")
{
	FIX::Message	 m = message(type);

	m.setField(11, cl);
	m.setField(41, orig);
	m.setField(55, "ES");
	m.setField(54, "1");
	m.setField(38, std::to_string(qty));
	if (*type == 'G') {
		m.setField(40, "2");
		m.setField(44, px);
	}
	send(m);
}

static Recorder::Pred
type_is(const char *type)
{
	std::string	 t = type;

	return [t](const FIX::Message &m) { return get(m, 35) == t; };
}

/* ---------------------------------------------------------------- steps */

static Counterparty	 cp;
static Recorder		 rec;

/* The groups of a MarketDataRequest for ES, in the order of Sym, Types. */
template <class Sym, class Types> static void
md_groups(FIX::Message &v)
{
	Sym	 sym;
	Types	 types;

	sym.setField(55, "ES");
	v.addGroup(sym);
	for (const char *t : { "0", "1", "2" }) {
		types.setField(269, t);
		v.addGroup(types);
	}
}

/* MarketDataRequest REQ for ES (bids, offers, trades); its snapshot. */
static FIX::Message
subscribe(const std::string &req)
{
	FIX::Message	 v = message("V");

	v.setField(262, req);
	v.setField(263, "1");
	v.setField(264, "1");
	if (session_id.getBeginString() == "FIX.4.2")
		md_groups<FIX42::MarketDataRequest::NoRelatedSym,
		    FIX42::MarketDataRequest::NoMDEntryTypes>(v);
	else
		md_groups<FIX44::MarketDataRequest::NoRelatedSym,
		    FIX44::MarketDataRequest::NoMDEntryTypes>(v);
	send(v);
	return rec.expect([req](const FIX::Message &m) {
		return get(m, 35) == "W" && get(m, 262) == req; },
	    "market data snapshot " + req, __LINE__);
}

static void
market_data(void)
{
	FIX::Message	 w, x, r;
	std::string	 s;

	w = subscribe("md1");
	CHECK(get(w, 268) == "0");		/* no trade yet */

	/* A market order before any trade: no market. */
	order("m0", '1', 1, '1');
	r = rec.expect(er("m0", '8'), "reject m0", __LINE__);
	CHECK(get(r, 58) == "no market");

	CHECK(cp.ok("tick 1", __LINE__) == "ES 4500.00");
	x = rec.expect([](const FIX::Message &m) {
		return get(m, 35) == "X"; }, "incremental refresh", __LINE__);
	s = x.toString();
	CHECK(s.find("\001269=2\001") != std::string::npos);
	CHECK(s.find("\001269=0\001") != std::string::npos);
	CHECK(s.find("\001269=1\001") != std::string::npos);
	CHECK(s.find("\001270=4500.00\001") != std::string::npos);
	CHECK(s.find("\001270=4499.75\001") != std::string::npos);
	CHECK(s.find("\001272=20240102\001") != std::string::npos);
}

static void
each_order_type(void)
{
	FIX::Message	 f;

	/* Market: fills at the last trade, 4500.00. */
	order("m1", '1', 1, '1');
	rec.expect(er("m1", '0'), "New m1", __LINE__);
	f = rec.expect(er("m1", 'F'), "fill m1", __LINE__);
	CHECK(get(f, 31) == "4500.00" && get(f, 32) == "1");
	CHECK(get(f, 39) == "2" && get(f, 151) == "0");

	/* Limit: fills at its price when a trade reaches it. */
	order("l1", '2', 1, '2', "4500.25");
	rec.expect(er("l1", '0'), "New l1", __LINE__);
	CHECK(cp.ok("tick 1", __LINE__) == "ES 4500.25");
	f = rec.expect(er("l1", 'F'), "fill l1", __LINE__);
	CHECK(get(f, 31) == "4500.25" && get(f, 14) == "1");

	/* Stop: triggers at its price, fills at the trade's. */
	order("s1", '2', 1, '3', "", "4499.75");
	rec.expect(er("s1", '0'), "New s1", __LINE__);
	cp.ok("price ES 4500.00", __LINE__);
	CHECK(rec.count(er("s1", 'F')) == 0);
	cp.ok("price ES 4499.75", __LINE__);
	f = rec.expect(er("s1", 'F'), "fill s1", __LINE__);
	CHECK(get(f, 31) == "4499.75");

	/* A stop through the market is refused. */
	order("s2", '2', 1, '3', "", "4500.00");
	f = rec.expect(er("s2", '8'), "reject s2", __LINE__);
	CHECK(get(f, 58).find("through the market") != std::string::npos);

	/* Stop-limit: the stop triggers it, it fills as a limit. */
	order("sl1", '1', 1, '4', "4500.75", "4500.50");
	rec.expect(er("sl1", '0'), "New sl1", __LINE__);
	cp.ok("price ES 4500.50", __LINE__);
	f = rec.expect(er("sl1", 'F'), "fill sl1", __LINE__);
	CHECK(get(f, 31) == "4500.75" && get(f, 99) == "4500.50");

	/* IOC limit that cannot fill: canceled at once. */
	order("i1", '1', 1, '2', "4490.00", "", '3');
	rec.expect(er("i1", '0'), "New i1", __LINE__);
	rec.expect(er("i1", '4'), "IOC cancel i1", __LINE__);
}

static void
partial_fill(void)
{
	FIX::Message	 f;

	cp.ok("fill partial 1", __LINE__);
	order("p1", '1', 3, '2', "4500.00");
	rec.expect(er("p1", '0'), "New p1", __LINE__);
	for (int i = 1; i <= 3; i++) {
		cp.ok("price ES 4500.00", __LINE__);
		f = rec.expect(er("p1", 'F'), "partial fill p1", __LINE__);
		CHECK(get(f, 32) == "1" && get(f, 14) == std::to_string(i));
		CHECK(get(f, 151) == std::to_string(3 - i));
		CHECK(get(f, 39) == (i < 3 ? "1" : "2"));
	}
	cp.ok("fill full", __LINE__);
}

static void
reject(void)
{
	FIX::Message	 r;

	cp.ok("reject next insufficient margin", __LINE__);
	order("r1", '1', 1, '2', "4495.00");
	r = rec.expect(er("r1", '8'), "reject r1", __LINE__);
	CHECK(get(r, 39) == "8" && get(r, 58) == "insufficient margin");
	CHECK(cp.ok("status", __LINE__).find("orders 0") !=
	    std::string::npos);
}

static void
drop_and_reconnect(void)
{
	FIX::Message	 s;

	order("w1", '1', 2, '2', "4490.00");
	rec.expect(er("w1", '0'), "New w1", __LINE__);
	cp.ok("drop", __LINE__);
	rec.next_logout(__LINE__);
	rec.next_logon(__LINE__);	/* the initiator came back */
	status_request("w1", "st1");
	s = rec.expect(er("w1", 'I'), "status of w1", __LINE__);
	CHECK(get(s, 39) == "0" && get(s, 151) == "2" && get(s, 790) == "st1");
	CHECK(cp.ok("orders", __LINE__) == "w1:ES:buy:2:2:limit:4490.00");
}

static void
withhold_and_resend(void)
{
	FIX::Message	 c = message("F"), s, x;

	cp.ok("withhold 1", __LINE__);
	c.setField(11, "c1");
	c.setField(41, "w1");
	c.setField(55, "ES");
	c.setField(54, "1");
	c.setField(38, "2");
	send(c);
	/* The cancel's report is lost; the next message shows the gap. */
	status_request("c1", "st2");
	s = rec.expect(er("c1", 'I'), "status of c1", __LINE__);
	CHECK(get(s, 39) == "4");
	x = rec.expect(er("c1", '4'), "resent cancel report", __LINE__);
	CHECK(get(x, 43) == "Y" && get(x, 41) == "w1");
	CHECK(rec.count(er("c1", '4')) == 1);
}

static void
mass_status_and_cancel(void)
{
	FIX::Message	 a, b, r, q = message("q");

	order("a1", '1', 1, '2', "4480.00");
	order("a2", '2', 1, '2', "4520.00");
	rec.expect(er("a1", '0'), "New a1", __LINE__);
	rec.expect(er("a2", '0'), "New a2", __LINE__);
	mass_status("ms1");
	a = rec.expect(er("a1", 'I'), "mass status a1", __LINE__);
	b = rec.expect(er("a2", 'I'), "mass status a2", __LINE__);
	CHECK(get(a, 584) == "ms1" && get(a, 911) == "2");
	CHECK(get(a, 912) == "N" && get(b, 912) == "Y");

	q.setField(11, "mc1");
	q.setField(530, "7");
	send(q);
	r = rec.expect([](const FIX::Message &m) {
		return get(m, 35) == "r"; }, "mass cancel report", __LINE__);
	CHECK(get(r, 531) == "7" && get(r, 533) == "2");
	rec.expect(er("a1", '4'), "mass cancel a1", __LINE__);
	rec.expect(er("a2", '4'), "mass cancel a2", __LINE__);

	mass_status("ms2");
	r = rec.expect([](const FIX::Message &m) {
		return get(m, 35) == "8" && get(m, 584) == "ms2"; },
	    "empty mass status", __LINE__);
	CHECK(get(r, 911) == "0" && get(r, 912) == "Y");
}

/* The venue's own actions and the refusals a scenario asks for. */
static void
scenarios(void)
{
	FIX::Message	 r;

	order("x1", '1', 2, '2', "4460.00", "", '1');
	rec.expect(er("x1", '0'), "New x1", __LINE__);
	cp.ok("reject cancel next not now", __LINE__);
	amend("F", "x1c", "x1", 2);
	r = rec.expect(type_is("9"), "OrderCancelReject", __LINE__);
	CHECK(get(r, 11) == "x1c" && get(r, 41) == "x1" && get(r, 434) == "1");
	CHECK(get(r, 102) == "2" && get(r, 58) == "not now");

	cp.ok("pending on", __LINE__);
	amend("G", "x2", "x1", 3, "4460.25");
	rec.expect(er("x2", 'E'), "Pending Replace x2", __LINE__);
	r = rec.expect(er("x2", '5'), "Replaced x2", __LINE__);
	CHECK(get(r, 41) == "x1" && get(r, 38) == "3");
	CHECK(get(r, 44) == "4460.25");
	cp.ok("pending off", __LINE__);
	cp.ok("restate x2 2", __LINE__);
	r = rec.expect(er("x2", 'D'), "Restated x2", __LINE__);
	CHECK(get(r, 38) == "2" && get(r, 151) == "2");
	CHECK(cp.cmd("restate x2 5").compare(0, 6, "error ") == 0);
	cp.ok("cancel x2", __LINE__);
	r = rec.expect(er("x2", '4'), "unsolicited cancel x2", __LINE__);
	CHECK(get(r, 41).empty() && get(r, 39) == "4");

	order("y1", '1', 1, '2', "4461.00");
	rec.expect(er("y1", '0'), "New y1", __LINE__);
	CHECK(cp.ok("expire", __LINE__) == "1");
	rec.expect(er("y1", 'C'), "Expired y1", __LINE__);

	cp.ok("session-reject next", __LINE__);
	status_request("y1", "st4");
	r = rec.expect(type_is("3"), "session Reject", __LINE__);
	CHECK(get(r, 372) == "H" && get(r, 373) == "5" && !get(r, 45).empty());
	cp.ok("bmr next busy", __LINE__);
	status_request("y1", "st5");
	r = rec.expect(type_is("j"), "BusinessMessageReject", __LINE__);
	CHECK(get(r, 372) == "H" && get(r, 380) == "4" && get(r, 58) == "busy");

	FIX::Message q = message("q");
	cp.ok("mass-cancel off", __LINE__);
	q.setField(11, "mc2");
	q.setField(530, "7");
	send(q);
	r = rec.expect(type_is("j"), "BusinessMessageReject of q", __LINE__);
	CHECK(get(r, 372) == "q" && get(r, 380) == "3");
	cp.ok("mass-cancel on", __LINE__);
}

/* Sequence numbers: a gap each way, silence, a Logout of fixcp's. */
static void
sequence(void)
{
	FIX::Message	 r;

	cp.ok("gap 3", __LINE__);
	status_request("y1", "st6");
	r = rec.expect([](const FIX::Message &m) { return get(m, 35) == "4" &&
	    get(m, 123) == "Y"; }, "SequenceReset-GapFill", __LINE__);
	rec.expect(er("y1", 'I'), "status after the gap", __LINE__);

	order("e1", '1', 1, '2', "4462.00");
	rec.expect(er("e1", '0'), "New e1", __LINE__);
	cp.ok("expect-lower 1", __LINE__);
	status_request("e1", "st7");	/* fixcp asks for e1 again */
	rec.expect(type_is("2"), "ResendRequest from fixcp", __LINE__);
	rec.expect(er("e1", 'I'), "status of e1", __LINE__);
	/* The order resent (43=Y) was dropped: one New only. */
	CHECK(rec.count(er("e1", '0')) == 1);
	int next = FIX::Session::lookupSession(session_id)->
	    getExpectedSenderNum();
	CHECK(cp.ok("status", __LINE__).find("next-in " +
	    std::to_string(next) + " ") != std::string::npos);

	/* Held back while silent (it was not written: none can be here). */
	Recorder::Pred held = [](const FIX::Message &m) {
		return get(m, 35) == "X" && m.toString().find(
		    "\001270=4530.00\001") != std::string::npos;
	};
	/* The subscription went with the session dropped: a new one. */
	r = subscribe("md2");
	CHECK(get(r, 268) == "3");
	cp.ok("silence on", __LINE__);
	cp.ok("price ES 4530.00", __LINE__);
	CHECK(rec.count(held) == 0);
	cp.ok("silence off", __LINE__);
	rec.expect(held, "the refresh held back", __LINE__);

	CHECK(cp.cmd("logout maintenance").compare(0, 2, "ok") == 0);
	r = rec.expect(type_is("5"), "Logout from fixcp", __LINE__);
	CHECK(get(r, 58) == "maintenance");
	rec.next_logout(__LINE__);
	rec.next_logon(__LINE__);
}

static void
restart(const std::vector<std::string> &args)
{
	FIX::Message	 n, s;
	std::string	 port = std::to_string(cp.port());
	std::vector<std::string> again = args;

	order("k1", '1', 1, '2', "4470.00");
	n = rec.expect(er("k1", '0'), "New k1", __LINE__);
	CHECK(cp.stop() == 0);
	rec.next_logout(__LINE__);
	again[1] = port;		/* --port: the initiator's */
	cp.start(again);
	rec.next_logon(__LINE__);
	status_request("k1", "st3");
	s = rec.expect(er("k1", 'I'), "status of k1 after restart", __LINE__);
	CHECK(get(s, 39) == "0" && get(s, 37) == get(n, 37));
	CHECK(cp.ok("status", __LINE__).find("logged-on 1") == 0);
}

static void
compare_fills(void)
{
	long	 n = 0, net = 0;

	for (const FIX::Message &m : rec.all())
		if (get(m, 35) == "8" && get(m, 150) == "F") {
			n++;
			net += (get(m, 54) == "1" ? 1 : -1) *
			    atol(get(m, 32).c_str());
		}
	CHECK(n == 7 && net == 3);
	CHECK(cp.ok("fills", __LINE__) == std::to_string(n) + " ES:+" +
	    std::to_string(net));
}

/* An ExecutionReport for CL with ExecTransType (20) ETT. */
static Recorder::Pred
er42(const std::string &cl, char ett)
{
	return [cl, ett](const FIX::Message &m) {
		return get(m, 35) == "8" && get(m, 11) == cl &&
		    get(m, 20) == std::string(1, ett);
	};
}

/* FIX 4.2: fills, a status answer, what 4.2 lacks, market data. */
static void
fix42_session(void)
{
	FIX::Message	 n, f, s, r, x;

	CHECK(cp.ok("status", __LINE__).find("logged-on 1 ") == 0);
	r = subscribe("md42");
	CHECK(get(r, 8) == "FIX.4.2" && get(r, 268) == "0");
	cp.ok("price ES 4500.00", __LINE__);
	x = rec.expect([](const FIX::Message &m) { return get(m, 35) == "X" &&
	    get(m, 262) == "md42"; }, "4.2 incremental refresh", __LINE__);
	CHECK(x.toString().find("268=3279=0269=255=ES"
	    "270=4500.00") != std::string::npos);

	/* A market order: New, then a fill as ExecType 2. */
	order("f1", '1', 1, '1');
	n = rec.expect(er("f1", '0'), "New f1", __LINE__);
	CHECK(get(n, 8) == "FIX.4.2" && get(n, 20) == "0");
	f = rec.expect(er("f1", '2'), "fill f1", __LINE__);
	CHECK(get(f, 20) == "0" && get(f, 39) == "2" && get(f, 32) == "1");
	CHECK(get(f, 31) == "4500.00" && get(f, 151) == "0");

	/* A partial fill as ExecType 1; its status answer, ExecTransType 3. */
	cp.ok("fill partial 1", __LINE__);
	order("f2", '1', 2, '2', "4499.75");
	rec.expect(er("f2", '0'), "New f2", __LINE__);
	cp.ok("price ES 4499.75", __LINE__);
	f = rec.expect(er("f2", '1'), "partial fill f2", __LINE__);
	CHECK(get(f, 20) == "0" && get(f, 39) == "1" && get(f, 151) == "1");
	status_request("f2", "");
	s = rec.expect(er42("f2", '3'), "status of f2", __LINE__);
	CHECK(get(s, 150) == "1" && get(s, 39) == "1" && get(s, 14) == "1");
	CHECK(get(s, 790).empty() && get(s, 32).empty());
	status_request("nope", "");
	s = rec.expect(er42("nope", '3'), "status of an unknown order",
	    __LINE__);
	CHECK(get(s, 150) == "8" && get(s, 39) == "8" && get(s, 37) == "NONE");

	/* No mass cancel, no mass status in 4.2: BMR 380=3, nothing done. */
	FIX::Message q = message("q"), af = message("AF");
	q.setField(11, "mc42");
	q.setField(530, "7");
	send(q);
	r = rec.expect(type_is("j"), "BusinessMessageReject of q", __LINE__);
	CHECK(get(r, 372) == "q" && get(r, 380) == "3");
	af.setField(584, "ms42");
	af.setField(585, "7");
	send(af);
	r = rec.expect(type_is("j"), "BusinessMessageReject of AF", __LINE__);
	CHECK(get(r, 372) == "AF" && get(r, 380) == "3");
	CHECK(cp.cmd("mass-cancel on").compare(0, 6, "error ") == 0);
	CHECK(cp.ok("orders", __LINE__) == "f2:ES:buy:2:1:limit:4499.75");

	/* A cancel, a duplicate ClOrdID refused with 4.2's reason (2). */
	amend("F", "f2c", "f2", 2);
	r = rec.expect(er("f2c", '4'), "cancel f2", __LINE__);
	CHECK(get(r, 20) == "0" && get(r, 41) == "f2");
	amend("F", "f2c", "f2", 2);
	r = rec.expect(type_is("9"), "OrderCancelReject", __LINE__);
	CHECK(get(r, 102) == "2");
	CHECK(rec.count([](const FIX::Message &m) { return get(m, 8) ==
	    "FIX.4.2" && get(m, 35) == "8" && (get(m, 20).empty() ||
	    get(m, 150) == "F" || get(m, 150) == "I"); }) == 0);
	CHECK(cp.ok("fills", __LINE__) == "2 ES:+2");
}

/* fixcp --fix-version 4.2 and a FIX.4.2 initiator against it. */
static void
fix42(void)
{
	FIX::SessionSettings	 settings;
	FIX::Dictionary		 d, defaults;
	FIX::MemoryStoreFactory	 store;

	cp.start({ "--port", "0", "--fix-version", "4.2", "--store",
	    tmpdir + "/store42", "--log", tmpdir + "/log42" });
	session_id = FIX::SessionID("FIX.4.2", "TD", "CP");
	d.setString("ConnectionType", "initiator");
	d.setString("HeartBtInt", "30");
	d.setString("StartTime", "00:00:00");
	d.setString("EndTime", "00:00:00");
	d.setString("UseDataDictionary", "N");
	d.setString("SocketConnectHost", "127.0.0.1");
	d.setString("SocketConnectPort", std::to_string(cp.port()));
	settings.set(session_id, d);
	defaults.setString("ReconnectInterval", "1");
	settings.set(defaults);
	FIX::FileLogFactory	 logs(tmpdir + "/initiator42");
	FIX::ThreadedSocketInitiator initiator(rec, store, settings, logs);

	FIX::Session::lookupSession(session_id)->setDataDictionaryProvider(
	    fix_groups("FIX.4.2"));
	initiator.start();
	rec.next_logon(__LINE__);
	fix42_session();
	CHECK(cp.stop() == 0);
	rec.next_logout(__LINE__);
	initiator.stop();
}

static int
remove_one(const char *path, const struct stat *, int, struct FTW *)
{
	return remove(path);
}

int
main(int argc, char **argv)
{
	char	 tmpl[] = "/tmp/test-fixcp.XXXXXX";

	(void)argc;
	signal(SIGALRM, on_alarm);
	alarm(GUARD_SECONDS);
	signal(SIGPIPE, SIG_IGN);
	fixcp = fixcp_path(argv[0]);
	if (access(fixcp.c_str(), X_OK) != 0) {
		fprintf(stderr, "test-fixcp: no %s\n", fixcp.c_str());
		return 1;
	}
	if (mkdtemp(tmpl) == NULL)
		fail(__LINE__, "mkdtemp");
	tmpdir = tmpl;
	{
		std::ofstream t(tmpdir + "/ticks.txt");
		t << "20240102 143000 0000000;4500.00;5\n"
		  << "20240102 143001 0000000;4500.25;3\n";
	}
	std::vector<std::string> args = { "--port", "0", "--data",
	    tmpdir + "/ticks.txt", "--symbol", "ES", "--store",
	    tmpdir + "/store", "--log", tmpdir + "/log" };
	cp.start(args);

	FIX::SessionSettings	 settings;
	FIX::Dictionary		 d, defaults;
	FIX::MemoryStoreFactory	 store;

	d.setString("ConnectionType", "initiator");
	d.setString("HeartBtInt", "30");
	d.setString("StartTime", "00:00:00");
	d.setString("EndTime", "00:00:00");
	d.setString("UseDataDictionary", "N");
	d.setString("CheckLatency", "N");
	d.setString("SocketConnectHost", "127.0.0.1");
	d.setString("SocketConnectPort", std::to_string(cp.port()));
	settings.set(session_id, d);
	/* The initiator reads this one from the defaults only. */
	defaults.setString("ReconnectInterval", "1");
	settings.set(defaults);
	FIX::FileLogFactory	 logs(tmpdir + "/initiator");
	FIX::ThreadedSocketInitiator initiator(rec, store, settings, logs);

	FIX::Session::lookupSession(session_id)->setDataDictionaryProvider(
	    fix_groups("FIX.4.4"));
	initiator.start();
	rec.next_logon(__LINE__);
	CHECK(cp.ok("status", __LINE__).find("logged-on 1 ") == 0);

	market_data();
	each_order_type();
	partial_fill();
	reject();
	drop_and_reconnect();
	withhold_and_resend();
	mass_status_and_cancel();
	scenarios();
	sequence();
	restart(args);
	compare_fills();

	CHECK(cp.stop() == 0);		/* EOF: a Logout, then exit 0 */
	rec.next_logout(__LINE__);
	initiator.stop();
	fix42();
	nftw(tmpdir.c_str(), remove_one, 16, FTW_DEPTH | FTW_PHYS);
	printf("test-fixcp: ok\n");
	return 0;
}
