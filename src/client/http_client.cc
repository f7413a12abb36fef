#include "client/http_client.h"

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace modelgate::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;

namespace {

// Responses larger than this are rejected with an error, because a model response is far smaller.
constexpr std::uint64_t kMaxResponseBytes = 64 * 1024 * 1024;

// Header names compare without regard to case (RFC 9110, section 5.1).
bool SameHeaderName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

struct HttpClient::Connection {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
};

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (SameHeaderName(key, name)) return value;
  }
  return {};
}

bool HttpResponse::HasHeader(std::string_view name) const {
  for (const auto& header : headers) {
    if (SameHeaderName(header.first, name)) return true;
  }
  return false;
}

HttpClient::HttpClient(Url url, std::chrono::milliseconds timeout)
    : url_(std::move(url)), timeout_(timeout) {}

HttpClient::~HttpClient() = default;

absl::StatusOr<HttpResponse> HttpClient::Send(const HttpRequest& request) {
  beast_http::request<beast_http::string_body> message(beast_http::string_to_verb(request.method),
                                                       request.target, 11);
  message.set(beast_http::field::host, url_.authority());
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  message.prepare_payload();

  bool reused = connection_ != nullptr;
  auto received = Exchange(message);
  // A server may close a kept-alive connection between two requests without a Connection: close
  // header. Like curl and browsers, the client then sends the request once more on a new one.
  if (!received.ok() && reused && !absl::IsDeadlineExceeded(received.status())) {
    received = Exchange(message);
  }
  return received;
}

absl::StatusOr<HttpResponse> HttpClient::Exchange(
    const beast_http::request<beast_http::string_body>& message) {
  // tcp_stream applies its time limit to asynchronous operations only, so each step starts one
  // and runs the io_context until it completes or times out.
  auto run = [this](auto start) {
    beast::error_code result;
    start([&result](beast::error_code error, auto&&...) { result = error; });
    connection_->io.restart();
    connection_->io.run();
    return result;
  };
  beast::error_code error;
  const char* step = "connect to";
  if (!connection_) {
    connection_ = std::make_unique<Connection>();
    asio::ip::tcp::resolver resolver(connection_->io);
    auto endpoints = resolver.resolve(url_.host, std::to_string(url_.port), error);
    if (!error) {
      connection_->stream.expires_after(timeout_);
      error = run([&](auto handler) { connection_->stream.async_connect(endpoints, handler); });
    }
  }
  beast::error_code write_error;
  if (!error) {
    connection_->stream.expires_after(timeout_);
    write_error =
        run([&](auto handler) { beast_http::async_write(connection_->stream, message, handler); });
  }
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  // A server may respond before it has read the whole body, such as a 413 sent on seeing
  // Content-Length, and close the connection, so the response is read even after a failed write.
  if (!error && write_error != beast::error::timeout) {
    step = "read the response from";
    error = run([&](auto handler) {
      beast_http::async_read(connection_->stream, connection_->buffer, parser, handler);
    });
  }
  if (write_error && (error || write_error == beast::error::timeout)) {
    error = write_error;
    step = "send to";
  }
  if (error) {
    connection_.reset();
    std::string message_text =
        absl::StrCat("failed to ", step, " http://", url_.authority(), ": ", error.message());
    if (error == beast::error::timeout) {
      return absl::DeadlineExceededError(
          absl::StrCat(message_text, " (no response within ", timeout_.count(), " ms)"));
    }
    return absl::UnavailableError(message_text);
  }

  auto received = parser.release();
  HttpResponse response;
  response.status = static_cast<int>(received.result_int());
  for (const auto& field : received) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(received.body());
  if (!received.keep_alive()) connection_.reset();
  return response;
}

}  // namespace modelgate::client
