// Fallbacks and the circuit breaker over real HTTP, with the mock playing a failing or slow
// model (`--failure-rate`, `--delay-ms`).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "http_client.h"
#include "server_process.h"

namespace modelgate::testing {
namespace {

std::string Contract(const std::string& extra) {
  return "name: guarded\nversion: v1\nendpoint: {operation: guarded}\n"
         "request:\n  fields:\n    - {name: x, type: integer, required: true}\n"
         "response:\n  fields:\n    - {name: ok, type: boolean, required: true}\n" +
         extra;
}

const std::string kFallback = "safety:\n  fallback:\n    response: {ok: false}\n";

std::string Body(int i) { return R"({"x":)" + std::to_string(i) + "}"; }

TEST(Fallback, ReplacesModelError) {
  ServerProcess server({"mock", WriteTempFile("g.yaml", Contract(kFallback)), "--failure-rate",
                        "1", "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  auto response = client.Post("/v1/guarded", Body(1));
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), R"({"ok":false})");
  EXPECT_EQ(response["X-Fallback"], "true");
  EXPECT_NE(client.Get("/metrics").body().find(
                "modelgate_fallbacks_total{service=\"guarded\",contract_version=\"v1\","
                "model_version=\"mock\"} 1"),
            std::string::npos);
}

TEST(Fallback, ReplacesTimeout) {
  ServerProcess server({"mock",
                        WriteTempFile("g.yaml", Contract("constraints:\n  timeout_ms: 100\n" +
                                                         kFallback)),
                        "--delay-ms", "1000", "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  auto response = client.Post("/v1/guarded", Body(1));
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response["X-Fallback"], "true");
}

TEST(Fallback, WithoutOneTheErrorStays) {
  ServerProcess server({"mock", WriteTempFile("g.yaml", Contract("")), "--failure-rate", "1",
                        "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  auto response = client.Post("/v1/guarded", Body(1));
  EXPECT_EQ(response.result_int(), 500u);
  EXPECT_TRUE(response["X-Fallback"].empty());
}

TEST(Fallback, InvalidFallbackStopsStartup) {
  std::string output;
  auto path = WriteTempFile("g.yaml", Contract("safety:\n  fallback:\n    response: {ok: 3}\n"));
  EXPECT_EQ(RunCommand({"mock", path, "--port", "0"}, "", output), 2);
  EXPECT_NE(output.find("safety.fallback breaks the response contract"), std::string::npos)
      << output;
}

TEST(CircuitBreaker, OpensThenProbes) {
  // Every call fails; at half the calls failing over 1 s, the breaker opens after 10 calls.
  ServerProcess server({"mock",
                        WriteTempFile("g.yaml", Contract("safety:\n  circuit_breaker: "
                                                         "{error_rate: 0.5, window_s: 1}\n")),
                        "--failure-rate", "1", "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(client.Post("/v1/guarded", Body(i)).result_int(), 500u);
  auto open = client.Post("/v1/guarded", Body(10));
  EXPECT_EQ(open.result_int(), 503u);
  EXPECT_EQ(open[beast_http::field::retry_after], "1");
  EXPECT_NE(client.Get("/metrics").body().find(
                "modelgate_circuit_breaker_state{service=\"guarded\",contract_version=\"v1\","
                "model_version=\"mock\"} 1"),
            std::string::npos);
  // After one window a single probe reaches the model; it fails, so the breaker reopens.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(client.Post("/v1/guarded", Body(11)).result_int(), 500u);
  EXPECT_EQ(client.Post("/v1/guarded", Body(12)).result_int(), 503u);
}

TEST(CircuitBreaker, StaysClosedForHealthyModel) {
  ServerProcess server({"mock",
                        WriteTempFile("g.yaml", Contract("safety:\n  circuit_breaker: "
                                                         "{error_rate: 0.5, window_s: 1}\n")),
                        "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  for (int i = 0; i < 30; ++i) EXPECT_EQ(client.Post("/v1/guarded", Body(i)).result_int(), 200u);
}

std::string ClassifierContract(const std::string& below) {
  return "name: sorter\nversion: v1\nendpoint: {operation: sort}\n"
         "request:\n  fields:\n    - {name: texts, type: 'array[string]', required: true, "
         "min_len: 1, max_len: 8}\n"
         "response:\n  fields:\n"
         "    - {name: 'results[].label', type: string, required: true, enum: [spam, ham]}\n"
         "    - {name: 'results[].confidence', type: number, required: true, range: [0, 1]}\n"
         "    - {name: 'results[].action', type: string, required: true, "
         "enum: [deliver, quarantine, manual_review]}\n"
         "safety:\n  thresholds:\n    - {field: confidence, below: " +
         below + ", action: manual_review}\n";
}

// Counts results whose action is manual_review in the mock's answers to `requests` bodies.
int ManualReviews(const std::string& below, int requests, std::string* metrics = nullptr) {
  ServerProcess server({"mock", WriteTempFile("s.yaml", ClassifierContract(below)),
                        "--no-access-log"});
  EXPECT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  int count = 0;
  for (int i = 0; i < requests; ++i) {
    auto response = client.Post("/v1/sort", R"({"texts":["m)" + std::to_string(i) + R"("]})");
    EXPECT_EQ(response.result_int(), 200u) << response.body();
    for (std::size_t at = 0; (at = response.body().find("manual_review", at)) != std::string::npos;
         ++at) {
      ++count;
    }
  }
  if (metrics) *metrics = client.Get("/metrics").body();
  return count;
}

TEST(Thresholds, MovingTheThresholdChangesTheAction) {
  // The mock draws confidences in [0, 1]: below 1.01 catches every result, below 0 none.
  std::string metrics;
  int everything = ManualReviews("1.01", 20, &metrics);
  EXPECT_GE(everything, 20);
  EXPECT_NE(metrics.find("modelgate_safety_actions_total{service=\"sorter\",contract_version="
                         "\"v1\",model_version=\"mock\",action=\"manual_review\"} " +
                         std::to_string(everything)),
            std::string::npos)
      << metrics;
  // With the threshold at 0 the mock's own draws are all that is left: far fewer reviews.
  EXPECT_LT(ManualReviews("0", 20), everything);
}

}  // namespace
}  // namespace modelgate::testing
