#pragma once

#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace modelgate::load {

namespace beast_http = boost::beast::http;

// Outcome of one request.
struct Exchange {
  unsigned status = 0;     // HTTP status; 0 when no response arrived
  std::string code;        // the problem document's `code` for an error status, when it has one
  std::string failure;     // transport failure kind when no response arrived: timeout, ...
};

// One keep-alive HTTP/1.1 client connection that carries one request at a time. It connects on
// first use and again after the server closed it or a request failed. The owner keeps it alive
// until the io_context has run out of work.
class Connection {
 public:
  using Callback = std::function<void(Exchange)>;

  Connection(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint endpoint);

  // Sends `request`, a complete serialized HTTP/1.1 request, and calls `done` once with the
  // outcome. `timeout` covers connecting, writing and reading the whole response.
  void Send(std::string request, std::chrono::nanoseconds timeout, Callback done);
  // Closes the socket, so a pending request completes with the failure "aborted".
  void Close();
  std::uint64_t connects() const { return connects_; }

 private:
  using Clock = std::chrono::steady_clock;
  // Concrete executor types, because copying and destroying the type-erased any_io_executor of
  // beast::tcp_stream took about 9 % of the client's perf samples in a closed-loop run.
  using Executor = boost::asio::io_context::executor_type;
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;
  using Timer = boost::asio::basic_waitable_timer<Clock, boost::asio::wait_traits<Clock>, Executor>;

  void WatchDeadline();
  void OnTimer(const boost::system::error_code& error);
  void Write();
  void Finish(Exchange exchange, bool keep_open);
  void Fail(const boost::system::error_code& error);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::optional<Socket> socket_;
  // One timer per connection, re-armed only when it fires before the current request's
  // deadline or when a request has an earlier deadline, so most requests cost no timer work.
  Timer timer_;
  bool timer_armed_ = false;
  Clock::time_point deadline_;
  bool timed_out_ = false;
  boost::beast::flat_buffer buffer_;
  std::string request_;
  std::optional<beast_http::response_parser<beast_http::string_body>> parser_;
  Callback done_;
  std::uint64_t connects_ = 0;
};

// Names a transport failure for the error table: timeout, connection_refused, connection_reset,
// connection_closed, or the system's message.
std::string FailureKind(const boost::system::error_code& error);

// Reads the `code` member of an RFC 9457 problem document; empty when the body has none.
std::string ProblemCode(std::string_view body);

}  // namespace modelgate::load
