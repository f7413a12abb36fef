#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <optional>
#include <string>

#include "http/server.h"

namespace modelgate::http {

// One connection. Every step runs on the connection's strand, so its members need no lock;
// CloseIfIdle may be called from any thread because it posts to that strand.
class Server::Session : public std::enable_shared_from_this<Server::Session> {
 public:
  Session(boost::asio::ip::tcp::socket&& socket, const ServerOptions& options, Handler& handler,
          const std::atomic<bool>& draining);

  void Start();
  // Closes the connection when it waits for a new request with nothing buffered.
  void CloseIfIdle();

 private:
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec, std::size_t bytes);
  void SendContinue();
  void ReadBody();
  void OnBody(boost::beast::error_code ec, std::size_t bytes);
  void WatchForClose();
  void OnReadError(boost::beast::error_code ec, const RequestHeader* header);
  void Send(Response&& response, bool keep_alive);
  void SendAndClose(Response&& response);
  void Close();
  std::string Peer() const;

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  const ServerOptions& options_;
  Handler& handler_;
  const std::atomic<bool>& draining_;
  bool idle_ = true;
  bool first_request_ = true;
  bool keep_alive_ = true;
  bool head_request_ = false;
  std::string output_;  // the response being written, kept to reuse its capacity
  std::shared_ptr<ClientWatch> watch_;  // of the request being handled, until its response
};

// Writes the status line, header fields and body of `response` as HTTP/1.1 wire text.
void SerializeResponse(const Response& response, std::string& out);

}  // namespace modelgate::http
