#pragma once

#include <absl/status/statusor.h>

#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client/url.h"

namespace modelgate::client {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "POST";
  std::string target;  // path and query, such as /v1/score
  Headers headers;     // sent as given; Host and Content-Length are added
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // in the order received
  std::string body;

  // The first value of header `name` (compared ignoring case), or empty when absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

// A blocking HTTP/1.1 client for one target. It keeps its connection alive between exchanges,
// reconnects after the server closes it, and limits each step of an exchange (connect, write,
// read) to `timeout`. Not thread-safe: use one client per thread.
class HttpClient {
 public:
  HttpClient(Url url, std::chrono::milliseconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads the response. When a kept-alive connection fails, the request
  // is sent once more on a new one. Returns UnavailableError when the connection fails and
  // DeadlineExceededError when the exchange takes longer than the timeout, each with the target
  // and the reason.
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request);

  const Url& url() const { return url_; }

 private:
  struct Connection;
  absl::StatusOr<HttpResponse> Exchange(
      const boost::beast::http::request<boost::beast::http::string_body>& message);

  Url url_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace modelgate::client
