#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/types.h"
#include "http/server.h"
#include "problem/problem.h"
#include "service/request_context.h"

namespace modelgate::service {

// Builds a problem+json response for `error` with the headers every answer carries.
http::Response ProblemResponse(const contract::ErrorSpec& error, problem::Problem problem,
                               const RequestContext& context, unsigned http_version);

// Builds a response with a JSON body and the headers every answer carries.
http::Response JsonResponse(int status, std::string body, std::string_view content_type,
                            const RequestContext& context, unsigned http_version);

}  // namespace modelgate::service
