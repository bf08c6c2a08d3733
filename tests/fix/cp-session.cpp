/*
 * cp-session.cpp -- the counterparty's session application: logon
 * checks, the order messages and their answers, market data requests,
 * and the venue's own actions (see cp-session.h).
 *
 * No data dictionary: QuickFIX hands over the fields as they came.  A
 * required field that is missing leaves fromApp as FieldNotFound, which
 * QuickFIX answers with a BusinessMessageReject (380=5, 372, 45); a
 * field present with a value fixcp does not take gets the refusal of its
 * message type: an ExecutionReport 150=8 for a NewOrderSingle, an
 * OrderCancelReject for a cancel or replace, a MarketDataRequestReject
 * for a market data request.  A request resent with PossDupFlag=Y whose
 * ClOrdID fixcp has already seen is dropped without an answer.
 */
#include "cp-session.h"

#include <cstdio>
#include <cstdlib>

#include "quickfix/fix44/OrderMassCancelReport.h"

/* Text of the scenarios when the control channel gave none. */
#define SCENARIO_TEXT "rejected by the counterparty's scenario"
#define BAD_ID "ClOrdID and Account must be 1 to 64 printable characters " \
	"without spaces"

SessionApp::SessionApp(OrderBook &book, MarketData &market,
    const std::string &password, bool heartbeat_check, bool fix42)
    : book_(book), market_(market), password_(password), fix42_(fix42),
      hb_check_(heartbeat_check)
{
}

bool
SessionApp::logged_on() const
{
	return session_ != NULL && session_->isLoggedOn();
}

/* ---------------------------------------------------------------- helpers */

static const std::string &
field(const FIX::Message &m, int tag)
{
	return m.getField(tag);		/* FieldNotFound: a BMR */
}

static std::string
opt(const FIX::Message &m, int tag)
{
	return m.isSetField(tag) ? m.getField(tag) : std::string();
}

static bool
possdup(const FIX::Message &m)
{
	return m.getHeader().isSetField(43) &&
	    m.getHeader().getField(43) == "Y";
}

static std::string
msg_type(const FIX::Message &m)
{
	return m.getHeader().getField(35);
}

/* A whole number of contracts, 1 to a million ("2" or "2.0"). */
static bool
good_qty(const std::string &s, long *out)
{
	Px	 v;

	if (!px_parse(s, &v) || v <= 0 || v % PX_SCALE != 0 ||
	    v / PX_SCALE > 1000000)
		return false;
	*out = (long)(v / PX_SCALE);
	return true;
}

/* A price of INST: on its tick, above zero. */
static bool
good_px(const std::string &s, const Instrument *inst, Px *out,
    std::string *why, const char *what)
{
	if (s.empty()) {
		*why = std::string(what) + " missing";
		return false;
	}
	if (!px_parse(s, out) || *out <= 0) {
		*why = std::string("bad ") + what + " " + s;
		return false;
	}
	if (*out % inst->tick != 0) {
		*why = std::string(what) + " " + s + " is not on the tick " +
		    px_format(inst->tick, inst->decimals);
		return false;
	}
	return true;
}

static std::string
fmt(Px px, const std::string &symbol)
{
	const Instrument	*inst = instrument_find(symbol);

	return px_format(px, inst ? inst->decimals : 2);
}

static std::string
transact_time()
{
	return FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3);
}

/* OrdRejReason as FIX 4.2 has it: 0 to 8, the rest is broker option. */
static int
ord_rej_reason42(int reason)
{
	return reason >= 0 && reason <= 8 ? reason : 0;
}

/* CxlRejReason as FIX 4.2 has it: 0 to 3, the rest is broker option. */
static std::string
cxl_rej_reason42(const std::string &reason)
{
	return reason.size() == 1 && reason[0] >= '0' && reason[0] <= '3' ?
	    reason : "2";
}

/* The message types FIX 4.2 does not have (both came with FIX 4.3). */
static bool
after_fix42(const std::string &type)
{
	return type == "q" || type == "AF";
}

