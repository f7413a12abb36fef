// `modelgate diff`: placeholder until the command lands.
#include "cli/commands.h"

namespace modelgate::cli {

void AddDiffCommand(CLI::App&) {}

}  // namespace modelgate::cli
