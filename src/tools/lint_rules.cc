// The lint rules on request and response fields: bounded inputs, the size of the largest
// request, scores, lists, confidence, reason codes and personal data.

#include <absl/strings/ascii.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <limits>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "json/writer.h"
#include "tools/lint.h"

namespace modelgate::tools::lint_internal {

namespace {

using contract::Contract;
using contract::Field;
using contract::FieldType;
using contract::SourceLocation;

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

const Field& Innermost(const Field& field) {
  const Field* current = &field;
  while (current->type == FieldType::kArray && current->items) current = current->items.get();
  return *current;
}

// ---------------------------------------------------------------------------------------------
// Walking the fields

// One field or array item, with where it is in the exported contract and in the file.
struct FieldSite {
  const Field& field;
  std::string pointer;   // such as /request/fields/0/items/fields/1
  std::string path;      // flattened path such as users[].candidate_ids, texts[] for items
  std::string name;      // the field's name, or for items the name of the array they belong to
  SourceLocation where;  // the field's own declaration, else the nearest declared ancestor's
  bool items = false;    // the anonymous items of an array
};

using FieldVisitor = std::function<void(const FieldSite&)>;

void VisitFields(const std::vector<Field>& fields, const std::string& pointer,
                 const std::string& prefix, const SourceLocation& where, const FieldVisitor& visit);

void VisitChildren(const FieldSite& site, const FieldVisitor& visit) {
  const Field& field = site.field;
  if (field.type == FieldType::kObject) {
    VisitFields(field.fields, site.pointer + "/fields", site.path + ".", site.where, visit);
  } else if (field.type == FieldType::kArray && field.items) {
    const Field& items = *field.items;
    FieldSite item{items,
                   site.pointer + "/items",
                   site.path + "[]",
                   site.name,
                   items.where.line > 0 ? items.where : site.where,
                   true};
    visit(item);
    VisitChildren(item, visit);
  }
}

void VisitFields(const std::vector<Field>& fields, const std::string& pointer,
                 const std::string& prefix, const SourceLocation& where,
                 const FieldVisitor& visit) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Field& field = fields[i];
    FieldSite site{field,      pointer + "/" + std::to_string(i),          prefix + field.name,
                   field.name, field.where.line > 0 ? field.where : where, false};
    visit(site);
    VisitChildren(site, visit);
  }
}

void VisitRequest(const Contract& contract, const FieldVisitor& visit) {
  VisitFields(contract.request.fields, "/request/fields", "", {}, visit);
}

void VisitResponse(const Contract& contract, const FieldVisitor& visit) {
  VisitFields(contract.response.fields, "/response/fields", "", {}, visit);
}

// `request field "amount"`, or `items of request field "texts"`.
std::string Describe(const FieldSite& site, std::string_view side) {
  std::string path = site.path;
  if (!site.items) return std::string(side) + " field " + Quote(path);
  while (path.ends_with("[]")) path.resize(path.size() - 2);
  return "items of " + std::string(side) + " field " + Quote(path);
}

// ---------------------------------------------------------------------------------------------
// Inputs

// Returns the maximum length of a string in `format`, for the formats that bound it.
std::optional<std::size_t> FormatMaxLength(std::string_view format) {
  if (format == "iso4217") return 3;
  if (format == "date") return 10;
  if (format == "uuid") return 36;
  if (format == "ipv4") return 15;
  if (format == "ipv6") return 45;
  if (format == "hostname") return 253;
  return std::nullopt;
}

