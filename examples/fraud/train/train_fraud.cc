// Trains the fraud-scoring example model on generated transactions and writes the model, its
// vocabulary, a held-out evaluation and optional request-shaped sample rows.

#include <xgboost/c_api.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "generator.h"

namespace modelgate::examples::fraud {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitOutputError = 1;
constexpr int kExitFailure = 2;

constexpr int kMaxDepth = 6;
constexpr double kEta = 0.1;
constexpr int kProgressInterval = 50;
// The split and the sample idempotency keys use engines seeded with the seed XOR these salts, so
// their draws differ from the data generator's.
constexpr std::uint64_t kSplitSeedSalt = 0x9E3779B97F4A7C15;
constexpr std::uint64_t kIdempotencySeedSalt = 0xC2B2AE3D27D4EB4F;

// Returns the number of training rows. The other 20 % are held out.
std::uint64_t TrainRowCount(std::uint64_t rows) { return rows * 4 / 5; }

struct Options {
  std::uint64_t rows = 200000;
  std::uint64_t seed = 7;
  std::string out = "examples/fraud/model";
  std::uint64_t sample = 0;
  int rounds = 200;
  int threads = 2;
};

// Wraps a failed XGBoost C API call, named by its source text, with XGBoost's last error message.
absl::Status XgboostError(const char* call) {
  return absl::InternalError(absl::StrCat(call, " failed: ", XGBGetLastError()));
}

#define RETURN_IF_XGBOOST_ERROR(call) \
  do {                                \
    if ((call) != 0) {                \
      return XgboostError(#call);     \
    }                                 \
  } while (false)

struct DMatrixDeleter {
  void operator()(void* handle) const { XGDMatrixFree(handle); }
};
struct BoosterDeleter {
  void operator()(void* handle) const { XGBoosterFree(handle); }
};
using DMatrix = std::unique_ptr<void, DMatrixDeleter>;
using Booster = std::unique_ptr<void, BoosterDeleter>;

// Feature names and types as the C API takes them. Categorical codes are passed as numbers ("q"),
// so trees split them by code order.
struct FeatureInfo {
  FeatureInfo() {
    for (std::size_t i = 0; i < kFeatureCount; ++i) {
      names[i] = kFeatureNames[i].data();  // The names are string literals, so they end in '\0'.
    }
    types.fill("q");
  }
  std::array<const char*, kFeatureCount> names{};
  std::array<const char*, kFeatureCount> types{};
};

// Builds a DMatrix of the rows `indices` of `data` with labels and the model's feature names.
absl::StatusOr<DMatrix> CreateDMatrix(std::span<const Transaction> data,
                                      std::span<const std::size_t> indices, int threads) {
  std::vector<float> features;
  std::vector<float> labels;
  features.reserve(indices.size() * kFeatureCount);
  labels.reserve(indices.size());
  for (std::size_t index : indices) {
    const std::array<float, kFeatureCount> row = FeatureRow(data[index]);
    features.insert(features.end(), row.begin(), row.end());
    labels.push_back(data[index].is_fraud ? 1.0F : 0.0F);
  }

  DMatrixHandle handle = nullptr;
  RETURN_IF_XGBOOST_ERROR(XGDMatrixCreateFromMat_omp(features.data(), indices.size(), kFeatureCount,
                                                     NAN, &handle, threads));
  DMatrix matrix(handle);
  RETURN_IF_XGBOOST_ERROR(XGDMatrixSetFloatInfo(handle, "label", labels.data(), labels.size()));

  FeatureInfo info;
  RETURN_IF_XGBOOST_ERROR(
      XGDMatrixSetStrFeatureInfo(handle, "feature_name", info.names.data(), kFeatureCount));
  RETURN_IF_XGBOOST_ERROR(
      XGDMatrixSetStrFeatureInfo(handle, "feature_type", info.types.data(), kFeatureCount));
  return matrix;
}

absl::StatusOr<Booster> TrainBooster(const Options& options, void* train, void* test) {
  std::array<DMatrixHandle, 2> cached = {train, test};
  BoosterHandle handle = nullptr;
  RETURN_IF_XGBOOST_ERROR(XGBoosterCreate(cached.data(), cached.size(), &handle));
  Booster booster(handle);

  const std::string seed = absl::StrCat(options.seed);
  const std::string threads = absl::StrCat(options.threads);
  const std::string max_depth = absl::StrCat(kMaxDepth);
  const std::string eta = absl::StrCat(kEta);
  const std::vector<std::pair<const char*, const char*>> params = {{"objective", "binary:logistic"},
                                                                   {"tree_method", "hist"},
                                                                   {"max_depth", max_depth.c_str()},
                                                                   {"eta", eta.c_str()},
                                                                   {"nthread", threads.c_str()},
                                                                   {"seed", seed.c_str()},
                                                                   {"eval_metric", "auc"}};
  for (const auto& [name, value] : params) {
    RETURN_IF_XGBOOST_ERROR(XGBoosterSetParam(handle, name, value));
  }
  // The booster does not copy feature names from the DMatrix, and the saved model must list them.
  FeatureInfo info;
  RETURN_IF_XGBOOST_ERROR(
      XGBoosterSetStrFeatureInfo(handle, "feature_name", info.names.data(), kFeatureCount));
  RETURN_IF_XGBOOST_ERROR(
      XGBoosterSetStrFeatureInfo(handle, "feature_type", info.types.data(), kFeatureCount));

  std::array<const char*, 1> eval_names = {"test"};
  for (int round = 0; round < options.rounds; ++round) {
    RETURN_IF_XGBOOST_ERROR(XGBoosterUpdateOneIter(handle, round, train));
    if ((round + 1) % kProgressInterval == 0 || round + 1 == options.rounds) {
      const char* eval = nullptr;
      RETURN_IF_XGBOOST_ERROR(
          XGBoosterEvalOneIter(handle, round, &cached[1], eval_names.data(), 1, &eval));
      std::cerr << "round " << round + 1 << "/" << options.rounds << ": " << eval << "\n";
    }
  }
  return booster;
}

// Returns the predicted fraud probability of each row of `matrix`.
absl::StatusOr<std::vector<float>> Predict(void* booster, void* matrix) {
  const char* config = R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
                       R"( "strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dimensions = 0;
  const float* result = nullptr;
  RETURN_IF_XGBOOST_ERROR(
      XGBoosterPredictFromDMatrix(booster, matrix, config, &shape, &dimensions, &result));
  // XGBoost owns `result` until the next call on the booster, so it is copied.
  return std::vector<float>(result, result + shape[0]);
}

// Computes the ROC AUC as the Mann-Whitney U statistic divided by n_positive * n_negative. Tied
// scores get the mean of their ranks, so each tied positive-negative pair counts one half.
// Returns nullopt when `labels` lacks positives or negatives, because the AUC is then undefined.
template <typename Score>
std::optional<double> RocAuc(std::span<const Score> scores, std::span<const std::uint8_t> labels) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });

  double positive_rank_sum = 0.0;
  double positives = 0.0;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin + 1;
    while (end < order.size() && scores[order[end]] == scores[order[begin]]) {
      ++end;
    }
    // Ranks are 1-based, so the tie group [begin, end) has the mean rank (begin + 1 + end) / 2.
    const double mean_rank = (static_cast<double>(begin) + 1.0 + static_cast<double>(end)) / 2.0;
    for (std::size_t i = begin; i < end; ++i) {
      if (labels[order[i]] != 0) {
        positive_rank_sum += mean_rank;
        positives += 1.0;
      }
    }
    begin = end;
  }
  const double negatives = static_cast<double>(scores.size()) - positives;
  if (positives == 0.0 || negatives == 0.0) {
    return std::nullopt;
  }
  return (positive_rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives);
}

