#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace modelgate::metrics {

// Counters of one served contract version, updated without locks from every server thread and
// rendered in the Prometheus text exposition format (version 0.0.4).
class ServiceMetrics {
 public:
  // Upper bounds of the request duration histogram in seconds; +Inf is implicit.
  static constexpr std::array<double, 15> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.08, 0.1, 0.12, 0.25, 0.5, 1.0, 2.5, 5.0};

  // `codes` lists every error code the service can answer with; outcome 0 is success.
  ServiceMetrics(std::string service, int major, std::vector<std::string> codes);

  // Records one finished request; `outcome` is 0 for success or 1 + the index in `codes`.
  void Record(std::size_t outcome, int status, double seconds);
  void CountGuardFailure() { guard_failures_.fetch_add(1, std::memory_order_relaxed); }
  void CountModelRun() { model_runs_.fetch_add(1, std::memory_order_relaxed); }
  std::size_t OutcomeOf(std::string_view code) const;

  enum class Family { kRequests, kDuration, kGuardFailures, kModelRuns };
  // Appends this service's samples of one metric family.
  void RenderSamples(Family family, std::string& out) const;

 private:
  void RenderHistogram(std::string& out) const;

  struct Outcome {
    std::string code;
    std::atomic<int> status{0};
    std::atomic<std::uint64_t> count{0};
  };

  std::string labels_;  // service="...",version="..."
  std::vector<std::string> codes_;
  std::vector<Outcome> outcomes_;
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets_{};
  std::atomic<std::uint64_t> duration_micros_{0};
  std::atomic<std::uint64_t> guard_failures_{0};
  std::atomic<std::uint64_t> model_runs_{0};
};

// Renders every family for all services, each family's samples together under one HELP and TYPE
// header, as the text format requires.
std::string RenderAll(const std::vector<const ServiceMetrics*>& services);

}  // namespace modelgate::metrics
