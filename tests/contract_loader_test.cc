#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "contract/fields.h"
#include "contract/loader.h"

namespace modelgate::contract {
namespace {

absl::StatusOr<Contract> Load(std::string_view text) {
  return LoadContractText(std::string(text), "test.yaml");
}

// Returns the loader's error message, empty when the contract loaded.
std::string Message(const absl::StatusOr<Contract>& contract) {
  return std::string(contract.status().message());
}

// Succeeds when `text` contains `part`, and otherwise prints both.
testing::AssertionResult Contains(std::string_view text, std::string_view part) {
  if (text.find(part) != std::string_view::npos) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "\"" << part << "\" not found in:\n" << text;
}

// Counts the lines of a loader error message, one per problem.
std::size_t LineCount(std::string_view message) {
  std::size_t count = 0;
  for (char c : message) count += c == '\n';
  return count;
}

// The smallest contract the loader accepts, to which tests append sections.
constexpr std::string_view kMinimal =
    "version: v1\n"
    "request:\n"
    "  fields:\n"
    "    - {name: text, type: string, required: true}\n";

TEST(LoadContract, ReadsSchemaFields) {
  auto contract = Load(R"(
version: v1
request:
  schema:
    fields:
      - {name: text, type: string, required: true}
      - {name: lang, type: string}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  ASSERT_EQ(contract->request.fields.size(), 2u);
  EXPECT_EQ(contract->request.fields[0].name, "text");
  EXPECT_TRUE(contract->request.fields[0].required);
  EXPECT_EQ(contract->request.fields[1].name, "lang");
  EXPECT_FALSE(contract->request.fields[1].required);
}

TEST(LoadContract, ReadsDirectFields) {
  auto contract = Load(kMinimal);
  ASSERT_TRUE(contract.ok()) << contract.status();
  ASSERT_EQ(contract->request.fields.size(), 1u);
  EXPECT_EQ(contract->request.fields[0].name, "text");
  EXPECT_EQ(contract->request.fields[0].type, FieldType::kString);
  EXPECT_TRUE(contract->request.fields[0].required);
}

TEST(LoadContract, ReadsMappingStyleFields) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    amount: {type: number, required: true}
    currency: string
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  ASSERT_EQ(contract->request.fields.size(), 2u);
  EXPECT_EQ(contract->request.fields[0].name, "amount");
  EXPECT_EQ(contract->request.fields[0].type, FieldType::kNumber);
  EXPECT_TRUE(contract->request.fields[0].required);
  EXPECT_EQ(contract->request.fields[1].name, "currency");
  EXPECT_EQ(contract->request.fields[1].type, FieldType::kString);
  EXPECT_FALSE(contract->request.fields[1].required);
}

TEST(LoadContract, RejectsFieldsInBothPlaces) {
  auto contract = Load(R"(
version: v1
request:
  schema:
    fields:
      - {name: a, type: string}
  fields:
    - {name: b, type: string}
)");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:8:5: request.fields: fields are declared both here and under "
                       "schema; keep one"));
}

TEST(LoadContract, ReadsEveryType) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: s, type: string}
    - {name: n, type: number}
    - {name: i, type: integer}
    - {name: b, type: boolean}
    - {name: o, type: object}
    - {name: a, type: "array[string]"}
    - {name: m, type: "array[array[number]]"}
    - {name: f, type: float}
    - {name: k, type: int}
    - {name: t, type: bool}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& fields = contract->request.fields;
  ASSERT_EQ(fields.size(), 10u);
  EXPECT_EQ(fields[0].type, FieldType::kString);
  EXPECT_EQ(fields[1].type, FieldType::kNumber);
  EXPECT_EQ(fields[2].type, FieldType::kInteger);
  EXPECT_EQ(fields[3].type, FieldType::kBoolean);
  EXPECT_EQ(fields[4].type, FieldType::kObject);
  EXPECT_EQ(fields[5].type, FieldType::kArray);
  ASSERT_NE(fields[5].items, nullptr);
  EXPECT_EQ(fields[5].items->type, FieldType::kString);
  EXPECT_EQ(fields[6].type, FieldType::kArray);
  ASSERT_NE(fields[6].items, nullptr);
  EXPECT_EQ(fields[6].items->type, FieldType::kArray);
  ASSERT_NE(fields[6].items->items, nullptr);
  EXPECT_EQ(fields[6].items->items->type, FieldType::kNumber);
  EXPECT_EQ(fields[6].items->items->items, nullptr);
  EXPECT_EQ(fields[7].type, FieldType::kNumber);
  EXPECT_EQ(fields[8].type, FieldType::kInteger);
  EXPECT_EQ(fields[9].type, FieldType::kBoolean);
}

