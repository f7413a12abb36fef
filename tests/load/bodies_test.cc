// Request bodies for load: generated from the contract or read from JSONL, with a unique
// idempotency key per request in the declared header or body field.
#include "load/bodies.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "contract/loader.h"

namespace modelgate::load {
namespace {

contract::Contract FraudContract() {
  auto contract = contract::LoadContract(std::string(MODELGATE_SOURCE_DIR) +
                                         "/examples/fraud/contract.yaml");
  EXPECT_TRUE(contract.ok()) << contract.status();
  return *contract;
}

std::string WriteFile(const std::string& name, const std::string& text) {
  auto folder = std::filesystem::temp_directory_path() /
                ("modelgate-load-bodies-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  std::string path = (folder / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(LoadBodies, GeneratedBodiesAreDistinctWithUniqueKeys) {
  auto source = BodySource::Generated(FraudContract(), 7, "run1");
  ASSERT_TRUE(source.ok()) << source.status();
  std::set<std::string> bodies;
  for (std::uint64_t i = 0; i < 50; ++i) {
    OutgoingBody body = (*source)->Next(i);
    EXPECT_NE(body.Body().find("\"idempotency_key\":\"load-run1-" + std::to_string(i) + "\""),
              std::string::npos)
        << body.Body();
    EXPECT_TRUE(body.HeaderKey().empty());  // the fraud contract takes the key in the body
    bodies.insert(body.Body());
  }
  EXPECT_EQ(bodies.size(), 50u);
}

TEST(LoadBodies, HeaderKeyContract) {
  auto contract = contract::LoadContractText(
      "version: v1\nrequest:\n  fields:\n    - {name: text, type: string, required: true}\n"
      "behavior:\n  idempotency: true\n",
      "test.yaml");
  ASSERT_TRUE(contract.ok()) << contract.status();
  auto source = BodySource::Generated(*contract, 1, "r");
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ((*source)->key_header(), "Idempotency-Key");
  EXPECT_EQ((*source)->Next(3).HeaderKey(), "load-r-3");
  EXPECT_EQ((*source)->Next(3).Body().find("load-r-3"), std::string::npos);
}

TEST(LoadBodies, BatchSizeFromBatchField) {
  auto contract = contract::LoadContractText(
      "version: v1\nrequest:\n  fields:\n"
      "    - {name: items, type: \"array[number]\", required: true, min_len: 3, max_len: 3}\n",
      "test.yaml");
  ASSERT_TRUE(contract.ok()) << contract.status();
  auto source = BodySource::Generated(*contract, 1, "r");
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ((*source)->Next(0).batch_size, 3u);
}

TEST(LoadBodies, JsonlCyclesAndReplacesKeys) {
  std::string path = WriteFile(
      "ok.jsonl",
      R"({"transaction_id":"a","amount":1,"currency":"EUR","idempotency_key":"same"})"
      "\n\n"
      R"({"transaction_id":"b","amount":2,"currency":"USD","idempotency_key":"same"})"
      "\n");
  auto source = BodySource::FromJsonl(FraudContract(), path, "r");
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ((*source)->prepared_count(), 2u);
  EXPECT_NE((*source)->Next(0).Body().find("\"a\""), std::string::npos);
  EXPECT_NE((*source)->Next(1).Body().find("\"b\""), std::string::npos);
  std::string third = (*source)->Next(2).Body();
  EXPECT_NE(third.find("\"a\""), std::string::npos);
  EXPECT_NE(third.find("load-r-2"), std::string::npos);
  EXPECT_EQ(third.find("same"), std::string::npos);
}

// Reads the string at `pointer` from `body`, which must be valid JSON.
std::string StringAt(const std::string& body, std::string_view pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(body).get(root), simdjson::SUCCESS) << body;
  std::string_view value;
  EXPECT_EQ(root.at_pointer(pointer).get_string().get(value), simdjson::SUCCESS) << body;
  return std::string(value);
}

contract::Contract NestedKeyContract() {
  auto contract = contract::LoadContractText(R"(
version: v1
request:
  fields:
    - {name: text, type: string, required: true}
    - name: meta
      type: object
      required: true
      fields:
        - {name: source, type: string, required: true}
        - {name: request_key, type: string, required: true}
behavior:
  idempotency:
    field: meta.request_key
)",
                                             "nested.yaml");
  EXPECT_TRUE(contract.ok()) << contract.status();
  return *contract;
}

TEST(LoadBodies, NestedKeySplicedAsValidJson) {
  auto source = BodySource::Generated(NestedKeyContract(), 5, "r", 3);
  ASSERT_TRUE(source.ok()) << source.status();
  ASSERT_EQ((*source)->prepared_count(), 3u);
  std::set<std::string> keys;
  // Requests 0 and 3 share a prepared body, and each still gets its own key.
  for (std::uint64_t i = 0; i < 7; ++i) {
    OutgoingBody body = (*source)->Next(i);
    std::string text = body.Body();
    EXPECT_EQ(text.size(), body.BodySize());
    EXPECT_EQ(StringAt(text, "/meta/request_key"), "load-r-" + std::to_string(i));
    EXPECT_FALSE(StringAt(text, "/meta/source").empty());
    EXPECT_TRUE(body.HeaderKey().empty());
    keys.insert(StringAt(text, "/meta/request_key"));
  }
  EXPECT_EQ(keys.size(), 7u);
  std::string first = (*source)->Next(0).Body();
  std::string fourth = (*source)->Next(3).Body();
  EXPECT_EQ(StringAt(first, "/text"), StringAt(fourth, "/text"));
}

TEST(LoadBodies, KeyWithQuoteStaysValidJson) {
  auto source = BodySource::Generated(NestedKeyContract(), 5, "a\"b\\c", 1);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ(StringAt((*source)->Next(9).Body(), "/meta/request_key"), "load-a\"b\\c-9");
}

TEST(LoadBodies, KeyAddedWhenBodyLacksIt) {
  auto contract = contract::LoadContractText(R"(
version: v1
request:
  fields:
    - {name: text, type: string, required: true}
    - {name: request_key, type: string}
behavior:
  idempotency:
    field: request_key
)",
                                             "optional-key.yaml");
  ASSERT_TRUE(contract.ok()) << contract.status();
  std::string path = WriteFile("nokey.jsonl", "{\"text\":\"a\"}\n");
  auto source = BodySource::FromJsonl(*contract, path, "r");
  ASSERT_TRUE(source.ok()) << source.status();
  std::string body = (*source)->Next(4).Body();
  EXPECT_EQ(StringAt(body, "/request_key"), "load-r-4");
  EXPECT_EQ(StringAt(body, "/text"), "a");
}

