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

// Lists the rates of a plan; an error names the option to fix when a rate is not positive, the
// step is not positive, max is below start, or the plan has more than `max_steps` rates.
absl::StatusOr<std::vector<double>> SweepRates(const SweepPlan& plan, std::size_t max_steps = 1000);

// Tries the rates in ascending order with `meets`, stopping at the first rate that fails, and
// returns the index of the last rate that met the targets; nullopt when the first one failed.
// Rates after the first failure are not tried: a server that misses its p95 at one rate is
// assumed to miss it at higher rates too.
std::optional<std::size_t> HighestPassingRate(const std::vector<double>& rates,
                                              const std::function<bool(double)>& meets);

}  // namespace modelgate::load
