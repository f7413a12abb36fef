// Serves the embeddings example with the 768-dimension model the build trains, over real HTTP.
// One server runs for the whole suite, because the model takes seconds to load.
#include <fasttext/fasttext.h>
#include <fasttext/vector.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "backend/fasttext_binding.h"
#include "contract/loader.h"
#include "http_client.h"
#include "server_process.h"
#include "text_examples.h"

namespace modelgate::testing {
namespace {

constexpr std::size_t kDim = 768;

std::string Request(const std::vector<std::string>& texts, const std::string& extra = "") {
  std::string body = R"({"texts":[)";
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) body += ',';
    body += Quoted(texts[i]);
  }
  return body + "]" + extra + "}";
}

std::vector<std::vector<float>> Vectors(const std::string& response) {
  simdjson::dom::parser parser;
  std::vector<std::vector<float>> vectors;
  // Bind each array first: ranging over a temporary result would leave it dangling.
  simdjson::dom::array rows = parser.parse(response)["vectors"].get_array().value();
  for (simdjson::dom::element row : rows) {
    vectors.emplace_back();
    simdjson::dom::array values = row.get_array().value();
    for (simdjson::dom::element value : values) {
      vectors.back().push_back(static_cast<float>(value.get_double().value()));
    }
  }
  return vectors;
}

double Norm(const std::vector<float>& vector) {
  double sum = 0;
  for (float value : vector) sum += static_cast<double>(value) * value;
  return std::sqrt(sum);
}

const std::vector<std::string> kTexts = {
    "Your account statement is ready to view online",
    "Meeting notes from the Monday review, attached",
    "Limited offer: refinance your mortgage today and save money",
    "Re: the patch for the kernel build breaks on gcc 3.2"};

class EmbeddingsServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    contract_ =
        new std::string(ExampleContractCopy("embeddings", "model/embeddings.bin",
                                            {{"timeout: 2s", "timeout: 60s"},
                                             {"throughput_rps: 50", "throughput_rps: 100000"},
                                             {"burst_rps: 100", "burst_rps: 200000"}}));
    server_ = new ServerProcess({"serve", *contract_, "--no-access-log"});
    ASSERT_TRUE(server_->Start(std::chrono::seconds(120))) << server_->Stderr();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete contract_;
    contract_ = nullptr;
  }

  static Response Embed(const std::string& body) {
    HttpClient client(server_->port());
    return client.Post("/v1/embed", body);
  }

  static std::string* contract_;
  static ServerProcess* server_;
};

std::string* EmbeddingsServeTest::contract_ = nullptr;
ServerProcess* EmbeddingsServeTest::server_ = nullptr;

TEST_F(EmbeddingsServeTest, NoTextsIsInvalid) {
  auto response = Embed(Request({}));
  ASSERT_EQ(response.result_int(), 400u) << response.body();
  EXPECT_EQ(ErrorRules(response.body(), "/texts"), std::vector<std::string>{"min_items"});
}

TEST_F(EmbeddingsServeTest, OneTextGivesOneVector) {
  auto response = Embed(Request({kTexts[0]}));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  auto vectors = Vectors(response.body());
  ASSERT_EQ(vectors.size(), 1u);
  EXPECT_EQ(vectors[0].size(), kDim);
  simdjson::dom::parser parser;
  simdjson::dom::element body = parser.parse(response.body()).value();
  EXPECT_EQ(body["dim"].get_int64().value(), 768);
  EXPECT_EQ(body["model_version"].get_string().value(), "embed-fasttext-cbow768-2026.12");
}

TEST_F(EmbeddingsServeTest, ThirtyTwoTextsGiveThirtyTwoVectors) {
  std::vector<std::string> texts(32, kTexts[1]);
  auto response = Embed(Request(texts));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  auto vectors = Vectors(response.body());
  ASSERT_EQ(vectors.size(), 32u);
  for (const auto& vector : vectors) EXPECT_EQ(vector.size(), kDim);
}

TEST_F(EmbeddingsServeTest, ThirtyThreeTextsAreInvalid) {
  std::vector<std::string> texts(33, kTexts[1]);
  auto response = Embed(Request(texts));
  ASSERT_EQ(response.result_int(), 400u) << response.body();
  // constraints.max_batch bounds the same array, so both rules report it.
  EXPECT_EQ(ErrorRules(response.body(), "/texts"),
            (std::vector<std::string>{"max_items", "max_batch"}));
}

TEST_F(EmbeddingsServeTest, TotalCharactersAtLimitAreAccepted) {
  std::vector<std::string> texts(32, Words(1000));  // 32,000 characters in all
  auto response = Embed(Request(texts));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  EXPECT_EQ(Vectors(response.body()).size(), 32u);
}