TEST(LoadContract, RejectsUnknownType) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: when, type: timestamp}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(
      Contains(Message(contract),
               "test.yaml:4:26: request.fields[0].type: unknown type \"timestamp\"; allowed: "
               "string, number, integer, boolean, object, array[T], array[array[T]]"));
}

TEST(LoadContract, ReadsRangeList) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: score, type: number, range: [-1.5, 100]}
    - {name: floor, type: integer, range: [0, null]}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& score = contract->request.fields[0];
  EXPECT_EQ(score.minimum, -1.5);
  EXPECT_EQ(score.maximum, 100.0);
  const auto& floor = contract->request.fields[1];
  EXPECT_EQ(floor.minimum, 0.0);
  EXPECT_FALSE(floor.maximum.has_value());
}

TEST(LoadContract, ReadsRangeText) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: p, type: number, range: "0..1"}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->request.fields[0].minimum, 0.0);
  EXPECT_EQ(contract->request.fields[0].maximum, 1.0);
}

TEST(LoadContract, LocatesRangeTextBoundError) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: x, type: number, range: \"a..b\"}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:4:38: request.fields[0].range: expected a finite number, got "
                       "\"a\""));
}

TEST(LoadContract, RejectsRangeTextThatIsNotYaml) {
  absl::StatusOr<Contract> contract;
  ASSERT_NO_THROW(contract = Load("version: v1\n"
                                  "request:\n"
                                  "  fields:\n"
                                  "    - {name: x, type: number, range: \"{..}\"}\n"));
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract), "test.yaml:4:38: request.fields[0].range: "));
}

TEST(LoadContract, AppliesRangeToInnermostItems) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: vectors, type: "array[array[number]]", range: [-1, 1]}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& vectors = contract->request.fields[0];
  EXPECT_FALSE(vectors.minimum.has_value());
  const auto& inner = *vectors.items->items;
  EXPECT_EQ(inner.minimum, -1.0);
  EXPECT_EQ(inner.maximum, 1.0);
}

TEST(LoadContract, ReadsLengths) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: text, type: string, min_len: 1, max_len: 64}
    - {name: code, type: string, len: 3}
    - {name: texts, type: "array[string]", max_len: 32, items: {max_len: 8}}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& fields = contract->request.fields;
  EXPECT_EQ(fields[0].min_len, 1u);
  EXPECT_EQ(fields[0].max_len, 64u);
  EXPECT_EQ(fields[1].min_len, 3u);
  EXPECT_EQ(fields[1].max_len, 3u);
  EXPECT_EQ(fields[2].max_len, 32u);
  ASSERT_NE(fields[2].items, nullptr);
  EXPECT_EQ(fields[2].items->type, FieldType::kString);
  EXPECT_EQ(fields[2].items->max_len, 8u);
}

TEST(LoadContract, RejectsMinLenAboveMaxLen) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: text, type: string, min_len: 5, max_len: 4}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:4:7: request.fields[0]: min_len is greater than max_len"));
}

TEST(LoadContract, RejectsMaxLenOnNumber) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: n, type: number, max_len: 4}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "min_len and max_len apply to strings (characters) and arrays (items)"));
}

TEST(LoadContract, ReadsEnum) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: color, type: string, enum: [red, green, "1"]}
    - {name: level, type: integer, enum: [1, 2, 3]}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& colors = contract->request.fields[0].enum_values;
  ASSERT_EQ(colors.size(), 3u);
  EXPECT_EQ(std::get<std::string>(colors[0]), "red");
  EXPECT_EQ(std::get<std::string>(colors[1]), "green");
  EXPECT_EQ(std::get<std::string>(colors[2]), "1");
  const auto& levels = contract->request.fields[1].enum_values;
  ASSERT_EQ(levels.size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>(levels[2]), 3);
}

TEST(LoadContract, RejectsEnumValueOfOtherType) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: color, type: string, enum: [red, 1]}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:4:47: request.fields[0].enum[1]: enum value \"1\" is not a "
                       "string; quote numbers meant as strings"));
}

TEST(LoadContract, RejectsEmptyEnum) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: color, type: string, enum: []}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "request.fields[0].enum: expected a non-empty list of allowed values"));
}

TEST(LoadContract, ReadsPattern) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: id, type: string, pattern: "^[a-z]+$"}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->request.fields[0].pattern, "^[a-z]+$");
}

TEST(LoadContract, RejectsInvalidPattern) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - name: id\n"
      "      type: string\n"
      "      pattern: \"a(b\"\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:6:16: request.fields[0].pattern: invalid regular expression "
                       "(RE2 syntax): "));
}

TEST(LoadContract, RejectsPatternOnNumber) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: n, type: number, pattern: \"^1$\"}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract), "pattern and format apply to strings"));
}

