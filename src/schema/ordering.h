#pragma once

#include <simdjson.h>

#include <vector>

#include "contract/types.h"
#include "schema/validator.h"

namespace modelgate::schema {

// Checks that every list at the flattened path `ordering.list` (`results` or `results[].ranked`)
// is sorted by its items' member `ordering.by`, or by the item values when `by` is empty. Equal
// neighbours are in order both ways. Appends one violation per list out of order.
void CheckOrdering(simdjson::dom::element document, const contract::Ordering& ordering,
                   std::vector<Violation>& out);

}  // namespace modelgate::schema
