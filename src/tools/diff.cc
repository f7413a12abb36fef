// `modelgate diff`: the finding collector, the comparison of request and response fields, and
// the entry points. The rules of the other sections are in diff_rules.cc.

#include "tools/diff.h"

#include <absl/status/status.h>
#include <absl/strings/ascii.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>

#include "contract/loader.h"
#include "json/writer.h"
#include "tools/diff_rules.h"
#include "tools/lint.h"

namespace modelgate::tools {
namespace diff {

using contract::Field;
using contract::FieldType;
using contract::Scalar;
using contract::SourceLocation;

SourceLocation ChangeLog::InBefore(const SourceLocation& where) const {
  if (where.file.empty()) return {before_.file, 0, 0};
  return where;
}

SourceLocation ChangeLog::InAfter(const SourceLocation& where) const {
  if (where.file.empty()) return {after_.file, 0, 0};
  return where;
}

void ChangeLog::Breaking(std::string_view rule, std::string pointer, const SourceLocation& where,
                         std::string message, std::string_view undo) {
  std::string fix(undo);
  if (after_.major > before_.major) {
    fix += ", or keep the change: the major version changes from " + std::to_string(before_.major) +
           " to " + std::to_string(after_.major) + ", so consumers move to it deliberately";
  } else {
    fix += ", or publish the change in a new major version such as " +
           VersionLike(before_.version, before_.major + 1, 0);
  }
  Add(rule, Severity::kError, std::move(pointer), where, std::move(message), std::move(fix));
}

void ChangeLog::Compatible(std::string_view rule, std::string pointer, const SourceLocation& where,
                           std::string message) {
  Add(rule, Severity::kNote, std::move(pointer), where, std::move(message),
      "publish the change in a new minor version or later, because consumers of the old version "
      "keep working");
}

void ChangeLog::Add(std::string_view rule, Severity severity, std::string pointer,
                    const SourceLocation& where, std::string message, std::string fix) {
  Finding finding;
  finding.rule = std::string(rule);
  finding.severity = severity;
  finding.file = where.file;
  finding.pointer = std::move(pointer);
  finding.line = where.line;
  finding.column = where.column;
  finding.message = std::move(message);
  finding.fix = std::move(fix);
  findings_.push_back(std::move(finding));
}

Movement CompareUpper(std::optional<double> before, std::optional<double> after) {
  if (before == after) return Movement::kSame;
  if (after && (!before || *after < *before)) return Movement::kNarrowed;
  return Movement::kWidened;
}

Movement CompareLower(std::optional<double> before, std::optional<double> after) {
  if (before == after) return Movement::kSame;
  if (after && (!before || *after > *before)) return Movement::kNarrowed;
  return Movement::kWidened;
}

std::string VersionLike(std::string_view style, int major, int minor) {
  std::string text =
      style.starts_with('v') || style.starts_with('V') ? std::string(style.substr(0, 1)) : "";
  auto dots = std::count(style.begin(), style.end(), '.');
  text += std::to_string(major);
  if (dots >= 1 || minor > 0) text += "." + std::to_string(minor);
  if (dots >= 2) text += ".0";
  return text;
}

std::string ShowNumber(std::optional<double> value) {
  if (!value) return "none";
  std::string text;
  json::AppendNumber(text, *value);
  return text;
}

std::string ShowText(const std::string& text) {
  if (text.empty()) return "none";
  std::string quoted;
  json::AppendQuoted(quoted, text);
  return quoted;
}

namespace {

enum class Side { kRequest, kResponse };

// A field's place: the JSON Pointer to its description and its flattened path, such as
// `results[].ranked[].score` for a member of array items or `reasons[]` for the items alone.
struct FieldPath {
  Side side;
  std::string pointer;
  std::string name;