static const char *
status_name(char status)
{
	switch (status) {
	case '2':
		return "filled";
	case '4':
		return "canceled";
	case 'C':
		return "expired";
	case '8':
		return "rejected";
	default:
		return "working";
	}
}

/*
 * To the session whose order the message is about when the emergency
 * session placed it, else to the one whose request this answers, else to
 * the main session.  A session not logged on stores and numbers it: the
 * initiator gets it as a resend.
 */
void
SessionApp::send(FIX::Message m)
{
	FIX::Session	*to = current_ != NULL ? current_ : session_;

	if (m.isSetField(37) && em_orders_.count(m.getField(37)) != 0)
		to = emergency_;
	if (to != NULL)
		to->send(m);
}

bool
SessionApp::emergency(const FIX::SessionID &id) const
{
	return emergency_ != NULL && id == emergency_->getSessionID();
}

std::string
SessionApp::emergency_report() const
{
	return "logged-on " + std::to_string(emergency_ != NULL &&
	    emergency_->isLoggedOn() ? 1 : 0) + " requests " +
	    std::to_string(em_requests_);
}

void
SessionApp::save()
{
	std::string	 err;

	if (!book_.save(&err))
		fprintf(stderr, "fixcp: %s\n", err.c_str());
}

/*
 * An ExecutionReport on O.  OrdStatus is the order's, or the pending
 * state a pending ExecType announces.  41 is the caller's to add.  In
 * FIX 4.2 a new report (ExecTransType 0), and a fill (F) is a partial
 * fill (1) or a fill (2) as the order now is.
 */
FIX::Message
SessionApp::report(const Order &o, char exec_type, const std::string &text)
{
	FIX::Message	 r;
	char		 status = o.status;

	if (exec_type == 'A' || exec_type == '6' || exec_type == 'E')
		status = exec_type;
	if (fix42_ && exec_type == 'F')
		exec_type = o.status == '2' ? '2' : '1';
	r.getHeader().setField(35, "8");
	r.setField(37, o.order_id);
	r.setField(11, o.cl_ord_id);
	r.setField(17, book_.exec_id());
	if (fix42_)
		r.setField(20, "0");
	r.setField(150, std::string(1, exec_type));
	r.setField(39, std::string(1, status));
	if (!o.account.empty())
		r.setField(1, o.account);
	r.setField(55, o.symbol);
	r.setField(54, std::string(1, o.side));
	r.setField(38, std::to_string(o.qty));
	r.setField(40, std::string(1, o.type));
	if (o.type == '2' || o.type == '4')
		r.setField(44, fmt(o.price, o.symbol));
	if (o.type == '3' || o.type == '4')
		r.setField(99, fmt(o.stop_px, o.symbol));
	r.setField(59, std::string(1, o.tif));
	r.setField(14, std::to_string(o.cum));
	r.setField(151, std::to_string(o.leaves()));
	r.setField(6, fmt(o.avg_px(), o.symbol));
	r.setField(60, transact_time());
	if (!text.empty())
		r.setField(58, text);
	return r;
}

/*
 * The answer to a status question on O: ExecType I (FIX 4.4); in FIX 4.2,
 * ExecTransType 3 (status) with the order's status for ExecType.
 */
FIX::Message
SessionApp::status_report(const Order &o)
{
	FIX::Message	 r = report(o, fix42_ ? o.status : 'I');

	if (fix42_)
		r.setField(20, "3");
	return r;
}

/* ExecType 8 for a NewOrderSingle fixcp did not take (OrdRejReason). */
void
SessionApp::reject_order(const FIX::Message &m, int reason,
    const std::string &text)
{
	FIX::Message	 r;
	const int	 echo[] = { 1, 55, 54, 38, 40, 44, 99, 59 };

	r.getHeader().setField(35, "8");
	r.setField(37, "NONE");
	r.setField(11, field(m, 11));
	r.setField(17, book_.exec_id());
	if (fix42_)
		r.setField(20, "0");
	r.setField(150, "8");
	r.setField(39, "8");
	for (int tag : echo)
		if (m.isSetField(tag))
			r.setField(tag, m.getField(tag));
	r.setField(14, "0");
	r.setField(151, "0");
	r.setField(6, "0");
	r.setField(103, std::to_string(fix42_ ? ord_rej_reason42(reason) :
	    reason));
	r.setField(58, text);
	r.setField(60, transact_time());
	send(r);
	save();
}

