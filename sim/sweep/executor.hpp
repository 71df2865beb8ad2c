// Running a sweep's runs, all or one shard of them, on every core; and finding out where a
// sweep stands from its output folder.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "sweep/claims.hpp"
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
  std::int64_t skipped = 0;  // already complete (resume), or completed meanwhile by another process
  std::int64_t ran = 0, failed = 0;
  std::int64_t busy = 0;                 // claimed by another live process: left to it
  std::int64_t lost = 0;                 // claim taken over by another process while running: not written
  std::vector<std::string> moved_aside;  // bad run files moved to OUTDIR/bad/, with why
  bool cancelled = false;
  RunCosts costs;
};

struct ShardOptions {
  bool retry_failed = false;                    // run again the runs recorded as failed
  double claim_timeout = kDefaultClaimTimeout;  // seconds without a heartbeat before a claim is taken over
};

// Runs the shard's runs not yet complete in `outdir` (failed ones too when `retry_failed`),
// each under a claim (claims.hpp), so processes sharing the folder never compute the same
// run; a run file that does not verify is moved aside and its run computed again. A run
// that fails is recorded with its error and the others go on; on cancel the runs in flight
// stop and leave nothing. A file that cannot be written (full disk, read-only folder) stops
// the shard: the runs in flight stop, the runs written stay, and the error is rethrown.
// `on_run(done, total)` may be called from any thread.
ShardOutcome run_shard(const SweepSpec& sweep, const std::string& outdir, Shard shard, const ShardOptions& options,
                       const std::function<void(std::int64_t, std::int64_t)>& on_run = {},
                       const std::atomic<bool>* cancel = nullptr);

// Why `threads` runs of the sweep side by side cannot fit in memory (its largest city), or
// empty. Every point is looked at when an axis changes a size, else the first.
std::string sweep_memory_shortfall(const SweepSpec& sweep, int threads);

struct SweepStatus {
  std::int64_t total = 0, ok = 0, failed = 0, missing = 0;
  std::vector<std::int64_t> failed_runs, missing_runs;
  std::vector<std::string> failed_errors;  // beside failed_runs
  std::vector<std::string> foreign;        // run files damaged, unreadable or of another run or sweep, with why
  std::vector<std::string> running;        // missing runs a process has claimed: whose, and its last heartbeat
};
SweepStatus sweep_status(const SweepSpec& sweep, const std::string& outdir);

// Reads run `index` from `outdir`, verifying it, and counts it in `status`: ok, failed, or
// missing (a file that does not verify or is another sweep's is also listed in `foreign`).
// Returns the run when it is intact and this sweep's.
std::optional<StoredRun> tally_run(const SweepSpec& sweep, const std::string& outdir, std::int64_t index,
                                   bool with_summary, SweepStatus& status);

}  // namespace trustsim
