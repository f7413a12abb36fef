#include "schema/validator.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/loader.h"
#include "json/parse.h"

namespace modelgate::schema {
namespace {

// Lists violations one per line for failure messages.
std::string Describe(const std::vector<Violation>& violations) {
  std::string text;
  for (const auto& violation : violations) {
    text += "  \"" + violation.pointer + "\" " + violation.rule + ": " + violation.message + "\n";
  }
  return text.empty() ? "  (none)\n" : text;
}

class ValidatorTest : public testing::Test {
 protected:
  // Loads `yaml` as a contract and keeps a validator of its request rules. The contract is
  // destroyed on return, so the validator must not depend on it.
  void LoadRequest(std::string_view yaml) { Load(yaml, /*response=*/false); }

  // Loads `yaml` as a contract and keeps a validator of its response rules.
  void LoadResponse(std::string_view yaml) { Load(yaml, /*response=*/true); }

  // Parses `document` strictly, validates it and returns every violation. Checks that the
  // result of Validate agrees with the list.
  std::vector<Violation> Check(std::string_view document) {
    std::vector<Violation> violations;
    std::string text(document);
    simdjson::dom::element root;
    json::ParseError error;
    if (!parser_.Parse(text, root, error)) {
      ADD_FAILURE() << "test document is not valid JSON: " << error.message << "\n" << text;
      return violations;
    }
    bool valid = validator_->Validate(root, violations);
    EXPECT_EQ(valid, violations.empty()) << Describe(violations);
    return violations;
  }

  // Expects `document` to break no rule.
  void ExpectValid(std::string_view document) {
    auto violations = Check(document);
    EXPECT_TRUE(violations.empty()) << document << " broke:\n" << Describe(violations);
  }

  // Expects `document` to break exactly one rule, `rule`, at `pointer`.
  void ExpectViolation(std::string_view document, std::string_view pointer, std::string_view rule) {
    auto violations = Check(document);
    ASSERT_EQ(violations.size(), 1u) << document << " broke:\n" << Describe(violations);
    EXPECT_EQ(violations[0].pointer, pointer) << document;
    EXPECT_EQ(violations[0].rule, rule) << document;
    EXPECT_FALSE(violations[0].message.empty()) << document;
  }

  std::optional<Validator> validator_;
  json::StrictParser parser_;

 private:
  void Load(std::string_view yaml, bool response) {
    auto contract = contract::LoadContractText(std::string(yaml), "test.yaml");
    ASSERT_TRUE(contract.ok()) << contract.status();
    validator_.emplace(response ? ResponseRules(*contract) : RequestRules(*contract));
  }
};

constexpr std::string_view kStrings = R"(
version: v1
request:
  fields:
    - {name: name, type: string, max_len: 5}
    - {name: code, type: string, min_len: 2}
)";

TEST_F(ValidatorTest, MaxLenAcceptsFiveCodePoints) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kStrings));
  ExpectValid(R"({"name":"abcde"})");
  // Five code points in ten bytes of UTF-8.
  ExpectValid(R"({"name":"ééééé"})");
  // Five code points in twenty bytes of UTF-8.
  ExpectValid(R"({"name":"😀😀😀😀😀"})");
  ExpectValid(R"({"name":""})");
}

TEST_F(ValidatorTest, MaxLenRejectsSixCodePoints) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kStrings));
  ExpectViolation(R"({"name":"abcdef"})", "/name", "max_len");
  auto violations = Check(R"({"name":"éééééé"})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/name");
  EXPECT_EQ(violations[0].rule, "max_len");
  EXPECT_EQ(violations[0].message, "must have at most 5 characters (inclusive), got 6");
}

TEST_F(ValidatorTest, MaxLenCountsEscapedCharacters) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kStrings));
  // "\u00e9" is one code point once unescaped, whatever the length of the escape.
  ExpectValid(R"({"name":"\u00e9\u00e9\u00e9\u00e9\u00e9"})");
  ExpectViolation(R"({"name":"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"})", "/name", "max_len");
}

TEST_F(ValidatorTest, MinLenAcceptsTwoCodePoints) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kStrings));
  ExpectValid(R"({"code":"ab"})");
  ExpectValid(R"({"code":"éé"})");
}