TEST(LoadContract, ReadsFormats) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: currency, type: string, format: iso4217}
    - {name: at, type: string, format: date-time}
    - {name: id, type: string, format: uuid}
    - {name: legacy, type: string, format: ISO 4217}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& fields = contract->request.fields;
  EXPECT_EQ(fields[0].format, "iso4217");
  EXPECT_EQ(fields[1].format, "date-time");
  EXPECT_EQ(fields[2].format, "uuid");
  EXPECT_EQ(fields[3].format, "iso4217");
}

TEST(LoadContract, RejectsUnknownFormat) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - name: amount\n"
      "      type: string\n"
      "      format: money\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:6:15: request.fields[0].format: unknown format \"money\"; "
                       "allowed: date, date-time, email, hostname, ipv4, ipv6, iso4217, time, "
                       "uri, uuid"));
}

TEST(LoadContract, ReadsDefaultAndDescription) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: top_k, type: integer, default: 10, desc: "How many results to return"}
    - {name: mode, type: string, default: fast, description: Speed mode}
    - {name: code, type: string, default: "10"}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& fields = contract->request.fields;
  EXPECT_EQ(fields[0].default_json, "10");
  EXPECT_EQ(fields[0].description, "How many results to return");
  EXPECT_EQ(fields[1].default_json, "\"fast\"");
  EXPECT_EQ(fields[1].description, "Speed mode");
  EXPECT_EQ(fields[2].default_json, "\"10\"");
}

TEST(LoadContract, RejectsDefaultOnRequiredField) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: k, type: integer, required: true, default: 3}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:4:7: request.fields[0]: a required field cannot have a default"));
}

TEST(LoadContract, ReadsNestedFields) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - name: features
      type: object
      fields:
        - {name: hour_of_day, type: integer, range: [0, 23]}
        - name: geo
          type: object
          fields:
            - {name: country, type: string, len: 2}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& features = contract->request.fields[0];
  EXPECT_EQ(features.type, FieldType::kObject);
  ASSERT_EQ(features.fields.size(), 2u);
  EXPECT_EQ(features.fields[0].name, "hour_of_day");
  EXPECT_EQ(features.fields[0].maximum, 23.0);
  const auto& geo = features.fields[1];
  ASSERT_EQ(geo.fields.size(), 1u);
  EXPECT_EQ(geo.fields[0].name, "country");
  EXPECT_EQ(geo.fields[0].max_len, 2u);
  EXPECT_NE(FindField(contract->request.fields, "features.geo.country"), nullptr);
}

TEST(LoadContract, RejectsFieldsOnString) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - name: text\n"
      "      type: string\n"
      "      fields: [{name: x, type: string}]\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(
      Contains(Message(contract), "request.fields[0].fields: fields applies to objects only"));
}

TEST(LoadContract, RejectsFieldDeclaredTwice) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: text, type: string}\n"
      "    - {name: text, type: string}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:5:7: request.fields[1]: field \"text\" is declared twice"));
}

TEST(LoadContract, BuildsItemsFromFlattenedPaths) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: user_ids, type: "array[string]", required: true}
response:
  fields:
    - name: results[].ranked[].score
      type: number
      required: true
      range: [0, 1]
    - {name: "results[].ranked[].item_id", type: string, required: true}
    - {name: "results[].user_id", type: string}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& fields = contract->response.fields;
  ASSERT_EQ(fields.size(), 1u);
  const Field& results = fields[0];
  EXPECT_EQ(results.name, "results");
  EXPECT_EQ(results.type, FieldType::kArray);
  EXPECT_FALSE(results.required);
  ASSERT_NE(results.items, nullptr);
  EXPECT_EQ(results.items->type, FieldType::kObject);
  ASSERT_EQ(results.items->fields.size(), 2u);
  const Field& ranked = results.items->fields[0];
  EXPECT_EQ(ranked.name, "ranked");
  EXPECT_EQ(ranked.type, FieldType::kArray);
  ASSERT_NE(ranked.items, nullptr);
  EXPECT_EQ(ranked.items->type, FieldType::kObject);
  ASSERT_EQ(ranked.items->fields.size(), 2u);
  EXPECT_EQ(ranked.items->fields[0].name, "score");
  EXPECT_EQ(ranked.items->fields[0].type, FieldType::kNumber);
  EXPECT_TRUE(ranked.items->fields[0].required);
  EXPECT_EQ(ranked.items->fields[0].maximum, 1.0);
  EXPECT_EQ(ranked.items->fields[1].name, "item_id");
  EXPECT_EQ(results.items->fields[1].name, "user_id");

  const Field* score = FindField(fields, "results[].ranked[].score");
  ASSERT_NE(score, nullptr);
  EXPECT_EQ(score->type, FieldType::kNumber);
  const Field* list = FindField(fields, "results[].ranked");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->type, FieldType::kArray);
  EXPECT_EQ(FindField(fields, "results[].missing"), nullptr);
}

