#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace modelgate::admission {

// The admitted envelope: `sustained_rps` for ever, and up to `burst_rps` for at most
// `burst_window` after a quiet period.
struct RateLimit {
  double sustained_rps = 0;
  double burst_rps = 0;  // 0 or below sustained_rps: no burst above the sustained rate
  std::chrono::milliseconds burst_window{0};
};

// The limiter's decision for one request, with the values the RateLimit headers report.
struct RateDecision {
  bool admitted = false;
  std::chrono::milliseconds retry_after{0};  // when a request would be admitted again
  long remaining = 0;                        // requests admissible right now
  std::chrono::milliseconds reset{0};        // until the sustained bucket is full again
};

// Token buckets checked together. The sustained bucket fills at `sustained_rps` and contains one
// second of sustained traffic plus (burst_rps - sustained_rps) x burst_window, so a full bucket
// pays for a burst at burst_rps for the whole window. When a burst is declared, a second bucket
// fills at `burst_rps` and holds one second of it, which caps the rate during the burst. A
// request is admitted when every bucket holds a token, and then takes one from each.
// Thread-safe.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(RateLimit limit, Clock::time_point now = Clock::now());

  RateDecision TryAdmit(Clock::time_point now = Clock::now());
  const RateLimit& limit() const { return limit_; }

 private:
  struct Bucket {
    double rate = 0;      // tokens per second
    double capacity = 0;  // tokens
    double tokens = 0;
    void Refill(double seconds);
    double SecondsUntil(double wanted) const;
  };

  RateLimit limit_;
  std::mutex mutex_;
  Clock::time_point last_;
  Bucket sustained_;
  std::optional<Bucket> burst_;
};

}  // namespace modelgate::admission
