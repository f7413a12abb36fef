#pragma once

// Seeded synthetic card-transaction data for the fraud-scoring example. README.md in this folder
// lists each risk factor and its effect on the fraud probability.

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <vector>

namespace modelgate::examples::fraud {

// Code lists of the categorical features. A feature value is the index into its list, so the
// order here is part of the model's input encoding and vocabulary.json records it.
inline constexpr std::array<std::string_view, 10> kCurrencies = {"USD", "EUR", "GBP", "JPY", "CHF",
                                                                 "CAD", "AUD", "BRL", "NGN", "RUB"};
inline constexpr std::array<std::string_view, 10> kMerchantCategories = {
    "grocery",       "fuel",   "restaurants", "travel",     "electronics",
    "digital_goods", "gaming", "jewelry",     "gift_cards", "other"};

// Column order of the feature matrix and of the model's feature names.
inline constexpr std::array<std::string_view, 8> kFeatureNames = {
    "amount",        "currency",     "merchant_category", "country_mismatch",
    "card_age_days", "txn_count_1h", "txn_count_24h",     "hour_of_day"};
inline constexpr std::size_t kFeatureCount = kFeatureNames.size();

// Ranges of the generated values, inclusive.
inline constexpr double kMaxAmount = 100000.0;
inline constexpr int kMaxCardAgeDays = 3650;
inline constexpr int kMaxTxnCount1h = 50;
inline constexpr int kMaxTxnCount24h = 500;

struct Transaction {
  double amount = 0.0;            // In units of `currency`, rounded to cents, 0.01..kMaxAmount.
  int currency = 0;               // Index into kCurrencies.
  int merchant_category = 0;      // Index into kMerchantCategories.
  bool country_mismatch = false;  // Card issuing country differs from the IP address country.
  int card_age_days = 0;
  int txn_count_1h = 0;            // Transactions on the same card in the previous hour.
  int txn_count_24h = 0;           // Transactions on the same card in the previous 24 hours.
  int hour_of_day = 0;             // Local hour, 0..23.
  double fraud_probability = 0.0;  // Probability the label was drawn from.
  bool is_fraud = false;
};

// Random source whose output depends only on the seed. The std::mt19937_64 output sequence is
// fixed by the C++ standard, but the algorithms of the std:: distributions and of std::shuffle are
// implementation-defined, so libstdc++ and libc++ produce different values from the same engine.
// This class derives every value from the raw 64-bit engine outputs instead.
// NOTE: Normal and Poisson call std::log, std::cos, std::exp and std::sqrt, whose last-bit results
// may differ between libm builds, so runs are bit-identical on one machine and libm version only.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // Returns a double in [0, 1) built from the top 53 bits of one engine output.
  double Uniform();
  // Returns an integer in [0, bound) without modulo bias; `bound` must be positive.
  std::uint64_t UniformIndex(std::uint64_t bound);
  bool Bernoulli(double probability) { return Uniform() < probability; }
  // Returns a standard normal value by the Box-Muller transform, using two uniforms per value.
  double Normal();
  // Returns a Poisson value by Knuth's multiplication method. It takes about `mean` + 1 uniforms,
  // so it suits small means such as the ones used here (at most 25).
  int Poisson(double mean);
  // Returns an index drawn with probability proportional to `weights[index]`.
  std::size_t Categorical(std::span<const double> weights);
  std::uint64_t Next() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

// Generates `rows` transactions with labels. The same `seed` and `rows` return the same data, and
// the first k rows do not depend on `rows`.
std::vector<Transaction> GenerateTransactions(std::uint64_t rows, std::uint64_t seed);

// Returns the feature values of `transaction` in kFeatureNames order.
std::array<float, kFeatureCount> FeatureRow(const Transaction& transaction);

}  // namespace modelgate::examples::fraud