TEST_F(ValidatorTest, MinLenRejectsOneCodePoint) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kStrings));
  ExpectViolation(R"({"code":"a"})", "/code", "min_len");
  // "é" is two bytes, so a byte count would accept it.
  auto violations = Check(R"({"code":"é"})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].rule, "min_len");
  EXPECT_EQ(violations[0].message, "must have at least 2 characters (inclusive), got 1");
  ExpectViolation(R"({"code":""})", "/code", "min_len");
}

constexpr std::string_view kNumbers = R"(
version: v1
request:
  fields:
    - {name: score, type: number, range: [0, 100]}
    - {name: count, type: integer}
    - {name: level, type: integer, range: [1, 10]}
)";

TEST_F(ValidatorTest, RangeAcceptsBounds) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kNumbers));
  ExpectValid(R"({"score":0})");
  ExpectValid(R"({"score":100})");
  ExpectValid(R"({"score":0.0})");
  ExpectValid(R"({"score":100.0})");
  ExpectValid(R"({"score":1e2})");
  ExpectValid(R"({"score":-0.0})");
  ExpectValid(R"({"score":50.5})");
}

TEST_F(ValidatorTest, RangeRejectsBelowMinimum) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kNumbers));
  auto violations = Check(R"({"score":-0.0001})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/score");
  EXPECT_EQ(violations[0].rule, "minimum");
  // Numbers are written in their shortest form, which for 0.0001 has an exponent.
  EXPECT_EQ(violations[0].message, "must be at least 0 (inclusive), got -1e-04");
  ExpectViolation(R"({"score":-1})", "/score", "minimum");
}

TEST_F(ValidatorTest, RangeRejectsAboveMaximum) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kNumbers));
  auto violations = Check(R"({"score":100.0001})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/score");
  EXPECT_EQ(violations[0].rule, "maximum");
  EXPECT_EQ(violations[0].message, "must be at most 100 (inclusive), got 100.0001");
  ExpectViolation(R"({"score":101})", "/score", "maximum");
}

TEST_F(ValidatorTest, NumberRejectsString) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kNumbers));
  auto violations = Check(R"({"score":"50"})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/score");
  EXPECT_EQ(violations[0].rule, "type");
  EXPECT_EQ(violations[0].message, "must be a number, got a string");
}

TEST_F(ValidatorTest, IntegerAcceptsWholeNumbers) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kNumbers));
  ExpectValid(R"({"count":3})");
  ExpectValid(R"({"count":3.0})");
  ExpectValid(R"({"count":-3})");
  ExpectValid(R"({"count":3e2})");
  ExpectValid(R"({"count":18446744073709551615})");
}

TEST_F(ValidatorTest, IntegerRejectsFraction) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kNumbers));
  auto violations = Check(R"({"count":3.5})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/count");
  EXPECT_EQ(violations[0].rule, "type");
  EXPECT_EQ(violations[0].message, "must be an integer, got a number");
  ExpectViolation(R"({"count":3.000001})", "/count", "type");
  ExpectViolation(R"({"count":true})", "/count", "type");
}

TEST_F(ValidatorTest, IntegerRangeAppliesBounds) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kNumbers));
  ExpectValid(R"({"level":1})");
  ExpectValid(R"({"level":10})");
  ExpectViolation(R"({"level":0})", "/level", "minimum");
  ExpectViolation(R"({"level":11})", "/level", "maximum");
  ExpectViolation(R"({"level":10.5})", "/level", "type");
}

constexpr std::string_view kEnums = R"(
version: v1
request:
  fields:
    - {name: color, type: string, enum: [red, green]}
    - {name: tier, type: integer, enum: [1, 2]}
    - {name: flag, type: boolean, enum: [true]}
)";

TEST_F(ValidatorTest, EnumAcceptsMembers) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kEnums));
  ExpectValid(R"({"color":"red"})");
  ExpectValid(R"({"color":"green"})");
  ExpectValid(R"({"tier":2})");
  ExpectValid(R"({"tier":2.0})");
  ExpectValid(R"({"flag":true})");
}

