#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_split.h>

#include "conformance/document.h"
#include "conformance/field_values.h"
#include "conformance/probe.h"
#include "json/writer.h"
#include "mock/generator.h"

namespace modelgate::conformance {

RequestFactory::RequestFactory(const contract::Contract& contract, std::uint64_t seed)
    : contract_(contract), seed_(seed) {
  if (!contract.examples_json.empty()) {
    baseline_ = contract.examples_json.front();
  } else {
    baseline_ = mock::Generator(contract.request.fields).Generate(seed);
  }
}

std::string RequestFactory::NextKey(std::string_view document) {
  return absl::StrFormat("mgtest-%d-%016x", ++counter_, mock::RequestSeed(seed_, document));
}

client::HttpRequest RequestFactory::Raw(const std::string& body,
                                        const std::string& content_type) const {
  client::HttpRequest request;
  request.target = contract_.RoutePath();
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  request.body = body;
  return request;
}

client::HttpRequest RequestFactory::Fresh(const std::string& document) {
  const auto& idempotency = contract_.behavior.idempotency;
  if (!idempotency.enabled) return Raw(document);
  std::string key = NextKey(document);
  if (idempotency.source == contract::IdempotencySource::kHeader) {
    auto request = Raw(document);
    request.headers.emplace_back(idempotency.header, key);
    return request;
  }
  Path path = SplitPath(idempotency.field);
  std::string quoted;
  json::AppendQuoted(quoted, key);
  auto stamped = Edit(document, path, quoted);
  return Raw(stamped.ok() ? *stamped : document);
}

std::string RequestFactory::GenerateValue(const contract::Field& field, std::uint64_t seed) {
  contract::Field required = field;
  required.required = true;
  std::string document = mock::Generator(std::vector<contract::Field>{required}).Generate(seed);
  return ValueAt(document, {field.name}).value_or("null");
}

}  // namespace modelgate::conformance
