// Rendering of review findings as text, JSON and SARIF 2.1.0.

#include "tools/report.h"

#include <cctype>
#include <string>

#include "json/writer.h"

namespace modelgate::tools {

namespace {

constexpr std::string_view kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

std::string Plural(int count, std::string_view noun) {
  std::string text = std::to_string(count) + " " + std::string(noun);
  if (count != 1) text += "s";
  return text;
}

std::string SummaryLine(const FindingCounts& counts) {
  return Plural(counts.errors, "error") + ", " + Plural(counts.warnings, "warning") + ", " +
         Plural(counts.notes, "note");
}

// `file:line:col`, shortened when the line or column is unknown.
std::string TextLocation(const Finding& finding) {
  std::string location = finding.file.empty() ? "<contract>" : finding.file;
  if (finding.line > 0) {
    location += ":" + std::to_string(finding.line);
    if (finding.column > 0) location += ":" + std::to_string(finding.column);
  }
  return location;
}

std::string RenderText(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& finding : findings) {
    out += TextLocation(finding) + ": " + std::string(SeverityName(finding.severity)) + " [" +
           finding.rule + "] " + finding.message + "\n";
    if (!finding.pointer.empty()) out += "  at: " + finding.pointer + "\n";
    if (!finding.fix.empty()) out += "  fix: " + finding.fix + "\n";
  }
  out += SummaryLine(CountFindings(findings)) + "\n";
  return out;
}

std::string RenderJson(const std::vector<Finding>& findings) {
  std::string out;
  json::Writer writer(out);
  writer.BeginObject();
  writer.Key("findings");
  writer.BeginArray();
  for (const auto& finding : findings) {
    writer.BeginObject();
    writer.Member("rule", finding.rule);
    writer.Member("severity", SeverityName(finding.severity));
    writer.Member("file", finding.file);
    writer.Member("pointer", finding.pointer);
    writer.Member("line", finding.line);
    writer.Member("column", finding.column);
    writer.Member("message", finding.message);
    writer.Member("fix", finding.fix);
    writer.EndObject();
  }
  writer.EndArray();
  FindingCounts counts = CountFindings(findings);
  writer.Key("summary");
  writer.BeginObject();
  writer.Member("errors", counts.errors);
  writer.Member("warnings", counts.warnings);
  writer.Member("notes", counts.notes);
  writer.EndObject();
  writer.EndObject();
  out += "\n";
  return out;
}

// Converts a file path to a SARIF artifact URI. Bytes that a URI path cannot contain are
// percent-encoded, so a space becomes %20 and '#' cannot start a fragment. A relative path stays a
// relative reference. An absolute path becomes a file: URI, because a relative reference that
// starts with '/' does not combine with a base URI.
std::string PathToUri(std::string_view path) {
  static constexpr std::string_view kAllowed = "-._~/!$&'()*+,;=:@";
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string uri = path.starts_with('/') ? "file://" : "";
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || kAllowed.find(c) != std::string_view::npos) {
      uri.push_back(c);
    } else {
      uri.push_back('%');
      uri.push_back(kHex[byte >> 4]);
      uri.push_back(kHex[byte & 0xF]);
    }
  }
  return uri;
}

// The distinct rule ids in order of first appearance, so results can point at them by index.
std::vector<std::string> DistinctRules(const std::vector<Finding>& findings) {
  std::vector<std::string> rules;
  for (const auto& finding : findings) {
    bool seen = false;
    for (const auto& rule : rules) seen = seen || rule == finding.rule;
    if (!seen) rules.push_back(finding.rule);
  }
  return rules;
}

std::size_t IndexOf(const std::vector<std::string>& rules, const std::string& rule) {
  std::size_t index = 0;
  while (index < rules.size() && rules[index] != rule) ++index;
  return index;
}

