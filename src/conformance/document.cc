#include "conformance/document.h"

#include <absl/status/status.h>
#include <simdjson.h>

#include <span>

#include "json/writer.h"

namespace modelgate::conformance {
namespace {

using simdjson::dom::element;

// Writes `value` at the end of `path` below a member that does not exist yet.
void WriteCreated(std::span<const std::string> path, const std::string& value,
                  json::Writer& writer) {
  if (path.empty()) return writer.Raw(value);
  writer.BeginObject();
  writer.Key(path.front());
  WriteCreated(path.subspan(1), value, writer);
  writer.EndObject();
}

absl::Status Rewrite(element node, std::span<const std::string> path,
                     const std::optional<std::string>& value, json::Writer& writer);

absl::Status RewriteObject(simdjson::dom::object object, std::span<const std::string> path,
                           const std::optional<std::string>& value, json::Writer& writer) {
  bool found = false;
  writer.BeginObject();
  for (auto [key, member] : object) {
    if (key != path.front()) {
      writer.Key(key);
      writer.Raw(simdjson::minify(member));
      continue;
    }
    found = true;
    if (path.size() == 1) {
      if (value) writer.Key(key), writer.Raw(*value);
      continue;
    }
    writer.Key(key);
    if (auto status = Rewrite(member, path.subspan(1), value, writer); !status.ok()) return status;
  }
  if (!found && value) {
    writer.Key(path.front());
    WriteCreated(path.subspan(1), *value, writer);
  }
  writer.EndObject();
  return absl::OkStatus();
}

absl::Status RewriteArray(simdjson::dom::array array, std::span<const std::string> path,
                          const std::optional<std::string>& value, json::Writer& writer) {
  std::size_t index = 0;
  writer.BeginArray();
  for (element item : array) {
    if (std::to_string(index++) != path.front()) {
      writer.Raw(simdjson::minify(item));
    } else if (path.size() > 1) {
      if (auto status = Rewrite(item, path.subspan(1), value, writer); !status.ok()) return status;
    } else if (value) {
      writer.Raw(*value);
    }
  }
  writer.EndArray();
  return absl::OkStatus();
}

absl::Status Rewrite(element node, std::span<const std::string> path,
                     const std::optional<std::string>& value, json::Writer& writer) {
  if (node.is_object()) return RewriteObject(node.get_object().value(), path, value, writer);
  if (node.is_array()) return RewriteArray(node.get_array().value(), path, value, writer);
  return absl::InvalidArgumentError("cannot edit below a scalar at member \"" + path.front() +
                                    "\"");
}

}  // namespace

std::string Pointer(const Path& path) {
  std::string pointer;
  for (const auto& token : path) pointer += "/" + json::EscapePointerToken(token);
  return pointer;
}

absl::StatusOr<std::string> Edit(const std::string& document, const Path& path,
                                 const std::optional<std::string>& value) {
  if (path.empty()) return value.value_or("");
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(document).get(root); error) {
    return absl::InvalidArgumentError(std::string("the document is not JSON: ") +
                                      simdjson::error_message(error));
  }
  std::string out;
  json::Writer writer(out);
  if (auto status = Rewrite(root, path, value, writer); !status.ok()) return status;
  return out;
}

std::optional<std::string> ValueAt(const std::string& document, const Path& path) {
  simdjson::dom::parser parser;
  element node;
  if (parser.parse(document).get(node)) return std::nullopt;
  for (const auto& token : path) {
    element next;
    if (node.is_object()) {
      if (node.get_object().value().at_key(token).get(next)) return std::nullopt;
    } else if (node.is_array()) {
      if (node.get_array().value().at(std::stoul(token)).get(next)) return std::nullopt;
    } else {
      return std::nullopt;
    }
    node = next;
  }
  return simdjson::minify(node);
}

}  // namespace modelgate::conformance
