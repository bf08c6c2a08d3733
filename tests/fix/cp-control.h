/*
 * cp-control.h -- the counterparty's control channel (tests/fix/fixcp).
 *
 * Commands come on stdin, one a line; each is answered on stdout by
 * exactly one line, "ok ..." or "error WHY", once it has taken effect
 * (the FIX messages it makes are written to the socket, or queued behind
 * what the initiator has not read yet).  A command whose effect comes
 * later (logout: the session ends) holds the channel until it comes;
 * the lines after it wait.  The command table and what each command
 * does are in cp-control.cpp and tests/fix/README.
 */
#ifndef CP_CONTROL_H
#define CP_CONTROL_H

#include <string>
#include <vector>

#include "quickfix/Session.h"

#include "cp-book.h"
#include "cp-market.h"
#include "cp-session.h"
#include "cp-wire.h"

class Control {
public:
	Control(SessionApp &app, OrderBook &book, MarketData &market,
	    Wire &wire, FIX::Session &session, bool heartbeat_check);

	/* Bytes from stdin; at EOF, a last line without its newline. */
	void	 feed(const char *buf, size_t n);
	void	 feed_eof();
	/* Run the buffered commands, finish a waiting one. */
	void	 run();
	/* A command waits for its effect: read no more for now. */
	bool	 busy() const { return waiting_logout_; }
	/* Nothing buffered, nothing waiting. */
	bool	 idle() const;
	/* `play`: publish N ticks of the data file that fell due. */
	void	 play(int n);

	/* One command: its words, and the text of the line after word I. */
	struct Cmd {
		std::vector<std::string>	 w;
		std::vector<size_t>		 at;
		std::string			 line;
		std::string	 rest(size_t i) const;
	};

private:
	struct Entry {
		const char	*name;
		void		 (Control::*fn)(const Cmd &);
		const char	*usage;
	};
	static const Entry table[];

	void	 command(const std::string &line);
	void	 ok(const std::string &s = "");
	void	 error(const std::string &why);
	void	 usage(const Cmd &c);
	bool	 number(const std::string &s, long lo, long hi, long *out);
	bool	 on_off(const Cmd &c, bool *out);

	void	 c_status(const Cmd &);
	void	 c_tick(const Cmd &);
	void	 c_price(const Cmd &);
	void	 c_play(const Cmd &);
	void	 c_pause(const Cmd &);
	void	 c_fill(const Cmd &);
	void	 c_reject(const Cmd &);
	void	 c_cancel(const Cmd &);
	void	 c_restate(const Cmd &);
	void	 c_expire(const Cmd &);
	void	 c_session_reject(const Cmd &);
	void	 c_emergency(const Cmd &);
	void	 c_refuse(const Cmd &);
	void	 c_bmr(const Cmd &);
	void	 c_drop(const Cmd &);
	void	 c_logout(const Cmd &);
	void	 c_withhold(const Cmd &);
	void	 c_gap(const Cmd &);
	void	 c_expect_lower(const Cmd &);
	void	 c_silence(const Cmd &);
	void	 c_mass_cancel(const Cmd &);
	void	 c_pending(const Cmd &);
	void	 c_fills(const Cmd &);
	void	 c_orders(const Cmd &);
	void	 c_heartbeats(const Cmd &);
	void	 c_help(const Cmd &);

	SessionApp	&app_;
	OrderBook	&book_;
	MarketData	&market_;
	Wire		&wire_;
	FIX::Session	&session_;
	bool		 hb_check_;
	std::string	 in_;
	bool		 waiting_logout_ = false;
};

#endif