/* OrderCancelReject (9) for a cancel (434=1) or a replace (434=2). */
void
SessionApp::cancel_reject(const FIX::Message &m, const Order *o,
    const std::string &reason, const std::string &text)
{
	FIX::Message	 r;
	std::string	 cl = field(m, 11);

	if (!book_.seen(cl))
		book_.note(cl, NULL);
	r.getHeader().setField(35, "9");
	r.setField(37, o ? o->order_id : "NONE");
	r.setField(11, cl);
	if (m.isSetField(41))
		r.setField(41, m.getField(41));
	r.setField(39, std::string(1, o ? o->status : '8'));
	r.setField(434, msg_type(m) == "G" ? "2" : "1");
	r.setField(102, fix42_ ? cxl_rej_reason42(reason) : reason);
	r.setField(58, text);
	r.setField(60, transact_time());
	send(r);
	save();
}

/* ---------------------------------------------------------------- logon */

void
SessionApp::fromAdmin(const FIX::Message &m, const FIX::SessionID &id)
    throw (FIX::FieldNotFound, FIX::IncorrectDataFormat,
    FIX::IncorrectTagValue, FIX::RejectLogon)
{
	std::string	 type = msg_type(m);

	if (type == "0" && !emergency(id))
		hb_received_++;
	if (type != "A")
		return;
	if (!password_.empty() && !m.isSetField(554))
		throw FIX::RejectLogon("password required");
	if (!password_.empty() && m.getField(554) != password_)
		throw FIX::RejectLogon("wrong password");
	if (emergency(id))
		return;
	cod_ = opt(m, 8013) == "Y";
	hb_interval_ = m.isSetField(108) ? atoi(m.getField(108).c_str()) : 0;
}

void
SessionApp::onLogon(const FIX::SessionID &id)
{
	if (emergency(id)) {
		fprintf(stderr, "fixcp: emergency session logged on\n");
		return;
	}
	fprintf(stderr, "fixcp: logged on%s\n",
	    cod_ ? " (cancel on disconnect)" : "");
	hb_last_ = Clock::now();
	hb_gap_late_ = false;
}

void
SessionApp::onLogout(const FIX::SessionID &id)
{
	if (emergency(id)) {
		fprintf(stderr, "fixcp: emergency session logged out\n");
		return;
	}
	fprintf(stderr, "fixcp: logged out\n");
	if (Clock::now() - hb_last_ > hb_longest_)	/* the last gap */
		hb_longest_ = Clock::now() - hb_last_;
	market_.unsubscribe_all();
	/* Not from here: the session is in the middle of hanging up. */
	if (cod_)
		cod_due_ = true;
	cod_ = false;
}

/* ---------------------------------------------------------------- orders */

const SessionApp::Handler SessionApp::handlers[] = {
	{ "D", &SessionApp::new_order },
	{ "F", &SessionApp::cancel_request },
	{ "G", &SessionApp::replace_request },
	{ "q", &SessionApp::mass_cancel },
	{ "H", &SessionApp::status_request },
	{ "AF", &SessionApp::mass_status },
	{ "V", &SessionApp::md_request },
};

