#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace modelgate::json {

struct ParseOptions {
  // Containers nested deeper than this are rejected; the outermost object has depth 1.
  std::size_t max_depth = 64;
  // RFC 8259 allows duplicate member names; I-JSON (RFC 7493) forbids them, and so do we unless a
  // contract relaxes it, because parsers disagree on which duplicate wins.
  bool allow_duplicate_keys = false;
};

struct ParseError {
  std::string message;  // what is wrong and how to fix it, for the problem `detail`
  std::string pointer;  // JSON Pointer of the offending member, empty when not known
};

// A strict RFC 8259 parser. One instance reuses its buffers across calls and is not thread-safe:
// keep one per thread. The element returned by Parse stays valid until the next call.
class StrictParser {
 public:
  explicit StrictParser(ParseOptions options = {});

  // Parses `text`, which must be followed by at least simdjson::SIMDJSON_PADDING readable bytes
  // (a std::string with that much spare capacity qualifies; otherwise the text is copied).
  // Returns false and fills `error` when the text is not one valid JSON value: invalid UTF-8,
  // lone surrogates, NaN or Infinity, comments, trailing commas or data, numbers beyond a double,
  // integers beyond 64 bits, nesting deeper than the limit, or a duplicate key under the policy.
  bool Parse(std::string_view text, std::size_t capacity, simdjson::dom::element& root,
             ParseError& error);
  bool Parse(const std::string& text, simdjson::dom::element& root, ParseError& error) {
    return Parse(text, text.capacity(), root, error);
  }

  const ParseOptions& options() const { return options_; }

 private:
  ParseOptions options_;
  simdjson::dom::parser parser_;
};

// Describes a simdjson error code in words a client can act on.
std::string DescribeParseError(simdjson::error_code code, std::size_t max_depth);

// Finds the first object with a repeated member name, depth first. Returns true and sets
// `pointer` to the repeated member's JSON Pointer, or returns false when every name is unique.
bool FindDuplicateKey(simdjson::dom::element element, std::string& pointer);

}  // namespace modelgate::json
