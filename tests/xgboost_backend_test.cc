// Tests of the xgboost backend against a small model trained in the test's temporary folder.

#include "backend/xgboost_backend.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "backend/factory.h"
#include "contract/loader.h"

namespace modelgate::backend {
namespace {

constexpr std::size_t kFeatureCount = 8;
using Row = std::array<float, kFeatureCount>;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr const char* kFeatureNames[kFeatureCount] = {
    "amount",        "currency",     "merchant_category", "country_mismatch",
    "card_age_days", "txn_count_1h", "txn_count_24h",     "hour_of_day"};
const std::vector<std::string> kCurrencies = {"USD", "EUR", "GBP", "JPY", "CHF",
                                              "CAD", "AUD", "BRL", "NGN", "RUB"};
const std::vector<std::string> kCategories = {"grocery",     "fuel",    "restaurants", "travel",
                                              "electronics", "digital", "gaming",      "jewelry",
                                              "gift_cards",  "other"};

// Aborts the test with XGBoost's message when a C API call fails.
#define ASSERT_XGB(call) ASSERT_EQ((call), 0) << #call << ": " << XGBGetLastError()

struct BoosterDeleter {
  void operator()(void* handle) const { XGBoosterFree(handle); }
};
struct DMatrixDeleter {
  void operator()(void* handle) const { XGDMatrixFree(handle); }
};
using Booster = std::unique_ptr<void, BoosterDeleter>;
using DMatrix = std::unique_ptr<void, DMatrixDeleter>;

// Synthetic transactions whose label follows a logistic rule over several features.
void MakeTrainingData(std::vector<float>& features, std::vector<float>& labels) {
  std::mt19937 random(17);
  std::uniform_real_distribution<float> uniform(0.0F, 1.0F);
  constexpr int kRows = 2000;
  for (int i = 0; i < kRows; ++i) {
    Row row = {std::exp(uniform(random) * 8.0F),    static_cast<float>(random() % 10),
               static_cast<float>(random() % 10),   static_cast<float>(random() % 2),
               static_cast<float>(random() % 3650), static_cast<float>(random() % 10),
               static_cast<float>(random() % 80),   static_cast<float>(random() % 24)};
    if (uniform(random) < 0.05F) row[7] = kNaN;  // some hours are unknown
    double logit = -3.0 + 0.5 * std::log(row[0] / 50.0) + (row[4] < 30 ? 2.0 : 0.0) + 0.5 * row[5] +
                   (row[6] >= 40 ? 1.0 : 0.0) + 1.5 * row[3] + (row[1] >= 8 ? 1.5 : 0.0) +
                   (row[7] <= 5 ? 1.0 : 0.0);
    features.insert(features.end(), row.begin(), row.end());
    labels.push_back(uniform(random) < 1.0 / (1.0 + std::exp(-logit)) ? 1.0F : 0.0F);
  }
}

// Trains 20 rounds of binary:logistic and saves the model with feature names to `path`.
void TrainModel(const std::string& path) {
  std::vector<float> features;
  std::vector<float> labels;
  MakeTrainingData(features, labels);
  DMatrixHandle matrix_handle = nullptr;
  ASSERT_XGB(
      XGDMatrixCreateFromMat(features.data(), labels.size(), kFeatureCount, kNaN, &matrix_handle));
  DMatrix matrix(matrix_handle);
  ASSERT_XGB(XGDMatrixSetFloatInfo(matrix.get(), "label", labels.data(), labels.size()));
  const char* names[kFeatureCount];
  std::copy(std::begin(kFeatureNames), std::end(kFeatureNames), names);
  ASSERT_XGB(XGDMatrixSetStrFeatureInfo(matrix.get(), "feature_name", names, kFeatureCount));
  BoosterHandle booster_handle = nullptr;
  DMatrixHandle train[] = {matrix.get()};
  ASSERT_XGB(XGBoosterCreate(train, 1, &booster_handle));
  Booster booster(booster_handle);
  ASSERT_XGB(XGBoosterSetParam(booster.get(), "objective", "binary:logistic"));
  ASSERT_XGB(XGBoosterSetParam(booster.get(), "max_depth", "4"));
  ASSERT_XGB(XGBoosterSetParam(booster.get(), "nthread", "1"));
  for (int round = 0; round < 20; ++round) {
    ASSERT_XGB(XGBoosterUpdateOneIter(booster.get(), round, matrix.get()));
  }
  // Feature names of the training DMatrix do not pass to the booster by themselves.
  ASSERT_XGB(XGBoosterSetStrFeatureInfo(booster.get(), "feature_name", names, kFeatureCount));
  ASSERT_XGB(XGBoosterSaveModel(booster.get(), path.c_str()));
}

std::string YamlList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& item : items) out += (out.size() > 1 ? ", " : "") + item;
  return out + "]";
}

