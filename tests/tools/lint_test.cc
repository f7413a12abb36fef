#include "tools/lint.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "contract/loader.h"
#include "tools/report.h"

namespace modelgate::tools {
namespace {

// A contract that no rule reports on. Each test replaces one section to trigger or avoid a rule.
struct ContractText {
  std::string head =
      "name: language-id\n"
      "purpose: Detect the language of a short text.\n"
      "version: v1\n";
  std::string request = R"(
request:
  fields:
    - {name: text, type: string, required: true, max_len: 100}
    - {name: top_k, type: integer, range: [1, 5]}
  limits:
    max_payload_bytes: 4096
)";
  std::string response = R"(
response:
  fields:
    - {name: language, type: string, required: true, max_len: 8}
    - {name: probability, type: number, required: true, range: [0, 1]}
  confidence: probability is calibrated on a held-out set
)";
  std::string errors = R"(
errors:
  - {code: INVALID_INPUT, retryable: false}
  - {code: TIMEOUT, retryable: true, backoff: exponential}
)";
  std::string constraints = R"(
constraints:
  latency_ms: {p50: 10, p95: 30, p99: 50}
  timeout_ms: 100
  throughput_rps: 100
  burst_rps: 200
  data: {pii: false}
)";
  std::string behavior;
  std::string observability = R"(
observability:
  metrics: [latency_p95, request_rate, error_rate]
)";
  std::string compatibility = R"(
compatibility:
  additive_only: true
  deprecation_days: 90
)";
  std::string safety = R"(
safety:
  fallback: {language: und, probability: 0}
)";
  std::string extra;

  std::string Text() const {
    return head + request + response + errors + constraints + behavior + observability +
           compatibility + safety + extra;
  }
};

std::vector<Finding> Lint(const ContractText& text) {
  auto contract = contract::LoadContractText(text.Text(), "test.yaml");
  EXPECT_TRUE(contract.ok()) << contract.status() << "\n" << text.Text();
  if (!contract.ok()) return {};
  return LintContract(*contract);
}

std::string Describe(const std::vector<Finding>& findings) {
  return RenderFindings(findings, ReportFormat::kText, "test");
}

std::vector<Finding> Only(const std::vector<Finding>& findings, std::string_view rule) {
  std::vector<Finding> matching;
  for (const auto& finding : findings) {
    if (finding.rule == rule) matching.push_back(finding);
  }
  return matching;
}

// Succeeds when `rule` reported exactly once, and otherwise prints every finding.
testing::AssertionResult FiresOnce(const std::vector<Finding>& findings, std::string_view rule) {
  auto count = Only(findings, rule).size();
  if (count == 1) return testing::AssertionSuccess();
  return testing::AssertionFailure() << rule << " reported " << count << " times in:\n"
                                     << Describe(findings);
}

testing::AssertionResult Silent(const std::vector<Finding>& findings, std::string_view rule) {
  if (Only(findings, rule).empty()) return testing::AssertionSuccess();
  return testing::AssertionFailure() << rule << " reported in:\n" << Describe(findings);
}

// The single finding of `rule`; the test fails when there is not exactly one.
Finding The(const std::vector<Finding>& findings, std::string_view rule) {
  auto matching = Only(findings, rule);
  EXPECT_EQ(matching.size(), 1u) << Describe(findings);
  return matching.empty() ? Finding{} : matching.front();
}

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(MODELGATE_SOURCE_DIR) + "/" + relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(LintContract, CleanContractHasNoFindings) {
  auto findings = Lint(ContractText{});
  EXPECT_TRUE(findings.empty()) << Describe(findings);
}

TEST(LintRuleCatalogue, IdsAreUniqueAndDocumented) {
  std::string docs = ReadSource("docs/tools-lint.md");
  ASSERT_FALSE(docs.empty());
  std::set<std::string_view> ids;
  for (const auto& rule : LintRules()) {
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id << " is listed twice";
    std::string row =
        "| `" + std::string(rule.id) + "` | " + std::string(SeverityName(rule.severity)) + " |";
    EXPECT_NE(docs.find(row), std::string::npos) << "docs/tools-lint.md lacks the row " << row;
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs

TEST(UnboundedString, FiresWithoutMaxLen) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: text, type: string, required: true}
  limits: {max_payload_bytes: 4096}
)";
  auto finding = The(Lint(text), "unbounded-string");
  EXPECT_EQ(finding.pointer, "/request/fields/0");
  EXPECT_EQ(finding.file, "test.yaml");
  EXPECT_EQ(finding.line, 7);  // the field's line: three head lines, a blank, request, fields
  EXPECT_EQ(finding.severity, Severity::kWarning);
  EXPECT_NE(finding.fix.find("max_len"), std::string::npos);
}

TEST(UnboundedString, SilentWithEnumBoundedFormatOrAnchoredPattern) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: lang, type: string, enum: [en, de]}
    - {name: currency, type: string, format: iso4217}
    - {name: id, type: string, format: uuid}
    - {name: hint, type: string, pattern: "^[a-z]{2}$"}
  limits: {max_payload_bytes: 4096}
)";
  EXPECT_TRUE(Silent(Lint(text), "unbounded-string"));
}

