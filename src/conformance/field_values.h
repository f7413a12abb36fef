#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "conformance/document.h"
#include "conformance/probe.h"
#include "contract/types.h"

namespace modelgate::conformance {

// Calls `visit` for every field of `fields` and of their object members, depth first, with its
// path and a valid document in which its parent object exists (`base`, or `base` with the
// parent filled with generated members). Members of objects in an array are visited in the
// array's first item, when `base` has one.
using FieldVisitor =
    std::function<void(const contract::Field&, const Path&, const std::string& base)>;
void ForEachField(const std::vector<contract::Field>& fields, const std::string& base,
                  const FieldVisitor& visit, const Path& prefix = {});

// JSON text of a string of `length` code points that matches the field's pattern when
// `match_pattern` is set. Returns nullopt when no repeated character matches it, or when the
// field has a format, which fixes the form of its values.
std::optional<std::string> StringOfLength(const contract::Field& field, std::size_t length,
                                          bool match_pattern = true);

// JSON text of `value` as the field's type: an integer for integers, a number otherwise.
std::string NumberText(const contract::Field& field, double value);

// JSON text of an array of `length` generated valid items of the field.
std::string ArrayOfLength(const contract::Field& field, std::size_t length, std::uint64_t seed);

// JSON text of a value of the wrong JSON type for the field.
std::string WrongTypeValue(const contract::Field& field);

// JSON text of one enum member.
std::string ScalarText(const contract::Scalar& value);

// Whether `path` is the body field that carries the idempotency key.
bool IsKeyField(const contract::Contract& contract, const Path& path);

// The path of a flattened field name such as `items.text`.
Path SplitPath(const std::string& flattened);

}  // namespace modelgate::conformance