// Returns whether a pattern only matches strings of bounded length. Such a pattern is anchored by
// `^` and `$`, and has no top-level alternation and no `*`, `+` or open `{n,}` repetition outside
// a character class. The test misses some bounded patterns but never accepts an unbounded one.
bool PatternBoundsLength(std::string_view pattern) {
  if (!pattern.starts_with('^') || !pattern.ends_with('$')) return false;
  if (pattern.size() >= 2 && pattern[pattern.size() - 2] == '\\') return false;
  int depth = 0;
  bool in_class = false;
  for (std::size_t i = 1; i + 1 < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
      continue;
    }
    if (c == '[') {
      in_class = true;
      // A ']' right after '[' or "[^" is a member of the class.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') ++i;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if ((c == '|' && depth == 0) || c == '*' || c == '+') {
      return false;
    } else if (c == '{') {
      auto close = pattern.find('}', i);
      if (close == std::string_view::npos) return false;
      if (pattern.substr(i, close - i).ends_with(',')) return false;
    }
  }
  return true;
}

void CheckUnboundedInput(const Contract& contract, const FieldSite& site, Reporter& report) {
  const Field& field = site.field;
  const auto& limits = contract.request.limits;
  switch (field.type) {
    case FieldType::kString:
      if (field.max_len || !field.enum_values.empty() || FormatMaxLength(field.format) ||
          PatternBoundsLength(field.pattern)) {
        return;
      }
      report.Add("unbounded-string", site.pointer, site.where,
                 Describe(site, "request") + " is a string without max_len",
                 "add max_len (the longest value accepted, in characters), an enum, or a "
                 "format such as uuid or iso4217 that bounds the length");
      return;
    case FieldType::kArray:
      if (field.max_len || (site.path == contract.request.batch_field && limits.max_batch)) {
        return;
      }
      report.Add("unbounded-array", site.pointer, site.where,
                 Describe(site, "request") + " is an array without a maximum number of items",
                 "add max_len (the most items accepted) to the array");
      return;
    case FieldType::kNumber:
    case FieldType::kInteger: {
      if (!field.enum_values.empty() || (field.minimum && field.maximum)) return;
      std::string missing = field.minimum   ? "no maximum"
                            : field.maximum ? "no minimum"
                                            : "no range";
      report.Add("unbounded-number", site.pointer, site.where,
                 Describe(site, "request") + " is a " +
                     std::string(contract::FieldTypeName(field.type)) + " with " + missing,
                 "add range: [low, high] with the values the model was trained on");
      return;
    }
    case FieldType::kObject:
      if (!field.fields.empty()) return;
      report.Add("unbounded-object", site.pointer, site.where,
                 Describe(site, "request") +
                     " is an object without declared fields, so it accepts any members",
                 "declare its fields, each with its type and bounds");
      return;
    case FieldType::kBoolean:
      return;
  }
}

void CheckCharLimit(const Contract& contract, const FieldSite& site, Reporter& report) {
  const auto& limit = contract.request.limits.max_total_chars;
  const Field& field = site.field;
  if (!limit || field.type != FieldType::kString || !field.max_len || *field.max_len <= *limit) {
    return;
  }
  report.Add("char-limit-below-item", site.pointer, site.where,
             Describe(site, "request") + " allows " + std::to_string(*field.max_len) +
                 " characters but the whole request allows only max_total_chars " +
                 std::to_string(*limit),
             "lower max_len of " + Quote(site.path) + " to at most " + std::to_string(*limit) +
                 ", or raise request.limits.max_total_chars to at least " +
                 std::to_string(*field.max_len));
}

void CheckPayloadLimitDeclared(const Contract& contract, Reporter& report) {
  if (contract.request.limits.max_payload_bytes) return;
  report.Add("no-payload-limit", "/request/limits/max_payload_bytes",
             "the request declares no max_payload_bytes, so callers cannot tell how large a "
             "body the service accepts",
             "add request.limits.max_payload_bytes, the largest body in bytes");
}

// ---------------------------------------------------------------------------------------------
// The size of the largest valid request

