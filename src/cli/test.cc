// `modelgate test CONTRACT --target URL`: run the contract's conformance checks against an HTTP
// endpoint that claims to implement it.
#include <absl/strings/str_split.h>

#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "client/url.h"
#include "conformance/report.h"
#include "conformance/suite.h"
#include "contract/loader.h"

namespace modelgate::cli {
namespace {

struct TestOptions {
  std::string contract;
  std::string target;
  std::string junit;
  conformance::ReportFormat format = conformance::ReportFormat::kText;
  std::vector<std::string> skip;
  conformance::SuiteOptions suite;
  int timeout_ms = 5000;
  int burst_seconds = 5;
};

int Test(TestOptions& options) {
  auto contract = contract::LoadContract(options.contract);
  if (!contract.ok()) {
    std::cerr << contract.status().message() << "\n";
    return kExitUsage;
  }
  auto target = client::ParseUrl(options.target);
  if (!target.ok()) {
    std::cerr << target.status().message() << "\n";
    return kExitUsage;
  }
  options.suite.timeout = std::chrono::milliseconds(options.timeout_ms);
  options.suite.burst_time_limit = std::chrono::seconds(options.burst_seconds);
  options.suite.skip.insert(options.skip.begin(), options.skip.end());
  if (auto reachable = conformance::CheckReachable(*target, options.suite.timeout);
      !reachable.ok()) {
    std::cerr << reachable.message() << "\n";
    return kExitUsage;
  }

  auto results = conformance::RunSuite(*contract, *target, options.suite);
  std::cout << conformance::RenderReport(results, options.format, options.contract, options.target,
                                         options.suite.seed);
  if (!options.junit.empty()) {
    std::ofstream junit(options.junit, std::ios::binary);
    junit << conformance::RenderJunit(results, "modelgate test " + options.contract);
    if (!junit.flush()) {
      std::cerr << "failed to write the JUnit report to " << options.junit
                << "; check that its folder exists and is writable\n";
      return kExitUsage;
    }
  }
  return conformance::Summarize(results).failed > 0 ? kExitFindings : kExitOk;
}

}  // namespace

void AddTestCommand(CLI::App& app) {
  static const std::map<std::string, conformance::ReportFormat> kFormats = {
      {"text", conformance::ReportFormat::kText}, {"json", conformance::ReportFormat::kJson}};
  auto options = std::make_shared<TestOptions>();
  auto* command = app.add_subcommand(
      "test",
      "Run contract tests against an HTTP endpoint that implements the contract (exit 0 every "
      "check passed, 1 a check failed, 2 unusable contract, target or usage)");
  command->add_option("contract", options->contract, "Contract file")->required();
  command->add_option("--target", options->target, "Base URL of the endpoint, http://HOST:PORT")
      ->required();
  command->add_option("--junit", options->junit, "Also write a JUnit XML report to this file");
  command->add_option("--format", options->format, "Output format: text or json")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case))
      ->option_text("text|json")
      ->default_str("text");
  command->add_option("--seed", options->suite.seed, "Seed of the generated requests")
      ->default_val(1);
  command
      ->add_option("--skip", options->skip,
                   "Check groups not to run, comma-separated: valid, invalid, semantics, slo, "
                   "burst")
      ->delimiter(',')
      ->check(CLI::IsMember({"valid", "invalid", "semantics", "slo", "burst"}));
  command
      ->add_option("--slo-requests", options->suite.slo_requests,
                   "Requests per batch size in the slo group")
      ->default_val(200)
      ->check(CLI::Range(1, 100000));
  command
      ->add_option("--burst-connections", options->suite.burst_connections,
                   "Parallel connections of the burst")
      ->default_val(8)
      ->check(CLI::Range(1, 64));
  command
      ->add_option("--burst-seconds", options->burst_seconds, "Time limit of the burst in seconds")
      ->default_val(5)
      ->check(CLI::Range(1, 60));
  command
      ->add_option("--timeout-ms", options->timeout_ms,
                   "Time limit of each step of an exchange (connect, send, read) in milliseconds")
      ->default_val(5000)
      ->check(CLI::Range(1, 600000));
  command->callback([options] { SetExitCode(Test(*options)); });
}

}  // namespace modelgate::cli
