#include "tools/budget.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "contract/loader.h"

namespace modelgate::tools {
namespace {

// docs/examples/fraud-score.yaml: slo_ms 80, margin_pct 10, components
// decode_and_validate 2, features 15, model 45, encode 2 (total 64 of 72 available).
const std::string kFraudScore =
    std::string(MODELGATE_SOURCE_DIR) + "/docs/examples/fraud-score.yaml";
// examples/fraud/contract.yaml: no budget section, constraints p95 80 ms.
const std::string kFraudExample =
    std::string(MODELGATE_SOURCE_DIR) + "/examples/fraud/contract.yaml";

// Discretisation error of the convolution: each of k components moves by at most half a bin.
constexpr double kBinWidthMs = 0.1;

contract::Contract Load(const std::string& path) {
  auto contract = contract::LoadContract(path);
  EXPECT_TRUE(contract.ok()) << contract.status();
  return contract.ok() ? *std::move(contract) : contract::Contract{};
}

BudgetSpec Resolve(const contract::Contract* contract, const BudgetFlags& flags) {
  auto spec = ResolveBudget(contract, flags);
  EXPECT_TRUE(spec.ok()) << spec.status();
  return spec.ok() ? *std::move(spec) : BudgetSpec{};
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

RunResult RunCommand(const BudgetOptions& options) {
  std::ostringstream out;
  std::ostringstream err;
  RunResult result;
  result.exit_code = RunBudget(options, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

MeasuredComponent Samples(std::string name, std::vector<double> samples) {
  return MeasuredComponent{std::move(name), std::move(samples), {}};
}

std::vector<double> Grid(int first, int last) {
  std::vector<double> values;
  for (int value = first; value <= last; ++value) values.push_back(value);
  return values;
}

TEST(BudgetTest, SectionWithinBudget) {
  auto contract = Load(kFraudScore);
  BudgetSpec spec = Resolve(&contract, {});
  EXPECT_EQ(spec.slo_ms, 80);
  EXPECT_EQ(spec.slo_source, "budget.slo_ms");
  EXPECT_EQ(spec.margin_pct, 10);
  ASSERT_EQ(spec.components_ms.size(), 4u);

  BudgetCheck check = CheckBudget(spec);
  EXPECT_DOUBLE_EQ(check.margin_ms, 8);
  EXPECT_DOUBLE_EQ(check.available_ms, 72);
  EXPECT_DOUBLE_EQ(check.total_ms, 64);
  EXPECT_DOUBLE_EQ(check.headroom_ms, 8);
  EXPECT_TRUE(check.within());
  EXPECT_TRUE(check.proportional_cuts.empty());
  EXPECT_FALSE(check.largest_cut.has_value());
  ASSERT_EQ(check.shares.size(), 4u);
  EXPECT_EQ(check.shares[2].name, "model");
  EXPECT_DOUBLE_EQ(check.shares[2].share_of_total_pct, 45.0 / 64 * 100);
  EXPECT_DOUBLE_EQ(check.shares[2].share_of_available_pct, 62.5);
}

TEST(BudgetTest, SectionOverBudgetWithTighterSlo) {
  auto contract = Load(kFraudScore);
  BudgetFlags flags;
  flags.slo_ms = 60;  // available 54, total 64: over by 10
  BudgetCheck check = CheckBudget(Resolve(&contract, flags));
  EXPECT_DOUBLE_EQ(check.headroom_ms, -10);
  EXPECT_FALSE(check.within());

  // Proportional: every target lowered by 10/64.
  ASSERT_EQ(check.proportional_cuts.size(), 4u);
  EXPECT_EQ(check.proportional_cuts[0].name, "decode_and_validate");
  EXPECT_DOUBLE_EQ(check.proportional_cuts[0].cut_ms, 0.3125);
  EXPECT_DOUBLE_EQ(check.proportional_cuts[1].cut_ms, 2.34375);
  EXPECT_DOUBLE_EQ(check.proportional_cuts[2].cut_ms, 7.03125);
  EXPECT_DOUBLE_EQ(check.proportional_cuts[2].target_ms, 37.96875);
  EXPECT_DOUBLE_EQ(check.proportional_cuts[3].cut_ms, 0.3125);
  double new_total = 0;
  for (const auto& cut : check.proportional_cuts) new_total += cut.target_ms;
  EXPECT_DOUBLE_EQ(new_total, 54);

  ASSERT_TRUE(check.largest_cut.has_value());
  EXPECT_EQ(check.largest_cut->name, "model");
  EXPECT_DOUBLE_EQ(check.largest_cut->cut_ms, 10);
  EXPECT_DOUBLE_EQ(check.largest_cut->target_ms, 35);
  EXPECT_TRUE(check.largest_cut_suffices);
}

TEST(BudgetTest, LargestCutInsufficient) {
  BudgetFlags flags;
  flags.slo_ms = 5;
  flags.components = {"a=3", "b=3", "c=3"};  // over by 4, largest is 3
  BudgetCheck check = CheckBudget(Resolve(nullptr, flags));
  ASSERT_TRUE(check.largest_cut.has_value());
  EXPECT_EQ(check.largest_cut->name, "a");  // first on a tie
  EXPECT_FALSE(check.largest_cut_suffices);
  EXPECT_DOUBLE_EQ(check.largest_cut->cut_ms, 3);
  EXPECT_DOUBLE_EQ(check.largest_cut->target_ms, 0);
}

TEST(BudgetTest, FlagsOnlyBoundaryIsWithin) {
  BudgetFlags flags;
  flags.slo_ms = 100;
  flags.margin_pct = 20;
  flags.components = {"a=30", "b=50"};
  BudgetSpec spec = Resolve(nullptr, flags);
  EXPECT_EQ(spec.slo_source, "--slo-ms");
  BudgetCheck check = CheckBudget(spec);
  EXPECT_DOUBLE_EQ(check.available_ms, 80);
  EXPECT_DOUBLE_EQ(check.headroom_ms, 0);
  EXPECT_TRUE(check.within());

  flags.components = {"a=30", "b=50.5"};
  check = CheckBudget(Resolve(nullptr, flags));
  EXPECT_DOUBLE_EQ(check.headroom_ms, -0.5);
  EXPECT_FALSE(check.within());
}

TEST(BudgetTest, MarginDecidesTheVerdict) {
  BudgetFlags flags;
  flags.slo_ms = 80;
  flags.components = {"a=70"};
  flags.margin_pct = 10;  // 72 available
  EXPECT_TRUE(CheckBudget(Resolve(nullptr, flags)).within());
  flags.margin_pct = 15;  // 68 available
  BudgetCheck check = CheckBudget(Resolve(nullptr, flags));
  EXPECT_DOUBLE_EQ(check.margin_ms, 12);
  EXPECT_DOUBLE_EQ(check.headroom_ms, -2);
  EXPECT_FALSE(check.within());
}

TEST(BudgetTest, MarginFlagOverridesSection) {
  auto contract = Load(kFraudScore);
  BudgetFlags flags;
  flags.margin_pct = 25;  // 60 available, total 64
  BudgetCheck check = CheckBudget(Resolve(&contract, flags));
  EXPECT_DOUBLE_EQ(check.available_ms, 60);
  EXPECT_FALSE(check.within());
}

TEST(BudgetTest, ComponentFlagReplacesAndAppends) {
  auto contract = Load(kFraudScore);
  BudgetFlags flags;
  flags.components = {"model=30", "cache=4"};
  BudgetSpec spec = Resolve(&contract, flags);
  ASSERT_EQ(spec.components_ms.size(), 5u);
  EXPECT_EQ(spec.components_ms[2].first, "model");
  EXPECT_EQ(spec.components_ms[2].second, 30);
  EXPECT_EQ(spec.components_ms[4].first, "cache");
  EXPECT_EQ(spec.components_ms[4].second, 4);
  EXPECT_DOUBLE_EQ(CheckBudget(spec).total_ms, 53);
}

TEST(BudgetTest, FraudExampleFitsItsBudget) {
  auto contract = Load(kFraudExample);
  BudgetSpec spec = Resolve(&contract, BudgetFlags{});
  EXPECT_EQ(spec.slo_ms, 80);
  EXPECT_EQ(spec.slo_source, "budget.slo_ms");
  EXPECT_DOUBLE_EQ(CheckBudget(spec).total_ms, 53);
}

TEST(BudgetTest, SloFallsBackToConstraintsP95) {
  // A contract with a p95 target and no budget section.
  auto loaded = contract::LoadContractText(
      "version: v1\nrequest:\n  fields: []\nconstraints:\n  latency_ms: {p95: 80}\n",
      "no-budget.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  contract::Contract contract = *std::move(loaded);
  BudgetFlags flags;
  flags.components = {"model=50"};
  BudgetSpec spec = Resolve(&contract, flags);
  EXPECT_EQ(spec.slo_ms, 80);
  EXPECT_EQ(spec.slo_source, "constraints.latency_ms.p95");
  EXPECT_EQ(spec.margin_pct, 0);
}

TEST(BudgetTest, BadValuesAreUnusable) {
  struct Case {
    const char* name;
    BudgetFlags flags;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"negative slo", {-1.0, {}, {"a=1"}}, "--slo-ms is -1"},
      {"zero slo", {0.0, {}, {"a=1"}}, "--slo-ms is 0"},
      {"nan slo", {std::nan(""), {}, {"a=1"}}, "--slo-ms is nan"},
      {"margin 100", {80.0, 100.0, {"a=1"}}, "--margin-pct is 100"},
      {"negative margin", {80.0, -5.0, {"a=1"}}, "--margin-pct is -5"},
      {"no equals", {80.0, {}, {"model"}}, "expected NAME=MS"},
      {"no name", {80.0, {}, {"=5"}}, "expected NAME=MS"},
      {"not a number", {80.0, {}, {"model=abc"}}, "\"abc\" is not a finite number"},
      {"unit suffix", {80.0, {}, {"model=5ms"}}, "\"5ms\" is not a finite number"},
      {"infinite", {80.0, {}, {"model=inf"}}, "\"inf\" is not a finite number"},
      {"negative target", {80.0, {}, {"model=-1"}}, "component model has a target of -1"},
      {"no components", {80.0, {}, {}}, "no components"},
      {"no slo", {{}, {}, {"a=1"}}, "no end-to-end p95 objective"},
  };
  for (const auto& test : cases) {
    BudgetOptions options;
    options.flags = test.flags;
    RunResult result = RunCommand(options);
    EXPECT_EQ(result.exit_code, kBudgetUnusableInput) << test.name;
    EXPECT_NE(result.err.find(test.message), std::string::npos) << test.name << ": " << result.err;
    EXPECT_TRUE(result.out.empty()) << test.name;
  }
}

TEST(BudgetTest, ContractMarginOutOfRangeIsUnusable) {
  auto contract = contract::LoadContractText(R"(
version: v1
request: {fields: [{name: text, type: string}]}
response: {fields: [{name: label, type: string}]}
budget: {slo_ms: 50, margin_pct: 120, components: {model: 10}}
)",
                                             "margin.yaml");
  ASSERT_TRUE(contract.ok()) << contract.status();
  auto spec = ResolveBudget(&*contract, {});
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("budget.margin_pct is 120"), std::string::npos);
}

TEST(BudgetTest, RunExitCodes) {
  BudgetOptions options;
  options.contract_path = kFraudScore;
  EXPECT_EQ(RunCommand(options).exit_code, kBudgetWithin);
  options.flags.slo_ms = 60;
  EXPECT_EQ(RunCommand(options).exit_code, kBudgetOver);
  options.contract_path = testing::TempDir() + "/missing-contract.yaml";
  EXPECT_EQ(RunCommand(options).exit_code, kBudgetUnusableInput);
}

TEST(BudgetTest, TextReportListsSharesCutsAndNote) {
  BudgetOptions options;
  options.contract_path = kFraudScore;
  options.flags.slo_ms = 60;
  RunResult result = RunCommand(options);
  EXPECT_NE(result.out.find("Latency budget of fraud-score"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Targets over budget by 10 ms"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("model: 45 ms -> 37.969 ms (cut 7.031 ms)"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("model: 45 ms -> 35 ms (cut 10 ms)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Adding p95 targets is usually conservative"), std::string::npos);

  options.flags.slo_ms.reset();
  result = RunCommand(options);
  EXPECT_NE(result.out.find("Targets within budget: 8 ms of headroom"), std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("cut"), std::string::npos) << result.out;
}

TEST(BudgetTest, JsonReportParses) {
  BudgetOptions options;
  options.contract_path = kFraudScore;
  options.flags.slo_ms = 60;
  options.format = BudgetFormat::kJson;
  RunResult result = RunCommand(options);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(result.out).get(root), simdjson::SUCCESS) << result.out;
  EXPECT_EQ(root["contract"].get_string().value(), "fraud-score");
  EXPECT_EQ(root["available_ms"].get_double().value(), 54);
  EXPECT_EQ(root["headroom_ms"].get_double().value(), -10);
  EXPECT_FALSE(root["within_budget"].get_bool().value());
  EXPECT_EQ(root["largest_cut"]["name"].get_string().value(), "model");
  EXPECT_EQ(root["largest_cut"]["target_ms"].get_double().value(), 35);
  EXPECT_EQ(root["proportional_cuts"].get_array().size(), 4u);
  EXPECT_EQ(root["proportional_cuts"].at(2)["cut_ms"].get_double().value(), 7.031);
  EXPECT_NE(root["note"].get_string().value().find("usually conservative"), std::string::npos);
}

TEST(BudgetMeasuredTest, TwoUniformGridsConvolveExactly) {
  // Two independent components, each uniform on {1, ..., 10} ms. The sum exceeds 18 ms only at
  // 19 (2 of 100 pairs) and 20 (1 pair): P(sum <= 17) = 0.94 and P(sum <= 18) = 0.97, so the
  // exact end-to-end p95 is 18 ms, while each component's p95 is 10 ms.
  BudgetSpec spec{100, "--slo-ms", 0, {{"a", 10}, {"b", 10}}};
  auto estimate = EstimateMeasured({Samples("a", Grid(1, 10)), Samples("b", Grid(1, 10))}, spec);
  ASSERT_TRUE(estimate.ok()) << estimate.status();
  EXPECT_DOUBLE_EQ(estimate->bin_width_ms, kBinWidthMs);
  EXPECT_NEAR(estimate->convolved_p95_ms, 18, 2 * kBinWidthMs / 2);
  EXPECT_NEAR(estimate->sum_of_p95_ms, 20, 2 * kBinWidthMs / 2);
  // Union bound at p97.5 of each: 10 + 10.
  EXPECT_NEAR(estimate->union_bound_ms, 20, 2 * kBinWidthMs / 2);
  ASSERT_EQ(estimate->components.size(), 2u);
  EXPECT_EQ(estimate->components[0].observations, 10);
  EXPECT_TRUE(estimate->warnings.empty());
  EXPECT_TRUE(estimate->unmeasured.empty());
}

TEST(BudgetMeasuredTest, RareTailsExceedSumOfP95s) {
  // Each component is 0 ms with probability 0.96 and 100 ms with 0.04, so each p95 is 0 ms. Both
  // are fast with probability 0.9216 < 0.95, so the end-to-end p95 is 100 ms.
  std::vector<double> samples(96, 0.0);
  samples.insert(samples.end(), 4, 100.0);
  BudgetSpec spec{100, "--slo-ms", 0, {{"a", 0}, {"b", 0}}};
  auto estimate = EstimateMeasured({Samples("a", samples), Samples("b", samples)}, spec);
  ASSERT_TRUE(estimate.ok()) << estimate.status();
  EXPECT_NEAR(estimate->sum_of_p95_ms, 0, 1e-9);
  EXPECT_NEAR(estimate->convolved_p95_ms, 100, 1e-9);
  EXPECT_NEAR(estimate->union_bound_ms, 200, 1e-9);
}

TEST(BudgetMeasuredTest, UnmeasuredComponentsCountAtTarget) {
  BudgetSpec spec{100, "--slo-ms", 0, {{"a", 10}, {"b", 10}, {"encode", 3}}};
  auto estimate = EstimateMeasured({Samples("a", Grid(1, 10)), Samples("b", Grid(1, 10))}, spec);
  ASSERT_TRUE(estimate.ok()) << estimate.status();
  ASSERT_EQ(estimate->unmeasured.size(), 1u);
  EXPECT_EQ(estimate->unmeasured[0], "encode");
  EXPECT_NEAR(estimate->convolved_p95_ms, 21, kBinWidthMs);
  EXPECT_NEAR(estimate->sum_of_p95_ms, 23, kBinWidthMs);
}

TEST(BudgetMeasuredTest, ComponentOutsideBudgetIsWarned) {
  BudgetSpec spec{100, "--slo-ms", 0, {{"a", 10}}};
  auto estimate = EstimateMeasured({Samples("a", Grid(1, 10)), Samples("x", Grid(1, 10))}, spec);
  ASSERT_TRUE(estimate.ok()) << estimate.status();
  ASSERT_EQ(estimate->warnings.size(), 1u);
  EXPECT_NE(estimate->warnings[0].find("x is measured but not in the budget"), std::string::npos);
  EXPECT_FALSE(estimate->components[1].target_ms.has_value());
}

TEST(BudgetMeasuredTest, ParsesJsonSamples) {
  auto measured = ParseMeasured(R"({"components": {"model": [1, 2.5, 3], "encode": [0]}})");
  ASSERT_TRUE(measured.ok()) << measured.status();
  ASSERT_EQ(measured->size(), 2u);
  EXPECT_EQ((*measured)[0].name, "model");
  EXPECT_EQ((*measured)[0].samples_ms, (std::vector<double>{1, 2.5, 3}));
  EXPECT_EQ((*measured)[1].name, "encode");
}

TEST(BudgetMeasuredTest, RejectsBadJson) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"components": {"model": [1, -2]}})", "sample -2 is negative"},
      {R"({"components": {"model": []}})", "/components/model: no samples"},
      {R"({"components": {"model": ["1"]}})", "every sample must be a number"},
      {R"({"components": {"model": 3}})", "expected an array"},
      {R"({"samples": {}})", "expected {\"components\""},
      {R"({"components": )", "not valid JSON"},
  };
  for (const auto& [text, message] : cases) {
    auto measured = ParseMeasured(text);
    ASSERT_FALSE(measured.ok()) << text;
    EXPECT_NE(measured.status().message().find(message), std::string::npos)
        << text << ": " << measured.status().message();
  }
}

