// `trustsim run SCENARIO -o FILE`: one scenario, all its replicates, one HDF5 file.
#include <tbb/global_control.h>

#include <filesystem>
#include <iostream>
#include <optional>

#include "app/commands.hpp"
#include "app/progress.hpp"
#include "engine/runner.hpp"
#include "engine/simulation.hpp"
#include "output/run_file.hpp"
#include "scenario/loader.hpp"

namespace trustsim::app {
namespace {

struct RunOptions {
  std::string scenario, output;
  std::vector<std::string> sets;
  // As written: the loader checks them as `--set` values, so 18446744073709551616 is reported
  // as such, not as the int64 CLI11 would have clamped it to.
  std::optional<std::string> seed, replicates;
  int threads = default_threads();
  bool quiet = false;
};

int run_scenario(RunOptions o) {
  if (o.seed) o.sets.push_back("simulation.seed=" + *o.seed);
  if (o.replicates) o.sets.push_back("simulation.replicates=" + *o.replicates);
  Scenario sc = load_scenario(o.scenario, o.sets);  // throws InvalidInput before anything is created

  // Replicates run side by side, one city each: the loader checked one.
  const auto parallel = std::min<std::int64_t>(sc.params.simulation.replicates, o.threads);
  if (const auto why = memory_shortfall(sc, static_cast<int>(parallel)); !why.empty()) throw std::runtime_error(why);
  check_output_path(o.output, {o.scenario});
  std::error_code ec;
  const auto parent = std::filesystem::path(o.output).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  install_signal_handlers();  // before the partial file exists: a signal then deletes it
  RunFile file(o.output);     // fails here, before compute, if the output cannot be written

  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(o.threads));
  Progress progress(sc.name.empty() ? o.scenario : sc.name, o.quiet);
  auto results = run_replicates(
      sc, [&](std::int64_t d, std::int64_t t) { progress.update(d, t); }, &cancel_flag());
  progress.finish();
  file.write(sc, results, Provenance{static_cast<std::uint64_t>(sc.params.simulation.seed), o.threads, command_line()});
  if (cancel_flag().load()) throw Cancelled();
  file.commit();
  if (!o.quiet) std::cerr << "wrote " << o.output << "\n";
  return kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RunOptions>();
  auto* run = app.add_subcommand("run", "Run a scenario and write an HDF5 file");
  run->add_option("scenario", o->scenario, "Scenario YAML file")->required();
  run->add_option("-o,--output", o->output, "Output HDF5 file")->required();
  run->add_option("--seed", o->seed, "Seed (overrides simulation.seed)");
  run->add_option("--replicates", o->replicates, "Replicates (overrides simulation.replicates)");
  run->add_option("--threads", o->threads, "Worker threads (results do not depend on it)")->check(CLI::Range(1, 1024));
  run->add_option("--set", o->sets, "Override a parameter: dotted.name=value (repeatable)");
  run->add_flag("-q,--quiet", o->quiet, "No progress output");
  run->callback([o, &exit_code] { exit_code = run_scenario(*o); });
}

}  // namespace trustsim::app
