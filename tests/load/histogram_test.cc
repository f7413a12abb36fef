// The load generator's latency histogram: exact and bucketed ranges, the relative error bound,
// the range limits and percentiles of known distributions.
#include "load/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace modelgate::load {
namespace {

constexpr double kBound = 1.0 / 2048;  // relative error of a reported value

double RelativeError(std::uint64_t micros) {
  double reported = BucketValue(BucketIndex(micros));
  return std::abs(reported - static_cast<double>(micros)) / static_cast<double>(micros);
}

TEST(LoadHistogram, ValuesBelow2048AreExact) {
  for (std::uint64_t micros = 1; micros < 2048; ++micros) {
    ASSERT_EQ(BucketValue(BucketIndex(micros)), static_cast<double>(micros)) << micros;
  }
}

TEST(LoadHistogram, RelativeErrorWithinBound) {
  double worst = 0;
  // Every bucket edge and its neighbours up to 60 s, where the error is largest.
  for (int shift = 1; shift <= 15; ++shift) {
    for (std::uint64_t sub = 1024; sub < 2048; ++sub) {
      std::uint64_t lower = sub << shift;
      if (lower > LatencyHistogram::kHighestMicros) break;
      for (std::uint64_t micros : {lower, lower + 1, lower + (std::uint64_t{1} << shift) - 1}) {
        double error = RelativeError(micros);
        ASSERT_LE(error, kBound) << micros;
        worst = std::max(worst, error);
      }
    }
  }
  // The bound is tight: some value comes within 1 % of it.
  EXPECT_GT(worst, kBound * 0.99);
}

TEST(LoadHistogram, NeighbouringBucketsSplitAtWidth) {
  // From 2048 µs on, buckets are 2 µs wide: 2048 and 2049 share one, 2050 starts the next.
  EXPECT_EQ(BucketIndex(2048), BucketIndex(2049));
  EXPECT_NE(BucketIndex(2049), BucketIndex(2050));
  EXPECT_NE(BucketIndex(2047), BucketIndex(2048));
}

TEST(LoadHistogram, HighestValueInRange) {
  LatencyHistogram histogram;
  histogram.RecordMicros(LatencyHistogram::kHighestMicros);
  EXPECT_EQ(histogram.overflow(), 0u);
  EXPECT_EQ(histogram.max_micros(), LatencyHistogram::kHighestMicros);
}

TEST(LoadHistogram, AboveHighestCountsAsOverflow) {
  LatencyHistogram histogram;
  histogram.RecordMicros(LatencyHistogram::kHighestMicros + 1);
  EXPECT_EQ(histogram.overflow(), 1u);
  EXPECT_EQ(histogram.count(), 1u);
  // The exact maximum is kept even though the bucket saturates.
  EXPECT_EQ(histogram.max_micros(), LatencyHistogram::kHighestMicros + 1);
}

TEST(LoadHistogram, BelowLowestCountsAsLowest) {
  LatencyHistogram histogram;
  histogram.Record(std::chrono::nanoseconds(200));
  EXPECT_EQ(histogram.min_micros(), 1u);
  EXPECT_EQ(histogram.PercentileMicros(50), 1.0);
}

TEST(LoadHistogram, EmptyReportsZero) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.PercentileMicros(99), 0.0);
  EXPECT_EQ(histogram.max_micros(), 0u);
  EXPECT_EQ(histogram.mean_micros(), 0.0);
}

TEST(LoadHistogram, UniformDistributionPercentiles) {
  LatencyHistogram histogram;
  for (std::uint64_t micros = 1; micros <= 100'000; ++micros) histogram.RecordMicros(micros);
  for (double percentile : {50.0, 90.0, 95.0, 99.0, 99.9}) {
    double expected = percentile / 100 * 100'000;
    EXPECT_NEAR(histogram.PercentileMicros(percentile), expected, expected * kBound)
        << "p" << percentile;
  }
  EXPECT_EQ(histogram.PercentileMicros(100), 100'000.0);
  EXPECT_NEAR(histogram.mean_micros(), 50'000.5, 1e-6);
}

TEST(LoadHistogram, BimodalTailPercentiles) {
  LatencyHistogram histogram;
  for (int i = 0; i < 990; ++i) histogram.RecordMicros(1'000);
  for (int i = 0; i < 10; ++i) histogram.RecordMicros(500'000);
  // Rank ceil(0.99 * 1000) = 990 is the last fast value; rank 991 is the first slow one.
  EXPECT_EQ(histogram.PercentileMicros(99), 1'000.0);
  EXPECT_NEAR(histogram.PercentileMicros(99.1), 500'000.0, 500'000 * kBound);
  EXPECT_NEAR(histogram.PercentileMicros(99.9), 500'000.0, 500'000 * kBound);
}

TEST(LoadHistogram, AddMergesCounts) {
  LatencyHistogram low;
  LatencyHistogram high;
  LatencyHistogram both;
  for (std::uint64_t micros = 1; micros <= 5'000; ++micros) {
    (micros <= 2'500 ? low : high).RecordMicros(micros * 7);
    both.RecordMicros(micros * 7);
  }
  low.Add(high);
  EXPECT_EQ(low.count(), both.count());
  EXPECT_EQ(low.max_micros(), both.max_micros());
  EXPECT_EQ(low.min_micros(), both.min_micros());
  for (double percentile : {1.0, 50.0, 99.0, 99.9}) {
    EXPECT_EQ(low.PercentileMicros(percentile), both.PercentileMicros(percentile));
  }
}

TEST(LoadHistogram, ResetEmpties) {
  LatencyHistogram histogram;
  histogram.RecordMicros(70'000'000);
  histogram.Reset();
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.overflow(), 0u);
  EXPECT_EQ(histogram.PercentileMicros(50), 0.0);
}

}  // namespace
}  // namespace modelgate::load
