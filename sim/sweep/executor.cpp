#include "sweep/executor.hpp"

#include <tbb/parallel_for.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <mutex>

#include "engine/simulation.hpp"
#include "output/output_file.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace trustsim {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

enum class Need { nothing, run, move_aside };

// What run `index` needs: nothing (complete, or failed and not retried), to run (no file),
// or its file moved aside first (it does not verify, or is another sweep's). `why` says why.
Need need_of(const SweepSpec& sweep, const std::string& path, std::int64_t index, bool retry_failed, std::string& why) {
  std::optional<StoredRun> r;
  try {
    r = read_run(path, index, false);
  } catch (const BadRunFile& e) {
    why = e.what();
    return Need::move_aside;
  }
  if (!r) return Need::run;
  if (r->sweep_hash != sweep.hash) {
    why = path + ": a run of another sweep (definition " + r->sweep_hash + ")";
    return Need::move_aside;
  }
  return r->status == RunStatus::failed && retry_failed ? Need::run : Need::nothing;
}

// The first error that stops the shard (a file that cannot be written), kept to rethrow
// after the parallel loop: an exception leaving a task would cancel the task group, and TBB
// then cuts short the nested parallel loops of the runs still going (a half-built city, a
// crash); instead they are stopped through their cancel flag.
class FirstError {
 public:
  void set(std::exception_ptr e) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(e);
    stop_ = true;
  }
  bool stopped() const { return stop_.load(); }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
  std::atomic<bool> stop_{false};
};

}  // namespace

std::vector<std::int64_t> shard_runs(const SweepSpec& sweep, Shard shard) {
  std::vector<std::int64_t> out;
  const std::int64_t S = sweep.scenario_count();
  for (std::int64_t i = 0; i < sweep.run_count(); ++i)
    if ((i / S) % shard.count == shard.index) out.push_back(i);
  return out;
}

ShardOutcome run_shard(const SweepSpec& sweep, const std::string& outdir, Shard shard, const ShardOptions& options,
                       const std::function<void(std::int64_t, std::int64_t)>& on_run, const std::atomic<bool>* cancel) {
  record_definition(sweep, outdir);
  clean_dead_partials((std::filesystem::path(outdir) / "runs").string());
  std::error_code ec;  // and in the subfolders of a large sweep (run_path)
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(outdir) / "runs", ec))
    if (e.is_directory(ec)) clean_dead_partials(e.path().string());
  ShardOutcome out;
  std::vector<std::int64_t> todo;
  const auto mine = shard_runs(sweep, shard);
  out.runs = static_cast<std::int64_t>(mine.size());
  ClaimBook claims(options.claim_timeout);
  for (auto i : mine) {
    std::string why;
    const std::string path = run_path(outdir, run_key(sweep, i));
    if (need_of(sweep, path, i, options.retry_failed, why) != Need::nothing) {
      todo.push_back(i);
    } else if (std::filesystem::exists(path + ".claim")) {
      // Left by a process killed between writing the run and releasing its claim: taken
      // over (if stale) and released, so it does not stay in the folder for ever.
      claims.release(claims.acquire(path));
    }
  }
  out.skipped = out.runs - static_cast<std::int64_t>(todo.size());

  FirstError failure;
  std::mutex mutex;  // guards `out`
  std::atomic<std::int64_t> done{0};
  const auto total = static_cast<std::int64_t>(todo.size());
  auto count = [&](std::int64_t ShardOutcome::*field) {
    std::lock_guard<std::mutex> lock(mutex);
    ++(out.*field);
  };
  if (on_run) on_run(0, total);
  tbb::parallel_for(
      std::size_t{0}, todo.size(),
      [&](std::size_t n) {
        if ((cancel && cancel->load()) || failure.stopped()) return;
        const RunKey key = run_key(sweep, todo[n]);
        const std::string path = run_path(outdir, key);
        try {
          const auto claim = claims.acquire(path);
          if (!claim) return count(&ShardOutcome::busy);
          struct Release {
            ClaimBook& book;
            const std::shared_ptr<Claim>& claim;
            ~Release() { book.release(claim); }
          } release{claims, claim};
          // Under the claim, look again: another process may have finished it meanwhile.
          std::string why;
          const Need need = need_of(sweep, path, key.index, options.retry_failed, why);
          if (need == Need::nothing) return count(&ShardOutcome::skipped);
          if (need == Need::move_aside) {
            const std::string to = move_aside(outdir, path);
            std::lock_guard<std::mutex> lock(mutex);
            out.moved_aside.push_back(why + "; moved to " + to);
          }
          // This run stops when the user cancels, another run cannot write, or the claim is lost.
          std::atomic<bool> stop{false};
          auto check_stop = [&](int) {
            if ((cancel && cancel->load()) || failure.stopped() || claim->lost.load()) stop = true;
          };
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
            check_stop(0);
            const RunResult result = sim.run(check_stop, &stop);
            c.simulate = since(t);
            t = Clock::now();
            summary = summarise(result, sweep.period_days, sweep.window_days);
            c.store = since(t);
          } catch (const Cancelled&) {
            if (claim->lost.load()) count(&ShardOutcome::lost);
            return;  // leaves no file: the run is missing and a restart runs it
          } catch (const InvalidInput& e) { error = e.what(); } catch (const std::exception& e) {
            error = e.what();
          }
          if (!error.empty() && error.back() == '\n') error.pop_back();
          if (!claims.holds(*claim)) return count(&ShardOutcome::lost);
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
        } catch (...) {
          // A failure to write (full disk, no permission) is not the run's fault: it stops
          // the shard, with the runs already written kept.
          failure.set(std::current_exception());
          return;
        }
        const auto d = done.fetch_add(1) + 1;
        if (on_run) on_run(d, total);
      },
      tbb::simple_partitioner());
  failure.rethrow();
  out.cancelled = cancel && cancel->load();
  return out;
}

