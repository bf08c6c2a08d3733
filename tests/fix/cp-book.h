/*
 * cp-book.h -- the counterparty's order book (tests/fix/fixcp).
 *
 * What fixcp knows of orders, apart from FIX: every order it has
 * accepted, working or done, with the client's order ids that named it;
 * how a trade fills them (the matching rules of tests/fix/README); the
 * counters that make OrderIDs and ExecIDs unique; and the fills it has
 * made, per symbol, for the `fills` command.  The book lives in memory
 * and in one text file under --store, rewritten whole after each change
 * (save), so a restarted fixcp keeps its working orders and never
 * reuses an ExecID.  Prices are whole millionths (Px), exact for every
 * tick size of the instrument table.
 */
#ifndef CP_BOOK_H
#define CP_BOOK_H

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

typedef int64_t Px;
const Px PX_SCALE = 1000000;

/* An instrument fixcp trades: its tick size and how prices are written. */
struct Instrument {
	const char	*symbol;
	Px		 tick;
	int		 decimals;
};

/* The instrument of SYMBOL, or NULL when fixcp does not trade it. */
const Instrument *instrument_find(const std::string &symbol);
/* "4500.25" -> 4500250000; false on anything but [-]digits[.digits]. */
bool px_parse(const std::string &s, Px *out);
/* The price with DECIMALS decimals ("4500.25"). */
std::string px_format(Px px, int decimals);
/* An id the book can keep (ClOrdID, Account): 1 to 64 printable
 * characters, no space. */
bool id_ok(const std::string &id);

/*
 * An order by its FIX fields: 37 (ours), 11 and 41 of the last request
 * accepted for it, 55, 1 (echoed), 54 (1 buy, 2 sell), 40 (1 market, 2
 * limit, 3 stop, 4 stop-limit), 59 (0 day, 1 GTC, 3 IOC), 38, 14, 44 and
 * 99 as the type has them, 39 (0 or 1 working; 2, 4 or C done).
 */
struct Order {
	std::string	 order_id;
	std::string	 cl_ord_id;
	std::string	 orig_cl_ord_id;
	std::string	 symbol;
	std::string	 account;
	char		 side = '1';
	char		 type = '2';
	char		 tif = '0';
	long		 qty = 0;
	long		 cum = 0;
	Px		 price = 0;
	Px		 stop_px = 0;
	bool		 triggered = false; /* its stop price traded */
	int64_t		 notional = 0; /* sum of LastQty x LastPx */
	char		 status = '0';

	bool	working() const { return status == '0' || status == '1'; }
	long	leaves() const { return working() ? qty - cum : 0; }
	bool	buy() const { return side == '1'; }
	Px	avg_px() const { return cum ? notional / cum : 0; }
};

/* One fill made by a trade: the order (now updated) and what it took. */
struct Fill {
	Order	*order;
	long	 qty;
	Px	 px;
};

class OrderBook {
public:
	/* The book kept in PATH; nothing is read until load. */
	explicit OrderBook(const std::string &path);

	/* Read the file if it exists (a new book otherwise). */
	bool	load(std::string *err);
	/* Write the whole book (to a temporary file, then renamed). */
	bool	save(std::string *err) const;

	/* The order an id names: its OrderID or any ClOrdID it had. */
	Order	*find(const std::string &id);
	/* Whether a request already used CL_ORD_ID. */
	bool	 seen(const std::string &cl_ord_id) const;
	/* Remember CL_ORD_ID, for ORDER (NULL: a refused request); an id
	 * that is not id_ok is not kept. */
	void	 note(const std::string &cl_ord_id, const Order *order);

	/* Take O as a new working order: its OrderID is assigned here. */
	Order	&add(const Order &o);
	/* A new ExecID, unique for this book's life. */
	std::string exec_id();

	/*
	 * Whether a trade at PX fills O, and by how much (at most LIMIT
	 * contracts, 0 for no limit): triggers a stop the trade reaches and
	 * applies the fill to O.  Market orders fill at PX, limits at their
	 * price, stops at PX.
	 */
	bool	 match(Order &o, Px px, long limit, Fill *fill);
	/* Every working order of SYMBOL a trade at PX fills, in time order. */
	std::vector<Fill> trade(const std::string &symbol, Px px, long limit);

	/* Working orders, all or of one symbol, in time order. */
	std::vector<Order *> working(const std::string &symbol = "");
	int	 working_count() const;

	/* Fills made so far: their number and the net signed quantity. */
	long	 fill_count() const { return fills_; }
	const std::map<std::string, long> &net() const { return net_; }

private:
	void	 apply(Order &o, long qty, Px px);

	std::string		 path_;
	std::string		 stamp_;	/* ExecID prefix */
	long			 next_order_ = 1;
	long			 next_exec_ = 1;
	std::deque<Order>	 orders_;	/* time order, stable */
	std::map<std::string, std::string> ids_;	/* ClOrdID: OrderID */
	long			 fills_ = 0;
	std::map<std::string, long> net_;
};

#endif