void
SessionApp::fromApp(const FIX::Message &m, const FIX::SessionID &id)
    throw (FIX::FieldNotFound, FIX::IncorrectDataFormat,
    FIX::IncorrectTagValue, FIX::UnsupportedMessageType)
{
	struct Current {
		FIX::Session *&c;
		Current(FIX::Session *&cur, FIX::Session *s) : c(cur) {
			c = s;
		}
		~Current() { c = NULL; }
	} current(current_, emergency(id) ? emergency_ : session_);
	std::string	 type = msg_type(m);

	if (emergency(id))
		em_requests_++;

	if (scenarios.session_reject_next) {
		scenarios.session_reject_next = false;
		throw FIX::IncorrectTagValue(35);	/* Reject 373=5 */
	}
	if (scenarios.bmr_next) {
		scenarios.bmr_next = false;
		business_reject(m);
		return;
	}
	if (fix42_ && after_fix42(type))
		throw FIX::UnsupportedMessageType();	/* BMR 380=3 */
	for (const Handler &h : handlers)
		if (type == h.type) {
			(this->*h.fn)(m);
			return;
		}
	throw FIX::UnsupportedMessageType();		/* BMR 380=3 */
}

/* `bmr next`: BusinessMessageReject 380=4 (application not available). */
void
SessionApp::business_reject(const FIX::Message &m)
{
	FIX::Message	 j;

	j.getHeader().setField(35, "j");
	j.setField(45, m.getHeader().getField(34));
	j.setField(372, msg_type(m));
	if (m.isSetField(11))
		j.setField(379, m.getField(11));
	j.setField(380, "4");
	j.setField(58, scenarios.bmr_text.empty() ? SCENARIO_TEXT :
	    scenarios.bmr_text);
	send(j);
}

void
SessionApp::new_order(const FIX::Message &m)
{
	const std::string	&cl = field(m, 11);
	Order			 o;
	int			 reason = 99;
	std::string		 why;
	const int		 required[] = { 55, 54, 38, 40 };

	if (possdup(m) && book_.seen(cl))
		return;
	for (int tag : required)
		field(m, tag);
	if (book_.seen(cl)) {
		reject_order(m, 6, "duplicate ClOrdID " + cl);
		return;
	}
	if (!new_order_check(m, &o, &reason, &why)) {
		book_.note(cl, NULL);
		reject_order(m, reason, why);
		return;
	}
	accept(o);
}

/* Whether fixcp takes the order M; O is the order if it does. */
bool
SessionApp::new_order_check(const FIX::Message &m, Order *o, int *reason,
    std::string *why)
{
	const Instrument	*inst;
	std::string		 tif = opt(m, 59);

	if (scenarios.reject_next) {
		scenarios.reject_next = false;
		*why = scenarios.reject_next_text.empty() ? SCENARIO_TEXT :
		    scenarios.reject_next_text;
		return false;
	}
	o->cl_ord_id = field(m, 11);
	o->symbol = field(m, 55);
	o->account = opt(m, 1);
	if (!id_ok(o->cl_ord_id) ||
	    (m.isSetField(1) && !id_ok(o->account))) {
		*why = BAD_ID;
		return false;
	}
	if ((inst = instrument_find(o->symbol)) == NULL) {
		*reason = 1;
		*why = "unknown symbol " + o->symbol;
		return false;
	}
	const std::string &side = field(m, 54), &type = field(m, 40);
	if (side != "1" && side != "2") {
		*why = "unsupported side " + side;
		return false;
	}
	o->side = side[0];
	if (!good_qty(field(m, 38), &o->qty)) {
		*reason = 13;
		*why = "bad quantity " + field(m, 38);
		return false;
	}
	if (type.size() != 1 || type[0] < '1' || type[0] > '4') {
		*reason = 11;
		*why = "unsupported order type " + type;
		return false;
	}
	o->type = type[0];
	if (tif.size() > 1 || (!tif.empty() && tif != "0" && tif != "1" &&
	    tif != "3")) {
		*reason = 11;
		*why = "unsupported time in force " + tif;
		return false;
	}
	o->tif = tif.empty() ? '0' : tif[0];
	if (o->tif == '3' && (o->type == '3' || o->type == '4')) {
		*reason = 11;
		*why = "IOC is for market and limit orders";
		return false;
	}
	if ((o->type == '2' || o->type == '4') && !good_px(opt(m, 44), inst,
	    &o->price, why, "price"))
		return false;
	if ((o->type == '3' || o->type == '4') && !good_px(opt(m, 99), inst,
	    &o->stop_px, why, "stop price"))
		return false;
	auto rt = scenarios.reject_types.find(o->type);
	if (rt != scenarios.reject_types.end()) {
		*why = rt->second.empty() ? SCENARIO_TEXT : rt->second;
		return false;
	}
	if (o->type == '1' && market_.last(o->symbol) == NULL) {
		*why = "no market";
		return false;
	}
	return !through_market(*o, why);
}

