#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "contract/types.h"
#include "http/server.h"
#include "json/parse.h"
#include "metrics/service_metrics.h"
#include "problem/problem.h"
#include "schema/validator.h"
#include "service/log_fields.h"
#include "service/request_context.h"

namespace modelgate::service {

// The default payload limit when a contract sets none.
inline constexpr std::size_t kDefaultMaxPayloadBytes = 1024 * 1024;

// Fills in every default that is in force, so the served contract states each value it applies.
contract::Contract WithDefaults(contract::Contract contract);

// One contract version served at its route: the compiled validators, the backend, and the stages
// a request passes through, in order: JSON decode, request validation, model, response guard.
class Service {
 public:
  // `log_hmac_key` keys the hashes of PII fields in the access log.
  Service(contract::Contract contract, std::unique_ptr<backend::Backend> backend,
          std::string log_hmac_key = {});

  const contract::Contract& contract() const { return contract_; }
  const std::string& route() const { return route_; }
  std::uint64_t body_limit() const { return *contract_.request.limits.max_payload_bytes; }
  metrics::ServiceMetrics& metrics() { return metrics_; }
  const metrics::ServiceMetrics& metrics() const { return metrics_; }
  // True once the sunset of a deprecated version has passed: requests get VERSION_RETIRED.
  bool retired() const;

  // Runs the pipeline for one request on this route and calls `respond` once.
  void Handle(const http::Request& request, RequestContext context,
              const http::Responder& respond);

  // Decodes and validates a request body. Returns true with `document` set, or false with
  // `problem` filled for INVALID_INPUT. `document` lives until the thread's next call.
  bool Decode(const std::string& body, simdjson::dom::element& document,
              problem::Problem& problem) const;

  // Answers with a contract error, recording it in the metrics and the access log.
  void Fail(std::string_view code, problem::Problem problem, const RequestContext& context,
            unsigned http_version, const http::Responder& respond);

  // Adds the headers every answer of this service carries.
  void Decorate(http::Response& response) const;

 private:
  void Finish(http::Response&& response, std::string_view code, const RequestContext& context,
              const http::Responder& respond);
  bool GuardResponse(const std::string& body, RequestContext& context);
  json::StrictParser& RequestParser() const;

  contract::Contract contract_;
  std::unique_ptr<backend::Backend> backend_;
  std::string route_;
  std::string contract_version_;
  schema::Validator request_validator_;
  schema::Validator response_validator_;
  std::string model_version_;
  metrics::ServiceMetrics metrics_;
  LogFields log_fields_;
  std::optional<std::chrono::system_clock::time_point> sunset_;
  std::string sunset_header_;
};

}  // namespace modelgate::service
