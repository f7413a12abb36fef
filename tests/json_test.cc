#include <gtest/gtest.h>
#include <simdjson.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include "json/parse.h"
#include "json/writer.h"

namespace modelgate::json {
namespace {

using simdjson::SUCCESS;
using simdjson::dom::element;

struct ParseOutcome {
  bool ok = false;
  ParseError error;
};

// Parses `text` with a fresh parser and returns whether it was accepted, with the error.
ParseOutcome ParseText(const std::string& text, ParseOptions options = {}) {
  StrictParser parser(options);
  element root;
  ParseOutcome outcome;
  outcome.ok = parser.Parse(text, root, outcome.error);
  return outcome;
}

// Returns `depth` nested arrays around the number 1, such as "[[1]]" for depth 2.
std::string NestedArrays(std::size_t depth) {
  return std::string(depth, '[') + "1" + std::string(depth, ']');
}

TEST(StrictParser, AcceptsObject) {
  StrictParser parser;
  element root;
  ParseError error;
  ASSERT_TRUE(parser.Parse(std::string(R"({"a":[1,2.5,"x",true,null]})"), root, error))
      << error.message;
  EXPECT_EQ(root["a"].get_array().size(), 5u);
  EXPECT_EQ(root["a"].at(1).get_double().value(), 2.5);
  EXPECT_EQ(root["a"].at(2).get_string().value(), "x");
}

TEST(StrictParser, RejectsNaN) {
  auto outcome = ParseText("NaN");
  EXPECT_FALSE(outcome.ok);
  EXPECT_FALSE(outcome.error.message.empty());
  EXPECT_TRUE(outcome.error.pointer.empty());
}

TEST(StrictParser, RejectsNaNMember) { EXPECT_FALSE(ParseText(R"({"x":NaN})").ok); }

TEST(StrictParser, RejectsInfinity) {
  EXPECT_FALSE(ParseText("Infinity").ok);
  EXPECT_FALSE(ParseText("[Infinity]").ok);
}

TEST(StrictParser, RejectsNegativeInfinity) {
  auto outcome = ParseText("-Infinity");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.message, DescribeParseError(simdjson::NUMBER_ERROR, 64));
  EXPECT_FALSE(ParseText("[-Infinity]").ok);
}

TEST(StrictParser, RejectsTrailingCommaInArray) {
  auto outcome = ParseText("[1,2,]");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.message, DescribeParseError(simdjson::TAPE_ERROR, 64));
}

TEST(StrictParser, RejectsTrailingCommaInObject) { EXPECT_FALSE(ParseText(R"({"a":1,})").ok); }

TEST(StrictParser, RejectsLineComment) {
  EXPECT_FALSE(ParseText("[1] // note").ok);
  EXPECT_FALSE(ParseText("// note\n[1]").ok);
}

TEST(StrictParser, RejectsBlockComment) {
  EXPECT_FALSE(ParseText("/* note */ [1]").ok);
  EXPECT_FALSE(ParseText("[1, /* note */ 2]").ok);
}

TEST(StrictParser, RejectsTrailingWord) { EXPECT_FALSE(ParseText("{} x").ok); }

TEST(StrictParser, RejectsSecondValue) {
  EXPECT_FALSE(ParseText("{}{}").ok);
  EXPECT_FALSE(ParseText("1 2").ok);
}

TEST(StrictParser, AcceptsSurroundingWhitespace) { EXPECT_TRUE(ParseText(" \t\r\n{} \t\r\n").ok); }

TEST(StrictParser, RejectsEmptyText) {
  auto outcome = ParseText("");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.message, DescribeParseError(simdjson::EMPTY, 64));
}

TEST(StrictParser, RejectsInvalidUtf8Byte) {
  auto outcome = ParseText("[\"a\xff\"]");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.message, DescribeParseError(simdjson::UTF8_ERROR, 64));
}

TEST(StrictParser, RejectsOverlongUtf8) {
  // 0xC0 0xAF is an overlong encoding of '/'.
  EXPECT_FALSE(ParseText("\"\xc0\xaf\"").ok);
}

