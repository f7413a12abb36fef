#include "backend/factory.h"

#include <stdexcept>

#include "backend/fasttext_backend.h"
#include "backend/xgboost_backend.h"

namespace modelgate::backend {

std::unique_ptr<Backend> MakeBackend(const contract::Contract& contract) {
  if (!contract.model) {
    throw std::runtime_error(contract.file +
                             ": no model section, so there is nothing to serve; add a model "
                             "binding, or run `modelgate mock` to serve generated responses");
  }
  const std::string& name = contract.model->backend;
  if (name == "xgboost") return std::make_unique<XgboostBackend>(contract);
  if (name == "fasttext") return std::make_unique<FasttextBackend>(contract);
  throw std::runtime_error(contract.file + ": model.backend: unknown backend \"" + name +
                           "\"; known backends: fasttext, xgboost");
}

}  // namespace modelgate::backend
