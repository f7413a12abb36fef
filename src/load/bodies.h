#pragma once

#include <absl/status/statusor.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contract/types.h"
#include "json/parse.h"
#include "mock/generator.h"
#include "schema/validator.h"

namespace modelgate::load {

// One request body ready to send.
struct OutgoingBody {
  std::string body;
  std::string idempotency_key;  // sent in the contract's key header when that header is set
  std::size_t batch_size = 0;   // items of the contract's batch field; 0 without one
};

// Request bodies for a run: generated from the contract's request fields (one distinct body per
// request index) or read from a JSONL file and cycled. When the contract declares idempotency,
// every body gets a unique key, in the declared header or body field, so the server never
// answers from its idempotency records and every request runs the model.
class BodySource {
 public:
  // `run_id` makes keys unique across runs against a server that keeps its records.
  static absl::StatusOr<std::unique_ptr<BodySource>> Generated(const contract::Contract& contract,
                                                               std::uint64_t seed,
                                                               std::string run_id);
  // Reads one JSON body per line; blank lines are skipped. Each line must be valid JSON and
  // satisfy the contract's request rules; the error names the first line that does not.
  static absl::StatusOr<std::unique_ptr<BodySource>> FromJsonl(const contract::Contract& contract,
                                                               const std::string& path,
                                                               std::string run_id);

  // Returns the body for request `index`. Not thread-safe: it reuses one parser.
  OutgoingBody Next(std::uint64_t index);

  // Header that carries the idempotency key; empty when keys are in the body or not used.
  const std::string& key_header() const { return key_header_; }

 private:
  BodySource(const contract::Contract& contract, std::string run_id);
  absl::Status Configure(const contract::Contract& contract);
  absl::Status CheckKeyFits(const schema::Validator& validator);
  std::string Key(std::uint64_t index) const;
  OutgoingBody Finish(std::string body, std::uint64_t index);

  std::optional<mock::Generator> generator_;
  std::uint64_t seed_ = 0;
  std::vector<std::string> lines_;
  std::string run_id_;
  std::string key_header_;
  std::vector<std::string> key_path_;  // members leading to the key's body field
  std::string batch_pointer_;          // JSON Pointer of the batch field, empty without one
  json::StrictParser parser_;
};

}  // namespace modelgate::load