TEST(UnboundedString, FiresOnOpenPatternAndOnArrayItems) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: word, type: string, pattern: "^[a-z]+$"}
    - {name: texts, type: "array[string]", max_len: 4}
  limits: {max_payload_bytes: 4096}
)";
  auto findings = Only(Lint(text), "unbounded-string");
  ASSERT_EQ(findings.size(), 2u) << Describe(findings);
  EXPECT_EQ(findings[0].pointer, "/request/fields/0");
  EXPECT_EQ(findings[1].pointer, "/request/fields/1/items");
  EXPECT_NE(findings[1].message.find("items of request field \"texts\""), std::string::npos);
}

TEST(UnboundedArray, FiresOnArrayWithoutMaxItems) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: ids, type: "array[string]", items: {max_len: 10}}
  limits: {max_payload_bytes: 4096}
)";
  EXPECT_EQ(The(Lint(text), "unbounded-array").pointer, "/request/fields/0");
}

TEST(UnboundedArray, SilentWithMaxItemsOrBatchLimit) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: ids, type: "array[string]", required: true, items: {max_len: 10}}
    - {name: tags, type: "array[string]", max_len: 3, items: {max_len: 10}}
  limits: {max_payload_bytes: 4096, max_batch: 16}
)";
  EXPECT_TRUE(Silent(Lint(text), "unbounded-array"));
}

TEST(UnboundedNumber, FiresOnHalfOpenRange) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: amount, type: number, min: 0}
  limits: {max_payload_bytes: 4096}
)";
  auto finding = The(Lint(text), "unbounded-number");
  EXPECT_NE(finding.message.find("no maximum"), std::string::npos) << finding.message;
}

TEST(UnboundedNumber, SilentWithRangeOrEnum) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: amount, type: number, range: [0, 100]}
    - {name: k, type: integer, enum: [1, 5, 10]}
  limits: {max_payload_bytes: 4096}
)";
  EXPECT_TRUE(Silent(Lint(text), "unbounded-number"));
}

TEST(UnboundedObject, FiresOnObjectWithoutFields) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: context, type: object}
  limits: {max_payload_bytes: 4096}
)";
  EXPECT_TRUE(FiresOnce(Lint(text), "unbounded-object"));
}

TEST(UnboundedObject, SilentWithDeclaredFields) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - name: context
      type: object
      fields:
        - {name: country, type: string, format: iso4217}
  limits: {max_payload_bytes: 4096}
)";
  EXPECT_TRUE(Silent(Lint(text), "unbounded-object"));
}

TEST(NoPayloadLimit, FiresWithoutMaxPayloadBytes) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: text, type: string, max_len: 100}
)";
  EXPECT_EQ(The(Lint(text), "no-payload-limit").pointer, "/request/limits/max_payload_bytes");
}

TEST(NoPayloadLimit, SilentWithLimitUnderConstraints) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: text, type: string, max_len: 100}
)";
  text.constraints += "  max_payload_bytes: 4096\n";
  EXPECT_TRUE(Silent(Lint(text), "no-payload-limit"));
}

TEST(CharLimitBelowItem, FiresWhenOneStringOutgrowsTheRequestLimit) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: text, type: string, max_len: 100}
  limits: {max_payload_bytes: 4096, max_total_chars: 50}
)";
  auto finding = The(Lint(text), "char-limit-below-item");
  EXPECT_EQ(finding.pointer, "/request/fields/0");
  EXPECT_NE(finding.fix.find("at most 50"), std::string::npos) << finding.fix;
}

TEST(CharLimitBelowItem, SilentWhenTheItemFits) {
  ContractText text;
  text.request = R"(
request:
  fields:
    - {name: text, type: string, max_len: 100}
  limits: {max_payload_bytes: 4096, max_total_chars: 100}
)";
  EXPECT_TRUE(Silent(Lint(text), "char-limit-below-item"));
}

constexpr std::string_view kBatchOfTexts = R"(
request:
  fields:
    - {name: texts, type: "array[string]", required: true, max_len: 32, items: {max_len: 1000}}
)";

TEST(PayloadLimitTooSmall, FiresWhenMaximalRequestExceedsTheLimit) {
  ContractText text;
  text.request = std::string(kBatchOfTexts) + "  limits: {max_payload_bytes: 4096}\n";
  auto finding = The(Lint(text), "payload-limit-too-small");
  EXPECT_EQ(finding.severity, Severity::kError);
  // {"texts":[...]} with 32 strings of 1000 characters: 1 + 8 + 2 + 32 * 1002 + 31 + 1 bytes.
  EXPECT_NE(finding.message.find("32107 bytes"), std::string::npos) << finding.message;
}

