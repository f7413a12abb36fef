#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "contract/types.h"

namespace modelgate::mock {

// Errors `mock` answers with instead of a generated response, so consumer teams can test their
// handling of timeouts, throttling and failures before the model exists.
struct FaultOptions {
  double error_rate = 0;      // share of requests answered with a declared error, 0 to 1
  bool honor_prefer = false;  // a `Prefer: code=429` or `Prefer: code=TIMEOUT` header picks one
};

struct Fault {
  std::string code;               // contract error code; empty when the request runs normally
  std::string detail;             // why the mock answers with it
  std::string preference_applied; // value of Preference-Applied, empty when none applied
  bool invalid_preference = false;
};

// Decides whether a request gets an injected error. `seed` comes from the request body, so the
// same body always gets the same decision.
Fault PickFault(const contract::Contract& contract, const FaultOptions& options,
                std::string_view prefer_header, std::uint64_t seed);

}  // namespace modelgate::mock
