// Serves the spam example with the fastText classifier the build trains, over real HTTP, and
// checks every request bound and the results on held-out messages of the corpus.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "http_client.h"
#include "server_process.h"
#include "text_examples.h"

namespace modelgate::testing {
namespace {

struct Message {
  std::string subject;
  std::string body;
  std::string label;
};

std::size_t CodePoints(const std::string& text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// Reads up to `limit` held-out messages whose subject and body fit the contract.
std::vector<Message> HeldOutMessages(std::size_t limit) {
  std::ifstream file(MODELGATE_TEXT_CORPUS "/test.jsonl");
  std::vector<Message> messages;
  simdjson::dom::parser parser;
  std::string line;
  while (messages.size() < limit && std::getline(file, line)) {
    simdjson::dom::element item = parser.parse(line).value();
    Message message{std::string(item["subject"].get_string().value()),
                    std::string(item["body"].get_string().value()),
                    std::string(item["label"].get_string().value())};
    if (CodePoints(message.subject) <= 998 && CodePoints(message.body) <= 20000) {
      messages.push_back(std::move(message));
    }
  }
  return messages;
}

std::string Request(const std::vector<Message>& messages) {
  std::string body = R"({"messages":[)";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i > 0) body += ',';
    body += R"({"subject":)" + Quoted(messages[i].subject) + R"(,"body":)" +
            Quoted(messages[i].body) + "}";
  }
  return body + "]}";
}

std::vector<Message> Copies(std::size_t count) {
  return std::vector<Message>(count, Message{"Lunch on Friday?", "Are you free at noon?", ""});
}

class SpamServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string contract = ExampleContractCopy("spam", "model/spam.bin",
                                               {{"timeout_ms: 1000", "timeout_ms: 10000"},
                                                {"throughput_rps: 200", "throughput_rps: 100000"},
                                                {"burst_rps: 400", "burst_rps: 200000"}});
    server_ = new ServerProcess({"serve", contract, "--no-access-log"});
    ASSERT_TRUE(server_->Start()) << server_->Stderr();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static Response Classify(const std::string& body) {
    HttpClient client(server_->port());
    return client.Post("/v1/classify", body);
  }

  static ServerProcess* server_;
};

ServerProcess* SpamServeTest::server_ = nullptr;

TEST_F(SpamServeTest, NoMessagesIsInvalid) {
  auto response = Classify(R"({"messages":[]})");
  ASSERT_EQ(response.result_int(), 400u) << response.body();
  EXPECT_EQ(ErrorRules(response.body(), "/messages"), std::vector<std::string>{"min_items"});
}

TEST_F(SpamServeTest, OneMessageIsClassified) {
  auto response = Classify(Request(Copies(1)));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  simdjson::dom::parser parser;
  simdjson::dom::element body = parser.parse(response.body()).value();
  ASSERT_EQ(body["results"].get_array().value().size(), 1u);
  EXPECT_EQ(body["model_version"].get_string().value(), "spam-fasttext-2026.12");
  EXPECT_EQ(response["X-Model-Version"], "spam-fasttext-2026.12");
}

TEST_F(SpamServeTest, ThirtyTwoMessagesAreClassified) {
  auto response = Classify(Request(Copies(32)));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  simdjson::dom::parser parser;
  EXPECT_EQ(parser.parse(response.body())["results"].get_array().value().size(), 32u);
}

TEST_F(SpamServeTest, ThirtyThreeMessagesAreInvalid) {
  auto response = Classify(Request(Copies(33)));
  ASSERT_EQ(response.result_int(), 400u) << response.body();
  EXPECT_EQ(ErrorRules(response.body(), "/messages"), std::vector<std::string>{"max_items"});
}

TEST_F(SpamServeTest, SubjectLengthBound) {
  auto inside = Classify(Request({{Words(998), "body", ""}}));
  EXPECT_EQ(inside.result_int(), 200u) << inside.body();
  auto outside = Classify(Request({{Words(999), "body", ""}}));
  ASSERT_EQ(outside.result_int(), 400u) << outside.body();
  EXPECT_EQ(ErrorRules(outside.body(), "/messages/0/subject"), std::vector<std::string>{"max_len"});
}

TEST_F(SpamServeTest, BodyLengthBound) {
  auto inside = Classify(Request({{"subject", Words(20000), ""}}));
  EXPECT_EQ(inside.result_int(), 200u) << inside.body();
  auto outside = Classify(Request({{"subject", Words(20001), ""}}));
  ASSERT_EQ(outside.result_int(), 400u) << outside.body();
  EXPECT_EQ(ErrorRules(outside.body(), "/messages/0/body"), std::vector<std::string>{"max_len"});
}

TEST_F(SpamServeTest, MissingBodyIsInvalid) {
  auto response = Classify(R"({"messages":[{"subject":"hi"}]})");
  ASSERT_EQ(response.result_int(), 400u) << response.body();
  EXPECT_EQ(ErrorRules(response.body(), "/messages/0/body"), std::vector<std::string>{"required"});
}

TEST_F(SpamServeTest, IdempotencyKeyIsOptional) {
  auto without = Classify(R"({"messages":[{"subject":"hi","body":"see you"}]})");
  EXPECT_EQ(without.result_int(), 200u) << without.body();
  auto with = Classify(R"({"messages":[{"subject":"hi","body":"see you"}],)"
                       R"("idempotency_key":"spam-test-key-1"})");
  EXPECT_EQ(with.result_int(), 200u) << with.body();
}

