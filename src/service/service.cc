#include "service/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <set>
#include <unordered_map>

#include "json/writer.h"
#include "service/access_log.h"
#include "service/pipeline_state.h"
#include "service/responses.h"

namespace modelgate::service {
namespace {

std::vector<std::pair<std::string, int>> CodesOf(const contract::Contract& contract) {
  std::vector<std::pair<std::string, int>> codes;
  for (const auto& error : contract.errors) codes.emplace_back(error.code, error.status);
  return codes;
}

// The declared latency targets, the timeout, the batch sizes with their own targets and the
// safety actions, which shape the metric families.
metrics::ServiceShape ShapeOf(const contract::Contract& contract) {
  metrics::ServiceShape shape;
  const auto& latency = contract.constraints.latency;
  const std::pair<const char*, const contract::LatencyTarget*> targets[] = {
      {"p50", &latency.p50}, {"p95", &latency.p95}, {"p99", &latency.p99}};
  std::set<std::size_t> batch_sizes;
  for (const auto& [percentile, target] : targets) {
    if (target->overall_ms) {
      shape.latency_targets.push_back({percentile, 0, *target->overall_ms / 1000});
    }
    for (const auto& [batch, ms] : target->per_batch_ms) {
      shape.latency_targets.push_back({percentile, batch, ms / 1000});
      batch_sizes.insert(batch);
    }
  }
  shape.batch_sizes.assign(batch_sizes.begin(), batch_sizes.end());
  if (contract.constraints.timeout) {
    shape.extra_bounds.push_back(static_cast<double>(contract.constraints.timeout->count()) / 1000);
  }
  for (const auto& threshold : contract.safety.thresholds) {
    auto& actions = shape.safety_actions;
    if (std::find(actions.begin(), actions.end(), threshold.action) == actions.end()) {
      actions.push_back(threshold.action);
    }
  }
  return shape;
}

// Parses the date at the start of an RFC 3339 date or date-time; nullopt when there is none.
std::optional<std::chrono::system_clock::time_point> ParseSunset(const std::string& text) {
  int year = 0, month = 0, day = 0;
  if (text.size() < 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d", &year, &month, &day) != 3) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                   std::chrono::day(day)};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date);
}

std::string HttpDate(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return text;
}

}  // namespace

contract::Contract WithDefaults(contract::Contract contract) {
  auto& limits = contract.request.limits;
  if (!limits.max_payload_bytes) limits.max_payload_bytes = kDefaultMaxPayloadBytes;
  return contract;
}

Service::Service(contract::Contract contract, std::unique_ptr<backend::Backend> backend,
                 ServiceOptions options)
    : contract_(WithDefaults(std::move(contract))),
      backend_(std::move(backend)),
      options_(std::move(options)),
      route_(contract_.RoutePath()),
      contract_version_(contract_.version),
      request_validator_(schema::RequestRules(contract_)),
      response_validator_(schema::ResponseRules(contract_)),
      model_version_(backend_ ? std::string(backend_->model_version()) : std::string()),
      metrics_({contract_.name, contract_version_, model_version_}, CodesOf(contract_),
               ShapeOf(contract_)),
      log_fields_(contract_, options_.log_hmac_key) {
  if (contract_.deprecation.deprecated || !contract_.deprecation.sunset.empty()) {
    sunset_ = ParseSunset(contract_.deprecation.sunset);
    if (sunset_) sunset_header_ = HttpDate(*sunset_);
  }
  const auto& constraints = contract_.constraints;
  if (constraints.throughput_rps && *constraints.throughput_rps > 0) {
    rate_limiter_.emplace(admission::RateLimit{
        *constraints.throughput_rps, constraints.burst_rps.value_or(0),
        constraints.burst_window.value_or(std::chrono::milliseconds(0))});
  }
  if (constraints.per_client_rps && *constraints.per_client_rps > 0) {
    client_limiter_.emplace(*constraints.per_client_rps);
  }
  const auto& idempotency = contract_.behavior.idempotency;
  if (idempotency.enabled) {
    std::string path;
    if (!options_.state_dir.empty()) {
      path = options_.state_dir + "/" + contract_.name + "-v" + std::to_string(contract_.major) +
             ".idempotency.jsonl";
    }
    store_ = std::make_unique<idempotency::Store>(path);
    std::string error;
    if (!store_->Open(error)) throw std::runtime_error(contract_.file + ": " + error);
  }
  const auto& safety = contract_.safety;
  if (safety.breaker_error_rate) {
    breaker_.emplace(*safety.breaker_error_rate,
                     safety.breaker_window.value_or(std::chrono::milliseconds(10'000)));
    metrics_.SetBreakerState(0);
  }
  if (safety.fallback_json) CheckFallback();
  if (constraints.max_concurrency && options_.workers) {
    // Up to as many waiting requests as running ones; each waits only until its deadline.
    concurrency_.emplace(*constraints.max_concurrency, *constraints.max_concurrency);
  }
  StartBatching();
}

Service::~Service() = default;

bool Service::retired() const { return sunset_ && std::chrono::system_clock::now() >= *sunset_; }

void Service::Decorate(http::Response& response) const {
  response.set("X-Contract-Version", contract_version_);
  if (!contract_.deprecation.deprecated) return;
  // NOTE: RFC 9745 gives Deprecation a date value; contracts state no deprecation date, so the
  // header carries `true` as the earlier drafts did.
  response.set("Deprecation", "true");
  if (!sunset_header_.empty()) response.set("Sunset", sunset_header_);
  const auto& successor = contract_.deprecation.successor;
  if (!successor.empty()) {
    bool is_version = successor.size() > 1 && (successor[0] == 'v' || successor[0] == 'V') &&
                      std::isdigit(static_cast<unsigned char>(successor[1]));
    std::string target = is_version ? "/v" + successor.substr(1, successor.find('.') - 1) + "/" +
                                          contract_.endpoint.operation
                                    : successor;
    response.set("Link", "<" + target + ">; rel=\"successor-version\"");
  }
}

void Service::Handle(http::Request&& request, RequestContext context,
                     const http::Responder& respond) {
  metrics_.BeginRequest();
  std::optional<std::chrono::milliseconds> deadline;
  if (auto rejection = Admit(request, context, deadline)) {
    return Finish(std::move(*rejection), context, respond);
  }
  bool dispatch = options_.workers && (deadline || concurrency_ || batcher_);
  if (!dispatch) {
    auto answer = Process(request, context);
    RecordOutcome(answer, false);
    return Finish(std::move(answer), context, respond);
  }
  auto pending = std::make_shared<PendingRequest>(std::move(request), std::move(context), respond,
                                                  *options_.workers);
  if (deadline) pending->deadline = pending->context.start + *deadline;
  Dispatch(std::move(pending));
}

void Service::Finish(Answer&& answer, const RequestContext& context,
                     const http::Responder& respond) {
  ApplyFallback(answer, context);
  auto& response = answer.response;
  Decorate(response);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - context.start).count();
  int status = static_cast<int>(response.result_int());
  metrics_.Record(answer.code, status, seconds, context.batch_size);
  metrics_.EndRequest();
  LogAccess(
      {contract_.name, contract_version_, model_version_, route_, status, answer.code, seconds},
      context);
  respond(std::move(response));
}

Answer Service::Error(std::string_view code, problem::Problem problem,
                      const RequestContext& context, unsigned http_version) const {
  const contract::ErrorSpec* error = contract_.FindError(code);
  return {ProblemResponse(*error, std::move(problem), context, http_version), std::string(code)};
}

void Service::CheckFallback() const {
  json::StrictParser parser{json::ParseOptions{.max_depth = 1024}};
  simdjson::dom::element document;
  json::ParseError error;
  std::vector<schema::Violation> violations;
  const std::string& fallback = *contract_.safety.fallback_json;
  if (!parser.Parse(fallback, document, error)) {
    throw std::runtime_error(contract_.file + ": safety.fallback is not a JSON document: " +
                             error.message);
  }
  if (response_validator_.Validate(document, violations)) return;
  std::string problems;
  for (const auto& violation : violations) {
    problems += "\n  " + (violation.pointer.empty() ? "/" : violation.pointer) + ": " +
                violation.message;
  }
  throw std::runtime_error(contract_.file +
                           ": safety.fallback breaks the response contract; fix it:" + problems);
}

void Service::ApplyFallback(Answer& answer, const RequestContext& context) {
  const auto& fallback = contract_.safety.fallback_json;
  bool failed = answer.code == "TIMEOUT" || answer.code == "MODEL_ERROR" || answer.breaker_open;
  if (!failed || !fallback) return;
  metrics_.CountFallback();
  auto response =
      JsonResponse(200, *fallback, "application/json", context, answer.response.version());
  response.set(contract_.safety.fallback_marker, "true");
  answer = Answer{std::move(response), "", answer.model_ran, answer.breaker_open};
}

void Service::RecordOutcome(const Answer& answer, bool timed_out) {
  if (!breaker_) return;
  if (answer.model_ran) breaker_->Record(timed_out || answer.code == "MODEL_ERROR");
  metrics_.SetBreakerState(static_cast<int>(breaker_->state()));
}

}  // namespace modelgate::service
