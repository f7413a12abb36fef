// Readers of the request, response and errors sections.

#include <algorithm>
#include <functional>
#include <regex>

#include "contract/fields.h"
#include "contract/sections.h"
#include "contract/standard_errors.h"

namespace modelgate::contract {

namespace {

void ReadLimits(MapReader& reader, RequestLimits& limits) {
  if (auto value = reader.Count({"max_payload_bytes", "max_body_bytes"})) {
    limits.max_payload_bytes = value;
  }
  if (auto value = reader.Count({"max_batch", "max_batch_size", "max_items"})) {
    limits.max_batch = value;
  }
  if (auto value = reader.Count({"max_total_chars", "max_chars", "max_chars_per_request"})) {
    limits.max_total_chars = value;
  }
  if (auto value = reader.Count({"max_depth", "max_nesting_depth"})) {
    if (*value < 1 || *value > 1024) {
      reader.diagnostics().Add(reader.Get({"max_depth", "max_nesting_depth"}),
                               reader.PathOf({"max_depth", "max_nesting_depth"}),
                               "max_depth must be between 1 and 1024");
    } else {
      limits.max_depth = *value;
    }
  }
  reader.Finish();
}

void ApplyValidationWord(const std::string& word, const YAML::Node& node, const std::string& path,
                         Diagnostics& diagnostics, ValidationPolicy& policy) {
  if (word == "reject_invalid_schema") {
    policy.reject_invalid_schema = true;
  } else if (word == "trim_whitespace") {
    policy.trim_whitespace = true;
  } else if (word == "reject_unknown_fields") {
    policy.unknown_fields = UnknownFieldPolicy::kReject;
  } else if (word == "ignore_unknown_fields") {
    policy.unknown_fields = UnknownFieldPolicy::kIgnore;
  } else if (word == "allow_duplicate_keys") {
    policy.allow_duplicate_keys = true;
  } else {
    diagnostics.Add(node, path,
                    "unknown validation rule \"" + word +
                        "\"; allowed: reject_invalid_schema, trim_whitespace, "
                        "reject_unknown_fields, ignore_unknown_fields, allow_duplicate_keys");
  }
}

void ReadValidation(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                    ValidationPolicy& policy) {
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      auto word = ReadString(node[i], path + "[" + std::to_string(i) + "]", diagnostics);
      if (word) ApplyValidationWord(*word, node[i], path, diagnostics, policy);
    }
    return;
  }
  MapReader reader(node, path, diagnostics);
  if (auto value = reader.Bool({"reject_invalid_schema"})) policy.reject_invalid_schema = *value;
  if (auto value = reader.Bool({"trim_whitespace"})) policy.trim_whitespace = *value;
  if (auto value = reader.Bool({"allow_duplicate_keys"})) policy.allow_duplicate_keys = *value;
  if (auto value = reader.String({"unknown_fields"})) {
    if (*value == "reject") {
      policy.unknown_fields = UnknownFieldPolicy::kReject;
    } else if (*value == "ignore") {
      policy.unknown_fields = UnknownFieldPolicy::kIgnore;
    } else {
      diagnostics.Add(reader.Get({"unknown_fields"}), reader.PathOf({"unknown_fields"}),
                      "expected reject or ignore");
    }
  }
  reader.Finish();
}

}  // namespace

void ReadRequest(MapReader& reader, Contract& contract) {
  auto& request = contract.request;
  auto& diagnostics = reader.diagnostics();
  auto schema_node = reader.Get({"schema"});
  MapReader schema(schema_node, reader.PathOf({"schema"}), diagnostics);
  auto fields = schema.Get({"fields"});
  if (fields.IsDefined()) request.fields = ReadFields(fields, schema.PathOf({"fields"}), diagnostics);
  auto direct_fields = reader.Get({"fields"});
  if (direct_fields.IsDefined()) {
    if (fields.IsDefined()) {
      diagnostics.Add(direct_fields, reader.PathOf({"fields"}),
                      "fields are declared both here and under schema; keep one");
    }
    request.fields = ReadFields(direct_fields, reader.PathOf({"fields"}), diagnostics);
  }
  for (auto* holder : {&schema, &reader}) {
    auto limits = holder->Get({"limits"});
    if (!limits.IsDefined()) continue;
    MapReader limits_reader(limits, holder->PathOf({"limits"}), diagnostics);
    ReadLimits(limits_reader, request.limits);
  }
  for (auto* holder : {&schema, &reader}) {
    auto validation = holder->Get({"validation"});
    if (validation.IsDefined()) {
      ReadValidation(validation, holder->PathOf({"validation"}), diagnostics, request.validation);
    }
  }
  request.batch_field = reader.String({"batch_field"}).value_or("");
  schema.Finish();
  reader.Finish();
}

