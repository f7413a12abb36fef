#include "safety/thresholds.h"

#include <gtest/gtest.h>

namespace modelgate::safety {
namespace {

contract::Threshold ManualReviewBelow(double below, std::string label = "") {
  contract::Threshold threshold;
  threshold.field = "confidence";
  threshold.below = below;
  threshold.action = "manual_review";
  threshold.label = std::move(label);
  return threshold;
}

std::string Apply(const std::vector<contract::Threshold>& thresholds, const std::string& json,
                  std::size_t* changed = nullptr) {
  simdjson::dom::parser parser;
  simdjson::dom::element document = parser.parse(json);
  std::string out;
  std::size_t count = ApplyThresholds(thresholds, document, out);
  if (changed) *changed = count;
  return count == 0 ? json : out;
}

TEST(Thresholds, StrictlyBelowApplies) {
  std::vector<contract::Threshold> thresholds{ManualReviewBelow(0.7)};
  EXPECT_EQ(Apply(thresholds, R"({"label":"spam","confidence":0.69,"action":"quarantine"})"),
            R"({"label":"spam","confidence":0.69,"action":"manual_review"})");
  std::size_t changed = 1;
  EXPECT_EQ(Apply(thresholds, R"({"label":"spam","confidence":0.7,"action":"quarantine"})",
                  &changed),
            R"({"label":"spam","confidence":0.7,"action":"quarantine"})");
  EXPECT_EQ(changed, 0u);
}

TEST(Thresholds, EveryResultInArraysIsChecked) {
  std::vector<contract::Threshold> thresholds{ManualReviewBelow(0.7)};
  std::size_t changed = 0;
  std::string out = Apply(thresholds,
                          R"({"results":[{"confidence":0.9,"action":"deliver"},)"
                          R"({"confidence":0.5,"action":"deliver"}],"model_version":"m"})",
                          &changed);
  EXPECT_EQ(changed, 1u);
  EXPECT_EQ(out, R"({"results":[{"confidence":0.9,"action":"deliver"},)"
                 R"({"confidence":0.5,"action":"manual_review"}],"model_version":"m"})");
}

TEST(Thresholds, LabelRestrictsAndFirstMatchWins) {
  contract::Threshold spam_only = ManualReviewBelow(0.9, "spam");
  spam_only.action = "quarantine";
  std::vector<contract::Threshold> thresholds{spam_only, ManualReviewBelow(0.6)};
  EXPECT_EQ(Apply(thresholds, R"({"label":"spam","confidence":0.5,"action":"deliver"})"),
            R"({"label":"spam","confidence":0.5,"action":"quarantine"})");
  EXPECT_EQ(Apply(thresholds, R"({"label":"ham","confidence":0.5,"action":"deliver"})"),
            R"({"label":"ham","confidence":0.5,"action":"manual_review"})");
  EXPECT_EQ(Apply(thresholds, R"({"label":"ham","confidence":0.8,"action":"deliver"})"),
            R"({"label":"ham","confidence":0.8,"action":"deliver"})");
}

TEST(Thresholds, MissingActionMemberIsAdded) {
  contract::Threshold threshold = ManualReviewBelow(0.5);
  threshold.action_field = "decision";
  EXPECT_EQ(Apply({threshold}, R"({"confidence":0.25})"),
            R"({"confidence":0.25,"decision":"manual_review"})");
}

TEST(Thresholds, NonNumericFieldIsIgnored) {
  std::vector<contract::Threshold> thresholds{ManualReviewBelow(0.7)};
  EXPECT_EQ(Apply(thresholds, R"({"confidence":"low","action":"deliver"})"),
            R"({"confidence":"low","action":"deliver"})");
  EXPECT_EQ(Apply(thresholds, R"({"confidence":null,"action":"deliver"})"),
            R"({"confidence":null,"action":"deliver"})");
}

TEST(Thresholds, OtherValuesKeepTheirValues) {
  std::vector<contract::Threshold> thresholds{ManualReviewBelow(0.7)};
  EXPECT_EQ(Apply(thresholds, R"({"confidence":0.1,"n":1e300,"s":"a\"b","t":true,"z":null})"),
            R"({"confidence":0.1,"n":1e+300,"s":"a\"b","t":true,"z":null,)"
            R"("action":"manual_review"})");
}

}  // namespace
}  // namespace modelgate::safety