// A lower bound on the size in bytes of the largest valid request. The request is compact JSON
// with every declared field present. Arrays have their maximum number of items, and the batch
// field at most max_batch. Strings have max_len one-byte characters, an enum its longest member
// and a number the longer of its bounds. Strings with a pattern or an unbounded format count at
// min_len, because the pattern may forbid longer values, and unbounded strings and arrays count at
// their minimum. String characters count up to max_total_chars. docs/tools-lint.md has the
// full list.
struct SizeEstimate {
  double structure = 0;  // bytes that do not count against max_total_chars
  double chars = 0;      // string content at the chosen lengths
  double min_chars = 0;  // string content the field minimums require
};

void Accumulate(SizeEstimate& into, const SizeEstimate& part, double times) {
  into.structure += part.structure * times;
  into.chars += part.chars * times;
  into.min_chars += part.min_chars * times;
}

double ScalarLength(const contract::Scalar& value) {
  std::string text;
  if (const auto* string = std::get_if<std::string>(&value)) {
    json::AppendQuoted(text, *string);
  } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    text = std::to_string(*integer);
  } else if (const auto* real = std::get_if<double>(&value)) {
    json::AppendNumber(text, *real);
  } else if (const auto* flag = std::get_if<bool>(&value)) {
    text = *flag ? "true" : "false";
  } else {
    text = "null";
  }
  return static_cast<double>(text.size());
}

SizeEstimate EstimateObject(const std::vector<Field>& fields, const Contract& contract,
                            const std::string& prefix);

SizeEstimate EstimateValue(const Field& field, const Contract& contract, const std::string& path) {
  SizeEstimate size;
  if (!field.enum_values.empty()) {
    double longest = 0, shortest = std::numeric_limits<double>::max();
    for (const auto& value : field.enum_values) {
      longest = std::max(longest, ScalarLength(value));
      shortest = std::min(shortest, ScalarLength(value));
    }
    if (field.type != FieldType::kString) {
      size.structure = longest;
      return size;
    }
    // String members count against max_total_chars like any string; the quotes do not.
    size.structure = 2;
    size.chars = longest - 2;
    size.min_chars = shortest - 2;
    return size;
  }
  switch (field.type) {
    case FieldType::kString: {
      double minimum = static_cast<double>(field.min_len.value_or(0));
      double chosen = minimum;
      if (auto format_max = FormatMaxLength(field.format)) {
        chosen = static_cast<double>(std::min(*format_max, field.max_len.value_or(*format_max)));
      } else if (field.max_len && field.pattern.empty() && field.format.empty()) {
        chosen = static_cast<double>(*field.max_len);
      }
      size.structure = 2;
      size.chars = std::max(chosen, minimum);
      size.min_chars = minimum;
      return size;
    }
    case FieldType::kNumber:
    case FieldType::kInteger: {
      double longest = 1;
      for (const auto& bound : {field.minimum, field.maximum}) {
        if (bound) longest = std::max(longest, ScalarLength(*bound));
      }
      size.structure = longest;
      return size;
    }
    case FieldType::kBoolean:
      size.structure = 5;
      return size;
    case FieldType::kObject:
      return EstimateObject(field.fields, contract, path + ".");
    case FieldType::kArray: {
      std::size_t count = field.max_len.value_or(field.min_len.value_or(0));
      const auto& max_batch = contract.request.limits.max_batch;
      if (path == contract.request.batch_field && max_batch) {
        count = field.max_len ? std::min(count, *max_batch) : *max_batch;
      }
      SizeEstimate item;
      item.structure = 1;  // an item of an untyped array: 0
      if (field.items) item = EstimateValue(*field.items, contract, path + "[]");
      size.structure = 2 + (count > 0 ? static_cast<double>(count - 1) : 0);
      Accumulate(size, item, static_cast<double>(count));
      return size;
    }
  }
  return size;
}

