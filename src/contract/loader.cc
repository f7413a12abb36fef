#include "contract/loader.h"

#include <absl/status/status.h>
#include <absl/strings/match.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "contract/fields.h"
#include "contract/sections.h"
#include "contract/standard_errors.h"
#include "contract/yaml_reader.h"

namespace modelgate::contract {

namespace {

// Reads "v1", "v1.2", "1.2.0" or "v2.0" into major, minor and patch.
bool ParseVersion(const std::string& text, Contract& contract) {
  static const std::regex kVersion(R"(^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?$)");
  std::smatch match;
  if (!std::regex_match(text, match, kVersion)) return false;
  // Each part must fit an int; from_chars reports overflow instead of throwing.
  auto part = [&](int index, int& out) {
    out = 0;
    if (!match[index].matched) return true;
    std::string digits = match[index];
    auto result = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return result.ec == std::errc() && result.ptr == digits.data() + digits.size();
  };
  return part(1, contract.major) && part(2, contract.minor) && part(3, contract.patch);
}

void ReadEndpoint(MapReader& reader, Contract& contract) {
  auto node = reader.Get({"endpoint"});
  std::string path = reader.PathOf({"endpoint"});
  YAML::Node operation_node;
  std::string operation_path;
  if (node.IsScalar()) {
    contract.endpoint.path = node.Scalar();
  } else if (node.IsDefined()) {
    MapReader nested(node, path, reader.diagnostics());
    contract.endpoint.path = nested.String({"path"}).value_or("");
    if (auto operation = nested.String({"operation"})) {
      contract.endpoint.operation = *operation;
      operation_node = nested.Get({"operation"});
      operation_path = nested.PathOf({"operation"});
    }
    auto method = nested.String({"method"});
    if (method && !absl::EqualsIgnoreCase(*method, "POST")) {
      reader.diagnostics().Add(nested.Get({"method"}), nested.PathOf({"method"}),
                               "only POST operations are supported");
    }
    nested.Finish();
  }
  if (auto operation = reader.String({"operation"})) {
    contract.endpoint.operation = *operation;
    operation_node = reader.Get({"operation"});
    operation_path = reader.PathOf({"operation"});
  }
  static const std::regex kOperation(R"(^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*$)");
  if (!std::regex_match(contract.endpoint.operation, kOperation)) {
    reader.diagnostics().Add(operation_node, operation_path,
                             "operation must be letters, digits, '_' or '-'");
  }
  if (!contract.endpoint.path.empty() && contract.endpoint.path.front() != '/') {
    reader.diagnostics().Add(node, path, "endpoint path must start with '/'");
  }
}

void ReadSections(MapReader& top, Contract& contract) {
  auto& diagnostics = top.diagnostics();
  auto section = [&](std::initializer_list<std::string_view> names, auto&& read) {
    auto node = top.Get(names);
    if (!node.IsDefined()) return;
    MapReader reader(node, top.PathOf(names), diagnostics);
    if (reader.valid()) read(reader);
  };
  section({"request"}, [&](MapReader& r) { ReadRequest(r, contract); });
  section({"response"}, [&](MapReader& r) { ReadResponse(r, contract); });
  section({"constraints"}, [&](MapReader& r) { ReadConstraints(r, contract); });
  section({"behavior", "behaviour"}, [&](MapReader& r) { ReadBehavior(r, contract); });
  section({"observability"}, [&](MapReader& r) { ReadObservability(r, contract.observability); });
  section({"compatibility", "versioning"}, [&](MapReader& r) { ReadCompatibility(r, contract); });
  section({"deprecation"}, [&](MapReader& r) { ReadDeprecation(r, contract.deprecation); });
  section({"safety"}, [&](MapReader& r) { ReadSafety(r, contract.safety); });
  section({"budget"}, [&](MapReader& r) { ReadBudget(r, contract.budget); });
  auto errors = top.Get({"errors"});
  if (errors.IsDefined()) ReadErrors(errors, top.PathOf({"errors"}), diagnostics, contract);
  auto model = top.Get({"model"});
  if (model.IsDefined()) ReadModel(model, "model", diagnostics, contract);
  auto examples = top.Get({"examples"});
  if (examples.IsSequence()) {
    for (std::size_t i = 0; i < examples.size(); ++i) {
      auto item = examples[i];
      bool wrapped = item.IsMap() && item["request"].IsDefined();
      contract.examples_json.push_back(YamlToJson(wrapped ? item["request"] : item));
    }
  } else if (examples.IsDefined()) {
    diagnostics.Add(examples, "examples", "expected a list of example requests");
  }
}

// Names the array whose length is the batch size: the declared one, else the only required
// top-level array.
void ResolveBatchField(const YAML::Node& root, Diagnostics& diagnostics, Contract& contract) {
  auto& request = contract.request;
  if (!request.batch_field.empty()) {
    const Field* field = FindField(request.fields, request.batch_field);
    if (field == nullptr || field->type != FieldType::kArray) {
      diagnostics.Add(root["request"], "request.batch_field",
                      "\"" + request.batch_field + "\" is not an array field of the request");
    }
    return;
  }
  const Field* only = nullptr;
  int count = 0;
  for (const auto& field : request.fields) {
    if (field.type == FieldType::kArray && field.required) {
      only = &field;
      ++count;
    }
  }
  if (count == 1) request.batch_field = only->name;
}

void CheckCrossReferences(const YAML::Node& root, Diagnostics& diagnostics, Contract& contract) {
  const auto& idempotency = contract.behavior.idempotency;
  if (idempotency.enabled && idempotency.source == IdempotencySource::kBodyField) {
    const Field* field = FindField(contract.request.fields, idempotency.field);
    if (field == nullptr || field->type != FieldType::kString) {
      diagnostics.Add(root, "behavior.idempotency",
                      "idempotency key field \"" + idempotency.field +
                          "\" is not a string field of the request");
    }
  }
  for (auto& ordering : contract.response.ordering) {
    if (ordering.list.empty()) continue;
    const Field* list = FindField(contract.response.fields, ordering.list);
    if (list == nullptr || list->type != FieldType::kArray) {
      diagnostics.Add(root, "response.ordering",
                      "\"" + ordering.list + "\" is not an array field of the response");
    }
  }
  ResolveBatchField(root, diagnostics, contract);
  auto& limits = contract.request.limits;
  if (contract.constraints.max_batch && !limits.max_batch) {
    limits.max_batch = contract.constraints.max_batch;
  }
}

void AddStandardErrors(Contract& contract) {
  for (const auto& standard : StandardErrors()) {
    if (contract.FindError(standard.code) == nullptr) contract.errors.push_back(standard);
  }
}

}  // namespace

namespace {

absl::StatusOr<Contract> ReadContract(const YAML::Node& root, const std::string& file,
                                      Diagnostics& diagnostics) {
  Contract contract;
  contract.file = file;
  MapReader top(root, "", diagnostics);
  if (!root.IsMap()) {
    diagnostics.Add(root, "", "a contract is a mapping with purpose, version, request, response");
    return absl::InvalidArgumentError(diagnostics.Format());
  }
  contract.name = top.String({"name", "service"}).value_or("");
  contract.purpose = top.String({"purpose"}).value_or("");
  contract.version = top.String({"version"}).value_or("");
  if (contract.version.empty()) {
    diagnostics.Add(root, "version", "missing key \"version\"; write v1, v1.2 or 1.2.0");
  } else if (!ParseVersion(contract.version, contract)) {
    diagnostics.Add(top.Get({"version"}), "version",
                    "invalid version \"" + contract.version + "\"; write v1, v1.2 or 1.2.0");
  }
  if (contract.name.empty()) {
    // A file called contract.yaml is named after its folder (examples/fraud/contract.yaml is
    // "fraud"); any other file after its own name.
    std::filesystem::path location = std::filesystem::absolute(file);
    contract.name = location.stem().string();
    if (contract.name == "contract") contract.name = location.parent_path().filename().string();
  }
  ReadEndpoint(top, contract);
  ReadSections(top, contract);
  top.Finish();
  if (!top.Get({"request"}).IsDefined()) {
    diagnostics.Add(root, "request", "missing section \"request\" with the request fields");
  }
  CheckCrossReferences(root, diagnostics, contract);
  AddStandardErrors(contract);
  if (contract.model && !contract.model->artifact.empty()) {
    std::filesystem::path artifact = contract.model->artifact;
    if (artifact.is_relative()) {
      artifact = std::filesystem::absolute(file).parent_path() / artifact;
      contract.model->artifact = artifact.lexically_normal().string();
    }
  }
  if (!diagnostics.empty()) return absl::InvalidArgumentError(diagnostics.Format());
  return contract;
}

}  // namespace

absl::StatusOr<Contract> LoadContractText(const std::string& text, const std::string& file) {
  Diagnostics diagnostics(file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    diagnostics.Add(error.mark, "", "invalid YAML or JSON: " + error.msg);
    return absl::InvalidArgumentError(diagnostics.Format());
  }
  try {
    return ReadContract(root, file, diagnostics);
  } catch (const ValueTooLarge& error) {
    diagnostics.Add(error.mark, "",
                    "a value expands to more than 100,000 nodes, as repeated YAML aliases can "
                    "make it; write the value out or shorten it");
    return absl::InvalidArgumentError(diagnostics.Format());
  }
}

absl::StatusOr<Contract> LoadContract(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::NotFoundError(path + ": not a readable contract file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": cannot open contract file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::NotFoundError(path + ": cannot read contract file");
  return LoadContractText(text.str(), path);
}

const ErrorSpec* Contract::FindError(std::string_view code) const {
  for (const auto& error : errors) {
    if (error.code == code) return &error;
  }
  return nullptr;
}

std::string Contract::RoutePath() const {
  if (!endpoint.path.empty()) return endpoint.path;
  return "/v" + std::to_string(major) + "/" + endpoint.operation;
}

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString: return "string";
    case FieldType::kNumber: return "number";
    case FieldType::kInteger: return "integer";
    case FieldType::kBoolean: return "boolean";
    case FieldType::kObject: return "object";
    case FieldType::kArray: return "array";
  }
  return "unknown";
}

}  // namespace modelgate::contract
