#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "client/http_client.h"
#include "contract/types.h"

namespace modelgate::conformance {

// The response a probe must get: a success that follows the response rules, or the problem
// document of one declared error.
struct Expectation {
  bool success = true;
  const contract::ErrorSpec* error = nullptr;  // set when success is false
  std::string pointer;  // a per-field error must name this JSON Pointer, when not empty
};

// One request of the suite with the response it must get. `name` is the check name in reports,
// such as valid/bound/amount=maximum.
struct Probe {
  std::string name;
  client::HttpRequest request;
  Expectation expect;
};

// Builds request documents from a contract: the baseline valid document (the first example, or
// a generated one) and fresh idempotency keys, so that no two probes share a key by accident.
// A key contains a counter and a hash of the seed and the document without its key, so a run is
// reproducible, and a server that kept the records of an earlier run, even of another contract
// with the same route, replays its responses instead of rejecting a reused key.
class RequestFactory {
 public:
  RequestFactory(const contract::Contract& contract, std::uint64_t seed);

  const contract::Contract& contract() const { return contract_; }
  std::uint64_t seed() const { return seed_; }
  const std::string& baseline() const { return baseline_; }

  // A POST of `document` to the contract's route with a fresh idempotency key, in the body
  // field or the header the contract names.
  client::HttpRequest Fresh(const std::string& document);
  // A POST of `document` as given, with `content_type`.
  client::HttpRequest Raw(const std::string& body,
                          const std::string& content_type = "application/json") const;
  // A new idempotency key for `document`.
  std::string NextKey(std::string_view document);

  // JSON text of a valid value of `field`, drawn with `seed`.
  static std::string GenerateValue(const contract::Field& field, std::uint64_t seed);

 private:
  const contract::Contract& contract_;
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;
  std::string baseline_;
};

// The probes of the "valid" group: examples, optional fields present and absent, every enum
// member, both ends of every bound, and the maximum batch.
std::vector<Probe> ValidProbes(RequestFactory& factory);

// The probes of the "invalid" group: each bound just outside, each required field missing,
// wrong types, unknown members, malformed JSON, a wrong media type, and the payload limit.
std::vector<Probe> InvalidProbes(RequestFactory& factory);

}  // namespace modelgate::conformance
