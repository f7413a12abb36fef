#include "mock/generator.h"

#include <re2/re2.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "contract/fields.h"
#include "json/writer.h"

namespace modelgate::mock {

using contract::Field;
using contract::FieldType;
using contract::Scalar;

namespace {

// The output function of splitmix64.
std::uint64_t Mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A splitmix64 stream. The generator uses it in place of <random> distributions because those
// give different sequences on different standard libraries.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix64(state_);
  }

  // Returns a value in [0, bound) without modulo bias; `bound` must be positive.
  std::uint64_t Below(std::uint64_t bound) {
    std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
      std::uint64_t value = Next();
      if (value >= threshold) return value % bound;
    }
  }

  // Returns a count in [low, high]; `low` must not exceed `high`.
  std::size_t Between(std::size_t low, std::size_t high) {
    if (high - low == std::numeric_limits<std::size_t>::max()) return Next();
    return low + Below(high - low + 1);
  }

  // Returns a double in [0, 1) with 53 random bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  bool Coin() { return (Next() >> 63) != 0; }

 private:
  std::uint64_t state_;
};

// A JSON value held in memory, so that lists can be sorted before the text is written.
struct Value {
  enum class Kind { kNull, kBool, kInteger, kNumber, kString, kArray, kObject };

  Kind kind = Kind::kNull;
  bool boolean = false;
  std::int64_t integer = 0;
  double number = 0;
  std::string text;
  std::vector<Value> items;
  std::vector<std::pair<std::string, Value>> members;
};

Value MakeString(std::string text) {
  Value value;
  value.kind = Value::Kind::kString;
  value.text = std::move(text);
  return value;
}

Value MakeInteger(std::int64_t integer) {
  Value value;
  value.kind = Value::Kind::kInteger;
  value.integer = integer;
  return value;
}

Value MakeNumber(double number) {
  Value value;
  value.kind = Value::Kind::kNumber;
  value.number = number;
  return value;
}

Value MakeBool(bool boolean) {
  Value value;
  value.kind = Value::Kind::kBool;
  value.boolean = boolean;
  return value;
}

// One element of a parsed pattern and how many times it repeats.
struct PatternNode {
  enum class Kind { kEmpty, kLiteral, kClass, kGroup };

  Kind kind = Kind::kEmpty;
  // kLiteral: one UTF-8 encoded character. kClass: every ASCII character the class allows.
  std::string text;
  std::vector<std::vector<PatternNode>> branches;  // kGroup: alternatives, each a sequence
  std::size_t min_repeat = 1;
  std::optional<std::size_t> max_repeat = 1;  // nullopt when unbounded
};

using PatternSequence = std::vector<PatternNode>;
using PatternBranches = std::vector<PatternSequence>;

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kAlphanumeric =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kWordCharacters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
constexpr std::string_view kSpaceCharacters = " \t\n\r\f\v";

// RE2 caps counted repetition at 1000.
constexpr std::size_t kMaxRepeat = 1000;

using CharacterSet = std::bitset<128>;

CharacterSet SetOf(std::string_view characters) {
  CharacterSet set;
  for (char c : characters) set.set(static_cast<unsigned char>(c));
  return set;
}

// Lists the printable ASCII characters (space to '~') in `set`, or outside it when `negated`.
std::string PrintableMembers(const CharacterSet& set, bool negated) {
  std::string members;
  for (int c = 0x20; c < 0x7F; ++c) {
    if (set.test(c) != negated) members.push_back(static_cast<char>(c));
  }
  return members;
}

std::size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;
}

// Parses the part of RE2 syntax that the sampler can produce text for: literal characters,
// the escapes \d \w \s and their negations, '.', bracket classes of ASCII characters, groups
// (plain, non-capturing and named), alternation, the quantifiers ? * + {n} {n,} {n,m} (lazy
// forms too), and the anchors ^ $ \A \z \b \B, which produce no text. Parse returns nullopt for
// anything else, such as flags, Unicode classes, POSIX classes or hexadecimal escapes.
class PatternParser {
 public:
  explicit PatternParser(std::string_view pattern) : text_(pattern) {}

  std::optional<PatternBranches> Parse() {
    PatternBranches branches = Branches();
    if (!ok_ || pos_ != text_.size()) return std::nullopt;
    return branches;
  }

