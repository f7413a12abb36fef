#include "backend/xgboost_backend.h"

#include <absl/strings/str_cat.h>
#include <spdlog/spdlog.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "json/writer.h"

namespace modelgate::backend {
namespace {

// Prediction settings of the C API. Inplace prediction reads "missing" and "cache_id" as well;
// XGBoost's JSON reader accepts NaN.
constexpr char kPredictConfig[] =
    R"({"type":0,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false,)"
    R"("missing":NaN,"cache_id":0})";
constexpr char kExactConfig[] =
    R"({"type":2,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false})";
constexpr char kApproximateConfig[] =
    R"({"type":3,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false})";

// Returns XGBoost's last error on this thread without its time, source location and stack
// trace: "[16:02:54] ./src/c_api/c_api.cc:1073: Check failed: ..." becomes "Check failed: ...".
std::string LastError() {
  std::string_view message = XGBGetLastError();
  message = message.substr(0, message.find('\n'));
  if (message.starts_with('[') && message.find("] ") != std::string_view::npos) {
    message.remove_prefix(message.find("] ") + 2);
  }
  // A source location is one word that ends in ":<line>".
  std::string_view location = message.substr(0, message.find(": "));
  if (location.size() < message.size() && location.find(' ') == std::string_view::npos &&
      location.find(':') != std::string_view::npos &&
      std::isdigit(static_cast<unsigned char>(location.back()))) {
    message.remove_prefix(location.size() + 2);
  }
  while (message.ends_with(' ') || message.ends_with(':')) message.remove_suffix(1);
  return std::string(message);
}

absl::Status CallFailed(const char* call) {
  return absl::InternalError(absl::StrCat(call, " failed: ", LastError()));
}

[[noreturn]] void Fail(const XgboostBinding& binding, const std::string& key,
                       const std::string& message) {
  throw std::runtime_error(binding.contract_file + ": model." + key + ": " + message);
}

struct DMatrixDeleter {
  void operator()(void* handle) const { XGDMatrixFree(handle); }
};
using DMatrix = std::unique_ptr<void, DMatrixDeleter>;

bst_ulong ShapeSize(const bst_ulong* shape, bst_ulong dimensions) {
  bst_ulong size = 1;
  for (bst_ulong i = 0; i < dimensions; ++i) size *= shape[i];
  return size;
}

template <typename Strings>
std::string Join(const Strings& items) {
  std::string out;
  for (const auto& item : items) absl::StrAppend(&out, out.empty() ? "" : ", ", item);
  return out;
}

std::vector<std::string> BindingNames(const XgboostBinding& binding) {
  std::vector<std::string> names;
  for (const auto& feature : binding.features) names.push_back(feature.name);
  return names;
}

// Reads a string at `path` of the booster's JSON configuration; empty when absent.
std::string ConfigString(simdjson::dom::element config, std::string_view path) {
  std::string_view value;
  if (config.at_pointer(path).get_string().get(value) != simdjson::SUCCESS) return "";
  return std::string(value);
}

// Returns the double nearest to the shortest decimal text of `value`, so that the response shows
// 0.016882125 for a float prediction instead of the float's exact binary value 0.01688212528...
double ShortestDouble(float value) {
  char text[32];
  auto written = std::to_chars(text, text + sizeof text, value);
  double widened = value;
  std::from_chars(text, written.ptr, widened);
  return widened;
}

}  // namespace

void XgboostBackend::BoosterDeleter::operator()(void* handle) const { XGBoosterFree(handle); }

XgboostBackend::XgboostBackend(const contract::Contract& contract)
    : binding_(ReadXgboostBinding(contract)) {
  LoadModel();
  CheckModel();
  WarmUp();
}

XgboostBackend::~XgboostBackend() = default;

void XgboostBackend::LoadModel() {
  const std::string& path = binding_.artifact;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    Fail(binding_, "artifact",
         path +
             " is not found or not a file; train the model, or fix the path, which is "
             "relative to the contract file");
  }
  BoosterHandle handle = nullptr;
  if (XGBoosterCreate(nullptr, 0, &handle) != 0) {
    throw std::runtime_error("XGBoosterCreate failed: " + LastError());
  }
  booster_.reset(handle);
  if (XGBoosterLoadModel(handle, path.c_str()) != 0) {
    Fail(binding_, "artifact",
         "cannot load " + path + " as an XGBoost model (" + LastError() +
             "); use a model saved by XGBoost as .json or .ubj");
  }
  // Server threads give the parallelism, so one request uses one thread inside XGBoost.
  if (XGBoosterSetParam(handle, "nthread", "1") != 0) {
    throw std::runtime_error("XGBoosterSetParam(nthread) failed: " + LastError());
  }
}