// Two components, each uniform on (0, 10] ms, as cumulative buckets in seconds.
constexpr std::string_view kUniformHistograms = R"(# HELP stage_duration_seconds Stage latency.
# TYPE stage_duration_seconds histogram
stage_duration_seconds_bucket{component="a",le="0.005"} 50
stage_duration_seconds_bucket{component="a",le="0.01"} 100
stage_duration_seconds_bucket{component="a",le="+Inf"} 100
stage_duration_seconds_sum{component="a"} 0.5
stage_duration_seconds_count{component="a"} 100
stage_duration_seconds_bucket{component="b",le="0.0025"} 25
stage_duration_seconds_bucket{component="b",le="0.005"} 50
stage_duration_seconds_bucket{component="b",le="0.0075"} 75
stage_duration_seconds_bucket{component="b",le="0.01"} 100
stage_duration_seconds_bucket{component="b",le="+Inf"} 100
)";

TEST(BudgetMeasuredTest, ParsesPrometheusBuckets) {
  auto measured = ParseMeasured(kUniformHistograms);
  ASSERT_TRUE(measured.ok()) << measured.status();
  ASSERT_EQ(measured->size(), 2u);
  const auto& a = (*measured)[0];
  EXPECT_EQ(a.name, "a");
  ASSERT_EQ(a.buckets.size(), 3u);
  EXPECT_DOUBLE_EQ(a.buckets[0].upper_ms, 5);
  EXPECT_DOUBLE_EQ(a.buckets[1].upper_ms, 10);
  EXPECT_TRUE(std::isinf(a.buckets[2].upper_ms));
  EXPECT_EQ(a.buckets[2].cumulative_count, 100);
}