 private:
  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  PatternNode Fail() {
    ok_ = false;
    return {};
  }

  PatternBranches Branches() {
    PatternBranches branches;
    branches.push_back(Sequence());
    while (ok_ && Peek('|')) {
      ++pos_;
      branches.push_back(Sequence());
    }
    return branches;
  }

  PatternSequence Sequence() {
    PatternSequence sequence;
    while (ok_ && pos_ < text_.size() && !Peek('|') && !Peek(')')) {
      PatternNode node = Atom();
      Quantifier(node);
      sequence.push_back(std::move(node));
    }
    return sequence;
  }

  PatternNode Atom() {
    char c = text_[pos_++];
    switch (c) {
      case '(':
        return Group();
      case '[':
        return Class();
      case '.':
        return ClassNode(std::string(kAlphanumeric));
      case '\\':
        return Escape();
      case '^':
      case '$':
        return {};
      case '*':
      case '+':
      case '?':
      case '{':
        return Fail();
      default:
        --pos_;
        return Literal();
    }
  }

  PatternNode Literal() {
    std::size_t length = Utf8SequenceLength(static_cast<unsigned char>(text_[pos_]));
    if (length == 0 || pos_ + length > text_.size()) return Fail();
    PatternNode node;
    node.kind = PatternNode::Kind::kLiteral;
    node.text = std::string(text_.substr(pos_, length));
    pos_ += length;
    return node;
  }

  static PatternNode ClassNode(std::string members) {
    PatternNode node;
    node.kind = PatternNode::Kind::kClass;
    node.text = std::move(members);
    return node;
  }

  PatternNode Group() {
    if (Peek('?')) {
      if (text_.substr(pos_).starts_with("?:")) {
        pos_ += 2;
      } else if (text_.substr(pos_).starts_with("?P<") || text_.substr(pos_).starts_with("?<")) {
        auto close = text_.find('>', pos_);
        if (close == std::string_view::npos) return Fail();
        pos_ = close + 1;
      } else {
        return Fail();  // flags such as (?i) change what matches
      }
    }
    PatternNode node;
    node.kind = PatternNode::Kind::kGroup;
    node.branches = Branches();
    if (!ok_ || !Peek(')')) return Fail();
    ++pos_;
    return node;
  }

  // Adds the shorthand class `letter` (d, w, s or a capital for the complement) to `set`;
  // returns false for other letters.
  static bool AddShorthand(char letter, CharacterSet& set) {
    CharacterSet members;
    switch (std::tolower(static_cast<unsigned char>(letter))) {
      case 'd':
        members = SetOf(kDigits);
        break;
      case 'w':
        members = SetOf(kWordCharacters);
        break;
      case 's':
        members = SetOf(kSpaceCharacters);
        break;
      default:
        return false;
    }
    if (std::isupper(static_cast<unsigned char>(letter))) members.flip();
    set |= members;
    return true;
  }

