// Cost of one call into the XGBoost backend of the fraud example (200 trees of depth 6, trained
// by the build), with reason codes from approximate contributions and from exact SHAP values.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "backend/factory.h"
#include "contract/loader.h"

namespace {

const std::string kContractPath =
    std::string(MODELGATE_SOURCE_DIR) + "/examples/fraud/contract.yaml";

const char* kRequest =
    R"({"transaction_id":"tx_20261204_000123","amount":249.9,"currency":"EUR",)"
    R"("features":{"merchant_category":"electronics","country_mismatch":true,)"
    R"("card_age_days":12,"txn_count_1h":3,"txn_count_24h":9,"hour_of_day":2},)"
    R"("idempotency_key":"7f2c9a1e-5b7d-4c1a-9e0f-000000000123"})";

// Loads the fraud contract with `method` as the way reason codes are computed.
std::unique_ptr<modelgate::backend::Backend> FraudBackend(const std::string& method) {
  std::ifstream file(kContractPath);
  std::stringstream text;
  text << file.rdbuf();
  std::string contract_text = text.str();
  auto at = contract_text.find("method: approximate");
  if (at == std::string::npos) std::abort();  // the example changed: update this benchmark
  contract_text.replace(at, 19, "method: " + method);
  auto contract = modelgate::contract::LoadContractText(contract_text, kContractPath);
  if (!contract.ok()) {
    std::cerr << contract.status() << "\n";
    std::exit(2);
  }
  return modelgate::backend::MakeBackend(*contract);
}

void Predict(benchmark::State& state, const std::string& method) {
  auto backend = FraudBackend(method);
  simdjson::dom::parser parser;
  simdjson::dom::element request = parser.parse(std::string(kRequest));
  std::string response;
  for (auto _ : state) {
    auto status = backend->Predict(request, kRequest, response);
    benchmark::DoNotOptimize(status);
  }
}

void BM_PredictApproximateReasons(benchmark::State& state) { Predict(state, "approximate"); }
BENCHMARK(BM_PredictApproximateReasons)->Unit(benchmark::kMicrosecond);

void BM_PredictExactReasons(benchmark::State& state) { Predict(state, "exact"); }
BENCHMARK(BM_PredictExactReasons)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
