#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>
#include <string>

#include "backend/backend.h"
#include "contract/types.h"
#include "mock/generator.h"

namespace modelgate::mock {

// A backend that answers with generated responses that satisfy the response contract. The same
// seed and request body always give the same response.
class MockBackend : public backend::Backend {
 public:
  // `simulate_latency` makes each answer take a time drawn from a log-normal distribution
  // fitted to the contract's p50 and p95 targets, added to `delay`.
  // `delay` is how long each answer takes, to simulate a model's latency. `failure_rate` (0 to 1)
  // is the share of request bodies that fail as a broken model would; which bodies fail is
  // decided by the seed, so a body fails every time or never.
  MockBackend(const contract::Contract& contract, std::uint64_t seed,
              std::chrono::milliseconds delay = std::chrono::milliseconds(0),
              double failure_rate = 0, bool simulate_latency = false);

  absl::Status Predict(simdjson::dom::element request, std::string_view body,
                       std::string& response) override;
  std::string_view model_version() const override { return version_; }

 private:
  Generator generator_;
  std::uint64_t seed_;
  std::chrono::milliseconds delay_;
  double failure_rate_;
  // Log-normal latency fitted to the contract's p50 and p95, in milliseconds; unset when off.
  std::optional<std::pair<double, double>> latency_mu_sigma_;
  std::string version_;
};

}  // namespace modelgate::mock
