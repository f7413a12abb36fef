#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace modelgate::metrics {

// A Prometheus histogram with fixed bucket bounds in seconds, updated without locks.
class Histogram {
 public:
  // `bounds` need not be sorted or unique; +Inf is implicit.
  explicit Histogram(std::vector<double> bounds);

  void Observe(double seconds);
  // Appends the _bucket, _sum and _count samples of `name` with `labels` (no braces).
  void Render(std::string_view name, std::string_view labels, std::string& out) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // one per bound, then +Inf
  std::atomic<std::uint64_t> sum_nanos_{0};
};

// Default request duration bounds in seconds, from 0.5 ms to 10 s.
std::vector<double> DefaultDurationBounds();

}  // namespace modelgate::metrics
