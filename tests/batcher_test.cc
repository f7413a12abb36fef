#include "batching/batcher.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <mutex>
#include <thread>

namespace modelgate::batching {
namespace {

struct Flushed {
  std::vector<int> entries;
  std::size_t rows = 0;
};

// A batcher whose timers run on a thread of its own and whose closed batches are recorded.
class BatcherTest : public ::testing::Test {
 protected:
  BatcherTest() : guard_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~BatcherTest() override {
    guard_.reset();
    io_.stop();
    thread_.join();
  }

  std::unique_ptr<Batcher<int>> Make(std::size_t max_rows, std::chrono::milliseconds delay) {
    return std::make_unique<Batcher<int>>(io_.get_executor(), max_rows, delay,
                                          [this](std::vector<int> entries, std::size_t rows) {
                                            std::lock_guard lock(mutex_);
                                            flushed_.push_back({std::move(entries), rows});
                                          });
  }

  std::vector<Flushed> flushed() {
    std::lock_guard lock(mutex_);
    return flushed_;
  }

  // Waits until `count` batches closed, for at most five seconds.
  bool AwaitFlushes(std::size_t count) {
    for (int i = 0; i < 500 && flushed().size() < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return flushed().size() >= count;
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Flushed> flushed_;
};

const auto kLong = std::chrono::hours(1);

TEST_F(BatcherTest, ClosesWhenFull) {
  auto batcher = Make(4, kLong);
  for (int i = 0; i < 4; ++i) batcher->Add("", 1, i);
  ASSERT_EQ(flushed().size(), 1u);
  EXPECT_EQ(flushed()[0].entries, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(flushed()[0].rows, 4u);
  EXPECT_EQ(batcher->waiting(), 0u);
}

TEST_F(BatcherTest, EntryThatDoesNotFitStartsNextBatch) {
  auto batcher = Make(4, kLong);
  batcher->Add("", 3, 1);
  batcher->Add("", 2, 2);  // 3 + 2 > 4: the first batch closes with 3 rows
  ASSERT_EQ(flushed().size(), 1u);
  EXPECT_EQ(flushed()[0].entries, std::vector<int>{1});
  EXPECT_EQ(flushed()[0].rows, 3u);
  EXPECT_EQ(batcher->waiting(), 1u);
}

TEST_F(BatcherTest, OversizedEntryFormsItsOwnBatch) {
  auto batcher = Make(4, kLong);
  batcher->Add("", 9, 7);
  ASSERT_EQ(flushed().size(), 1u);
  EXPECT_EQ(flushed()[0].rows, 9u);
}

TEST_F(BatcherTest, GroupsNeverMerge) {
  auto batcher = Make(4, kLong);
  batcher->Add("normalize=true", 2, 1);
  batcher->Add("normalize=false", 2, 2);
  EXPECT_TRUE(flushed().empty());
  batcher->Add("normalize=true", 2, 3);
  ASSERT_EQ(flushed().size(), 1u);
  EXPECT_EQ(flushed()[0].entries, (std::vector<int>{1, 3}));
  EXPECT_EQ(batcher->waiting(), 1u);
}

TEST_F(BatcherTest, TimerClosesWithoutAnotherArrival) {
  auto batcher = Make(32, std::chrono::milliseconds(20));
  batcher->Add("", 1, 1);
  batcher->Add("", 1, 2);
  ASSERT_TRUE(AwaitFlushes(1));
  EXPECT_EQ(flushed()[0].entries, (std::vector<int>{1, 2}));
  EXPECT_EQ(batcher->waiting(), 0u);
}

TEST_F(BatcherTest, RemovedEntryLeavesTheBatch) {
  auto batcher = Make(3, kLong);
  batcher->Add("", 1, 1);
  batcher->Add("", 1, 2);
  EXPECT_TRUE(batcher->Remove("", 1));
  EXPECT_FALSE(batcher->Remove("", 1));
  EXPECT_FALSE(batcher->Remove("other", 2));
  batcher->Add("", 1, 3);
  EXPECT_TRUE(flushed().empty());  // 2 rows of 3: the removed entry no longer counts
  batcher->Add("", 1, 4);
  ASSERT_EQ(flushed().size(), 1u);
  EXPECT_EQ(flushed()[0].entries, (std::vector<int>{2, 3, 4}));
}

TEST_F(BatcherTest, RemovingTheLastEntryStopsTheTimer) {
  auto batcher = Make(8, std::chrono::milliseconds(20));
  batcher->Add("", 1, 1);
  EXPECT_TRUE(batcher->Remove("", 1));
  batcher->Add("", 1, 2);  // a new batch with a timer of its own
  ASSERT_TRUE(AwaitFlushes(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  ASSERT_EQ(flushed().size(), 1u);
  EXPECT_EQ(flushed()[0].entries, std::vector<int>{2});
}

}  // namespace
}  // namespace modelgate::batching