TEST(BudgetMeasuredTest, HistogramsConvolveNearContinuousValue) {
  // For X, Y independent and uniform on (0, 10], P(X + Y > s) = (20 - s)^2 / 200 for s >= 10, so
  // the p95 of the sum is 20 - sqrt(10) = 16.838 ms. Spreading buckets over 0.1 ms bins keeps
  // the estimate within 0.2 ms of it.
  auto measured = ParseMeasured(kUniformHistograms);
  ASSERT_TRUE(measured.ok()) << measured.status();
  BudgetSpec spec{100, "--slo-ms", 0, {{"a", 10}, {"b", 10}}};
  auto estimate = EstimateMeasured(*measured, spec);
  ASSERT_TRUE(estimate.ok()) << estimate.status();
  EXPECT_NEAR(estimate->components[0].p95_ms, 9.5, 1e-9);
  EXPECT_NEAR(estimate->convolved_p95_ms, 20 - std::sqrt(10.0), 0.2);
  EXPECT_NEAR(estimate->sum_of_p95_ms, 19, 1e-9);
  EXPECT_TRUE(estimate->warnings.empty());
}

TEST(BudgetMeasuredTest, PrometheusOverflowIsWarned) {
  auto measured = ParseMeasured(
      "x_milliseconds_bucket{component=\"a\",le=\"10\"} 90\n"
      "x_milliseconds_bucket{component=\"a\",le=\"+Inf\"} 100\n");
  ASSERT_TRUE(measured.ok()) << measured.status();
  BudgetSpec spec{100, "--slo-ms", 0, {{"a", 10}}};
  auto estimate = EstimateMeasured(*measured, spec);
  ASSERT_TRUE(estimate.ok()) << estimate.status();
  ASSERT_EQ(estimate->warnings.size(), 1u);
  EXPECT_NE(estimate->warnings[0].find("10% of observations are above"), std::string::npos)
      << estimate->warnings[0];
  EXPECT_NEAR(estimate->components[0].p95_ms, 10, 1e-9);
}

