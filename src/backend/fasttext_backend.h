#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "backend/fasttext_binding.h"
#include "contract/types.h"
#include "json/writer.h"

namespace fasttext {
class FastText;
}

namespace modelgate::backend {

// Serves a fastText model (.bin, or quantized .ftz) loaded from the contract's artifact. Each
// item of the binding's request array becomes one line of text under the binding's text rules.
// A supervised model writes one result per item (label, confidence, action); an unsupervised
// one writes one sentence vector per item.
class FasttextBackend : public Backend {
 public:
  // Loads the model and checks it against the binding. Throws std::runtime_error naming the
  // contract file, the key and the fix.
  explicit FasttextBackend(const contract::Contract& contract);
  ~FasttextBackend() override;

  absl::Status Predict(simdjson::dom::element request, std::string_view body,
                       std::string& response) override;
  std::string_view model_version() const override { return binding_.version; }

  const FasttextBinding& binding() const { return binding_; }

 private:
  void LoadModel();
  void CheckLabels() const;
  void CheckDimension() const;
  absl::Status Classify(simdjson::dom::array items, json::Writer& writer) const;
  absl::Status Embed(simdjson::dom::array items, bool normalize, json::Writer& writer) const;

  FasttextBinding binding_;
  std::unique_ptr<fasttext::FastText> model_;
};

// Clamps a probability from fastText, which can exceed 1 by rounding, to [low, high].
float ClampProbability(float probability, double low, double high);

}  // namespace modelgate::backend
