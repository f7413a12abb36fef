#pragma once

#include <absl/status/status.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "client/url.h"
#include "conformance/result.h"
#include "contract/types.h"

namespace modelgate::conformance {

// The check groups, in the order they run. `burst` runs last because it drains the target's
// rate limit.
inline constexpr const char* kGroups[] = {"valid", "invalid", "semantics", "slo", "burst"};

struct SuiteOptions {
  std::uint64_t seed = 1;
  std::set<std::string> skip;  // groups not to run
  int slo_requests = 200;      // requests per batch size in the slo group
  int burst_connections = 8;   // parallel connections of the burst
  std::chrono::milliseconds burst_time_limit{5000};
  std::chrono::milliseconds timeout{5000};  // per exchange
};

// Runs every group not skipped against `target` and returns one result per check, in run order.
std::vector<CheckResult> RunSuite(const contract::Contract& contract, const client::Url& target,
                                  const SuiteOptions& options);

// Returns an error naming the target and the reason when it does not accept a connection.
absl::Status CheckReachable(const client::Url& target, std::chrono::milliseconds timeout);

}  // namespace modelgate::conformance
