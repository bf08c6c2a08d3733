/*
 * cp-book.cpp -- the counterparty's order book: orders, matching and the
 * book file (see cp-book.h).
 *
 * The file is text, one record a line, fields separated by tabs:
 *
 *	fixcp-book 1
 *	stamp S			ExecID prefix (the book's birth in base 36)
 *	next N O		next OrderID and ExecID numbers
 *	fills COUNT
 *	net SYMBOL QTY		net signed quantity filled per symbol
 *	order ID CLID ORIGCLID SYMBOL ACCOUNT SIDE TYPE TIF QTY CUM PRICE
 *	      STOPPX TRIGGERED NOTIONAL STATUS
 *	id CLID ORDERID		a ClOrdID seen ("-": a refused request)
 *
 * Ids with a tab, a newline or a space are refused by the session before
 * they get here, so the fields need no quoting.
 */
#include "cp-book.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

static const Instrument instruments[] = {
	{ "ES", 250000, 2 },
	{ "MES", 250000, 2 },
	{ "NQ", 250000, 2 },
	{ "MNQ", 250000, 2 },
	{ "YM", 1000000, 0 },
	{ "MYM", 1000000, 0 },
	{ "RTY", 100000, 1 },
	{ "M2K", 100000, 1 },
	{ "CL", 10000, 2 },
	{ "MCL", 10000, 2 },
	{ "GC", 100000, 1 },
	{ "MGC", 100000, 1 },
};

const Instrument *
instrument_find(const std::string &symbol)
{
	for (const Instrument &i : instruments)
		if (symbol == i.symbol)
			return &i;
	return NULL;
}

bool
px_parse(const std::string &s, Px *out)
{
	size_t	 i = 0;
	bool	 neg = false, digits = false;
	Px	 v = 0, scale = PX_SCALE;

	if (i < s.size() && s[i] == '-') {
		neg = true;
		i++;
	}
	for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (INT64_MAX / PX_SCALE) / 10 - 10)
			return false;
		v = v * 10 + (s[i] - '0');
		digits = true;
	}
	v *= PX_SCALE;
	if (i < s.size() && s[i] == '.') {
		for (i++; i < s.size() && s[i] >= '0' && s[i] <= '9'; i++) {
			scale /= 10;
			if (scale == 0) {
				if (s[i] != '0')
					return false;	/* past 1e-6 */
				continue;
			}
			v += (s[i] - '0') * scale;
			digits = true;
		}
	}
	if (i != s.size() || !digits)
		return false;
	*out = neg ? -v : v;
	return true;
}

std::string
px_format(Px px, int decimals)
{
	char	 buf[48];
	Px	 a = px < 0 ? -px : px, unit = PX_SCALE;
	int	 d;

	for (d = 0; d < decimals; d++)
		unit /= 10;
	/* A price off the decimals (an AvgPx) gets the digits it needs. */
	while (unit > 1 && a % unit != 0) {
		unit /= 10;
		decimals++;
	}
	if (decimals == 0)
		snprintf(buf, sizeof buf, "%s%lld", px < 0 ? "-" : "",
		    (long long)(a / PX_SCALE));
	else
		snprintf(buf, sizeof buf, "%s%lld.%0*lld", px < 0 ? "-" : "",
		    (long long)(a / PX_SCALE), decimals,
		    (long long)((a % PX_SCALE) / unit));
	return buf;
}

bool
id_ok(const std::string &id)
{
	if (id.empty() || id.size() > 64)
		return false;
	for (char c : id)
		if (c <= ' ' || c > '~')
			return false;
	return true;
}

OrderBook::OrderBook(const std::string &path) : path_(path)
{
	unsigned long	 t = (unsigned long)time(NULL);
	const char	*digits = "0123456789abcdefghijklmnopqrstuvwxyz";

	do {
		stamp_.insert(stamp_.begin(), digits[t % 36]);
		t /= 36;
	} while (t > 0);
}

static std::vector<std::string>
split(const std::string &line)
{
	std::vector<std::string>	 f;
	std::string::size_type		 start = 0, tab;

	while ((tab = line.find('\t', start)) != std::string::npos) {
		f.push_back(line.substr(start, tab - start));
		start = tab + 1;
	}
	f.push_back(line.substr(start));
	return f;
}

static bool
to_long(const std::string &s, long *out)
{
	char	*end;

	errno = 0;
	*out = strtol(s.c_str(), &end, 10);
	return !s.empty() && *end == '\0' && errno == 0;
}

static bool
order_parse(const std::vector<std::string> &f, Order *o)
{
	long	 triggered, notional;

	if (f.size() != 16 || f[6].size() != 1 || f[7].size() != 1 ||
	    f[8].size() != 1 || f[15].size() != 1)
		return false;
	o->order_id = f[1];
	o->cl_ord_id = f[2];
	o->orig_cl_ord_id = f[3] == "-" ? "" : f[3];
	o->symbol = f[4];
	o->account = f[5] == "-" ? "" : f[5];
	o->side = f[6][0];
	o->type = f[7][0];
	o->tif = f[8][0];
	o->status = f[15][0];
	if (!to_long(f[9], &o->qty) || !to_long(f[10], &o->cum) ||
	    !px_parse(f[11], &o->price) || !px_parse(f[12], &o->stop_px) ||
	    !to_long(f[13], &triggered) || !to_long(f[14], &notional))
		return false;
	o->triggered = triggered != 0;
	o->notional = notional;
	return instrument_find(o->symbol) != NULL;
}

