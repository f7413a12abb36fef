#pragma once

#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "admission/circuit_breaker.h"
#include "admission/client_limiter.h"
#include "admission/concurrency.h"
#include "admission/rate_limiter.h"
#include "backend/backend.h"
#include "batching/batcher.h"
#include "contract/types.h"
#include "idempotency/store.h"
#include "http/server.h"
#include "json/parse.h"
#include "metrics/service_metrics.h"
#include "mock/faults.h"
#include "problem/problem.h"
#include "schema/validator.h"
#include "service/log_fields.h"
#include "service/request_context.h"

namespace modelgate::service {

// The default payload limit when a contract sets none.
inline constexpr std::size_t kDefaultMaxPayloadBytes = 1024 * 1024;

// Fills in every default that is in force, so the served contract states each value it applies.
contract::Contract WithDefaults(contract::Contract contract);

struct ServiceOptions {
  std::string log_hmac_key;  // keys the hashes of PII fields in the access log
  // Runs model work when a request has a deadline or the contract limits concurrency, so the
  // server threads stay free to answer TIMEOUT on time. Null runs everything inline.
  boost::asio::thread_pool* workers = nullptr;
  // Folder of the idempotency records, one file per contract version; empty keeps them in memory.
  std::string state_dir;
  // Set by `mock`: injected errors and the Prefer header.
  std::optional<mock::FaultOptions> faults;
};

// An answer the pipeline produced, not yet sent.
struct Answer {
  http::Response response;
  std::string code;        // contract error code, empty for success
  bool model_ran = false;     // the backend was called, so the answer tells the breaker something
  bool breaker_open = false;  // rejected because the circuit breaker is open
  // With IDEMPOTENCY_CONFLICT: the store key of the first request, which is still running.
  std::string in_flight_key = "";
};

struct PendingRequest;  // a request handed to the worker pool, private to the service

// One contract version served at its route. A request passes, in order: admission (version
// retired, rate limit, deadline, concurrency), JSON decode, request validation, the model, the
// response guard, and the answer with metrics and the access log.
class Service {
 public:
  Service(contract::Contract contract, std::unique_ptr<backend::Backend> backend,
          ServiceOptions options = {});
  ~Service();

  const contract::Contract& contract() const { return contract_; }
  const std::string& route() const { return route_; }
  std::uint64_t body_limit() const { return *contract_.request.limits.max_payload_bytes; }
  metrics::ServiceMetrics& metrics() { return metrics_; }
  const metrics::ServiceMetrics& metrics() const { return metrics_; }
  // True once the sunset of a deprecated version has passed: requests get VERSION_RETIRED.
  bool retired() const;

  // Runs the pipeline for one request on this route and calls `respond` once.
  void Handle(http::Request&& request, RequestContext context, const http::Responder& respond);

  // Decodes and validates a request body. Returns true with `document` set, or false with
  // `problem` filled for INVALID_INPUT. `document` lives until the thread's next call.
  bool Decode(const std::string& body, simdjson::dom::element& document,
              problem::Problem& problem) const;

  // Adds the headers every answer of this service carries.
  void Decorate(http::Response& response) const;