// Parts of the test contract that tests change.
struct ContractParts {
  std::string artifact = "model.json";
  std::string objective = "binary:logistic";
  std::vector<std::string> features = {
      "{name: amount, from: amount}",
      "{name: currency, from: currency, vocabulary: " + YamlList(kCurrencies) + "}",
      "{name: merchant_category, from: features.merchant_category, vocabulary: " +
          YamlList(kCategories) + "}",
      "{name: country_mismatch, from: features.country_mismatch}",
      "{name: card_age_days, from: features.card_age_days}",
      "{name: txn_count_1h, from: features.txn_count_1h}",
      "{name: txn_count_24h, from: features.txn_count_24h}",
      "{name: hour_of_day, from: features.hour_of_day}"};
  std::string method = "approximate";
  int top_k = 3;
  int max_len = 5;
  std::string extra_model_lines;
};

std::string ContractText(const ContractParts& parts) {
  std::string text =
      "name: fraud-test\n"
      "purpose: Tests of the xgboost backend.\n"
      "version: v1.0.0\n"
      "endpoint: {operation: score}\n"
      "request:\n"
      "  fields:\n"
      "    - {name: amount, type: number, required: true}\n"
      "    - {name: currency, type: string, required: true}\n"
      "    - name: features\n"
      "      type: object\n"
      "      fields:\n"
      "        - {name: merchant_category, type: string}\n"
      "        - {name: country_mismatch, type: boolean}\n"
      "        - {name: card_age_days, type: integer}\n"
      "        - {name: txn_count_1h, type: integer}\n"
      "        - {name: txn_count_24h, type: integer}\n"
      "        - {name: hour_of_day, type: integer, nullable: true}\n"
      "    - {name: note, type: string}\n"
      "    - {name: tags, type: \"array[string]\"}\n"
      "response:\n"
      "  fields:\n"
      "    - {name: risk_score, type: number, required: true, range: [0, 1]}\n"
      "    - {name: reasons, type: \"array[string]\", required: true, max_len: " +
      std::to_string(parts.max_len) +
      ",\n"
      "       enum: [HIGH_AMOUNT, CURRENCY, RISKY_MERCHANT, COUNTRY_MISMATCH, NEW_CARD,\n"
      "              VELOCITY, NIGHT_HOURS]}\n"
      "    - {name: model_version, type: string, required: true}\n"
      "model:\n"
      "  backend: xgboost\n"
      "  artifact: " +
      parts.artifact +
      "\n"
      "  version: test-model-1\n";
  if (!parts.objective.empty()) text += "  objective: " + parts.objective + "\n";
  text += "  features:\n";
  for (const auto& feature : parts.features) text += "    - " + feature + "\n";
  text +=
      "  outputs: {score: risk_score, reasons: reasons, version: model_version}\n"
      "  reasons:\n"
      "    method: " +
      parts.method +
      "\n"
      "    top_k: " +
      std::to_string(parts.top_k) +
      "\n"
      "    codes: {amount: HIGH_AMOUNT, currency: CURRENCY, merchant_category: "
      "RISKY_MERCHANT,\n"
      "            country_mismatch: COUNTRY_MISMATCH, card_age_days: NEW_CARD,\n"
      "            txn_count_1h: VELOCITY, txn_count_24h: VELOCITY}\n";
  return text + parts.extra_model_lines;
}

