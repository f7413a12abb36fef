#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
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
  void Write();
  void Finish(Exchange exchange, bool keep_open);
  void Fail(const boost::system::error_code& error);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::optional<boost::beast::tcp_stream> stream_;
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
