// Admission before any parsing (version, rate limit, deadline) and the hand-over of admitted
// requests to the worker pool under the concurrency limit and the deadline.
#include <boost/asio/post.hpp>
#include <charconv>
#include <cmath>

#include "service/pipeline_state.h"
#include "service/service.h"

namespace modelgate::service {
namespace {

// Reads Request-Timeout: a whole number of milliseconds above 0.
std::optional<std::chrono::milliseconds> ParseRequestTimeout(std::string_view text) {
  long long value = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(value);
}

int WholeSecondsAtLeastOne(std::chrono::milliseconds wait) {
  return std::max(1, static_cast<int>(std::ceil(static_cast<double>(wait.count()) / 1000.0)));
}

}  // namespace

std::optional<Answer> Service::Admit(const http::Request& request, const RequestContext& context,
                                     std::optional<std::chrono::milliseconds>& deadline) {
  unsigned version = request.version();
  if (retired()) {
    return Error("VERSION_RETIRED",
                 problem::WithDetail("this version reached its sunset on " +
                                     contract_.deprecation.sunset +
                                     (contract_.deprecation.successor.empty()
                                          ? std::string()
                                          : "; use " + contract_.deprecation.successor)),
                 context, version);
  }
  if (rate_limiter_) {
    auto decision = rate_limiter_->TryAdmit();
    if (!decision.admitted) {
      problem::Problem problem = problem::WithDetail(
          "the service admits " + std::to_string(static_cast<long>(rate_limiter_->limit().sustained_rps)) +
          " requests per second; retry after the Retry-After delay");
      problem.retry_after_seconds = WholeSecondsAtLeastOne(decision.retry_after);
      auto answer = Error("RATE_LIMIT", std::move(problem), context, version);
      SetRateHeaders(answer.response, decision);
      return answer;
    }
  }
  const std::string& client_header = contract_.constraints.client_header;
  auto client = request[client_header];
  if (client_limiter_ && !client.empty()) {
    auto decision = client_limiter_->TryAdmit(std::string(client));
    if (!decision.admitted) {
      problem::Problem problem = problem::WithDetail(
          "each client, told apart by " + client_header + ", may send " +
          std::to_string(static_cast<long>(client_limiter_->rps())) +
          " requests per second; retry after the Retry-After delay");
      problem.retry_after_seconds = WholeSecondsAtLeastOne(decision.retry_after);
      return Error("RATE_LIMIT", std::move(problem), context, version);
    }
  }
  deadline = contract_.constraints.timeout;
  auto header = request["Request-Timeout"];
  if (!header.empty()) {
    auto asked = ParseRequestTimeout({header.data(), header.size()});
    if (!asked) {
      problem::Problem problem = problem::WithDetail(
          "Request-Timeout must be a whole number of milliseconds above 0, got \"" +
          std::string(header) + "\"");
      problem.errors.push_back({"", "request_timeout", problem.detail});
      return Error("INVALID_INPUT", std::move(problem), context, version);
    }
    if (!deadline || *asked < *deadline) deadline = asked;
  }
  return std::nullopt;
}

void Service::SetRateHeaders(http::Response& response,
                             const admission::RateDecision& decision) const {
  const auto& limit = rate_limiter_->limit();
  // RateLimit-Policy and RateLimit as in the IETF httpapi draft: quota `q` per window `w`
  // seconds, `r` requests left, `t` seconds until the quota is available again.
  std::string policy = "\"sustained\";q=" + std::to_string(static_cast<long>(limit.sustained_rps)) +
                       ";w=1";
  if (limit.burst_rps > limit.sustained_rps && limit.burst_window.count() > 0) {
    long window = static_cast<long>(std::ceil(limit.burst_window.count() / 1000.0));
    policy += ", \"burst\";q=" + std::to_string(static_cast<long>(limit.burst_rps) * window) +
              ";w=" + std::to_string(window);
  }
  response.set("RateLimit-Policy", policy);
  long wait = decision.admitted ? 0 : WholeSecondsAtLeastOne(decision.retry_after);
  response.set("RateLimit",
               "\"sustained\";r=" + std::to_string(decision.remaining) + ";t=" + std::to_string(wait));
}

void Service::Dispatch(std::shared_ptr<PendingRequest> pending) {
  if (pending->deadline) {
    pending->timer.expires_at(*pending->deadline);
    // The timer is never cancelled: when the worker answers first, the handler finds the request
    // claimed and does nothing.
    pending->timer.async_wait([this, pending](boost::system::error_code ec) {
      if (!ec) Expire(pending);
    });
  }
  auto start = [this, pending] {
    boost::asio::post(*options_.workers, [this, pending] { Run(pending); });
  };
  if (!concurrency_) return start();
  if (concurrency_->Submit(start)) return;
  if (!pending->Claim()) return;
  problem::Problem problem = problem::WithDetail(
      std::to_string(concurrency_->max_in_flight()) +
      " requests are running and the wait queue is full; retry after the Retry-After delay");
  problem.retry_after_seconds = 1;
  Finish(Error("OVERLOADED", std::move(problem), pending->expiry_context,
               pending->request.version()),
         pending->expiry_context, pending->respond);
}

void Service::Run(const std::shared_ptr<PendingRequest>& pending, bool again) {
  if (pending->answered.load()) {
    // The deadline passed while the request waited for a slot: pass the slot on unused.
    if (concurrency_) concurrency_->Release();
    return;
  }
  pending->started = true;
  if (!again) {
    metrics_.ObserveQueueWait(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - pending->dispatched)
            .count());
  }
  simdjson::dom::element document;
  std::string key;
  auto early = Prepare(pending->request, pending->context, document, key);
  pending->batch_size = pending->context.batch_size;
  if (early && !early->in_flight_key.empty() &&
      contract_.behavior.idempotency.wait_for_first && AwaitFirst(pending, early->in_flight_key)) {
    return;
  }
  if (early) return Deliver(pending, *std::move(early));
  if (batcher_) return Enqueue(pending, document, std::move(key));
  Deliver(pending, Infer(pending->request, document, pending->context, key));
}

