#include "tools/openapi.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/wait.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "contract/loader.h"

namespace modelgate::tools {
namespace {

using simdjson::SUCCESS;
using simdjson::dom::element;

const std::string kSourceDir = MODELGATE_SOURCE_DIR;
const std::string kFraudExample = kSourceDir + "/examples/fraud/contract.yaml";

constexpr std::string_view kDeprecatedContract = R"(
name: tagger
version: v2.3
endpoint: {operation: tag}
request:
  fields:
    - {name: text, type: string, required: true, nullable: true, max_len: 100}
    - name: lang
      type: string
      enum: [en, de]
      nullable: true
response:
  fields:
    - name: tags
      type: array[string]
      required: true
behavior:
  idempotency: true
deprecation:
  sunset: 2031-01-01
  successor: v3
)";

class OpenApiTest : public testing::Test {
 protected:
  void ExportFile(const std::string& path) {
    auto contract = contract::LoadContract(path);
    ASSERT_TRUE(contract.ok()) << contract.status();
    Parse(ExportOpenApi(*contract));
  }

  void ExportText(std::string_view yaml) {
    auto contract = contract::LoadContractText(std::string(yaml), "test.yaml");
    ASSERT_TRUE(contract.ok()) << contract.status();
    Parse(ExportOpenApi(*contract));
  }

