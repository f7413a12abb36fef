#include "mock/mock_backend.h"

#include <thread>

namespace modelgate::mock {

MockBackend::MockBackend(const contract::Contract& contract, std::uint64_t seed,
                         std::chrono::milliseconds delay)
    : generator_(contract.response), seed_(seed), delay_(delay), version_("mock") {}

absl::Status MockBackend::Predict(simdjson::dom::element, std::string_view body,
                                  std::string& response) {
  if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
  response = generator_.Generate(RequestSeed(seed_, body));
  return absl::OkStatus();
}

}  // namespace modelgate::mock