TEST(PayloadLimitTooSmall, SilentWhenTheLimitHoldsTheMaximalRequest) {
  ContractText text;
  text.request = std::string(kBatchOfTexts) + "  limits: {max_payload_bytes: 32107}\n";
  EXPECT_TRUE(Silent(Lint(text), "payload-limit-too-small"));
}

TEST(PayloadLimitTooSmall, SilentWhenTheCharacterLimitCapsTheStrings) {
  ContractText text;
  text.request =
      std::string(kBatchOfTexts) + "  limits: {max_payload_bytes: 4096, max_total_chars: 2000}\n";
  EXPECT_TRUE(Silent(Lint(text), "payload-limit-too-small"));
}

// ---------------------------------------------------------------------------------------------
// Outputs

TEST(ScoreWithoutRange, FiresOnScoreAndOnScoreItems) {
  ContractText text;
  text.response = R"(
response:
  fields:
    - {name: risk_score, type: number, required: true}
    - {name: scores, type: "array[number]", max_len: 5, desc: "in request order"}
  confidence: calibrated
)";
  auto findings = Only(Lint(text), "score-without-range");
  ASSERT_EQ(findings.size(), 2u) << Describe(findings);
  EXPECT_EQ(findings[0].pointer, "/response/fields/0");
  EXPECT_EQ(findings[1].pointer, "/response/fields/1/items");
}

TEST(ScoreWithoutRange, SilentWithRangeOrOnOtherNumbers) {
  ContractText text;
  text.response = R"(
response:
  fields:
    - {name: risk_score, type: number, range: [0, 1]}
    - {name: item_count, type: integer}
  confidence: calibrated
)";
  EXPECT_TRUE(Silent(Lint(text), "score-without-range"));
}

TEST(ListWithoutOrder, FiresOnListOfObjectsWithoutOrdering) {
  ContractText text;
  text.response = R"(
response:
  fields:
    - name: items
      type: array[object]
      max_len: 10
      fields:
        - {name: id, type: string}
        - {name: score, type: number, range: [0, 1]}
  confidence: calibrated
)";
  EXPECT_EQ(The(Lint(text), "list-without-order").pointer, "/response/fields/0");
}

TEST(ListWithoutOrder, SilentWithOrderingRuleSentenceOrDescription) {
  ContractText text;
  text.response = R"(
response:
  fields:
    - {name: items, type: "array[object]", max_len: 10}
    - {name: "items[].score", type: number, range: [0, 1]}
    - {name: ranked, type: "array[object]", max_len: 10}
    - {name: "ranked[].score", type: number, range: [0, 1]}
    - {name: vectors, type: "array[array[number]]", desc: "One vector per text, in request order"}
  ordering:
    - {list: items, by: score}
    - The ranked list is sorted by score desc.
  confidence: calibrated
)";
  EXPECT_TRUE(Silent(Lint(text), "list-without-order"));
}

TEST(ListWithoutOrder, SilentOnReasonCodeListsWithMeanings) {
  ContractText text;
  text.response = R"(
response:
  fields:
    - {name: reasons, type: "array[string]", max_len: 3, enum: [HIGH_AMOUNT, NEW_CARD]}
  confidence: calibrated
  reason_codes: {HIGH_AMOUNT: the amount is high, NEW_CARD: the card is new}
)";
  EXPECT_TRUE(Silent(Lint(text), "list-without-order"));
}

TEST(ConfidenceWithoutMeaning, FiresWithoutResponseConfidence) {
  ContractText text;
  text.response = R"(
response:
  fields:
    - {name: confidence, type: number, range: [0, 1]}
)";
  EXPECT_EQ(The(Lint(text), "confidence-without-meaning").pointer, "/response/fields/0");
}

TEST(ConfidenceWithoutMeaning, SilentWithResponseConfidence) {
  ContractText text;
  text.response = R"(
response:
  fields:
    - {name: confidence, type: number, range: [0, 1]}
  confidence: calibrated on last month's traffic; 0.9 means 9 in 10 labels are right
)";
  EXPECT_TRUE(Silent(Lint(text), "confidence-without-meaning"));
}

TEST(ReasonCodesWithoutMeaning, FiresOnCodesMissingFromReasonCodes) {
  ContractText text;
  text.response = R"(
response:
  fields:
    - {name: reasons, type: "array[string]", max_len: 3, enum: [HIGH_AMOUNT, NEW_CARD],
       desc: strongest first}
  confidence: calibrated
  reason_codes: {HIGH_AMOUNT: the amount is high}
)";
  auto finding = The(Lint(text), "reason-codes-without-meaning");
  EXPECT_NE(finding.message.find("NEW_CARD"), std::string::npos) << finding.message;
  EXPECT_EQ(finding.message.find("HIGH_AMOUNT"), std::string::npos) << finding.message;
}

TEST(ReasonCodesWithoutMeaning, FiresOnFreeFormReasonsWithoutReasonCodes) {
  ContractText text;
  text.response = R"(
response:
  fields:
    - {name: reason_codes, type: "array[array[string]]", desc: "in request order"}
  confidence: calibrated
)";
  EXPECT_TRUE(FiresOnce(Lint(text), "reason-codes-without-meaning"));
}

