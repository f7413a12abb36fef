#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "contract/types.h"
#include "json/writer.h"

namespace modelgate::tools {

// JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of contract fields, as the request and
// response validators in src/schema apply them.
struct SchemaOptions {
  // Objects with declared members get `additionalProperties: false`, and so does the top level
  // whether or not it declares members: the request validator rejects unknown fields there.
  bool reject_unknown_fields = false;
  // The batch field gets `maxItems` no larger than `max_batch`.
  const contract::Field* batch_field = nullptr;
  std::optional<std::size_t> max_batch;
};

// Appends the schema of one field: type (with "null" when nullable), description, length bounds
// (minLength and maxLength count code points, as the validator does), minimum and maximum,
// pattern, format, enum, default, examples, and members or items recursively.
void WriteFieldSchema(json::Writer& writer, const contract::Field& field,
                      const SchemaOptions& options);

// Appends the schema of a top-level document: an object whose members are `fields`.
void WriteDocumentSchema(json::Writer& writer, const std::vector<contract::Field>& fields,
                         const SchemaOptions& options, std::string_view description);

// Appends the schema of an RFC 9457 problem document as problem::Render writes it.
void WriteProblemSchema(json::Writer& writer);

// Appends the schema of one entry of a problem's `errors` list.
void WriteViolationSchema(json::Writer& writer);

}  // namespace modelgate::tools
