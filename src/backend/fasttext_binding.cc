#include "backend/fasttext_binding.h"

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string_view>

namespace modelgate::backend {
namespace {

using contract::Field;
using contract::FieldType;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::string_view kModelKeys[] = {"backend", "artifact", "version", "task",   "input",
                                           "text",    "labels",   "actions", "outputs"};
constexpr std::string_view kInputKeys[] = {"list", "parts", "normalize"};
constexpr std::string_view kClassifyOutputKeys[] = {"list", "label", "confidence", "action",
                                                    "version"};
constexpr std::string_view kEmbedOutputKeys[] = {"vectors", "dim", "version"};

std::string Join(std::span<const std::string_view> items) {
  std::string out;
  for (auto item : items) out += (out.empty() ? "" : ", ") + std::string(item);
  return out;
}

// Returns the key of member `name` of `parent`; an empty parent is the model section itself.
std::string Child(std::string_view parent, std::string_view name) {
  return parent.empty() ? std::string(name) : std::string(parent) + "." + std::string(name);
}

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

const Field* FindMember(const std::vector<Field>& fields, std::string_view name) {
  auto field = std::find_if(fields.begin(), fields.end(),
                            [&](const Field& candidate) { return candidate.name == name; });
  return field == fields.end() ? nullptr : &*field;
}

bool InEnum(const Field& field, std::string_view value) {
  if (field.enum_values.empty()) return true;
  return std::any_of(field.enum_values.begin(), field.enum_values.end(),
                     [&](const contract::Scalar& allowed) {
                       const auto* text = std::get_if<std::string>(&allowed);
                       return text != nullptr && *text == value;
                     });
}

// Reads the settings of one contract and throws "file: model.key: message".
class Reader {
 public:
  explicit Reader(const contract::Contract& contract) : contract_(contract) {}

  [[noreturn]] void Fail(std::string_view key, std::string_view message) const {
    throw std::runtime_error(contract_.file + ": " + Child("model", key) + ": " +
                             std::string(message));
  }

  object Object(element value, std::string_view key, std::span<const std::string_view> keys) const {
    object members;
    if (value.get_object().get(members) != simdjson::SUCCESS) {
      Fail(key, "expected a mapping with " + Join(keys));
    }
    for (auto [name, member] : members) {
      if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
        Fail(Child(key, name), "unknown key; allowed keys are " + Join(keys));
      }
    }
    return members;
  }

  std::string String(object members, std::string_view parent, std::string_view name,
                     bool required) const {
    std::string key = Child(parent, name);
    element value;
    if (members[name].get(value) != simdjson::SUCCESS) {
      if (required) Fail(key, "missing");
      return "";
    }
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS || text.empty()) {
      Fail(key, "expected a non-empty string");
    }
    return std::string(text);
  }

  std::map<std::string, std::string> StringMap(element value, std::string_view key) const {
    object members;
    if (value.get_object().get(members) != simdjson::SUCCESS || members.size() == 0) {
      Fail(key, "expected a non-empty mapping from string to string");
    }
    std::map<std::string, std::string> out;
    for (auto [name, member] : members) {
      std::string_view text;
      if (member.get_string().get(text) != simdjson::SUCCESS || text.empty()) {
        Fail(std::string(key) + "." + std::string(name), "expected a non-empty string");
      }
      out.emplace(std::string(name), std::string(text));
    }
    return out;
  }

  // Returns the top-level response field `name` read from outputs.<key>, or fails.
  const Field& ResponseField(const std::string& name, std::string_view key) const {
    const Field* field = FindMember(contract_.response.fields, name);
    if (field == nullptr) Fail(key, Quote(name) + " is not a top-level member of the response");
    return *field;
  }

  const contract::Contract& contract() const { return contract_; }

 private:
  const contract::Contract& contract_;
};

