// The "valid" group: requests that follow the contract and must get a response that follows it.
#include <absl/strings/str_cat.h>

#include "conformance/field_values.h"
#include "conformance/probe.h"

namespace modelgate::conformance {
namespace {

class ValidBuilder {
 public:
  explicit ValidBuilder(RequestFactory& factory) : factory_(factory) {}

  // Adds a probe whose document is `base` with `value` at `path` (removed when empty).
  void Add(std::string name, const std::string& base, const Path& path,
           const std::optional<std::string>& value) {
    auto document = Edit(base, path, value);
    if (!document.ok()) return;
    bool keep_key = IsKeyField(factory_.contract(), path);
    probes_.push_back({"valid/" + std::move(name),
                       keep_key ? factory_.Raw(*document) : factory_.Fresh(*document),
                       {}});
  }

  void Field(const contract::Field& field, const Path& path, const std::string& base) {
    std::string pointer = Pointer(path);
    std::uint64_t seed = factory_.seed() + probes_.size();
    if (!field.required) {
      Add("optional-absent" + pointer, base, path, std::nullopt);
      Add("optional-present" + pointer, base, path, RequestFactory::GenerateValue(field, seed));
    }
    for (const auto& member : field.enum_values) {
      std::string text = ScalarText(member);
      Add(absl::StrCat("enum", pointer, "=", text), base, path, text);
    }
    if (field.type == contract::FieldType::kBoolean) {
      Add("boolean" + pointer + "=true", base, path, "true");
      Add("boolean" + pointer + "=false", base, path, "false");
    }
    if (field.minimum)
      Add("bound" + pointer + "=minimum", base, path, NumberText(field, *field.minimum));
    if (field.maximum)
      Add("bound" + pointer + "=maximum", base, path, NumberText(field, *field.maximum));
    Lengths(field, path, base, pointer, seed);
  }

  std::vector<Probe> Take() { return std::move(probes_); }

 private:
  void Lengths(const contract::Field& field, const Path& path, const std::string& base,
               const std::string& pointer, std::uint64_t seed) {
    for (auto [bound, label] : {std::pair{field.min_len, "min_len"}, {field.max_len, "max_len"}}) {
      if (!bound) continue;
      std::optional<std::string> value;
      if (field.type == contract::FieldType::kString) value = StringOfLength(field, *bound);
      if (field.type == contract::FieldType::kArray) value = ArrayOfLength(field, *bound, seed);
      if (value) Add(absl::StrCat("bound", pointer, "=", label), base, path, *value);
    }
  }

  RequestFactory& factory_;
  std::vector<Probe> probes_;
};

}  // namespace

std::vector<Probe> ValidProbes(RequestFactory& factory) {
  const auto& contract = factory.contract();
  std::vector<Probe> probes;
  for (std::size_t i = 0; i < contract.examples_json.size(); ++i) {
    // An example keeps its own body key; a header key is added as for every request.
    const std::string& example = contract.examples_json[i];
    bool header_key = contract.behavior.idempotency.enabled &&
                      contract.behavior.idempotency.source == contract::IdempotencySource::kHeader;
    probes.push_back({absl::StrCat("valid/example-", i + 1),
                      header_key ? factory.Fresh(example) : factory.Raw(example),
                      {}});
  }
  if (contract.examples_json.empty()) {
    probes.push_back({"valid/generated", factory.Fresh(factory.baseline()), {}});
  }
  ValidBuilder builder(factory);
  ForEachField(contract.request.fields, factory.baseline(),
               [&](const contract::Field& field, const Path& path, const std::string& base) {
                 builder.Field(field, path, base);
               });
  const auto& limits = contract.request.limits;
  for (const auto& field : contract.request.fields) {
    if (!limits.max_batch || field.name != contract.request.batch_field) continue;
    builder.Add("max-batch", factory.baseline(), {field.name},
                ArrayOfLength(field, *limits.max_batch, factory.seed()));
  }
  for (auto& probe : builder.Take()) probes.push_back(std::move(probe));
  if (auto max_bytes = limits.max_payload_bytes) {
    // Trailing white space keeps the document valid JSON of exactly the maximum size.
    auto at_limit = factory.Fresh(factory.baseline());
    if (at_limit.body.size() <= *max_bytes) {
      at_limit.body.append(*max_bytes - at_limit.body.size(), ' ');
      probes.push_back({"valid/payload=max_payload_bytes", at_limit, {}});
    }
  }
  return probes;
}

}  // namespace modelgate::conformance
