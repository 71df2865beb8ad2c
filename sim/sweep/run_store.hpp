// A sweep's output folder: the definition, and one small file per finished run, each
// written as a partial file of its process and renamed into place (output_file.hpp), so a
// killed shard loses only the runs in flight and a restarted one knows what is done.
// Every run file carries a checksum of its datasets, sweep hash, run index, status and
// error: a damaged file, or one moved to another run's name, does not verify.
//
//   OUTDIR/definition.h5         the sweep file and its scenarios (format trustsim-sweep-definition)
//   OUTDIR/runs/pPPPPPP-sSS-rRRRR.h5   one run (format trustsim-sweep-run): status, summary
//   OUTDIR/runs/pPPPPPP-sSS-rRRRR.h5.claim   the claim of the process computing it (claims.hpp)
//   OUTDIR/runs/bBBBBB/...       the same, for a sweep of more than kRunsPerFolder runs: run
//                                index i is in runs/b<i / kRunsPerFolder>/ (run_path)
//   OUTDIR/bad/                  run files that did not verify, moved aside by a resume
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
inline constexpr const char* kSweepStoreVersion = "1.1";  // 1.1: run files carry a checksum

enum class RunStatus : std::int64_t { ok = 0, failed = 1, missing = 2 };
inline constexpr const char* kRunStatusNames[] = {"ok", "failed", "missing"};

// Records the definition in `outdir` (creating the folders), or checks that the one there is
// the same sweep; throws std::runtime_error naming both hashes when it is not, or when the
// definition is gone but the runs there are another sweep's.
void record_definition(const SweepSpec& sweep, const std::string& outdir);
// The sweep recorded in `outdir` (throws std::runtime_error if there is none or it is unreadable).
SweepSpec read_definition(const std::string& outdir);

// Where run `key` is written; for a sweep of more than kRunsPerFolder runs, in a subfolder
// of runs/ holding kRunsPerFolder runs (created here).
inline constexpr std::int64_t kRunsPerFolder = 1000;
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

// Writes one run's result atomically, with its checksum; `summary` is null for a failed run.
void write_run(const SweepSpec& sweep, const std::string& outdir, const RunKey& key, const RunSummary* summary,
               const std::string& error, double wall_seconds);

// A run file that is not a complete, intact trustsim-sweep-run of the expected run.
struct BadRunFile : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Nothing when the run has no file; throws BadRunFile, naming the file and why, for one
// that is not a complete trustsim-sweep-run (truncated, foreign, other format version),
// whose checksum does not match, or that holds another run (`index`, -1: not checked).
std::optional<StoredRun> read_run(const std::string& path, std::int64_t index, bool with_summary);

// Moves a bad run file to OUTDIR/bad/ (a new name there); returns where it went.
std::string move_aside(const std::string& outdir, const std::string& path);

}  // namespace trustsim
