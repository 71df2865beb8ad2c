// trustsim: the command line. Thin: each subcommand lives in its own file (commands.hpp)
// and calls the library; here errors become exit codes.
#include <iostream>

#include "app/commands.hpp"
#include "core/build_info.hpp"
#include "engine/simulation.hpp"
#include "scenario/diagnostics.hpp"

int main(int argc, char** argv) {
  using namespace trustsim::app;
  try {  // the set-up too: nothing escapes main
    set_command_line(argc, argv);
    CLI::App app{"trustsim: community trust, crime reporting and immigration enforcement, simulated", "trustsim"};
    app.require_subcommand(1);
    app.set_version_flag("-V,--version",
                         std::string("trustsim ") + TRUSTSIM_VERSION + " (" + trustsim::git_revision() + ")");
    app.footer("Run `trustsim help COMMAND` (or `trustsim COMMAND --help`) for a command's options.");

    int exit_code = kExitOk;
    add_run_command(app, exit_code);
    add_validate_command(app, exit_code);
    add_reference_commands(app, exit_code);
    add_sweep_command(app, exit_code);
    add_status_commands(app, exit_code);
    add_merge_command(app, exit_code);
    add_calibrate_command(app, exit_code);
    add_help_commands(app, exit_code);

    if (argc < 2) {  // no command: the help, as a usage error
      std::cerr << app.help();
      return kExitInvalid;
    }
    if (report_unknown_command(app, argc, argv)) return kExitInvalid;
    try {
      app.parse(argc, argv);  // runs the chosen subcommand's callback
    } catch (const CLI::ParseError& e) { return app.exit(e) == 0 ? kExitOk : kExitInvalid; }
    return exit_code;
  } catch (const trustsim::InvalidInput& e) {
    std::cerr << e.what();
    return kExitInvalid;
  } catch (const trustsim::Cancelled&) {
    std::cerr << "\ninterrupted: no output written\n";
    return kExitInterrupted;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitFailure;
  }
}