  static std::optional<char> ControlEscape(char letter) {
    switch (letter) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      default:
        return std::nullopt;
    }
  }

  PatternNode Escape() {
    if (pos_ >= text_.size()) return Fail();
    char letter = text_[pos_++];
    CharacterSet set;
    if (AddShorthand(letter, set)) {
      std::string members = PrintableMembers(set, false);
      return members.empty() ? Fail() : ClassNode(members);
    }
    if (letter == 'b' || letter == 'B' || letter == 'A' || letter == 'z') return {};
    if (auto control = ControlEscape(letter)) {
      PatternNode node;
      node.kind = PatternNode::Kind::kLiteral;
      node.text = std::string(1, *control);
      return node;
    }
    if (std::isalnum(static_cast<unsigned char>(letter))) return Fail();
    --pos_;
    return Literal();  // an escaped punctuation character stands for itself
  }

  static constexpr int kShorthandAdded = -1;
  static constexpr int kUnsupported = -2;

  // Reads one member of a bracket class. Returns the character, or kShorthandAdded after adding
  // a shorthand class to `set`, or kUnsupported on syntax the sampler does not handle.
  int ClassMember(CharacterSet& set) {
    if (pos_ >= text_.size()) return kUnsupported;
    auto c = static_cast<unsigned char>(text_[pos_++]);
    if (c >= 0x80) return kUnsupported;
    if (c == '[' && Peek(':')) return kUnsupported;  // POSIX classes such as [:alpha:]
    if (c != '\\') return c;
    if (pos_ >= text_.size()) return kUnsupported;
    char letter = text_[pos_++];
    if (AddShorthand(letter, set)) return kShorthandAdded;
    if (auto control = ControlEscape(letter)) return *control;
    if (std::isalnum(static_cast<unsigned char>(letter))) return kUnsupported;
    return static_cast<unsigned char>(letter);
  }

  PatternNode Class() {
    bool negated = Peek('^');
    if (negated) ++pos_;
    CharacterSet set;
    bool first = true;
    while (true) {
      if (pos_ >= text_.size()) return Fail();
      if (Peek(']') && !first) break;
      first = false;
      int low = ClassMember(set);
      if (low == kUnsupported) return Fail();
      if (low == kShorthandAdded) continue;
      if (!Peek('-') || pos_ + 1 >= text_.size() || text_[pos_ + 1] == ']') {
        set.set(low);
        continue;
      }
      ++pos_;
      int high = ClassMember(set);
      if (high < low) return Fail();
      for (int c = low; c <= high; ++c) set.set(c);
    }
    ++pos_;
    std::string members = PrintableMembers(set, negated);
    return members.empty() ? Fail() : ClassNode(members);
  }

  std::optional<std::size_t> Count() {
    std::size_t start = pos_;
    std::size_t count = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      count = std::min(kMaxRepeat, count * 10 + static_cast<std::size_t>(text_[pos_++] - '0'));
    }
    if (pos_ == start) return std::nullopt;
    return count;
  }

  // Reads the rest of {n}, {n,} or {n,m} after the opening brace, closing brace included.
  void Braces(PatternNode& node) {
    auto low = Count();
    if (!low) {
      ok_ = false;
      return;
    }
    node.min_repeat = *low;
    node.max_repeat = *low;
    if (Peek(',')) {
      ++pos_;
      node.max_repeat = Count();
    }
    if (!Peek('}')) {
      ok_ = false;
      return;
    }
    ++pos_;
  }

  void Quantifier(PatternNode& node) {
    if (!ok_ || pos_ >= text_.size()) return;
    char c = text_[pos_];
    if (c == '{') {
      ++pos_;
      Braces(node);
    } else if (c == '?' || c == '*' || c == '+') {
      ++pos_;
      node.min_repeat = c == '+' ? 1 : 0;
      node.max_repeat = c == '?' ? std::optional<std::size_t>(1) : std::nullopt;
    } else {
      return;
    }
    if (Peek('?')) ++pos_;  // a lazy quantifier matches the same strings
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// Produces strings from a parsed pattern. Unbounded quantifiers repeat up to `unbounded_extra`
// times beyond their minimum.
class PatternSampler {
 public:
  PatternSampler(Random& random, std::size_t unbounded_extra)
      : random_(random), unbounded_extra_(unbounded_extra) {}

  void Branches(const PatternBranches& branches, std::string& out) {
    Sequence(branches[random_.Below(branches.size())], out);
  }

 private:
  void Sequence(const PatternSequence& sequence, std::string& out) {
    for (const auto& node : sequence) {
      std::size_t high = node.max_repeat.value_or(node.min_repeat + unbounded_extra_);
      std::size_t count = random_.Between(node.min_repeat, std::max(node.min_repeat, high));
      for (std::size_t i = 0; i < count; ++i) Once(node, out);
    }
  }

  void Once(const PatternNode& node, std::string& out) {
    switch (node.kind) {
      case PatternNode::Kind::kEmpty:
        break;
      case PatternNode::Kind::kLiteral:
        out += node.text;
        break;
      case PatternNode::Kind::kClass:
        out += node.text[random_.Below(node.text.size())];
        break;
      case PatternNode::Kind::kGroup:
        Branches(node.branches, out);
        break;
    }
  }

  Random& random_;
  std::size_t unbounded_extra_;
};

std::size_t CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

std::string Lowercase(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered;
}

// Returns true for names whose values are usually in [0, 1], such as `score` or `confidence`.
bool IsProbabilityName(std::string_view name) {
  std::string lowered = Lowercase(name);
  for (std::string_view word : {"score", "probability", "confidence", "likelihood"}) {
    if (lowered.find(word) != std::string::npos) return true;
  }
  return false;
}

bool IsVersionName(std::string_view name) { return Lowercase(name).ends_with("version"); }

// Precomputed data for one field.
struct FieldPlan {
  std::unique_ptr<RE2> pattern;
  std::optional<PatternBranches> parsed_pattern;  // nullopt when the sampler cannot read it
  std::vector<Value> enum_choices;                // enum members that satisfy the other rules
  std::vector<Value> literals;  // the default and example when they satisfy every rule
  bool sort_key = false;        // the key of an ordered list, so always generated
};

}  // namespace

