#include "tools/budget.h"

#include <absl/status/status.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>

#include "contract/loader.h"
#include "json/parse.h"
#include "json/writer.h"

namespace modelgate::tools {
namespace {

void AppendPiece(std::string& out, std::string_view piece) { out += piece; }

void AppendPiece(std::string& out, double value) {
  if (std::isfinite(value)) {
    json::AppendNumber(out, value);
  } else {
    out += std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
  }
}

// Joins text and numbers (shortest round-trip form) into one message.
template <typename... Pieces>
std::string Concat(const Pieces&... pieces) {
  std::string out;
  (AppendPiece(out, pieces), ...);
  return out;
}

// Budget resolution.

bool ParseDouble(std::string_view text, double& value) {
  const char* end = text.data() + text.size();
  auto result = std::from_chars(text.data(), end, value);
  return result.ec == std::errc() && result.ptr == end && std::isfinite(value);
}

absl::StatusOr<std::pair<std::string, double>> ParseComponentFlag(std::string_view text) {
  auto equals = text.rfind('=');
  if (equals == std::string_view::npos || equals == 0) {
    return absl::InvalidArgumentError(
        Concat("--component \"", text, "\": expected NAME=MS, such as model=45"));
  }
  double value = 0;
  std::string_view number = text.substr(equals + 1);
  if (!ParseDouble(number, value)) {
    return absl::InvalidArgumentError(Concat("--component \"", text, "\": \"", number,
                                             "\" is not a finite number of milliseconds"));
  }
  return std::make_pair(std::string(text.substr(0, equals)), value);
}

absl::Status SetComponentFlags(const std::vector<std::string>& flags, BudgetSpec& spec) {
  for (const auto& flag : flags) {
    auto parsed = ParseComponentFlag(flag);
    if (!parsed.ok()) return parsed.status();
    auto& components = spec.components_ms;
    auto found = std::find_if(components.begin(), components.end(),
                              [&](const auto& entry) { return entry.first == parsed->first; });
    if (found == components.end()) {
      components.push_back(*std::move(parsed));
    } else {
      found->second = parsed->second;
    }
  }
  return absl::OkStatus();
}

void SetFromContract(const contract::Contract& contract, BudgetSpec& spec) {
  const auto& budget = contract.budget;
  const auto& p95 = contract.constraints.latency.p95;
  if (budget.slo_ms) {
    spec.slo_ms = *budget.slo_ms;
    spec.slo_source = "budget.slo_ms";
  } else if (p95.overall_ms) {
    spec.slo_ms = *p95.overall_ms;
    spec.slo_source = "constraints.latency_ms.p95";
  }
  spec.margin_pct = budget.margin_pct;
  spec.components_ms = budget.components_ms;
}

absl::Status CheckSpec(const BudgetSpec& spec, std::string_view margin_source) {
  if (spec.slo_source.empty()) {
    return absl::InvalidArgumentError(
        "no end-to-end p95 objective: set budget.slo_ms or an overall "
        "constraints.latency_ms.p95 in the contract, or pass --slo-ms");
  }
  if (!std::isfinite(spec.slo_ms) || spec.slo_ms <= 0) {
    return absl::InvalidArgumentError(Concat(spec.slo_source, " is ", spec.slo_ms,
                                             "; the objective must be a positive number of ms"));
  }
  if (!std::isfinite(spec.margin_pct) || spec.margin_pct < 0 || spec.margin_pct >= 100) {
    return absl::InvalidArgumentError(
        Concat(margin_source, " is ", spec.margin_pct, "; the margin must be in [0, 100) percent"));
  }
  if (spec.components_ms.empty()) {
    return absl::InvalidArgumentError(
        "no components: list them in budget.components or pass --component NAME=MS");
  }
  for (const auto& [name, target_ms] : spec.components_ms) {
    if (!std::isfinite(target_ms) || target_ms < 0) {
      return absl::InvalidArgumentError(
          Concat("component ", name, " has a target of ", target_ms, " ms; it must be at least 0"));
    }
  }
  return absl::OkStatus();
}

// Cuts.

void SuggestCuts(const BudgetSpec& spec, BudgetCheck& check) {
  double overrun = -check.headroom_ms;
  for (const auto& [name, target_ms] : spec.components_ms) {
    double cut = target_ms * overrun / check.total_ms;
    check.proportional_cuts.push_back({name, cut, target_ms - cut});
  }
  auto largest = std::max_element(
      spec.components_ms.begin(), spec.components_ms.end(),
      [](const auto& left, const auto& right) { return left.second < right.second; });
  check.largest_cut_suffices = overrun <= largest->second;
  double cut = std::min(overrun, largest->second);
  check.largest_cut = Cut{largest->first, cut, largest->second - cut};
}

// Measurements.

absl::StatusOr<std::vector<MeasuredComponent>> ParseMeasuredJson(const std::string& text) {
  json::StrictParser parser;
  json::ParseError error;
  simdjson::dom::element root;
  if (!parser.Parse(text, root, error)) {
    return absl::InvalidArgumentError("the measurements are not valid JSON: " + error.message);
  }
  simdjson::dom::object components;
  if (root["components"].get_object().get(components) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        "expected {\"components\": {\"NAME\": [milliseconds, ...], ...}}");
  }
  std::vector<MeasuredComponent> measured;
  for (auto member : components) {
    MeasuredComponent component{std::string(member.key), {}, {}};
    std::string pointer = "/components/" + json::EscapePointerToken(member.key);
    simdjson::dom::array samples;
    if (member.value.get_array().get(samples) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(pointer + ": expected an array of milliseconds");
    }
    if (samples.size() == 0) return absl::InvalidArgumentError(pointer + ": no samples");
    for (auto sample : samples) {
      // get_double also converts integer samples.
      double value = 0;
      if (!sample.is_number() || sample.get_double().get(value) != simdjson::SUCCESS) {
        return absl::InvalidArgumentError(pointer + ": every sample must be a number");
      }
      if (value < 0) {
        return absl::InvalidArgumentError(
            Concat(pointer, ": sample ", value, " is negative; latencies are at least 0"));
      }
      component.samples_ms.push_back(value);
    }
    measured.push_back(std::move(component));
  }
  return measured;
}

// One `name{labels} value` line of the Prometheus text format.
struct ExpositionLine {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses `key="value",...` up to the closing brace; returns the position after it, or npos.
std::size_t ParseLabels(std::string_view line, std::size_t position,
                        std::map<std::string, std::string>& labels) {
  while (position < line.size()) {
    while (position < line.size() && (line[position] == ',' || line[position] == ' ')) ++position;
    if (position < line.size() && line[position] == '}') return position + 1;
    auto equals = line.find('=', position);
    if (equals == std::string_view::npos || equals + 1 >= line.size() || line[equals + 1] != '"') {
      return std::string_view::npos;
    }
    std::string key(line.substr(position, equals - position));
    std::string value;
    position = equals + 2;
    for (; position < line.size() && line[position] != '"'; ++position) {
      char c = line[position];
      if (c == '\\' && position + 1 < line.size()) {
        c = line[++position];
        if (c == 'n') c = '\n';
      }
      value += c;
    }
    if (position >= line.size()) return std::string_view::npos;
    labels[key] = value;
    ++position;
  }
  return std::string_view::npos;
}

bool ParseExpositionValue(std::string_view text, double& value) {
  if (text == "+Inf" || text == "Inf") {
    value = std::numeric_limits<double>::infinity();
    return true;
  }
  const char* end = text.data() + text.size();
  auto result = std::from_chars(text.data(), end, value);
  return result.ec == std::errc() && result.ptr == end;
}

absl::StatusOr<ExpositionLine> ParseExpositionLine(std::string_view line) {
  ExpositionLine parsed;
  std::size_t position = line.find_first_of("{ \t");
  parsed.name = std::string(line.substr(0, position));
  if (position != std::string_view::npos && line[position] == '{') {
    position = ParseLabels(line, position + 1, parsed.labels);
    if (position == std::string_view::npos) {
      return absl::InvalidArgumentError("malformed labels in \"" + std::string(line) + "\"");
    }
  }
  std::string_view rest = position == std::string_view::npos ? "" : line.substr(position);
  auto begin = rest.find_first_not_of(" \t");
  rest = begin == std::string_view::npos ? "" : rest.substr(begin);
  rest = rest.substr(0, rest.find_first_of(" \t"));  // drops an optional timestamp
  if (!ParseExpositionValue(rest, parsed.value)) {
    return absl::InvalidArgumentError("no sample value in \"" + std::string(line) + "\"");
  }
  return parsed;
}

// Milliseconds per unit of a histogram, from its name; 0 when the name gives no unit.
double MillisecondsPerUnit(std::string_view name) {
  if (name.ends_with("_seconds_bucket")) return 1000;
  if (name.ends_with("_milliseconds_bucket") || name.ends_with("_ms_bucket")) return 1;
  return 0;
}

absl::Status CheckCumulative(const MeasuredComponent& component) {
  double previous = 0;
  for (const auto& bucket : component.buckets) {
    if (bucket.cumulative_count < previous) {
      return absl::InvalidArgumentError(Concat("component ", component.name,
                                               ": the count falls at le=", bucket.upper_ms,
                                               " ms; bucket counts must be cumulative"));
    }
    previous = bucket.cumulative_count;
  }
  if (previous <= 0) {
    return absl::InvalidArgumentError("component " + component.name + " has no observations");
  }
  if (std::isinf(component.buckets.front().upper_ms)) {
    return absl::InvalidArgumentError("component " + component.name +
                                      " has only the +Inf bucket, which bounds no latency");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<MeasuredComponent>> ParseMeasuredPrometheus(std::string_view text) {
  std::vector<std::string> order;  // components in first-seen order
  std::map<std::string, std::map<double, double>> counts;
  int line_number = 0;
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? "" : text.substr(newline + 1);
    ++line_number;
    auto begin = line.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos || line[begin] == '#') continue;
    line = line.substr(begin, line.find_last_not_of(" \t\r") - begin + 1);
    auto parsed = ParseExpositionLine(line);
    std::string where = Concat("line ", line_number, ": ");
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(where + std::string(parsed.status().message()));
    }
    if (!parsed->name.ends_with("_bucket")) continue;
    double scale = MillisecondsPerUnit(parsed->name);
    auto component = parsed->labels.find("component");
    auto le = parsed->labels.find("le");
    double upper = 0;
    if (scale == 0) {
      return absl::InvalidArgumentError(where + parsed->name +
                                        " has no unit: name it *_seconds_bucket or "
                                        "*_milliseconds_bucket");
    }
    if (component == parsed->labels.end() || le == parsed->labels.end() ||
        !ParseExpositionValue(le->second, upper)) {
      return absl::InvalidArgumentError(where +
                                        "a bucket needs a component label and a numeric le");
    }
    if (!std::isfinite(parsed->value) || parsed->value < 0) {
      return absl::InvalidArgumentError(where + "a bucket count must be a finite number >= 0");
    }
    if (!counts.contains(component->second)) order.push_back(component->second);
    counts[component->second][upper * scale] += parsed->value;
  }
  if (order.empty()) {
    return absl::InvalidArgumentError("no *_bucket series with a component label");
  }
  std::vector<MeasuredComponent> measured;
  for (const auto& name : order) {
    MeasuredComponent component{name, {}, {}};
    for (const auto& [upper_ms, count] : counts[name])
      component.buckets.push_back({upper_ms, count});
    if (auto status = CheckCumulative(component); !status.ok()) return status;
    measured.push_back(std::move(component));
  }
  return measured;
}

// Discretised distributions: masses[i] is the probability that the latency is i * width ms.
using Masses = std::vector<double>;

constexpr double kMinBinWidthMs = 0.1;
constexpr double kMaxBins = 20000;

double LargestValue(const MeasuredComponent& component) {
  if (!component.samples_ms.empty()) {
    return *std::max_element(component.samples_ms.begin(), component.samples_ms.end());
  }
  double largest = 0;
  for (const auto& bucket : component.buckets) {
    if (std::isfinite(bucket.upper_ms)) largest = bucket.upper_ms;
  }
  return largest;
}

std::size_t BinOf(double ms, double width) {
  return static_cast<std::size_t>(std::llround(std::max(ms, 0.0) / width));
}

Masses BinSamples(const std::vector<double>& samples, double width) {
  Masses masses(BinOf(*std::max_element(samples.begin(), samples.end()), width) + 1, 0.0);
  for (double sample : samples) masses[BinOf(sample, width)] += 1.0 / samples.size();
  return masses;
}

// Spreads each bucket's observations evenly over the bins inside (lower, upper]. Observations
// above the last finite bound go to that bound, with a warning.
Masses BinHistogram(const MeasuredComponent& component, double width,
                    std::vector<std::string>& warnings) {
  double last_finite = LargestValue(component);
  double total = component.buckets.back().cumulative_count;
  Masses masses(BinOf(last_finite, width) + 1, 0.0);
  double lower = 0;
  double below = 0;
  for (const auto& bucket : component.buckets) {
    double mass = (bucket.cumulative_count - below) / total;
    below = bucket.cumulative_count;
    if (mass <= 0) continue;
    if (std::isinf(bucket.upper_ms)) {
      masses.back() += mass;
      warnings.push_back(Concat(component.name, ": ", mass * 100,
                                "% of observations are above the last finite bucket bound (",
                                last_finite, " ms) and count as that bound, so every ",
                                "figure that includes it may be low"));
      continue;
    }
    std::size_t first = static_cast<std::size_t>(std::floor(lower / width)) + 1;
    std::size_t last = static_cast<std::size_t>(std::floor(bucket.upper_ms / width));
    if (first > last) first = last = BinOf(bucket.upper_ms, width);
    for (std::size_t bin = first; bin <= last; ++bin) masses[bin] += mass / (last - first + 1);
    lower = bucket.upper_ms;
  }
  return masses;
}

Masses Convolve(const Masses& left, const Masses& right) {
  Masses sum(left.size() + right.size() - 1, 0.0);
  for (std::size_t i = 0; i < left.size(); ++i) {
    if (left[i] == 0) continue;
    for (std::size_t j = 0; j < right.size(); ++j) sum[i + j] += left[i] * right[j];
  }
  return sum;
}

// The smallest bin value whose cumulative probability reaches `level`.
double Quantile(const Masses& masses, double level, double width) {
  constexpr double kRoundingSlack = 1e-9;  // floating-point sums of many masses can fall just short
  double cumulative = 0;
  for (std::size_t i = 0; i < masses.size(); ++i) {
    cumulative += masses[i];
    if (cumulative >= level - kRoundingSlack) return static_cast<double>(i) * width;
  }
  return static_cast<double>(masses.size() - 1) * width;
}

double Observations(const MeasuredComponent& component) {
  return component.samples_ms.empty() ? component.buckets.back().cumulative_count
                                      : static_cast<double>(component.samples_ms.size());
}

std::optional<double> TargetOf(const BudgetSpec& spec, std::string_view name) {
  for (const auto& [component, target_ms] : spec.components_ms) {
    if (component == name) return target_ms;
  }
  return std::nullopt;
}

double Round3(double value) { return std::round(value * 1000) / 1000; }

}  // namespace

