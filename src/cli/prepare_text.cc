// `modelgate prepare-text CONTRACT`: turn JSON Lines of request items into fastText's text
// format with the text rules of the contract's fasttext binding, the same code the server runs.
#include <simdjson.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "backend/fasttext_binding.h"
#include "cli/commands.h"
#include "contract/loader.h"

namespace modelgate::cli {
namespace {

struct PrepareTextOptions {
  std::string contract;
};

// Returns the model label for the response label of a training item ("spam" becomes
// "__label__spam"), or an empty string when the binding does not map it.
std::string ModelLabel(const backend::FasttextBinding& binding, std::string_view label) {
  for (const auto& [model_label, name] : binding.labels) {
    if (name == label) return model_label;
  }
  return "";
}

// Writes one output line for input line `number`; returns false on a bad line.
bool PrepareLine(const backend::FasttextBinding& binding, simdjson::dom::parser& parser,
                 const std::string& line, std::size_t number, std::size_t& skipped) {
  simdjson::dom::element item;
  if (parser.parse(line).get(item) != simdjson::SUCCESS) {
    std::cerr << "modelgate prepare-text: line " << number << " is not valid JSON\n";
    return false;
  }
  std::string prefix;
  std::string_view label;
  if (item.is_object() && item["label"].get_string().get(label) == simdjson::SUCCESS) {
    prefix = ModelLabel(binding, label);
    if (prefix.empty()) {
      std::cerr << "modelgate prepare-text: line " << number << ": label \"" << label
                << "\" is not a response label of model.labels\n";
      return false;
    }
    prefix += ' ';
  }
  absl::StatusOr<std::string> text = backend::ItemText(binding, item);
  if (!text.ok()) {
    std::cerr << "modelgate prepare-text: line " << number << ": " << text.status().message()
              << "\n";
    return false;
  }
  if (text->empty()) {
    ++skipped;  // fastText cannot learn from a line without words
    return true;
  }
  std::cout << prefix << *text << '\n';
  return true;
}

int PrepareText(const PrepareTextOptions& options) {
  auto contract = contract::LoadContract(options.contract);
  if (!contract.ok()) {
    std::cerr << contract.status().message() << "\n";
    return kExitUsage;
  }
  if (!contract->model || contract->model->backend != "fasttext") {
    std::cerr << "modelgate prepare-text: " << options.contract
              << " binds no fasttext model; its model section needs backend: fasttext\n";
    return kExitUsage;
  }
  backend::FasttextBinding binding;
  try {
    binding = backend::ReadFasttextBinding(*contract);
  } catch (const std::runtime_error& error) {
    std::cerr << error.what() << "\n";
    return kExitUsage;
  }
  simdjson::dom::parser parser;
  std::string line;
  std::size_t number = 0;
  std::size_t skipped = 0;
  while (std::getline(std::cin, line)) {
    ++number;
    if (!PrepareLine(binding, parser, line, number, skipped)) return kExitFindings;
  }
  if (skipped > 0) {
    std::cerr << "modelgate prepare-text: skipped " << skipped
              << " items whose prepared text is empty\n";
  }
  return kExitOk;
}

}  // namespace

void AddPrepareTextCommand(CLI::App& app) {
  auto options = std::make_shared<PrepareTextOptions>();
  auto* command = app.add_subcommand(
      "prepare-text",
      "Read JSON Lines of request items (a string, or an object with the binding's parts and an "
      "optional label) on standard input and write fastText training lines, prepared by the "
      "text rules of the contract's fasttext binding (exit 0 done, 1 bad line, 2 unusable "
      "contract)");
  command->add_option("contract", options->contract, "Contract file with a fasttext binding")
      ->required()
      ->check(CLI::ExistingFile);
  command->callback([options] { SetExitCode(PrepareText(*options)); });
}

}  // namespace modelgate::cli
