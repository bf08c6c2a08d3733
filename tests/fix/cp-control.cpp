/*
 * cp-control.cpp -- the counterparty's control channel: the command
 * table and one function per command (see cp-control.h; the commands
 * are listed in fixcp.cpp and tests/fix/README).
 */
#include "cp-control.h"

#include <cstdio>
#include <cstdlib>

const Control::Entry Control::table[] = {
	{ "bmr", &Control::c_bmr, "bmr next [TEXT]" },
	{ "cancel", &Control::c_cancel, "cancel ID" },
	{ "drop", &Control::c_drop, "drop" },
	{ "emergency", &Control::c_emergency, "emergency" },
	{ "expect-lower", &Control::c_expect_lower, "expect-lower N" },
	{ "expire", &Control::c_expire, "expire" },
	{ "fill", &Control::c_fill, "fill full|partial K" },
	{ "fills", &Control::c_fills, "fills" },
	{ "gap", &Control::c_gap, "gap N" },
	{ "heartbeats", &Control::c_heartbeats, "heartbeats" },
	{ "help", &Control::c_help, "help" },
	{ "logout", &Control::c_logout, "logout [TEXT]" },
	{ "mass-cancel", &Control::c_mass_cancel, "mass-cancel on|off" },
	{ "orders", &Control::c_orders, "orders" },
	{ "pause", &Control::c_pause, "pause" },
	{ "pending", &Control::c_pending, "pending on|off" },
	{ "play", &Control::c_play, "play RATE" },
	{ "price", &Control::c_price, "price SYMBOL PRICE" },
	{ "refuse", &Control::c_refuse, "refuse on|off" },
	{ "reject", &Control::c_reject, "reject next [TEXT] | reject type "
	    "market|limit|stop|stoplimit [TEXT] | reject cancel next [TEXT] | "
	    "reject off" },
	{ "restate", &Control::c_restate, "restate ID QTY" },
	{ "session-reject", &Control::c_session_reject, "session-reject next" },
	{ "silence", &Control::c_silence, "silence on|off" },
	{ "status", &Control::c_status, "status" },
	{ "tick", &Control::c_tick, "tick N" },
	{ "withhold", &Control::c_withhold, "withhold N" },
};

Control::Control(SessionApp &app, OrderBook &book, MarketData &market,
    Wire &wire, FIX::Session &session, bool heartbeat_check)
    : app_(app), book_(book), market_(market), wire_(wire),
      session_(session), hb_check_(heartbeat_check)
{
}

std::string
Control::Cmd::rest(size_t i) const
{
	if (i >= w.size())
		return "";
	std::string	 s = line.substr(at[i]);

	while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
		s.pop_back();
	return s;
}

void
Control::feed(const char *buf, size_t n)
{
	in_.append(buf, n);
}

void
Control::feed_eof()
{
	if (!in_.empty() && in_.back() != '\n')
		in_ += '\n';
}

bool
Control::idle() const
{
	return !busy() && in_.find('\n') == std::string::npos;
}

void
Control::run()
{
	std::string::size_type	 nl;

	if (waiting_logout_ && !wire_.connected()) {
		waiting_logout_ = false;
		ok();
	}
	while (!busy() && (nl = in_.find('\n')) != std::string::npos) {
		std::string line = in_.substr(0, nl);

		in_.erase(0, nl + 1);
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		command(line);
	}
}

void
Control::command(const std::string &line)
{
	Cmd	 c;
	size_t	 i = 0;

	c.line = line;
	while (i < line.size()) {
		while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == line.size())
			break;
		c.at.push_back(i);
		size_t start = i;
		while (i < line.size() && line[i] != ' ' && line[i] != '\t')
			i++;
		c.w.push_back(line.substr(start, i - start));
	}
	if (c.w.empty() || c.w[0][0] == '#')
		return;			/* not a command */
	for (const Entry &e : table)
		if (c.w[0] == e.name) {
			(this->*e.fn)(c);
			return;
		}
	error("unknown command " + c.w[0] + " (help lists them)");
}

void
Control::ok(const std::string &s)
{
	printf("ok%s%s\n", s.empty() ? "" : " ", s.c_str());
	fflush(stdout);
}

void
Control::error(const std::string &why)
{
	printf("error %s\n", why.c_str());
	fflush(stdout);
}

bool
Control::number(const std::string &s, long lo, long hi, long *out)
{
	char	*end;

	*out = strtol(s.c_str(), &end, 10);
	return !s.empty() && *end == '\0' && *out >= lo && *out <= hi;
}

void
Control::usage(const Cmd &c)
{
	for (const Entry &e : table)
		if (c.w[0] == e.name)
			return error(std::string("usage: ") + e.usage);
}

bool
Control::on_off(const Cmd &c, bool *out)
{
	if (c.w.size() == 2 && (c.w[1] == "on" || c.w[1] == "off")) {
		*out = c.w[1] == "on";
		return true;
	}
	usage(c);
	return false;
}

