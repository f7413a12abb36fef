#pragma once

#include <chrono>
#include <mutex>

namespace modelgate::admission {

// Stops calling a failing model. Closed, it counts model failures (MODEL_ERROR and TIMEOUT)
// and successes over a sliding window. It opens when at least `min_requests` ended in the
// window and the failure share reaches `error_rate`. Open, it rejects every request for one window,
// then half-opens: one probe request goes through, and its result closes or reopens it.
// Thread-safe.
class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State { kClosed = 0, kOpen = 1, kHalfOpen = 2 };

  CircuitBreaker(double error_rate, std::chrono::milliseconds window,
                 unsigned min_requests = 10);

  // True when a request may call the model now.
  bool Allow(Clock::time_point now = Clock::now());
  void Record(bool failure, Clock::time_point now = Clock::now());
  State state() const;

 private:
  void Roll(Clock::time_point now);

  const double error_rate_;
  const std::chrono::milliseconds window_;
  const unsigned min_requests_;
  mutable std::mutex mutex_;
  State state_ = State::kClosed;
  Clock::time_point opened_at_;
  bool probe_out_ = false;
  // Two half-window buckets approximate the sliding window: counts of the current half and of
  // the half before it.
  Clock::time_point bucket_start_;
  unsigned failures_[2] = {0, 0};
  unsigned total_[2] = {0, 0};
};

}  // namespace modelgate::admission
