/*
 * cp-wire.cpp -- the counterparty's TCP side: the listening socket, the
 * one connection, framing, and what the scenarios do to the bytes (see
 * cp-wire.h).
 *
 * Re-entrance: handing a message to the session may end in the session
 * calling disconnect() (a Logout answered, a bad logon), which closes
 * the socket under take(); take() and read_some() look at fd_ after
 * every call into the session and stop once it is gone.
 */
#include "cp-wire.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

Wire::~Wire()
{
	if (fd_ != -1)
		close(fd_);
	if (listen_fd_ != -1)
		close(listen_fd_);
}

bool
Wire::listen(int port, std::string *err, bool *in_use)
{
	struct sockaddr_in	 sa;
	socklen_t		 len = sizeof sa;
	int			 one = 1;

	*in_use = false;
	listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (listen_fd_ == -1) {
		*err = std::string("socket: ") + strerror(errno);
		return false;
	}
	setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(listen_fd_, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    ::listen(listen_fd_, 8) == -1) {
		*in_use = errno == EADDRINUSE || errno == EACCES;
		*err = "127.0.0.1:" + std::to_string(port) + ": " +
		    strerror(errno);
		return false;
	}
	getsockname(listen_fd_, (struct sockaddr *)&sa, &len);
	port_ = ntohs(sa.sin_port);
	return true;
}

void
Wire::pollfds(std::vector<struct pollfd> &fds) const
{
	fds.push_back({ listen_fd_, POLLIN, 0 });
	if (fd_ != -1)
		fds.push_back({ fd_, (short)(POLLIN |
		    (!out_.empty() && !silent_ ? POLLOUT : 0)), 0 });
}

void
Wire::handle(const std::vector<struct pollfd> &fds)
{
	int	 fd = fd_;

	for (const struct pollfd &p : fds) {
		if (p.revents == 0)
			continue;
		if (p.fd == fd && fd == fd_ && (p.revents & POLLOUT))
			flush();
		if (p.fd == fd && fd == fd_ &&
		    (p.revents & (POLLIN | POLLHUP | POLLERR)))
			read_some();
	}
	if (broken_)
		lost();
	for (const struct pollfd &p : fds)
		if (p.fd == listen_fd_ && (p.revents & POLLIN))
			accept_one();
}

void
Wire::accept_one()
{
	int	 s, one = 1;

	s = accept4(listen_fd_, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (s == -1)
		return;
	if (fd_ != -1 || refuse_) {
		fprintf(stderr, "fixcp: refused %s\n", refuse_ ?
		    "a connection (refuse on)" : "a second connection");
		close(s);
		return;
	}
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fd_ = s;
	bound_ = broken_ = false;
	parser_ = FIX::Parser();
	out_.clear();
}

void
Wire::read_some()
{
	char		 buf[16384];
	ssize_t		 n;
	std::string	 msg;

	n = recv(fd_, buf, sizeof buf, 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		lost();
		return;
	}
	parser_.addToStream(buf, (size_t)n);
	for (;;) {
		try {
			if (!parser_.readFixMessage(msg))
				return;
		} catch (FIX::MessageParseError &) {
			fprintf(stderr, "fixcp: garbage on the wire: "
			    "closing\n");
			lost();
			return;
		}
		take(msg);
		if (fd_ == -1)
			return;
	}
}

/* One message in: bind the connection to the session on its Logon. */
void
Wire::take(const std::string &msg)
{
	if (inbound_)
		inbound_();
	if (!bound_) {
		if (msg.find("\00135=A\001") == std::string::npos ||
		    FIX::Session::lookupSession(msg, true) != &session_) {
			fprintf(stderr, "fixcp: not a Logon for this session "
			    "(CompIDs?): closing\n");
			close_fd();
			return;
		}
		bound_ = true;
		session_.setResponder(this);
		if (fd_ == -1)
			return;
	}
	try {
		session_.next(msg, FIX::UtcTimeStamp());
	} catch (FIX::InvalidMessage &e) {
		fprintf(stderr, "fixcp: invalid message: %s\n", e.what());
		if (fd_ != -1 && !session_.isLoggedOn())
			lost();
	}
}

/* The peer went away, or a write failed. */
void
Wire::lost()
{
	broken_ = false;
	if (fd_ == -1)
		return;
	out_.clear();
	if (bound_)
		session_.disconnect();	/* calls disconnect() below */
	if (fd_ != -1)
		close_fd();
}

void
Wire::drop()
{
	out_.clear();
	lost();
}

void
Wire::silence(bool on)
{
	silent_ = on;
	if (!on && fd_ != -1)
		flush();
}

static bool
is_admin(const std::string &msg)
{
	std::string::size_type	 p = msg.find("\00135=");
	std::string		 type;

	if (p == std::string::npos)
		return true;
	type = msg.substr(p + 4, msg.find('\001', p + 4) - (p + 4));
	return type == "0" || type == "1" || type == "2" || type == "3" ||
	    type == "4" || type == "5" || type == "A";
}

bool
Wire::send(const std::string &msg)
{
	if (fd_ == -1)
		return false;
	if (withhold_ > 0 && !is_admin(msg) &&
	    msg.find("\00143=Y\001") == std::string::npos) {
		withhold_--;
		return true;
	}
	out_ += msg;
	if (!silent_)
		flush();
	return true;
}

/* The session hangs up: what can still go out goes, unless silenced. */
void
Wire::disconnect()
{
	if (fd_ == -1)
		return;
	if (!silent_)
		flush();
	close_fd();
}

void
Wire::flush()
{
	ssize_t	 n;

	while (!out_.empty() && !broken_) {
		n = ::send(fd_, out_.data(), out_.size(),
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0)
			out_.erase(0, (size_t)n);
		else if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		else {
			out_.clear();
			broken_ = true;	/* hung up by handle() */
		}
	}
}

void
Wire::close_fd()
{
	close(fd_);
	fd_ = -1;
	bound_ = false;
	out_.clear();
	parser_ = FIX::Parser();
}
