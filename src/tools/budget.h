#pragma once

#include <absl/status/statusor.h>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contract/types.h"

namespace modelgate::tools {

// `modelgate budget`: checks that the p95 latency targets of a request's components fit the
// end-to-end p95 objective minus a margin, and suggests cuts when they do not. All durations are
// in milliseconds.

// The budget under check, after the command-line flags are applied over the contract.
struct BudgetSpec {
  double slo_ms = 0;       // end-to-end p95 objective
  std::string slo_source;  // "--slo-ms", "budget.slo_ms" or "constraints.latency_ms.p95"
  double margin_pct = 0;   // share of the objective kept free of components, in [0, 100)
  std::vector<std::pair<std::string, double>> components_ms;  // p95 target of each component
};

// Command-line values. Each set value replaces the contract's. A component whose name the
// contract lists replaces that target; a new name is appended.
struct BudgetFlags {
  std::optional<double> slo_ms;
  std::optional<double> margin_pct;
  std::vector<std::string> components;  // NAME=MS
};

// Builds the budget from the contract's `budget` section (null: flags only) and the flags. The
// objective falls back to the contract's overall p95 latency target. Returns InvalidArgument,
// naming the value and where it came from, when the objective is missing, not positive or not
// finite, the margin is outside [0, 100), a component is malformed, negative or not finite, or
// there are no components.
absl::StatusOr<BudgetSpec> ResolveBudget(const contract::Contract* contract,
                                         const BudgetFlags& flags);

struct ComponentShare {
  std::string name;
  double target_ms = 0;
  double share_of_total_pct = 0;      // of the sum of the targets
  double share_of_available_pct = 0;  // of the objective minus the margin
};

// A suggested change to one component's target: lower it by `cut_ms` to `target_ms`.
struct Cut {
  std::string name;
  double cut_ms = 0;
  double target_ms = 0;
};

struct BudgetCheck {
  double margin_ms = 0;
  double available_ms = 0;  // objective minus margin
  double total_ms = 0;      // sum of the component targets
  double headroom_ms = 0;   // available minus total; negative is an overrun
  std::vector<ComponentShare> shares;
  // Set only when over budget. The proportional cut lowers every target by the same fraction.
  // The largest cut takes the whole overrun from the largest target, the first one on a tie. It
  // suffices only when the overrun is at most that target, and is capped at the target.
  std::vector<Cut> proportional_cuts;
  std::optional<Cut> largest_cut;
  bool largest_cut_suffices = false;

  bool within() const { return headroom_ms >= 0; }
};

BudgetCheck CheckBudget(const BudgetSpec& spec);

// One Prometheus histogram bucket: the count of observations at most `upper_ms` (may be +inf).
struct HistogramBucket {
  double upper_ms = 0;
  double cumulative_count = 0;
};

// Measured latencies of one component: raw samples (JSON form) or buckets (Prometheus form).
struct MeasuredComponent {
  std::string name;
  std::vector<double> samples_ms;
  std::vector<HistogramBucket> buckets;  // sorted by upper bound
};

// Parses `{"components": {"NAME": [ms, ...], ...}}`, or a Prometheus text exposition with one
// `*_bucket` histogram series per `component` label value. Histogram names ending in
// `_seconds_bucket` are in seconds, `_milliseconds_bucket` or `_ms_bucket` in milliseconds; other
// names are rejected because their unit is unknown. Series that differ in other labels (such as
// instance) are added up. Returns InvalidArgument naming the first problem.
absl::StatusOr<std::vector<MeasuredComponent>> ParseMeasured(std::string_view text);

struct MeasuredComponentEstimate {
  std::string name;
  double observations = 0;
  double p95_ms = 0;
  std::optional<double> target_ms;  // unset for a component the budget does not list
};

// The end-to-end p95 estimated from measurements. Each component's distribution is discretised
// to bins of `bin_width_ms`, and the distributions are convolved, which assumes the components'
// latencies are independent. Budget components without measurements enter every figure as a
// constant equal to their target.
struct MeasuredEstimate {
  double bin_width_ms = 0;
  std::vector<MeasuredComponentEstimate> components;
  std::vector<std::string> unmeasured;  // budget components without measurements
  double sum_of_p95_ms = 0;
  double convolved_p95_ms = 0;
  // Sum of each of the k components' p(100 - 5/k) latencies. By the union bound the end-to-end
  // p95 is at most this for any dependence between the components.
  double union_bound_ms = 0;
  std::vector<std::string> warnings;
};

// Returns InvalidArgument when `measured` is empty or a component has no observations.
absl::StatusOr<MeasuredEstimate> EstimateMeasured(const std::vector<MeasuredComponent>& measured,
                                                  const BudgetSpec& spec);

struct BudgetReport {
  std::string contract_name;  // empty without a contract
  BudgetSpec spec;
  BudgetCheck check;
  std::optional<MeasuredEstimate> measured;

  // True when the targets fit and, with measurements, the estimated end-to-end p95 fits too.
  bool within() const;
};

enum class BudgetFormat { kText, kJson };

std::string RenderBudget(const BudgetReport& report, BudgetFormat format);

struct BudgetOptions {
  std::string contract_path;  // empty: the budget comes from the flags alone
  BudgetFlags flags;
  std::string measured_path;  // empty: no measurements
  BudgetFormat format = BudgetFormat::kText;
};

inline constexpr int kBudgetWithin = 0;
inline constexpr int kBudgetOver = 1;
inline constexpr int kBudgetUnusableInput = 2;

// Runs the whole command: loads the contract and measurements, checks the budget and writes the
// report to `out`, or the reason the input is unusable to `err`. Returns kBudgetWithin,
// kBudgetOver or kBudgetUnusableInput.
int RunBudget(const BudgetOptions& options, std::ostream& out, std::ostream& err);

}  // namespace modelgate::tools
