#include "mock/faults.h"

#include <charconv>
#include <vector>

namespace modelgate::mock {
namespace {

// Finds the value of `code=` in a Prefer header such as "code=429, dynamic=true".
std::string_view PreferredCode(std::string_view header) {
  std::size_t start = 0;
  while (start < header.size()) {
    auto end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.starts_with("code=")) {
      item.remove_prefix(5);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
        item = item.substr(1, item.size() - 2);
      }
      return item;
    }
    start = end + 1;
  }
  return {};
}

// The error the preference names, by HTTP status or by code; nullptr when none matches.
const contract::ErrorSpec* FindPreferred(const contract::Contract& contract,
                                         std::string_view preferred) {
  int status = 0;
  auto result = std::from_chars(preferred.data(), preferred.data() + preferred.size(), status);
  bool numeric = result.ec == std::errc() && result.ptr == preferred.data() + preferred.size();
  for (const auto& error : contract.errors) {
    if (numeric ? error.status == status : error.code == preferred) return &error;
  }
  return nullptr;
}

// Errors the contract declares that a client must handle at run time: throttling, overload,
// timeouts and server failures.
std::vector<const contract::ErrorSpec*> InjectableErrors(const contract::Contract& contract) {
  std::vector<const contract::ErrorSpec*> errors;
  for (const auto& error : contract.errors) {
    bool declared = error.where.line > 0;
    if (declared && (error.status == 429 || error.status >= 500)) errors.push_back(&error);
  }
  return errors;
}

}  // namespace

Fault PickFault(const contract::Contract& contract, const FaultOptions& options,
                std::string_view prefer_header, std::uint64_t seed) {
  Fault fault;
  if (options.honor_prefer) {
    std::string_view preferred = PreferredCode(prefer_header);
    if (!preferred.empty()) {
      if (const auto* error = FindPreferred(contract, preferred)) {
        fault.code = error->code;
        fault.detail = "the mock answers with " + error->code + " because Prefer asked for it";
        fault.preference_applied = "code=" + std::string(preferred);
      } else {
        fault.invalid_preference = true;
        fault.detail = "Prefer asks for code=" + std::string(preferred) +
                       ", which the contract does not declare; name a declared code or status";
      }
      return fault;
    }
  }
  if (options.error_rate <= 0) return fault;
  auto errors = InjectableErrors(contract);
  // The low bits of the seed decide whether to inject, higher bits which error.
  if (errors.empty() || static_cast<double>(seed % 10'000) >= options.error_rate * 10'000) {
    return fault;
  }
  const auto* error = errors[(seed / 10'000) % errors.size()];
  fault.code = error->code;
  fault.detail = "the mock injected " + error->code + " (--error-rate)";
  return fault;
}

}  // namespace modelgate::mock
