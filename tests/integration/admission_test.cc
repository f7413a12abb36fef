// Rate limits, deadlines and the concurrency limit, enforced by the real server over HTTP. The
// slow model is `mock --delay-ms`, which sleeps before each answer.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "http_client.h"
#include "server_process.h"

namespace modelgate::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::string Contract(const std::string& constraints) {
  return "name: probe\nversion: v1\nendpoint: {operation: probe}\n"
         "request:\n  fields:\n    - {name: x, type: integer, required: true}\n"
         "response:\n  fields:\n    - {name: ok, type: boolean, required: true}\n"
         "constraints:\n" +
         constraints;
}

std::unique_ptr<ServerProcess> StartMock(const std::string& constraints,
                                         std::vector<std::string> extra = {}) {
  std::vector<std::string> arguments = {"mock", WriteTempFile("probe.yaml", Contract(constraints)),
                                        "--no-access-log"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  auto server = std::make_unique<ServerProcess>(arguments);
  EXPECT_TRUE(server->Start()) << server->Stderr();
  return server;
}

long Elapsed(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

TEST(RateLimit, BackToBackRequestsGetTheBucket) {
  // No burst: the bucket contains one second of the sustained rate, 20 requests.
  auto server = StartMock("  throughput_rps: 20\n");
  HttpClient client(server->port());
  int admitted = 0;
  int limited = 0;
  auto start = Clock::now();
  for (int i = 0; i < 60; ++i) {
    auto response = client.Post("/v1/probe", R"({"x":1})");
    if (response.result_int() == 200) ++admitted;
    if (response.result_int() == 429) {
      ++limited;
      EXPECT_GE(std::stoi(std::string(response[beast_http::field::retry_after])), 1);
      EXPECT_EQ(response["RateLimit-Policy"], "\"sustained\";q=20;w=1");
      EXPECT_FALSE(response["RateLimit"].empty());
    }
  }
  double seconds = Elapsed(start) / 1000.0;
  // 20 from the full bucket plus what refilled meanwhile, at 20 per second.
  EXPECT_GE(admitted, 20);
  EXPECT_LE(admitted, 20 + static_cast<int>(20 * seconds) + 1);
  EXPECT_EQ(admitted + limited, 60);
}

TEST(RateLimit, OfferedRateAboveEnvelopeIsCut) {
  // 20 rps sustained, 40 rps for up to 1 s: offer 100 rps for 2 s. The sustained bucket starts
  // with 20 + (40 - 20) x 1 = 40 tokens and refills 20 per second, so about 80 get through.
  auto server = StartMock("  throughput_rps: 20\n  burst_rps: 40\n  burst_window_s: 1\n");
  HttpClient client(server->port());
  int admitted = 0;
  auto start = Clock::now();
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_until(start + milliseconds(10 * i));
    if (client.Post("/v1/probe", R"({"x":1})").result_int() == 200) ++admitted;
  }
  double seconds = Elapsed(start) / 1000.0;
  double envelope = 40 + 20 * seconds;
  // Stated tolerance: 10 % below the envelope (sending may fall behind schedule), 2 above.
  EXPECT_GE(admitted, static_cast<int>(envelope * 0.9)) << seconds << " s";
  EXPECT_LE(admitted, static_cast<int>(envelope) + 2) << seconds << " s";
}

TEST(RateLimit, EachClientGetsItsOwnBucket) {
  // 5 per client, 1000 for the service: a second client is not held back by the first.
  auto server = StartMock("  throughput_rps: 1000\n  per_client_rps: 5\n");
  HttpClient client(server->port());
  int first = 0;
  int second = 0;
  for (int i = 0; i < 10; ++i) {
    first += client.Post("/v1/probe", R"({"x":1})", "application/json",
                         {{"X-API-Key", "team-a"}})
                 .result_int() == 200;
  }
  for (int i = 0; i < 10; ++i) {
    second += client.Post("/v1/probe", R"({"x":1})", "application/json",
                          {{"X-API-Key", "team-b"}})
                  .result_int() == 200;
  }
  // Each bucket contains one second of the rate: 5, plus at most one refilled meanwhile.
  EXPECT_GE(first, 5);
  EXPECT_LE(first, 6);
  EXPECT_GE(second, 5);
  EXPECT_LE(second, 6);
  // A request without a key is limited by the service-wide rate only.
  EXPECT_EQ(client.Post("/v1/probe", R"({"x":1})").result_int(), 200u);
}

TEST(Deadline, SlowModelGetsTimeoutOnTime) {
  auto server = StartMock("  timeout_ms: 200\n", {"--delay-ms", "2000"});
  HttpClient client(server->port());
  auto start = Clock::now();
  auto response = client.Post("/v1/probe", R"({"x":1})");
  long took = Elapsed(start);
  EXPECT_EQ(response.result_int(), 504u) << response.body();
  EXPECT_NE(response.body().find(R"("code":"TIMEOUT","retryable":true)"), std::string::npos)
      << response.body();
  EXPECT_GE(took, 200);
  EXPECT_LT(took, 1500) << "the 504 waited for the model";
  HttpClient health(server->port());
  EXPECT_EQ(health.Get("/healthz").result_int(), 200u);
  // The late result is dropped and counted once the model call ends.
  std::this_thread::sleep_for(milliseconds(2200));
  auto metrics = health.Get("/metrics").body();
  EXPECT_NE(metrics.find("modelgate_late_results_total{service=\"probe\",contract_version=\"v1\","
                         "model_version=\"mock\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("modelgate_deadline_expirations_total{service=\"probe\","
                         "contract_version=\"v1\",model_version=\"mock\"} 1"),
            std::string::npos);
}

TEST(Deadline, RequestTimeoutHeaderShortensIt) {
  auto server = StartMock("  timeout_ms: 5000\n", {"--delay-ms", "1500"});
  HttpClient client(server->port());
  auto start = Clock::now();
  auto response =
      client.Post("/v1/probe", R"({"x":1})", "application/json", {{"Request-Timeout", "100"}});
  EXPECT_EQ(response.result_int(), 504u);
  EXPECT_LT(Elapsed(start), 1200);
  HttpClient second(server->port());
  auto invalid =
      second.Post("/v1/probe", R"({"x":1})", "application/json", {{"Request-Timeout", "soon"}});
  EXPECT_EQ(invalid.result_int(), 400u);
  EXPECT_NE(invalid.body().find("Request-Timeout"), std::string::npos);
}

TEST(Deadline, FastModelAnswersWithinIt) {
  auto server = StartMock("  timeout_ms: 5000\n");
  HttpClient client(server->port());
  EXPECT_EQ(client.Post("/v1/probe", R"({"x":1})").result_int(), 200u);
}

// Sends `count` requests at once, each on its own connection; returns their statuses.
std::vector<unsigned> Concurrent(std::uint16_t port, int count) {
  std::vector<std::future<unsigned>> futures;
  for (int i = 0; i < count; ++i) {
    futures.push_back(std::async(std::launch::async, [port] {
      HttpClient client(port);
      return client.Post("/v1/probe", R"({"x":1})").result_int();
    }));
  }
  std::vector<unsigned> statuses;
  for (auto& future : futures) statuses.push_back(future.get());
  return statuses;
}

TEST(Concurrency, FullQueueIsOverloaded) {
  // One running and one waiting; the other requests are turned away at once.
  auto server = StartMock("  timeout_ms: 10000\n  max_concurrency: 1\n", {"--delay-ms", "400"});
  auto statuses = Concurrent(server->port(), 5);
  int ok = 0;
  int overloaded = 0;
  for (unsigned status : statuses) {
    ok += status == 200;
    overloaded += status == 503;
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(overloaded, 3);
}

TEST(Concurrency, WaitEndsAtDeadline) {
  // The first request runs past its deadline and keeps its slot until the model returns, so the
  // second waits in the queue until its own deadline and is answered OVERLOADED.
  auto server = StartMock("  timeout_ms: 300\n  max_concurrency: 1\n", {"--delay-ms", "1500"});
  auto statuses = Concurrent(server->port(), 2);
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses[0], 503u);
  EXPECT_EQ(statuses[1], 504u);
}

}  // namespace
}  // namespace modelgate::testing
