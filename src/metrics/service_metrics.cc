#include "metrics/service_metrics.h"

#include <algorithm>

#include "json/writer.h"

namespace modelgate::metrics {

std::string EscapeLabel(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

namespace {

std::vector<double> DurationBounds(const ServiceShape& shape) {
  auto bounds = DefaultDurationBounds();
  for (const auto& target : shape.latency_targets) {
    if (target.seconds > 0) bounds.push_back(target.seconds);
  }
  for (double bound : shape.extra_bounds) {
    if (bound > 0) bounds.push_back(bound);
  }
  return bounds;
}

std::string BatchLabel(const std::vector<std::size_t>& sizes, std::size_t index) {
  return index < sizes.size() ? std::to_string(sizes[index]) : "+Inf";
}

// Formats a number for a sample value or a label: integers without a fraction.
std::string Number(double value) {
  std::string out;
  json::AppendNumber(out, value);
  return out;
}

}  // namespace

ServiceMetrics::ServiceMetrics(const ServiceLabels& labels,
                               std::vector<std::pair<std::string, int>> codes,
                               const ServiceShape& shape)
    : outcomes_(codes.size() + 1),
      duration_(DurationBounds(shape)),
      inference_(DurationBounds(shape)),
      queue_wait_(DurationBounds(shape)),
      shape_(shape),
      safety_actions_(new std::atomic<std::uint64_t>[shape.safety_actions.size()]()),
      model_batch_rows_({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}) {
  for (std::size_t i = 0; i <= shape_.batch_sizes.size() && !shape_.batch_sizes.empty(); ++i) {
    batch_duration_.push_back(std::make_unique<Histogram>(DurationBounds(shape)));
  }
  labels_ = "service=\"" + EscapeLabel(labels.service) + "\",contract_version=\"" +
            EscapeLabel(labels.contract_version) + "\",model_version=\"" +
            EscapeLabel(labels.model_version) + "\"";
  outcomes_[0].code = "OK";
  for (std::size_t i = 0; i < codes.size(); ++i) {
    outcomes_[i + 1].code = codes[i].first;
    outcomes_[i + 1].status = codes[i].second;
  }
  unexpected_.code = "UNDECLARED";
  unexpected_.status = 500;
}

ServiceMetrics::Outcome& ServiceMetrics::OutcomeOf(std::string_view code, int status) {
  if (code.empty() && status < 300) return outcomes_[0];
  for (std::size_t i = 1; i < outcomes_.size(); ++i) {
    if (outcomes_[i].code == code) return outcomes_[i];
  }
  return unexpected_;
}

ServiceMetrics::~ServiceMetrics() = default;

void ServiceMetrics::Record(std::string_view code, int status, double seconds,
                            std::size_t batch_size) {
  OutcomeOf(code, status).count.fetch_add(1, std::memory_order_relaxed);
  duration_.Observe(seconds);
  if (batch_size == 0 || batch_duration_.empty()) return;
  const auto& sizes = shape_.batch_sizes;
  auto index = std::lower_bound(sizes.begin(), sizes.end(), batch_size) - sizes.begin();
  batch_duration_[index]->Observe(seconds);
}

void ServiceMetrics::CountSafetyAction(std::string_view action) {
  const auto& actions = shape_.safety_actions;
  auto found = std::find(actions.begin(), actions.end(), action);
  if (found == actions.end()) return;
  safety_actions_[found - actions.begin()].fetch_add(1, std::memory_order_relaxed);
}

void ServiceMetrics::RenderSamples(Family family, std::string& out) const {
  auto outcome_line = [&](std::string_view name, const Outcome& outcome) {
    out += std::string(name) + "{" + labels_ + ",code=\"" + outcome.code + "\",status=\"" +
           std::to_string(outcome.status) + "\"} " +
           std::to_string(outcome.count.load(std::memory_order_relaxed)) + "\n";
  };
  switch (family) {
    case Family::kRequests:
      for (const auto& outcome : outcomes_) outcome_line("modelgate_requests_total", outcome);
      break;
    case Family::kFailures:
      for (std::size_t i = 1; i < outcomes_.size(); ++i) {
        outcome_line("modelgate_request_failures_total", outcomes_[i]);
      }
      if (unexpected_.count.load() > 0) outcome_line("modelgate_request_failures_total", unexpected_);
      break;
    case Family::kDuration:
      duration_.Render("modelgate_request_duration_seconds", labels_, out);
      break;
    case Family::kInFlight:
      out += "modelgate_requests_in_flight{" + labels_ + "} " +
             std::to_string(in_flight_.load(std::memory_order_relaxed)) + "\n";
      break;
    case Family::kInference:
      inference_.Render("modelgate_model_inference_duration_seconds", labels_, out);
      break;
    case Family::kInferenceRuns:
      out += "modelgate_model_inferences_total{" + labels_ + "} " +
             std::to_string(inference_runs_.load(std::memory_order_relaxed)) + "\n";
      break;
    case Family::kViolations:
      out += "modelgate_response_contract_violations_total{" + labels_ + "} " +
             std::to_string(violations_.load(std::memory_order_relaxed)) + "\n";
      break;
    case Family::kDeadlineExpiries:
      out += "modelgate_deadline_expirations_total{" + labels_ + "} " +
             std::to_string(deadline_expiries_.load(std::memory_order_relaxed)) + "\n";
      break;
    case Family::kReplays:
      out += "modelgate_idempotent_replays_total{" + labels_ + "} " +
             std::to_string(replays_.load(std::memory_order_relaxed)) + "\n";
      break;
    case Family::kFallbacks:
      out += "modelgate_fallbacks_total{" + labels_ + "} " +
             std::to_string(fallbacks_.load(std::memory_order_relaxed)) + "\n";
      break;
    case Family::kQueueWait:
      queue_wait_.Render("modelgate_queue_wait_seconds", labels_, out);
      break;
    case Family::kBreakerState:
      if (breaker_state_.load() >= 0) {
        out += "modelgate_circuit_breaker_state{" + labels_ + "} " +
               std::to_string(breaker_state_.load(std::memory_order_relaxed)) + "\n";
      }
      break;
    case Family::kBatchDuration:
      for (std::size_t i = 0; i < batch_duration_.size(); ++i) {
        batch_duration_[i]->Render(
            "modelgate_request_duration_by_batch_seconds",
            labels_ + ",batch_size=\"" + BatchLabel(shape_.batch_sizes, i) + "\"", out);
      }
      break;
    case Family::kLatencyTargets:
      for (const auto& target : shape_.latency_targets) {
        std::string batch = target.batch_size ? std::to_string(target.batch_size) : "any";
        out += "modelgate_latency_target_seconds{" + labels_ + ",percentile=\"" +
               target.percentile + "\",batch_size=\"" + batch + "\"} " +
               Number(target.seconds) + "\n";
      }
      break;
    case Family::kSafetyActions:
      for (std::size_t i = 0; i < shape_.safety_actions.size(); ++i) {
        out += "modelgate_safety_actions_total{" + labels_ + ",action=\"" +
               EscapeLabel(shape_.safety_actions[i]) + "\"} " +
               std::to_string(safety_actions_[i].load(std::memory_order_relaxed)) + "\n";
      }
      break;
    case Family::kModelBatchRows:
      model_batch_rows_.Render("modelgate_model_batch_rows", labels_, out);
      break;
    case Family::kLateResults:
      out += "modelgate_late_results_total{" + labels_ + "} " +
             std::to_string(late_results_.load(std::memory_order_relaxed)) + "\n";
      break;
  }
}

std::string RenderAll(const std::vector<const ServiceMetrics*>& services) {
  using Family = ServiceMetrics::Family;
  struct Header {
    Family family;
    std::string_view name, type, help;
  };
  static constexpr Header kHeaders[] = {
      {Family::kRequests, "modelgate_requests_total", "counter",
       "Requests answered, by contract error code (OK for success) and HTTP status."},
      {Family::kFailures, "modelgate_request_failures_total", "counter",
       "Requests answered with a non-2xx status, by contract error code."},
      {Family::kDuration, "modelgate_request_duration_seconds", "histogram",
       "Time from a complete request to its response."},
      {Family::kInFlight, "modelgate_requests_in_flight", "gauge",
       "Requests received and not yet answered."},
      {Family::kInference, "modelgate_model_inference_duration_seconds", "histogram",
       "Time spent in the model backend per request."},
      {Family::kInferenceRuns, "modelgate_model_inferences_total", "counter",
       "Calls into the model backend."},
      {Family::kViolations, "modelgate_response_contract_violations_total", "counter",
       "Model outputs that broke the response contract and were answered with MODEL_ERROR."},
      {Family::kDeadlineExpiries, "modelgate_deadline_expirations_total", "counter",
       "Requests answered with TIMEOUT or OVERLOADED because their deadline passed."},
      {Family::kLateResults, "modelgate_late_results_total", "counter",
       "Model results that arrived after their request's deadline and were dropped."},
      {Family::kReplays, "modelgate_idempotent_replays_total", "counter",
       "Requests answered from the idempotency store without running the model."},
      {Family::kQueueWait, "modelgate_queue_wait_seconds", "histogram",
       "Time admitted requests waited for a worker and a concurrency slot."},
      {Family::kBreakerState, "modelgate_circuit_breaker_state", "gauge",
       "Circuit breaker state: 0 closed, 1 open, 2 half-open."},
      {Family::kFallbacks, "modelgate_fallbacks_total", "counter",
       "Answers replaced by the contract's fallback after a model failure, a timeout or an "
       "open circuit breaker."},
      {Family::kBatchDuration, "modelgate_request_duration_by_batch_seconds", "histogram",
       "Time from a complete request to its response, by batch size: requests count under the "
       "smallest batch size with a latency target at or above their own."},
      {Family::kLatencyTargets, "modelgate_latency_target_seconds", "gauge",
       "The contract's latency targets by percentile (p50, p95, p99) and batch size (any: every "
       "batch size)."},
      {Family::kSafetyActions, "modelgate_safety_actions_total", "counter",
       "Response objects whose action a safety threshold set, by action."},
      {Family::kModelBatchRows, "modelgate_model_batch_rows", "histogram",
       "Rows per backend call; above 1 when dynamic batching merged requests."},
  };
  std::string out;
  for (const auto& header : kHeaders) {
    out.append("# HELP ").append(header.name).append(" ").append(header.help).append("\n");
    out.append("# TYPE ").append(header.name).append(" ").append(header.type).append("\n");
    for (const auto* service : services) service->RenderSamples(header.family, out);
  }
  return out;
}

}  // namespace modelgate::metrics