absl::StatusOr<BudgetSpec> ResolveBudget(const contract::Contract* contract,
                                         const BudgetFlags& flags) {
  BudgetSpec spec;
  std::string margin_source = "budget.margin_pct";
  if (contract != nullptr) SetFromContract(*contract, spec);
  if (flags.slo_ms) {
    spec.slo_ms = *flags.slo_ms;
    spec.slo_source = "--slo-ms";
  }
  if (flags.margin_pct) {
    spec.margin_pct = *flags.margin_pct;
    margin_source = "--margin-pct";
  }
  if (auto status = SetComponentFlags(flags.components, spec); !status.ok()) return status;
  if (auto status = CheckSpec(spec, margin_source); !status.ok()) return status;
  return spec;
}

BudgetCheck CheckBudget(const BudgetSpec& spec) {
  BudgetCheck check;
  check.margin_ms = spec.slo_ms * spec.margin_pct / 100;
  check.available_ms = spec.slo_ms - check.margin_ms;
  for (const auto& [name, target_ms] : spec.components_ms) check.total_ms += target_ms;
  check.headroom_ms = check.available_ms - check.total_ms;
  for (const auto& [name, target_ms] : spec.components_ms) {
    double of_total = check.total_ms > 0 ? target_ms / check.total_ms * 100 : 0;
    check.shares.push_back({name, target_ms, of_total, target_ms / check.available_ms * 100});
  }
  if (!check.within()) SuggestCuts(spec, check);
  return check;
}

