#include "tools/diff.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "contract/loader.h"

namespace modelgate::tools {
namespace {

// The old version in most tests. Each test edits a copy of it into the new version.
constexpr std::string_view kBase = R"(version: v1.0.0
endpoint:
  operation: score
request:
  fields:
    - {name: text, type: string, required: true, min_len: 1, max_len: 100, desc: Text to score}
    - {name: amount, type: number, range: [0, 1000]}
    - {name: tier, type: string, enum: [free, pro], default: free}
    - {name: code, type: string}
    - name: items
      type: array[object]
      max_len: 10
      fields:
        - {name: id, type: string, required: true}
  batch_field: items
  limits:
    max_payload_bytes: 4096
    max_total_chars: 1000
  validation:
    unknown_fields: reject
response:
  fields:
    - {name: score, type: number, required: true, range: [0, 1]}
    - {name: labels, type: "array[string]", required: true, max_len: 5, enum: [a, b]}
    - {name: results, type: "array[object]", required: true, max_len: 20}
    - {name: "results[].ranked", type: "array[object]", required: true, max_len: 100}
    - {name: "results[].ranked[].item_id", type: string, required: true}
    - {name: "results[].ranked[].score", type: number, required: true, range: [0, 1]}
  ordering: Each ranked list is sorted by score desc.
  confidence: score is calibrated on held-out data
  reason_codes:
    A: first reason
    B: second reason
errors:
  - {code: FEATURES_UNAVAILABLE, status: 503, retryable: true, backoff: exponential,
     desc: No features}
constraints:
  latency_ms:
    p50: 20
    p95: {batch1: 50, batch10: 120}
  throughput_rps: 300
  burst_rps: 600
  max_batch: 10
compatibility:
  deprecation_days: 180
deprecation:
  policy_days: 90
)";

// Returns `text` with `from` replaced by `to`. `from` must occur exactly once.
std::string Edit(std::string_view text, std::string_view from, std::string_view to) {
  std::string result(text);
  auto at = result.find(from);
  EXPECT_NE(at, std::string::npos) << "not in the contract: " << from;
  if (at == std::string::npos) return result;
  EXPECT_EQ(result.find(from, at + 1), std::string::npos) << "more than once: " << from;
  result.replace(at, from.size(), to);
  return result;
}

contract::Contract Load(std::string_view text, const std::string& file) {
  auto loaded = contract::LoadContractText(std::string(text), file);
  EXPECT_TRUE(loaded.ok()) << loaded.status().message();
  return loaded.ok() ? *std::move(loaded) : contract::Contract{};
}

std::vector<Finding> Diff(std::string_view before, std::string_view after) {
  return DiffContracts(Load(before, "old.yaml"), Load(after, "new.yaml"));
}

std::string Describe(const std::vector<Finding>& findings) {
  std::string text = "findings:\n";
  for (const auto& finding : findings) {
    text += "  " + finding.rule + " [" + std::string(SeverityName(finding.severity)) + "] " +
            finding.file + ":" + std::to_string(finding.line) + " " + finding.pointer + ": " +
            finding.message + "\n";
  }
  return text;
}

const Finding* Find(const std::vector<Finding>& findings, std::string_view rule,
                    std::string_view pointer) {
  auto found = std::find_if(findings.begin(), findings.end(), [&](const Finding& finding) {
    return finding.rule == rule && finding.pointer == pointer;
  });
  return found == findings.end() ? nullptr : &*found;
}

bool HasRule(const std::vector<Finding>& findings, std::string_view rule) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& finding) { return finding.rule == rule; });
}

