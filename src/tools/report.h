#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace modelgate::tools {

enum class Severity { kError, kWarning, kNote };

// One problem a review command found in a contract, at a place in it.
struct Finding {
  std::string rule;      // stable id such as "unbounded-string"
  Severity severity = Severity::kWarning;
  std::string file;      // contract file the finding is in
  std::string pointer;   // JSON Pointer into the contract, such as /request/fields/2
  int line = 0;          // 1-based line in `file` when known, else 0
  int column = 0;
  std::string message;   // what is wrong
  std::string fix;       // how to fix it
};

enum class ReportFormat { kText, kJson, kSarif };

// Renders findings for people (one block per finding), as a JSON array, or as SARIF 2.1.0 with
// `tool_name` as the driver and one rule entry per distinct rule id.
std::string RenderFindings(const std::vector<Finding>& findings, ReportFormat format,
                           std::string_view tool_name);

std::string_view SeverityName(Severity severity);

}  // namespace modelgate::tools
