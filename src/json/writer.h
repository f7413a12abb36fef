#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace modelgate::json {

// Appends compact JSON text to a string. Callers emit a well-formed sequence of calls (the writer
// inserts commas and colons but does not check nesting). Doubles are written in the shortest form
// that reads back to the same value; a non-finite double is written as null, so the output is
// always valid JSON, and callers that must not emit null check finiteness first.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Number(double value);
  void Integer(std::int64_t value);
  void Unsigned(std::uint64_t value);
  void Bool(bool value);
  void Null();
  // Appends text that is already valid JSON, such as a stored default value.
  void Raw(std::string_view json_text);

  // Shorthands for one member of an object.
  void Member(std::string_view key, std::string_view value) { Key(key), String(value); }
  void Member(std::string_view key, const char* value) { Key(key), String(value); }
  void Member(std::string_view key, double value) { Key(key), Number(value); }
  void Member(std::string_view key, std::int64_t value) { Key(key), Integer(value); }
  void Member(std::string_view key, int value) { Key(key), Integer(value); }
  void Member(std::string_view key, std::size_t value) { Key(key), Unsigned(value); }
  void Member(std::string_view key, bool value) { Key(key), Bool(value); }

 private:
  void Separate();

  std::string& out_;
  bool need_comma_ = false;
};

// Appends `value` as a JSON string literal, quotes included. Control characters, quotes and
// backslashes are escaped; other UTF-8 is copied as is.
void AppendQuoted(std::string& out, std::string_view value);

// Appends the shortest decimal text that reads back as `value`; writes null when not finite.
void AppendNumber(std::string& out, double value);

// Escapes one reference token of a JSON Pointer (RFC 6901): '~' becomes "~0", '/' becomes "~1".
std::string EscapePointerToken(std::string_view token);

}  // namespace modelgate::json
