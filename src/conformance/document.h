#pragma once

#include <absl/status/statusor.h>

#include <optional>
#include <string>
#include <vector>

namespace modelgate::conformance {

// A place in a JSON document: member names, and decimal indexes for array items.
using Path = std::vector<std::string>;

// The JSON Pointer (RFC 6901) of `path`, such as /features/hour_of_day.
std::string Pointer(const Path& path);

// Returns `document` (JSON text) with the value at `path` replaced by `value` (JSON text), or
// removed when `value` is empty. Objects missing along the path are created; the other members
// keep their order. Fails when the document does not parse or the path runs into a scalar.
absl::StatusOr<std::string> Edit(const std::string& document, const Path& path,
                                 const std::optional<std::string>& value);

// Returns the JSON text of the value at `path`, or nullopt when there is none.
std::optional<std::string> ValueAt(const std::string& document, const Path& path);

}  // namespace modelgate::conformance