TEST_F(EmbeddingsServeTest, TotalCharactersOverLimitRejectBatch) {
  std::vector<std::string> texts(32, Words(1000));
  texts.back() = Words(1001);  // 32,001 characters in all
  auto response = Embed(Request(texts));
  ASSERT_EQ(response.result_int(), 400u) << response.body();
  EXPECT_EQ(ErrorRules(response.body(), ""), std::vector<std::string>{"max_total_chars"});
  EXPECT_EQ(response.body().find("\"vectors\""), std::string::npos);
}

TEST_F(EmbeddingsServeTest, OneTextAtLimitIsAccepted) {
  auto response = Embed(Request({Words(32000)}));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
}

TEST_F(EmbeddingsServeTest, OneTextOverLimitIsInvalid) {
  auto response = Embed(Request({Words(32001)}));
  ASSERT_EQ(response.result_int(), 400u) << response.body();
  EXPECT_EQ(ErrorRules(response.body(), "/texts/0"), std::vector<std::string>{"max_len"});
  EXPECT_EQ(ErrorRules(response.body(), ""), std::vector<std::string>{"max_total_chars"});
}

TEST_F(EmbeddingsServeTest, EmptyTextIsInvalid) {
  auto response = Embed(Request({""}));
  ASSERT_EQ(response.result_int(), 400u) << response.body();
  EXPECT_EQ(ErrorRules(response.body(), "/texts/0"), std::vector<std::string>{"min_len"});
}

TEST_F(EmbeddingsServeTest, NormalizeDefaultGivesUnitNorm) {
  auto response = Embed(Request(kTexts));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  auto vectors = Vectors(response.body());
  ASSERT_EQ(vectors.size(), kTexts.size());
  for (const auto& vector : vectors) EXPECT_NEAR(Norm(vector), 1.0, 1e-5);
}

TEST_F(EmbeddingsServeTest, NormalizeTrueEqualsDefault) {
  auto by_default = Embed(Request(kTexts));
  auto explicit_true = Embed(Request(kTexts, R"(,"normalize":true)"));
  ASSERT_EQ(by_default.result_int(), 200u) << by_default.body();
  EXPECT_EQ(by_default.body(), explicit_true.body());
}

TEST_F(EmbeddingsServeTest, NormalizeNonBooleanIsInvalid) {
  auto response = Embed(Request(kTexts, R"(,"normalize":"yes")"));
  ASSERT_EQ(response.result_int(), 400u) << response.body();
  EXPECT_EQ(ErrorRules(response.body(), "/normalize"), std::vector<std::string>{"type"});
}

// Without normalize the vectors are fastText's sentence vectors of the prepared text, computed
// here by loading the same model file in the test process.
TEST_F(EmbeddingsServeTest, RawVectorsMatchModel) {
  auto response = Embed(Request(kTexts, R"(,"normalize":false)"));
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  auto vectors = Vectors(response.body());
  ASSERT_EQ(vectors.size(), kTexts.size());

  auto contract = contract::LoadContract(*contract_);
  ASSERT_TRUE(contract.ok()) << contract.status();
  backend::FasttextBinding binding = backend::ReadFasttextBinding(*contract);
  fasttext::FastText model;
  model.loadModel(binding.artifact);
  simdjson::dom::parser parser;
  for (std::size_t i = 0; i < kTexts.size(); ++i) {
    auto text = backend::ItemText(binding, parser.parse(Quoted(kTexts[i])).value());
    ASSERT_TRUE(text.ok()) << text.status();
    fasttext::Vector expected(kDim);
    std::istringstream line(*text);
    model.getSentenceVector(line, expected);
    EXPECT_GT(Norm(vectors[i]), 0.0) << "text " << i << " has no known word";
    EXPECT_GT(std::abs(Norm(vectors[i]) - 1.0), 1e-3) << "text " << i << " looks normalized";
    ASSERT_EQ(vectors[i].size(), kDim);
    for (std::size_t d = 0; d < kDim; ++d) {
      ASSERT_EQ(vectors[i][d], expected[d]) << "text " << i << " dimension " << d;
    }
  }
}

TEST_F(EmbeddingsServeTest, ConcurrentRequestsMatchSequential) {
  std::vector<std::string> requests;
  for (std::size_t i = 0; i < kTexts.size(); ++i) {
    requests.push_back(Request({kTexts[i], kTexts[(i + 1) % kTexts.size()]},
                               i % 2 == 0 ? "" : R"(,"normalize":false)"));
  }
  std::vector<std::string> expected;
  for (const auto& request : requests) expected.push_back(Embed(request).body());
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(server_->port());
      for (std::size_t k = 0; k < 4 * requests.size(); ++k) {
        std::size_t index = (k + t) % requests.size();
        if (client.Post("/v1/embed", requests[index]).body() != expected[index]) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace modelgate::testing
