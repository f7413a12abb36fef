// OpenAPI 3.1.0 export of a contract's operation. Schemas of fields and problem documents are
// written in openapi_schema.cc.

#include "tools/openapi.h"

#include <absl/status/status.h>
#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "contract/export.h"
#include "contract/fields.h"
#include "json/writer.h"
#include "problem/problem.h"
#include "service/service.h"
#include "tools/openapi_schema.h"

namespace modelgate::tools {
namespace {

using contract::Contract;
using contract::ErrorSpec;

// Values the server accepts for X-Request-Id (service::IsUsableRequestId) and traceparent.
constexpr std::string_view kRequestIdPattern = "^[A-Za-z0-9._:-]{1,128}$";
constexpr std::string_view kTraceparentPattern = "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$";
constexpr std::string_view kExampleRequestId = "4bf92f3577b34da6a3ce929d0e0e4736";

void WriteRef(json::Writer& writer, std::string_view target) {
  writer.BeginObject();
  writer.Member("$ref", target);
  writer.EndObject();
}

// Characters outside [A-Za-z0-9._-] become '_', so the id is safe in URLs and code generators.
std::string OperationId(std::string_view operation) {
  std::string id(operation);
  for (char& c : id) {
    bool safe = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (!safe) c = '_';
  }
  return id.empty() ? "predict" : id;
}

// The public contract export (GET /v1/contract), from which extensions copy whole sections so
// they keep the same form.
class PublicExport {
 public:
  explicit PublicExport(const Contract& contract)
      : text_(contract::ExportPublicContract(contract)) {
    ok_ = parser_.parse(text_).get(root_) == simdjson::SUCCESS;
  }

  // Writes the value at `pointer` as member `key`; writes nothing when it is absent.
  void CopyMember(json::Writer& writer, std::string_view key, std::string_view pointer) const {
    simdjson::dom::element value;
    if (!ok_ || root_.at_pointer(pointer).get(value) != simdjson::SUCCESS) return;
    writer.Key(key);
    writer.Raw(simdjson::minify(value));
  }

