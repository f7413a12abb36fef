#include "conformance/response_checks.h"

#include <absl/strings/match.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>

namespace modelgate::conformance {
namespace {

std::string MediaType(const client::HttpResponse& response) {
  std::string value = response.Header("Content-Type");
  return value.substr(0, value.find(';'));
}

// Checks the members of a problem document that identify the error.
void CheckProblemMembers(const contract::ErrorSpec& error, const std::string& pointer,
                         simdjson::dom::element body, std::vector<std::string>& out) {
  std::string_view code;
  if (body["code"].get(code) || code != error.code) {
    out.push_back(absl::StrCat("problem member \"code\" must be \"", error.code, "\", got ",
                               body["code"].error() ? "none" : simdjson::minify(body["code"])));
  }
  bool retryable = false;
  if (body["retryable"].get(retryable) || retryable != error.retryable) {
    out.push_back(
        absl::StrCat("problem member \"retryable\" must be ", error.retryable ? "true" : "false",
                     " for ", error.code, ", got ",
                     body["retryable"].error() ? "none" : simdjson::minify(body["retryable"])));
  }
  std::int64_t status = 0;
  if (body["status"].get(status) || status != error.status) {
    out.push_back(absl::StrCat("problem member \"status\" must be ", error.status));
  }
  if (pointer.empty()) return;
  simdjson::dom::array errors;
  if (!body["errors"].get(errors)) {
    for (auto item : errors) {
      std::string_view field;
      if (!item["field"].get(field) && field == pointer) return;
    }
  }
  out.push_back(absl::StrCat("problem member \"errors\" must contain an error with \"field\": \"",
                             pointer, "\""));
}

}  // namespace

ResponseChecker::ResponseChecker(const contract::Contract& contract)
    : validator_(schema::ResponseRules(contract)) {}

std::vector<std::string> ResponseChecker::Check(const Expectation& expect,
                                                const client::HttpResponse& response) {
  if (expect.success) return CheckSuccess(response);
  return CheckProblem(*expect.error, expect.pointer, response);
}

std::vector<std::string> ResponseChecker::CheckSuccess(const client::HttpResponse& response) {
  std::vector<std::string> out;
  if (response.status < 200 || response.status > 299) {
    out.push_back(absl::StrCat("status must be 2xx for a valid request, got ", response.status));
    return out;
  }
  if (MediaType(response) != "application/json") {
    out.push_back("Content-Type must be application/json, got \"" +
                  response.Header("Content-Type") + "\"");
  }
  for (const char* header : {"X-Request-Id", "X-Model-Version"}) {
    if (!response.HasHeader(header)) out.push_back(absl::StrCat("header ", header, " is missing"));
  }
  simdjson::dom::element body;
  json::ParseError error;
  std::string text = response.body;
  if (!parser_.Parse(text, body, error)) {
    out.push_back("the body is not valid JSON: " + error.message);
    return out;
  }
  std::vector<schema::Violation> violations;
  validator_.Validate(body, violations);
  for (const auto& violation : violations) {
    out.push_back(absl::StrCat("response ", violation.pointer.empty() ? "/" : violation.pointer,
                               " [", violation.rule, "] ", violation.message));
  }
  return out;
}

std::vector<std::string> ResponseChecker::CheckProblem(const contract::ErrorSpec& error,
                                                       const std::string& pointer,
                                                       const client::HttpResponse& response) {
  std::vector<std::string> out;
  if (response.status != error.status) {
    out.push_back(absl::StrCat("status must be ", error.status, " (", error.code, "), got ",
                               response.status));
  }
  if (MediaType(response) != "application/problem+json") {
    out.push_back("Content-Type must be application/problem+json, got \"" +
                  response.Header("Content-Type") + "\"");
  }
  if (error.retry_after) {
    std::string value = response.Header("Retry-After");
    int seconds = 0;
    if (!absl::SimpleAtoi(value, &seconds) || seconds < 0) {
      out.push_back(absl::StrCat("header Retry-After must be a whole number of seconds for ",
                                 error.code, ", got ",
                                 value.empty() ? "none" : "\"" + value + "\""));
    }
  }
  simdjson::dom::element body;
  json::ParseError parse_error;
  std::string text = response.body;
  if (!parser_.Parse(text, body, parse_error) || !body.is_object()) {
    out.push_back("the body must be a JSON problem document: " + parse_error.message);
    return out;
  }
  CheckProblemMembers(error, pointer, body, out);
  return out;
}

}  // namespace modelgate::conformance
