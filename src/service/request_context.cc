#include "service/request_context.h"

#include <algorithm>
#include <cctype>
#include <random>

namespace modelgate::service {
namespace {

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
  });
}

}  // namespace

std::string RandomHex(std::size_t count) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(count * 2);
  while (out.size() < count * 2) {
    std::uint64_t bits = generator();
    for (int i = 0; i < 16 && out.size() < count * 2; ++i, bits >>= 4) out += kDigits[bits & 15];
  }
  return out;
}

bool IsUsableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
}

std::string_view TraceIdOf(std::string_view traceparent) {
  // version "-" trace-id (32 hex) "-" parent-id (16 hex) "-" flags (2 hex)
  if (traceparent.size() != 55 || traceparent.substr(0, 3) != "00-" || traceparent[35] != '-' ||
      traceparent[52] != '-') {
    return {};
  }
  std::string_view trace_id = traceparent.substr(3, 32);
  std::string_view parent_id = traceparent.substr(36, 16);
  if (!IsLowerHex(trace_id) || !IsLowerHex(parent_id) || !IsLowerHex(traceparent.substr(53))) {
    return {};
  }
  if (trace_id == std::string(32, '0') || parent_id == std::string(16, '0')) return {};
  return trace_id;
}

RequestContext MakeContext(const http::RequestHeader& header) {
  RequestContext context;
  auto id = header["X-Request-Id"];
  context.request_id = IsUsableRequestId({id.data(), id.size()}) ? std::string(id) : RandomHex(16);
  auto incoming = header["traceparent"];
  std::string_view trace_id = TraceIdOf({incoming.data(), incoming.size()});
  std::string trace = trace_id.empty() ? RandomHex(16) : std::string(trace_id);
  std::string flags = trace_id.empty() ? "01" : std::string(incoming.substr(53, 2));
  context.traceparent = "00-" + trace + "-" + RandomHex(8) + "-" + flags;
  return context;
}

}  // namespace modelgate::service