Ordering ParseOrderingSentence(const std::string& text, const std::vector<Field>& fields) {
  Ordering ordering;
  ordering.text = text;
  static const std::regex kSortedBy(R"(sorted\s+by\s+([A-Za-z_][\w.]*)\s*(asc|desc|ascending|descending)?)",
                                    std::regex::icase);
  std::smatch match;
  if (!std::regex_search(text, match, kSortedBy)) return ordering;
  ordering.by = match[1];
  // A sentence ends with a full stop that is not part of the member name.
  while (!ordering.by.empty() && ordering.by.back() == '.') ordering.by.pop_back();
  ordering.descending = !(match[2].matched && match[2].str().starts_with("asc"));
  // The list is the array of objects named in the sentence whose items have the member `by`.
  std::function<void(const std::vector<Field>&, const std::string&)> visit =
      [&](const std::vector<Field>& members, const std::string& prefix) {
        for (const auto& field : members) {
          if (field.type != FieldType::kArray || !field.items) continue;
          std::string path = prefix + field.name;
          const auto& item_members = field.items->fields;
          bool has_key = std::any_of(item_members.begin(), item_members.end(),
                                     [&](const Field& f) { return f.name == ordering.by; });
          if (has_key && ordering.list.empty() && text.find(field.name) != std::string::npos) {
            ordering.list = path;
          }
          visit(item_members, path + "[].");
        }
      };
  visit(fields, "");
  return ordering;
}

void ReadResponse(MapReader& reader, Contract& contract) {
  auto& response = contract.response;
  auto& diagnostics = reader.diagnostics();
  auto schema_node = reader.Get({"schema"});
  MapReader schema(schema_node, reader.PathOf({"schema"}), diagnostics);
  auto fields = schema.Get({"fields"});
  if (fields.IsDefined()) {
    response.fields = ReadFields(fields, schema.PathOf({"fields"}), diagnostics);
  }
  auto direct_fields = reader.Get({"fields"});
  if (direct_fields.IsDefined()) {
    response.fields = ReadFields(direct_fields, reader.PathOf({"fields"}), diagnostics);
  }
  for (auto* holder : {&reader, &schema}) {
    auto ordering = holder->Get({"ordering"});
    if (!ordering.IsDefined()) continue;
    std::string path = holder->PathOf({"ordering"});
    auto items = ordering.IsSequence() ? ordering : YAML::Node(YAML::NodeType::Sequence);
    if (!ordering.IsSequence()) items.push_back(ordering);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].IsScalar()) {
        response.ordering.push_back(ParseOrderingSentence(items[i].Scalar(), response.fields));
        continue;
      }
      MapReader rule(items[i], path, diagnostics);
      Ordering parsed;
      parsed.list = rule.String({"list", "field"}).value_or("");
      parsed.by = rule.String({"by", "key"}).value_or("");
      auto direction = rule.String({"direction", "order"}).value_or("desc");
      parsed.descending = direction.starts_with("desc");
      rule.Finish();
      response.ordering.push_back(parsed);
    }
  }
  response.confidence_desc = reader.String({"confidence"}).value_or("");
  auto reasons = reader.Get({"reason_codes"});
  if (reasons.IsMap()) {
    for (auto entry : reasons) response.reason_codes[entry.first.Scalar()] = entry.second.Scalar();
  } else if (reasons.IsDefined()) {
    diagnostics.Add(reasons, reader.PathOf({"reason_codes"}),
                    "expected a mapping from each reason code to its meaning");
  }
  auto errors = reader.Get({"errors"});
  if (errors.IsDefined()) ReadErrors(errors, reader.PathOf({"errors"}), diagnostics, contract);
  schema.Finish();
  reader.Finish();
}

