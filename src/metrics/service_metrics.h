#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/histogram.h"

namespace modelgate::metrics {

// Labels that identify one served contract version in every sample.
struct ServiceLabels {
  std::string service;
  std::string contract_version;
  std::string model_version;
};

// The metrics of one served contract version, updated without locks from every server thread and
// rendered in the Prometheus text exposition format (version 0.0.4).
class ServiceMetrics {
 public:
  // `codes` lists every error code the service can answer with and its HTTP status.
  // `latency_targets` (seconds) become extra bucket bounds so the histograms resolve them.
  ServiceMetrics(const ServiceLabels& labels, std::vector<std::pair<std::string, int>> codes,
                 const std::vector<double>& latency_targets);

  // Records one answered request; `code` is empty for success.
  void Record(std::string_view code, int status, double seconds);
  void ObserveInference(double seconds) { inference_.Observe(seconds); }
  void CountContractViolation() { violations_.fetch_add(1, std::memory_order_relaxed); }
  void BeginRequest() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void EndRequest() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  std::uint64_t inference_count() const { return inference_runs_.load(); }
  void CountInference() { inference_runs_.fetch_add(1, std::memory_order_relaxed); }
  void CountDeadlineExpiry() { deadline_expiries_.fetch_add(1, std::memory_order_relaxed); }
  void CountLateResult() { late_results_.fetch_add(1, std::memory_order_relaxed); }
  void CountReplay() { replays_.fetch_add(1, std::memory_order_relaxed); }
  void CountFallback() { fallbacks_.fetch_add(1, std::memory_order_relaxed); }
  void ObserveQueueWait(double seconds) { queue_wait_.Observe(seconds); }
  // 0 closed, 1 open, 2 half-open; -1 when the contract declares no breaker.
  void SetBreakerState(int state) { breaker_state_.store(state, std::memory_order_relaxed); }

  enum class Family {
    kRequests,
    kFailures,
    kDuration,
    kInFlight,
    kInference,
    kInferenceRuns,
    kViolations,
    kDeadlineExpiries,
    kLateResults,
    kReplays,
    kFallbacks,
    kQueueWait,
    kBreakerState
  };
  // Appends this service's samples of one metric family.
  void RenderSamples(Family family, std::string& out) const;

 private:
  struct Outcome {
    std::string code;
    int status = 200;
    std::atomic<std::uint64_t> count{0};
  };
  Outcome& OutcomeOf(std::string_view code, int status);

  std::string labels_;  // service="...",contract_version="...",model_version="..."
  std::vector<Outcome> outcomes_;  // success first, then each code
  Outcome unexpected_;             // a code the contract does not list; never expected
  Histogram duration_;
  Histogram inference_;
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::uint64_t> inference_runs_{0};
  std::atomic<std::uint64_t> violations_{0};
  std::atomic<std::uint64_t> deadline_expiries_{0};
  std::atomic<std::uint64_t> late_results_{0};
  std::atomic<std::uint64_t> replays_{0};
  std::atomic<std::uint64_t> fallbacks_{0};
  Histogram queue_wait_;
  std::atomic<int> breaker_state_{-1};
};

// Renders every family for all services, each family's samples together under one HELP and TYPE
// header, as the text format requires.
std::string RenderAll(const std::vector<const ServiceMetrics*>& services);

// Escapes a label value: backslash, double quote and line feed.
std::string EscapeLabel(std::string_view value);

}  // namespace modelgate::metrics
