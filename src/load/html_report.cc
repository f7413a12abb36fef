#include "load/html_report.h"

#include <absl/strings/str_format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace modelgate::load {
namespace {

constexpr double kWidth = 760;
constexpr double kHeight = 300;
constexpr double kLeft = 60;
constexpr double kRight = 20;
constexpr double kTop = 20;
constexpr double kBottom = 40;

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Maps data coordinates onto the plot area of one chart.
struct Plot {
  double x_max = 1;
  double y_max = 1;
  double X(double x) const { return kLeft + x / x_max * (kWidth - kLeft - kRight); }
  double Y(double y) const { return kHeight - kBottom - y / y_max * (kHeight - kTop - kBottom); }
};

struct SloLine {
  std::string label;
  double ms;
};

// The overall SLO targets, or the per-batch ones for the batch sizes the run sent.
std::vector<SloLine> SloLines(const LoadReport& report) {
  std::vector<SloLine> lines;
  const contract::LatencyTargets& targets = report.targets;
  for (const auto& [name, target] : {std::pair{"p50", &targets.p50}, std::pair{"p95", &targets.p95},
                                     std::pair{"p99", &targets.p99}}) {
    if (target->overall_ms) lines.push_back({absl::StrFormat("SLO %s %g ms", name, *target->overall_ms), *target->overall_ms});
    for (const auto& [batch, ms] : target->per_batch_ms) {
      if (!report.stats.latency_by_batch.contains(batch)) continue;
      lines.push_back({absl::StrFormat("SLO %s batch %d %g ms", name, batch, ms), ms});
    }
  }
  return lines;
}

void OpenSvg(std::ostream& out, const Plot& plot, std::string_view x_label) {
  out << absl::StrFormat(R"(<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g">)",
                         kWidth, kHeight, kWidth, kHeight)
      << "\n";
  out << absl::StrFormat(R"(<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333"/>)", kLeft,
                         plot.Y(0), kWidth - kRight, plot.Y(0));
  out << absl::StrFormat(R"(<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333"/>)", kLeft,
                         kTop, kLeft, plot.Y(0));
  for (int tick = 0; tick <= 4; ++tick) {
    double value = plot.y_max * tick / 4;
    out << absl::StrFormat(R"(<text x="%g" y="%g" text-anchor="end" font-size="11">%.3g</text>)",
                           kLeft - 6, plot.Y(value) + 4, value);
  }
  out << absl::StrFormat(R"svg(<text x="14" y="%g" font-size="11" transform="rotate(-90 14 %g)">ms</text>)svg",
                         kHeight / 2, kHeight / 2);
  out << absl::StrFormat(R"(<text x="%g" y="%g" text-anchor="middle" font-size="11">%s</text>)",
                         (kLeft + kWidth) / 2, kHeight - 8, Escape(x_label))
      << "\n";
}

void DrawSloLines(std::ostream& out, const Plot& plot, const std::vector<SloLine>& lines) {
  for (const auto& line : lines) {
    double y = plot.Y(line.ms);
    out << absl::StrFormat(
        R"(<line class="slo" x1="%g" y1="%g" x2="%g" y2="%g" stroke="#c00" stroke-dasharray="6 4"/>)",
        kLeft, y, kWidth - kRight, y);
    out << absl::StrFormat(R"(<text x="%g" y="%g" text-anchor="end" font-size="11" fill="#c00">%s</text>)",
                           kWidth - kRight - 4, y - 4, Escape(line.label))
        << "\n";
  }
}

void DrawPolyline(std::ostream& out, const std::vector<std::pair<double, double>>& points,
                  const Plot& plot, std::string_view color, std::string_view name) {
  out << R"(<polyline fill="none" stroke-width="1.5" stroke=")" << color << R"(" points=")";
  for (const auto& [x, y] : points) out << absl::StrFormat("%.1f,%.1f ", plot.X(x), plot.Y(y));
  out << R"("><title>)" << name << "</title></polyline>\n";
}

double MaxWithTargets(double data_max, const std::vector<SloLine>& lines) {
  double top = data_max;
  for (const auto& line : lines) top = std::max(top, line.ms);
  return top > 0 ? top * 1.1 : 1;
}

void LatencyOverTime(std::ostream& out, const RunStats& stats, const std::vector<SloLine>& slo) {
  std::vector<std::pair<double, double>> p50, p95, p99;
  double data_max = 0;
  for (const auto& sample : stats.series) {
    if (sample.completed == 0) continue;
    p50.emplace_back(sample.second, sample.p50_micros / 1000);
    p95.emplace_back(sample.second, sample.p95_micros / 1000);
    p99.emplace_back(sample.second, sample.p99_micros / 1000);
    data_max = std::max(data_max, sample.p99_micros / 1000);
  }
  Plot plot;
  plot.x_max = std::max(1.0, stats.series.empty() ? 1.0 : stats.series.back().second);
  plot.y_max = MaxWithTargets(data_max, slo);
  OpenSvg(out, plot, "seconds since the start (responses completed in each second)");
  for (int tick = 0; tick <= 5; ++tick) {
    double second = plot.x_max * tick / 5;
    out << absl::StrFormat(R"(<text x="%g" y="%g" text-anchor="middle" font-size="10">%.3g</text>)",
                           plot.X(second), plot.Y(0) + 14, second);
  }
  DrawSloLines(out, plot, slo);
  DrawPolyline(out, p50, plot, "#1b9e77", "p50");
  DrawPolyline(out, p95, plot, "#d95f02", "p95");
  DrawPolyline(out, p99, plot, "#7570b3", "p99");
  out << "</svg>\n";
}

