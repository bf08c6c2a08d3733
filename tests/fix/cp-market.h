/*
 * cp-market.h -- the counterparty's market data (tests/fix/fixcp).
 *
 * Where trades come from and what fixcp tells subscribers about them:
 * the --data file in the NinjaTrader tick format, read a tick at a time
 * (`tick N`, or `play RATE` on a timer the main loop asks about); the
 * last trade and top of book per symbol; the MarketDataRequest
 * subscriptions of the session; and the FIX 4.4 (or 4.2) messages that
 * carry it all (snapshot W, incremental refresh X, request reject Y).
 * The entries are the same in both versions; each version's own order of
 * the fields in a group is the one written.  It sends nothing itself:
 * the session application sends what it builds.
 */
#ifndef CP_MARKET_H
#define CP_MARKET_H

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "quickfix/Message.h"

#include "cp-book.h"

/* A trade and the top of book after it (bid/ask 0: derive from px). */
struct Trade {
	std::string	 symbol;
	Px		 px = 0;
	long		 volume = 1;
	Px		 bid = 0;
	Px		 ask = 0;
	std::string	 date;		/* 272 "YYYYMMDD" ("": now) */
	std::string	 time;		/* 273 "HH:MM:SS.sss" */
};

class MarketData {
public:
	typedef std::chrono::steady_clock Clock;

	/*
	 * With RESTAMP, entries carry the wall clock, not the file's time;
	 * FIX42: the groups as FIX 4.2 orders them.
	 */
	MarketData(bool restamp, bool fix42)
	    : restamp_(restamp), fix42_(fix42) {}

	/* Replay PATH as trades of SYMBOL. */
	bool	 open(const std::string &path, const std::string &symbol,
		    std::string *err);
	bool	 has_data() const { return in_.is_open(); }
	/*
	 * The next tick of the file: true with T filled; false at the end
	 * (ERR empty) or on a line that is not a tick (ERR says where; the
	 * next call goes on after it).
	 */
	bool	 next(Trade *t, std::string *err);

	/* `play RATE` ticks a second from NOW; `pause`. */
	void	 play(double rate, Clock::time_point now);
	void	 pause() { rate_ = 0; }
	bool	 playing() const { return rate_ > 0; }
	/* Ticks due by NOW (at most MAX), counted as taken. */
	int	 due(Clock::time_point now, int max);
	/* When the next tick is due (playing only). */
	Clock::time_point next_due() const { return due_; }

	/* Take T as the market's last trade; fill in a derived bid/ask. */
	void	 record(Trade *t);
	/* The last trade of SYMBOL, or NULL before any. */
	const Trade *last(const std::string &symbol) const;

	/* Subscriptions: request id -> symbols. */
	void	 subscribe(const std::string &req, const std::string &sym);
	void	 unsubscribe(const std::string &req);
	void	 unsubscribe_all() { subs_.clear(); }
	/* The request ids subscribed to SYMBOL. */
	std::vector<std::string> subscribers(const std::string &sym) const;

	/* The FIX messages. */
	FIX::Message snapshot(const std::string &req,
		    const std::string &symbol) const;
	FIX::Message incremental(const std::string &req,
		    const Trade &t) const;
	static FIX::Message request_reject(const std::string &req,
		    char reason, const std::string &text);

private:
	void	 stamp(FIX::FieldMap &entry, const Trade &t) const;
	template <class Entry> FIX::Message snapshot_as(
		    const std::string &req, const std::string &symbol) const;
	template <class Entry> FIX::Message incremental_as(
		    const std::string &req, const Trade &t) const;

	bool		 restamp_;
	bool		 fix42_;
	std::ifstream	 in_;
	std::string	 path_;
	std::string	 symbol_;
	long		 line_ = 0;
	double		 rate_ = 0;
	Clock::time_point due_;
	std::map<std::string, Trade> last_;
	std::map<std::string, std::set<std::string>> subs_;
};

#endif
