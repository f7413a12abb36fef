// Starts the real modelgate binary on a free loopback port and checks the wire conventions over
// real HTTP.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "contract/loader.h"
#include "http_client.h"
#include "json/parse.h"
#include "schema/validator.h"
#include "server_process.h"

namespace modelgate::testing {
namespace {

const std::string kFraudContract = SourcePath("examples/fraud/contract.yaml");
const std::string kValidBody =
    R"({"transaction_id":"tx_1","amount":12.5,"currency":"EUR","idempotency_key":"k1"})";

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Parses a response body; fails the test when it is not JSON.
simdjson::dom::element ParseBody(simdjson::dom::parser& parser, const std::string& body) {
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(body).get(element), simdjson::SUCCESS) << body;
  return element;
}

std::string StringAt(simdjson::dom::element element, const char* pointer) {
  std::string_view value;
  if (element.at_pointer(pointer).get_string().get(value) != simdjson::SUCCESS) return "<absent>";
  return std::string(value);
}

class MockServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"mock", RelaxedFraudContract(), "--seed", "7", "--threads", "2",
                                 "--idle-timeout-ms", "400"});
    ASSERT_TRUE(server_->Start()) << server_->Stderr();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::uint16_t port() { return server_->port(); }

  static ServerProcess* server_;
  simdjson::dom::parser parser_;
};

ServerProcess* MockServerTest::server_ = nullptr;

TEST_F(MockServerTest, ValidRequestGetsValidResponse) {
  HttpClient client(port());
  auto response = client.Post("/v1/score", kValidBody);
  ASSERT_EQ(response.result_int(), 200u) << response.body();
  EXPECT_EQ(response[beast_http::field::content_type], "application/json");
  EXPECT_EQ(response["X-Contract-Version"], "v1.0.0");
  EXPECT_EQ(response["X-Model-Version"], "mock");
  EXPECT_FALSE(response["X-Request-Id"].empty());

  auto contract = contract::LoadContract(kFraudContract);
  ASSERT_TRUE(contract.ok()) << contract.status();
  schema::Validator validator(schema::ResponseRules(*contract));
  std::vector<schema::Violation> violations;
  EXPECT_TRUE(validator.Validate(ParseBody(parser_, response.body()), violations));
  for (const auto& violation : violations) ADD_FAILURE() << violation.pointer << violation.message;
}

TEST_F(MockServerTest, SameBodyGivesSameResponse) {
  HttpClient client(port());
  auto first = client.Post("/v1/score", kValidBody);
  auto second = client.Post("/v1/score", kValidBody);
  EXPECT_EQ(first.body(), second.body());
  std::string other = kValidBody;
  other.replace(other.find("12.5"), 4, "13.5");
  EXPECT_NE(client.Post("/v1/score", other).body(), first.body());
}

TEST_F(MockServerTest, EchoesRequestIdAndTrace) {
  HttpClient client(port());
  std::string trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  auto response = client.Post("/v1/score", kValidBody, "application/json",
                              {{"X-Request-Id", "req-42"}, {"traceparent", trace}});
  EXPECT_EQ(response["X-Request-Id"], "req-42");
  std::string echoed(response["traceparent"]);
  EXPECT_EQ(echoed.substr(0, 36), trace.substr(0, 36));
  EXPECT_NE(echoed.substr(36, 16), trace.substr(36, 16));
}

