#include "service/service.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <unordered_map>

#include "json/writer.h"
#include "service/access_log.h"
#include "service/responses.h"

namespace modelgate::service {
namespace {

std::vector<std::pair<std::string, int>> CodesOf(const contract::Contract& contract) {
  std::vector<std::pair<std::string, int>> codes;
  for (const auto& error : contract.errors) codes.emplace_back(error.code, error.status);
  return codes;
}

// Latency targets and the timeout in seconds, so the duration histograms have a bucket bound at
// each of them.
std::vector<double> LatencyTargetsOf(const contract::Contract& contract) {
  std::vector<double> seconds;
  const auto& latency = contract.constraints.latency;
  for (const auto* target : {&latency.p50, &latency.p95, &latency.p99}) {
    if (target->overall_ms) seconds.push_back(*target->overall_ms / 1000.0);
    for (const auto& [batch, ms] : target->per_batch_ms) seconds.push_back(ms / 1000.0);
  }
  if (contract.constraints.timeout) {
    seconds.push_back(static_cast<double>(contract.constraints.timeout->count()) / 1000.0);
  }
  return seconds;
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
                 std::string log_hmac_key)
    : contract_(WithDefaults(std::move(contract))),
      backend_(std::move(backend)),
      route_(contract_.RoutePath()),
      contract_version_(contract_.version),
      request_validator_(schema::RequestRules(contract_)),
      response_validator_(schema::ResponseRules(contract_)),
      model_version_(backend_ ? std::string(backend_->model_version()) : std::string()),
      metrics_({contract_.name, contract_version_, model_version_}, CodesOf(contract_),
               LatencyTargetsOf(contract_)),
      log_fields_(contract_, std::move(log_hmac_key)) {
  if (contract_.deprecation.deprecated || !contract_.deprecation.sunset.empty()) {
    sunset_ = ParseSunset(contract_.deprecation.sunset);
    if (sunset_) sunset_header_ = HttpDate(*sunset_);
  }
}

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

json::StrictParser& Service::RequestParser() const {
  // simdjson parsers keep their buffers between documents and are not thread-safe: one per
  // thread and service, created on first use.
  thread_local std::unordered_map<const Service*, std::unique_ptr<json::StrictParser>> parsers;
  auto& parser = parsers[this];
  if (!parser) {
    json::ParseOptions options;
    options.max_depth = contract_.request.limits.max_depth;
    options.allow_duplicate_keys = contract_.request.validation.allow_duplicate_keys;
    parser = std::make_unique<json::StrictParser>(options);
  }
  return *parser;
}

void Service::Handle(const http::Request& request, RequestContext context,
                     const http::Responder& respond) {
  metrics_.BeginRequest();
  unsigned version = request.version();
  if (retired()) {
    return Fail(
        "VERSION_RETIRED",
        problem::WithDetail("this version reached its sunset on " + contract_.deprecation.sunset +
                            (contract_.deprecation.successor.empty()
                                 ? std::string()
                                 : "; use " + contract_.deprecation.successor)),
        context, version, respond);
  }
  simdjson::dom::element document;
  problem::Problem invalid;
  if (!Decode(request.body(), document, invalid)) {
    return Fail("INVALID_INPUT", std::move(invalid), context, version, respond);
  }
  if (AccessLogEnabled()) log_fields_.AppendRequest(document, context.log_members);
  std::string body;
  metrics_.CountInference();
  auto inference_start = std::chrono::steady_clock::now();
  auto status = backend_->Predict(document, request.body(), body);
  metrics_.ObserveInference(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - inference_start).count());
  if (!status.ok()) {
    spdlog::error("model failed for request {}: {}", context.request_id,
                  std::string(status.message()));
    return Fail("MODEL_ERROR", problem::WithDetail("the model failed to produce a response"),
                context, version, respond);
  }
  if (!GuardResponse(body, context)) {
    return Fail(
        "MODEL_ERROR",
        problem::WithDetail("the model output broke the response contract and was withheld"),
        context, version, respond);
  }
  auto response = JsonResponse(200, std::move(body), "application/json", context, version);
  response.set("X-Model-Version", model_version_);
  Finish(std::move(response), "", context, respond);
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

void Service::Fail(std::string_view code, problem::Problem problem, const RequestContext& context,
                   unsigned http_version, const http::Responder& respond) {
  const contract::ErrorSpec* error = contract_.FindError(code);
  auto response = ProblemResponse(*error, std::move(problem), context, http_version);
  Finish(std::move(response), code, context, respond);
}

void Service::Finish(http::Response&& response, std::string_view code,
                     const RequestContext& context, const http::Responder& respond) {
  Decorate(response);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - context.start).count();
  int status = static_cast<int>(response.result_int());
  metrics_.Record(code, status, seconds);
  metrics_.EndRequest();
  LogAccess({contract_.name, contract_version_, model_version_, route_, status, code, seconds},
            context);
  respond(std::move(response));
}

}  // namespace modelgate::service
