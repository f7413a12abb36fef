// Idempotency over real HTTP: replays, reused keys, conflicts, model runs per key, and records
// that survive a SIGKILL.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <future>
#include <vector>

#include "http_client.h"
#include "server_process.h"

namespace modelgate::testing {
namespace {

std::string Contract() {
  return "name: charge\nversion: v1\nendpoint: {operation: charge}\n"
         "request:\n  fields:\n    - {name: amount, type: integer, required: true}\n"
         "response:\n  fields:\n    - {name: ok, type: boolean, required: true}\n"
         "    - {name: id, type: string, required: true, max_len: 12}\n"
         "behavior:\n  idempotency: true\n";
}

const std::vector<std::pair<std::string, std::string>> kKey = {{"Idempotency-Key", "key-1"}};

std::uint64_t Inferences(HttpClient& client) {
  auto metrics = client.Get("/metrics").body();
  std::string name = "modelgate_model_inferences_total{";
  auto found = metrics.find(name);
  auto value = metrics.find("} ", found);
  return std::stoull(metrics.substr(value + 2));
}

TEST(Idempotency, SameKeyAndBodyReplays) {
  ServerProcess server({"mock", WriteTempFile("charge.yaml", Contract()), "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  auto first = client.Post("/v1/charge", R"({"amount":5})", "application/json", kKey);
  auto second = client.Post("/v1/charge", R"({ "amount": 5 })", "application/json", kKey);
  ASSERT_EQ(first.result_int(), 200u);
  ASSERT_EQ(second.result_int(), 200u);
  EXPECT_EQ(first.body(), second.body());
  EXPECT_EQ(second["Idempotency-Replayed"], "true");
  EXPECT_TRUE(first["Idempotency-Replayed"].empty());
  EXPECT_EQ(Inferences(client), 1u);
}

TEST(Idempotency, SameKeyOtherBodyIsRejected) {
  ServerProcess server({"mock", WriteTempFile("charge.yaml", Contract()), "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  ASSERT_EQ(client.Post("/v1/charge", R"({"amount":5})", "application/json", kKey).result_int(),
            200u);
  auto reused = client.Post("/v1/charge", R"({"amount":6})", "application/json", kKey);
  EXPECT_EQ(reused.result_int(), 422u);
  EXPECT_NE(reused.body().find("IDEMPOTENCY_KEY_REUSED"), std::string::npos);
}

TEST(Idempotency, KeysAreScopedToTheClient) {
  ServerProcess server({"mock", WriteTempFile("charge.yaml", Contract()), "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  auto as = [](const std::string& api_key) {
    return std::vector<std::pair<std::string, std::string>>{{"Idempotency-Key", "key-1"},
                                                            {"X-API-Key", api_key}};
  };
  ASSERT_EQ(client.Post("/v1/charge", R"({"amount":5})", "application/json", as("alice"))
                .result_int(),
            200u);
  // Another client with the same key and another body runs its own operation.
  auto other = client.Post("/v1/charge", R"({"amount":6})", "application/json", as("bob"));
  EXPECT_EQ(other.result_int(), 200u) << other.body();
  EXPECT_TRUE(other["Idempotency-Replayed"].empty());
  // Within one client the rules hold as before.
  auto replay = client.Post("/v1/charge", R"({"amount":5})", "application/json", as("alice"));
  EXPECT_EQ(replay["Idempotency-Replayed"], "true");
  EXPECT_EQ(client.Post("/v1/charge", R"({"amount":6})", "application/json", as("alice"))
                .result_int(),
            422u);
  // Without the header the request is in the anonymous scope, apart from both.
  auto anonymous = client.Post("/v1/charge", R"({"amount":7})", "application/json", kKey);
  EXPECT_EQ(anonymous.result_int(), 200u);
  EXPECT_EQ(Inferences(client), 3u);
  // The state file never contains the API key itself.
  std::string state;
  for (const auto& entry : std::filesystem::directory_iterator(server.state_dir())) {
    std::ifstream file(entry.path());
    state += std::string(std::istreambuf_iterator<char>(file), {});
  }
  EXPECT_NE(state.find("key-1"), std::string::npos);
  EXPECT_EQ(state.find("alice"), std::string::npos);
}

TEST(Idempotency, KeyLengthBound) {
  ServerProcess server({"mock", WriteTempFile("charge.yaml", Contract()), "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  auto inside = client.Post("/v1/charge", R"({"amount":5})", "application/json",
                            {{"Idempotency-Key", std::string(255, 'a')}});
  EXPECT_EQ(inside.result_int(), 200u);
  auto outside = client.Post("/v1/charge", R"({"amount":5})", "application/json",
                             {{"Idempotency-Key", std::string(256, 'a')}});
  EXPECT_EQ(outside.result_int(), 400u);
}

TEST(Idempotency, ConcurrentDuplicatesRunModelOnce) {
  // The model takes 300 ms, so every duplicate arrives while the first is in flight.
  ServerProcess server({"mock", WriteTempFile("charge.yaml", Contract()), "--no-access-log",
                        "--delay-ms", "300", "--threads", "2"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  std::vector<std::future<unsigned>> futures;
  for (int i = 0; i < 16; ++i) {
    futures.push_back(std::async(std::launch::async, [&server] {
      HttpClient client(server.port());
      return client.Post("/v1/charge", R"({"amount":5})", "application/json", kKey).result_int();
    }));
  }
  int ok = 0;
  int conflicts = 0;
  for (auto& future : futures) {
    unsigned status = future.get();
    ok += status == 200;
    conflicts += status == 409;
  }
  EXPECT_EQ(ok + conflicts, 16);
  EXPECT_GE(ok, 1);
  HttpClient client(server.port());
  EXPECT_EQ(Inferences(client), 1u);
}

TEST(Idempotency, WaitingDuplicatesGetTheFirstAnswer) {
  // With on_conflict: wait, duplicates in flight wait for the first request's answer instead of
  // getting 409, and the model still runs once.
  std::string contract = Contract();
  contract.replace(contract.find("idempotency: true"), 17,
                   "idempotency: {header: Idempotency-Key, on_conflict: wait}");
  ServerProcess server({"mock", WriteTempFile("charge.yaml", contract), "--no-access-log",
                        "--delay-ms", "300", "--threads", "2"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  std::vector<std::future<Response>> futures;
  for (int i = 0; i < 8; ++i) {
    futures.push_back(std::async(std::launch::async, [&server] {
      HttpClient client(server.port());
      return client.Post("/v1/charge", R"({"amount":5})", "application/json", kKey);
    }));
  }
  std::vector<Response> responses;
  for (auto& future : futures) responses.push_back(future.get());
  int replayed = 0;
  for (const auto& response : responses) {
    EXPECT_EQ(response.result_int(), 200u) << response.body();
    EXPECT_EQ(response.body(), responses[0].body());
    replayed += response["Idempotency-Replayed"] == "true";
  }
  EXPECT_EQ(replayed, 7);
  HttpClient client(server.port());
  EXPECT_EQ(Inferences(client), 1u);
}

TEST(Idempotency, WaitingDuplicateRunsWhenFirstFails) {
  // The first request fails with a retryable error that is not stored, so the waiting duplicate
  // runs the model itself: with a failure rate of 1 it fails too, and the model ran twice.
  std::string contract = Contract();
  contract.replace(contract.find("idempotency: true"), 17,
                   "idempotency: {header: Idempotency-Key, on_conflict: wait}");
  contract += "errors:\n  - {code: MODEL_ERROR, status: 500, retryable: true}\n";
  ServerProcess server({"mock", WriteTempFile("charge.yaml", contract), "--no-access-log",
                        "--delay-ms", "200", "--failure-rate", "1", "--threads", "2"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  auto first = std::async(std::launch::async, [&server] {
    HttpClient client(server.port());
    return client.Post("/v1/charge", R"({"amount":5})", "application/json", kKey);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  HttpClient client(server.port());
  auto second = client.Post("/v1/charge", R"({"amount":5})", "application/json", kKey);
  EXPECT_EQ(first.get().result_int(), 500u);
  EXPECT_EQ(second.result_int(), 500u) << second.body();
  EXPECT_EQ(Inferences(client), 2u);
}

TEST(Idempotency, RecordsSurviveSigkill) {
  auto contract = WriteTempFile("charge.yaml", Contract());
  std::string body;
  ServerProcess first({"mock", contract, "--no-access-log", "--seed", "1"});
  ASSERT_TRUE(first.Start()) << first.Stderr();
  {
    HttpClient client(first.port());
    auto response = client.Post("/v1/charge", R"({"amount":5})", "application/json", kKey);
    ASSERT_EQ(response.result_int(), 200u);
    body = response.body();
  }
  first.Kill();
  // Another seed would generate another answer, so an equal body proves the replay.
  ServerProcess second({"mock", contract, "--no-access-log", "--seed", "2"});
  second.ShareStateWith(first);
  ASSERT_TRUE(second.Start()) << second.Stderr();
  HttpClient client(second.port());
  auto replay = client.Post("/v1/charge", R"({"amount":5})", "application/json", kKey);
  EXPECT_EQ(replay.result_int(), 200u);
  EXPECT_EQ(replay.body(), body);
  EXPECT_EQ(replay["Idempotency-Replayed"], "true");
  EXPECT_EQ(Inferences(client), 0u);
}

}  // namespace
}  // namespace modelgate::testing
