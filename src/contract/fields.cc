#include "contract/fields.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <charconv>
#include <set>

namespace modelgate::contract {

namespace {

const std::set<std::string, std::less<>> kFormats = {
    "iso4217", "date-time", "date", "time", "uuid", "email", "uri", "ipv4", "ipv6", "hostname"};

std::string TrimCopy(std::string_view text) {
  auto begin = text.find_first_not_of(" \t");
  auto end = text.find_last_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return std::string(text.substr(begin, end - begin + 1));
}

bool ParseScalarType(std::string_view text, FieldType& type) {
  if (text == "string" || text == "str") {
    type = FieldType::kString;
  } else if (text == "number" || text == "float" || text == "double") {
    type = FieldType::kNumber;
  } else if (text == "integer" || text == "int") {
    type = FieldType::kInteger;
  } else if (text == "boolean" || text == "bool") {
    type = FieldType::kBoolean;
  } else if (text == "object") {
    type = FieldType::kObject;
  } else {
    return false;
  }
  return true;
}

// The innermost item of nested arrays, where scalar rules such as `range` apply.
Field& Innermost(Field& field) {
  Field* current = &field;
  while (current->type == FieldType::kArray && current->items) current = current->items.get();
  return *current;
}

// Reads one bound of a "low..high" range text; problems are reported at the range's node.
std::optional<double> ReadBound(const std::string& text, const YAML::Node& node,
                                const std::string& path, Diagnostics& diagnostics) {
  double value = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size() ||
      !std::isfinite(value)) {
    diagnostics.Add(node, path, "expected a finite number, got \"" + text + "\"");
    return std::nullopt;
  }
  return value;
}

void ReadRange(MapReader& reader, Field& target) {
  auto node = reader.Get({"range"});
  std::string path = reader.PathOf({"range"});
  auto& diagnostics = reader.diagnostics();
  if (node.IsDefined() && !node.IsNull()) {
    if (node.IsSequence() && node.size() == 2) {
      if (!node[0].IsNull()) target.minimum = ReadNumber(node[0], path + "[0]", diagnostics);
      if (!node[1].IsNull()) target.maximum = ReadNumber(node[1], path + "[1]", diagnostics);
    } else if (node.IsScalar() && node.Scalar().find("..") != std::string::npos) {
      auto text = node.Scalar();
      auto dots = text.find("..");
      target.minimum = ReadBound(TrimCopy(text.substr(0, dots)), node, path, diagnostics);
      target.maximum = ReadBound(TrimCopy(text.substr(dots + 2)), node, path, diagnostics);
    } else {
      diagnostics.Add(node, path, "expected [low, high] or \"low..high\" (both inclusive)");
    }
  }
  if (auto minimum = reader.Number({"min", "minimum"})) target.minimum = minimum;
  if (auto maximum = reader.Number({"max", "maximum"})) target.maximum = maximum;
}

void CheckEnumValue(const Scalar& value, const Field& target, const YAML::Node& node,
                    const std::string& path, Diagnostics& diagnostics) {
  bool ok = false;
  switch (target.type) {
    case FieldType::kString: ok = std::holds_alternative<std::string>(value); break;
    case FieldType::kInteger: ok = std::holds_alternative<std::int64_t>(value); break;
    case FieldType::kNumber:
      ok = std::holds_alternative<std::int64_t>(value) || std::holds_alternative<double>(value);
      break;
    case FieldType::kBoolean: ok = std::holds_alternative<bool>(value); break;
    default: ok = false;
  }
  if (!ok) {
    diagnostics.Add(node, path, "enum value \"" + node.Scalar() + "\" is not a " +
                                    std::string(FieldTypeName(target.type)) +
                                    "; quote numbers meant as strings");
  }
}

void ReadScalarRules(MapReader& reader, Field& target) {
  auto& diagnostics = reader.diagnostics();
  ReadRange(reader, target);
  auto enum_node = reader.Get({"enum", "values", "allowed"});
  if (enum_node.IsDefined()) {
    std::string path = reader.PathOf({"enum", "values", "allowed"});
    if (!enum_node.IsSequence() || enum_node.size() == 0) {
      diagnostics.Add(enum_node, path, "expected a non-empty list of allowed values");
    } else {
      for (std::size_t i = 0; i < enum_node.size(); ++i) {
        if (!enum_node[i].IsScalar() && !enum_node[i].IsNull()) {
          diagnostics.Add(enum_node[i], path + "[" + std::to_string(i) + "]",
                          "an enum member is a single value, not a list or a mapping");
          continue;
        }
        Scalar value = YamlToScalar(enum_node[i]);
        CheckEnumValue(value, target, enum_node[i], path + "[" + std::to_string(i) + "]",
                       diagnostics);
        target.enum_values.push_back(std::move(value));
      }
    }
  }
  if (auto pattern = reader.String({"pattern"})) {
    RE2 compiled(*pattern, RE2::Quiet);
    if (!compiled.ok()) {
      diagnostics.Add(reader.Get({"pattern"}), reader.PathOf({"pattern"}),
                      "invalid regular expression (RE2 syntax): " + compiled.error());
    }
    target.pattern = *pattern;
  }
  if (auto format = reader.String({"format"})) {
    std::string lowered = *format;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), ::tolower);
    if (lowered == "iso 4217" || lowered == "iso-4217") lowered = "iso4217";
    if (!kFormats.contains(lowered)) {
      std::string allowed;
      for (const auto& name : kFormats) allowed += (allowed.empty() ? "" : ", ") + name;
      diagnostics.Add(reader.Get({"format"}), reader.PathOf({"format"}),
                      "unknown format \"" + *format + "\"; allowed: " + allowed);
    }
    target.format = lowered;
  }
}