SizeEstimate EstimateObject(const std::vector<Field>& fields, const Contract& contract,
                            const std::string& prefix) {
  SizeEstimate size;
  size.structure = 2 + (fields.empty() ? 0 : static_cast<double>(fields.size() - 1));
  for (const auto& field : fields) {
    std::string key;
    json::AppendQuoted(key, field.name);
    size.structure += static_cast<double>(key.size()) + 1;  // "name":
    Accumulate(size, EstimateValue(field, contract, prefix + field.name), 1);
  }
  return size;
}

void CheckPayloadFits(const Contract& contract, Reporter& report) {
  const auto& limits = contract.request.limits;
  if (!limits.max_payload_bytes) return;
  SizeEstimate size = EstimateObject(contract.request.fields, contract, "");
  double chars = size.chars;
  if (limits.max_total_chars) {
    auto cap = static_cast<double>(*limits.max_total_chars);
    // A request whose required characters exceed the cap is invalid whatever its size.
    if (size.min_chars > cap) return;
    chars = std::min(chars, cap);
  }
  double bytes = size.structure + chars;
  if (bytes <= static_cast<double>(*limits.max_payload_bytes)) return;
  report.Add("payload-limit-too-small", "/request/limits/max_payload_bytes",
             "a request within every field bound can be " + FormatNumber(bytes) +
                 " bytes of compact JSON, above max_payload_bytes " +
                 std::to_string(*limits.max_payload_bytes) + ", so the server rejects valid input",
             "raise request.limits.max_payload_bytes to at least " + FormatNumber(bytes) +
                 ", or lower the max_len of the largest strings and arrays");
}

// ---------------------------------------------------------------------------------------------
// Outputs

bool NameMentions(std::string_view name, std::initializer_list<std::string_view> words) {
  std::string lowered = absl::AsciiStrToLower(std::string(name));
  return std::any_of(words.begin(), words.end(), [&](std::string_view word) {
    return lowered.find(word) != std::string::npos;
  });
}

void CheckScoreRange(const FieldSite& site, Reporter& report) {
  const Field& field = site.field;
  bool numeric = field.type == FieldType::kNumber || field.type == FieldType::kInteger;
  if (!numeric || !field.enum_values.empty() || (field.minimum && field.maximum)) return;
  if (!NameMentions(site.name, {"score", "probab", "confidence", "likelihood"})) return;
  report.Add("score-without-range", site.pointer, site.where,
             Describe(site, "response") +
                 " reads as a score but has no range, so callers cannot tell what a high value "
                 "is",
             "add range: [low, high], such as [0, 1] for a probability");
}

// Returns whether `text` contains `word` with no letter, digit or '_' right before or after it.
bool ContainsWord(std::string_view text, std::string_view word) {
  auto part_of_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  };
  for (auto at = text.find(word); !word.empty() && at != std::string_view::npos;
       at = text.find(word, at + 1)) {
    std::size_t end = at + word.size();
    if ((at == 0 || !part_of_word(text[at - 1])) &&
        (end == text.size() || !part_of_word(text[end]))) {
      return true;
    }
  }
  return false;
}

// Returns whether the response declares the order of the list `site`. An ordering rule for it,
// an ordering sentence that names it, or its description ("in request order", "best first")
// declares it.
bool OrderDeclared(const Contract& contract, const FieldSite& site) {
  for (const auto& ordering : contract.response.ordering) {
    if (ordering.list == site.path) return true;
    if (ordering.list.empty() && ContainsWord(ordering.text, site.name)) return true;
  }
  static const std::regex kProse(
      R"(\b(order|ordered|sorted|ascending|descending)\b|\b\w+est first\b|\bmost \w+ first\b)",
      std::regex::icase);
  return std::regex_search(site.field.description, kProse);
}

// A list of reason codes that all have a meaning in response.reason_codes.
bool IsExplainedReasonList(const Contract& contract, const Field& field) {
  const Field& items = Innermost(field);
  if (items.type != FieldType::kString || items.enum_values.empty()) return false;
  return std::all_of(items.enum_values.begin(), items.enum_values.end(), [&](const auto& value) {
    const auto* code = std::get_if<std::string>(&value);
    return code != nullptr && contract.response.reason_codes.contains(*code);
  });
}

