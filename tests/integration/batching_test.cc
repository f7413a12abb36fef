// Dynamic batching and per-batch-size metrics over real HTTP: the fraud model with batching on,
// and the mock for the timing and grouping rules.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "http_client.h"
#include "server_process.h"

namespace modelgate::testing {
namespace {

// The value of the first sample whose text starts with `prefix`, or -1 when there is none.
double Sample(const std::string& metrics, const std::string& prefix) {
  auto found = metrics.find("\n" + prefix);
  if (found == std::string::npos) return -1;
  auto space = metrics.find(' ', found + 1 + prefix.size());
  return std::stod(metrics.substr(space + 1));
}

double Inferences(HttpClient& client) {
  return Sample(client.Get("/metrics").body(), "modelgate_model_inferences_total{");
}

std::string FraudBody(int i) {
  return R"({"transaction_id":"tx_)" + std::to_string(i) + R"(","amount":)" +
         std::to_string(10 + 37 * i) + R"(,"currency":"EUR","features":{"card_age_days":)" +
         std::to_string(i % 40) + R"(,"txn_count_1h":)" + std::to_string(i % 7) +
         R"(},"idempotency_key":"k-)" + std::to_string(i) + R"("})";
}

// Posts every body at once, one connection each, and returns the responses in body order.
std::vector<Response> PostConcurrently(std::uint16_t port, const std::string& target,
                                       const std::vector<std::string>& bodies,
                                       std::chrono::milliseconds spacing = {}) {
  std::vector<Response> responses(bodies.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    threads.emplace_back([&, i] {
      std::this_thread::sleep_for(spacing * i);
      HttpClient client(port);
      responses[i] = client.Post(target, bodies[i]);
    });
  }
  for (auto& thread : threads) thread.join();
  return responses;
}

TEST(Batching, ConcurrentRequestsGetTheirOwnRows) {
  constexpr int kRequests = 32;
  std::vector<std::string> bodies;
  for (int i = 0; i < kRequests; ++i) bodies.push_back(FraudBody(i));
  ServerProcess plain({"serve", RelaxedFraudContract(), "--no-access-log"});
  ASSERT_TRUE(plain.Start()) << plain.Stderr();
  std::vector<std::string> expected;
  HttpClient reference(plain.port());
  for (const auto& body : bodies) expected.push_back(reference.Post("/v1/score", body).body());

  ServerProcess batched(
      {"serve", RelaxedFraudContract("  batching: {max_batch: 16, max_delay_ms: 200}\n"),
       "--no-access-log"});
  ASSERT_TRUE(batched.Start()) << batched.Stderr();
  auto responses = PostConcurrently(batched.port(), "/v1/score", bodies);
  for (int i = 0; i < kRequests; ++i) {
    EXPECT_EQ(responses[i].result_int(), 200u) << responses[i].body();
    EXPECT_EQ(responses[i].body(), expected[i]) << "request " << i;
  }
  HttpClient client(batched.port());
  std::string metrics = client.Get("/metrics").body();
  double calls = Sample(metrics, "modelgate_model_inferences_total{");
  EXPECT_GE(calls, 2);  // at most 16 rows per call
  EXPECT_LT(calls, kRequests);
  EXPECT_EQ(Sample(metrics, "modelgate_model_batch_rows_sum{"), kRequests);
}

std::string TextContract(const std::string& extra) {
  return "name: embed\nversion: v1\nendpoint: {operation: embed}\n"
         "request:\n  fields:\n"
         "    - {name: texts, type: 'array[string]', required: true, min_len: 1, max_len: 32}\n"
         "    - {name: normalize, type: boolean, default: true}\n"
         "response:\n  fields:\n    - {name: dim, type: integer, required: true}\n" +
         extra;
}

std::string Texts(int count, const std::string& normalize) {
  std::string body = R"({"texts":[)";
  for (int i = 0; i < count; ++i) body += std::string(i ? "," : "") + "\"t" + std::to_string(i) + "\"";
  return body + "]" + normalize + "}";
}

TEST(Batching, DifferentParametersNeverMerge) {
  ServerProcess server(
      {"mock",
       WriteTempFile("e.yaml",
                     TextContract("behavior:\n  batching: {max_batch: 64, max_delay_ms: 1000}\n")),
       "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  std::vector<std::string> bodies;
  for (int i = 0; i < 8; ++i) {
    bodies.push_back(Texts(2, R"(,"normalize":true)"));
    bodies.push_back(Texts(2, R"(,"normalize":false)"));
    bodies.push_back(Texts(2, ""));  // the default, true, joins the first group
  }
  for (const auto& response : PostConcurrently(server.port(), "/v1/embed", bodies)) {
    EXPECT_EQ(response.result_int(), 200u) << response.body();
  }
  HttpClient client(server.port());
  std::string metrics = client.Get("/metrics").body();
  EXPECT_EQ(Sample(metrics, "modelgate_model_inferences_total{"), 2);
  EXPECT_EQ(Sample(metrics, "modelgate_model_batch_rows_sum{"), 48);
  // One call of 16 rows (normalize false) and one of 32 (true, given or by default).
  std::string labels = "service=\"embed\",contract_version=\"v1\",model_version=\"mock\"";
  EXPECT_EQ(Sample(metrics, "modelgate_model_batch_rows_bucket{" + labels + ",le=\"8\"}"), 0);
  EXPECT_EQ(Sample(metrics, "modelgate_model_batch_rows_bucket{" + labels + ",le=\"16\"}"), 1);
  EXPECT_EQ(Sample(metrics, "modelgate_model_batch_rows_bucket{" + labels + ",le=\"32\"}"), 2);
}

TEST(Batching, DelayRunsFromFirstArrival) {
  ServerProcess server(
      {"mock",
       WriteTempFile("e.yaml",
                     TextContract("behavior:\n  batching: {max_batch: 32, max_delay_ms: 100}\n")),
       "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  // A lone request is answered when its window ends, with no other arrival to close the batch.
  HttpClient client(server.port());
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.Post("/v1/embed", Texts(1, "")).result_int(), 200u);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  // Ten arrivals 20 ms apart with a 100 ms window make batches of about five.
  std::vector<std::string> bodies(10, Texts(1, ""));
  auto responses =
      PostConcurrently(server.port(), "/v1/embed", bodies, std::chrono::milliseconds(20));
  for (const auto& response : responses) EXPECT_EQ(response.result_int(), 200u);
  double calls = Inferences(client) - 1;
  EXPECT_GE(calls, 2);
  EXPECT_LE(calls, 4);
}

TEST(Batching, ExpiredRequestFreesItsSlot) {
  // One slot: if the expired request kept it, the next request would wait for it until its own
  // deadline and get OVERLOADED.
  ServerProcess server(
      {"mock",
       WriteTempFile("e.yaml", TextContract("constraints: {timeout_ms: 3000, max_concurrency: 1}\n"
                                            "behavior:\n  batching: {max_batch: 4, "
                                            "max_delay_ms: 300}\n")),
       "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  auto expired = client.Post("/v1/embed", Texts(1, ""), "application/json",
                             {{"Request-Timeout", "50"}});
  EXPECT_EQ(expired.result_int(), 504u) << expired.body();
  auto next = client.Post("/v1/embed", Texts(1, ""));
  EXPECT_EQ(next.result_int(), 200u) << next.body();
  EXPECT_EQ(Inferences(client), 1);  // the expired request never reached the model
}

TEST(BatchMetrics, LatencyByBatchSizeAndTargets) {
  ServerProcess server(
      {"mock",
       WriteTempFile("e.yaml", TextContract("constraints:\n  latency_ms:\n    p95: {batch1: 50, "
                                            "batch16: 300, batch32: 550}\n")),
       "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  for (int size : {1, 5, 16, 17, 32}) {
    EXPECT_EQ(client.Post("/v1/embed", Texts(size, "")).result_int(), 200u);
  }
  EXPECT_EQ(client.Post("/v1/embed", R"({"texts":[]})").result_int(), 400u);
  std::string metrics = client.Get("/metrics").body();
  std::string labels = "service=\"embed\",contract_version=\"v1\",model_version=\"mock\"";
  std::string count = "modelgate_request_duration_by_batch_seconds_count{" + labels;
  EXPECT_EQ(Sample(metrics, count + ",batch_size=\"1\"}"), 1);
  EXPECT_EQ(Sample(metrics, count + ",batch_size=\"16\"}"), 2);
  EXPECT_EQ(Sample(metrics, count + ",batch_size=\"32\"}"), 2);
  EXPECT_EQ(Sample(metrics, count + ",batch_size=\"+Inf\"}"), 0);  // the invalid one is not
  std::string target = "modelgate_latency_target_seconds{" + labels + ",percentile=\"p95\"";
  EXPECT_EQ(Sample(metrics, target + ",batch_size=\"16\"}"), 0.3);
  EXPECT_EQ(Sample(metrics, target + ",batch_size=\"32\"}"), 0.55);
}

}  // namespace
}  // namespace modelgate::testing
