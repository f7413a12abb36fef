// Comparing a run with the contract's targets: per-batch latency targets, throughput only when
// the offered rate reached it, the error share and the cost per 1,000 requests.
#include "load/checks.h"

#include <gtest/gtest.h>

#include "contract/loader.h"

namespace modelgate::load {
namespace {

contract::Contract Load(const std::string& constraints) {
  std::string text = "version: v1\nrequest:\n  fields:\n"
                     "    - {name: items, type: \"array[number]\", required: true}\n"
                     "constraints:\n" + constraints;
  auto contract = contract::LoadContractText(text, "test.yaml");
  EXPECT_TRUE(contract.ok()) << contract.status();
  return *contract;
}

// A run whose every response took `micros`, in `batch_size` batches.
RunStats RunAt(std::uint64_t micros, std::size_t batch_size, double offered_rps = 10) {
  RunStats stats;
  stats.mode = "open-loop";
  stats.offered_rps = offered_rps;
  stats.duration_s = 10;
  stats.scheduled = stats.sent = stats.responses = stats.succeeded =
      static_cast<std::uint64_t>(offered_rps * 10);
  for (std::uint64_t i = 0; i < stats.responses; ++i) {
    stats.latency.RecordMicros(micros);
    stats.latency_by_batch[batch_size].RecordMicros(micros);
  }
  return stats;
}

const TargetCheck* Find(const std::vector<TargetCheck>& checks, const std::string& name) {
  for (const auto& check : checks) {
    if (check.name == name) return &check;
  }
  return nullptr;
}

TEST(LoadChecks, LatencyTargetInsideAndOutside) {
  auto contract = Load("  latency_ms: {p95: 80}\n");
  auto inside = CheckTargets(contract, RunAt(80'000, 0), {});
  ASSERT_NE(Find(inside, "p95 latency"), nullptr);
  EXPECT_TRUE(Find(inside, "p95 latency")->passed);
  auto outside = CheckTargets(contract, RunAt(80'200, 0), {});
  EXPECT_FALSE(Find(outside, "p95 latency")->passed);
  EXPECT_FALSE(AllPassed(outside));
}

TEST(LoadChecks, PerBatchTargetPicksBatchSize) {
  auto contract = Load("  latency_ms: {p95: {batch1: 30, batch16: 300}}\n");
  auto checks = CheckTargets(contract, RunAt(100'000, 16), {});
  const TargetCheck* check = Find(checks, "p95 latency, batch 16");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->target, 300);
  EXPECT_EQ(check->key, "constraints.latency_ms.p95.batch16");
  EXPECT_TRUE(check->passed);
  // The same latency misses the target for a batch of one.
  auto single = CheckTargets(contract, RunAt(100'000, 1), {});
  ASSERT_NE(Find(single, "p95 latency, batch 1"), nullptr);
  EXPECT_FALSE(Find(single, "p95 latency, batch 1")->passed);
}

TEST(LoadChecks, BatchWithoutTargetUsesDefault) {
  auto contract = Load("  latency_ms: {p99: {default: 500, batch16: 700}}\n");
  auto checks = CheckTargets(contract, RunAt(600'000, 8), {});
  const TargetCheck* check = Find(checks, "p99 latency");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->target, 500);
  EXPECT_FALSE(check->passed);
}

TEST(LoadChecks, ThroughputCheckedOnlyAtTargetRate) {
  auto contract = Load("  throughput_rps: 300\n");
  EXPECT_EQ(Find(CheckTargets(contract, RunAt(1'000, 0, 299), {}), "throughput"), nullptr);
  auto checks = CheckTargets(contract, RunAt(1'000, 0, 300), {});
  ASSERT_NE(Find(checks, "throughput"), nullptr);
  EXPECT_TRUE(Find(checks, "throughput")->passed);
}

TEST(LoadChecks, ThroughputToleranceInsideAndOutside) {
  auto contract = Load("  throughput_rps: 100\n");
  RunStats stats = RunAt(1'000, 0, 100);
  stats.succeeded = 980;  // 98 rps: 2 % short, the tolerance
  EXPECT_TRUE(Find(CheckTargets(contract, stats, {}), "throughput")->passed);
  stats.succeeded = 979;
  EXPECT_FALSE(Find(CheckTargets(contract, stats, {}), "throughput")->passed);
}

TEST(LoadChecks, ErrorRateInsideAndOutside) {
  auto contract = Load("  timeout_ms: 100\n");
  RunStats stats = RunAt(1'000, 0, 100);  // 1000 scheduled
  stats.http_errors["RATE_LIMIT"] = 10;
  EXPECT_TRUE(Find(CheckTargets(contract, stats, {}), "error rate")->passed);
  stats.transport_errors["timeout"] = 1;
  EXPECT_FALSE(Find(CheckTargets(contract, stats, {}), "error rate")->passed);
}

TEST(LoadChecks, CostFromPricePerHour) {
  auto contract = Load("  cost_per_1k_requests: 0.01\n  cost_per_hour: 3.6\n");
  // 3.6 per hour at 100 rps is 3.6 / 360,000 requests, 0.01 per 1,000.
  auto checks = CheckTargets(contract, RunAt(1'000, 0, 100), {});
  const TargetCheck* cost = Find(checks, "cost");
  ASSERT_NE(cost, nullptr);
  EXPECT_NEAR(cost->measured, 0.01, 1e-12);
  EXPECT_TRUE(cost->passed);
  CheckOptions dearer;
  dearer.price_per_hour = 3.7;
  EXPECT_FALSE(Find(CheckTargets(contract, RunAt(1'000, 0, 100), dearer), "cost")->passed);
}

TEST(LoadChecks, CostPer1kAtZeroRate) { EXPECT_FALSE(CostPer1k(1.0, 0).has_value()); }

}  // namespace
}  // namespace modelgate::load
