#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace modelgate::tools {

enum class Severity { kError, kWarning, kNote };

// One problem a review command found in a contract, at a place in it.
struct Finding {
  std::string rule;  // stable id such as "unbounded-string"
  Severity severity = Severity::kWarning;
  std::string file;     // contract file the finding is in
  std::string pointer;  // JSON Pointer into the contract, such as /request/fields/2
  int line = 0;         // 1-based line in `file` when known, else 0
  int column = 0;
  std::string message;  // what is wrong
  std::string fix;      // how to fix it
};

enum class ReportFormat { kText, kJson, kSarif };

// Renders findings for people (one block per finding), as a JSON array, or as SARIF 2.1.0 with
// `tool_name` as the driver and one rule entry per distinct rule id.
std::string RenderFindings(const std::vector<Finding>& findings, ReportFormat format,
                           std::string_view tool_name);

std::string_view SeverityName(Severity severity);

// The tool a report comes from, as SARIF describes it.
struct ReportTool {
  std::string name;             // the SARIF driver name, such as "modelgate lint"
  std::string version;          // the tool's version; left out when empty
  std::string information_uri;  // where the rules are documented; left out when empty
  // A one-line description of each rule id. A rule without one is described by its id.
  std::map<std::string, std::string, std::less<>> rule_descriptions;
};

// Builds the SARIF driver of a command from its rule catalogue, whose entries have `id` and
// `summary`.
template <typename Rules>
ReportTool MakeReportTool(std::string name, const Rules& rules) {
  ReportTool tool;
  tool.name = std::move(name);
  for (const auto& rule : rules) {
    tool.rule_descriptions.emplace(std::string(rule.id), std::string(rule.summary));
  }
  return tool;
}

// The same as the overload above, with the SARIF rule entries described by `tool`.
//
// Text: one block per finding, in the given order: `file:line:col: severity [rule] message`
// (`file:line:` without a column, `file:` without a line), then `  at: pointer` and `  fix: fix`
// when those are set, and a last line `N errors, N warnings, N notes`.
// JSON: {"findings": [{rule, severity, file, pointer, line, column, message, fix}],
//        "summary": {"errors": N, "warnings": N, "notes": N}}, line and column 0 when unknown.
// SARIF 2.1.0: one run; results carry the level, the message with its fix, and a physical
// location (a relative path as a relative URI, an absolute one as a file: URI) whose region is
// left out when the line is unknown; `properties.pointer` contains the pointer. Every format ends
// with a newline.
std::string RenderFindings(const std::vector<Finding>& findings, ReportFormat format,
                           const ReportTool& tool);

struct FindingCounts {
  int errors = 0;
  int warnings = 0;
  int notes = 0;
};

FindingCounts CountFindings(const std::vector<Finding>& findings);

}  // namespace modelgate::tools
