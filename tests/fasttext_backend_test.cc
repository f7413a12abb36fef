// Tests of the fasttext backend against small models trained in the test's temporary folder.
#include "backend/fasttext_backend.h"

#include <fasttext/fasttext.h>
#include <fasttext/vector.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "backend/fasttext_output.h"
#include "contract/loader.h"

namespace modelgate::backend {
namespace {

namespace fs = std::filesystem;

constexpr int kClassifierDim = 10;
constexpr int kEmbeddingDim = 16;

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
}

// Trains a model on `lines` with one thread, so the result is fixed for the seed.
void Train(const fs::path& folder, const std::string& name, fasttext::model_name model, int dim,
           const std::string& lines) {
  WriteFile(folder / (name + ".txt"), lines);
  fasttext::Args args;
  args.input = folder / (name + ".txt");
  args.output = folder / name;
  args.model = model;
  args.loss =
      model == fasttext::model_name::sup ? fasttext::loss_name::softmax : fasttext::loss_name::ns;
  args.dim = dim;
  args.epoch = 30;
  args.lr = 0.5;
  args.minCount = 1;
  args.minn = 0;
  args.maxn = 0;
  args.bucket = 0;
  args.thread = 1;
  args.verbose = 0;
  fasttext::FastText trainer;
  trainer.train(args);
  trainer.saveModel(folder / (name + ".bin"));
}

// Trains a supervised model and saves its quantized form, as `fasttext quantize` writes it,
// as NAME.ftz beside NAME.bin. Quantization needs at least 256 words, so each line also
// carries filler words.
void TrainQuantized(const fs::path& folder, const std::string& name) {
  std::string lines;
  for (int i = 0; i < 300; ++i) {
    std::string filler = " filler" + std::to_string(i);
    lines += "__label__spam win cheap pills now click" + filler + "\n";
    lines += "__label__ham meeting agenda notes for monday" + filler + "\n";
  }
  Train(folder, name, fasttext::model_name::sup, kClassifierDim, lines);
  fasttext::Args args;
  args.input = folder / (name + ".txt");
  args.output = folder / name;
  args.model = fasttext::model_name::sup;
  args.qnorm = true;
  args.retrain = false;
  args.cutoff = 0;
  args.dsub = 2;
  args.verbose = 0;
  fasttext::FastText trainer;
  trainer.loadModel(folder / (name + ".bin"));
  trainer.quantize(args);
  trainer.saveModel(folder / (name + ".ftz"));
}

std::string Repeat(const std::string& line, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += line + "\n";
  return out;
}

// Trains one supervised and one cbow model once for every test of the file.
class FasttextBackendTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new fs::path(fs::temp_directory_path() /
                           ("modelgate-fasttext-" + std::to_string(getpid())));
    fs::create_directories(*folder_);
    Train(*folder_, "classifier", fasttext::model_name::sup, kClassifierDim,
          Repeat("__label__spam win cheap pills now click", 50) +
              Repeat("__label__ham meeting agenda notes for monday", 50));
    Train(*folder_, "embeddings", fasttext::model_name::cbow, kEmbeddingDim,
          Repeat("the quick brown fox jumps over the lazy dog", 30) +
              Repeat("meeting agenda notes for monday morning", 30));
    TrainQuantized(*folder_, "quantizable");
    WriteFile(*folder_ / "garbage.bin", "this is not a fastText model");
  }
  static void TearDownTestSuite() {
    fs::remove_all(*folder_);
    delete folder_;
  }

  static std::string ClassifierContract(const std::string& model_section) {
    return R"(
name: spam
version: v1.0.0
request:
  fields:
    - name: messages
      type: array[object]
      required: true
      max_len: 32
      fields:
        - {name: subject, type: string}
        - {name: body, type: string, required: true}
response:
  fields:
    - name: results
      type: array[object]
      required: true
      fields:
        - {name: label, type: string, required: true, enum: [spam, ham]}
        - {name: confidence, type: number, required: true, range: [0, 1]}
        - {name: action, type: string, required: true, enum: [deliver, quarantine]}
    - {name: model_version, type: string, required: true}
model:
)" + model_section;
  }

  static std::string ClassifierModel(
      const std::string& artifact = "classifier.bin",
      const std::string& labels = "{__label__spam: spam, __label__ham: ham}") {
    return "  backend: fasttext\n  artifact: " + artifact +
           "\n  version: test-1\n  task: classify\n"
           "  input: {list: messages, parts: [subject, body]}\n"
           "  text: {lowercase: true, max_tokens: 50}\n"
           "  labels: " +
           labels +
           "\n"
           "  actions: {spam: quarantine, ham: deliver}\n"
           "  outputs: {list: results, label: label, confidence: confidence, action: action, "
           "version: model_version}\n";
  }

  static std::string EmbeddingContract(std::size_t dim, const std::string& artifact,
                                       const std::string& task = "embed") {
    std::string text = R"(
name: embed
version: v1.0.0
request:
  fields:
    - {name: texts, type: 'array[string]', required: true, max_len: 32}
    - {name: normalize, type: boolean, default: true}
response:
  fields:
    - name: vectors
      type: array[array[number]]
      required: true
      items: {len: DIM}
    - {name: dim, type: integer, required: true}
    - {name: model_version, type: string, required: true}
constraints:
  vector_dim: DIM
model:
  backend: fasttext
  artifact: ARTIFACT
  version: test-1
  task: TASK
  input: {list: texts, normalize: normalize}
  text: {lowercase: true}
  outputs: {vectors: vectors, dim: dim, version: model_version}
)";
    auto replace = [&text](const std::string& from, const std::string& to) {
      for (auto at = text.find(from); at != std::string::npos; at = text.find(from)) {
        text.replace(at, from.size(), to);
      }
    };
    replace("DIM", std::to_string(dim));
    replace("ARTIFACT", artifact);
    replace("TASK", task);
    return text;
  }

  static contract::Contract Load(const std::string& text) {
    auto contract = contract::LoadContractText(text, (*folder_ / "contract.yaml").string());
    EXPECT_TRUE(contract.ok()) << contract.status();
    return *std::move(contract);
  }

  // Returns the start-up error of a backend for `text`, or "no error".
  static std::string StartupError(const std::string& text) {
    contract::Contract contract = Load(text);
    try {
      FasttextBackend backend(contract);
    } catch (const std::runtime_error& error) {
      return error.what();
    }
    return "no error";
  }

  static std::string Predict(FasttextBackend& backend, const std::string& request) {
    simdjson::dom::parser parser;
    std::string response;
    absl::Status status = backend.Predict(parser.parse(request).value(), request, response);
    EXPECT_TRUE(status.ok()) << status;
    return response;
  }

  static std::vector<std::vector<float>> Vectors(const std::string& response) {
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

  static fs::path* folder_;
};

