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

}  // namespace
}  // namespace modelgate::testing