TEST_F(ValidatorTest, EnumRejectsOtherValues) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kEnums));
  auto violations = Check(R"({"color":"Red"})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/color");
  EXPECT_EQ(violations[0].rule, "enum");
  EXPECT_EQ(violations[0].message, R"(must be one of "red", "green")");
  ExpectViolation(R"({"tier":3})", "/tier", "enum");
  ExpectViolation(R"({"flag":false})", "/flag", "enum");
}

constexpr std::string_view kPatterns = R"(
version: v1
request:
  fields:
    - {name: slug, type: string, pattern: "^[a-z]+$"}
    - {name: part, type: string, pattern: "b"}
)";

TEST_F(ValidatorTest, PatternAcceptsMatch) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kPatterns));
  ExpectValid(R"({"slug":"abc"})");
  // Patterns are searched unanchored, as in JSON Schema.
  ExpectValid(R"({"part":"abc"})");
}

TEST_F(ValidatorTest, PatternRejectsMismatch) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kPatterns));
  auto violations = Check(R"({"slug":"abC"})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/slug");
  EXPECT_EQ(violations[0].rule, "pattern");
  EXPECT_EQ(violations[0].message, "must match the pattern ^[a-z]+$");
  ExpectViolation(R"({"slug":""})", "/slug", "pattern");
  ExpectViolation(R"({"part":"acd"})", "/part", "pattern");
}

constexpr std::string_view kFormats = R"(
version: v1
request:
  fields:
    - {name: currency, type: string, format: iso4217}
    - {name: at, type: string, format: date-time}
    - {name: day, type: string, format: date}
    - {name: id, type: string, format: uuid}
)";

TEST_F(ValidatorTest, Iso4217AcceptsCodes) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kFormats));
  ExpectValid(R"({"currency":"USD"})");
  ExpectValid(R"({"currency":"EUR"})");
  ExpectValid(R"({"currency":"AED"})");
  ExpectValid(R"({"currency":"ZWL"})");
}

TEST_F(ValidatorTest, Iso4217RejectsOthers) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kFormats));
  auto violations = Check(R"({"currency":"usd"})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/currency");
  EXPECT_EQ(violations[0].rule, "format");
  EXPECT_EQ(violations[0].message,
            "must be an ISO 4217 currency code in capitals, such as USD or EUR");
  ExpectViolation(R"({"currency":"XYZ"})", "/currency", "format");
  ExpectViolation(R"({"currency":"US"})", "/currency", "format");
  ExpectViolation(R"({"currency":"USDD"})", "/currency", "format");
}

TEST_F(ValidatorTest, DateTimeAcceptsLeapDay) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kFormats));
  ExpectValid(R"({"at":"2028-02-29T00:00:00Z"})");
  ExpectValid(R"({"at":"2000-02-29T00:00:00Z"})");
  ExpectValid(R"({"at":"2026-12-31T23:59:60Z"})");
  ExpectValid(R"({"at":"2026-01-31T12:00:00.125+05:30"})");
  ExpectValid(R"({"at":"2026-01-31t12:00:00-00:00"})");
}

TEST_F(ValidatorTest, DateTimeRejectsMissingLeapDay) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kFormats));
  ExpectViolation(R"({"at":"2026-02-29T00:00:00Z"})", "/at", "format");
  // 1900 is divisible by 100 but not by 400.
  ExpectViolation(R"({"at":"1900-02-29T00:00:00Z"})", "/at", "format");
}

TEST_F(ValidatorTest, DateTimeRejectsMalformed) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kFormats));
  ExpectViolation(R"({"at":"2026-01-31T24:00:00Z"})", "/at", "format");
  ExpectViolation(R"({"at":"2026-04-31T00:00:00Z"})", "/at", "format");
  ExpectViolation(R"({"at":"2026-13-01T00:00:00Z"})", "/at", "format");
  ExpectViolation(R"({"at":"2026-01-31T12:00:00"})", "/at", "format");
  ExpectViolation(R"({"at":"2026-01-31T12:00:00.Z"})", "/at", "format");
  ExpectViolation(R"({"at":"2026-01-31"})", "/at", "format");
}

