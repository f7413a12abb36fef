#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace modelgate::batching {

// Coalesces entries of the same group into batches of at most `max_rows` rows. A batch closes
// when the next entry would not fit, when it reaches `max_rows`, or when `max_delay` has passed
// since its first entry arrived. A timer closes it in the last case, so a quiet queue never
// waits for another arrival. An entry larger than `max_rows` forms a batch of its own. Entries of different groups
// (requests whose parameters differ) are never merged. `flush` receives each closed batch, on
// the thread that closed it and outside the lock; it must not block. Thread-safe.
template <class Entry>
class Batcher {
 public:
  using Flush = std::function<void(std::vector<Entry> batch, std::size_t rows)>;

  Batcher(boost::asio::any_io_executor executor, std::size_t max_rows,
          std::chrono::milliseconds max_delay, Flush flush)
      : executor_(std::move(executor)),
        max_rows_(std::max<std::size_t>(1, max_rows)),
        max_delay_(max_delay),
        flush_(std::move(flush)) {}

  void Add(const std::string& group, std::size_t rows, Entry entry) {
    std::vector<Closed> closed;
    {
      std::lock_guard lock(mutex_);
      Open& batch = open_[group];
      if (!batch.entries.empty() && batch.rows + rows > max_rows_) closed.push_back(Take(batch));
      if (batch.entries.empty()) StartTimer(group, batch);
      batch.entries.emplace_back(std::move(entry), rows);
      batch.rows += rows;
      if (batch.rows >= max_rows_) closed.push_back(Take(batch));
      if (batch.entries.empty()) open_.erase(group);
    }
    for (auto& [entries, total] : closed) flush_(std::move(entries), total);
  }

  // Takes `entry` out of its open batch, for a request that timed out or whose client left.
  // Returns false when the entry is no longer waiting (its batch already closed).
  bool Remove(const std::string& group, const Entry& entry) {
    std::lock_guard lock(mutex_);
    auto found = open_.find(group);
    if (found == open_.end()) return false;
    Open& batch = found->second;
    auto it = std::find_if(batch.entries.begin(), batch.entries.end(),
                           [&](const auto& item) { return item.first == entry; });
    if (it == batch.entries.end()) return false;
    batch.rows -= it->second;
    batch.entries.erase(it);
    if (batch.entries.empty()) {
      batch.timer->cancel();
      open_.erase(found);
    }
    return true;
  }

  // Entries waiting in open batches.
  std::size_t waiting() const {
    std::lock_guard lock(mutex_);
    std::size_t count = 0;
    for (const auto& [group, batch] : open_) count += batch.entries.size();
    return count;
  }

 private:
  struct Open {
    std::vector<std::pair<Entry, std::size_t>> entries;  // entry and its rows
    std::size_t rows = 0;
    std::shared_ptr<boost::asio::steady_timer> timer;
    std::uint64_t generation = 0;  // distinguishes a stale timer from the current batch's
  };
  using Closed = std::pair<std::vector<Entry>, std::size_t>;

  Closed Take(Open& batch) {
    batch.timer->cancel();
    Closed closed{{}, batch.rows};
    closed.first.reserve(batch.entries.size());
    for (auto& [entry, rows] : batch.entries) closed.first.push_back(std::move(entry));
    batch.entries.clear();
    batch.rows = 0;
    return closed;
  }

  void StartTimer(const std::string& group, Open& batch) {
    batch.timer = std::make_shared<boost::asio::steady_timer>(executor_, max_delay_);
    std::uint64_t generation = ++next_generation_;
    batch.generation = generation;
    batch.timer->async_wait([this, group, generation](boost::system::error_code ec) {
      if (!ec) OnTimer(group, generation);
    });
  }

  void OnTimer(const std::string& group, std::uint64_t generation) {
    Closed closed;
    {
      std::lock_guard lock(mutex_);
      auto found = open_.find(group);
      if (found == open_.end() || found->second.generation != generation) return;
      closed = Take(found->second);
      open_.erase(found);
    }
    flush_(std::move(closed.first), closed.second);
  }

  boost::asio::any_io_executor executor_;
  std::size_t max_rows_;
  std::chrono::milliseconds max_delay_;
  Flush flush_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Open> open_;
  std::uint64_t next_generation_ = 0;
};

}  // namespace modelgate::batching
