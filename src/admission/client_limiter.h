#pragma once

#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "admission/rate_limiter.h"

namespace modelgate::admission {

// One sustained-rate bucket per client, keyed by the client's API key. The most recently seen
// `max_clients` keys keep their buckets; an older key starts again with a full bucket.
// Thread-safe.
class ClientLimiter {
 public:
  ClientLimiter(double rps, std::size_t max_clients = 10'000);

  RateDecision TryAdmit(const std::string& client,
                        RateLimiter::Clock::time_point now = RateLimiter::Clock::now());
  double rps() const { return rps_; }

 private:
  struct Entry {
    std::unique_ptr<RateLimiter> limiter;
    std::list<std::string>::iterator recency;
  };

  const double rps_;
  const std::size_t max_clients_;
  std::mutex mutex_;
  std::list<std::string> recency_;  // most recent first
  std::unordered_map<std::string, Entry> clients_;
};

}  // namespace modelgate::admission