std::string sweep_memory_shortfall(const SweepSpec& sweep, int threads) {
  const int parallel = static_cast<int>(std::min<std::int64_t>(threads, sweep.run_count()));
  bool sizes = false;
  for (const auto& a : sweep.axes)
    sizes = sizes || a.name == "population.residents" || a.name == "population.weak_ties_per_resident" ||
            a.name == "simulation.days";
  const std::int64_t points = sizes ? sweep.point_count() : std::min<std::int64_t>(1, sweep.point_count());
  std::string worst;
  double most = -1;
  for (std::int64_t p = 0; p < points; ++p)
    for (std::int64_t s = 0; s < sweep.scenario_count(); ++s) {
      const RunKey key = run_key(sweep, p * sweep.replicates * sweep.scenario_count() + s);
      try {
        const Scenario sc = run_scenario(sweep, key);
        const double bytes = estimated_bytes(sc.params);
        if (bytes > most) {
          most = bytes;
          worst = memory_shortfall(sc, parallel);
        }
      } catch (const std::exception&) {}  // an invalid combination: recorded as a failed run
    }
  return worst;
}

std::optional<StoredRun> tally_run(const SweepSpec& sweep, const std::string& outdir, std::int64_t index,
                                   bool with_summary, SweepStatus& st) {
  const std::string path = run_path(outdir, run_key(sweep, index));
  std::optional<StoredRun> r;
  try {
    r = read_run(path, index, with_summary);
  } catch (const BadRunFile& e) { st.foreign.emplace_back(e.what()); }
  if (r && r->sweep_hash != sweep.hash) {
    st.foreign.push_back(path + ": a run of another sweep (definition " + r->sweep_hash + ", this one " + sweep.hash +
                         ")");
    r.reset();
  }
  if (!r) {
    ++st.missing;
    st.missing_runs.push_back(index);
    if (auto who = ClaimBook::describe(path); !who.empty())
      st.running.push_back(std::filesystem::path(path).filename().string() + ": " + who);
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
