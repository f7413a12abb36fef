#include "service/responses.h"

namespace modelgate::service {

http::Response JsonResponse(int status, std::string body, std::string_view content_type,
                            const RequestContext& context, unsigned http_version) {
  http::Response response(static_cast<http::beast_http::status>(status), http_version);
  response.set(http::beast_http::field::content_type, std::string(content_type));
  response.set("X-Request-Id", context.request_id);
  response.set("traceparent", context.traceparent);
  response.set(http::beast_http::field::cache_control, "no-store");
  response.body() = std::move(body);
  return response;
}

http::Response ProblemResponse(const contract::ErrorSpec& error, problem::Problem problem,
                               const RequestContext& context, unsigned http_version) {
  problem.error = &error;
  if (error.retry_after && !problem.retry_after_seconds) problem.retry_after_seconds = 1;
  auto response = JsonResponse(error.status, problem::Render(problem, context.request_id),
                               "application/problem+json", context, http_version);
  if (problem.retry_after_seconds) {
    response.set(http::beast_http::field::retry_after,
                 std::to_string(*problem.retry_after_seconds));
  }
  return response;
}

}  // namespace modelgate::service