TEST(StrictParser, RejectsTruncatedUtf8) {
  // The first two bytes of the three-byte euro sign.
  EXPECT_FALSE(ParseText("\"\xe2\x82\"").ok);
}

TEST(StrictParser, RejectsUtf8EncodedSurrogate) {
  // U+D800 encoded directly as UTF-8 bytes is not valid UTF-8.
  EXPECT_FALSE(ParseText("\"\xed\xa0\x80\"").ok);
}

TEST(StrictParser, AcceptsMultibyteUtf8) {
  StrictParser parser;
  element root;
  ParseError error;
  ASSERT_TRUE(parser.Parse(std::string("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""), root, error))
      << error.message;
  EXPECT_EQ(root.get_string().value(), "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST(StrictParser, RejectsLoneHighSurrogate) {
  auto outcome = ParseText(R"("\ud800")");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.message, DescribeParseError(simdjson::STRING_ERROR, 64));
}

TEST(StrictParser, RejectsLoneLowSurrogate) { EXPECT_FALSE(ParseText(R"("\udc00")").ok); }

TEST(StrictParser, AcceptsSurrogatePair) {
  StrictParser parser;
  element root;
  ParseError error;
  ASSERT_TRUE(parser.Parse(std::string(R"("\ud83d\ude00")"), root, error)) << error.message;
  EXPECT_EQ(root.get_string().value(), "\xf0\x9f\x98\x80");
}

TEST(StrictParser, RejectsDoubleOverflow) {
  auto outcome = ParseText("1e400");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.message, DescribeParseError(simdjson::NUMBER_ERROR, 64));
  EXPECT_FALSE(ParseText("[-1e400]").ok);
}

TEST(StrictParser, AcceptsLargestDouble) { EXPECT_TRUE(ParseText("1.7976931348623157e308").ok); }

TEST(StrictParser, RejectsIntegerBeyond64Bits) {
  EXPECT_TRUE(ParseText("18446744073709551615").ok);
  EXPECT_FALSE(ParseText("18446744073709551616").ok);
  EXPECT_TRUE(ParseText("-9223372036854775808").ok);
  EXPECT_FALSE(ParseText("-9223372036854775809").ok);
}

TEST(StrictParser, AcceptsNestingBelowMaxDepth) {
  EXPECT_TRUE(ParseText(NestedArrays(2), ParseOptions{.max_depth = 3}).ok);
}

TEST(StrictParser, AcceptsNestingAtMaxDepth) {
  // parse.h: the outermost container has depth 1 and only deeper nesting is rejected, so three
  // non-empty arrays fit in max_depth 3.
  auto outcome = ParseText(NestedArrays(3), ParseOptions{.max_depth = 3});
  EXPECT_TRUE(outcome.ok) << outcome.error.message;
  auto objects = ParseText(R"({"a":{"b":{"c":1}}})", ParseOptions{.max_depth = 3});
  EXPECT_TRUE(objects.ok) << objects.error.message;
  // max_depth 1, which contracts may set, must still accept a flat object.
  auto flat = ParseText(R"({"a":1})", ParseOptions{.max_depth = 1});
  EXPECT_TRUE(flat.ok) << flat.error.message;
}

TEST(StrictParser, AcceptsEmptyInnermostAtMaxDepth) {
  EXPECT_TRUE(ParseText("[[[]]]", ParseOptions{.max_depth = 3}).ok);
}

TEST(StrictParser, RejectsNestingBeyondMaxDepth) {
  auto outcome = ParseText(NestedArrays(4), ParseOptions{.max_depth = 3});
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.message, "nesting is deeper than 3 levels; flatten the document");
}

TEST(StrictParser, RejectsEmptyInnermostBeyondMaxDepth) {
  EXPECT_FALSE(ParseText("[[[[]]]]", ParseOptions{.max_depth = 3}).ok);
}

TEST(StrictParser, RejectsObjectsBeyondMaxDepth) {
  EXPECT_FALSE(ParseText(R"({"a":{"b":{"c":{"d":1}}}})", ParseOptions{.max_depth = 3}).ok);
}

TEST(StrictParser, DefaultMaxDepthIs64) {
  StrictParser parser;
  EXPECT_EQ(parser.options().max_depth, 64u);
  EXPECT_TRUE(ParseText(NestedArrays(63)).ok);
  EXPECT_FALSE(ParseText(NestedArrays(65)).ok);
}

TEST(StrictParser, RejectsDuplicateKey) {
  auto outcome = ParseText(R"({"a":{"b":1,"b":2}})");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.pointer, "/a/b");
  EXPECT_EQ(outcome.error.message,
            "duplicate object key at /a/b: each member name may appear once in an object "
            "(I-JSON, RFC 7493); send it once");
}