TEST(LoadBodies, HeaderKeyLeavesBodyWhole) {
  auto contract = contract::LoadContractText(
      "version: v1\nrequest:\n  fields:\n    - {name: text, type: string, required: true}\n"
      "behavior:\n  idempotency: true\n",
      "test.yaml");
  ASSERT_TRUE(contract.ok()) << contract.status();
  auto source = BodySource::Generated(*contract, 1, "r", 2);
  ASSERT_TRUE(source.ok()) << source.status();
  OutgoingBody body = (*source)->Next(5);
  EXPECT_EQ(body.HeaderKey(), "load-r-5");
  EXPECT_TRUE(body.suffix.empty());
  EXPECT_EQ(body.Body(), body.prefix);
  EXPECT_FALSE(StringAt(body.Body(), "/text").empty());
}

TEST(LoadBodies, NoKeyWithoutIdempotency) {
  auto contract = contract::LoadContractText(
      "version: v1\nrequest:\n  fields:\n    - {name: text, type: string, required: true}\n",
      "test.yaml");
  ASSERT_TRUE(contract.ok()) << contract.status();
  auto source = BodySource::Generated(*contract, 1, "r", 2);
  ASSERT_TRUE(source.ok()) << source.status();
  OutgoingBody body = (*source)->Next(1);
  EXPECT_TRUE(body.key.empty());
  EXPECT_EQ(body.Body().find("load-r"), std::string::npos);
}

TEST(LoadBodies, PreparedCountBounded) {
  struct Case {
    std::size_t requested;
    std::size_t prepared;
  };
  for (Case c : {Case{0, 1}, Case{1, 1}, Case{kMaxPreparedBodies, kMaxPreparedBodies},
                 Case{kMaxPreparedBodies + 1, kMaxPreparedBodies}}) {
    auto source = BodySource::Generated(FraudContract(), 7, "r", c.requested);
    ASSERT_TRUE(source.ok()) << source.status();
    EXPECT_EQ((*source)->prepared_count(), c.prepared) << "requested " << c.requested;
  }
}

TEST(LoadBodies, JsonlInvalidLineNamed) {
  std::string path = WriteFile(
      "bad.jsonl",
      R"({"transaction_id":"a","amount":1,"currency":"EUR","idempotency_key":"k"})"
      "\n{\"transaction_id\": \n");
  auto source = BodySource::FromJsonl(FraudContract(), path, "r");
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.status().message().find("bad.jsonl:2: invalid JSON"), std::string::npos)
      << source.status();
}

TEST(LoadBodies, JsonlRuleViolationNamed) {
  std::string path = WriteFile(
      "rules.jsonl",
      R"({"transaction_id":"a","amount":-1,"currency":"EUR","idempotency_key":"k"})"
      "\n");
  auto source = BodySource::FromJsonl(FraudContract(), path, "r");
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.status().message().find("rules.jsonl:1:"), std::string::npos);
  EXPECT_NE(source.status().message().find("/amount"), std::string::npos) << source.status();
}

TEST(LoadBodies, JsonlEmptyFileRejected) {
  std::string path = WriteFile("empty.jsonl", "\n \n");
  auto source = BodySource::FromJsonl(FraudContract(), path, "r");
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.status().message().find("contains no request body"), std::string::npos);
}

}  // namespace
}  // namespace modelgate::load