int LineOf(std::string_view text, std::string_view needle) {
  auto at = text.find(needle);
  if (at == std::string_view::npos) return -1;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// Expects exactly one kind of finding at `pointer` and returns it (nullptr when missing).
const Finding* ExpectFinding(const std::vector<Finding>& findings, std::string_view rule,
                             std::string_view pointer, Severity severity) {
  const Finding* finding = Find(findings, rule, pointer);
  EXPECT_NE(finding, nullptr) << "expected " << rule << " at " << pointer << "\n"
                              << Describe(findings);
  if (finding != nullptr) {
    EXPECT_EQ(finding->severity, severity) << rule << " at " << pointer;
    EXPECT_FALSE(finding->message.empty());
    EXPECT_FALSE(finding->fix.empty());
  }
  // Every rule is in the catalogue with the severity of its findings. version-policy is the one
  // rule with two severities.
  const auto& rules = DiffRules();
  auto entry = std::find_if(rules.begin(), rules.end(),
                            [&](const DiffRule& candidate) { return candidate.id == rule; });
  EXPECT_NE(entry, rules.end()) << rule << " is not in DiffRules()";
  if (entry != rules.end() && rule != "version-policy") {
    EXPECT_EQ(entry->severity, severity) << rule;
  }
  return finding;
}

struct EditCase {
  std::string_view from;
  std::string_view to;
  std::string_view pointer;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string WriteTempFile(const std::string& name, std::string_view text) {
  std::string path = ::testing::TempDir() + "/diff_test_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// --- rule catalogue -------------------------------------------------------------------------

TEST(DiffRules, EveryRuleIsDocumented) {
  std::string doc = ReadFile(std::string(MODELGATE_SOURCE_DIR) + "/docs/tools-diff.md");
  ASSERT_FALSE(doc.empty());
  for (const auto& rule : DiffRules()) {
    EXPECT_NE(doc.find("| `" + std::string(rule.id) + "` |"), std::string::npos)
        << rule.id << " has no row in docs/tools-diff.md";
  }
}

TEST(DiffRules, IdsAreUnique) {
  std::set<std::string_view> ids;
  for (const auto& rule : DiffRules()) EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
}

TEST(DiffRules, ReportToolDescribesEveryRule) {
  auto tool = DiffReportTool();
  EXPECT_EQ(tool.name, "modelgate diff");
  EXPECT_EQ(tool.rule_descriptions.size(), DiffRules().size());
}

// --- identical contracts -------------------------------------------------------------------

TEST(DiffContracts, IdenticalContractsHaveNoFindings) {
  auto findings = Diff(kBase, kBase);
  EXPECT_TRUE(findings.empty()) << Describe(findings);
  EXPECT_TRUE(DiffPasses(findings));
}

TEST(DiffContracts, ExampleContractsMatchThemselves) {
  const std::string root = MODELGATE_SOURCE_DIR;
  for (std::string path :
       {"/examples/fraud/contract.yaml", "/docs/examples/compact-style.json",
        "/docs/examples/embeddings.yaml", "/docs/examples/fraud-score.yaml",
        "/docs/examples/recommendations.yaml", "/docs/examples/spam-classifier.yaml"}) {
    auto contract = contract::LoadContract(root + path);
    ASSERT_TRUE(contract.ok()) << contract.status().message();
    auto findings = DiffContracts(*contract, *contract);
    EXPECT_TRUE(findings.empty()) << path << "\n" << Describe(findings);
    EXPECT_TRUE(DiffPasses(findings)) << path;
  }
}

TEST(DiffContracts, VersionChangeAloneIsClean) {
  auto findings = Diff(kBase, Edit(kBase, "version: v1.0.0", "version: v1.1.0"));
  EXPECT_TRUE(findings.empty()) << Describe(findings);
}

// --- added, removed and renamed fields ------------------------------------------------------

TEST(DiffFields, RequiredRequestFieldAddedBreaks) {
  std::string after = Edit(kBase, "    - {name: code, type: string}\n",
                           "    - {name: code, type: string}\n"
                           "    - {name: locale, type: string, required: true}\n");
  auto findings = Diff(kBase, after);
  auto* finding = ExpectFinding(findings, "request-field-required-added", "/request/fields/locale",
                                Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->file, "new.yaml");
  EXPECT_EQ(finding->line, LineOf(after, "{name: locale"));
  EXPECT_EQ(finding->column, 7);
  EXPECT_FALSE(HasRule(findings, "request-field-optional-added")) << Describe(findings);
}

TEST(DiffFields, OptionalRequestFieldAddedIsCompatible) {
  auto findings = Diff(kBase, Edit(kBase, "    - {name: code, type: string}\n",
                                   "    - {name: code, type: string}\n"
                                   "    - {name: locale, type: string}\n"));
  ExpectFinding(findings, "request-field-optional-added", "/request/fields/locale",
                Severity::kNote);
  EXPECT_FALSE(HasRule(findings, "request-field-required-added")) << Describe(findings);
}

TEST(DiffFields, RequiredMemberAddedToArrayItemsBreaks) {
  auto findings = Diff(kBase, Edit(kBase, "        - {name: id, type: string, required: true}\n",
                                   "        - {name: id, type: string, required: true}\n"
                                   "        - {name: qty, type: integer, required: true}\n"));
  ExpectFinding(findings, "request-field-required-added", "/request/fields/items/items/fields/qty",
                Severity::kError);
}

TEST(DiffFields, RequestFieldRemovedBreaks) {
  auto findings = Diff(kBase, Edit(kBase, "    - {name: code, type: string}\n", ""));
  auto* finding =
      ExpectFinding(findings, "request-field-removed", "/request/fields/code", Severity::kError);
  ASSERT_NE(finding, nullptr);
  // A removal points into the old file, where the field still is.
  EXPECT_EQ(finding->file, "old.yaml");
  EXPECT_EQ(finding->line, LineOf(kBase, "{name: code"));
  EXPECT_NE(finding->message.find("rejected"), std::string::npos) << finding->message;
}

TEST(DiffFields, RequestFieldRemovedUnderIgnorePolicyStaysValid) {
  std::string before = Edit(kBase, "unknown_fields: reject", "unknown_fields: ignore");
  auto findings = Diff(before, Edit(before, "    - {name: code, type: string}\n", ""));
  auto* finding =
      ExpectFinding(findings, "request-field-removed", "/request/fields/code", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("stay valid"), std::string::npos) << finding->message;
}

TEST(DiffFields, UnchangedFieldsAreNotAddedOrRemoved) {
  auto findings = Diff(kBase, Edit(kBase, "max_len: 100,", "max_len: 200,"));
  for (std::string_view rule :
       {"request-field-removed", "request-field-required-added", "request-field-optional-added",
        "response-field-removed", "response-field-added"}) {
    EXPECT_FALSE(HasRule(findings, rule)) << rule << "\n" << Describe(findings);
  }
}

TEST(DiffFields, ResponseFieldRemovedBreaks) {
  auto findings = Diff(
      kBase,
      Edit(kBase, "    - {name: \"results[].ranked[].item_id\", type: string, required: true}\n",
           ""));
  ExpectFinding(findings, "response-field-removed",
                "/response/fields/results/items/fields/ranked/items/fields/item_id",
                Severity::kError);
}

TEST(DiffFields, ResponseFieldAddedIsCompatible) {
  auto findings = Diff(kBase, Edit(kBase, "  ordering:",
                                   "    - {name: note, type: string, "
                                   "required: true}\n  ordering:"));
  ExpectFinding(findings, "response-field-added", "/response/fields/note", Severity::kNote);
  EXPECT_FALSE(HasRule(findings, "response-field-removed")) << Describe(findings);
}

TEST(DiffFields, RenameIsRemovalAndAddition) {
  auto findings =
      Diff(kBase, Edit(kBase, "{name: code, type: string}", "{name: country_code, type: string}"));
  ExpectFinding(findings, "request-field-removed", "/request/fields/code", Severity::kError);
  ExpectFinding(findings, "request-field-optional-added", "/request/fields/country_code",
                Severity::kNote);
}

TEST(DiffFields, PointerEscapesSlashInName) {
  std::string before = Edit(kBase, "{name: code, type: string}", "{name: \"a/b~c\", type: string}");
  auto findings = Diff(before, Edit(before, "\"a/b~c\", type: string", "\"a/b~c\", type: integer"));
  ExpectFinding(findings, "field-type-changed", "/request/fields/a~1b~0c", Severity::kError);
}

// --- types --------------------------------------------------------------------------------

TEST(DiffFields, TypeChangeBreaks) {
  auto findings = Diff(kBase, Edit(kBase, "{name: amount, type: number, range: [0, 1000]}",
                                   "{name: amount, type: string}"));
  auto* finding =
      ExpectFinding(findings, "field-type-changed", "/request/fields/amount", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("from number to string"), std::string::npos) << finding->message;
  // The range that went with the old type is not reported again as a bound change.
  EXPECT_FALSE(HasRule(findings, "request-bound-widened")) << Describe(findings);
}

TEST(DiffFields, ItemTypeChangeBreaks) {
  auto findings =
      Diff(kBase, Edit(kBase, "type: \"array[string]\", required: true, max_len: 5, enum: [a, b]",
                       "type: \"array[integer]\", required: true, max_len: 5"));
  auto* finding =
      ExpectFinding(findings, "field-type-changed", "/response/fields/labels", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("from array[string] to array[integer]"), std::string::npos)
      << finding->message;
}

TEST(DiffFields, SameTypeIsNoTypeChange) {
  auto findings = Diff(kBase, Edit(kBase, "range: [0, 1000]", "range: [0, 10]"));
  EXPECT_FALSE(HasRule(findings, "field-type-changed")) << Describe(findings);
}

// --- request bounds -------------------------------------------------------------------------

TEST(DiffFields, NarrowedRequestBoundsBreak) {
  const std::vector<EditCase> cases = {
      {"min_len: 1, max_len: 100", "min_len: 1, max_len: 50", "/request/fields/text"},
      {"min_len: 1, max_len: 100", "min_len: 5, max_len: 100", "/request/fields/text"},
      {"range: [0, 1000]", "range: [10, 1000]", "/request/fields/amount"},
      {"range: [0, 1000]", "range: [0, 500]", "/request/fields/amount"},
      {"enum: [free, pro]", "enum: [free]", "/request/fields/tier"},
      {"{name: code, type: string}", "{name: code, type: string, pattern: \"^[A-Z]+$\"}",
       "/request/fields/code"},
      {"{name: code, type: string}", "{name: code, type: string, format: iso4217}",
       "/request/fields/code"},
      {"{name: amount, type: number,", "{name: amount, type: number, required: true,",
       "/request/fields/amount"},
      {"max_len: 10\n", "max_len: 5\n", "/request/fields/items"},
  };
  for (const auto& edit : cases) {
    SCOPED_TRACE(std::string(edit.from) + " -> " + std::string(edit.to));
    auto findings = Diff(kBase, Edit(kBase, edit.from, edit.to));
    ExpectFinding(findings, "request-bound-narrowed", edit.pointer, Severity::kError);
    EXPECT_FALSE(HasRule(findings, "request-bound-widened")) << Describe(findings);
  }
}

TEST(DiffFields, WidenedRequestBoundsAreCompatible) {
  const std::vector<EditCase> cases = {
      {"min_len: 1, max_len: 100", "min_len: 1, max_len: 200", "/request/fields/text"},
      {"min_len: 1, max_len: 100", "max_len: 100", "/request/fields/text"},
      {"range: [0, 1000]", "range: [-10, 2000]", "/request/fields/amount"},
      {"range: [0, 1000]", "range: [0, null]", "/request/fields/amount"},
      {"enum: [free, pro]", "enum: [free, pro, team]", "/request/fields/tier"},
      {"enum: [free, pro], default: free", "default: free", "/request/fields/tier"},
      {"{name: text, type: string, required: true,", "{name: text, type: string,",
       "/request/fields/text"},
      {"{name: amount, type: number,", "{name: amount, type: number, nullable: true,",
       "/request/fields/amount"},
  };
  for (const auto& edit : cases) {
    SCOPED_TRACE(std::string(edit.from) + " -> " + std::string(edit.to));
    auto findings = Diff(kBase, Edit(kBase, edit.from, edit.to));
    ExpectFinding(findings, "request-bound-widened", edit.pointer, Severity::kNote);
    // A wider request bound never breaks consumers.
    EXPECT_FALSE(HasRule(findings, "request-bound-narrowed")) << Describe(findings);
    EXPECT_TRUE(std::none_of(findings.begin(), findings.end(), [](const Finding& finding) {
      return finding.severity == Severity::kError;
    })) << Describe(findings);
  }
}

TEST(DiffFields, RemovedPatternWidensRequest) {
  std::string before = Edit(kBase, "{name: code, type: string}",
                            "{name: code, type: string, pattern: \"^[A-Z]+$\"}");
  auto findings = Diff(before, kBase);
  ExpectFinding(findings, "request-bound-widened", "/request/fields/code", Severity::kNote);
  EXPECT_FALSE(HasRule(findings, "request-bound-narrowed")) << Describe(findings);
}

TEST(DiffFields, ReplacedPatternBreaksRequest) {
  std::string before = Edit(kBase, "{name: code, type: string}",
                            "{name: code, type: string, pattern: \"^[A-Z]+$\"}");
  auto findings = Diff(before, Edit(before, "^[A-Z]+$", "^[a-z]+$"));
  auto* finding =
      ExpectFinding(findings, "request-bound-narrowed", "/request/fields/code", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("\"^[A-Z]+$\" to \"^[a-z]+$\""), std::string::npos)
      << finding->message;
}

TEST(DiffFields, EnumSwapGivesNarrowedAndWidened) {
  auto findings = Diff(kBase, Edit(kBase, "enum: [free, pro]", "enum: [free, team]"));
  auto* narrowed =
      ExpectFinding(findings, "request-bound-narrowed", "/request/fields/tier", Severity::kError);
  ASSERT_NE(narrowed, nullptr);
  EXPECT_NE(narrowed->message.find("removes \"pro\""), std::string::npos) << narrowed->message;
  ExpectFinding(findings, "request-bound-widened", "/request/fields/tier", Severity::kNote);
}

// --- response bounds ------------------------------------------------------------------------

TEST(DiffFields, WidenedResponseBoundsBreak) {
  const std::vector<EditCase> cases = {
      {"{name: score, type: number, required: true, range: [0, 1]}",
       "{name: score, type: number, required: true, range: [0, 100]}", "/response/fields/score"},
      {"max_len: 5, enum: [a, b]", "max_len: 5, enum: [a, b, c]", "/response/fields/labels/items"},
      {"max_len: 5, enum: [a, b]", "max_len: 5", "/response/fields/labels/items"},
      {"max_len: 5, enum: [a, b]", "max_len: 10, enum: [a, b]", "/response/fields/labels"},
      {"{name: score, type: number, required: true,", "{name: score, type: number,",
       "/response/fields/score"},
      {"{name: score, type: number, required: true,",
       "{name: score, type: number, required: true, nullable: true,", "/response/fields/score"},
  };
  for (const auto& edit : cases) {
    SCOPED_TRACE(std::string(edit.from) + " -> " + std::string(edit.to));
    auto findings = Diff(kBase, Edit(kBase, edit.from, edit.to));
    ExpectFinding(findings, "response-bound-widened", edit.pointer, Severity::kError);
    EXPECT_FALSE(HasRule(findings, "response-bound-narrowed")) << Describe(findings);
  }
}

TEST(DiffFields, NarrowedResponseBoundsAreCompatible) {
  const std::vector<EditCase> cases = {
      {"{name: score, type: number, required: true, range: [0, 1]}",
       "{name: score, type: number, required: true, range: [0, 0.5]}", "/response/fields/score"},
      {"max_len: 5, enum: [a, b]", "max_len: 5, enum: [a]", "/response/fields/labels/items"},
      {"max_len: 5, enum: [a, b]", "max_len: 3, enum: [a, b]", "/response/fields/labels"},
  };
  for (const auto& edit : cases) {
    SCOPED_TRACE(std::string(edit.from) + " -> " + std::string(edit.to));
    auto findings = Diff(kBase, Edit(kBase, edit.from, edit.to));
    ExpectFinding(findings, "response-bound-narrowed", edit.pointer, Severity::kNote);
    EXPECT_FALSE(HasRule(findings, "response-bound-widened")) << Describe(findings);
  }
}

TEST(DiffFields, FlattenedPathGetsNestedPointer) {
  auto findings = Diff(kBase, Edit(kBase,
                                   "\"results[].ranked[].score\", type: number, required: true, "
                                   "range: [0, 1]",
                                   "\"results[].ranked[].score\", type: number, required: true, "
                                   "range: [0, 10]"));
  auto* finding = ExpectFinding(findings, "response-bound-widened",
                                "/response/fields/results/items/fields/ranked/items/fields/score",
                                Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("response field results[].ranked[].score"), std::string::npos)
      << finding->message;
}

TEST(DiffFields, NestedAndFlattenedDeclarationsMatch) {
  std::string nested = Edit(
      kBase,
      "    - {name: results, type: \"array[object]\", required: true, max_len: 20}\n"
      "    - {name: \"results[].ranked\", type: \"array[object]\", required: true, max_len: 100}\n"
      "    - {name: \"results[].ranked[].item_id\", type: string, required: true}\n"
      "    - {name: \"results[].ranked[].score\", type: number, required: true, range: [0, 1]}\n",
      "    - name: results\n"
      "      type: array[object]\n"
      "      required: true\n"
      "      max_len: 20\n"
      "      fields:\n"
      "        - name: ranked\n"
      "          type: array[object]\n"
      "          required: true\n"
      "          max_len: 100\n"
      "          fields:\n"
      "            - {name: item_id, type: string, required: true}\n"
      "            - {name: score, type: number, required: true, range: [0, 1]}\n");
  auto findings = Diff(kBase, nested);
  EXPECT_TRUE(findings.empty()) << Describe(findings);
}

TEST(DiffFields, NestedObjectMemberPointer) {
  std::string before = Edit(kBase, "{name: code, type: string}",
                            "{name: features, type: object, fields: [{name: hour, type: integer, "
                            "range: [0, 23]}]}");
  auto findings = Diff(before, Edit(before, "range: [0, 23]", "range: [0, 12]"));
  auto* finding = ExpectFinding(findings, "request-bound-narrowed",
                                "/request/fields/features/fields/hour", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("request field features.hour: maximum changed from 23 to 12"),
            std::string::npos)
      << finding->message;
}

// --- defaults and descriptions --------------------------------------------------------------

TEST(DiffFields, RequestDefaultChangeBreaks) {
  auto findings = Diff(kBase, Edit(kBase, "default: free", "default: pro"));
  auto* finding =
      ExpectFinding(findings, "request-default-changed", "/request/fields/tier", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("from \"free\" to \"pro\""), std::string::npos)
      << finding->message;
}

TEST(DiffFields, UnchangedDefaultIsNoFinding) {
  auto findings = Diff(kBase, Edit(kBase, "enum: [free, pro], default: free",
                                   "enum: [free, pro, team], default: free"));
  EXPECT_FALSE(HasRule(findings, "request-default-changed")) << Describe(findings);
}

TEST(DiffFields, DescriptionChangeIsNote) {
  auto findings = Diff(kBase, Edit(kBase, "desc: Text to score", "desc: Text to classify"));
  ExpectFinding(findings, "description-changed", "/request/fields/text", Severity::kNote);
  EXPECT_FALSE(HasRule(Diff(kBase, kBase), "description-changed"));
}

// --- ordering and meaning -------------------------------------------------------------------

TEST(DiffResponse, OrderingDirectionChangeBreaks) {
  auto findings = Diff(kBase, Edit(kBase, "sorted by score desc.", "sorted by score asc."));
  auto* finding = ExpectFinding(findings, "response-ordering-changed",
                                "/response/ordering/results[].ranked", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("descending to results[].ranked sorted by score ascending"),
            std::string::npos)
      << finding->message;
}

TEST(DiffResponse, OrderingKeyChangeBreaks) {
  std::string before = Edit(kBase, "    - {name: \"results[].ranked[].item_id\", type: string, ",
                            "    - {name: \"results[].ranked[].rank\", type: integer}\n"
                            "    - {name: \"results[].ranked[].item_id\", type: string, ");
  auto findings = Diff(before, Edit(before, "sorted by score desc.", "sorted by rank desc."));
  ExpectFinding(findings, "response-ordering-changed", "/response/ordering/results[].ranked",
                Severity::kError);
}

TEST(DiffResponse, OrderingRemovedBreaks) {
  auto findings =
      Diff(kBase, Edit(kBase, "  ordering: Each ranked list is sorted by score desc.\n", ""));
  ExpectFinding(findings, "response-ordering-changed", "/response/ordering/results[].ranked",
                Severity::kError);
}

TEST(DiffResponse, RewordedOrderingIsNoChange) {
  auto findings = Diff(kBase, Edit(kBase, "Each ranked list is sorted by score desc.",
                                   "Every ranked list comes sorted by score descending."));
  EXPECT_TRUE(findings.empty()) << Describe(findings);
}

TEST(DiffResponse, OrderingAddedIsCompatible) {
  std::string before = Edit(kBase, "  ordering: Each ranked list is sorted by score desc.\n", "");
  auto findings = Diff(before, kBase);
  ExpectFinding(findings, "response-ordering-added", "/response/ordering/results[].ranked",
                Severity::kNote);
  EXPECT_FALSE(HasRule(findings, "response-ordering-changed")) << Describe(findings);
}

TEST(DiffResponse, ConfidenceChangeBreaks) {
  auto findings = Diff(kBase, Edit(kBase, "score is calibrated on held-out data",
                                   "score is a relative rank, not a probability"));
  auto* finding =
      ExpectFinding(findings, "response-meaning-changed", "/response/confidence", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("\"score is calibrated on held-out data\""), std::string::npos)
      << finding->message;
  EXPECT_FALSE(HasRule(Diff(kBase, kBase), "response-meaning-changed"));
}

TEST(DiffResponse, ConfidenceRemovedBreaks) {
  auto findings =
      Diff(kBase, Edit(kBase, "  confidence: score is calibrated on held-out data\n", ""));
  ExpectFinding(findings, "response-meaning-changed", "/response/confidence", Severity::kError);
}

TEST(DiffResponse, ConfidenceAddedIsCompatible) {
  std::string before = Edit(kBase, "  confidence: score is calibrated on held-out data\n", "");
  auto findings = Diff(before, kBase);
  ExpectFinding(findings, "response-meaning-added", "/response/confidence", Severity::kNote);
  EXPECT_FALSE(HasRule(findings, "response-meaning-changed")) << Describe(findings);
}

TEST(DiffResponse, ReasonCodeMeaningChangeBreaks) {
  auto findings = Diff(kBase, Edit(kBase, "A: first reason", "A: another reason"));
  ExpectFinding(findings, "response-meaning-changed", "/response/reason_codes/A", Severity::kError);
}

TEST(DiffResponse, ReasonCodeAddedWidensResponse) {
  auto findings =
      Diff(kBase, Edit(kBase, "    B: second reason\n", "    B: second reason\n    C: third\n"));
  ExpectFinding(findings, "response-bound-widened", "/response/reason_codes/C", Severity::kError);
}

TEST(DiffResponse, ReasonCodeRemovedNarrowsResponse) {
  auto findings = Diff(kBase, Edit(kBase, "    B: second reason\n", ""));
  ExpectFinding(findings, "response-bound-narrowed", "/response/reason_codes/B", Severity::kNote);
  EXPECT_FALSE(HasRule(findings, "response-meaning-changed")) << Describe(findings);
}

// --- errors -------------------------------------------------------------------------------

constexpr std::string_view kCustomError =
    "{code: FEATURES_UNAVAILABLE, status: 503, retryable: true, backoff: exponential,\n"
    "     desc: No features}";

TEST(DiffErrors, RemovedCodeBreaks) {
  auto findings = Diff(kBase, Edit(kBase, kCustomError, "INVALID_INPUT"));
  auto* finding = ExpectFinding(findings, "error-code-removed", "/errors/FEATURES_UNAVAILABLE",
                                Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->file, "old.yaml");
  EXPECT_EQ(finding->line, LineOf(kBase, "{code: FEATURES_UNAVAILABLE"));
}

TEST(DiffErrors, AddedCodeIsNote) {
  auto findings = Diff(kBase, Edit(kBase, "desc: No features}\n",
                                   "desc: No features}\n"
                                   "  - {code: QUOTA_EXCEEDED, status: 429, retryable: false}\n"));
  ExpectFinding(findings, "error-code-added", "/errors/QUOTA_EXCEEDED", Severity::kNote);
  EXPECT_FALSE(HasRule(findings, "error-code-removed")) << Describe(findings);
}

TEST(DiffErrors, StatusChangeBreaks) {
  auto findings = Diff(kBase, Edit(kBase, "status: 503", "status: 502"));
  auto* finding = ExpectFinding(findings, "error-status-changed",
                                "/errors/FEATURES_UNAVAILABLE/status", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->file, "new.yaml");
  EXPECT_NE(finding->message.find("from 503 to 502"), std::string::npos) << finding->message;
  EXPECT_FALSE(HasRule(findings, "error-retryable-changed")) << Describe(findings);
}

TEST(DiffErrors, RetryableChangeBreaks) {
  auto findings = Diff(kBase, Edit(kBase, "retryable: true, backoff: exponential",
                                   "retryable: false, backoff: exponential"));
  ExpectFinding(findings, "error-retryable-changed", "/errors/FEATURES_UNAVAILABLE/retryable",
                Severity::kError);
  EXPECT_FALSE(HasRule(findings, "error-status-changed")) << Describe(findings);
}

TEST(DiffErrors, RetryableChangeOfStandardCodeBreaks) {
  std::string after = Edit(kBase, "desc: No features}\n",
                           "desc: No features}\n  - {code: TIMEOUT, retryable: false}\n");
  auto findings = Diff(kBase, after);
  ExpectFinding(findings, "error-retryable-changed", "/errors/TIMEOUT/retryable", Severity::kError);
}

TEST(DiffErrors, RetryGuidanceChangeIsNote) {
  auto findings =
      Diff(kBase, Edit(kBase, "backoff: exponential", "backoff: fixed, max_retries: 3"));
  auto* finding = ExpectFinding(findings, "error-retry-guidance-changed",
                                "/errors/FEATURES_UNAVAILABLE", Severity::kNote);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("backoff from exponential to fixed"), std::string::npos)
      << finding->message;
  EXPECT_NE(finding->message.find("max_retries from none to 3"), std::string::npos)
      << finding->message;
  EXPECT_FALSE(HasRule(findings, "error-retryable-changed")) << Describe(findings);
}

TEST(DiffErrors, ErrorDescriptionChangeIsNote) {
  auto findings = Diff(kBase, Edit(kBase, "desc: No features", "desc: Feature store is down"));
  ExpectFinding(findings, "description-changed", "/errors/FEATURES_UNAVAILABLE/description",
                Severity::kNote);
}

// --- limits, policy, route ------------------------------------------------------------------

TEST(DiffLimits, LowerRequestLimitsBreak) {
  const std::vector<EditCase> cases = {
      {"max_payload_bytes: 4096", "max_payload_bytes: 2048", "/request/limits/max_payload_bytes"},
      {"max_batch: 10", "max_batch: 5", "/request/limits/max_batch"},
      {"max_total_chars: 1000", "max_total_chars: 500", "/request/limits/max_total_chars"},
      {"max_total_chars: 1000", "max_total_chars: 1000\n    max_depth: 8",
       "/request/limits/max_depth"},
  };
  for (const auto& edit : cases) {
    SCOPED_TRACE(std::string(edit.from) + " -> " + std::string(edit.to));
    auto findings = Diff(kBase, Edit(kBase, edit.from, edit.to));
    ExpectFinding(findings, "request-limit-lowered", edit.pointer, Severity::kError);
    EXPECT_FALSE(HasRule(findings, "request-limit-raised")) << Describe(findings);
  }
}

TEST(DiffLimits, HigherRequestLimitsAreCompatible) {
  const std::vector<EditCase> cases = {
      {"max_payload_bytes: 4096", "max_payload_bytes: 8192", "/request/limits/max_payload_bytes"},
      {"max_batch: 10", "max_batch: 20", "/request/limits/max_batch"},
      {"    max_total_chars: 1000\n", "", "/request/limits/max_total_chars"},
  };
  for (const auto& edit : cases) {
    SCOPED_TRACE(std::string(edit.from) + " -> " + std::string(edit.to));
    auto findings = Diff(kBase, Edit(kBase, edit.from, edit.to));
    ExpectFinding(findings, "request-limit-raised", edit.pointer, Severity::kNote);
    EXPECT_FALSE(HasRule(findings, "request-limit-lowered")) << Describe(findings);
  }
}

TEST(DiffLimits, AbsentPayloadLimitMeansServerDefault) {
  std::string before = Edit(kBase, "    max_payload_bytes: 4096\n", "");
  auto lowered = Diff(before, kBase);
  auto* finding = ExpectFinding(lowered, "request-limit-lowered",
                                "/request/limits/max_payload_bytes", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("none (the server default, 1048576 bytes) to 4096 bytes"),
            std::string::npos)
      << finding->message;
  auto same = Diff(before, Edit(kBase, "max_payload_bytes: 4096", "max_payload_bytes: 1048576"));
  EXPECT_FALSE(HasRule(same, "request-limit-lowered")) << Describe(same);
  EXPECT_FALSE(HasRule(same, "request-limit-raised")) << Describe(same);
}

TEST(DiffLimits, LowerRateLimitsBreak) {
  auto throughput = Diff(kBase, Edit(kBase, "throughput_rps: 300", "throughput_rps: 200"));
  ExpectFinding(throughput, "rate-limit-lowered", "/constraints/throughput_rps", Severity::kError);
  auto burst = Diff(kBase, Edit(kBase, "burst_rps: 600", "burst_rps: 500"));
  ExpectFinding(burst, "rate-limit-lowered", "/constraints/burst_rps", Severity::kError);
  // burst_rps is a limit only, not a throughput target.
  EXPECT_FALSE(HasRule(burst, "slo-regression")) << Describe(burst);
}

TEST(DiffLimits, HigherRateLimitsAreCompatible) {
  auto findings = Diff(kBase, Edit(kBase, "throughput_rps: 300", "throughput_rps: 400"));
  ExpectFinding(findings, "rate-limit-raised", "/constraints/throughput_rps", Severity::kNote);
  EXPECT_FALSE(HasRule(findings, "rate-limit-lowered")) << Describe(findings);
  EXPECT_FALSE(HasRule(findings, "slo-regression")) << Describe(findings);
}

TEST(DiffPolicy, IgnoreToRejectBreaks) {
  std::string before = Edit(kBase, "unknown_fields: reject", "unknown_fields: ignore");
  auto findings = Diff(before, kBase);
  ExpectFinding(findings, "unknown-fields-rejected", "/request/validation/unknown_fields",
                Severity::kError);
  EXPECT_FALSE(HasRule(findings, "unknown-fields-ignored")) << Describe(findings);
}

TEST(DiffPolicy, RejectToIgnoreIsCompatible) {
  auto findings = Diff(kBase, Edit(kBase, "unknown_fields: reject", "unknown_fields: ignore"));
  ExpectFinding(findings, "unknown-fields-ignored", "/request/validation/unknown_fields",
                Severity::kNote);
  EXPECT_FALSE(HasRule(findings, "unknown-fields-rejected")) << Describe(findings);
}

TEST(DiffPolicy, ShortenedDeprecationWindowsBreak) {
  auto shorter = Diff(kBase, Edit(kBase, "deprecation_days: 180", "deprecation_days: 90"));
  ExpectFinding(shorter, "deprecation-window-shortened", "/compatibility/deprecation_days",
                Severity::kError);
  auto removed = Diff(kBase, Edit(kBase, "deprecation:\n  policy_days: 90\n", ""));
  ExpectFinding(removed, "deprecation-window-shortened", "/deprecation/policy_days",
                Severity::kError);
}

TEST(DiffPolicy, ExtendedDeprecationWindowIsCompatible) {
  auto findings = Diff(kBase, Edit(kBase, "policy_days: 90", "policy_days: 120"));
  ExpectFinding(findings, "deprecation-window-extended", "/deprecation/policy_days",
                Severity::kNote);
  EXPECT_FALSE(HasRule(findings, "deprecation-window-shortened")) << Describe(findings);
}

TEST(DiffRoute, ChangedOperationBreaks) {
  auto findings = Diff(kBase, Edit(kBase, "operation: score", "operation: rate"));
  auto* finding = ExpectFinding(findings, "route-changed", "/endpoint/path", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("from POST /v1/score to POST /v1/rate"), std::string::npos)
      << finding->message;
}

TEST(DiffRoute, ExplicitPathEqualToDefaultIsNoChange) {
  auto findings =
      Diff(kBase, Edit(kBase, "  operation: score\n", "  operation: score\n  path: /v1/score\n"));
  EXPECT_FALSE(HasRule(findings, "route-changed")) << Describe(findings);
}

// --- service level objectives ---------------------------------------------------------------

TEST(DiffSlo, SlowerLatencyTargetsRegress) {
  auto overall = Diff(kBase, Edit(kBase, "p50: 20", "p50: 30"));
  auto* finding =
      ExpectFinding(overall, "slo-regression", "/constraints/latency_ms/p50", Severity::kWarning);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("from 20 ms to 30 ms"), std::string::npos) << finding->message;
  auto per_batch = Diff(kBase, Edit(kBase, "batch10: 120", "batch10: 150"));
  ExpectFinding(per_batch, "slo-regression", "/constraints/latency_ms/p95/batch10",
                Severity::kWarning);
  EXPECT_EQ(Find(per_batch, "slo-regression", "/constraints/latency_ms/p95/batch1"), nullptr)
      << Describe(per_batch);
}

TEST(DiffSlo, RemovedTargetsRegress) {
  auto findings = Diff(kBase, Edit(kBase, "{batch1: 50, batch10: 120}", "{batch1: 50}"));
  ExpectFinding(findings, "slo-regression", "/constraints/latency_ms/p95/batch10",
                Severity::kWarning);
  auto overall = Diff(kBase, Edit(kBase, "    p50: 20\n", ""));
  ExpectFinding(overall, "slo-regression", "/constraints/latency_ms/p50", Severity::kWarning);
}

TEST(DiffSlo, NewBatchTargetAboveOverallRegresses) {
  auto findings = Diff(kBase, Edit(kBase, "p50: 20", "p50: {default: 20, batch10: 40}"));
  ExpectFinding(findings, "slo-regression", "/constraints/latency_ms/p50/batch10",
                Severity::kWarning);
  EXPECT_EQ(Find(findings, "slo-regression", "/constraints/latency_ms/p50/default"), nullptr)
      << Describe(findings);
}

TEST(DiffSlo, FasterTargetsDoNotRegress) {
  auto findings = Diff(
      kBase, Edit(kBase, "p95: {batch1: 50, batch10: 120}", "p95: {batch1: 40, batch10: 100}"));
  EXPECT_FALSE(HasRule(findings, "slo-regression")) << Describe(findings);
}

TEST(DiffSlo, LowerThroughputRegresses) {
  auto findings = Diff(kBase, Edit(kBase, "throughput_rps: 300", "throughput_rps: 200"));
  ExpectFinding(findings, "slo-regression", "/constraints/throughput_rps", Severity::kWarning);
}

// --- version policy -------------------------------------------------------------------------

constexpr std::string_view kRequiredLocale =
    "    - {name: code, type: string}\n    - {name: locale, type: string, required: true}\n";
constexpr std::string_view kOptionalLocale =
    "    - {name: code, type: string}\n    - {name: locale, type: string}\n";

TEST(DiffVersionPolicy, BreakingWithoutMajorBumpFails) {
  std::string after = Edit(Edit(kBase, "    - {name: code, type: string}\n", kRequiredLocale),
                           "version: v1.0.0", "version: v1.1.0");
  auto findings = Diff(kBase, after);
  auto* finding = ExpectFinding(findings, "version-policy", "/version", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("1 breaking change but the version changes from v1.0.0 to "
                                  "v1.1.0 without a new major version"),
            std::string::npos)
      << finding->message;
  EXPECT_NE(finding->fix.find("publish this version as v2.0.0 or later"), std::string::npos)
      << finding->fix;
  EXPECT_FALSE(DiffPasses(findings));
}

TEST(DiffVersionPolicy, BreakingWithMajorBumpHasNoPolicyFinding) {
  std::string after = Edit(Edit(kBase, "    - {name: code, type: string}\n", kRequiredLocale),
                           "version: v1.0.0", "version: v2.0.0");
  auto findings = Diff(kBase, after);
  EXPECT_FALSE(HasRule(findings, "version-policy")) << Describe(findings);
  // The default route follows the major version, so consumers must move to /v2/score.
  auto* route = ExpectFinding(findings, "route-changed", "/endpoint/path", Severity::kError);
  ASSERT_NE(route, nullptr);
  EXPECT_NE(route->fix.find("serve the old contract next to the new one"), std::string::npos)
      << route->fix;
  // Breaking changes still fail the gate, even under a new major version.
  EXPECT_FALSE(DiffPasses(findings));
}

TEST(DiffVersionPolicy, CompatibleWithMinorBumpIsClean) {
  std::string after = Edit(Edit(kBase, "    - {name: code, type: string}\n", kOptionalLocale),
                           "version: v1.0.0", "version: v1.1.0");
  auto findings = Diff(kBase, after);
  EXPECT_FALSE(HasRule(findings, "version-policy")) << Describe(findings);
  EXPECT_TRUE(std::all_of(findings.begin(), findings.end(), [](const Finding& finding) {
    return finding.severity == Severity::kNote;
  })) << Describe(findings);
  EXPECT_TRUE(DiffPasses(findings)) << Describe(findings);
}

TEST(DiffVersionPolicy, CompatibleWithoutVersionChangeWarns) {
  auto findings = Diff(kBase, Edit(kBase, "    - {name: code, type: string}\n", kOptionalLocale));
  auto* finding = ExpectFinding(findings, "version-policy", "/version", Severity::kWarning);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("the version stays v1.0.0"), std::string::npos)
      << finding->message;
  EXPECT_NE(finding->fix.find("publish this version as v1.1.0 or later"), std::string::npos)
      << finding->fix;
  EXPECT_FALSE(DiffPasses(findings));
}