  void Parse(std::string json) {
    json_ = std::move(json);
    ASSERT_EQ(parser_.parse(json_).get(root_), SUCCESS) << json_;
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

  std::vector<std::string> Strings(std::string_view pointer) {
    std::vector<std::string> values;
    simdjson::dom::array array;
    EXPECT_EQ(At(pointer).get_array().get(array), SUCCESS) << pointer;
    for (element item : array) values.emplace_back(item.get_string().value());
    return values;
  }

  std::string json_;
  simdjson::dom::parser parser_;
  element root_;
};

constexpr std::string_view kPost = "/paths/~1v1~1score/post";
constexpr std::string_view kRequest = "/components/schemas/Request";

TEST_F(OpenApiTest, DocumentHeader) {
  ExportFile(kFraudExample);
  EXPECT_EQ(At("/openapi").get_string().value(), "3.1.0");
  EXPECT_EQ(At("/info/title").get_string().value(), "fraud-score");
  EXPECT_EQ(At("/info/version").get_string().value(), "v1.0.0");
  EXPECT_EQ(At("/info/description").get_string().value(),
            "Score one card transaction for fraud risk before it is authorised.");
}

TEST_F(OpenApiTest, OperationOnRoutePath) {
  ExportFile(kFraudExample);
  EXPECT_EQ(At("/paths").get_object().size(), 1u);
  EXPECT_EQ(At(std::string(kPost) + "/operationId").get_string().value(), "score");
  EXPECT_TRUE(At(std::string(kPost) + "/requestBody/required").get_bool().value());
  EXPECT_EQ(At(std::string(kPost) + "/requestBody/content/application~1json/schema/$ref")
                .get_string()
                .value(),
            "#/components/schemas/Request");
  EXPECT_TRUE(
      Has(std::string(kPost) + "/requestBody/content/application~1json/examples/example-1"));
  EXPECT_FALSE(Has(std::string(kPost) + "/deprecated"));
}

TEST_F(OpenApiTest, RequiredLists) {
  ExportFile(kFraudExample);
  EXPECT_EQ(Strings(std::string(kRequest) + "/required"),
            (std::vector<std::string>{"transaction_id", "amount", "currency", "idempotency_key"}));
  EXPECT_EQ(Strings("/components/schemas/Response/required"),
            (std::vector<std::string>{"risk_score", "reasons", "model_version"}));
  // No member of features is required, so it has no required list.
  EXPECT_FALSE(Has(std::string(kRequest) + "/properties/features/required"));
}

TEST_F(OpenApiTest, BoundsAndPatterns) {
  ExportFile(kFraudExample);
  std::string id = std::string(kRequest) + "/properties/transaction_id";
  EXPECT_EQ(At(id + "/type").get_string().value(), "string");
  EXPECT_EQ(At(id + "/maxLength").get_uint64().value(), 64u);
  EXPECT_EQ(At(id + "/minLength").get_uint64().value(), 1u);
  EXPECT_EQ(At(id + "/pattern").get_string().value(), "^[A-Za-z0-9_-]+$");
  EXPECT_TRUE(At(id + "/x-modelgate-pii").get_bool().value());
  std::string amount = std::string(kRequest) + "/properties/amount";
  EXPECT_EQ(At(amount + "/type").get_string().value(), "number");
  EXPECT_EQ(At(amount + "/minimum").get_double().value(), 0);
  EXPECT_EQ(At(amount + "/maximum").get_double().value(), 100000);
  EXPECT_EQ(At(std::string(kRequest) + "/properties/currency/format").get_string().value(),
            "iso4217");
  std::string reasons = "/components/schemas/Response/properties/reasons";
  EXPECT_EQ(At(reasons + "/maxItems").get_uint64().value(), 5u);
  EXPECT_FALSE(Has(reasons + "/maxLength"));
}

TEST_F(OpenApiTest, Enums) {
  ExportFile(kFraudExample);
  auto categories =
      Strings(std::string(kRequest) + "/properties/features/properties/merchant_category/enum");
  ASSERT_EQ(categories.size(), 10u);
  EXPECT_EQ(categories.front(), "grocery");
  auto reasons = Strings("/components/schemas/Response/properties/reasons/items/enum");
  ASSERT_EQ(reasons.size(), 7u);
  EXPECT_EQ(reasons.front(), "HIGH_AMOUNT");
}

TEST_F(OpenApiTest, UnknownFieldsRejectedOnRequestOnly) {
  ExportFile(kFraudExample);
  EXPECT_FALSE(At(std::string(kRequest) + "/additionalProperties").get_bool().value());
  EXPECT_FALSE(
      At(std::string(kRequest) + "/properties/features/additionalProperties").get_bool().value());
  EXPECT_FALSE(Has("/components/schemas/Response/additionalProperties"));

  ExportText(R"(
version: v1
request:
  fields: [{name: text, type: string}]
  validation: {unknown_fields: ignore}
response: {fields: [{name: label, type: string}]}
)");
  EXPECT_FALSE(Has(std::string(kRequest) + "/additionalProperties"));
}

TEST_F(OpenApiTest, ProblemResponsesByStatus) {
  ExportFile(kFraudExample);
  std::string responses = std::string(kPost) + "/responses";
  for (std::string status : {"200", "400", "404", "413", "415", "429", "500", "503", "504"}) {
    EXPECT_TRUE(Has(responses + "/" + status)) << status;
  }
  std::string rate_limit = responses + "/429";
  EXPECT_EQ(At(rate_limit + "/headers/Retry-After/$ref").get_string().value(),
            "#/components/headers/RetryAfter");
  EXPECT_FALSE(Has(responses + "/400/headers/Retry-After"));
  std::string problem = rate_limit + "/content/application~1problem+json";
  EXPECT_EQ(At(problem + "/schema/allOf/0/$ref").get_string().value(),
            "#/components/schemas/Problem");
  EXPECT_EQ(At(problem + "/schema/allOf/1/properties/status/const").get_int64().value(), 429);
  EXPECT_EQ(Strings(problem + "/schema/allOf/1/properties/code/enum"),
            std::vector<std::string>{"RATE_LIMIT"});
  EXPECT_EQ(At(problem + "/examples/RATE_LIMIT/value/retry_after").get_int64().value(), 1);
  EXPECT_EQ(At(responses + "/405/headers/Allow/$ref").get_string().value(),
            "#/components/headers/Allow");
  EXPECT_TRUE(Has("/components/schemas/Problem/properties/errors"));
  EXPECT_EQ(Strings("/components/schemas/ProblemViolation/required"),
            (std::vector<std::string>{"field", "rule", "message"}));
}

TEST_F(OpenApiTest, SharedStatusListsEveryCode) {
  ExportFile(kSourceDir + "/docs/examples/recommendations.yaml");
  std::string problem = "/paths/~1v2~1rank/post/responses/503/content/application~1problem+json";
  auto codes = Strings(problem + "/schema/allOf/1/properties/code/enum");
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"FEATURES_UNAVAILABLE", "OVERLOADED"}));
  EXPECT_TRUE(Has(problem + "/examples/OVERLOADED"));
  EXPECT_TRUE(Has(problem + "/examples/FEATURES_UNAVAILABLE"));
  std::string description =
      std::string(At("/paths/~1v2~1rank/post/responses/503/description").get_string().value());
  EXPECT_NE(description.find("- `FEATURES_UNAVAILABLE`: The feature store"), std::string::npos)
      << description;
  // users is the batch field: maxItems is its max_len of 20, within max_batch_users 20.
  EXPECT_EQ(At("/components/schemas/Request/properties/users/maxItems").get_uint64().value(), 20u);
}

