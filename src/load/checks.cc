#include "load/checks.h"

#include <absl/strings/str_cat.h>

namespace modelgate::load {
namespace {

struct PercentileTarget {
  double percentile;
  const char* name;
  const contract::LatencyTarget* target;
};

void AddLatencyChecks(const contract::Contract& contract, const RunStats& stats,
                      bool p95_only, std::vector<TargetCheck>& checks) {
  const auto& latency = contract.constraints.latency;
  std::vector<PercentileTarget> targets = {
      {50, "p50", &latency.p50}, {95, "p95", &latency.p95}, {99, "p99", &latency.p99}};
  for (const auto& [percentile, name, target] : targets) {
    if (p95_only && percentile != 95) continue;
    for (const auto& [batch, histogram] : stats.latency_by_batch) {
      auto per_batch = target->per_batch_ms.find(batch);
      std::optional<double> target_ms = per_batch != target->per_batch_ms.end()
                                            ? std::optional(per_batch->second)
                                            : target->overall_ms;
      if (!target_ms) continue;
      TargetCheck check;
      check.name = absl::StrCat(name, " latency");
      check.key = absl::StrCat("constraints.latency_ms.", name);
      if (per_batch != target->per_batch_ms.end()) {
        absl::StrAppend(&check.name, ", batch ", batch);
        absl::StrAppend(&check.key, ".batch", batch);
      }
      check.unit = "ms";
      check.target = *target_ms;
      check.measured = histogram.PercentileMicros(percentile) / 1000.0;
      check.passed = check.measured <= check.target;
      checks.push_back(check);
    }
  }
}

void AddErrorCheck(const RunStats& stats, const CheckOptions& options,
                   std::vector<TargetCheck>& checks) {
  TargetCheck check;
  check.name = "error rate";
  check.key = "--max-error-rate";
  check.unit = "%";
  check.target = options.max_error_rate * 100;
  double attempts = static_cast<double>(std::max<std::uint64_t>(stats.scheduled, 1));
  check.measured = static_cast<double>(stats.errors()) / attempts * 100;
  check.passed = check.measured <= check.target;
  checks.push_back(check);
}

}  // namespace

std::vector<TargetCheck> CheckTargets(const contract::Contract& contract, const RunStats& stats,
                                      const CheckOptions& options) {
  std::vector<TargetCheck> checks;
  AddLatencyChecks(contract, stats, false, checks);
  const auto& constraints = contract.constraints;
  // An open-loop run below the target rate does not test the target, so it is not checked.
  bool rate_tested = stats.mode == "closed-loop" ||
                     (constraints.throughput_rps && stats.offered_rps >= *constraints.throughput_rps);
  if (constraints.throughput_rps && rate_tested) {
    TargetCheck check;
    check.name = "throughput";
    check.key = "constraints.throughput_rps";
    check.unit = "rps";
    check.target = *constraints.throughput_rps;
    check.measured = stats.success_rps();
    check.at_most = false;
    check.passed = check.measured >= check.target * (1 - options.throughput_tolerance);
    checks.push_back(check);
  }
  AddErrorCheck(stats, options, checks);
  auto price = PricePerHour(contract, options.price_per_hour);
  if (constraints.cost_per_1k_requests && price) {
    TargetCheck check;
    check.name = "cost";
    check.key = "constraints.cost_per_1k_requests";
    check.unit = "per 1k requests";
    check.target = *constraints.cost_per_1k_requests;
    auto cost = CostPer1k(*price, stats.success_rps());
    check.measured = cost.value_or(0);
    check.passed = cost.has_value() && *cost <= check.target;
    checks.push_back(check);
  }
  return checks;
}

std::vector<TargetCheck> CheckSweepStep(const contract::Contract& contract, const RunStats& stats,
                                        const CheckOptions& options) {
  std::vector<TargetCheck> checks;
  AddLatencyChecks(contract, stats, true, checks);
  AddErrorCheck(stats, options, checks);
  return checks;
}

bool AllPassed(const std::vector<TargetCheck>& checks) {
  for (const auto& check : checks) {
    if (!check.passed) return false;
  }
  return true;
}

std::optional<double> CostPer1k(double price_per_hour, double rps) {
  if (rps <= 0) return std::nullopt;
  return price_per_hour / (rps * 3600.0) * 1000.0;
}

std::optional<double> PricePerHour(const contract::Contract& contract,
                                   std::optional<double> option) {
  if (option) return option;
  return contract.constraints.cost_per_hour;
}

}  // namespace modelgate::load
