#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace modelgate::load {

// A latency histogram in the style of HdrHistogram: log-linear buckets over 1 µs to 60 s that
// keep 3 significant digits. Values below 2048 µs are kept exactly; above, each power of two is
// split into 1024 buckets, so a reported value is within 1/2048 (0.05 %) of the recorded one.
// Values above 60 s are counted as 60 s and in `overflow()`; the exact maximum is kept apart.
// Not thread-safe: each thread records into its own histogram and merges with Add.
class LatencyHistogram {
 public:
  static constexpr std::uint64_t kLowestMicros = 1;
  static constexpr std::uint64_t kHighestMicros = 60'000'000;

  LatencyHistogram();

  void Record(std::chrono::nanoseconds latency);
  void RecordMicros(std::uint64_t micros);
  void Add(const LatencyHistogram& other);
  void Reset();

  std::uint64_t count() const { return count_; }
  std::uint64_t overflow() const { return overflow_; }
  // Exact maximum and minimum in microseconds; 0 when empty.
  std::uint64_t max_micros() const { return max_micros_; }
  std::uint64_t min_micros() const { return count_ == 0 ? 0 : min_micros_; }
  double mean_micros() const;
  // Value at `percentile` (0 to 100) in microseconds: the value of the bucket that contains the
  // ceil(percentile / 100 * count)-th smallest value, and the exact maximum at 100. 0 when empty.
  double PercentileMicros(double percentile) const;

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t overflow_ = 0;
  std::uint64_t max_micros_ = 0;
  std::uint64_t min_micros_ = 0;
  long double sum_micros_ = 0;
};

// Bucket index of a value in [1, kHighestMicros] and the value a bucket reports (its midpoint),
// exposed for the tests of the error bound.
std::size_t BucketIndex(std::uint64_t micros);
double BucketValue(std::size_t index);

}  // namespace modelgate::load
