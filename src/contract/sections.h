#pragma once

#include <yaml-cpp/yaml.h>

#include "contract/types.h"
#include "contract/yaml_reader.h"

namespace modelgate::contract {

// Readers of the contract's sections. Each reads one mapping into its typed structure and
// reports problems to the reader's diagnostics; `contract` receives what a section sets in
// another (for example an idempotency flag written under `compatibility`).
void ReadRequest(MapReader& reader, Contract& contract);
void ReadResponse(MapReader& reader, Contract& contract);
void ReadErrors(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                Contract& contract);
void ReadConstraints(MapReader& reader, Contract& contract);
void ReadBehavior(MapReader& reader, Contract& contract);
void ReadIdempotency(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                     Idempotency& idempotency);
void ReadObservability(MapReader& reader, Observability& observability);
void ReadCompatibility(MapReader& reader, Contract& contract);
void ReadDeprecation(MapReader& reader, Deprecation& deprecation);
void ReadSafety(MapReader& reader, Safety& safety);
void ReadBudget(MapReader& reader, Budget& budget);
void ReadModel(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
               Contract& contract);

// Parses an ordering sentence such as "ranked list is sorted by score desc".
Ordering ParseOrderingSentence(const std::string& text, const std::vector<Field>& fields);

}  // namespace modelgate::contract
