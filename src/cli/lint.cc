// `modelgate lint`: placeholder until the command lands.
#include "cli/commands.h"

namespace modelgate::cli {

void AddLintCommand(CLI::App&) {}

}  // namespace modelgate::cli
