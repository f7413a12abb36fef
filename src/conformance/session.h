#pragma once

#include <functional>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "conformance/probe.h"
#include "conformance/response_checks.h"
#include "conformance/result.h"
#include "conformance/suite.h"

namespace modelgate::conformance {

// The state one run of the suite shares: the contract, a client, a checker and the request
// factory. Checks append their results to `results`.
struct Session {
  Session(const contract::Contract& contract, const client::Url& target,
          const SuiteOptions& options);

  // Sends `request` and records the exchange in a result named `name`. A request that gets 429 is
  // sent again after its Retry-After (1 to 5 s), up to 3 times. A failed exchange makes the result
  // fail with the reason; `response` is empty then.
  CheckResult Send(std::string name, const client::HttpRequest& request);
  // Sends a probe and checks the response against its expectation.
  void Run(const Probe& probe);
  // Records `result`, failing it when `messages` is not empty.
  void Record(CheckResult result, std::vector<std::string> messages);
  void Skip(std::string name, std::string reason);

  const contract::Contract& contract;
  const client::Url& target;
  const SuiteOptions& options;
  client::HttpClient client;
  ResponseChecker checker;
  RequestFactory factory;
  std::vector<CheckResult> results;
};

void RunSemantics(Session& session);
void RunLatency(Session& session);
void RunBurst(Session& session);

}  // namespace modelgate::conformance
