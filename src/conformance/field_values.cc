#include "conformance/field_values.h"

#include <absl/strings/str_split.h>
#include <re2/re2.h>

#include "contract/export.h"
#include "json/writer.h"

namespace modelgate::conformance {

void ForEachField(const std::vector<contract::Field>& fields, const std::string& base,
                  const FieldVisitor& visit, const Path& prefix) {
  for (const auto& field : fields) {
    Path path = prefix;
    path.push_back(field.name);
    visit(field, path, base);
    // The members of objects in an array are probed in its first item, when the base has one.
    if (field.type == contract::FieldType::kArray && field.items && !field.items->fields.empty() &&
        ValueAt(base, path)) {
      Path first = path;
      first.push_back("0");
      if (ValueAt(base, first)) ForEachField(field.items->fields, base, visit, first);
      continue;
    }
    if (field.type != contract::FieldType::kObject || field.fields.empty()) continue;
    std::string child_base = base;
    if (!ValueAt(base, path)) {
      auto filled = Edit(base, path, RequestFactory::GenerateValue(field, path.size()));
      if (!filled.ok()) continue;
      child_base = *filled;
    }
    ForEachField(field.fields, child_base, visit, path);
  }
}

std::optional<std::string> StringOfLength(const contract::Field& field, std::size_t length,
                                          bool match_pattern) {
  if (!field.format.empty()) return std::nullopt;
  for (char fill : {'a', '0', 'A', 'x', '_'}) {
    std::string text(length, fill);
    if (match_pattern && !field.pattern.empty() && !RE2::PartialMatch(text, RE2(field.pattern))) {
      continue;
    }
    std::string quoted;
    json::AppendQuoted(quoted, text);
    return quoted;
  }
  return std::nullopt;
}

std::string NumberText(const contract::Field& field, double value) {
  if (field.type == contract::FieldType::kInteger) {
    return std::to_string(static_cast<std::int64_t>(value));
  }
  std::string text;
  json::AppendNumber(text, value);
  return text;
}

std::string ArrayOfLength(const contract::Field& field, std::size_t length, std::uint64_t seed) {
  std::string out = "[";
  for (std::size_t i = 0; i < length; ++i) {
    if (i > 0) out += ',';
    out += field.items ? RequestFactory::GenerateValue(*field.items, seed + i) : "0";
  }
  return out + "]";
}

std::string WrongTypeValue(const contract::Field& field) {
  switch (field.type) {
    case contract::FieldType::kString:
      return "12345";
    case contract::FieldType::kNumber:
    case contract::FieldType::kInteger:
      return "\"12\"";
    case contract::FieldType::kBoolean:
      return "\"true\"";
    case contract::FieldType::kObject:
      return "[]";
    case contract::FieldType::kArray:
      return "{}";
  }
  return "null";
}

std::string ScalarText(const contract::Scalar& value) {
  std::string out;
  json::Writer writer(out);
  contract::WriteScalar(writer, value);
  return out;
}

bool IsKeyField(const contract::Contract& contract, const Path& path) {
  const auto& idempotency = contract.behavior.idempotency;
  return idempotency.enabled && idempotency.source == contract::IdempotencySource::kBodyField &&
         SplitPath(idempotency.field) == path;
}

Path SplitPath(const std::string& flattened) { return absl::StrSplit(flattened, '.'); }

}  // namespace modelgate::conformance
