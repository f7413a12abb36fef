#pragma once

#include <CLI/CLI.hpp>

namespace modelgate::cli {

// Exit codes: 0 success, 1 the input broke the contract, 2 unusable contract, file or usage.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;

void AddServeCommands(CLI::App& app);
void AddValidateCommand(CLI::App& app);
void AddLintCommand(CLI::App& app);
void AddDiffCommand(CLI::App& app);
void AddBudgetCommand(CLI::App& app);
void AddOpenapiCommand(CLI::App& app);
void AddTestCommand(CLI::App& app);
void AddLoadCommand(CLI::App& app);
void AddPrepareTextCommand(CLI::App& app);

// The exit code the command that ran has set.
int ExitCode();
void SetExitCode(int code);

}  // namespace modelgate::cli
