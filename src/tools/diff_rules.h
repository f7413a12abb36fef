#pragma once

// Internals of `modelgate diff`: the finding collector and the rules of each contract section.
// diff.cc compares the request and response fields. diff_rules.cc compares the other sections
// and checks the version policy.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/types.h"
#include "tools/report.h"

namespace modelgate::tools::diff {

// Collects the findings of one comparison of an old (`before`) and a new (`after`) version.
class ChangeLog {
 public:
  ChangeLog(const contract::Contract& before, const contract::Contract& after)
      : before_(before), after_(after) {}

  const contract::Contract& before() const { return before_; }
  const contract::Contract& after() const { return after_; }

  // A location in the old or new file. Places the loader does not locate (standard error codes,
  // most sections) get that version's file with line 0.
  contract::SourceLocation InBefore(const contract::SourceLocation& where = {}) const;
  contract::SourceLocation InAfter(const contract::SourceLocation& where = {}) const;

  // Adds a breaking change (error). The fix is `undo`, the way to keep consumers working, with a
  // new major version as the alternative.
  void Breaking(std::string_view rule, std::string pointer, const contract::SourceLocation& where,
                std::string message, std::string_view undo);
  // Adds a change that consumers of the old version tolerate (note).
  void Compatible(std::string_view rule, std::string pointer, const contract::SourceLocation& where,
                  std::string message);
  void Add(std::string_view rule, Severity severity, std::string pointer,
           const contract::SourceLocation& where, std::string message, std::string fix);

  const std::vector<Finding>& findings() const { return findings_; }
  std::vector<Finding> Take() { return std::move(findings_); }

 private:
  const contract::Contract& before_;
  const contract::Contract& after_;
  std::vector<Finding> findings_;
};

// The direction of a bound's change from the old version to the new one. A narrowed bound accepts
// fewer values, a widened one more, and a changed one may do both (one pattern replaced by
// another).
enum class Movement { kSame, kNarrowed, kWidened, kChanged };

// Compares upper bounds, where an absent bound means no limit.
Movement CompareUpper(std::optional<double> before, std::optional<double> after);
// Compares lower bounds, where an absent bound means no limit.
Movement CompareLower(std::optional<double> before, std::optional<double> after);

template <typename T>
std::optional<double> AsDouble(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return static_cast<double>(*value);
}

// A version number for major.minor written in the style of `style` ("v1", "v1.2" or "1.2.0"), so
// VersionLike("v1.0.0", 2, 0) is "v2.0.0" and VersionLike("v1", 1, 1) is "v1.1".
std::string VersionLike(std::string_view style, int major, int minor);

// The shortest decimal text of a number, or "none" when absent.
std::string ShowNumber(std::optional<double> value);
// A text as a quoted JSON string, or "none" when empty.
std::string ShowText(const std::string& text);

// The request and response field rules (diff.cc).
void DiffFields(ChangeLog& log);

// The rules of the other sections (diff_rules.cc).
void DiffRequestLimits(ChangeLog& log);
void DiffValidation(ChangeLog& log);
void DiffOrdering(ChangeLog& log);
void DiffMeaning(ChangeLog& log);
void DiffErrors(ChangeLog& log);
void DiffRateLimits(ChangeLog& log);
void DiffLatency(ChangeLog& log);
void DiffDeprecation(ChangeLog& log);
void DiffRoute(ChangeLog& log);

// Adds a `version-policy` finding when the version change does not cover the findings so far.
void CheckVersionPolicy(ChangeLog& log);

}  // namespace modelgate::tools::diff