TEST(LoadContract, AddsFlattenedPathToDeclaredParent) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: text, type: string}
response:
  fields:
    - {name: results, type: "array[object]", required: true}
    - {name: "results[].score", type: number}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& fields = contract->response.fields;
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_TRUE(fields[0].required);
  ASSERT_EQ(fields[0].items->fields.size(), 1u);
  EXPECT_EQ(fields[0].items->fields[0].name, "score");
}

TEST(LoadContract, RejectsFlattenedPathUnderScalar) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: text, type: string}\n"
      "    - {name: \"text[].x\", type: string}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "request.fields[1]: \"text[]\" needs text to be an array of objects"));
}

TEST(LoadContract, ReadsMajorVersion) {
  auto contract = Load(kMinimal);
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->version, "v1");
  EXPECT_EQ(contract->major, 1);
  EXPECT_EQ(contract->minor, 0);
  EXPECT_EQ(contract->patch, 0);
}

TEST(LoadContract, ReadsMinorVersion) {
  std::string text(kMinimal);
  text.replace(text.find("v1"), 2, "v1.2");
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->major, 1);
  EXPECT_EQ(contract->minor, 2);
  EXPECT_EQ(contract->patch, 0);
}

TEST(LoadContract, ReadsSemanticVersion) {
  std::string text(kMinimal);
  text.replace(text.find("v1"), 2, "1.2.0");
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->version, "1.2.0");
  EXPECT_EQ(contract->major, 1);
  EXPECT_EQ(contract->minor, 2);
  EXPECT_EQ(contract->patch, 0);
}

TEST(LoadContract, ReadsFullVersion) {
  std::string text(kMinimal);
  text.replace(text.find("v1"), 2, "V3.10.7");
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->major, 3);
  EXPECT_EQ(contract->minor, 10);
  EXPECT_EQ(contract->patch, 7);
}

TEST(LoadContract, RejectsInvalidVersion) {
  std::string text(kMinimal);
  text.replace(text.find("v1"), 2, "first");
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:1:10: version: invalid version \"first\"; write v1, v1.2 or "
                       "1.2.0"));
}

TEST(LoadContract, RejectsVersionBeyondInt) {
  std::string text(kMinimal);
  text.replace(text.find("v1"), 2, "v99999999999");
  absl::StatusOr<Contract> contract;
  ASSERT_NO_THROW(contract = Load(text));
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(
      Contains(Message(contract), "test.yaml:1:10: version: invalid version \"v99999999999\""));
}

TEST(LoadContract, RejectsMissingVersion) {
  auto contract = Load(
      "request:\n"
      "  fields:\n"
      "    - {name: text, type: string}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:1:1: version: missing key \"version\"; write v1, v1.2 or 1.2.0"));
}

TEST(LoadContract, RejectsMissingRequest) {
  auto contract = Load("version: v1\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(
      Contains(Message(contract), "request: missing section \"request\" with the request fields"));
}

TEST(LoadContract, RejectsNonMappingDocument) {
  auto contract = Load("- a\n- b\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:1:1: a contract is a mapping with purpose, version, request, "
                       "response"));
}

TEST(LoadContract, RejectsInvalidYaml) {
  auto contract = Load("version: v1\nrequest: {fields: [\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract), "test.yaml:"));
  EXPECT_TRUE(Contains(Message(contract), "invalid YAML or JSON: "));
}

TEST(LoadContract, BuildsRouteFromOperation) {
  std::string text(kMinimal);
  text += "endpoint:\n  operation: score\n";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->endpoint.operation, "score");
  EXPECT_EQ(contract->RoutePath(), "/v1/score");
}

TEST(LoadContract, BuildsRouteFromTopLevelOperation) {
  std::string text(kMinimal);
  text.replace(text.find("v1"), 2, "v2.1");
  text += "operation: rank\n";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->RoutePath(), "/v2/rank");
}

TEST(LoadContract, DefaultsRouteToPredict) {
  auto contract = Load(kMinimal);
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->RoutePath(), "/v1/predict");
}

TEST(LoadContract, UsesEndpointPath) {
  std::string text(kMinimal);
  text += "endpoint: /models/fraud/score\n";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->RoutePath(), "/models/fraud/score");
}

TEST(LoadContract, RejectsEndpointWithMethod) {
  std::string text(kMinimal);
  text += "endpoint: POST /v1/score\n";
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(
      Contains(Message(contract), "test.yaml:5:11: endpoint: endpoint path must start with '/'"));
}

