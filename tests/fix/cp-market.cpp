/*
 * cp-market.cpp -- the counterparty's market data: the tick file, the
 * replay timer, the last trade and top of book per symbol, the
 * subscriptions and the FIX 4.4 or 4.2 messages (see cp-market.h).
 *
 * A tick line is "yyyyMMdd HHmmss[ fffffff];price;volume" or, with the
 * quotes, "yyyyMMdd HHmmss[ fffffff];price;bid;ask;volume" (UTC, the
 * fraction in 100 ns units, a bid or ask of 0 meaning none): what
 * `tickdesk generate --ticks` writes and what NinjaTrader exports.
 * Where a file has no quote, the top of book is the trade less and plus
 * one tick, one contract each side.
 */
#include "cp-market.h"

#include <sys/time.h>

#include <cstdio>
#include <ctime>

#include "quickfix/fix42/MarketDataIncrementalRefresh.h"
#include "quickfix/fix42/MarketDataSnapshotFullRefresh.h"
#include "quickfix/fix44/MarketDataIncrementalRefresh.h"
#include "quickfix/fix44/MarketDataSnapshotFullRefresh.h"

bool
MarketData::open(const std::string &path, const std::string &symbol,
    std::string *err)
{
	in_.open(path);
	if (!in_) {
		*err = path + ": cannot open";
		return false;
	}
	path_ = path;
	symbol_ = symbol;
	return true;
}

