#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "contract/types.h"
#include "load/checks.h"
#include "load/stats.h"

namespace modelgate::load {

// One rate tried by a sweep.
struct SweepStep {
  double rate = 0;
  double p95_ms = 0;
  double error_percent = 0;
  bool passed = false;
};

// Results of one load run. For a sweep, `stats` and `checks` describe the highest rate that met
// the targets, or the first rate when none did.
struct LoadReport {
  std::string contract_name;
  std::string url;     // the full request URL
  std::string run_id;  // part of every idempotency key the run sent
  RunStats stats;
  std::vector<TargetCheck> checks;
  // The latency targets in force, for the SLO lines of the HTML report.
  contract::LatencyTargets targets;
  std::optional<double> price_per_hour;
  bool sweep = false;
  std::vector<SweepStep> steps;
  std::optional<double> best_rate;
};

// The percentiles every report lists, in order.
inline constexpr double kReportedPercentiles[] = {50, 90, 95, 99, 99.9};

void WriteText(const LoadReport& report, std::ostream& out);
std::string RenderJson(const LoadReport& report);

// Formats a latency in microseconds as milliseconds with 3 significant digits, or whole
// milliseconds from 100 ms up.
std::string FormatMs(double micros);

}  // namespace modelgate::load