/* A stop whose stop price the last trade has already passed (CME refuses). */
bool
SessionApp::through_market(const Order &o, std::string *why) const
{
	const Trade	*t = market_.last(o.symbol);

	if ((o.type != '3' && o.type != '4') || o.triggered || t == NULL)
		return false;
	if (o.buy() ? o.stop_px > t->px : o.stop_px < t->px)
		return false;
	*why = std::string(o.buy() ? "buy" : "sell") + " stop " +
	    fmt(o.stop_px, o.symbol) + " is through the market (last " +
	    fmt(t->px, o.symbol) + ")";
	return true;
}

/* A new order: New, what the last trade fills, the end of an IOC. */
void
SessionApp::accept(const Order &req)
{
	Order	&o = book_.add(req);

	if (current_ != NULL && current_ == emergency_)
		em_orders_.insert(o.order_id);
	if (scenarios.pending)
		send(report(o, 'A'));
	send(report(o, '0'));
	fill_now(o);
	if (o.tif == '3' && o.working()) {
		o.status = '4';
		send(report(o, '4', "IOC remainder canceled"));
	}
	save();
}

/* Market and limit orders match the last trade when they arrive. */
void
SessionApp::fill_now(Order &o)
{
	const Trade	*t = market_.last(o.symbol);
	Fill		 f;

	if (t == NULL || ((o.type == '3' || o.type == '4') && !o.triggered))
		return;
	if (book_.match(o, t->px, scenarios.fill_limit, &f)) {
		FIX::Message r = report(o, 'F');
		r.setField(32, std::to_string(f.qty));
		r.setField(31, fmt(f.px, o.symbol));
		send(r);
	}
}

/*
 * The order a cancel or replace M is for, or NULL once M has been
 * answered with an OrderCancelReject (a duplicate or bad ClOrdID, the
 * scenario, an unknown order, one that is done) or dropped (a resend of
 * one already answered).
 */
Order *
SessionApp::amend_target(const FIX::Message &m, char kind)
{
	const std::string	&cl = field(m, 11);
	Order			*o;

	if (possdup(m) && book_.seen(cl))
		return NULL;		/* a resend of one answered */
	if (book_.seen(cl)) {
		cancel_reject(m, book_.find(field(m, 41)), "6",
		    "duplicate ClOrdID " + cl);
		return NULL;
	}
	if (!id_ok(cl)) {
		cancel_reject(m, NULL, "99", BAD_ID);
		return NULL;
	}
	o = m.isSetField(37) ? book_.find(m.getField(37)) : NULL;
	if (o == NULL)
		o = book_.find(field(m, 41));
	if (scenarios.reject_cancel_next) {
		scenarios.reject_cancel_next = false;
		cancel_reject(m, o, "2", scenarios.reject_cancel_text.empty() ?
		    SCENARIO_TEXT : scenarios.reject_cancel_text);
		return NULL;
	}
	if (o == NULL) {
		cancel_reject(m, NULL, "1", "unknown order " + field(m, 41));
		return NULL;
	}
	if (!o->working()) {
		cancel_reject(m, o, "0", std::string("too late to ") +
		    (kind == 'G' ? "replace" : "cancel") + ": the order is " +
		    status_name(o->status));
		return NULL;
	}
	return o;
}

void
SessionApp::cancel_request(const FIX::Message &m)
{
	const std::string	&cl = field(m, 11);
	std::string		 orig;
	Order			*o;

	field(m, 41);
	if ((o = amend_target(m, 'F')) == NULL)
		return;
	orig = o->cl_ord_id;
	if (scenarios.pending) {
		FIX::Message r = report(*o, '6');
		r.setField(11, cl);
		r.setField(41, orig);
		send(r);
	}
	o->status = '4';
	o->orig_cl_ord_id = orig;
	o->cl_ord_id = cl;
	book_.note(cl, o);
	FIX::Message r = report(*o, '4');
	r.setField(41, orig);
	send(r);
	save();
}

