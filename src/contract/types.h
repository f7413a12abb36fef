#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace modelgate::contract {

// A place in a contract file; line and column count from 1.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class FieldType { kString, kNumber, kInteger, kBoolean, kObject, kArray };

// A scalar JSON value declared in a contract (an enum member or a bound).
using Scalar = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string>;

// One field of a request or response schema. Arrays keep their element description in `items`,
// so `array[array[number]]` is an array whose items are arrays of numbers.
struct Field {
  std::string name;
  FieldType type = FieldType::kString;
  bool required = false;
  bool nullable = false;
  // Strings: length in Unicode code points. Arrays: number of items. Inclusive.
  std::optional<std::size_t> min_len;
  std::optional<std::size_t> max_len;
  // Numbers and integers: inclusive range.
  std::optional<double> minimum;
  std::optional<double> maximum;
  std::vector<Scalar> enum_values;
  std::string pattern;  // RE2 syntax, searched unanchored as in JSON Schema
  std::string format;   // iso4217, date-time, date, uuid, email, uri, ipv4, ipv6
  std::optional<std::string> default_json;  // JSON text of the default value
  std::optional<std::string> example_json;  // JSON text of an example value
  std::string description;
  bool pii = false;
  std::shared_ptr<Field> items;  // set for arrays
  std::vector<Field> fields;     // members of an object
  // Objects without declared members accept any members; with members, unknown ones follow the
  // request's unknown-field policy.
  SourceLocation where;
};

enum class UnknownFieldPolicy { kReject, kIgnore };

struct RequestLimits {
  std::optional<std::size_t> max_payload_bytes;
  std::optional<std::size_t> max_batch;        // items of the batch field
  std::optional<std::size_t> max_total_chars;  // code points over every string in the request
  std::size_t max_depth = 64;
};

struct ValidationPolicy {
  bool reject_invalid_schema = true;
  bool trim_whitespace = false;
  UnknownFieldPolicy unknown_fields = UnknownFieldPolicy::kReject;
  bool allow_duplicate_keys = false;
};

struct RequestSpec {
  std::vector<Field> fields;
  RequestLimits limits;
  ValidationPolicy validation;
  std::string batch_field;  // the array whose length is the batch size, when there is one
};

// A guarantee on the order of a list in the response: `list` (a flattened path such as
// `results[].ranked`) is sorted by its items' member `by` (empty: by the item values).
struct Ordering {
  std::string text;  // the sentence as written, when written as one
  std::string list;
  std::string by;
  bool descending = true;
};

struct ResponseSpec {
  std::vector<Field> fields;
  std::vector<Ordering> ordering;
  std::string confidence_desc;  // what confidence means (calibration), when stated
  std::map<std::string, std::string> reason_codes;  // reason code to its meaning
};

enum class Backoff { kNone, kFixed, kExponential };

struct ErrorSpec {
  std::string code;
  int status = 500;
  bool retryable = false;
  bool retryable_declared = false;  // false when the contract left it to the default
  Backoff backoff = Backoff::kNone;
  bool retry_after = false;  // the response carries Retry-After
  std::optional<int> max_retries;
  std::optional<std::chrono::milliseconds> initial_backoff;
  std::string description;
  SourceLocation where;
};

// A latency target in milliseconds: one value, or one per batch size.
struct LatencyTarget {
  std::optional<double> overall_ms;
  std::map<std::size_t, double> per_batch_ms;  // batch size to target
  bool empty() const { return !overall_ms && per_batch_ms.empty(); }
};

struct LatencyTargets {
  LatencyTarget p50;
  LatencyTarget p95;
  LatencyTarget p99;
};

struct DataRules {
  std::optional<bool> pii;
  std::vector<std::string> pii_fields;
  std::string retention;
  std::optional<bool> encryption_at_rest;
  std::optional<bool> encryption_in_transit;
};

struct Freshness {
  std::optional<std::chrono::milliseconds> max_staleness;
  std::optional<std::chrono::milliseconds> cache_ttl;
  bool serve_stale_on_timeout = false;
};