TEST(LoadContract, RejectsMethodOtherThanPost) {
  std::string text(kMinimal);
  text += "endpoint: {path: /v1/score, method: GET}\n";
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract), "endpoint.method: only POST operations are supported"));
}

TEST(LoadContract, ReadsPerBatchLatency) {
  std::string text(kMinimal);
  text += "constraints:\n  latency_ms:\n    p95: {batch1: 150, batch20: 350}\n";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& p95 = contract->constraints.latency.p95;
  EXPECT_FALSE(p95.overall_ms.has_value());
  ASSERT_EQ(p95.per_batch_ms.size(), 2u);
  EXPECT_EQ(p95.per_batch_ms.at(1), 150.0);
  EXPECT_EQ(p95.per_batch_ms.at(20), 350.0);
  EXPECT_TRUE(contract->constraints.latency.p50.empty());
}

TEST(LoadContract, ReadsPlainLatency) {
  std::string text(kMinimal);
  text += "constraints:\n  latency_ms_p99: 200\n  latency_p50: 40ms\n";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& latency = contract->constraints.latency;
  EXPECT_EQ(latency.p99.overall_ms, 200.0);
  EXPECT_TRUE(latency.p99.per_batch_ms.empty());
  EXPECT_EQ(latency.p50.overall_ms, 40.0);
}

TEST(LoadContract, RejectsUnknownBatchKey) {
  std::string text(kMinimal);
  text += "constraints:\n  latency_ms:\n    p95: {large: 150}\n";
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:7:11: constraints.latency_ms.p95.large: expected a batch size "
                       "key such as batch1, batch16 or batch32"));
}

TEST(LoadContract, RejectsBatchKeyBeyondSizeT) {
  std::string text(kMinimal);
  text += "constraints:\n  latency_ms:\n    p95: {batch99999999999999999999999: 150}\n";
  absl::StatusOr<Contract> contract;
  ASSERT_NO_THROW(contract = Load(text));
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(
      Contains(Message(contract),
               "test.yaml:7:11: constraints.latency_ms.p95.batch99999999999999999999999: "));
}

TEST(LoadContract, ReadsErrorList) {
  std::string text(kMinimal);
  text += R"(errors:
  - {code: FEATURES_UNAVAILABLE, status: 503, retryable: true, backoff: exponential,
     max_retries: 3, initial_backoff_ms: 100, description: Feature store is down}
  - {code: BAD_TENANT, status: 403, retryable: false}
)";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  const ErrorSpec* features = contract->FindError("FEATURES_UNAVAILABLE");
  ASSERT_NE(features, nullptr);
  EXPECT_EQ(features->status, 503);
  EXPECT_TRUE(features->retryable);
  EXPECT_TRUE(features->retryable_declared);
  EXPECT_EQ(features->backoff, Backoff::kExponential);
  EXPECT_EQ(features->max_retries, 3);
  EXPECT_EQ(features->initial_backoff, std::chrono::milliseconds(100));
  EXPECT_EQ(features->description, "Feature store is down");
  EXPECT_EQ(features->where.line, 6);
  const ErrorSpec* tenant = contract->FindError("BAD_TENANT");
  ASSERT_NE(tenant, nullptr);
  EXPECT_EQ(tenant->status, 403);
  EXPECT_FALSE(tenant->retryable);
  EXPECT_EQ(tenant->backoff, Backoff::kNone);
}

TEST(LoadContract, ReadsErrorMapping) {
  std::string text(kMinimal);
  text += "errors:\n  TIMEOUT: {backoff: fixed}\n  QUOTA: {status: 402}\n";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  const ErrorSpec* timeout = contract->FindError("TIMEOUT");
  ASSERT_NE(timeout, nullptr);
  EXPECT_EQ(timeout->status, 504);
  EXPECT_TRUE(timeout->retryable);
  EXPECT_FALSE(timeout->retryable_declared);
  EXPECT_EQ(timeout->backoff, Backoff::kFixed);
  ASSERT_NE(contract->FindError("QUOTA"), nullptr);
  EXPECT_EQ(contract->FindError("QUOTA")->status, 402);
}

TEST(LoadContract, MergesStandardErrors) {
  auto contract = Load(kMinimal);
  ASSERT_TRUE(contract.ok()) << contract.status();
  const ErrorSpec* rate_limit = contract->FindError("RATE_LIMIT");
  ASSERT_NE(rate_limit, nullptr);
  EXPECT_EQ(rate_limit->status, 429);
  EXPECT_TRUE(rate_limit->retryable);
  EXPECT_TRUE(rate_limit->retry_after);
  EXPECT_EQ(rate_limit->backoff, Backoff::kFixed);
  ASSERT_NE(contract->FindError("INVALID_INPUT"), nullptr);
  EXPECT_EQ(contract->FindError("INVALID_INPUT")->status, 400);
  ASSERT_NE(contract->FindError("TIMEOUT"), nullptr);
  EXPECT_EQ(contract->FindError("TIMEOUT")->status, 504);
  EXPECT_EQ(contract->FindError("NO_SUCH_CODE"), nullptr);
}