static bool
all_digits(const std::string &s, size_t from, size_t n)
{
	for (size_t i = from; i < from + n; i++)
		if (i >= s.size() || s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "yyyyMMdd HHmmss[ fffffff]" -> 272 and 273. */
static bool
tick_stamp(const std::string &s, Trade *t)
{
	int	 ms = 0;

	if ((s.size() != 15 && s.size() != 23) || s[8] != ' ' ||
	    !all_digits(s, 0, 8) || !all_digits(s, 9, 6))
		return false;
	if (s.size() == 23) {
		if (s[15] != ' ' || !all_digits(s, 16, 7))
			return false;
		ms = std::stoi(s.substr(16, 7)) / 10000;
	}
	t->date = s.substr(0, 8);
	char buf[16];
	snprintf(buf, sizeof buf, "%s:%s:%s.%03d", s.substr(9, 2).c_str(),
	    s.substr(11, 2).c_str(), s.substr(13, 2).c_str(), ms);
	t->time = buf;
	return true;
}

static bool
tick_parse(const std::string &line, Trade *t)
{
	std::vector<std::string>	 f;
	std::string::size_type		 start = 0, semi;
	long				 vol;

	while ((semi = line.find(';', start)) != std::string::npos) {
		f.push_back(line.substr(start, semi - start));
		start = semi + 1;
	}
	f.push_back(line.substr(start));
	if (f.size() != 3 && f.size() != 5)
		return false;
	if (!tick_stamp(f[0], t) || !px_parse(f[1], &t->px) || t->px <= 0)
		return false;
	t->bid = t->ask = 0;
	if (f.size() == 5 && (!px_parse(f[2], &t->bid) ||
	    !px_parse(f[3], &t->ask) || t->bid < 0 || t->ask < 0))
		return false;
	const std::string &v = f.back();
	if (v.empty() || !all_digits(v, 0, v.size()) || v.size() > 12)
		return false;
	vol = std::stol(v);
	t->volume = vol;
	return true;
}

bool
MarketData::next(Trade *t, std::string *err)
{
	std::string	 line;

	err->clear();
	if (!in_.is_open() || !std::getline(in_, line))
		return false;
	line_++;
	if (!line.empty() && line.back() == '\r')
		line.pop_back();
	t->symbol = symbol_;
	if (!tick_parse(line, t)) {
		*err = path_ + ":" + std::to_string(line_) + ": not a tick";
		return false;
	}
	return true;
}

void
MarketData::play(double rate, Clock::time_point now)
{
	rate_ = rate;
	due_ = now + std::chrono::duration_cast<Clock::duration>(
	    std::chrono::duration<double>(1.0 / rate));
}

int
MarketData::due(Clock::time_point now, int max)
{
	auto	 period = std::chrono::duration_cast<Clock::duration>(
	    std::chrono::duration<double>(1.0 / rate_));
	int	 n = 0;

	if (!playing())
		return 0;
	while (due_ <= now && n < max) {
		due_ += period;
		n++;
	}
	if (due_ <= now)	/* far behind: no burst to catch up */
		due_ = now + period;
	return n;
}

void
MarketData::record(Trade *t)
{
	const Instrument	*inst = instrument_find(t->symbol);
	Px			 tick = inst ? inst->tick : 0;

	if (t->bid <= 0 || t->ask <= 0 || t->bid >= t->ask) {
		t->bid = t->px - tick;
		t->ask = t->px + tick;
	}
	last_[t->symbol] = *t;
}

const Trade *
MarketData::last(const std::string &symbol) const
{
	auto	 i = last_.find(symbol);

	return i == last_.end() ? NULL : &i->second;
}

void
MarketData::subscribe(const std::string &req, const std::string &sym)
{
	subs_[req].insert(sym);
}

void
MarketData::unsubscribe(const std::string &req)
{
	subs_.erase(req);
}

std::vector<std::string>
MarketData::subscribers(const std::string &sym) const
{
	std::vector<std::string>	 r;

	for (const auto &s : subs_)
		if (s.second.count(sym))
			r.push_back(s.first);
	return r;
}

/* 272/273: the tick's own time, or the wall clock (UTC). */
void
MarketData::stamp(FIX::FieldMap &entry, const Trade &t) const
{
	struct timeval	 tv;
	struct tm	 tm;
	char		 d[16], h[16];

	if (!restamp_ && !t.date.empty()) {
		entry.setField(272, t.date);
		entry.setField(273, t.time);
		return;
	}
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(d, sizeof d, "%Y%m%d", &tm);
	snprintf(h, sizeof h, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (int)(tv.tv_usec / 1000));
	entry.setField(272, d);
	entry.setField(273, h);
}

static int
decimals(const std::string &symbol)
{
	const Instrument	*inst = instrument_find(symbol);

	return inst ? inst->decimals : 2;
}

/* W of the last trade and the top of book; Entry orders the group. */
template <class Entry> FIX::Message
MarketData::snapshot_as(const std::string &req,
    const std::string &symbol) const
{
	FIX::Message	 w;
	Entry		 e;
	const Trade	*t = last(symbol);
	int		 dec = decimals(symbol);

	w.getHeader().setField(35, "W");
	w.setField(262, req);
	w.setField(55, symbol);
	if (t == NULL) {
		w.setField(268, "0");
		return w;
	}
	const struct { char type; Px px; long size; } entries[] = {
		{ '0', t->bid, 1 }, { '1', t->ask, 1 },
		{ '2', t->px, t->volume },
	};
	for (const auto &x : entries) {
		e = Entry();
		e.setField(269, std::string(1, x.type));
		e.setField(270, px_format(x.px, dec));
		e.setField(271, std::to_string(x.size));
		stamp(e, *t);
		w.addGroup(e);
	}
	return w;
}

FIX::Message
MarketData::snapshot(const std::string &req, const std::string &symbol) const
{
	if (fix42_)
		return snapshot_as<FIX42::MarketDataSnapshotFullRefresh::
		    NoMDEntries>(req, symbol);
	return snapshot_as<FIX44::MarketDataSnapshotFullRefresh::NoMDEntries>(
	    req, symbol);
}

/* X of a trade and the top of book after it; Entry orders the group. */
template <class Entry> FIX::Message
MarketData::incremental_as(const std::string &req, const Trade &t) const
{
	FIX::Message	 x;
	Entry		 e;
	int		 dec = decimals(t.symbol);

	/* The trade is new (279=0); the top of book changes (279=1). */
	const struct { char action, type; Px px; long size; } entries[] = {
		{ '0', '2', t.px, t.volume },
		{ '1', '0', t.bid, 1 },
		{ '1', '1', t.ask, 1 },
	};
	x.getHeader().setField(35, "X");
	x.setField(262, req);
	for (const auto &y : entries) {
		e = Entry();
		e.setField(279, std::string(1, y.action));
		e.setField(269, std::string(1, y.type));
		e.setField(55, t.symbol);
		e.setField(270, px_format(y.px, dec));
		e.setField(271, std::to_string(y.size));
		stamp(e, t);
		x.addGroup(e);
	}
	return x;
}

FIX::Message
MarketData::incremental(const std::string &req, const Trade &t) const
{
	if (fix42_)
		return incremental_as<FIX42::MarketDataIncrementalRefresh::
		    NoMDEntries>(req, t);
	return incremental_as<FIX44::MarketDataIncrementalRefresh::NoMDEntries>(
	    req, t);
}

FIX::Message
MarketData::request_reject(const std::string &req, char reason,
    const std::string &text)
{
	FIX::Message	 y;

	y.getHeader().setField(35, "Y");
	y.setField(262, req);
	y.setField(281, std::string(1, reason));
	y.setField(58, text);
	return y;
}