void XgboostBackend::CheckModel() {
  bst_ulong count = 0;
  if (XGBoosterGetNumFeature(booster_.get(), &count) != 0) {
    throw std::runtime_error("XGBoosterGetNumFeature failed: " + LastError());
  }
  bst_ulong name_count = 0;
  const char** names = nullptr;
  if (XGBoosterGetStrFeatureInfo(booster_.get(), "feature_name", &name_count, &names) != 0) {
    throw std::runtime_error("XGBoosterGetStrFeatureInfo failed: " + LastError());
  }
  std::vector<std::string> model_names(names, names + name_count);  // copied before other calls
  if (count != binding_.features.size()) {
    Fail(binding_, "features",
         absl::StrCat("the model has ", count, " features but the binding lists ",
                      binding_.features.size(), "; list every model feature in model order",
                      model_names.empty() ? "" : ": " + Join(model_names)));
  }
  if (model_names.empty()) {
    spdlog::warn("{}: the model {} stores no feature names, so the feature order is not checked",
                 binding_.contract_file, binding_.artifact);
  } else if (model_names != BindingNames(binding_)) {
    std::size_t i = 0;
    while (i + 1 < std::min(model_names.size(), binding_.features.size()) &&
           model_names[i] == binding_.features[i].name) {
      ++i;
    }
    Fail(binding_, absl::StrCat("features[", i, "].name"),
         absl::StrCat("\"", binding_.features[i].name, "\" differs from the model's feature ", i,
                      " \"", model_names[i],
                      "\"; list the features in model order: ", Join(model_names)));
  }
  CheckConfig();
}

void XgboostBackend::CheckConfig() {
  bst_ulong length = 0;
  const char* text = nullptr;
  if (XGBoosterSaveJsonConfig(booster_.get(), &length, &text) != 0) {
    throw std::runtime_error("XGBoosterSaveJsonConfig failed: " + LastError());
  }
  simdjson::dom::parser parser;
  simdjson::dom::element config;
  if (parser.parse(text, length).get(config) != simdjson::SUCCESS) {
    throw std::runtime_error("the configuration of " + binding_.artifact + " is not JSON");
  }
  std::string booster = ConfigString(config, "/learner/gradient_booster/name");
  if (booster != "gbtree" && booster != "dart") {
    Fail(binding_, "artifact",
         "the model uses booster \"" + booster +
             "\"; the xgboost backend serves gbtree and dart models, whose prediction XGBoost "
             "documents as thread-safe");
  }
  std::string objective = ConfigString(config, "/learner/objective/name");
  if (!binding_.objective.empty() && binding_.objective != objective) {
    Fail(binding_, "objective",
         "\"" + binding_.objective + "\" differs from the model's objective \"" + objective +
             "\"; set objective: " + objective + " or load the model trained for it");
  }
}

void XgboostBackend::WarmUp() {
  std::vector<float> row(binding_.features.size(), kMissing);
  std::vector<float> contributions(row.size() + 1);
  float score = 0;
  absl::Status status = Score(row.data(), 1, &score);
  if (status.ok() && binding_.reason_method != ReasonMethod::kNone) {
    status = Contributions(row.data(), 1, contributions.data());
  }
  if (!status.ok()) {
    Fail(binding_, "artifact", absl::StrCat("a test prediction failed: ", status.message()));
  }
}

// Thread safety (XGBoost 1.7, doc/prediction.rst "Thread Safety"): prediction, including
// contributions and inplace prediction, is thread-safe for gbtree and dart boosters, provided
// nothing changes the booster meanwhile (no XGBoosterSetParam or training after start-up). The
// C API returns shapes and results in storage local to the calling thread that the next call on
// that thread overwrites, so each result is copied out before any other XGBoost call.
absl::Status XgboostBackend::Score(const float* rows, std::size_t count, float* scores) const {
  // The __array_interface__ of the rows: address, read-only flag, shape and little-endian f32.
  thread_local std::string interface;
  interface.clear();
  absl::StrAppend(&interface, R"({"data":[)", reinterpret_cast<std::uintptr_t>(rows),
                  R"(,true],"shape":[)", count, ",", binding_.features.size(),
                  R"(],"typestr":"<f4","version":3})");
  const bst_ulong* shape = nullptr;
  bst_ulong dimensions = 0;
  const float* result = nullptr;
  if (XGBoosterPredictFromDense(booster_.get(), interface.c_str(), kPredictConfig, nullptr, &shape,
                                &dimensions, &result) != 0) {
    return CallFailed("XGBoosterPredictFromDense");
  }
  bst_ulong size = ShapeSize(shape, dimensions);
  if (size != count) {
    return absl::FailedPreconditionError(absl::StrCat("the model predicts ", size, " values for ",
                                                      count,
                                                      " rows; the xgboost backend serves models "
                                                      "with one output per row"));
  }
  std::copy(result, result + count, scores);
  return absl::OkStatus();
}