// A request and the model row it must become.
struct Case {
  std::string json;
  Row row;
};

// Requests over a spread of values, with the rows the binding must produce for them.
std::vector<Case> MakeCases() {
  std::vector<Case> cases;
  std::mt19937 random(5);
  for (int i = 0; i < 60; ++i) {
    int currency = static_cast<int>(random() % 10);
    int category = static_cast<int>(random() % 10);
    bool mismatch = random() % 2 == 1;
    int age = static_cast<int>(random() % 100);
    int count_1h = static_cast<int>(random() % 10);
    int count_24h = count_1h + static_cast<int>(random() % 70);
    int hour = static_cast<int>(random() % 24);
    double amount = 5.0 + static_cast<double>(random() % 300000) / 100.0;
    std::string json = "{\"amount\":" + std::to_string(amount) + ",\"currency\":\"" +
                       kCurrencies[currency] + "\",\"features\":{\"merchant_category\":\"" +
                       kCategories[category] +
                       "\",\"country_mismatch\":" + (mismatch ? "true" : "false") +
                       ",\"card_age_days\":" + std::to_string(age) +
                       ",\"txn_count_1h\":" + std::to_string(count_1h) +
                       ",\"txn_count_24h\":" + std::to_string(count_24h) +
                       ",\"hour_of_day\":" + std::to_string(hour) + "}}";
    Row row = {static_cast<float>(amount),    static_cast<float>(currency),
               static_cast<float>(category),  mismatch ? 1.0F : 0.0F,
               static_cast<float>(age),       static_cast<float>(count_1h),
               static_cast<float>(count_24h), static_cast<float>(hour)};
    cases.push_back({json, row});
  }
  return cases;
}

class XgboostBackendTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new std::string((std::filesystem::temp_directory_path() /
                               ("modelgate-xgboost-test-" + std::to_string(::getpid())))
                                  .string());
    std::filesystem::create_directories(*folder_);
    TrainModel(*folder_ + "/model.json");
    std::ofstream(*folder_ + "/corrupt.json") << "this is not an XGBoost model\n";
  }

  static void TearDownTestSuite() {
    std::error_code ignored;
    std::filesystem::remove_all(*folder_, ignored);
    delete folder_;
  }

  void SetUp() override {
    BoosterHandle handle = nullptr;
    ASSERT_XGB(XGBoosterCreate(nullptr, 0, &handle));
    direct_.reset(handle);
    ASSERT_XGB(XGBoosterLoadModel(handle, (*folder_ + "/model.json").c_str()));
  }

  static contract::Contract LoadContract(const ContractParts& parts) {
    auto contract = contract::LoadContractText(ContractText(parts), *folder_ + "/contract.yaml");
    if (!contract.ok()) throw std::runtime_error(std::string(contract.status().message()));
    return *std::move(contract);
  }

  static std::unique_ptr<XgboostBackend> MakeXgboost(const ContractParts& parts = {}) {
    return std::make_unique<XgboostBackend>(LoadContract(parts));
  }

  // Returns the start-up error of a backend built from `parts`, empty when it starts.
  static std::string StartupError(const ContractParts& parts) {
    try {
      MakeXgboost(parts);
    } catch (const std::runtime_error& error) {
      return error.what();
    }
    return "";
  }

  // Predicts with XGBoost directly on a DMatrix: type 0 is the prediction, 2 and 3 the exact
  // and approximate contributions.
  std::vector<float> Direct(const Row& row, int type) const {
    DMatrixHandle handle = nullptr;
    EXPECT_EQ(XGDMatrixCreateFromMat(row.data(), 1, kFeatureCount, kNaN, &handle), 0);
    DMatrix matrix(handle);
    std::string config = "{\"type\":" + std::to_string(type) +
                         ",\"training\":false,\"iteration_begin\":0,\"iteration_end\":0,"
                         "\"strict_shape\":false}";
    const bst_ulong* shape = nullptr;
    bst_ulong dimensions = 0;
    const float* result = nullptr;
    EXPECT_EQ(XGBoosterPredictFromDMatrix(direct_.get(), matrix.get(), config.c_str(), &shape,
                                          &dimensions, &result),
              0)
        << XGBGetLastError();
    std::size_t size = type == 0 ? 1 : kFeatureCount + 1;
    return std::vector<float>(result, result + size);
  }

  static std::string folder() { return *folder_; }

  Booster direct_;

 private:
  static std::string* folder_;
};