  FieldPath Member(std::string_view member) const {
    std::string flattened = name.empty() ? std::string(member) : name + "." + std::string(member);
    return {side, pointer + "/fields/" + json::EscapePointerToken(member), flattened};
  }
  FieldPath Items() const { return {side, pointer + "/items", name + "[]"}; }
  std::string Subject() const {
    return std::string(side == Side::kRequest ? "request" : "response") + " field " + name;
  }
};

// One moved bound of a field: what changed, in words with old and new values, and how to keep
// the old bound.
struct BoundChange {
  Movement movement = Movement::kSame;
  std::string change;
  std::string undo;
};

std::string TypeExpression(const Field& field) {
  if (field.type != FieldType::kArray) return std::string(contract::FieldTypeName(field.type));
  if (!field.items) return "array";
  return "array[" + TypeExpression(*field.items) + "]";
}

std::string ShowScalar(const Scalar& value) {
  std::string text;
  std::visit(
      [&text](const auto& member) {
        using T = std::decay_t<decltype(member)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          text = "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          text = member ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          text = std::to_string(member);
        } else if constexpr (std::is_same_v<T, double>) {
          json::AppendNumber(text, member);
        } else {
          json::AppendQuoted(text, member);
        }
      },
      value);
  return text;
}

std::string ShowScalars(const std::vector<Scalar>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + ShowScalar(value);
  return text;
}

std::optional<double> NumericValue(const Scalar& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return static_cast<double>(*integer);
  if (const auto* real = std::get_if<double>(&value)) return *real;
  return std::nullopt;
}

// Enum members compare by value, so 1 and 1.0 are one member of a number enum.
bool SameScalar(const Scalar& a, const Scalar& b) {
  auto number_a = NumericValue(a);
  auto number_b = NumericValue(b);
  if (number_a && number_b) return *number_a == *number_b;
  return a == b;
}

// Members of `values` that `others` lacks.
std::vector<Scalar> Missing(const std::vector<Scalar>& values, const std::vector<Scalar>& others) {
  std::vector<Scalar> missing;
  for (const auto& value : values) {
    bool found = std::any_of(others.begin(), others.end(),
                             [&value](const Scalar& other) { return SameScalar(value, other); });
    if (!found) missing.push_back(value);
  }
  return missing;
}

// Reports a moved bound. Narrowing a request or widening a response breaks consumers, the
// opposite moves do not, and a bound that changed both ways breaks on either side.
void ReportBound(ChangeLog& log, const FieldPath& path, const SourceLocation& where,
                 const BoundChange& bound) {
  if (bound.movement == Movement::kSame) return;
  bool request = path.side == Side::kRequest;
  bool narrowed = bound.movement == Movement::kNarrowed;
  bool breaking = bound.movement == Movement::kChanged || narrowed == request;
  std::string message = path.Subject() + ": " + bound.change;
  if (request && breaking) {
    log.Breaking("request-bound-narrowed", path.pointer, where,
                 message + ", so requests that the old version accepted may be rejected",
                 bound.undo);
  } else if (request) {
    log.Compatible("request-bound-widened", path.pointer, where,
                   message + ", so the field accepts more values than before");
  } else if (breaking) {
    log.Breaking("response-bound-widened", path.pointer, where,
                 message + ", so consumers may receive values that the old version never sent",
                 bound.undo);
  } else {
    log.Compatible("response-bound-narrowed", path.pointer, where,
                   message + ", so every value stays within the old bound");
  }
}

BoundChange NumberBound(std::string_view key, Movement movement, std::optional<double> before,
                        std::optional<double> after) {
  std::string name(key);
  std::string undo = before ? "keep " + name + " at " + ShowNumber(before) : "drop " + name;
  return {movement, name + " changed from " + ShowNumber(before) + " to " + ShowNumber(after),
          undo};
}

// `required: true` is the narrower bound, because it rejects requests without the field and
// promises the field in every response. `nullable: true` is the wider bound.
void DiffPresence(ChangeLog& log, const FieldPath& path, const SourceLocation& where,
                  const Field& before, const Field& after) {
  auto flag = [](bool value) { return std::string(value ? "true" : "false"); };
  if (before.required != after.required) {
    ReportBound(log, path, where,
                {after.required ? Movement::kNarrowed : Movement::kWidened,
                 "required changed from " + flag(before.required) + " to " + flag(after.required),
                 "keep required: " + flag(before.required)});
  }
  if (before.nullable != after.nullable) {
    ReportBound(log, path, where,
                {after.nullable ? Movement::kWidened : Movement::kNarrowed,
                 "nullable changed from " + flag(before.nullable) + " to " + flag(after.nullable),
                 "keep nullable: " + flag(before.nullable)});
  }
}

// A minimum length of 0 is no bound, so it compares equal to an absent one.
std::optional<double> MinLength(const Field& field) {
  if (!field.min_len || *field.min_len == 0) return std::nullopt;
  return static_cast<double>(*field.min_len);
}

void DiffNumbers(ChangeLog& log, const FieldPath& path, const SourceLocation& where,
                 const Field& before, const Field& after) {
  bool array = after.type == FieldType::kArray;
  auto min_before = MinLength(before);
  auto min_after = MinLength(after);
  ReportBound(log, path, where,
              NumberBound(array ? "min_items" : "min_len", CompareLower(min_before, min_after),
                          min_before, min_after));
  auto max_before = AsDouble(before.max_len);
  auto max_after = AsDouble(after.max_len);
  ReportBound(log, path, where,
              NumberBound(array ? "max_items" : "max_len", CompareUpper(max_before, max_after),
                          max_before, max_after));
  ReportBound(log, path, where,
              NumberBound("minimum", CompareLower(before.minimum, after.minimum), before.minimum,
                          after.minimum));
  ReportBound(log, path, where,
              NumberBound("maximum", CompareUpper(before.maximum, after.maximum), before.maximum,
                          after.maximum));
}

// An empty enum allows every value of the type. Removed and added members are two moves, so a
// change that does both gives two findings.
void DiffEnum(ChangeLog& log, const FieldPath& path, const SourceLocation& where,
              const Field& before, const Field& after) {
  const auto& old_values = before.enum_values;
  const auto& new_values = after.enum_values;
  if (old_values.empty() && new_values.empty()) return;
  std::string change =
      "enum changed from [" + ShowScalars(old_values) + "] to [" + ShowScalars(new_values) + "]";
  if (old_values.empty()) {
    ReportBound(log, path, where, {Movement::kNarrowed, change, "drop the enum"});
    return;
  }
  if (new_values.empty()) {
    ReportBound(log, path, where, {Movement::kWidened, change, "keep the enum"});
    return;
  }
  auto removed = Missing(old_values, new_values);
  auto added = Missing(new_values, old_values);
  if (!removed.empty()) {
    ReportBound(log, path, where,
                {Movement::kNarrowed, change + ", which removes " + ShowScalars(removed),
                 "keep the values " + ShowScalars(removed)});
  }
  if (!added.empty()) {
    ReportBound(log, path, where,
                {Movement::kWidened, change + ", which adds " + ShowScalars(added),
                 "drop the values " + ShowScalars(added)});
  }
}

// A pattern or format is a bound when present. modelgate cannot tell whether one pattern accepts
// a subset of another, so a replaced pattern counts as changed both ways.
void DiffTextBound(ChangeLog& log, const FieldPath& path, const SourceLocation& where,
                   std::string_view key, const std::string& before, const std::string& after) {
  if (before == after) return;
  Movement movement = Movement::kChanged;
  if (before.empty()) movement = Movement::kNarrowed;
  if (after.empty()) movement = Movement::kWidened;
  std::string name(key);
  std::string undo = before.empty() ? "drop the " + name : "keep " + name + " " + ShowText(before);
  ReportBound(
      log, path, where,
      {movement, name + " changed from " + ShowText(before) + " to " + ShowText(after), undo});
}

// A request default is the value the service uses for an absent field, so changing it changes
// the result of requests that omit the field.
void DiffDefault(ChangeLog& log, const FieldPath& path, const SourceLocation& where,
                 const Field& before, const Field& after) {
  if (path.side != Side::kRequest || before.default_json == after.default_json) return;
  std::string old_default = before.default_json.value_or("none");
  std::string new_default = after.default_json.value_or("none");
  std::string undo = before.default_json ? "keep the default " + old_default : "drop the default";
  log.Breaking("request-default-changed", path.pointer, where,
               path.Subject() + ": default changed from " + old_default + " to " + new_default +
                   ", so requests that omit " + path.name + " get a different result",
               undo);
}

void DiffDescription(ChangeLog& log, const FieldPath& path, const SourceLocation& where,
                     const Field& before, const Field& after) {
  if (before.description == after.description) return;
  log.Compatible("description-changed", path.pointer, where,
                 path.Subject() + ": description changed from " + ShowText(before.description) +
                     " to " + ShowText(after.description) +
                     ", so check that the value still means the same");
}

void DiffMembers(ChangeLog& log, const FieldPath& parent, const std::vector<Field>& before,
                 const std::vector<Field>& after, const SourceLocation& enclosing);

void DiffField(ChangeLog& log, const FieldPath& path, const Field& before, const Field& after,
               const SourceLocation& enclosing) {
  // Array items have no location of their own, so they take the enclosing field's.
  SourceLocation where = log.InAfter(after.where.line > 0 ? after.where : enclosing);
  std::string old_type = TypeExpression(before);
  std::string new_type = TypeExpression(after);
  if (old_type != new_type) {
    log.Breaking("field-type-changed", path.pointer, where,
                 path.Subject() + ": type changed from " + old_type + " to " + new_type,
                 "keep type " + old_type + " and add the new type as a field with another name");
    return;
  }
  DiffPresence(log, path, where, before, after);
  DiffNumbers(log, path, where, before, after);
  DiffEnum(log, path, where, before, after);
  DiffTextBound(log, path, where, "pattern", before.pattern, after.pattern);
  DiffTextBound(log, path, where, "format", before.format, after.format);
  DiffDefault(log, path, where, before, after);
  DiffDescription(log, path, where, before, after);
  // Equal type expressions give both versions items, or neither.
  if (before.items && after.items) DiffField(log, path.Items(), *before.items, *after.items, where);
  DiffMembers(log, path, before.fields, after.fields, where);
}

// `open_parent` is set when the new version declares no members for the enclosing object, which
// then accepts any members.
void ReportRemoved(ChangeLog& log, const FieldPath& path, const Field& field, bool open_parent) {
  SourceLocation where = log.InBefore(field.where);
  std::string subject = path.Subject() + " (" + TypeExpression(field) + ")";
  if (path.side == Side::kResponse) {
    log.Breaking("response-field-removed", path.pointer, where,
                 subject + " was removed, so consumers that read it break",
                 "keep returning " + path.name);
    return;
  }
  bool rejected = !open_parent && log.after().request.validation.unknown_fields ==
                                      contract::UnknownFieldPolicy::kReject;
  std::string effect = rejected
                           ? "requests that still send it are rejected (unknown_fields: reject)"
                           : "requests that still send it stay valid, but its value may no "
                             "longer affect the result";
  log.Breaking("request-field-removed", path.pointer, where, subject + " was removed, so " + effect,
               "keep " + path.name + " in the request fields, even if the model ignores it");
}

void ReportAdded(ChangeLog& log, const FieldPath& path, const Field& field) {
  SourceLocation where = log.InAfter(field.where);
  std::string subject = path.Subject() + " (" + TypeExpression(field) + ")";
  if (path.side == Side::kResponse) {
    log.Compatible("response-field-added", path.pointer, where,
                   subject + " is new, and consumers ignore response members they do not know");
  } else if (field.required) {
    log.Breaking("request-field-required-added", path.pointer, where,
                 subject + " is new and required, so requests written for version " +
                     log.before().version + " are rejected because they lack it",
                 "make " + path.name + " optional, with a default if the model needs a value");
  } else {
    log.Compatible("request-field-optional-added", path.pointer, where,
                   subject + " is new and optional, so existing requests stay valid");
  }
}

const Field* FindMember(const std::vector<Field>& fields, const std::string& name) {
  auto found = std::find_if(fields.begin(), fields.end(),
                            [&name](const Field& field) { return field.name == name; });
  return found == fields.end() ? nullptr : &*found;
}

// Matches members by name, so a renamed member is one removal and one addition. The members of
// an added or removed field are not listed again.
void DiffMembers(ChangeLog& log, const FieldPath& parent, const std::vector<Field>& before,
                 const std::vector<Field>& after, const SourceLocation& enclosing) {
  bool open_parent = after.empty() && !parent.name.empty();
  for (const auto& old_field : before) {
    const Field* new_field = FindMember(after, old_field.name);
    if (new_field == nullptr) {
      ReportRemoved(log, parent.Member(old_field.name), old_field, open_parent);
    } else {
      DiffField(log, parent.Member(old_field.name), old_field, *new_field, enclosing);
    }
  }
  for (const auto& new_field : after) {
    if (FindMember(before, new_field.name) == nullptr) {
      ReportAdded(log, parent.Member(new_field.name), new_field);
    }
  }
}

}  // namespace

void DiffFields(ChangeLog& log) {
  DiffMembers(log, {Side::kRequest, "/request", ""}, log.before().request.fields,
              log.after().request.fields, {});
  DiffMembers(log, {Side::kResponse, "/response", ""}, log.before().response.fields,
              log.after().response.fields, {});
}

}  // namespace diff

