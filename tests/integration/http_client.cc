#include "http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>

namespace modelgate::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

struct HttpClient::Connection {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(std::uint16_t port) : port_(port) {}

HttpClient::~HttpClient() { delete connection_; }

Response HttpClient::Send(beast_http::request<beast_http::string_body> request) {
  if (!connection_) {
    connection_ = new Connection;
    connection_->stream.expires_after(std::chrono::seconds(5));
    connection_->stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  }
  request.set(beast_http::field::host, "127.0.0.1");
  request.prepare_payload();
  connection_->stream.expires_after(std::chrono::seconds(5));
  beast_http::write(connection_->stream, request);
  Response response;
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast_http::read(connection_->stream, connection_->buffer, parser);
  response = parser.release();
  if (!response.keep_alive()) {
    delete connection_;
    connection_ = nullptr;
  }
  return response;
}

Response HttpClient::Post(const std::string& target, const std::string& body,
                          const std::string& content_type,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  beast_http::request<beast_http::string_body> request(beast_http::verb::post, target, 11);
  if (!content_type.empty()) request.set(beast_http::field::content_type, content_type);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  return Send(std::move(request));
}

Response HttpClient::Get(const std::string& target) {
  return Send(beast_http::request<beast_http::string_body>(beast_http::verb::get, target, 11));
}

bool HttpClient::ServerClosed(std::chrono::milliseconds wait) {
  if (!connection_) {
    connection_ = new Connection;
    connection_->stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  }
  connection_->stream.expires_after(wait);
  char byte;
  beast::error_code ec;
  connection_->stream.read_some(asio::buffer(&byte, 1), ec);
  bool closed = ec == asio::error::eof || ec == asio::error::connection_reset;
  delete connection_;
  connection_ = nullptr;
  return closed;
}

std::string SendRaw(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds wait) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(wait);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  beast::error_code ec;
  asio::write(stream.socket(), asio::buffer(bytes), ec);
  std::string received;
  char chunk[4096];
  while (!ec) {
    std::size_t count = stream.read_some(asio::buffer(chunk), ec);
    received.append(chunk, count);
  }
  return received;
}

}  // namespace modelgate::testing