/* Whether the replace M of O can be done; TO is O as replaced. */
bool
SessionApp::replace_check(const FIX::Message &m, const Order &o, Order *to,
    std::string *why)
{
	const Instrument	*inst = instrument_find(o.symbol);
	std::string		 tif = opt(m, 59);

	*to = o;
	if (field(m, 55) != o.symbol || field(m, 54) != std::string(1,
	    o.side) || field(m, 40) != std::string(1, o.type)) {
		*why = "symbol, side and order type cannot change";
		return false;
	}
	if (!good_qty(field(m, 38), &to->qty)) {
		*why = "bad quantity " + field(m, 38);
		return false;
	}
	if (to->qty <= o.cum) {
		*why = "quantity " + std::to_string(to->qty) +
		    " does not exceed the " + std::to_string(o.cum) + " filled";
		return false;
	}
	if (!tif.empty()) {
		if (tif != "0" && tif != "1") {
			*why = "time in force can only be day or GTC";
			return false;
		}
		to->tif = tif[0];
	}
	if ((o.type == '2' || o.type == '4') && !good_px(opt(m, 44), inst,
	    &to->price, why, "price"))
		return false;
	if ((o.type == '3' || o.type == '4') && !good_px(opt(m, 99), inst,
	    &to->stop_px, why, "stop price"))
		return false;
	return !through_market(*to, why);
}

void
SessionApp::replace_request(const FIX::Message &m)
{
	const std::string	&cl = field(m, 11);
	std::string		 orig, why;
	Order			*o, to;
	const int		 required[] = { 41, 55, 54, 38, 40 };

	for (int tag : required)
		field(m, tag);
	if ((o = amend_target(m, 'G')) == NULL)
		return;
	if (!replace_check(m, *o, &to, &why)) {
		cancel_reject(m, o, "99", why);
		return;
	}
	orig = o->cl_ord_id;
	if (scenarios.pending) {
		FIX::Message r = report(*o, 'E');
		r.setField(11, cl);
		r.setField(41, orig);
		send(r);
	}
	o->qty = to.qty;
	o->price = to.price;
	o->stop_px = to.stop_px;
	o->tif = to.tif;
	o->orig_cl_ord_id = orig;
	o->cl_ord_id = cl;
	book_.note(cl, o);
	FIX::Message r = report(*o, '5');
	r.setField(41, orig);
	send(r);
	fill_now(*o);
	save();
}

/* Cancel ORDERS for the venue's own reasons (ExecType 4, no 41). */
void
SessionApp::cancel_all(const std::vector<Order *> &orders,
    const std::string &text)
{
	for (Order *o : orders) {
		o->status = '4';
		FIX::Message r = report(*o, '4', text);
		send(r);
	}
	save();
}

void
SessionApp::mass_cancel(const FIX::Message &m)
{
	FIX44::OrderMassCancelReport			 r;
	FIX44::OrderMassCancelReport::NoAffectedOrders	 a;
	const std::string	&cl = field(m, 11), &type = field(m, 530);
	std::vector<Order *>	 orders;
	std::string		 symbol;

	if (!scenarios.mass_cancel)
		throw FIX::UnsupportedMessageType();	/* BMR 380=3 */
	if (possdup(m) && book_.seen(cl))
		return;
	if (!book_.seen(cl))
		book_.note(cl, NULL);
	r.setField(11, cl);
	r.setField(37, "M" + book_.exec_id());
	r.setField(530, type);
	if (type == "1") {
		symbol = field(m, 55);
		orders = book_.working(symbol);
		r.setField(55, symbol);
	} else if (type == "7")
		orders = book_.working();
	if (type != "1" && type != "7") {
		r.setField(531, "0");
		r.setField(532, "99");
		r.setField(58, "mass cancel type " + type + " not supported");
	} else {
		r.setField(531, type);
		r.setField(533, std::to_string(orders.size()));
		for (const Order *o : orders) {
			a.setField(41, o->cl_ord_id);
			a.setField(535, o->order_id);
			r.addGroup(a);
		}
	}
	r.setField(60, transact_time());
	send(r);
	cancel_all(orders, "mass cancel " + cl);
}