TEST_F(ValidatorTest, DateChecksDayOfMonth) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kFormats));
  ExpectValid(R"({"day":"2028-02-29"})");
  ExpectValid(R"({"day":"2026-04-30"})");
  ExpectViolation(R"({"day":"2026-02-29"})", "/day", "format");
  ExpectViolation(R"({"day":"2026-04-31"})", "/day", "format");
  ExpectViolation(R"({"day":"2026-01-00"})", "/day", "format");
}

TEST_F(ValidatorTest, UuidAcceptsHexGroups) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kFormats));
  ExpectValid(R"({"id":"123e4567-e89b-12d3-a456-426614174000"})");
  ExpectValid(R"({"id":"123E4567-E89B-12D3-A456-426614174000"})");
}

TEST_F(ValidatorTest, UuidRejectsMalformed) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kFormats));
  ExpectViolation(R"({"id":"123e4567-e89b-12d3-a456-42661417400"})", "/id", "format");
  ExpectViolation(R"({"id":"123e4567-e89b-12d3-a456-4266141740000"})", "/id", "format");
  ExpectViolation(R"({"id":"g23e4567-e89b-12d3-a456-426614174000"})", "/id", "format");
  ExpectViolation(R"({"id":"123e4567e89b-12d3-a456-4266141740000"})", "/id", "format");
}

constexpr std::string_view kArrays = R"(
version: v1
request:
  fields:
    - name: texts
      type: array[string]
      required: true
      min_len: 1
      max_len: 3
      items: {max_len: 5}
)";

TEST_F(ValidatorTest, ArrayAcceptsItemCountBounds) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kArrays));
  ExpectValid(R"({"texts":["a"]})");
  ExpectValid(R"({"texts":["a","b","c"]})");
}

TEST_F(ValidatorTest, ArrayRejectsEmptyBelowMinItems) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kArrays));
  auto violations = Check(R"({"texts":[]})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/texts");
  EXPECT_EQ(violations[0].rule, "min_items");
  EXPECT_EQ(violations[0].message, "must have at least 1 items (inclusive), got 0");
}

TEST_F(ValidatorTest, ArrayRejectsAboveMaxItems) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kArrays));
  auto violations = Check(R"({"texts":["a","b","c","d"]})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/texts");
  EXPECT_EQ(violations[0].rule, "max_items");
  EXPECT_EQ(violations[0].message, "must have at most 3 items (inclusive), got 4");
}

TEST_F(ValidatorTest, ArrayRejectsWrongItemType) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kArrays));
  ExpectViolation(R"({"texts":["a",2]})", "/texts/1", "type");
  ExpectViolation(R"({"texts":"a"})", "/texts", "type");
}

TEST_F(ValidatorTest, PointsAtArrayItem) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(R"(
version: v1
request:
  fields:
    - {name: texts, type: "array[string]", required: true, items: {max_len: 5}}
)"));
  ExpectValid(R"({"texts":["a","bb","ccc","ddddd"]})");
  auto violations = Check(R"({"texts":["a","bb","ccc","dddddd","e"]})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/texts/3");
  EXPECT_EQ(violations[0].rule, "max_len");
}

TEST_F(ValidatorTest, PointsAtNestedArrayItem) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(R"(
version: v1
request:
  fields:
    - {name: vectors, type: "array[array[number]]", range: [-1, 1], items: {len: 2}}
)"));
  ExpectValid(R"({"vectors":[[0.5,-1],[1,0]]})");
  ExpectViolation(R"({"vectors":[[0.5,-1],[1,1.5]]})", "/vectors/1/1", "maximum");
  ExpectViolation(R"({"vectors":[[0.5,-1],[1]]})", "/vectors/1", "min_items");
}

constexpr std::string_view kObjects = R"(
version: v1
request:
  fields:
    - {name: text, type: string, required: true}
    - {name: note, type: string, nullable: true}
    - name: features
      type: object
      fields:
        - {name: hour_of_day, type: integer, range: [0, 23]}
        - {name: country, type: string, required: true}
    - {name: extra, type: object}
)";