TEST_F(OpenApiTest, BatchLimitTightensMaxItems) {
  ExportText(R"(
version: v1
request:
  fields: [{name: rows, type: "array[number]", required: true, max_len: 100}]
  batch_field: rows
  limits: {max_batch: 8}
response: {fields: [{name: scores, type: "array[number]"}]}
)");
  EXPECT_EQ(At(std::string(kRequest) + "/properties/rows/maxItems").get_uint64().value(), 8u);
  EXPECT_EQ(At("/components/schemas/Response/properties/scores/type").get_string().value(),
            "array");
  EXPECT_FALSE(Has("/components/schemas/Response/properties/scores/maxItems"));
}

TEST_F(OpenApiTest, RequestHeaders) {
  ExportFile(kFraudExample);
  // The fraud example takes its idempotency key from a body field, not a header.
  std::vector<std::string> refs;
  for (element parameter : At(std::string(kPost) + "/parameters").get_array()) {
    refs.emplace_back(parameter["$ref"].get_string().value());
  }
  EXPECT_EQ(refs, (std::vector<std::string>{"#/components/parameters/RequestId",
                                            "#/components/parameters/Traceparent",
                                            "#/components/parameters/RequestTimeout"}));
  EXPECT_FALSE(Has("/components/parameters/IdempotencyKey"));
  EXPECT_EQ(At("/components/parameters/Traceparent/name").get_string().value(), "traceparent");

  ExportText(kDeprecatedContract);
  EXPECT_EQ(At("/components/parameters/IdempotencyKey/name").get_string().value(),
            "Idempotency-Key");
  EXPECT_EQ(At("/components/parameters/IdempotencyKey/in").get_string().value(), "header");
  EXPECT_FALSE(At("/components/parameters/IdempotencyKey/required").get_bool().value());
  EXPECT_EQ(At("/paths/~1v2~1tag/post/parameters/0/$ref").get_string().value(),
            "#/components/parameters/IdempotencyKey");
}

TEST_F(OpenApiTest, SuccessHeaders) {
  ExportFile(kFraudExample);
  std::string headers = std::string(kPost) + "/responses/200/headers";
  for (std::string name :
       {"X-Request-Id", "X-Model-Version", "X-Contract-Version", "traceparent"}) {
    EXPECT_TRUE(Has(headers + "/" + name)) << name;
  }
  EXPECT_FALSE(Has(headers + "/Deprecation"));
  EXPECT_FALSE(Has("/components/headers/Deprecation"));
}

TEST_F(OpenApiTest, DeprecationHeaders) {
  ExportText(kDeprecatedContract);
  std::string post = "/paths/~1v2~1tag/post";
  EXPECT_TRUE(At(post + "/deprecated").get_bool().value());
  for (std::string status : {"200", "400"}) {
    std::string headers = post + "/responses/" + status + "/headers";
    for (std::string name : {"Deprecation", "Sunset", "Link"}) {
      EXPECT_TRUE(Has(headers + "/" + name)) << status << " " << name;
    }
  }
  EXPECT_TRUE(At(post + "/x-modelgate-deprecation/deprecated").get_bool().value());
  EXPECT_EQ(At(post + "/x-modelgate-deprecation/successor").get_string().value(), "v3");
}

