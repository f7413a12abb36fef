// Encoding of an embeddings response: 32 vectors of 768 floats as JSON numbers, as the fasttext
// backend writes them (shortest float text), and widened to double for comparison.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "backend/fasttext_output.h"
#include "json/writer.h"

namespace {

constexpr std::size_t kRows = 32;
constexpr std::size_t kDim = 768;

// Unit-norm-sized values like those of normalized sentence vectors.
std::vector<float> MakeVectors() {
  std::mt19937 random(5);
  std::normal_distribution<float> normal(0.0F, 0.036F);
  std::vector<float> values(kRows * kDim);
  for (float& value : values) value = normal(random);
  return values;
}

void BM_EncodeShortestFloat(benchmark::State& state) {
  std::vector<float> values = MakeVectors();
  std::string out;
  for (auto _ : state) {
    out.clear();
    modelgate::json::Writer writer(out);
    writer.BeginObject();
    writer.Key("vectors");
    writer.BeginArray();
    for (std::size_t row = 0; row < kRows; ++row) {
      auto status = modelgate::backend::WriteFloatArray(
          writer, std::span<const float>(values.data() + row * kDim, kDim));
      if (!status.ok()) state.SkipWithError("non-finite value");
    }
    writer.EndArray();
    writer.EndObject();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_EncodeShortestFloat)->Unit(benchmark::kMicrosecond);

void BM_EncodeWidenedDouble(benchmark::State& state) {
  std::vector<float> values = MakeVectors();
  std::string out;
  for (auto _ : state) {
    out.clear();
    modelgate::json::Writer writer(out);
    writer.BeginObject();
    writer.Key("vectors");
    writer.BeginArray();
    for (std::size_t row = 0; row < kRows; ++row) {
      writer.BeginArray();
      for (std::size_t d = 0; d < kDim; ++d) writer.Number(values[row * kDim + d]);
      writer.EndArray();
    }
    writer.EndArray();
    writer.EndObject();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_EncodeWidenedDouble)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