absl::StatusOr<std::vector<MeasuredComponent>> ParseMeasured(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r\n");
  if (begin != std::string_view::npos && text[begin] == '{') {
    return ParseMeasuredJson(std::string(text));
  }
  return ParseMeasuredPrometheus(text);
}

absl::StatusOr<MeasuredEstimate> EstimateMeasured(const std::vector<MeasuredComponent>& measured,
                                                  const BudgetSpec& spec) {
  if (measured.empty()) return absl::InvalidArgumentError("the measurements contain no components");
  MeasuredEstimate estimate;
  double largest_sum = 0;
  for (const auto& component : measured) {
    if (component.samples_ms.empty() && component.buckets.empty()) {
      return absl::InvalidArgumentError("component " + component.name + " has no observations");
    }
    largest_sum += LargestValue(component);
  }
  estimate.bin_width_ms = std::max(kMinBinWidthMs, largest_sum / kMaxBins);
  double width = estimate.bin_width_ms;

  double constant_ms = 0;  // budget components without measurements, at their targets
  for (const auto& [name, target_ms] : spec.components_ms) {
    bool found = std::any_of(measured.begin(), measured.end(),
                             [&](const MeasuredComponent& m) { return m.name == name; });
    if (found) continue;
    estimate.unmeasured.push_back(name);
    constant_ms += target_ms;
  }
  std::size_t count = measured.size() + estimate.unmeasured.size();
  double union_level = 1 - 0.05 / static_cast<double>(count);

  Masses total{1.0};
  estimate.sum_of_p95_ms = constant_ms;
  estimate.union_bound_ms = constant_ms;
  for (const auto& component : measured) {
    Masses masses = component.samples_ms.empty() ? BinHistogram(component, width, estimate.warnings)
                                                 : BinSamples(component.samples_ms, width);
    auto target = TargetOf(spec, component.name);
    if (!target) {
      estimate.warnings.push_back(component.name +
                                  " is measured but not in the budget; the estimate includes it");
    }
    double p95 = Quantile(masses, 0.95, width);
    estimate.components.push_back({component.name, Observations(component), p95, target});
    estimate.sum_of_p95_ms += p95;
    estimate.union_bound_ms += Quantile(masses, union_level, width);
    total = Convolve(total, masses);
  }
  estimate.convolved_p95_ms = Quantile(total, 0.95, width) + constant_ms;
  return estimate;
}