std::string* XgboostBackendTest::folder_ = nullptr;

struct Response {
  double score = -1;
  std::vector<std::string> reasons;
  std::string version;
};

// Runs one request through `backend` and parses the response.
Response PredictOne(Backend& backend, const std::string& json, std::string* text = nullptr) {
  simdjson::dom::parser parser;
  simdjson::dom::element request = parser.parse(json);
  std::string out;
  absl::Status status = backend.Predict(request, json, out);
  EXPECT_TRUE(status.ok()) << status << " for " << json;
  if (text != nullptr) *text = out;
  Response response;
  if (!status.ok()) return response;
  simdjson::dom::parser response_parser;
  simdjson::dom::element document = response_parser.parse(out);
  response.score = document["risk_score"].get_double().value();
  for (auto code : document["reasons"].get_array()) {
    response.reasons.emplace_back(code.get_string().value());
  }
  response.version = std::string(document["model_version"].get_string().value());
  return response;
}

const std::vector<std::string> kCodes = {"HIGH_AMOUNT",      "CURRENCY", "RISKY_MERCHANT",
                                         "COUNTRY_MISMATCH", "NEW_CARD", "VELOCITY",
                                         "VELOCITY",         ""};

// Reason codes the binding must return for `contributions`, computed independently.
std::vector<std::string> ExpectedReasons(const std::vector<float>& contributions,
                                         std::size_t top_k) {
  std::vector<std::size_t> order(kFeatureCount);
  for (std::size_t i = 0; i < kFeatureCount; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return contributions[a] > contributions[b];
  });
  std::vector<std::string> reasons;
  for (std::size_t i : order) {
    if (contributions[i] <= 0 || kCodes[i].empty()) continue;
    if (std::find(reasons.begin(), reasons.end(), kCodes[i]) != reasons.end()) continue;
    if (reasons.size() < top_k) reasons.push_back(kCodes[i]);
  }
  return reasons;
}

TEST_F(XgboostBackendTest, PredictionMatchesCApi) {
  auto backend = MakeXgboost();
  EXPECT_EQ(backend->model_version(), "test-model-1");
  for (const auto& item : MakeCases()) {
    Response response = PredictOne(*backend, item.json);
    EXPECT_GE(response.score, 0.0) << item.json;
    EXPECT_LE(response.score, 1.0) << item.json;
    EXPECT_EQ(static_cast<float>(response.score), Direct(item.row, 0)[0]) << item.json;
    EXPECT_EQ(response.version, "test-model-1");
  }
}

