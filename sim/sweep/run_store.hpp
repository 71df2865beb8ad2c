// A sweep's output folder: the definition, and one small file per finished run, each
// written as <file>.partial and renamed into place, so a killed shard loses only the runs
// in flight and a restarted one knows what is done.
//
//   OUTDIR/definition.h5         the sweep file and its scenarios (format trustsim-sweep-definition)
//   OUTDIR/runs/pPPPPPP-sSS-rRRRR.h5   one run (format trustsim-sweep-run): status, summary
//   OUTDIR/slurm/                job logs when submitted to Slurm (ignored here)
#pragma once

#include <optional>
#include <string>

#include "output/h5file.hpp"
#include "sweep/summary.hpp"
#include "sweep/sweep.hpp"

namespace trustsim {

inline constexpr const char* kSweepRunFormat = "trustsim-sweep-run";
inline constexpr const char* kSweepDefinitionFormat = "trustsim-sweep-definition";
inline constexpr const char* kSweepStoreVersion = "1.0";

enum class RunStatus : std::int64_t { ok = 0, failed = 1, missing = 2 };
inline constexpr const char* kRunStatusNames[] = {"ok", "failed", "missing"};

// Records the definition in `outdir` (creating the folders), or checks that the one there is
// the same sweep; throws std::runtime_error naming both hashes when it is not.
void record_definition(const SweepSpec& sweep, const std::string& outdir);
// The sweep recorded in `outdir` (throws std::runtime_error if there is none or it is unreadable).
SweepSpec read_definition(const std::string& outdir);

std::string run_path(const std::string& outdir, const RunKey& key);

// The sweep's definition as datasets of `group`: file, yaml, scenario_paths, scenario_yaml
// (in definition.h5 and in the merged file's /sweep).
void write_definition_texts(hid_t group, const SweepSpec& sweep);

struct StoredRun {
  RunStatus status = RunStatus::missing;
  std::string error;  // why it failed
  double wall_seconds = 0;
  std::string sweep_hash, git_revision;
  RunSummary summary;  // empty unless read with summaries
};

// Writes one run's result atomically; `summary` is null for a failed run.
void write_run(const SweepSpec& sweep, const std::string& outdir, const RunKey& key, const RunSummary* summary,
               const std::string& error, double wall_seconds);
// Nothing when the run has no file; throws std::runtime_error for a file that is not a
// complete trustsim-sweep-run (truncated, foreign, other format version).
std::optional<StoredRun> read_run(const std::string& path, bool with_summary);

}  // namespace trustsim
