#include "mock/mock_backend.h"

#include <cmath>
#include <thread>

namespace modelgate::mock {

MockBackend::MockBackend(const contract::Contract& contract, std::uint64_t seed,
                         std::chrono::milliseconds delay, double failure_rate,
                         bool simulate_latency)
    : generator_(contract.response),
      seed_(seed),
      delay_(delay),
      failure_rate_(failure_rate),
      version_("mock") {
  const auto& latency = contract.constraints.latency;
  if (simulate_latency && latency.p50.overall_ms && latency.p95.overall_ms &&
      *latency.p95.overall_ms > *latency.p50.overall_ms && *latency.p50.overall_ms > 0) {
    // For a log-normal, p50 = exp(mu) and p95 = exp(mu + 1.6449 sigma).
    double mu = std::log(*latency.p50.overall_ms);
    double sigma = (std::log(*latency.p95.overall_ms) - mu) / 1.6448536;
    latency_mu_sigma_ = {mu, sigma};
  }
}

namespace {

// A standard normal draw from two uniform draws taken from `seed` (Box-Muller).
double NormalFromSeed(std::uint64_t seed) {
  double u1 = (static_cast<double>(seed >> 11) + 1.0) / 9007199254740993.0;
  double u2 = static_cast<double>((seed * 0x9E3779B97F4A7C15ull) >> 11) / 9007199254740992.0;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.141592653589793 * u2);
}

}  // namespace

absl::Status MockBackend::Predict(simdjson::dom::element, std::string_view body,
                                  std::string& response) {
  std::uint64_t seed = RequestSeed(seed_, body);
  auto wait = std::chrono::duration<double, std::milli>(delay_);
  if (latency_mu_sigma_) {
    auto [mu, sigma] = *latency_mu_sigma_;
    wait += std::chrono::duration<double, std::milli>(std::exp(mu + sigma * NormalFromSeed(seed)));
  }
  if (wait.count() > 0) std::this_thread::sleep_for(wait);
  if (failure_rate_ > 0 && static_cast<double>(seed % 10'000) < failure_rate_ * 10'000) {
    return absl::InternalError("the mock failed this request, as --failure-rate asks");
  }
  response = generator_.Generate(seed);
  return absl::OkStatus();
}

}  // namespace modelgate::mock
