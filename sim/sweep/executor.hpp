// Running a sweep's runs, all or one shard of them, on every core; and finding out where a
// sweep stands from its output folder.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "sweep/run_store.hpp"
#include "sweep/sweep.hpp"

namespace trustsim {

// Shard `index` of `count` (0-based, as Slurm numbers array tasks from --array=0-(N-1)).
// A shard holds whole (point, replicate) units, so the policies that share common random
// numbers run side by side.
struct Shard {
  int index = 0, count = 1;
};
std::vector<std::int64_t> shard_runs(const SweepSpec& sweep, Shard shard);

// Where the time of a run goes, summed over the runs of a shard (seconds).
struct RunCosts {
  double setup = 0;     // parse and validate the run's scenario
  double build = 0;     // build the city
  double simulate = 0;  // the days
  double store = 0;     // summarise and write the run's file
};

struct ShardOutcome {
  std::int64_t runs = 0;     // in the shard
  std::int64_t skipped = 0;  // already complete (resume)
  std::int64_t ran = 0, failed = 0;
  bool cancelled = false;
  RunCosts costs;
};

// Runs the shard's runs not yet complete in `outdir` (failed ones too when `retry_failed`).
// A run that fails is recorded with its error and the others go on; on cancel the runs in
// flight stop and leave nothing. `on_run(done, total)` may be called from any thread.
ShardOutcome run_shard(const SweepSpec& sweep, const std::string& outdir, Shard shard, bool retry_failed,
                       const std::function<void(std::int64_t, std::int64_t)>& on_run = {},
                       const std::atomic<bool>* cancel = nullptr);

struct SweepStatus {
  std::int64_t total = 0, ok = 0, failed = 0, missing = 0;
  std::vector<std::int64_t> failed_runs, missing_runs;
  std::vector<std::string> failed_errors;  // beside failed_runs
  std::vector<std::string> foreign;        // run files of another sweep or unreadable, with why
};
SweepStatus sweep_status(const SweepSpec& sweep, const std::string& outdir);

// Reads run `index` from `outdir` and counts it in `status`: ok, failed, or missing (a file
// of another sweep, or one that cannot be read, is also listed in `foreign`). Returns the
// run when it belongs to this sweep.
std::optional<StoredRun> tally_run(const SweepSpec& sweep, const std::string& outdir, std::int64_t index,
                                   bool with_summary, SweepStatus& status);

}  // namespace trustsim
