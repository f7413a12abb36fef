// Cost of the request path's decode and validation stages for a realistic fraud-scoring request:
// strict parsing, duplicate-key check, every field rule, and the problem document for an invalid
// request.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "contract/loader.h"
#include "json/parse.h"
#include "mock/mock_backend.h"
#include "problem/problem.h"
#include "schema/validator.h"
#include "service/service.h"

namespace {

using modelgate::contract::Contract;

const char* kValidRequest =
    R"({"transaction_id":"tx_20261204_000123","amount":249.9,"currency":"EUR",)"
    R"("features":{"merchant_category":"electronics","country_mismatch":true,)"
    R"("card_age_days":12,"txn_count_1h":3,"txn_count_24h":9,"hour_of_day":2},)"
    R"("idempotency_key":"7f2c9a1e-5b7d-4c1a-9e0f-000000000123"})";

const char* kInvalidRequest =
    R"({"transaction_id":"tx 1","amount":100000.5,"currency":"usd",)"
    R"("features":{"merchant_category":"casino","hour_of_day":24},"idempotency_key":""})";

const Contract& FraudContract() {
  static const Contract contract = [] {
    auto loaded = modelgate::contract::LoadContract(std::string(MODELGATE_SOURCE_DIR) +
                                                    "/examples/fraud/contract.yaml");
    if (!loaded.ok()) {
      std::cerr << loaded.status() << "\n";
      std::exit(2);
    }
    return *std::move(loaded);
  }();
  return contract;
}

// Parse and validate one valid request, as the server does for every request it admits.
void BM_DecodeValidRequest(benchmark::State& state) {
  modelgate::service::Service service(FraudContract(), nullptr);
  std::string body = kValidRequest;
  body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  simdjson::dom::element document;
  for (auto _ : state) {
    modelgate::problem::Problem problem;
    bool valid = service.Decode(body, document, problem);
    benchmark::DoNotOptimize(valid);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_DecodeValidRequest);

// Validation alone, on an already parsed document.
void BM_ValidateParsedRequest(benchmark::State& state) {
  modelgate::schema::Validator validator(modelgate::schema::RequestRules(FraudContract()));
  modelgate::json::StrictParser parser;
  std::string body = kValidRequest;
  simdjson::dom::element document;
  modelgate::json::ParseError error;
  if (!parser.Parse(body, document, error)) state.SkipWithError(error.message.c_str());
  std::vector<modelgate::schema::Violation> violations;
  for (auto _ : state) {
    violations.clear();
    benchmark::DoNotOptimize(validator.Validate(document, violations));
  }
}
BENCHMARK(BM_ValidateParsedRequest);

// An invalid request: parse, collect five violations, render the problem document.
void BM_RejectInvalidRequest(benchmark::State& state) {
  const Contract& contract = FraudContract();
  modelgate::service::Service service(contract, nullptr);
  std::string body = kInvalidRequest;
  simdjson::dom::element document;
  for (auto _ : state) {
    modelgate::problem::Problem problem;
    service.Decode(body, document, problem);
    problem.error = contract.FindError("INVALID_INPUT");
    benchmark::DoNotOptimize(modelgate::problem::Render(problem, "bench"));
  }
}
BENCHMARK(BM_RejectInvalidRequest);

// The gateway's whole path for one request without the network: request context, decode,
// validation, the mock backend, the response guard and the HTTP response with its headers.
void BM_ServeOneRequestWithMock(benchmark::State& state) {
  // The same body with the same idempotency key would be a replay from the second iteration on;
  // without idempotency every iteration runs the whole path.
  Contract contract = FraudContract();
  contract.behavior.idempotency.enabled = false;
  modelgate::service::Service service(
      contract, std::make_unique<modelgate::mock::MockBackend>(contract, 7));
  modelgate::http::Request request(modelgate::http::beast_http::verb::post, "/v1/score", 11);
  request.set(modelgate::http::beast_http::field::content_type, "application/json");
  request.body() = kValidRequest;
  std::size_t bytes = 0;
  modelgate::http::Responder respond = [&bytes](modelgate::http::Response&& response) {
    bytes += response.body().size();
  };
  for (auto _ : state) {
    // Handle takes the request by value, as the server hands it over; the copy is part of the
    // measured cost, as the server's own parse is.
    modelgate::http::Request copy = request;
    auto context = modelgate::service::MakeContext(copy.base());
    service.Handle(std::move(copy), std::move(context), respond);
  }
  benchmark::DoNotOptimize(bytes);
}
BENCHMARK(BM_ServeOneRequestWithMock);

}  // namespace

BENCHMARK_MAIN();