namespace {

void ReadOneError(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                  ErrorSpec& spec) {
  MapReader reader(node, path, diagnostics);
  if (auto code = reader.String({"code"})) spec.code = *code;
  if (auto status = reader.Integer({"status", "http_status", "http"})) {
    spec.status = static_cast<int>(*status);
  }
  if (auto retryable = reader.Bool({"retryable", "retry"})) {
    spec.retryable = *retryable;
    spec.retryable_declared = true;
  }
  if (auto backoff = reader.String({"backoff"})) {
    if (*backoff == "exponential" || *backoff == "exponential_jitter") {
      spec.backoff = Backoff::kExponential;
    } else if (*backoff == "fixed" || *backoff == "constant") {
      spec.backoff = Backoff::kFixed;
    } else if (*backoff == "none") {
      spec.backoff = Backoff::kNone;
    } else {
      diagnostics.Add(reader.Get({"backoff"}), reader.PathOf({"backoff"}),
                      "expected exponential, fixed or none");
    }
  }
  if (auto retry_after = reader.Bool({"retry_after", "retry_after_header"})) {
    spec.retry_after = *retry_after;
  }
  if (auto retries = reader.Integer({"max_retries", "retries"})) {
    spec.max_retries = static_cast<int>(*retries);
  }
  spec.initial_backoff = reader.Duration({"initial_backoff_ms", "initial_backoff"},
                                         std::chrono::milliseconds(1));
  if (auto description = reader.String({"desc", "description", "message"})) {
    spec.description = *description;
  }
  reader.Finish();
}

void MergeError(ErrorSpec spec, const YAML::Node& node, const std::string& path,
                Diagnostics& diagnostics, Contract& contract) {
  if (spec.code.empty()) {
    diagnostics.Add(node, path, "missing key \"code\"");
    return;
  }
  const ErrorSpec* standard = FindStandardError(spec.code);
  if (standard != nullptr && spec.status != standard->status && spec.status != 0) {
    diagnostics.Add(node, path, spec.code + " is a standard code with status " +
                                    std::to_string(standard->status) +
                                    "; declare a new code for another status");
    return;
  }
  if (standard != nullptr && spec.retryable && !standard->retryable && standard->status < 500) {
    diagnostics.Add(node, path, spec.code + " is a standard client error that a retry cannot "
                                            "fix; it stays retryable: false");
    return;
  }
  if (spec.status < 400 || spec.status > 599) {
    diagnostics.Add(node, path, "status must be an HTTP error status (400-599)");
    return;
  }
  auto existing = std::find_if(contract.errors.begin(), contract.errors.end(),
                               [&](const ErrorSpec& e) { return e.code == spec.code; });
  if (existing != contract.errors.end()) *existing = std::move(spec);
  else contract.errors.push_back(std::move(spec));
}

}  // namespace

void ReadErrors(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                Contract& contract) {
  auto read = [&](const YAML::Node& item, const std::string& item_path, const std::string& key) {
    ErrorSpec spec;
    spec.status = 0;
    if (const ErrorSpec* standard = FindStandardError(key)) spec = *standard;
    spec.code = key;
    spec.retryable_declared = false;
    spec.where = diagnostics.Locate(item);
    if (item.IsMap()) ReadOneError(item, item_path, diagnostics, spec);
    if (spec.status == 0) {
      diagnostics.Add(item, item_path, "error " + spec.code +
                                           " is not a standard code; declare its status");
      return;
    }
    MergeError(std::move(spec), item, item_path, diagnostics, contract);
  };
  if (node.IsMap()) {
    for (auto entry : node) read(entry.second, JoinPath(path, entry.first.Scalar()),
                                 entry.first.Scalar());
    return;
  }
  if (!node.IsSequence()) {
    diagnostics.Add(node, path, "expected a list of errors, each with code and retryable");
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    std::string item_path = path + "[" + std::to_string(i) + "]";
    const auto& item = node[i];
    std::string code;
    if (item.IsScalar()) {
      code = item.Scalar();
    } else if (item.IsMap() && item["code"].IsScalar()) {
      code = item["code"].Scalar();
    }
    if (code.empty()) {
      diagnostics.Add(item, item_path, "missing key \"code\"");
      continue;
    }
    read(item, item_path, code);
  }
}

}  // namespace modelgate::contract
