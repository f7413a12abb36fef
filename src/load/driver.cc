#include "load/driver.h"

#include <absl/strings/str_cat.h>

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <deque>
#include <memory>
#include <vector>

namespace modelgate::load {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using asio::ip::tcp;

namespace {

// The request line and the header fields that every request of a run shares. HTTP/1.1
// connections stay open unless a side sends "Connection: close", so no Connection field is sent.
std::string RequestHead(const DriverSettings& settings) {
  return absl::StrCat("POST ", settings.path, " HTTP/1.1\r\nHost: ", settings.host,
                      "\r\nUser-Agent: modelgate-load\r\nContent-Type: application/json\r\n");
}

struct Pending {
  std::uint64_t index = 0;
  Clock::time_point intended;
};

// One run on a single-threaded io_context: the schedule, the connection pool and the queue of
// requests that found no free connection.
class LoadRun {
 public:
  LoadRun(const DriverSettings& settings, BodySource& bodies)
      : settings_(settings),
        bodies_(bodies),
        recorder_(stats_),
        schedule_timer_(io_),
        second_timer_(io_),
        deadline_timer_(io_),
        request_head_(RequestHead(settings)) {}

  RunStats Run();

 private:
  bool open_loop() const { return settings_.rate > 0; }
  Clock::time_point IntendedTime(std::uint64_t index) const;
  void ScheduleNext();
  void DispatchDue();
  void Dispatch(Pending pending);
  Connection* TakeConnection();
  Connection* AddConnection();
  void SendOn(Connection* connection, Pending pending);
  void Release(Connection* connection);
  void MaybeFinish();
  void Finish();
  void TickSecond(int second);
  void AbortAtDeadline();
  std::string MakeRequest(const OutgoingBody& body) const;

  const DriverSettings& settings_;
  BodySource& bodies_;
  RunStats stats_;
  Recorder recorder_;
  asio::io_context io_;
  asio::steady_timer schedule_timer_;
  asio::steady_timer second_timer_;
  asio::steady_timer deadline_timer_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> idle_;
  std::deque<Pending> waiting_;
  std::uint64_t next_index_ = 0;
  Clock::time_point start_;
  Clock::time_point end_;
  bool finished_ = false;
  std::string request_head_;
};

Clock::time_point LoadRun::IntendedTime(std::uint64_t index) const {
  auto offset = std::chrono::duration<double>(static_cast<double>(index) / settings_.rate);
  return start_ + std::chrono::duration_cast<Clock::duration>(offset);
}

RunStats LoadRun::Run() {
  double seconds = std::chrono::duration<double>(settings_.duration).count();
  stats_.duration_s = seconds;
  start_ = Clock::now();
  end_ = start_ + settings_.duration;
  if (open_loop()) {
    stats_.mode = "open-loop";
    stats_.offered_rps = settings_.rate;
    stats_.scheduled = static_cast<std::uint64_t>(std::llround(settings_.rate * seconds));
    ScheduleNext();
  } else {
    stats_.mode = "closed-loop";
    stats_.concurrency = settings_.concurrency;
    for (unsigned i = 0; i < settings_.concurrency; ++i) {
      SendOn(AddConnection(), Pending{next_index_++, Clock::now()});
    }
  }
  TickSecond(1);
  deadline_timer_.expires_at(end_ + settings_.timeout + std::chrono::seconds(1));
  deadline_timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) AbortAtDeadline();
  });
  io_.run();
  if (!open_loop()) stats_.scheduled = stats_.sent;
  stats_.elapsed_s = std::chrono::duration<double>(Clock::now() - start_).count();
  for (const auto& connection : connections_) stats_.connections_opened += connection->connects();
  return std::move(stats_);
}

void LoadRun::ScheduleNext() {
  if (next_index_ >= stats_.scheduled) return MaybeFinish();
  schedule_timer_.expires_at(IntendedTime(next_index_));
  schedule_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    DispatchDue();
    ScheduleNext();
  });
}

void LoadRun::DispatchDue() {
  Clock::time_point now = Clock::now();
  while (next_index_ < stats_.scheduled && IntendedTime(next_index_) <= now) {
    Dispatch(Pending{next_index_, IntendedTime(next_index_)});
    ++next_index_;
  }
}

void LoadRun::Dispatch(Pending pending) {
  if (Connection* connection = TakeConnection()) return SendOn(connection, pending);
  waiting_.push_back(pending);
}

Connection* LoadRun::TakeConnection() {
  if (!idle_.empty()) {
    Connection* connection = idle_.back();
    idle_.pop_back();
    return connection;
  }
  if (connections_.size() < settings_.max_connections) return AddConnection();
  return nullptr;
}

Connection* LoadRun::AddConnection() {
  connections_.push_back(std::make_unique<Connection>(io_, settings_.endpoint));
  return connections_.back().get();
}

