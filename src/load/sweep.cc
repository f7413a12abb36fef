#include "load/sweep.h"

#include <absl/strings/str_cat.h>

#include <cmath>

namespace modelgate::load {

absl::StatusOr<std::vector<double>> SweepRates(const SweepPlan& plan, std::size_t max_steps) {
  if (!(plan.start > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--sweep-start must be a positive rate in requests per second, got ",
                     plan.start));
  }
  if (!(plan.step > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--sweep-step must be a positive rate in requests per second, got ",
                     plan.step));
  }
  if (!(plan.max >= plan.start)) {
    return absl::InvalidArgumentError(absl::StrCat("--sweep-max (", plan.max,
                                                   ") must be at least --sweep-start (",
                                                   plan.start, ")"));
  }
  // The small slack keeps max itself in the plan when (max - start) / step is whole but the
  // division rounds just below it.
  double steps = std::floor((plan.max - plan.start) / plan.step + 1e-9) + 1;
  if (steps > static_cast<double>(max_steps)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the sweep has ", steps, " rates, more than the maximum of ", max_steps,
        "; raise --sweep-step or lower --sweep-max"));
  }
  std::vector<double> rates;
  for (std::size_t i = 0; i < static_cast<std::size_t>(steps); ++i) {
    rates.push_back(plan.start + static_cast<double>(i) * plan.step);
  }
  return rates;
}

std::optional<std::size_t> HighestPassingRate(const std::vector<double>& rates,
                                              const std::function<bool(double)>& meets) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    if (!meets(rates[i])) break;
    best = i;
  }
  return best;
}

}  // namespace modelgate::load