TEST_F(MockServerTest, UnusableRequestIdIsReplaced) {
  HttpClient client(port());
  auto response = client.Post("/v1/score", kValidBody, "application/json",
                              {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_NE(response["X-Request-Id"], "bad id with spaces");
  EXPECT_EQ(response["X-Request-Id"].size(), 32u);
}

TEST_F(MockServerTest, InvalidFieldsAreAllListed) {
  HttpClient client(port());
  auto response = client.Post(
      "/v1/score",
      R"({"transaction_id":"tx 1","amount":100000.5,"currency":"usd",)"
      R"("features":{"hour_of_day":24},"idempotency_key":"k"})");
  ASSERT_EQ(response.result_int(), 400u);
  EXPECT_EQ(response[beast_http::field::content_type], "application/problem+json");
  auto body = ParseBody(parser_, response.body());
  EXPECT_EQ(StringAt(body, "/code"), "INVALID_INPUT");
  EXPECT_EQ(StringAt(body, "/request_id"), std::string(response["X-Request-Id"]));
  bool retryable = true;
  ASSERT_EQ(body["retryable"].get(retryable), simdjson::SUCCESS);
  EXPECT_FALSE(retryable);
  EXPECT_EQ(StringAt(body, "/errors/0/field"), "/transaction_id");
  EXPECT_EQ(StringAt(body, "/errors/1/field"), "/amount");
  EXPECT_EQ(StringAt(body, "/errors/2/field"), "/currency");
  EXPECT_EQ(StringAt(body, "/errors/3/field"), "/features/hour_of_day");
  EXPECT_EQ(StringAt(body, "/errors/4/field"), "<absent>");
}

TEST_F(MockServerTest, MissingRequiredFieldIsNamed) {
  HttpClient client(port());
  auto response = client.Post("/v1/score", R"({"amount":1,"currency":"EUR"})");
  ASSERT_EQ(response.result_int(), 400u);
  auto body = ParseBody(parser_, response.body());
  EXPECT_EQ(StringAt(body, "/errors/0/field"), "/transaction_id");
  EXPECT_EQ(StringAt(body, "/errors/0/rule"), "required");
  EXPECT_EQ(StringAt(body, "/errors/1/field"), "/idempotency_key");
}

TEST_F(MockServerTest, MalformedBodiesGetInvalidInput) {
  auto folder = SourcePath("tests/data/malformed");
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    HttpClient client(port());
    auto response = client.Post("/v1/score", ReadFile(entry.path().string()));
    EXPECT_EQ(response.result_int(), 400u) << entry.path().filename();
    auto body = ParseBody(parser_, response.body());
    EXPECT_EQ(StringAt(body, "/code"), "INVALID_INPUT") << entry.path().filename();
    ++checked;
  }
  EXPECT_GE(checked, 15);
}

TEST_F(MockServerTest, UnknownPathIsNotFound) {
  HttpClient client(port());
  auto response = client.Post("/v1/nothing", kValidBody);
  EXPECT_EQ(response.result_int(), 404u);
  auto body = ParseBody(parser_, response.body());
  EXPECT_EQ(StringAt(body, "/code"), "NOT_FOUND");
}

TEST_F(MockServerTest, WrongMethodListsAllowed) {
  HttpClient client(port());
  auto response = client.Get("/v1/score");
  EXPECT_EQ(response.result_int(), 405u);
  EXPECT_EQ(response[beast_http::field::allow], "POST");
  auto body = ParseBody(parser_, response.body());
  EXPECT_EQ(StringAt(body, "/code"), "METHOD_NOT_ALLOWED");
}

TEST_F(MockServerTest, WrongContentTypeIsUnsupported) {
  HttpClient client(port());
  auto response = client.Post("/v1/score", kValidBody, "text/plain");
  EXPECT_EQ(response.result_int(), 415u);
  HttpClient second(port());
  EXPECT_EQ(second.Post("/v1/score", kValidBody, "application/json; charset=utf-8").result_int(),
            200u);
}

// The fraud contract allows 16384 bytes; JSON allows trailing whitespace, so padding the valid
// body with spaces makes a valid request of any size.
std::string PaddedBody(std::size_t size) {
  std::string body = kValidBody;
  body.resize(size, ' ');
  return body;
}

TEST_F(MockServerTest, PayloadAtLimitIsAccepted) {
  HttpClient client(port());
  EXPECT_EQ(client.Post("/v1/score", PaddedBody(16384)).result_int(), 200u);
}

TEST_F(MockServerTest, PayloadOverLimitIsRejectedFromLength) {
  HttpClient client(port());
  auto response = client.Post("/v1/score", PaddedBody(16385));
  EXPECT_EQ(response.result_int(), 413u);
  auto body = ParseBody(parser_, response.body());
  EXPECT_EQ(StringAt(body, "/code"), "PAYLOAD_TOO_LARGE");
}

TEST_F(MockServerTest, ChunkedPayloadOverLimitIsRejected) {
  std::string chunk(8000, ' ');
  std::ostringstream raw;
  raw << "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      << "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) raw << std::hex << chunk.size() << "\r\n" << chunk << "\r\n";
  raw << "0\r\n\r\n";
  std::string reply = SendRaw(port(), raw.str());
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 413") << reply.substr(0, 200);
}

