#pragma once

// The `model:` section of a contract served by the xgboost backend: which request members feed
// which model features, which response members receive the outputs, and how reason codes are
// chosen. Reading it checks it against the request and response contracts.

#include <absl/status/status.h>
#include <simdjson.h>

#include <cstddef>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "contract/types.h"

namespace modelgate::backend {

inline constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

// The conversion of a request value to a feature value: numbers as float, booleans as 0 or 1,
// strings as their index in a vocabulary.
enum class FeatureKind { kNumber, kBoolean, kCategory };

// The XGBoost contributions that rank the reason codes: approximate (prediction type 3, which
// credits each split's change of the node mean to the split feature), exact (type 2, TreeSHAP)
// or none.
enum class ReasonMethod { kNone, kApproximate, kExact };

struct TransparentStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

using Vocabulary = std::unordered_map<std::string, float, TransparentStringHash, std::equal_to<>>;

// One model input.
struct FeatureBinding {
  std::string name;               // the model's feature name
  std::string from;               // request path, dotted for nested members; defaults to name
  std::vector<std::string> path;  // `from` split at the dots
  FeatureKind kind = FeatureKind::kNumber;
  Vocabulary vocabulary;          // string to code, for kCategory
  float absent_value = kMissing;  // value of an absent member: the field's default, or missing
};

struct XgboostBinding {
  std::string contract_file;
  std::string artifact;
  std::string version;
  std::string objective;  // empty when the contract does not state one
  std::vector<FeatureBinding> features;
  std::string score_member;
  std::string reasons_member;  // empty when the response has no reason codes
  std::string version_member;  // empty when the response does not carry the version
  ReasonMethod reason_method = ReasonMethod::kNone;
  std::size_t top_k = 3;
  std::vector<std::string> codes;  // reason code per feature, in feature order; empty for none
  bool trim_whitespace = false;    // strings are trimmed before the vocabulary lookup
};

// Reads the xgboost binding of `contract.model` and checks it against the request and response
// contracts. Throws std::runtime_error naming the contract file, the key and the fix.
XgboostBinding ReadXgboostBinding(const contract::Contract& contract);

// Writes the feature values of `request` to `row`, in feature order. An absent member takes the
// feature's absent_value, a null member and a string outside the vocabulary are missing (NaN).
// Returns InvalidArgument for a value of another type or a number beyond the float range.
absl::Status ReadFeatures(const XgboostBinding& binding, simdjson::dom::element request,
                          std::span<float> row);

}  // namespace modelgate::backend
