// The "slo" group: latency percentiles per declared batch size against the contract's targets.
#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <thread>

#include "conformance/field_values.h"
#include "conformance/session.h"

namespace modelgate::conformance {
namespace {

using Clock = std::chrono::steady_clock;

// Nearest-rank percentile of sorted values.
double Percentile(const std::vector<double>& sorted, double percent) {
  auto rank = static_cast<std::size_t>(std::ceil(percent / 100.0 * sorted.size()));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

// The target of `target` for `batch` (0: no batch size), when one is declared.
std::optional<double> TargetFor(const contract::LatencyTarget& target, std::size_t batch) {
  auto found = target.per_batch_ms.find(batch);
  if (found != target.per_batch_ms.end()) return found->second;
  return target.overall_ms;
}

// The request document for a batch of `batch` items, or the baseline for 0.
std::optional<std::string> BatchDocument(Session& session, std::size_t batch) {
  const auto& request = session.contract.request;
  if (batch == 0) return session.factory.baseline();
  for (const auto& field : request.fields) {
    if (field.name != request.batch_field) continue;
    auto document = Edit(session.factory.baseline(), {field.name},
                         ArrayOfLength(field, batch, session.options.seed));
    if (document.ok()) return *document;
  }
  return std::nullopt;
}

void MeasureBatch(Session& session, std::size_t batch, const std::string& document) {
  const auto& latency = session.contract.constraints.latency;
  std::string prefix = batch == 0 ? "slo/latency" : absl::StrCat("slo/latency/batch=", batch);
  // Half the declared rate keeps the measurement inside the rate limit.
  auto interval = std::chrono::microseconds(0);
  if (auto rps = session.contract.constraints.throughput_rps; rps && *rps > 0) {
    interval = std::chrono::microseconds(static_cast<long>(2e6 / *rps));
  }
  std::vector<double> millis;
  CheckResult last;
  int rejected = 0;
  for (int i = 0; i < session.options.slo_requests; ++i) {
    auto start = Clock::now();
    last = session.Send(prefix, session.factory.Fresh(document));
    if (last.response && last.response->status >= 200 && last.response->status < 300) {
      millis.push_back(last.seconds * 1000);
    } else {
      ++rejected;
    }
    std::this_thread::sleep_until(start + interval);
  }
  std::sort(millis.begin(), millis.end());
  std::pair<const char*, const contract::LatencyTarget*> targets[] = {
      {"p50", &latency.p50}, {"p95", &latency.p95}, {"p99", &latency.p99}};
  for (auto [label, target] : targets) {
    auto target_ms = TargetFor(*target, batch);
    if (!target_ms) continue;
    CheckResult result = last;
    result.messages.clear();
    result.outcome = Outcome::kPass;
    result.name = absl::StrCat(prefix, "/", label);
    std::vector<std::string> messages;
    if (millis.empty() || rejected > 0) {
      messages.push_back(absl::StrFormat("%d of %d requests did not succeed", rejected,
                                         session.options.slo_requests));
    }
    if (!millis.empty()) {
      double observed = Percentile(millis, std::stod(std::string(label).substr(1)));
      std::string summary = absl::StrFormat("%s over %d requests was %.2f ms; target %.2f ms",
                                            label, millis.size(), observed, *target_ms);
      if (observed > *target_ms) messages.push_back(summary);
      result.detail = summary;
    }
    session.Record(std::move(result), std::move(messages));
  }
}

}  // namespace

void RunLatency(Session& session) {
  const auto& latency = session.contract.constraints.latency;
  if (latency.p50.empty() && latency.p95.empty() && latency.p99.empty()) {
    return session.Skip("slo/latency", "the contract declares no latency target");
  }
  std::set<std::size_t> batches;
  for (const auto* target : {&latency.p50, &latency.p95, &latency.p99}) {
    if (target->overall_ms) batches.insert(0);
    for (const auto& [batch, unused] : target->per_batch_ms) batches.insert(batch);
  }
  for (std::size_t batch : batches) {
    auto document = BatchDocument(session, batch);
    if (!document) {
      session.Skip(absl::StrCat("slo/latency/batch=", batch),
                   "the request has no batch field to size");
      continue;
    }
    MeasureBatch(session, batch, *document);
  }
}

}  // namespace modelgate::conformance