// Loads the saved model into a new booster and checks that it has the expected feature names and
// predicts exactly `expected` on `test`.
absl::Status VerifySavedModel(const std::string& path, void* test,
                              std::span<const float> expected) {
  BoosterHandle handle = nullptr;
  RETURN_IF_XGBOOST_ERROR(XGBoosterCreate(nullptr, 0, &handle));
  Booster booster(handle);
  RETURN_IF_XGBOOST_ERROR(XGBoosterLoadModel(handle, path.c_str()));

  bst_ulong name_count = 0;
  const char** names = nullptr;
  RETURN_IF_XGBOOST_ERROR(XGBoosterGetStrFeatureInfo(handle, "feature_name", &name_count, &names));
  if (name_count != kFeatureCount ||
      !std::equal(kFeatureNames.begin(), kFeatureNames.end(), names)) {
    return absl::InternalError(absl::StrCat(path, " does not list the feature names in order"));
  }

  absl::StatusOr<std::vector<float>> reloaded = Predict(handle, test);
  if (!reloaded.ok()) {
    return reloaded.status();
  }
  if (reloaded->size() != expected.size()) {
    return absl::InternalError(absl::StrCat(path, " predicted ", reloaded->size(),
                                            " rows after loading, expected ", expected.size()));
  }
  for (std::size_t row = 0; row < expected.size(); ++row) {
    if ((*reloaded)[row] != expected[row]) {
      return absl::InternalError(absl::StrFormat(
          "%s predicts %.9g for held-out row %d after loading, but %.9g before saving", path,
          (*reloaded)[row], row, expected[row]));
    }
  }
  return absl::OkStatus();
}

