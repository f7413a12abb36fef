// `modelgate lint`: the rule catalogue, the rules on the contract as a whole (errors, latency,
// versioning, idempotency, observability, rate, cost, budget, capacity, safety), and locating
// findings in the contract file. The rules on fields are in lint_rules.cc.

#include "tools/lint.h"

#include <absl/status/status.h>
#include <absl/strings/ascii.h>
#include <absl/strings/numbers.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "contract/fields.h"
#include "contract/loader.h"
#include "contract/standard_errors.h"
#include "json/writer.h"

namespace modelgate::tools {

namespace lint_internal {

void Reporter::Add(std::string_view rule_id, std::string pointer,
                   const contract::SourceLocation& where, std::string message, std::string fix) {
  const auto& rules = LintRules();
  auto rule =
      std::find_if(rules.begin(), rules.end(), [&](const LintRule& r) { return r.id == rule_id; });
  if (rule == rules.end()) {
    throw std::logic_error("lint rule \"" + std::string(rule_id) + "\" is not in the catalogue");
  }
  Finding finding;
  finding.rule = std::string(rule_id);
  finding.severity = rule->severity;
  finding.file = file_;
  finding.pointer = std::move(pointer);
  finding.line = where.line;
  finding.column = where.column;
  finding.message = std::move(message);
  finding.fix = std::move(fix);
  findings_.push_back(std::move(finding));
}

std::string FormatNumber(double value) {
  std::string text;
  json::AppendNumber(text, value);
  return text;
}

}  // namespace lint_internal

namespace {

using contract::Contract;
using contract::LatencyTarget;
using lint_internal::FormatNumber;
using lint_internal::Reporter;

// ---------------------------------------------------------------------------------------------
// Errors, latency and deadlines

void CheckErrors(const Contract& contract, Reporter& report) {
  for (std::size_t i = 0; i < contract.errors.size(); ++i) {
    const auto& error = contract.errors[i];
    // Codes the contract did not declare come from the standard catalogue, with no location.
    if (error.where.line == 0) continue;
    std::string pointer = "/errors/" + std::to_string(i);
    if (!error.retryable_declared) {
      std::string value = error.retryable ? "true" : "false";
      std::string applies = contract::FindStandardError(error.code) != nullptr
                                ? "the standard value retryable: " + value +
                                      " applies, but the contract does not show it"
                                : "it defaults to retryable: " + value;
      report.Add(
          "error-without-retryable", pointer, error.where,
          "error " + error.code + " does not say whether a client should retry it; " + applies,
          "add retryable: " + value + " (or the value you mean) to " + error.code);
    }
    if (error.retryable && error.backoff == contract::Backoff::kNone && !error.retry_after) {
      report.Add("retry-without-guidance", pointer, error.where,
                 "error " + error.code +
                     " is retryable but says neither how long to wait nor how to back off",
                 "add backoff: exponential (with initial_backoff_ms and max_retries) or "
                 "retry_after: true to " +
                     error.code);
    }
  }
}

constexpr std::array<std::string_view, 3> kPercentileNames = {"p50", "p95", "p99"};

// The target of percentile `index` in kPercentileNames.
const LatencyTarget& Percentile(const Contract& contract, int index) {
  const auto& latency = contract.constraints.latency;
  if (index == 0) return latency.p50;
  if (index == 1) return latency.p95;
  return latency.p99;
}

std::string LatencyPointer(int index) {
  return "/constraints/latency_ms/" + std::string(kPercentileNames[index]);
}

// The target for one batch size: its own, else the target for every size. Batch size 0 stands for
// every size.
std::optional<double> TargetFor(const LatencyTarget& target, std::size_t batch) {
  auto found = target.per_batch_ms.find(batch);
  if (found != target.per_batch_ms.end()) return found->second;
  return target.overall_ms;
}

// "" for the target of every batch size, " for batch 20" for one size.
std::string BatchWords(std::size_t batch) {
  return batch == 0 ? "" : " for batch " + std::to_string(batch);
}

void CheckTimeoutPresent(const Contract& contract, Reporter& report) {
  const auto& constraints = contract.constraints;
  if (constraints.timeout) return;
  const auto& latency = constraints.latency;
  bool targets = !latency.p50.empty() || !latency.p95.empty() || !latency.p99.empty();
  if (targets) {
    report.Add("latency-without-timeout", "/constraints/timeout_ms",
               "latency targets are set but no timeout_ms, so callers cannot tell when to give up",
               "add constraints.timeout_ms, above the p99 target");
  } else {
    report.Add("no-timeout", "/constraints/timeout_ms",
               "the contract has no timeout_ms and no latency targets",
               "add constraints.timeout_ms and a p95 latency target");
  }
}

void CheckPercentilesPresent(const Contract& contract, Reporter& report) {
  const auto& latency = contract.constraints.latency;
  if (!latency.p95.empty() || !latency.p99.empty()) return;
  report.Add("no-latency-percentile", "/constraints/latency_ms",
             latency.p50.empty() ? "there is no latency target"
                                 : "there is a p50 latency target but no p95 or p99",
             "add constraints.latency_ms.p95 (and p99), in milliseconds");
}

// Reports the largest target of percentile `index` that the timeout is below. Returns whether
// there was one.
bool CheckTimeoutAgainst(const Contract& contract, int index, std::string_view rule,
                         Reporter& report) {
  const auto& timeout = contract.constraints.timeout;
  const LatencyTarget& target = Percentile(contract, index);
  if (!timeout || target.empty()) return false;
  std::optional<std::pair<std::size_t, double>> worst;
  if (target.overall_ms) worst = {0, *target.overall_ms};
  for (const auto& [batch, ms] : target.per_batch_ms) {
    if (!worst || ms > worst->second) worst = {batch, ms};
  }
  auto timeout_ms = static_cast<double>(timeout->count());
  if (timeout_ms >= worst->second) return false;
  std::string name(kPercentileNames[index]);
  report.Add(rule, "/constraints/timeout_ms",
             "timeout_ms " + FormatNumber(timeout_ms) + " is below the " + name + " target " +
                 FormatNumber(worst->second) + " ms" + BatchWords(worst->first) +
                 ", so requests time out that the targets allow",
             "raise constraints.timeout_ms above " + FormatNumber(worst->second) +
                 ", or lower the " + name + " target");
  return true;
}

void CheckTimeoutAboveTargets(const Contract& contract, Reporter& report) {
  if (!CheckTimeoutAgainst(contract, 1, "timeout-below-p95", report)) {
    CheckTimeoutAgainst(contract, 2, "timeout-below-p99", report);
  }
}

void CheckPercentileOrder(const Contract& contract, Reporter& report) {
  for (int lower = 0; lower < 2; ++lower) {
    const LatencyTarget& low = Percentile(contract, lower);
    const LatencyTarget& high = Percentile(contract, lower + 1);
    std::set<std::size_t> batches = {0};
    for (const auto& entry : low.per_batch_ms) batches.insert(entry.first);
    for (const auto& entry : high.per_batch_ms) batches.insert(entry.first);
    for (std::size_t batch : batches) {
      auto low_ms = TargetFor(low, batch);
      auto high_ms = TargetFor(high, batch);
      if (!low_ms || !high_ms || *low_ms <= *high_ms) continue;
      std::string low_name(kPercentileNames[lower]);
      std::string high_name(kPercentileNames[lower + 1]);
      report.Add("percentiles-out-of-order", LatencyPointer(lower + 1),
                 "the " + low_name + " target " + FormatNumber(*low_ms) + " ms is above the " +
                     high_name + " target " + FormatNumber(*high_ms) + " ms" + BatchWords(batch),
                 "make each percentile's target at least the lower percentile's: " + low_name +
                     " <= " + high_name);
      break;
    }
  }
}

void CheckBatchLatency(const Contract& contract, Reporter& report) {
  const auto& max_batch = contract.request.limits.max_batch;
  for (int index = 0; index < 3; ++index) {
    const LatencyTarget& target = Percentile(contract, index);
    if (target.per_batch_ms.empty()) continue;
    std::string name(kPercentileNames[index]);
    const std::pair<const std::size_t, double>* previous = nullptr;
    for (const auto& entry : target.per_batch_ms) {
      if (previous != nullptr && entry.second < previous->second) {
        report.Add("batch-latency-not-monotone", LatencyPointer(index),
                   "the " + name + " target for batch " + std::to_string(entry.first) + " (" +
                       FormatNumber(entry.second) + " ms) is below the one for batch " +
                       std::to_string(previous->first) + " (" + FormatNumber(previous->second) +
                       " ms), though a larger batch takes longer",
                   "make the " + name + " targets grow with the batch size");
        break;
      }
      previous = &entry;
    }
    std::size_t largest = target.per_batch_ms.rbegin()->first;
    if (max_batch && !target.overall_ms && largest < *max_batch) {
      report.Add("max-batch-without-latency", LatencyPointer(index),
                 "the request accepts batches of up to " + std::to_string(*max_batch) +
                     " but the largest batch with a " + name + " target is " +
                     std::to_string(largest),
                 "add a " + name + " target for batch" + std::to_string(*max_batch) +
                     ", or a default target for every batch size");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Versioning, idempotency, observability, rate, cost, budget, capacity, safety

void CheckVersioning(const Contract& contract, Reporter& report) {
  if (!contract.compatibility.deprecation_days && !contract.deprecation.policy_days) {
    report.Add("no-deprecation-window", "/compatibility/deprecation_days",
               "no deprecation window is declared, so consumers cannot tell how long an old "
               "version keeps working",
               "add compatibility.deprecation_days (or deprecation.policy_days), such as 90");
  }
  if (!contract.compatibility.additive_only) {
    report.Add("no-additive-only", "/compatibility/additive_only",
               "the contract does not promise additive-only changes within major version " +
                   std::to_string(contract.major),
               "add compatibility.additive_only: true, and ship removals and renames as a new "
               "major version");
  }
}

// Words that mark an operation as billable or mutating.
const std::set<std::string, std::less<>>& MutatingWords() {
  static const std::set<std::string, std::less<>> kWords = {
      "score",    "scores",  "scored",  "scoring",   "charge",    "charges", "charged", "charging",
      "create",   "creates", "created", "creating",  "creation",  "update",  "updates", "updated",
      "updating", "order",   "orders",  "payment",   "payments",  "pay",     "send",    "sends",
      "sending",  "submit",  "submits", "submitted", "submission"};
  return kWords;
}

// The first billable or mutating word in `text`, compared word by word, case-insensitively.
std::string MutatingWordIn(std::string_view text) {
  std::string word;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : ' ';
    if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      continue;
    }
    if (MutatingWords().contains(word)) return word;
    word.clear();
  }
  return {};
}

void CheckIdempotency(const Contract& contract, Reporter& report) {
  if (contract.behavior.idempotency.enabled) return;
  std::string reason;
  for (const std::string* text :
       {&contract.endpoint.operation, &contract.endpoint.path, &contract.purpose}) {
    std::string word = MutatingWordIn(*text);
    if (!word.empty()) {
      reason = "the operation mentions \"" + word + "\"";
      break;
    }
  }
  if (reason.empty() && contract.constraints.cost_per_1k_requests) {
    reason = "each request has a cost (cost_per_1k_requests)";
  }
  if (reason.empty()) return;
  report.Add("no-idempotency", "/behavior/idempotency",
             reason +
                 ", but requests carry no idempotency key, so a retried request can be "
                 "charged or applied twice",
             "add behavior.idempotency with a key header or a required body field, such as "
             "{field: idempotency_key, window: 24h}");
}

void CheckObservability(const Contract& contract, Reporter& report) {
  const auto& observability = contract.observability;
  if (!observability.declared) {
    report.Add("no-observability", "/observability",
               "there is no observability section, so nobody can see whether the targets hold",
               "add observability with metrics (latency_p95, request_rate, error_rate), logs "
               "and traces");
    return;
  }
  bool latency = false, rate = false, errors = false;
  for (const auto& metric : observability.metrics) {
    std::string name = absl::AsciiStrToLower(metric);
    auto has = [&](std::string_view part) { return name.find(part) != std::string::npos; };
    bool error = has("error") || has("fail");
    errors = errors || error;
    latency = latency || has("latency") || has("p95") || has("p99") || has("duration");
    rate = rate ||
           (!error && (has("rate") || has("rps") || has("qps") || has("throughput") ||
                       (has("request") && (name.ends_with("_total") || name.ends_with("_count")))));
  }
  std::string missing;
  for (const auto& [present, what] :
       {std::pair{latency, "p95 latency"}, std::pair{rate, "request rate"},
        std::pair{errors, "error rate"}}) {
    if (!present) missing += (missing.empty() ? "" : ", ") + std::string(what);
  }
  if (missing.empty()) return;
  report.Add("observability-incomplete", "/observability/metrics",
             "the metrics do not cover " + missing,
             "add metrics for " + missing + ", such as latency_p95, request_rate and error_rate");
}

void CheckRateAndCost(const Contract& contract, Reporter& report) {
  const auto& constraints = contract.constraints;
  if (constraints.throughput_rps && !constraints.burst_rps) {
    report.Add("throughput-without-burst", "/constraints/burst_rps",
               "throughput_rps is " + FormatNumber(*constraints.throughput_rps) +
                   " but no burst rule says what happens above it",
               "add constraints.burst_rps and burst_window_s");
  }
  if (constraints.throughput_rps && constraints.burst_rps &&
      *constraints.burst_rps < *constraints.throughput_rps) {
    report.Add("burst-below-throughput", "/constraints/burst_rps",
               "burst_rps " + FormatNumber(*constraints.burst_rps) + " is below throughput_rps " +
                   FormatNumber(*constraints.throughput_rps),
               "make burst_rps at least throughput_rps");
  }
  if ((constraints.cost_per_1k_requests || constraints.cost_per_hour) &&
      !constraints.throughput_rps) {
    report.Add("cost-without-throughput", "/constraints/throughput_rps",
               "a cost is declared but no throughput_rps, so the cost budget cannot be planned",
               "add constraints.throughput_rps, the sustained rate the cost was set for");
  }
}

void CheckBudget(const Contract& contract, Reporter& report) {
  const auto& budget = contract.budget;
  if (budget.components_ms.empty()) return;
  std::optional<double> target = budget.slo_ms;
  std::string source = "budget.slo_ms";
  if (!target) {
    target = contract.constraints.latency.p95.overall_ms;
    source = "the p95 latency target";
  }
  if (!target) return;
  double total = 0;
  for (const auto& component : budget.components_ms) total += component.second;
  if (total <= *target) return;
  report.Add("budget-exceeds-slo", "/budget/components",
             "the component budgets add up to " + FormatNumber(total) + " ms, above " + source +
                 " " + FormatNumber(*target) + " ms",
             "lower the component budgets by at least " + FormatNumber(total - *target) +
                 " ms in all, or raise the target; modelgate budget suggests cuts");
}

// Rows one request brings to a server-side batch: its batch items, or 1 without a batch field.
std::optional<std::size_t> RowsPerRequest(const Contract& contract) {
  const auto& request = contract.request;
  if (request.batch_field.empty()) return 1;
  if (request.limits.max_batch) return request.limits.max_batch;
  const contract::Field* field = contract::FindField(request.fields, request.batch_field);
  return field != nullptr ? field->max_len : std::nullopt;
}

void CheckBatchCapacity(const Contract& contract, Reporter& report) {
  const auto& batching = contract.behavior.batching;
  const auto& concurrency = contract.constraints.max_concurrency;
  auto rows = RowsPerRequest(contract);
  if (!batching.enabled || !batching.max_batch || !concurrency || !rows) return;
  // In doubles, so that huge declared counts cannot wrap around.
  double capacity = static_cast<double>(*concurrency) * static_cast<double>(*rows);
  if (static_cast<double>(*batching.max_batch) <= capacity) return;
  report.Add("batch-above-capacity", "/behavior/batching/max_batch",
             "behavior.batching.max_batch is " + std::to_string(*batching.max_batch) +
                 " rows, but at most " + std::to_string(*concurrency) +
                 " requests (max_concurrency) of at most " + std::to_string(*rows) +
                 " rows each are in flight, so a batch never fills and every batch waits "
                 "max_delay_ms",
             "lower behavior.batching.max_batch to at most " + FormatNumber(capacity) +
                 ", or raise constraints.max_concurrency");
}

void CheckFallback(const Contract& contract, Reporter& report) {
  if (contract.safety.fallback_json) return;
  report.Add("no-fallback", "/safety/fallback",
             "no fallback response is declared, so a model failure or timeout is an error for "
             "the caller",
             "add safety.fallback with the response to send when the model fails, if one is "
             "safe");
}

// ---------------------------------------------------------------------------------------------
// Locating findings in the file

// The keys a file may use for a member of the exported contract, where they differ from the
// exported name. A key of the form "a/b" stands for two pointer tokens that the file may write
// as one key, such as `latency_ms_p95` for /latency_ms/p95.
const std::map<std::string, std::vector<std::string>, std::less<>>& KeyAliases() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> kAliases = {
      {"behavior", {"behavior", "behaviour"}},
      {"compatibility", {"compatibility", "versioning"}},
      {"latency_ms", {"latency_ms", "latency"}},
      {"latency_ms/p50", {"latency_ms_p50", "p50_latency_ms", "latency_p50_ms", "latency_p50"}},
      {"latency_ms/p95", {"latency_ms_p95", "p95_latency_ms", "latency_p95_ms", "latency_p95"}},
      {"latency_ms/p99", {"latency_ms_p99", "p99_latency_ms", "latency_p99_ms", "latency_p99"}},
      {"timeout_ms", {"timeout_ms", "timeout"}},
      {"throughput_rps", {"throughput_rps", "rps", "rate_limit_rps"}},
      {"deprecation_days", {"deprecation_days", "deprecation_policy_days"}},
      {"additive_only", {"additive_only", "backwards_compatible_fields"}},
      {"idempotency", {"idempotency", "idempotent"}},
      {"max_batch",
       {"max_batch", "max_batch_size", "max_rows", "max_batch_users", "max_batch_items"}},
      {"max_payload_bytes", {"max_payload_bytes", "max_body_bytes"}},
      {"fallback", {"fallback", "fallback_response"}},
      {"slo_ms", {"slo_ms", "p95_ms"}},
  };
  return kAliases;
}

std::vector<std::string> SplitPointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  std::size_t start = 1;
  while (start <= pointer.size() && !pointer.empty()) {
    auto slash = pointer.find('/', start);
    if (slash == std::string_view::npos) slash = pointer.size();
    std::string token(pointer.substr(start, slash - start));
    // RFC 6901: "~1" is '/', then "~0" is '~'.
    for (auto at = token.find("~1"); at != std::string::npos; at = token.find("~1", at + 1)) {
      token.replace(at, 2, "/");
    }
    for (auto at = token.find("~0"); at != std::string::npos; at = token.find("~0", at + 1)) {
      token.replace(at, 2, "~");
    }
    tokens.push_back(std::move(token));
    start = slash + 1;
  }
  return tokens;
}

// Finds the member of `node` that one of `names` names, looking through a `schema` holder as the
// loader does for request and response. Returns false when there is none. `key` and `value` are
// rebound with reset(): assigning a YAML::Node would overwrite the node it refers to.
bool FindMember(const YAML::Node& node, const std::vector<std::string>& names, YAML::Node& key,
                YAML::Node& value) {
  if (!node.IsMap()) return false;
  YAML::Node schema;
  for (const auto& name : names) {
    for (auto entry : node) {
      if (!entry.first.IsScalar()) continue;
      if (entry.first.Scalar() == name) {
        key.reset(entry.first);
        value.reset(entry.second);
        return true;
      }
      if (entry.first.Scalar() == "schema") schema.reset(entry.second);
    }
  }
  return schema.IsMap() && FindMember(schema, names, key, value);
}

std::vector<std::string> NamesFor(const std::string& token) {
  auto alias = KeyAliases().find(token);
  return alias != KeyAliases().end() ? alias->second : std::vector<std::string>{token};
}

// The location of the deepest member of `tokens` that `root` has; line 0 when not even the first.
contract::SourceLocation Resolve(const YAML::Node& root, const std::vector<std::string>& tokens) {
  contract::SourceLocation found;
  YAML::Node node;
  node.reset(root);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    YAML::Node key, value;
    if (i + 1 < tokens.size()) {
      auto pair = KeyAliases().find(tokens[i] + "/" + tokens[i + 1]);
      if (pair != KeyAliases().end() && FindMember(node, pair->second, key, value)) {
        found = {"", key.Mark().line + 1, key.Mark().column + 1};
        node.reset(value);
        ++i;
        continue;
      }
    }
    if (node.IsSequence()) {
      std::size_t index = 0;
      if (!absl::SimpleAtoi(tokens[i], &index) || index >= node.size()) break;
      value.reset(node[index]);
      key.reset(value);
    } else if (!FindMember(node, NamesFor(tokens[i]), key, value)) {
      break;
    }
    found = {"", key.Mark().line + 1, key.Mark().column + 1};
    node.reset(value);
  }
  return found;
}

}  // namespace

