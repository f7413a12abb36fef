// `modelgate diff`: the rules of the sections other than the fields (route, limits, validation,
// ordering, meaning, errors, rates, latency, deprecation) and the version policy.

#include "tools/diff_rules.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "json/writer.h"
#include "service/service.h"
#include "tools/diff.h"

namespace modelgate::tools::diff {

namespace {

using contract::Contract;
using contract::ErrorSpec;
using contract::LatencyTarget;
using contract::Ordering;

std::string Pointer(std::string_view prefix, std::string_view token) {
  return std::string(prefix) + "/" + json::EscapePointerToken(token);
}

// The rule ids of one kind of limit.
struct LimitRules {
  std::string_view lowered;
  std::string_view raised;
};

constexpr LimitRules kRequestLimit = {"request-limit-lowered", "request-limit-raised"};
constexpr LimitRules kRateLimit = {"rate-limit-lowered", "rate-limit-raised"};

// A limit where a larger value accepts more and an absent value means `absent` (no limit unless
// the server applies a default).
struct Limit {
  std::string_view key;
  std::string pointer;
  std::optional<double> before;
  std::optional<double> after;
  std::optional<double> absent;
  std::string_view unit;
};

std::string ShowLimit(const Limit& limit, std::optional<double> value) {
  std::string unit = limit.unit.empty() ? "" : " " + std::string(limit.unit);
  if (value) return ShowNumber(value) + unit;
  if (limit.absent) return "none (the server default, " + ShowNumber(limit.absent) + unit + ")";
  return "none";
}

// Reports a lowered limit as breaking and a raised or removed one as compatible. `effect`
// describes what a lower limit does to consumers.
void ReportLimit(ChangeLog& log, const LimitRules& rules, const Limit& limit,
                 std::string_view effect) {
  auto before = limit.before ? limit.before : limit.absent;
  auto after = limit.after ? limit.after : limit.absent;
  Movement movement = CompareUpper(before, after);
  if (movement == Movement::kSame) return;
  std::string message = std::string(limit.key) + " changed from " + ShowLimit(limit, limit.before) +
                        " to " + ShowLimit(limit, limit.after);
  if (movement == Movement::kNarrowed) {
    std::string undo =
        limit.before ? "keep " + std::string(limit.key) + " at " + ShowLimit(limit, limit.before)
                     : "drop " + std::string(limit.key);
    log.Breaking(rules.lowered, limit.pointer, log.InAfter(),
                 message + ", so " + std::string(effect), undo);
  } else {
    log.Compatible(rules.raised, limit.pointer, log.InAfter(),
                   message + ", so every request within the old limit stays within the new one");
  }
}

std::string Plural(std::size_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

// Orderings are matched by their list, or by their sentence when it names no list.
std::string OrderingKey(const Ordering& ordering) {
  return ordering.list.empty() ? ordering.text : ordering.list;
}

std::string OrderingPointer(const Ordering& ordering) {
  if (ordering.list.empty()) return "/response/ordering";
  return Pointer("/response/ordering", ordering.list);
}

std::string DescribeOrdering(const Ordering& ordering) {
  if (ordering.list.empty()) return ShowText(ordering.text);
  std::string by = ordering.by.empty() ? "the item values" : ordering.by;
  return ordering.list + " sorted by " + by + (ordering.descending ? " descending" : " ascending");
}

const Ordering* FindOrdering(const std::vector<Ordering>& orderings, const std::string& key) {
  auto found = std::find_if(orderings.begin(), orderings.end(), [&key](const Ordering& ordering) {
    return OrderingKey(ordering) == key;
  });
  return found == orderings.end() ? nullptr : &*found;
}

void DiffConfidence(ChangeLog& log) {
  const auto& before = log.before().response.confidence_desc;
  const auto& after = log.after().response.confidence_desc;
  if (before == after) return;
  if (before.empty()) {
    log.Compatible("response-meaning-added", "/response/confidence", log.InAfter(),
                   "response confidence is now stated as " + ShowText(after));
    return;
  }
  log.Breaking("response-meaning-changed", "/response/confidence", log.InAfter(),
               "response confidence changed from " + ShowText(before) + " to " + ShowText(after) +
                   ", so consumers that act on the values under the old meaning, such as with "
                   "fixed thresholds, may act wrongly",
               "keep the old meaning and calibration");
}

// A reason code is a value the response may contain, so a new code widens the response and a
// removed one narrows it.
void DiffReasonCodes(ChangeLog& log) {
  const auto& before = log.before().response.reason_codes;
  const auto& after = log.after().response.reason_codes;
  for (const auto& [code, meaning] : before) {
    std::string pointer = Pointer("/response/reason_codes", code);
    auto found = after.find(code);
    if (found == after.end()) {
      log.Compatible(
          "response-bound-narrowed", pointer, log.InAfter(),
          "response reason code " + code + " was removed, so responses no longer " + "contain it");
    } else if (found->second != meaning) {
      log.Breaking("response-meaning-changed", pointer, log.InAfter(),
                   "response reason code " + code + " changed its meaning from " +
                       ShowText(meaning) + " to " + ShowText(found->second),
                   "keep the meaning of " + code + " and add a new code for the new meaning");
    }
  }
  for (const auto& [code, meaning] : after) {
    if (before.contains(code)) continue;
    log.Breaking("response-bound-widened", Pointer("/response/reason_codes", code), log.InAfter(),
                 "response reason code " + code + " (" + ShowText(meaning) +
                     ") is new, so consumers may receive a code they do not know",
                 "drop reason code " + code);
  }
}

std::string ShowBool(bool value) { return value ? "true" : "false"; }

void DiffErrorStatus(ChangeLog& log, const ErrorSpec& before, const ErrorSpec& after) {
  if (before.status == after.status) return;
  log.Breaking("error-status-changed", Pointer("/errors", before.code) + "/status",
               log.InAfter(after.where),
               "error code " + before.code + ": status changed from " +
                   std::to_string(before.status) + " to " + std::to_string(after.status) +
                   ", so consumers that branch on the status handle it differently",
               "keep status " + std::to_string(before.status));
}

void DiffErrorRetryable(ChangeLog& log, const ErrorSpec& before, const ErrorSpec& after) {
  if (before.retryable == after.retryable) return;
  std::string effect = after.retryable
                           ? "consumers give up on requests that a retry would now complete"
                           : "consumers retry requests that will fail again";
  log.Breaking("error-retryable-changed", Pointer("/errors", before.code) + "/retryable",
               log.InAfter(after.where),
               "error code " + before.code + ": retryable changed from " +
                   ShowBool(before.retryable) + " to " + ShowBool(after.retryable) + ", so " +
                   effect,
               "keep retryable: " + ShowBool(before.retryable));
}

std::string ShowBackoff(contract::Backoff backoff) {
  switch (backoff) {
    case contract::Backoff::kNone:
      return "none";
    case contract::Backoff::kFixed:
      return "fixed";
    case contract::Backoff::kExponential:
      return "exponential";
  }
  return "none";
}

// Backoff, Retry-After, max_retries and initial_backoff_ms advise clients how to retry. Changing
// them changes that advice, not which responses are sent.
void DiffRetryGuidance(ChangeLog& log, const ErrorSpec& before, const ErrorSpec& after) {
  std::vector<std::string> changes;
  auto note = [&changes](std::string_view key, const std::string& old_value,
                         const std::string& new_value) {
    if (old_value != new_value) {
      changes.push_back(std::string(key) + " from " + old_value + " to " + new_value);
    }
  };
  auto backoff_ms = [](const ErrorSpec& error) {
    return ShowNumber(error.initial_backoff ? std::optional<double>(error.initial_backoff->count())
                                            : std::nullopt);
  };
  note("backoff", ShowBackoff(before.backoff), ShowBackoff(after.backoff));
  note("retry_after", ShowBool(before.retry_after), ShowBool(after.retry_after));
  note("max_retries", ShowNumber(AsDouble(before.max_retries)),
       ShowNumber(AsDouble(after.max_retries)));
  note("initial_backoff_ms", backoff_ms(before), backoff_ms(after));
  if (changes.empty()) return;
  std::string list;
  for (const auto& change : changes) list += (list.empty() ? "" : ", ") + change;
  log.Compatible("error-retry-guidance-changed", Pointer("/errors", before.code),
                 log.InAfter(after.where),
                 "error code " + before.code + ": retry guidance changed: " + list);
}

void DiffErrorDescription(ChangeLog& log, const ErrorSpec& before, const ErrorSpec& after) {
  if (before.description == after.description) return;
  log.Compatible("description-changed", Pointer("/errors", before.code) + "/description",
                 log.InAfter(after.where),
                 "error code " + before.code + ": description changed from " +
                     ShowText(before.description) + " to " + ShowText(after.description) +
                     ", so check that the error still means the same");
}

// The target in force for one batch size: its own, else the one for every batch size.
std::optional<double> TargetFor(const LatencyTarget& target, std::size_t batch) {
  auto found = target.per_batch_ms.find(batch);
  if (found != target.per_batch_ms.end()) return found->second;
  return target.overall_ms;
}

void ReportSlower(ChangeLog& log, const std::string& pointer, const std::string& label,
                  double before, std::optional<double> after) {
  if (after && *after <= before) return;
  std::string was = ShowNumber(before) + " ms";
  std::string message = after ? label + " rose from " + was + " to " + ShowNumber(after) + " ms"
                              : label + " of " + was + " was removed";
  log.Add("slo-regression", Severity::kWarning, pointer, log.InAfter(),
          message +
              ", so consumers' timeouts and latency budgets sized for the old target may "
              "no longer hold",
          "keep the target at " + was + " or lower, or tell consumers to review their timeouts");
}

// Compares one percentile for every batch size named in either version, and for the target that
// applies to the other batch sizes.
void DiffPercentile(ChangeLog& log, std::string_view percentile, const LatencyTarget& before,
                    const LatencyTarget& after) {
  std::string base = "/constraints/latency_ms/" + std::string(percentile);
  std::string label = std::string(percentile) + " latency target";
  if (before.overall_ms) {
    std::string pointer = after.per_batch_ms.empty() ? base : base + "/default";
    ReportSlower(log, pointer, label, *before.overall_ms, after.overall_ms);
  }
  std::set<std::size_t> batches;
  for (const auto& [batch, target] : before.per_batch_ms) batches.insert(batch);
  for (const auto& [batch, target] : after.per_batch_ms) batches.insert(batch);
  for (std::size_t batch : batches) {
    auto old_target = TargetFor(before, batch);
    if (!old_target) continue;
    // A batch size that neither version names on its own is covered by the overall target.
    if (!before.per_batch_ms.contains(batch) && !after.per_batch_ms.contains(batch)) continue;
    ReportSlower(log, base + "/batch" + std::to_string(batch),
                 label + " for batch size " + std::to_string(batch), *old_target,
                 TargetFor(after, batch));
  }
}

std::string ShowDays(std::optional<int> days) {
  return days ? std::to_string(*days) + " days" : "none";
}

void DiffWindow(ChangeLog& log, std::string_view pointer, std::string_view key,
                std::optional<int> before, std::optional<int> after) {
  if (before == after) return;
  std::string message =
      std::string(key) + " changed from " + ShowDays(before) + " to " + ShowDays(after);
  bool shortened = before && (!after || *after < *before);
  if (shortened) {
    log.Breaking("deprecation-window-shortened", std::string(pointer), log.InAfter(),
                 message + ", so consumers get less time to move off a deprecated version",
                 "keep " + std::string(key) + " at " + ShowDays(before));
  } else {
    log.Compatible("deprecation-window-extended", std::string(pointer), log.InAfter(),
                   message + ", so consumers get at least as much time as before");
  }
}

}  // namespace

void DiffRoute(ChangeLog& log) {
  const Contract& before = log.before();
  const Contract& after = log.after();
  std::string old_route = before.RoutePath();
  std::string new_route = after.RoutePath();
  if (old_route == new_route) return;
  bool from_major = before.endpoint.path.empty() && after.endpoint.path.empty() &&
                    before.endpoint.operation == after.endpoint.operation;
  std::string undo = from_major ? "serve the old contract next to the new one until consumers move "
                                  "(modelgate serve accepts several contracts)"
                                : "keep the route with endpoint: " + old_route;
  log.Breaking("route-changed", "/endpoint/path", log.InAfter(),
               "route changed from POST " + old_route + " to POST " + new_route +
                   ", so consumers that call the old route get 404 NOT_FOUND",
               undo);
}

void DiffRequestLimits(ChangeLog& log) {
  const auto& before = log.before().request.limits;
  const auto& after = log.after().request.limits;
  std::string_view effect = "requests that the old version accepted may be rejected";
  auto default_payload = static_cast<double>(service::kDefaultMaxPayloadBytes);
  ReportLimit(
      log, kRequestLimit,
      {"max_payload_bytes", "/request/limits/max_payload_bytes", AsDouble(before.max_payload_bytes),
       AsDouble(after.max_payload_bytes), default_payload, "bytes"},
      "requests that the old version accepted may be rejected with PAYLOAD_TOO_LARGE");
  ReportLimit(log, kRequestLimit,
              {"max_batch", "/request/limits/max_batch", AsDouble(before.max_batch),
               AsDouble(after.max_batch), std::nullopt, "items"},
              effect);
  ReportLimit(
      log, kRequestLimit,
      {"max_total_chars", "/request/limits/max_total_chars", AsDouble(before.max_total_chars),
       AsDouble(after.max_total_chars), std::nullopt, "code points"},
      effect);
  ReportLimit(log, kRequestLimit,
              {"max_depth", "/request/limits/max_depth", static_cast<double>(before.max_depth),
               static_cast<double>(after.max_depth), std::nullopt, "levels"},
              effect);
}

void DiffValidation(ChangeLog& log) {
  using contract::UnknownFieldPolicy;
  auto before = log.before().request.validation.unknown_fields;
  auto after = log.after().request.validation.unknown_fields;
  if (before == after) return;
  if (after == UnknownFieldPolicy::kReject) {
    log.Breaking("unknown-fields-rejected", "/request/validation/unknown_fields", log.InAfter(),
                 "request unknown_fields changed from ignore to reject, so requests with members "
                 "the contract does not declare, which the old version ignored, are rejected",
                 "keep unknown_fields: ignore");
  } else {
    log.Compatible("unknown-fields-ignored", "/request/validation/unknown_fields", log.InAfter(),
                   "request unknown_fields changed from reject to ignore, so undeclared members "
                   "are ignored instead of rejected");
  }
}

void DiffOrdering(ChangeLog& log) {
  const auto& before = log.before().response.ordering;
  const auto& after = log.after().response.ordering;
  for (const auto& old_ordering : before) {
    const Ordering* new_ordering = FindOrdering(after, OrderingKey(old_ordering));
    std::string old_text = DescribeOrdering(old_ordering);
    if (new_ordering == nullptr) {
      log.Breaking("response-ordering-changed", OrderingPointer(old_ordering), log.InAfter(),
                   "response ordering " + old_text +
                       " was removed, so consumers that rely on the order may misread results",
                   "keep the ordering rule");
    } else if (new_ordering->by != old_ordering.by ||
               new_ordering->descending != old_ordering.descending) {
      log.Breaking("response-ordering-changed", OrderingPointer(old_ordering), log.InAfter(),
                   "response ordering changed from " + old_text + " to " +
                       DescribeOrdering(*new_ordering) +
                       ", so consumers that rely on the order may misread results",
                   "keep " + old_text);
    }
  }
  for (const auto& new_ordering : after) {
    if (FindOrdering(before, OrderingKey(new_ordering)) != nullptr) continue;
    log.Compatible("response-ordering-added", OrderingPointer(new_ordering), log.InAfter(),
                   "response ordering " + DescribeOrdering(new_ordering) +
                       " is new, so consumers may rely on an order they could not before");
  }
}

void DiffMeaning(ChangeLog& log) {
  DiffConfidence(log);
  DiffReasonCodes(log);
}

void DiffErrors(ChangeLog& log) {
  const Contract& before = log.before();
  const Contract& after = log.after();
  for (const auto& old_error : before.errors) {
    const ErrorSpec* new_error = after.FindError(old_error.code);
    if (new_error == nullptr) {
      log.Breaking("error-code-removed", Pointer("/errors", old_error.code),
                   log.InBefore(old_error.where),
                   "error code " + old_error.code + " (status " + std::to_string(old_error.status) +
                       ") was removed, so consumers that handle it lose its declared status "
                       "and retry rule",
                   "keep declaring " + old_error.code);
      continue;
    }
    DiffErrorStatus(log, old_error, *new_error);
    DiffErrorRetryable(log, old_error, *new_error);
    DiffRetryGuidance(log, old_error, *new_error);
    DiffErrorDescription(log, old_error, *new_error);
  }
  for (const auto& new_error : after.errors) {
    if (before.FindError(new_error.code) != nullptr) continue;
    log.Compatible("error-code-added", Pointer("/errors", new_error.code),
                   log.InAfter(new_error.where),
                   "error code " + new_error.code + " (status " + std::to_string(new_error.status) +
                       ", retryable: " + ShowBool(new_error.retryable) +
                       ") is new, and consumers that do not know it handle it by its status");
  }
}

void DiffRateLimits(ChangeLog& log) {
  const auto& before = log.before().constraints;
  const auto& after = log.after().constraints;
  std::string_view effect = "consumers that send at the old rate may get RATE_LIMIT (429)";
  ReportLimit(log, kRateLimit,
              {"throughput_rps", "/constraints/throughput_rps", before.throughput_rps,
               after.throughput_rps, std::nullopt, "requests per second"},
              effect);
  ReportLimit(log, kRateLimit,
              {"burst_rps", "/constraints/burst_rps", before.burst_rps, after.burst_rps,
               std::nullopt, "requests per second"},
              effect);
}

void DiffLatency(ChangeLog& log) {
  const auto& before = log.before().constraints;
  const auto& after = log.after().constraints;
  DiffPercentile(log, "p50", before.latency.p50, after.latency.p50);
  DiffPercentile(log, "p95", before.latency.p95, after.latency.p95);
  DiffPercentile(log, "p99", before.latency.p99, after.latency.p99);
  // throughput_rps is also the sustained rate the service promises to carry.
  if (!before.throughput_rps) return;
  if (after.throughput_rps && *after.throughput_rps >= *before.throughput_rps) return;
  std::string was = ShowNumber(before.throughput_rps) + " requests per second";
  std::string message = after.throughput_rps
                            ? "throughput target fell from " + was + " to " +
                                  ShowNumber(after.throughput_rps) + " requests per second"
                            : "throughput target of " + was + " was removed";
  log.Add("slo-regression", Severity::kWarning, "/constraints/throughput_rps", log.InAfter(),
          message + ", so consumers that planned their load on the old target may be throttled",
          "keep throughput_rps at " + was + " or higher");
}

void DiffDeprecation(ChangeLog& log) {
  const Contract& before = log.before();
  const Contract& after = log.after();
  DiffWindow(log, "/compatibility/deprecation_days", "compatibility.deprecation_policy_days",
             before.compatibility.deprecation_days, after.compatibility.deprecation_days);
  DiffWindow(log, "/deprecation/policy_days", "deprecation.policy_days",
             before.deprecation.policy_days, after.deprecation.policy_days);
}

void CheckVersionPolicy(ChangeLog& log) {
  const auto& findings = log.findings();
  if (findings.empty()) return;
  const Contract& before = log.before();
  const Contract& after = log.after();
  auto breaking = static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(),
                    [](const Finding& finding) { return finding.severity == Severity::kError; }));
  std::string versions = "the version changes from " + before.version + " to " + after.version;
  if (before.version == after.version) versions = "the version stays " + before.version;
  if (breaking > 0 && after.major <= before.major) {
    log.Add(
        "version-policy", Severity::kError, "/version", log.InAfter(),
        Plural(breaking, "breaking change") + " but " + versions + " without a new major version",
        "publish this version as " + VersionLike(before.version, before.major + 1, 0) +
            " or later, or undo the breaking changes");
    return;
  }
  bool newer =
      after.major > before.major || (after.major == before.major && after.minor > before.minor);
  if (newer) return;
  log.Add("version-policy", Severity::kWarning, "/version", log.InAfter(),
          Plural(findings.size(), "change") + " but " + versions + " without a new minor version",
          "publish this version as " + VersionLike(before.version, before.major, before.minor + 1) +
              " or later");
}

}  // namespace modelgate::tools::diff

