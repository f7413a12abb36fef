#include "schema/validator.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "json/writer.h"
#include "schema/formats.h"
#include "schema/ordering.h"

namespace modelgate::schema {

using contract::Field;
using contract::FieldType;
using simdjson::dom::element;
using simdjson::dom::element_type;

// A field with its pattern compiled and its members and items compiled in turn. `field` points
// into Validator::rules_, whose vectors keep their buffers when the validator moves.
struct CompiledField {
  const Field* field = nullptr;
  std::string token;  // the name escaped as a JSON Pointer reference token
  std::shared_ptr<const RE2> pattern;
  std::vector<CompiledField> members;
  std::vector<CompiledField> items;  // one element for arrays, none otherwise
};

namespace {

CompiledField Compile(const Field& field) {
  CompiledField compiled;
  compiled.field = &field;
  compiled.token = json::EscapePointerToken(field.name);
  if (!field.pattern.empty()) {
    // The loader has already rejected patterns RE2 cannot compile.
    compiled.pattern = std::make_shared<const RE2>(field.pattern, RE2::Quiet);
  }
  for (const auto& member : field.fields) compiled.members.push_back(Compile(member));
  if (field.items) compiled.items.push_back(Compile(*field.items));
  return compiled;
}

std::string NumberText(double value) {
  std::string text;
  json::AppendNumber(text, value);
  return text;
}

std::string ScalarText(const contract::Scalar& value) {
  struct Visitor {
    std::string operator()(std::nullptr_t) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return NumberText(d); }
    std::string operator()(const std::string& s) const {
      std::string out;
      json::AppendQuoted(out, s);
      return out;
    }
  };
  return std::visit(Visitor{}, value);
}

std::string_view ExpectedTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "a string";
    case FieldType::kNumber:
      return "a number";
    case FieldType::kInteger:
      return "an integer";
    case FieldType::kBoolean:
      return "a boolean";
    case FieldType::kObject:
      return "an object";
    case FieldType::kArray:
      return "an array";
  }
  return "a value";
}

double AsDouble(element value) {
  switch (value.type()) {
    case element_type::INT64:
      return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64:
      return static_cast<double>(value.get_uint64().value_unsafe());
    default:
      return value.get_double().value_unsafe();
  }
}

bool HasType(element value, FieldType type) {
  switch (type) {
    case FieldType::kString:
      return value.is_string();
    case FieldType::kNumber:
      return value.is_number();
    case FieldType::kInteger:
      // JSON Schema counts 3.0 as an integer: integers are numbers without a fractional part.
      return value.is_int64() || value.is_uint64() ||
             (value.is_double() &&
              std::trunc(value.get_double().value_unsafe()) == value.get_double().value_unsafe());
    case FieldType::kBoolean:
      return value.is_bool();
    case FieldType::kObject:
      return value.is_object();
    case FieldType::kArray:
      return value.is_array();
  }
  return false;
}

bool EqualsScalar(element value, const contract::Scalar& scalar) {
  if (std::holds_alternative<std::string>(scalar)) {
    return value.is_string() && value.get_string().value_unsafe() == std::get<std::string>(scalar);
  }
  if (std::holds_alternative<std::int64_t>(scalar)) {
    return value.is_number() &&
           AsDouble(value) == static_cast<double>(std::get<std::int64_t>(scalar));
  }
  if (std::holds_alternative<double>(scalar)) {
    return value.is_number() && AsDouble(value) == std::get<double>(scalar);
  }
  if (std::holds_alternative<bool>(scalar)) {
    return value.is_bool() && value.get_bool().value_unsafe() == std::get<bool>(scalar);
  }
  return value.is_null();
}

std::size_t CountStringCodePoints(element value) {
  switch (value.type()) {
    case element_type::STRING:
      return CountCodePoints(value.get_string().value_unsafe());
    case element_type::ARRAY: {
      std::size_t total = 0;
      // Bind the array first: ranging over the temporary result would leave it dangling.
      simdjson::dom::array array = value.get_array().value_unsafe();
      for (element item : array) total += CountStringCodePoints(item);
      return total;
    }
    case element_type::OBJECT: {
      std::size_t total = 0;
      simdjson::dom::object object = value.get_object().value_unsafe();
      for (auto member : object) {
        total += CountStringCodePoints(member.value);
      }
      return total;
    }
    default:
      return 0;
  }
}