const std::vector<LintRule>& LintRules() {
  static const std::vector<LintRule> kRules = {
      {"unbounded-string", Severity::kWarning,
       "A request string has no max_len, enum or bounded format."},
      {"unbounded-array", Severity::kWarning, "A request array has no maximum number of items."},
      {"unbounded-number", Severity::kWarning, "A request number or integer has no range."},
      {"unbounded-object", Severity::kWarning,
       "A request object declares no members, so it accepts any."},
      {"no-payload-limit", Severity::kWarning, "The request declares no max_payload_bytes."},
      {"char-limit-below-item", Severity::kWarning,
       "The request's total character limit is below one string's max_len."},
      {"payload-limit-too-small", Severity::kError,
       "A valid request can be larger than max_payload_bytes, so the server rejects it."},
      {"score-without-range", Severity::kWarning,
       "A response score, probability or confidence has no range."},
      {"list-without-order", Severity::kWarning,
       "A response list does not say in which order it comes."},
      {"confidence-without-meaning", Severity::kWarning,
       "A response confidence field exists but response.confidence does not say what it means."},
      {"reason-codes-without-meaning", Severity::kWarning,
       "A response reasons field has codes that response.reason_codes does not explain."},
      {"error-without-retryable", Severity::kWarning,
       "A declared error does not say whether to retry it."},
      {"retry-without-guidance", Severity::kWarning,
       "A retryable error gives neither a backoff nor Retry-After."},
      {"no-timeout", Severity::kWarning, "The contract has neither a timeout nor latency targets."},
      {"no-latency-percentile", Severity::kWarning, "There is no p95 or p99 latency target."},
      {"latency-without-timeout", Severity::kWarning, "Latency targets are set but no timeout_ms."},
      {"timeout-below-p95", Severity::kError, "timeout_ms is below a p95 latency target."},
      {"timeout-below-p99", Severity::kWarning, "timeout_ms is below a p99 latency target."},
      {"percentiles-out-of-order", Severity::kError,
       "A lower percentile has a higher target than a higher one (p50 > p95 or p95 > p99)."},
      {"batch-latency-not-monotone", Severity::kWarning,
       "A larger batch size has a lower latency target than a smaller one."},
      {"max-batch-without-latency", Severity::kWarning,
       "Per-batch latency targets stop below the largest batch the request accepts."},
      {"no-deprecation-window", Severity::kWarning, "No deprecation window in days is declared."},
      {"no-additive-only", Severity::kWarning,
       "The contract does not promise additive-only changes."},
      {"no-idempotency", Severity::kWarning,
       "A billable or mutating operation has no idempotency key, so retries can repeat it."},
      {"pii-undecided", Severity::kWarning,
       "A field looks like personal data and no PII decision is stated."},
      {"pii-contradiction", Severity::kError,
       "constraints.data.pii is false but a field is, or looks like, personal data."},
      {"no-pii-decision", Severity::kNote,
       "The contract does not state whether requests hold PII."},
      {"no-observability", Severity::kWarning, "There is no observability section."},
      {"observability-incomplete", Severity::kWarning,
       "The metrics lack p95 latency, request rate or error rate."},
      {"throughput-without-burst", Severity::kWarning, "throughput_rps is set but no burst_rps."},
      {"burst-below-throughput", Severity::kError, "burst_rps is below throughput_rps."},
      {"cost-without-throughput", Severity::kWarning,
       "A cost is set but no throughput_rps to plan it with."},
      {"budget-exceeds-slo", Severity::kError,
       "The component latency budgets add up to more than the end-to-end target."},
      {"batch-above-capacity", Severity::kWarning,
       "Server-side batches can never fill: max_concurrency requests hold fewer rows."},
      {"no-fallback", Severity::kNote, "No fallback response is declared for model failures."},
  };
  return kRules;
}