struct Plan {
  std::vector<Field> fields;
  std::vector<contract::Ordering> ordering;
  std::map<const Field*, FieldPlan> field_plans;  // keys point into `fields`
};

namespace {

bool StringFits(std::string_view text, const Field& field, const RE2* pattern) {
  std::size_t length = CountCodePoints(text);
  if (field.min_len && length < *field.min_len) return false;
  if (field.max_len && length > *field.max_len) return false;
  return pattern == nullptr || RE2::PartialMatch(text, *pattern);
}

bool InRange(double value, const Field& field) {
  if (field.minimum && value < *field.minimum) return false;
  return !field.maximum || value <= *field.maximum;
}

// Checks a scalar against the type, range, length and pattern of `field`; enum and format are
// left to the caller.
bool SatisfiesRules(const Value& value, const Field& field, const RE2* pattern) {
  using Kind = Value::Kind;
  switch (field.type) {
    case FieldType::kString:
      return value.kind == Kind::kString && StringFits(value.text, field, pattern);
    case FieldType::kInteger:
      return value.kind == Kind::kInteger && InRange(static_cast<double>(value.integer), field);
    case FieldType::kNumber:
      if (value.kind == Kind::kInteger) return InRange(static_cast<double>(value.integer), field);
      return value.kind == Kind::kNumber && InRange(value.number, field);
    case FieldType::kBoolean:
      return value.kind == Kind::kBool;
    default:
      return false;
  }
}

std::optional<Value> FromScalar(const Scalar& scalar) {
  if (const auto* text = std::get_if<std::string>(&scalar)) return MakeString(*text);
  if (const auto* integer = std::get_if<std::int64_t>(&scalar)) return MakeInteger(*integer);
  if (const auto* number = std::get_if<double>(&scalar)) return MakeNumber(*number);
  if (const auto* boolean = std::get_if<bool>(&scalar)) return MakeBool(*boolean);
  return std::nullopt;
}

bool EqualsScalar(const Value& value, const Scalar& scalar) {
  auto member = FromScalar(scalar);
  if (!member) return false;
  using Kind = Value::Kind;
  auto numeric = [](const Value& v) {
    return v.kind == Kind::kInteger ? static_cast<double>(v.integer) : v.number;
  };
  bool both_numbers = (value.kind == Kind::kInteger || value.kind == Kind::kNumber) &&
                      (member->kind == Kind::kInteger || member->kind == Kind::kNumber);
  if (both_numbers) return numeric(value) == numeric(*member);
  if (value.kind != member->kind) return false;
  return value.kind == Kind::kString ? value.text == member->text
                                     : value.boolean == member->boolean;
}

// Lists the enum members that satisfy the field's other rules. When none does, the contract
// contradicts itself, and every member is listed so that at least the enum holds.
std::vector<Value> EnumChoices(const Field& field, const RE2* pattern) {
  std::vector<Value> all;
  std::vector<Value> fitting;
  bool has_null = false;
  for (const Scalar& scalar : field.enum_values) {
    auto value = FromScalar(scalar);
    if (!value) {
      has_null = true;
      continue;
    }
    all.push_back(*value);
    if (SatisfiesRules(*value, field, pattern)) fitting.push_back(*value);
  }
  if (all.empty() && has_null) all.emplace_back();  // an enum of only null
  return fitting.empty() ? all : fitting;
}

std::optional<Value> ParseScalar(const std::string& json_text) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(simdjson::padded_string(json_text)).get(element) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  switch (element.type()) {
    case simdjson::dom::element_type::STRING:
      return MakeString(std::string(element.get_string().value_unsafe()));
    case simdjson::dom::element_type::INT64:
      return MakeInteger(element.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
      return MakeNumber(static_cast<double>(element.get_uint64().value_unsafe()));
    case simdjson::dom::element_type::DOUBLE:
      return MakeNumber(element.get_double().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return MakeBool(element.get_bool().value_unsafe());
    default:
      return std::nullopt;
  }
}

// Collects the default and example of a scalar field when they satisfy every rule. Fields with
// a format are generated from the format instead, and arrays and objects always generated.
std::vector<Value> Literals(const Field& field, const RE2* pattern) {
  std::vector<Value> literals;
  if (!field.format.empty()) return literals;
  for (const auto& json_text : {field.default_json, field.example_json}) {
    if (!json_text) continue;
    auto value = ParseScalar(*json_text);
    if (!value || !SatisfiesRules(*value, field, pattern)) continue;
    bool in_enum = field.enum_values.empty() ||
                   std::any_of(field.enum_values.begin(), field.enum_values.end(),
                               [&](const Scalar& s) { return EqualsScalar(*value, s); });
    if (in_enum) literals.push_back(std::move(*value));
  }
  return literals;
}

void PlanField(const Field& field, Plan& plan) {
  FieldPlan& entry = plan.field_plans[&field];
  if (!field.pattern.empty()) {
    entry.pattern = std::make_unique<RE2>(field.pattern, RE2::Quiet);
    if (!entry.pattern->ok()) entry.pattern.reset();
    entry.parsed_pattern = PatternParser(field.pattern).Parse();
  }
  entry.enum_choices = EnumChoices(field, entry.pattern.get());
  entry.literals = Literals(field, entry.pattern.get());
  for (const auto& member : field.fields) PlanField(member, plan);
  if (field.items) PlanField(*field.items, plan);
}

std::vector<std::string_view> SplitDots(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

// Marks the members on the path `by` inside the items of each ordered list as always present,
// so that every item carries its sort key.
void PlanSortKeys(Plan& plan) {
  for (const auto& ordering : plan.ordering) {
    if (ordering.list.empty() || ordering.by.empty()) continue;
    const Field* list = contract::FindField(plan.fields, ordering.list);
    if (list == nullptr || list->type != FieldType::kArray || !list->items) continue;
    const std::vector<Field>* members = &list->items->fields;
    for (std::string_view name : SplitDots(ordering.by)) {
      auto found = std::find_if(members->begin(), members->end(),
                                [&](const Field& f) { return f.name == name; });
      if (found == members->end()) break;
      plan.field_plans[&*found].sort_key = true;
      members = &found->fields;
    }
  }
}

constexpr std::array<std::string_view, 10> kCurrencies = {"USD", "EUR", "GBP", "JPY", "CHF",
                                                          "CAD", "AUD", "CNY", "SEK", "NZD"};

std::string RandomText(Random& random, std::string_view alphabet, std::size_t length) {
  std::string text;
  text.reserve(length);
  for (std::size_t i = 0; i < length; ++i) text.push_back(alphabet[random.Below(alphabet.size())]);
  return text;
}

std::string DateText(Random& random) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d",
                static_cast<int>(random.Between(2020, 2030)),
                static_cast<int>(random.Between(1, 12)), static_cast<int>(random.Between(1, 28)));
  return buffer;
}

std::string TimeText(Random& random) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02dZ", static_cast<int>(random.Below(24)),
                static_cast<int>(random.Below(60)), static_cast<int>(random.Below(60)));
  return buffer;
}

