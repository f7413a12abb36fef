#pragma once

#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace modelgate::testing {

namespace beast_http = boost::beast::http;
using Response = beast_http::response<beast_http::string_body>;

// A blocking HTTP/1.1 client over loopback with a five-second limit on every exchange.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);
  ~HttpClient();

  // Sends one request on the client's connection (opened on first use, kept alive).
  Response Post(const std::string& target, const std::string& body,
                const std::string& content_type = "application/json",
                const std::vector<std::pair<std::string, std::string>>& headers = {});
  Response Get(const std::string& target);
  Response Send(beast_http::request<beast_http::string_body> request);
  // True when the server has closed the connection (reading returns end of stream).
  bool ServerClosed(std::chrono::milliseconds wait);

 private:
  struct Connection;
  std::uint16_t port_;
  Connection* connection_ = nullptr;
};

// Sends raw bytes on a new connection and returns everything the server writes until it closes
// the connection or `wait` passes.
std::string SendRaw(std::uint16_t port, const std::string& bytes,
                    std::chrono::milliseconds wait = std::chrono::milliseconds(5000));

}  // namespace modelgate::testing