bool
OrderBook::load(std::string *err)
{
	std::ifstream	 in(path_);
	std::string	 line;
	int		 n = 0;

	if (!in) {
		if (errno == ENOENT)
			return true;
		*err = path_ + ": " + strerror(errno);
		return false;
	}
	while (std::getline(in, line)) {
		std::vector<std::string> f = split(line);
		Order	 o;
		long	 v;

		n++;
		if (n == 1 && line == "fixcp-book 1")
			continue;
		if (n == 1)
			goto bad;
		if (f[0] == "stamp" && f.size() == 2)
			stamp_ = f[1];
		else if (f[0] == "next" && f.size() == 3 &&
		    to_long(f[1], &next_order_) && to_long(f[2], &next_exec_))
			;
		else if (f[0] == "fills" && f.size() == 2 &&
		    to_long(f[1], &fills_))
			;
		else if (f[0] == "net" && f.size() == 3 && to_long(f[2], &v))
			net_[f[1]] = v;
		else if (f[0] == "order" && order_parse(f, &o))
			orders_.push_back(o);
		else if (f[0] == "id" && f.size() == 3)
			ids_[f[1]] = f[2] == "-" ? "" : f[2];
		else
			goto bad;
	}
	return true;
bad:
	*err = path_ + ":" + std::to_string(n) + ": not a line of a book";
	return false;
}

bool
OrderBook::save(std::string *err) const
{
	std::string	 tmp = path_ + ".tmp";
	std::ofstream	 out(tmp, std::ios::trunc);

	out << "fixcp-book 1\n" << "stamp\t" << stamp_ << "\n"
	    << "next\t" << next_order_ << "\t" << next_exec_ << "\n"
	    << "fills\t" << fills_ << "\n";
	for (const auto &n : net_)
		out << "net\t" << n.first << "\t" << n.second << "\n";
	for (const Order &o : orders_)
		out << "order\t" << o.order_id << "\t" << o.cl_ord_id << "\t"
		    << (o.orig_cl_ord_id.empty() ? "-" : o.orig_cl_ord_id)
		    << "\t" << o.symbol << "\t"
		    << (o.account.empty() ? "-" : o.account) << "\t"
		    << o.side << "\t" << o.type << "\t" << o.tif << "\t"
		    << o.qty << "\t" << o.cum << "\t"
		    << px_format(o.price, 6) << "\t"
		    << px_format(o.stop_px, 6) << "\t"
		    << (o.triggered ? 1 : 0) << "\t" << o.notional << "\t"
		    << o.status << "\n";
	for (const auto &i : ids_)
		out << "id\t" << i.first << "\t"
		    << (i.second.empty() ? "-" : i.second) << "\n";
	out.close();
	if (!out || rename(tmp.c_str(), path_.c_str()) == -1) {
		*err = tmp + ": " + strerror(errno);
		return false;
	}
	return true;
}

Order *
OrderBook::find(const std::string &id)
{
	auto		 i = ids_.find(id);
	std::string	 oid = i != ids_.end() ? i->second : id;

	if (oid.empty())
		return NULL;
	for (Order &o : orders_)
		if (o.order_id == oid)
			return &o;
	return NULL;
}

bool
OrderBook::seen(const std::string &cl_ord_id) const
{
	return ids_.count(cl_ord_id) != 0;
}

void
OrderBook::note(const std::string &cl_ord_id, const Order *order)
{
	if (id_ok(cl_ord_id))
		ids_[cl_ord_id] = order ? order->order_id : "";
}

Order &
OrderBook::add(const Order &o)
{
	orders_.push_back(o);
	Order &n = orders_.back();
	n.order_id = "O" + std::to_string(next_order_++);
	n.status = '0';
	note(n.cl_ord_id, &n);
	return n;
}

std::string
OrderBook::exec_id()
{
	return stamp_ + "-" + std::to_string(next_exec_++);
}

void
OrderBook::apply(Order &o, long qty, Px px)
{
	o.cum += qty;
	o.notional += (int64_t)qty * px;
	o.status = o.cum >= o.qty ? '2' : '1';
	fills_++;
	net_[o.symbol] += o.buy() ? qty : -qty;
}

bool
OrderBook::match(Order &o, Px px, long limit, Fill *fill)
{
	bool	 buy = o.buy();
	Px	 at;
	long	 qty;

	if (!o.working())
		return false;
	if ((o.type == '3' || o.type == '4') && !o.triggered) {
		if (buy ? px < o.stop_px : px > o.stop_px)
			return false;
		o.triggered = true;
	}
	switch (o.type) {
	case '1':
	case '3':
		at = px;
		break;
	default:		/* a limit, or a triggered stop-limit */
		if (buy ? px > o.price : px < o.price)
			return false;
		at = o.price;
		break;
	}
	qty = o.leaves();
	if (limit > 0 && qty > limit)
		qty = limit;
	apply(o, qty, at);
	*fill = Fill{ &o, qty, at };
	return true;
}

std::vector<Fill>
OrderBook::trade(const std::string &symbol, Px px, long limit)
{
	std::vector<Fill>	 fills;
	Fill			 f;

	for (Order &o : orders_)
		if (o.symbol == symbol && match(o, px, limit, &f))
			fills.push_back(f);
	return fills;
}

std::vector<Order *>
OrderBook::working(const std::string &symbol)
{
	std::vector<Order *>	 w;

	for (Order &o : orders_)
		if (o.working() && (symbol.empty() || o.symbol == symbol))
			w.push_back(&o);
	return w;
}

int
OrderBook::working_count() const
{
	int	 n = 0;

	for (const Order &o : orders_)
		n += o.working();
	return n;
}
