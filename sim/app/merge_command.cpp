// `trustsim merge OUTDIR -o FILE`: one HDF5 file from a sweep's runs.
#include <iostream>

#include "app/commands.hpp"
#include "app/progress.hpp"
#include "sweep/merge.hpp"

namespace trustsim::app {

void add_merge_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string outdir, output;
    bool allow_missing = false, quiet = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("merge", "Merge a sweep's runs into one HDF5 file (refuses foreign or missing runs)");
  cmd->add_option("outdir", o->outdir, "The sweep's output folder")->required();
  cmd->add_option("-o,--output", o->output, "Merged HDF5 file")->required();
  cmd->add_flag("--allow-missing", o->allow_missing, "Write the file even if runs are missing (marked missing)");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress output");
  cmd->callback([o, &exit_code] {
    install_signal_handlers();  // a signal stops the merge and deletes its partial file
    Progress progress("merge " + o->outdir, o->quiet, "runs");
    SweepStatus st;
    try {
      st = merge_sweep(
          o->outdir, o->output, MergeOptions{o->allow_missing, command_line()},
          [&](std::int64_t d, std::int64_t t) { progress.update(d, t); }, &cancel_flag());
    } catch (const MergeRefused& e) {
      progress.finish();
      std::cerr << "merge refused: " << e.what() << "\n";
      exit_code = kExitFailure;
      return;
    }
    progress.finish();
    if (!o->quiet)
      std::cerr << "wrote " << o->output << ": " << st.total << " runs, " << st.ok << " ok, " << st.failed
                << " failed, " << st.missing << " missing\n";
    exit_code = kExitOk;
  });
}

}  // namespace trustsim::app