TEST_F(XgboostBackendTest, AbsentOptionalFieldsAreMissing) {
  auto backend = MakeXgboost();
  Row missing = {12.5F, 0, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
  float expected = Direct(missing, 0)[0];
  Response without = PredictOne(*backend, R"({"amount":12.5,"currency":"USD"})");
  EXPECT_EQ(static_cast<float>(without.score), expected);
  Response empty = PredictOne(*backend, R"({"amount":12.5,"currency":"USD","features":{}})");
  EXPECT_EQ(static_cast<float>(empty.score), expected);
  Response null_hour =
      PredictOne(*backend, R"({"amount":12.5,"currency":"USD","features":{"hour_of_day":null}})");
  EXPECT_EQ(static_cast<float>(null_hour.score), expected);
  Response null_parent =
      PredictOne(*backend, R"({"amount":12.5,"currency":"USD","features":null})");
  EXPECT_EQ(static_cast<float>(null_parent.score), expected);
}

TEST_F(XgboostBackendTest, VocabularyMapsStringsToCodes) {
  auto backend = MakeXgboost();
  Row row = {300.0F, 8, 4, 1, 10, 2, 30, 3};
  Response known = PredictOne(*backend, R"({"amount":300,"currency":"NGN","features":{
      "merchant_category":"electronics","country_mismatch":true,"card_age_days":10,
      "txn_count_1h":2,"txn_count_24h":30,"hour_of_day":3}})");
  EXPECT_EQ(static_cast<float>(known.score), Direct(row, 0)[0]);
  row[1] = kNaN;
  row[2] = kNaN;
  Response unknown = PredictOne(*backend, R"({"amount":300,"currency":"SEK","features":{
      "merchant_category":"Electronics","country_mismatch":true,"card_age_days":10,
      "txn_count_1h":2,"txn_count_24h":30,"hour_of_day":3}})");
  EXPECT_EQ(static_cast<float>(unknown.score), Direct(row, 0)[0]);
}

TEST_F(XgboostBackendTest, ReasonsRankedDeduplicatedAndBounded) {
  auto backend = MakeXgboost();
  const std::set<std::string> allowed(kCodes.begin(), kCodes.end() - 1);
  int both_velocity_positive = 0;
  for (const auto& item : MakeCases()) {
    std::vector<float> contributions = Direct(item.row, 3);
    Response response = PredictOne(*backend, item.json);
    EXPECT_EQ(response.reasons, ExpectedReasons(contributions, 3)) << item.json;
    EXPECT_LE(response.reasons.size(), 3u);
    std::set<std::string> unique(response.reasons.begin(), response.reasons.end());
    EXPECT_EQ(unique.size(), response.reasons.size()) << item.json;
    for (const auto& code : response.reasons) EXPECT_TRUE(allowed.contains(code)) << code;
    both_velocity_positive += contributions[5] > 0 && contributions[6] > 0;
  }
  // The deduplication above was exercised: some rows raise the score by both counts.
  EXPECT_GT(both_velocity_positive, 0);
}

TEST_F(XgboostBackendTest, ReasonsFollowTopK) {
  ContractParts parts;
  parts.top_k = 1;
  auto backend = MakeXgboost(parts);
  for (const auto& item : MakeCases()) {
    Response response = PredictOne(*backend, item.json);
    EXPECT_EQ(response.reasons, ExpectedReasons(Direct(item.row, 3), 1)) << item.json;
  }
}

TEST_F(XgboostBackendTest, ExactAndApproximateBothWork) {
  ContractParts exact_parts;
  exact_parts.method = "exact";
  auto exact = MakeXgboost(exact_parts);
  auto approximate = MakeXgboost();
  int differing = 0;
  for (const auto& item : MakeCases()) {
    Response by_exact = PredictOne(*exact, item.json);
    Response by_approximate = PredictOne(*approximate, item.json);
    EXPECT_EQ(by_exact.score, by_approximate.score);
    EXPECT_EQ(by_exact.reasons, ExpectedReasons(Direct(item.row, 2), 3)) << item.json;
    EXPECT_EQ(by_approximate.reasons, ExpectedReasons(Direct(item.row, 3), 3)) << item.json;
    differing += by_exact.reasons != by_approximate.reasons;
  }
  // The two methods were both run: they rank differently on some rows.
  EXPECT_GT(differing, 0);
}

