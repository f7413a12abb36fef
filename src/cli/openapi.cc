// `modelgate openapi`: placeholder until the command lands.
#include "cli/commands.h"

namespace modelgate::cli {

void AddOpenapiCommand(CLI::App&) {}

}  // namespace modelgate::cli
