#pragma once

#include <absl/status/statusor.h>

#include <string>

#include "contract/types.h"

namespace modelgate::contract {

// Loads a contract from a YAML or JSON file. On failure the status message lists every problem
// as `file:line:column: key: what is wrong and what is allowed`, one per line.
absl::StatusOr<Contract> LoadContract(const std::string& path);

// Loads a contract from text; `file` names it in messages and resolves relative artifact paths.
absl::StatusOr<Contract> LoadContractText(const std::string& text, const std::string& file);

}  // namespace modelgate::contract
