#include "service/log_fields.h"

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "contract/fields.h"
#include "json/writer.h"
#include "service/request_context.h"

namespace modelgate::service {

std::string HmacSha256Hex(std::string_view key, std::string_view value) {
  // Fetching the digest and setting up a MAC context for every call costs more than the hash
  // itself in OpenSSL 3, so each thread keeps one context per key and only re-initialises it.
  struct Context {
    std::string key;
    EVP_MAC_CTX* mac = nullptr;
    ~Context() { EVP_MAC_CTX_free(mac); }
  };
  thread_local Context context;
  if (!context.mac || context.key != key) {
    EVP_MAC_CTX_free(context.mac);
    static EVP_MAC* const kHmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    context.mac = EVP_MAC_CTX_new(kHmac);
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest_name, 0),
                           OSSL_PARAM_construct_end()};
    EVP_MAC_init(context.mac, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                 params);
    context.key = key;
  } else {
    EVP_MAC_init(context.mac, nullptr, 0, nullptr);  // same key: reset the state only
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  EVP_MAC_update(context.mac, reinterpret_cast<const unsigned char*>(value.data()), value.size());
  EVP_MAC_final(context.mac, digest, &length, sizeof digest);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (std::size_t i = 0; i < length; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 15];
  }
  return hex;
}

std::string LoadLogHmacKey(const std::string& file) {
  if (const char* key = std::getenv("MODELGATE_LOG_HMAC_KEY"); key && *key) return key;
  if (!file.empty()) {
    std::ifstream input(file, std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    if (!input.bad() && !key.empty()) return key;
    throw std::runtime_error("cannot read a log HMAC key from " + file);
  }
  spdlog::warn(
      "no log HMAC key: set MODELGATE_LOG_HMAC_KEY or --log-hmac-key-file; hashed log fields use "
      "a random key and cannot be joined across restarts");
  return RandomHex(32);
}

LogFields::LogFields(const contract::Contract& contract, std::string hmac_key)
    : hmac_key_(std::move(hmac_key)) {
  const auto& hashed = contract.observability.hashed_log_fields;
  // Members every access-log line already carries; a listed field of the same name adds nothing.
  static const std::vector<std::string> kRecordKeys = {
      "ts", "request_id", "trace_id", "service", "contract_version", "model_version",
      "route", "status", "code", "latency_ms"};
  for (const auto& name : contract.observability.logs) {
    if (std::find(kRecordKeys.begin(), kRecordKeys.end(), name) != kRecordKeys.end()) continue;
    bool listed_hashed = std::find(hashed.begin(), hashed.end(), name) != hashed.end();
    if (const auto* field = contract::FindField(contract.request.fields, name)) {
      request_.push_back({name, listed_hashed || field->pii});
    } else if (const auto* field = contract::FindField(contract.response.fields, name)) {
      response_.push_back({name, listed_hashed || field->pii});
    }
  }
  // A PII request field is hashed even when the log list names it only as hashed.
  for (const auto& name : hashed) {
    bool listed = std::any_of(request_.begin(), request_.end(),
                              [&](const Entry& entry) { return entry.name == name; });
    if (!listed && contract::FindField(contract.request.fields, name)) {
      request_.push_back({name, true});
    }
  }
}

void LogFields::AppendRequest(simdjson::dom::element document, std::string& members) const {
  Append(request_, document, members);
}

void LogFields::AppendResponse(simdjson::dom::element document, std::string& members) const {
  Append(response_, document, members);
}

void LogFields::Append(const std::vector<Entry>& entries, simdjson::dom::element document,
                       std::string& members) const {
  for (const auto& entry : entries) {
    simdjson::dom::element value;
    if (document.at_key(entry.name).get(value) != simdjson::SUCCESS) continue;
    members += ',';
    if (!entry.hashed) {
      json::AppendQuoted(members, entry.name);
      members += ':';
      members += simdjson::minify(value);
      continue;
    }
    std::string_view text;
    std::string plain =
        value.get_string().get(text) == simdjson::SUCCESS ? std::string(text)
                                                           : simdjson::minify(value);
    json::AppendQuoted(members, entry.name + "_hmac");
    members += ':';
    json::AppendQuoted(members, HmacSha256Hex(hmac_key_, plain));
  }
}

}  // namespace modelgate::service
