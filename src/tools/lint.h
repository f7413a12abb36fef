#pragma once

#include <absl/status/statusor.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contract/types.h"
#include "tools/report.h"

namespace modelgate::tools {

// `modelgate lint`: reviews a contract against the checklist of a good ML interface (bounded
// inputs, unambiguous outputs, retry guidance, latency and timeouts, versioning, idempotency,
// PII decisions, observability, capacity) and reports what is missing or contradictory.
// docs/tools-lint.md describes every rule.

// One rule of the catalogue. Each rule has one severity, whatever the contract.
struct LintRule {
  std::string_view id;  // stable, such as "unbounded-string"
  Severity severity;
  std::string_view summary;  // one line, used as the SARIF short description
};

// Every rule, grouped by topic as docs/tools-lint.md lists them.
const std::vector<LintRule>& LintRules();

// Reviews a loaded contract. Each finding has its rule's severity, the file the contract was
// loaded from, a JSON Pointer into the public contract as `GET /v1/contract` exports it (so
// `/request/fields/3/items` is the items of the fourth request field), the line and column of
// the field or error declaration when the finding is about one (0 otherwise), a message and a
// fix. Findings come in a fixed order: the field rules in field order, then the rules on the
// contract as a whole. A contract with nothing to report gives no findings.
std::vector<Finding> LintContract(const contract::Contract& contract);

// Sets the line and column of findings that have none from `source_text`, the contract file's
// YAML or JSON text. The place is the key of the deepest member of the finding's pointer that the
// file contains, under any of the key's aliases. So a missing `constraints.timeout_ms` points at
// `constraints:`. Findings whose pointer matches nothing in the file keep line 0, and text that
// does not parse leaves every finding as it was.
void LocateFindings(std::string_view source_text, std::vector<Finding>& findings);

// Loads the contract at `path` and lints it, with findings located in the file and ordered by
// line (findings without a line last). Returns the loader's error when the file cannot be read
// or the contract does not load; its message lists each problem as `file:line:col: ...`.
absl::StatusOr<std::vector<Finding>> LintFile(const std::string& path);

// The report description of the lint tool: its name and one description per rule.
ReportTool LintReportTool();

// Parts shared by the files of the lint command; not for other callers.
namespace lint_internal {

// Collects the findings of one contract, each with the severity the catalogue gives its rule.
class Reporter {
 public:
  explicit Reporter(std::string file) : file_(std::move(file)) {}

  // Adds a finding of the rule `rule_id` about the declaration at `where`. Throws
  // std::logic_error when the catalogue has no such rule, which is a bug in a check.
  void Add(std::string_view rule_id, std::string pointer, const contract::SourceLocation& where,
           std::string message, std::string fix);

  // Adds a finding about the contract as a whole or a key it lacks, with no line.
  void Add(std::string_view rule_id, std::string pointer, std::string message, std::string fix) {
    Add(rule_id, std::move(pointer), contract::SourceLocation{}, std::move(message),
        std::move(fix));
  }

  std::vector<Finding> Take() { return std::move(findings_); }

 private:
  std::string file_;
  std::vector<Finding> findings_;
};

// Runs the rules on the request and response fields: bounded inputs, the payload size, scores,
// lists, confidence and reason codes, and personal data.
void CheckFields(const contract::Contract& contract, Reporter& report);

// `value` as the shortest JSON number text, such as 80 or 0.25.
std::string FormatNumber(double value);

}  // namespace lint_internal

}  // namespace modelgate::tools