TEST(StrictParser, RejectsDuplicateTopLevelKey) {
  auto outcome = ParseText(R"({"x":1,"y":2,"x":3})");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.pointer, "/x");
}

TEST(StrictParser, RejectsDuplicateKeyInArrayItem) {
  auto outcome = ParseText(R"({"items":[{"k":1},{"k":1,"k":2}]})");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.pointer, "/items/1/k");
}

TEST(StrictParser, EscapesDuplicateKeyPointer) {
  auto outcome = ParseText(R"({"a/b":{"~x":1,"~x":2}})");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.pointer, "/a~1b/~0x");
}

TEST(StrictParser, RejectsDuplicateKeyInLargeObject) {
  // More than 16 members takes the sorting path instead of the pairwise one.
  std::string text = "{";
  for (int i = 0; i < 20; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  text += "\"k7\":0}";
  auto outcome = ParseText(text);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.pointer, "/k7");
}

TEST(StrictParser, AcceptsLargeObjectWithUniqueKeys) {
  std::string text = "{";
  for (int i = 0; i < 20; ++i) {
    if (i > 0) text += ",";
    text += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
  }
  text += "}";
  auto outcome = ParseText(text);
  EXPECT_TRUE(outcome.ok) << outcome.error.message;
}

TEST(StrictParser, AcceptsSameKeyInSiblingObjects) {
  EXPECT_TRUE(ParseText(R"({"a":{"k":1},"b":{"k":2}})").ok);
}

TEST(StrictParser, AllowsDuplicateKeysWhenConfigured) {
  auto outcome = ParseText(R"({"a":{"b":1,"b":2}})", ParseOptions{.allow_duplicate_keys = true});
  EXPECT_TRUE(outcome.ok) << outcome.error.message;
}

TEST(StrictParser, ParsesUnpaddedStringView) {
  // The view ends before "garbage", and its capacity leaves no padding, so Parse must copy it
  // and read exactly the five bytes of the view.
  const std::string buffer = "[1,2]garbage";
  std::string_view view(buffer.data(), 5);
  StrictParser parser;
  element root;
  ParseError error;
  ASSERT_TRUE(parser.Parse(view, view.size(), root, error)) << error.message;
  ASSERT_TRUE(root.is_array());
  EXPECT_EQ(root.get_array().size(), 2u);
  EXPECT_EQ(root.at(1).get_int64().value(), 2);
}

TEST(StrictParser, ParsesPaddedString) {
  std::string text = R"({"n":7})";
  text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  StrictParser parser;
  element root;
  ParseError error;
  ASSERT_TRUE(parser.Parse(text, root, error)) << error.message;
  EXPECT_EQ(root["n"].get_int64().value(), 7);
}

TEST(StrictParser, ReusesParserAfterError) {
  StrictParser parser;
  element root;
  ParseError error;
  EXPECT_FALSE(parser.Parse(std::string(R"({"a":1,"a":2})"), root, error));
  EXPECT_EQ(error.pointer, "/a");
  ASSERT_TRUE(parser.Parse(std::string(R"({"a":3})"), root, error)) << error.message;
  EXPECT_EQ(root["a"].get_int64().value(), 3);
  EXPECT_FALSE(parser.Parse(std::string("[1,]"), root, error));
  EXPECT_TRUE(error.pointer.empty());
}

