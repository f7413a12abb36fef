// `modelgate diff OLD NEW [--format text|json|sarif]`: classify every change between two versions
// of a contract as breaking or compatible for consumers and check the version change.
#include "tools/diff.h"

#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "tools/report.h"

namespace modelgate::cli {
namespace {

struct DiffOptions {
  std::string before;
  std::string after;
  tools::ReportFormat format = tools::ReportFormat::kText;
};

// A file that cannot be read or does not load gets the loader's message on stderr and exit 2.
int Diff(const DiffOptions& options) {
  auto findings = tools::DiffFiles(options.before, options.after);
  if (!findings.ok()) {
    std::cerr << findings.status().message() << "\n";
    return kExitUsage;
  }
  std::cout << tools::RenderFindings(*findings, options.format, tools::DiffReportTool());
  return tools::DiffPasses(*findings) ? kExitOk : kExitFindings;
}

}  // namespace

void AddDiffCommand(CLI::App& app) {
  static const std::map<std::string, tools::ReportFormat> kFormats = {
      {"text", tools::ReportFormat::kText},
      {"json", tools::ReportFormat::kJson},
      {"sarif", tools::ReportFormat::kSarif}};
  auto options = std::make_shared<DiffOptions>();
  auto* command = app.add_subcommand(
      "diff",
      "Classify the changes between two contract versions as breaking or compatible (exit 0 "
      "clean, 1 breaking changes or a version policy finding, 2 unusable contract or usage)");
  command->add_option("old", options->before, "Contract file of the old version")->required();
  command->add_option("new", options->after, "Contract file of the new version")->required();
  command->add_option("--format", options->format, "Output format: text, json or sarif")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case))
      ->default_str("text");
  command->callback([options] { SetExitCode(Diff(*options)); });
}

}  // namespace modelgate::cli