struct Constraints {
  LatencyTargets latency;
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<double> throughput_rps;
  std::optional<double> burst_rps;
  std::optional<std::chrono::milliseconds> burst_window;
  // Sustained rate each client may use; `client_header` (an API key) identifies the client.
  std::optional<double> per_client_rps;
  std::string client_header = "X-API-Key";
  std::optional<std::size_t> max_batch;
  std::string batch_unit;  // what one batch item is ("users" for max_batch_users)
  std::optional<std::size_t> max_concurrency;
  std::optional<std::uint64_t> memory_ceiling_bytes;
  std::optional<double> cost_per_1k_requests;
  std::optional<double> cost_per_hour;
  std::optional<std::size_t> vector_dim;
  std::optional<int> client_retries;
  std::string autoscale;
  std::string hardware;
  DataRules data;
  Freshness freshness;
};

enum class IdempotencySource { kHeader, kBodyField };

struct Idempotency {
  bool enabled = false;
  IdempotencySource source = IdempotencySource::kHeader;
  std::string header = "Idempotency-Key";
  std::string field;  // body field holding the key, for kBodyField
  bool required = false;
  std::chrono::seconds window{24 * 3600};
  bool wait_for_first = false;  // a duplicate in flight waits instead of getting 409
};

struct Batching {
  bool enabled = false;
  std::optional<std::size_t> max_batch;
  std::chrono::milliseconds max_delay{0};
};

struct Behavior {
  Idempotency idempotency;
  std::string deterministic_within;  // as written
  std::optional<std::chrono::milliseconds> determinism_window;
  bool partial_failure_allowed = false;
  std::string partial_failure;  // the policy as written
  std::string pagination;
  Batching batching;
};

struct Observability {
  bool declared = false;
  std::vector<std::string> metrics;
  std::vector<std::string> logs;
  std::vector<std::string> hashed_log_fields;
  bool traces = false;
  std::vector<std::string> dashboards;
};

struct Versioning {
  bool additive_only = false;
  std::optional<int> deprecation_days;
  std::string breaking_changes;  // policy as written
  std::string changelog;
};

struct Deprecation {
  bool deprecated = false;
  std::optional<int> policy_days;
  std::string sunset;     // RFC 3339 date or date-time
  std::string successor;  // version or URL of the successor
};

struct Threshold {
  std::string field;  // response field the threshold reads, such as `confidence`
  double below = 0;   // applies when the value is strictly below this
  std::string action;
  std::string action_field = "action";  // member of the same object that receives `action`
  std::string label;  // when set, the threshold applies only to this label
};

struct Safety {
  std::vector<std::string> blocked_inputs;
  std::vector<Threshold> thresholds;
  std::optional<std::string> fallback_json;  // response sent when the model fails
  std::string fallback_marker = "X-Fallback";
  std::optional<double> breaker_error_rate;
  std::optional<std::chrono::milliseconds> breaker_window;
};

struct Endpoint {
  std::string operation = "predict";
  std::string path;  // full path; empty means /v{major}/{operation}
};

// The latency budget of the components of one request.
struct Budget {
  std::optional<double> slo_ms;
  double margin_pct = 0;
  std::vector<std::pair<std::string, double>> components_ms;
};

// The implementation binding, read by `serve`. Backend-specific settings stay as JSON text so
// that each backend checks its own keys at start-up.
struct ModelBinding {
  std::string backend;
  std::string artifact;  // path, resolved against the contract file's folder
  std::string version;
  std::string settings_json;
  SourceLocation where;
};

struct Contract {
  std::string file;
  std::string name;
  std::string purpose;
  std::string version;  // as written
  int major = 1;
  int minor = 0;
  int patch = 0;
  Endpoint endpoint;
  RequestSpec request;
  ResponseSpec response;
  std::vector<ErrorSpec> errors;  // declared codes merged over the standard catalogue
  Constraints constraints;
  Behavior behavior;
  Observability observability;
  Versioning compatibility;
  Deprecation deprecation;
  Safety safety;
  Budget budget;
  std::vector<std::string> examples_json;  // example request documents
  std::optional<ModelBinding> model;

  const ErrorSpec* FindError(std::string_view code) const;
  std::string RoutePath() const;
};

std::string_view FieldTypeName(FieldType type);

}  // namespace modelgate::contract
