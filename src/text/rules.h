#pragma once

// The text preprocessing a fastText binding declares under `model.text`. The server and
// `modelgate prepare-text` (which writes the training files) both run PrepareText, so a model
// sees the same text in training and in service.

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace modelgate::text {

// Default label prefix of fastText 0.9.2 (`-label`).
inline constexpr std::string_view kLabelPrefix = "__label__";

struct TextRules {
  bool lowercase = false;  // ASCII letters only; other UTF-8 bytes are copied unchanged
  // Runs of whitespace become one space and the ends are trimmed. When off, whitespace is
  // copied, except that line breaks become spaces, because fastText reads one example a line.
  bool fold_whitespace = true;
  std::optional<std::size_t> max_tokens;  // tokens after the first max_tokens are dropped
  std::string separator = " ";            // placed between the parts of one item
};

// Reads `model.text` of a binding: lowercase, fold_whitespace, max_tokens and separator.
// Throws std::runtime_error as "file: model.text.key: message".
TextRules ReadTextRules(simdjson::dom::element text, const std::string& contract_file);

// Joins the non-empty `parts` with the separator, then applies the rules to the joined text.
// Tokens are runs of bytes other than whitespace, split as fastText 0.9.2 splits words, and the
// separator's own tokens count toward max_tokens. A token that starts with the label prefix is
// dropped, so a text cannot add a label to a training line.
std::string PrepareText(const TextRules& rules, std::span<const std::string_view> parts);

}  // namespace modelgate::text
