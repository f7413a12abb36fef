#include "admission/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace modelgate::admission {

void RateLimiter::Bucket::Refill(double seconds) {
  tokens = std::min(capacity, tokens + rate * seconds);
}

double RateLimiter::Bucket::SecondsUntil(double wanted) const {
  return tokens >= wanted ? 0.0 : (wanted - tokens) / rate;
}

RateLimiter::RateLimiter(RateLimit limit, Clock::time_point now) : limit_(limit), last_(now) {
  double window_s = std::chrono::duration<double>(limit_.burst_window).count();
  double extra = std::max(0.0, limit_.burst_rps - limit_.sustained_rps);
  sustained_.rate = limit_.sustained_rps;
  sustained_.capacity = std::max(1.0, limit_.sustained_rps + extra * window_s);
  sustained_.tokens = sustained_.capacity;
  if (extra > 0 && window_s > 0) {
    double peak = limit_.burst_rps;
    burst_ = Bucket{peak, std::max(1.0, peak), std::max(1.0, peak)};
  }
}

RateDecision RateLimiter::TryAdmit(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  double elapsed = std::max(0.0, std::chrono::duration<double>(now - last_).count());
  last_ = std::max(last_, now);
  sustained_.Refill(elapsed);
  if (burst_) burst_->Refill(elapsed);
  bool burst_ok = !burst_ || burst_->tokens >= 1.0;
  RateDecision decision;
  if (sustained_.tokens >= 1.0 && burst_ok) {
    sustained_.tokens -= 1.0;
    if (burst_) burst_->tokens -= 1.0;
    decision.admitted = true;
  } else {
    double wait = sustained_.SecondsUntil(1.0);
    if (burst_) wait = std::max(wait, burst_->SecondsUntil(1.0));
    decision.retry_after = std::chrono::milliseconds(static_cast<long>(std::ceil(wait * 1000)));
  }
  double left = burst_ ? std::min(sustained_.tokens, burst_->tokens) : sustained_.tokens;
  decision.remaining = static_cast<long>(std::floor(left));
  double to_full = (sustained_.capacity - sustained_.tokens) / sustained_.rate;
  decision.reset = std::chrono::milliseconds(static_cast<long>(std::ceil(to_full * 1000)));
  return decision;
}

}  // namespace modelgate::admission
