// `modelgate budget`: placeholder until the command lands.
#include "cli/commands.h"

namespace modelgate::cli {

void AddBudgetCommand(CLI::App&) {}

}  // namespace modelgate::cli