std::vector<Finding> LintContract(const Contract& contract) {
  Reporter report(contract.file);
  lint_internal::CheckFields(contract, report);
  CheckErrors(contract, report);
  CheckTimeoutPresent(contract, report);
  CheckPercentilesPresent(contract, report);
  CheckTimeoutAboveTargets(contract, report);
  CheckPercentileOrder(contract, report);
  CheckBatchLatency(contract, report);
  CheckVersioning(contract, report);
  CheckIdempotency(contract, report);
  CheckObservability(contract, report);
  CheckRateAndCost(contract, report);
  CheckBudget(contract, report);
  CheckBatchCapacity(contract, report);
  CheckFallback(contract, report);
  return report.Take();
}

void LocateFindings(std::string_view source_text, std::vector<Finding>& findings) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(source_text));
  } catch (const YAML::Exception&) {
    return;
  }
  for (auto& finding : findings) {
    if (finding.line > 0 || finding.pointer.empty()) continue;
    auto where = Resolve(root, SplitPointer(finding.pointer));
    finding.line = where.line;
    finding.column = where.column;
  }
}

absl::StatusOr<std::vector<Finding>> LintFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": cannot open contract file");
  std::ostringstream text;
  text << in.rdbuf();
  auto contract = contract::LoadContractText(text.str(), path);
  if (!contract.ok()) return contract.status();
  auto findings = LintContract(*contract);
  LocateFindings(text.str(), findings);
  // Findings are read in line order. Findings with no place in the file go last, in check order.
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    auto key = [](const Finding& f) {
      return std::pair(f.line == 0 ? std::numeric_limits<int>::max() : f.line, f.column);
    };
    return key(a) < key(b);
  });
  return findings;
}

ReportTool LintReportTool() { return MakeReportTool("modelgate lint", LintRules()); }

}  // namespace modelgate::tools
