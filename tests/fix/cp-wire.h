/*
 * cp-wire.h -- the counterparty's TCP side (tests/fix/fixcp).
 *
 * fixcp does not use QuickFIX's socket acceptor: it owns the socket, so
 * that it can listen on 127.0.0.1 only, run in one thread with the
 * control channel, and do to the bytes what a test asks -- drop the
 * connection without a Logout, hold everything back (silence), or lose
 * application messages the session has already stored and numbered
 * (withhold).  The Wire listens, takes one connection at a time, cuts
 * the byte stream into FIX messages (QuickFIX's Parser) and hands them to
 * the QuickFIX Session, whose Responder it is: the Session writes through
 * send() and hangs up through disconnect().  A second connection while
 * one is open is closed at once.
 */
#ifndef CP_WIRE_H
#define CP_WIRE_H

#include <poll.h>

#include <functional>
#include <string>
#include <vector>

#include "quickfix/Parser.h"
#include "quickfix/Responder.h"
#include "quickfix/Session.h"

class Wire : public FIX::Responder {
public:
	explicit Wire(FIX::Session &session) : session_(session) {}
	~Wire();

	/*
	 * Listen on 127.0.0.1:PORT (0: a free port, see port()).  False with
	 * ERR on failure, and *IN_USE when the port is taken.
	 */
	bool	 listen(int port, std::string *err, bool *in_use);
	int	 port() const { return port_; }

	/* What to wait for in poll(2), and what to do once it returned. */
	void	 pollfds(std::vector<struct pollfd> &fds) const;
	void	 handle(const std::vector<struct pollfd> &fds);

	/* Called with every message that comes in (before the session). */
	void	 on_inbound(std::function<void()> hook) { inbound_ = hook; }

	bool	 connected() const { return fd_ != -1; }
	/* Close the connection now: no Logout, what is queued is lost. */
	void	 drop();
	/* Close every new connection at once while on (a gateway down). */
	void	 refuse(bool on) { refuse_ = on; }
	/* Hold back everything written while on; send it when off. */
	void	 silence(bool on);
	bool	 silent() const { return silent_; }
	/* Lose the next N application messages (not resent ones). */
	void	 withhold(int n) { withhold_ = n; }
	int	 withholding() const { return withhold_; }

	/* FIX::Responder: the session writes and hangs up through these. */
	bool	 send(const std::string &msg) override;
	void	 disconnect() override;

private:
	void	 accept_one();
	void	 read_some();
	void	 take(const std::string &msg);
	void	 lost();
	void	 flush();
	void	 close_fd();

	FIX::Session	&session_;
	int		 listen_fd_ = -1;
	int		 port_ = 0;
	int		 fd_ = -1;
	bool		 bound_ = false;	/* the session's */
	bool		 broken_ = false;	/* a write failed */
	FIX::Parser	 parser_;
	std::string	 out_;
	bool		 silent_ = false;
	bool		 refuse_ = false;
	int		 withhold_ = 0;
	std::function<void()> inbound_;
};

#endif
