#include "idempotency/store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "json/writer.h"

namespace modelgate::idempotency {
namespace {

std::int64_t EpochSeconds(Store::Clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
}

std::string RecordLine(const std::string& key, const std::string& digest,
                       Store::Clock::time_point expires, const StoredResponse& response) {
  std::string line;
  json::Writer writer(line);
  writer.BeginObject();
  writer.Member("key", key);
  writer.Member("digest", digest);
  writer.Member("expires", EpochSeconds(expires));
  writer.Member("status", response.status);
  writer.Member("code", response.code);
  writer.Member("content_type", response.content_type);
  writer.Member("body", response.body);
  writer.EndObject();
  line += '\n';
  return line;
}

bool WriteAll(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t count = ::write(fd, text.data() + written, text.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    written += static_cast<std::size_t>(count);
  }
  return true;
}

}  // namespace

std::string Digest(std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(body.data(), body.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 15];
  }
  return hex;
}

Store::Store(std::string path, std::size_t max_records)
    : path_(std::move(path)), max_records_(max_records) {}

Store::~Store() {
  if (log_fd_ >= 0) ::close(log_fd_);
}

bool Store::Open(std::string& error) {
  if (path_.empty()) return true;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  std::ifstream input(path_);
  simdjson::dom::parser parser;
  auto now = Clock::now();
  std::string line;
  std::size_t skipped = 0;
  while (std::getline(input, line)) {
    ++log_lines_;
    simdjson::dom::element record;
    std::string_view key, digest, code, content_type, body;
    std::int64_t expires = 0, status = 0;
    // A line cut short by a crash fails to parse and is skipped; every whole line is a record.
    if (parser.parse(line).get(record) != simdjson::SUCCESS ||
        record["key"].get(key) != simdjson::SUCCESS ||
        record["digest"].get(digest) != simdjson::SUCCESS ||
        record["expires"].get(expires) != simdjson::SUCCESS ||
        record["status"].get(status) != simdjson::SUCCESS ||
        record["code"].get(code) != simdjson::SUCCESS ||
        record["content_type"].get(content_type) != simdjson::SUCCESS ||
        record["body"].get(body) != simdjson::SUCCESS) {
      ++skipped;
      continue;
    }
    Clock::time_point expiry{std::chrono::seconds(expires)};
    if (expiry <= now) continue;
    order_.emplace_back(key);
    records_[std::string(key)] = Record{std::string(digest), expiry, true,
                                        {static_cast<int>(status), std::string(code),
                                         std::string(content_type), std::string(body)}};
  }
  if (skipped > 0) spdlog::warn("idempotency store {}: skipped {} damaged lines", path_, skipped);
  log_fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd_ < 0) {
    error = "cannot open the idempotency store " + path_ + ": " + std::strerror(errno);
    return false;
  }
  if (log_lines_ > 2 * records_.size() + 1000) Compact();
  return true;
}

Claim Store::Begin(const std::string& key, const std::string& digest,
                   std::chrono::seconds window) {
  std::lock_guard lock(mutex_);
  auto now = Clock::now();
  auto found = records_.find(key);
  if (found != records_.end() && found->second.expires <= now) {
    records_.erase(found);
    found = records_.end();
  }
  if (found == records_.end()) {
    EvictIfFull(now);
    records_[key] = Record{digest, now + window, false, {}};
    order_.push_back(key);
    return {Outcome::kFirst, {}};
  }
  const Record& record = found->second;
  if (record.digest != digest) return {Outcome::kReused, {}};
  if (!record.done) return {Outcome::kInFlight, {}};
  return {Outcome::kReplay, record.response};
}

void Store::Complete(const std::string& key, StoredResponse response) {
  std::unique_lock lock(mutex_);
  auto found = records_.find(key);
  if (found == records_.end()) return;
  found->second.done = true;
  found->second.response = std::move(response);
  Append(key, found->second);
  if (log_lines_ > 2 * records_.size() + 1000) Compact();
  Wake(key, lock);
}

void Store::Abandon(const std::string& key) {
  std::unique_lock lock(mutex_);
  auto found = records_.find(key);
  if (found != records_.end() && !found->second.done) records_.erase(found);
  Wake(key, lock);
}

bool Store::Await(const std::string& key, std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  auto found = records_.find(key);
  if (found == records_.end() || found->second.done) return false;
  waiters_[key].push_back(std::move(wake));
  return true;
}

void Store::Wake(const std::string& key, std::unique_lock<std::mutex>& lock) {
  auto found = waiters_.find(key);
  if (found == waiters_.end()) return;
  auto waiters = std::move(found->second);
  waiters_.erase(found);
  lock.unlock();
  for (auto& wake : waiters) wake();
}

std::size_t Store::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

void Store::Append(const std::string& key, const Record& record) {
  if (log_fd_ < 0) return;
  // Written and fsynced before the answer leaves, so an acknowledged answer survives a crash.
  if (!WriteAll(log_fd_, RecordLine(key, record.digest, record.expires, record.response)) ||
      ::fdatasync(log_fd_) != 0) {
    spdlog::error("idempotency store {}: write failed: {}", path_, std::strerror(errno));
  }
  ++log_lines_;
}

void Store::Compact() {
  std::string temporary = path_ + ".compact";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  std::size_t lines = 0;
  bool ok = true;
  for (const auto& [key, record] : records_) {
    if (!record.done) continue;
    ok = ok && WriteAll(fd, RecordLine(key, record.digest, record.expires, record.response));
    ++lines;
  }
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  // The rename replaces the old file atomically, so a crash leaves one whole file or the other.
  if (!ok || std::rename(temporary.c_str(), path_.c_str()) != 0) {
    spdlog::error("idempotency store {}: compaction failed", path_);
    return;
  }
  ::close(log_fd_);
  log_fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC, 0600);
  log_lines_ = lines;
}

void Store::EvictIfFull(Clock::time_point now) {
  // Drop expired records from the front, then, while still full, the oldest completed ones.
  // Each key is popped once in its life, so the cost per request is constant on average.
  std::size_t visits = order_.size();
  while (!order_.empty() && visits-- > 0) {
    auto found = records_.find(order_.front());
    bool expired = found != records_.end() && found->second.expires <= now;
    bool full = records_.size() >= max_records_;
    if (found == records_.end() || expired || (full && found->second.done)) {
      if (found != records_.end()) records_.erase(found);
      order_.pop_front();
      continue;
    }
    if (!full) break;
    // A request still in flight keeps its record; look past it.
    order_.push_back(std::move(order_.front()));
    order_.pop_front();
  }
}

}  // namespace modelgate::idempotency