TEST_F(OpenApiTest, NullableFields) {
  ExportText(kDeprecatedContract);
  EXPECT_EQ(Strings(std::string(kRequest) + "/properties/text/type"),
            (std::vector<std::string>{"string", "null"}));
  EXPECT_EQ(At(std::string(kRequest) + "/properties/lang/enum/2").type(),
            simdjson::dom::element_type::NULL_VALUE);
  EXPECT_EQ(At("/components/schemas/Response/properties/tags/type").get_string().value(), "array");
}

TEST_F(OpenApiTest, SloAndLimitExtensions) {
  ExportFile(kFraudExample);
  std::string post(kPost);
  EXPECT_EQ(At(post + "/x-modelgate-latency-ms/p95").get_double().value(), 80);
  EXPECT_EQ(At(post + "/x-modelgate-latency-ms/p99").get_double().value(), 110);
  EXPECT_EQ(At(post + "/x-modelgate-timeout-ms").get_int64().value(), 120);
  EXPECT_EQ(At(post + "/x-modelgate-throughput-rps").get_double().value(), 300);
  EXPECT_EQ(At(post + "/x-modelgate-burst/rps").get_double().value(), 600);
  EXPECT_EQ(At(post + "/x-modelgate-burst/window_s").get_double().value(), 60);
  EXPECT_EQ(At(post + "/x-modelgate-max-payload-bytes").get_uint64().value(), 16384u);
  EXPECT_EQ(At(post + "/x-modelgate-max-depth").get_uint64().value(), 8u);
  EXPECT_EQ(At(post + "/x-modelgate-idempotency/field").get_string().value(), "idempotency_key");
  EXPECT_FALSE(At(post + "/x-modelgate-deprecation/deprecated").get_bool().value());
  EXPECT_FALSE(Has(post + "/x-modelgate-max-total-chars"));

  // Without max_payload_bytes the server's default of 1 MiB is in force.
  ExportText(kDeprecatedContract);
  EXPECT_EQ(At("/paths/~1v2~1tag/post/x-modelgate-max-payload-bytes").get_uint64().value(),
            1048576u);
  EXPECT_FALSE(Has("/paths/~1v2~1tag/post/x-modelgate-latency-ms"));
}

TEST(OpenApiYamlTest, YamlKeepsTypes) {
  auto contract = contract::LoadContract(kFraudExample);
  ASSERT_TRUE(contract.ok()) << contract.status();
  auto yaml = JsonToYaml(ExportOpenApi(*contract));
  ASSERT_TRUE(yaml.ok()) << yaml.status();
  YAML::Node root = YAML::Load(*yaml);
  EXPECT_EQ(root["openapi"].as<std::string>(), "3.1.0");
  EXPECT_EQ(root["openapi"].Tag(), "!");  // quoted, so never read as a number
  YAML::Node responses = root["paths"]["/v1/score"]["post"]["responses"];
  EXPECT_TRUE(responses["429"].IsMap());
  YAML::Node amount = root["components"]["schemas"]["Request"]["properties"]["amount"];
  EXPECT_EQ(amount["maximum"].as<double>(), 100000);
  EXPECT_EQ(amount["maximum"].Tag(), "?");  // plain, so read as a number
}

TEST(OpenApiYamlTest, QuotesAmbiguousStrings) {
  auto yaml = JsonToYaml(R"({"a": "true", "b": "1.10", "c": "", "d": "~", "e": true, "f": 2.5})");
  ASSERT_TRUE(yaml.ok()) << yaml.status();
  EXPECT_EQ(*yaml, "a: \"true\"\nb: \"1.10\"\nc: \"\"\nd: \"~\"\ne: true\nf: 2.5\n");
  EXPECT_FALSE(JsonToYaml("{").ok());
}