 private:
  std::string text_;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
  bool ok_ = false;
};

void WriteInfo(json::Writer& writer, const Contract& contract) {
  writer.Key("info");
  writer.BeginObject();
  writer.Member("title", contract.name);
  writer.Member("version", contract.version);
  if (!contract.purpose.empty()) writer.Member("description", contract.purpose);
  writer.EndObject();
}

// Extensions.

void WriteLimitExtensions(json::Writer& writer, const Contract& contract) {
  const auto& limits = contract.request.limits;
  if (limits.max_payload_bytes) {
    writer.Member("x-modelgate-max-payload-bytes", *limits.max_payload_bytes);
  }
  if (limits.max_batch) writer.Member("x-modelgate-max-batch", *limits.max_batch);
  if (!contract.request.batch_field.empty()) {
    writer.Member("x-modelgate-batch-field", contract.request.batch_field);
  }
  if (limits.max_total_chars) {
    writer.Member("x-modelgate-max-total-chars", *limits.max_total_chars);
  }
  writer.Member("x-modelgate-max-depth", limits.max_depth);
}

void WriteRateExtensions(json::Writer& writer, const contract::Constraints& constraints) {
  if (constraints.timeout) {
    writer.Member("x-modelgate-timeout-ms",
                  static_cast<std::int64_t>(constraints.timeout->count()));
  }
  if (constraints.throughput_rps) {
    writer.Member("x-modelgate-throughput-rps", *constraints.throughput_rps);
  }
  if (constraints.burst_rps) {
    writer.Key("x-modelgate-burst");
    writer.BeginObject();
    writer.Member("rps", *constraints.burst_rps);
    if (constraints.burst_window) {
      writer.Member("window_s", static_cast<double>(constraints.burst_window->count()) / 1000);
    }
    writer.EndObject();
  }
  if (constraints.max_concurrency) {
    writer.Member("x-modelgate-max-concurrency", *constraints.max_concurrency);
  }
}

void WriteExtensions(json::Writer& writer, const Contract& contract, const PublicExport& exported) {
  const auto& latency = contract.constraints.latency;
  if (!latency.p50.empty() || !latency.p95.empty() || !latency.p99.empty()) {
    exported.CopyMember(writer, "x-modelgate-latency-ms", "/constraints/latency_ms");
  }
  WriteRateExtensions(writer, contract.constraints);
  WriteLimitExtensions(writer, contract);
  if (contract.behavior.idempotency.enabled) {
    exported.CopyMember(writer, "x-modelgate-idempotency", "/behavior/idempotency");
  }
  exported.CopyMember(writer, "x-modelgate-deprecation", "/deprecation");
}

// Request.

bool UsesIdempotencyHeader(const Contract& contract) {
  const auto& idempotency = contract.behavior.idempotency;
  return idempotency.enabled && idempotency.source == contract::IdempotencySource::kHeader;
}

void WriteParameterRefs(json::Writer& writer, const Contract& contract) {
  writer.Key("parameters");
  writer.BeginArray();
  if (UsesIdempotencyHeader(contract)) WriteRef(writer, "#/components/parameters/IdempotencyKey");
  WriteRef(writer, "#/components/parameters/RequestId");
  WriteRef(writer, "#/components/parameters/Traceparent");
  WriteRef(writer, "#/components/parameters/RequestTimeout");
  writer.EndArray();
}

struct HeaderParameter {
  std::string_view key;  // name under components/parameters
  std::string_view name;
  bool required = false;
  std::string_view description;
  std::string_view type = "string";
  std::string_view pattern;
};

void WriteHeaderParameter(json::Writer& writer, const HeaderParameter& parameter) {
  writer.Key(parameter.key);
  writer.BeginObject();
  writer.Member("name", parameter.name);
  writer.Member("in", "header");
  writer.Member("required", parameter.required);
  writer.Member("description", parameter.description);
  writer.Key("schema");
  writer.BeginObject();
  writer.Member("type", parameter.type);
  if (parameter.type == "integer") writer.Member("minimum", 1);
  if (!parameter.pattern.empty()) writer.Member("pattern", parameter.pattern);
  writer.EndObject();
  writer.EndObject();
}

void WriteParameters(json::Writer& writer, const Contract& contract) {
  writer.Key("parameters");
  writer.BeginObject();
  if (UsesIdempotencyHeader(contract)) {
    const auto& idempotency = contract.behavior.idempotency;
    WriteHeaderParameter(
        writer, {.key = "IdempotencyKey",
                 .name = idempotency.header,
                 .required = idempotency.required,
                 .description = "Idempotency key. A repeat with the same key and body within the "
                                "window in x-modelgate-idempotency gets the stored response, and "
                                "the same key with another body gets 422 IDEMPOTENCY_KEY_REUSED."});
  }
  WriteHeaderParameter(writer,
                       {.key = "RequestId",
                        .name = "X-Request-Id",
                        .description = "Id of the request, echoed in the X-Request-Id response "
                                       "header and the problem's request_id. A value that does "
                                       "not match the pattern is replaced by a generated id.",
                        .pattern = kRequestIdPattern});
  WriteHeaderParameter(writer,
                       {.key = "Traceparent",
                        .name = "traceparent",
                        .description = "W3C Trace Context parent. The response's traceparent "
                                       "keeps its trace id. Without a valid one the server "
                                       "starts a new trace.",
                        .pattern = kTraceparentPattern});
  WriteHeaderParameter(writer, {.key = "RequestTimeout",
                                .name = "Request-Timeout",
                                .description = "Deadline the caller allows for the request, in "
                                               "milliseconds, above 0. A value above "
                                               "x-modelgate-timeout-ms is cut to it.",
                                .type = "integer"});
  writer.EndObject();
}

void WriteRequestBody(json::Writer& writer, const Contract& contract) {
  writer.Key("requestBody");
  writer.BeginObject();
  writer.Member("required", true);
  writer.Key("content");
  writer.BeginObject();
  writer.Key("application/json");
  writer.BeginObject();
  writer.Key("schema");
  WriteRef(writer, "#/components/schemas/Request");
  if (!contract.examples_json.empty()) {
    writer.Key("examples");
    writer.BeginObject();
    for (std::size_t i = 0; i < contract.examples_json.size(); ++i) {
      writer.Key("example-" + std::to_string(i + 1));
      writer.BeginObject();
      writer.Key("value");
      writer.Raw(contract.examples_json[i]);
      writer.EndObject();
    }
    writer.EndObject();
  }
  writer.EndObject();
  writer.EndObject();
  writer.EndObject();
}

// Responses.

void WriteHeaderRef(json::Writer& writer, std::string_view name, std::string_view component) {
  writer.Key(name);
  WriteRef(writer, "#/components/headers/" + std::string(component));
}

// Headers on every response of the operation (service::JsonResponse and Service::Decorate).
void WriteCommonHeaderRefs(json::Writer& writer, const Contract& contract) {
  WriteHeaderRef(writer, "X-Request-Id", "RequestId");
  WriteHeaderRef(writer, "traceparent", "Traceparent");
  WriteHeaderRef(writer, "X-Contract-Version", "ContractVersion");
  const auto& deprecation = contract.deprecation;
  if (!deprecation.deprecated) return;
  WriteHeaderRef(writer, "Deprecation", "Deprecation");
  if (!deprecation.sunset.empty()) WriteHeaderRef(writer, "Sunset", "Sunset");
  if (!deprecation.successor.empty()) WriteHeaderRef(writer, "Link", "Link");
}

// Appends `sentence` after a space, with a full stop unless it ends with one.
void AppendSentence(std::string& text, std::string_view sentence) {
  if (sentence.empty()) return;
  if (!text.empty() && text.back() != '\n' && text.back() != ' ') text += ' ';
  text += sentence;
  if (sentence.back() != '.') text += '.';
}

std::string OrderingText(const contract::Ordering& ordering) {
  if (!ordering.text.empty()) return ordering.text;
  return ordering.list + " is sorted by " + (ordering.by.empty() ? "item value" : ordering.by) +
         (ordering.descending ? ", descending" : ", ascending");
}

std::string SuccessDescription(const Contract& contract) {
  std::string text = "The model's response.";
  if (!contract.response.confidence_desc.empty()) {
    AppendSentence(text, "Confidence: " + contract.response.confidence_desc);
  }
  for (const auto& ordering : contract.response.ordering) {
    AppendSentence(text, "Ordering: " + OrderingText(ordering));
  }
  return text;
}

void WriteSuccessResponse(json::Writer& writer, const Contract& contract) {
  writer.Key("200");
  writer.BeginObject();
  writer.Member("description", SuccessDescription(contract));
  writer.Key("headers");
  writer.BeginObject();
  WriteCommonHeaderRefs(writer, contract);
  WriteHeaderRef(writer, "X-Model-Version", "ModelVersion");
  writer.EndObject();
  writer.Key("content");
  writer.BeginObject();
  writer.Key("application/json");
  writer.BeginObject();
  writer.Key("schema");
  WriteRef(writer, "#/components/schemas/Response");
  writer.EndObject();
  writer.EndObject();
  writer.EndObject();
}

std::string RetryText(const ErrorSpec& error) {
  if (!error.retryable) return " Not retryable.";
  std::string text = " Retryable";
  if (error.backoff == contract::Backoff::kFixed) text += ", fixed backoff";
  if (error.backoff == contract::Backoff::kExponential) text += ", exponential backoff";
  if (error.initial_backoff) {
    text += " from " + std::to_string(error.initial_backoff->count()) + " ms";
  }
  if (error.max_retries) text += ", at most " + std::to_string(*error.max_retries) + " retries";
  text += ".";
  if (error.retry_after) text += " Sends Retry-After.";
  return text;
}

// One line per code, since several codes may share a status.
std::string ErrorDescription(const std::vector<const ErrorSpec*>& errors) {
  std::string text;
  for (const auto* error : errors) {
    if (!text.empty()) text += "\n";
    text += "- `" + error->code + "`:";
    AppendSentence(text, error->description);
    text += RetryText(*error);
  }
  return text;
}

// The problem schema narrowed to this status and its codes.
void WriteStatusProblemSchema(json::Writer& writer, int status,
                              const std::vector<const ErrorSpec*>& errors) {
  writer.Key("schema");
  writer.BeginObject();
  writer.Key("allOf");
  writer.BeginArray();
  WriteRef(writer, "#/components/schemas/Problem");
  writer.BeginObject();
  writer.Key("properties");
  writer.BeginObject();
  writer.Key("status");
  writer.BeginObject();
  writer.Member("const", status);
  writer.EndObject();
  writer.Key("code");
  writer.BeginObject();
  writer.Key("enum");
  writer.BeginArray();
  for (const auto* error : errors) writer.String(error->code);
  writer.EndArray();
  writer.EndObject();
  writer.EndObject();
  writer.EndObject();
  writer.EndArray();
  writer.EndObject();
}

// One example per code: the body problem::Render sends without a request-specific detail.
void WriteProblemExamples(json::Writer& writer, const std::vector<const ErrorSpec*>& errors) {
  writer.Key("examples");
  writer.BeginObject();
  for (const auto* error : errors) {
    problem::Problem problem;
    problem.error = error;
    if (error->retry_after) problem.retry_after_seconds = 1;
    writer.Key(error->code);
    writer.BeginObject();
    writer.Member("summary", error->code);
    writer.Key("value");
    writer.Raw(problem::Render(problem, kExampleRequestId));
    writer.EndObject();
  }
  writer.EndObject();
}

void WriteErrorResponse(json::Writer& writer, const Contract& contract, int status,
                        const std::vector<const ErrorSpec*>& errors) {
  writer.Key(std::to_string(status));
  writer.BeginObject();
  writer.Member("description", ErrorDescription(errors));
  writer.Key("headers");
  writer.BeginObject();
  WriteCommonHeaderRefs(writer, contract);
  bool retry_after = std::any_of(errors.begin(), errors.end(),
                                 [](const ErrorSpec* error) { return error->retry_after; });
  if (retry_after) WriteHeaderRef(writer, "Retry-After", "RetryAfter");
  if (status == 405) WriteHeaderRef(writer, "Allow", "Allow");
  writer.EndObject();
  writer.Key("content");
  writer.BeginObject();
  writer.Key("application/problem+json");
  writer.BeginObject();
  WriteStatusProblemSchema(writer, status, errors);
  WriteProblemExamples(writer, errors);
  writer.EndObject();
  writer.EndObject();
  writer.EndObject();
}

std::map<int, std::vector<const ErrorSpec*>> ErrorsByStatus(const Contract& contract) {
  std::map<int, std::vector<const ErrorSpec*>> groups;
  for (const auto& error : contract.errors) groups[error.status].push_back(&error);
  return groups;
}

void WriteResponses(json::Writer& writer, const Contract& contract) {
  writer.Key("responses");
  writer.BeginObject();
  WriteSuccessResponse(writer, contract);
  for (const auto& [status, errors] : ErrorsByStatus(contract)) {
    WriteErrorResponse(writer, contract, status, errors);
  }
  writer.EndObject();
}

void WriteOperation(json::Writer& writer, const Contract& contract, const PublicExport& exported) {
  writer.BeginObject();
  writer.Member("operationId", OperationId(contract.endpoint.operation));
  writer.Member("summary", contract.purpose.empty()
                               ? contract.name + ": " + contract.endpoint.operation
                               : contract.purpose);
  if (contract.deprecation.deprecated) writer.Member("deprecated", true);
  WriteParameterRefs(writer, contract);
  WriteRequestBody(writer, contract);
  WriteResponses(writer, contract);
  WriteExtensions(writer, contract, exported);
  writer.EndObject();
}

// Components.

void WriteHeader(json::Writer& writer, std::string_view key, std::string_view description,
                 bool required, std::string_view type = "string") {
  writer.Key(key);
  writer.BeginObject();
  writer.Member("description", description);
  if (required) writer.Member("required", true);
  writer.Key("schema");
  writer.BeginObject();
  writer.Member("type", type);
  if (type == "integer") writer.Member("minimum", 0);
  writer.EndObject();
  writer.EndObject();
}

void WriteDeprecationHeaders(json::Writer& writer, const contract::Deprecation& deprecation) {
  if (!deprecation.deprecated) return;
  WriteHeader(writer, "Deprecation", "`true`: this version of the contract is deprecated.", true);
  if (!deprecation.sunset.empty()) {
    WriteHeader(writer, "Sunset", "HTTP date after which this version is retired (RFC 8594).",
                true);
  }
  if (!deprecation.successor.empty()) {
    WriteHeader(writer, "Link", "The successor version, with rel=\"successor-version\".", true);
  }
}

void WriteHeaders(json::Writer& writer, const Contract& contract) {
  writer.Key("headers");
  writer.BeginObject();
  WriteHeader(writer, "RequestId", "Id of the request: the caller's X-Request-Id or a new one.",
              true);
  WriteHeader(writer, "Traceparent", "W3C Trace Context of the server's span.", true);
  WriteHeader(writer, "ContractVersion", "Version of the contract that handled the request.",
              false);
  WriteHeader(writer, "ModelVersion", "Version of the model that produced the response.", true);
  auto groups = ErrorsByStatus(contract);
  bool retry_after = std::any_of(contract.errors.begin(), contract.errors.end(),
                                 [](const ErrorSpec& error) { return error.retry_after; });
  if (retry_after) {
    WriteHeader(writer, "RetryAfter", "Seconds to wait before sending the request again.", false,
                "integer");
  }
  if (groups.contains(405)) WriteHeader(writer, "Allow", "Methods the route accepts.", true);
  WriteDeprecationHeaders(writer, contract.deprecation);
  writer.EndObject();
}

std::string RequestDescription(const Contract& contract) {
  std::string text = "Request body of " + contract.RoutePath() + ".";
  if (contract.request.validation.trim_whitespace) {
    text +=
        " Strings are trimmed of surrounding whitespace before their length, enum, pattern "
        "and format are checked.";
  }
  return text;
}

void WriteSchemas(json::Writer& writer, const Contract& contract) {
  const auto& request = contract.request;
  SchemaOptions request_options;
  request_options.reject_unknown_fields =
      request.validation.unknown_fields == contract::UnknownFieldPolicy::kReject;
  if (!request.batch_field.empty()) {
    request_options.batch_field = contract::FindField(request.fields, request.batch_field);
    request_options.max_batch = request.limits.max_batch;
  }
  writer.Key("schemas");
  writer.BeginObject();
  writer.Key("Request");
  WriteDocumentSchema(writer, request.fields, request_options, RequestDescription(contract));
  // Responses may carry members the contract does not list yet (additive changes), so response
  // objects stay open.
  writer.Key("Response");
  WriteDocumentSchema(writer, contract.response.fields, SchemaOptions{},
                      "Response body of " + contract.RoutePath() + ".");
  writer.Key("Problem");
  WriteProblemSchema(writer);
  writer.Key("ProblemViolation");
  WriteViolationSchema(writer);
  writer.EndObject();
}

void WriteComponents(json::Writer& writer, const Contract& contract) {
  writer.Key("components");
  writer.BeginObject();
  WriteSchemas(writer, contract);
  WriteParameters(writer, contract);
  WriteHeaders(writer, contract);
  writer.EndObject();
}

// YAML.

// True when YAML would read the plain scalar as something other than a string. Quoting more
// than needed is harmless, so any text starting like a number is quoted.
bool NeedsQuotes(std::string_view text) {
  if (text.empty()) return true;
  char first = text.front();
  if (std::isdigit(static_cast<unsigned char>(first)) || first == '-' || first == '+' ||
      first == '.') {
    return true;
  }
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const char* const kWords[] = {"true", "false", "yes", "no",   "on",
                                       "off",  "y",     "n",   "null", "~"};
  return std::any_of(std::begin(kWords), std::end(kWords),
                     [&](const char* word) { return lowered == word; });
}

void EmitString(YAML::Emitter& out, std::string_view text) {
  if (NeedsQuotes(text)) out << YAML::DoubleQuoted;
  out << std::string(text);
}

void EmitYaml(YAML::Emitter& out, simdjson::dom::element value) {
  using simdjson::dom::element_type;
  switch (value.type()) {
    case element_type::OBJECT: {
      out << YAML::BeginMap;
      // Bind the object first: ranging over the temporary result would leave it dangling.
      simdjson::dom::object object = value.get_object().value_unsafe();
      for (auto member : object) {
        out << YAML::Key;
        EmitString(out, member.key);
        out << YAML::Value;
        EmitYaml(out, member.value);
      }
      out << YAML::EndMap;
      break;
    }
    case element_type::ARRAY: {
      out << YAML::BeginSeq;
      simdjson::dom::array array = value.get_array().value_unsafe();
      for (auto item : array) EmitYaml(out, item);
      out << YAML::EndSeq;
      break;
    }
    case element_type::STRING:
      EmitString(out, value.get_string().value_unsafe());
      break;
    case element_type::BOOL:
      out << (value.get_bool().value_unsafe() ? "true" : "false");
      break;
    case element_type::NULL_VALUE:
      out << YAML::Null;
      break;
    case element_type::INT64:
      out << value.get_int64().value_unsafe();
      break;
    case element_type::UINT64:
      out << value.get_uint64().value_unsafe();
      break;
    case element_type::DOUBLE: {
      // The shortest text that reads back as the same double, as in the JSON export.
      std::string text;
      json::AppendNumber(text, value.get_double().value_unsafe());
      out << text;
      break;
    }
  }
}

}  // namespace

std::string ExportOpenApi(const Contract& input) {
  Contract contract = service::WithDefaults(input);
  PublicExport exported(contract);
  std::string out;
  json::Writer writer(out);
  writer.BeginObject();
  writer.Member("openapi", "3.1.0");
  WriteInfo(writer, contract);
  writer.Key("paths");
  writer.BeginObject();
  writer.Key(contract.RoutePath());
  writer.BeginObject();
  writer.Key("post");
  WriteOperation(writer, contract, exported);
  writer.EndObject();
  writer.EndObject();
  WriteComponents(writer, contract);
  writer.EndObject();
  return out;
}

absl::StatusOr<std::string> JsonToYaml(std::string_view json_text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json_text.data(), json_text.size()).get(root)) {
    return absl::InvalidArgumentError(std::string("invalid JSON: ") +
                                      simdjson::error_message(error));
  }
  YAML::Emitter out;
  EmitYaml(out, root);
  return std::string(out.c_str()) + "\n";
}

}  // namespace modelgate::tools
