#include "load/connection.h"

#include <simdjson.h>

#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>

namespace modelgate::load {

namespace asio = boost::asio;
namespace beast = boost::beast;

// A response body larger than this fails with the transport error "body limit exceeded", so one
// broken server cannot fill the client's memory.
constexpr std::uint64_t kResponseBodyLimit = 64 * 1024 * 1024;

Connection::Connection(asio::io_context& io, asio::ip::tcp::endpoint endpoint)
    : io_(io), endpoint_(endpoint), timer_(io) {}

void Connection::Send(std::string request, std::chrono::nanoseconds timeout, Callback done) {
  request_ = std::move(request);
  done_ = std::move(done);
  deadline_ = Clock::now() + timeout;
  timed_out_ = false;
  WatchDeadline();
  if (socket_) return Write();
  socket_.emplace(io_);
  buffer_.clear();
  ++connects_;
  socket_->async_connect(endpoint_, [this](const beast::error_code& error) {
    if (error) return Fail(error);
    socket_->set_option(asio::ip::tcp::no_delay(true));
    Write();
  });
}

void Connection::WatchDeadline() {
  if (timer_armed_ && timer_.expiry() <= deadline_) return;
  timer_armed_ = true;
  // Setting the expiry cancels a pending wait, whose handler then runs with operation_aborted.
  timer_.expires_at(deadline_);
  timer_.async_wait([this](const boost::system::error_code& error) { OnTimer(error); });
}

void Connection::OnTimer(const boost::system::error_code& error) {
  if (error == asio::error::operation_aborted) return;
  timer_armed_ = false;
  if (!done_) return;  // no request in flight; the next Send arms the timer again
  if (Clock::now() < deadline_) return WatchDeadline();
  // The pending operation completes with operation_aborted, which Fail reports as a timeout.
  timed_out_ = true;
  socket_->close();
}

void Connection::Write() {
  asio::async_write(
      *socket_, asio::buffer(request_), [this](const beast::error_code& error, std::size_t) {
        if (error) return Fail(error);
        parser_.emplace();
        parser_->body_limit(kResponseBodyLimit);
        beast_http::async_read(*socket_, buffer_, *parser_,
                               [this](const beast::error_code& read_error, std::size_t) {
                                 if (read_error) return Fail(read_error);
                                 auto& response = parser_->get();
                                 Exchange exchange;
                                 exchange.status = response.result_int();
                                 if (exchange.status >= 400) {
                                   exchange.code = ProblemCode(response.body());
                                 }
                                 Finish(std::move(exchange), response.keep_alive());
                               });
      });
}

void Connection::Fail(const boost::system::error_code& error) {
  Exchange exchange;
  exchange.failure = timed_out_ ? "timeout" : FailureKind(error);
  Finish(std::move(exchange), false);
}

void Connection::Finish(Exchange exchange, bool keep_open) {
  // No operation is pending here, so the socket can go; the next Send connects again. A socket
  // the timer closed after the response arrived goes too.
  if (!keep_open || !socket_->is_open()) socket_.reset();
  // The callback may send the next request on this connection, so it is moved out first.
  Callback done = std::move(done_);
  done_ = nullptr;
  done(std::move(exchange));
}

void Connection::Close() {
  // Pending operations complete with operation_aborted and Finish releases the socket, which
  // must outlive them.
  if (socket_) socket_->close();
  timer_.cancel();
  timer_armed_ = false;
}

std::string FailureKind(const boost::system::error_code& error) {
  if (error == beast::error::timeout) return "timeout";
  if (error == asio::error::connection_refused) return "connection_refused";
  if (error == asio::error::connection_reset || error == asio::error::broken_pipe) {
    return "connection_reset";
  }
  if (error == beast_http::error::end_of_stream || error == asio::error::eof) {
    return "connection_closed";
  }
  if (error == asio::error::operation_aborted) return "aborted";
  return error.message();
}

std::string ProblemCode(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return "";
  std::string_view code;
  if (root["code"].get_string().get(code) != simdjson::SUCCESS) return "";
  return std::string(code);
}

}  // namespace modelgate::load
