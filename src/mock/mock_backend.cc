#include "mock/mock_backend.h"

#include <thread>

namespace modelgate::mock {

MockBackend::MockBackend(const contract::Contract& contract, std::uint64_t seed,
                         std::chrono::milliseconds delay, double failure_rate)
    : generator_(contract.response),
      seed_(seed),
      delay_(delay),
      failure_rate_(failure_rate),
      version_("mock") {}

absl::Status MockBackend::Predict(simdjson::dom::element, std::string_view body,
                                  std::string& response) {
  if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
  std::uint64_t seed = RequestSeed(seed_, body);
  if (failure_rate_ > 0 && static_cast<double>(seed % 10'000) < failure_rate_ * 10'000) {
    return absl::InternalError("the mock failed this request, as --failure-rate asks");
  }
  response = generator_.Generate(seed);
  return absl::OkStatus();
}

}  // namespace modelgate::mock
