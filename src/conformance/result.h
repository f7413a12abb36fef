#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/http_client.h"

namespace modelgate::conformance {

enum class Outcome { kPass, kFail, kSkip };

std::string_view OutcomeName(Outcome outcome);

// The outcome of one check, with the exchange that decided it.
struct CheckResult {
  std::string name;  // group/case, such as invalid/bound/amount<minimum
  Outcome outcome = Outcome::kPass;
  // The rules the response broke (for failures) or why the check did not run (for skips).
  std::vector<std::string> messages;
  std::string detail;  // what was measured, for any outcome, such as a percentile
  client::HttpRequest request;
  std::optional<client::HttpResponse> response;  // empty when the exchange failed
  double seconds = 0;                            // time the check took

  std::string_view group() const { return std::string_view(name).substr(0, name.find('/')); }
};

}  // namespace modelgate::conformance