void
SessionApp::status_request(const FIX::Message &m)
{
	const std::string	&cl = field(m, 11);
	Order			*o = NULL;
	FIX::Message		 r;

	if (m.isSetField(37))
		o = book_.find(m.getField(37));
	if (o == NULL)
		o = book_.find(cl);
	if (o != NULL)
		r = status_report(*o);
	else {
		const int	 echo[] = { 55, 54 };

		r.getHeader().setField(35, "8");
		r.setField(37, "NONE");
		r.setField(11, cl);
		r.setField(17, book_.exec_id());
		if (fix42_)
			r.setField(20, "3");
		r.setField(150, fix42_ ? "8" : "I");
		r.setField(39, "8");
		for (int tag : echo)
			if (m.isSetField(tag))
				r.setField(tag, m.getField(tag));
		r.setField(14, "0");
		r.setField(151, "0");
		r.setField(6, "0");
		r.setField(58, "unknown order " + cl);
		r.setField(60, transact_time());
	}
	if (m.isSetField(790) && !fix42_)
		r.setField(790, m.getField(790));
	send(r);
	save();
}

void
SessionApp::mass_status(const FIX::Message &m)
{
	const std::string	&req = field(m, 584), &type = field(m, 585);
	std::vector<Order *>	 orders;
	std::string		 symbol;

	if (type == "7")
		orders = book_.working();
	else if (type == "1")
		orders = book_.working(symbol = field(m, 55));
	else
		throw FIX::IncorrectTagValue(585);	/* Reject 373=5 */
	for (size_t i = 0; i < orders.size(); i++) {
		FIX::Message r = status_report(*orders[i]);
		r.setField(584, req);
		r.setField(911, std::to_string(orders.size()));
		r.setField(912, i + 1 == orders.size() ? "Y" : "N");
		send(r);
	}
	if (orders.empty()) {
		FIX::Message	 r;

		r.getHeader().setField(35, "8");
		r.setField(37, "NONE");
		r.setField(17, book_.exec_id());
		r.setField(150, "I");
		r.setField(39, "8");
		r.setField(55, symbol.empty() ? "NA" : symbol);
		r.setField(14, "0");
		r.setField(151, "0");
		r.setField(6, "0");
		r.setField(584, req);
		r.setField(911, "0");
		r.setField(912, "Y");
		r.setField(58, "no working orders");
		r.setField(60, transact_time());
		send(r);
	}
	save();
}

void
SessionApp::md_request(const FIX::Message &m)
{
	const std::string		&req = field(m, 262);
	const std::string		&sub = field(m, 263);
	std::vector<std::string>	 symbols;

	if (sub == "2") {
		market_.unsubscribe(req);
		return;
	}
	for (size_t i = 1; i <= m.groupCount(146); i++) {
		const FIX::FieldMap &g = m.getGroupRef((int)i, 146);

		if (g.isSetField(55))
			symbols.push_back(g.getField(55));
	}
	if (symbols.empty() && m.isSetField(55))	/* outside its group */
		symbols.push_back(m.getField(55));
	if (sub != "0" && sub != "1") {
		FIX::Message y = MarketData::request_reject(req, '4',
		    "unsupported SubscriptionRequestType " + sub);
		send(y);
		return;
	}
	if (symbols.empty()) {
		FIX::Message y = MarketData::request_reject(req, '0',
		    "no symbol");
		send(y);
		return;
	}
	for (const std::string &s : symbols)
		if (instrument_find(s) == NULL) {
			FIX::Message y = MarketData::request_reject(req, '0',
			    "unknown symbol " + s);
			send(y);
			return;
		}
	for (const std::string &s : symbols) {
		FIX::Message w = market_.snapshot(req, s);
		send(w);
		if (sub == "1")
			market_.subscribe(req, s);
	}
}

