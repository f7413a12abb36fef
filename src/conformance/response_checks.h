#pragma once

#include <string>
#include <vector>

#include "client/http_client.h"
#include "conformance/probe.h"
#include "contract/types.h"
#include "json/parse.h"
#include "schema/validator.h"

namespace modelgate::conformance {

// Checks responses against a contract's response rules and error declarations. Not
// thread-safe, because it reuses one parser.
class ResponseChecker {
 public:
  explicit ResponseChecker(const contract::Contract& contract);

  // Returns each rule `response` breaks for `expect`, in words; empty when it follows them.
  std::vector<std::string> Check(const Expectation& expect, const client::HttpResponse& response);

  // A success: 2xx, JSON, a body that follows every response rule, and the X-Request-Id and
  // X-Model-Version headers that modelgate's wire conventions send.
  std::vector<std::string> CheckSuccess(const client::HttpResponse& response);

  // The problem document of `error`: status, media type, code, retryable, Retry-After when
  // declared, and a per-field error at `pointer` when it is not empty.
  std::vector<std::string> CheckProblem(const contract::ErrorSpec& error,
                                        const std::string& pointer,
                                        const client::HttpResponse& response);

 private:
  schema::Validator validator_;
  json::StrictParser parser_;
};

}  // namespace modelgate::conformance
