#include "mock/mock_backend.h"

namespace modelgate::mock {

MockBackend::MockBackend(const contract::Contract& contract, std::uint64_t seed)
    : generator_(contract.response), seed_(seed), version_("mock") {}

absl::Status MockBackend::Predict(simdjson::dom::element, std::string_view body,
                                  std::string& response) {
  response = generator_.Generate(RequestSeed(seed_, body));
  return absl::OkStatus();
}

}  // namespace modelgate::mock
