#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <optional>

#include "http/server.h"
#include "service/request_context.h"

namespace modelgate::service {

// A request handed to the worker pool. The worker that finishes it and the deadline timer race
// to answer; Claim() lets exactly one of them send, and the loser only counts.
struct PendingRequest {
  PendingRequest(http::Request&& request, RequestContext&& context, http::Responder respond,
                 boost::asio::thread_pool& workers)
      : request(std::move(request)),
        context(std::move(context)),
        respond(std::move(respond)),
        timer(workers.get_executor()) {
    // The timer answers from this copy, because the worker adds log fields to `context`.
    expiry_context.request_id = this->context.request_id;
    expiry_context.traceparent = this->context.traceparent;
    expiry_context.start = this->context.start;
  }

  bool Claim() { return !answered.exchange(true); }

  http::Request request;
  RequestContext context;
  RequestContext expiry_context;
  http::Responder respond;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::chrono::steady_clock::time_point dispatched = std::chrono::steady_clock::now();
  boost::asio::steady_timer timer;
  std::atomic<bool> answered{false};
  std::atomic<bool> started{false};  // the model work began, so expiry is TIMEOUT, not OVERLOADED
  std::atomic<std::size_t> batch_size{0};  // published once the body is decoded
  // Set before the request enters the batcher; `batch_group` and `idempotency_key` are written
  // before `queued` and read only after it.
  std::atomic<bool> queued{false};
  std::string batch_group;
  std::string idempotency_key;
};

}  // namespace modelgate::service