TEST(DiffVersionPolicy, CompatibleWithPatchBumpWarns) {
  std::string after = Edit(Edit(kBase, "    - {name: code, type: string}\n", kOptionalLocale),
                           "version: v1.0.0", "version: v1.0.1");
  auto findings = Diff(kBase, after);
  ExpectFinding(findings, "version-policy", "/version", Severity::kWarning);
}

TEST(DiffVersionPolicy, SloRegressionAloneNeedsMinorBump) {
  auto same_version = Diff(kBase, Edit(kBase, "p50: 20", "p50: 30"));
  ExpectFinding(same_version, "version-policy", "/version", Severity::kWarning);
  auto bumped =
      Diff(kBase, Edit(Edit(kBase, "p50: 20", "p50: 30"), "version: v1.0.0", "version: v1.1.0"));
  EXPECT_FALSE(HasRule(bumped, "version-policy")) << Describe(bumped);
  // A warning alone does not fail the gate.
  EXPECT_TRUE(DiffPasses(bumped)) << Describe(bumped);
}

TEST(DiffVersionPolicy, FixKeepsTheVersionStyle) {
  std::string before = Edit(kBase, "version: v1.0.0", "version: \"2\"");
  std::string after = Edit(before, "    - {name: code, type: string}\n", kRequiredLocale);
  auto findings = Diff(before, after);
  auto* finding = ExpectFinding(findings, "version-policy", "/version", Severity::kError);
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->fix.find("publish this version as 3 or later"), std::string::npos)
      << finding->fix;
}