fs::path* FasttextBackendTest::folder_ = nullptr;

TEST_F(FasttextBackendTest, ClassifiesInRequestOrder) {
  contract::Contract contract = Load(ClassifierContract(ClassifierModel()));
  FasttextBackend backend(contract);
  std::string response =
      Predict(backend, R"({"messages":[{"subject":"WIN cheap pills","body":"click now"},)"
                       R"({"subject":"Meeting","body":"agenda for Monday"},{"body":"notes"}]})");
  simdjson::dom::parser parser;
  simdjson::dom::element body = parser.parse(response).value();
  simdjson::dom::array results = body["results"].get_array().value();
  ASSERT_EQ(results.size(), 3u);
  std::vector<std::string_view> labels;
  for (simdjson::dom::element result : results) {
    labels.push_back(result["label"].get_string().value());
    double confidence = result["confidence"].get_double().value();
    EXPECT_GE(confidence, 0.0);
    EXPECT_LE(confidence, 1.0);
    std::string_view action = result["action"].get_string().value();
    EXPECT_EQ(action, labels.back() == "spam" ? "quarantine" : "deliver");
  }
  EXPECT_EQ(labels, (std::vector<std::string_view>{"spam", "ham", "ham"}));
  EXPECT_EQ(body["model_version"].get_string().value(), "test-1");
}

TEST_F(FasttextBackendTest, ConfidenceMatchesModel) {
  contract::Contract contract = Load(ClassifierContract(ClassifierModel()));
  FasttextBackend backend(contract);
  std::string response =
      Predict(backend, R"({"messages":[{"subject":"Meeting","body":"agenda notes"}]})");
  fasttext::FastText model;
  model.loadModel(*folder_ / "classifier.bin");
  std::istringstream line("meeting agenda notes\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  model.predictLine(line, predictions, 1, 0.0F);
  ASSERT_EQ(predictions.size(), 1u);
  EXPECT_EQ(predictions[0].second, "__label__ham");
  simdjson::dom::parser parser;
  double confidence = parser.parse(response)["results"].at(0)["confidence"].get_double().value();
  EXPECT_EQ(static_cast<float>(confidence), std::min(1.0F, predictions[0].first));
}

TEST_F(FasttextBackendTest, QuantizedModelClassifiesLikeTheFullOne) {
  contract::Contract full_contract = Load(ClassifierContract(ClassifierModel("quantizable.bin")));
  contract::Contract quantized_contract =
      Load(ClassifierContract(ClassifierModel("quantizable.ftz")));
  FasttextBackend full(full_contract);
  FasttextBackend quantized(quantized_contract);
  const std::string request =
      R"({"messages":[{"subject":"win","body":"cheap pills now"},)"
      R"({"subject":"Meeting","body":"agenda notes for monday"}]})";
  simdjson::dom::parser full_parser;
  simdjson::dom::parser quantized_parser;
  std::string full_response = Predict(full, request);
  std::string quantized_response = Predict(quantized, request);
  auto full_results = full_parser.parse(full_response)["results"].get_array().value();
  auto quantized_results =
      quantized_parser.parse(quantized_response)["results"].get_array().value();
  ASSERT_EQ(quantized_results.size(), 2u);
  EXPECT_EQ(quantized_results.at(0)["label"].get_string().value(), "spam");
  EXPECT_EQ(quantized_results.at(1)["label"].get_string().value(), "ham");
  fasttext::FastText model;
  model.loadModel(*folder_ / "quantizable.ftz");
  EXPECT_TRUE(model.isQuant());
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(quantized_results.at(i)["label"].get_string().value(),
              full_results.at(i)["label"].get_string().value());
  }
}

