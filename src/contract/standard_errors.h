#pragma once

#include <string_view>
#include <vector>

#include "contract/types.h"

namespace modelgate::contract {

// The error codes every service answers with, with their HTTP status and retry semantics.
// A contract may override the description, backoff and retry guidance of a standard code and
// declare more codes; it may not move a standard code to another status.
const std::vector<ErrorSpec>& StandardErrors();
const ErrorSpec* FindStandardError(std::string_view code);

}  // namespace modelgate::contract
