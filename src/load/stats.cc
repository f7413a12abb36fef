#include "load/stats.h"

#include <absl/strings/str_format.h>

#include <algorithm>

namespace modelgate::load {

constexpr auto kLateAfter = std::chrono::milliseconds(1);

std::uint64_t RunStats::errors() const {
  std::uint64_t total = 0;
  for (const auto& [code, count] : http_errors) total += count;
  for (const auto& [kind, count] : transport_errors) total += count;
  return total;
}

double RunStats::achieved_rps() const {
  return duration_s > 0 ? static_cast<double>(responses) / duration_s : 0;
}

double RunStats::success_rps() const {
  return duration_s > 0 ? static_cast<double>(succeeded) / duration_s : 0;
}

void Recorder::OnSend(std::chrono::nanoseconds lateness) {
  ++stats_.sent;
  if (lateness >= kLateAfter) ++stats_.late;
  ++in_flight_;
  stats_.max_in_flight = std::max(stats_.max_in_flight, in_flight_);
}

void Recorder::OnDone(std::chrono::nanoseconds latency, std::size_t batch_size,
                      const Exchange& exchange) {
  --in_flight_;
  if (exchange.status == 0) {
    ++stats_.transport_errors[exchange.failure];
    ++window_errors_;
    return;
  }
  ++stats_.responses;
  stats_.latency.Record(latency);
  stats_.latency_by_batch[batch_size].Record(latency);
  window_.Record(latency);
  if (exchange.status >= 200 && exchange.status < 300) {
    ++stats_.succeeded;
    return;
  }
  ++window_errors_;
  std::string code = exchange.code.empty() ? "HTTP " + std::to_string(exchange.status)
                                           : exchange.code;
  ++stats_.http_errors[code];
}

void Recorder::CloseSecond(double second) {
  SecondSample sample;
  sample.second = second;
  sample.completed = window_.count();
  sample.errors = window_errors_;
  sample.p50_micros = window_.PercentileMicros(50);
  sample.p95_micros = window_.PercentileMicros(95);
  sample.p99_micros = window_.PercentileMicros(99);
  stats_.series.push_back(sample);
  window_.Reset();
  window_errors_ = 0;
}

std::string ProgressLine(const RunStats& stats, double elapsed_s) {
  double last_rps = stats.series.empty() ? 0 : static_cast<double>(stats.series.back().completed);
  return absl::StrFormat("%6.1fs  sent %llu  %.0f rps  p95 %.2f ms  errors %llu", elapsed_s,
                         static_cast<unsigned long long>(stats.sent), last_rps,
                         stats.latency.PercentileMicros(95) / 1000.0,
                         static_cast<unsigned long long>(stats.errors()));
}

}  // namespace modelgate::load
