#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace modelgate::admission {

// Bounds the requests whose model work runs at once. A request beyond the limit waits in a
// bounded first-in, first-out queue; the caller's deadline decides how long it may wait there.
// Thread-safe.
class ConcurrencyLimiter {
 public:
  ConcurrencyLimiter(std::size_t max_in_flight, std::size_t max_queue);

  // Runs `task` at once when a slot is free, else queues it. Returns false, without running or
  // keeping `task`, when the queue is full. Every started task must call Release() exactly once.
  bool Submit(std::function<void()> task);
  // Frees the caller's slot and starts the oldest queued task in it.
  void Release();

  std::size_t in_flight() const;
  std::size_t queued() const;
  std::size_t max_in_flight() const { return max_in_flight_; }

 private:
  const std::size_t max_in_flight_;
  const std::size_t max_queue_;
  mutable std::mutex mutex_;
  std::size_t in_flight_ = 0;
  std::deque<std::function<void()>> queue_;
};

}  // namespace modelgate::admission
