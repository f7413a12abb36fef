#include "client/url.h"

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>

#include <charconv>

namespace modelgate::client {
namespace {

absl::Status Invalid(std::string_view text, std::string_view reason) {
  return absl::InvalidArgumentError("invalid target URL '" + std::string(text) + "': " +
                                     std::string(reason) +
                                     "; expected http://HOST[:PORT][/PATH], such as "
                                     "http://127.0.0.1:8080");
}

}  // namespace

std::string Url::authority() const { return absl::StrCat(host, ":", port); }

std::string Url::Target(std::string_view path) const { return base_path + std::string(path); }

absl::StatusOr<Url> ParseUrl(std::string_view text) {
  constexpr std::string_view kScheme = "http://";
  if (text.substr(0, kScheme.size()) != kScheme) {
    return Invalid(text, "the scheme must be http:// (https is not supported)");
  }
  std::string_view rest = text.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return Invalid(text, "a query or fragment is not allowed");
  }
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) {
    return Invalid(text, "user information is not allowed");
  }
  Url url;
  std::size_t colon = authority.rfind(':');
  if (authority.starts_with('[')) {  // IPv6 literal such as [::1]:8080
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid(text, "the IPv6 address has no ']'");
    url.host = std::string(authority.substr(1, close - 1));
    colon = close + 1 < authority.size() && authority[close + 1] == ':' ? close + 1
                                                                         : std::string_view::npos;
  } else {
    url.host = std::string(authority.substr(0, colon));
  }
  if (url.host.empty()) return Invalid(text, "the host is empty");
  if (colon != std::string_view::npos) {
    std::string_view digits = authority.substr(colon + 1);
    unsigned value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        value == 0 || value > 65535) {
      return Invalid(text, "the port '" + std::string(digits) + "' is not in 1..65535");
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  while (path.ends_with('/')) path.remove_suffix(1);
  url.base_path = std::string(path);
  return url;
}

}  // namespace modelgate::client
