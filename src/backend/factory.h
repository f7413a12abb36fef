#pragma once

#include <memory>

#include "backend/backend.h"
#include "contract/types.h"

namespace modelgate::backend {

// Builds the backend named by the contract's model section. Throws std::runtime_error when the
// contract has no model section, names an unknown backend or its binding fails a start-up check.
std::unique_ptr<Backend> MakeBackend(const contract::Contract& contract);

}  // namespace modelgate::backend