// --- files ----------------------------------------------------------------------------------

TEST(DiffFiles, FraudExampleAgainstItselfIsClean) {
  std::string path = std::string(MODELGATE_SOURCE_DIR) + "/examples/fraud/contract.yaml";
  auto findings = DiffFiles(path, path);
  ASSERT_TRUE(findings.ok()) << findings.status().message();
  EXPECT_TRUE(findings->empty()) << Describe(*findings);
  EXPECT_TRUE(DiffPasses(*findings));
}

TEST(DiffFiles, LocatesSectionFindingsInTheirFile) {
  std::string after_text = Edit(kBase, "throughput_rps: 300", "throughput_rps: 200");
  std::string before = WriteTempFile("locate_old.yaml", kBase);
  std::string after = WriteTempFile("locate_new.yaml", after_text);
  auto findings = DiffFiles(before, after);
  ASSERT_TRUE(findings.ok()) << findings.status().message();
  auto* lowered = ExpectFinding(*findings, "rate-limit-lowered", "/constraints/throughput_rps",
                                Severity::kError);
  ASSERT_NE(lowered, nullptr);
  EXPECT_EQ(lowered->file, after);
  EXPECT_EQ(lowered->line, LineOf(after_text, "throughput_rps: 200"));
  EXPECT_EQ(lowered->column, 3);
  auto* policy = ExpectFinding(*findings, "version-policy", "/version", Severity::kError);
  ASSERT_NE(policy, nullptr);
  EXPECT_EQ(policy->line, 1);
}

TEST(DiffFiles, ReportsErrorsOfBothFiles) {
  std::string broken = WriteTempFile("broken.yaml", "version: v1\nrequest: [\n");
  std::string missing = ::testing::TempDir() + "/diff_test_missing.yaml";
  auto findings = DiffFiles(broken, missing);
  ASSERT_FALSE(findings.ok());
  std::string message(findings.status().message());
  EXPECT_NE(message.find(broken + ":"), std::string::npos) << message;
  EXPECT_NE(message.find(missing + ": cannot open contract file"), std::string::npos) << message;
}

}  // namespace
}  // namespace modelgate::tools
