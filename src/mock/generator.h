#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "contract/types.h"

namespace modelgate::mock {

struct Plan;  // the response fields with patterns compiled and literals parsed, private

// Generates response documents that follow a contract's response rules: types, required and
// optional fields, inclusive ranges, string lengths in code points, array lengths, enums,
// formats, patterns where a matching string is found, and the declared orderings. Nullable
// fields are not null unless null is their only enum member.
//
// The output depends only on the response spec and the seed. The generator draws from its own
// splitmix64 stream and formats without the locale, so a seed gives the same bytes on every
// platform. Generate is const and thread-safe, and copies share the precomputed plan.
class Generator {
 public:
  explicit Generator(const contract::ResponseSpec& response);
  // Generates documents with these fields and no ordering rules, such as valid requests.
  explicit Generator(const std::vector<contract::Field>& fields);

  // Returns the JSON text of one response object.
  std::string Generate(std::uint64_t seed) const;

 private:
  std::shared_ptr<const Plan> plan_;
};

// Returns the seed for one request: `option_seed` (the --seed option) mixed with the FNV-1a
// 64-bit hash of the request body, so equal bodies get equal responses.
std::uint64_t RequestSeed(std::uint64_t option_seed, std::string_view body);

}  // namespace modelgate::mock
