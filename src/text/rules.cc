#include "text/rules.h"

#include <cstdint>
#include <stdexcept>

namespace modelgate::text {
namespace {

// fastText 0.9.2 splits words at these bytes (Dictionary::readWord), plus NUL.
bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c == '\0';
}

char ToLowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

[[noreturn]] void Fail(const std::string& file, std::string_view key, std::string_view message) {
  throw std::runtime_error(file + ": model.text." + std::string(key) + ": " + std::string(message));
}

bool ReadBool(simdjson::dom::element value, const std::string& file, std::string_view key) {
  bool flag = false;
  if (value.get_bool().get(flag) != simdjson::SUCCESS) Fail(file, key, "expected true or false");
  return flag;
}

// Applies the rules to `joined`, token by token.
std::string ApplyRules(const TextRules& rules, std::string_view joined) {
  std::string out;
  out.reserve(joined.size());
  std::size_t tokens = 0;
  std::size_t i = 0;
  while (i < joined.size()) {
    std::size_t start = i;
    if (IsSpace(joined[i])) {
      while (i < joined.size() && IsSpace(joined[i])) ++i;
      if (!rules.fold_whitespace) {
        for (std::size_t k = start; k < i; ++k) {
          out.push_back(joined[k] == '\n' || joined[k] == '\r' ? ' ' : joined[k]);
        }
      }
      continue;
    }
    while (i < joined.size() && !IsSpace(joined[i])) ++i;
    std::string_view token = joined.substr(start, i - start);
    if (token.starts_with(kLabelPrefix)) continue;
    if (rules.max_tokens && tokens == *rules.max_tokens) break;
    if (rules.fold_whitespace && tokens > 0) out.push_back(' ');
    for (char c : token) out.push_back(rules.lowercase ? ToLowerAscii(c) : c);
    ++tokens;
  }
  return out;
}

}  // namespace

TextRules ReadTextRules(simdjson::dom::element text, const std::string& contract_file) {
  TextRules rules;
  simdjson::dom::object members;
  if (text.get_object().get(members) != simdjson::SUCCESS) {
    throw std::runtime_error(contract_file +
                             ": model.text: expected a mapping with lowercase, fold_whitespace, "
                             "max_tokens and separator");
  }
  for (auto [key, value] : members) {
    if (key == "lowercase") {
      rules.lowercase = ReadBool(value, contract_file, key);
    } else if (key == "fold_whitespace") {
      rules.fold_whitespace = ReadBool(value, contract_file, key);
    } else if (key == "max_tokens") {
      std::int64_t count = 0;
      if (value.get_int64().get(count) != simdjson::SUCCESS || count < 1) {
        Fail(contract_file, key, "expected a positive integer");
      }
      rules.max_tokens = static_cast<std::size_t>(count);
    } else if (key == "separator") {
      std::string_view separator;
      if (value.get_string().get(separator) != simdjson::SUCCESS) {
        Fail(contract_file, key, "expected a string, such as \" \" or \" | \"");
      }
      rules.separator = std::string(separator);
    } else {
      Fail(contract_file, key,
           "unknown key; allowed keys are lowercase, fold_whitespace, max_tokens, separator");
    }
  }
  return rules;
}

std::string PrepareText(const TextRules& rules, std::span<const std::string_view> parts) {
  std::string joined;
  for (std::string_view part : parts) {
    if (part.empty()) continue;
    if (!joined.empty()) joined += rules.separator;
    joined += part;
  }
  return ApplyRules(rules, joined);
}

}  // namespace modelgate::text
