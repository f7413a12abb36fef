#include "conformance/document.h"

#include <gtest/gtest.h>

namespace modelgate::conformance {
namespace {

TEST(DocumentEdit, ReplacesMemberInPlace) {
  auto edited = Edit(R"({"a":1,"b":2,"c":3})", {"b"}, "true");
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(*edited, R"({"a":1,"b":true,"c":3})");
}

TEST(DocumentEdit, RemovesMember) {
  auto edited = Edit(R"({"a":1,"b":2})", {"a"}, std::nullopt);
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(*edited, R"({"b":2})");
}

TEST(DocumentEdit, RemovingAbsentMemberKeepsDocument) {
  auto edited = Edit(R"({"a":1})", {"z"}, std::nullopt);
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(*edited, R"({"a":1})");
}

TEST(DocumentEdit, CreatesMissingObjects) {
  auto edited = Edit(R"({"a":1})", {"f", "g", "h"}, R"("x")");
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(*edited, R"({"a":1,"f":{"g":{"h":"x"}}})");
}

TEST(DocumentEdit, EditsNestedMemberAndArrayItem) {
  auto edited = Edit(R"({"f":{"g":[1,2,3]}})", {"f", "g", "1"}, "20");
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(*edited, R"({"f":{"g":[1,20,3]}})");
}

TEST(DocumentEdit, RejectsPathThroughScalar) {
  auto edited = Edit(R"({"a":1})", {"a", "b"}, "2");
  EXPECT_FALSE(edited.ok());
}

TEST(DocumentEdit, RejectsInvalidJson) {
  auto edited = Edit(R"({"a":)", {"a"}, "2");
  ASSERT_FALSE(edited.ok());
  EXPECT_NE(edited.status().message().find("not JSON"), std::string::npos);
}

TEST(DocumentValueAt, FindsNestedValue) {
  EXPECT_EQ(ValueAt(R"({"f":{"g":[1,{"h":null}]}})", {"f", "g", "1"}), R"({"h":null})");
  EXPECT_EQ(ValueAt(R"({"f":1})", {"g"}), std::nullopt);
}

TEST(DocumentPointer, EscapesTokens) {
  EXPECT_EQ(Pointer({"a/b", "c~d", "0"}), "/a~1b/c~0d/0");
  EXPECT_EQ(Pointer({}), "");
}

}  // namespace
}  // namespace modelgate::conformance