absl::Status XgboostBackend::Contributions(const float* rows, std::size_t count,
                                           float* contributions) const {
  const std::size_t features = binding_.features.size();
  DMatrixHandle handle = nullptr;
  if (XGDMatrixCreateFromMat(rows, count, features, kMissing, &handle) != 0) {
    return CallFailed("XGDMatrixCreateFromMat");
  }
  DMatrix matrix(handle);
  const char* config =
      binding_.reason_method == ReasonMethod::kExact ? kExactConfig : kApproximateConfig;
  const bst_ulong* shape = nullptr;
  bst_ulong dimensions = 0;
  const float* result = nullptr;
  if (XGBoosterPredictFromDMatrix(booster_.get(), matrix.get(), config, &shape, &dimensions,
                                  &result) != 0) {
    return CallFailed("XGBoosterPredictFromDMatrix");
  }
  bst_ulong size = ShapeSize(shape, dimensions);
  if (size != count * (features + 1)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the model returned ", size, " contributions for ", count, " rows, expected ",
        count * (features + 1)));
  }
  std::copy(result, result + size, contributions);
  return absl::OkStatus();
}

// Writes the codes of the features with the largest positive contributions, strongest first,
// skipping features without a code, features the request did not send (a missing value only
// follows each tree's default branch, which says nothing about this transaction) and codes
// already written. Ties keep the feature order.
void XgboostBackend::WriteReasons(const float* row, const float* contributions,
                                  json::Writer& writer) const {
  thread_local std::vector<std::size_t> ranked;
  ranked.clear();
  for (std::size_t i = 0; i < binding_.features.size(); ++i) {
    if (contributions[i] > 0 && !std::isnan(row[i]) && !binding_.codes[i].empty()) {
      ranked.push_back(i);
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
    return contributions[a] > contributions[b];
  });
  writer.BeginArray();
  std::size_t written = 0;
  for (auto it = ranked.begin(); it != ranked.end() && written < binding_.top_k; ++it) {
    const std::string& code = binding_.codes[*it];
    bool repeated = std::any_of(
        ranked.begin(), it, [&](std::size_t earlier) { return binding_.codes[earlier] == code; });
    if (repeated) continue;
    writer.String(code);
    ++written;
  }
  writer.EndArray();
}

absl::Status XgboostBackend::Predict(simdjson::dom::element request, std::string_view body,
                                     std::string& response) {
  BatchInput input{request, body};
  BatchOutput output;
  PredictBatch({&input, 1}, {&output, 1});
  response = std::move(output.response);
  return output.status;
}

// Reads every request's row, then scores all valid rows with one call and, for reasons, computes
// their contributions with a second one, so a merged batch costs two model calls.
void XgboostBackend::PredictBatch(std::span<const BatchInput> inputs,
                                  std::span<BatchOutput> outputs) {
  const std::size_t features = binding_.features.size();
  thread_local std::vector<float> rows;
  thread_local std::vector<std::size_t> valid;  // index of each row's request
  rows.resize(inputs.size() * features);
  valid.clear();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    float* row = rows.data() + valid.size() * features;
    std::span<float> view(row, features);
    outputs[i].status = ReadFeatures(binding_, inputs[i].request, view);
    if (outputs[i].status.ok()) valid.push_back(i);
  }
  if (valid.empty()) return;
  thread_local std::vector<float> scores;
  thread_local std::vector<float> contributions;
  scores.resize(valid.size());
  absl::Status status = Score(rows.data(), valid.size(), scores.data());
  if (status.ok() && !binding_.reasons_member.empty()) {
    contributions.resize(valid.size() * (features + 1));
    status = Contributions(rows.data(), valid.size(), contributions.data());
  }
  for (std::size_t k = 0; k < valid.size(); ++k) {
    BatchOutput& output = outputs[valid[k]];
    if (!status.ok()) {
      output.status = status;
      continue;
    }
    output.status = WriteResponse(rows.data() + k * features, scores[k],
                                  contributions.data() + k * (features + 1), output.response);
  }
}

absl::Status XgboostBackend::WriteResponse(const float* row, float score,
                                           const float* contributions,
                                           std::string& response) const {
  if (!std::isfinite(score)) {
    return absl::InternalError(absl::StrCat("the model predicted a non-finite score ", score));
  }
  response.clear();
  json::Writer writer(response);
  writer.BeginObject();
  writer.Member(binding_.score_member, ShortestDouble(score));
  if (!binding_.reasons_member.empty()) {
    writer.Key(binding_.reasons_member);
    WriteReasons(row, contributions, writer);
  }
  if (!binding_.version_member.empty()) {
    writer.Member(binding_.version_member, std::string_view(binding_.version));
  }
  writer.EndObject();
  return absl::OkStatus();
}

}  // namespace modelgate::backend
