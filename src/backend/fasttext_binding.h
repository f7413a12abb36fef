#pragma once

// The `model:` section of a contract served by the fasttext backend: which request array
// contains the texts, how each item becomes one line of text, and which response members receive
// the labels or the vectors. Reading it checks it against the request and response contracts.

#include <absl/status/statusor.h>
#include <simdjson.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "contract/types.h"
#include "text/rules.h"

namespace modelgate::backend {

// A supervised model returns labels with probabilities; an unsupervised one (cbow or skipgram)
// returns sentence vectors.
enum class FasttextTask { kClassify, kEmbed };

struct FasttextBinding {
  std::string contract_file;
  std::string artifact;
  std::string version;
  FasttextTask task = FasttextTask::kClassify;

  std::string input_list;          // top-level request array; one text per item
  std::vector<std::string> parts;  // string members of an object item, joined in this order
  text::TextRules text;

  // kClassify
  std::map<std::string, std::string> labels;   // model label (__label__spam) to response label
  std::map<std::string, std::string> actions;  // response label to action; empty for none
  std::string results_member;                  // response array, one object per item
  std::string label_member;
  std::string confidence_member;
  std::string action_member;  // empty when the results carry no action
  double confidence_min = 0;  // the confidence field's range; probabilities are clamped to it
  double confidence_max = 1;

  // kEmbed
  std::string normalize_member;  // request boolean; empty when the request has none
  bool normalize_default = true;
  std::string vectors_member;
  std::string dim_member;  // empty when the response does not carry the dimension
  std::size_t dim = 0;

  std::string version_member;  // empty when the response does not carry the version
};

// Reads the fasttext binding of `contract.model` and checks it against the request and response
// contracts. Throws std::runtime_error as "file: model.key: what is wrong and how to fix it".
FasttextBinding ReadFasttextBinding(const contract::Contract& contract);

// Returns the prepared text of one item of the request array, as the model reads it: the item's
// string, or its parts joined, under the binding's text rules. An absent or null part is empty.
// Returns InvalidArgument when the item or a part is not a string.
absl::StatusOr<std::string> ItemText(const FasttextBinding& binding, simdjson::dom::element item);

}  // namespace modelgate::backend
