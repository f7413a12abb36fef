#include "contract/standard_errors.h"

#include <algorithm>

namespace modelgate::contract {

namespace {

ErrorSpec Make(const char* code, int status, bool retryable, Backoff backoff, bool retry_after,
               const char* description) {
  ErrorSpec spec;
  spec.code = code;
  spec.status = status;
  spec.retryable = retryable;
  spec.backoff = backoff;
  spec.retry_after = retry_after;
  spec.description = description;
  return spec;
}

}  // namespace

const std::vector<ErrorSpec>& StandardErrors() {
  static const std::vector<ErrorSpec> kErrors = {
      Make("INVALID_INPUT", 400, false, Backoff::kNone, false,
           "The request body breaks the request schema or a limit; fix the listed fields."),
      Make("UNAUTHENTICATED", 401, false, Backoff::kNone, false,
           "Credentials are missing or invalid."),
      Make("NOT_FOUND", 404, false, Backoff::kNone, false, "No such route or resource."),
      Make("METHOD_NOT_ALLOWED", 405, false, Backoff::kNone, false,
           "The route exists but not for this method; see the Allow header."),
      Make("IDEMPOTENCY_CONFLICT", 409, true, Backoff::kExponential, false,
           "A request with the same idempotency key is still in flight; retry later."),
      Make("VERSION_RETIRED", 410, false, Backoff::kNone, false,
           "This major version is past its sunset; move to the successor version."),
      Make("PAYLOAD_TOO_LARGE", 413, false, Backoff::kNone, false,
           "The body is larger than max_payload_bytes."),
      Make("UNSUPPORTED_MEDIA_TYPE", 415, false, Backoff::kNone, false,
           "The body must be application/json."),
      Make("IDEMPOTENCY_KEY_REUSED", 422, false, Backoff::kNone, false,
           "The idempotency key was used before with a different body; use a new key."),
      Make("RATE_LIMIT", 429, true, Backoff::kFixed, true,
           "The request rate is above the contract's limit; retry after Retry-After seconds."),
      Make("HEADERS_TOO_LARGE", 431, false, Backoff::kNone, false,
           "The request headers are larger than the server accepts."),
      Make("MODEL_ERROR", 500, false, Backoff::kNone, false,
           "The model failed or produced an output that breaks the response contract."),
      Make("OVERLOADED", 503, true, Backoff::kExponential, true,
           "The service is at its concurrency limit; retry after Retry-After seconds."),
      Make("TIMEOUT", 504, true, Backoff::kExponential, false,
           "The request did not finish within its deadline; retry with backoff."),
  };
  return kErrors;
}

const ErrorSpec* FindStandardError(std::string_view code) {
  const auto& errors = StandardErrors();
  auto found = std::find_if(errors.begin(), errors.end(),
                            [&](const ErrorSpec& spec) { return spec.code == code; });
  return found == errors.end() ? nullptr : &*found;
}

}  // namespace modelgate::contract
