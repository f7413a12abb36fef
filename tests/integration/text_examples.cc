#include "text_examples.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "json/writer.h"
#include "server_process.h"

namespace modelgate::testing {

std::string ExampleContractCopy(const std::string& example, const std::string& artifact,
                                const std::vector<std::pair<std::string, std::string>>& edits) {
  std::ifstream file(SourcePath("examples/" + example + "/contract.yaml"), std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::string text = buffer.str();
  auto replace = [&text](const std::string& from, const std::string& to) {
    auto found = text.find(from);
    if (found == std::string::npos) std::abort();  // the example changed: update the test
    text.replace(found, from.size(), to);
  };
  replace("artifact: " + artifact,
          "artifact: " + SourcePath("examples/" + example + "/" + artifact));
  for (const auto& [from, to] : edits) replace(from, to);
  return WriteTempFile("contract.yaml", text);
}

std::string Words(std::size_t count) {
  std::string text;
  text.reserve(count);
  const char* words[] = {"hello", "money", "offer", "click", "agent"};
  for (std::size_t i = 0; text.size() < count; ++i) {
    if (!text.empty()) text += ' ';
    text += words[i % 5];
  }
  text.resize(count);
  if (text.back() == ' ') text.back() = 'x';
  return text;
}

std::string Quoted(const std::string& text) {
  std::string out;
  json::AppendQuoted(out, text);
  return out;
}

std::vector<std::string> ErrorRules(const std::string& problem, const std::string& field) {
  simdjson::dom::parser parser;
  simdjson::dom::array errors;
  std::vector<std::string> rules;
  if (parser.parse(problem)["errors"].get(errors) != simdjson::SUCCESS) return rules;
  for (simdjson::dom::element error : errors) {
    std::string_view at;
    std::string_view rule;
    if (error["field"].get(at) == simdjson::SUCCESS && at == field &&
        error["rule"].get(rule) == simdjson::SUCCESS) {
      rules.emplace_back(rule);
    }
  }
  return rules;
}

}  // namespace modelgate::testing