/* ---------------------------------------------------------------- market */

void
Control::c_status(const Cmd &c)
{
	if (c.w.size() != 1)
		return usage(c);
	ok("logged-on " + std::to_string(app_.logged_on() ? 1 : 0) +
	    " next-in " + std::to_string(session_.getExpectedTargetNum()) +
	    " next-out " + std::to_string(session_.getExpectedSenderNum()) +
	    " orders " + std::to_string(book_.working_count()));
}

void
Control::c_emergency(const Cmd &c)
{
	if (c.w.size() != 1)
		return usage(c);
	ok(app_.emergency_report());
}

void
Control::c_tick(const Cmd &c)
{
	long		 n, i;
	Trade		 t;
	std::string	 err;

	if (c.w.size() != 2 || !number(c.w[1], 1, 1000000, &n))
		return usage(c);
	if (!market_.has_data())
		return error("no --data file");
	for (i = 0; i < n; i++) {
		if (!market_.next(&t, &err))
			return error(err.empty() ? "end of data after " +
			    std::to_string(i) + " ticks" : err);
		app_.trade(t);
	}
	const Trade *last = market_.last(t.symbol);
	const Instrument *inst = instrument_find(t.symbol);
	ok(t.symbol + " " + px_format(last->px, inst->decimals));
}

void
Control::c_price(const Cmd &c)
{
	const Instrument	*inst;
	Trade			 t;

	if (c.w.size() != 3)
		return usage(c);
	if ((inst = instrument_find(c.w[1])) == NULL)
		return error("unknown symbol " + c.w[1]);
	if (!px_parse(c.w[2], &t.px) || t.px <= 0 || t.px % inst->tick != 0)
		return error("price " + c.w[2] + " is not a price on the "
		    "tick " + px_format(inst->tick, inst->decimals));
	t.symbol = c.w[1];
	t.volume = 1;
	app_.trade(t);
	ok();
}

void
Control::c_play(const Cmd &c)
{
	char	*end;
	double	 rate;

	if (c.w.size() != 2)
		return usage(c);
	rate = strtod(c.w[1].c_str(), &end);
	if (*end != '\0' || !(rate > 0 && rate <= 10000))
		return error("the rate is ticks a second, above 0 and at most "
		    "10000");
	if (!market_.has_data())
		return error("no --data file");
	market_.play(rate, MarketData::Clock::now());
	ok();
}

void
Control::play(int n)
{
	Trade		 t;
	std::string	 err;

	for (int i = 0; i < n; i++) {
		if (!market_.next(&t, &err)) {
			fprintf(stderr, "fixcp: play: %s\n", err.empty() ?
			    "end of data" : err.c_str());
			market_.pause();
			return;
		}
		app_.trade(t);
	}
}

void
Control::c_pause(const Cmd &c)
{
	if (c.w.size() != 1)
		return usage(c);
	market_.pause();
	ok();
}

/* ---------------------------------------------------------------- orders */

void
Control::c_fill(const Cmd &c)
{
	long	 k;

	if (c.w.size() == 2 && c.w[1] == "full") {
		app_.scenarios.fill_limit = 0;
		return ok();
	}
	if (c.w.size() == 3 && c.w[1] == "partial" &&
	    number(c.w[2], 1, 1000000, &k)) {
		app_.scenarios.fill_limit = k;
		return ok();
	}
	usage(c);
}

void
Control::c_reject(const Cmd &c)
{
	static const struct { const char *name; char type; } types[] = {
		{ "market", '1' }, { "limit", '2' }, { "stop", '3' },
		{ "stoplimit", '4' },
	};
	Scenarios	&s = app_.scenarios;

	if (c.w.size() >= 2 && c.w[1] == "next") {
		s.reject_next = true;
		s.reject_next_text = c.rest(2);
		return ok();
	}
	if (c.w.size() >= 3 && c.w[1] == "cancel" && c.w[2] == "next") {
		s.reject_cancel_next = true;
		s.reject_cancel_text = c.rest(3);
		return ok();
	}
	if (c.w.size() == 2 && c.w[1] == "off") {
		s.reject_next = s.reject_cancel_next = false;
		s.reject_types.clear();
		return ok();
	}
	if (c.w.size() >= 3 && c.w[1] == "type")
		for (const auto &t : types)
			if (c.w[2] == t.name) {
				s.reject_types[t.type] = c.rest(3);
				return ok();
			}
	usage(c);
}

void
Control::c_cancel(const Cmd &c)
{
	std::string	 err;

	if (c.w.size() != 2)
		return usage(c);
	if (!app_.cancel(c.w[1], &err))
		return error(err);
	ok();
}

