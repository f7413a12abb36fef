// Tests of the text rules shared by the fasttext backend and `modelgate prepare-text`.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "text/rules.h"

namespace modelgate::text {
namespace {

std::string Prepare(const TextRules& rules, std::vector<std::string_view> parts) {
  return PrepareText(rules, parts);
}

TextRules Rules(bool lowercase, bool fold, std::optional<std::size_t> max_tokens,
                std::string separator = " ") {
  TextRules rules;
  rules.lowercase = lowercase;
  rules.fold_whitespace = fold;
  rules.max_tokens = max_tokens;
  rules.separator = std::move(separator);
  return rules;
}

TEST(TextRulesTest, LowercaseChangesAsciiOnly) {
  EXPECT_EQ(Prepare(Rules(true, true, {}), {"HeLLo WORLD \xC3\x84pfel"}),
            "hello world \xC3\x84pfel");
}

TEST(TextRulesTest, LowercaseOffKeepsCase) {
  EXPECT_EQ(Prepare(Rules(false, true, {}), {"HeLLo"}), "HeLLo");
}

TEST(TextRulesTest, FoldWhitespaceJoinsRunsAndTrims) {
  EXPECT_EQ(Prepare(Rules(false, true, {}), {"  a \t\r\n b\v\fc  "}), "a b c");
}

TEST(TextRulesTest, FoldCountsNulAsWhitespace) {
  std::string text("a\0b", 3);
  EXPECT_EQ(Prepare(Rules(false, true, {}), {text}), "a b");
}

TEST(TextRulesTest, NoFoldKeepsWhitespaceButBreaksLines) {
  EXPECT_EQ(Prepare(Rules(false, false, {}), {" a \t\r\n b "}), " a \t   b ");
}

TEST(TextRulesTest, MaxTokensJustInsideKeepsAll) {
  EXPECT_EQ(Prepare(Rules(false, true, 3), {"one two three"}), "one two three");
}

TEST(TextRulesTest, MaxTokensJustOutsideDropsLast) {
  EXPECT_EQ(Prepare(Rules(false, true, 3), {"one two three four"}), "one two three");
}

TEST(TextRulesTest, MaxTokensOneKeepsFirst) {
  EXPECT_EQ(Prepare(Rules(false, true, 1), {"  one two"}), "one");
}

TEST(TextRulesTest, MaxTokensWithoutFoldStopsBeforeNextToken) {
  EXPECT_EQ(Prepare(Rules(false, false, 2), {"a  b  c"}), "a  b  ");
}

TEST(TextRulesTest, SeparatorJoinsParts) {
  EXPECT_EQ(Prepare(Rules(false, true, {}, " | "), {"Subject", "Body text"}),
            "Subject | Body text");
}

TEST(TextRulesTest, SeparatorTokensCountTowardMax) {
  EXPECT_EQ(Prepare(Rules(false, true, 2, " | "), {"Subject", "Body"}), "Subject |");
}

TEST(TextRulesTest, EmptyPartAddsNoSeparator) {
  EXPECT_EQ(Prepare(Rules(false, true, {}, " | "), {"", "Body"}), "Body");
  EXPECT_EQ(Prepare(Rules(false, true, {}, " | "), {"Subject", ""}), "Subject");
}

TEST(TextRulesTest, SpaceSeparatorMergesLikeOneText) {
  EXPECT_EQ(Prepare(Rules(true, true, {}), {"Win NOW", "\nclick here"}), "win now click here");
}

TEST(TextRulesTest, LabelPrefixTokensAreDropped) {
  EXPECT_EQ(Prepare(Rules(false, true, {}), {"buy __label__ham now"}), "buy now");
  EXPECT_EQ(Prepare(Rules(false, true, {}), {"x__label__y"}), "x__label__y");
}

TEST(TextRulesTest, DroppedLabelDoesNotCountAsToken) {
  EXPECT_EQ(Prepare(Rules(false, true, 2), {"__label__spam a b c"}), "a b");
}

TEST(TextRulesTest, EmptyInputGivesEmptyText) {
  EXPECT_EQ(Prepare(Rules(true, true, 5), {}), "");
  EXPECT_EQ(Prepare(Rules(true, true, 5), {" \n\t "}), "");
}

TextRules Read(const std::string& json) {
  simdjson::dom::parser parser;
  return ReadTextRules(parser.parse(json).value(), "contract.yaml");
}

std::string ReadError(const std::string& json) {
  try {
    Read(json);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "no error";
}

TEST(TextRulesTest, ReadsEveryKey) {
  TextRules rules =
      Read(R"({"lowercase":true,"fold_whitespace":false,"max_tokens":7,"separator":" | "})");
  EXPECT_TRUE(rules.lowercase);
  EXPECT_FALSE(rules.fold_whitespace);
  ASSERT_TRUE(rules.max_tokens.has_value());
  EXPECT_EQ(*rules.max_tokens, 7u);
  EXPECT_EQ(rules.separator, " | ");
}

TEST(TextRulesTest, ReadKeepsDefaults) {
  TextRules rules = Read("{}");
  EXPECT_FALSE(rules.lowercase);
  EXPECT_TRUE(rules.fold_whitespace);
  EXPECT_FALSE(rules.max_tokens.has_value());
  EXPECT_EQ(rules.separator, " ");
}

TEST(TextRulesTest, ReadRejectsBadValues) {
  EXPECT_NE(ReadError(R"({"max_tokens":0})").find("model.text.max_tokens: expected a positive"),
            std::string::npos);
  EXPECT_NE(ReadError(R"({"max_tokens":1.5})").find("model.text.max_tokens"), std::string::npos);
  EXPECT_NE(ReadError(R"({"lowercase":"yes"})").find("model.text.lowercase: expected true"),
            std::string::npos);
  EXPECT_NE(ReadError(R"({"separator":1})").find("model.text.separator: expected a string"),
            std::string::npos);
  EXPECT_NE(ReadError(R"({"stem":true})").find("model.text.stem: unknown key"), std::string::npos);
  EXPECT_NE(ReadError("[]").find("model.text: expected a mapping"), std::string::npos);
}

TEST(TextRulesTest, ReadAcceptsMaxTokensOne) {
  TextRules rules = Read(R"({"max_tokens":1})");
  ASSERT_TRUE(rules.max_tokens.has_value());
  EXPECT_EQ(*rules.max_tokens, 1u);
}

}  // namespace
}  // namespace modelgate::text
