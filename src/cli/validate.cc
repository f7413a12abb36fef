// `modelgate validate CONTRACT [FILE|-]`: check one request document offline and print the
// problem+json the server would send.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.h"
#include "contract/loader.h"
#include "service/responses.h"
#include "service/service.h"

namespace modelgate::cli {
namespace {

struct ValidateOptions {
  std::string contract;
  std::string input = "-";
};

bool ReadInput(const std::string& path, std::string& text) {
  std::ostringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
    text = buffer.str();
    return !std::cin.bad();
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  buffer << file.rdbuf();
  text = buffer.str();
  return !file.bad();
}

int Validate(const ValidateOptions& options) {
  auto contract = contract::LoadContract(options.contract);
  if (!contract.ok()) {
    std::cerr << contract.status().message() << "\n";
    return kExitUsage;
  }
  std::string body;
  if (!ReadInput(options.input, body)) {
    std::cerr << "modelgate validate: cannot read " << options.input
              << ": give a regular file, or - for standard input\n";
    return kExitUsage;
  }
  service::Service service(*std::move(contract), nullptr);
  service::RequestContext context;
  context.request_id = "offline";
  problem::Problem problem;
  std::string_view code = "INVALID_INPUT";
  if (body.size() > service.body_limit()) {
    code = "PAYLOAD_TOO_LARGE";
    problem.detail = "the body has " + std::to_string(body.size()) + " bytes; the maximum is " +
                     std::to_string(service.body_limit()) + " bytes (inclusive)";
  } else {
    simdjson::dom::element document;
    if (service.Decode(body, document, problem)) {
      std::cout << "valid: " << options.input << " satisfies the request contract of "
                << options.contract << "\n";
      return kExitOk;
    }
  }
  const auto* error = service.contract().FindError(code);
  auto response = service::ProblemResponse(*error, std::move(problem), context, 11);
  std::cout << response.body() << "\n";
  return kExitFindings;
}

}  // namespace

void AddValidateCommand(CLI::App& app) {
  auto options = std::make_shared<ValidateOptions>();
  auto* command = app.add_subcommand(
      "validate", "Validate one request document offline (exit 0 valid, 1 invalid, 2 unusable)");
  command->add_option("contract", options->contract, "Contract file")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("input", options->input, "Request document; - reads standard input")
      ->capture_default_str();
  command->callback([options] { SetExitCode(Validate(*options)); });
}

}  // namespace modelgate::cli
