#include "metrics/histogram.h"

#include <algorithm>

#include "json/writer.h"

namespace modelgate::metrics {

std::vector<double> DefaultDurationBounds() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
}

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  counts_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
}

void Histogram::Observe(double seconds) {
  // Buckets are upper-inclusive (le), so a value equal to a bound falls in that bound's bucket.
  std::size_t bucket =
      std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_nanos_.fetch_add(static_cast<std::uint64_t>(std::max(0.0, seconds) * 1e9),
                       std::memory_order_relaxed);
}

void Histogram::Render(std::string_view name, std::string_view labels, std::string& out) const {
  std::uint64_t cumulative = 0;
  std::string prefix = std::string(name) + "_bucket{" + std::string(labels) + ",le=\"";
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    out += prefix;
    if (i < bounds_.size()) {
      json::AppendNumber(out, bounds_[i]);
    } else {
      out += "+Inf";
    }
    out += "\"} " + std::to_string(cumulative) + "\n";
  }
  out += std::string(name) + "_sum{" + std::string(labels) + "} ";
  json::AppendNumber(out, static_cast<double>(sum_nanos_.load(std::memory_order_relaxed)) / 1e9);
  out += "\n" + std::string(name) + "_count{" + std::string(labels) + "} " +
         std::to_string(cumulative) + "\n";
}

}  // namespace modelgate::metrics
