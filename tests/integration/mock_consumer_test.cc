// What `mock` offers consumer teams: declared errors on request (Prefer), injected errors at a
// rate, and latency drawn from the contract's targets.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <vector>

#include "http_client.h"
#include "server_process.h"

namespace modelgate::testing {
namespace {

const std::string kValidBody =
    R"({"transaction_id":"tx_1","amount":12.5,"currency":"EUR","idempotency_key":"k)";

std::string Body(int i) { return kValidBody + std::to_string(i) + "\"}"; }

class MockConsumerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"mock", RelaxedFraudContract(), "--no-access-log"});
    ASSERT_TRUE(server_->Start()) << server_->Stderr();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
};

ServerProcess* MockConsumerTest::server_ = nullptr;

TEST_F(MockConsumerTest, PreferStatusPicksDeclaredError) {
  HttpClient client(server_->port());
  auto response =
      client.Post("/v1/score", Body(1), "application/json", {{"Prefer", "code=429"}});
  EXPECT_EQ(response.result_int(), 429u);
  EXPECT_EQ(response["Preference-Applied"], "code=429");
  EXPECT_EQ(response[beast_http::field::retry_after], "1");
  EXPECT_NE(response.body().find(R"("code":"RATE_LIMIT")"), std::string::npos);
}

TEST_F(MockConsumerTest, PreferCodeNamePicksDeclaredError) {
  HttpClient client(server_->port());
  auto response =
      client.Post("/v1/score", Body(2), "application/json", {{"Prefer", "code=TIMEOUT"}});
  EXPECT_EQ(response.result_int(), 504u);
  EXPECT_NE(response.body().find(R"("backoff":"exponential")"), std::string::npos);
}

TEST_F(MockConsumerTest, PreferUndeclaredIsRejected) {
  HttpClient client(server_->port());
  auto response =
      client.Post("/v1/score", Body(3), "application/json", {{"Prefer", "code=418"}});
  EXPECT_EQ(response.result_int(), 400u);
  EXPECT_NE(response.body().find("code=418"), std::string::npos);
}

TEST(MockErrors, RateInjectsDeclaredErrors) {
  ServerProcess server({"mock", RelaxedFraudContract(), "--error-rate", "1", "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  std::set<unsigned> statuses;
  for (int i = 0; i < 30; ++i) statuses.insert(client.Post("/v1/score", Body(i)).result_int());
  // The fraud contract declares RATE_LIMIT (429) and TIMEOUT (504).
  EXPECT_EQ(statuses, (std::set<unsigned>{429u, 504u}));
}

TEST(MockErrors, ZeroRateInjectsNothing) {
  ServerProcess server({"mock", RelaxedFraudContract(), "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  for (int i = 0; i < 30; ++i) EXPECT_EQ(client.Post("/v1/score", Body(i)).result_int(), 200u);
}

TEST(MockLatency, FollowsContractTargets) {
  // The fraud contract states p50 20 ms and p95 80 ms; sleeping never makes answers faster,
  // so the median of the measured times is at least the drawn median, minus sampling noise.
  ServerProcess server(
      {"mock", RelaxedFraudContract(), "--simulate-latency", "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  std::vector<double> times;
  for (int i = 0; i < 40; ++i) {
    auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(client.Post("/v1/score", Body(i)).result_int(), 200u);
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  EXPECT_GE(times[20], 12.0);
  EXPECT_LT(times[20], 1000.0);
}

}  // namespace
}  // namespace modelgate::testing
