// `modelgate lint CONTRACT... [--format text|json|sarif]`: review contracts against the checklist
// of a good ML interface.
#include "tools/lint.h"

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "tools/report.h"

namespace modelgate::cli {
namespace {

struct LintOptions {
  std::vector<std::string> contracts;
  tools::ReportFormat format = tools::ReportFormat::kText;
};

// Lints every contract that loads and prints one report for all of them. A contract that does
// not load gets the loader's message on stderr and makes the exit code 2; when none loads, no
// report is printed.
int Lint(const LintOptions& options) {
  std::vector<tools::Finding> findings;
  bool all_loaded = true, any_loaded = false;
  for (const auto& path : options.contracts) {
    auto linted = tools::LintFile(path);
    if (!linted.ok()) {
      std::cerr << linted.status().message() << "\n";
      all_loaded = false;
      continue;
    }
    any_loaded = true;
    findings.insert(findings.end(), linted->begin(), linted->end());
  }
  if (any_loaded) {
    auto tool = tools::LintReportTool();
    tool.version = MODELGATE_VERSION;
    std::cout << tools::RenderFindings(findings, options.format, tool);
  }
  if (!all_loaded) return kExitUsage;
  auto counts = tools::CountFindings(findings);
  return counts.errors + counts.warnings > 0 ? kExitFindings : kExitOk;
}

}  // namespace

void AddLintCommand(CLI::App& app) {
  static const std::map<std::string, tools::ReportFormat> kFormats = {
      {"text", tools::ReportFormat::kText},
      {"json", tools::ReportFormat::kJson},
      {"sarif", tools::ReportFormat::kSarif}};
  auto options = std::make_shared<LintOptions>();
  auto* command = app.add_subcommand(
      "lint",
      "Review contracts against the checklist of a good ML interface (exit 0 no errors or "
      "warnings, 1 errors or warnings, 2 a contract does not load)");
  command->add_option("contracts", options->contracts, "Contract files")->required();
  command->add_option("--format", options->format, "Output format: text, json or sarif")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case))
      ->option_text("text|json|sarif")
      ->default_str("text");
  command->callback([options] { SetExitCode(Lint(*options)); });
}

}  // namespace modelgate::cli