TEST(BudgetMeasuredTest, RejectsBadPrometheus) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"latency_bucket{component=\"a\",le=\"1\"} 3\n", "has no unit"},
      {"x_seconds_bucket{le=\"1\"} 3\n", "needs a component label"},
      {"x_seconds_bucket{component=\"a\",le=\"1\"} 5\n"
       "x_seconds_bucket{component=\"a\",le=\"2\"} 3\n",
       "bucket counts must be cumulative"},
      {"x_seconds_bucket{component=\"a\",le=\"+Inf\"} 3\n", "only the +Inf bucket"},
      {"x_seconds_bucket{component=\"a\",le=\"1\"} 0\n", "has no observations"},
      {"x_seconds_bucket{component=\"a\",le=\"1\" 3\n", "malformed labels"},
      {"x_seconds_count 3\n", "no *_bucket series"},
      {"x_seconds_bucket{component=\"a\",le=\"1\"} -3\n", "finite number >= 0"},
      {"x_seconds_bucket{component=\"a\",le=\"1\"} NaN\n", "finite number >= 0"},
  };
  for (const auto& [text, message] : cases) {
    auto measured = ParseMeasured(text);
    ASSERT_FALSE(measured.ok()) << text;
    EXPECT_NE(measured.status().message().find(message), std::string::npos)
        << text << ": " << measured.status().message();
  }
}

