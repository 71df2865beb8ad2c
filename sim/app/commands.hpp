// The subcommands of `trustsim`, one file each. Each `add_*` registers its subcommand on
// the application with a callback that stores the process exit code in `exit_code`.
// Errors travel as exceptions (InvalidInput, Cancelled, std::exception) and main() maps
// them to exit codes, so every command reports them the same way.
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>
#include <string>

namespace trustsim::app {

inline constexpr int kExitOk = 0, kExitFailure = 1, kExitInvalid = 2, kExitInterrupted = 130;

// Set by SIGINT, SIGTERM, SIGHUP or SIGQUIT once a long command has installed the handlers.
std::atomic<bool>& cancel_flag();
void install_signal_handlers();

// Worker threads by default: every core.
int default_threads();

// The command line as typed, shell-quoted, recorded in output files (provenance).
void set_command_line(int argc, char** argv);
const std::string& command_line();

// `trustsim rnu`: prints "unknown command 'rnu' (did you mean 'run'?)" and the commands,
// and returns true, when the first argument is a word that names no subcommand.
bool report_unknown_command(CLI::App& app, int argc, char** argv);

// A sweep output folder: what is done, failed and missing. Exit 0 when every run is done,
// 1 while any is missing or failed (scripts wait on it).
int print_sweep_status(const std::string& outdir);
int print_sweep_outputs();  // name, units, meaning of each output a sweep can analyse

void add_run_command(CLI::App& app, int& exit_code);
void add_validate_command(CLI::App& app, int& exit_code);
void add_reference_commands(CLI::App& app, int& exit_code);  // schema, output-format
void add_sweep_command(CLI::App& app, int& exit_code);
void add_merge_command(CLI::App& app, int& exit_code);
void add_calibrate_command(CLI::App& app, int& exit_code);
void add_status_commands(CLI::App& app, int& exit_code);  // status, outputs
void add_help_commands(CLI::App& app, int& exit_code);    // help, version

}  // namespace trustsim::app
