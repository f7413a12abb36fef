#pragma once

#include <cstdint>
#include <string>

#include "backend/backend.h"
#include "contract/types.h"
#include "mock/generator.h"

namespace modelgate::mock {

// A backend that answers with generated responses that satisfy the response contract. The same
// seed and request body always give the same response.
class MockBackend : public backend::Backend {
 public:
  MockBackend(const contract::Contract& contract, std::uint64_t seed);

  absl::Status Predict(simdjson::dom::element request, std::string_view body,
                       std::string& response) override;
  std::string_view model_version() const override { return version_; }

 private:
  Generator generator_;
  std::uint64_t seed_;
  std::string version_;
};

}  // namespace modelgate::mock
