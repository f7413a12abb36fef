// Serves the fraud example with its real XGBoost model, trained by the build, over real HTTP.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "http_client.h"
#include "server_process.h"

namespace modelgate::testing {
namespace {

namespace fs = std::filesystem;

const std::string kContract = SourcePath("examples/fraud/contract.yaml");

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class FraudServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"serve", RelaxedFraudContract(), "--no-access-log"});
    ASSERT_TRUE(server_->Start()) << server_->Stderr();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
};

ServerProcess* FraudServeTest::server_ = nullptr;

TEST_F(FraudServeTest, ScoresWithReasons) {
  HttpClient client(server_->port());
  auto response =
      client.Post("/v1/score", ReadFile(SourcePath("examples/fraud/requests/valid-full.json")));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  EXPECT_EQ(response["X-Model-Version"], "fraud-xgb-2026.12");
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  ASSERT_EQ(parser.parse(response.body()).get(body), simdjson::SUCCESS);
  double score = -1;
  ASSERT_EQ(body["risk_score"].get(score), simdjson::SUCCESS);
  EXPECT_GE(score, 0.0);
  EXPECT_LE(score, 1.0);
  // A new card, a high amount at night in electronics with a country mismatch is high risk.
  EXPECT_GT(score, 0.5);
  simdjson::dom::array reasons;
  ASSERT_EQ(body["reasons"].get(reasons), simdjson::SUCCESS);
  EXPECT_GE(reasons.size(), 1u);
  EXPECT_LE(reasons.size(), 3u);
  std::set<std::string_view> seen;
  for (auto reason : reasons) {
    std::string_view code;
    ASSERT_EQ(reason.get(code), simdjson::SUCCESS);
    EXPECT_TRUE(seen.insert(code).second) << "repeated reason " << code;
  }
}

TEST_F(FraudServeTest, AbsentFeaturesAreNeverReasons) {
  HttpClient client(server_->port());
  // Only amount and currency are sent, so only their codes may explain the score.
  auto response =
      client.Post("/v1/score", ReadFile(SourcePath("examples/fraud/requests/valid-minimal.json")));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  simdjson::dom::parser parser;
  simdjson::dom::array reasons;
  ASSERT_EQ(parser.parse(response.body())["reasons"].get(reasons), simdjson::SUCCESS);
  for (auto reason : reasons) {
    std::string_view code = reason.get_string().value_unsafe();
    EXPECT_TRUE(code == "HIGH_AMOUNT" || code == "CURRENCY") << response.body();
  }
}

TEST_F(FraudServeTest, EverySampleRequestGetsItsAnswer) {
  for (const auto& entry : fs::directory_iterator(SourcePath("examples/fraud/requests"))) {
    HttpClient client(server_->port());
    auto response = client.Post("/v1/score", ReadFile(entry.path().string()));
    bool valid = entry.path().filename().string().starts_with("valid-");
    EXPECT_EQ(response.result_int(), valid ? 200u : 400u)
        << entry.path().filename() << "\n"
        << response.body();
  }
}

TEST_F(FraudServeTest, TrainerSamplesAllScore) {
  std::ifstream samples(SourcePath("examples/fraud/model/samples.jsonl"));
  ASSERT_TRUE(samples) << "the build writes examples/fraud/model/samples.jsonl";
  HttpClient client(server_->port());
  std::string line;
  int scored = 0;
  while (scored < 200 && std::getline(samples, line)) {
    auto response = client.Post("/v1/score", line);
    ASSERT_EQ(response.result_int(), 200u) << line << "\n" << response.body();
    ++scored;
  }
  EXPECT_EQ(scored, 200);
  auto metrics = client.Get("/metrics").body();
  EXPECT_NE(metrics.find("modelgate_response_contract_violations_total{service=\"fraud-score\","
                         "contract_version=\"v1.0.0\",model_version=\"fraud-xgb-2026.12\"} 0"),
            std::string::npos)
      << metrics;
}

// Copies the contract into a fresh folder next to `model_bytes` as model/fraud.json.
std::string ContractWithModel(const std::string& model_bytes) {
  auto folder = fs::path(WriteTempFile("contract.yaml", ReadFile(kContract))).parent_path();
  fs::create_directories(folder / "model");
  std::ofstream(folder / "model" / "fraud.json", std::ios::binary) << model_bytes;
  return (folder / "contract.yaml").string();
}

TEST(FraudServeStartup, CorruptModelStopsStartup) {
  std::string output;
  EXPECT_EQ(RunCommand({"serve", ContractWithModel("{not a model"), "--port", "0"}, "", output),
            2);
  EXPECT_NE(output.find("fraud.json"), std::string::npos) << output;
}

TEST(FraudServeStartup, MissingModelStopsStartup) {
  auto folder = fs::path(WriteTempFile("contract.yaml", ReadFile(kContract))).parent_path();
  std::string output;
  EXPECT_EQ(RunCommand({"serve", (folder / "contract.yaml").string(), "--port", "0"}, "", output),
            2);
  EXPECT_NE(output.find("fraud.json"), std::string::npos) << output;
}

}  // namespace
}  // namespace modelgate::testing
