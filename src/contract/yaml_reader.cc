#include "contract/yaml_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "json/writer.h"

namespace modelgate::contract {

namespace {

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Scalar: return "\"" + node.Scalar() + "\"";
    default: return "nothing";
  }
}

bool IsPlain(const YAML::Node& node) { return node.Tag() != "!"; }

std::optional<double> ParseDouble(std::string_view text) {
  double value = 0;
  auto begin = text.data();
  auto end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto result = std::from_chars(begin, end, value);
  if (result.ec != std::errc() || result.ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

SourceLocation Diagnostics::Locate(const YAML::Node& node) const {
  auto mark = node.Mark();
  return {file_, mark.line + 1, mark.column + 1};
}

void Diagnostics::Add(const YAML::Mark& mark, std::string_view path, std::string_view message) {
  std::ostringstream line;
  line << file_ << ':' << (mark.line + 1) << ':' << (mark.column + 1) << ": ";
  if (!path.empty()) line << path << ": ";
  line << message;
  lines_.push_back(line.str());
}

void Diagnostics::Add(const YAML::Node& node, std::string_view path, std::string_view message) {
  Add(node.Mark(), path, message);
}

std::string Diagnostics::Format() const {
  std::string text;
  for (const auto& line : lines_) text += line + "\n";
  return text;
}

std::string JoinPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

MapReader::MapReader(const YAML::Node& node, std::string path, Diagnostics& diagnostics)
    : node_(node), path_(std::move(path)), diagnostics_(diagnostics) {
  if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap()) {
    diagnostics_.Add(node_, path_, "expected a mapping of keys to values, got " + Describe(node_));
    valid_ = false;
    return;
  }
  // yaml-cpp keeps every duplicate key and lookups find the first, so a repeated key would be
  // silently ignored; YAML 1.2 requires keys to be unique.
  std::vector<std::string_view> seen;
  for (auto entry : node_) {
    if (!entry.first.IsScalar()) continue;
    const std::string& key = entry.first.Scalar();
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      diagnostics_.Add(entry.first, JoinPath(path_, key),
                       "key \"" + key + "\" appears twice in this mapping; keep one");
    }
    seen.push_back(key);
  }
}

