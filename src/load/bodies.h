#pragma once

#include <absl/status/statusor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "contract/types.h"
#include "json/parse.h"
#include "schema/validator.h"

namespace modelgate::load {

// A request body prepared before the run, split where the idempotency key's value goes. Without
// a key in the body, `prefix` is the whole body and `suffix` is empty.
struct BodyTemplate {
  std::string prefix;
  std::string suffix;
  // False when the body has no place for the key: an object on the key field's path is missing.
  bool has_key_slot = false;
  std::size_t batch_size = 0;  // items of the contract's batch field; 0 without one
};

// The body of one request: a prepared body with the request's unique key. The views point into
// the BodySource, which must outlive this value.
struct OutgoingBody {
  std::string_view prefix;
  std::string_view suffix;
  // The request's unique idempotency key, JSON-escaped when it goes in the body. It is empty when
  // the contract declares no idempotency or the prepared body has no place for the key.
  std::string key;
  bool key_in_body = false;  // the key goes between prefix and suffix, else in key_header()
  std::size_t batch_size = 0;

  std::size_t BodySize() const;
  void AppendBody(std::string& out) const;
  std::string Body() const;
  // The key for the key header; empty when the key is in the body or not used.
  std::string_view HeaderKey() const { return key_in_body ? std::string_view() : key; }
};

// At most this many bodies are prepared for a run; requests cycle through them.
inline constexpr std::size_t kMaxPreparedBodies = 1024;

// Request bodies for a run: generated from the contract's request fields or read from a JSONL
// file. All bodies are prepared when the source is made, so a request only joins a prepared body
// with its key. Requests cycle through the prepared bodies by index. When the contract declares
// idempotency, every request gets a unique key, in the declared header or body field, so the
// server never replays a stored response and every request runs the model.
class BodySource {
 public:
  // Prepares `count` bodies (at least 1, at most kMaxPreparedBodies), each from its own seed, and
  // checks each against the contract's request rules. `run_id` makes keys unique across runs
  // against a server that keeps its records.
  static absl::StatusOr<std::unique_ptr<BodySource>> Generated(
      const contract::Contract& contract, std::uint64_t seed, std::string run_id,
      std::size_t count = kMaxPreparedBodies);
  // Reads one JSON body per line and prepares one body per line; blank lines are skipped. Each
  // line must be valid JSON and satisfy the contract's request rules; the error names the first
  // line that does not.
  static absl::StatusOr<std::unique_ptr<BodySource>> FromJsonl(const contract::Contract& contract,
                                                               const std::string& path,
                                                               std::string run_id);

  // Returns the body for request `index`: prepared body `index % prepared_count()` and key
  // number `index`.
  OutgoingBody Next(std::uint64_t index) const;
  std::size_t prepared_count() const { return templates_.size(); }

  // Header that carries the idempotency key; empty when keys are in the body or not used.
  const std::string& key_header() const { return key_header_; }

 private:
  BodySource(const contract::Contract& contract, std::string run_id);
  absl::Status Configure(const contract::Contract& contract);
  // Checks the body of request `index` against the contract's request rules; the error lists
  // the violations or the parse error.
  absl::Status CheckBody(std::uint64_t index, const schema::Validator& validator);
  absl::Status CheckKeyFits(const schema::Validator& validator);
  absl::Status AddTemplate(const std::string& body);

  std::vector<BodyTemplate> templates_;
  std::string run_id_;
  std::string key_stem_;  // every key is this text followed by the request index
  bool key_enabled_ = false;
  std::string key_header_;
  std::vector<std::string> key_path_;  // members leading to the key's body field
  std::string batch_pointer_;          // JSON Pointer of the batch field, empty without one
  json::StrictParser parser_;
};

}  // namespace modelgate::load