TEST(ReasonCodesWithoutMeaning, SilentWhenEveryCodeHasAMeaning) {
  ContractText text;
  text.response = R"(
response:
  fields:
    - {name: reasons, type: "array[string]", max_len: 3, enum: [HIGH_AMOUNT, NEW_CARD]}
  confidence: calibrated
  reason_codes: {HIGH_AMOUNT: the amount is high, NEW_CARD: the card is new}
)";
  EXPECT_TRUE(Silent(Lint(text), "reason-codes-without-meaning"));
}

// ---------------------------------------------------------------------------------------------
// Errors and deadlines

TEST(ErrorWithoutRetryable, FiresOnDeclaredErrorsThatOmitIt) {
  ContractText text;
  text.errors = R"(
errors:
  - INVALID_INPUT
  - {code: TIMEOUT, retryable: true, backoff: exponential}
)";
  auto finding = The(Lint(text), "error-without-retryable");
  EXPECT_EQ(finding.pointer, "/errors/0");
  EXPECT_GT(finding.line, 0);
  EXPECT_NE(finding.message.find("INVALID_INPUT"), std::string::npos);
}

TEST(ErrorWithoutRetryable, SilentForUndeclaredStandardCodes) {
  ContractText text;
  text.errors.clear();
  EXPECT_TRUE(Silent(Lint(text), "error-without-retryable"));
}

TEST(RetryWithoutGuidance, FiresWithoutBackoffOrRetryAfter) {
  ContractText text;
  text.errors += "  - {code: FEATURES_DOWN, status: 503, retryable: true}\n";
  auto finding = The(Lint(text), "retry-without-guidance");
  EXPECT_NE(finding.message.find("FEATURES_DOWN"), std::string::npos);
}

TEST(RetryWithoutGuidance, SilentWithRetryAfter) {
  ContractText text;
  text.errors += "  - {code: FEATURES_DOWN, status: 503, retryable: true, retry_after: true}\n";
  EXPECT_TRUE(Silent(Lint(text), "retry-without-guidance"));
}

TEST(NoTimeout, FiresWithoutTimeoutOrLatency) {
  ContractText text;
  text.constraints = "constraints: {throughput_rps: 100, burst_rps: 200, data: {pii: false}}\n";
  auto findings = Lint(text);
  EXPECT_EQ(The(findings, "no-timeout").pointer, "/constraints/timeout_ms");
  EXPECT_TRUE(Silent(findings, "latency-without-timeout"));
}

TEST(NoTimeout, SilentWithTimeout) { EXPECT_TRUE(Silent(Lint(ContractText{}), "no-timeout")); }

TEST(LatencyWithoutTimeout, FiresWhenTargetsHaveNoTimeout) {
  ContractText text;
  text.constraints = R"(
constraints:
  latency_ms: {p95: 30, p99: 50}
  throughput_rps: 100
  burst_rps: 200
  data: {pii: false}
)";
  auto findings = Lint(text);
  EXPECT_TRUE(FiresOnce(findings, "latency-without-timeout"));
  EXPECT_TRUE(Silent(findings, "no-timeout"));
}

TEST(LatencyWithoutTimeout, SilentWithTimeout) {
  EXPECT_TRUE(Silent(Lint(ContractText{}), "latency-without-timeout"));
}

// ---------------------------------------------------------------------------------------------
// Latency

ContractText WithConstraints(std::string_view latency_and_timeout) {
  ContractText text;
  text.constraints = "\nconstraints:\n" + std::string(latency_and_timeout) +
                     "  throughput_rps: 100\n  burst_rps: 200\n  data: {pii: false}\n";
  return text;
}

TEST(NoLatencyPercentile, FiresWithOnlyP50) {
  auto findings = Lint(WithConstraints("  latency_ms: {p50: 10}\n  timeout_ms: 100\n"));
  auto finding = The(findings, "no-latency-percentile");
  EXPECT_NE(finding.message.find("p50"), std::string::npos);
}

TEST(NoLatencyPercentile, SilentWithP99Only) {
  auto findings = Lint(WithConstraints("  latency_ms: {p99: 50}\n  timeout_ms: 100\n"));
  EXPECT_TRUE(Silent(findings, "no-latency-percentile"));
}

TEST(TimeoutBelowP95, FiresWhenTimeoutIsBelowTheTarget) {
  auto findings = Lint(WithConstraints("  latency_ms: {p95: 30, p99: 50}\n  timeout_ms: 20\n"));
  auto finding = The(findings, "timeout-below-p95");
  EXPECT_EQ(finding.severity, Severity::kError);
  EXPECT_EQ(finding.pointer, "/constraints/timeout_ms");
  EXPECT_TRUE(Silent(findings, "timeout-below-p99"));
}