TEST(DescribeParseError, NamesDepthLimit) {
  EXPECT_EQ(DescribeParseError(simdjson::DEPTH_ERROR, 8),
            "nesting is deeper than 8 levels; flatten the document");
}

TEST(DescribeParseError, DescribesEmptyBody) {
  EXPECT_EQ(DescribeParseError(simdjson::EMPTY, 64), "the body is empty; send one JSON object");
}

TEST(FindDuplicateKey, ReturnsFalseWhenUnique) {
  simdjson::dom::parser parser;
  element root;
  ASSERT_EQ(parser.parse(std::string(R"({"a":{"b":1,"c":[{"b":2}]}})")).get(root), SUCCESS);
  std::string pointer = "stale";
  EXPECT_FALSE(FindDuplicateKey(root, pointer));
  EXPECT_TRUE(pointer.empty());
}

TEST(FindDuplicateKey, FindsNestedDuplicate) {
  simdjson::dom::parser parser;
  element root;
  ASSERT_EQ(parser.parse(std::string(R"([0,{"a":[{"z":1,"z":2}]}])")).get(root), SUCCESS);
  std::string pointer;
  EXPECT_TRUE(FindDuplicateKey(root, pointer));
  EXPECT_EQ(pointer, "/1/a/0/z");
}

TEST(FindDuplicateKey, ReportsFirstObjectDepthFirst) {
  simdjson::dom::parser parser;
  element root;
  ASSERT_EQ(parser.parse(std::string(R"({"a":{"x":1,"x":2},"b":{"y":1,"y":2}})")).get(root),
            SUCCESS);
  std::string pointer;
  EXPECT_TRUE(FindDuplicateKey(root, pointer));
  EXPECT_EQ(pointer, "/a/x");
}

// Writes `value` and returns the text.
std::string NumberText(double value) {
  std::string out;
  AppendNumber(out, value);
  return out;
}

// Reads `text` back with strtod and checks that the bits equal those of `expected`.
testing::AssertionResult ReadsBackExactly(const std::string& text, double expected) {
  char* end = nullptr;
  double parsed = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) {
    return testing::AssertionFailure() << "strtod stopped early in \"" << text << "\"";
  }
  if (std::bit_cast<std::uint64_t>(parsed) != std::bit_cast<std::uint64_t>(expected)) {
    return testing::AssertionFailure()
           << "\"" << text << "\" reads back as " << parsed << ", not " << expected;
  }
  return testing::AssertionSuccess();
}

TEST(AppendNumber, WritesSmallExponent) {
  EXPECT_EQ(NumberText(6e-07), "6e-07");
  EXPECT_TRUE(ReadsBackExactly(NumberText(6e-07), 6e-07));
}

TEST(AppendNumber, WritesLargeExponent) {
  EXPECT_EQ(NumberText(1e300), "1e+300");
  EXPECT_TRUE(ReadsBackExactly(NumberText(1e300), 1e300));
}

TEST(AppendNumber, WritesShortestForm) {
  // "1e-04" is one character shorter than "0.0001", and JSON allows leading zeros in exponents.
  EXPECT_EQ(NumberText(0.0001), "1e-04");
  EXPECT_TRUE(ReadsBackExactly(NumberText(0.0001), 0.0001));
  EXPECT_EQ(NumberText(0.001), "0.001");
  EXPECT_EQ(NumberText(123.456), "123.456");
}

TEST(AppendNumber, RoundTripsSmallestSubnormal) {
  double value = std::numeric_limits<double>::denorm_min();
  ASSERT_EQ(value, 5e-324);
  EXPECT_EQ(NumberText(value), "5e-324");
  EXPECT_TRUE(ReadsBackExactly(NumberText(value), value));
}

TEST(AppendNumber, RoundTripsSmallestNormal) {
  double value = 2.2250738585072014e-308;
  ASSERT_EQ(value, std::numeric_limits<double>::min());
  EXPECT_EQ(NumberText(value), "2.2250738585072014e-308");
  EXPECT_TRUE(ReadsBackExactly(NumberText(value), value));
}

