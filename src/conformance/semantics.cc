// The "semantics" group: idempotent replay, key reuse, determinism, request ids and
// deprecation headers.
#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>

#include "conformance/field_values.h"
#include "conformance/session.h"

namespace modelgate::conformance {
namespace {

bool HeaderKeyed(const contract::Contract& contract) {
  return contract.behavior.idempotency.source == contract::IdempotencySource::kHeader;
}

// Returns `request` with its body replaced by another valid document and the same key: the
// first optional top-level field toggled, else the first bounded number moved to another end.
std::optional<client::HttpRequest> OtherBodySameKey(const contract::Contract& contract,
                                                    const client::HttpRequest& request) {
  for (const auto& field : contract.request.fields) {
    Path path{field.name};
    if (IsKeyField(contract, path)) continue;
    auto current = ValueAt(request.body, path);
    std::optional<std::string> value;
    if (!field.required) {
      value = current ? std::nullopt
                      : std::optional(RequestFactory::GenerateValue(field, contract.major));
    } else if (field.minimum && field.maximum && *field.minimum < *field.maximum) {
      std::string low = NumberText(field, *field.minimum);
      value = current == low ? NumberText(field, *field.maximum) : low;
    } else {
      continue;
    }
    auto edited = Edit(request.body, path, value);
    if (!edited.ok() || *edited == request.body) continue;
    auto other = request;
    other.body = *edited;
    return other;
  }
  return std::nullopt;
}

void CheckReplay(Session& session) {
  auto request = session.factory.Fresh(session.factory.baseline());
  auto first = session.Send("semantics/idempotent-replay", request);
  if (!first.response) return session.Record(std::move(first), {});
  auto second = session.Send("semantics/idempotent-replay", request);
  std::vector<std::string> messages;
  if (second.response) {
    messages = session.checker.CheckSuccess(*second.response);
    if (second.response->body != first.response->body) {
      messages.push_back("the replayed body differs from the first response: " +
                         first.response->body.substr(0, 200));
    }
    if (second.response->Header("Idempotency-Replayed") != "true") {
      messages.push_back("header Idempotency-Replayed must be \"true\" on a replay, got \"" +
                         second.response->Header("Idempotency-Replayed") + "\"");
    }
  }
  session.Record(std::move(second), std::move(messages));
}

void CheckKeyReuse(Session& session) {
  const char* name = "semantics/idempotency-key-reused";
  auto request = session.factory.Fresh(session.factory.baseline());
  auto other = OtherBodySameKey(session.contract, request);
  if (!other) {
    return session.Skip(name,
                        "no second valid body found: the request has no optional field "
                        "and no bounded number besides the key");
  }
  auto first = session.Send(name, request);
  if (!first.response) return session.Record(std::move(first), {});
  auto second = session.Send(name, *other);
  std::vector<std::string> messages;
  const auto* reused = session.contract.FindError("IDEMPOTENCY_KEY_REUSED");
  if (second.response) messages = session.checker.CheckProblem(*reused, "", *second.response);
  session.Record(std::move(second), std::move(messages));
}

void CheckDeterminism(Session& session) {
  const char* name = "semantics/deterministic";
  auto request = session.factory.Fresh(session.factory.baseline());
  auto first = session.Send(name, request);
  if (!first.response) return session.Record(std::move(first), {});
  // A header key is changed so that the second response is computed again, not replayed.
  if (session.contract.behavior.idempotency.enabled && HeaderKeyed(session.contract)) {
    request = session.factory.Fresh(session.factory.baseline());
  }
  auto second = session.Send(name, request);
  std::vector<std::string> messages;
  if (second.response) {
    messages = session.checker.CheckSuccess(*second.response);
    if (second.response->body != first.response->body) {
      messages.push_back(absl::StrCat("the same body got another response within \"",
                                      session.contract.behavior.deterministic_within,
                                      "\"; the first was ", first.response->body.substr(0, 200)));
    }
  }
  session.Record(std::move(second), std::move(messages));
}

void CheckRequestId(Session& session) {
  auto request = session.factory.Fresh(session.factory.baseline());
  std::string id = absl::StrCat("mgtest-", session.options.seed, "-request-id");
  request.headers.emplace_back("X-Request-Id", id);
  auto result = session.Send("semantics/request-id-echoed", request);
  std::vector<std::string> messages;
  if (result.response && result.response->Header("X-Request-Id") != id) {
    messages.push_back("header X-Request-Id must echo the request's \"" + id + "\", got \"" +
                       result.response->Header("X-Request-Id") + "\"");
  }
  session.Record(std::move(result), std::move(messages));
}

void CheckDeprecation(Session& session) {
  const auto& deprecation = session.contract.deprecation;
  auto result = session.Send("semantics/deprecation-headers",
                             session.factory.Fresh(session.factory.baseline()));
  std::vector<std::string> messages;
  if (result.response) {
    const auto& response = *result.response;
    if (!response.HasHeader("Deprecation")) messages.push_back("header Deprecation is missing");
    if (!deprecation.sunset.empty() && !response.HasHeader("Sunset")) {
      messages.push_back("header Sunset is missing; the contract sets sunset " +
                         deprecation.sunset);
    }
    if (!deprecation.successor.empty() &&
        !absl::StrContains(response.Header("Link"), "rel=\"successor-version\"")) {
      messages.push_back(
          "header Link with rel=\"successor-version\" is missing; the contract "
          "names successor " +
          deprecation.successor);
    }
  }
  session.Record(std::move(result), std::move(messages));
}

}  // namespace

void RunSemantics(Session& session) {
  const auto& contract = session.contract;
  if (contract.behavior.idempotency.enabled) {
    CheckReplay(session);
    CheckKeyReuse(session);
  } else {
    session.Skip("semantics/idempotent-replay", "the contract does not declare idempotency");
  }
  if (!contract.behavior.deterministic_within.empty()) {
    CheckDeterminism(session);
  } else {
    session.Skip("semantics/deterministic", "the contract does not declare determinism");
  }
  CheckRequestId(session);
  if (contract.deprecation.deprecated) CheckDeprecation(session);
}

}  // namespace modelgate::conformance
