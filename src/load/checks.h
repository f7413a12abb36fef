#pragma once

#include <optional>
#include <string>
#include <vector>

#include "contract/types.h"
#include "load/stats.h"

namespace modelgate::load {

// One contract target compared with what a run measured.
struct TargetCheck {
  std::string name;     // "p95 latency", "p95 latency, batch 16", "throughput", ...
  std::string key;      // the contract key or option the target comes from
  std::string unit;     // "ms", "rps", "%", "per 1k requests"
  double target = 0;
  double measured = 0;
  bool passed = true;
  bool at_most = true;  // the measured value must not exceed the target; false: must reach it
};

struct CheckOptions {
  double max_error_rate = 0.01;  // share of scheduled requests that may fail, 0 to 1
  std::optional<double> price_per_hour;
  // Throughput counts as met at this share of the target, because the schedule ends with a
  // partial second and a rate limiter admits a whole number of requests per refill.
  double throughput_tolerance = 0.02;
};

// Compares the run with the contract's latency targets (per batch size when the contract sets
// them per batch), its throughput_rps when the run offered at least that rate, the error share,
// and cost_per_1k_requests when a price per hour is known.
std::vector<TargetCheck> CheckTargets(const contract::Contract& contract, const RunStats& stats,
                                      const CheckOptions& options);

// Checks only the p95 latency targets and the error share, which decide a sweep step.
std::vector<TargetCheck> CheckSweepStep(const contract::Contract& contract, const RunStats& stats,
                                        const CheckOptions& options);

bool AllPassed(const std::vector<TargetCheck>& checks);

// Cost of 1,000 requests at `rps` on an instance that costs `price_per_hour`; nullopt at 0 rps.
std::optional<double> CostPer1k(double price_per_hour, double rps);

// The instance price: the option when given, else the contract's cost_per_hour.
std::optional<double> PricePerHour(const contract::Contract& contract,
                                   std::optional<double> option);

}  // namespace modelgate::load
