#pragma once

#include <functional>
#include <mutex>

namespace modelgate::http {

// Reports that a client closed its connection while its request was still being handled. The
// session marks it when the socket reads end of stream or an error before the response is
// sent; the application registers what to do then. A client that half-closes its side after
// sending the request counts as gone, as it does for nginx. Thread-safe.
class ClientWatch {
 public:
  // Runs `callback` once, on the thread that detects the close, or at once when the client is
  // already gone. A later call replaces an earlier callback that has not run.
  void OnGone(std::function<void()> callback) {
    std::unique_lock lock(mutex_);
    if (!gone_) {
      callback_ = std::move(callback);
      return;
    }
    lock.unlock();
    callback();
  }

  void MarkGone() {
    std::unique_lock lock(mutex_);
    if (gone_) return;
    gone_ = true;
    auto callback = std::move(callback_);
    callback_ = nullptr;
    lock.unlock();
    if (callback) callback();
  }

  // Drops the callback once the response is on its way.
  void Clear() {
    std::lock_guard lock(mutex_);
    callback_ = nullptr;
  }

 private:
  std::mutex mutex_;
  bool gone_ = false;
  std::function<void()> callback_;
};

}  // namespace modelgate::http