TEST(TimeoutBelowP95, FiresOnThePerBatchTargetItMisses) {
  auto findings = Lint(WithConstraints(
      "  latency_ms: {p95: {batch1: 30, batch8: 120}}\n  timeout_ms: 100\n  max_batch: 8\n"));
  auto finding = The(findings, "timeout-below-p95");
  EXPECT_NE(finding.message.find("for batch 8"), std::string::npos) << finding.message;
}

TEST(TimeoutBelowP95, SilentWhenTimeoutCoversTheTargets) {
  EXPECT_TRUE(Silent(Lint(ContractText{}), "timeout-below-p95"));
}

TEST(TimeoutBelowP99, FiresBetweenP95AndP99) {
  auto findings = Lint(WithConstraints("  latency_ms: {p95: 30, p99: 50}\n  timeout_ms: 40\n"));
  EXPECT_TRUE(FiresOnce(findings, "timeout-below-p99"));
  EXPECT_TRUE(Silent(findings, "timeout-below-p95"));
}

TEST(PercentilesOutOfOrder, FiresWhenP50IsAboveP95) {
  auto findings =
      Lint(WithConstraints("  latency_ms: {p50: 40, p95: 30, p99: 50}\n  timeout_ms: 100\n"));
  EXPECT_TRUE(FiresOnce(findings, "percentiles-out-of-order"));
}

TEST(PercentilesOutOfOrder, SilentWhenEachPercentileGrows) {
  EXPECT_TRUE(Silent(Lint(ContractText{}), "percentiles-out-of-order"));
}

TEST(BatchLatencyNotMonotone, FiresWhenALargerBatchIsFaster) {
  auto findings = Lint(WithConstraints(
      "  latency_ms: {p95: {batch1: 50, batch8: 40}}\n  timeout_ms: 100\n  max_batch: 8\n"));
  EXPECT_EQ(The(findings, "batch-latency-not-monotone").pointer, "/constraints/latency_ms/p95");
}

TEST(BatchLatencyNotMonotone, SilentWhenTargetsGrowWithBatchSize) {
  auto findings = Lint(WithConstraints(
      "  latency_ms: {p95: {batch1: 30, batch8: 60}}\n  timeout_ms: 100\n  max_batch: 8\n"));
  EXPECT_TRUE(Silent(findings, "batch-latency-not-monotone"));
}

TEST(MaxBatchWithoutLatency, FiresWhenTargetsStopBelowMaxBatch) {
  auto findings = Lint(WithConstraints(
      "  latency_ms: {p95: {batch1: 30, batch16: 60}}\n  timeout_ms: 100\n  max_batch: 32\n"));
  auto finding = The(findings, "max-batch-without-latency");
  EXPECT_NE(finding.fix.find("batch32"), std::string::npos) << finding.fix;
}

TEST(MaxBatchWithoutLatency, SilentWithTargetAtMaxBatchOrDefault) {
  auto at_max = Lint(WithConstraints(
      "  latency_ms: {p95: {batch1: 30, batch32: 60}}\n  timeout_ms: 100\n  max_batch: 32\n"));
  EXPECT_TRUE(Silent(at_max, "max-batch-without-latency"));
  auto with_default = Lint(WithConstraints(
      "  latency_ms: {p95: {default: 60, batch1: 30}}\n  timeout_ms: 100\n  max_batch: 32\n"));
  EXPECT_TRUE(Silent(with_default, "max-batch-without-latency"));
}

// ---------------------------------------------------------------------------------------------
// Versioning and idempotency

TEST(NoDeprecationWindow, FiresWithoutWindow) {
  ContractText text;
  text.compatibility = "compatibility: {additive_only: true}\n";
  EXPECT_TRUE(FiresOnce(Lint(text), "no-deprecation-window"));
}

TEST(NoDeprecationWindow, SilentWithDeprecationPolicyDays) {
  ContractText text;
  text.compatibility = "compatibility: {additive_only: true}\ndeprecation: {policy_days: 90}\n";
  EXPECT_TRUE(Silent(Lint(text), "no-deprecation-window"));
}

TEST(NoAdditiveOnly, FiresWithoutTheRule) {
  ContractText text;
  text.compatibility = "compatibility: {deprecation_days: 90}\n";
  EXPECT_EQ(The(Lint(text), "no-additive-only").pointer, "/compatibility/additive_only");
}

TEST(NoAdditiveOnly, SilentWithTheRule) {
  EXPECT_TRUE(Silent(Lint(ContractText{}), "no-additive-only"));
}

TEST(NoIdempotency, FiresOnBillableOperation) {
  ContractText text;
  text.head = "name: payments\npurpose: Charge the card for one order.\nversion: v1\n";
  auto finding = The(Lint(text), "no-idempotency");
  EXPECT_NE(finding.message.find("\"charge\""), std::string::npos) << finding.message;
}

TEST(NoIdempotency, FiresWhenRequestsHaveACost) {
  ContractText text;
  text.constraints += "  cost_per_1k_requests: 0.2\n";
  EXPECT_TRUE(FiresOnce(Lint(text), "no-idempotency"));
}