TEST(BudgetMeasuredTest, RunReportsEstimateAndVerdict) {
  BudgetOptions options;
  options.flags.slo_ms = 30;
  options.flags.components = {"a=10", "b=10"};
  options.measured_path = WriteTempFile(
      "budget-uniform.json",
      R"({"components": {"a": [1,2,3,4,5,6,7,8,9,10], "b": [1,2,3,4,5,6,7,8,9,10]}})");
  RunResult result = RunCommand(options);
  EXPECT_EQ(result.exit_code, kBudgetWithin) << result.err;
  EXPECT_NE(result.out.find("End-to-end p95 estimate (convolution):  18 ms, within 30 ms"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("Sum of the p95s:"), std::string::npos) << result.out;

  // The targets fit 19 ms, but the measured end-to-end p95 of 18 ms does not fit 17.1 ms.
  options.flags.slo_ms = 19;
  options.flags.margin_pct = 10;
  options.flags.components = {"a=8", "b=8"};
  result = RunCommand(options);
  EXPECT_EQ(result.exit_code, kBudgetOver) << result.out;
  EXPECT_NE(result.out.find("Targets within budget"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Verdict: over budget."), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(", over 17.1 ms"), std::string::npos) << result.out;
}

TEST(BudgetMeasuredTest, RunRejectsUnusableMeasurements) {
  BudgetOptions options;
  options.flags.slo_ms = 30;
  options.flags.components = {"a=10"};
  options.measured_path = WriteTempFile("budget-bad.json", R"({"components": {"a": [-1]}})");
  RunResult result = RunCommand(options);
  EXPECT_EQ(result.exit_code, kBudgetUnusableInput);
  EXPECT_NE(result.err.find("bad.json: /components/a: sample -1 is negative"), std::string::npos)
      << result.err;

  options.measured_path = testing::TempDir() + "/missing-measurements.json";
  result = RunCommand(options);
  EXPECT_EQ(result.exit_code, kBudgetUnusableInput);
  EXPECT_NE(result.err.find("failed to read"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace modelgate::tools
