#include "load/bodies.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <span>

#include "json/writer.h"
#include "mock/generator.h"
#include "schema/validator.h"

namespace modelgate::load {
namespace {

// Writes `element` as JSON to `out`, with the string member at `path` (relative to it) set to ""
// and `key_offset` set to the offset between that string's quotes, where each request's key goes.
// An empty `path` copies the element unchanged.
void WriteSplit(simdjson::dom::element element, std::span<const std::string> path,
                json::Writer& writer, const std::string& out,
                std::optional<std::size_t>& key_offset) {
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
          writer.String("");
          key_offset = out.size() - 1;
          replaced = true;
        } else {
          WriteSplit(member, on_path ? path.subspan(1) : path.subspan(0, 0), writer, out,
                     key_offset);
        }
      }
      // An absent key member is added, so bodies without one still get a unique key.
      if (!replaced && path.size() == 1) {
        writer.Member(path.front(), "");
        key_offset = out.size() - 1;
      }
      writer.EndObject();
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      writer.BeginArray();
      simdjson::dom::array array = element.get_array().value_unsafe();
      for (auto item : array) {
        WriteSplit(item, path.subspan(0, 0), writer, out, key_offset);
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
    key_enabled_ = true;
    key_stem_ = absl::StrCat("load-", run_id_, "-");
    if (idempotency.source == contract::IdempotencySource::kHeader) {
      key_header_ = idempotency.header;
    } else if (idempotency.field.find('[') != std::string::npos) {
      return absl::InvalidArgumentError(
          "the idempotency key field '" + idempotency.field +
          "' is inside an array, so load cannot give each request a unique key; send bodies "
          "with --bodies and lift idempotency in a copy of the contract");
    } else {
      key_path_ = absl::StrSplit(idempotency.field, '.');
      // The key is spliced between the quotes of a JSON string, so its text is escaped once here.
      std::string quoted;
      json::AppendQuoted(quoted, key_stem_);
      key_stem_ = quoted.substr(1, quoted.size() - 2);
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

absl::Status BodySource::AddTemplate(const std::string& body) {
  BodyTemplate prepared;
  prepared.prefix = body;
  if (!key_path_.empty() || !batch_pointer_.empty()) {
    simdjson::dom::element root;
    json::ParseError error;
    if (!parser_.Parse(body, root, error)) return absl::InvalidArgumentError(error.message);
    simdjson::dom::array batch;
    if (!batch_pointer_.empty() &&
        root.at_pointer(batch_pointer_).get_array().get(batch) == simdjson::SUCCESS) {
      prepared.batch_size = batch.size();
    }
    if (!key_path_.empty()) {
      std::string text;
      json::Writer writer(text);
      std::optional<std::size_t> key_offset;
      WriteSplit(root, key_path_, writer, text, key_offset);
      prepared.has_key_slot = key_offset.has_value();
      if (key_offset) {
        prepared.suffix = text.substr(*key_offset);
        text.resize(*key_offset);
      }
      prepared.prefix = std::move(text);
    }
  }
  templates_.push_back(std::move(prepared));
  return absl::OkStatus();
}

absl::Status BodySource::CheckBody(std::uint64_t index, const schema::Validator& validator) {
  std::string body = Next(index).Body();
  simdjson::dom::element root;
  json::ParseError error;
  if (!parser_.Parse(body, root, error)) return absl::InvalidArgumentError(error.message);
  std::vector<schema::Violation> violations;
  if (!validator.Validate(root, violations)) {
    return absl::InvalidArgumentError(DescribeViolations(violations));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<BodySource>> BodySource::Generated(
    const contract::Contract& contract, std::uint64_t seed, std::string run_id, std::size_t count) {
  std::unique_ptr<BodySource> source(new BodySource(contract, std::move(run_id)));
  if (auto status = source->Configure(contract); !status.ok()) return status;
  mock::Generator generator(contract.request.fields);
  // The generator can miss a rule, such as a pattern it found no match for. Every prepared body
  // is checked with its key, so a contract the generator cannot satisfy stops the run before it
  // starts.
  schema::Validator validator(schema::RequestRules(contract));
  count = std::clamp<std::size_t>(count, 1, kMaxPreparedBodies);
  source->templates_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    absl::Status status =
        source->AddTemplate(generator.Generate(mock::RequestSeed(seed, std::to_string(i))));
    if (status.ok()) status = source->CheckBody(i, validator);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("a request body generated from the contract breaks its request rules (",
                       status.message(), "); pass valid bodies with --bodies FILE.jsonl"));
    }
  }
  return source;
}

absl::Status BodySource::CheckKeyFits(const schema::Validator& validator) {
  if (key_path_.empty()) return absl::OkStatus();
  absl::Status status = CheckBody(0, validator);
  if (status.ok()) return status;
  return absl::InvalidArgumentError(absl::StrCat(
      "the unique idempotency keys load writes (such as '", Next(0).key,
      "') break the contract's rules for the key field: ", status.message(),
      "; relax the key field's rules in a copy of the contract"));
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
    // The line parsed above, so preparing it does not fail.
    if (auto status = source->AddTemplate(line); !status.ok()) return status;
  }
  if (source->templates_.empty()) {
    return absl::InvalidArgumentError("bodies file '" + path +
                                      "' contains no request body; write one JSON body per line");
  }
  if (auto status = source->CheckKeyFits(validator); !status.ok()) return status;
  return source;
}

OutgoingBody BodySource::Next(std::uint64_t index) const {
  const BodyTemplate& prepared = templates_[index % templates_.size()];
  OutgoingBody out;
  out.prefix = prepared.prefix;
  out.suffix = prepared.suffix;
  out.batch_size = prepared.batch_size;
  out.key_in_body = !key_path_.empty();
  if (key_enabled_ && (!key_header_.empty() || prepared.has_key_slot)) {
    out.key = absl::StrCat(key_stem_, index);
  }
  return out;
}

std::size_t OutgoingBody::BodySize() const {
  return prefix.size() + (key_in_body ? key.size() : 0) + suffix.size();
}

void OutgoingBody::AppendBody(std::string& out) const {
  out.append(prefix);
  if (key_in_body) out.append(key);
  out.append(suffix);
}

std::string OutgoingBody::Body() const {
  std::string body;
  body.reserve(BodySize());
  AppendBody(body);
  return body;
}

}  // namespace modelgate::load
