#include "schema/ordering.h"

#include <optional>
#include <string>
#include <string_view>

#include "json/writer.h"

namespace modelgate::schema {
namespace {

using simdjson::dom::element;

// The sort key of one list item: a number or a string; nullopt when the item has none.
struct SortKey {
  std::optional<double> number;
  std::optional<std::string_view> text;
};

SortKey KeyOf(element item, const std::string& by) {
  element value = item;
  if (!by.empty() && item.at_key(by).get(value) != simdjson::SUCCESS) return {};
  SortKey key;
  double number;
  std::string_view text;
  if (value.get_double().get(number) == simdjson::SUCCESS) {
    key.number = number;
  } else if (value.get_string().get(text) == simdjson::SUCCESS) {
    key.text = text;
  }
  return key;
}

// Returns -1, 0 or 1 comparing two keys of the same kind; 0 when they cannot be compared.
int Compare(const SortKey& a, const SortKey& b) {
  if (a.number && b.number) return *a.number < *b.number ? -1 : (*a.number > *b.number ? 1 : 0);
  if (a.text && b.text) return a.text->compare(*b.text) < 0 ? -1 : (*a.text > *b.text ? 1 : 0);
  return 0;
}

void CheckList(simdjson::dom::array list, const contract::Ordering& ordering,
               const std::string& pointer, std::vector<Violation>& out) {
  std::optional<SortKey> previous;
  std::size_t index = 0;
  for (element item : list) {
    SortKey key = KeyOf(item, ordering.by);
    if (previous) {
      int order = Compare(*previous, key);
      bool wrong = ordering.descending ? order < 0 : order > 0;
      if (wrong) {
        out.push_back({pointer + "/" + std::to_string(index), "ordering",
                       "the list must be sorted by " +
                           (ordering.by.empty() ? std::string("value") : ordering.by) +
                           (ordering.descending ? " in descending" : " in ascending") +
                           " order; this item breaks it"});
        return;
      }
    }
    previous = key;
    ++index;
  }
}

// Descends `path` (segments separated by "[]." mean: into every item of this array, then this
// member) and checks each list found at its end.
void Descend(element node, std::string_view path, const contract::Ordering& ordering,
             std::string pointer, std::vector<Violation>& out) {
  auto split = path.find("[].");
  std::string_view name = path.substr(0, split);
  element child;
  if (node.at_key(name).get(child) != simdjson::SUCCESS) return;
  pointer += "/" + json::EscapePointerToken(name);
  simdjson::dom::array array;
  if (child.get_array().get(array) != simdjson::SUCCESS) return;
  if (split == std::string_view::npos) {
    CheckList(array, ordering, pointer, out);
    return;
  }
  std::size_t index = 0;
  for (element item : array) {
    Descend(item, path.substr(split + 3), ordering, pointer + "/" + std::to_string(index++), out);
  }
}

}  // namespace

void CheckOrdering(element document, const contract::Ordering& ordering,
                   std::vector<Violation>& out) {
  if (ordering.list.empty()) return;
  Descend(document, ordering.list, ordering, "", out);
}

}  // namespace modelgate::schema