bool BudgetReport::within() const {
  if (!check.within()) return false;
  return !measured || measured->convolved_p95_ms <= check.available_ms;
}

// Rendering.

namespace {

constexpr std::string_view kSumNote =
    "Adding p95 targets is usually conservative: the sum equals the end-to-end p95 when the "
    "components are slow on the same requests, and usually exceeds it when they are "
    "independent. It is not a guaranteed bound: components that are rarely but much slower than "
    "their own p95 can push the end-to-end p95 above the sum (two independent components that "
    "take 100 ms on 4% of requests and 0 ms otherwise each have a p95 of 0 ms, but their sum has "
    "a p95 of 100 ms). With --measured, the report adds a union bound that holds for any "
    "dependence.";

std::string Ms(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", Round3(value));  // rounds half away from zero
  std::string out = text;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  if (out == "-0") out = "0";
  return out + " ms";
}

std::string Percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", value);
  return text;
}

std::string Padded(std::string text, std::size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text;
}

std::string LeftPadded(const std::string& text, std::size_t width) {
  return text.size() < width ? std::string(width - text.size(), ' ') + text : text;
}

void RenderShares(const BudgetReport& report, std::string& out) {
  std::size_t width = 9;
  for (const auto& share : report.check.shares) width = std::max(width, share.name.size() + 2);
  out += "  " + Padded("component", width) + "  p95 target  of total  of available\n";
  for (const auto& share : report.check.shares) {
    out += "  " + Padded(share.name, width) + LeftPadded(Ms(share.target_ms), 12) +
           LeftPadded(Percent(share.share_of_total_pct), 10) +
           LeftPadded(Percent(share.share_of_available_pct), 14) + "\n";
  }
  out += "  " + Padded("total", width) + LeftPadded(Ms(report.check.total_ms), 12) + "\n\n";
}

