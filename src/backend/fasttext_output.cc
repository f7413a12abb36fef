#include "backend/fasttext_output.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace modelgate::backend {

void WriteFloat(json::Writer& writer, float value) {
  char text[32];  // the shortest float text has at most 15 characters, such as -1.17549435e-38
  auto written = std::to_chars(text, text + sizeof text, value);
  writer.Raw(std::string_view(text, written.ptr - text));
}

absl::Status WriteFloatArray(json::Writer& writer, std::span<const float> values) {
  auto bad =
      std::find_if(values.begin(), values.end(), [](float value) { return !std::isfinite(value); });
  if (bad != values.end()) {
    return absl::InternalError("the model returned a non-finite value at index " +
                               std::to_string(bad - values.begin()));
  }
  writer.BeginArray();
  for (float value : values) WriteFloat(writer, value);
  writer.EndArray();
  return absl::OkStatus();
}

}  // namespace modelgate::backend