std::string JsonString(std::string_view text) {
  // The written strings are identifiers and codes without quotes, backslashes or control
  // characters, so they need no escaping.
  std::string out = "\"";
  out.append(text);
  out.push_back('"');
  return out;
}

std::string JsonNumber(double value) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

template <std::size_t N>
std::string JsonStringArray(const std::array<std::string_view, N>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < N; ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ", ", JsonString(values[i]));
  }
  return out + "]";
}

// Formats an object with one member per line. Each value must already be JSON text.
std::string JsonObject(std::span<const std::pair<std::string_view, std::string>> members) {
  std::string out = "{\n";
  for (std::size_t i = 0; i < members.size(); ++i) {
    absl::StrAppend(&out, "  ", JsonString(members[i].first), ": ", members[i].second,
                    i + 1 < members.size() ? ",\n" : "\n");
  }
  return out + "}\n";
}

// Formats a request-shaped JSON line. The idempotency key is a version 4 UUID drawn from `random`.
std::string SampleRequest(const Transaction& t, std::size_t row, Random& random) {
  const std::uint64_t high = (random.Next() & ~0xF000ULL) | 0x4000ULL;
  const std::uint64_t low = (random.Next() & ~(3ULL << 62)) | (2ULL << 62);
  const std::string key =
      absl::StrFormat("%08x-%04x-%04x-%04x-%012x", high >> 32, (high >> 16) & 0xFFFF, high & 0xFFFF,
                      low >> 48, low & 0xFFFFFFFFFFFFULL);
  return absl::StrCat(
      R"({"transaction_id": )", JsonString(absl::StrFormat("txn-%08d", row)), R"(, "amount": )",
      JsonNumber(t.amount), R"(, "currency": )", JsonString(kCurrencies[t.currency]),
      R"(, "features": {"merchant_category": )",
      JsonString(kMerchantCategories[t.merchant_category]), R"(, "country_mismatch": )",
      t.country_mismatch ? "true" : "false", R"(, "card_age_days": )", t.card_age_days,
      R"(, "txn_count_1h": )", t.txn_count_1h, R"(, "txn_count_24h": )", t.txn_count_24h,
      R"(, "hour_of_day": )", t.hour_of_day, R"(}, "idempotency_key": )", JsonString(key), "}\n");
}

absl::Status WriteFile(const std::filesystem::path& path, std::string_view content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
  file.close();
  if (!file) {
    return absl::UnknownError(absl::StrCat("writing ", path.string(),
                                           " failed: ", std::generic_category().message(errno)));
  }
  return absl::OkStatus();
}

double FraudRate(std::span<const std::uint8_t> labels) {
  return static_cast<double>(std::count(labels.begin(), labels.end(), 1)) /
         static_cast<double>(labels.size());
}

// Row indices in a seeded Fisher-Yates order. The first 80 % are the training set.
struct Split {
  std::vector<std::size_t> order;
  std::vector<std::uint8_t> labels;  // Fraud labels (0 or 1) in `order`.
  std::size_t train_count = 0;

