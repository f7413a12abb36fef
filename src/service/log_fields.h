#pragma once

#include <simdjson.h>

#include <string>
#include <vector>

#include "contract/types.h"

namespace modelgate::service {

// The request and response members that a contract's observability section lists for the access
// log. A member that is marked pii, or listed as hashed, is logged only as an HMAC-SHA256 of its
// value under `<name>_hmac`, never raw, so logs can be joined on it without exposing it.
class LogFields {
 public:
  LogFields(const contract::Contract& contract, std::string hmac_key);

  // Appends `,"name":value` members for the listed top-level members of `document`.
  void AppendRequest(simdjson::dom::element document, std::string& members) const;
  void AppendResponse(simdjson::dom::element document, std::string& members) const;
  bool empty() const { return request_.empty() && response_.empty(); }

 private:
  struct Entry {
    std::string name;
    bool hashed = false;
  };
  void Append(const std::vector<Entry>& entries, simdjson::dom::element document,
              std::string& members) const;

  std::vector<Entry> request_;
  std::vector<Entry> response_;
  std::string hmac_key_;
};

// Returns HMAC-SHA256 of `value` under `key` as lowercase hex.
std::string HmacSha256Hex(std::string_view key, std::string_view value);

// Reads the log HMAC key from the environment variable MODELGATE_LOG_HMAC_KEY, else from `file`
// when it is not empty; returns a random key, with a warning, when neither gives one.
std::string LoadLogHmacKey(const std::string& file);

}  // namespace modelgate::service