TEST_F(ValidatorTest, PointsAtNestedMember) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  ExpectValid(R"({"text":"a","features":{"hour_of_day":23,"country":"FR"}})");
  auto violations = Check(R"({"text":"a","features":{"hour_of_day":24,"country":"FR"}})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/features/hour_of_day");
  EXPECT_EQ(violations[0].rule, "maximum");
}

TEST_F(ValidatorTest, RejectsMissingRequiredField) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  auto violations = Check(R"({"note":"n"})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/text");
  EXPECT_EQ(violations[0].rule, "required");
  EXPECT_EQ(violations[0].message, "missing required field \"text\"; add a string");
}

TEST_F(ValidatorTest, RejectsMissingRequiredNestedMember) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  ExpectViolation(R"({"text":"a","features":{"hour_of_day":1}})", "/features/country", "required");
}

TEST_F(ValidatorTest, RejectsNullForNonNullable) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  auto violations = Check(R"({"text":null})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/text");
  EXPECT_EQ(violations[0].rule, "type");
  EXPECT_EQ(violations[0].message, "must be a string, got null");
  ExpectViolation(R"({"text":"a","features":null})", "/features", "type");
}

TEST_F(ValidatorTest, AcceptsNullForNullable) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  ExpectValid(R"({"text":"a","note":null})");
}

TEST_F(ValidatorTest, RejectsUnknownField) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  auto violations = Check(R"({"text":"a","colour":"red"})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/colour");
  EXPECT_EQ(violations[0].rule, "unknown_field");
  EXPECT_EQ(violations[0].message,
            "unknown field \"colour\"; remove it (allowed here: text, note, features, extra)");
}

TEST_F(ValidatorTest, EscapesUnknownFieldPointer) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  ExpectViolation(R"({"text":"a","a/b~c":1})", "/a~1b~0c", "unknown_field");
}

TEST_F(ValidatorTest, RejectsUnknownNestedMember) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  ExpectViolation(R"({"text":"a","features":{"country":"FR","hour":3}})", "/features/hour",
                  "unknown_field");
}

TEST_F(ValidatorTest, AcceptsAnyMemberOfOpenObject) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  ExpectValid(R"({"text":"a","extra":{"anything":[1,{"x":null}]}})");
}

TEST_F(ValidatorTest, IgnoresUnknownFieldsByPolicy) {
  std::string yaml(kObjects);
  yaml += "  validation: {unknown_fields: ignore}\n";
  ASSERT_NO_FATAL_FAILURE(LoadRequest(yaml));
  ExpectValid(R"({"text":"a","colour":"red"})");
  ExpectValid(R"({"text":"a","features":{"country":"FR","hour":3}})");
  ExpectViolation(R"({"colour":"red"})", "/text", "required");
}

TEST_F(ValidatorTest, IgnoresUnknownFieldsByPolicyWord) {
  std::string yaml(kObjects);
  yaml += "  validation: [ignore_unknown_fields]\n";
  ASSERT_NO_FATAL_FAILURE(LoadRequest(yaml));
  ExpectValid(R"({"text":"a","colour":"red"})");
}

constexpr std::string_view kTrimmed = R"(
version: v1
request:
  fields:
    - {name: word, type: string, max_len: 3, pattern: "^[a-z]*$"}
  validation: {trim_whitespace: true}
)";

TEST_F(ValidatorTest, TrimWhitespaceCountsTrimmedText) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kTrimmed));
  ExpectValid(R"({"word":"  abc  "})");
  ExpectValid(R"({"word":"\tabc\r\n"})");
  ExpectValid(R"({"word":"   "})");
  auto violations = Check(R"({"word":"  abcd  "})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].rule, "max_len");
  EXPECT_EQ(violations[0].message, "must have at most 3 characters (inclusive), got 4");
}

TEST_F(ValidatorTest, TrimWhitespaceKeepsInnerSpace) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kTrimmed));
  ExpectViolation(R"({"word":" a b "})", "/word", "pattern");
}

TEST_F(ValidatorTest, CountsWhitespaceWithoutTrim) {
  std::string yaml(kTrimmed);
  yaml.replace(yaml.find("true"), 4, "false");
  ASSERT_NO_FATAL_FAILURE(LoadRequest(yaml));
  auto violations = Check(R"({"word":"  abc  "})");
  ASSERT_EQ(violations.size(), 2u) << Describe(violations);
  EXPECT_EQ(violations[0].rule, "max_len");
  EXPECT_EQ(violations[0].message, "must have at most 3 characters (inclusive), got 7");
  EXPECT_EQ(violations[1].rule, "pattern");
}

