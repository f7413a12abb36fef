#pragma once

#include <string>

#include "contract/types.h"
#include "json/writer.h"

namespace modelgate::contract {

// Public contract export, served by `GET /v1/contract`.
//
// Keys are snake_case and follow the contract file's keys. Every value in force is written, and
// defaults are written too ("unknown_fields": "reject", "max_depth": 64). Value conventions:
//   - An optional value that the contract leaves unset is omitted, never written as null. A text
//     value that the contract leaves empty (a pattern, a description) is omitted too.
//   - Lists and maps are always written, empty when the contract declares none.
//   - Durations are in milliseconds, or in seconds where the key ends in `_s`. Sizes are in bytes.
//   - An object field without "fields" accepts any members, as in JSON Schema.

// Writes the public contract as one JSON object: every section except the `model` binding, which
// names the implementation behind the contract and is not part of its public interface.
std::string ExportPublicContract(const Contract& contract);

// Appends one field, with its items and members recursively, as a JSON Schema-like object. Arrays
// name their length bounds min_items and max_items, strings min_len and max_len.
// Appends a contract scalar (an enum member or a bound) as the JSON value of its own type.
void WriteScalar(json::Writer& writer, const Scalar& value);

void WriteField(json::Writer& writer, const Field& field);

// Writers of the remaining sections. Each appends the section's value, one JSON object, so the
// caller writes the key first.
void WriteConstraints(json::Writer& writer, const Constraints& constraints);
void WriteBehavior(json::Writer& writer, const Behavior& behavior);
void WriteObservability(json::Writer& writer, const Observability& observability);
void WriteCompatibility(json::Writer& writer, const Versioning& compatibility);
void WriteDeprecation(json::Writer& writer, const Deprecation& deprecation);
void WriteSafety(json::Writer& writer, const Safety& safety);
void WriteBudget(json::Writer& writer, const Budget& budget);

}  // namespace modelgate::contract