// Latency by percentile on the usual HdrHistogram axis: x is the number of nines,
// -log10(1 - p / 100), so p90 is at 1, p99 at 2 and p99.9 at 3.
void Distribution(std::ostream& out, const RunStats& stats, const std::vector<SloLine>& slo) {
  constexpr double kNines[] = {0,   0.3, 0.5, 1,   1.3, 1.5, 2,   2.3,
                               2.5, 3,   3.3, 3.5, 4,   4.5, 5};
  std::vector<std::pair<double, double>> points;
  double data_max = static_cast<double>(stats.latency.max_micros()) / 1000;
  for (double nines : kNines) {
    double percentile = 100 * (1 - std::pow(10.0, -nines));
    points.emplace_back(nines, stats.latency.PercentileMicros(percentile) / 1000);
  }
  Plot plot;
  plot.x_max = 5;
  plot.y_max = MaxWithTargets(data_max, slo);
  OpenSvg(out, plot, "percentile: 0, 90, 99, 99.9, 99.99, 99.999");
  for (int nines = 0; nines <= 5; ++nines) {
    out << absl::StrFormat(R"(<text x="%g" y="%g" text-anchor="middle" font-size="10">%s</text>)",
                           plot.X(nines), plot.Y(0) + 14,
                           nines == 0 ? "p0" : absl::StrFormat("p%g", 100 * (1 - std::pow(10.0, -nines))));
  }
  DrawSloLines(out, plot, slo);
  DrawPolyline(out, points, plot, "#d95f02", "latency by percentile");
  out << "</svg>\n";
}

void ErrorTable(std::ostream& out, const RunStats& stats) {
  out << "<h2>Errors</h2>\n";
  if (stats.errors() == 0) {
    out << "<p>No errors.</p>\n";
    return;
  }
  out << "<table><tr><th>kind</th><th>code</th><th>count</th><th></th></tr>\n";
  double total = static_cast<double>(stats.errors());
  auto row = [&](std::string_view kind, const std::string& name, std::uint64_t count) {
    out << absl::StrFormat(
        R"(<tr><td>%s</td><td>%s</td><td>%d</td><td><svg width="200" height="12"><rect width="%.1f" height="12" fill="#c00"/></svg></td></tr>)",
        kind, Escape(name), count, 200 * static_cast<double>(count) / total)
        << "\n";
  };
  for (const auto& [code, count] : stats.http_errors) row("HTTP", code, count);
  for (const auto& [kind, count] : stats.transport_errors) row("transport", kind, count);
  out << "</table>\n";
}

}  // namespace

std::string RenderHtml(const LoadReport& report) {
  std::ostringstream out;
  const RunStats& stats = report.stats;
  std::vector<SloLine> slo = SloLines(report);
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>modelgate load: "
      << Escape(report.contract_name) << "</title>\n"
      << "<style>body{font-family:sans-serif;margin:2em;max-width:60em}"
         "table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left}"
         ".fail{color:#c00}.pass{color:#080}pre{background:#f4f4f4;padding:1em}</style>\n"
      << "</head><body>\n<h1>modelgate load: " << Escape(report.contract_name) << "</h1>\n";
  std::ostringstream text;
  WriteText(report, text);
  out << "<pre>" << Escape(text.str()) << "</pre>\n";
  out << "<h2>Targets</h2>\n<table><tr><th></th><th>target</th><th>measured</th><th>contract key</th></tr>\n";
  for (const auto& check : report.checks) {
    out << absl::StrFormat(
        "<tr><td class=\"%s\">%s</td><td>%s %s %g %s</td><td>%.3f %s</td><td>%s</td></tr>\n",
        check.passed ? "pass" : "fail", check.passed ? "PASS" : "FAIL", Escape(check.name),
        check.at_most ? "&le;" : "&ge;", check.target, Escape(check.unit), check.measured,
        Escape(check.unit), Escape(check.key));
  }
  out << "</table>\n<h2>Latency over time</h2>\n"
      << "<p>p50 (green), p95 (orange) and p99 (purple) of the responses completed in each second; "
         "dashed red lines are the contract's SLO targets.</p>\n";
  LatencyOverTime(out, stats, slo);
  out << "<h2>Latency distribution</h2>\n";
  Distribution(out, stats, slo);
  ErrorTable(out, stats);
  out << "</body></html>\n";
  return out.str();
}

}  // namespace modelgate::load
