#pragma once

#include <absl/status/status.h>

#include <span>

#include "json/writer.h"

namespace modelgate::backend {

// Writes `value` in the shortest decimal form that reads back as the same float, without
// widening it to double: 0.1F is written as 0.1, not 0.10000000149011612.
void WriteFloat(json::Writer& writer, float value);

// Writes `values` as a JSON array of numbers in the form of WriteFloat. Returns InternalError,
// with nothing written, when a value is NaN or infinite, since JSON has no such numbers.
absl::Status WriteFloatArray(json::Writer& writer, std::span<const float> values);

}  // namespace modelgate::backend
