#include "safety/thresholds.h"

#include "json/writer.h"

namespace modelgate::safety {
namespace {

// The first threshold that applies to `object`, or null.
const contract::Threshold* Applicable(const std::vector<contract::Threshold>& thresholds,
                                      simdjson::dom::object object) {
  for (const auto& threshold : thresholds) {
    double value = 0;
    if (object[threshold.field].get_double().get(value) != simdjson::SUCCESS) continue;
    if (!(value < threshold.below)) continue;
    if (!threshold.label.empty()) {
      std::string_view label;
      if (object["label"].get_string().get(label) != simdjson::SUCCESS) continue;
      if (label != threshold.label) continue;
    }
    return &threshold;
  }
  return nullptr;
}

class Rewriter {
 public:
  Rewriter(const std::vector<contract::Threshold>& thresholds, std::string& out,
           std::vector<std::string>* actions)
      : thresholds_(thresholds), writer_(out), actions_(actions) {}

  void Copy(simdjson::dom::element element) {
    simdjson::dom::object object;
    simdjson::dom::array array;
    if (element.get_object().get(object) == simdjson::SUCCESS) return CopyObject(object);
    if (element.get_array().get(array) != simdjson::SUCCESS) return CopyScalar(element);
    writer_.BeginArray();
    for (simdjson::dom::element item : array) Copy(item);
    writer_.EndArray();
  }

  std::size_t changed() const { return changed_; }

 private:
  // Writes numbers with the writer's shortest round-trip form, as the backends do.
  void CopyScalar(simdjson::dom::element element) {
    switch (element.type()) {
      case simdjson::dom::element_type::DOUBLE:
        return writer_.Number(element.get_double().value_unsafe());
      case simdjson::dom::element_type::INT64:
        return writer_.Integer(element.get_int64().value_unsafe());
      case simdjson::dom::element_type::UINT64:
        return writer_.Unsigned(element.get_uint64().value_unsafe());
      case simdjson::dom::element_type::STRING:
        return writer_.String(element.get_string().value_unsafe());
      case simdjson::dom::element_type::BOOL:
        return writer_.Bool(element.get_bool().value_unsafe());
      default:
        return writer_.Null();
    }
  }

  void CopyObject(simdjson::dom::object object) {
    const contract::Threshold* threshold = Applicable(thresholds_, object);
    bool written = false;
    writer_.BeginObject();
    for (auto [key, value] : object) {
      writer_.Key(key);
      if (threshold && key == threshold->action_field) {
        writer_.String(threshold->action);
        written = true;
      } else {
        Copy(value);
      }
    }
    if (threshold && !written) writer_.Member(threshold->action_field, threshold->action);
    writer_.EndObject();
    if (!threshold) return;
    ++changed_;
    if (actions_) actions_->push_back(threshold->action);
  }

  const std::vector<contract::Threshold>& thresholds_;
  json::Writer writer_;
  std::vector<std::string>* actions_;
  std::size_t changed_ = 0;
};

}  // namespace

std::size_t ApplyThresholds(const std::vector<contract::Threshold>& thresholds,
                            simdjson::dom::element document, std::string& out,
                            std::vector<std::string>* actions_applied) {
  out.clear();
  if (thresholds.empty()) return 0;
  Rewriter rewriter(thresholds, out, actions_applied);
  rewriter.Copy(document);
  if (rewriter.changed() == 0) out.clear();
  return rewriter.changed();
}

}  // namespace modelgate::safety
