#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "load/connection.h"
#include "load/histogram.h"

namespace modelgate::load {

// Latency percentiles of the responses that completed in one second of the run.
struct SecondSample {
  double second = 0;  // seconds since the start, at the end of this interval
  std::uint64_t completed = 0;
  std::uint64_t errors = 0;
  double p50_micros = 0;
  double p95_micros = 0;
  double p99_micros = 0;
};

// Everything a run measured. Latency covers every request that got an HTTP response, error
// statuses included, from its intended send time to the end of the response.
struct RunStats {
  std::string mode;           // "open-loop" or "closed-loop"
  double offered_rps = 0;     // open loop: the schedule's rate; closed loop: 0
  unsigned concurrency = 0;   // closed loop: connections; open loop: 0
  double duration_s = 0;     // the scheduled duration
  double elapsed_s = 0;      // until the last response or failure, drain included
  std::uint64_t scheduled = 0;
  std::uint64_t sent = 0;
  std::uint64_t responses = 0;  // requests with any HTTP response
  std::uint64_t succeeded = 0;  // 2xx responses
  std::uint64_t late = 0;       // written 1 ms or more after their intended time
  std::uint64_t max_in_flight = 0;
  std::uint64_t connections_opened = 0;
  LatencyHistogram latency;
  std::map<std::size_t, LatencyHistogram> latency_by_batch;  // batch size to latency
  std::map<std::string, std::uint64_t> http_errors;          // problem code (or "HTTP 503")
  std::map<std::string, std::uint64_t> transport_errors;     // failure kind
  std::vector<SecondSample> series;

  std::uint64_t errors() const;
  double achieved_rps() const;  // responses per second of scheduled duration
  double success_rps() const;   // 2xx responses per second of scheduled duration
};

// Collects outcomes as they arrive; single-threaded, on the driver's io_context.
class Recorder {
 public:
  explicit Recorder(RunStats& stats) : stats_(stats) {}

  void OnSend(std::chrono::nanoseconds lateness);
  void OnDone(std::chrono::nanoseconds latency, std::size_t batch_size, const Exchange& exchange);
  // Closes the current one-second interval at `second` and appends it to the series.
  void CloseSecond(double second);
  std::uint64_t in_flight() const { return in_flight_; }

 private:
  RunStats& stats_;
  LatencyHistogram window_;
  std::uint64_t window_errors_ = 0;
  std::uint64_t in_flight_ = 0;
};

// The progress line: elapsed seconds, requests sent, responses per second in the last second,
// p95 so far and errors so far.
std::string ProgressLine(const RunStats& stats, double elapsed_s);

}  // namespace modelgate::load
