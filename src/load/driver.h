#pragma once

#include <absl/status/statusor.h>

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <ostream>
#include <string>

#include "client/url.h"
#include "load/bodies.h"
#include "load/stats.h"

namespace modelgate::load {

struct DriverSettings {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host;  // value of the Host header
  std::string path;  // request target
  // Open loop when rate > 0: requests leave on a fixed schedule of `rate` per second.
  double rate = 0;
  // Closed loop when concurrency > 0: each of `concurrency` connections sends its next request
  // when the previous one returns.
  unsigned concurrency = 0;
  std::chrono::nanoseconds duration{std::chrono::seconds(10)};
  unsigned max_connections = 64;  // open loop: size the pool may grow to
  std::chrono::milliseconds timeout{10'000};
  std::ostream* progress = nullptr;  // receives one progress line per second when set
  bool progress_overwrites = false;  // rewrite one terminal line instead of appending lines
};

// Runs one load phase and returns what it measured.
//
// Open loop: request i has the intended send time start + i / rate, and its latency counts from
// then. Time spent waiting for a free connection, or behind a stalled server, is part of the
// latency. A request still waiting for a connection after the timeout is not sent and counts as
// the transport error "queue_timeout".
//
// The run stops by itself after the schedule (or the duration in closed loop) and the last
// response, and at the latest at the duration plus the timeout plus one second.
//
// NOTE: one thread makes bodies, writes requests and reads responses. When that thread is busy,
// requests leave late (counted in `late`), and the open-loop latency includes the delay.
RunStats Run(const DriverSettings& settings, BodySource& bodies);

// Resolves the URL's host to one endpoint.
absl::StatusOr<boost::asio::ip::tcp::endpoint> ResolveTarget(const client::Url& url);

// Opens and closes one connection, so an unreachable target is reported before the run starts.
absl::Status ProbeTarget(const boost::asio::ip::tcp::endpoint& endpoint,
                         const std::string& authority, std::chrono::milliseconds timeout);

}  // namespace modelgate::load
