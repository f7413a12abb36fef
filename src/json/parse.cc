#include "json/parse.h"

#include <algorithm>
#include <array>
#include <vector>

#include "json/writer.h"

namespace modelgate::json {

namespace {

// True when containers nest deeper than `limit`; the outermost container has depth 1.
bool ExceedsDepth(simdjson::dom::element element, std::size_t limit) {
  if (element.is_array()) {
    if (limit == 0) return true;
    simdjson::dom::array array = element.get_array().value_unsafe();
    for (auto item : array) {
      if (ExceedsDepth(item, limit - 1)) return true;
    }
  } else if (element.is_object()) {
    if (limit == 0) return true;
    simdjson::dom::object object = element.get_object().value_unsafe();
    for (auto member : object) {
      if (ExceedsDepth(member.value, limit - 1)) return true;
    }
  }
  return false;
}

}  // namespace

StrictParser::StrictParser(ParseOptions options) : options_(options) {
  // Capacity for a typical request is allocated up front so the first parses do not reallocate.
  // simdjson counts its root as a level and does not count an empty innermost container, so
  // its limit is set two levels higher as a cheap first cut, and Parse() checks the exact depth.
  if (parser_.allocate(64 * 1024, options_.max_depth + 2) != simdjson::SUCCESS) {
    // Parse() allocates again on demand and reports MEMALLOC if that fails too.
  }
}

bool StrictParser::Parse(std::string_view text, std::size_t capacity,
                         simdjson::dom::element& root, ParseError& error) {
  bool padded = capacity >= text.size() + simdjson::SIMDJSON_PADDING;
  auto result = padded ? parser_.parse(text.data(), text.size(), false)
                       : parser_.parse(text.data(), text.size(), true);
  if (auto code = result.get(root); code != simdjson::SUCCESS) {
    error.message = DescribeParseError(code, options_.max_depth);
    error.pointer.clear();
    return false;
  }
  if (ExceedsDepth(root, options_.max_depth)) {
    error.message = DescribeParseError(simdjson::DEPTH_ERROR, options_.max_depth);
    error.pointer.clear();
    return false;
  }
  if (!options_.allow_duplicate_keys) {
    std::string pointer;
    if (FindDuplicateKey(root, pointer)) {
      error.message =
          "duplicate object key at " + pointer +
          ": each member name may appear once in an object (I-JSON, RFC 7493); send it once";
      error.pointer = std::move(pointer);
      return false;
    }
  }
  return true;
}

std::string DescribeParseError(simdjson::error_code code, std::size_t max_depth) {
  using simdjson::error_code;
  switch (code) {
    case error_code::EMPTY:
      return "the body is empty; send one JSON object";
    case error_code::UTF8_ERROR:
      return "the body is not valid UTF-8; encode text as UTF-8";
    case error_code::STRING_ERROR:
      return "a string has an invalid escape or a lone UTF-16 surrogate; escape characters as "
             "\\uXXXX with surrogates in pairs";
    case error_code::UNESCAPED_CHARS:
      return "a string contains an unescaped control character; escape it as \\uXXXX";
    case error_code::UNCLOSED_STRING:
      return "a string is not closed; add the closing quote";
    case error_code::NUMBER_ERROR:
    case error_code::NUMBER_OUT_OF_RANGE:
      return "a number is malformed or out of range (finite 64-bit floats and integers within "
             "64 bits only; NaN and Infinity are not JSON)";
    case error_code::T_ATOM_ERROR:
    case error_code::F_ATOM_ERROR:
    case error_code::N_ATOM_ERROR:
      return "an invalid literal; only true, false and null are JSON literals (NaN and "
             "Infinity are not)";
    case error_code::DEPTH_ERROR:
      return "nesting is deeper than " + std::to_string(max_depth) +
             " levels; flatten the document";
    case error_code::CAPACITY:
    case error_code::MEMALLOC:
      return "the document is too large to parse";
    default:
      return "malformed JSON: a missing or extra comma, colon, bracket or quote, a comment, or "
             "data after the value; send exactly one RFC 8259 JSON value";
  }
}

namespace {

bool FindDuplicateIn(simdjson::dom::element element, std::string& pointer);

bool FindDuplicateInObject(simdjson::dom::object object, std::string& pointer) {
  // Small objects, the common case, are checked pairwise without allocating.
  constexpr std::size_t kSmall = 16;
  std::array<std::string_view, kSmall> small{};
  std::vector<std::string_view> large;
  std::size_t count = 0;
  for (auto field : object) {
    if (count < kSmall) {
      small[count] = field.key;
    } else {
      if (large.empty()) large.assign(small.begin(), small.end());
      large.push_back(field.key);
    }
    ++count;
  }
  std::string_view repeat;
  if (large.empty()) {
    for (std::size_t i = 0; i < count && repeat.data() == nullptr; ++i) {
      for (std::size_t j = i + 1; j < count; ++j) {
        if (small[i] == small[j]) {
          repeat = small[i];
          break;
        }
      }
    }
  } else {
    std::sort(large.begin(), large.end());
    auto found = std::adjacent_find(large.begin(), large.end());
    if (found != large.end()) repeat = *found;
  }
  if (repeat.data() != nullptr) {
    pointer = "/" + EscapePointerToken(repeat);
    return true;
  }
  // The pointer is built only on the way back up from a duplicate, so the common case of a
  // document without one allocates nothing.
  for (auto field : object) {
    if (FindDuplicateIn(field.value, pointer)) {
      pointer.insert(0, "/" + EscapePointerToken(field.key));
      return true;
    }
  }
  return false;
}

bool FindDuplicateIn(simdjson::dom::element element, std::string& pointer) {
  if (element.is_object()) return FindDuplicateInObject(element.get_object().value(), pointer);
  if (!element.is_array()) return false;
  std::size_t index = 0;
  // Bind the array first: ranging over the temporary result would leave it dangling.
  simdjson::dom::array array = element.get_array().value_unsafe();
  for (auto item : array) {
    if (FindDuplicateIn(item, pointer)) {
      pointer.insert(0, "/" + std::to_string(index));
      return true;
    }
    ++index;
  }
  return false;
}

}  // namespace

bool FindDuplicateKey(simdjson::dom::element element, std::string& pointer) {
  pointer.clear();
  return FindDuplicateIn(element, pointer);
}

}  // namespace modelgate::json