TEST(NoIdempotency, SilentWithIdempotencyKey) {
  ContractText text;
  text.head = "name: payments\npurpose: Charge the card for one order.\nversion: v1\n";
  text.behavior = "behavior: {idempotency: true}\n";
  EXPECT_TRUE(Silent(Lint(text), "no-idempotency"));
}

// ---------------------------------------------------------------------------------------------
// Personal data

ContractText WithRequestField(std::string_view field, std::string_view data) {
  ContractText text;
  text.request = "\nrequest:\n  fields:\n    - " + std::string(field) +
                 "\n  limits: {max_payload_bytes: 4096}\n";
  text.constraints =
      "\nconstraints:\n  latency_ms: {p95: 30}\n  timeout_ms: 100\n"
      "  throughput_rps: 100\n  burst_rps: 200\n" +
      std::string(data);
  return text;
}

TEST(PiiUndecided, FiresOnEmailFieldWithoutDecision) {
  auto findings = Lint(WithRequestField("{name: customerEmail, type: string, max_len: 254}", ""));
  auto finding = The(findings, "pii-undecided");
  EXPECT_NE(finding.message.find("an email address"), std::string::npos) << finding.message;
}

TEST(PiiUndecided, SilentWhenMarkedListedOrNotPersonal) {
  auto marked = Lint(WithRequestField("{name: email, type: string, max_len: 254, pii: true}", ""));
  EXPECT_TRUE(Silent(marked, "pii-undecided"));
  auto listed = Lint(WithRequestField("{name: phone, type: string, max_len: 20}",
                                      "  data: {pii: true, pii_fields: [phone]}\n"));
  EXPECT_TRUE(Silent(listed, "pii-undecided"));
  auto business = Lint(WithRequestField("{name: merchant_name, type: string, max_len: 64}", ""));
  EXPECT_TRUE(Silent(business, "pii-undecided"));
  auto derived = Lint(WithRequestField("{name: ip_country, type: string, max_len: 2}", ""));
  EXPECT_TRUE(Silent(derived, "pii-undecided"));
}

TEST(PiiContradiction, FiresOnPersonalFieldWhenPiiFalse) {
  auto by_name = Lint(WithRequestField("{name: date_of_birth, type: string, format: date}",
                                       "  data: {pii: false}\n"));
  EXPECT_EQ(The(by_name, "pii-contradiction").severity, Severity::kError);
  auto by_mark = Lint(WithRequestField("{name: user_id, type: string, max_len: 64, pii: true}",
                                       "  data: {pii: false}\n"));
  EXPECT_TRUE(FiresOnce(by_mark, "pii-contradiction"));
}

TEST(PiiContradiction, SilentWhenDataPiiIsTrue) {
  auto findings = Lint(WithRequestField("{name: email, type: string, max_len: 254, pii: true}",
                                        "  data: {pii: true}\n"));
  EXPECT_TRUE(Silent(findings, "pii-contradiction"));
}

TEST(NoPiiDecision, NotesMissingDecision) {
  auto findings = Lint(WithRequestField("{name: text, type: string, max_len: 100}", ""));
  EXPECT_EQ(The(findings, "no-pii-decision").severity, Severity::kNote);
}

TEST(NoPiiDecision, SilentWithDecision) {
  EXPECT_TRUE(Silent(Lint(ContractText{}), "no-pii-decision"));
}

// ---------------------------------------------------------------------------------------------
// Observability, rate, cost, budget, capacity, safety

TEST(NoObservability, FiresWithoutTheSection) {
  ContractText text;
  text.observability.clear();
  EXPECT_TRUE(FiresOnce(Lint(text), "no-observability"));
}

TEST(NoObservability, SilentWithTheSection) {
  EXPECT_TRUE(Silent(Lint(ContractText{}), "no-observability"));
}

TEST(ObservabilityIncomplete, FiresAndNamesWhatIsMissing) {
  ContractText text;
  text.observability = "observability: {metrics: [requests_total]}\n";
  auto finding = The(Lint(text), "observability-incomplete");
  EXPECT_NE(finding.message.find("p95 latency, error rate"), std::string::npos) << finding.message;
}

TEST(ObservabilityIncomplete, SilentWithLooselyNamedMetrics) {
  ContractText text;
  text.observability =
      "observability: {metrics: [request_duration_seconds, requests_total, errors_total]}\n";
  EXPECT_TRUE(Silent(Lint(text), "observability-incomplete"));
}

TEST(ThroughputWithoutBurst, FiresWithoutBurstRps) {
  ContractText text;
  text.constraints =
      "constraints: {latency_ms: {p95: 30}, timeout_ms: 100, throughput_rps: 100, "
      "data: {pii: false}}\n";
  EXPECT_EQ(The(Lint(text), "throughput-without-burst").pointer, "/constraints/burst_rps");
}

TEST(ThroughputWithoutBurst, SilentWithBurst) {
  EXPECT_TRUE(Silent(Lint(ContractText{}), "throughput-without-burst"));
}