TEST_F(XgboostBackendTest, ScoreWithoutReasons) {
  std::string text = ContractText({});
  // A binding without reasons writes only the score and version.
  text.replace(text.find("reasons: reasons, "), 18, "");
  text.erase(text.find("  reasons:\n    method"));
  text.replace(text.find("required: true, max_len"), 14, "required: false");
  auto contract = contract::LoadContractText(text, folder() + "/contract.yaml");
  ASSERT_TRUE(contract.ok()) << contract.status();
  XgboostBackend backend(*contract);
  simdjson::dom::parser parser;
  std::string json = R"({"amount":99,"currency":"EUR"})";
  std::string out;
  ASSERT_TRUE(backend.Predict(parser.parse(json), json, out).ok());
  EXPECT_EQ(out.find("reasons"), std::string::npos) << out;
  EXPECT_NE(out.find("\"model_version\":\"test-model-1\""), std::string::npos) << out;
}

// Succeeds when `message` names the contract file and contains every part.
testing::AssertionResult Names(const std::string& message,
                               std::initializer_list<std::string_view> parts) {
  if (message.empty()) return testing::AssertionFailure() << "the backend started";
  if (message.find("contract.yaml") == std::string::npos) {
    return testing::AssertionFailure() << "no contract file in: " << message;
  }
  for (auto part : parts) {
    if (message.find(part) == std::string::npos) {
      return testing::AssertionFailure() << "\"" << part << "\" not found in: " << message;
    }
  }
  return testing::AssertionSuccess();
}

TEST_F(XgboostBackendTest, WrongFeatureOrderFails) {
  ContractParts parts;
  std::swap(parts.features[4], parts.features[5]);
  EXPECT_TRUE(Names(StartupError(parts),
                    {"model.features[4].name", "txn_count_1h", "card_age_days", "model order"}));
}

TEST_F(XgboostBackendTest, WrongFeatureCountFails) {
  ContractParts parts;
  parts.features.pop_back();
  EXPECT_TRUE(Names(StartupError(parts), {"model.features", "has 8 features", "lists 7"}));
}

TEST_F(XgboostBackendTest, ObjectiveMismatchFails) {
  ContractParts parts;
  parts.objective = "reg:squarederror";
  EXPECT_TRUE(
      Names(StartupError(parts), {"model.objective", "reg:squarederror", "binary:logistic"}));
}

TEST_F(XgboostBackendTest, MissingModelFileFails) {
  ContractParts parts;
  parts.artifact = "absent.json";
  EXPECT_TRUE(Names(StartupError(parts), {"model.artifact", "absent.json", "not found"}));
}

TEST_F(XgboostBackendTest, CorruptModelFileFails) {
  ContractParts parts;
  parts.artifact = "corrupt.json";
  EXPECT_TRUE(Names(StartupError(parts), {"model.artifact", "corrupt.json", "cannot load"}));
}

TEST_F(XgboostBackendTest, TopKAboveMaxLenFails) {
  ContractParts parts;
  parts.max_len = 2;
  EXPECT_TRUE(Names(StartupError(parts), {"model.reasons.top_k", "max_len 2", "at most 2"}));
}

TEST_F(XgboostBackendTest, UnknownBindingKeyFails) {
  ContractParts parts;
  parts.extra_model_lines = "  colour: red\n";
  EXPECT_TRUE(Names(StartupError(parts), {"model.colour", "unknown key", "features, outputs"}));
  ContractParts nested;
  nested.features[0] = "{name: amount, form: amount}";
  EXPECT_TRUE(Names(StartupError(nested),
                    {"model.features[0].form", "unknown key", "name, from, vocabulary"}));
}

TEST_F(XgboostBackendTest, FromPathNotInRequestFails) {
  ContractParts parts;
  parts.features[4] = "{name: card_age_days, from: features.card_age}";
  EXPECT_TRUE(Names(StartupError(parts), {"model.features[4].from", "features.card_age",
                                          "Did you mean features.card_age_days?"}));
}