TEST(LoadContract, OverridesStandardErrorOnce) {
  std::string text(kMinimal);
  text += "errors:\n  - {code: RATE_LIMIT, status: 429, description: Slow down}\n";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  int count = 0;
  for (const auto& error : contract->errors) count += error.code == "RATE_LIMIT";
  EXPECT_EQ(count, 1);
  const ErrorSpec* rate_limit = contract->FindError("RATE_LIMIT");
  ASSERT_NE(rate_limit, nullptr);
  EXPECT_EQ(rate_limit->status, 429);
  EXPECT_EQ(rate_limit->description, "Slow down");
  EXPECT_TRUE(rate_limit->retry_after);
}

TEST(LoadContract, RejectsMovedStandardCode) {
  std::string text(kMinimal);
  text += "errors:\n  - {code: RATE_LIMIT, status: 503}\n";
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:6:5: errors[0]: RATE_LIMIT is a standard code with status 429; "
                       "declare a new code for another status"));
}

TEST(LoadContract, RejectsNewCodeWithoutStatus) {
  std::string text(kMinimal);
  text += "errors:\n  - {code: CUSTOM_ERR, retryable: true}\n";
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "errors[0]: error CUSTOM_ERR is not a standard code; declare its status"));
}

TEST(LoadContract, RejectsStatusOutsideErrorRange) {
  std::string text(kMinimal);
  text += "errors:\n  - {code: ALMOST_OK, status: 399}\n  - {code: TOO_HIGH, status: 600}\n";
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(
      Contains(Message(contract), "errors[0]: status must be an HTTP error status (400-599)"));
  EXPECT_TRUE(
      Contains(Message(contract), "errors[1]: status must be an HTTP error status (400-599)"));
}

TEST(LoadContract, AcceptsStatusAtErrorRangeBounds) {
  std::string text(kMinimal);
  text += "errors:\n  - {code: LOW, status: 400}\n  - {code: HIGH, status: 599}\n";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->FindError("LOW")->status, 400);
  EXPECT_EQ(contract->FindError("HIGH")->status, 599);
}

TEST(LoadContract, RejectsUnknownBackoff) {
  std::string text(kMinimal);
  text += "errors:\n  - {code: TIMEOUT, backoff: linear}\n";
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(
      Contains(Message(contract), "errors[0].backoff: expected exponential, fixed or none"));
}

TEST(LoadContract, RejectsUnknownKeyWithSuggestion) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - name: text\n"
      "      type: string\n"
      "      max_lenn: 5\n");
  ASSERT_FALSE(contract.ok());
  const std::string message = Message(contract);
  EXPECT_TRUE(Contains(message,
                       "test.yaml:6:7: request.fields[0].max_lenn: unknown key \"max_lenn\"; did "
                       "you mean \"max_len\"?"));
  EXPECT_TRUE(Contains(message, " Allowed here: allowed, default, desc, description, enum,"));
  EXPECT_EQ(LineCount(message), 1u) << message;
}

TEST(LoadContract, SuggestsNearestAlias) {
  // "max_length" is two edits away from "max_lenght" and "max_len" three, so the alias wins.
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - name: text\n"
      "      type: string\n"
      "      max_lenght: 5\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:6:7: request.fields[0].max_lenght: unknown key \"max_lenght\"; "
                       "did you mean \"max_length\"?"));
}

TEST(LoadContract, RejectsUnknownTopLevelKey) {
  std::string text(kMinimal);
  text += "respons:\n  fields: []\n";
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:5:1: respons: unknown key \"respons\"; did you mean "
                       "\"response\"?"));
}

TEST(LoadContract, OmitsSuggestionForDistantKey) {
  std::string text(kMinimal);
  text += "zzzzzz: 1\n";
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  const std::string message = Message(contract);
  EXPECT_TRUE(Contains(message, "test.yaml:5:1: zzzzzz: unknown key \"zzzzzz\" Allowed here: "));
  EXPECT_FALSE(Contains(message, "did you mean"));
}

TEST(LoadContract, RejectsRangeOfWrongType) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - name: amount\n"
      "      type: number\n"
      "      range: \"big\"\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:6:14: request.fields[0].range: expected [low, high] or "
                       "\"low..high\" (both inclusive)"));
}