void ReadInput(const Reader& reader, object settings, FasttextBinding& binding) {
  element value;
  if (settings["input"].get(value) != simdjson::SUCCESS) {
    reader.Fail("input", "missing; set input.list to the request array that holds the texts");
  }
  object input = reader.Object(value, "input", kInputKeys);
  binding.input_list = reader.String(input, "input", "list", true);
  const Field* list = FindMember(reader.contract().request.fields, binding.input_list);
  if (list == nullptr || list->type != FieldType::kArray || !list->items) {
    reader.Fail("input.list",
                Quote(binding.input_list) + " is not a top-level array of the request");
  }
  element parts;
  if (input["parts"].get(parts) == simdjson::SUCCESS) {
    simdjson::dom::array items;
    if (parts.get_array().get(items) != simdjson::SUCCESS || items.size() == 0) {
      reader.Fail("input.parts", "expected a non-empty list of member names");
    }
    if (list->items->type != FieldType::kObject) {
      reader.Fail("input.parts", "the items of " + binding.input_list +
                                     " are not objects; drop parts for a list of strings");
    }
    for (element item : items) {
      std::string_view name;
      const Field* member = nullptr;
      if (item.get_string().get(name) == simdjson::SUCCESS) {
        member = FindMember(list->items->fields, name);
      }
      if (member == nullptr || member->type != FieldType::kString) {
        reader.Fail("input.parts",
                    "each part must name a string member of the items of " + binding.input_list);
      }
      binding.parts.emplace_back(name);
    }
  } else if (list->items->type != FieldType::kString) {
    reader.Fail("input.parts", "missing; the items of " + binding.input_list +
                                   " are objects, so list the string members that form the text");
  }
  if (binding.task == FasttextTask::kEmbed) {
    binding.normalize_member = reader.String(input, "input", "normalize", false);
  } else if (input["normalize"].error() == simdjson::SUCCESS) {
    reader.Fail("input.normalize", "applies to task embed only");
  }
  if (binding.normalize_member.empty()) return;
  const Field* normalize = FindMember(reader.contract().request.fields, binding.normalize_member);
  if (normalize == nullptr || normalize->type != FieldType::kBoolean) {
    reader.Fail("input.normalize",
                Quote(binding.normalize_member) + " is not a top-level boolean of the request");
  }
  if (normalize->default_json) binding.normalize_default = *normalize->default_json == "true";
}

void ReadClassifyOutputs(const Reader& reader, object outputs, FasttextBinding& binding) {
  binding.results_member = reader.String(outputs, "outputs", "list", true);
  const Field& results = reader.ResponseField(binding.results_member, "outputs.list");
  if (results.type != FieldType::kArray || !results.items ||
      results.items->type != FieldType::kObject) {
    reader.Fail("outputs.list", binding.results_member + " is not an array of objects");
  }
  const auto& members = results.items->fields;
  binding.label_member = reader.String(outputs, "outputs", "label", true);
  binding.confidence_member = reader.String(outputs, "outputs", "confidence", true);
  binding.action_member = reader.String(outputs, "outputs", "action", false);
  const Field* label = FindMember(members, binding.label_member);
  if (label == nullptr || label->type != FieldType::kString) {
    reader.Fail("outputs.label", "not a string member of the items of " + binding.results_member);
  }
  for (const auto& [model_label, name] : binding.labels) {
    if (!InEnum(*label, name)) {
      reader.Fail("labels." + model_label,
                  Quote(name) + " is not in the enum of " + binding.label_member);
    }
  }
  const Field* confidence = FindMember(members, binding.confidence_member);
  if (confidence == nullptr || confidence->type != FieldType::kNumber) {
    reader.Fail("outputs.confidence",
                "not a number member of the items of " + binding.results_member);
  }
  binding.confidence_min = std::max(0.0, confidence->minimum.value_or(0.0));
  binding.confidence_max = std::min(1.0, confidence->maximum.value_or(1.0));
  if (binding.action_member.empty()) return;
  const Field* action = FindMember(members, binding.action_member);
  if (action == nullptr || action->type != FieldType::kString) {
    reader.Fail("outputs.action", "not a string member of the items of " + binding.results_member);
  }
  for (const auto& [model_label, name] : binding.labels) {
    auto found = binding.actions.find(name);
    if (found == binding.actions.end()) {
      reader.Fail("actions", "no action for label " + Quote(name) + "; map every label");
    }
    if (!InEnum(*action, found->second)) {
      reader.Fail("actions." + name,
                  Quote(found->second) + " is not in the enum of " + binding.action_member);
    }
  }
}

void ReadEmbedOutputs(const Reader& reader, object outputs, FasttextBinding& binding) {
  binding.vectors_member = reader.String(outputs, "outputs", "vectors", true);
  const Field& vectors = reader.ResponseField(binding.vectors_member, "outputs.vectors");
  if (vectors.type != FieldType::kArray || !vectors.items ||
      vectors.items->type != FieldType::kArray || !vectors.items->items ||
      vectors.items->items->type != FieldType::kNumber) {
    reader.Fail("outputs.vectors", binding.vectors_member + " is not array[array[number]]");
  }
  const auto& item = *vectors.items;
  std::optional<std::size_t> item_len;
  if (item.min_len && item.min_len == item.max_len) item_len = item.max_len;
  auto declared = reader.contract().constraints.vector_dim;
  if (declared && item_len && *declared != *item_len) {
    reader.Fail("outputs.vectors", "constraints.vector_dim is " + std::to_string(*declared) +
                                       " but the items of " + binding.vectors_member +
                                       " have len " + std::to_string(*item_len) +
                                       "; make them equal");
  }
  if (!declared && !item_len) {
    reader.Fail("outputs.vectors",
                "the dimension is not stated; set constraints.vector_dim or "
                "len on the items of " +
                    binding.vectors_member);
  }
  binding.dim = declared ? *declared : *item_len;
  binding.dim_member = reader.String(outputs, "outputs", "dim", false);
  if (!binding.dim_member.empty()) {
    const Field& dim = reader.ResponseField(binding.dim_member, "outputs.dim");
    if (dim.type != FieldType::kInteger) {
      reader.Fail("outputs.dim", binding.dim_member + " is not an integer field");
    }
  }
}

