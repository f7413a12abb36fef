#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "contract/types.h"
#include "contract/yaml_reader.h"

namespace modelgate::contract {

// Reads a `fields` list in the compact style of ML design docs. Each item is a mapping with
// `name` and `type` (`string`, `number`, `integer`, `boolean`, `object`, `array[T]`, nested
// `array[array[T]]`) and optional rules. A name may be a flattened path such as
// `results[].ranked[].score`, which adds a member to the items of `results[].ranked`; parents
// that are not declared are created as optional. A mapping from names to rules is accepted too.
std::vector<Field> ReadFields(const YAML::Node& node, const std::string& path,
                              Diagnostics& diagnostics);

// Parses a type expression; returns false when it is not one.
bool ParseTypeExpression(std::string_view text, Field& field);

// Finds a field by a flattened path such as `results[].ranked`; nullptr when absent.
const Field* FindField(const std::vector<Field>& fields, std::string_view path);

}  // namespace modelgate::contract
