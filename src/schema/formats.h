#pragma once

#include <string_view>

namespace modelgate::schema {

// Checks a string against a named format. Returns true when `format` is not one we check, so an
// unknown format never rejects input (the loader rejects unknown formats in contracts).
bool MatchesFormat(std::string_view format, std::string_view value);

// Describes a format in words for error messages, such as "an ISO 4217 currency code (USD)".
std::string_view DescribeFormat(std::string_view format);

// True when `code` is an active ISO 4217 alphabetic currency code.
bool IsIso4217(std::string_view code);

// Returns `text` without leading and trailing spaces, tabs, carriage returns and line feeds, as
// the contract's trim_whitespace policy reads strings.
std::string_view TrimWhitespace(std::string_view text);

// Counts Unicode code points in valid UTF-8 text.
std::size_t CountCodePoints(std::string_view text);

}  // namespace modelgate::schema