void RenderCuts(const BudgetCheck& check, std::string& out) {
  double overrun = -check.headroom_ms;
  out += "Targets over budget by " + Ms(overrun) + ": the components need " + Ms(check.total_ms) +
         " and " + Ms(check.available_ms) + " is available.\n";
  out += "Proportional cut (every target lowered by " + Percent(overrun / check.total_ms * 100) +
         "):\n";
  for (const auto& cut : check.proportional_cuts) {
    out += "  " + cut.name + ": " + Ms(cut.target_ms + cut.cut_ms) + " -> " + Ms(cut.target_ms) +
           " (cut " + Ms(cut.cut_ms) + ")\n";
  }
  const Cut& largest = *check.largest_cut;
  if (check.largest_cut_suffices) {
    out += "Largest component alone: " + largest.name + ": " +
           Ms(largest.target_ms + largest.cut_ms) + " -> " + Ms(largest.target_ms) + " (cut " +
           Ms(largest.cut_ms) + ")\n";
  } else {
    out += "Largest component alone: cutting " + largest.name + " cannot fit the budget, " +
           "because the overrun is larger than its whole target of " + Ms(largest.cut_ms) + "\n";
  }
}

void RenderMeasuredText(const MeasuredEstimate& estimate, double available_ms, std::string& out) {
  out += "\nMeasured latencies (bins of " + Ms(estimate.bin_width_ms) +
         "; the convolution assumes the components are independent):\n";
  for (const auto& component : estimate.components) {
    out += "  " + component.name + ": p95 " + Ms(component.p95_ms) + " over " +
           Concat(component.observations) + " observations";
    if (component.target_ms) {
      out += ", target " + Ms(*component.target_ms);
      if (component.p95_ms > *component.target_ms) out += " (over its target)";
    }
    out += "\n";
  }
  if (!estimate.unmeasured.empty()) {
    std::string names;
    for (const auto& name : estimate.unmeasured) names += (names.empty() ? "" : ", ") + name;
    out += "  Not measured, counted at their targets: " + names + "\n";
  }
  constexpr std::size_t kLabelWidth = 42;
  out += Padded("  Sum of the p95s:", kLabelWidth) + Ms(estimate.sum_of_p95_ms) + "\n";
  out += Padded("  End-to-end p95 estimate (convolution):", kLabelWidth) +
         Ms(estimate.convolved_p95_ms) +
         (estimate.convolved_p95_ms <= available_ms ? ", within " : ", over ") + Ms(available_ms) +
         "\n";
  out += Padded("  Union bound on the end-to-end p95:", kLabelWidth) + Ms(estimate.union_bound_ms) +
         "\n";
  for (const auto& warning : estimate.warnings) out += "  warning: " + warning + "\n";
}

