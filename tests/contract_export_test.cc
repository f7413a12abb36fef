#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "contract/export.h"
#include "contract/loader.h"

namespace modelgate::contract {
namespace {

using simdjson::SUCCESS;
using simdjson::dom::element;

constexpr std::string_view kMinimalContract = R"(
version: v1
request:
  fields:
    - {name: text, type: string, required: true}
response:
  fields:
    - {name: label, type: string, required: true}
)";

class ContractExportTest : public testing::Test {
 protected:
  // Loads `yaml`, exports it and parses the export into `root_`.
  void Export(std::string_view yaml) {
    auto contract = LoadContractText(std::string(yaml), "test.yaml");
    ASSERT_TRUE(contract.ok()) << contract.status();
    contract_ = *std::move(contract);
    json_ = ExportPublicContract(contract_);
    ASSERT_EQ(parser_.parse(json_).get(root_), SUCCESS) << json_;
    ASSERT_TRUE(root_.is_object()) << json_;
  }

  // Returns the element at a JSON Pointer and fails the test when it is absent.
  element At(std::string_view pointer) {
    element value;
    auto error = root_.at_pointer(pointer).get(value);
    EXPECT_EQ(error, SUCCESS) << pointer << " not found in " << json_;
    return value;
  }

  bool Has(std::string_view pointer) {
    element value;
    return root_.at_pointer(pointer).get(value) == SUCCESS;
  }

  // Returns the exported error with `code` and fails the test when it is absent.
  element FindError(std::string_view code) {
    for (element error : At("/errors").get_array()) {
      if (error["code"].get_string().value() == code) return error;
    }
    ADD_FAILURE() << "error " << code << " not found in " << json_;
    return element();
  }

  Contract contract_;
  std::string json_;
  simdjson::dom::parser parser_;
  element root_;
};

TEST_F(ContractExportTest, OmitsModelBinding) {
  std::string yaml(kMinimalContract);
  yaml += R"(
model:
  backend: onnx
  artifact: model.onnx
  version: "3"
)";
  ASSERT_NO_FATAL_FAILURE(Export(yaml));
  ASSERT_TRUE(contract_.model.has_value());
  EXPECT_FALSE(Has("/model")) << json_;
  EXPECT_EQ(json_.find("model.onnx"), std::string::npos) << json_;
  EXPECT_EQ(json_.find("onnx"), std::string::npos) << json_;
}

TEST_F(ContractExportTest, WritesIdentityAndEndpoint) {
  std::string yaml(kMinimalContract);
  yaml += "name: scorer\npurpose: Scores text\noperation: score\nexamples:\n  - {text: hi}\n";
  yaml.replace(yaml.find("version: v1"), 11, "version: v2.3.4");
  ASSERT_NO_FATAL_FAILURE(Export(yaml));
  EXPECT_EQ(At("/name").get_string().value(), "scorer");
  EXPECT_EQ(At("/purpose").get_string().value(), "Scores text");
  EXPECT_EQ(At("/version").get_string().value(), "v2.3.4");
  EXPECT_EQ(At("/version_major").get_int64().value(), 2);
  EXPECT_EQ(At("/version_minor").get_int64().value(), 3);
  EXPECT_EQ(At("/version_patch").get_int64().value(), 4);
  EXPECT_EQ(At("/endpoint/method").get_string().value(), "POST");
  EXPECT_EQ(At("/endpoint/path").get_string().value(), "/v2/score");
  EXPECT_EQ(At("/endpoint/operation").get_string().value(), "score");
  EXPECT_EQ(At("/examples/0/text").get_string().value(), "hi");
}

TEST_F(ContractExportTest, WritesDefaultsInForce) {
  ASSERT_NO_FATAL_FAILURE(Export(kMinimalContract));
  EXPECT_EQ(At("/request/limits/max_depth").get_uint64().value(), 64u);
  EXPECT_EQ(At("/request/validation/unknown_fields").get_string().value(), "reject");
  EXPECT_FALSE(At("/request/validation/allow_duplicate_keys").get_bool().value());
  EXPECT_FALSE(At("/request/validation/trim_whitespace").get_bool().value());
  EXPECT_TRUE(At("/request/validation/reject_invalid_schema").get_bool().value());
  EXPECT_EQ(At("/response/unknown_fields").get_string().value(), "ignore");
  EXPECT_FALSE(At("/behavior/idempotency/enabled").get_bool().value());
  EXPECT_EQ(At("/behavior/idempotency/source").get_string().value(), "header");
  EXPECT_EQ(At("/behavior/idempotency/header").get_string().value(), "Idempotency-Key");
  EXPECT_EQ(At("/behavior/idempotency/window_s").get_int64().value(), 24 * 3600);
  EXPECT_EQ(At("/behavior/batching/max_delay_ms").get_int64().value(), 0);
  EXPECT_FALSE(At("/constraints/freshness/serve_stale_on_timeout").get_bool().value());
  EXPECT_EQ(At("/budget/margin_pct").get_double().value(), 0.0);
}

