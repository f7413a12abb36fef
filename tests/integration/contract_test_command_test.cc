// `modelgate test` against real endpoints: our serve and mock pass, and a Python peer with one
// planted fault at a time fails the check that covers the fault.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "contract_test_peer.h"
#include "server_process.h"

namespace modelgate::testing {
namespace {

std::string Target(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

std::string ReadText(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The fraud contract with each `from` replaced by `to` and the model path made absolute.
std::string FraudContractWith(const std::vector<std::pair<std::string, std::string>>& edits) {
  std::string text = ReadText(RelaxedFraudContract());
  for (const auto& [from, to] : edits) {
    auto found = text.find(from);
    if (found == std::string::npos) std::abort();  // the example changed: update the edits
    text.replace(found, from.size(), to);
  }
  return WriteTempFile("contract.yaml", text);
}

// A rate of 5 per second with a burst of 10 for one second, small enough for any test machine
// to exceed.
std::string LowRateFraudContract() {
  return FraudContractWith({{"throughput_rps: 100000", "throughput_rps: 5"},
                            {"burst_rps: 200000", "burst_rps: 10"},
                            {"burst_window_s: 60", "burst_window_s: 1"}});
}

// The JSON report's fragment for check `name` with `outcome`.
std::string CheckJson(const std::string& name, const std::string& outcome) {
  std::string group = name.substr(0, name.find('/'));
  return R"({"name":")" + name + R"(","group":")" + group + R"(","outcome":")" + outcome + "\"";
}

int RunTest(const std::string& contract, std::uint16_t port, std::vector<std::string> options,
            std::string& output) {
  std::vector<std::string> arguments = {"test", contract, "--target", Target(port)};
  arguments.insert(arguments.end(), options.begin(), options.end());
  return RunCommand(arguments, "", output);
}

const std::vector<std::string> kFastGroups = {"--skip", "slo,burst", "--format", "json"};

TEST(ContractTestServe, FraudServePasses) {
  std::string contract = RelaxedFraudContract();
  ServerProcess server({"serve", contract, "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  std::string output;
  EXPECT_EQ(RunTest(contract, server.port(), kFastGroups, output), 0) << output;
  EXPECT_NE(output.find(CheckJson("valid/example-1", "pass")), std::string::npos) << output;
  EXPECT_NE(output.find(CheckJson("invalid/bound/amount<minimum", "pass")), std::string::npos);
  EXPECT_NE(output.find(CheckJson("invalid/payload>max_payload_bytes", "pass")), std::string::npos);
  EXPECT_NE(output.find(CheckJson("valid/payload=max_payload_bytes", "pass")), std::string::npos);
  EXPECT_NE(output.find(CheckJson("semantics/idempotent-replay", "pass")), std::string::npos);
  EXPECT_NE(output.find(CheckJson("semantics/idempotency-key-reused", "pass")), std::string::npos);
  EXPECT_NE(output.find(R"("failed":0)"), std::string::npos);
}

TEST(ContractTestMock, EveryExamplePasses) {
  std::vector<std::string> contracts = {SourcePath("examples/fraud/contract.yaml")};
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath("docs/examples"))) {
    contracts.push_back(entry.path().string());
  }
  for (const auto& contract : contracts) {
    SCOPED_TRACE(contract);
    ServerProcess server({"mock", contract, "--no-access-log"});
    ASSERT_TRUE(server.Start()) << server.Stderr();
    std::string output;
    EXPECT_EQ(RunTest(contract, server.port(), kFastGroups, output), 0) << output;
  }
}

TEST(ContractTestServe, BurstIsThrottled) {
  std::string contract = LowRateFraudContract();
  ServerProcess server({"serve", contract, "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  std::string output;
  int status = RunTest(contract, server.port(),
                       {"--skip", "valid,invalid,semantics,slo", "--burst-seconds", "3"}, output);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("PASS  burst/rate-limit"), std::string::npos) << output;
}

TEST(ContractTestServe, LatencyWithinLooseTargets) {
  std::string contract = FraudContractWith({{"latency_ms: {p50: 20, p95: 80, p99: 110}",
                                             "latency_ms: {p50: 5000, p95: 8000, p99: 9000}"}});
  ServerProcess server({"serve", contract, "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  std::string output;
  int status = RunTest(contract, server.port(),
                       {"--skip", "valid,invalid,semantics,burst", "--slo-requests", "20"}, output);
  EXPECT_EQ(status, 0) << output;
  for (const char* check : {"slo/latency/p50", "slo/latency/p95", "slo/latency/p99"}) {
    EXPECT_NE(output.find(std::string("PASS  ") + check), std::string::npos) << output;
  }
}

// The fraud contract with a deprecation that ends in 2099 and names v2 as the successor.
std::string DeprecatedFraudContract() {
  std::string text = ReadText(RelaxedFraudContract());
  text += "\ndeprecation:\n  sunset: \"2099-06-30\"\n  successor: v2\n";
  return WriteTempFile("contract.yaml", text);
}

TEST(ContractTestServe, DeprecationHeadersPass) {
  std::string contract = DeprecatedFraudContract();
  ServerProcess server({"serve", contract, "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  std::string output;
  int status = RunTest(contract, server.port(), {"--skip", "valid,invalid,slo,burst"}, output);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("PASS  semantics/deprecation-headers"), std::string::npos) << output;
}

TEST(ContractTestPeer, MissingDeprecationHeadersFail) {
  // The peer sends no deprecation headers, which a deprecated contract requires.
  PythonPeer peer({});
  ASSERT_TRUE(peer.Start()) << peer.Output();
  std::string output;
  int status = RunTest(DeprecatedFraudContract(), peer.port(),
                       {"--skip", "valid,invalid,slo,burst"}, output);
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("FAIL  semantics/deprecation-headers"), std::string::npos) << output;
  EXPECT_NE(output.find("header Deprecation is missing"), std::string::npos) << output;
  EXPECT_NE(output.find("header Sunset is missing"), std::string::npos) << output;
  EXPECT_NE(output.find("rel=\"successor-version\" is missing"), std::string::npos) << output;
}

TEST(ContractTestPeer, CorrectPeerPasses) {
  PythonPeer peer({});
  ASSERT_TRUE(peer.Start()) << peer.Output();
  std::string output;
  EXPECT_EQ(RunTest(RelaxedFraudContract(), peer.port(), kFastGroups, output), 0) << output;
}

struct PlantedFault {
  std::string fault;
  std::string check;    // a check that must fail
  std::string message;  // a fragment of the broken rule it must report
};

// Names the fault in test output instead of the bytes of the struct.
void PrintTo(const PlantedFault& planted, std::ostream* out) { *out << planted.fault; }

class ContractTestFault : public ::testing::TestWithParam<PlantedFault> {};

TEST_P(ContractTestFault, IsReported) {
  const auto& planted = GetParam();
  PythonPeer peer({"--fault", planted.fault});
  ASSERT_TRUE(peer.Start()) << peer.Output();
  std::string output;
  EXPECT_EQ(RunTest(RelaxedFraudContract(), peer.port(), kFastGroups, output), 1) << output;
  EXPECT_NE(output.find(CheckJson(planted.check, "fail")), std::string::npos) << output;
  EXPECT_NE(output.find(planted.message), std::string::npos) << output;
}

INSTANTIATE_TEST_SUITE_P(
    Faults, ContractTestFault,
    ::testing::Values(
        PlantedFault{"score-out-of-range", "valid/example-1", "response /risk_score [maximum]"},
        PlantedFault{"missing-field", "valid/example-1", "response /model_version [required]"},
        PlantedFault{"wrong-error-code", "invalid/bound/amount<minimum",
                     R"(problem member \"code\" must be \"INVALID_INPUT\")"},
        PlantedFault{"wrong-status", "invalid/missing/transaction_id",
                     "status must be 400 (INVALID_INPUT), got 422"},
        PlantedFault{"wrong-retryable", "invalid/type/amount",
                     R"(problem member \"retryable\" must be false)"},
        PlantedFault{"ignored-bounds", "invalid/bound/amount>maximum",
                     "status must be 400 (INVALID_INPUT), got 200"}),
    [](const auto& info) {
      std::string name = info.param.fault;
      std::erase(name, '-');
      return name;
    });

TEST(ContractTestPeer, MissingRetryAfterFailsBurst) {
  std::string contract = LowRateFraudContract();
  PythonPeer peer(
      {"--fault", "missing-retry-after", "--rps", "5", "--burst", "10", "--burst-window-s", "1"});
  ASSERT_TRUE(peer.Start()) << peer.Output();
  std::string output;
  int status = RunTest(contract, peer.port(),
                       {"--skip", "valid,invalid,semantics,slo", "--burst-seconds", "3"}, output);
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("FAIL  burst/rate-limit"), std::string::npos) << output;
  EXPECT_NE(output.find("header Retry-After must be a whole number of seconds for RATE_LIMIT, "
                        "got none"),
            std::string::npos)
      << output;
}

TEST(ContractTestPeer, SlowPeerFailsLatency) {
  // The peer sleeps 50 ms before each response, so no machine can meet the 20 ms p50 target.
  PythonPeer peer({"--fault", "slow"});
  ASSERT_TRUE(peer.Start()) << peer.Output();
  std::string output;
  int status = RunTest(RelaxedFraudContract(), peer.port(),
                       {"--skip", "valid,invalid,semantics,burst", "--slo-requests", "5"}, output);
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("FAIL  slo/latency/p50"), std::string::npos) << output;
}

TEST(ContractTestPeer, ExchangeTimeoutFailsCheck) {
  // The peer waits 50 ms before each POST response, longer than the 10 ms exchange limit.
  PythonPeer peer({"--fault", "slow"});
  ASSERT_TRUE(peer.Start()) << peer.Output();
  std::string output;
  int status = RunTest(RelaxedFraudContract(), peer.port(),
                       {"--skip", "invalid,semantics,slo,burst", "--timeout-ms", "10"}, output);
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("FAIL  valid/example-1"), std::string::npos) << output;
  EXPECT_NE(output.find("(no response within 10 ms)"), std::string::npos) << output;
}

TEST(ContractTestPeer, JunitReportListsFailures) {
  PythonPeer peer({"--fault", "wrong-status"});
  ASSERT_TRUE(peer.Start()) << peer.Output();
  std::string junit = WriteTempFile("report.xml", "");
  std::string output;
  int status = RunTest(RelaxedFraudContract(), peer.port(),
                       {"--skip", "slo,burst", "--junit", junit}, output);
  EXPECT_EQ(status, 1) << output;
  std::string xml = ReadText(junit);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0), 0u) << xml;
  EXPECT_NE(xml.find(R"(<testcase classname="invalid" name="invalid/bound/amount&lt;minimum")"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<failure message=\"status must be 400 (INVALID_INPUT), got 422\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("</testsuites>\n"), std::string::npos);
}

TEST(ContractTestUsage, UnreachableTargetIsUsageError) {
  // Port 1 on loopback has no listener on a test machine, so the connection is refused.
  std::string output;
  EXPECT_EQ(RunTest(RelaxedFraudContract(), 1, {}, output), 2) << output;
  EXPECT_NE(output.find("is not usable"), std::string::npos) << output;
}

TEST(ContractTestUsage, BadContractIsUsageError) {
  std::string contract = WriteTempFile("contract.yaml", "name: [unclosed\n");
  std::string output;
  EXPECT_EQ(RunTest(contract, 1, {}, output), 2) << output;
}

TEST(ContractTestUsage, BadTargetIsUsageError) {
  std::string output;
  int status =
      RunCommand({"test", RelaxedFraudContract(), "--target", "https://127.0.0.1:1"}, "", output);
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("https is not supported"), std::string::npos) << output;
}

TEST(ContractTestUsage, UnknownGroupIsUsageError) {
  std::string output;
  int status = RunCommand(
      {"test", RelaxedFraudContract(), "--target", Target(1), "--skip", "nonsense"}, "", output);
  EXPECT_EQ(status, 2) << output;
}

}  // namespace
}  // namespace modelgate::testing
