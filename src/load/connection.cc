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
    : io_(io), endpoint_(endpoint) {}

void Connection::Send(std::string request, std::chrono::nanoseconds timeout, Callback done) {
  request_ = std::move(request);
  done_ = std::move(done);
  if (stream_) {
    stream_->expires_after(timeout);
    Write();
    return;
  }
  stream_.emplace(io_);
  buffer_.clear();
  stream_->expires_after(timeout);
  ++connects_;
  stream_->async_connect(endpoint_, [this](const beast::error_code& error) {
    if (error) return Fail(error);
    stream_->socket().set_option(asio::ip::tcp::no_delay(true));
    Write();
  });
}

void Connection::Write() {
  asio::async_write(
      *stream_, asio::buffer(request_), [this](const beast::error_code& error, std::size_t) {
        if (error) return Fail(error);
        parser_.emplace();
        parser_->body_limit(kResponseBodyLimit);
        beast_http::async_read(*stream_, buffer_, *parser_,
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
  exchange.failure = FailureKind(error);
  Finish(std::move(exchange), false);
}

void Connection::Finish(Exchange exchange, bool keep_open) {
  // No operation is pending here, so the stream can go; the next Send connects again.
  if (!keep_open) stream_.reset();
  // The callback may send the next request on this connection, so it is moved out first.
  Callback done = std::move(done_);
  done_ = nullptr;
  done(std::move(exchange));
}

void Connection::Close() {
  // Pending operations complete with operation_aborted and Finish releases the stream, which
  // must outlive them.
  if (stream_) stream_->close();
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
