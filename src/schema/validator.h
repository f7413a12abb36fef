#pragma once

#include <simdjson.h>

#include <memory>
#include <string>
#include <vector>

#include "contract/types.h"

namespace modelgate::schema {

// One broken rule: where (a JSON Pointer into the document), which rule, and a message that
// names the allowed value so the sender can fix it.
struct Violation {
  std::string pointer;
  std::string rule;  // required, type, min_len, max_len, minimum, maximum, enum, pattern, ...
  std::string message;
};

struct CompiledField;  // a Field with its pattern compiled, private to the validator

// The rules a document is checked against: the fields of a request or a response, the limits that
// apply to the whole document, and the orderings a response guarantees.
struct Rules {
  std::vector<contract::Field> fields;
  contract::ValidationPolicy policy;
  contract::RequestLimits limits;
  std::string batch_field;
  std::vector<contract::Ordering> ordering;
};

// Names the JSON type of a value for messages: "a string", "an array", "null", ...
std::string_view JsonTypeName(simdjson::dom::element value);

Rules RequestRules(const contract::Contract& contract);
Rules ResponseRules(const contract::Contract& contract);

// Checks parsed documents against rules compiled once. Validate is const and thread-safe: it
// keeps no state between calls, and compiled patterns are safe to share across threads.
class Validator {
 public:
  explicit Validator(Rules rules);
  ~Validator();
  Validator(Validator&&) noexcept;
  Validator& operator=(Validator&&) noexcept;

  // Appends every violation in `document` to `out`; returns true when there were none.
  bool Validate(simdjson::dom::element document, std::vector<Violation>& out) const;

  const Rules& rules() const { return rules_; }

 private:
  Rules rules_;
  std::vector<CompiledField> compiled_;
  std::string batch_pointer_;  // JSON Pointer of the batch field, empty when there is none
};

}  // namespace modelgate::schema