void CheckRules(const Field& field, const YAML::Node& node, const std::string& path,
                Diagnostics& diagnostics) {
  const Field& inner = field.type == FieldType::kArray && field.items ? *field.items : field;
  if (field.min_len && field.max_len && *field.min_len > *field.max_len) {
    diagnostics.Add(node, path, "min_len is greater than max_len");
  }
  if (inner.minimum && inner.maximum && *inner.minimum > *inner.maximum) {
    diagnostics.Add(node, path, "range low is greater than range high");
  }
  bool numeric = inner.type == FieldType::kNumber || inner.type == FieldType::kInteger;
  if ((inner.minimum || inner.maximum) && !numeric && inner.type != FieldType::kArray) {
    diagnostics.Add(node, path, "range applies to numbers; use max_len for lengths");
  }
  if ((!inner.pattern.empty() || !inner.format.empty()) && inner.type != FieldType::kString &&
      inner.type != FieldType::kArray) {
    diagnostics.Add(node, path, "pattern and format apply to strings");
  }
  bool sized = field.type == FieldType::kString || field.type == FieldType::kArray;
  if ((field.min_len || field.max_len) && !sized) {
    diagnostics.Add(node, path,
                    "min_len and max_len apply to strings (characters) and arrays (items); use "
                    "range for numbers");
  }
}

Field ReadField(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                bool name_required);

void ReadItems(MapReader& reader, Field& field) {
  auto items = reader.Get({"items"});
  if (!items.IsDefined()) return;
  std::string path = reader.PathOf({"items"});
  if (field.type != FieldType::kArray) {
    reader.diagnostics().Add(items, path, "items applies to arrays only");
    return;
  }
  Field described = ReadField(items, path, reader.diagnostics(), false);
  bool typed = items.IsMap() && items["type"].IsDefined();
  if (!typed && field.items) {
    described.type = field.items->type;
    described.items = field.items->items;
  }
  field.items = std::make_shared<Field>(std::move(described));
}

