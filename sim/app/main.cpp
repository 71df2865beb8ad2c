// trustsim: the command line. Thin: it parses options and calls the library.
#include <CLI/CLI.hpp>
#include <tbb/global_control.h>

#include <csignal>
#include <filesystem>
#include <iostream>

#include "app/progress.hpp"
#include "engine/runner.hpp"
#include "engine/simulation.hpp"
#include "output/run_file.hpp"
#include "params/registry.hpp"
#include "scenario/loader.hpp"

namespace {

std::atomic<bool> g_cancel{false};
extern "C" void on_signal(int) { g_cancel.store(true); }

constexpr int kExitFailure = 1, kExitInvalid = 2, kExitInterrupted = 130;

int run_command(const std::string& scenario_path, const std::string& output, std::vector<std::string> sets,
                std::optional<std::int64_t> seed, std::optional<std::int64_t> replicates, int threads, bool quiet) {
  using namespace trustsim;
  if (seed) sets.push_back("simulation.seed=" + std::to_string(*seed));
  if (replicates) sets.push_back("simulation.replicates=" + std::to_string(*replicates));
  Scenario sc = load_scenario(scenario_path, sets);  // throws InvalidInput before anything is created

  std::error_code ec;
  const auto parent = std::filesystem::path(output).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  RunFile file(output);  // fails here, before compute, if the output cannot be written

  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  Progress progress(sc.name.empty() ? scenario_path : sc.name, quiet);
  auto results = run_replicates(sc, [&](std::int64_t d, std::int64_t t) { progress.update(d, t); }, &g_cancel);
  progress.finish();
  file.write(sc, results, Provenance{static_cast<std::uint64_t>(sc.params.simulation.seed), threads});
  if (g_cancel.load()) throw Cancelled();
  file.commit();
  if (!quiet) std::cerr << "wrote " << output << "\n";
  return 0;
}

int validate_command(const std::vector<std::string>& files) {
  int bad = 0;
  for (const auto& f : files) {
    try {
      trustsim::load_scenario(f);
      std::cout << f << ": ok\n";
    } catch (const trustsim::InvalidInput& e) {
      std::cerr << e.what();
      ++bad;
    }
  }
  return bad ? kExitInvalid : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"trustsim: community trust, crime reporting and immigration enforcement, simulated"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(TRUSTSIM_VERSION) + " (" + TRUSTSIM_GIT_REVISION + ")");

  auto* run = app.add_subcommand("run", "Run a scenario and write an HDF5 file");
  std::string scenario, output;
  std::vector<std::string> sets;
  std::optional<std::int64_t> seed, replicates;
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  bool quiet = false;
  run->add_option("scenario", scenario, "Scenario YAML file")->required();
  run->add_option("-o,--output", output, "Output HDF5 file")->required();
  run->add_option("--seed", seed, "Seed (overrides simulation.seed)");
  run->add_option("--replicates", replicates, "Replicates (overrides simulation.replicates)");
  run->add_option("--threads", threads, "Worker threads (results do not depend on it)")->check(CLI::Range(1, 1024));
  run->add_option("--set", sets, "Override a parameter: dotted.name=value (repeatable)");
  run->add_flag("-q,--quiet", quiet, "No progress output");

  auto* validate = app.add_subcommand("validate", "Check scenario files; report every problem");
  std::vector<std::string> files;
  validate->add_option("files", files, "Scenario YAML files")->required();

  auto* schema = app.add_subcommand("schema", "Print every parameter: name, type, unit, default, range, meaning, source");
  bool markdown = false;
  schema->add_flag("--markdown", markdown, "As the Markdown page docs/parameters.md");

  auto* format = app.add_subcommand("output-format", "Print the output file format (docs/output-format.md)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitInvalid;
  }

  try {
    if (*run) return run_command(scenario, output, sets, seed, replicates, threads, quiet);
    if (*validate) return validate_command(files);
    if (*schema) {
      std::cout << (markdown ? trustsim::parameters_markdown() : trustsim::schema_text());
      return 0;
    }
    if (*format) {
      std::cout << trustsim::output_format_markdown();
      return 0;
    }
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
  return 0;
}
