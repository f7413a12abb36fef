#include "admission/concurrency.h"

namespace modelgate::admission {

ConcurrencyLimiter::ConcurrencyLimiter(std::size_t max_in_flight, std::size_t max_queue)
    : max_in_flight_(max_in_flight == 0 ? 1 : max_in_flight), max_queue_(max_queue) {}

bool ConcurrencyLimiter::Submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (in_flight_ >= max_in_flight_) {
      if (queue_.size() >= max_queue_) return false;
      queue_.push_back(std::move(task));
      return true;
    }
    ++in_flight_;
  }
  task();
  return true;
}

void ConcurrencyLimiter::Release() {
  std::function<void()> next;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
      --in_flight_;
      return;
    }
    // The freed slot passes straight to the oldest waiter, so in_flight_ stays the same.
    next = std::move(queue_.front());
    queue_.pop_front();
  }
  next();
}

std::size_t ConcurrencyLimiter::in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_;
}

std::size_t ConcurrencyLimiter::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace modelgate::admission