Field ReadField(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                bool name_required) {
  Field field;
  field.where = diagnostics.Locate(node);
  MapReader reader(node, path, diagnostics);
  if (!reader.valid()) return field;
  auto name = reader.String({"name"});
  if (name) field.name = *name;
  if (name_required && field.name.empty()) diagnostics.Add(node, path, "missing key \"name\"");
  auto type_text = reader.String({"type"});
  if (type_text && !ParseTypeExpression(*type_text, field)) {
    diagnostics.Add(reader.Get({"type"}), reader.PathOf({"type"}),
                    "unknown type \"" + *type_text +
                        "\"; allowed: string, number, integer, boolean, object, array[T], "
                        "array[array[T]]");
  }
  field.required = reader.Bool({"required"}).value_or(false);
  field.nullable = reader.Bool({"nullable"}).value_or(false);
  field.pii = reader.Bool({"pii"}).value_or(false);
  field.description = reader.String({"desc", "description"}).value_or("");
  field.min_len = reader.Count({"min_len", "min_length", "minLength", "min_items", "minItems"});
  field.max_len = reader.Count({"max_len", "max_length", "maxLength", "max_items", "maxItems"});
  if (auto length = reader.Count({"len", "length"})) field.min_len = field.max_len = length;
  // `items` first, so scalar rules written on the array (`enum`, `range`, `format`) land on
  // the innermost items that `items` describes instead of being replaced by them.
  ReadItems(reader, field);
  ReadScalarRules(reader, Innermost(field));
  auto default_node = reader.Get({"default"});
  if (default_node.IsDefined()) field.default_json = YamlToJson(default_node);
  auto example_node = reader.Get({"example"});
  if (example_node.IsDefined()) field.example_json = YamlToJson(example_node);
  auto members = reader.Get({"fields", "properties"});
  if (members.IsDefined()) {
    Field* holder = &Innermost(field);
    if (holder->type == FieldType::kArray) {
      // `type: list` with `fields` is a list of objects with those members.
      holder->items = std::make_shared<Field>();
      holder->items->type = FieldType::kObject;
      holder = holder->items.get();
    }
    if (holder->type != FieldType::kObject) {
      diagnostics.Add(members, reader.PathOf({"fields"}), "fields applies to objects only");
    } else {
      holder->fields = ReadFields(members, reader.PathOf({"fields", "properties"}), diagnostics);
    }
  }
  reader.Finish();
  CheckRules(field, node, path, diagnostics);
  if (field.required && field.default_json) {
    diagnostics.Add(node, path, "a required field cannot have a default; drop one of them");
  }
  return field;
}

// Splits "results[].ranked[].score" into {"results[]", "ranked[]", "score"}.
std::vector<std::string> SplitPath(std::string_view name) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= name.size()) {
    auto dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    parts.emplace_back(name.substr(start, dot - start));
    start = dot + 1;
  }
  return parts;
}

// Returns the member list that a flattened path's parent segments lead to, creating optional
// parents that are not declared; nullptr when a parent has another type.
std::vector<Field>* ParentMembers(std::vector<Field>& root, const std::vector<std::string>& parts,
                                  const YAML::Node& node, const std::string& path,
                                  Diagnostics& diagnostics) {
  std::vector<Field>* members = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    std::string segment = parts[i];
    bool array = segment.size() > 2 && segment.ends_with("[]");
    if (array) segment.resize(segment.size() - 2);
    auto found = std::find_if(members->begin(), members->end(),
                              [&](const Field& f) { return f.name == segment; });
    if (found == members->end()) {
      Field parent;
      parent.name = segment;
      parent.where = diagnostics.Locate(node);
      if (array) {
        parent.type = FieldType::kArray;
        parent.items = std::make_shared<Field>();
        parent.items->type = FieldType::kObject;
      } else {
        parent.type = FieldType::kObject;
      }
      members->push_back(std::move(parent));
      found = members->end() - 1;
    }
    Field* holder = &*found;
    if (array) {
      if (holder->type != FieldType::kArray || !holder->items ||
          holder->items->type != FieldType::kObject) {
        diagnostics.Add(node, path, "\"" + segment + "[]\" needs " + segment +
                                        " to be an array of objects");
        return nullptr;
      }
      holder = holder->items.get();
    } else if (holder->type != FieldType::kObject) {
      diagnostics.Add(node, path, "\"" + segment + ".\" needs " + segment + " to be an object");
      return nullptr;
    }
    members = &holder->fields;
  }
  return members;
}

