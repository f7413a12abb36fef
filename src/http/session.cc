// One client connection: read a header, let the handler decide, read the body within its limit,
// hand the request over, write the response, and repeat while the connection is kept alive.
#include "http/session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>

#include "http/server.h"

namespace modelgate::http {

namespace beast = boost::beast;
namespace asio = boost::asio;

Server::Session::Session(asio::ip::tcp::socket&& socket, const ServerOptions& options,
                         Handler& handler, const std::atomic<bool>& draining)
    : stream_(std::move(socket)), options_(options), handler_(handler), draining_(draining) {}

void Server::Session::Start() {
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
}

void Server::Session::CloseIfIdle() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->idle_ && self->buffer_.size() == 0) self->Close();
  });
}

void Server::Session::ReadHeader() {
  parser_.emplace();
  head_request_ = false;
  parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
  // The real limit is set once the route is known; until then no body byte is read.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  idle_ = true;
  if (draining_.load() && buffer_.size() == 0) return Close();
  stream_.expires_after(first_request_ ? options_.header_timeout : options_.idle_timeout);
  beast_http::async_read_header(stream_, buffer_, *parser_,
                                beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
}

void Server::Session::OnHeader(beast::error_code ec, std::size_t) {
  idle_ = false;
  first_request_ = false;
  if (ec) return OnReadError(ec, nullptr);
  const RequestHeader& header = parser_->get().base();
  head_request_ = header.method() == beast_http::verb::head;
  std::size_t count = std::distance(header.begin(), header.end());
  if (count > options_.max_header_count) {
    return SendAndClose(handler_.OnTransportError(TransportError::kTooManyHeaders, &header));
  }
  HeaderDecision decision = handler_.OnHeader(header);
  if (decision.reject) return SendAndClose(std::move(*decision.reject));
  parser_->body_limit(decision.body_limit);
  if (beast::iequals(header[beast_http::field::expect], "100-continue")) {
    return SendContinue();
  }
  ReadBody();
}

void Server::Session::SendContinue() {
  auto interim = std::make_shared<beast_http::response<beast_http::empty_body>>(
      beast_http::status::continue_, 11);
  stream_.expires_after(options_.write_timeout);
  beast_http::async_write(stream_, *interim,
                          [self = shared_from_this(), interim](beast::error_code ec, std::size_t) {
                            if (ec) return self->Close();
                            self->ReadBody();
                          });
}

void Server::Session::ReadBody() {
  stream_.expires_after(options_.body_timeout);
  beast_http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&Session::OnBody, shared_from_this()));
}

void Server::Session::OnBody(beast::error_code ec, std::size_t) {
  if (ec) return OnReadError(ec, &parser_->get().base());
  stream_.expires_never();
  keep_alive_ = parser_->get().keep_alive();
  Request request = parser_->release();
  auto self = shared_from_this();
  watch_ = std::make_shared<ClientWatch>();
  handler_.OnRequest(
      std::move(request),
      [self](Response&& response) {
        // The handler may answer from another thread; writes happen on the session's strand.
        asio::dispatch(self->stream_.get_executor(),
                       [self, response = std::move(response)]() mutable {
                         self->Send(std::move(response),
                                    self->keep_alive_ && !self->draining_.load());
                       });
      },
      watch_);
  WatchForClose();
}

// Waits for the socket to become readable while the request is handled. Readable with nothing
// to read means end of stream: the client left. Readable with bytes means a pipelined request,
// which the next ReadHeader handles, so the watch ends there.
void Server::Session::WatchForClose() {
  if (!watch_) return;  // the response was sent already, inside OnRequest
  auto watch = watch_;
  stream_.socket().async_wait(
      asio::ip::tcp::socket::wait_read,
      [self = shared_from_this(), watch](beast::error_code ec) {
        if (ec == asio::error::operation_aborted || watch != self->watch_) return;
        beast::error_code available_error;
        std::size_t available = self->stream_.socket().available(available_error);
        if (ec || available_error || available == 0) watch->MarkGone();
      });
}

void Server::Session::OnReadError(beast::error_code ec, const RequestHeader* header) {
  if (ec == beast_http::error::end_of_stream || ec == asio::error::operation_aborted ||
      ec == beast::error::timeout || ec == asio::error::connection_reset ||
      ec == asio::error::eof) {
    // A silent, slow or vanished client: nothing useful can be sent.
    return Close();
  }
  if (ec == beast_http::error::header_limit) {
    return SendAndClose(handler_.OnTransportError(TransportError::kHeaderTooLarge, header));
  }
  if (ec == beast_http::error::body_limit) {
    return SendAndClose(handler_.OnTransportError(TransportError::kBodyTooLarge, header));
  }
  spdlog::debug("malformed HTTP request from {}: {}", Peer(), ec.message());
  SendAndClose(handler_.OnTransportError(TransportError::kMalformed, header));
}

void Server::Session::SendAndClose(Response&& response) { Send(std::move(response), false); }

void Server::Session::Send(Response&& response, bool keep_alive) {
  if (watch_) {
    watch_->Clear();
    watch_ = nullptr;
    beast::error_code ignored;
    stream_.socket().cancel(ignored);  // ends WatchForClose's wait
  }
  response.keep_alive(keep_alive);
  // A HEAD answer carries the Content-Length of the body it leaves out.
  if (response.find(beast_http::field::content_length) == response.end()) {
    response.prepare_payload();
  }
  if (head_request_) response.body().clear();
  // One contiguous buffer written with one call: Beast's serializer walks a chain of buffer
  // views that costs more than the rest of a small request's handling.
  output_.clear();
  SerializeResponse(response, output_);
  stream_.expires_after(options_.write_timeout);
  asio::async_write(stream_, asio::buffer(output_),
                    [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                      if (ec || !keep_alive) return self->Close();
                      self->ReadHeader();
                    });
}

void SerializeResponse(const Response& response, std::string& out) {
  auto reason = response.reason();
  out.reserve(128 + response.body().size() + 48 * 8);
  out.append(response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  out.append(std::to_string(response.result_int()));
  out.push_back(' ');
  out.append(reason.data(), reason.size());
  out.append("\r\n");
  for (const auto& field : response) {
    auto name = field.name_string();
    auto value = field.value();
    out.append(name.data(), name.size());
    out.append(": ");
    out.append(value.data(), value.size());
    out.append("\r\n");
  }
  out.append("\r\n");
  out.append(response.body());
}

void Server::Session::Close() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

std::string Server::Session::Peer() const {
  beast::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  return ec ? "unknown peer"
            : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace modelgate::http