// Formats 122 random bits as a version 4 (random) UUID in lowercase: the version nibble is 4
// and the variant bits are 10.
std::string UuidText(Random& random) {
  std::uint64_t high = (random.Next() & ~0xF000ULL) | 0x4000ULL;
  std::uint64_t low = (random.Next() & ~(0xC000ULL << 48)) | (0x8000ULL << 48);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xFFFF),
                static_cast<unsigned>(high & 0xFFFF), static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return buffer;
}

// Returns an address in the documentation ranges of RFC 5737.
std::string Ipv4Text(Random& random) {
  constexpr std::array<std::string_view, 3> kPrefixes = {"192.0.2.", "198.51.100.", "203.0.113."};
  return std::string(kPrefixes[random.Below(kPrefixes.size())]) +
         std::to_string(random.Between(1, 254));
}

// Returns an address in the documentation prefix 2001:db8::/32 of RFC 3849.
std::string Ipv6Text(Random& random) {
  std::string text = "2001:db8";
  for (int i = 0; i < 6; ++i) {
    char group[8];
    std::snprintf(group, sizeof group, ":%x", static_cast<unsigned>(random.Below(0x10000)));
    text += group;
  }
  return text;
}

// Returns a value of one of the formats the contract loader accepts.
// NOTE: format values ignore min_len and max_len. A contract that bounds a formatted string
// below the format's usual length gets values that the validator rejects.
std::string FormatText(std::string_view format, Random& random) {
  if (format == "iso4217") return std::string(kCurrencies[random.Below(kCurrencies.size())]);
  if (format == "date-time") return DateText(random) + "T" + TimeText(random);
  if (format == "date") return DateText(random);
  if (format == "time") return TimeText(random);
  if (format == "uuid") return UuidText(random);
  if (format == "email") return RandomText(random, kLower, 8) + "@example.com";
  if (format == "uri") return "https://example.com/" + RandomText(random, kLower, 8);
  if (format == "ipv4") return Ipv4Text(random);
  if (format == "ipv6") return Ipv6Text(random);
  if (format == "hostname") return RandomText(random, kLower, 8) + ".example.com";
  return RandomText(random, kAlphanumeric, 12);
}