TEST(FasttextClampTest, ClampsToRange) {
  EXPECT_EQ(ClampProbability(1.0000001F, 0, 1), 1.0F);
  EXPECT_EQ(ClampProbability(1.0F, 0, 1), 1.0F);
  EXPECT_EQ(ClampProbability(0.25F, 0, 1), 0.25F);
  EXPECT_EQ(ClampProbability(-0.0001F, 0, 1), 0.0F);
  EXPECT_EQ(ClampProbability(0.95F, 0.1, 0.9), 0.9F);
  EXPECT_EQ(ClampProbability(0.05F, 0.1, 0.9), 0.1F);
}

TEST_F(FasttextBackendTest, ConcurrentClassifyMatchesSequential) {
  contract::Contract contract = Load(ClassifierContract(ClassifierModel()));
  FasttextBackend backend(contract);
  const std::vector<std::string> requests = {
      R"({"messages":[{"subject":"win","body":"cheap pills"}]})",
      R"({"messages":[{"subject":"meeting","body":"monday agenda"}]})",
      R"({"messages":[{"subject":"click","body":"now notes"},{"body":"win"}]})"};
  std::vector<std::string> expected;
  for (const auto& request : requests) expected.push_back(Predict(backend, request));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::size_t k = static_cast<std::size_t>(i + t) % requests.size();
        if (Predict(backend, requests[k]) != expected[k]) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

TEST_F(FasttextBackendTest, RawVectorsMatchModel) {
  contract::Contract contract = Load(EmbeddingContract(kEmbeddingDim, "embeddings.bin"));
  FasttextBackend backend(contract);
  auto vectors = Vectors(
      Predict(backend, R"({"texts":["The QUICK brown fox","meeting  notes"],"normalize":false})"));
  ASSERT_EQ(vectors.size(), 2u);
  fasttext::FastText model;
  model.loadModel(*folder_ / "embeddings.bin");
  const char* prepared[] = {"the quick brown fox", "meeting notes"};
  for (std::size_t i = 0; i < 2; ++i) {
    fasttext::Vector expected(kEmbeddingDim);
    std::istringstream line(prepared[i]);
    model.getSentenceVector(line, expected);
    ASSERT_EQ(vectors[i].size(), static_cast<std::size_t>(kEmbeddingDim));
    for (int d = 0; d < kEmbeddingDim; ++d) {
      EXPECT_EQ(vectors[i][d], expected[d]) << "text " << i << " dimension " << d;
    }
  }
}

TEST_F(FasttextBackendTest, NormalizedVectorsHaveUnitNorm) {
  contract::Contract contract = Load(EmbeddingContract(kEmbeddingDim, "embeddings.bin"));
  FasttextBackend backend(contract);
  // normalize is absent, so its default (true) applies.
  for (const auto& vector : Vectors(Predict(backend, R"({"texts":["lazy dog","monday"]})"))) {
    double sum = 0;
    for (float value : vector) sum += static_cast<double>(value) * value;
    EXPECT_NEAR(std::sqrt(sum), 1.0, 1e-6);
  }
}

TEST_F(FasttextBackendTest, UnknownWordsGiveZeroVector) {
  contract::Contract contract = Load(EmbeddingContract(kEmbeddingDim, "embeddings.bin"));
  FasttextBackend backend(contract);
  auto vectors = Vectors(Predict(backend, R"({"texts":["zzzz qqqq"],"normalize":true})"));
  ASSERT_EQ(vectors.size(), 1u);
  for (float value : vectors[0]) EXPECT_EQ(value, 0.0F);
}

TEST_F(FasttextBackendTest, WritesDimension) {
  contract::Contract contract = Load(EmbeddingContract(kEmbeddingDim, "embeddings.bin"));
  FasttextBackend backend(contract);
  simdjson::dom::parser parser;
  std::string response = Predict(backend, R"({"texts":["fox"]})");
  EXPECT_EQ(parser.parse(response)["dim"].get_int64().value(), kEmbeddingDim);
}

TEST_F(FasttextBackendTest, MissingModelStopsStartup) {
  std::string error = StartupError(ClassifierContract(ClassifierModel("absent.bin")));
  EXPECT_NE(error.find("model.artifact: "), std::string::npos) << error;
  EXPECT_NE(error.find("is not found"), std::string::npos) << error;
}

TEST_F(FasttextBackendTest, BadModelStopsStartup) {
  std::string error = StartupError(ClassifierContract(ClassifierModel("garbage.bin")));
  EXPECT_NE(error.find("cannot load"), std::string::npos) << error;
  EXPECT_NE(error.find("as a fastText model"), std::string::npos) << error;
}

TEST_F(FasttextBackendTest, LabelMismatchStopsStartup) {
  std::string error = StartupError(ClassifierContract(
      ClassifierModel("classifier.bin", "{__label__spam: spam, __label__other: ham}")));
  EXPECT_NE(error.find("model.labels: the model's labels are __label__ham, __label__spam"),
            std::string::npos)
      << error;
}

TEST_F(FasttextBackendTest, LabelOutsideEnumStopsStartup) {
  std::string error = StartupError(ClassifierContract(
      ClassifierModel("classifier.bin", "{__label__spam: junk, __label__ham: ham}")));
  EXPECT_NE(error.find("model.labels.__label__spam: \"junk\" is not in the enum"),
            std::string::npos)
      << error;
}

TEST_F(FasttextBackendTest, DimensionMismatchStopsStartup) {
  std::string error = StartupError(EmbeddingContract(kEmbeddingDim + 1, "embeddings.bin"));
  EXPECT_NE(error.find("has dimension 16 but the contract states 17"), std::string::npos) << error;
}

TEST_F(FasttextBackendTest, SupervisedModelCannotEmbed) {
  std::string error = StartupError(EmbeddingContract(kClassifierDim, "classifier.bin"));
  EXPECT_NE(error.find("model.task: is embed, but"), std::string::npos) << error;
}

TEST_F(FasttextBackendTest, UnsupervisedModelCannotClassify) {
  std::string error = StartupError(ClassifierContract(ClassifierModel("embeddings.bin")));
  EXPECT_NE(error.find("model.task: is classify, but"), std::string::npos) << error;
}

TEST_F(FasttextBackendTest, UnknownTaskStopsStartup) {
  std::string error = StartupError(EmbeddingContract(kEmbeddingDim, "embeddings.bin", "rank"));
  EXPECT_NE(error.find("model.task: \"rank\" is invalid"), std::string::npos) << error;
}

TEST_F(FasttextBackendTest, MissingActionStopsStartup) {
  std::string model = ClassifierModel();
  model.replace(model.find("spam: quarantine, "), 18, "");
  std::string error = StartupError(ClassifierContract(model));
  EXPECT_NE(error.find("model.actions: no action for label \"spam\""), std::string::npos) << error;
}

TEST_F(FasttextBackendTest, PartsMustBeStringMembers) {
  std::string model = ClassifierModel();
  model.replace(model.find("[subject, body]"), 15, "[subject, sender]");
  std::string error = StartupError(ClassifierContract(model));
  EXPECT_NE(error.find("model.input.parts: each part must name a string member"), std::string::npos)
      << error;
}

TEST_F(FasttextBackendTest, ItemTextJoinsParts) {
  contract::Contract contract = Load(ClassifierContract(ClassifierModel()));
  FasttextBinding binding = ReadFasttextBinding(contract);
  simdjson::dom::parser parser;
  auto text = ItemText(
      binding, parser.parse(std::string(R"({"subject":"Hi  THERE","body":"x\ny"})")).value());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "hi there x y");
  auto absent = ItemText(binding, parser.parse(std::string(R"({"body":"Only body"})")).value());
  ASSERT_TRUE(absent.ok()) << absent.status();
  EXPECT_EQ(*absent, "only body");
  auto wrong = ItemText(binding, parser.parse(std::string(R"({"subject":3,"body":"x"})")).value());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FasttextOutputTest, WritesShortestFloat) {
  std::string out;
  json::Writer writer(out);
  const float values[] = {0.1F, -1.5F, 0.0F, 3.4028235e38F};
  ASSERT_TRUE(WriteFloatArray(writer, values).ok());
  EXPECT_EQ(out, "[0.1,-1.5,0,3.4028235e+38]");
}

TEST(FasttextOutputTest, RejectsNonFinite) {
  std::string out;
  json::Writer writer(out);
  const float values[] = {0.5F, std::numeric_limits<float>::quiet_NaN()};
  absl::Status status = WriteFloatArray(writer, values);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_NE(status.message().find("index 1"), std::string::npos);
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace modelgate::backend
