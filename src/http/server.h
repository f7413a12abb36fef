#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/client_watch.h"

namespace modelgate::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using RequestHeader = beast_http::request_header<>;
using Response = beast_http::response<beast_http::string_body>;
using Responder = std::function<void(Response&&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;                 // 0 picks a free port; Server::port() returns it
  unsigned threads = 0;                      // 0 uses one per hardware thread
  std::size_t max_header_bytes = 16 * 1024;  // request line and headers together
  std::size_t max_header_count = 100;
  // The client must send a complete header within this time of the first byte of a request,
  // and a complete body within body_timeout after the header.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive connection with no request
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{10'000};
};

// Failures the server detects before the application sees a complete request.
enum class TransportError { kHeaderTooLarge, kTooManyHeaders, kBodyTooLarge, kMalformed };

// What the application decides once a request header has arrived.
struct HeaderDecision {
  std::optional<Response> reject;  // sent without reading the body, then the connection closes
  std::uint64_t body_limit = 0;    // bytes; a longer body, chunked or not, is a kBodyTooLarge
};

// The application side of the server. Calls come from the server's threads, several at once.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual HeaderDecision OnHeader(const RequestHeader& header) = 0;
  // Handles a complete request. Implementations must call `respond` exactly once, from any
  // thread, unless `watch` reported the client gone: then they may drop `respond` uncalled.
  virtual void OnRequest(Request&& request, Responder respond,
                         std::shared_ptr<ClientWatch> watch) = 0;
  // Builds the answer to a transport failure; `header` is null when none was read.
  virtual Response OnTransportError(TransportError error, const RequestHeader* header) = 0;
};

// An HTTP/1.1 server on Boost.Beast: keep-alive, limits on header size and count, read, idle
// and write timeouts, and graceful shutdown on SIGTERM or SIGINT.
class Server {
 public:
  Server(ServerOptions options, Handler& handler);
  ~Server();

  // Binds and listens; throws boost::system::system_error when the address is unusable.
  void Listen();
  std::uint16_t port() const { return port_; }
  // Serves until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish within
  // the grace period, and returns.
  void Run();
  // Starts the same shutdown as a signal; safe to call from any thread.
  void Shutdown();

  class Session;

 private:
  void Accept();
  void Drain();
  void PollDrained();
  void Register(const std::shared_ptr<Session>& session);

  ServerOptions options_;
  Handler& handler_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  boost::asio::steady_timer drain_timer_{io_};
  std::chrono::steady_clock::time_point drain_deadline_;
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<Session>> sessions_;
};

}  // namespace modelgate::http
