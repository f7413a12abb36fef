#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/types.h"
#include "schema/validator.h"

namespace modelgate::problem {

// One error answer: which contract error it is, what went wrong in words, and for invalid input
// every violation found.
struct Problem {
  const contract::ErrorSpec* error = nullptr;
  std::string detail;
  std::vector<schema::Violation> errors;
  std::optional<int> retry_after_seconds;  // sent as Retry-After and in the body
};

inline Problem WithDetail(std::string detail) {
  Problem problem;
  problem.detail = std::move(detail);
  return problem;
}

// Renders an RFC 9457 problem document: type, title, status, detail, plus code, retryable,
// request_id, the retry guidance the contract declares, and `errors` when there are violations.
std::string Render(const Problem& problem, std::string_view request_id);

// The problem `type` URI of an error code, such as urn:modelgate:problem:invalid-input.
std::string TypeUri(std::string_view code);

// The HTTP reason phrase of a status, used as the problem title.
std::string_view Title(int status);

}  // namespace modelgate::problem
