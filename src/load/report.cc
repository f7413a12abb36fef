#include "load/report.h"

#include <absl/strings/str_format.h>

#include "json/writer.h"

namespace modelgate::load {
namespace {

std::string PercentileLabel(double percentile) { return absl::StrFormat("p%g", percentile); }

void WriteChecksText(const LoadReport& report, std::ostream& out) {
  out << "targets:\n";
  int missed = 0;
  for (const auto& check : report.checks) {
    if (!check.passed) ++missed;
    out << absl::StrFormat("  %s %-24s %10.3f %s %s %g %s  (%s)\n", check.passed ? "PASS" : "FAIL",
                           check.name, check.measured, check.unit, check.at_most ? "<=" : ">=",
                           check.target, check.unit, check.key);
  }
  out << (missed == 0 ? std::string("result: every target met\n")
                      : absl::StrFormat("result: %d of %d targets missed\n", missed,
                                        report.checks.size()));
}

void WriteErrorsText(const RunStats& stats, std::ostream& out) {
  if (stats.errors() == 0) {
    out << "errors: none\n";
    return;
  }
  out << "errors:";
  for (const auto& [code, count] : stats.http_errors) out << " " << code << " " << count;
  for (const auto& [kind, count] : stats.transport_errors) out << " " << kind << " " << count;
  out << "\n";
}

void WriteStatsJson(const RunStats& stats, json::Writer& writer) {
  writer.BeginObject();
  writer.Member("mode", stats.mode);
  if (stats.offered_rps > 0) writer.Member("offered_rps", stats.offered_rps);
  if (stats.concurrency > 0) writer.Member("concurrency", static_cast<std::size_t>(stats.concurrency));
  writer.Member("duration_s", stats.duration_s);
  writer.Member("elapsed_s", stats.elapsed_s);
  writer.Member("scheduled", static_cast<std::size_t>(stats.scheduled));
  writer.Member("sent", static_cast<std::size_t>(stats.sent));
  writer.Member("responses", static_cast<std::size_t>(stats.responses));
  writer.Member("succeeded", static_cast<std::size_t>(stats.succeeded));
  writer.Member("late", static_cast<std::size_t>(stats.late));
  writer.Member("max_in_flight", static_cast<std::size_t>(stats.max_in_flight));
  writer.Member("connections_opened", static_cast<std::size_t>(stats.connections_opened));
  writer.Member("achieved_rps", stats.achieved_rps());
  writer.Member("success_rps", stats.success_rps());

  writer.Key("latency_ms");
  writer.BeginObject();
  for (double percentile : kReportedPercentiles) {
    writer.Member(PercentileLabel(percentile), stats.latency.PercentileMicros(percentile) / 1000);
  }
  writer.Member("max", static_cast<double>(stats.latency.max_micros()) / 1000);
  writer.Member("mean", stats.latency.mean_micros() / 1000);
  writer.EndObject();

  writer.Key("latency_ms_by_batch");
  writer.BeginObject();
  for (const auto& [batch, histogram] : stats.latency_by_batch) {
    writer.Key(std::to_string(batch));
    writer.BeginObject();
    writer.Member("count", static_cast<std::size_t>(histogram.count()));
    for (double percentile : {50.0, 95.0, 99.0}) {
      writer.Member(PercentileLabel(percentile), histogram.PercentileMicros(percentile) / 1000);
    }
    writer.EndObject();
  }
  writer.EndObject();

  for (const auto* errors : {&stats.http_errors, &stats.transport_errors}) {
    writer.Key(errors == &stats.http_errors ? "http_errors" : "transport_errors");
    writer.BeginObject();
    for (const auto& [name, count] : *errors) writer.Member(name, static_cast<std::size_t>(count));
    writer.EndObject();
  }

  writer.Key("series");
  writer.BeginArray();
  for (const auto& sample : stats.series) {
    writer.BeginObject();
    writer.Member("second", sample.second);
    writer.Member("completed", static_cast<std::size_t>(sample.completed));
    writer.Member("errors", static_cast<std::size_t>(sample.errors));
    writer.Member("p50_ms", sample.p50_micros / 1000);
    writer.Member("p95_ms", sample.p95_micros / 1000);
    writer.Member("p99_ms", sample.p99_micros / 1000);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
}

}  // namespace

std::string FormatMs(double micros) {
  double ms = micros / 1000.0;
  if (ms >= 100) return absl::StrFormat("%.0f ms", ms);
  if (ms >= 10) return absl::StrFormat("%.1f ms", ms);
  return absl::StrFormat("%.3g ms", ms);
}

void WriteText(const LoadReport& report, std::ostream& out) {
  const RunStats& stats = report.stats;
  out << "modelgate load: " << report.contract_name << " at " << report.url << "\n";
  if (report.sweep) {
    out << "sweep:\n";
    for (const auto& step : report.steps) {
      out << absl::StrFormat("  %s %10.1f rps  p95 %.3f ms  errors %.2f %%\n",
                             step.passed ? "PASS" : "FAIL", step.rate, step.p95_ms,
                             step.error_percent);
    }
    if (report.best_rate) {
      out << absl::StrFormat("highest rate that meets the p95 target: %g rps\n", *report.best_rate);
    } else {
      out << "no rate of the sweep met the p95 target\n";
    }
    out << "details of the " << (report.best_rate ? "highest passing" : "first") << " rate:\n";
  }
  if (stats.mode == "open-loop") {
    out << absl::StrFormat("mode open-loop: offered %g rps for %g s, %d scheduled", stats.offered_rps,
                           stats.duration_s, stats.scheduled);
  } else {
    out << absl::StrFormat("mode closed-loop: %d connections for %g s", stats.concurrency,
                           stats.duration_s);
  }

  out << absl::StrFormat(", %d sent, %d late to send, max %d in flight, %d connections opened\n",
                         stats.sent, stats.late, stats.max_in_flight, stats.connections_opened);
  out << absl::StrFormat("achieved %.1f rps (%.1f rps with 2xx), %d responses in %.2f s\n",
                         stats.achieved_rps(), stats.success_rps(), stats.responses,
                         stats.elapsed_s);

  out << "latency:";
  for (double percentile : kReportedPercentiles) {
    out << " " << PercentileLabel(percentile) << " " << FormatMs(stats.latency.PercentileMicros(percentile));
  }
  out << " max " << FormatMs(static_cast<double>(stats.latency.max_micros())) << "\n";
  if (stats.latency_by_batch.size() > 1 || !stats.latency_by_batch.contains(0)) {
    for (const auto& [batch, histogram] : stats.latency_by_batch) {
      out << absl::StrFormat("  batch %d: %d responses, p50 %s p95 %s p99 %s\n", batch,
                             histogram.count(), FormatMs(histogram.PercentileMicros(50)),
                             FormatMs(histogram.PercentileMicros(95)),
                             FormatMs(histogram.PercentileMicros(99)));
    }
  }
  WriteErrorsText(stats, out);

  if (report.price_per_hour) {
    auto cost = CostPer1k(*report.price_per_hour, report.sweep && report.best_rate
                                                      ? *report.best_rate
                                                      : stats.success_rps());
    if (cost) {
      out << absl::StrFormat("cost per 1k requests at %s: %.6g (price per hour %g)\n",
                             report.sweep ? "the highest passing rate" : "the 2xx rate", *cost,
                             *report.price_per_hour);
    }
  }
  WriteChecksText(report, out);
}

std::string RenderJson(const LoadReport& report) {
  std::string text;
  json::Writer writer(text);
  writer.BeginObject();
  writer.Member("contract", report.contract_name);
  writer.Member("url", report.url);
  writer.Member("run_id", report.run_id);
  writer.Key("run");
  WriteStatsJson(report.stats, writer);

  writer.Key("checks");
  writer.BeginArray();
  for (const auto& check : report.checks) {
    writer.BeginObject();
    writer.Member("name", check.name);
    writer.Member("key", check.key);
    writer.Member("unit", check.unit);
    writer.Member("target", check.target);
    writer.Member("measured", check.measured);
    writer.Member("comparison", check.at_most ? "at_most" : "at_least");
    writer.Member("passed", check.passed);
    writer.EndObject();
  }
  writer.EndArray();
  writer.Member("passed", AllPassed(report.checks));
  if (report.price_per_hour) writer.Member("price_per_hour", *report.price_per_hour);

  if (report.sweep) {
    writer.Key("sweep");
    writer.BeginObject();
    writer.Key("steps");
    writer.BeginArray();
    for (const auto& step : report.steps) {
      writer.BeginObject();
      writer.Member("rate", step.rate);
      writer.Member("p95_ms", step.p95_ms);
      writer.Member("error_percent", step.error_percent);
      writer.Member("passed", step.passed);
      writer.EndObject();
    }
    writer.EndArray();
    writer.Key("best_rate");
    report.best_rate ? writer.Number(*report.best_rate) : writer.Null();
    auto cost = report.best_rate && report.price_per_hour
                    ? CostPer1k(*report.price_per_hour, *report.best_rate)
                    : std::nullopt;
    writer.Key("cost_per_1k_requests");
    cost ? writer.Number(*cost) : writer.Null();
    writer.EndObject();
  }
  writer.EndObject();
  text += "\n";
  return text;
}

}  // namespace modelgate::load