TEST_F(XgboostBackendTest, UnmappableFromTypesFail) {
  ContractParts no_vocabulary;
  no_vocabulary.features[1] = "{name: currency, from: currency}";
  EXPECT_TRUE(Names(StartupError(no_vocabulary), {"model.features[1].vocabulary", "is a string"}));
  ContractParts object;
  object.features[3] = "{name: country_mismatch, from: features}";
  EXPECT_TRUE(Names(StartupError(object), {"model.features[3].from", "object"}));
  ContractParts array;
  array.features[3] = "{name: country_mismatch, from: tags}";
  EXPECT_TRUE(Names(StartupError(array), {"model.features[3].from", "tags"}));
}

TEST_F(XgboostBackendTest, ResponseMismatchesFail) {
  std::string text = ContractText({});
  text.replace(text.find("score: risk_score"), 17, "score: risk");
  auto contract = contract::LoadContractText(text, folder() + "/contract.yaml");
  ASSERT_TRUE(contract.ok());
  try {
    XgboostBackend backend(*contract);
    ADD_FAILURE() << "the backend started";
  } catch (const std::runtime_error& error) {
    EXPECT_TRUE(Names(error.what(), {"model.outputs.score", "\"risk\"", "risk_score"}));
  }
  text = ContractText({});
  text.replace(text.find("currency: CURRENCY"), 18, "currency: FX");
  contract = contract::LoadContractText(text, folder() + "/contract.yaml");
  ASSERT_TRUE(contract.ok());
  try {
    XgboostBackend backend(*contract);
    ADD_FAILURE() << "the backend started";
  } catch (const std::runtime_error& error) {
    EXPECT_TRUE(Names(error.what(), {"model.reasons.codes.currency", "\"FX\"", "enum"}));
  }
}

TEST_F(XgboostBackendTest, FactoryRejectsMissingAndUnknownBackends) {
  std::string text = ContractText({});
  auto without =
      contract::LoadContractText(text.substr(0, text.find("model:")), folder() + "/contract.yaml");
  ASSERT_TRUE(without.ok()) << without.status();
  try {
    MakeBackend(*without);
    ADD_FAILURE() << "a backend was built";
  } catch (const std::runtime_error& error) {
    EXPECT_TRUE(Names(error.what(), {"no model section", "modelgate mock"}));
  }
  text.replace(text.find("backend: xgboost"), 16, "backend: onnx");
  auto unknown = contract::LoadContractText(text, folder() + "/contract.yaml");
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  try {
    MakeBackend(*unknown);
    ADD_FAILURE() << "a backend was built";
  } catch (const std::runtime_error& error) {
    EXPECT_TRUE(Names(error.what(), {"\"onnx\"", "xgboost"}));
  }
  auto known = contract::LoadContractText(ContractText({}), folder() + "/contract.yaml");
  ASSERT_TRUE(known.ok());
  EXPECT_NE(MakeBackend(*known), nullptr);
}

TEST_F(XgboostBackendTest, WrongRequestTypeIsAnError) {
  auto backend = MakeXgboost();
  simdjson::dom::parser parser;
  std::string json = R"({"amount":"12","currency":"USD"})";
  std::string out;
  absl::Status status = backend->Predict(parser.parse(json), json, out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("amount"), std::string_view::npos) << status;
}

TEST_F(XgboostBackendTest, ConcurrentPredictMatchesSequential) {
  auto backend = MakeXgboost();
  const std::vector<Case> cases = MakeCases();
  std::vector<std::string> sequential;
  for (const auto& item : cases) {
    std::string text;
    PredictOne(*backend, item.json, &text);
    sequential.push_back(text);
  }

  constexpr int kThreads = 8;
  constexpr int kCalls = 500;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      simdjson::dom::parser parser;
      std::string out;
      for (int call = 0; call < kCalls; ++call) {
        std::size_t index = (static_cast<std::size_t>(t) * 7 + call) % cases.size();
        const std::string& json = cases[index].json;
        if (!backend->Predict(parser.parse(json), json, out).ok()) {
          ++failures[t];
        } else if (out != sequential[index]) {
          ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0) << "thread " << t;
    EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  }
}

}  // namespace
}  // namespace modelgate::backend
