// `trustsim calibrate calibration/targets.yaml`: fits the free parameters to the published
// targets, writes the fitted defaults (sim/params/calibrated.def), the record
// (docs/calibration.md) and the same record in HDF5. Resumable: every evaluation goes to
// <output>.state; `--resume` replays the search from it.
#include <tbb/global_control.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/commands.hpp"
#include "calibrate/record.hpp"
#include "engine/simulation.hpp"

namespace trustsim::app {
namespace {

struct CalibrateOptions {
  std::string targets, output = "calibration/run.h5";
  std::uint64_t seed = 1;
  int budget = 0;
  int threads = default_threads();
  bool resume = false, quiet = false, no_write = false;
};

void write_text(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".partial";
  {
    std::ofstream out(tmp);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
  }
  std::filesystem::rename(tmp, path);
}

int run_calibration(const CalibrateOptions& o) {
  const auto tf = calibrate::load_targets(o.targets);  // InvalidInput before any compute
  std::error_code ec;
  const auto parent = std::filesystem::path(o.output).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);

  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(o.threads));
  install_signal_handlers();
  calibrate::CalibrationOptions co;
  co.seed = o.seed;
  co.budget = o.budget;
  co.state_path = o.output + ".state";
  co.resume = o.resume;
  co.quiet = o.quiet;
  co.cancel = &cancel_flag();
  calibrate::CalibrationResult result;
  try {
    result = calibrate::calibrate(tf, co);
  } catch (const Cancelled&) {
    std::cerr << "\ninterrupted: the evaluations made so far are kept in " << co.state_path
              << "; rerun with --resume to continue\n";
    return kExitInterrupted;
  }
  const calibrate::RunInfo info{o.seed, o.budget > 0 ? o.budget : tf.search.budget, o.threads};
  calibrate::write_record_h5(o.output, tf, result, info);
  if (!o.no_write) {
    write_text(tf.defaults_path, calibrate::defaults_file(tf, result));
    write_text(tf.record_path, calibrate::record_markdown(tf, result, info));
  }
  if (!o.quiet) {
    std::cerr << "calibrate: " << result.evaluations.size() << " evaluations in " << result.seconds / 60.0
              << " min; best loss " << result.evaluations[result.best].loss << ", check loss "
              << result.verification_loss << "\n";
    for (std::size_t k = 0; k < tf.free.size(); ++k)
      std::cerr << "  " << tf.free[k].name << " = " << result.fitted[k] << "\n";
    for (std::size_t t = 0; t < tf.targets.size(); ++t) {
      const auto& g = tf.targets[t];
      std::cerr << "  " << g.id << ": " << result.verification.mean[t] << " [" << result.verification.ci_low[t] << ", "
                << result.verification.ci_high[t] << "], band [" << g.low << ", " << g.high << "]"
                << (calibrate::within_band(g, result.verification.mean[t]) ? "" : "  OUTSIDE") << "\n";
    }
    std::cerr << "wrote " << o.output;
    if (!o.no_write)
      std::cerr << ", " << tf.defaults_path << " and " << tf.record_path
                << " (rebuild, then regenerate docs/parameters.md)";
    std::cerr << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_calibrate_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<CalibrateOptions>();
  auto* cmd = app.add_subcommand(
      "calibrate", "Fit the free parameters to the published targets and write the defaults and the record");
  cmd->add_option("targets", o->targets, "Targets file (calibration/targets.yaml)")->required();
  cmd->add_option("-o,--output", o->output, "HDF5 record; the search state goes to <output>.state")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of the hypercube and of every replicate")->capture_default_str();
  cmd->add_option("--budget", o->budget, "Evaluations in all (default: the targets file's)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("--resume", o->resume, "Continue from <output>.state (same targets file, seed and budget)");
  cmd->add_flag("--no-write", o->no_write, "Write only the HDF5 record, not the defaults file nor the Markdown record");
  cmd->add_option("--threads", o->threads, "Worker threads (results do not depend on it)")->check(CLI::Range(1, 1024));
  cmd->add_flag("-q,--quiet", o->quiet, "No progress output");
  cmd->callback([o, &exit_code] { exit_code = run_calibration(*o); });
}

}  // namespace trustsim::app