void WriteSarifDriver(json::Writer& writer, const ReportTool& tool,
                      const std::vector<std::string>& rules) {
  writer.BeginObject();
  writer.Member("name", tool.name);
  if (!tool.version.empty()) writer.Member("version", tool.version);
  if (!tool.information_uri.empty()) writer.Member("informationUri", tool.information_uri);
  writer.Key("rules");
  writer.BeginArray();
  for (const auto& rule : rules) {
    auto described = tool.rule_descriptions.find(rule);
    writer.BeginObject();
    writer.Member("id", rule);
    writer.Key("shortDescription");
    writer.BeginObject();
    writer.Member("text", described == tool.rule_descriptions.end() ? rule : described->second);
    writer.EndObject();
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
}

void WriteSarifLocation(json::Writer& writer, const Finding& finding) {
  writer.BeginObject();
  writer.Key("physicalLocation");
  writer.BeginObject();
  writer.Key("artifactLocation");
  writer.BeginObject();
  writer.Member("uri", PathToUri(finding.file));
  writer.EndObject();
  // SARIF lines and columns count from 1; a region with line 0 would be invalid.
  if (finding.line > 0) {
    writer.Key("region");
    writer.BeginObject();
    writer.Member("startLine", finding.line);
    if (finding.column > 0) writer.Member("startColumn", finding.column);
    writer.EndObject();
  }
  writer.EndObject();
  writer.EndObject();
}

void WriteSarifResult(json::Writer& writer, const Finding& finding,
                      const std::vector<std::string>& rules) {
  writer.BeginObject();
  writer.Member("ruleId", finding.rule);
  writer.Member("ruleIndex", IndexOf(rules, finding.rule));
  // SARIF's result levels carry the names of our severities: error, warning, note.
  writer.Member("level", SeverityName(finding.severity));
  writer.Key("message");
  writer.BeginObject();
  std::string text = finding.message;
  if (!finding.fix.empty()) text += " Fix: " + finding.fix;
  writer.Member("text", text);
  writer.EndObject();
  writer.Key("locations");
  writer.BeginArray();
  WriteSarifLocation(writer, finding);
  writer.EndArray();
  if (!finding.pointer.empty()) {
    writer.Key("properties");
    writer.BeginObject();
    writer.Member("pointer", finding.pointer);
    writer.EndObject();
  }
  writer.EndObject();
}

std::string RenderSarif(const std::vector<Finding>& findings, const ReportTool& tool) {
  auto rules = DistinctRules(findings);
  std::string out;
  json::Writer writer(out);
  writer.BeginObject();
  writer.Member("$schema", kSarifSchema);
  writer.Member("version", "2.1.0");
  writer.Key("runs");
  writer.BeginArray();
  writer.BeginObject();
  writer.Key("tool");
  writer.BeginObject();
  writer.Key("driver");
  WriteSarifDriver(writer, tool, rules);
  writer.EndObject();
  writer.Key("results");
  writer.BeginArray();
  for (const auto& finding : findings) WriteSarifResult(writer, finding, rules);
  writer.EndArray();
  writer.EndObject();
  writer.EndArray();
  writer.EndObject();
  out += "\n";
  return out;
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "note";
}

FindingCounts CountFindings(const std::vector<Finding>& findings) {
  FindingCounts counts;
  for (const auto& finding : findings) {
    switch (finding.severity) {
      case Severity::kError:
        ++counts.errors;
        break;
      case Severity::kWarning:
        ++counts.warnings;
        break;
      case Severity::kNote:
        ++counts.notes;
        break;
    }
  }
  return counts;
}

std::string RenderFindings(const std::vector<Finding>& findings, ReportFormat format,
                           const ReportTool& tool) {
  switch (format) {
    case ReportFormat::kText:
      return RenderText(findings);
    case ReportFormat::kJson:
      return RenderJson(findings);
    case ReportFormat::kSarif:
      return RenderSarif(findings, tool);
  }
  return RenderText(findings);
}

std::string RenderFindings(const std::vector<Finding>& findings, ReportFormat format,
                           std::string_view tool_name) {
  ReportTool tool;
  tool.name = std::string(tool_name);
  return RenderFindings(findings, format, tool);
}

}  // namespace modelgate::tools
