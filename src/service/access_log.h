#pragma once

#include <string_view>

#include "service/request_context.h"

namespace modelgate::service {

// Writes one JSON line per answered request to the "access" logger when it exists. Only ids,
// route, status, code and timing are logged: never a field of the request body.
void LogAccess(std::string_view route, int status, std::string_view code, double seconds,
               const RequestContext& context);

// Creates the "access" logger, writing JSON lines to standard output.
void EnableAccessLog();

}  // namespace modelgate::service