// One validation pass over a document. It grows and shrinks one pointer string as it descends,
// so a valid document costs no allocation beyond the first few levels.
class Walk {
 public:
  Walk(const Rules& rules, std::vector<Violation>& out) : rules_(rules), out_(out) {}

  void Members(const std::vector<CompiledField>& members, simdjson::dom::object object,
               bool closed) {
    for (const auto& member : members) {
      element value;
      std::size_t mark = Push(member.token);
      if (object.at_key(member.field->name).get(value) == simdjson::SUCCESS) {
        Value(member, value);
      } else if (member.field->required) {
        Add("required", "missing required field \"" + member.field->name + "\"; add " +
                            std::string(ExpectedTypeName(member.field->type)));
      }
      Pop(mark);
    }
    if (closed && rules_.policy.unknown_fields == contract::UnknownFieldPolicy::kReject) {
      RejectUnknown(members, object);
    }
  }

  void Value(const CompiledField& compiled, element value) {
    const Field& field = *compiled.field;
    if (value.is_null()) {
      if (!field.nullable) {
        Add("type", "must be " + std::string(ExpectedTypeName(field.type)) + ", got null");
      }
      return;
    }
    if (!HasType(value, field.type)) {
      Add("type", "must be " + std::string(ExpectedTypeName(field.type)) + ", got " +
                      std::string(JsonTypeName(value)));
      return;
    }
    switch (field.type) {
      case FieldType::kString:
        String(compiled, value.get_string().value_unsafe());
        break;
      case FieldType::kNumber:
      case FieldType::kInteger:
        Number(field, AsDouble(value));
        break;
      case FieldType::kObject:
        Members(compiled.members, value.get_object().value_unsafe(), !field.fields.empty());
        break;
      case FieldType::kArray:
        Array(compiled, value.get_array().value_unsafe());
        break;
      case FieldType::kBoolean:
        break;
    }
    if (!field.enum_values.empty() && field.type != FieldType::kString) Enum(field, value);
  }

  void Add(std::string_view rule, std::string message) {
    out_.push_back(Violation{pointer_, std::string(rule), std::move(message)});
  }

 private:
  std::size_t Push(std::string_view token) {
    std::size_t mark = pointer_.size();
    pointer_ += '/';
    pointer_ += token;
    return mark;
  }
  void Pop(std::size_t mark) { pointer_.resize(mark); }

  void String(const CompiledField& compiled, std::string_view text) {
    const Field& field = *compiled.field;
    if (rules_.policy.trim_whitespace) text = TrimWhitespace(text);
    if (field.min_len || field.max_len) {
      std::size_t length = CountCodePoints(text);
      Length(field, length, "characters");
    }
    if (!field.enum_values.empty()) {
      bool found = std::any_of(field.enum_values.begin(), field.enum_values.end(),
                               [&](const contract::Scalar& s) {
                                 const auto* member = std::get_if<std::string>(&s);
                                 return member && *member == text;
                               });
      if (!found) Add("enum", "must be one of " + EnumList(field));
    }
    if (compiled.pattern && !RE2::PartialMatch(text, *compiled.pattern)) {
      Add("pattern", "must match the pattern " + field.pattern);
    }
    if (!field.format.empty() && !MatchesFormat(field.format, text)) {
      Add("format", "must be " + std::string(DescribeFormat(field.format)));
    }
  }

  void Length(const Field& field, std::size_t length, std::string_view unit) {
    if (field.min_len && length < *field.min_len) {
      Add(unit == "items" ? "min_items" : "min_len",
          "must have at least " + std::to_string(*field.min_len) + " " + std::string(unit) +
              " (inclusive), got " + std::to_string(length));
    }
    if (field.max_len && length > *field.max_len) {
      Add(unit == "items" ? "max_items" : "max_len",
          "must have at most " + std::to_string(*field.max_len) + " " + std::string(unit) +
              " (inclusive), got " + std::to_string(length));
    }
  }

  void Number(const Field& field, double value) {
    if (field.minimum && value < *field.minimum) {
      Add("minimum", "must be at least " + NumberText(*field.minimum) + " (inclusive), got " +
                         NumberText(value));
    }
    if (field.maximum && value > *field.maximum) {
      Add("maximum", "must be at most " + NumberText(*field.maximum) + " (inclusive), got " +
                         NumberText(value));
    }
  }

