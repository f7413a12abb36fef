#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace modelgate::idempotency {

// A stored answer, replayed for a repeated request.
struct StoredResponse {
  int status = 200;
  std::string code;  // contract error code, empty for success
  std::string content_type;
  std::string body;
};

enum class Outcome {
  kFirst,     // the key is new: run the request, then Complete() or Abandon()
  kReplay,    // same key and body, answered before: send `stored`
  kInFlight,  // same key and body, still running: IDEMPOTENCY_CONFLICT
  kReused,    // same key, another body: IDEMPOTENCY_KEY_REUSED
};

struct Claim {
  Outcome outcome = Outcome::kFirst;
  StoredResponse stored;
};

// Idempotency records: key, body digest and answer, kept for a window. Completed records are
// appended to a file and fsynced before Complete() returns, so a replay after a crash or a
// SIGKILL still finds them; the file is read back at start-up and rewritten without expired
// records when it holds twice as many lines as live records. Thread-safe.
class Store {
 public:
  using Clock = std::chrono::system_clock;

  // `path` empty keeps records in memory only. `max_records` bounds memory: beyond it the
  // oldest completed records are dropped first.
  explicit Store(std::string path, std::size_t max_records = 100'000);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Reads the file; returns false with `error` set when it cannot be read or written.
  bool Open(std::string& error);

  Claim Begin(const std::string& key, const std::string& digest, std::chrono::seconds window);
  void Complete(const std::string& key, StoredResponse response);
  // Forgets an in-flight record whose request failed in a way a retry can fix.
  void Abandon(const std::string& key);
  // Registers `wake` to run once the in-flight record of `key` completes or is abandoned, on
  // the thread that does so. Returns false, without registering, when the record is no longer
  // in flight.
  bool Await(const std::string& key, std::function<void()> wake);

  std::size_t size() const;

 private:
  struct Record {
    std::string digest;
    Clock::time_point expires;
    bool done = false;
    StoredResponse response;
  };
  void Append(const std::string& key, const Record& record);
  void Compact();
  void EvictIfFull(Clock::time_point now);
  // Runs and removes the waiters of `key`, after releasing `lock`.
  void Wake(const std::string& key, std::unique_lock<std::mutex>& lock);

  std::string path_;
  std::size_t max_records_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
  // Keys in the order they were first seen. The window is the same for every key, so this is
  // also the order they expire in, and eviction pops from the front.
  std::deque<std::string> order_;
  std::unordered_map<std::string, std::vector<std::function<void()>>> waiters_;
  int log_fd_ = -1;
  std::size_t log_lines_ = 0;
};

// Returns the SHA-256 of `body` as lowercase hex.
std::string Digest(std::string_view body);

}  // namespace modelgate::idempotency