TEST_F(MockServerTest, ChunkedPayloadWithinLimitIsAccepted) {
  std::ostringstream raw;
  raw << "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      << "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      << std::hex << kValidBody.size() << "\r\n" << kValidBody << "\r\n0\r\n\r\n";
  std::string reply = SendRaw(port(), raw.str());
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 200") << reply.substr(0, 200);
}

TEST_F(MockServerTest, OversizedHeaderGets431) {
  std::string raw = "POST /v1/score HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') +
                    "\r\n\r\n";
  std::string reply = SendRaw(port(), raw);
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 431") << reply.substr(0, 200);
}

TEST_F(MockServerTest, TooManyHeadersGet431) {
  std::string raw = "POST /v1/score HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 120; ++i) raw += "X-H" + std::to_string(i) + ": 1\r\n";
  raw += "\r\n";
  std::string reply = SendRaw(port(), raw);
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 431") << reply.substr(0, 200);
}

TEST_F(MockServerTest, GarbageRequestLineGets400) {
  std::string reply = SendRaw(port(), "HELLO\r\n\r\n");
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 400") << reply.substr(0, 200);
}

TEST_F(MockServerTest, HeadAnswersCarryNoBody) {
  std::string reply = SendRaw(port(), "HEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 404") << reply;
  EXPECT_TRUE(reply.ends_with("\r\n\r\n")) << reply;
}

TEST_F(MockServerTest, MissingHostIsRejected) {
  std::string reply = SendRaw(port(), "GET /healthz HTTP/1.1\r\n\r\n");
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 400") << reply;
  EXPECT_NE(reply.find("Host"), std::string::npos) << reply;
}

