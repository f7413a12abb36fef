#pragma once

// Helpers shared by the tests of the spam and embeddings examples.

#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

#include "http_client.h"

namespace modelgate::testing {

// Copies the contract of `example` (a folder under examples/) to a temporary folder, applies
// each (from, to) text replacement and makes its model path absolute. Aborts when a `from`
// text is missing, because the example changed and the test must change with it.
std::string ExampleContractCopy(const std::string& example, const std::string& artifact,
                                const std::vector<std::pair<std::string, std::string>>& edits);

// Returns a string of `count` ASCII characters made of five-letter words and spaces.
std::string Words(std::size_t count);

// Returns `text` as a JSON string literal.
std::string Quoted(const std::string& text);

// Returns the `rule` values of the errors of a problem document whose `field` is `field`.
std::vector<std::string> ErrorRules(const std::string& problem, const std::string& field);

}  // namespace modelgate::testing
