#include "backend/xgboost_binding.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>

#include "contract/fields.h"
#include "contract/yaml_reader.h"
#include "schema/formats.h"
#include "schema/validator.h"

namespace modelgate::backend {
namespace {

using contract::Field;
using contract::FieldType;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::string_view kModelKeys[] = {"backend",  "artifact", "version", "objective",
                                           "features", "outputs",  "reasons"};
constexpr std::string_view kFeatureKeys[] = {"name", "from", "vocabulary"};
constexpr std::string_view kOutputKeys[] = {"score", "reasons", "version"};
constexpr std::string_view kReasonKeys[] = {"method", "top_k", "codes"};

template <typename Strings>
std::string Join(const Strings& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

// Throws the start-up errors of one contract: `file: model.key: message`.
class Checker {
 public:
  explicit Checker(const contract::Contract& contract) : contract_(contract) {}

  [[noreturn]] void Fail(std::string_view key, std::string_view message) const {
    throw std::runtime_error(contract_.file + ": model." + std::string(key) + ": " +
                             std::string(message));
  }

  void CheckKeys(object members, std::string_view prefix,
                 std::span<const std::string_view> allowed) const {
    for (auto [key, value] : members) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        Fail(std::string(prefix) + std::string(key),
             "unknown key; allowed keys are " + Join(allowed));
      }
    }
  }

  object Object(element value, std::string_view key, std::string_view expected) const {
    object members;
    if (value.get_object().get(members) != simdjson::SUCCESS) {
      Fail(key, "expected " + std::string(expected));
    }
    return members;
  }

  std::string String(element value, std::string_view key) const {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS || text.empty()) {
      Fail(key, "expected a non-empty string");
    }
    return std::string(text);
  }

  const contract::Contract& contract() const { return contract_; }

 private:
  const contract::Contract& contract_;
};

bool Member(object members, std::string_view name, element& value) {
  return members[name].get(value) == simdjson::SUCCESS;
}

// Collects the dotted paths of the request's scalar fields, for messages.
void CollectScalarPaths(const std::vector<Field>& fields, const std::string& prefix,
                        std::vector<std::string>& paths) {
  for (const auto& field : fields) {
    std::string path = prefix.empty() ? field.name : prefix + "." + field.name;
    if (field.type == FieldType::kObject) {
      CollectScalarPaths(field.fields, path, paths);
    } else if (field.type != FieldType::kArray) {
      paths.push_back(path);
    }
  }
}

