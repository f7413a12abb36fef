// `modelgate budget [CONTRACT]`: check that the components' p95 latency targets fit the
// end-to-end p95 objective minus a margin.
#include "tools/budget.h"

#include <iostream>

#include "cli/commands.h"

namespace modelgate::cli {
namespace {

struct BudgetCommandOptions {
  tools::BudgetOptions budget;
  std::string format = "text";
};

}  // namespace

void AddBudgetCommand(CLI::App& app) {
  auto options = std::make_shared<BudgetCommandOptions>();
  auto& budget = options->budget;
  auto* command = app.add_subcommand(
      "budget",
      "Check that component p95 latency targets fit the end-to-end p95 objective minus a margin "
      "(exit 0 within, 1 over, 2 unusable input)");
  command
      ->add_option("contract", budget.contract_path,
                   "Contract whose budget section is checked; without it the flags give the "
                   "whole budget")
      ->check(CLI::ExistingFile);
  command->add_option("--slo-ms", budget.flags.slo_ms,
                      "End-to-end p95 objective in milliseconds; replaces budget.slo_ms");
  command->add_option("--margin-pct", budget.flags.margin_pct,
                      "Share of the objective kept free of components, in percent [0, 100)");
  // One value per occurrence, so a contract path after --component stays the positional.
  command
      ->add_option("--component", budget.flags.components,
                   "Component p95 target as NAME=MS; replaces the contract's target of the same "
                   "name, or adds a component (repeatable)")
      ->allow_extra_args(false);
  command
      ->add_option("--measured", budget.measured_path,
                   "Measured latencies: JSON {\"components\": {\"NAME\": [ms, ...]}} or a "
                   "Prometheus text exposition of *_bucket series with a component label")
      ->check(CLI::ExistingFile);
  command->add_option("--format", options->format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command->callback([options] {
    options->budget.format =
        options->format == "json" ? tools::BudgetFormat::kJson : tools::BudgetFormat::kText;
    SetExitCode(tools::RunBudget(options->budget, std::cout, std::cerr));
  });
}

}  // namespace modelgate::cli