TEST(AppendNumber, RoundTripsLargestDouble) {
  double value = std::numeric_limits<double>::max();
  EXPECT_EQ(NumberText(value), "1.7976931348623157e+308");
  EXPECT_TRUE(ReadsBackExactly(NumberText(value), value));
}

TEST(AppendNumber, RoundTripsOneTenth) {
  EXPECT_EQ(NumberText(0.1), "0.1");
  EXPECT_TRUE(ReadsBackExactly(NumberText(0.1), 0.1));
}

TEST(AppendNumber, RoundTripsOneThird) {
  double value = 1 / 3.0;
  EXPECT_EQ(NumberText(value), "0.3333333333333333");
  EXPECT_TRUE(ReadsBackExactly(NumberText(value), value));
}

TEST(AppendNumber, RoundTripsNegativeZero) {
  std::string text = NumberText(-0.0);
  EXPECT_EQ(text, "-0");
  double parsed = std::strtod(text.c_str(), nullptr);
  EXPECT_EQ(parsed, 0.0);
  EXPECT_TRUE(std::signbit(parsed));
}

TEST(AppendNumber, WritesPositiveZero) { EXPECT_EQ(NumberText(0.0), "0"); }

TEST(AppendNumber, WritesWholeNumberWithoutExponent) {
  EXPECT_EQ(NumberText(100000), "100000");
  EXPECT_EQ(NumberText(-42), "-42");
  EXPECT_EQ(NumberText(999999999999999), "999999999999999");
  EXPECT_TRUE(ReadsBackExactly(NumberText(999999999999999), 999999999999999));
}

TEST(AppendNumber, WritesExponentFrom1e15) {
  EXPECT_EQ(NumberText(1e15), "1e+15");
  EXPECT_TRUE(ReadsBackExactly(NumberText(1e15), 1e15));
  EXPECT_EQ(NumberText(1e16), "1e+16");
  EXPECT_TRUE(ReadsBackExactly(NumberText(1e16), 1e16));
}

TEST(AppendNumber, RoundTripsLargeWholeNumbers) {
  for (double value : {1e15 + 1, 9007199254740993.0, 123456789012345678.0, -1e17}) {
    EXPECT_TRUE(ReadsBackExactly(NumberText(value), value)) << value;
  }
}

