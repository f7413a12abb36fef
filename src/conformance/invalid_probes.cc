// The "invalid" group: requests that break one rule each and must get the declared error.
#include <absl/strings/str_cat.h>

#include <cmath>
#include <limits>

#include "conformance/field_values.h"
#include "conformance/probe.h"

namespace modelgate::conformance {
namespace {

class InvalidBuilder {
 public:
  explicit InvalidBuilder(RequestFactory& factory) : factory_(factory) {
    invalid_input_ = factory.contract().FindError("INVALID_INPUT");
  }

  // Adds a probe whose document is `base` with `value` at `path` (removed when empty), which
  // must be rejected with INVALID_INPUT and a per-field error at `path`.
  void Add(std::string name, const std::string& base, const Path& path,
           const std::optional<std::string>& value) {
    auto document = Edit(base, path, value);
    if (!document.ok()) return;
    bool keep_key = IsKeyField(factory_.contract(), path);
    probes_.push_back({"invalid/" + std::move(name),
                       keep_key ? factory_.Raw(*document) : factory_.Fresh(*document),
                       {false, invalid_input_, Pointer(path)}});
  }

  void Field(const contract::Field& field, const Path& path, const std::string& base) {
    std::string pointer = Pointer(path);
    if (field.required) Add("missing" + pointer, base, path, std::nullopt);
    Add("type" + pointer, base, path, WrongTypeValue(field));
    if (field.minimum)
      Add("bound" + pointer + "<minimum", base, path, Below(field, *field.minimum));
    if (field.maximum)
      Add("bound" + pointer + ">maximum", base, path, Above(field, *field.maximum));
    if (!field.enum_values.empty() && field.type == contract::FieldType::kString) {
      Add("enum" + pointer, base, path, "\"not-a-declared-member\"");
    }
    Lengths(field, path, base, pointer);
  }

  void Push(Probe probe) { probes_.push_back(std::move(probe)); }
  std::vector<Probe> Take() { return std::move(probes_); }

 private:
  static std::string Below(const contract::Field& field, double minimum) {
    if (field.type == contract::FieldType::kInteger) return NumberText(field, minimum - 1);
    return NumberText(field, std::nextafter(minimum, -std::numeric_limits<double>::infinity()));
  }
  static std::string Above(const contract::Field& field, double maximum) {
    if (field.type == contract::FieldType::kInteger) return NumberText(field, maximum + 1);
    return NumberText(field, std::nextafter(maximum, std::numeric_limits<double>::infinity()));
  }

  void Lengths(const contract::Field& field, const Path& path, const std::string& base,
               const std::string& pointer) {
    auto value_of_length = [&](std::size_t length) -> std::optional<std::string> {
      // The request is rejected for its length whether or not the pattern matches.
      if (field.type == contract::FieldType::kString) return StringOfLength(field, length, false);
      if (field.type == contract::FieldType::kArray) {
        return ArrayOfLength(field, length, factory_.seed());
      }
      return std::nullopt;
    };
    if (field.min_len && *field.min_len > 0) {
      if (auto value = value_of_length(*field.min_len - 1)) {
        Add("bound" + pointer + "<min_len", base, path, *value);
      }
    }
    if (field.max_len) {
      if (auto value = value_of_length(*field.max_len + 1)) {
        Add("bound" + pointer + ">max_len", base, path, *value);
      }
    }
  }

  RequestFactory& factory_;
  const contract::ErrorSpec* invalid_input_ = nullptr;
  std::vector<Probe> probes_;
};

// Probes that break the body as a whole: syntax, media type and size.
void AddBodyProbes(RequestFactory& factory, InvalidBuilder& builder) {
  const auto& contract = factory.contract();
  const auto* invalid_input = contract.FindError("INVALID_INPUT");
  auto valid = factory.Fresh(factory.baseline());

  auto malformed = valid;
  malformed.body.pop_back();  // drops the closing brace
  builder.Push({"invalid/malformed-json", malformed, {false, invalid_input, ""}});

  auto plain = valid;
  plain.headers.front().second = "text/plain";
  builder.Push(
      {"invalid/content-type", plain, {false, contract.FindError("UNSUPPORTED_MEDIA_TYPE"), ""}});

  auto max_bytes = contract.request.limits.max_payload_bytes;
  if (!max_bytes) return;
  // Trailing white space keeps the document valid JSON of the wanted size.
  auto over = factory.Fresh(factory.baseline());
  if (over.body.size() <= *max_bytes) {
    over.body.append(*max_bytes + 1 - over.body.size(), ' ');
    builder.Push({"invalid/payload>max_payload_bytes",
                  over,
                  {false, contract.FindError("PAYLOAD_TOO_LARGE"), ""}});
  }
}

}  // namespace

std::vector<Probe> InvalidProbes(RequestFactory& factory) {
  const auto& contract = factory.contract();
  InvalidBuilder builder(factory);
  if (contract.request.validation.reject_invalid_schema) {
    ForEachField(contract.request.fields, factory.baseline(),
                 [&](const contract::Field& field, const Path& path, const std::string& base) {
                   builder.Field(field, path, base);
                 });
    if (contract.request.validation.unknown_fields == contract::UnknownFieldPolicy::kReject) {
      builder.Add("unknown-field", factory.baseline(), {"x_undeclared_member"}, "1");
    }
    const auto& limits = contract.request.limits;
    for (const auto& field : contract.request.fields) {
      if (!limits.max_batch || field.name != contract.request.batch_field) continue;
      builder.Add("max-batch+1", factory.baseline(), {field.name},
                  ArrayOfLength(field, *limits.max_batch + 1, factory.seed()));
    }
  }
  AddBodyProbes(factory, builder);
  return builder.Take();
}

}  // namespace modelgate::conformance