void
Control::c_restate(const Cmd &c)
{
	std::string	 err;
	long		 qty;

	if (c.w.size() != 3 || !number(c.w[2], 1, 1000000, &qty))
		return usage(c);
	if (!app_.restate(c.w[1], qty, &err))
		return error(err);
	ok();
}

void
Control::c_expire(const Cmd &c)
{
	if (c.w.size() != 1)
		return usage(c);
	ok(std::to_string(app_.expire()));
}

void
Control::c_session_reject(const Cmd &c)
{
	if (c.w.size() != 2 || c.w[1] != "next")
		return usage(c);
	app_.scenarios.session_reject_next = true;
	ok();
}

void
Control::c_bmr(const Cmd &c)
{
	if (c.w.size() < 2 || c.w[1] != "next")
		return usage(c);
	app_.scenarios.bmr_next = true;
	app_.scenarios.bmr_text = c.rest(2);
	ok();
}

void
Control::c_mass_cancel(const Cmd &c)
{
	bool	 on;

	if (app_.fix42())
		return error("FIX 4.2 has no OrderMassCancelRequest");
	if (on_off(c, &on)) {
		app_.scenarios.mass_cancel = on;
		ok();
	}
}

void
Control::c_pending(const Cmd &c)
{
	bool	 on;

	if (on_off(c, &on)) {
		app_.scenarios.pending = on;
		ok();
	}
}

void
Control::c_fills(const Cmd &c)
{
	std::string	 s = std::to_string(book_.fill_count());

	if (c.w.size() != 1)
		return usage(c);
	for (const auto &n : book_.net())
		s += " " + n.first + ":" + (n.second > 0 ? "+" : "") +
		    std::to_string(n.second);
	ok(s);
}

void
Control::c_orders(const Cmd &c)
{
	static const char *type_names[] = { "market", "limit", "stop",
	    "stoplimit" };
	std::string	 s;

	if (c.w.size() != 1)
		return usage(c);
	for (const Order *o : book_.working()) {
		const Instrument *inst = instrument_find(o->symbol);
		std::string px = "-";

		if (o->type == '2')
			px = px_format(o->price, inst->decimals);
		else if (o->type == '3')
			px = px_format(o->stop_px, inst->decimals);
		else if (o->type == '4')
			px = px_format(o->stop_px, inst->decimals) + "/" +
			    px_format(o->price, inst->decimals);
		if (!s.empty())
			s += ";";
		s += o->cl_ord_id + ":" + o->symbol + ":" +
		    (o->buy() ? "buy" : "sell") + ":" + std::to_string(o->qty) +
		    ":" + std::to_string(o->leaves()) + ":" +
		    type_names[o->type - '1'] + ":" + px;
	}
	ok(s);
}

/* ---------------------------------------------------------------- session */

void
Control::c_drop(const Cmd &c)
{
	if (c.w.size() != 1)
		return usage(c);
	if (!wire_.connected())
		return error("not connected");
	wire_.drop();
	ok();
}

void
Control::c_logout(const Cmd &c)
{
	if (!app_.logged_on())
		return error("not logged on");
	session_.logout(c.rest(1));
	session_.next(FIX::UtcTimeStamp());
	waiting_logout_ = true;		/* ok once disconnected */
}

void
Control::c_withhold(const Cmd &c)
{
	long	 n;

	if (c.w.size() != 2 || !number(c.w[1], 0, 1000000, &n))
		return usage(c);
	wire_.withhold((int)n);
	ok();
}

void
Control::c_gap(const Cmd &c)
{
	long	 n;

	if (c.w.size() != 2 || !number(c.w[1], 1, 1000000, &n))
		return usage(c);
	session_.setNextSenderMsgSeqNum(session_.getExpectedSenderNum() +
	    (int)n);
	ok();
}

void
Control::c_expect_lower(const Cmd &c)
{
	long	 n;
	int	 next = session_.getExpectedTargetNum();

	if (c.w.size() != 2 || !number(c.w[1], 1, 1000000, &n))
		return usage(c);
	if (n >= next)
		return error("the next expected seqnum is " +
		    std::to_string(next) + ": N must be below it");
	session_.setNextTargetMsgSeqNum(next - (int)n);
	ok();
}

void
Control::c_silence(const Cmd &c)
{
	bool	 on;

	if (on_off(c, &on)) {
		wire_.silence(on);
		ok();
	}
}

void
Control::c_refuse(const Cmd &c)
{
	bool	 on;

	if (on_off(c, &on)) {
		wire_.refuse(on);
		ok();
	}
}

void
Control::c_heartbeats(const Cmd &c)
{
	if (c.w.size() != 1)
		return usage(c);
	ok(app_.heartbeat_report() + (hb_check_ ? " check on" : " check off"));
}

void
Control::c_help(const Cmd &c)
{
	std::string	 s;

	(void)c;
	for (const Entry &e : table)
		s += std::string(s.empty() ? "" : " ") + e.name;
	ok(s);
}