// The span of lengths to draw from: [preferred_low, preferred_high] clamped to the field's
// min_len and max_len.
std::pair<std::size_t, std::size_t> LengthSpan(const Field& field, std::size_t preferred_low,
                                               std::size_t preferred_high) {
  std::size_t low = field.min_len.value_or(0);
  std::size_t high = std::max(low, field.max_len.value_or(std::max(low, preferred_high)));
  return {std::clamp(preferred_low, low, high), std::clamp(preferred_high, low, high)};
}

// The range to draw a number from. Both bounds set: that range. One bound set: a span of 1
// (for probability-like names) or 1000 from it. None: [0, 1] or [0, 1000].
std::pair<double, double> NumberSpan(const Field& field, std::string_view name) {
  double span = IsProbabilityName(name) ? 1.0 : 1000.0;
  double low = field.minimum.value_or(field.maximum ? *field.maximum - span : 0.0);
  double high = field.maximum.value_or(field.minimum ? *field.minimum + span : span);
  return {low, high};
}

// Converts a double to int64, saturating at the ends of the range.
std::int64_t SaturatingInt64(double value) {
  constexpr double kLowest = -9223372036854775808.0;  // -2^63
  constexpr double kHighest = 9223372036854774784.0;  // the largest double below 2^63
  return static_cast<std::int64_t>(std::clamp(value, kLowest, kHighest));
}

const FieldPlan& EmptyFieldPlan() {
  static const FieldPlan kEmpty;
  return kEmpty;
}

// Builds one response value by value from a plan and a random stream.
class Builder {
 public:
  Builder(const Plan& plan, Random& random) : plan_(plan), random_(random) {}

  Value Object(const std::vector<Field>& members) {
    Value object;
    object.kind = Value::Kind::kObject;
    for (const auto& member : members) {
      if (!member.required && !PlanOf(member).sort_key && !random_.Coin()) continue;
      object.members.emplace_back(member.name, Any(member, member.name));
    }
    return object;
  }

  // Generates a value for `field`; `name` is the field's name, or for array items the name of
  // the nearest named array, and picks number spans and the version placeholder.
  Value Any(const Field& field, std::string_view name) {
    const FieldPlan& entry = PlanOf(field);
    if (!entry.enum_choices.empty()) return Pick(entry.enum_choices);
    if (!entry.literals.empty() && random_.Coin()) return Pick(entry.literals);
    switch (field.type) {
      case FieldType::kString:
        return MakeString(String(field, entry, name));
      case FieldType::kNumber:
        return MakeNumber(Number(field, name));
      case FieldType::kInteger:
        return MakeInteger(Integer(field, name));
      case FieldType::kBoolean:
        return MakeBool(random_.Coin());
      case FieldType::kObject:
        return Object(field.fields);
      case FieldType::kArray:
        return Array(field, name);
    }
    return {};
  }

 private:
  const FieldPlan& PlanOf(const Field& field) const {
    auto found = plan_.field_plans.find(&field);
    return found == plan_.field_plans.end() ? EmptyFieldPlan() : found->second;
  }

  const Value& Pick(const std::vector<Value>& values) {
    return values[random_.Below(values.size())];
  }