 private:
  Answer Process(const http::Request& request, RequestContext& context);
  // Runs the stages before the model: decode and validation, idempotency, the circuit breaker
  // and injected faults. Returns the response when the request ends there. Otherwise `document`
  // is the parsed request and `key` its claimed idempotency key ("" for none).
  std::optional<Answer> Prepare(const http::Request& request, RequestContext& context,
                                simdjson::dom::element& document, std::string& key);
  // Turns the model's output for one request into its response: safety thresholds, the
  // response guard, MODEL_ERROR on failure.
  Answer Complete(backend::BatchOutput&& output, RequestContext& context, unsigned http_version);
  // Applies the safety thresholds to `output`. Returns false when the output is not JSON.
  bool ApplySafety(std::string& output, RequestContext& context);
  // The length of the request's batch field, or 1 when the contract has none.
  std::size_t BatchSizeOf(simdjson::dom::element document) const;
  // Looks the request up by its idempotency key. Returns an answer when the request must not
  // run (a replay, a conflict, a reused or invalid key); otherwise sets `key` ("" for none).
  std::optional<Answer> CheckIdempotency(const http::Request& request,
                                         simdjson::dom::element document,
                                         const RequestContext& context, std::string& key);
  void Remember(const std::string& key, const Answer& answer);
  std::string ScopedKey(const http::Request& request, const std::string& key) const;
  Answer Error(std::string_view code, problem::Problem problem, const RequestContext& context,
               unsigned http_version) const;
  std::optional<Answer> Admit(const http::Request& request, const RequestContext& context,
                              std::optional<std::chrono::milliseconds>& deadline);
  void Dispatch(std::shared_ptr<PendingRequest> pending);
  // Runs an admitted request on a worker. `again` is set when a duplicate that waited for the
  // first request with its idempotency key runs once more.
  void Run(const std::shared_ptr<PendingRequest>& pending, bool again = false);
  // Parks a duplicate until the first request with its key ends. Returns false when that request
  // already ended.
  bool AwaitFirst(const std::shared_ptr<PendingRequest>& pending, const std::string& key);
  // Runs the model for one request and stores the response under its idempotency key.
  Answer Infer(const http::Request& request, simdjson::dom::element document,
               RequestContext& context, const std::string& key);
  // Releases the request's concurrency slot and sends its response, unless the deadline timer
  // responded first. Then the response is counted as late and dropped.
  void Deliver(const std::shared_ptr<PendingRequest>& pending, Answer&& answer);
  void StartBatching();
  std::string BatchGroupOf(simdjson::dom::element document) const;
  void Enqueue(const std::shared_ptr<PendingRequest>& pending, simdjson::dom::element document,
               std::string key);
  // Takes a request that already has its response (TIMEOUT) out of the batcher, if it still
  // waits there, and frees its slot and idempotency key.
  void Withdraw(const std::shared_ptr<PendingRequest>& pending);
  // Ends a batched request whose client closed the connection: it leaves the batch unanswered.
  void Disconnected(const std::shared_ptr<PendingRequest>& pending);
  void RunBatch(std::vector<std::shared_ptr<PendingRequest>> batch, std::size_t rows);
  void Expire(const std::shared_ptr<PendingRequest>& pending);
  void Finish(Answer&& answer, const RequestContext& context, const http::Responder& respond);
  bool GuardResponse(const std::string& body, RequestContext& context);
  json::StrictParser& RequestParser() const;
  // The parse options of request bodies: the contract's depth limit and duplicate-key policy.
  json::ParseOptions RequestParseOptions() const;
  void SetRateHeaders(http::Response& response, const admission::RateDecision& decision) const;
  // Replaces a TIMEOUT, MODEL_ERROR or open-breaker answer by the contract's fallback, marked
  // with its header, when the contract declares one.
  void ApplyFallback(Answer& answer, const RequestContext& context);
  // Throws std::runtime_error when the declared fallback breaks the response contract.
  void CheckFallback() const;
  void RecordOutcome(const Answer& answer, bool timed_out);

  contract::Contract contract_;
  std::unique_ptr<backend::Backend> backend_;
  ServiceOptions options_;
  std::string route_;
  std::string contract_version_;
  schema::Validator request_validator_;
  schema::Validator response_validator_;
  std::string model_version_;
  metrics::ServiceMetrics metrics_;
  LogFields log_fields_;
  std::optional<std::chrono::system_clock::time_point> sunset_;
  std::string sunset_header_;
  std::optional<admission::RateLimiter> rate_limiter_;
  std::optional<admission::ClientLimiter> client_limiter_;
  std::optional<admission::ConcurrencyLimiter> concurrency_;
  std::unique_ptr<idempotency::Store> store_;
  std::optional<admission::CircuitBreaker> breaker_;
  using Batcher = batching::Batcher<std::shared_ptr<PendingRequest>>;
  std::unique_ptr<Batcher> batcher_;  // set when the contract enables dynamic batching
};

}  // namespace modelgate::service
