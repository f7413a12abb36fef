#include "problem/problem.h"

#include <boost/beast/http/status.hpp>
#include <cctype>

#include "json/writer.h"

namespace modelgate::problem {

std::string TypeUri(std::string_view code) {
  std::string uri = "urn:modelgate:problem:";
  for (char c : code) {
    uri += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return uri;
}

std::string_view Title(int status) {
  auto reason = boost::beast::http::obsolete_reason(
      static_cast<boost::beast::http::status>(static_cast<unsigned>(status)));
  return {reason.data(), reason.size()};
}

namespace {

std::string_view BackoffName(contract::Backoff backoff) {
  switch (backoff) {
    case contract::Backoff::kFixed:
      return "fixed";
    case contract::Backoff::kExponential:
      return "exponential";
    case contract::Backoff::kNone:
      break;
  }
  return "none";
}

void WriteRetryGuidance(json::Writer& writer, const Problem& problem) {
  const auto& error = *problem.error;
  if (problem.retry_after_seconds) writer.Member("retry_after", *problem.retry_after_seconds);
  if (!error.retryable) return;
  if (error.backoff != contract::Backoff::kNone)
    writer.Member("backoff", BackoffName(error.backoff));
  if (error.initial_backoff) {
    writer.Member("initial_backoff_ms", static_cast<std::int64_t>(error.initial_backoff->count()));
  }
  if (error.max_retries) writer.Member("max_retries", *error.max_retries);
}

}  // namespace

std::string Render(const Problem& problem, std::string_view request_id) {
  const auto& error = *problem.error;
  std::string body;
  body.reserve(256 + problem.errors.size() * 96);
  json::Writer writer(body);
  writer.BeginObject();
  writer.Member("type", TypeUri(error.code));
  writer.Member("title", Title(error.status));
  writer.Member("status", error.status);
  writer.Member("detail", problem.detail.empty() ? error.description : problem.detail);
  writer.Member("code", error.code);
  writer.Member("retryable", error.retryable);
  writer.Member("request_id", request_id);
  WriteRetryGuidance(writer, problem);
  if (!problem.errors.empty()) {
    writer.Key("errors");
    writer.BeginArray();
    for (const auto& violation : problem.errors) {
      writer.BeginObject();
      writer.Member("field", violation.pointer);
      writer.Member("rule", violation.rule);
      writer.Member("message", violation.message);
      writer.EndObject();
    }
    writer.EndArray();
  }
  writer.EndObject();
  return body;
}

}  // namespace modelgate::problem