void AddField(std::vector<Field>& fields, Field field, const YAML::Node& node,
              const std::string& path, Diagnostics& diagnostics) {
  auto parts = SplitPath(field.name);
  auto* members = ParentMembers(fields, parts, node, path, diagnostics);
  if (members == nullptr) return;
  field.name = parts.back();
  if (field.name.empty() || field.name.find("[]") != std::string::npos) {
    diagnostics.Add(node, path, "invalid field name; use names such as results[].score");
    return;
  }
  auto existing = std::find_if(members->begin(), members->end(),
                               [&](const Field& f) { return f.name == field.name; });
  if (existing != members->end()) {
    diagnostics.Add(node, path, "field \"" + field.name + "\" is declared twice");
    return;
  }
  members->push_back(std::move(field));
}

}  // namespace

bool ParseTypeExpression(std::string_view text, Field& field) {
  std::string trimmed = TrimCopy(text);
  std::string_view view = trimmed;
  if (view == "array" || view == "list") {
    field.type = FieldType::kArray;  // items of any type
    field.items = nullptr;
    return true;
  }
  if (view.starts_with("array[") && view.ends_with("]")) {
    field.type = FieldType::kArray;
    field.items = std::make_shared<Field>();
    return ParseTypeExpression(view.substr(6, view.size() - 7), *field.items);
  }
  return ParseScalarType(view, field.type);
}

std::vector<Field> ReadFields(const YAML::Node& node, const std::string& path,
                              Diagnostics& diagnostics) {
  std::vector<Field> fields;
  if (node.IsMap()) {
    for (auto entry : node) {
      std::string item_path = JoinPath(path, entry.first.Scalar());
      Field field;
      if (entry.second.IsScalar()) {
        // `amount: number` is shorthand for a field with only a type.
        field.where = diagnostics.Locate(entry.second);
        if (!ParseTypeExpression(entry.second.Scalar(), field)) {
          diagnostics.Add(entry.second, item_path, "unknown type \"" + entry.second.Scalar() +
                                                       "\"");
        }
      } else {
        field = ReadField(entry.second, item_path, diagnostics, false);
      }
      field.name = entry.first.Scalar();
      AddField(fields, std::move(field), entry.first, item_path, diagnostics);
    }
    return fields;
  }
  if (!node.IsSequence()) {
    diagnostics.Add(node, path, "expected a list of fields, each with name and type");
    return fields;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    std::string item_path = path + "[" + std::to_string(i) + "]";
    Field field = ReadField(node[i], item_path, diagnostics, true);
    if (!field.name.empty()) AddField(fields, std::move(field), node[i], item_path, diagnostics);
  }
  return fields;
}

const Field* FindField(const std::vector<Field>& fields, std::string_view path) {
  auto parts = SplitPath(path);
  const std::vector<Field>* members = &fields;
  const Field* found = nullptr;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string segment = parts[i];
    bool array = segment.ends_with("[]");
    if (array) segment.resize(segment.size() - 2);
    auto it = std::find_if(members->begin(), members->end(),
                           [&](const Field& f) { return f.name == segment; });
    if (it == members->end()) return nullptr;
    found = &*it;
    if (array) {
      if (found->type != FieldType::kArray || !found->items) return nullptr;
      found = found->items.get();
    }
    members = &found->fields;
  }
  return found;
}

}  // namespace modelgate::contract
