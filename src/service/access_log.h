#pragma once

#include <string_view>

#include "service/request_context.h"

namespace modelgate::service {

// One answered request, as the access log records it.
struct AccessRecord {
  std::string_view service;
  std::string_view contract_version;
  std::string_view model_version;
  std::string_view route;
  int status = 0;
  std::string_view code;  // empty for success
  double seconds = 0;
};

// Writes one JSON line per answered request to the "access" logger when it exists: timestamp,
// ids, versions, route, status, code, latency, and the contract's listed log fields already
// collected in `context.log_members` (PII only as keyed hashes).
void LogAccess(const AccessRecord& record, const RequestContext& context);

// Creates the "access" logger, writing JSON lines to standard output.
void EnableAccessLog();
bool AccessLogEnabled();

}  // namespace modelgate::service
