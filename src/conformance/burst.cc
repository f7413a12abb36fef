// The "burst" group: a short burst above the declared rate must be throttled with RATE_LIMIT.
#include <absl/strings/str_format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

#include "conformance/session.h"

namespace modelgate::conformance {
namespace {

using Clock = std::chrono::steady_clock;

// The rate envelope as modelgate's limiter (src/admission/rate_limiter.h) enforces it. A
// sustained bucket contains one second of throughput plus (burst - throughput) x window, and with
// a burst declared, a second bucket contains one second of the burst rate. Admitted(t) is the
// maximum number of requests that full buckets admit in t seconds.
struct Envelope {
  double sustained_capacity = 0;
  double sustained_rate = 0;
  double burst_capacity = 0;  // 0 when no burst is declared
  double burst_rate = 0;

  explicit Envelope(const contract::Constraints& constraints) {
    double rate = *constraints.throughput_rps;
    double burst = constraints.burst_rps.value_or(0);
    double window = constraints.burst_window ? constraints.burst_window->count() / 1000.0 : 0;
    double extra = std::max(0.0, burst - rate);
    sustained_rate = rate;
    sustained_capacity = std::max(1.0, rate + extra * window);
    if (extra > 0 && window > 0) {
      burst_rate = burst;
      burst_capacity = std::max(1.0, burst);
    }
  }

  double Admitted(double seconds) const {
    double admitted = sustained_capacity + sustained_rate * seconds;
    if (burst_capacity > 0) admitted = std::min(admitted, burst_capacity + burst_rate * seconds);
    return admitted;
  }
};

// The state the burst's threads share: the count sent, and the first throttled exchange.
struct BurstState {
  std::atomic<long> sent{0};
  std::atomic<bool> throttled{false};
  std::mutex mutex;
  std::optional<CheckResult> first_throttled;
  std::optional<CheckResult> first_failure;
};

void SendBurst(Session& session, const client::HttpRequest& request, long max_requests,
               Clock::time_point deadline, BurstState& state) {
  client::HttpClient client(session.target, session.options.timeout);
  auto target_request = request;
  target_request.target = session.target.Target(request.target);
  while (!state.throttled && Clock::now() < deadline && state.sent++ < max_requests) {
    auto response = client.Send(target_request);
    std::lock_guard lock(state.mutex);
    if (!response.ok() || (response->status != 429 && response->status >= 300)) {
      if (state.first_failure) continue;
      state.first_failure.emplace();
      state.first_failure->request = target_request;
      if (response.ok())
        state.first_failure->response = *response;
      else
        state.first_failure->messages.push_back(std::string(response.status().message()));
    } else if (response->status == 429 && !state.first_throttled) {
      state.throttled = true;
      state.first_throttled.emplace();
      state.first_throttled->request = target_request;
      state.first_throttled->response = *response;
    }
  }
}

}  // namespace

void RunBurst(Session& session) {
  const char* name = "burst/rate-limit";
  const auto& constraints = session.contract.constraints;
  if (!constraints.throughput_rps || *constraints.throughput_rps <= 0) {
    return session.Skip(name, "the contract declares no throughput_rps");
  }
  Envelope envelope(constraints);
  double limit_s = session.options.burst_time_limit.count() / 1000.0;
  int connections = std::max(1, session.options.burst_connections);
  // Enough requests to exceed the envelope even if they took the whole time limit.
  long max_requests = static_cast<long>(std::ceil(envelope.Admitted(limit_s))) + connections + 1;

  // One body for every request, so that with idempotency declared the admitted ones are cheap
  // replays.
  auto request = session.factory.Fresh(session.factory.baseline());
  BurstState state;
  auto start = Clock::now();
  auto deadline = start + session.options.burst_time_limit;
  std::vector<std::thread> threads;
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&] { SendBurst(session, request, max_requests, deadline, state); });
  }
  for (auto& thread : threads) thread.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  long sent = std::min(state.sent.load(), max_requests);
  std::string detail = absl::StrFormat(
      "sent %d requests on %d connections in %.2f s; the declared envelope admits %.0f", sent,
      connections, elapsed, envelope.Admitted(elapsed));

  if (state.first_throttled) {
    CheckResult result = *std::move(state.first_throttled);
    result.name = name;
    result.detail = detail;
    const auto* rate_limit = session.contract.FindError("RATE_LIMIT");
    auto messages = session.checker.CheckProblem(*rate_limit, "", *result.response);
    return session.Record(std::move(result), std::move(messages));
  }
  if (state.first_failure) {
    CheckResult result = *std::move(state.first_failure);
    result.name = name;
    result.detail = detail;
    return session.Record(std::move(result), {"a request of the burst failed other than with 429"});
  }
  // In-flight requests on each connection may have been admitted before the limiter saw them.
  if (sent <= envelope.Admitted(elapsed) + connections) {
    return session.Skip(name, detail +
                                  "; the target responded too slowly to exceed the rate, "
                                  "so the limit was not probed");
  }
  CheckResult result;
  result.name = name;
  result.request = request;
  result.detail = detail;
  session.Record(std::move(result), {detail + ", and none was throttled with 429"});
}

}  // namespace modelgate::conformance