  void Array(const CompiledField& compiled, simdjson::dom::array array) {
    std::size_t count = array.size();
    Length(*compiled.field, count, "items");
    if (compiled.items.empty()) return;
    std::size_t index = 0;
    for (element item : array) {
      std::size_t mark = pointer_.size();
      pointer_ += '/';
      pointer_ += std::to_string(index++);
      Value(compiled.items.front(), item);
      Pop(mark);
    }
  }

  void Enum(const Field& field, element value) {
    bool found = std::any_of(field.enum_values.begin(), field.enum_values.end(),
                             [&](const contract::Scalar& s) { return EqualsScalar(value, s); });
    if (!found) Add("enum", "must be one of " + EnumList(field));
  }

  static std::string EnumList(const Field& field) {
    std::string list;
    for (const auto& value : field.enum_values) {
      if (!list.empty()) list += ", ";
      list += ScalarText(value);
    }
    return list;
  }

  void RejectUnknown(const std::vector<CompiledField>& members, simdjson::dom::object object) {
    for (auto member : object) {
      bool known = std::any_of(members.begin(), members.end(),
                               [&](const CompiledField& m) { return m.field->name == member.key; });
      if (known) continue;
      std::size_t mark = Push(json::EscapePointerToken(member.key));
      std::string allowed;
      for (const auto& m : members) allowed += (allowed.empty() ? "" : ", ") + m.field->name;
      Add("unknown_field", "unknown field \"" + std::string(member.key) +
                               "\"; remove it (allowed here: " + allowed + ")");
      Pop(mark);
    }
  }

  const Rules& rules_;
  std::vector<Violation>& out_;
  std::string pointer_;
};

}  // namespace

std::string_view JsonTypeName(element value) {
  switch (value.type()) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

Rules RequestRules(const contract::Contract& contract) {
  Rules rules;
  rules.fields = contract.request.fields;
  rules.policy = contract.request.validation;
  rules.limits = contract.request.limits;
  rules.batch_field = contract.request.batch_field;
  return rules;
}

Rules ResponseRules(const contract::Contract& contract) {
  Rules rules;
  rules.fields = contract.response.fields;
  // A response may carry members the contract does not list, as additive changes within a
  // major version do; consumers are expected to ignore them.
  rules.policy.unknown_fields = contract::UnknownFieldPolicy::kIgnore;
  rules.ordering = contract.response.ordering;
  return rules;
}

Validator::Validator(Rules rules) : rules_(std::move(rules)) {
  for (const auto& field : rules_.fields) compiled_.push_back(Compile(field));
  // A dotted batch field such as `payload.items` names a nested member.
  std::string_view path = rules_.batch_field;
  while (!path.empty()) {
    auto dot = path.find('.');
    batch_pointer_ += "/" + json::EscapePointerToken(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
}

Validator::~Validator() = default;
Validator::Validator(Validator&&) noexcept = default;
Validator& Validator::operator=(Validator&&) noexcept = default;

bool Validator::Validate(element document, std::vector<Violation>& out) const {
  std::size_t before = out.size();
  Walk walk(rules_, out);
  if (!document.is_object()) {
    walk.Add("type",
             "the document must be a JSON object, got " + std::string(JsonTypeName(document)));
    return false;
  }
  walk.Members(compiled_, document.get_object().value_unsafe(), true);
  const auto& limits = rules_.limits;
  if (limits.max_batch && !rules_.batch_field.empty()) {
    simdjson::dom::array batch;
    if (document.at_pointer(batch_pointer_).get_array().get(batch) == simdjson::SUCCESS &&
        batch.size() > *limits.max_batch) {
      out.push_back({batch_pointer_, "max_batch",
                     "the batch has " + std::to_string(batch.size()) +
                         " items; the maximum batch size is " + std::to_string(*limits.max_batch) +
                         " (inclusive): split it into several requests"});
    }
  }
  if (limits.max_total_chars) {
    std::size_t total = CountStringCodePoints(document);
    if (total > *limits.max_total_chars) {
      out.push_back({"", "max_total_chars",
                     "the strings of the document have " + std::to_string(total) +
                         " characters in all; the maximum is " +
                         std::to_string(*limits.max_total_chars) + " (inclusive)"});
    }
  }
  for (const auto& ordering : rules_.ordering) CheckOrdering(document, ordering, out);
  return out.size() == before;
}

}  // namespace modelgate::schema