TEST_F(ContractExportTest, OmitsAbsentOptionalValues) {
  ASSERT_NO_FATAL_FAILURE(Export(kMinimalContract));
  EXPECT_FALSE(Has("/request/limits/max_payload_bytes")) << json_;
  EXPECT_FALSE(Has("/constraints/timeout_ms")) << json_;
  EXPECT_FALSE(Has("/constraints/latency_ms/p95")) << json_;
  EXPECT_FALSE(Has("/safety/fallback")) << json_;
  EXPECT_FALSE(Has("/budget/slo_ms")) << json_;
  EXPECT_EQ(json_.find(":null"), std::string::npos) << json_;
  EXPECT_EQ(At("/response/ordering").get_array().size(), 0u);
  EXPECT_EQ(At("/observability/metrics").get_array().size(), 0u);
}

TEST_F(ContractExportTest, WritesStandardErrors) {
  ASSERT_NO_FATAL_FAILURE(Export(kMinimalContract));
  element rate_limit = FindError("RATE_LIMIT");
  EXPECT_EQ(rate_limit["status"].get_int64().value(), 429);
  EXPECT_TRUE(rate_limit["retryable"].get_bool().value());
  EXPECT_TRUE(rate_limit["retry_after"].get_bool().value());
  EXPECT_EQ(rate_limit["backoff"].get_string().value(), "fixed");
  element invalid = FindError("INVALID_INPUT");
  EXPECT_EQ(invalid["status"].get_int64().value(), 400);
  EXPECT_FALSE(invalid["retryable"].get_bool().value());
  EXPECT_EQ(invalid["backoff"].get_string().value(), "none");
}

TEST_F(ContractExportTest, WritesDeclaredErrorOverride) {
  std::string yaml(kMinimalContract);
  yaml += R"(
errors:
  - code: TIMEOUT
    max_retries: 3
    initial_backoff_ms: 200
    description: Retry with jitter.
  - {code: QUOTA_EXCEEDED, status: 402, retryable: false}
)";
  ASSERT_NO_FATAL_FAILURE(Export(yaml));
  element timeout = FindError("TIMEOUT");
  EXPECT_EQ(timeout["status"].get_int64().value(), 504);
  EXPECT_EQ(timeout["backoff"].get_string().value(), "exponential");
  EXPECT_EQ(timeout["max_retries"].get_int64().value(), 3);
  EXPECT_EQ(timeout["initial_backoff_ms"].get_int64().value(), 200);
  EXPECT_EQ(timeout["description"].get_string().value(), "Retry with jitter.");
  element quota = FindError("QUOTA_EXCEEDED");
  EXPECT_EQ(quota["status"].get_int64().value(), 402);
}

TEST_F(ContractExportTest, PerBatchLatencyRoundTrips) {
  std::string yaml(kMinimalContract);
  yaml += R"(
constraints:
  latency_ms:
    p50: 40
    p95: {batch1: 150, batch20: 350}
  timeout_ms: 2000
  burst_window_s: 1.5
  max_batch_users: 20
  memory_ceiling_mb: 512
)";
  ASSERT_NO_FATAL_FAILURE(Export(yaml));
  EXPECT_EQ(At("/constraints/latency_ms/p50").get_double().value(), 40.0);
  EXPECT_EQ(At("/constraints/latency_ms/p95/batch1").get_double().value(), 150.0);
  EXPECT_EQ(At("/constraints/latency_ms/p95/batch20").get_double().value(), 350.0);
  EXPECT_EQ(At("/constraints/latency_ms/p95").get_object().size(), 2u);
  EXPECT_EQ(At("/constraints/timeout_ms").get_int64().value(), 2000);
  EXPECT_EQ(At("/constraints/burst_window_s").get_double().value(), 1.5);
  EXPECT_EQ(At("/constraints/max_batch").get_uint64().value(), 20u);
  EXPECT_EQ(At("/constraints/batch_unit").get_string().value(), "users");
  EXPECT_EQ(At("/constraints/memory_ceiling_bytes").get_uint64().value(), 512000000u);
  EXPECT_EQ(At("/request/limits/max_batch").get_uint64().value(), 20u);

  // The exported latency object is valid contract input and loads to the same targets.
  std::string latency_json = simdjson::minify(At("/constraints/latency_ms"));
  std::string reloaded_yaml(kMinimalContract);
  reloaded_yaml += "constraints:\n  latency_ms: " + latency_json + "\n";
  auto reloaded = LoadContractText(reloaded_yaml, "reloaded.yaml");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  const auto& latency = reloaded->constraints.latency;
  EXPECT_EQ(latency.p50.overall_ms, 40.0);
  EXPECT_FALSE(latency.p95.overall_ms.has_value());
  EXPECT_EQ(latency.p95.per_batch_ms, contract_.constraints.latency.p95.per_batch_ms);
}

