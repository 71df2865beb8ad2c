// `trustsim status OUTDIR`: what a sweep folder holds (done, failed, missing), with exit 1
// while anything is left to run; `trustsim outputs`: the outputs a sweep can analyse.
#include <filesystem>
#include <iostream>

#include "app/commands.hpp"
#include "sweep/executor.hpp"
#include "sweep/run_store.hpp"
#include "sweep/summary.hpp"

namespace trustsim::app {
namespace {

std::string run_name(const SweepSpec& sw, std::int64_t run) {
  return std::filesystem::path(run_path("", run_key(sw, run))).filename().string();
}

}  // namespace

int print_sweep_status(const std::string& outdir) {
  const SweepSpec sw = read_definition(outdir);
  const SweepStatus st = sweep_status(sw, outdir);
  std::cout << "sweep '" << sw.name << "' (definition " << sw.hash << "): " << st.total << " runs\n"
            << "  done     " << st.ok << "\n  failed   " << st.failed << "\n  missing  " << st.missing << "\n";
  for (std::size_t i = 0; i < st.failed_runs.size() && i < 20; ++i)
    std::cout << "  failed:  " << run_name(sw, st.failed_runs[i]) << ": " << st.failed_errors[i] << "\n";
  for (std::size_t i = 0; i < st.missing_runs.size() && i < 20; ++i)
    std::cout << "  missing: " << run_name(sw, st.missing_runs[i]) << "\n";
  if (st.missing_runs.size() > 20) std::cout << "  ... and " << st.missing_runs.size() - 20 << " more missing\n";
  for (const auto& r : st.running) std::cout << "  running: " << r << "\n";
  for (const auto& f : st.foreign) std::cout << "  bad file: " << f << "\n";
  if (!st.foreign.empty())
    std::cout << "run the sweep again to move the bad files to " << outdir << "/bad/ and compute their runs again\n";
  return st.ok == st.total ? kExitOk : kExitFailure;
}

int print_sweep_outputs() {
  for (const auto& out : output_specs()) std::cout << out.name << "\t" << out.units << "\t" << out.meaning << "\n";
  return kExitOk;
}

void add_status_commands(CLI::App& app, int& exit_code) {
  auto outdir = std::make_shared<std::string>();
  auto* status = app.add_subcommand(
      "status", "What a sweep's output folder holds: done, failed, missing runs (exit 1 while any is not done)");
  status->add_option("outdir", *outdir, "The sweep's output folder")->required();
  status->callback([outdir, &exit_code] { exit_code = print_sweep_status(*outdir); });

  auto* outputs =
      app.add_subcommand("outputs", "List the outputs a sweep can name in `outputs:` (name, units, meaning)");
  outputs->callback([&exit_code] { exit_code = print_sweep_outputs(); });
}

}  // namespace trustsim::app
