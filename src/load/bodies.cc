#include "load/bodies.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>

#include <fstream>
#include <span>

#include "json/writer.h"
#include "schema/validator.h"

namespace modelgate::load {
namespace {

// Writes `element` as JSON, with the string member at `path` (relative to it) set to `value`.
// An empty `path` copies the element unchanged.
void WriteReplacing(simdjson::dom::element element, std::span<const std::string> path,
                    const std::string& value, json::Writer& writer) {
  switch (element.type()) {
    case simdjson::dom::element_type::OBJECT: {
      writer.BeginObject();
      bool replaced = false;
      // The object is kept in a variable, because iterating get_object().value_unsafe() directly
      // would reference a temporary that ends before the loop body runs.
      simdjson::dom::object object = element.get_object().value_unsafe();
      for (auto [key, member] : object) {
        writer.Key(key);
        bool on_path = !path.empty() && key == path.front();
        if (on_path && path.size() == 1) {
          writer.String(value);
          replaced = true;
        } else {
          WriteReplacing(member, on_path ? path.subspan(1) : path.subspan(0, 0), value, writer);
        }
      }
      // An absent key member is added, so bodies without one still get a unique key.
      if (!replaced && path.size() == 1) writer.Member(path.front(), value);
      writer.EndObject();
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      writer.BeginArray();
      simdjson::dom::array array = element.get_array().value_unsafe();
      for (auto item : array) {
        WriteReplacing(item, path.subspan(0, 0), value, writer);
      }
      writer.EndArray();
      return;
    }
    case simdjson::dom::element_type::STRING:
      writer.String(element.get_string().value_unsafe());
      return;
    case simdjson::dom::element_type::INT64:
      writer.Integer(element.get_int64().value_unsafe());
      return;
    case simdjson::dom::element_type::UINT64:
      writer.Unsigned(element.get_uint64().value_unsafe());
      return;
    case simdjson::dom::element_type::DOUBLE:
      writer.Number(element.get_double().value_unsafe());
      return;
    case simdjson::dom::element_type::BOOL:
      writer.Bool(element.get_bool().value_unsafe());
      return;
    case simdjson::dom::element_type::NULL_VALUE:
      writer.Null();
      return;
  }
}

std::string DescribeViolations(const std::vector<schema::Violation>& violations) {
  std::string text;
  for (const auto& violation : violations) {
    if (!text.empty()) text += "; ";
    absl::StrAppend(&text, violation.pointer.empty() ? "/" : violation.pointer, ": ",
                    violation.message);
  }
  return text;
}

}  // namespace

BodySource::BodySource(const contract::Contract& contract, std::string run_id)
    : run_id_(std::move(run_id)),
      parser_(json::ParseOptions{contract.request.limits.max_depth,
                                 contract.request.validation.allow_duplicate_keys}) {}

absl::Status BodySource::Configure(const contract::Contract& contract) {
  const auto& idempotency = contract.behavior.idempotency;
  if (idempotency.enabled) {
    if (idempotency.source == contract::IdempotencySource::kHeader) {
      key_header_ = idempotency.header;
    } else if (idempotency.field.find('[') != std::string::npos) {
      return absl::InvalidArgumentError(
          "the idempotency key field '" + idempotency.field +
          "' is inside an array, so load cannot give each request a unique key; send bodies "
          "with --bodies and lift idempotency in a copy of the contract");
    } else {
      key_path_ = absl::StrSplit(idempotency.field, '.');
    }
  }
  if (!contract.request.batch_field.empty()) {
    std::vector<std::string> members = absl::StrSplit(contract.request.batch_field, '.');
    for (const auto& member : members) {
      absl::StrAppend(&batch_pointer_, "/", json::EscapePointerToken(member));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<BodySource>> BodySource::Generated(
    const contract::Contract& contract, std::uint64_t seed, std::string run_id) {
  std::unique_ptr<BodySource> source(new BodySource(contract, std::move(run_id)));
  if (auto status = source->Configure(contract); !status.ok()) return status;
  source->generator_.emplace(contract.request.fields);
  source->seed_ = seed;
  // The generator can miss a rule, such as a pattern it found no match for. A sample of bodies
  // is checked, so a contract the generator cannot satisfy stops the run before it starts.
  constexpr int kChecked = 100;
  schema::Validator validator(schema::RequestRules(contract));
  for (int i = 0; i < kChecked; ++i) {
    OutgoingBody body = source->Next(i);
    simdjson::dom::element root;
    json::ParseError error;
    std::vector<schema::Violation> violations;
    if (!source->parser_.Parse(body.body, root, error) || !validator.Validate(root, violations)) {
      return absl::InvalidArgumentError(
          "a request body generated from the contract breaks its request rules (" +
          (violations.empty() ? error.message : DescribeViolations(violations)) +
          "); pass valid bodies with --bodies FILE.jsonl");
    }
  }
  return source;
}

absl::Status BodySource::CheckKeyFits(const schema::Validator& validator) {
  if (key_path_.empty()) return absl::OkStatus();
  OutgoingBody body = Next(0);
  simdjson::dom::element root;
  json::ParseError error;
  std::vector<schema::Violation> violations;
  if (parser_.Parse(body.body, root, error) && validator.Validate(root, violations)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "the unique idempotency keys load writes (such as '" + Key(0) +
      "') break the contract's rules for the key field: " + DescribeViolations(violations) +
      "; relax the key field's rules in a copy of the contract");
}

absl::StatusOr<std::unique_ptr<BodySource>> BodySource::FromJsonl(
    const contract::Contract& contract, const std::string& path, std::string run_id) {
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError("bodies file '" + path + "' not found or not readable; check --bodies");
  }
  std::unique_ptr<BodySource> source(new BodySource(contract, std::move(run_id)));
  if (auto status = source->Configure(contract); !status.ok()) return status;
  schema::Validator validator(schema::RequestRules(contract));
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    simdjson::dom::element root;
    json::ParseError error;
    std::vector<schema::Violation> violations;
    if (!source->parser_.Parse(line, root, error)) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", number, ": invalid JSON: ", error.message,
          "; write one JSON request body per line"));
    }
    if (!validator.Validate(root, violations)) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", number, ": the body breaks the contract's request rules: ",
          DescribeViolations(violations)));
    }
    source->lines_.push_back(line);
  }
  if (source->lines_.empty()) {
    return absl::InvalidArgumentError("bodies file '" + path +
                                      "' contains no request body; write one JSON body per line");
  }
  if (auto status = source->CheckKeyFits(validator); !status.ok()) return status;
  return source;
}

