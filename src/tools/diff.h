#pragma once

#include <absl/status/statusor.h>

#include <string>
#include <string_view>
#include <vector>

#include "contract/types.h"
#include "tools/report.h"

namespace modelgate::tools {

// One rule of `modelgate diff`. Each rule has one severity, except `version-policy`, which is an
// error for breaking changes and a warning for other changes.
struct DiffRule {
  std::string_view id;  // stable, such as "request-bound-narrowed"
  Severity severity;
  std::string_view summary;  // one line, used as the SARIF short description
};

// Every rule, breaking ones first, in the order docs/tools-diff.md lists them.
const std::vector<DiffRule>& DiffRules();

// Compares two versions of one contract from the consumers' side and returns one finding per
// change: breaking changes are errors, compatible changes are notes, and slower latency or
// throughput targets are `slo-regression` warnings. A `version-policy` finding follows when the
// version change does not match the changes: breaking changes need a new major version (error),
// other changes at least a new minor version (warning). Identical contracts give no findings.
//
// Pointers name fields, errors and orderings by name, not by index: a member of an object is
// `.../fields/<name>` and the items of an array are `.../items`, so the flattened response path
// `results[].ranked[].score` is `/response/fields/results/items/fields/ranked/items/fields/score`.
// docs/tools-diff.md lists every rule.
std::vector<Finding> DiffContracts(const contract::Contract& before,
                                   const contract::Contract& after);

// Whether a diff may ship as it is: no breaking change (no error) and no `version-policy`
// finding. `modelgate diff` exits 0 when this is true and 1 otherwise.
bool DiffPasses(const std::vector<Finding>& findings);

// Loads two contract files and compares them with DiffContracts. Findings without a line from
// the loader (sections such as `constraints`) get the place in their file that their pointer leads
// to, as LocateFindings in tools/lint.h finds it. When a file cannot be read or does not load,
// returns the errors of both files, one per line, as `file:line:column: ...`.
absl::StatusOr<std::vector<Finding>> DiffFiles(const std::string& before_path,
                                               const std::string& after_path);

// The report description of the diff tool: its name and one description per rule.
ReportTool DiffReportTool();

}  // namespace modelgate::tools
