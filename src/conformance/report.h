#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conformance/result.h"

namespace modelgate::conformance {

enum class ReportFormat { kText, kJson };

struct Summary {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};

Summary Summarize(const std::vector<CheckResult>& results);

// Text: one line per check with `PASS`, `FAIL` or `SKIP`, the name and what was measured. Each
// failure is followed by the rules it broke, the request, and the response status, headers and
// the first 512 bytes of the body. A last line counts the outcomes.
// JSON: {"target", "contract", "seed", "checks": [{name, group, outcome, messages, detail,
// seconds, request: {method, target, headers, body}, response: {status, headers, body}}],
// "summary": {passed, failed, skipped}}, with the request and response only for failures.
std::string RenderReport(const std::vector<CheckResult>& results, ReportFormat format,
                         std::string_view contract_file, std::string_view target,
                         std::uint64_t seed);

// JUnit XML for CI systems: one testsuite per group, one testcase per check with its group as
// classname, a failure element with the broken rules and the evidence, and skipped elements.
std::string RenderJunit(const std::vector<CheckResult>& results, std::string_view suite_name);

}  // namespace modelgate::conformance