TEST(BurstBelowThroughput, FiresWhenBurstIsLower) {
  ContractText text;
  text.constraints =
      "constraints: {latency_ms: {p95: 30}, timeout_ms: 100, throughput_rps: 100, "
      "burst_rps: 50, data: {pii: false}}\n";
  EXPECT_TRUE(FiresOnce(Lint(text), "burst-below-throughput"));
}

TEST(BurstBelowThroughput, SilentWhenBurstIsHigher) {
  EXPECT_TRUE(Silent(Lint(ContractText{}), "burst-below-throughput"));
}

TEST(CostWithoutThroughput, FiresOnCostWithoutRate) {
  ContractText text;
  text.constraints =
      "constraints: {latency_ms: {p95: 30}, timeout_ms: 100, cost_per_hour: 0.55, "
      "data: {pii: false}}\n";
  EXPECT_EQ(The(Lint(text), "cost-without-throughput").pointer, "/constraints/throughput_rps");
}

TEST(CostWithoutThroughput, SilentWithRate) {
  ContractText text;
  text.constraints += "  cost_per_hour: 0.55\n";
  EXPECT_TRUE(Silent(Lint(text), "cost-without-throughput"));
}

TEST(BudgetExceedsSlo, FiresWhenComponentsAddUpAboveTheSlo) {
  ContractText text;
  text.extra =
      "budget: {slo_ms: 200, components: {network: 40, features: 70, model: 80, "
      "post: 40}}\n";
  auto finding = The(Lint(text), "budget-exceeds-slo");
  EXPECT_NE(finding.message.find("230 ms"), std::string::npos) << finding.message;
}

TEST(BudgetExceedsSlo, UsesTheP95TargetWithoutSloMs) {
  ContractText text;  // p95 is 30 ms
  text.extra = "budget: {components: {network: 20, model: 20}}\n";
  EXPECT_TRUE(FiresOnce(Lint(text), "budget-exceeds-slo"));
}

TEST(BudgetExceedsSlo, SilentWithinTheSlo) {
  ContractText text;
  text.extra =
      "budget: {slo_ms: 200, components: {network: 40, features: 40, model: 80, "
      "post: 20}}\n";
  EXPECT_TRUE(Silent(Lint(text), "budget-exceeds-slo"));
}

TEST(BatchAboveCapacity, FiresWhenConcurrentRequestsCannotFillABatch) {
  ContractText text;
  text.constraints += "  max_concurrency: 4\n";
  text.behavior = "behavior: {batching: {max_batch: 64, max_delay_ms: 5}}\n";
  auto finding = The(Lint(text), "batch-above-capacity");
  EXPECT_NE(finding.fix.find("at most 4"), std::string::npos) << finding.fix;
}

TEST(BatchAboveCapacity, CountsTheRowsOfEachBatchRequest) {
  ContractText text;
  text.request =
      std::string(kBatchOfTexts) + "  limits: {max_payload_bytes: 65536, max_batch: 32}\n";
  text.constraints += "  max_concurrency: 4\n";
  text.behavior = "behavior: {batching: {max_batch: 64, max_delay_ms: 5}}\n";
  EXPECT_TRUE(Silent(Lint(text), "batch-above-capacity"));
}

TEST(NoFallback, NotesMissingFallback) {
  ContractText text;
  text.safety.clear();
  EXPECT_EQ(The(Lint(text), "no-fallback").severity, Severity::kNote);
}

TEST(NoFallback, SilentWithFallback) { EXPECT_TRUE(Silent(Lint(ContractText{}), "no-fallback")); }

// ---------------------------------------------------------------------------------------------
// Files, locations and output

TEST(LintFile, FraudExampleHasNoErrorsOrWarnings) {
  auto findings = LintFile(std::string(MODELGATE_SOURCE_DIR) + "/examples/fraud/contract.yaml");
  ASSERT_TRUE(findings.ok()) << findings.status();
  auto counts = CountFindings(*findings);
  EXPECT_EQ(counts.errors, 0) << Describe(*findings);
  EXPECT_EQ(counts.warnings, 0) << Describe(*findings);
}

TEST(LintFile, ReportsLoaderErrorsWithTheirLocation) {
  std::string path = testing::TempDir() + "/lint_invalid.yaml";
  std::ofstream(path) << "version: v1\nrequest:\n  fields:\n    - {name: a, type: strng}\n";
  auto findings = LintFile(path);
  ASSERT_FALSE(findings.ok());
  EXPECT_NE(findings.status().message().find(path + ":4:"), std::string::npos) << findings.status();
  EXPECT_FALSE(LintFile(testing::TempDir() + "/no_such_contract.yaml").ok());
}

// The 1-based line of the first occurrence of `part` in `text`.
int LineOf(std::string_view text, std::string_view part) {
  auto before = text.substr(0, text.find(part));
  return 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
}