void LoadRun::SendOn(Connection* connection, Pending pending) {
  OutgoingBody body = bodies_.Next(pending.index);
  std::size_t batch_size = body.batch_size;
  // A closed loop measures from the write, as wrk does, so making the body is not latency.
  if (!open_loop()) pending.intended = Clock::now();
  auto waited = Clock::now() - pending.intended;
  recorder_.OnSend(waited);
  // The timeout counts from the intended send time, so queueing for a connection uses it up.
  auto remaining = std::max<std::chrono::nanoseconds>(settings_.timeout - waited,
                                                      std::chrono::milliseconds(1));
  connection->Send(MakeRequest(body), remaining,
                   [this, connection, pending, batch_size](Exchange exchange) {
                     recorder_.OnDone(Clock::now() - pending.intended, batch_size, exchange);
                     Release(connection);
                   });
}

void LoadRun::Release(Connection* connection) {
  Clock::time_point now = Clock::now();
  while (!waiting_.empty() && !finished_) {
    Pending pending = waiting_.front();
    waiting_.pop_front();
    if (now - pending.intended <= settings_.timeout) return SendOn(connection, pending);
    ++stats_.transport_errors["queue_timeout"];
  }
  if (!open_loop() && now < end_ && !finished_) {
    return SendOn(connection, Pending{next_index_++, now});
  }
  idle_.push_back(connection);
  MaybeFinish();
}

void LoadRun::MaybeFinish() {
  bool all_scheduled = open_loop() ? next_index_ >= stats_.scheduled : Clock::now() >= end_;
  if (all_scheduled && waiting_.empty() && recorder_.in_flight() == 0) Finish();
}

void LoadRun::Finish() {
  if (finished_) return;
  finished_ = true;
  schedule_timer_.cancel();
  second_timer_.cancel();
  deadline_timer_.cancel();
  double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  recorder_.CloseSecond(elapsed);
  for (auto& connection : connections_) connection->Close();
  if (settings_.progress) {
    *settings_.progress << (settings_.progress_overwrites ? "\r" : "")
                        << ProgressLine(stats_, elapsed) << "\n";
  }
}

void LoadRun::TickSecond(int second) {
  second_timer_.expires_at(start_ + std::chrono::seconds(second));
  second_timer_.async_wait([this, second](const boost::system::error_code& error) {
    if (error || finished_) return;
    recorder_.CloseSecond(second);
    if (settings_.progress) {
      if (settings_.progress_overwrites) {
        *settings_.progress << "\r" << ProgressLine(stats_, second) << "\x1b[K" << std::flush;
      } else {
        *settings_.progress << ProgressLine(stats_, second) << std::endl;
      }
    }
    TickSecond(second + 1);
  });
}

void LoadRun::AbortAtDeadline() {
  // Requests never sent are counted here; the ones in flight complete with "aborted".
  stats_.transport_errors["not_sent"] += waiting_.size();
  if (open_loop() && next_index_ < stats_.scheduled) {
    stats_.transport_errors["not_sent"] += stats_.scheduled - next_index_;
  }
  waiting_.clear();
  next_index_ = open_loop() ? stats_.scheduled : next_index_;
  schedule_timer_.cancel();
  Finish();
}

// Writes the request into one string, which costs less per request than Beast's serializer.
std::string LoadRun::MakeRequest(const OutgoingBody& body) const {
  std::string request;
  request.reserve(request_head_.size() + bodies_.key_header().size() + body.key.size() +
                  body.BodySize() + 64);
  request.append(request_head_);
  if (std::string_view key = body.HeaderKey(); !key.empty()) {
    request.append(bodies_.key_header()).append(": ").append(key).append("\r\n");
  }
  absl::StrAppend(&request, "Content-Length: ", body.BodySize(), "\r\n\r\n");
  body.AppendBody(request);
  return request;
}

}  // namespace

RunStats Run(const DriverSettings& settings, BodySource& bodies) {
  LoadRun run(settings, bodies);
  return run.Run();
}

absl::StatusOr<tcp::endpoint> ResolveTarget(const client::Url& url) {
  asio::io_context io;
  tcp::resolver resolver(io);
  boost::system::error_code error;
  auto results = resolver.resolve(url.host, std::to_string(url.port), error);
  if (error || results.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("failed to resolve host '", url.host,
                                                   "' of --target: ", error.message()));
  }
  return results.begin()->endpoint();
}

absl::Status ProbeTarget(const tcp::endpoint& endpoint, const std::string& authority,
                         std::chrono::milliseconds timeout) {
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code result = asio::error::would_block;
  socket.async_connect(endpoint, [&result](const boost::system::error_code& error) {
    result = error;
  });
  io.run_for(timeout);
  if (result == asio::error::would_block) {
    return absl::DeadlineExceededError(absl::StrCat("connecting to ", authority, " timed out after ",
                                                    timeout.count(),
                                                    " ms; check --target and that the server "
                                                    "runs and accepts connections"));
  }
  if (result) {
    return absl::UnavailableError(absl::StrCat("failed to connect to ", authority, ": ",
                                               result.message(),
                                               "; check --target and that the server runs"));
  }
  return absl::OkStatus();
}

}  // namespace modelgate::load