  Value Array(const Field& field, std::string_view name) {
    static const Field kUntypedItem;  // an array declared without items gets strings
    const Field& item = field.items ? *field.items : kUntypedItem;
    auto [low, high] = LengthSpan(field, 1, 3);
    std::size_t count = random_.Between(low, high);
    Value array;
    array.kind = Value::Kind::kArray;
    for (std::size_t i = 0; i < count; ++i) array.items.push_back(Any(item, name));
    return array;
  }

  double Number(const Field& field, std::string_view name) {
    auto [low, high] = NumberSpan(field, name);
    double u = random_.Unit();
    // Interpolating this way cannot overflow when high - low exceeds the largest double.
    double value = std::clamp(low * (1 - u) + high * u, low, high);
    double rounded = std::round(value * 1e4) / 1e4;  // four decimals read better in a mock
    if (std::isfinite(rounded) && rounded >= low && rounded <= high) value = rounded;
    return value;
  }

  std::int64_t Integer(const Field& field, std::string_view name) {
    auto [low, high] = NumberSpan(field, name);
    std::int64_t first = SaturatingInt64(std::ceil(low));
    std::int64_t last = SaturatingInt64(std::floor(high));
    // NOTE: a range with no integer in it, such as [0.2, 0.8], gets its rounded-up minimum,
    // which breaks the maximum; the loader accepts such ranges.
    if (first >= last) return first;
    std::uint64_t span = static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first);
    std::uint64_t offset = span == std::numeric_limits<std::uint64_t>::max()
                               ? random_.Next()
                               : random_.Below(span + 1);
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(first) + offset);
  }

  std::string String(const Field& field, const FieldPlan& entry, std::string_view name) {
    if (!field.format.empty()) return FormatText(field.format, random_);
    if (IsVersionName(name) && StringFits("mock", field, entry.pattern.get())) return "mock";
    auto [low, high] = LengthSpan(field, 8, 16);
    if (!field.pattern.empty()) return PatternText(field, entry, low, high);
    return RandomText(random_, kAlphanumeric, random_.Between(low, high));
  }

  // Looks for a string that matches the pattern and the length bounds: first samples of the
  // parsed pattern, then random strings over a few alphabets, then the field's example.
  std::string PatternText(const Field& field, const FieldPlan& entry, std::size_t low,
                          std::size_t high) {
    constexpr int kSampleAttempts = 12;
    const RE2* pattern = entry.pattern.get();
    std::string best;
    for (int attempt = 0; entry.parsed_pattern && attempt < kSampleAttempts; ++attempt) {
      // Later attempts let unbounded repetition reach the length bounds.
      PatternSampler sampler(random_,
                             attempt < kSampleAttempts / 3 ? 3 : std::max<std::size_t>(high, 3));
      std::string sample;
      sampler.Branches(*entry.parsed_pattern, sample);
      if (StringFits(sample, field, pattern)) return sample;
      if (attempt == 0) best = std::move(sample);
    }
    for (std::string_view alphabet : {kAlphanumeric, kLower, kUpper, kDigits}) {
      std::string candidate = RandomText(random_, alphabet, random_.Between(low, high));
      if (StringFits(candidate, field, pattern)) return candidate;
      if (best.empty()) best = std::move(candidate);
    }
    if (!entry.literals.empty()) return entry.literals.front().text;
    // NOTE: patterns are sampled, not inverted. A pattern outside the sampler's syntax (see
    // PatternParser) or one that few strings of the allowed length match gets this
    // non-matching value, and the validator reports it.
    return best;
  }

  const Plan& plan_;
  Random& random_;
};

double NumericValue(const Value& value) {
  return value.kind == Value::Kind::kInteger ? static_cast<double>(value.integer) : value.number;
}

const Value* FindMember(const Value& object, std::string_view name) {
  if (object.kind != Value::Kind::kObject) return nullptr;
  for (const auto& [key, member] : object.members) {
    if (key == name) return &member;
  }
  return nullptr;
}

Value* FindMember(Value& object, std::string_view name) {
  return const_cast<Value*>(FindMember(std::as_const(object), name));
}

// Follows the dotted member path `by` from `item`; nullptr when a member is missing.
const Value* SortKeyOf(const Value& item, std::string_view by) {
  if (by.empty()) return &item;
  const Value* current = &item;
  for (std::string_view name : SplitDots(by)) {
    current = FindMember(*current, name);
    if (current == nullptr) return nullptr;
  }
  return current;
}