TEST_F(ValidatorTest, CollectsEveryViolation) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(R"(
version: v1
request:
  fields:
    - {name: text, type: string, required: true, max_len: 3}
    - {name: score, type: number, range: [0, 1]}
    - {name: currency, type: string, format: iso4217}
    - {name: tags, type: "array[string]", items: {enum: [a, b]}}
)"));
  auto violations = Check(R"({"text":"toolong","score":2,"currency":"usd","tags":["a","z"]})");
  ASSERT_EQ(violations.size(), 4u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/text");
  EXPECT_EQ(violations[0].rule, "max_len");
  EXPECT_EQ(violations[1].pointer, "/score");
  EXPECT_EQ(violations[1].rule, "maximum");
  EXPECT_EQ(violations[2].pointer, "/currency");
  EXPECT_EQ(violations[2].rule, "format");
  EXPECT_EQ(violations[3].pointer, "/tags/1");
  EXPECT_EQ(violations[3].rule, "enum");
}

TEST_F(ValidatorTest, AppendsToExistingViolations) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  std::vector<Violation> violations = {{"/earlier", "other", "kept"}};
  std::string text = R"({"text":"a"})";
  simdjson::dom::element root;
  json::ParseError error;
  ASSERT_TRUE(parser_.Parse(text, root, error)) << error.message;
  EXPECT_TRUE(validator_->Validate(root, violations));
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/earlier");
}

TEST_F(ValidatorTest, RejectsNonObjectDocument) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  auto violations = Check(R"(["text"])");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "");
  EXPECT_EQ(violations[0].rule, "type");
  EXPECT_EQ(violations[0].message, "the document must be a JSON object, got an array");
  ExpectViolation("null", "", "type");
  ExpectViolation(R"("text")", "", "type");
  ExpectViolation("42", "", "type");
}

constexpr std::string_view kLimits = R"(
version: v1
request:
  fields:
    - {name: texts, type: "array[string]", required: true}
    - {name: label, type: string}
  limits: {max_batch: 3, max_total_chars: 10}
)";

TEST_F(ValidatorTest, MaxBatchAcceptsLimit) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kLimits));
  EXPECT_EQ(validator_->rules().batch_field, "texts");
  ExpectValid(R"({"texts":["a","b","c"]})");
}

TEST_F(ValidatorTest, MaxBatchRejectsOneMore) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kLimits));
  auto violations = Check(R"({"texts":["a","b","c","d"]})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/texts");
  EXPECT_EQ(violations[0].rule, "max_batch");
  EXPECT_EQ(violations[0].message,
            "the batch has 4 items; the maximum batch size is 3 (inclusive): split it into "
            "several requests");
}

TEST_F(ValidatorTest, MaxBatchFromConstraints) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(R"(
version: v1
request:
  fields:
    - {name: users, type: "array[string]", required: true}
constraints:
  max_batch_users: 2
)"));
  ExpectValid(R"({"users":["a","b"]})");
  ExpectViolation(R"({"users":["a","b","c"]})", "/users", "max_batch");
}

TEST_F(ValidatorTest, MaxBatchOfNestedBatchField) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(R"(
version: v1
request:
  fields:
    - name: payload
      type: object
      required: true
      fields:
        - {name: items, type: "array[string]", required: true}
  batch_field: payload.items
  limits: {max_batch: 2}
)"));
  ExpectValid(R"({"payload":{"items":["a","b"]}})");
  ExpectViolation(R"({"payload":{"items":["a","b","c"]}})", "/payload/items", "max_batch");
}

TEST_F(ValidatorTest, MaxTotalCharsAcceptsLimit) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kLimits));
  ExpectValid(R"({"texts":["abcde","fghij"]})");
  ExpectValid(R"({"texts":["ab"],"label":"cdefghij"})");
  // Ten code points in twenty bytes.
  ExpectValid(R"({"texts":["ééééé","ééééé"]})");
}

