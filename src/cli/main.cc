// The modelgate command line: serve, mock and validate.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("modelgate"));
  CLI::App app{"modelgate: serve ML models under an explicit interface contract"};
  app.require_subcommand(1);
  app.set_version_flag("--version", MODELGATE_VERSION);
  modelgate::cli::AddServeCommands(app);
  modelgate::cli::AddValidateCommand(app);
  modelgate::cli::AddLintCommand(app);
  modelgate::cli::AddDiffCommand(app);
  modelgate::cli::AddBudgetCommand(app);
  modelgate::cli::AddOpenapiCommand(app);
  modelgate::cli::AddTestCommand(app);
  modelgate::cli::AddLoadCommand(app);
  modelgate::cli::AddPrepareTextCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11 exits 0 for --help and 106 or so for usage errors; usage errors are 2 here.
    int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }
  return modelgate::cli::ExitCode();
}
