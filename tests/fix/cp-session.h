/*
 * cp-session.h -- the counterparty's session application (tests/fix/fixcp).
 *
 * The QuickFIX Application of fixcp: it checks the Logon (password,
 * CancelOnDisconnect), takes the application messages of the initiator
 * (orders, cancels, replaces, mass cancel, status and mass status,
 * market data requests), validates them by hand (no data dictionary),
 * runs them against the OrderBook and answers with ExecutionReports and
 * the other FIX 4.4 replies, or FIX 4.2's: ExecTransType (20) on every
 * ExecutionReport, a fill as ExecType 1 or 2, a status answer as
 * ExecTransType 3 with the order's status for ExecType, none of 4.3's
 * reason codes, and neither OrderMassCancelRequest nor
 * OrderMassStatusRequest (a BusinessMessageReject 380=3, as for any
 * message type it does not know).  It also carries out what the control
 * channel asks of the venue: a trade (market data out, fills), an
 * unsolicited cancel, a restatement, the end of the day; and it keeps
 * the scenarios that decide which request is refused and how.
 *
 * Everything runs on fixcp's one thread: QuickFIX calls in here from the
 * session the Wire feeds, the control channel from the main loop.
 */
#ifndef CP_SESSION_H
#define CP_SESSION_H

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "quickfix/Application.h"
#include "quickfix/Session.h"

#include "cp-book.h"
#include "cp-market.h"

/* What the control channel has asked to go wrong, or differently. */
struct Scenarios {
	/* The next NewOrderSingle; those of an OrdType (Text each). */
	bool		 reject_next = false;
	std::string	 reject_next_text;
	std::map<char, std::string> reject_types;
	/* The next cancel or replace. */
	bool		 reject_cancel_next = false;
	std::string	 reject_cancel_text;
	/* The next application message. */
	bool		 session_reject_next = false;
	bool		 bmr_next = false;
	std::string	 bmr_text;
	bool		 mass_cancel = true; /* q taken */
	bool		 pending = false; /* A, 6, E before 0, 4, 5 */
	long		 fill_limit = 0; /* a trade's most; 0: all */
};

class SessionApp : public FIX::Application {
public:
	typedef std::chrono::steady_clock Clock;

	/* FIX42: the session is FIX.4.2 (else FIX.4.4). */
	SessionApp(OrderBook &book, MarketData &market,
	    const std::string &password, bool heartbeat_check, bool fix42);

	void	 attach(FIX::Session *session) { session_ = session; }
	/*
	 * The emergency session (--emergency-port): the same account and
	 * book.  A request that comes on it is answered on it, and the
	 * reports of an order it placed go to it; everything else to the
	 * main session.
	 */
	void	 attach_emergency(FIX::Session *s) { emergency_ = s; }
	bool	 logged_on() const;
	bool	 fix42() const { return fix42_; }
	/* "logged-on 0|1 requests N" of the emergency session. */
	std::string emergency_report() const;

	Scenarios scenarios;

	/* A trade: market data to subscribers, then the fills it makes. */
	void	 trade(Trade t);
	/* An unsolicited cancel of the order ID names. */
	bool	 cancel(const std::string &id, std::string *err);
	/* A restatement (ExecType D) down to QTY contracts. */
	bool	 restate(const std::string &id, long qty, std::string *err);
	/* The end of the day: day orders expire; how many did. */
	int	 expire();

	/* A message came in (the Wire's hook). */
	void	 inbound();
	/* Between events: deferred work, and the heartbeat check. */
	void	 idle();
	/* "interval S received N late N longest-gap-ms N". */
	std::string heartbeat_report() const;

	/* FIX::Application */
	void	 onCreate(const FIX::SessionID &) override {}
	void	 onLogon(const FIX::SessionID &) override;
	void	 onLogout(const FIX::SessionID &) override;
	void	 toAdmin(FIX::Message &, const FIX::SessionID &) override {}
	void	 toApp(FIX::Message &, const FIX::SessionID &)
		    throw (FIX::DoNotSend) override {}
	void	 fromAdmin(const FIX::Message &, const FIX::SessionID &)
		    throw (FIX::FieldNotFound, FIX::IncorrectDataFormat,
		    FIX::IncorrectTagValue, FIX::RejectLogon) override;
	void	 fromApp(const FIX::Message &, const FIX::SessionID &)
		    throw (FIX::FieldNotFound, FIX::IncorrectDataFormat,
		    FIX::IncorrectTagValue,
		    FIX::UnsupportedMessageType) override;

private:
	/* The application messages fixcp takes, by MsgType. */
	struct Handler {
		const char	*type;
		void		 (SessionApp::*fn)(const FIX::Message &);
	};
	static const Handler handlers[];

	void	 business_reject(const FIX::Message &m);
	void	 new_order(const FIX::Message &m);
	bool	 new_order_check(const FIX::Message &m, Order *o,
		    int *reason, std::string *why);
	void	 accept(const Order &req);
	void	 cancel_request(const FIX::Message &m);
	void	 replace_request(const FIX::Message &m);
	bool	 replace_check(const FIX::Message &m, const Order &o,
		    Order *to, std::string *why);
	Order	*amend_target(const FIX::Message &m, char kind);
	void	 mass_cancel(const FIX::Message &m);
	void	 status_request(const FIX::Message &m);
	void	 mass_status(const FIX::Message &m);
	void	 md_request(const FIX::Message &m);

	bool	 through_market(const Order &o, std::string *why) const;
	void	 fill_now(Order &o);
	FIX::Message report(const Order &o, char exec_type,
		    const std::string &text = "");
	FIX::Message status_report(const Order &o);
	void	 reject_order(const FIX::Message &m, int reason,
		    const std::string &text);
	void	 cancel_reject(const FIX::Message &m, const Order *o,
		    const std::string &reason, const std::string &text);
	void	 cancel_all(const std::vector<Order *> &orders,
		    const std::string &text);
	void	 send(FIX::Message m);
	void	 save();
	bool	 emergency(const FIX::SessionID &id) const;

	OrderBook	&book_;
	MarketData	&market_;
	FIX::Session	*session_ = NULL;
	std::string	 password_;
	bool		 fix42_;

	/* The emergency session, the one a request came on (NULL: none, or
	   not in a request), and the OrderIDs of the orders it placed. */
	FIX::Session	*emergency_ = NULL;
	FIX::Session	*current_ = NULL;
	std::set<std::string> em_orders_;
	long		 em_requests_ = 0;

	/* CancelOnDisconnect: asked at logon (8013=Y); due in idle(). */
	bool		 cod_ = false;
	bool		 cod_due_ = false;

	/* The initiator's heartbeats: HeartBtInt, count, late gaps. */
	bool		 hb_check_;
	int		 hb_interval_ = 0;
	long		 hb_received_ = 0;
	long		 hb_late_ = 0;
	bool		 hb_gap_late_ = false; /* this gap counted */
	Clock::duration	 hb_longest_ = Clock::duration::zero();
	Clock::time_point hb_last_;
};

#endif
