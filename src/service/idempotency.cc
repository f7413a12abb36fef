// Idempotency: a request with a key that was seen before is answered from the store instead of
// reaching the model, so the model runs at most once per key within the contract's window.
#include <boost/beast/http/field.hpp>

#include "service/responses.h"
#include "service/service.h"

namespace modelgate::service {
namespace {

constexpr std::size_t kMaxKeyLength = 255;

// Reads the key from the header or the body field the contract names; empty when absent.
std::string KeyOf(const contract::Idempotency& rule, const http::Request& request,
                  simdjson::dom::element document) {
  if (rule.source == contract::IdempotencySource::kHeader) {
    auto value = request[rule.header];
    return std::string(value.data(), value.size());
  }
  std::string_view value;
  if (document.at_key(rule.field).get_string().get(value) != simdjson::SUCCESS) return {};
  return std::string(value);
}

}  // namespace

// Keys are scoped to the service and major version by the store (one per contract version) and
// to the client by the value of the contract's client header (an API key), so two clients that
// pick the same key never see each other's answers. The store keeps a SHA-256 prefix of the
// client value, never the value itself, because the records are written to disk.
std::string Service::ScopedKey(const http::Request& request, const std::string& key) const {
  auto client = request[contract_.constraints.client_header];
  if (client.empty()) return key;
  return idempotency::Digest(std::string_view(client.data(), client.size())).substr(0, 32) + "/" +
         key;
}

std::optional<Answer> Service::CheckIdempotency(const http::Request& request,
                                                simdjson::dom::element document,
                                                const RequestContext& context, std::string& key) {
  const auto& rule = contract_.behavior.idempotency;
  unsigned version = request.version();
  std::string where = rule.source == contract::IdempotencySource::kHeader
                          ? "the " + rule.header + " header"
                          : "the field " + rule.field;
  std::string sent_key = KeyOf(rule, request, document);
  if (sent_key.empty()) {
    if (!rule.required) return std::nullopt;
    return Error("INVALID_INPUT",
                 problem::WithDetail("an idempotency key is required in " + where +
                                     "; send a unique key per operation"),
                 context, version);
  }
  if (sent_key.size() > kMaxKeyLength) {
    return Error("INVALID_INPUT",
                 problem::WithDetail(
                     "the idempotency key in " + where + " has " + std::to_string(sent_key.size()) +
                     " characters; the maximum is " + std::to_string(kMaxKeyLength)),
                 context, version);
  }
  // The digest covers the document, not its bytes, so whitespace does not make a new body.
  std::string scoped = ScopedKey(request, sent_key);
  auto claim = store_->Begin(scoped, idempotency::Digest(simdjson::minify(document)), rule.window);
  switch (claim.outcome) {
    case idempotency::Outcome::kFirst:
      key = std::move(scoped);
      return std::nullopt;
    case idempotency::Outcome::kReplay: {
      metrics_.CountReplay();
      auto response = JsonResponse(claim.stored.status, std::move(claim.stored.body),
                                   claim.stored.content_type, context, version);
      if (claim.stored.status < 300) response.set("X-Model-Version", model_version_);
      response.set("Idempotency-Replayed", "true");
      return Answer{std::move(response), claim.stored.code};
    }
    case idempotency::Outcome::kInFlight: {
      problem::Problem problem = problem::WithDetail(
          "a request with this idempotency key is still running; retry after the Retry-After "
          "delay to get its answer");
      problem.retry_after_seconds = 1;
      Answer conflict = Error("IDEMPOTENCY_CONFLICT", std::move(problem), context, version);
      conflict.in_flight_key = std::move(scoped);
      return conflict;
    }
    case idempotency::Outcome::kReused:
      break;
  }
  return Error("IDEMPOTENCY_KEY_REUSED",
               problem::WithDetail("this idempotency key was used with a different body; use a "
                                   "new key for a new operation"),
               context, version);
}

void Service::Remember(const std::string& key, const Answer& answer) {
  const contract::ErrorSpec* error =
      answer.code.empty() ? nullptr : contract_.FindError(answer.code);
  // Failures a retry can fix are not stored, so the retry runs the model again.
  if (error && error->retryable) {
    store_->Abandon(key);
    return;
  }
  const auto& response = answer.response;
  auto content_type = response[http::beast_http::field::content_type];
  store_->Complete(key, {static_cast<int>(response.result_int()), answer.code,
                         std::string(content_type.data(), content_type.size()), response.body()});
}

}  // namespace modelgate::service
