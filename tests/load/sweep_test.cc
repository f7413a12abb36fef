// The sweep's rate plan and its search for the highest rate that meets the targets.
#include "load/sweep.h"

#include <gtest/gtest.h>

#include <vector>

namespace modelgate::load {
namespace {

TEST(LoadSweepRates, IncludesMax) {
  auto rates = SweepRates({100, 100, 500});
  ASSERT_TRUE(rates.ok()) << rates.status();
  EXPECT_EQ(*rates, (std::vector<double>{100, 200, 300, 400, 500}));
}

TEST(LoadSweepRates, StopsBelowMaxOffStep) {
  auto rates = SweepRates({100, 150, 420});
  ASSERT_TRUE(rates.ok()) << rates.status();
  EXPECT_EQ(*rates, (std::vector<double>{100, 250, 400}));
}

TEST(LoadSweepRates, FractionalStepsKeepMax) {
  auto rates = SweepRates({0.1, 0.1, 0.3});
  ASSERT_TRUE(rates.ok()) << rates.status();
  ASSERT_EQ(rates->size(), 3u);
  EXPECT_NEAR(rates->back(), 0.3, 1e-12);
}

TEST(LoadSweepRates, RejectsBadPlans) {
  EXPECT_NE(SweepRates({0, 10, 100}).status().message().find("--sweep-start"), std::string::npos);
  EXPECT_NE(SweepRates({10, 0, 100}).status().message().find("--sweep-step"), std::string::npos);
  EXPECT_NE(SweepRates({100, 10, 50}).status().message().find("--sweep-max"), std::string::npos);
}

TEST(LoadSweepRates, StepLimitInsideAndOutside) {
  EXPECT_TRUE(SweepRates({1, 1, 1000}, 1000).ok());
  auto over = SweepRates({1, 1, 1001}, 1000);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.status().message().find("1001 rates"), std::string::npos);
}

TEST(LoadSweepSearch, FindsLastPassingRate) {
  std::vector<double> rates = {100, 200, 300, 400, 500};
  auto best = HighestPassingRate(rates, [](double rate) { return rate <= 300; });
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(rates[*best], 300);
}

TEST(LoadSweepSearch, EveryRatePasses) {
  std::vector<double> rates = {100, 200, 300};
  auto best = HighestPassingRate(rates, [](double) { return true; });
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(*best, 2u);
}

TEST(LoadSweepSearch, FirstRateFails) {
  std::vector<double> rates = {100, 200};
  EXPECT_FALSE(HighestPassingRate(rates, [](double) { return false; }).has_value());
}

TEST(LoadSweepSearch, StopsAtFirstFailure) {
  std::vector<double> rates = {100, 200, 300, 400};
  std::vector<double> tried;
  auto best = HighestPassingRate(rates, [&tried](double rate) {
    tried.push_back(rate);
    return rate != 200;  // 300 and 400 would pass, but are never tried
  });
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(*best, 0u);
  EXPECT_EQ(tried, (std::vector<double>{100, 200}));
}

}  // namespace
}  // namespace modelgate::load
