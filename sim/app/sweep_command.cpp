// `trustsim sweep SWEEP -o OUTDIR [--shard K/N] [--set k=v] [--seed S] [--replicates R]`: run
// a sweep (or one shard of it), resuming where it stopped. `sweep --status OUTDIR` and
// `sweep --outputs` are deprecated spellings of `trustsim status` and `trustsim outputs`
// (status_command.cpp).
#include <tbb/global_control.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "app/commands.hpp"
#include "app/progress.hpp"
#include "engine/simulation.hpp"
#include "sweep/executor.hpp"
#include "sweep/summary.hpp"

namespace trustsim::app {
namespace {

struct SweepOptions {
  std::string sweep, outdir, shard, status;
  bool shard_given = false;
  double claim_timeout = kDefaultClaimTimeout;
  SweepOverrides overrides;
  int threads = default_threads();
  bool retry_failed = false, quiet = false, list_outputs = false;
};

std::optional<int> env_int(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  try {
    return std::stoi(v);
  } catch (...) { throw std::runtime_error(std::string(name) + "=" + v + " is not a number"); }
}

// A count written in decimal digits only (no sign, exponent, hex or spaces), within int.
std::optional<int> decimal(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return {};
  return std::stoi(text);
}

// --shard K/N, else the Slurm array task, else the whole sweep.
Shard choose_shard(const std::string& text, bool given) {
  Shard s;
  if (given) {
    const auto slash = text.find('/');
    const auto k = decimal(text.substr(0, slash)),
               n = slash == std::string::npos ? std::nullopt : decimal(text.substr(slash + 1));
    if (!k || !n)
      throw CLI::ValidationError("--shard", "expected K/N in decimal digits, e.g. 3/100, got '" + text + "'");
    s.index = *k;
    s.count = *n;
  } else if (auto id = env_int("SLURM_ARRAY_TASK_ID")) {
    auto count = env_int("SLURM_ARRAY_TASK_COUNT");
    if (!count) throw std::runtime_error("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
    s.index = *id - env_int("SLURM_ARRAY_TASK_MIN").value_or(0);
    s.count = *count;
  }
  if (s.count < 1 || s.index < 0 || s.index >= s.count)
    throw CLI::ValidationError("--shard", "shard " + std::to_string(s.index) + "/" + std::to_string(s.count) +
                                              " is not one of 0/N to (N-1)/N");
  return s;
}

int run_sweep(const SweepOptions& o) {
  if (o.list_outputs || !o.status.empty()) {  // the deprecated modes
    if (!o.sweep.empty() || !o.outdir.empty())
      throw CLI::ValidationError("sweep", "--status and --outputs take no sweep file or -o: use `trustsim status " +
                                              (o.status.empty() ? std::string("OUTDIR") : o.status) +
                                              "` or `trustsim outputs`");
    std::cerr << "note: `trustsim sweep "
              << (o.list_outputs ? "--outputs` is now `trustsim outputs`"
                                 : "--status DIR` is now `trustsim status DIR`")
              << "; the old spelling will go\n";
    return o.list_outputs ? print_sweep_outputs() : print_sweep_status(o.status);
  }
  if (o.sweep.empty() || o.outdir.empty()) throw CLI::ValidationError("sweep", "give a sweep file and -o OUTDIR");

  const SweepSpec sw = load_sweep(o.sweep, o.overrides);  // every problem, located, before anything runs
  const Shard shard = choose_shard(o.shard, o.shard_given);
  if (const auto why = sweep_memory_shortfall(sw, o.threads); !why.empty()) throw std::runtime_error(why);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(o.threads));
  install_signal_handlers();
  const std::string label =
      "sweep " + sw.name +
      (shard.count > 1 ? " shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) : "");
  Progress progress(label, o.quiet, "runs");
  const ShardOutcome out = run_shard(
      sw, o.outdir, shard, ShardOptions{o.retry_failed, o.claim_timeout},
      [&](std::int64_t d, std::int64_t t) { progress.update(d, t); }, &cancel_flag());
  progress.finish();
  for (const auto& m : out.moved_aside) std::cerr << "bad run file: " << m << "; its run was computed again\n";
  if (!o.quiet) {
    std::cerr << label << ": " << out.runs << " runs in this shard, " << out.skipped << " already complete, " << out.ran
              << " run now (" << out.failed << " failed)\n";
    if (out.ran > 0) {
      const double n = static_cast<double>(out.ran);
      std::fprintf(stderr, "per run: setup %.1f ms, build %.1f ms, simulate %.1f ms, summary and file %.1f ms\n",
                   1e3 * out.costs.setup / n, 1e3 * out.costs.build / n, 1e3 * out.costs.simulate / n,
                   1e3 * out.costs.store / n);
    }
    if (out.busy > 0)
      std::cerr << out.busy << " run(s) left to the other processes computing them in " << o.outdir << "\n";
    if (out.lost > 0) std::cerr << out.lost << " run(s) taken over by another process and left to it\n";
    if (out.failed > 0) std::cerr << "see `trustsim status " << o.outdir << "` for the errors\n";
  }
  if (out.cancelled) {
    std::cerr << "\ninterrupted: the runs written so far are kept; run the same command again to resume\n";
    return kExitInterrupted;
  }
  return kExitOk;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SweepOptions>();
  auto* cmd = app.add_subcommand("sweep", "Run a parameter sweep (or one shard of it), resuming where it stopped");
  cmd->add_option("sweep", o->sweep, "Sweep YAML file");
  cmd->add_option("-o,--output", o->outdir, "Output folder: one file per run, merged later by `trustsim merge`");
  cmd->add_option("--shard", o->shard,
                  "Run shard K of N (0-based, K/N); default: the Slurm array task when set, else every run");
  cmd->add_option("--claim-timeout", o->claim_timeout,
                  "Seconds without a heartbeat before another process's claim on a run is taken over "
                  "(docs/sweeps.md)")
      ->check(CLI::Range(1.0, 1e7));
  cmd->add_option("--threads", o->threads, "Worker threads (results do not depend on it)")->check(CLI::Range(1, 1024));
  cmd->add_flag("--retry-failed", o->retry_failed, "Run again the runs recorded as failed");
  cmd->add_option("--set", o->overrides.sets,
                  "Set a parameter for every run: dotted.name=value (repeatable; into the sweep's `set:`)");
  cmd->add_option("--seed", o->overrides.seed, "The sweep's seed (overrides `seed:`)");
  cmd->add_option("--replicates", o->overrides.replicates, "Replicates per point (overrides `replicates:`)")
      ->check(CLI::Range(1, 100000));
  // Deprecated: modes, not options (`trustsim status`, `trustsim outputs`); hidden from --help.
  cmd->add_option("--status", o->status)->group("");
  cmd->add_flag("--outputs", o->list_outputs)->group("");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress output");
  cmd->callback([o, cmd, &exit_code] {
    o->shard_given = cmd->count("--shard") > 0;  // `--shard ''` is given, and wrong
    exit_code = run_sweep(*o);
  });
}

}  // namespace trustsim::app
