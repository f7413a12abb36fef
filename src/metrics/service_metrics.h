#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
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

// A latency target of the contract for the target gauge: `percentile` such as "p95",
// `batch_size` 0 for a target that holds for every batch size.
struct LatencyTargetSample {
  std::string percentile;
  std::size_t batch_size = 0;
  double seconds = 0;
};

// The contract's declarations, besides the error codes, that shape the metric families.
struct ServiceShape {
  // Every latency target; the timeout also becomes a bucket bound through `extra_bounds`.
  std::vector<LatencyTargetSample> latency_targets;
  std::vector<double> extra_bounds;
  // Batch sizes that have their own latency targets, ascending; requests are counted under the
  // smallest one at or above their batch size. Empty: no per-batch histogram.
  std::vector<std::size_t> batch_sizes;
  std::vector<std::string> safety_actions;  // actions the contract's thresholds can take
};

// The metrics of one served contract version, updated without locks from every server thread and
// rendered in the Prometheus text exposition format (version 0.0.4).
class ServiceMetrics {
 public:
  // `codes` lists every error code the service can answer with and its HTTP status. Latency
  // targets become extra bucket bounds so the histograms resolve them.
  ServiceMetrics(const ServiceLabels& labels, std::vector<std::pair<std::string, int>> codes,
                 const ServiceShape& shape);
  ~ServiceMetrics();

  // Records one answered request; `code` is empty for success. `batch_size` is the length of
  // the request's batch field, 0 when unknown (the body was not decoded).
  void Record(std::string_view code, int status, double seconds, std::size_t batch_size = 0);
  void CountSafetyAction(std::string_view action);
  // Records the number of rows in one backend call.
  void ObserveModelBatch(std::size_t rows) { model_batch_rows_.Observe(static_cast<double>(rows)); }
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
  void CountDisconnect() { disconnects_.fetch_add(1, std::memory_order_relaxed); }
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
    kBreakerState,
    kBatchDuration,
    kLatencyTargets,
    kSafetyActions,
    kModelBatchRows,
    kDisconnects
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
  std::atomic<std::uint64_t> disconnects_{0};
  Histogram queue_wait_;
  std::atomic<int> breaker_state_{-1};
  ServiceShape shape_;
  std::vector<std::unique_ptr<Histogram>> batch_duration_;  // one per batch size, then larger
  std::unique_ptr<std::atomic<std::uint64_t>[]> safety_actions_;  // one per shape_ action
  Histogram model_batch_rows_;
};

// Renders every family for all services, each family's samples together under one HELP and TYPE
// header, as the text format requires.
std::string RenderAll(const std::vector<const ServiceMetrics*>& services);

// Escapes a label value: backslash, double quote and line feed.
std::string EscapeLabel(std::string_view value);

}  // namespace modelgate::metrics
