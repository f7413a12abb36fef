// Runs JSONTestSuite's parsing cases (github.com/nst/JSONTestSuite, test_parsing) through the
// server. The folder comes from the MODELGATE_JSON_TEST_SUITE environment variable or the CMake
// option of that name; the tests skip when neither names an existing folder.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "http_client.h"
#include "server_process.h"

namespace modelgate::testing {
namespace {

namespace fs = std::filesystem;

// Accepts any object: no declared fields, unknown members ignored, duplicate keys allowed.
constexpr const char* kPermissiveContract = R"(name: permissive
version: v1
endpoint: {operation: echo}
request:
  fields: []
  limits: {max_payload_bytes: 1048576, max_depth: 64}
  validation: {unknown_fields: ignore, allow_duplicate_keys: true}
response:
  fields:
    - {name: ok, type: boolean, required: true}
)";

std::string SuiteFolder() {
  const char* variable = std::getenv("MODELGATE_JSON_TEST_SUITE");
  std::string folder = variable && *variable ? variable : MODELGATE_JSON_TEST_SUITE;
  return !folder.empty() && fs::is_directory(folder) ? folder : "";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

bool IsTopLevelObject(const std::string& text) {
  auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '{';
}

// Posts `body` on a new connection; returns the status, or 0 when the exchange failed.
unsigned PostStatus(std::uint16_t port, const std::string& body) {
  try {
    HttpClient client(port);
    return client.Post("/v1/echo", body).result_int();
  } catch (const std::exception&) {
    return 0;
  }
}

std::vector<fs::path> Cases(const std::string& folder, char prefix) {
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(folder)) {
    auto name = entry.path().filename().string();
    if (name.size() > 2 && name[0] == prefix && name[1] == '_') cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

class JsonTestSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = SuiteFolder();
    if (folder_.empty()) {
      GTEST_SKIP() << "JSONTestSuite folder not given: set MODELGATE_JSON_TEST_SUITE or the "
                      "CMake option of that name to its test_parsing folder";
    }
    contract_ = WriteTempFile("permissive.yaml", kPermissiveContract);
  }

  std::string folder_;
  std::string contract_;
};

TEST_F(JsonTestSuite, RejectsEveryInvalidCase) {
  ServerProcess server({"mock", contract_, "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  auto cases = Cases(folder_, 'n');
  ASSERT_GT(cases.size(), 150u);
  for (const auto& path : cases) {
    EXPECT_EQ(PostStatus(server.port(), ReadFile(path)), 400u) << path.filename();
  }
  HttpClient health(server.port());
  EXPECT_EQ(health.Get("/healthz").result_int(), 200u);
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

TEST_F(JsonTestSuite, AcceptsEveryValidObject) {
  ServerProcess server({"mock", contract_, "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  int objects = 0;
  for (const auto& path : Cases(folder_, 'y')) {
    std::string text = ReadFile(path);
    // Valid JSON that is not an object is not a request document.
    unsigned expected = IsTopLevelObject(text) ? 200u : 400u;
    objects += expected == 200u;
    EXPECT_EQ(PostStatus(server.port(), text), expected) << path.filename();
  }
  EXPECT_GE(objects, 10);
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

TEST_F(JsonTestSuite, ImplementationDefinedCasesNeverCrash) {
  ServerProcess server({"mock", contract_, "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  for (const auto& path : Cases(folder_, 'i')) {
    unsigned status = PostStatus(server.port(), ReadFile(path));
    EXPECT_TRUE(status == 200u || status == 400u) << path.filename() << " got " << status;
  }
  HttpClient health(server.port());
  EXPECT_EQ(health.Get("/healthz").result_int(), 200u);
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

// Duplicate member names are valid JSON (RFC 8259) but not I-JSON (RFC 7493); contracts reject
// them unless they set allow_duplicate_keys, so these valid cases get 400 by default.
TEST_F(JsonTestSuite, DuplicateKeysRejectedByDefault) {
  std::string strict = kPermissiveContract;
  strict.replace(strict.find(", allow_duplicate_keys: true"), 28, "");
  ServerProcess server({"mock", WriteTempFile("strict.yaml", strict), "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  for (const char* name : {"y_object_duplicated_key.json", "y_object_duplicated_key_and_value.json"}) {
    EXPECT_EQ(PostStatus(server.port(), ReadFile(fs::path(folder_) / name)), 400u) << name;
  }
}

}  // namespace
}  // namespace modelgate::testing
