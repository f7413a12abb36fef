#pragma once

#include <absl/status/status.h>
#include <simdjson.h>

#include <span>
#include <string>
#include <string_view>

namespace modelgate::backend {

// One request of a batch: its parsed form and raw text.
struct BatchInput {
  simdjson::dom::element request;
  std::string_view body;
};

// The outcome for one request of a batch.
struct BatchOutput {
  absl::Status status;
  std::string response;
};

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

  // Computes one response per request for requests merged by dynamic batching; `outputs` has
  // the size of `inputs`. A failure of one request does not fail the others. The default calls
  // Predict for each request; backends that gain from batches predict all rows at once.
  virtual void PredictBatch(std::span<const BatchInput> inputs, std::span<BatchOutput> outputs) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      outputs[i].status = Predict(inputs[i].request, inputs[i].body, outputs[i].response);
    }
  }

  // The version sent as X-Model-Version.
  virtual std::string_view model_version() const = 0;
};

}  // namespace modelgate::backend
