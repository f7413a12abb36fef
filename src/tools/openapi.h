#pragma once

#include <absl/status/statusor.h>

#include <string>
#include <string_view>

#include "contract/types.h"

namespace modelgate::tools {

// Exports the contract's operation as an OpenAPI 3.1.0 document, as compact JSON text: the
// request and response JSON Schemas, one problem+json response per error status, the request
// and response headers, and the SLOs and limits as `x-modelgate-*` extensions. Limits that the
// contract leaves unset are written with the defaults the server applies.
std::string ExportOpenApi(const contract::Contract& contract);

// Converts JSON text to YAML in block style, keeping member order. Strings that YAML would read
// as another type (numbers, booleans, null) are quoted. Returns InvalidArgument when `json_text`
// is not valid JSON.
absl::StatusOr<std::string> JsonToYaml(std::string_view json_text);

}  // namespace modelgate::tools
