#include "conformance/report.h"

#include <gtest/gtest.h>

namespace modelgate::conformance {
namespace {

std::vector<CheckResult> SampleResults() {
  CheckResult pass;
  pass.name = "valid/example-1";
  CheckResult fail;
  fail.name = "invalid/bound/amount<minimum";
  fail.outcome = Outcome::kFail;
  fail.messages = {"status must be 400 (INVALID_INPUT), got 200 & \"more\""};
  fail.request.target = "/v1/score";
  fail.request.body = R"({"amount":-1})";
  fail.response = client::HttpResponse{200, {{"Content-Type", "application/json"}}, "{}\x01"};
  CheckResult skip;
  skip.name = "semantics/deterministic";
  skip.outcome = Outcome::kSkip;
  skip.messages = {"the contract does not declare determinism"};
  return {pass, fail, skip};
}

TEST(ConformanceReport, TextListsEvidenceOfFailures) {
  auto text = RenderReport(SampleResults(), ReportFormat::kText, "c.yaml", "http://h:1", 7);
  EXPECT_NE(text.find("PASS  valid/example-1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("FAIL  invalid/bound/amount<minimum\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    request: POST /v1/score\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    response: 200\n"), std::string::npos) << text;
  EXPECT_NE(text.find("SKIP  semantics/deterministic\n"), std::string::npos) << text;
  EXPECT_NE(text.find("3 checks: 1 passed, 1 failed, 1 skipped\n"), std::string::npos) << text;
}

TEST(ConformanceReport, JsonHasSummaryAndEvidence) {
  auto json = RenderReport(SampleResults(), ReportFormat::kJson, "c.yaml", "http://h:1", 7);
  EXPECT_NE(json.find(R"("summary":{"passed":1,"failed":1,"skipped":1})"), std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("response":{"status":200)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("seed":7)"), std::string::npos) << json;
}

TEST(ConformanceReport, JunitEscapesMarkupAndControls) {
  auto xml = RenderJunit(SampleResults(), "modelgate test <c>");
  EXPECT_NE(xml.find(R"(<testsuites name="modelgate test &lt;c&gt;">)"), std::string::npos) << xml;
  EXPECT_NE(xml.find(R"(name="invalid/bound/amount&lt;minimum")"), std::string::npos) << xml;
  EXPECT_NE(xml.find("got 200 &amp; &quot;more&quot;"), std::string::npos) << xml;
  EXPECT_EQ(xml.find('\x01'), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped message="), std::string::npos) << xml;
  EXPECT_NE(xml.find(R"(tests="1" failures="1")"), std::string::npos) << xml;
}

}  // namespace
}  // namespace modelgate::conformance
