// The subcommands of `trustsim`, one file each. Each `add_*` registers its subcommand on
// the application with a callback that stores the process exit code in `exit_code`.
// Errors travel as exceptions (InvalidInput, Cancelled, std::exception) and main() maps
// them to exit codes, so every command reports them the same way.
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>

namespace trustsim::app {

inline constexpr int kExitOk = 0, kExitFailure = 1, kExitInvalid = 2, kExitInterrupted = 130;

// Set by SIGINT, SIGTERM, SIGHUP or SIGQUIT once a long command has installed the handlers.
std::atomic<bool>& cancel_flag();
void install_signal_handlers();

// Worker threads by default: every core.
int default_threads();

void add_run_command(CLI::App& app, int& exit_code);
void add_validate_command(CLI::App& app, int& exit_code);
void add_reference_commands(CLI::App& app, int& exit_code);  // schema, output-format
void add_sweep_command(CLI::App& app, int& exit_code);
void add_merge_command(CLI::App& app, int& exit_code);
void add_calibrate_command(CLI::App& app, int& exit_code);

}  // namespace trustsim::app
