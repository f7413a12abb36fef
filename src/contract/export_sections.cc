// Export of the constraints, behavior, observability, compatibility, deprecation, safety and
// budget sections. The conventions for absent values and units are in export.h.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "contract/export.h"

namespace modelgate::contract {

namespace {

using std::chrono::milliseconds;

template <typename T>
void OptionalMember(json::Writer& writer, std::string_view key, const std::optional<T>& value) {
  if (value) writer.Member(key, *value);
}

void TextMember(json::Writer& writer, std::string_view key, const std::string& value) {
  if (!value.empty()) writer.Member(key, value);
}

void MillisecondsMember(json::Writer& writer, std::string_view key,
                        const std::optional<milliseconds>& value) {
  if (value) writer.Member(key, static_cast<std::int64_t>(value->count()));
}

// Writes a duration in seconds as a number with a fraction, so 1500 ms is written as 1.5.
void SecondsMember(json::Writer& writer, std::string_view key,
                   const std::optional<milliseconds>& value) {
  if (value) writer.Member(key, static_cast<double>(value->count()) / 1000.0);
}

void StringListMember(json::Writer& writer, std::string_view key,
                      const std::vector<std::string>& values) {
  writer.Key(key);
  writer.BeginArray();
  for (const auto& value : values) writer.String(value);
  writer.EndArray();
}

// Writes one latency percentile: a number when the target is the same for every batch size, else
// an object such as {"batch1": 150, "batch20": 350}, with "default" for the target of the other
// batch sizes. These are the forms the loader reads back.
void LatencyMember(json::Writer& writer, std::string_view key, const LatencyTarget& target) {
  if (target.empty()) return;
  writer.Key(key);
  if (target.per_batch_ms.empty()) {
    writer.Number(*target.overall_ms);
    return;
  }
  writer.BeginObject();
  if (target.overall_ms) writer.Member("default", *target.overall_ms);
  for (const auto& [batch_size, target_ms] : target.per_batch_ms) {
    writer.Member("batch" + std::to_string(batch_size), target_ms);
  }
  writer.EndObject();
}

void WriteLatency(json::Writer& writer, const LatencyTargets& latency) {
  writer.BeginObject();
  LatencyMember(writer, "p50", latency.p50);
  LatencyMember(writer, "p95", latency.p95);
  LatencyMember(writer, "p99", latency.p99);
  writer.EndObject();
}

void WriteData(json::Writer& writer, const DataRules& data) {
  writer.BeginObject();
  OptionalMember(writer, "pii", data.pii);
  StringListMember(writer, "pii_fields", data.pii_fields);
  TextMember(writer, "retention", data.retention);
  OptionalMember(writer, "encryption_at_rest", data.encryption_at_rest);
  OptionalMember(writer, "encryption_in_transit", data.encryption_in_transit);
  writer.EndObject();
}

void WriteFreshness(json::Writer& writer, const Freshness& freshness) {
  writer.BeginObject();
  MillisecondsMember(writer, "max_staleness_ms", freshness.max_staleness);
  SecondsMember(writer, "cache_ttl_s", freshness.cache_ttl);
  writer.Member("serve_stale_on_timeout", freshness.serve_stale_on_timeout);
  writer.EndObject();
}

void WriteIdempotency(json::Writer& writer, const Idempotency& idempotency) {
  bool header = idempotency.source == IdempotencySource::kHeader;
  writer.BeginObject();
  writer.Member("enabled", idempotency.enabled);
  writer.Member("source", header ? "header" : "body_field");
  // Only the key's source that applies is written: the header name or the body field.
  if (header) {
    writer.Member("header", idempotency.header);
  } else {
    writer.Member("field", idempotency.field);
  }
  writer.Member("required", idempotency.required);
  writer.Member("window_s", static_cast<std::int64_t>(idempotency.window.count()));
  writer.Member("wait_for_first", idempotency.wait_for_first);
  writer.EndObject();
}

void WriteBatching(json::Writer& writer, const Batching& batching) {
  writer.BeginObject();
  writer.Member("enabled", batching.enabled);
  OptionalMember(writer, "max_batch", batching.max_batch);
  writer.Member("max_delay_ms", static_cast<std::int64_t>(batching.max_delay.count()));
  writer.EndObject();
}

void WriteThreshold(json::Writer& writer, const Threshold& threshold) {
  writer.BeginObject();
  writer.Member("field", threshold.field);
  writer.Member("below", threshold.below);
  writer.Member("action", threshold.action);
  writer.Member("action_field", threshold.action_field);
  // Without a label the threshold applies to every label.
  TextMember(writer, "label", threshold.label);
  writer.EndObject();
}

}  // namespace

void WriteConstraints(json::Writer& writer, const Constraints& constraints) {
  writer.BeginObject();
  writer.Key("latency_ms");
  WriteLatency(writer, constraints.latency);
  MillisecondsMember(writer, "timeout_ms", constraints.timeout);
  OptionalMember(writer, "throughput_rps", constraints.throughput_rps);
  OptionalMember(writer, "burst_rps", constraints.burst_rps);
  SecondsMember(writer, "burst_window_s", constraints.burst_window);
  OptionalMember(writer, "per_client_rps", constraints.per_client_rps);
  writer.Member("client_header", constraints.client_header);
  OptionalMember(writer, "max_batch", constraints.max_batch);
  TextMember(writer, "batch_unit", constraints.batch_unit);
  OptionalMember(writer, "max_concurrency", constraints.max_concurrency);
  OptionalMember(writer, "memory_ceiling_bytes", constraints.memory_ceiling_bytes);
  OptionalMember(writer, "cost_per_1k_requests", constraints.cost_per_1k_requests);
  OptionalMember(writer, "cost_per_hour", constraints.cost_per_hour);
  OptionalMember(writer, "vector_dim", constraints.vector_dim);
  OptionalMember(writer, "client_retries", constraints.client_retries);
  TextMember(writer, "autoscale", constraints.autoscale);
  TextMember(writer, "hardware", constraints.hardware);
  writer.Key("data");
  WriteData(writer, constraints.data);
  writer.Key("freshness");
  WriteFreshness(writer, constraints.freshness);
  writer.EndObject();
}

void WriteBehavior(json::Writer& writer, const Behavior& behavior) {
  writer.BeginObject();
  writer.Key("idempotency");
  WriteIdempotency(writer, behavior.idempotency);
  TextMember(writer, "deterministic_within", behavior.deterministic_within);
  MillisecondsMember(writer, "determinism_window_ms", behavior.determinism_window);
  writer.Member("partial_failure_allowed", behavior.partial_failure_allowed);
  TextMember(writer, "partial_failure", behavior.partial_failure);
  TextMember(writer, "pagination", behavior.pagination);
  writer.Key("batching");
  WriteBatching(writer, behavior.batching);
  writer.EndObject();
}

void WriteObservability(json::Writer& writer, const Observability& observability) {
  writer.BeginObject();
  StringListMember(writer, "metrics", observability.metrics);
  StringListMember(writer, "logs", observability.logs);
  StringListMember(writer, "hashed_log_fields", observability.hashed_log_fields);
  writer.Member("traces", observability.traces);
  StringListMember(writer, "dashboards", observability.dashboards);
  writer.EndObject();
}

void WriteCompatibility(json::Writer& writer, const Versioning& compatibility) {
  writer.BeginObject();
  writer.Member("additive_only", compatibility.additive_only);
  OptionalMember(writer, "deprecation_days", compatibility.deprecation_days);
  TextMember(writer, "breaking_changes", compatibility.breaking_changes);
  TextMember(writer, "changelog", compatibility.changelog);
  writer.EndObject();
}

void WriteDeprecation(json::Writer& writer, const Deprecation& deprecation) {
  writer.BeginObject();
  writer.Member("deprecated", deprecation.deprecated);
  OptionalMember(writer, "policy_days", deprecation.policy_days);
  TextMember(writer, "sunset", deprecation.sunset);
  TextMember(writer, "successor", deprecation.successor);
  writer.EndObject();
}

void WriteSafety(json::Writer& writer, const Safety& safety) {
  writer.BeginObject();
  StringListMember(writer, "blocked_inputs", safety.blocked_inputs);
  writer.Key("thresholds");
  writer.BeginArray();
  for (const auto& threshold : safety.thresholds) WriteThreshold(writer, threshold);
  writer.EndArray();
  // The marker header labels fallback responses, so it is written only when there is a fallback.
  if (safety.fallback_json) {
    writer.Key("fallback");
    writer.Raw(*safety.fallback_json);
    writer.Member("fallback_marker", safety.fallback_marker);
  }
  if (safety.breaker_error_rate || safety.breaker_window) {
    writer.Key("circuit_breaker");
    writer.BeginObject();
    OptionalMember(writer, "error_rate", safety.breaker_error_rate);
    SecondsMember(writer, "window_s", safety.breaker_window);
    writer.EndObject();
  }
  writer.EndObject();
}

void WriteBudget(json::Writer& writer, const Budget& budget) {
  writer.BeginObject();
  OptionalMember(writer, "slo_ms", budget.slo_ms);
  writer.Member("margin_pct", budget.margin_pct);
  writer.Key("components");
  writer.BeginObject();
  for (const auto& [component, budget_ms] : budget.components_ms) {
    writer.Member(component, budget_ms);
  }
  writer.EndObject();
  writer.EndObject();
}

}  // namespace modelgate::contract
