#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "http/server.h"

namespace modelgate::service {

// What the pipeline carries for one request besides the message itself.
struct RequestContext {
  std::string request_id;   // echoed from X-Request-Id when it is usable, otherwise generated
  std::string traceparent;  // W3C trace context for the response: caller's trace, our span
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::size_t batch_size = 0;  // length of the batch field once the body is decoded
  std::string log_members;  // `,"name":value` members the contract lists for the access log
};

RequestContext MakeContext(const http::RequestHeader& header);

// True when `id` may be echoed: 1 to 128 characters of letters, digits and ._:- only, so a
// client cannot inject text into headers or logs.
bool IsUsableRequestId(std::string_view id);

// Parses a W3C traceparent (version 00) and returns the trace id, or empty when invalid.
std::string_view TraceIdOf(std::string_view traceparent);

// Returns `count` random bytes as lowercase hex, from a per-thread generator.
std::string RandomHex(std::size_t count);

}  // namespace modelgate::service