std::vector<std::string> SplitDots(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    parts.emplace_back(text.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

absl::Status WrongType(const FeatureBinding& feature, element value, std::string_view expected) {
  return absl::InvalidArgumentError("request member " + feature.from + " is " +
                                    std::string(schema::JsonTypeName(value)) + ", expected " +
                                    std::string(expected));
}

// Converts one present request value; null and strings outside the vocabulary become missing.
absl::Status ToFeatureValue(const FeatureBinding& feature, element value, bool trim, float& out) {
  if (value.is_null()) {
    out = kMissing;
    return absl::OkStatus();
  }
  switch (feature.kind) {
    case FeatureKind::kNumber: {
      double number = 0;
      if (value.get_double().get(number) != simdjson::SUCCESS) {
        return WrongType(feature, value, "a number");
      }
      out = static_cast<float>(number);
      if (!std::isfinite(out)) {
        return absl::InvalidArgumentError("request member " + feature.from +
                                          " is beyond the float range of the model");
      }
      return absl::OkStatus();
    }
    case FeatureKind::kBoolean: {
      bool flag = false;
      if (value.get_bool().get(flag) != simdjson::SUCCESS) {
        return WrongType(feature, value, "a boolean");
      }
      out = flag ? 1.0F : 0.0F;
      return absl::OkStatus();
    }
    case FeatureKind::kCategory: {
      std::string_view text;
      if (value.get_string().get(text) != simdjson::SUCCESS) {
        return WrongType(feature, value, "a string");
      }
      if (trim) text = schema::TrimWhitespace(text);
      auto code = feature.vocabulary.find(text);
      out = code == feature.vocabulary.end() ? kMissing : code->second;
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unknown feature kind");
}

Vocabulary ReadVocabulary(const Checker& checker, element list, const std::string& key) {
  simdjson::dom::array items;
  if (list.get_array().get(items) != simdjson::SUCCESS || items.size() == 0) {
    checker.Fail(key,
                 "expected a non-empty list of strings; a string's feature value is its "
                 "index in the list");
  }
  Vocabulary vocabulary;
  for (element item : items) {
    std::string_view text;
    std::string item_key = key + "[" + std::to_string(vocabulary.size()) + "]";
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      checker.Fail(item_key, "expected a string; quote numbers and booleans meant as categories");
    }
    auto index = static_cast<float>(vocabulary.size());
    if (!vocabulary.emplace(std::string(text), index).second) {
      checker.Fail(item_key, Quote(text) + " is listed twice; each category needs one code");
    }
  }
  return vocabulary;
}

// Finds the request field of `feature.from` and sets the feature's kind and absent value.
void BindRequestField(const Checker& checker, FeatureBinding& feature,
                      const std::optional<element>& vocabulary, const std::string& key) {
  const auto& request = checker.contract().request;
  const Field* field = feature.from.find("[]") == std::string::npos
                           ? contract::FindField(request.fields, feature.from)
                           : nullptr;
  if (field == nullptr) {
    std::vector<std::string> paths;
    CollectScalarPaths(request.fields, "", paths);
    std::string nearest = contract::NearestKey(feature.from, paths);
    std::string message = Quote(feature.from) + " is not a scalar field of the request. ";
    if (!nearest.empty()) message += "Did you mean " + nearest + "? ";
    checker.Fail(key + ".from", message + "Request fields: " + Join(paths));
  }
  switch (field->type) {
    case FieldType::kNumber:
    case FieldType::kInteger:
      feature.kind = FeatureKind::kNumber;
      break;
    case FieldType::kBoolean:
      feature.kind = FeatureKind::kBoolean;
      break;
    case FieldType::kString:
      if (!vocabulary) {
        checker.Fail(key + ".vocabulary", "missing; request field " + feature.from +
                                              " is a string, so list its values in the "
                                              "model's code order");
      }
      feature.kind = FeatureKind::kCategory;
      feature.vocabulary = ReadVocabulary(checker, *vocabulary, key + ".vocabulary");
      break;
    default:
      checker.Fail(key + ".from", "request field " + feature.from + " has type " +
                                      std::string(contract::FieldTypeName(field->type)) +
                                      "; a feature reads a number, integer, boolean or string");
  }
  if (vocabulary && feature.kind != FeatureKind::kCategory) {
    checker.Fail(key + ".vocabulary",
                 "request field " + feature.from + " is not a string; drop the vocabulary");
  }
  if (field->default_json) {
    simdjson::dom::parser parser;
    element value;
    if (parser.parse(*field->default_json).get(value) != simdjson::SUCCESS ||
        !ToFeatureValue(feature, value, false, feature.absent_value).ok()) {
      checker.Fail(key + ".from", "the default of request field " + feature.from +
                                      " does not convert to a feature value");
    }
  }
}

FeatureBinding ReadFeature(const Checker& checker, element item, const std::string& key) {
  object members = checker.Object(item, key, "a mapping with name, from and vocabulary");
  checker.CheckKeys(members, key + ".", kFeatureKeys);
  FeatureBinding feature;
  element value;
  if (!Member(members, "name", value)) {
    checker.Fail(key + ".name", "missing; set the model's feature name");
  }
  feature.name = checker.String(value, key + ".name");
  feature.from =
      Member(members, "from", value) ? checker.String(value, key + ".from") : feature.name;
  feature.path = SplitDots(feature.from);
  std::optional<element> vocabulary;
  if (Member(members, "vocabulary", value)) vocabulary = value;
  BindRequestField(checker, feature, vocabulary, key);
  return feature;
}

std::vector<FeatureBinding> ReadFeatureList(const Checker& checker, object settings) {
  element list;
  simdjson::dom::array items;
  if (!Member(settings, "features", list)) {
    checker.Fail("features", "missing; list the model's features in its order as {name, from}");
  }
  if (list.get_array().get(items) != simdjson::SUCCESS || items.size() == 0) {
    checker.Fail("features", "expected a non-empty list of {name, from, vocabulary}");
  }
  std::vector<FeatureBinding> features;
  std::set<std::string> names;
  for (element item : items) {
    std::string key = "features[" + std::to_string(features.size()) + "]";
    features.push_back(ReadFeature(checker, item, key));
    if (!names.insert(features.back().name).second) {
      checker.Fail(key + ".name", Quote(features.back().name) + " is listed twice");
    }
  }
  return features;
}

const Field* FindMember(const std::vector<Field>& fields, std::string_view name) {
  auto field = std::find_if(fields.begin(), fields.end(),
                            [&](const Field& candidate) { return candidate.name == name; });
  return field == fields.end() ? nullptr : &*field;
}

// Reads the name of a response member and returns its field.
const Field& ResponseMember(const Checker& checker, element value, const std::string& key,
                            std::string& name) {
  name = checker.String(value, key);
  const auto& fields = checker.contract().response.fields;
  const Field* field = FindMember(fields, name);
  if (field == nullptr) {
    std::vector<std::string> names;
    for (const auto& candidate : fields) names.push_back(candidate.name);
    checker.Fail(
        key, Quote(name) + " is not a top-level member of the response; members: " + Join(names));
  }
  return *field;
}

std::string FeatureNames(const XgboostBinding& binding) {
  std::vector<std::string_view> names;
  for (const auto& feature : binding.features) names.push_back(feature.name);
  return Join(names);
}

std::size_t CountCodePoints(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// Fails when a required response member receives no output, because every response would then
// break the response contract.
void CheckRequiredMembers(const Checker& checker, const XgboostBinding& binding) {
  for (const auto& field : checker.contract().response.fields) {
    if (!field.required || field.name == binding.score_member ||
        field.name == binding.reasons_member || field.name == binding.version_member) {
      continue;
    }
    checker.Fail("outputs", "response member " + Quote(field.name) +
                                " is required, but the xgboost backend writes only "
                                "outputs.score, outputs.reasons and outputs.version; map one "
                                "of them to it or make it optional");
  }
}

void ReadOutputs(const Checker& checker, object settings, XgboostBinding& binding) {
  element value;
  if (!Member(settings, "outputs", value)) {
    checker.Fail("outputs", "missing; set outputs.score to the response member for the score");
  }
  object outputs = checker.Object(value, "outputs", "a mapping with score, reasons and version");
  checker.CheckKeys(outputs, "outputs.", kOutputKeys);
  if (!Member(outputs, "score", value)) {
    checker.Fail("outputs.score", "missing; name the response member for the prediction");
  }
  const Field& score = ResponseMember(checker, value, "outputs.score", binding.score_member);
  if (score.type != FieldType::kNumber) {
    checker.Fail("outputs.score", "response member " + binding.score_member + " is " +
                                      std::string(contract::FieldTypeName(score.type)) +
                                      "; the score needs a number field");
  }
  if (Member(outputs, "reasons", value)) {
    const Field& reasons =
        ResponseMember(checker, value, "outputs.reasons", binding.reasons_member);
    if (reasons.type != FieldType::kArray || !reasons.items ||
        reasons.items->type != FieldType::kString) {
      checker.Fail("outputs.reasons", "response member " + binding.reasons_member +
                                          " is not array[string]; reason codes need a list "
                                          "of strings");
    }
  }
  if (Member(outputs, "version", value)) {
    const Field& version =
        ResponseMember(checker, value, "outputs.version", binding.version_member);
    if (version.type != FieldType::kString) {
      checker.Fail("outputs.version",
                   "response member " + binding.version_member + " is not a string field");
    }
    if (version.max_len && CountCodePoints(binding.version) > *version.max_len) {
      checker.Fail("version", Quote(binding.version) + " is longer than max_len " +
                                  std::to_string(*version.max_len) + " of response member " +
                                  binding.version_member + "; shorten it");
    }
  }
  CheckRequiredMembers(checker, binding);
}

ReasonMethod ReadMethod(const Checker& checker, object reasons) {
  element value;
  if (!Member(reasons, "method", value)) return ReasonMethod::kApproximate;
  std::string method = checker.String(value, "reasons.method");
  if (method == "approximate") return ReasonMethod::kApproximate;
  if (method == "exact") return ReasonMethod::kExact;
  if (method == "none") return ReasonMethod::kNone;
  checker.Fail("reasons.method", Quote(method) + " is invalid; use approximate, exact or none");
}

void ReadTopK(const Checker& checker, object reasons, const Field& list, XgboostBinding& binding) {
  element value;
  if (Member(reasons, "top_k", value)) {
    std::int64_t top_k = 0;
    if (value.get_int64().get(top_k) != simdjson::SUCCESS || top_k < 1) {
      checker.Fail("reasons.top_k", "expected a positive integer");
    }
    binding.top_k = static_cast<std::size_t>(top_k);
  }
  if (list.max_len && binding.top_k > *list.max_len) {
    checker.Fail("reasons.top_k", std::to_string(binding.top_k) + " exceeds max_len " +
                                      std::to_string(*list.max_len) + " of response member " +
                                      binding.reasons_member + "; lower top_k to at most " +
                                      std::to_string(*list.max_len));
  }
  if (list.min_len && *list.min_len > 0) {
    checker.Fail("outputs.reasons", "response member " + binding.reasons_member + " has min_len " +
                                        std::to_string(*list.min_len) +
                                        ", but the list is empty when no feature raised the "
                                        "score; drop min_len");
  }
}

bool InEnum(const Field& items, std::string_view code) {
  return std::any_of(items.enum_values.begin(), items.enum_values.end(),
                     [&](const contract::Scalar& allowed) {
                       const auto* text = std::get_if<std::string>(&allowed);
                       return text != nullptr && *text == code;
                     });
}

void ReadCodes(const Checker& checker, object reasons, const Field& list, XgboostBinding& binding) {
  element value;
  if (!Member(reasons, "codes", value)) {
    checker.Fail("reasons.codes", "missing; map feature names to reason codes");
  }
  object codes = checker.Object(value, "reasons.codes", "a mapping from feature name to code");
  binding.codes.assign(binding.features.size(), "");
  for (auto [name, code_value] : codes) {
    std::string key = "reasons.codes." + std::string(name);
    auto feature = std::find_if(binding.features.begin(), binding.features.end(),
                                [&](const FeatureBinding& f) { return f.name == name; });
    if (feature == binding.features.end()) {
      checker.Fail(key, "not a feature of this binding; features: " + FeatureNames(binding));
    }
    std::string code = checker.String(code_value, key);
    if (!list.items->enum_values.empty() && !InEnum(*list.items, code)) {
      checker.Fail(key, Quote(code) + " is not in the enum of response member " +
                            binding.reasons_member + "; add it there or use a listed code");
    }
    binding.codes[feature - binding.features.begin()] = code;
  }
  if (codes.size() == 0) checker.Fail("reasons.codes", "expected at least one code");
}

void ReadReasons(const Checker& checker, object settings, XgboostBinding& binding) {
  element value;
  if (!Member(settings, "reasons", value)) {
    if (!binding.reasons_member.empty()) {
      checker.Fail("reasons", "missing; outputs.reasons is set, so add method, top_k and codes");
    }
    return;
  }
  object reasons = checker.Object(value, "reasons", "a mapping with method, top_k and codes");
  checker.CheckKeys(reasons, "reasons.", kReasonKeys);
  binding.reason_method = ReadMethod(checker, reasons);
  if (binding.reason_method == ReasonMethod::kNone) {
    if (!binding.reasons_member.empty()) {
      checker.Fail("reasons.method",
                   "is none, but outputs.reasons is set; use approximate or exact, or drop "
                   "outputs.reasons");
    }
    return;
  }
  if (binding.reasons_member.empty()) {
    checker.Fail("outputs.reasons",
                 "missing; reasons.method requests reason codes, so name the response member "
                 "for them");
  }
  const Field& list = *FindMember(checker.contract().response.fields, binding.reasons_member);
  ReadTopK(checker, reasons, list, binding);
  ReadCodes(checker, reasons, list, binding);
}

enum class Lookup { kFound, kAbsent, kNotObject };

// Follows `path` from `root`. A missing member or a null parent counts as absent.
Lookup FindValue(element root, const std::vector<std::string>& path, element& value) {
  value = root;
  for (const auto& segment : path) {
    if (value.is_null()) return Lookup::kAbsent;
    object members;
    if (value.get_object().get(members) != simdjson::SUCCESS) return Lookup::kNotObject;
    if (members[segment].get(value) != simdjson::SUCCESS) return Lookup::kAbsent;
  }
  return Lookup::kFound;
}

}  // namespace

XgboostBinding ReadXgboostBinding(const contract::Contract& contract) {
  Checker checker(contract);
  if (!contract.model) {
    throw std::runtime_error(contract.file + ": no model section; add a model binding");
  }
  const auto& model = *contract.model;

  XgboostBinding binding;
  binding.contract_file = contract.file;
  binding.artifact = model.artifact;
  binding.version = model.version;
  binding.trim_whitespace = contract.request.validation.trim_whitespace;
  if (binding.artifact.empty()) {
    checker.Fail("artifact", "missing; set the path of the XGBoost model file (.json or .ubj)");
  }
  if (binding.version.empty()) {
    checker.Fail("version", "missing; set the model version sent as X-Model-Version");
  }

  simdjson::dom::parser parser;
  object settings;
  if (parser.parse(model.settings_json).get_object().get(settings) != simdjson::SUCCESS) {
    throw std::runtime_error(contract.file + ": the model section is not a mapping");
  }
  checker.CheckKeys(settings, "", kModelKeys);

  element value;
  if (Member(settings, "objective", value)) {
    binding.objective = checker.String(value, "objective");
  }
  binding.features = ReadFeatureList(checker, settings);
  ReadOutputs(checker, settings, binding);
  ReadReasons(checker, settings, binding);
  return binding;
}

absl::Status ReadFeatures(const XgboostBinding& binding, element request, std::span<float> row) {
  for (std::size_t i = 0; i < binding.features.size(); ++i) {
    const FeatureBinding& feature = binding.features[i];
    element value;
    switch (FindValue(request, feature.path, value)) {
      case Lookup::kAbsent:
        row[i] = feature.absent_value;
        continue;
      case Lookup::kNotObject:
        return absl::InvalidArgumentError("a parent of request member " + feature.from +
                                          " is not an object");
      case Lookup::kFound:
        break;
    }
    absl::Status status = ToFeatureValue(feature, value, binding.trim_whitespace, row[i]);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace modelgate::backend