void ReadOutputs(const Reader& reader, object settings, FasttextBinding& binding) {
  element value;
  if (settings["outputs"].get(value) != simdjson::SUCCESS) {
    reader.Fail("outputs", "missing; name the response members the model writes");
  }
  bool classify = binding.task == FasttextTask::kClassify;
  object outputs = reader.Object(value, "outputs",
                                 classify ? std::span<const std::string_view>(kClassifyOutputKeys)
                                          : std::span<const std::string_view>(kEmbedOutputKeys));
  if (classify) {
    ReadClassifyOutputs(reader, outputs, binding);
  } else {
    ReadEmbedOutputs(reader, outputs, binding);
  }
  binding.version_member = reader.String(outputs, "outputs", "version", false);
  if (!binding.version_member.empty() &&
      reader.ResponseField(binding.version_member, "outputs.version").type != FieldType::kString) {
    reader.Fail("outputs.version", binding.version_member + " is not a string field");
  }
}

void ReadLabels(const Reader& reader, object settings, FasttextBinding& binding) {
  element value;
  bool has_labels = settings["labels"].get(value) == simdjson::SUCCESS;
  if (binding.task == FasttextTask::kEmbed) {
    if (has_labels || settings["actions"].error() == simdjson::SUCCESS) {
      reader.Fail(has_labels ? "labels" : "actions", "applies to task classify only");
    }
    return;
  }
  if (!has_labels) {
    reader.Fail("labels",
                "missing; map each model label to its response label, such as "
                "{__label__spam: spam}");
  }
  binding.labels = reader.StringMap(value, "labels");
  if (settings["actions"].get(value) == simdjson::SUCCESS) {
    binding.actions = reader.StringMap(value, "actions");
  }
}

}  // namespace

FasttextBinding ReadFasttextBinding(const contract::Contract& contract) {
  Reader reader(contract);
  if (!contract.model) {
    throw std::runtime_error(contract.file + ": no model section; add a model binding");
  }
  FasttextBinding binding;
  binding.contract_file = contract.file;
  binding.artifact = contract.model->artifact;
  binding.version = contract.model->version;
  if (binding.artifact.empty()) {
    reader.Fail("artifact", "missing; set the path of the fastText model (.bin or .ftz)");
  }
  if (binding.version.empty()) {
    reader.Fail("version", "missing; set the model version sent as X-Model-Version");
  }
  simdjson::dom::parser parser;
  element document;
  if (parser.parse(contract.model->settings_json).get(document) != simdjson::SUCCESS) {
    throw std::runtime_error(contract.file + ": the model section is not a mapping");
  }
  object settings = reader.Object(document, "", kModelKeys);
  std::string task = reader.String(settings, "", "task", true);
  if (task == "embed") {
    binding.task = FasttextTask::kEmbed;
  } else if (task != "classify") {
    reader.Fail("task", Quote(task) + " is invalid; use classify or embed");
  }
  element text;
  if (settings["text"].get(text) == simdjson::SUCCESS) {
    binding.text = text::ReadTextRules(text, contract.file);
  }
  ReadLabels(reader, settings, binding);
  ReadInput(reader, settings, binding);
  ReadOutputs(reader, settings, binding);
  return binding;
}

absl::StatusOr<std::string> ItemText(const FasttextBinding& binding, simdjson::dom::element item) {
  std::vector<std::string_view> parts;
  if (binding.parts.empty()) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError("an item of " + binding.input_list + " is not a string");
    }
    parts.push_back(text);
  } else {
    for (const auto& name : binding.parts) {
      std::string_view text;
      auto member = item[name];
      if (member.error() == simdjson::NO_SUCH_FIELD || member.is_null()) {
        parts.emplace_back();  // an absent or null part counts as empty
        continue;
      }
      if (member.get_string().get(text) != simdjson::SUCCESS) {
        return absl::InvalidArgumentError("member " + name + " of an item of " +
                                          binding.input_list + " is not a string");
      }
      parts.push_back(text);
    }
  }
  return text::PrepareText(binding.text, parts);
}

}  // namespace modelgate::backend