TEST(AppendNumber, WritesNullForNonFinite) {
  EXPECT_EQ(NumberText(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(NumberText(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(NumberText(-std::numeric_limits<double>::infinity()), "null");
}

TEST(AppendNumber, AppendsToExistingText) {
  std::string out = "x=";
  AppendNumber(out, 1.5);
  EXPECT_EQ(out, "x=1.5");
}

std::string Quoted(std::string_view value) {
  std::string out;
  AppendQuoted(out, value);
  return out;
}

TEST(AppendQuoted, EscapesQuoteAndBackslash) {
  EXPECT_EQ(Quoted(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
}

TEST(AppendQuoted, EscapesControlCharacters) {
  EXPECT_EQ(Quoted("\x01"), R"("\u0001")");
  EXPECT_EQ(Quoted("\x1f"), R"("\u001f")");
  EXPECT_EQ(Quoted(std::string_view("\0", 1)), R"("\u0000")");
  EXPECT_EQ(Quoted("a\nb"), R"("a\nb")");
  EXPECT_EQ(Quoted("\r\t\b\f"), R"("\r\t\b\f")");
}

TEST(AppendQuoted, CopiesDelete) { EXPECT_EQ(Quoted("\x7f"), "\"\x7f\""); }

TEST(AppendQuoted, CopiesUtf8AsIs) {
  EXPECT_EQ(Quoted("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(AppendQuoted, LeavesSlashUnescaped) { EXPECT_EQ(Quoted("a/b"), R"("a/b")"); }

TEST(AppendQuoted, OutputParsesBack) {
  std::string original = "q\"b\\n\n\x01\x1f\xc3\xa9";
  std::string text = Quoted(original);
  StrictParser parser;
  element root;
  ParseError error;
  ASSERT_TRUE(parser.Parse(text, root, error)) << error.message;
  EXPECT_EQ(root.get_string().value(), original);
}

TEST(EscapePointerToken, EscapesSlashAndTilde) {
  EXPECT_EQ(EscapePointerToken("a/b~c"), "a~1b~0c");
}

TEST(EscapePointerToken, EscapesTildeBeforeOne) {
  // "~1" in a name must become "~01", not "~1" (which would read back as "/").
  EXPECT_EQ(EscapePointerToken("~1"), "~01");
}

TEST(EscapePointerToken, KeepsPlainToken) {
  EXPECT_EQ(EscapePointerToken("plain"), "plain");
  EXPECT_EQ(EscapePointerToken(""), "");
}

TEST(Writer, WritesNestedDocument) {
  std::string out;
  Writer writer(out);
  writer.BeginObject();
  writer.Member("name", "x");

  writer.Key("scores");
  writer.BeginArray();
  writer.Number(0.5);
  writer.Integer(-3);
  writer.BeginObject();
  writer.Key("deep");
  writer.BeginArray();
  writer.EndArray();
  writer.EndObject();
  writer.Null();
  writer.EndArray();

  writer.Key("meta");
  writer.BeginObject();
  writer.Member("ok", true);
  writer.Member("count", std::size_t{7});
  writer.Member("ratio", 0.25);
  writer.Member("offset", -1);
  writer.EndObject();

  writer.Key("empty");
  writer.BeginObject();
  writer.EndObject();
  writer.Key("raw");
  writer.Raw(R"({"r":[1]})");

  writer.Key("max");
  writer.Unsigned(std::numeric_limits<std::uint64_t>::max());
  writer.Key("min");
  writer.Integer(std::numeric_limits<std::int64_t>::min());
  writer.EndObject();

  EXPECT_EQ(out, R"({"name":"x","scores":[0.5,-3,{"deep":[]},null],)"
                 R"("meta":{"ok":true,"count":7,"ratio":0.25,"offset":-1},"empty":{},)"
                 R"("raw":{"r":[1]},"max":18446744073709551615,"min":-9223372036854775808})");
}

TEST(Writer, WritesTopLevelArrayOfArrays) {
  std::string out;
  Writer writer(out);
  writer.BeginArray();
  writer.BeginArray();
  writer.Bool(false);
  writer.EndArray();
  writer.BeginArray();
  writer.String("a\"b");
  writer.EndArray();
  writer.EndArray();
  EXPECT_EQ(out, R"([[false],["a\"b"]])");
}

TEST(Writer, WritesNullForNonFiniteMember) {
  std::string out;
  Writer writer(out);
  writer.BeginObject();
  writer.Member("nan", std::numeric_limits<double>::quiet_NaN());
  writer.Member("inf", std::numeric_limits<double>::infinity());
  writer.EndObject();
  EXPECT_EQ(out, R"({"nan":null,"inf":null})");
}

TEST(Writer, EscapesKeys) {
  std::string out;
  Writer writer(out);
  writer.BeginObject();
  writer.Member("a\"\n", "v");
  writer.EndObject();
  EXPECT_EQ(out, R"({"a\"\n":"v"})");
}

TEST(Writer, OutputParsesStrictly) {
  std::string out;
  Writer writer(out);
  writer.BeginObject();
  writer.Member("a", 1e300);
  writer.Member("b", 5e-324);
  writer.Key("c");
  writer.BeginArray();
  writer.Number(-0.0);
  writer.Number(100000);
  writer.EndArray();
  writer.EndObject();
  StrictParser parser;
  element root;
  ParseError error;
  ASSERT_TRUE(parser.Parse(out, root, error)) << error.message << " in " << out;
  EXPECT_EQ(root["a"].get_double().value(), 1e300);
  EXPECT_EQ(root["b"].get_double().value(), 5e-324);
  EXPECT_EQ(root["c"].at(1).get_int64().value(), 100000);
}

}  // namespace
}  // namespace modelgate::json
