#include "sweep/executor.hpp"

#include <tbb/parallel_for.h>

#include <chrono>
#include <mutex>

#include "engine/simulation.hpp"
#include "scenario/diagnostics.hpp"

namespace trustsim {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

bool needs_running(const SweepSpec& sweep, const std::string& path, bool retry_failed) {
  std::optional<StoredRun> r;
  try {
    r = read_run(path, false);
  } catch (const std::exception&) {
    return true;  // unreadable: run again, the new file replaces it
  }
  if (!r || r->sweep_hash != sweep.hash) return true;
  return r->status == RunStatus::failed && retry_failed;
}

}  // namespace

std::vector<std::int64_t> shard_runs(const SweepSpec& sweep, Shard shard) {
  std::vector<std::int64_t> out;
  const std::int64_t S = sweep.scenario_count();
  for (std::int64_t i = 0; i < sweep.run_count(); ++i)
    if ((i / S) % shard.count == shard.index) out.push_back(i);
  return out;
}

ShardOutcome run_shard(const SweepSpec& sweep, const std::string& outdir, Shard shard, bool retry_failed,
                       const std::function<void(std::int64_t, std::int64_t)>& on_run, const std::atomic<bool>* cancel) {
  record_definition(sweep, outdir);
  ShardOutcome out;
  std::vector<std::int64_t> todo;
  const auto mine = shard_runs(sweep, shard);
  out.runs = static_cast<std::int64_t>(mine.size());
  for (auto i : mine)
    if (needs_running(sweep, run_path(outdir, run_key(sweep, i)), retry_failed)) todo.push_back(i);
  out.skipped = out.runs - static_cast<std::int64_t>(todo.size());

  std::mutex mutex;  // guards `out`
  std::atomic<std::int64_t> done{0};
  const auto total = static_cast<std::int64_t>(todo.size());
  if (on_run) on_run(0, total);
  tbb::parallel_for(
      std::size_t{0}, todo.size(),
      [&](std::size_t n) {
        if (cancel && cancel->load()) return;
        const RunKey key = run_key(sweep, todo[n]);
        RunCosts c;
        const auto start = Clock::now();
        std::string error;
        std::optional<RunSummary> summary;
        try {
          auto t = Clock::now();
          const Scenario sc = run_scenario(sweep, key);
          c.setup = since(t);
          t = Clock::now();
          Simulation sim(sc, key.seed);
          c.build = since(t);
          t = Clock::now();
          const RunResult result = sim.run({}, cancel);
          c.simulate = since(t);
          t = Clock::now();
          summary = summarise(result, sweep.period_days, sweep.window_days);
          c.store = since(t);
        } catch (const Cancelled&) {
          return;  // leaves no file: the run is missing and a restart runs it
        } catch (const InvalidInput& e) { error = e.what(); } catch (const std::exception& e) {
          error = e.what();
        }
        if (!error.empty() && error.back() == '\n') error.pop_back();
        // A failure to write (full disk, no permission) is not the run's fault: it stops the
        // shard, with the runs already written kept.
        const auto t = Clock::now();
        write_run(sweep, outdir, key, summary ? &*summary : nullptr, error, since(start));
        c.store += since(t);
        {
          std::lock_guard<std::mutex> lock(mutex);
          ++out.ran;
          if (!summary) ++out.failed;
          out.costs.setup += c.setup;
          out.costs.build += c.build;
          out.costs.simulate += c.simulate;
          out.costs.store += c.store;
        }
        const auto d = done.fetch_add(1) + 1;
        if (on_run) on_run(d, total);
      },
      tbb::simple_partitioner());
  out.cancelled = cancel && cancel->load();
  return out;
}

std::optional<StoredRun> tally_run(const SweepSpec& sweep, const std::string& outdir, std::int64_t index,
                                   bool with_summary, SweepStatus& st) {
  const std::string path = run_path(outdir, run_key(sweep, index));
  std::optional<StoredRun> r;
  try {
    r = read_run(path, with_summary);
  } catch (const std::exception& e) { st.foreign.emplace_back(e.what()); }
  if (r && r->sweep_hash != sweep.hash) {
    st.foreign.push_back(path + ": a run of another sweep (definition " + r->sweep_hash + ", this one " + sweep.hash +
                         ")");
    r.reset();
  }
  if (!r) {
    ++st.missing;
    st.missing_runs.push_back(index);
  } else if (r->status == RunStatus::ok) {
    ++st.ok;
  } else {
    ++st.failed;
    st.failed_runs.push_back(index);
    st.failed_errors.push_back(r->error);
  }
  return r;
}

SweepStatus sweep_status(const SweepSpec& sweep, const std::string& outdir) {
  SweepStatus st;
  st.total = sweep.run_count();
  for (std::int64_t i = 0; i < st.total; ++i) tally_run(sweep, outdir, i, false, st);
  return st;
}

}  // namespace trustsim