void CheckListOrder(const Contract& contract, const FieldSite& site, Reporter& report) {
  if (site.items || site.field.type != FieldType::kArray) return;
  if (IsExplainedReasonList(contract, site.field) || OrderDeclared(contract, site)) return;
  report.Add("list-without-order", site.pointer, site.where,
             Describe(site, "response") + " is a list with no declared order",
             "add response.ordering, such as {list: " + site.path +
                 ", by: score, direction: desc}, or say the order in its desc (\"in request "
                 "order\")");
}

void CheckConfidenceMeaning(const Contract& contract, const FieldSite& site, Reporter& report) {
  if (site.items || !contract.response.confidence_desc.empty()) return;
  std::string name = absl::AsciiStrToLower(site.name);
  if (!name.starts_with("confidence") && name.find("_confidence") == std::string::npos) return;
  report.Add("confidence-without-meaning", site.pointer, site.where,
             Describe(site, "response") +
                 " is a confidence, but response.confidence does not say what it means",
             "add response.confidence: how the value is calibrated and what a value such as 0.9 "
             "means");
}

void CheckReasonCodes(const Contract& contract, const FieldSite& site, Reporter& report) {
  if (site.items || !absl::AsciiStrToLower(site.name).starts_with("reason")) return;
  const Field& items = Innermost(site.field);
  if (items.type != FieldType::kString) return;
  const auto& meanings = contract.response.reason_codes;
  if (items.enum_values.empty()) {
    if (!meanings.empty()) return;
    report.Add("reason-codes-without-meaning", site.pointer, site.where,
               Describe(site, "response") +
                   " holds reasons without an enum of codes and the response has no "
                   "reason_codes",
               "give the field an enum of reason codes and explain each under "
               "response.reason_codes");
    return;
  }
  std::string missing;
  for (const auto& value : items.enum_values) {
    const auto* code = std::get_if<std::string>(&value);
    if (code == nullptr || meanings.contains(*code)) continue;
    missing += (missing.empty() ? "" : ", ") + *code;
  }
  if (missing.empty()) return;
  report.Add("reason-codes-without-meaning", site.pointer, site.where,
             Describe(site, "response") +
                 " has reason codes without a meaning in response.reason_codes: " + missing,
             "add each code under response.reason_codes with one sentence on what it means");
}

// ---------------------------------------------------------------------------------------------
// Personal data

// Splits "firstName" or "first_name" into {"first", "name"}, lowercased.
std::vector<std::string> NameWords(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (std::isalnum(c) == 0) {
      flush();
      continue;
    }
    bool upper = std::isupper(c) != 0;
    if (upper && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1])) != 0) flush();
    word.push_back(static_cast<char>(std::tolower(c)));
  }
  flush();
  return words;
}

// Returns the personal data that a field's name or format suggests, such as "an email address",
// or an empty string. Only whole words count, so `ip_country` and `merchant_name` do not match.
std::string PersonalDataHint(std::string_view name, std::string_view format) {
  if (format == "email") return "an email address";
  if (format == "ipv4" || format == "ipv6") return "an IP address";
  auto words = NameWords(name);
  if (words.empty()) return {};
  auto has = [&](std::string_view wanted) {
    return std::find(words.begin(), words.end(), wanted) != words.end();
  };
  auto has_prefix = [&](std::string_view prefix) {
    return std::any_of(words.begin(), words.end(),
                       [&](const std::string& w) { return w.starts_with(prefix); });
  };
  std::string joined;
  for (const auto& word : words) joined += (joined.empty() ? "" : "_") + word;

  static const std::set<std::string, std::less<>> kPersonNames = {
      "name",        "first_name",    "last_name",   "full_name",      "given_name",
      "family_name", "middle_name",   "maiden_name", "surname",        "username",
      "user_name",   "customer_name", "holder_name", "cardholder_name"};
  if (kPersonNames.contains(joined)) return "a person's name";

  if (has_prefix("email")) return "an email address";
  if (has_prefix("phone") || has("msisdn")) return "a phone number";
  if (words.back() == "ip" || joined.find("ip_addr") != std::string::npos) {
    return "an IP address";
  }
  if (has("address")) return "a postal address";
  if (has("ssn") || joined.find("social_security") != std::string::npos) {
    return "a social security number";
  }
  if (has("dob") || has_prefix("birth")) return "a date of birth";
  if (has("pan") || has("cardnumber") || joined.find("card_number") != std::string::npos ||
      joined.find("card_num") != std::string::npos) {
    return "a payment card number";
  }
  if (has("passport")) return "a passport number";
  return {};
}