TEST(LoadContract, RejectsRangeBoundOfWrongType) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: amount, type: number, range: [0, lots]}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:4:47: request.fields[0].range[1]: expected a finite number, got "
                       "\"lots\""));
}

TEST(LoadContract, RejectsReversedRange) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: amount, type: number, range: [10, 1]}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract), "range low is greater than range high"));
}

TEST(LoadContract, RejectsQuotedBoolean) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: text, type: string, required: \"true\"}\n");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:4:44: request.fields[0].required: expected true or false, got "
                       "\"true\""));
}

TEST(LoadContract, ReportsEveryProblem) {
  auto contract = Load(
      "version: v1\n"
      "request:\n"
      "  fields:\n"
      "    - {name: a, type: string, requird: true}\n"
      "    - {name: b, type: number, range: \"big\"}\n"
      "    - {name: c, type: string, format: money}\n");
  ASSERT_FALSE(contract.ok());
  const std::string message = Message(contract);
  EXPECT_EQ(LineCount(message), 3u) << message;
  EXPECT_TRUE(Contains(message, "test.yaml:4:31: request.fields[0].requird: unknown key"));
  EXPECT_TRUE(Contains(message, "test.yaml:5:38: request.fields[1].range: expected"));
  EXPECT_TRUE(Contains(message, "test.yaml:6:39: request.fields[2].format: unknown format"));
}

TEST(LoadContract, ReadsLimits) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: texts, type: "array[string]", required: true}
  limits:
    max_payload_bytes: 16384
    max_batch: 32
    max_total_chars: 10000
    max_depth: 8
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& limits = contract->request.limits;
  EXPECT_EQ(limits.max_payload_bytes, 16384u);
  EXPECT_EQ(limits.max_batch, 32u);
  EXPECT_EQ(limits.max_total_chars, 10000u);
  EXPECT_EQ(limits.max_depth, 8u);
  EXPECT_EQ(contract->request.batch_field, "texts");
}

TEST(LoadContract, AcceptsMaxDepthBounds) {
  for (int depth : {1, 1024}) {
    std::string text(kMinimal);
    text += "  limits: {max_depth: " + std::to_string(depth) + "}\n";
    auto contract = Load(text);
    ASSERT_TRUE(contract.ok()) << contract.status();
    EXPECT_EQ(contract->request.limits.max_depth, static_cast<std::size_t>(depth));
  }
}

TEST(LoadContract, RejectsMaxDepthOutsideBounds) {
  for (int depth : {0, 1025}) {
    std::string text(kMinimal);
    text += "  limits: {max_depth: " + std::to_string(depth) + "}\n";
    auto contract = Load(text);
    ASSERT_FALSE(contract.ok()) << depth;
    EXPECT_TRUE(Contains(Message(contract),
                         "test.yaml:5:23: request.limits.max_depth: max_depth must be between 1 "
                         "and 1024"));
  }
}

TEST(LoadContract, ReadsValidationMapping) {
  std::string text(kMinimal);
  text += "  validation: {unknown_fields: ignore, trim_whitespace: true}\n";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& validation = contract->request.validation;
  EXPECT_EQ(validation.unknown_fields, UnknownFieldPolicy::kIgnore);
  EXPECT_TRUE(validation.trim_whitespace);
  EXPECT_FALSE(validation.allow_duplicate_keys);
}

TEST(LoadContract, ReadsValidationList) {
  std::string text(kMinimal);
  text += "  validation: [ignore_unknown_fields, allow_duplicate_keys]\n";
  auto contract = Load(text);
  ASSERT_TRUE(contract.ok()) << contract.status();
  const auto& validation = contract->request.validation;
  EXPECT_EQ(validation.unknown_fields, UnknownFieldPolicy::kIgnore);
  EXPECT_TRUE(validation.allow_duplicate_keys);
  EXPECT_FALSE(validation.trim_whitespace);
}

TEST(LoadContract, RejectsUnknownFieldsPolicy) {
  std::string text(kMinimal);
  text += "  validation: {unknown_fields: drop}\n";
  auto contract = Load(text);
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:5:32: request.validation.unknown_fields: expected reject or "
                       "ignore"));
}

TEST(LoadContract, ReadsOrderingSentence) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: user_ids, type: "array[string]", required: true}
response:
  fields:
    - {name: "results[].user_id", type: string}
    - {name: "results[].ranked[].score", type: number}
  ordering: Each ranked list is sorted by score asc.
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  ASSERT_EQ(contract->response.ordering.size(), 1u);
  const Ordering& ordering = contract->response.ordering[0];
  EXPECT_EQ(ordering.list, "results[].ranked");
  EXPECT_EQ(ordering.by, "score");
  EXPECT_FALSE(ordering.descending);
  EXPECT_EQ(ordering.text, "Each ranked list is sorted by score asc.");
}

