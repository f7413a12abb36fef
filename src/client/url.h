#pragma once

#include <absl/status/statusor.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace modelgate::client {

// The parts of an `http://` target URL that a client connects with. HTTPS is not supported.
struct Url {
  std::string host;
  std::uint16_t port = 80;
  std::string base_path;  // without a trailing slash; empty for the root

  // `host:port`, the value of the Host header.
  std::string authority() const;
  // `base_path` joined with `path`, which starts with a slash.
  std::string Target(std::string_view path) const;
};

// Parses `http://host[:port][/base]`. Rejects other schemes, user info, queries and fragments,
// and ports outside 1..65535, with a message that names the part at fault.
absl::StatusOr<Url> ParseUrl(std::string_view text);

}  // namespace modelgate::client
