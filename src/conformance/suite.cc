#include "conformance/suite.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>

#include <algorithm>
#include <thread>

#include "conformance/session.h"

namespace modelgate::conformance {
namespace {

// How often one request is sent again after a 429 outside the burst group.
constexpr int kMaxThrottledRetries = 3;

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
    case Outcome::kSkip:
      return "skip";
  }
  return "fail";
}

Session::Session(const contract::Contract& contract, const client::Url& target,
                 const SuiteOptions& options)
    : contract(contract),
      target(target),
      options(options),
      client(target, options.timeout),
      checker(contract),
      factory(contract, options.seed) {}

CheckResult Session::Send(std::string name, const client::HttpRequest& request) {
  CheckResult result;
  result.name = std::move(name);
  result.request = request;
  result.request.target = target.Target(request.target);
  auto start = std::chrono::steady_clock::now();
  auto response = client.Send(result.request);
  // Throttling between checks breaks no clause, so the request is sent again after the
  // Retry-After delay, a bounded number of times.
  for (int retry = 0; retry < kMaxThrottledRetries && response.ok() && response->status == 429;
       ++retry) {
    int seconds = 1;
    if (!absl::SimpleAtoi(response->Header("Retry-After"), &seconds)) seconds = 1;
    std::this_thread::sleep_for(std::chrono::seconds(std::clamp(seconds, 1, 5)));
    result.detail = absl::StrCat("throttled ", retry + 1, " times and sent again");
    start = std::chrono::steady_clock::now();
    response = client.Send(result.request);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (response.ok()) {
    result.response = *std::move(response);
  } else {
    result.outcome = Outcome::kFail;
    result.messages.push_back(std::string(response.status().message()));
  }
  return result;
}

void Session::Record(CheckResult result, std::vector<std::string> messages) {
  for (auto& message : messages) result.messages.push_back(std::move(message));
  if (!result.messages.empty()) result.outcome = Outcome::kFail;
  results.push_back(std::move(result));
}

void Session::Skip(std::string name, std::string reason) {
  CheckResult result;
  result.name = std::move(name);
  result.outcome = Outcome::kSkip;
  result.messages.push_back(std::move(reason));
  results.push_back(std::move(result));
}

void Session::Run(const Probe& probe) {
  auto result = Send(probe.name, probe.request);
  std::vector<std::string> messages;
  if (result.response) messages = checker.Check(probe.expect, *result.response);
  Record(std::move(result), std::move(messages));
}

std::vector<CheckResult> RunSuite(const contract::Contract& contract, const client::Url& target,
                                  const SuiteOptions& options) {
  Session session(contract, target, options);
  auto runs = [&](const char* group) { return !options.skip.contains(group); };
  if (runs("valid")) {
    for (const auto& probe : ValidProbes(session.factory)) session.Run(probe);
  }
  if (runs("invalid")) {
    for (const auto& probe : InvalidProbes(session.factory)) session.Run(probe);
  }
  if (runs("semantics")) RunSemantics(session);
  if (runs("slo")) RunLatency(session);
  if (runs("burst")) RunBurst(session);
  return std::move(session.results);
}

absl::Status CheckReachable(const client::Url& target, std::chrono::milliseconds timeout) {
  client::HttpClient probe(target, timeout);
  client::HttpRequest request;
  request.method = "GET";
  request.target = target.Target("/");
  auto response = probe.Send(request);
  if (response.ok()) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat("target http://", target.authority(),
                                             " is not usable: ", response.status().message(),
                                             "; start the service or fix --target"));
}

}  // namespace modelgate::conformance
