#include "json/writer.h"

#include <array>
#include <charconv>
#include <cmath>

namespace modelgate::json {

void Writer::Separate() {
  if (need_comma_) out_.push_back(',');
  need_comma_ = true;
}

void Writer::BeginObject() {
  Separate();
  out_.push_back('{');
  need_comma_ = false;
}

void Writer::EndObject() {
  out_.push_back('}');
  need_comma_ = true;
}

void Writer::BeginArray() {
  Separate();
  out_.push_back('[');
  need_comma_ = false;
}

void Writer::EndArray() {
  out_.push_back(']');
  need_comma_ = true;
}

void Writer::Key(std::string_view key) {
  Separate();
  AppendQuoted(out_, key);
  out_.push_back(':');
  need_comma_ = false;
}

void Writer::String(std::string_view value) {
  Separate();
  AppendQuoted(out_, value);
}

void Writer::Number(double value) {
  Separate();
  AppendNumber(out_, value);
}

void Writer::Integer(std::int64_t value) {
  Separate();
  std::array<char, 24> buffer{};
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out_.append(buffer.data(), result.ptr);
}

void Writer::Unsigned(std::uint64_t value) {
  Separate();
  std::array<char, 24> buffer{};
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out_.append(buffer.data(), result.ptr);
}

void Writer::Bool(bool value) {
  Separate();
  out_.append(value ? "true" : "false");
}

void Writer::Null() {
  Separate();
  out_.append("null");
}

void Writer::Raw(std::string_view json_text) {
  Separate();
  out_.append(json_text);
}

void AppendQuoted(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default:
        if (byte < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void AppendNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");
    return;
  }
  // std::to_chars without a format gives the shortest text that round-trips, which for -0.0
  // is "-0" and for large or small magnitudes uses an exponent ("1e+300", "6e-07"). Whole
  // numbers below 1e15 are written without an exponent ("100000", not "1e+05") so that they
  // read as people write them; fixed notation round-trips as well.
  std::array<char, 32> buffer{};
  bool whole = std::trunc(value) == value && std::fabs(value) < 1e15;
  auto result = whole ? std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                      std::chars_format::fixed)
                      : std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
}

std::string EscapePointerToken(std::string_view token) {
  std::string escaped;
  escaped.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      escaped.append("~0");
    } else if (c == '/') {
      escaped.append("~1");
    } else {
      escaped.push_back(c);
    }
  }
  return escaped;
}

}  // namespace modelgate::json
