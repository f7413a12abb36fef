// Readers of the constraint, behaviour and policy sections.

#include <algorithm>
#include <cctype>

#include "contract/sections.h"

#include <charconv>

namespace modelgate::contract {

namespace {

using std::chrono::milliseconds;

// Reads a batch size from a key such as "batch16", "batch_16", "b16" or "16".
std::optional<std::size_t> BatchSizeOf(const std::string& key) {
  std::string digits;
  for (char c : key) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  std::string letters = key;
  letters.erase(std::remove_if(letters.begin(), letters.end(),
                               [](char c) { return std::isdigit(static_cast<unsigned char>(c)) ||
                                                   c == '_' || c == '='; }),
                letters.end());
  if (digits.empty() || !(letters.empty() || letters == "batch" || letters == "b")) {
    return std::nullopt;
  }
  std::size_t size = 0;
  auto result = std::from_chars(digits.data(), digits.data() + digits.size(), size);
  if (result.ec != std::errc() || size == 0) return std::nullopt;
  return static_cast<std::size_t>(size);
}

void ReadLatencyTarget(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                       LatencyTarget& target) {
  if (node.IsMap()) {
    for (auto entry : node) {
      std::string key = entry.first.Scalar();
      std::string entry_path = JoinPath(path, key);
      auto value = ReadDuration(entry.second, entry_path, milliseconds(1), diagnostics);
      if (!value) continue;
      auto batch = BatchSizeOf(key);
      if (key == "default" || key == "all") {
        target.overall_ms = static_cast<double>(value->count());
      } else if (batch) {
        target.per_batch_ms[*batch] = static_cast<double>(value->count());
      } else {
        diagnostics.Add(entry.first, entry_path,
                        "expected a batch size key such as batch1, batch16 or batch32");
      }
    }
    return;
  }
  if (auto value = ReadDuration(node, path, milliseconds(1), diagnostics)) {
    target.overall_ms = static_cast<double>(value->count());
  }
}

void ReadLatency(MapReader& reader, LatencyTargets& latency) {
  auto& diagnostics = reader.diagnostics();
  struct Key {
    std::initializer_list<std::string_view> names;
    LatencyTarget* target;
  };
  const Key keys[] = {
      {{"latency_ms_p50", "p50_latency_ms", "latency_p50_ms", "latency_p50"}, &latency.p50},
      {{"latency_ms_p95", "p95_latency_ms", "latency_p95_ms", "latency_p95"}, &latency.p95},
      {{"latency_ms_p99", "p99_latency_ms", "latency_p99_ms", "latency_p99"}, &latency.p99},
  };
  for (const auto& key : keys) {
    auto node = reader.Get(key.names);
    if (node.IsDefined()) ReadLatencyTarget(node, reader.PathOf(key.names), diagnostics, *key.target);
  }
  auto block = reader.Get({"latency", "latency_ms"});
  if (!block.IsDefined()) return;
  MapReader nested(block, reader.PathOf({"latency", "latency_ms"}), diagnostics);
  const std::pair<std::string_view, LatencyTarget*> percentiles[] = {
      {"p50", &latency.p50}, {"p95", &latency.p95}, {"p99", &latency.p99}};
  for (const auto& [name, target] : percentiles) {
    auto node = nested.Get({name});
    if (node.IsDefined()) ReadLatencyTarget(node, nested.PathOf({name}), diagnostics, *target);
  }
  nested.Finish();
}

void ReadData(MapReader& reader, DataRules& data) {
  data.pii = reader.Bool({"pii"});
  data.pii_fields = reader.StringList({"pii_fields"});
  data.retention = reader.String({"retention", "retention_days"}).value_or("");
  auto encryption = reader.Get({"encryption"});
  if (encryption.IsMap()) {
    MapReader nested(encryption, reader.PathOf({"encryption"}), reader.diagnostics());
    data.encryption_at_rest = nested.Bool({"at_rest"});
    data.encryption_in_transit = nested.Bool({"in_transit"});
    nested.Finish();
  } else if (encryption.IsDefined()) {
    auto both = ReadBool(encryption, reader.PathOf({"encryption"}), reader.diagnostics());
    data.encryption_at_rest = data.encryption_in_transit = both;
  }
  if (auto value = reader.Bool({"encryption_at_rest"})) data.encryption_at_rest = value;
  if (auto value = reader.Bool({"encryption_in_transit"})) data.encryption_in_transit = value;
  reader.Finish();
}

void ReadFreshness(MapReader& reader, Freshness& freshness) {
  freshness.max_staleness =
      reader.Duration({"staleness_ms", "staleness", "max_staleness", "staleness_p95"},
                      milliseconds(1));
  auto cache = reader.Get({"cache"});
  if (!cache.IsDefined()) return;
  MapReader nested(cache, reader.PathOf({"cache"}), reader.diagnostics());
  freshness.cache_ttl = nested.Duration({"ttl_s", "ttl"}, milliseconds(1000));
  if (auto ttl_ms = nested.Duration({"ttl_ms"}, milliseconds(1))) freshness.cache_ttl = ttl_ms;
  freshness.serve_stale_on_timeout = nested.Bool({"serve_stale_on_timeout"}).value_or(false);
  nested.Finish();
}

}  // namespace

void ReadConstraints(MapReader& reader, Contract& contract) {
  auto& constraints = contract.constraints;
  auto& diagnostics = reader.diagnostics();
  ReadLatency(reader, constraints.latency);
  constraints.timeout = reader.Duration({"timeout_ms", "timeout"}, milliseconds(1));
  constraints.throughput_rps = reader.Number({"throughput_rps", "rps", "rate_limit_rps"});
  constraints.burst_rps = reader.Number({"burst_rps"});
  constraints.per_client_rps = reader.Number({"per_client_rps", "client_rps"});
  if (auto header = reader.String({"client_header", "api_key_header"})) {
    constraints.client_header = *header;
  }
  constraints.burst_window =
      reader.Duration({"burst_window_s", "burst_window", "burst_duration_s"}, milliseconds(1000));
  constraints.max_batch = reader.Count({"max_batch", "max_batch_size"});
  if (auto users = reader.Count({"max_batch_users"})) {
    constraints.max_batch = users;
    constraints.batch_unit = "users";
  }
  if (auto items = reader.Count({"max_batch_items"})) {
    constraints.max_batch = items;
    constraints.batch_unit = "items";
  }
  constraints.max_concurrency = reader.Count({"max_concurrency", "max_concurrent_requests"});
  auto memory = reader.Get({"memory_ceiling", "memory_limit", "memory"});
  if (memory.IsDefined()) {
    constraints.memory_ceiling_bytes =
        ReadByteSize(memory, reader.PathOf({"memory_ceiling", "memory_limit", "memory"}),
                     diagnostics);
  }
  if (auto megabytes = reader.Number({"memory_ceiling_mb", "memory_mb"})) {
    constraints.memory_ceiling_bytes = static_cast<std::uint64_t>(*megabytes * 1e6);
  }
  constraints.cost_per_1k_requests = reader.Number({"cost_per_1k_requests", "cost_per_1k"});
  constraints.cost_per_hour = reader.Number({"cost_per_hour"});
  constraints.vector_dim = reader.Count({"vector_dim", "dim", "max_vector_dim"});
  if (auto retries = reader.Integer({"retries", "client_retries"})) {
    constraints.client_retries = static_cast<int>(*retries);
  }
  constraints.autoscale = reader.String({"autoscale", "autoscaling"}).value_or("");
  constraints.hardware = reader.String({"hardware", "cpu", "gpu"}).value_or("");
  if (auto chars = reader.Count({"max_chars_per_request", "max_total_chars"})) {
    contract.request.limits.max_total_chars = chars;
  }
  if (auto bytes = reader.Count({"max_payload_bytes"})) {
    contract.request.limits.max_payload_bytes = bytes;
  }
  auto data = reader.Get({"data"});
  if (data.IsDefined()) {
    MapReader nested(data, reader.PathOf({"data"}), diagnostics);
    ReadData(nested, constraints.data);
  }
  ReadFreshness(reader, constraints.freshness);
  reader.Finish();
}

void ReadIdempotency(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                     Idempotency& idempotency) {
  if (node.IsScalar()) {
    auto flag = YamlToScalar(node);
    if (auto* enabled = std::get_if<bool>(&flag)) {
      idempotency.enabled = *enabled;
      return;
    }
    // "by idempotency_key" or "idempotency_key": a body field.
    std::string text = node.Scalar();
    if (text.starts_with("by ")) text = text.substr(3);
    idempotency.enabled = true;
    idempotency.source = IdempotencySource::kBodyField;
    idempotency.field = text;
    idempotency.required = true;
    return;
  }
  MapReader reader(node, path, diagnostics);
  idempotency.enabled = reader.Bool({"enabled"}).value_or(true);
  if (auto header = reader.String({"header"})) idempotency.header = *header;
  if (auto field = reader.String({"field", "body_field", "key_field"})) {
    idempotency.source = IdempotencySource::kBodyField;
    idempotency.field = *field;
  }
  idempotency.required = reader.Bool({"required"}).value_or(
      idempotency.source == IdempotencySource::kBodyField);
  if (auto window = reader.Duration({"window", "retention", "window_s", "ttl"},
                                    milliseconds(1000))) {
    idempotency.window = std::chrono::duration_cast<std::chrono::seconds>(*window);
  }
  if (auto on_conflict = reader.String({"on_conflict", "in_flight"})) {
    if (*on_conflict == "wait") {
      idempotency.wait_for_first = true;
    } else if (*on_conflict != "reject") {
      diagnostics.Add(reader.Get({"on_conflict", "in_flight"}),
                      reader.PathOf({"on_conflict", "in_flight"}),
                      "expected reject (409 IDEMPOTENCY_CONFLICT) or wait");
    }
  }
  reader.Finish();
}

void ReadBehavior(MapReader& reader, Contract& contract) {
  auto& behavior = contract.behavior;
  auto& diagnostics = reader.diagnostics();
  auto idempotency = reader.Get({"idempotency", "idempotent"});
  if (idempotency.IsDefined()) {
    ReadIdempotency(idempotency, reader.PathOf({"idempotency", "idempotent"}), diagnostics,
                    behavior.idempotency);
  }
  if (auto text = reader.String({"deterministic_within", "determinism"})) {
    behavior.deterministic_within = *text;
    behavior.determinism_window = ParseDurationText(*text, milliseconds(1000));
  }
  auto partial = reader.Get({"partial_failure"});
  if (partial.IsDefined()) {
    std::string path = reader.PathOf({"partial_failure"});
    if (partial.IsMap()) {
      MapReader nested(partial, path, diagnostics);
      behavior.partial_failure_allowed = nested.Bool({"allowed"}).value_or(false);
      behavior.partial_failure = nested.String({"policy", "desc"}).value_or("");
      nested.Finish();
    } else if (auto text = ReadString(partial, path, diagnostics)) {
      behavior.partial_failure = *text;
      behavior.partial_failure_allowed = text->find("allowed=true") != std::string::npos;
    }
  }
  behavior.pagination = reader.String({"pagination"}).value_or("");
  auto batching = reader.Get({"batching"});
  if (batching.IsDefined()) {
    MapReader nested(batching, reader.PathOf({"batching"}), diagnostics);
    behavior.batching.enabled = nested.Bool({"enabled", "dynamic"}).value_or(true);
    behavior.batching.max_batch = nested.Count({"max_batch", "max_rows"});
    behavior.batching.max_delay =
        nested.Duration({"max_delay_ms", "max_delay", "max_queue_delay_ms"}, milliseconds(1))
            .value_or(milliseconds(0));
    nested.Finish();
  }
  reader.Finish();
}

void ReadObservability(MapReader& reader, Observability& observability) {
  observability.declared = true;
  observability.metrics = reader.StringList({"metrics"});
  for (auto& entry : reader.StringList({"logs", "log_fields"})) {
    // "transaction_id (hashed)" marks a field that is logged only as a keyed hash.
    auto mark = entry.find("(hashed)");
    if (mark != std::string::npos) {
      std::string name = entry.substr(0, mark);
      while (!name.empty() && name.back() == ' ') name.pop_back();
      observability.hashed_log_fields.push_back(name);
      entry = name;
    }
    observability.logs.push_back(entry);
  }
  for (auto& name : reader.StringList({"hashed_fields", "hash_fields"})) {
    observability.hashed_log_fields.push_back(name);
  }
  auto traces = reader.Get({"traces", "tracing"});
  if (traces.IsMap()) {
    MapReader nested(traces, reader.PathOf({"traces", "tracing"}), reader.diagnostics());
    observability.traces = nested.Bool({"enabled"}).value_or(true);
    nested.Finish();
  } else if (traces.IsDefined()) {
    observability.traces =
        ReadBool(traces, reader.PathOf({"traces", "tracing"}), reader.diagnostics())
            .value_or(false);
  }
  observability.dashboards = reader.StringList({"dashboards"});
  reader.Finish();
}

void ReadCompatibility(MapReader& reader, Contract& contract) {
  auto& compatibility = contract.compatibility;
  auto idempotency = reader.Get({"idempotency"});
  if (idempotency.IsDefined()) {
    ReadIdempotency(idempotency, reader.PathOf({"idempotency"}), reader.diagnostics(),
                    contract.behavior.idempotency);
  }
  if (auto value = reader.Bool({"backwards_compatible_fields", "additive_only"})) {
    compatibility.additive_only = *value;
  }
  if (auto days = reader.Integer({"deprecation_policy_days", "deprecation_days"})) {
    compatibility.deprecation_days = static_cast<int>(*days);
  }
  compatibility.breaking_changes = reader.String({"breaking_changes"}).value_or("");
  compatibility.changelog = reader.String({"changelog"}).value_or("");
  reader.Finish();
}

void ReadDeprecation(MapReader& reader, Deprecation& deprecation) {
  deprecation.deprecated = reader.Bool({"deprecated"}).value_or(false);
  if (auto days = reader.Integer({"policy_days", "window_days", "deprecation_window_days"})) {
    deprecation.policy_days = static_cast<int>(*days);
  }
  deprecation.sunset = reader.String({"sunset", "sunset_date"}).value_or("");
  deprecation.successor = reader.String({"successor", "successor_version"}).value_or("");
  if (!deprecation.sunset.empty()) deprecation.deprecated = true;
  reader.Finish();
}

void ReadSafety(MapReader& reader, Safety& safety) {
  auto& diagnostics = reader.diagnostics();
  safety.blocked_inputs = reader.StringList({"blocked_inputs"});
  auto thresholds = reader.Get({"thresholds"});
  if (thresholds.IsSequence()) {
    for (std::size_t i = 0; i < thresholds.size(); ++i) {
      std::string path = reader.PathOf({"thresholds"}) + "[" + std::to_string(i) + "]";
      MapReader nested(thresholds[i], path, diagnostics);
      Threshold threshold;
      threshold.field = nested.String({"field"}).value_or("confidence");
      auto below = nested.Number({"below", "min_confidence"});
      if (!below) diagnostics.Add(thresholds[i], path, "missing key \"below\"");
      threshold.below = below.value_or(0);
      threshold.action = nested.String({"action"}).value_or("");
      if (threshold.action.empty()) diagnostics.Add(thresholds[i], path, "missing key \"action\"");
      threshold.label = nested.String({"label"}).value_or("");
      if (auto target = nested.String({"action_field"})) threshold.action_field = *target;
      nested.Finish();
      safety.thresholds.push_back(threshold);
    }
  } else if (thresholds.IsDefined()) {
    diagnostics.Add(thresholds, reader.PathOf({"thresholds"}),
                    "expected a list of {field, below, action}");
  }
  auto fallback = reader.Get({"fallback", "fallback_response"});
  if (fallback.IsMap() && fallback["response"].IsDefined()) {
    MapReader nested(fallback, reader.PathOf({"fallback"}), diagnostics);
    safety.fallback_json = YamlToJson(nested.Get({"response"}));
    if (auto marker = nested.String({"marker", "header"})) safety.fallback_marker = *marker;
    nested.Finish();
  } else if (fallback.IsDefined()) {
    safety.fallback_json = YamlToJson(fallback);
  }
  auto breaker = reader.Get({"circuit_breaker"});
  if (breaker.IsDefined()) {
    MapReader nested(breaker, reader.PathOf({"circuit_breaker"}), diagnostics);
    safety.breaker_error_rate = nested.Number({"error_rate"});
    safety.breaker_window = nested.Duration({"window", "window_s"}, milliseconds(1000));
    nested.Finish();
  }
  reader.Finish();
}

void ReadBudget(MapReader& reader, Budget& budget) {
  budget.slo_ms = reader.Number({"slo_ms", "p95_ms"});
  budget.margin_pct = reader.Number({"margin_pct", "margin_percent"}).value_or(0);
  auto components = reader.Get({"components"});
  if (components.IsMap()) {
    for (auto entry : components) {
      auto value = ReadDuration(entry.second, JoinPath(reader.PathOf({"components"}),
                                                       entry.first.Scalar()),
                                milliseconds(1), reader.diagnostics());
      if (value) budget.components_ms.emplace_back(entry.first.Scalar(), value->count());
    }
  } else if (components.IsDefined()) {
    reader.diagnostics().Add(components, reader.PathOf({"components"}),
                             "expected a mapping from component name to milliseconds");
  }
  reader.Finish();
}

void ReadModel(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
               Contract& contract) {
  if (!node.IsMap()) {
    diagnostics.Add(node, path, "expected a mapping with backend, artifact and version");
    return;
  }
  ModelBinding model;
  model.where = diagnostics.Locate(node);
  // The backend checks its own keys at start-up, so unknown keys are not reported here.
  YAML::Node settings(YAML::NodeType::Map);
  for (auto entry : node) {
    const std::string& key = entry.first.Scalar();
    if (key == "backend") {
      model.backend = entry.second.Scalar();
    } else if (key == "artifact" || key == "path") {
      model.artifact = entry.second.Scalar();
    } else if (key == "version" || key == "model_version") {
      model.version = entry.second.Scalar();
    } else {
      settings[key] = entry.second;
    }
  }
  if (model.backend.empty()) diagnostics.Add(node, JoinPath(path, "backend"), "missing backend");
  model.settings_json = YamlToJson(settings);
  contract.model = std::move(model);
}

}  // namespace modelgate::contract
