// `modelgate openapi CONTRACT [--yaml] [-o FILE]`: export the contract's operation as OpenAPI
// 3.1.0.
#include "tools/openapi.h"

#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "contract/loader.h"

namespace modelgate::cli {
namespace {

struct OpenapiOptions {
  std::string contract;
  bool yaml = false;
  std::string output;  // empty: standard output
};

int ExportOpenapi(const OpenapiOptions& options) {
  auto contract = contract::LoadContract(options.contract);
  if (!contract.ok()) {
    std::cerr << contract.status().message() << "\n";
    return kExitUsage;
  }
  std::string document = tools::ExportOpenApi(*contract);
  if (options.yaml) {
    auto yaml = tools::JsonToYaml(document);
    if (!yaml.ok()) {
      std::cerr << "modelgate openapi: " << yaml.status().message() << "\n";
      return kExitUsage;
    }
    document = *std::move(yaml);
  } else {
    document += "\n";
  }
  if (options.output.empty()) {
    std::cout << document;
    return kExitOk;
  }
  std::ofstream file(options.output, std::ios::binary | std::ios::trunc);
  file << document;
  file.close();
  if (!file) {
    std::cerr << "modelgate openapi: cannot write " << options.output << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

void AddOpenapiCommand(CLI::App& app) {
  auto options = std::make_shared<OpenapiOptions>();
  auto* command = app.add_subcommand(
      "openapi", "Export the contract's operation as an OpenAPI 3.1.0 document (JSON by default)");
  command->add_option("contract", options->contract, "Contract file")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_flag("--yaml", options->yaml, "Write YAML instead of JSON");
  command->add_option("-o,--output", options->output, "File to write; standard output if absent");
  command->callback([options] { SetExitCode(ExportOpenapi(*options)); });
}

}  // namespace modelgate::cli