bool ListedAsPii(const Contract& contract, const FieldSite& site) {
  const auto& listed = contract.constraints.data.pii_fields;
  return std::any_of(listed.begin(), listed.end(), [&](const std::string& entry) {
    return entry == site.path || entry == site.name;
  });
}

// A record of whether any field of the contract is marked as personal data or looks like it.
struct PersonalDataSeen {
  bool marked = false;
  bool suggested = false;
};

void CheckPersonalData(const Contract& contract, const FieldSite& site, std::string_view side,
                       PersonalDataSeen& seen, Reporter& report) {
  if (site.items) return;
  const auto& data = contract.constraints.data;
  std::string hint = PersonalDataHint(site.name, Innermost(site.field).format);
  bool marked = site.field.pii || ListedAsPii(contract, site);
  seen.marked = seen.marked || marked;
  seen.suggested = seen.suggested || !hint.empty();
  if (data.pii.has_value() && !*data.pii && (marked || !hint.empty())) {
    report.Add("pii-contradiction", site.pointer, site.where,
               "constraints.data.pii is false but " + Describe(site, side) +
                   (marked ? " is marked as personal data" : " looks like " + hint),
               marked ? "set constraints.data.pii: true, or unmark the field if it holds no "
                        "personal data"
                      : "set constraints.data.pii: true and mark the field pii: true, or, if it "
                        "holds no personal data, give it a name that says what it holds");
    return;
  }
  if (hint.empty() || marked || data.pii.has_value()) return;
  report.Add("pii-undecided", site.pointer, site.where,
             Describe(site, side) + " looks like " + hint +
                 " but the contract does not say whether it is personal data",
             "mark the field pii: true (or list it in constraints.data.pii_fields), or state "
             "constraints.data.pii");
}

void CheckPiiDecision(const Contract& contract, const PersonalDataSeen& seen, Reporter& report) {
  const auto& data = contract.constraints.data;
  if (data.pii.has_value() || seen.marked || seen.suggested || !data.pii_fields.empty()) return;
  report.Add("no-pii-decision", "/constraints/data/pii",
             "the contract does not state whether requests hold personal data",
             "add constraints.data.pii: false, or true with pii_fields and a retention rule");
}

}  // namespace

void CheckFields(const Contract& contract, Reporter& report) {
  PersonalDataSeen seen;
  VisitRequest(contract, [&](const FieldSite& site) {
    CheckUnboundedInput(contract, site, report);
    CheckCharLimit(contract, site, report);
    CheckPersonalData(contract, site, "request", seen, report);
  });
  CheckPayloadLimitDeclared(contract, report);
  CheckPayloadFits(contract, report);
  VisitResponse(contract, [&](const FieldSite& site) {
    CheckScoreRange(site, report);
    CheckListOrder(contract, site, report);
    CheckConfidenceMeaning(contract, site, report);
    CheckReasonCodes(contract, site, report);
    CheckPersonalData(contract, site, "response", seen, report);
  });
  CheckPiiDecision(contract, seen, report);
}

}  // namespace modelgate::tools::lint_internal