  std::span<const std::size_t> TrainIndices() const { return std::span(order).first(train_count); }
  std::span<const std::size_t> TestIndices() const { return std::span(order).subspan(train_count); }
  std::span<const std::uint8_t> TrainLabels() const { return std::span(labels).first(train_count); }
  std::span<const std::uint8_t> TestLabels() const {
    return std::span(labels).subspan(train_count);
  }
};

Split SplitRows(std::span<const Transaction> data, std::uint64_t seed) {
  Split split;
  split.order.resize(data.size());
  std::iota(split.order.begin(), split.order.end(), 0);
  Random random(seed ^ kSplitSeedSalt);
  for (std::size_t i = split.order.size() - 1; i > 0; --i) {
    std::swap(split.order[i], split.order[random.UniformIndex(i + 1)]);
  }
  for (std::size_t index : split.order) {
    split.labels.push_back(data[index].is_fraud ? 1 : 0);
  }
  split.train_count = TrainRowCount(data.size());
  return split;
}

struct TrainedModel {
  Booster booster;
  std::vector<float> predictions;  // Held-out predictions of `booster`.
  double auc = 0.0;
  // AUC of the probabilities the labels were drawn from, the expected maximum for any model.
  double reference_auc = 0.0;
  double training_seconds = 0.0;
};

// Writes vocabulary.json, evaluation.json and, when requested, samples.jsonl.
absl::Status WriteMetadata(const Options& options, std::span<const Transaction> data,
                           const Split& split, const TrainedModel& model) {
  int major = 0;
  int minor = 0;
  int patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  const std::vector<std::pair<std::string_view, std::string>> vocabulary = {
      {"feature_names", JsonStringArray(kFeatureNames)},
      {"currency", JsonStringArray(kCurrencies)},
      {"merchant_category", JsonStringArray(kMerchantCategories)}};
  const std::vector<std::pair<std::string_view, std::string>> metrics = {
      {"seed", absl::StrCat(options.seed)},
      {"rows", absl::StrCat(data.size())},
      {"train_rows", absl::StrCat(split.TrainIndices().size())},
      {"test_rows", absl::StrCat(split.TestIndices().size())},
      {"fraud_rate", JsonNumber(FraudRate(split.labels))},
      {"train_fraud_rate", JsonNumber(FraudRate(split.TrainLabels()))},
      {"test_fraud_rate", JsonNumber(FraudRate(split.TestLabels()))},
      {"rounds", absl::StrCat(options.rounds)},
      {"max_depth", absl::StrCat(kMaxDepth)},
      {"eta", JsonNumber(kEta)},
      {"test_auc", JsonNumber(model.auc)},
      {"test_auc_of_generating_probability", JsonNumber(model.reference_auc)},
      {"xgboost_version", JsonString(absl::StrCat(major, ".", minor, ".", patch))}};

  const std::filesystem::path out(options.out);
  std::vector<std::pair<std::filesystem::path, std::string>> files = {
      {out / "vocabulary.json", JsonObject(vocabulary)},
      {out / "evaluation.json", JsonObject(metrics)}};
  if (options.sample > 0) {
    std::string samples;
    Random random(options.seed ^ kIdempotencySeedSalt);
    for (std::size_t row : split.TestIndices().first(options.sample)) {
      absl::StrAppend(&samples, SampleRequest(data[row], row, random));
    }
    files.emplace_back(out / "samples.jsonl", std::move(samples));
  }
  for (const auto& [path, content] : files) {
    if (absl::Status status = WriteFile(path, content); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

// Trains on the training rows and scores the held-out rows.
absl::StatusOr<TrainedModel> TrainAndEvaluate(const Options& options,
                                              std::span<const Transaction> data, const Split& split,
                                              void* test) {
  absl::StatusOr<DMatrix> train = CreateDMatrix(data, split.TrainIndices(), options.threads);
  if (!train.ok()) {
    return train.status();
  }
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<Booster> booster = TrainBooster(options, train->get(), test);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  if (!booster.ok()) {
    return booster.status();
  }
  absl::StatusOr<std::vector<float>> predictions = Predict(booster->get(), test);
  if (!predictions.ok()) {
    return predictions.status();
  }
  TrainedModel model;
  model.booster = *std::move(booster);
  model.predictions = *std::move(predictions);
  model.training_seconds = elapsed.count();

  std::vector<double> true_probabilities;
  for (std::size_t index : split.TestIndices()) {
    true_probabilities.push_back(data[index].fraud_probability);
  }
  const std::optional<double> auc = RocAuc<float>(model.predictions, split.TestLabels());
  const std::optional<double> reference_auc =
      RocAuc<double>(true_probabilities, split.TestLabels());
  if (!auc || !reference_auc) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the held-out set of ", split.TestIndices().size(),
        " rows lacks fraud or non-fraud rows, so its AUC is undefined; increase --rows"));
  }
  model.auc = *auc;
  model.reference_auc = *reference_auc;
  return model;
}

