#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "backend/backend.h"
#include "backend/xgboost_binding.h"
#include "contract/types.h"
#include "json/writer.h"

namespace modelgate::backend {

// Serves an XGBoost tree model (gbtree or dart) loaded from the contract's artifact. Each request
// becomes one dense row. The response contains the prediction and, when the binding names a
// reasons member, the reason codes of the features with the largest positive contributions.
class XgboostBackend : public Backend {
 public:
  // Loads the model and checks it against the binding. Throws std::runtime_error naming the
  // contract file, the key and the fix.
  explicit XgboostBackend(const contract::Contract& contract);
  ~XgboostBackend() override;

  absl::Status Predict(simdjson::dom::element request, std::string_view body,
                       std::string& response) override;
  void PredictBatch(std::span<const BatchInput> inputs, std::span<BatchOutput> outputs) override;
  std::string_view model_version() const override { return binding_.version; }

  const XgboostBinding& binding() const { return binding_; }

 private:
  struct BoosterDeleter {
    void operator()(void* handle) const;
  };

  void LoadModel();
  // Checks the model's feature count, feature names, booster and objective.
  void CheckModel();
  void CheckConfig();
  // Predicts `row` once, so configuration happens before any server thread calls the booster,
  // and checks the output sizes.
  void WarmUp();
  // Scores `count` rows stored one after another.
  absl::Status Score(const float* rows, std::size_t count, float* scores) const;
  // Writes, per row, the feature contributions and the bias: binding().features.size() + 1
  // values each.
  absl::Status Contributions(const float* rows, std::size_t count, float* contributions) const;
  absl::Status WriteResponse(const float* row, float score, const float* contributions,
                             std::string& response) const;
  void WriteReasons(const float* row, const float* contributions, json::Writer& writer) const;

  XgboostBinding binding_;
  std::unique_ptr<void, BoosterDeleter> booster_;
};

}  // namespace modelgate::backend
