#include "schema/formats.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace modelgate::schema {
namespace {

// Active ISO 4217 alphabetic codes (the list as published by SIX, 2024 edition), sorted for
// binary search. Fund codes and precious metals are included because the standard lists them.
constexpr std::string_view kCurrencies[] = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE",
    "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD",
    "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV",
    "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XDR", "XOF", "XPD", "XPF",
    "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG", "ZWL"};

bool Digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return false;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

int Number(std::string_view text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// RFC 3339 full-date: YYYY-MM-DD with a day that exists in that month.
bool IsDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  if (!Digits(text, 0, 4) || !Digits(text, 5, 2) || !Digits(text, 8, 2)) return false;
  int year = Number(text, 0, 4), month = Number(text, 5, 2), day = Number(text, 8, 2);
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  int limit = kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
  return day <= limit;
}

// RFC 3339 full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM); second 60 is allowed for leap seconds.
bool IsTime(std::string_view text) {
  if (text.size() < 9 || text[2] != ':' || text[5] != ':') return false;
  if (!Digits(text, 0, 2) || !Digits(text, 3, 2) || !Digits(text, 6, 2)) return false;
  if (Number(text, 0, 2) > 23 || Number(text, 3, 2) > 59 || Number(text, 6, 2) > 60) return false;
  std::size_t pos = 8;
  if (text[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return false;
  }
  std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") return true;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return false;
  return Digits(zone, 1, 2) && Digits(zone, 4, 2) && Number(zone, 1, 2) <= 23 &&
         Number(zone, 4, 2) <= 59;
}

bool IsDateTime(std::string_view text) {
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) return false;
  return IsDate(text.substr(0, 10)) && IsTime(text.substr(11));
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 1 to 63
// characters each, 253 in all.
bool IsHostname(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('.', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view label = text.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    start = end + 1;
  }
  return true;
}

// A pragmatic address check: one '@', a non-empty local part without spaces, a host name with
// at least one dot. Full RFC 5321 syntax (quoted local parts, address literals) is rejected.
bool IsEmail(std::string_view text) {
  auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  if (text.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view local = text.substr(0, at);
  std::string_view domain = text.substr(at + 1);
  bool printable = std::all_of(local.begin(), local.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && c != '"' && c != '(' && c != ')' && c != ',';
  });
  return printable && domain.find('.') != std::string_view::npos && IsHostname(domain);
}

// RFC 3986 absolute URI: a scheme, a colon, and no spaces or control characters.
bool IsUri(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    char c = text[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

bool IsIp(int family, std::string_view text) {
  if (text.size() > 45) return false;
  std::string copy(text);  // inet_pton needs a terminated string
  unsigned char buffer[16];
  return inet_pton(family, copy.c_str(), buffer) == 1;
}

}  // namespace

bool IsIso4217(std::string_view code) {
  return std::binary_search(std::begin(kCurrencies), std::end(kCurrencies), code);
}

bool MatchesFormat(std::string_view format, std::string_view value) {
  if (format == "iso4217") return IsIso4217(value);
  if (format == "date-time") return IsDateTime(value);
  if (format == "date") return IsDate(value);
  if (format == "time") return IsTime(value);
  if (format == "uuid") return IsUuid(value);
  if (format == "email") return IsEmail(value);
  if (format == "uri") return IsUri(value);
  if (format == "ipv4") return IsIp(AF_INET, value);
  if (format == "ipv6") return IsIp(AF_INET6, value);
  if (format == "hostname") return IsHostname(value);
  return true;
}

std::string_view DescribeFormat(std::string_view format) {
  if (format == "iso4217") return "an ISO 4217 currency code in capitals, such as USD or EUR";
  if (format == "date-time") return "an RFC 3339 date-time such as 2026-01-31T12:00:00Z";
  if (format == "date") return "an RFC 3339 date such as 2026-01-31";
  if (format == "time") return "an RFC 3339 time such as 12:00:00Z";
  if (format == "uuid") return "a UUID such as 123e4567-e89b-12d3-a456-426614174000";
  if (format == "email") return "an email address such as name@example.com";
  if (format == "uri") return "an absolute URI such as https://example.com/x";
  if (format == "ipv4") return "an IPv4 address such as 192.0.2.1";
  if (format == "ipv6") return "an IPv6 address such as 2001:db8::1";
  if (format == "hostname") return "a host name such as api.example.com";
  return "a value of the declared format";
}

std::string_view TrimWhitespace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  auto end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

std::size_t CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

}  // namespace modelgate::schema