TEST_F(ContractExportTest, NestsFlattenedResponsePath) {
  constexpr std::string_view kYaml = R"(
version: v1
request:
  fields:
    - {name: user_id, type: string, required: true}
response:
  fields:
    - {name: "results[].ranked[].score", type: number, range: [0, 1]}
  ordering:
    - {list: "results[].ranked", by: score, direction: desc}
)";
  ASSERT_NO_FATAL_FAILURE(Export(kYaml));
  EXPECT_EQ(At("/response/fields/0/name").get_string().value(), "results");
  EXPECT_EQ(At("/response/fields/0/type").get_string().value(), "array");
  EXPECT_EQ(At("/response/fields/0/items/type").get_string().value(), "object");
  EXPECT_FALSE(Has("/response/fields/0/items/name")) << json_;
  element ranked = At("/response/fields/0/items/fields/0");
  EXPECT_EQ(ranked["name"].get_string().value(), "ranked");
  EXPECT_EQ(ranked["type"].get_string().value(), "array");
  EXPECT_EQ(ranked.at_pointer("/items/fields/0/name").get_string().value(), "score");
  EXPECT_EQ(ranked.at_pointer("/items/fields/0/type").get_string().value(), "number");
  EXPECT_EQ(ranked.at_pointer("/items/fields/0/minimum").get_double().value(), 0.0);
  EXPECT_EQ(ranked.at_pointer("/items/fields/0/maximum").get_double().value(), 1.0);
  EXPECT_EQ(At("/response/ordering/0/list").get_string().value(), "results[].ranked");
  EXPECT_EQ(At("/response/ordering/0/by").get_string().value(), "score");
  EXPECT_EQ(At("/response/ordering/0/direction").get_string().value(), "desc");
}

TEST_F(ContractExportTest, WritesTypedEnumValues) {
  constexpr std::string_view kYaml = R"(
version: v1
request:
  fields:
    - {name: tier, type: string, enum: [gold, "1"]}
    - {name: level, type: integer, enum: [1, 2, 3]}
    - {name: tags, type: "array[string]", min_len: 1, max_len: 5, enum: [a, b]}
)";
  ASSERT_NO_FATAL_FAILURE(Export(kYaml));
  element tier = At("/request/fields/0/enum");
  ASSERT_EQ(tier.get_array().size(), 2u);
  EXPECT_EQ(tier.at(0).get_string().value(), "gold");
  EXPECT_EQ(tier.at(1).value().type(), simdjson::dom::element_type::STRING);
  EXPECT_EQ(tier.at(1).get_string().value(), "1");
  element level = At("/request/fields/1/enum");
  ASSERT_EQ(level.get_array().size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(level.at(i).value().type(), simdjson::dom::element_type::INT64) << i;
    EXPECT_EQ(level.at(i).get_int64().value(), static_cast<std::int64_t>(i + 1));
  }
  EXPECT_EQ(At("/request/fields/2/min_items").get_uint64().value(), 1u);
  EXPECT_EQ(At("/request/fields/2/max_items").get_uint64().value(), 5u);
  EXPECT_FALSE(Has("/request/fields/2/min_len")) << json_;
  EXPECT_EQ(At("/request/fields/2/items/enum/1").get_string().value(), "b");
}

TEST_F(ContractExportTest, EscapesQuotesAndControlCharacters) {
  constexpr std::string_view kYaml = R"(
version: v1
purpose: "say \"hi\"\x01\ttab\\slash\nend"
request:
  fields:
    - {name: text, type: string, description: "a \"quoted\" word\x1f"}
)";
  ASSERT_NO_FATAL_FAILURE(Export(kYaml));
  EXPECT_EQ(At("/purpose").get_string().value(), "say \"hi\"\x01\ttab\\slash\nend");
  EXPECT_EQ(At("/request/fields/0/description").get_string().value(), "a \"quoted\" word\x1f");
  EXPECT_NE(json_.find(R"(say \"hi\"\u0001\ttab\\slash\nend)"), std::string::npos) << json_;
}

