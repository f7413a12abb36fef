// Request bodies for load: generated from the contract or read from JSONL, with a unique
// idempotency key per request in the declared header or body field.
#include "load/bodies.h"

#include <gtest/gtest.h>

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
    EXPECT_NE(body.body.find("\"idempotency_key\":\"load-run1-" + std::to_string(i) + "\""),
              std::string::npos)
        << body.body;
    EXPECT_TRUE(body.idempotency_key.empty());  // the fraud contract takes the key in the body
    bodies.insert(body.body);
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
  EXPECT_EQ((*source)->Next(3).idempotency_key, "load-r-3");
  EXPECT_EQ((*source)->Next(3).body.find("load-r-3"), std::string::npos);
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
  EXPECT_NE((*source)->Next(0).body.find("\"a\""), std::string::npos);
  EXPECT_NE((*source)->Next(1).body.find("\"b\""), std::string::npos);
  OutgoingBody third = (*source)->Next(2);
  EXPECT_NE(third.body.find("\"a\""), std::string::npos);
  EXPECT_NE(third.body.find("load-r-2"), std::string::npos);
  EXPECT_EQ(third.body.find("same"), std::string::npos);
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
