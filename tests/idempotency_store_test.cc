#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "idempotency/store.h"

namespace modelgate::idempotency {
namespace {

using std::chrono::seconds;

std::string TempPath(const std::string& name) {
  auto folder = std::filesystem::temp_directory_path() / "modelgate-store-test";
  std::filesystem::create_directories(folder);
  auto path = folder / name;
  std::filesystem::remove(path);
  return path.string();
}

TEST(IdempotencyStore, FirstThenReplay) {
  Store store("");
  std::string error;
  ASSERT_TRUE(store.Open(error)) << error;
  EXPECT_EQ(store.Begin("k", "d1", seconds(60)).outcome, Outcome::kFirst);
  EXPECT_EQ(store.Begin("k", "d1", seconds(60)).outcome, Outcome::kInFlight);
  EXPECT_EQ(store.Begin("k", "d2", seconds(60)).outcome, Outcome::kReused);
  store.Complete("k", {200, "", "application/json", "{}"});
  auto claim = store.Begin("k", "d1", seconds(60));
  EXPECT_EQ(claim.outcome, Outcome::kReplay);
  EXPECT_EQ(claim.stored.body, "{}");
}

TEST(IdempotencyStore, AbandonedKeyRunsAgain) {
  Store store("");
  std::string error;
  ASSERT_TRUE(store.Open(error));
  store.Begin("k", "d", seconds(60));
  store.Abandon("k");
  EXPECT_EQ(store.Begin("k", "d", seconds(60)).outcome, Outcome::kFirst);
}

TEST(IdempotencyStore, ExpiredRecordIsForgotten) {
  Store store("");
  std::string error;
  ASSERT_TRUE(store.Open(error));
  store.Begin("k", "d", seconds(0));
  store.Complete("k", {200, "", "application/json", "{}"});
  EXPECT_EQ(store.Begin("k", "d", seconds(60)).outcome, Outcome::kFirst);
}

TEST(IdempotencyStore, FullStoreDropsOldestCompleted) {
  Store store("", 3);
  std::string error;
  ASSERT_TRUE(store.Open(error));
  for (int i = 0; i < 5; ++i) {
    std::string key = "k" + std::to_string(i);
    store.Begin(key, "d", seconds(60));
    store.Complete(key, {200, "", "application/json", "{}"});
  }
  EXPECT_EQ(store.size(), 3u);
  EXPECT_EQ(store.Begin("k0", "d", seconds(60)).outcome, Outcome::kFirst);
  EXPECT_EQ(store.Begin("k4", "d", seconds(60)).outcome, Outcome::kReplay);
}

TEST(IdempotencyStore, RecordsReloadFromFile) {
  std::string path = TempPath("reload.jsonl");
  {
    Store store(path);
    std::string error;
    ASSERT_TRUE(store.Open(error)) << error;
    store.Begin("k", "d", seconds(60));
    store.Complete("k", {422, "IDEMPOTENCY_KEY_REUSED", "application/problem+json", "{\"a\":1}"});
  }
  // A line cut short by a crash is skipped, not fatal.
  std::ofstream(path, std::ios::app) << R"({"key":"half","dig)";
  Store reloaded(path);
  std::string error;
  ASSERT_TRUE(reloaded.Open(error)) << error;
  auto claim = reloaded.Begin("k", "d", seconds(60));
  ASSERT_EQ(claim.outcome, Outcome::kReplay);
  EXPECT_EQ(claim.stored.status, 422);
  EXPECT_EQ(claim.stored.code, "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(claim.stored.body, "{\"a\":1}");
}

TEST(IdempotencyStore, DigestIsSha256) {
  EXPECT_EQ(Digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace modelgate::idempotency
