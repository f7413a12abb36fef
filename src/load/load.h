#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "load/sweep.h"

namespace modelgate::load {

struct LoadOptions {
  std::string contract_path;
  std::string target;        // http://host[:port][/base]
  double rate = 0;           // open loop, requests per second
  unsigned concurrency = 0;  // closed loop, connections
  bool sweep = false;
  SweepPlan sweep_plan;
  double duration_s = 10;  // of the run, or of each sweep step
  unsigned max_connections = 64;
  std::int64_t timeout_ms = 10'000;
  std::string bodies_path;  // JSONL; empty generates bodies from the contract
  std::uint64_t seed = 1;
  std::string report_path;  // HTML report; empty writes none
  std::string format = "text";
  bool progress = false;  // progress lines on stderr even when it is not a terminal
  double max_error_rate = 0.01;
  std::optional<double> price_per_hour;
};

// Runs `modelgate load`: checks the options, loads the contract and bodies, checks that the
// target accepts a connection, runs the load or the sweep, and writes the report. Returns 0 when
// every target is met, 1 when one is missed, and 2 for unusable options, input or target.
int RunLoad(const LoadOptions& options, std::ostream& out, std::ostream& err,
            bool err_is_terminal);

}  // namespace modelgate::load