/* ---------------------------------------------------------------- venue */

void
SessionApp::trade(Trade t)
{
	market_.record(&t);
	for (const std::string &req : market_.subscribers(t.symbol)) {
		FIX::Message x = market_.incremental(req, t);
		send(x);
	}
	if (book_.working(t.symbol).empty())
		return;
	for (const Fill &f : book_.trade(t.symbol, t.px,
	    scenarios.fill_limit)) {
		FIX::Message r = report(*f.order, 'F');
		r.setField(32, std::to_string(f.qty));
		r.setField(31, fmt(f.px, t.symbol));
		send(r);
	}
	save();
}

bool
SessionApp::cancel(const std::string &id, std::string *err)
{
	Order	*o = book_.find(id);

	if (o == NULL || !o->working()) {
		*err = o == NULL ? "no order " + id : "order " + id + " is " +
		    status_name(o->status);
		return false;
	}
	cancel_all({ o }, "canceled by the counterparty");
	return true;
}

bool
SessionApp::restate(const std::string &id, long qty, std::string *err)
{
	Order	*o = book_.find(id);

	if (o == NULL || !o->working()) {
		*err = o == NULL ? "no order " + id : "order " + id + " is " +
		    status_name(o->status);
		return false;
	}
	if (qty <= o->cum || qty >= o->qty) {
		*err = "the quantity must be below " + std::to_string(o->qty) +
		    " and above the " + std::to_string(o->cum) + " filled";
		return false;
	}
	o->qty = qty;
	FIX::Message r = report(*o, 'D', "restated by the counterparty");
	r.setField(378, "5");		/* partial decline of OrderQty */
	send(r);
	save();
	return true;
}

int
SessionApp::expire()
{
	std::vector<Order *>	 day;

	for (Order *o : book_.working())
		if (o->tif == '0')
			day.push_back(o);
	for (Order *o : day) {
		o->status = 'C';
		FIX::Message r = report(*o, 'C', "end of day");
		send(r);
	}
	save();
	return (int)day.size();
}

/* ---------------------------------------------------------------- timing */

void
SessionApp::inbound()
{
	Clock::time_point	 now = Clock::now();

	if (logged_on() && now - hb_last_ > hb_longest_)
		hb_longest_ = now - hb_last_;
	hb_last_ = now;
	hb_gap_late_ = false;
}

/*
 * Cancel on disconnect, once the session has hung up: the reports are
 * stored and numbered, and reach the initiator as a resend.  With
 * --heartbeat-check, an initiator silent for longer than its HeartBtInt
 * and a fifth (a second at least) is logged out.
 */
void
SessionApp::idle()
{
	Clock::time_point	 now = Clock::now();
	long			 grace;

	if (cod_due_) {
		cod_due_ = false;
		cancel_all(book_.working(), "cancel on disconnect");
	}
	if (!hb_check_ || !logged_on() || hb_interval_ <= 0 || hb_gap_late_)
		return;
	grace = hb_interval_ * 1000L / 5;
	if (grace < 1000)
		grace = 1000;
	auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(
	    now - hb_last_);
	if (gap.count() <= hb_interval_ * 1000L + grace)
		return;
	hb_gap_late_ = true;
	hb_late_++;
	fprintf(stderr, "fixcp: late heartbeat: silent for %lld ms\n",
	    (long long)gap.count());
	session_->logout("late heartbeat: silent for " +
	    std::to_string(gap.count()) + " ms, HeartBtInt " +
	    std::to_string(hb_interval_));
	session_->next(FIX::UtcTimeStamp());
}

std::string
SessionApp::heartbeat_report() const
{
	return "interval " + std::to_string(hb_interval_) + " received " +
	    std::to_string(hb_received_) + " late " + std::to_string(hb_late_) +
	    " longest-gap-ms " + std::to_string(
	    std::chrono::duration_cast<std::chrono::milliseconds>(
	    hb_longest_).count());
}