std::string RenderText(const BudgetReport& report) {
  const auto& spec = report.spec;
  const auto& check = report.check;
  std::string out = "Latency budget";
  if (!report.contract_name.empty()) out += " of " + report.contract_name;
  out += "\n  End-to-end p95 objective: " + Ms(spec.slo_ms) + " (from " + spec.slo_source + ")\n";
  out += "  Margin: " + Percent(spec.margin_pct) + " = " + Ms(check.margin_ms) + "\n";
  out += "  Available to the components: " + Ms(check.available_ms) + "\n\n";
  RenderShares(report, out);
  if (check.within()) {
    out += "Targets within budget: " + Ms(check.headroom_ms) + " of headroom (" +
           Percent(check.headroom_ms / check.available_ms * 100) + " of the available " +
           Ms(check.available_ms) + ").\n";
  } else {
    RenderCuts(check, out);
  }
  if (report.measured) RenderMeasuredText(*report.measured, check.available_ms, out);
  out += report.within() ? "\nVerdict: within budget.\n" : "\nVerdict: over budget.\n";
  out += "\nNote: " + std::string(kSumNote) + "\n";
  return out;
}

void WriteCut(json::Writer& writer, const Cut& cut) {
  writer.BeginObject();
  writer.Member("name", cut.name);
  writer.Member("cut_ms", Round3(cut.cut_ms));
  writer.Member("target_ms", Round3(cut.target_ms));
  writer.EndObject();
}

void WriteCheckJson(json::Writer& writer, const BudgetCheck& check) {
  writer.Key("components");
  writer.BeginArray();
  for (const auto& share : check.shares) {
    writer.BeginObject();
    writer.Member("name", share.name);
    writer.Member("p95_target_ms", Round3(share.target_ms));
    writer.Member("share_of_total_pct", Round3(share.share_of_total_pct));
    writer.Member("share_of_available_pct", Round3(share.share_of_available_pct));
    writer.EndObject();
  }
  writer.EndArray();
  writer.Member("total_ms", Round3(check.total_ms));
  writer.Member("headroom_ms", Round3(check.headroom_ms));
  writer.Member("targets_within_budget", check.within());
  if (check.within()) return;
  writer.Key("proportional_cuts");
  writer.BeginArray();
  for (const auto& cut : check.proportional_cuts) WriteCut(writer, cut);
  writer.EndArray();
  writer.Key("largest_cut");
  WriteCut(writer, *check.largest_cut);
  writer.Member("largest_cut_suffices", check.largest_cut_suffices);
}

