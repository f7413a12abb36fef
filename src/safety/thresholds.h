#pragma once

#include <simdjson.h>

#include <string>
#include <vector>

#include "contract/types.h"

namespace modelgate::safety {

// Applies the contract's confidence thresholds to a response document. Every object that holds
// a threshold's `field` as a number strictly below `below` (and, when the threshold names a
// label, whose `label` member equals it) gets the threshold's action in its `action_field`
// member, replacing the value there or adding the member. The first applicable threshold in
// declared order wins. Returns the rewritten JSON text in `out` and the number of objects
// changed; when it returns 0, `out` is left empty and the document stands as it is.
std::size_t ApplyThresholds(const std::vector<contract::Threshold>& thresholds,
                            simdjson::dom::element document, std::string& out,
                            std::vector<std::string>* actions_applied = nullptr);

}  // namespace modelgate::safety
