#include "load/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace modelgate::load {
namespace {

// 2048 exact buckets, then 1024 buckets per power of two: the resolution of 3 significant
// digits in HdrHistogram's terms (sub-bucket count 2048).
constexpr std::uint64_t kSubBuckets = 2048;
constexpr std::uint64_t kHalf = kSubBuckets / 2;
constexpr int kSubBucketBits = 11;  // bit width of kSubBuckets - 1

}  // namespace

std::size_t BucketIndex(std::uint64_t micros) {
  if (micros < kSubBuckets) return static_cast<std::size_t>(micros);
  // shift >= 1 makes micros >> shift land in [1024, 2048).
  int shift = std::bit_width(micros) - kSubBucketBits;
  std::uint64_t sub = micros >> shift;
  return static_cast<std::size_t>(kSubBuckets + (shift - 1) * kHalf + (sub - kHalf));
}

double BucketValue(std::size_t index) {
  if (index < kSubBuckets) return static_cast<double>(index);
  std::size_t above = index - kSubBuckets;
  int shift = static_cast<int>(above / kHalf) + 1;
  std::uint64_t sub = kHalf + above % kHalf;
  std::uint64_t lower = sub << shift;
  std::uint64_t width = std::uint64_t{1} << shift;
  return static_cast<double>(lower) + static_cast<double>(width - 1) / 2.0;
}

LatencyHistogram::LatencyHistogram() : counts_(BucketIndex(kHighestMicros) + 1, 0) {}

void LatencyHistogram::Record(std::chrono::nanoseconds latency) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(latency).count();
  RecordMicros(micros < 0 ? 0 : static_cast<std::uint64_t>(micros));
}

void LatencyHistogram::RecordMicros(std::uint64_t micros) {
  std::uint64_t exact = std::max(micros, kLowestMicros);
  std::uint64_t bucketed = exact;
  if (exact > kHighestMicros) {
    ++overflow_;
    bucketed = kHighestMicros;
  }
  ++counts_[BucketIndex(bucketed)];
  max_micros_ = count_ == 0 ? exact : std::max(max_micros_, exact);
  min_micros_ = count_ == 0 ? exact : std::min(min_micros_, exact);
  sum_micros_ += static_cast<long double>(exact);
  ++count_;
}

void LatencyHistogram::Add(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  max_micros_ = count_ == 0 ? other.max_micros_ : std::max(max_micros_, other.max_micros_);
  min_micros_ = count_ == 0 ? other.min_micros_ : std::min(min_micros_, other.min_micros_);
  count_ += other.count_;
  overflow_ += other.overflow_;
  sum_micros_ += other.sum_micros_;
}

void LatencyHistogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = overflow_ = max_micros_ = min_micros_ = 0;
  sum_micros_ = 0;
}

double LatencyHistogram::mean_micros() const {
  return count_ == 0 ? 0 : static_cast<double>(sum_micros_ / count_);
}

double LatencyHistogram::PercentileMicros(double percentile) const {
  if (count_ == 0) return 0;
  if (percentile >= 100) return static_cast<double>(max_micros_);
  double exact_rank = std::max(percentile, 0.0) / 100.0 * static_cast<double>(count_);
  // The slack absorbs rounding such as 99.9 / 100 * 1000 = 999.0000000000001, whose rank is 999.
  double rounded = std::ceil(exact_rank * (1 - 1e-12));
  auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(rounded));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      // A bucket's midpoint may lie above the largest value recorded in it.
      return std::min(BucketValue(i), static_cast<double>(max_micros_));
    }
  }
  return static_cast<double>(max_micros_);
}

}  // namespace modelgate::load