TEST(LoadContract, ReadsOrderingSentenceEndingWithPeriod) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: text, type: string}
response:
  fields:
    - {name: "results[].score", type: number}
  ordering: The results are sorted by score.
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  ASSERT_EQ(contract->response.ordering.size(), 1u);
  EXPECT_EQ(contract->response.ordering[0].by, "score");
  EXPECT_EQ(contract->response.ordering[0].list, "results");
  EXPECT_TRUE(contract->response.ordering[0].descending);
}

TEST(LoadContract, ReadsOrderingMapping) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: text, type: string}
response:
  fields:
    - {name: "items[].rank", type: integer}
  ordering: {list: items, by: rank, direction: ascending}
)");
  ASSERT_TRUE(contract.ok()) << contract.status();
  ASSERT_EQ(contract->response.ordering.size(), 1u);
  EXPECT_EQ(contract->response.ordering[0].list, "items");
  EXPECT_EQ(contract->response.ordering[0].by, "rank");
  EXPECT_FALSE(contract->response.ordering[0].descending);
}

TEST(LoadContract, RejectsOrderingOfUnknownList) {
  auto contract = Load(R"(
version: v1
request:
  fields:
    - {name: text, type: string}
response:
  fields:
    - {name: label, type: string}
  ordering: {list: results, by: score}
)");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "response.ordering: \"results\" is not an array field of the response"));
}

TEST(LoadContract, LoadsJsonContract) {
  auto contract = Load(R"({
  "version": "v2.1.3",
  "endpoint": {"operation": "classify"},
  "request": {
    "fields": [
      {"name": "text", "type": "string", "required": true, "max_len": 100},
      {"name": "top_k", "type": "integer", "range": [1, 10], "default": 3},
      {"name": "vectors", "type": "array[array[number]]"}
    ],
    "validation": {"unknown_fields": "ignore"}
  },
  "response": {
    "fields": [{"name": "label", "type": "string", "enum": ["spam", "ham"]}]
  },
  "errors": [{"code": "MODEL_BUSY", "status": 503, "retryable": true}]
})");
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->major, 2);
  EXPECT_EQ(contract->minor, 1);
  EXPECT_EQ(contract->patch, 3);
  EXPECT_EQ(contract->RoutePath(), "/v2/classify");
  const auto& fields = contract->request.fields;
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_TRUE(fields[0].required);
  EXPECT_EQ(fields[0].max_len, 100u);
  EXPECT_EQ(fields[1].minimum, 1.0);
  EXPECT_EQ(fields[1].maximum, 10.0);
  EXPECT_EQ(fields[1].default_json, "3");
  EXPECT_EQ(fields[2].items->items->type, FieldType::kNumber);
  EXPECT_EQ(contract->request.validation.unknown_fields, UnknownFieldPolicy::kIgnore);
  ASSERT_EQ(contract->response.fields.size(), 1u);
  EXPECT_EQ(contract->response.fields[0].enum_values.size(), 2u);
  ASSERT_NE(contract->FindError("MODEL_BUSY"), nullptr);
  EXPECT_EQ(contract->FindError("MODEL_BUSY")->status, 503);
  EXPECT_NE(contract->FindError("RATE_LIMIT"), nullptr);
}

TEST(LoadContract, RejectsQuotedNumberInJson) {
  auto contract = Load(R"({
  "version": "v1",
  "request": {"fields": [{"name": "text", "type": "string", "max_len": "100"}]}
})");
  ASSERT_FALSE(contract.ok());
  EXPECT_TRUE(Contains(Message(contract),
                       "test.yaml:3:72: request.fields[0].max_len: expected a finite number, got "
                       "\"100\""));
}

TEST(LoadContract, NamesContractAfterFile) {
  auto contract = LoadContractText(std::string(kMinimal), "contracts/fraud/contract.yaml");
  ASSERT_TRUE(contract.ok()) << contract.status();
  EXPECT_EQ(contract->name, "fraud");
  EXPECT_EQ(contract->file, "contracts/fraud/contract.yaml");
}

}  // namespace
}  // namespace modelgate::contract

namespace modelgate::contract {
namespace {

TEST(LoadContract, RejectsEnumMemberThatIsAList) {
  auto result = LoadContractText(
      "version: v1\nrequest:\n  fields:\n    - {name: s, type: string, enum: [[1, 2], ok]}\n",
      "test.yaml");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(std::string(result.status().message()).find("not a list or a mapping"),
            std::string::npos)
      << result.status();
}

}  // namespace
}  // namespace modelgate::contract