TEST_F(ValidatorTest, MaxTotalCharsRejectsOneMore) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kLimits));
  auto violations = Check(R"({"texts":["abcde","fghijk"]})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "");
  EXPECT_EQ(violations[0].rule, "max_total_chars");
  EXPECT_EQ(violations[0].message,
            "the strings of the document have 11 characters in all; the maximum is 10 "
            "(inclusive)");
  ExpectViolation(R"({"texts":["ab"],"label":"cdefghijk"})", "", "max_total_chars");
  ExpectViolation(R"({"texts":["ééééé","éééééé"]})", "", "max_total_chars");
}

TEST_F(ValidatorTest, ReportsBothLimits) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kLimits));
  auto violations = Check(R"({"texts":["abc","def","ghi","jkl"]})");
  ASSERT_EQ(violations.size(), 2u) << Describe(violations);
  EXPECT_EQ(violations[0].rule, "max_batch");
  EXPECT_EQ(violations[1].rule, "max_total_chars");
}

TEST_F(ValidatorTest, RequestRulesCopyContract) {
  auto contract = contract::LoadContractText(std::string(kLimits), "test.yaml");
  ASSERT_TRUE(contract.ok()) << contract.status();
  Rules rules = RequestRules(*contract);
  EXPECT_EQ(rules.fields.size(), 2u);
  EXPECT_EQ(rules.limits.max_batch, 3u);
  EXPECT_EQ(rules.limits.max_total_chars, 10u);
  EXPECT_EQ(rules.batch_field, "texts");
  EXPECT_EQ(rules.policy.unknown_fields, contract::UnknownFieldPolicy::kReject);
  EXPECT_TRUE(rules.ordering.empty());
}

constexpr std::string_view kRanked = R"(
version: v1
request:
  fields:
    - {name: text, type: string}
response:
  fields:
    - {name: "results[].id", type: string, required: true}
    - {name: "results[].score", type: number, required: true}
  ordering: results sorted by score desc
)";

TEST_F(ValidatorTest, ResponseRulesReadOrdering) {
  auto contract = contract::LoadContractText(std::string(kRanked), "test.yaml");
  ASSERT_TRUE(contract.ok()) << contract.status();
  Rules rules = ResponseRules(*contract);
  ASSERT_EQ(rules.ordering.size(), 1u);
  EXPECT_EQ(rules.ordering[0].list, "results");
  EXPECT_EQ(rules.ordering[0].by, "score");
  EXPECT_TRUE(rules.ordering[0].descending);
  EXPECT_EQ(rules.policy.unknown_fields, contract::UnknownFieldPolicy::kIgnore);
  EXPECT_FALSE(rules.limits.max_batch.has_value());
}

TEST_F(ValidatorTest, OrderingAcceptsSortedList) {
  ASSERT_NO_FATAL_FAILURE(LoadResponse(kRanked));
  ExpectValid(R"({"results":[{"id":"a","score":0.9},{"id":"b","score":0.5},)"
              R"({"id":"c","score":0.5},{"id":"d","score":0.1}]})");
  ExpectValid(R"({"results":[]})");
  ExpectValid(R"({"results":[{"id":"a","score":1}]})");
  // Integers and doubles compare as numbers.
  ExpectValid(R"({"results":[{"id":"a","score":3},{"id":"b","score":2.5},{"id":"c","score":2}]})");
}

TEST_F(ValidatorTest, OrderingRejectsUnsortedList) {
  ASSERT_NO_FATAL_FAILURE(LoadResponse(kRanked));
  auto violations = Check(R"({"results":[{"id":"a","score":0.9},{"id":"b","score":0.5},)"
                          R"({"id":"c","score":0.7}]})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/results/2");
  EXPECT_EQ(violations[0].rule, "ordering");
  EXPECT_EQ(violations[0].message,
            "the list must be sorted by score in descending order; this item breaks it");
  ExpectViolation(R"({"results":[{"id":"a","score":2},{"id":"b","score":2.5}]})", "/results/1",
                  "ordering");
}