void WriteMeasuredJson(json::Writer& writer, const MeasuredEstimate& estimate,
                       double available_ms) {
  writer.BeginObject();
  writer.Member("method", "convolution of independent components");
  writer.Member("bin_width_ms", Round3(estimate.bin_width_ms));
  writer.Key("components");
  writer.BeginArray();
  for (const auto& component : estimate.components) {
    writer.BeginObject();
    writer.Member("name", component.name);
    writer.Member("observations", component.observations);
    writer.Member("p95_ms", Round3(component.p95_ms));
    if (component.target_ms) writer.Member("p95_target_ms", Round3(*component.target_ms));
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("unmeasured");
  writer.BeginArray();
  for (const auto& name : estimate.unmeasured) writer.String(name);
  writer.EndArray();
  writer.Member("sum_of_p95_ms", Round3(estimate.sum_of_p95_ms));
  writer.Member("convolved_p95_ms", Round3(estimate.convolved_p95_ms));
  writer.Member("union_bound_ms", Round3(estimate.union_bound_ms));
  writer.Member("within_budget", estimate.convolved_p95_ms <= available_ms);
  writer.Key("warnings");
  writer.BeginArray();
  for (const auto& warning : estimate.warnings) writer.String(warning);
  writer.EndArray();
  writer.EndObject();
}

std::string RenderJson(const BudgetReport& report) {
  std::string out;
  json::Writer writer(out);
  writer.BeginObject();
  if (!report.contract_name.empty()) writer.Member("contract", report.contract_name);
  writer.Member("slo_ms", Round3(report.spec.slo_ms));
  writer.Member("slo_source", report.spec.slo_source);
  writer.Member("margin_pct", Round3(report.spec.margin_pct));
  writer.Member("margin_ms", Round3(report.check.margin_ms));
  writer.Member("available_ms", Round3(report.check.available_ms));
  WriteCheckJson(writer, report.check);
  if (report.measured) {
    writer.Key("measured");
    WriteMeasuredJson(writer, *report.measured, report.check.available_ms);
  }
  writer.Member("within_budget", report.within());
  writer.Member("note", kSumNote);
  writer.EndObject();
  out += '\n';
  return out;
}

bool ReadFile(const std::string& path, std::string& text) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return !file.bad();
}

absl::StatusOr<BudgetReport> BuildReport(const BudgetOptions& options) {
  BudgetReport report;
  std::optional<contract::Contract> contract;
  if (!options.contract_path.empty()) {
    auto loaded = contract::LoadContract(options.contract_path);
    if (!loaded.ok()) return loaded.status();
    contract = *std::move(loaded);
    report.contract_name = contract->name;
  }
  auto spec = ResolveBudget(contract ? &*contract : nullptr, options.flags);
  if (!spec.ok()) return spec.status();
  report.spec = *std::move(spec);
  report.check = CheckBudget(report.spec);
  if (options.measured_path.empty()) return report;

  std::string text;
  if (!ReadFile(options.measured_path, text)) {
    return absl::NotFoundError("failed to read " + options.measured_path);
  }
  auto measured = ParseMeasured(text);
  if (!measured.ok()) {
    return absl::InvalidArgumentError(options.measured_path + ": " +
                                      std::string(measured.status().message()));
  }
  auto estimate = EstimateMeasured(*measured, report.spec);
  if (!estimate.ok()) {
    return absl::InvalidArgumentError(options.measured_path + ": " +
                                      std::string(estimate.status().message()));
  }
  report.measured = *std::move(estimate);
  return report;
}

}  // namespace

std::string RenderBudget(const BudgetReport& report, BudgetFormat format) {
  return format == BudgetFormat::kJson ? RenderJson(report) : RenderText(report);
}

int RunBudget(const BudgetOptions& options, std::ostream& out, std::ostream& err) {
  auto report = BuildReport(options);
  if (!report.ok()) {
    err << "modelgate budget: " << report.status().message() << "\n";
    return kBudgetUnusableInput;
  }
  out << RenderBudget(*report, options.format);
  return report->within() ? kBudgetWithin : kBudgetOver;
}

}  // namespace modelgate::tools