TEST(LocateFindings, PointsMissingKeysAtTheirSection) {
  ContractText text;
  text.constraints =
      "\nconstraints:\n  latency_ms_p95: 30\n  throughput_rps: 100\n"
      "  burst_rps: 200\n  data: {pii: false}\n";
  auto findings = Lint(text);
  LocateFindings(text.Text(), findings);
  auto timeout = The(findings, "latency-without-timeout");
  EXPECT_EQ(timeout.line, LineOf(text.Text(), "constraints:"));
  EXPECT_EQ(timeout.column, 1);
}

TEST(LocateFindings, FollowsFlatLatencyKeys) {
  std::string source = "constraints:\n  latency_p95_ms: {batch1: 50, batch8: 40}\n";
  std::vector<Finding> findings(1);
  findings[0].pointer = "/constraints/latency_ms/p95";
  LocateFindings(source, findings);
  EXPECT_EQ(findings[0].line, 2);
  EXPECT_EQ(findings[0].column, 3);
}

// A contract whose one finding is an unbounded string on line 4, column 7.
constexpr std::string_view kOneFinding = R"(name: t
version: v1
request:
  fields: [{name: text, type: string}]
  limits: {max_payload_bytes: 4096}
response:
  fields: [{name: label, type: string, enum: [a, b]}]
)";

std::vector<Finding> OneFinding() {
  auto contract = contract::LoadContractText(std::string(kOneFinding), "one.yaml");
  EXPECT_TRUE(contract.ok()) << contract.status();
  return Only(LintContract(*contract), "unbounded-string");
}

TEST(RenderFindings, TextStartsWithLocationSeverityRuleAndMessage) {
  std::string text = RenderFindings(OneFinding(), ReportFormat::kText, LintReportTool());
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "one.yaml:4:12: warning [unbounded-string] request field \"text\" is a string "
            "without max_len");
  EXPECT_NE(text.find("\n  at: /request/fields/0\n  fix: add max_len"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\n0 errors, 1 warning, 0 notes\n")) << text;
}

TEST(RenderFindings, JsonHasFindingsAndSummary) {
  std::string text = RenderFindings(OneFinding(), ReportFormat::kJson, LintReportTool());
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(text).get(root), simdjson::SUCCESS) << text;
  simdjson::dom::element finding = root["findings"].at(0);
  EXPECT_EQ(std::string_view(finding["rule"]), "unbounded-string");
  EXPECT_EQ(std::string_view(finding["severity"]), "warning");
  EXPECT_EQ(std::string_view(finding["pointer"]), "/request/fields/0");
  EXPECT_EQ(int64_t(finding["line"]), 4);
  EXPECT_EQ(int64_t(root["summary"]["warnings"]), 1);
  EXPECT_EQ(int64_t(root["summary"]["errors"]), 0);
}

TEST(RenderFindings, SarifParsesAndHasTheRequiredKeys) {
  auto findings = OneFinding();
  Finding unlocated;
  unlocated.rule = "no-timeout";
  unlocated.severity = Severity::kError;
  unlocated.file = "/tmp/dir with space/one.yaml";
  unlocated.message = "no timeout.";
  findings.push_back(unlocated);
  std::string text = RenderFindings(findings, ReportFormat::kSarif, LintReportTool());

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(text).get(root), simdjson::SUCCESS) << text;
  EXPECT_EQ(std::string_view(root["$schema"]), "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(std::string_view(root["version"]), "2.1.0");
  simdjson::dom::element run = root["runs"].at(0);
  simdjson::dom::element driver = run["tool"]["driver"];
  EXPECT_EQ(std::string_view(driver["name"]), "modelgate lint");
  simdjson::dom::array rules = driver["rules"];
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(std::string_view(rules.at(0)["id"]), "unbounded-string");
  EXPECT_FALSE(std::string_view(rules.at(0)["shortDescription"]["text"]).empty());

  simdjson::dom::element located = run["results"].at(0);
  EXPECT_EQ(std::string_view(located["ruleId"]), "unbounded-string");
  EXPECT_EQ(std::string_view(located["level"]), "warning");
  EXPECT_NE(std::string_view(located["message"]["text"]).find(" Fix: add max_len"),
            std::string_view::npos);
  simdjson::dom::element physical = located["locations"].at(0)["physicalLocation"];
  EXPECT_EQ(std::string_view(physical["artifactLocation"]["uri"]), "one.yaml");
  EXPECT_EQ(int64_t(physical["region"]["startLine"]), 4);
  EXPECT_EQ(int64_t(physical["region"]["startColumn"]), 12);

  simdjson::dom::element bare = run["results"].at(1);
  EXPECT_EQ(std::string_view(bare["level"]), "error");
  simdjson::dom::element bare_location = bare["locations"].at(0)["physicalLocation"];
  EXPECT_EQ(std::string_view(bare_location["artifactLocation"]["uri"]),
            "file:///tmp/dir%20with%20space/one.yaml");
  EXPECT_EQ(bare_location["region"].error(), simdjson::NO_SUCH_FIELD);
}

}  // namespace
}  // namespace modelgate::tools
