// `modelgate load CONTRACT --target URL`: send open-loop or closed-loop load to a served contract
// and compare the measured latency, throughput, errors and cost with the contract's targets.
#include "load/load.h"

#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"

namespace modelgate::cli {
namespace {

void AddRunOptions(CLI::App* command, load::LoadOptions* options) {
  command->add_option("--rate", options->rate,
                      "Open loop: requests per second, sent on schedule whether or not earlier "
                      "requests returned");
  command->add_option("--concurrency", options->concurrency,
                      "Closed loop: connections, each sending its next request when the previous "
                      "one returns");
  command->add_option("--duration", options->duration_s,
                      "Seconds of load, or of each step of a sweep")
      ->capture_default_str();

  command
      ->add_option("--connections", options->max_connections,
                   "Open loop: maximum connections the pool grows to; requests that find none "
                   "free wait, and the wait counts in their latency")
      ->capture_default_str()
      ->check(CLI::Range(1u, 100'000u));
  command
      ->add_option("--timeout-ms", options->timeout_ms,
                   "Time one request may take, connecting and queueing included, in "
                   "milliseconds")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{600'000}));

  command
      ->add_option("--bodies", options->bodies_path,
                   "JSONL file with one request body per line, sent in turn; without it bodies "
                   "are generated from the contract's request fields")
      ->check(CLI::ExistingFile);
  command->add_option("--seed", options->seed, "Seed of generated request bodies")
      ->capture_default_str();
}

void AddOutputOptions(CLI::App* command, load::LoadOptions* options) {
  command->add_option("--report", options->report_path,
                      "Write a self-contained HTML report with charts to this file");
  command->add_option("--format", options->format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command->add_flag("--progress", options->progress,
                    "Print a progress line every second on standard error even when it is not "
                    "a terminal");
}

void AddTargetOptions(CLI::App* command, load::LoadOptions* options) {
  command
      ->add_option("--max-error-rate", options->max_error_rate,
                   "Share of requests (0 to 1) that may fail before the run fails")
      ->capture_default_str();
  command->add_option("--price-per-hour", options->price_per_hour,
                      "Price of the serving instance per hour, for the cost per 1,000 requests; "
                      "replaces the contract's cost_per_hour");

  command->add_flag("--sweep", options->sweep,
                    "Run open-loop steps of rising rate and report the highest rate that meets "
                    "the p95 latency target");
  command->add_option("--sweep-start", options->sweep_plan.start,
                      "First rate of the sweep, in requests per second");
  command->add_option("--sweep-step", options->sweep_plan.step,
                      "Rate added at each sweep step, in requests per second");
  command->add_option("--sweep-max", options->sweep_plan.max,
                      "Last rate of the sweep, in requests per second");
}

}  // namespace

void AddLoadCommand(CLI::App& app) {
  auto options = std::make_shared<load::LoadOptions>();
  auto* command = app.add_subcommand(
      "load",
      "Send load to a served contract and compare latency, throughput, errors and cost with its "
      "targets (exit 0 every target met, 1 a target missed, 2 unusable input or target)");
  command->add_option("contract", options->contract_path, "Contract file (YAML or JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--target", options->target, "Server URL, such as http://127.0.0.1:8080")
      ->required();
  AddRunOptions(command, options.get());
  AddOutputOptions(command, options.get());
  AddTargetOptions(command, options.get());
  command->callback([options] {
    SetExitCode(load::RunLoad(*options, std::cout, std::cerr, isatty(STDERR_FILENO) == 1));
  });
}

}  // namespace modelgate::cli