int Run(const Options& options) {
  const std::vector<Transaction> data = GenerateTransactions(options.rows, options.seed);
  const Split split = SplitRows(data, options.seed);
  absl::StatusOr<DMatrix> test = CreateDMatrix(data, split.TestIndices(), options.threads);
  if (!test.ok()) {
    std::cerr << "error: " << test.status().message() << "\n";
    return kExitFailure;
  }
  absl::StatusOr<TrainedModel> model = TrainAndEvaluate(options, data, split, test->get());
  if (!model.ok()) {
    std::cerr << "error: " << model.status().message() << "\n";
    return kExitFailure;
  }

  const std::filesystem::path out(options.out);
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error) {
    std::cerr << "error: creating " << out << " failed: " << error.message() << "\n";
    return kExitOutputError;
  }
  const std::string model_path = (out / "fraud.json").string();
  if (XGBoosterSaveModel(model->booster.get(), model_path.c_str()) != 0) {
    std::cerr << "error: " << XgboostError("XGBoosterSaveModel").message() << "\n";
    return kExitFailure;
  }
  if (absl::Status status = VerifySavedModel(model_path, test->get(), model->predictions);
      !status.ok()) {
    std::cerr << "error: self-check of the saved model failed: " << status.message() << "\n";
    return kExitFailure;
  }
  if (absl::Status status = WriteMetadata(options, data, split, *model); !status.ok()) {
    std::cerr << "error: " << status.message() << "\n";
    return kExitOutputError;
  }

  std::cout << absl::StrFormat(
      "test AUC %.4f (%d held-out rows, fraud rate %.2f %%), %d rounds in %.1f s, wrote %s\n",
      model->auc, split.TestIndices().size(), 100.0 * FraudRate(split.labels), options.rounds,
      model->training_seconds, out.string());
  return kExitOk;
}

}  // namespace
}  // namespace modelgate::examples::fraud

int main(int argc, char** argv) {
  using modelgate::examples::fraud::kExitFailure;
  modelgate::examples::fraud::Options options;
  CLI::App app("Generates synthetic card transactions and trains the fraud-scoring example model.",
               "modelgate-train-fraud");
  app.add_option("--rows", options.rows, "Number of transactions to generate, at least 1000")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1000}, std::numeric_limits<std::uint64_t>::max()));
  app.add_option("--seed", options.seed, "Seed of the data generator, split and sample keys")
      ->capture_default_str();
  app.add_option("--out", options.out, "Output folder; created if missing")->capture_default_str();
  app.add_option("--sample", options.sample,
                 "Number of held-out rows to write to OUT/samples.jsonl as requests (0: none)")
      ->capture_default_str();
  app.add_option("--rounds", options.rounds, "Number of boosting rounds")
      ->capture_default_str()
      ->check(CLI::Range(1, std::numeric_limits<int>::max()));
  app.add_option("--threads", options.threads, "XGBoost threads")
      ->capture_default_str()
      ->check(CLI::Range(1, std::numeric_limits<int>::max()));
  app.footer(
      "Exit status: 0 on success, 1 when an output file cannot be written, 2 on invalid options,\n"
      "an XGBoost C API error, a held-out set without both classes or a failed self-check of\n"
      "the saved model.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kExitFailure;
  }

  const std::uint64_t test_rows =
      options.rows - modelgate::examples::fraud::TrainRowCount(options.rows);
  if (options.sample > test_rows) {
    std::cerr << "error: --sample " << options.sample << " exceeds the " << test_rows
              << " held-out rows; use at most " << test_rows << " or raise --rows\n";
    return kExitFailure;
  }
  return modelgate::examples::fraud::Run(options);
}
