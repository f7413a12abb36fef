// The stages after admission: JSON decode, request validation, the model and the response guard.
#include <spdlog/spdlog.h>

#include <unordered_map>

#include "mock/generator.h"
#include "safety/thresholds.h"
#include "service/access_log.h"
#include "service/responses.h"
#include "service/service.h"

namespace modelgate::service {

json::StrictParser& Service::RequestParser() const {
  // simdjson parsers keep their buffers between documents and are not thread-safe: one per
  // thread and service, created on first use.
  thread_local std::unordered_map<const Service*, std::unique_ptr<json::StrictParser>> parsers;
  auto& parser = parsers[this];
  if (!parser) parser = std::make_unique<json::StrictParser>(RequestParseOptions());
  return *parser;
}

json::ParseOptions Service::RequestParseOptions() const {
  json::ParseOptions options;
  options.max_depth = contract_.request.limits.max_depth;
  options.allow_duplicate_keys = contract_.request.validation.allow_duplicate_keys;
  return options;
}

std::optional<Answer> Service::Prepare(const http::Request& request, RequestContext& context,
                                       simdjson::dom::element& document, std::string& key) {
  const std::string& body = request.body();
  unsigned http_version = request.version();
  problem::Problem invalid;
  if (!Decode(body, document, invalid)) {
    return Error("INVALID_INPUT", std::move(invalid), context, http_version);
  }
  context.batch_size = BatchSizeOf(document);
  if (AccessLogEnabled()) log_fields_.AppendRequest(document, context.log_members);
  if (store_) {
    if (auto answer = CheckIdempotency(request, document, context, key)) return answer;
  }
  if (breaker_ && !breaker_->Allow()) {
    // The key stays unclaimed for good: the retry after the breaker closes runs the model.
    if (!key.empty()) store_->Abandon(key);
    auto window = contract_.safety.breaker_window.value_or(std::chrono::milliseconds(10'000));
    problem::Problem problem = problem::WithDetail(
        "the model failed too often and is paused; retry after the Retry-After delay");
    problem.retry_after_seconds =
        std::max(1, static_cast<int>((window.count() + 999) / 1000));
    Answer rejected = Error("OVERLOADED", std::move(problem), context, http_version);
    rejected.breaker_open = true;
    metrics_.SetBreakerState(static_cast<int>(breaker_->state()));
    return rejected;
  }
  if (options_.faults) {
    auto prefer = request["Prefer"];
    auto fault = mock::PickFault(contract_, *options_.faults, {prefer.data(), prefer.size()},
                                 mock::RequestSeed(0, body));
    if (fault.invalid_preference || !fault.code.empty()) {
      if (!key.empty()) store_->Abandon(key);
      auto code = fault.invalid_preference ? std::string("INVALID_INPUT") : fault.code;
      Answer injected = Error(code, problem::WithDetail(fault.detail), context, http_version);
      if (!fault.preference_applied.empty()) {
        injected.response.set("Preference-Applied", fault.preference_applied);
      }
      return injected;
    }
  }
  return std::nullopt;
}

Answer Service::Process(const http::Request& request, RequestContext& context) {
  simdjson::dom::element document;
  std::string key;
  if (auto early = Prepare(request, context, document, key)) return *std::move(early);
  return Infer(request, document, context, key);
}

Answer Service::Infer(const http::Request& request, simdjson::dom::element document,
                      RequestContext& context, const std::string& key) {
  backend::BatchInput input{document, request.body()};
  backend::BatchOutput output;
  metrics_.CountInference();
  metrics_.ObserveModelBatch(1);
  auto inference_start = std::chrono::steady_clock::now();
  backend_->PredictBatch({&input, 1}, {&output, 1});
  metrics_.ObserveInference(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - inference_start).count());
  Answer answer = Complete(std::move(output), context, request.version());
  if (!key.empty()) Remember(key, answer);
  return answer;
}

Answer Service::Complete(backend::BatchOutput&& output, RequestContext& context,
                         unsigned http_version) {
  Answer failed;
  if (!output.status.ok()) {
    spdlog::error("model failed for request {}: {}", context.request_id,
                  std::string(output.status.message()));
    failed = Error("MODEL_ERROR", problem::WithDetail("the model failed to produce a response"),
                   context, http_version);
  } else if (!ApplySafety(output.response, context) || !GuardResponse(output.response, context)) {
    failed = Error(
        "MODEL_ERROR",
        problem::WithDetail("the model output broke the response contract and was withheld"),
        context, http_version);
  } else {
    auto response =
        JsonResponse(200, std::move(output.response), "application/json", context, http_version);
    response.set("X-Model-Version", model_version_);
    return {std::move(response), "", true};
  }
  failed.model_ran = true;
  return failed;
}

bool Service::ApplySafety(std::string& output, RequestContext& context) {
  const auto& thresholds = contract_.safety.thresholds;
  if (thresholds.empty()) return true;
  thread_local json::StrictParser parser{json::ParseOptions{.max_depth = 1024}};
  simdjson::dom::element document;
  json::ParseError parse_error;
  if (!parser.Parse(output, document, parse_error)) {
    metrics_.CountContractViolation();
    spdlog::error("response guard: request {}: the model output is not JSON: {}",
                  context.request_id, parse_error.message);
    return false;
  }
  std::string rewritten;
  thread_local std::vector<std::string> actions;
  actions.clear();
  if (safety::ApplyThresholds(thresholds, document, rewritten, &actions) == 0) return true;
  for (const auto& action : actions) metrics_.CountSafetyAction(action);
  output = std::move(rewritten);
  return true;
}

std::size_t Service::BatchSizeOf(simdjson::dom::element document) const {
  const std::string& field = contract_.request.batch_field;
  if (field.empty()) return 1;
  simdjson::dom::array items;
  if (document[field].get_array().get(items) != simdjson::SUCCESS) return 1;
  return items.size();
}

bool Service::Decode(const std::string& body, simdjson::dom::element& document,
                     problem::Problem& problem) const {
  json::ParseError parse_error;
  if (!RequestParser().Parse(body, document, parse_error)) {
    problem.detail = "the body is not valid JSON: " + parse_error.message;
    problem.errors.push_back({parse_error.pointer, "json", parse_error.message});
    return false;
  }
  if (request_validator_.Validate(document, problem.errors)) return true;
  std::size_t count = problem.errors.size();
  problem.detail = std::to_string(count) + (count == 1 ? " violation" : " violations") +
                   " of the request contract; each entry of errors names the field and the fix";
  // A small body can break thousands of rules; the answer lists the first ones only, so it
  // cannot grow far beyond the request.
  constexpr std::size_t kMaxListed = 100;
  if (count > kMaxListed) {
    problem.errors.resize(kMaxListed);
    problem.detail += " (the first " + std::to_string(kMaxListed) + " are listed)";
  }
  return false;
}

bool Service::GuardResponse(const std::string& body, RequestContext& context) {
  thread_local json::StrictParser parser{json::ParseOptions{.max_depth = 1024}};
  simdjson::dom::element document;
  json::ParseError parse_error;
  std::vector<schema::Violation> violations;
  if (!parser.Parse(body, document, parse_error)) {
    violations.push_back({"", "json", parse_error.message});
  } else {
    response_validator_.Validate(document, violations);
  }
  if (violations.empty()) {
    if (AccessLogEnabled()) log_fields_.AppendResponse(document, context.log_members);
    return true;
  }
  metrics_.CountContractViolation();
  for (const auto& violation : violations) {
    spdlog::error("response guard: request {}: {} {}: {}", context.request_id,
                  violation.pointer.empty() ? "/" : violation.pointer, violation.rule,
                  violation.message);
  }
  return false;
}

}  // namespace modelgate::service