std::string BodySource::Key(std::uint64_t index) const {
  return absl::StrCat("load-", run_id_, "-", index);
}

OutgoingBody BodySource::Next(std::uint64_t index) {
  if (generator_) {
    std::uint64_t seed = mock::RequestSeed(seed_, std::to_string(index));
    return Finish(generator_->Generate(seed), index);
  }
  return Finish(lines_[index % lines_.size()], index);
}

OutgoingBody BodySource::Finish(std::string body, std::uint64_t index) {
  OutgoingBody out;
  std::string key = Key(index);
  if (!key_header_.empty()) out.idempotency_key = key;
  if (key_path_.empty() && batch_pointer_.empty()) {
    out.body = std::move(body);
    return out;
  }
  simdjson::dom::element root;
  json::ParseError error;
  // Bodies were checked when the source was made, so parsing does not fail here.
  if (!parser_.Parse(body, root, error)) {
    out.body = std::move(body);
    return out;
  }
  if (!batch_pointer_.empty()) {
    simdjson::dom::array batch;
    if (root.at_pointer(batch_pointer_).get_array().get(batch) == simdjson::SUCCESS) {
      out.batch_size = batch.size();
    }
  }
  if (key_path_.empty()) {
    out.body = std::move(body);
    return out;
  }
  json::Writer writer(out.body);
  WriteReplacing(root, key_path_, key, writer);
  return out;
}

}  // namespace modelgate::load
