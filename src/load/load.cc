#include "load/load.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include <cmath>
#include <fstream>
#include <random>

#include "contract/loader.h"
#include "load/bodies.h"
#include "load/checks.h"
#include "load/driver.h"
#include "load/html_report.h"
#include "load/report.h"

namespace modelgate::load {
namespace {

constexpr int kExitMet = 0;
constexpr int kExitMissed = 1;
constexpr int kExitUsage = 2;
// A bound on one run's schedule, so a mistyped rate or duration cannot queue billions of
// requests.
constexpr double kMaxScheduled = 100'000'000;
constexpr unsigned kMaxConcurrency = 100'000;

absl::Status ValidateOptions(const LoadOptions& options) {
  int modes = (options.rate > 0) + (options.concurrency > 0) + options.sweep;
  if (modes != 1) {
    return absl::InvalidArgumentError(
        "give exactly one of --rate R (open loop), --concurrency N (closed loop) or --sweep");
  }
  if (!(options.duration_s > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--duration must be a positive number of seconds, got ", options.duration_s));
  }
  if (options.rate > 0 && std::llround(options.rate * options.duration_s) < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--rate ", options.rate, " for --duration ", options.duration_s,
        " s schedules no request; raise the rate or the duration"));
  }
  if (options.concurrency > kMaxConcurrency) {
    return absl::InvalidArgumentError(absl::StrCat("--concurrency must be at most ",
                                                   kMaxConcurrency, ", got ",
                                                   options.concurrency));
  }
  double top_rate = options.sweep ? options.sweep_plan.max : options.rate;
  if (top_rate * options.duration_s > kMaxScheduled) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rate x duration schedules %.0f requests, more than the maximum of %.0f; lower the rate "
        "or the duration",
        top_rate * options.duration_s, kMaxScheduled));
  }
  if (options.max_error_rate < 0 || options.max_error_rate > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-error-rate must be a share from 0 to 1, got ", options.max_error_rate));
  }
  return absl::OkStatus();
}

std::string NewRunId() {
  std::random_device device;
  std::uint64_t value = (static_cast<std::uint64_t>(device()) << 32) | device();
  return absl::StrFormat("%016x", value);
}

struct Prepared {
  contract::Contract contract;
  client::Url url;
  std::string path;
  std::unique_ptr<BodySource> bodies;
  DriverSettings settings;
  std::string run_id;
};

absl::StatusOr<Prepared> Prepare(const LoadOptions& options, std::ostream& err,
                                 bool err_is_terminal) {
  if (auto status = ValidateOptions(options); !status.ok()) return status;
  Prepared prepared;
  auto contract = contract::LoadContract(options.contract_path);
  if (!contract.ok()) return contract.status();
  prepared.contract = *std::move(contract);
  if (options.sweep && prepared.contract.constraints.latency.p95.empty()) {
    return absl::InvalidArgumentError(
        "--sweep looks for the highest rate that meets the p95 latency target, and the "
        "contract sets none; add constraints.latency_ms.p95");
  }
  auto url = client::ParseUrl(options.target);
  if (!url.ok()) return url.status();
  prepared.url = *url;
  prepared.run_id = NewRunId();
  // The validation above bounds the scheduled count, so the cast cannot overflow.
  std::size_t body_count =
      options.sweep || options.concurrency > 0
          ? kMaxPreparedBodies
          : static_cast<std::size_t>(std::llround(options.rate * options.duration_s));
  auto bodies =
      options.bodies_path.empty()
          ? BodySource::Generated(prepared.contract, options.seed, prepared.run_id, body_count)
          : BodySource::FromJsonl(prepared.contract, options.bodies_path, prepared.run_id);
  if (!bodies.ok()) return bodies.status();
  prepared.bodies = *std::move(bodies);
  auto endpoint = ResolveTarget(prepared.url);
  if (!endpoint.ok()) return endpoint.status();
  auto timeout = std::chrono::milliseconds(options.timeout_ms);
  auto probe_timeout = std::min(timeout, std::chrono::milliseconds(5000));
  if (auto status = ProbeTarget(*endpoint, prepared.url.authority(), probe_timeout); !status.ok()) {
    return status;
  }
  DriverSettings& settings = prepared.settings;
  settings.endpoint = *endpoint;
  settings.host = prepared.url.authority();
  settings.path = prepared.url.Target(prepared.contract.RoutePath());
  settings.rate = options.rate;
  settings.concurrency = options.concurrency;
  settings.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(options.duration_s));
  settings.max_connections = options.max_connections;
  settings.timeout = timeout;
  if (options.progress || err_is_terminal) {
    settings.progress = &err;
    settings.progress_overwrites = err_is_terminal;
  }
  return prepared;
}

void RunSweep(Prepared& prepared, const std::vector<double>& rates, const CheckOptions& checks,
              LoadReport& report) {
  auto meets = [&](double rate) {
    DriverSettings settings = prepared.settings;
    settings.rate = rate;
    if (settings.progress) *settings.progress << "sweep: " << rate << " rps\n";
    RunStats stats = Run(settings, *prepared.bodies);
    std::vector<TargetCheck> step_checks = CheckSweepStep(prepared.contract, stats, checks);
    bool passed = AllPassed(step_checks);
    double attempts = static_cast<double>(std::max<std::uint64_t>(stats.scheduled, 1));
    report.steps.push_back({rate, stats.latency.PercentileMicros(95) / 1000,
                            static_cast<double>(stats.errors()) / attempts * 100, passed});
    if (passed || report.steps.size() == 1) {
      report.checks = CheckTargets(prepared.contract, stats, checks);
      report.stats = std::move(stats);
    }
    return passed;
  };
  auto best = HighestPassingRate(rates, meets);
  if (best) report.best_rate = rates[*best];
}

}  // namespace

int RunLoad(const LoadOptions& options, std::ostream& out, std::ostream& err,
            bool err_is_terminal) {
  std::vector<double> rates;
  if (options.sweep) {
    auto planned = SweepRates(options.sweep_plan);
    if (!planned.ok()) {
      err << "modelgate load: " << planned.status().message() << "\n";
      return kExitUsage;
    }
    rates = *std::move(planned);
  }
  auto prepared = Prepare(options, err, err_is_terminal);
  if (!prepared.ok()) {
    err << "modelgate load: " << prepared.status().message() << "\n";
    return kExitUsage;
  }
  CheckOptions checks;
  checks.max_error_rate = options.max_error_rate;
  checks.price_per_hour = options.price_per_hour;
  LoadReport report;
  report.contract_name = prepared->contract.name;
  report.url = absl::StrCat("http://", prepared->settings.host, prepared->settings.path);
  report.run_id = prepared->run_id;
  report.targets = prepared->contract.constraints.latency;
  report.price_per_hour = PricePerHour(prepared->contract, options.price_per_hour);
  if (options.sweep) {
    report.sweep = true;
    RunSweep(*prepared, rates, checks, report);
  } else {
    report.stats = Run(prepared->settings, *prepared->bodies);
    report.checks = CheckTargets(prepared->contract, report.stats, checks);
  }
  if (options.format == "json") {
    out << RenderJson(report);
  } else {
    WriteText(report, out);
  }
  if (!options.report_path.empty()) {
    std::ofstream file(options.report_path);
    file << RenderHtml(report);
    if (!file.good()) {
      err << "modelgate load: failed to write the report to '" << options.report_path
          << "'; check that its folder exists and is writable\n";
      return kExitUsage;
    }
  }
  bool met = report.sweep ? report.best_rate.has_value() : AllPassed(report.checks);
  return met ? kExitMet : kExitMissed;
}

}  // namespace modelgate::load
