#include "admission/client_limiter.h"

namespace modelgate::admission {

ClientLimiter::ClientLimiter(double rps, std::size_t max_clients)
    : rps_(rps), max_clients_(max_clients == 0 ? 1 : max_clients) {}

RateDecision ClientLimiter::TryAdmit(const std::string& client,
                                     RateLimiter::Clock::time_point now) {
  // The limiter is used under the lock, so eviction cannot free it in between.
  std::lock_guard lock(mutex_);
  auto found = clients_.find(client);
  if (found != clients_.end()) {
    recency_.splice(recency_.begin(), recency_, found->second.recency);
    return found->second.limiter->TryAdmit(now);
  }
  if (clients_.size() >= max_clients_) {
    clients_.erase(recency_.back());
    recency_.pop_back();
  }
  recency_.push_front(client);
  auto& entry = clients_[client];
  entry.limiter = std::make_unique<RateLimiter>(RateLimit{rps_, 0, {}}, now);
  entry.recency = recency_.begin();
  return entry.limiter->TryAdmit(now);
}

}  // namespace modelgate::admission
