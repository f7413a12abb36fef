// JSON Schema of contract fields and of problem documents. contract::WriteField does not fit
// here: it writes the contract's own keys (min_len, required flags on each field) instead of
// JSON Schema keywords.

#include "tools/openapi_schema.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <variant>

#include "contract/export.h"

namespace modelgate::tools {
namespace {

using contract::Field;
using contract::FieldType;

void WriteType(json::Writer& writer, const Field& field) {
  writer.Key("type");
  if (!field.nullable) {
    writer.String(contract::FieldTypeName(field.type));
    return;
  }
  writer.BeginArray();
  writer.String(contract::FieldTypeName(field.type));
  writer.String("null");
  writer.EndArray();
}

template <typename T>
void OptionalMember(json::Writer& writer, std::string_view key, const std::optional<T>& value) {
  if (value) writer.Member(key, *value);
}

void TextMember(json::Writer& writer, std::string_view key, const std::string& value) {
  if (!value.empty()) writer.Member(key, value);
}

// A nullable field accepts null whatever its enum lists, so null joins the enum.
void WriteEnum(json::Writer& writer, const Field& field) {
  if (field.enum_values.empty()) return;
  writer.Key("enum");
  writer.BeginArray();
  bool has_null = false;
  for (const auto& value : field.enum_values) {
    has_null = has_null || std::holds_alternative<std::nullptr_t>(value);
    contract::WriteScalar(writer, value);
  }
  if (field.nullable && !has_null) writer.Null();
  writer.EndArray();
}

void WriteArrayRules(json::Writer& writer, const Field& field, const SchemaOptions& options) {
  OptionalMember(writer, "minItems", field.min_len);
  std::optional<std::size_t> max_items = field.max_len;
  if (&field == options.batch_field && options.max_batch) {
    max_items = max_items ? std::min(*max_items, *options.max_batch) : *options.max_batch;
  }
  OptionalMember(writer, "maxItems", max_items);
  if (field.items) {
    writer.Key("items");
    WriteFieldSchema(writer, *field.items, options);
  }
}

void WriteMembers(json::Writer& writer, const std::vector<Field>& fields,
                  const SchemaOptions& options, bool closed) {
  if (!fields.empty()) {
    writer.Key("properties");
    writer.BeginObject();
    for (const auto& field : fields) {
      writer.Key(field.name);
      WriteFieldSchema(writer, field, options);
    }
    writer.EndObject();
  }
  bool any_required =
      std::any_of(fields.begin(), fields.end(), [](const Field& field) { return field.required; });
  if (any_required) {
    writer.Key("required");
    writer.BeginArray();
    for (const auto& field : fields) {
      if (field.required) writer.String(field.name);
    }
    writer.EndArray();
  }
  if (closed && options.reject_unknown_fields) writer.Member("additionalProperties", false);
}

void WriteTypeRules(json::Writer& writer, const Field& field, const SchemaOptions& options) {
  switch (field.type) {
    case FieldType::kString:
      OptionalMember(writer, "minLength", field.min_len);
      OptionalMember(writer, "maxLength", field.max_len);
      TextMember(writer, "pattern", field.pattern);
      TextMember(writer, "format", field.format);
      break;
    case FieldType::kNumber:
    case FieldType::kInteger:
      OptionalMember(writer, "minimum", field.minimum);
      OptionalMember(writer, "maximum", field.maximum);
      break;
    case FieldType::kArray:
      WriteArrayRules(writer, field, options);
      break;
    case FieldType::kObject:
      // An object without declared members accepts any members.
      WriteMembers(writer, field.fields, options, !field.fields.empty());
      break;
    case FieldType::kBoolean:
      break;
  }
}

void StringProperty(json::Writer& writer, std::string_view name, std::string_view description) {
  writer.Key(name);
  writer.BeginObject();
  writer.Member("type", "string");
  writer.Member("description", description);
  writer.EndObject();
}

void IntegerProperty(json::Writer& writer, std::string_view name, std::string_view description) {
  writer.Key(name);
  writer.BeginObject();
  writer.Member("type", "integer");
  writer.Member("minimum", 0);
  writer.Member("description", description);
  writer.EndObject();
}

void WriteRequiredList(json::Writer& writer, std::initializer_list<std::string_view> names) {
  writer.Key("required");
  writer.BeginArray();
  for (auto name : names) writer.String(name);
  writer.EndArray();
}

void WriteProblemIdentity(json::Writer& writer) {
  writer.Key("type");
  writer.BeginObject();
  writer.Member("type", "string");
  writer.Member("format", "uri");
  writer.Member("description", "URN of the error code, such as urn:modelgate:problem:rate-limit");
  writer.EndObject();
  StringProperty(writer, "title", "HTTP reason phrase of the status");
  writer.Key("status");
  writer.BeginObject();
  writer.Member("type", "integer");
  writer.Member("minimum", 400);
  writer.Member("maximum", 599);
  writer.Member("description", "HTTP status of the response");
  writer.EndObject();
  StringProperty(writer, "detail", "What went wrong in this request");
  StringProperty(writer, "code", "Error code from the contract's errors");
  writer.Key("retryable");
  writer.BeginObject();
  writer.Member("type", "boolean");
  writer.Member("description", "Whether the same request may succeed when sent again");
  writer.EndObject();
  StringProperty(writer, "request_id", "Id of the request, as in the X-Request-Id header");
}

void WriteRetryGuidance(json::Writer& writer) {
  IntegerProperty(writer, "retry_after", "Seconds to wait before a retry, as in Retry-After");
  writer.Key("backoff");
  writer.BeginObject();
  writer.Member("type", "string");
  writer.Key("enum");
  writer.BeginArray();
  writer.String("fixed");
  writer.String("exponential");
  writer.EndArray();
  writer.Member("description", "How the wait grows between retries of a retryable error");
  writer.EndObject();
  IntegerProperty(writer, "initial_backoff_ms", "First wait before a retry, in milliseconds");
  IntegerProperty(writer, "max_retries", "Maximum number of retries");
}

}  // namespace

void WriteFieldSchema(json::Writer& writer, const Field& field, const SchemaOptions& options) {
  writer.BeginObject();
  WriteType(writer, field);
  TextMember(writer, "description", field.description);
  WriteTypeRules(writer, field, options);
  WriteEnum(writer, field);
  if (field.default_json) {
    writer.Key("default");
    writer.Raw(*field.default_json);
  }
  if (field.example_json) {
    writer.Key("examples");
    writer.BeginArray();
    writer.Raw(*field.example_json);
    writer.EndArray();
  }
  if (field.pii) writer.Member("x-modelgate-pii", true);
  writer.EndObject();
}

void WriteDocumentSchema(json::Writer& writer, const std::vector<Field>& fields,
                         const SchemaOptions& options, std::string_view description) {
  writer.BeginObject();
  writer.Member("type", "object");
  if (!description.empty()) writer.Member("description", description);
  WriteMembers(writer, fields, options, true);
  writer.EndObject();
}

void WriteProblemSchema(json::Writer& writer) {
  writer.BeginObject();
  writer.Member("type", "object");
  writer.Member("description",
                "RFC 9457 problem document. Retry guidance appears only for codes that declare "
                "it, and errors only for invalid input.");
  writer.Key("properties");
  writer.BeginObject();
  WriteProblemIdentity(writer);
  WriteRetryGuidance(writer);
  writer.Key("errors");
  writer.BeginObject();
  writer.Member("type", "array");
  writer.Member("description", "Every violation of the request contract that was found");
  writer.Key("items");
  writer.BeginObject();
  writer.Member("$ref", "#/components/schemas/ProblemViolation");
  writer.EndObject();
  writer.EndObject();
  writer.EndObject();
  WriteRequiredList(writer,
                    {"type", "title", "status", "detail", "code", "retryable", "request_id"});
  writer.EndObject();
}

void WriteViolationSchema(json::Writer& writer) {
  writer.BeginObject();
  writer.Member("type", "object");
  writer.Member("description", "One broken rule of the request contract");
  writer.Key("properties");
  writer.BeginObject();
  writer.Key("field");
  writer.BeginObject();
  writer.Member("type", "string");
  writer.Member("format", "json-pointer");
  writer.Member("description", "JSON Pointer of the offending value; empty for the whole body");
  writer.EndObject();
  StringProperty(writer, "rule",
                 "Broken rule, such as required, type, max_len, minimum, enum or pattern");
  StringProperty(writer, "message", "What is wrong and the allowed value");
  writer.EndObject();
  WriteRequiredList(writer, {"field", "rule", "message"});
  writer.EndObject();
}

}  // namespace modelgate::tools
