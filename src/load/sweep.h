#pragma once

#include <absl/status/statusor.h>

#include <functional>
#include <optional>
#include <vector>

namespace modelgate::load {

// Offered rates of a sweep: start, start + step, ... up to and including max.
struct SweepPlan {
  double start = 0;
  double step = 0;
  double max = 0;
};

// Lists the rates of a plan. The error names the option to fix when start or step is not
// positive, max is below start, or the plan has more than `max_steps` rates.
absl::StatusOr<std::vector<double>> SweepRates(const SweepPlan& plan, std::size_t max_steps = 1000);

// Tries the rates in ascending order with `meets` and stops at the first rate that fails.
// Returns the index of the last rate that met the targets, or nullopt when the first one failed.
// Rates after the first failure are not tried, because a server that misses its p95 at one rate
// is assumed to miss it at higher rates too.
std::optional<std::size_t> HighestPassingRate(const std::vector<double>& rates,
                                              const std::function<bool(double)>& meets);

}  // namespace modelgate::load