TEST_F(ContractExportTest, WritesDefaultAsRawJson) {
  constexpr std::string_view kYaml = R"(
version: v1
request:
  fields:
    - {name: text, type: string, required: true, example: "hello"}
    - {name: top_k, type: integer, default: 10}
    - name: options
      type: object
      default: {mode: fast, weights: [1, 2.5]}
)";
  ASSERT_NO_FATAL_FAILURE(Export(kYaml));
  EXPECT_EQ(At("/request/fields/0/example").get_string().value(), "hello");
  EXPECT_EQ(At("/request/fields/1/default").get_int64().value(), 10);
  element options = At("/request/fields/2/default");
  ASSERT_TRUE(options.is_object()) << json_;
  EXPECT_EQ(options["mode"].get_string().value(), "fast");
  EXPECT_EQ(options.at_pointer("/weights/1").get_double().value(), 2.5);
  EXPECT_FALSE(Has("/request/fields/2/fields")) << json_;
}

TEST_F(ContractExportTest, WritesBehaviorAndSafety) {
  constexpr std::string_view kYaml = R"(
version: v1
request:
  fields:
    - {name: request_id, type: string, required: true}
    - {name: text, type: string, required: true}
response:
  fields:
    - {name: label, type: string, required: true}
behavior:
  idempotency: by request_id
  deterministic_within: 5s
  batching: {max_batch: 8, max_delay_ms: 4}
safety:
  fallback:
    response: {label: unknown}
  circuit_breaker: {error_rate: 0.5, window_s: 30}
budget:
  slo_ms: 200
  components: {tokenize: 20, model: 150}
)";
  ASSERT_NO_FATAL_FAILURE(Export(kYaml));
  EXPECT_TRUE(At("/behavior/idempotency/enabled").get_bool().value());
  EXPECT_EQ(At("/behavior/idempotency/source").get_string().value(), "body_field");
  EXPECT_EQ(At("/behavior/idempotency/field").get_string().value(), "request_id");
  EXPECT_FALSE(Has("/behavior/idempotency/header")) << json_;
  EXPECT_TRUE(At("/behavior/idempotency/required").get_bool().value());
  EXPECT_EQ(At("/behavior/deterministic_within").get_string().value(), "5s");
  EXPECT_EQ(At("/behavior/determinism_window_ms").get_int64().value(), 5000);
  EXPECT_TRUE(At("/behavior/batching/enabled").get_bool().value());
  EXPECT_EQ(At("/behavior/batching/max_batch").get_uint64().value(), 8u);
  EXPECT_EQ(At("/behavior/batching/max_delay_ms").get_int64().value(), 4);
  EXPECT_EQ(At("/safety/fallback/label").get_string().value(), "unknown");
  EXPECT_EQ(At("/safety/fallback_marker").get_string().value(), "X-Fallback");
  EXPECT_EQ(At("/safety/circuit_breaker/error_rate").get_double().value(), 0.5);
  EXPECT_EQ(At("/safety/circuit_breaker/window_s").get_double().value(), 30.0);
  EXPECT_EQ(At("/budget/slo_ms").get_double().value(), 200.0);
  EXPECT_EQ(At("/budget/components/tokenize").get_double().value(), 20.0);
  EXPECT_EQ(At("/budget/components/model").get_double().value(), 150.0);
}

TEST(WriteFieldTest, WritesNestedArrayItems) {
  Field field;
  field.name = "matrix";
  field.type = FieldType::kArray;
  field.max_len = 4;
  field.items = std::make_shared<Field>();
  field.items->type = FieldType::kArray;
  field.items->items = std::make_shared<Field>();
  field.items->items->type = FieldType::kNumber;
  field.items->items->minimum = -1.5;

  std::string out;
  json::Writer writer(out);
  WriteField(writer, field);

  simdjson::dom::parser parser;
  element root;
  ASSERT_EQ(parser.parse(out).get(root), SUCCESS) << out;
  EXPECT_EQ(root["name"].get_string().value(), "matrix");
  EXPECT_EQ(root["max_items"].get_uint64().value(), 4u);
  EXPECT_EQ(root.at_pointer("/items/type").get_string().value(), "array");
  EXPECT_EQ(root.at_pointer("/items/items/type").get_string().value(), "number");
  EXPECT_EQ(root.at_pointer("/items/items/minimum").get_double().value(), -1.5);
  EXPECT_FALSE(root.at_pointer("/items/items/items").error() == SUCCESS) << out;
}

}  // namespace
}  // namespace modelgate::contract