bool Service::AwaitFirst(const std::shared_ptr<PendingRequest>& pending, const std::string& key) {
  // The duplicate keeps its concurrency slot while it waits, and its deadline still applies.
  // When the first request ends, the duplicate runs again and finds the stored response, or runs
  // the model when the first one failed in a way a retry can fix.
  return store_->Await(key, [this, pending] {
    boost::asio::post(*options_.workers, [this, pending] { Run(pending, true); });
  });
}

void Service::Deliver(const std::shared_ptr<PendingRequest>& pending, Answer&& answer) {
  // The slot is held until the model work really ends, even when the deadline passed, so
  // expired requests never let more work run than the concurrency limit allows.
  if (concurrency_) concurrency_->Release();
  bool claimed = pending->Claim();
  RecordOutcome(answer, !claimed);
  if (!claimed) {
    metrics_.CountLateResult();
    return;
  }
  Finish(std::move(answer), pending->context, pending->respond);
  // The responder keeps a reference to the connection. Drop it so an unfired deadline timer
  // does not keep the connection alive after its answer.
  pending->respond = nullptr;
}

void Service::Expire(const std::shared_ptr<PendingRequest>& pending) {
  if (!pending->Claim()) return;
  metrics_.CountDeadlineExpiry();
  pending->expiry_context.batch_size = pending->batch_size.load();
  if (batcher_) Withdraw(pending);
  auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(
      *pending->deadline - pending->expiry_context.start);
  unsigned version = pending->request.version();
  if (!pending->started.load()) {
    problem::Problem problem = problem::WithDetail(
        "the request waited for a free slot until its deadline of " +
        std::to_string(limit.count()) + " ms; retry after the Retry-After delay");
    problem.retry_after_seconds = 1;
    return Finish(Error("OVERLOADED", std::move(problem), pending->expiry_context, version),
                  pending->expiry_context, pending->respond);
  }
  Finish(Error("TIMEOUT",
               problem::WithDetail("the request did not finish within its deadline of " +
                                   std::to_string(limit.count()) +
                                   " ms; retry with the backoff this error states"),
               pending->expiry_context, version),
         pending->expiry_context, pending->respond);
}

}  // namespace modelgate::service