// Each result of a batch equals the result of its message sent alone, so results keep the
// request order. A confidence below the contract's 0.9 gets manual_review, and otherwise the
// action follows the binding's map from label to action.
TEST_F(SpamServeTest, BatchResultsFollowRequestOrder) {
  std::vector<Message> messages = HeldOutMessages(32);
  ASSERT_EQ(messages.size(), 32u) << "run the build, which extracts the corpus";
  auto batch = Classify(Request(messages));
  ASSERT_EQ(batch.result_int(), 200u) << batch.body();
  simdjson::dom::parser batch_parser;
  simdjson::dom::array results = batch_parser.parse(batch.body())["results"].get_array().value();
  ASSERT_EQ(results.size(), messages.size());
  const std::map<std::string_view, std::string_view> actions = {{"spam", "quarantine"},
                                                                {"ham", "deliver"}};
  for (std::size_t i = 0; i < messages.size(); ++i) {
    auto single = Classify(Request({messages[i]}));
    ASSERT_EQ(single.result_int(), 200u) << single.body();
    simdjson::dom::parser parser;
    simdjson::dom::element alone = parser.parse(single.body())["results"].at(0).value();
    simdjson::dom::element in_batch = results.at(i).value();
    std::string_view label = in_batch["label"].get_string().value();
    EXPECT_EQ(label, alone["label"].get_string().value()) << "message " << i;
    EXPECT_EQ(in_batch["confidence"].get_double().value(), alone["confidence"].get_double().value())
        << "message " << i;
    double confidence = in_batch["confidence"].get_double().value();
    std::string_view action = confidence < 0.9 ? "manual_review" : actions.at(label);
    EXPECT_EQ(in_batch["action"].get_string().value(), action) << "message " << i;
  }
}

// The trained model labels most held-out messages correctly; examples/spam/README.md reports
// the exact figures on the whole held-out split.
TEST_F(SpamServeTest, HeldOutAccuracyAboveNinetyPercent) {
  std::vector<Message> messages = HeldOutMessages(320);
  ASSERT_GE(messages.size(), 300u);
  std::size_t correct = 0;
  for (std::size_t start = 0; start < messages.size(); start += 32) {
    std::vector<Message> batch(messages.begin() + start,
                               messages.begin() + std::min(start + 32, messages.size()));
    auto response = Classify(Request(batch));
    ASSERT_EQ(response.result_int(), 200u) << response.body();
    simdjson::dom::parser parser;
    simdjson::dom::array results = parser.parse(response.body())["results"].get_array().value();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (results.at(i)["label"].get_string().value() == batch[i].label) ++correct;
    }
  }
  EXPECT_GT(static_cast<double>(correct) / messages.size(), 0.9)
      << correct << " of " << messages.size();
}

// Returns the results of classifying `request` on a server of the spam contract whose threshold
// is `below: <below>`.
std::string ResultsWithThreshold(const std::string& below, const std::string& request) {
  std::string contract = ExampleContractCopy(
      "spam", "model/spam.bin",
      {{"timeout_ms: 1000", "timeout_ms: 10000"}, {"below: 0.9", "below: " + below}});
  ServerProcess server({"serve", contract, "--no-access-log"});
  EXPECT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  auto response = client.Post("/v1/classify", request);
  EXPECT_EQ(response.result_int(), 200u) << response.body();
  simdjson::dom::parser parser;
  simdjson::dom::element results;
  if (parser.parse(response.body())["results"].get(results) != simdjson::SUCCESS) return "[]";
  return simdjson::minify(results);
}

std::string ShortestText(double value) {
  char text[32];
  auto written = std::to_chars(text, text + sizeof text, value);
  return std::string(text, written.ptr);
}

// The threshold applies when the confidence is strictly below it: at a result's confidence the
// action stays the label's, one step above it the action becomes manual_review.
TEST(SpamThresholdTest, MovingThresholdChangesAction) {
  std::string request = Request(HeldOutMessages(32));
  simdjson::dom::parser parser;
  simdjson::dom::array base = parser.parse(ResultsWithThreshold("0", request)).get_array().value();
  std::size_t index = 0;
  double confidence = 1;
  for (; index < base.size(); ++index) {
    confidence = base.at(index)["confidence"].get_double().value();
    if (confidence < 1) break;
  }
  ASSERT_LT(index, base.size()) << "every held-out result has confidence 1";
  std::string_view label = base.at(index)["label"].get_string().value();
  std::string_view label_action = label == "spam" ? "quarantine" : "deliver";
  EXPECT_EQ(base.at(index)["action"].get_string().value(), label_action);

  simdjson::dom::parser at_parser;
  simdjson::dom::array at =
      at_parser.parse(ResultsWithThreshold(ShortestText(confidence), request)).get_array().value();
  EXPECT_EQ(at.at(index)["action"].get_string().value(), label_action);

  simdjson::dom::parser above_parser;
  std::string above_text =
      ResultsWithThreshold(ShortestText(std::nextafter(confidence, 2.0)), request);
  simdjson::dom::array above = above_parser.parse(above_text).get_array().value();
  EXPECT_EQ(above.at(index)["action"].get_string().value(), "manual_review");
  EXPECT_EQ(above.at(index)["label"].get_string().value(), label);
}

TEST_F(SpamServeTest, ConcurrentRequestsMatchSequential) {
  std::vector<Message> messages = HeldOutMessages(64);
  std::vector<std::string> requests;
  for (std::size_t i = 0; i + 8 <= messages.size(); i += 8) {
    requests.push_back(Request({messages.begin() + i, messages.begin() + i + 8}));
  }
  std::vector<std::string> expected;
  for (const auto& request : requests) expected.push_back(Classify(request).body());
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(server_->port());
      for (std::size_t k = 0; k < 3 * requests.size(); ++k) {
        std::size_t index = (k + t) % requests.size();
        if (client.Post("/v1/classify", requests[index]).body() != expected[index]) {
          ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace modelgate::testing