TEST_F(MockServerTest, CompressedBodyIsUnsupported) {
  HttpClient client(port());
  auto response = client.Post("/v1/score", kValidBody, "application/json",
                              {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(response.result_int(), 415u);
}

TEST_F(MockServerTest, RawBytesInPathAreEscaped) {
  std::string reply = SendRaw(port(), "GET /v1/\xff HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 404") << reply;
  EXPECT_NE(reply.find("/v1/%FF"), std::string::npos) << reply;
  EXPECT_EQ(reply.find('\xff'), std::string::npos);
}

TEST_F(MockServerTest, ListedErrorsAreCapped) {
  std::string body = R"({"features":{)";
  for (int i = 0; i < 150; ++i) body += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":1";
  body += "}}";
  HttpClient client(port());
  auto response = client.Post("/v1/score", body);
  ASSERT_EQ(response.result_int(), 400u);
  EXPECT_NE(response.body().find("the first 100 are listed"), std::string::npos);
  simdjson::dom::parser parser;
  simdjson::dom::array errors;
  ASSERT_EQ(parser.parse(response.body())["errors"].get(errors), simdjson::SUCCESS);
  EXPECT_EQ(errors.size(), 100u);
}

TEST_F(MockServerTest, KeepAliveServesSeveralRequests) {
  HttpClient client(port());
  for (int i = 0; i < 5; ++i) {
    auto response = client.Post("/v1/score", kValidBody);
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST_F(MockServerTest, IdleConnectionIsClosed) {
  HttpClient client(port());
  ASSERT_EQ(client.Post("/v1/score", kValidBody).result_int(), 200u);
  // The server runs with a 400 ms idle timeout; give it ample time.
  EXPECT_TRUE(client.ServerClosed(std::chrono::milliseconds(3000)));
}

TEST_F(MockServerTest, SilentConnectionIsClosed) {
  // No byte at all: the header timeout (10 s by default) or idle timeout closes it. This server
  // runs with the default header timeout, so only check that the server keeps serving others.
  HttpClient silent(port());
  HttpClient client(port());
  EXPECT_EQ(client.Get("/healthz").result_int(), 200u);
}

TEST_F(MockServerTest, OperationalEndpointsAnswer) {
  HttpClient client(port());
  EXPECT_EQ(client.Get("/healthz").result_int(), 200u);
  EXPECT_EQ(client.Get("/readyz").result_int(), 200u);
  auto post = client.Post("/healthz", "{}");
  EXPECT_EQ(post.result_int(), 405u);
  EXPECT_EQ(post[beast_http::field::allow], "GET, HEAD");
}

TEST_F(MockServerTest, MetricsCountRequests) {
  HttpClient client(port());
  client.Post("/v1/score", kValidBody);
  auto metrics = client.Get("/metrics");
  ASSERT_EQ(metrics.result_int(), 200u);
  EXPECT_NE(metrics.body().find("# TYPE modelgate_requests_total counter"), std::string::npos);
  EXPECT_NE(metrics.body().find(R"(modelgate_requests_total{service="fraud-score",)"
                                R"(contract_version="v1.0.0",model_version="mock",)"
                                R"(code="OK",status="200"})"),
            std::string::npos);
  // The contract's p95 (80 ms) and p99 (110 ms) targets are bucket bounds.
  EXPECT_NE(metrics.body().find(R"(modelgate_request_duration_seconds_bucket{service="fraud-score",)"
                                R"(contract_version="v1.0.0",model_version="mock",le="0.08"})"),
            std::string::npos);
  EXPECT_NE(metrics.body().find(R"(le="0.11"})"), std::string::npos);
  EXPECT_NE(metrics.body().find("# TYPE modelgate_requests_in_flight gauge"), std::string::npos);
}

TEST_F(MockServerTest, FailuresAreCountedByCode) {
  HttpClient client(port());
  client.Post("/v1/score", "{}");
  auto metrics = client.Get("/metrics").body();
  std::string prefix = R"(modelgate_request_failures_total{service="fraud-score",)"
                       R"(contract_version="v1.0.0",model_version="mock",)"
                       R"(code="INVALID_INPUT",status="400"} )";
  auto found = metrics.find(prefix);
  ASSERT_NE(found, std::string::npos) << metrics;
  EXPECT_GE(std::stoi(metrics.substr(found + prefix.size())), 1);
}

TEST_F(MockServerTest, MetricsPassPromtool) {
  HttpClient client(port());
  client.Post("/v1/score", kValidBody);
  client.Post("/v1/score", "{}");
  auto path = WriteTempFile("metrics.txt", client.Get("/metrics").body());
  // promtool comes with Debian's prometheus package, which the install script installs.
  std::string command = "promtool check metrics < " + path + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char chunk[512];
  while (std::size_t count = fread(chunk, 1, sizeof chunk, pipe)) output.append(chunk, count);
  int status = pclose(pipe);
  EXPECT_EQ(status, 0) << output;
  EXPECT_EQ(output, "");
}

TEST_F(MockServerTest, ContractIsPublishedWithoutModel) {
  HttpClient client(port());
  auto response = client.Get("/v1/contract");
  ASSERT_EQ(response.result_int(), 200u);
  auto body = ParseBody(parser_, response.body());
  EXPECT_EQ(StringAt(body, "/endpoint/path"), "/v1/score");
  simdjson::dom::element unused;
  EXPECT_NE(body["model"].get(unused), simdjson::SUCCESS);
  std::uint64_t max_payload = 0;
  ASSERT_EQ(body.at_pointer("/request/limits/max_payload_bytes").get(max_payload),
            simdjson::SUCCESS);
  EXPECT_EQ(max_payload, 16384u);
}

TEST_F(MockServerTest, OpenApiIsPublished) {
  HttpClient client(port());
  auto response = client.Get("/openapi.json");
  ASSERT_EQ(response.result_int(), 200u);
  auto body = ParseBody(parser_, response.body());
  EXPECT_EQ(StringAt(body, "/openapi"), "3.1.0");
  simdjson::dom::element operation;
  EXPECT_EQ(body.at_pointer("/paths/~1v1~1score/post").get(operation), simdjson::SUCCESS);
}

TEST(ServeCommand, TwoVersionsSideBySide) {
  std::string v1 = ReadFile(kFraudContract);
  std::string v2 = v1;
  v2.replace(v2.find("version: v1.0.0"), 15, "version: v2.0.0");
  auto v2_path = WriteTempFile("fraud-v2.yaml", v2);
  ServerProcess server({"mock", kFraudContract, v2_path});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  auto index = client.Get("/openapi.json");
  EXPECT_NE(index.body().find(R"("/v2/score":"/openapi.json?route=/v2/score")"), std::string::npos)
      << index.body();
  EXPECT_NE(client.Get("/openapi.json?route=/v2/score").body().find(R"("version":"v2.0.0")"),
            std::string::npos);
  auto first = client.Post("/v1/score", kValidBody);
  auto second = client.Post("/v2/score", kValidBody);
  EXPECT_EQ(first.result_int(), 200u);
  EXPECT_EQ(second.result_int(), 200u);
  EXPECT_EQ(first["X-Contract-Version"], "v1.0.0");
  EXPECT_EQ(second["X-Contract-Version"], "v2.0.0");
}

TEST(ServeCommand, SameRouteTwiceIsRejected) {
  std::string output;
  EXPECT_EQ(RunCommand({"mock", kFraudContract, kFraudContract, "--port", "0"}, "", output), 2);
  EXPECT_NE(output.find("already served"), std::string::npos) << output;
}

TEST(ServeCommand, ContractWithoutModelIsRejected) {
  std::string output;
  EXPECT_EQ(RunCommand({"serve", SourcePath("docs/examples/embeddings.yaml"), "--port", "0"}, "",
                       output),
            2);
  EXPECT_NE(output.find("model"), std::string::npos) << output;
}

TEST(ServeCommand, InvalidContractStopsStartup) {
  auto path = WriteTempFile("bad.yaml", "name: x\nversion: v1\nrequest:\n  feilds: []\n");
  std::string output;
  EXPECT_EQ(RunCommand({"mock", path, "--port", "0"}, "", output), 2);
  EXPECT_NE(output.find("bad.yaml:4:3"), std::string::npos) << output;
  EXPECT_NE(output.find("fields"), std::string::npos) << output;
}

TEST(ServeCommand, SigtermDrainsAndExitsZero) {
  ServerProcess server({"mock", kFraudContract});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient idle(server.port());
  ASSERT_EQ(idle.Post("/v1/score", kValidBody).result_int(), 200u);
  // The idle keep-alive connection must not hold the shutdown for the grace period.
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.Stop(std::chrono::milliseconds(5000)), 0) << server.Stderr();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ServeCommand, AccessLogHashesPiiFields) {
  // The fraud contract marks transaction_id as PII and logs it hashed.
  auto key_file = WriteTempFile("hmac.key", "test-key\n");
  ServerProcess server({"mock", kFraudContract, "--log-hmac-key-file", key_file});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  HttpClient client(server.port());
  std::string body = kValidBody;
  body.replace(body.find("tx_1"), 4, "tx_secret_4711");
  ASSERT_EQ(client.Post("/v1/score", body).result_int(), 200u);
  ASSERT_EQ(client.Post("/v1/score", R"({"transaction_id":"tx_secret_4712"})").result_int(), 400u);
  ASSERT_EQ(server.Stop(), 0);
  std::string log = server.Stdout();
  EXPECT_NE(log.find(R"("route":"/v1/score","status":200,"code":"OK")"), std::string::npos)
      << log;
  EXPECT_EQ(log.find("tx_secret_471"), std::string::npos) << log;
  // HMAC-SHA256("test-key", "tx_secret_4711"), computed with openssl dgst -sha256 -hmac.
  EXPECT_NE(log.find(R"("transaction_id_hmac":"3b85079684dbf4a6bcde329f18ae5a82956ba8068e45bae7)"
                     R"(ad000b93fa9bbdc4")"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find(R"("model_version":"mock")"), std::string::npos) << log;
}

TEST(ValidateCommand, ExitCodes) {
  std::string output;
  EXPECT_EQ(RunCommand({"validate", kFraudContract, "-"}, kValidBody, output), 0) << output;
  EXPECT_EQ(RunCommand({"validate", kFraudContract, "-"}, R"({"amount":-1})", output), 1);
  EXPECT_NE(output.find(R"("field":"/amount","rule":"minimum")"), std::string::npos) << output;
  EXPECT_EQ(RunCommand({"validate", kFraudContract, "/nonexistent.json"}, "", output), 2);
  EXPECT_EQ(RunCommand({"validate", "/nonexistent.yaml"}, "", output), 2);
}

TEST(ValidateCommand, SampleRequestsMatchTheirNames) {
  int checked = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(SourcePath("examples/fraud/requests"))) {
    std::string name = entry.path().filename().string();
    std::string output;
    int expected = name.starts_with("valid-") ? 0 : 1;
    EXPECT_EQ(RunCommand({"validate", kFraudContract, entry.path().string()}, "", output),
              expected)
        << name << "\n"
        << output;
    ++checked;
  }
  EXPECT_GE(checked, 8);
}

TEST(ValidateCommand, UnreadableInputIsUsageError) {
  std::string output;
  auto folder = std::filesystem::path(WriteTempFile("x.json", "{}")).parent_path();
  EXPECT_EQ(RunCommand({"validate", kFraudContract, folder.string()}, "", output), 2) << output;
  EXPECT_NE(output.find("cannot read"), std::string::npos) << output;
  EXPECT_EQ(RunCommand({"validate", folder.string()}, "", output), 2) << output;
}

TEST(ValidateCommand, AliasBombIsRejected) {
  // Nine levels of nine aliases name 9^9 strings in a few hundred bytes.
  std::string yaml = "name: bomb\nversion: v1\nrequest:\n  fields: []\nx0: &a0 [lol]\n";
  for (int level = 1; level < 10; ++level) {
    std::string previous = "*a" + std::to_string(level - 1);
    yaml += "x" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 9; ++i) yaml += (i ? ", " : "") + previous;
    yaml += "]\n";
  }
  yaml += "examples: [*a9]\n";
  std::string output;
  EXPECT_EQ(RunCommand({"validate", WriteTempFile("bomb.yaml", yaml), "-"}, "{}", output), 2);
  EXPECT_NE(output.find("100,000 nodes"), std::string::npos) << output;
}

TEST(ValidateCommand, OversizedDocumentIsPayloadTooLarge) {
  std::string output;
  EXPECT_EQ(RunCommand({"validate", kFraudContract, "-"}, PaddedBody(16385), output), 1);
  EXPECT_NE(output.find("PAYLOAD_TOO_LARGE"), std::string::npos) << output;
}

// Every bundled contract, in the compact style with flattened response paths among them, loads,
// serves through mock, and answers each of its own examples with a response that passes the
// response contract.
class BundledContractTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BundledContractTest, ServesItsExamples) {
  std::string path = SourcePath(GetParam());
  auto contract = contract::LoadContract(path);
  ASSERT_TRUE(contract.ok()) << contract.status();
  ASSERT_FALSE(contract->examples_json.empty()) << path << " has no examples";
  ServerProcess server({"mock", path, "--no-access-log"});
  ASSERT_TRUE(server.Start()) << server.Stderr();
  schema::Validator validator(schema::ResponseRules(*contract));
  simdjson::dom::parser parser;
  HttpClient client(server.port());
  for (const auto& example : contract->examples_json) {
    auto response = client.Post(contract->RoutePath(), example);
    ASSERT_EQ(response.result_int(), 200u) << example << "\n" << response.body();
    std::vector<schema::Violation> violations;
    EXPECT_TRUE(validator.Validate(ParseBody(parser, response.body()), violations));
    for (const auto& v : violations) ADD_FAILURE() << v.pointer << ": " << v.message;
  }
  EXPECT_EQ(server.Stop(), 0);
}

INSTANTIATE_TEST_SUITE_P(Examples, BundledContractTest,
                         ::testing::Values("examples/fraud/contract.yaml",
                                           "docs/examples/fraud-score.yaml",
                                           "docs/examples/recommendations.yaml",
                                           "docs/examples/embeddings.yaml",
                                           "docs/examples/spam-classifier.yaml",
                                           "docs/examples/compact-style.json"));

}  // namespace
}  // namespace modelgate::testing
