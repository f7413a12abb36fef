#include "admission/circuit_breaker.h"

namespace modelgate::admission {

CircuitBreaker::CircuitBreaker(double error_rate, std::chrono::milliseconds window,
                               unsigned min_requests)
    : error_rate_(error_rate), window_(window), min_requests_(min_requests) {}

void CircuitBreaker::Roll(Clock::time_point now) {
  auto half = window_ / 2;
  if (now - bucket_start_ < half) return;
  if (now - bucket_start_ < 2 * half) {
    failures_[1] = failures_[0];
    total_[1] = total_[0];
  } else {
    failures_[1] = total_[1] = 0;
  }
  failures_[0] = total_[0] = 0;
  bucket_start_ = now;
}

bool CircuitBreaker::Allow(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
      if (now - opened_at_ < window_) return false;
      state_ = State::kHalfOpen;
      probe_out_ = true;
      return true;
    case State::kHalfOpen:
      // One probe at a time; the others are rejected until it reports.
      if (probe_out_) return false;
      probe_out_ = true;
      return true;
  }
  return true;
}

void CircuitBreaker::Record(bool failure, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (state_ == State::kHalfOpen) {
    probe_out_ = false;
    if (failure) {
      state_ = State::kOpen;
      opened_at_ = now;
    } else {
      state_ = State::kClosed;
      failures_[0] = failures_[1] = total_[0] = total_[1] = 0;
      bucket_start_ = now;
    }
    return;
  }
  if (state_ == State::kOpen) return;
  Roll(now);
  ++total_[0];
  failures_[0] += failure;
  unsigned total = total_[0] + total_[1];
  unsigned failures = failures_[0] + failures_[1];
  if (total >= min_requests_ && failures >= error_rate_ * total) {
    state_ = State::kOpen;
    opened_at_ = now;
  }
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

}  // namespace modelgate::admission
