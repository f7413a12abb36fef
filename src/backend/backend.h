#pragma once

#include <absl/status/status.h>
#include <simdjson.h>

#include <string>
#include <string_view>

namespace modelgate::backend {

// A model behind a contract. Implementations are called from every server thread at once and
// must be thread-safe.
class Backend {
 public:
  virtual ~Backend() = default;

  // Computes the response document for a request that has passed validation. `body` is the raw
  // request text and `request` its parsed form. Writes JSON text to `response`; the caller checks
  // it against the response contract before anything is sent.
  virtual absl::Status Predict(simdjson::dom::element request, std::string_view body,
                               std::string& response) = 0;

  // The version sent as X-Model-Version.
  virtual std::string_view model_version() const = 0;
};

}  // namespace modelgate::backend
