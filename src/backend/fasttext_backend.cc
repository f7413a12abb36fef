#include "backend/fasttext_backend.h"

#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>
#include <fasttext/fasttext.h>
#include <fasttext/vector.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

#include "backend/fasttext_output.h"

namespace modelgate::backend {
namespace {

[[noreturn]] void Fail(const FasttextBinding& binding, std::string_view key,
                       const std::string& message) {
  throw std::runtime_error(binding.contract_file + ": model." + std::string(key) + ": " + message);
}

std::string JoinSet(const std::set<std::string>& items) {
  std::string out;
  for (const auto& item : items) absl::StrAppend(&out, out.empty() ? "" : ", ", item);
  return out;
}

// Scales `values` to unit L2 norm. A zero vector (a text without a known word) stays zero.
void Normalize(std::span<float> values) {
  double sum = 0;
  for (float value : values) sum += static_cast<double>(value) * value;
  if (sum == 0) return;
  auto scale = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& value : values) value *= scale;
}

}  // namespace

float ClampProbability(float probability, double low, double high) {
  return static_cast<float>(std::clamp(static_cast<double>(probability), low, high));
}

FasttextBackend::FasttextBackend(const contract::Contract& contract)
    : binding_(ReadFasttextBinding(contract)) {
  LoadModel();
  if (binding_.task == FasttextTask::kClassify) {
    CheckLabels();
  } else {
    CheckDimension();
  }
}

FasttextBackend::~FasttextBackend() = default;

void FasttextBackend::LoadModel() {
  const std::string& path = binding_.artifact;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    Fail(binding_, "artifact",
         path +
             " is not found or not a file; build the model, or fix the path, which is "
             "relative to the contract file");
  }
  model_ = std::make_unique<fasttext::FastText>();
  try {
    model_->loadModel(path);
  } catch (const std::exception& cause) {  // std::invalid_argument for a bad file in 0.9.2
    Fail(binding_, "artifact",
         "cannot load " + path + " as a fastText model (" + cause.what() +
             "); use a model saved by `fasttext supervised`, `fasttext quantize`, `fasttext cbow` "
             "or `fasttext skipgram`");
  }
}

void FasttextBackend::CheckLabels() const {
  if (model_->getArgs().model != fasttext::model_name::sup) {
    Fail(binding_, "task",
         "is classify, but " + binding_.artifact +
             " is an unsupervised model without labels; use task: embed or a supervised model");
  }
  auto dictionary = model_->getDictionary();
  std::set<std::string> model_labels;
  for (int32_t i = 0; i < dictionary->nlabels(); ++i) model_labels.insert(dictionary->getLabel(i));
  std::set<std::string> bound;
  for (const auto& [label, name] : binding_.labels) bound.insert(label);
  if (model_labels != bound) {
    Fail(binding_, "labels",
         "the model's labels are " + JoinSet(model_labels) + " but the binding maps " +
             JoinSet(bound) + "; map exactly the model's labels");
  }
}

void FasttextBackend::CheckDimension() const {
  if (model_->getArgs().model == fasttext::model_name::sup) {
    Fail(binding_, "task",
         "is embed, but " + binding_.artifact +
             " is a supervised model; use task: classify or an unsupervised model");
  }
  auto dim = static_cast<std::size_t>(model_->getDimension());
  if (dim != binding_.dim) {
    Fail(binding_, "artifact",
         absl::StrCat(binding_.artifact, " has dimension ", dim, " but the contract states ",
                      binding_.dim, " (constraints.vector_dim or the len of ",
                      binding_.vectors_member,
                      "); train a model of that dimension or change "
                      "the contract"));
  }
}

// Thread safety (fastText 0.9.2): predictLine is const and reads the model's matrices and
// dictionary without writing shared state, so server threads call it on one model at once.
absl::Status FasttextBackend::Classify(simdjson::dom::array items, json::Writer& writer) const {
  thread_local std::vector<std::pair<fasttext::real, std::string>> predictions;
  writer.Key(binding_.results_member);
  writer.BeginArray();
  for (simdjson::dom::element item : items) {
    absl::StatusOr<std::string> text = ItemText(binding_, item);
    if (!text.ok()) return text.status();
    // The line break ends the line as in training, which adds fastText's end-of-sentence word.
    text->push_back('\n');
    std::istringstream line(*std::move(text));
    predictions.clear();
    model_->predictLine(line, predictions, 1, 0.0F);
    if (predictions.empty()) {
      return absl::InternalError("the model returned no label for an item of " +
                                 binding_.input_list);
    }
    // The model returns labels it was trained with, which CheckLabels matched to the binding.
    const std::string& label = binding_.labels.at(predictions.front().second);
    writer.BeginObject();
    writer.Member(binding_.label_member, std::string_view(label));
    writer.Key(binding_.confidence_member);
    WriteFloat(writer, ClampProbability(predictions.front().first, binding_.confidence_min,
                                        binding_.confidence_max));
    if (!binding_.action_member.empty()) {
      writer.Member(binding_.action_member, std::string_view(binding_.actions.at(label)));
    }
    writer.EndObject();
  }
  writer.EndArray();
  return absl::OkStatus();
}

// Thread safety (fastText 0.9.2): getSentenceVector is not declared const. For an unsupervised
// model it only reads the dictionary and the input matrix through the const getWordVector. So
// server threads call it on one model at once, each with its own output vector.
absl::Status FasttextBackend::Embed(simdjson::dom::array items, bool normalize,
                                    json::Writer& writer) const {
  thread_local std::unique_ptr<fasttext::Vector> vector;
  if (!vector || vector->size() != static_cast<int64_t>(binding_.dim)) {
    vector = std::make_unique<fasttext::Vector>(binding_.dim);
  }
  writer.Key(binding_.vectors_member);
  writer.BeginArray();
  for (simdjson::dom::element item : items) {
    absl::StatusOr<std::string> text = ItemText(binding_, item);
    if (!text.ok()) return text.status();
    std::istringstream line(*std::move(text));
    model_->getSentenceVector(line, *vector);
    std::span<float> values(vector->data(), binding_.dim);
    if (normalize) Normalize(values);
    if (absl::Status status = WriteFloatArray(writer, values); !status.ok()) return status;
  }
  writer.EndArray();
  if (!binding_.dim_member.empty()) writer.Member(binding_.dim_member, binding_.dim);
  return absl::OkStatus();
}

absl::Status FasttextBackend::Predict(simdjson::dom::element request, std::string_view,
                                      std::string& response) {
  simdjson::dom::array items;
  if (request[binding_.input_list].get_array().get(items) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("request member " + binding_.input_list +
                                      " is missing or not an array");
  }
  response.clear();
  json::Writer writer(response);
  writer.BeginObject();
  absl::Status status;
  if (binding_.task == FasttextTask::kClassify) {
    status = Classify(items, writer);
  } else {
    bool normalize = binding_.normalize_default;
    if (!binding_.normalize_member.empty()) {
      bool value = false;
      if (request[binding_.normalize_member].get_bool().get(value) == simdjson::SUCCESS) {
        normalize = value;
      }
    }
    status = Embed(items, normalize, writer);
  }
  if (!status.ok()) return status;
  if (!binding_.version_member.empty()) {
    writer.Member(binding_.version_member, std::string_view(binding_.version));
  }
  writer.EndObject();
  return absl::OkStatus();
}

}  // namespace modelgate::backend