namespace {

absl::StatusOr<contract::Contract> LoadFile(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": cannot open contract file");
  std::ostringstream content;
  content << in.rdbuf();
  text = content.str();
  return contract::LoadContractText(text, path);
}

// Locates the findings in `file` that have no line yet, in that file's text.
void LocateIn(std::vector<Finding>& findings, const std::string& file, std::string_view text) {
  auto unplaced = [&file](const Finding& finding) {
    return finding.file == file && finding.line == 0;
  };
  std::vector<Finding> subset;
  std::copy_if(findings.begin(), findings.end(), std::back_inserter(subset), unplaced);
  LocateFindings(text, subset);
  auto next = subset.begin();
  for (auto& finding : findings) {
    if (unplaced(finding)) finding = std::move(*next++);
  }
}

}  // namespace

std::vector<Finding> DiffContracts(const contract::Contract& before,
                                   const contract::Contract& after) {
  diff::ChangeLog log(before, after);
  diff::DiffRoute(log);
  diff::DiffFields(log);
  diff::DiffRequestLimits(log);
  diff::DiffValidation(log);
  diff::DiffOrdering(log);
  diff::DiffMeaning(log);
  diff::DiffErrors(log);
  diff::DiffRateLimits(log);
  diff::DiffLatency(log);
  diff::DiffDeprecation(log);
  diff::CheckVersionPolicy(log);
  return log.Take();
}

bool DiffPasses(const std::vector<Finding>& findings) {
  return std::none_of(findings.begin(), findings.end(), [](const Finding& finding) {
    return finding.severity == Severity::kError || finding.rule == "version-policy";
  });
}

absl::StatusOr<std::vector<Finding>> DiffFiles(const std::string& before_path,
                                               const std::string& after_path) {
  std::string before_text;
  std::string after_text;
  auto before = LoadFile(before_path, before_text);
  auto after = LoadFile(after_path, after_text);
  std::string errors;
  for (const auto* loaded : {&before, &after}) {
    if (loaded->ok()) continue;
    if (!errors.empty()) errors += "\n";
    // The loader's message may end with a line break.
    errors += std::string(absl::StripTrailingAsciiWhitespace(loaded->status().message()));
  }
  if (!errors.empty()) return absl::InvalidArgumentError(errors);
  auto findings = DiffContracts(*before, *after);
  LocateIn(findings, after_path, after_text);
  LocateIn(findings, before_path, before_text);
  return findings;
}

ReportTool DiffReportTool() { return MakeReportTool("modelgate diff", DiffRules()); }

}  // namespace modelgate::tools
