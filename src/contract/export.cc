// Export of the contract's identity, endpoint, request, response, errors and examples. The other
// sections are written in export_sections.cc.

#include "contract/export.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

namespace modelgate::contract {

namespace {

template <typename T>
void OptionalMember(json::Writer& writer, std::string_view key, const std::optional<T>& value) {
  if (value) writer.Member(key, *value);
}

void TextMember(json::Writer& writer, std::string_view key, const std::string& value) {
  if (!value.empty()) writer.Member(key, value);
}

void WriteFields(json::Writer& writer, const std::vector<Field>& fields) {
  writer.BeginArray();
  for (const auto& field : fields) WriteField(writer, field);
  writer.EndArray();
}

std::string_view UnknownFieldPolicyName(UnknownFieldPolicy policy) {
  return policy == UnknownFieldPolicy::kReject ? "reject" : "ignore";
}

std::string_view BackoffName(Backoff backoff) {
  switch (backoff) {
    case Backoff::kNone:
      return "none";
    case Backoff::kFixed:
      return "fixed";
    case Backoff::kExponential:
      return "exponential";
  }
  return "none";
}

void WriteEndpoint(json::Writer& writer, const Contract& contract) {
  writer.BeginObject();
  // The loader rejects every method but POST.
  writer.Member("method", "POST");
  writer.Member("path", contract.RoutePath());
  writer.Member("operation", contract.endpoint.operation);
  writer.EndObject();
}

void WriteLimits(json::Writer& writer, const RequestLimits& limits) {
  writer.BeginObject();
  OptionalMember(writer, "max_payload_bytes", limits.max_payload_bytes);
  OptionalMember(writer, "max_batch", limits.max_batch);
  OptionalMember(writer, "max_total_chars", limits.max_total_chars);
  writer.Member("max_depth", limits.max_depth);
  writer.EndObject();
}

void WriteValidation(json::Writer& writer, const ValidationPolicy& policy) {
  writer.BeginObject();
  writer.Member("reject_invalid_schema", policy.reject_invalid_schema);
  writer.Member("trim_whitespace", policy.trim_whitespace);
  writer.Member("unknown_fields", UnknownFieldPolicyName(policy.unknown_fields));
  writer.Member("allow_duplicate_keys", policy.allow_duplicate_keys);
  writer.EndObject();
}

void WriteRequest(json::Writer& writer, const RequestSpec& request) {
  writer.BeginObject();
  writer.Key("fields");
  WriteFields(writer, request.fields);
  writer.Key("limits");
  WriteLimits(writer, request.limits);
  writer.Key("validation");
  WriteValidation(writer, request.validation);
  TextMember(writer, "batch_field", request.batch_field);
  writer.EndObject();
}

// An empty `by` sorts the list by its item values, so "by" is omitted then.
void WriteOrdering(json::Writer& writer, const Ordering& ordering) {
  writer.BeginObject();
  TextMember(writer, "list", ordering.list);
  TextMember(writer, "by", ordering.by);
  writer.Member("direction", ordering.descending ? "desc" : "asc");
  TextMember(writer, "text", ordering.text);
  writer.EndObject();
}

void WriteResponse(json::Writer& writer, const ResponseSpec& response) {
  writer.BeginObject();
  writer.Key("fields");
  WriteFields(writer, response.fields);
  // schema::ResponseRules validates responses with unknown members ignored, because additive
  // changes within a major version may add members that consumers do not know yet.
  writer.Member("unknown_fields", UnknownFieldPolicyName(UnknownFieldPolicy::kIgnore));
  writer.Key("ordering");
  writer.BeginArray();
  for (const auto& ordering : response.ordering) WriteOrdering(writer, ordering);
  writer.EndArray();
  TextMember(writer, "confidence", response.confidence_desc);
  writer.Key("reason_codes");
  writer.BeginObject();
  for (const auto& [code, meaning] : response.reason_codes) writer.Member(code, meaning);
  writer.EndObject();
  writer.EndObject();
}

void WriteError(json::Writer& writer, const ErrorSpec& error) {
  writer.BeginObject();
  writer.Member("code", error.code);
  writer.Member("status", error.status);
  writer.Member("retryable", error.retryable);
  writer.Member("backoff", BackoffName(error.backoff));
  writer.Member("retry_after", error.retry_after);
  OptionalMember(writer, "max_retries", error.max_retries);
  if (error.initial_backoff) {
    writer.Member("initial_backoff_ms", static_cast<std::int64_t>(error.initial_backoff->count()));
  }
  TextMember(writer, "description", error.description);
  writer.EndObject();
}

void WriteErrors(json::Writer& writer, const std::vector<ErrorSpec>& errors) {
  writer.BeginArray();
  for (const auto& error : errors) WriteError(writer, error);
  writer.EndArray();
}

void WriteExamples(json::Writer& writer, const std::vector<std::string>& examples_json) {
  writer.BeginArray();
  for (const auto& example : examples_json) writer.Raw(example);
  writer.EndArray();
}

}  // namespace

void WriteField(json::Writer& writer, const Field& field) {
  writer.BeginObject();
  // Array items have no name.
  TextMember(writer, "name", field.name);
  writer.Member("type", FieldTypeName(field.type));
  writer.Member("required", field.required);
  writer.Member("nullable", field.nullable);

  bool array = field.type == FieldType::kArray;
  OptionalMember(writer, array ? "min_items" : "min_len", field.min_len);
  OptionalMember(writer, array ? "max_items" : "max_len", field.max_len);
  OptionalMember(writer, "minimum", field.minimum);
  OptionalMember(writer, "maximum", field.maximum);

  if (!field.enum_values.empty()) {
    writer.Key("enum");
    writer.BeginArray();
    for (const auto& value : field.enum_values) WriteScalar(writer, value);
    writer.EndArray();
  }
  TextMember(writer, "pattern", field.pattern);
  TextMember(writer, "format", field.format);

  if (field.default_json) {
    writer.Key("default");
    writer.Raw(*field.default_json);
  }
  if (field.example_json) {
    writer.Key("example");
    writer.Raw(*field.example_json);
  }
  TextMember(writer, "description", field.description);
  writer.Member("pii", field.pii);

  if (field.items) {
    writer.Key("items");
    WriteField(writer, *field.items);
  }
  if (!field.fields.empty()) {
    writer.Key("fields");
    WriteFields(writer, field.fields);
  }
  writer.EndObject();
}

void WriteScalar(json::Writer& writer, const Scalar& value) {
  struct Visitor {
    json::Writer& writer;
    void operator()(std::nullptr_t) const { writer.Null(); }
    void operator()(bool scalar) const { writer.Bool(scalar); }
    void operator()(std::int64_t scalar) const { writer.Integer(scalar); }
    void operator()(double scalar) const { writer.Number(scalar); }
    void operator()(const std::string& scalar) const { writer.String(scalar); }
  };
  std::visit(Visitor{writer}, value);
}

std::string ExportPublicContract(const Contract& contract) {
  std::string out;
  json::Writer writer(out);
  writer.BeginObject();
  writer.Member("name", contract.name);
  TextMember(writer, "purpose", contract.purpose);
  writer.Member("version", contract.version);
  writer.Member("version_major", contract.major);
  writer.Member("version_minor", contract.minor);
  writer.Member("version_patch", contract.patch);

  writer.Key("endpoint");
  WriteEndpoint(writer, contract);
  writer.Key("request");
  WriteRequest(writer, contract.request);
  writer.Key("response");
  WriteResponse(writer, contract.response);
  writer.Key("errors");
  WriteErrors(writer, contract.errors);

  writer.Key("constraints");
  WriteConstraints(writer, contract.constraints);
  writer.Key("behavior");
  WriteBehavior(writer, contract.behavior);
  writer.Key("observability");
  WriteObservability(writer, contract.observability);
  writer.Key("compatibility");
  WriteCompatibility(writer, contract.compatibility);
  writer.Key("deprecation");
  WriteDeprecation(writer, contract.deprecation);
  writer.Key("safety");
  WriteSafety(writer, contract.safety);
  writer.Key("budget");
  WriteBudget(writer, contract.budget);

  writer.Key("examples");
  WriteExamples(writer, contract.examples_json);
  writer.EndObject();
  return out;
}

}  // namespace modelgate::contract
