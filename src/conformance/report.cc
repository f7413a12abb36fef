#include "conformance/report.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include <map>

#include "json/writer.h"

namespace modelgate::conformance {
namespace {

constexpr std::size_t kBodyExcerpt = 512;

std::string Excerpt(const std::string& body) {
  if (body.size() <= kBodyExcerpt) return body;
  // The cut backs off to a UTF-8 lead byte so that the excerpt stays valid text.
  std::size_t cut = kBodyExcerpt;
  while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(body.substr(0, cut), "... (", body.size(), " bytes)");
}

// The request and response of a failed check, as indented text lines.
std::string Evidence(const CheckResult& result) {
  std::string out;
  const auto& request = result.request;
  if (!request.target.empty()) {
    absl::StrAppend(&out, "    request: ", request.method, " ", request.target, "\n");
    for (const auto& [name, value] : request.headers) {
      absl::StrAppend(&out, "      ", name, ": ", value, "\n");
    }
    if (!request.body.empty()) absl::StrAppend(&out, "      ", Excerpt(request.body), "\n");
  }
  if (result.response) {
    const auto& response = *result.response;
    absl::StrAppend(&out, "    response: ", response.status, "\n");
    for (const auto& [name, value] : response.headers) {
      absl::StrAppend(&out, "      ", name, ": ", value, "\n");
    }
    if (!response.body.empty()) absl::StrAppend(&out, "      ", Excerpt(response.body), "\n");
  }
  return out;
}

std::string RenderText(const std::vector<CheckResult>& results, std::string_view contract_file,
                       std::string_view target, std::uint64_t seed) {
  std::string out = absl::StrCat("modelgate test ", std::string(contract_file), " --target ",
                                 std::string(target), " --seed ", seed, "\n");
  for (const auto& result : results) {
    std::string outcome(OutcomeName(result.outcome));
    for (auto& c : outcome) c = static_cast<char>(std::toupper(c));
    absl::StrAppend(&out, outcome, "  ", result.name);
    if (!result.detail.empty()) absl::StrAppend(&out, "  (", result.detail, ")");
    out += "\n";
    for (const auto& message : result.messages) absl::StrAppend(&out, "    - ", message, "\n");
    if (result.outcome == Outcome::kFail) out += Evidence(result);
  }
  auto summary = Summarize(results);
  absl::StrAppend(&out, results.size(), " checks: ", summary.passed, " passed, ", summary.failed,
                  " failed, ", summary.skipped, " skipped\n");
  return out;
}

void WriteHeaders(json::Writer& writer, const client::Headers& headers) {
  writer.Key("headers");
  writer.BeginObject();
  for (const auto& [name, value] : headers) writer.Member(name, value);
  writer.EndObject();
}

void WriteCheck(json::Writer& writer, const CheckResult& result) {
  writer.BeginObject();
  writer.Member("name", result.name);
  writer.Member("group", result.group());
  writer.Member("outcome", OutcomeName(result.outcome));
  writer.Key("messages");
  writer.BeginArray();
  for (const auto& message : result.messages) writer.String(message);
  writer.EndArray();
  if (!result.detail.empty()) writer.Member("detail", result.detail);
  writer.Member("seconds", result.seconds);
  if (result.outcome == Outcome::kFail && !result.request.target.empty()) {
    writer.Key("request");
    writer.BeginObject();
    writer.Member("method", result.request.method);
    writer.Member("target", result.request.target);
    WriteHeaders(writer, result.request.headers);
    writer.Member("body", result.request.body);
    writer.EndObject();
  }
  if (result.outcome == Outcome::kFail && result.response) {
    writer.Key("response");
    writer.BeginObject();
    writer.Member("status", result.response->status);
    WriteHeaders(writer, result.response->headers);
    writer.Member("body", Excerpt(result.response->body));
    writer.EndObject();
  }
  writer.EndObject();
}

std::string RenderJson(const std::vector<CheckResult>& results, std::string_view contract_file,
                       std::string_view target, std::uint64_t seed) {
  std::string out;
  json::Writer writer(out);
  writer.BeginObject();
  writer.Member("contract", contract_file);
  writer.Member("target", target);
  writer.Key("seed");
  writer.Unsigned(seed);
  writer.Key("checks");
  writer.BeginArray();
  for (const auto& result : results) WriteCheck(writer, result);
  writer.EndArray();
  auto summary = Summarize(results);
  writer.Key("summary");
  writer.BeginObject();
  writer.Member("passed", summary.passed);
  writer.Member("failed", summary.failed);
  writer.Member("skipped", summary.skipped);
  writer.EndObject();
  writer.EndObject();
  return out + "\n";
}

// Escapes text for XML 1.0 content and attribute values. Characters XML 1.0 cannot carry (C0
// controls other than tab, newline and carriage return) become U+FFFD.
std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace

Summary Summarize(const std::vector<CheckResult>& results) {
  Summary summary;
  for (const auto& result : results) {
    if (result.outcome == Outcome::kPass) ++summary.passed;
    if (result.outcome == Outcome::kFail) ++summary.failed;
    if (result.outcome == Outcome::kSkip) ++summary.skipped;
  }
  return summary;
}

std::string RenderReport(const std::vector<CheckResult>& results, ReportFormat format,
                         std::string_view contract_file, std::string_view target,
                         std::uint64_t seed) {
  if (format == ReportFormat::kJson) return RenderJson(results, contract_file, target, seed);
  return RenderText(results, contract_file, target, seed);
}

std::string RenderJunit(const std::vector<CheckResult>& results, std::string_view suite_name) {
  std::map<std::string, std::vector<const CheckResult*>, std::less<>> groups;
  for (const auto& result : results) groups[std::string(result.group())].push_back(&result);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  absl::StrAppend(&out, "<testsuites name=\"", XmlEscape(suite_name), "\">\n");
  for (const auto& [group, members] : groups) {
    Summary summary;
    double seconds = 0;
    for (const auto* result : members) {
      summary.failed += result->outcome == Outcome::kFail;
      summary.skipped += result->outcome == Outcome::kSkip;
      seconds += result->seconds;
    }
    absl::StrAppend(&out, "  <testsuite name=\"", XmlEscape(group), "\" tests=\"", members.size(),
                    "\" failures=\"", summary.failed, "\" errors=\"0\" skipped=\"", summary.skipped,
                    "\" time=\"", absl::StrFormat("%.3f", seconds), "\">\n");
    for (const auto* result : members) {
      absl::StrAppend(&out, "    <testcase classname=\"", XmlEscape(group), "\" name=\"",
                      XmlEscape(result->name), "\" time=\"",
                      absl::StrFormat("%.3f", result->seconds), "\"");
      std::string messages;
      for (const auto& message : result->messages) absl::StrAppend(&messages, message, "\n");
      if (result->outcome == Outcome::kPass) {
        out += "/>\n";
      } else if (result->outcome == Outcome::kSkip) {
        absl::StrAppend(&out, ">\n      <skipped message=\"", XmlEscape(messages),
                        "\"/>\n    </testcase>\n");
      } else {
        absl::StrAppend(&out, ">\n      <failure message=\"",
                        XmlEscape(result->messages.empty() ? "" : result->messages.front()), "\">",
                        XmlEscape(messages + Evidence(*result)), "</failure>\n    </testcase>\n");
      }
    }
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

}  // namespace modelgate::conformance