namespace modelgate::tools {

const std::vector<DiffRule>& DiffRules() {
  static const std::vector<DiffRule> kRules = {
      {"request-field-required-added", Severity::kError,
       "A new request field is required, so old requests lack it"},
      {"request-field-removed", Severity::kError, "A request field was removed or renamed"},
      {"response-field-removed", Severity::kError, "A response field was removed or renamed"},
      {"field-type-changed", Severity::kError, "A request or response field changed its type"},
      {"request-bound-narrowed", Severity::kError,
       "A request field accepts fewer values than before"},
      {"response-bound-widened", Severity::kError,
       "A response field or reason code list may contain values the old version never sent"},
      {"request-default-changed", Severity::kError,
       "The default of a request field changed, so requests that omit it get another result"},
      {"response-ordering-changed", Severity::kError,
       "A response ordering changed its key or direction, or was removed"},
      {"response-meaning-changed", Severity::kError,
       "The stated meaning of confidence or of a reason code changed"},
      {"error-code-removed", Severity::kError, "An error code was removed"},
      {"error-status-changed", Severity::kError, "An error code changed its HTTP status"},
      {"error-retryable-changed", Severity::kError,
       "An error code changed whether it is retryable"},
      {"deprecation-window-shortened", Severity::kError,
       "The deprecation window was shortened or removed"},
      {"rate-limit-lowered", Severity::kError, "throughput_rps or burst_rps was lowered or added"},
      {"request-limit-lowered", Severity::kError,
       "A request size limit (payload bytes, batch, characters, depth) was lowered or added"},
      {"unknown-fields-rejected", Severity::kError,
       "Unknown request members were ignored and are now rejected"},
      {"route-changed", Severity::kError, "The route of the operation changed"},
      {"request-field-optional-added", Severity::kNote, "A new request field is optional"},
      {"response-field-added", Severity::kNote, "A new response field was added"},
      {"request-bound-widened", Severity::kNote, "A request field accepts more values than before"},
      {"response-bound-narrowed", Severity::kNote,
       "A response field or reason code list contains fewer values than before"},
      {"response-ordering-added", Severity::kNote, "A response list gained an ordering"},
      {"response-meaning-added", Severity::kNote,
       "The meaning of confidence is stated for the first time"},
      {"error-code-added", Severity::kNote, "A new error code was declared"},
      {"error-retry-guidance-changed", Severity::kNote,
       "The backoff, Retry-After, max_retries or initial backoff of an error code changed"},
      {"description-changed", Severity::kNote, "The description of a field or error code changed"},
      {"deprecation-window-extended", Severity::kNote,
       "The deprecation window was extended or added"},
      {"rate-limit-raised", Severity::kNote, "throughput_rps or burst_rps was raised or removed"},
      {"request-limit-raised", Severity::kNote, "A request size limit was raised or removed"},
      {"unknown-fields-ignored", Severity::kNote,
       "Unknown request members were rejected and are now ignored"},
      {"slo-regression", Severity::kWarning,
       "A latency target is slower or removed, or the throughput target is lower or removed"},
      {"version-policy", Severity::kError,
       "The version change does not cover the changes: breaking changes need a new major "
       "version (error), other changes a new minor version (warning)"},
  };
  return kRules;
}

}  // namespace modelgate::tools