YAML::Node MapReader::Get(std::initializer_list<std::string_view> names) {
  for (auto name : names) known_.emplace_back(name);
  if (!valid_ || !node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (auto name : names) {
    for (auto entry : node_) {
      if (entry.first.Scalar() == name) return entry.second;
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string MapReader::PathOf(std::initializer_list<std::string_view> names) const {
  if (node_.IsMap()) {
    for (auto name : names) {
      for (auto entry : node_) {
        if (entry.first.Scalar() == name) return JoinPath(path_, name);
      }
    }
  }
  return JoinPath(path_, *names.begin());
}

std::optional<std::string> MapReader::String(std::initializer_list<std::string_view> names) {
  auto node = Get(names);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  return ReadString(node, PathOf(names), diagnostics_);
}

std::optional<double> MapReader::Number(std::initializer_list<std::string_view> names) {
  auto node = Get(names);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  return ReadNumber(node, PathOf(names), diagnostics_);
}

std::optional<std::int64_t> MapReader::Integer(std::initializer_list<std::string_view> names) {
  auto value = Number(names);
  if (!value) return std::nullopt;
  if (std::floor(*value) != *value || std::fabs(*value) > 9.0e15) {
    diagnostics_.Add(Get(names), PathOf(names), "expected a whole number, got " +
                                                    Describe(Get(names)));
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*value);
}

std::optional<std::size_t> MapReader::Count(std::initializer_list<std::string_view> names) {
  auto value = Integer(names);
  if (!value) return std::nullopt;
  if (*value < 0) {
    diagnostics_.Add(Get(names), PathOf(names), "expected a count of 0 or more, got " +
                                                    std::to_string(*value));
    return std::nullopt;
  }
  return static_cast<std::size_t>(*value);
}

std::optional<bool> MapReader::Bool(std::initializer_list<std::string_view> names) {
  auto node = Get(names);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  return ReadBool(node, PathOf(names), diagnostics_);
}

std::optional<std::chrono::milliseconds> MapReader::Duration(
    std::initializer_list<std::string_view> names, std::chrono::milliseconds unit) {
  auto node = Get(names);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  return ReadDuration(node, PathOf(names), unit, diagnostics_);
}

std::vector<std::string> MapReader::StringList(std::initializer_list<std::string_view> names) {
  auto node = Get(names);
  std::vector<std::string> values;
  if (!node.IsDefined() || node.IsNull()) return values;
  auto path = PathOf(names);
  if (node.IsScalar()) {
    values.push_back(node.Scalar());
    return values;
  }
  if (!node.IsSequence()) {
    diagnostics_.Add(node, path, "expected a list of strings, got " + Describe(node));
    return values;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    auto item = ReadString(node[i], path + "[" + std::to_string(i) + "]", diagnostics_);
    if (item) values.push_back(*item);
  }
  return values;
}

void MapReader::Finish() {
  if (!valid_ || !node_.IsMap()) return;
  for (auto entry : node_) {
    const std::string& key = entry.first.Scalar();
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string message = "unknown key \"" + key + "\"";
    std::string nearest = NearestKey(key, known_);
    if (!nearest.empty()) message += "; did you mean \"" + nearest + "\"?";
    std::vector<std::string> sorted = known_;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    message += " Allowed here: ";
    for (std::size_t i = 0; i < sorted.size(); ++i) message += (i ? ", " : "") + sorted[i];
    diagnostics_.Add(entry.first, JoinPath(path_, key), message);
  }
}

std::optional<double> ReadNumber(const YAML::Node& node, std::string_view path, Diagnostics& d) {
  if (node.IsScalar() && IsPlain(node)) {
    if (auto value = ParseDouble(node.Scalar())) return value;
  }
  d.Add(node, path, "expected a finite number, got " + Describe(node));
  return std::nullopt;
}

std::optional<bool> ReadBool(const YAML::Node& node, std::string_view path, Diagnostics& d) {
  if (node.IsScalar() && IsPlain(node)) {
    std::string text = Lower(node.Scalar());
    if (text == "true" || text == "yes" || text == "on") return true;
    if (text == "false" || text == "no" || text == "off") return false;
  }
  d.Add(node, path, "expected true or false, got " + Describe(node));
  return std::nullopt;
}

std::optional<std::string> ReadString(const YAML::Node& node, std::string_view path,
                                      Diagnostics& d) {
  if (node.IsScalar()) return node.Scalar();
  d.Add(node, path, "expected a string, got " + Describe(node));
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> ParseDurationText(std::string_view text,
                                                           std::chrono::milliseconds unit) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t start = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  auto number = ParseDouble(text.substr(start, i - start));
  if (!number || *number < 0) return std::nullopt;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t unit_start = i;
  while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
  std::string word = Lower(text.substr(unit_start, i - unit_start));
  double ms_per_unit = 0;
  if (word.empty()) {
    ms_per_unit = static_cast<double>(unit.count());
  } else if (word == "ms" || word == "millisecond" || word == "milliseconds") {
    ms_per_unit = 1;
  } else if (word == "s" || word == "sec" || word == "secs" || word == "second" ||
             word == "seconds") {
    ms_per_unit = 1e3;
  } else if (word == "m" || word == "min" || word == "mins" || word == "minute" ||
             word == "minutes") {
    ms_per_unit = 60e3;
  } else if (word == "h" || word == "hr" || word == "hrs" || word == "hour" || word == "hours") {
    ms_per_unit = 3600e3;
  } else if (word == "d" || word == "day" || word == "days") {
    ms_per_unit = 86400e3;
  } else if (word == "w" || word == "week" || word == "weeks") {
    ms_per_unit = 7 * 86400e3;
  } else {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(*number * ms_per_unit)));
}

std::optional<std::chrono::milliseconds> ReadDuration(const YAML::Node& node,
                                                      std::string_view path,
                                                      std::chrono::milliseconds unit,
                                                      Diagnostics& d) {
  if (node.IsScalar()) {
    auto value = ParseDurationText(node.Scalar(), unit);
    // Trailing words ("60s burst") are allowed only after a recognised duration.
    if (value) return value;
  }
  d.Add(node, path,
        "expected a duration: a number (in " + std::to_string(unit.count()) +
            " ms units) or text such as \"120ms\", \"60s\", \"10 minutes\", \"24h\", \"90d\"; "
            "got " + Describe(node));
  return std::nullopt;
}

std::optional<std::uint64_t> ReadByteSize(const YAML::Node& node, std::string_view path,
                                          Diagnostics& d) {
  if (node.IsScalar()) {
    std::string text = Lower(node.Scalar());
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
      ++i;
    auto number = ParseDouble(std::string_view(text).substr(0, i));
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string word = text.substr(unit_start, i - unit_start);
    double scale = 0;
    if (word.empty() || word == "b" || word == "bytes") scale = 1;
    if (word == "kb") scale = 1e3;
    if (word == "kib") scale = 1024.0;
    if (word == "mb") scale = 1e6;
    if (word == "mib") scale = 1024.0 * 1024;
    if (word == "gb") scale = 1e9;
    if (word == "gib") scale = 1024.0 * 1024 * 1024;
    if (number && *number >= 0 && scale > 0) {
      return static_cast<std::uint64_t>(std::llround(*number * scale));
    }
  }
  d.Add(node, path,
        "expected a size: bytes, or text such as \"512MB\", \"2GB\", \"1GiB\"; got " +
            Describe(node));
  return std::nullopt;
}

Scalar YamlToScalar(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return nullptr;
  const std::string& text = node.Scalar();
  if (!IsPlain(node)) return text;
  if (text == "true") return true;
  if (text == "false") return false;
  if (text == "null" || text == "~") return nullptr;
  std::int64_t integer = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), integer);
  if (result.ec == std::errc() && result.ptr == text.data() + text.size()) return integer;
  if (auto number = ParseDouble(text)) return *number;
  return text;
}

namespace {

// YAML aliases let a few bytes name an exponentially large value ("billion laughs"), so the
// conversion stops after this many nodes, far more than any real example or default holds.
constexpr std::size_t kMaxJsonNodes = 100'000;

std::string YamlToJsonBounded(const YAML::Node& node, std::size_t& budget);

}  // namespace

std::string YamlToJson(const YAML::Node& node) {
  std::size_t budget = kMaxJsonNodes;
  return YamlToJsonBounded(node, budget);
}

namespace {

std::string YamlToJsonBounded(const YAML::Node& node, std::size_t& budget) {
  std::string out;
  if (!node.IsDefined() || node.IsNull()) return "null";
  if (budget == 0) throw ValueTooLarge(node.Mark());
  --budget;
  if (node.IsSequence()) {
    out.push_back('[');
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (i) out.push_back(',');
      out += YamlToJsonBounded(node[i], budget);
    }
    out.push_back(']');
    return out;
  }
  if (node.IsMap()) {
    out.push_back('{');
    bool first = true;
    for (auto entry : node) {
      if (!first) out.push_back(',');
      first = false;
      json::AppendQuoted(out, entry.first.Scalar());
      out.push_back(':');
      out += YamlToJsonBounded(entry.second, budget);
    }
    out.push_back('}');
    return out;
  }
  Scalar scalar = YamlToScalar(node);
  if (std::holds_alternative<bool>(scalar)) return std::get<bool>(scalar) ? "true" : "false";
  if (std::holds_alternative<std::nullptr_t>(scalar)) return "null";
  if (auto* integer = std::get_if<std::int64_t>(&scalar)) return std::to_string(*integer);
  if (auto* number = std::get_if<double>(&scalar)) {
    json::AppendNumber(out, *number);
    return out;
  }
  json::AppendQuoted(out, std::get<std::string>(scalar));
  return out;
}

}  // namespace

std::string NearestKey(std::string_view key, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, key.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    std::size_t distance = EditDistance(Lower(key), Lower(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace modelgate::contract