// Ranks keys by kind first (numbers, strings, booleans, anything else, missing), so that the
// comparison is a strict weak order even on mixed lists.
int KindRank(const Value* key) {
  if (key == nullptr) return 4;
  switch (key->kind) {
    case Value::Kind::kInteger:
    case Value::Kind::kNumber:
      return 0;
    case Value::Kind::kString:
      return 1;
    case Value::Kind::kBool:
      return 2;
    default:
      return 3;
  }
}

// Returns -1, 0 or 1. Numbers compare as doubles and strings by bytes, as the validator does.
int CompareKeys(const Value* a, const Value* b) {
  int rank_a = KindRank(a);
  int rank_b = KindRank(b);
  if (rank_a != rank_b) return rank_a < rank_b ? -1 : 1;
  switch (rank_a) {
    case 0: {
      double x = NumericValue(*a), y = NumericValue(*b);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case 1:
      return a->text < b->text ? -1 : (a->text > b->text ? 1 : 0);
    case 2:
      return a->boolean == b->boolean ? 0 : (a->boolean ? 1 : -1);
    default:
      return 0;
  }
}

void SortItems(std::vector<Value>& items, const contract::Ordering& ordering) {
  std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
    int order = CompareKeys(SortKeyOf(a, ordering.by), SortKeyOf(b, ordering.by));
    return ordering.descending ? order > 0 : order < 0;
  });
}

// Sorts every list at the flattened path `path` below `node`. A segment ending in "[]" means
// every item of that array, so `results[].ranked` is the member `ranked` of each result.
void SortLists(Value& node, std::string_view path, const contract::Ordering& ordering) {
  auto dot = path.find('.');
  std::string_view name = path.substr(0, dot);
  bool each_item = name.ends_with("[]");
  if (each_item) name.remove_suffix(2);
  Value* child = FindMember(node, name);
  if (child == nullptr) return;
  if (dot == std::string_view::npos) {
    if (child->kind == Value::Kind::kArray) SortItems(child->items, ordering);
    return;
  }
  std::string_view rest = path.substr(dot + 1);
  if (!each_item) {
    SortLists(*child, rest, ordering);
    return;
  }
  if (child->kind != Value::Kind::kArray) return;
  for (auto& item : child->items) SortLists(item, rest, ordering);
}

void Write(const Value& value, json::Writer& writer) {
  switch (value.kind) {
    case Value::Kind::kNull:
      writer.Null();
      break;
    case Value::Kind::kBool:
      writer.Bool(value.boolean);
      break;
    case Value::Kind::kInteger:
      writer.Integer(value.integer);
      break;
    case Value::Kind::kNumber:
      writer.Number(value.number);
      break;
    case Value::Kind::kString:
      writer.String(value.text);
      break;
    case Value::Kind::kArray:
      writer.BeginArray();
      for (const auto& item : value.items) Write(item, writer);
      writer.EndArray();
      break;
    case Value::Kind::kObject:
      writer.BeginObject();
      for (const auto& [key, member] : value.members) {
        writer.Key(key);
        Write(member, writer);
      }
      writer.EndObject();
      break;
  }
}

}  // namespace

Generator::Generator(const contract::ResponseSpec& response) {
  auto plan = std::make_shared<Plan>();
  plan->fields = response.fields;
  plan->ordering = response.ordering;
  for (const auto& field : plan->fields) PlanField(field, *plan);
  PlanSortKeys(*plan);
  plan_ = std::move(plan);
}

Generator::Generator(const std::vector<contract::Field>& fields)
    : Generator(contract::ResponseSpec{.fields = fields}) {}

std::string Generator::Generate(std::uint64_t seed) const {
  Random random(seed);
  Builder builder(*plan_, random);
  Value root = builder.Object(plan_->fields);
  for (const auto& ordering : plan_->ordering) {
    if (!ordering.list.empty()) SortLists(root, ordering.list, ordering);
  }
  std::string out;
  json::Writer writer(out);
  Write(root, writer);
  return out;
}

std::uint64_t RequestSeed(std::uint64_t option_seed, std::string_view body) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (char c : body) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  return Mix64(option_seed ^ Mix64(hash));
}

}  // namespace modelgate::mock