TEST_F(ValidatorTest, OrderingAscending) {
  std::string yaml(kRanked);
  yaml.replace(yaml.find("desc"), 4, "asc");
  ASSERT_NO_FATAL_FAILURE(LoadResponse(yaml));
  ExpectValid(
      R"({"results":[{"id":"a","score":0.1},{"id":"b","score":0.1},{"id":"c","score":1}]})");
  ExpectViolation(R"({"results":[{"id":"a","score":0.5},{"id":"b","score":0.4}]})", "/results/1",
                  "ordering");
}

TEST_F(ValidatorTest, ResponseIgnoresUnknownMembers) {
  ASSERT_NO_FATAL_FAILURE(LoadResponse(kRanked));
  ExpectValid(R"({"results":[{"id":"a","score":1,"debug":true}],"model_version":"3"})");
}

TEST_F(ValidatorTest, ResponseChecksItemMembers) {
  ASSERT_NO_FATAL_FAILURE(LoadResponse(kRanked));
  ExpectViolation(R"({"results":[{"id":"a","score":1},{"score":0.5}]})", "/results/1/id",
                  "required");
  ExpectViolation(R"({"results":[{"id":"a","score":"high"}]})", "/results/0/score", "type");
}

constexpr std::string_view kNestedRanked = R"(
version: v1
request:
  fields:
    - {name: user_ids, type: "array[string]", required: true}
response:
  fields:
    - {name: "results[].user_id", type: string, required: true}
    - {name: "results[].ranked[].item_id", type: string, required: true}
    - {name: "results[].ranked[].score", type: number, required: true}
  ordering: Each ranked list is sorted by score desc.
)";

TEST_F(ValidatorTest, NestedOrderingAcceptsSortedLists) {
  ASSERT_NO_FATAL_FAILURE(LoadResponse(kNestedRanked));
  ASSERT_EQ(validator_->rules().ordering.size(), 1u);
  EXPECT_EQ(validator_->rules().ordering[0].list, "results[].ranked");
  ExpectValid(
      R"({"results":[)"
      R"({"user_id":"u1","ranked":[{"item_id":"a","score":0.9},{"item_id":"b","score":0.2}]},)"
      R"({"user_id":"u2","ranked":[{"item_id":"c","score":0.8},{"item_id":"d","score":0.8}]},)"
      R"({"user_id":"u3","ranked":[]}]})");
}

TEST_F(ValidatorTest, NestedOrderingRejectsUnsortedList) {
  ASSERT_NO_FATAL_FAILURE(LoadResponse(kNestedRanked));
  auto violations = Check(
      R"({"results":[)"
      R"({"user_id":"u1","ranked":[{"item_id":"a","score":0.9},{"item_id":"b","score":0.2}]},)"
      R"({"user_id":"u2","ranked":[{"item_id":"c","score":0.8},{"item_id":"d","score":0.7},)"
      R"({"item_id":"e","score":0.75}]}]})");
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/results/1/ranked/2");
  EXPECT_EQ(violations[0].rule, "ordering");
}

TEST_F(ValidatorTest, NestedOrderingReportsEachList) {
  ASSERT_NO_FATAL_FAILURE(LoadResponse(kNestedRanked));
  auto violations = Check(
      R"({"results":[)"
      R"({"user_id":"u1","ranked":[{"item_id":"a","score":0.1},{"item_id":"b","score":0.2}]},)"
      R"({"user_id":"u2","ranked":[{"item_id":"c","score":0.1},{"item_id":"d","score":0.2}]}]})");
  ASSERT_EQ(violations.size(), 2u) << Describe(violations);
  EXPECT_EQ(violations[0].pointer, "/results/0/ranked/1");
  EXPECT_EQ(violations[1].pointer, "/results/1/ranked/1");
}

TEST_F(ValidatorTest, ValidatorSurvivesMove) {
  ASSERT_NO_FATAL_FAILURE(LoadRequest(kObjects));
  Validator moved = std::move(*validator_);
  validator_.reset();
  validator_.emplace(std::move(moved));
  ExpectViolation(R"({"text":"a","features":{"hour_of_day":-1,"country":"FR"}})",
                  "/features/hour_of_day", "minimum");
}

}  // namespace
}  // namespace modelgate::schema