// Runs `command` through the shell and returns its exit status, with its output in `output`.
int RunCommand(const std::string& command, std::string& output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer{};
  std::size_t read = 0;
  while ((read = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), read);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> ExampleContracts() {
  std::vector<std::string> paths = {kFraudExample};
  for (const auto& entry : std::filesystem::directory_iterator(kSourceDir + "/docs/examples")) {
    auto extension = entry.path().extension();
    if (extension == ".yaml" || extension == ".json") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin() + 1, paths.end());
  return paths;
}

struct LintResult {
  int status = -1;
  std::string output;
  // Redocly exits 0 when it finds only warnings, so warning lines ("1:624  warning  rule ...")
  // count as findings too.
  bool clean() const {
    static const std::regex kWarning(R"(\d+:\d+\s+warning\s)");
    return status == 0 && !std::regex_search(output, kWarning);
  }
};

const std::string kRedocly = kSourceDir + "/node_modules/.bin/redocly";
constexpr std::string_view kRedoclyMissing =
    " is missing: run scripts/install-npm.sh to install the OpenAPI linter";

// Lints `document` with Redocly CLI under the repository's redocly.yaml, with telemetry and
// the update check off so that it needs no network.
LintResult LintWithRedocly(const std::string& document, const std::string& name) {
  std::string file = testing::TempDir() + "/openapi-" + name;
  std::ofstream(file, std::ios::binary) << document;
  LintResult result;
  result.status = RunCommand("cd '" + kSourceDir +
                                 "' && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "
                                 "NO_UPDATE_NOTIFIER=1 node_modules/.bin/redocly lint "
                                 "--format=stylish --config redocly.yaml '" +
                                 file + "'",
                             result.output);
  return result;
}

TEST(OpenApiRedoclyTest, ExamplesPassLint) {
  ASSERT_TRUE(std::filesystem::exists(kRedocly)) << kRedocly << kRedoclyMissing;
  auto paths = ExampleContracts();
  ASSERT_GE(paths.size(), 6u);
  for (const auto& path : paths) {
    auto contract = contract::LoadContract(path);
    ASSERT_TRUE(contract.ok()) << contract.status();
    std::string name = std::filesystem::path(path).parent_path().filename().string() + "-" +
                       std::filesystem::path(path).stem().string();
    std::string json = ExportOpenApi(*contract);
    LintResult result = LintWithRedocly(json, name + ".json");
    EXPECT_TRUE(result.clean()) << name << ".json:\n" << result.output;
    auto yaml = JsonToYaml(json);
    ASSERT_TRUE(yaml.ok()) << yaml.status();
    result = LintWithRedocly(*yaml, name + ".yaml");
    EXPECT_TRUE(result.clean()) << name << ".yaml:\n" << result.output;
  }
}

TEST(OpenApiRedoclyTest, LintFlagsBrokenDocuments) {
  ASSERT_TRUE(std::filesystem::exists(kRedocly)) << kRedocly << kRedoclyMissing;
  // A response without its required description, and a $ref to a missing schema: errors.
  std::string broken = R"({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
    "paths": {"/v1/x": {"post": {"operationId": "x", "summary": "x", "responses": {"200": {
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}}}}}}}})";
  LintResult result = LintWithRedocly(broken, "broken.json");
  EXPECT_NE(result.status, 0) << result.output;

  // A request example that breaks the request schema: a warning only.
  auto contract = contract::LoadContract(kFraudExample);
  ASSERT_TRUE(contract.ok()) << contract.status();
  contract->examples_json = {R"({"transaction_id": "tx_1", "amount": -1})"};
  result = LintWithRedocly(ExportOpenApi(*contract), "bad-example.json");
  EXPECT_EQ(result.status, 0) << result.output;
  EXPECT_FALSE(result.clean()) << result.output;
  EXPECT_NE(result.output.find("no-invalid-media-type-examples"), std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace modelgate::tools
