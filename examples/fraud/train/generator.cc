#include "generator.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace modelgate::examples::fraud {

double Random::Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

std::uint64_t Random::UniformIndex(std::uint64_t bound) {
  // Outputs below `threshold` would make the low residues more likely, so they are redrawn.
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t value = engine_();
    if (value >= threshold) {
      return value % bound;
    }
  }
}

double Random::Normal() {
  const double radius_uniform = 1.0 - Uniform();  // In (0, 1], so the log is finite.
  const double angle_uniform = Uniform();
  return std::sqrt(-2.0 * std::log(radius_uniform)) *
         std::cos(2.0 * std::numbers::pi * angle_uniform);
}

int Random::Poisson(double mean) {
  const double limit = std::exp(-mean);
  int count = 0;
  double product = Uniform();
  while (product > limit) {
    ++count;
    product *= Uniform();
  }
  return count;
}

std::size_t Random::Categorical(std::span<const double> weights) {
  double total = 0.0;
  for (double weight : weights) {
    total += weight;
  }
  double remaining = Uniform() * total;
  for (std::size_t index = 0; index + 1 < weights.size(); ++index) {
    remaining -= weights[index];
    if (remaining < 0.0) {
      return index;
    }
  }
  return weights.size() - 1;
}

namespace {

// Share of transactions per category, in kMerchantCategories order.
constexpr std::array<double, 10> kCategoryWeights = {0.22, 0.12, 0.17, 0.05, 0.08,
                                                     0.10, 0.05, 0.02, 0.03, 0.16};
// Median amount per category. Amounts are log-normal around it with kAmountLogSigma.
constexpr std::array<double, 10> kCategoryMedianAmount = {45.0, 50.0, 35.0,  420.0, 300.0,
                                                          15.0, 25.0, 650.0, 80.0,  60.0};
constexpr double kAmountLogSigma = 1.1;
// Fraud log-odds added per category.
constexpr std::array<double, 10> kCategoryLogit = {-1.3, -0.5, -1.1, 0.4, 0.9,
                                                   1.1,  0.7,  1.1,  1.8, 0.0};

// Share of transactions per currency, in kCurrencies order. Amounts use one distribution for every
// currency (there is no exchange-rate scaling).
constexpr std::array<double, 10> kCurrencyWeights = {0.40, 0.22, 0.10, 0.06, 0.03,
                                                     0.06, 0.05, 0.04, 0.02, 0.02};
// Fraud log-odds added per currency.
constexpr std::array<double, 10> kCurrencyLogit = {0.0,  -0.2, 0.0, -0.5, -0.7,
                                                   -0.2, 0.0,  0.9, 1.8,  1.6};

// Relative number of transactions per local hour 0..23.
constexpr std::array<double, 24> kHourWeights = {1.0, 0.7, 0.5, 0.4, 0.4, 0.6, 1.2, 2.5,
                                                 3.5, 4.5, 4.8, 5.0, 5.5, 5.2, 4.8, 4.6,
                                                 4.8, 5.0, 5.5, 5.0, 4.0, 3.0, 2.5, 1.6};

constexpr int kTravel = 3;
constexpr int kElectronics = 4;
constexpr int kDigitalGoods = 5;
constexpr int kGaming = 6;
constexpr int kJewelry = 7;
constexpr int kGiftCards = 8;

constexpr double kBaseLogit = -5.9;

// Returns the fraud log-odds of a transaction. Each term is one risk factor of README.md.
double FraudLogit(const Transaction& t) {
  double logit = kBaseLogit + kCategoryLogit[t.merchant_category] + kCurrencyLogit[t.currency];
  logit += 0.45 * std::log(t.amount / 50.0);

  const bool new_card = t.card_age_days < 30;
  if (new_card) {
    logit += 1.6;
    if (t.amount >= 500.0) {
      logit += 3.2;
    }
  } else if (t.card_age_days > 730) {
    logit -= 0.5;
  }

  const bool night = t.hour_of_day <= 5;
  if (night) {
    logit += 0.5;
    if (t.merchant_category == kDigitalGoods || t.merchant_category == kGiftCards ||
        t.merchant_category == kGaming) {
      logit += 2.7;
    }
  }

  logit += 0.6 * std::min(t.txn_count_1h, 10);
  if (t.txn_count_24h >= 60) {
    logit += 0.9;
  }

  if (t.country_mismatch) {
    logit += 0.9;
    if (t.merchant_category == kElectronics) {
      logit += 2.7;
    } else if (t.merchant_category == kJewelry) {
      logit += 1.8;
    } else if (t.merchant_category == kTravel) {
      logit += 1.1;
    }
  }

  if (t.merchant_category == kGiftCards && t.amount >= 250.0) {
    logit += 1.6;
  }
  return logit;
}

Transaction GenerateTransaction(Random& random) {
  // The draw order below defines the data set, so changing it changes the generated rows.
  Transaction t;
  t.merchant_category = static_cast<int>(random.Categorical(kCategoryWeights));
  t.currency = static_cast<int>(random.Categorical(kCurrencyWeights));

  const double log_median = std::log(kCategoryMedianAmount[t.merchant_category]);
  const double amount = std::exp(log_median + kAmountLogSigma * random.Normal());
  t.amount = std::round(std::clamp(amount, 0.01, kMaxAmount) * 100.0) / 100.0;

  t.hour_of_day = static_cast<int>(random.Categorical(kHourWeights));
  t.country_mismatch = random.Bernoulli(t.merchant_category == kTravel ? 0.30 : 0.05);

  // 7 % of cards are at most 30 days old, and the rest are uniform over 0..3650 days.
  if (random.Bernoulli(0.07)) {
    t.card_age_days = static_cast<int>(random.UniformIndex(31));
  } else {
    t.card_age_days = static_cast<int>(random.UniformIndex(kMaxCardAgeDays + 1));
  }

  // Velocity has three regimes: 0.2 % extreme bursts as in scripted card testing, 3 % bursts and
  // normal use.
  if (random.Bernoulli(0.002)) {
    t.txn_count_1h = 15 + static_cast<int>(random.UniformIndex(kMaxTxnCount1h - 15 + 1));
    t.txn_count_24h = t.txn_count_1h +
                      static_cast<int>(random.UniformIndex(kMaxTxnCount24h - t.txn_count_1h + 1));
  } else if (random.Bernoulli(0.03)) {
    t.txn_count_1h = 3 + random.Poisson(6.0);
    t.txn_count_24h = t.txn_count_1h + random.Poisson(25.0);
  } else {
    t.txn_count_1h = random.Poisson(0.4);
    t.txn_count_24h = t.txn_count_1h + random.Poisson(3.0);
  }
  t.txn_count_1h = std::min(t.txn_count_1h, kMaxTxnCount1h);
  t.txn_count_24h = std::min(t.txn_count_24h, kMaxTxnCount24h);

  // The label is a Bernoulli draw, so rows with the same features can differ in label and no
  // model reaches an AUC of 1.
  t.fraud_probability = 1.0 / (1.0 + std::exp(-FraudLogit(t)));
  t.is_fraud = random.Bernoulli(t.fraud_probability);
  return t;
}

}  // namespace

std::vector<Transaction> GenerateTransactions(std::uint64_t rows, std::uint64_t seed) {
  Random random(seed);
  std::vector<Transaction> transactions;
  transactions.reserve(rows);
  for (std::uint64_t row = 0; row < rows; ++row) {
    transactions.push_back(GenerateTransaction(random));
  }
  return transactions;
}

std::array<float, kFeatureCount> FeatureRow(const Transaction& transaction) {
  return {static_cast<float>(transaction.amount),
          static_cast<float>(transaction.currency),
          static_cast<float>(transaction.merchant_category),
          transaction.country_mismatch ? 1.0F : 0.0F,
          static_cast<float>(transaction.card_age_days),
          static_cast<float>(transaction.txn_count_1h),
          static_cast<float>(transaction.txn_count_24h),
          static_cast<float>(transaction.hour_of_day)};
}

}  // namespace modelgate::examples::fraud
