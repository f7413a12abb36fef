#include "metrics/service_metrics.h"

#include <algorithm>

#include "json/writer.h"

namespace modelgate::metrics {
namespace {

// Escapes a label value: backslash, double quote and line feed, as the text format requires.
std::string EscapeLabel(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

ServiceMetrics::ServiceMetrics(std::string service, int major, std::vector<std::string> codes)
    : codes_(std::move(codes)), outcomes_(codes_.size() + 1) {
  labels_ = "service=\"" + EscapeLabel(service) + "\",version=\"v" + std::to_string(major) + "\"";
  outcomes_[0].code = "OK";
  outcomes_[0].status = 200;
  for (std::size_t i = 0; i < codes_.size(); ++i) outcomes_[i + 1].code = codes_[i];
}

std::size_t ServiceMetrics::OutcomeOf(std::string_view code) const {
  auto found = std::find(codes_.begin(), codes_.end(), code);
  return found == codes_.end() ? 0 : 1 + static_cast<std::size_t>(found - codes_.begin());
}

void ServiceMetrics::Record(std::size_t outcome, int status, double seconds) {
  auto& slot = outcomes_[std::min(outcome, outcomes_.size() - 1)];
  slot.status.store(status, std::memory_order_relaxed);
  slot.count.fetch_add(1, std::memory_order_relaxed);
  std::size_t bucket =
      std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin();
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  duration_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void ServiceMetrics::RenderSamples(Family family, std::string& out) const {
  switch (family) {
    case Family::kRequests:
      for (const auto& outcome : outcomes_) {
        std::uint64_t count = outcome.count.load(std::memory_order_relaxed);
        if (count == 0 && outcome.code != "OK") continue;
        out += "modelgate_requests_total{" + labels_ + ",code=\"" + outcome.code + "\",status=\"" +
               std::to_string(outcome.status.load(std::memory_order_relaxed)) + "\"} " +
               std::to_string(count) + "\n";
      }
      break;
    case Family::kDuration:
      RenderHistogram(out);
      break;
    case Family::kGuardFailures:
      out += "modelgate_response_guard_failures_total{" + labels_ + "} " +
             std::to_string(guard_failures_.load()) + "\n";
      break;
    case Family::kModelRuns:
      out += "modelgate_model_executions_total{" + labels_ + "} " +
             std::to_string(model_runs_.load()) + "\n";
      break;
  }
}

void ServiceMetrics::RenderHistogram(std::string& out) const {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= kBuckets.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    std::string bound = "+Inf";
    if (i < kBuckets.size()) {
      bound.clear();
      json::AppendNumber(bound, kBuckets[i]);
    }
    out += "modelgate_request_duration_seconds_bucket{" + labels_ + ",le=\"" + bound + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  std::string sum;
  json::AppendNumber(sum, static_cast<double>(duration_micros_.load()) / 1e6);
  out += "modelgate_request_duration_seconds_sum{" + labels_ + "} " + sum + "\n";
  out += "modelgate_request_duration_seconds_count{" + labels_ + "} " + std::to_string(cumulative) +
         "\n";
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
      {Family::kDuration, "modelgate_request_duration_seconds", "histogram",
       "Time from a complete request to its response, in seconds."},
      {Family::kGuardFailures, "modelgate_response_guard_failures_total", "counter",
       "Model outputs that broke the response contract and were answered with MODEL_ERROR."},
      {Family::kModelRuns, "modelgate_model_executions_total", "counter",
       "Calls into the model backend."},
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
